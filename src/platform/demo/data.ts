// The demonstration: real police forces and CPS Areas, a fictional ISVA
// service and a national programme, with someone in every role. Every demo
// account has the same published password and a fixed authenticator secret,
// so the platform can be tried without setting anything up. Demo mode only:
// production refuses to start with DEMO on.
import { createHash } from 'node:crypto';
import { Secret } from 'otpauth';
import type { Role } from '../access/roles.ts';
import type { OrganisationKind } from '../db/tables.ts';

export const DEMO_PASSWORD = 'autumn kestrel lantern';

export interface DemoOrganisation {
  readonly code: string;
  readonly name: string;
  readonly kind: OrganisationKind;
  readonly teams: readonly string[];
}

export interface DemoPerson {
  readonly email: string;
  readonly name: string;
  /** Organisation code, role and (optionally) team. */
  readonly roles: readonly (readonly [code: string, role: Role, team?: string])[];
  /** What the account is for, in a few words. */
  readonly note: string;
}

export const demoOrganisations: readonly DemoOrganisation[] = [
  { code: 'NRP', name: 'National RASSO Programme', kind: 'national', teams: ['Programme Team', 'Insight and Analysis'] },
  { code: 'AVS', name: 'Avon and Somerset Police', kind: 'police_force', teams: ['Operation Bluestone Bristol', 'Operation Bluestone Somerset'] },
  { code: 'MPS', name: 'Metropolitan Police Service', kind: 'police_force', teams: ['RASSO North Area', 'RASSO South Area'] },
  { code: 'WMP', name: 'West Midlands Police', kind: 'police_force', teams: ['Public Protection Unit Birmingham'] },
  { code: 'SWP', name: 'South Wales Police', kind: 'police_force', teams: ['Cardiff RASSO Unit'] },
  { code: 'CPS-SW', name: 'CPS South West', kind: 'cps_area', teams: ['RASSO Unit Bristol', 'RASSO Unit Exeter'] },
  { code: 'CPS-LS', name: 'CPS London South', kind: 'cps_area', teams: ['RASSO Unit'] },
  { code: 'CPS-WM', name: 'CPS West Midlands', kind: 'cps_area', teams: ['RASSO Unit'] },
  { code: 'CPS-CW', name: 'CPS Cymru-Wales', kind: 'cps_area', teams: ['RASSO Unit'] },
  { code: 'SVI', name: 'Severn Vale ISVA Service', kind: 'isva_service', teams: ['Bristol ISVAs'] },
  { code: 'SOJP', name: 'States of Jersey Police', kind: 'police_force', teams: [] },
];

export const demoPeople: readonly DemoPerson[] = [
  { email: 'alex.morgan@nrp.example', name: 'Alex Morgan', roles: [['NRP', 'administrator', 'Programme Team']], note: 'national administrator: manages every organisation' },
  { email: 'lee.harris@avs.police.example', name: 'Lee Harris', roles: [['AVS', 'administrator']], note: 'force administrator: manages Avon and Somerset Police' },
  { email: 'sam.taylor@avs.police.example', name: 'Sam Taylor', roles: [['AVS', 'investigator', 'Operation Bluestone Bristol']], note: 'officer in the case' },
  { email: 'priya.shah@avs.police.example', name: 'Priya Shah', roles: [['AVS', 'police_supervisor', 'Operation Bluestone Bristol']], note: 'detective sergeant' },
  { email: 'mark.ellis@avs.police.example', name: 'Mark Ellis', roles: [['AVS', 'escalation_lead']], note: 'detective superintendent' },
  { email: 'aisha.khan@avs.police.example', name: 'Aisha Khan', roles: [['AVS', 'panel_member']], note: 'NFA scrutiny panel' },
  { email: 'nadia.hussain@avs.police.example', name: 'Nadia Hussain', roles: [['AVS', 'plan_lead'], ['CPS-SW', 'plan_lead']], note: 'joint action plan lead in two organisations (organisation switcher)' },
  { email: 'ruth.adeyemi@met.police.example', name: 'Ruth Adeyemi', roles: [['MPS', 'investigator', 'RASSO North Area']], note: 'officer in the case' },
  { email: 'kiran.patel@wmp.police.example', name: 'Kiran Patel', roles: [['WMP', 'investigator', 'Public Protection Unit Birmingham']], note: 'officer in the case' },
  { email: 'gareth.jones@swp.police.example', name: 'Gareth Jones', roles: [['SWP', 'investigator', 'Cardiff RASSO Unit']], note: 'officer in the case' },
  { email: 'owen.davies@swp.police.example', name: 'Owen Davies', roles: [['SWP', 'hub_member']], note: 'Knowledge Hub member' },
  { email: 'daniel.okafor@cps.example', name: 'Daniel Okafor', roles: [['CPS-SW', 'prosecutor', 'RASSO Unit Bristol']], note: 'RASSO prosecutor' },
  { email: 'helen.price@cps.example', name: 'Helen Price', roles: [['CPS-SW', 'dcp', 'RASSO Unit Bristol']], note: 'District Crown Prosecutor' },
  { email: 'rachel.moore@cps.example', name: 'Rachel Moore', roles: [['CPS-SW', 'head_of_rasso']], note: 'head of the RASSO unit' },
  { email: 'tom.bennett@cps.example', name: 'Tom Bennett', roles: [['CPS-SW', 'vlo']], note: 'Victim Liaison Officer' },
  { email: 'grace.hughes@cps.example', name: 'Grace Hughes', roles: [['CPS-SW', 'paralegal', 'RASSO Unit Bristol']], note: 'paralegal' },
  { email: 'femi.adebayo@cps.example', name: 'Femi Adebayo', roles: [['CPS-LS', 'prosecutor', 'RASSO Unit']], note: 'RASSO prosecutor' },
  { email: 'sophie.clarke@cps.example', name: 'Sophie Clarke', roles: [['CPS-WM', 'prosecutor', 'RASSO Unit']], note: 'RASSO prosecutor' },
  { email: 'rhian.evans@cps.example', name: 'Rhian Evans', roles: [['CPS-CW', 'prosecutor', 'RASSO Unit']], note: 'RASSO prosecutor' },
  { email: 'jess.walker@severnvale-isva.example', name: 'Jess Walker', roles: [['SVI', 'isva', 'Bristol ISVAs']], note: 'Independent Sexual Violence Adviser' },
  { email: 'claire.fenwick@severnvale-isva.example', name: 'Claire Fenwick', roles: [['SVI', 'panel_member']], note: 'ISVA service manager: external member of the NFA scrutiny panel, sees only its anonymised packs' },
  { email: 'chris.walsh@nrp.example', name: 'Chris Walsh', roles: [['NRP', 'analyst', 'Insight and Analysis']], note: 'analyst' },
  { email: 'jo.bradley@nrp.example', name: 'Jo Bradley', roles: [['NRP', 'plan_lead', 'Programme Team']], note: 'national action plan lead: keeps the JNAP up to date' },
  { email: 'elise.renouf@sojp.police.example', name: 'Elise Renouf', roles: [['SOJP', 'plan_lead']], note: 'Jersey action plan lead' },
];

/** Accounts to mention first when telling someone how to try the demo. */
export const featuredDemoEmails = ['alex.morgan@nrp.example', 'lee.harris@avs.police.example', 'sam.taylor@avs.police.example', 'nadia.hussain@avs.police.example'] as const;

/**
 * A demo account's authenticator secret (base32). Derived from the email
 * address, so it is the same on every machine and can be typed into an
 * authenticator app from `rasso demo accounts`.
 */
export function demoTotpSecret(email: string): string {
  return Secret.fromHex(createHash('sha256').update(`rasso-demo-authenticator:${email}`).digest('hex').slice(0, 40)).base32;
}
