// For assurance report tests: a national organisation, a police force with
// its CPS Area, and another force, with people in every relationship to a
// report; Jersey's plan owned by the force (one action with a target date in
// the past), and cases of the force and the other force whose journals hold
// decisions of no further action in Q2 2026/27.
import { testAppWith } from '../../../test/support/app.ts';
import type { TestApp, TestPerson } from '../../../test/support/app.ts';
import type { Actor } from '../../platform/access/policy.ts';
import type { Role } from '../../platform/access/roles.ts';
import { systemContext } from '../../platform/audit/model.ts';
import type { AuditContext } from '../../platform/audit/model.ts';
import type { Engine } from '../../platform/db/database.ts';
import { inTransaction } from '../../platform/db/transaction.ts';
import { createCaseCommands } from '../../cases/case-commands.ts';
import { createCasesService } from '../../cases/service.ts';
import { writeShippedPlan } from '../../plans/service.ts';
import { shippedPlan } from '../../plans/shipped.ts';
import { createAssuranceService } from './service.ts';
import type { AssuranceService } from './service.ts';

/** Q2 2026/27: July to September 2026. */
export const QUARTER = '2026-27-q2';
/** A day in the quarter after it. */
export const AFTER_QUARTER = '2026-10-06T09:00:00Z';

export interface AssuranceWorld {
  readonly assurance: AssuranceService;
  readonly national: string;
  readonly force: string;
  readonly area: string;
  readonly otherForce: string;
  readonly isvaService: string;
  /** Drafts the force's reports. */
  readonly forceLead: TestPerson;
  readonly forceAnalyst: TestPerson;
  /** Signs off and publishes the force's reports. */
  readonly escalationLead: TestPerson;
  /** Both drafts and signs off: may not sign off what they drafted. */
  readonly leadAndSigner: TestPerson;
  readonly supervisor: TestPerson;
  readonly investigator: TestPerson;
  readonly panelMember: TestPerson;
  readonly areaLead: TestPerson;
  readonly headOfRasso: TestPerson;
  readonly prosecutor: TestPerson;
  readonly otherManager: TestPerson;
  readonly nationalLead: TestPerson;
  readonly nationalAnalyst: TestPerson;
  readonly nationalAdministrator: TestPerson;
  readonly isva: TestPerson;
  /** Jersey's plan, owned by the force. */
  readonly planId: string;
  actor(person: TestPerson): Actor;
  context(person: TestPerson): AuditContext;
}

export async function assuranceWorld(t: TestApp): Promise<AssuranceWorld> {
  const national = await t.organisation('NAT', 'national', 'National RASSO Programme');
  const force = await t.organisation('AVS', 'police_force', 'Avon and Somerset Police');
  const area = await t.organisation('CPS-SW', 'cps_area', 'CPS South West');
  const otherForce = await t.organisation('SWP', 'police_force', 'South Wales Police');
  const isvaService = await t.organisation('SVI', 'isva_service', 'Severn Vale ISVA Service');
  const person = (email: string, name: string, organisationId: string, ...roles: Role[]) => t.person({ email, name, roles: roles.map((role): [string, Role] => [organisationId, role]) });
  const forceLead = await person('nadia@avs.example', 'Nadia Hussain', force, 'plan_lead');
  const forceAnalyst = await person('ana@avs.example', 'Ana Lytic', force, 'analyst');
  const escalationLead = await person('mark@avs.example', 'Mark Ellis', force, 'escalation_lead');
  const leadAndSigner = await person('dual@avs.example', 'Dee Dual', force, 'plan_lead', 'escalation_lead');
  const supervisor = await person('priya@avs.example', 'Priya Shah', force, 'police_supervisor');
  const investigator = await person('sam@avs.example', 'Sam Taylor', force, 'investigator');
  const panelMember = await person('aisha@avs.example', 'Aisha Khan', force, 'panel_member');
  const areaLead = await person('nadia@cps.example', 'Nadia Hussain (CPS)', area, 'plan_lead');
  const headOfRasso = await person('rachel@cps.example', 'Rachel Moore', area, 'head_of_rasso');
  const prosecutor = await person('daniel@cps.example', 'Daniel Okafor', area, 'prosecutor');
  const otherManager = await person('owen@swp.example', 'Owen Davies', otherForce, 'escalation_lead', 'plan_lead');
  const nationalLead = await person('jo@nat.example', 'Jo Bradley', national, 'plan_lead');
  const nationalAnalyst = await person('chris@nat.example', 'Chris Walsh', national, 'analyst');
  const nationalAdministrator = await person('alex@nat.example', 'Alex Morgan', national, 'administrator');
  const isva = await person('jess@svi.example', 'Jess Walker', isvaService, 'isva');

  const planId = await inTransaction(t.platform.db, (tx) => writeShippedPlan(tx, shippedPlan('jersey-2022-23'), { ownerOrganisationId: force, nextReviewOn: '2027-01-01', now: t.clock.now() }));
  // The plans module has no command for target dates yet: actions 3 (not started) and 14 (complete) were due in August.
  await t.database.db.updateTable('plan_actions').set({ target_on: '2026-08-31' }).where('plan_id', '=', planId).where('number', 'in', [3, 14]).execute();

  const actor = (p: TestPerson) => t.actor(p);
  const context = (p: TestPerson) => t.auditContext(p);

  // Cases whose journals hold police decisions of no further action in the quarter: 3 for the force (a small count), 6 for the other.
  const cases = createCasesService(t.platform);
  const commands = createCaseCommands(t.platform);
  const officer = await person('kim@avs.example', 'Kim Lee', force, 'investigator');
  const otherOfficer = await person('gareth@swp.example', 'Gareth Jones', otherForce, 'investigator');
  for (const [forceId, code, oic, count] of [[force, 'AVS', officer, 3], [otherForce, 'SWP', otherOfficer, 6]] as const) {
    const caseId = await cases.operator.createCase(systemContext(), {
      policeReference: `NFA/${code}`, forceId, cpsAreaId: area, offenceClass: 'rape_16_plus', reportedOn: '2026-01-10', path: ['investigation'],
      people: [{ category: 'victim', name: 'Victim One' }], team: [{ userId: oic.id, organisationId: forceId, role: 'oic' }],
    });
    for (let i = 0; i < count; i += 1) {
      t.clock.set(`2026-08-${String(10 + i).padStart(2, '0')}T10:00:00Z`);
      const loaded = await commands.load(actor(oic), context(oic), caseId, 'work');
      await commands.command(actor(oic), context(oic), loaded, Number(loaded.row.version), async () => ({ events: [{ type: 'police-nfa.decided', data: { proposalId: `p${i}`, outcomeCode: 16 } }], audit: { action: 'alter', event: 'test.record' } }));
    }
  }
  t.clock.set(AFTER_QUARTER);
  return {
    assurance: createAssuranceService(t.platform), national, force, area, otherForce, isvaService, forceLead, forceAnalyst, escalationLead, leadAndSigner, supervisor, investigator, panelMember,
    areaLead, headOfRasso, prosecutor, otherManager, nationalLead, nationalAnalyst, nationalAdministrator, isva, planId, actor, context,
  };
}

/** A test app with the assurance world in it, its clock in October 2026; the app is closed if building the world fails. */
export function assuranceTestApp(engine: Engine): Promise<{ t: TestApp; w: AssuranceWorld }> {
  return testAppWith(engine, assuranceWorld);
}
