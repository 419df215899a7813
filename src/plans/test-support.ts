// For plan tests: a national organisation and a police force, each with a
// plan lead, people who may only read, and the shipped plans written into
// them (the JNAP owned nationally, Jersey's plan owned by the force).
import { testApp } from '../../test/support/app.ts';
import type { TestApp, TestPerson } from '../../test/support/app.ts';
import type { Actor } from '../platform/access/policy.ts';
import type { Role } from '../platform/access/roles.ts';
import type { AuditContext } from '../platform/audit/model.ts';
import type { Engine } from '../platform/db/database.ts';
import type { OrganisationKind } from '../platform/db/tables.ts';
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
  const organisations = new Map<string, { name: string; kind: OrganisationKind; code: string }>([
    [national, { name: 'National RASSO Programme', kind: 'national', code: 'NAT' }],
    [force, { name: 'States of Jersey Police', kind: 'police_force', code: 'SOJP' }],
  ]);
  const homes = new Map<string, { organisationId: string; roles: Role[]; name: string }>();
  const person = async (email: string, name: string, organisationId: string, role: Role) => {
    const made = await t.person({ email, name, roles: [[organisationId, role]] });
    homes.set(made.id, { organisationId, roles: [role], name });
    return made;
  };
  const nationalLead = await person('jo@nat.example', 'Jo Bradley', national, 'plan_lead');
  const forceLead = await person('elise@sojp.example', 'Elise Renouf', force, 'plan_lead');
  const nationalAdministrator = await person('alex@nat.example', 'Alex Morgan', national, 'administrator');
  const investigator = await person('sam@sojp.example', 'Sam Taylor', force, 'investigator');
  const now = t.clock.now();
  const [jnap, local] = await inTransaction(t.platform.db, async (tx) => [
    await writeShippedPlan(tx, shippedPlan('jnap-2021'), { ownerOrganisationId: national, nextReviewOn: NEXT_REVIEW, now }),
    await writeShippedPlan(tx, shippedPlan('jersey-2022-23'), { ownerOrganisationId: force, nextReviewOn: NEXT_REVIEW, now }),
  ]);
  const actor = (p: TestPerson): Actor => {
    const home = homes.get(p.id)!;
    const organisation = organisations.get(home.organisationId)!;
    const membership = { organisationId: home.organisationId, organisationCode: organisation.code, organisationName: organisation.name, organisationKind: organisation.kind, roles: home.roles };
    return { userId: p.id, displayName: home.name, email: p.email, organisation: membership, memberships: [membership], via: 'session', scopes: undefined };
  };
  const context = (p: TestPerson): AuditContext => {
    const home = homes.get(p.id)!;
    return { userId: p.id, organisationId: home.organisationId, role: home.roles[0]!, requestId: null, written: { count: 0 } };
  };
  return { plans: createPlansService(t.platform), national, force, nationalLead, forceLead, nationalAdministrator, investigator, jnap, local, actor, context };
}

/** A test app with the plan world in it, its clock at `start`; the app is closed if building the world fails. */
export async function planTestApp(engine: Engine, start = '2026-03-10T12:00:00Z'): Promise<{ t: TestApp; w: PlanWorld }> {
  const t = await testApp(engine);
  t.clock.set(start);
  try {
    return { t, w: await planWorld(t) };
  } catch (error) {
    await t.close();
    throw error;
  }
}
