// For plan tests: a national organisation and a police force, each with a
// plan lead, people who may only read, and the shipped plans written into
// them (the JNAP owned nationally, Jersey's plan owned by the force).
import { testAppWith } from '../../test/support/app.ts';
import type { TestApp, TestPerson } from '../../test/support/app.ts';
import { apiClient } from '../platform/api/test-support.ts';
import type { ApiClient } from '../platform/api/test-support.ts';
import type { Actor } from '../platform/access/policy.ts';
import type { Role } from '../platform/access/roles.ts';
import type { AuditContext } from '../platform/audit/model.ts';
import type { Engine } from '../platform/db/database.ts';
import { inTransaction } from '../platform/db/transaction.ts';
import { createPlansService, writeShippedPlan } from './service.ts';
import type { PlansService } from './service.ts';
import { shippedPlan } from './shipped.ts';

export interface PlanWorld {
  readonly plans: PlansService;
  readonly national: string;
  readonly force: string;
  readonly nationalLead: TestPerson;
  readonly forceLead: TestPerson;
  readonly nationalAdministrator: TestPerson;
  readonly investigator: TestPerson;
  /** The original JNAP (national) and Jersey's plan (owned by the force). */
  readonly jnap: string;
  readonly local: string;
  actor(person: TestPerson): Actor;
  context(person: TestPerson): AuditContext;
}

export const NEXT_REVIEW = '2026-09-01';

export async function planWorld(t: TestApp): Promise<PlanWorld> {
  const national = await t.organisation('NAT', 'national', 'National RASSO Programme');
  const force = await t.organisation('SOJP', 'police_force', 'States of Jersey Police');
  const person = (email: string, name: string, organisationId: string, role: Role) => t.person({ email, name, roles: [[organisationId, role]] });
  const nationalLead = await person('jo@nat.example', 'Jo Bradley', national, 'plan_lead');
  const forceLead = await person('elise@sojp.example', 'Elise Renouf', force, 'plan_lead');
  const nationalAdministrator = await person('alex@nat.example', 'Alex Morgan', national, 'administrator');
  const investigator = await person('sam@sojp.example', 'Sam Taylor', force, 'investigator');
  const now = t.clock.now();
  const [jnap, local] = await inTransaction(t.platform.db, async (tx) => [
    await writeShippedPlan(tx, shippedPlan('jnap-2021'), { ownerOrganisationId: national, nextReviewOn: NEXT_REVIEW, now }),
    await writeShippedPlan(tx, shippedPlan('jersey-2022-23'), { ownerOrganisationId: force, nextReviewOn: NEXT_REVIEW, now }),
  ]);
  return {
    plans: createPlansService(t.platform), national, force, nationalLead, forceLead, nationalAdministrator, investigator, jnap, local,
    actor: (p) => t.actor(p), context: (p) => t.auditContext(p),
  };
}

/** A test app with the plan world in it, its clock at `start`; the app is closed if building the world fails. */
export function planTestApp(engine: Engine, start = '2026-03-10T12:00:00Z'): Promise<{ t: TestApp; w: PlanWorld }> {
  return testAppWith(engine, (t) => {
    t.clock.set(start);
    return planWorld(t);
  });
}

/** API clients of the plan world: the investigator (who may only read), the force's lead with and without the plans.manage scope, and the national lead with it. */
export async function planApiClients(t: TestApp, w: PlanWorld): Promise<{ reader: ApiClient; lead: ApiClient; unscoped: ApiClient; nationalLead: ApiClient }> {
  return {
    reader: await apiClient(t, { person: w.investigator, organisationId: w.force }),
    lead: await apiClient(t, { person: w.forceLead, organisationId: w.force, scopes: ['plans.manage'] }),
    unscoped: await apiClient(t, { person: w.forceLead, organisationId: w.force }),
    nationalLead: await apiClient(t, { person: w.nationalLead, organisationId: w.national, scopes: ['plans.manage'] }),
  };
}
