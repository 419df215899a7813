// The roles people hold in an organisation, and what each may do across the
// platform. Reference data: a change of policy is a change here, reviewed
// and released like any other (see docs/decisions).
import type { OrganisationKind } from '../db/tables.ts';

export const roles = {
  investigator: { name: 'Investigator (officer in the case)', kinds: ['police_force'] },
  police_supervisor: { name: 'Police supervisor', kinds: ['police_force'] },
  escalation_lead: { name: 'Escalation lead (Detective Superintendent)', kinds: ['police_force'] },
  prosecutor: { name: 'RASSO prosecutor', kinds: ['cps_area'] },
  dcp: { name: 'District Crown Prosecutor', kinds: ['cps_area'] },
  head_of_rasso: { name: 'Head of RASSO unit', kinds: ['cps_area'] },
  vlo: { name: 'Victim Liaison Officer', kinds: ['cps_area'] },
  paralegal: { name: 'Paralegal or case progression officer', kinds: ['cps_area', 'police_force'] },
  isva: { name: 'Independent Sexual Violence Adviser', kinds: ['isva_service'] },
  panel_member: { name: 'Scrutiny panel member', kinds: ['police_force', 'cps_area', 'isva_service', 'national'] },
  analyst: { name: 'Analyst', kinds: ['police_force', 'cps_area', 'national'] },
  plan_lead: { name: 'Action plan lead', kinds: ['police_force', 'cps_area', 'national'] },
  hub_member: { name: 'Knowledge Hub member', kinds: ['police_force', 'cps_area', 'isva_service', 'national'] },
  administrator: { name: 'Administrator', kinds: ['police_force', 'cps_area', 'isva_service', 'national'] },
} as const satisfies Record<string, { name: string; kinds: readonly OrganisationKind[] }>;

export type Role = keyof typeof roles;
export const roleNames = Object.keys(roles) as Role[];

export function isRole(value: string): value is Role {
  return Object.hasOwn(roles, value);
}

export function roleAllowedIn(role: Role, kind: OrganisationKind): boolean {
  return (roles[role].kinds as readonly string[]).includes(kind);
}

/** Platform-wide permissions. Case-level need-to-know is decided per object in policy.ts. */
export const permissions = {
  'directory.manage': ['administrator'],
  'audit.read': ['administrator'],
  'plans.manage': ['plan_lead'],
  // Quarterly assurance reports: an organisation's managers read them; plan leads and analysts draft them;
  // escalation leads (force) and heads of the RASSO unit (Area) sign them off and publish them.
  'assurance.read': ['plan_lead', 'analyst', 'police_supervisor', 'escalation_lead', 'dcp', 'head_of_rasso'],
  'assurance.draft': ['plan_lead', 'analyst'],
  'assurance.sign-off': ['escalation_lead', 'head_of_rasso'],
  // The RASSO JOIM of a force and a CPS Area: their supervisors, escalation leads, DCPs and heads of unit.
  'governance.joim': ['police_supervisor', 'escalation_lead', 'dcp', 'head_of_rasso'],
  // NFA scrutiny panels of a force or CPS Area: set them up, choose their members, select cases for review.
  'scrutiny.manage': ['escalation_lead', 'head_of_rasso'],
} as const satisfies Record<string, readonly Role[]>;

export type Permission = keyof typeof permissions;

export function isPermission(value: string): value is Permission {
  return Object.hasOwn(permissions, value);
}
