// Access-matrix rows for action plans: the plans page and API for the case's
// readers; issuing and reviewing for the CPS side; responding to a police
// item for the police side; a DCP's review for DCPs only. Strangers and the
// other organisations' people are told the case does not exist.
// The rows use cases of their own (at 'Action plan', each with a plan), so
// the shared matrix cases stay at 'Investigation' for the other parts.
import { systemContext } from '../../src/platform/audit/model.ts';
import { createActionPlansService } from '../../src/cases/action-plans/service.ts';
import type { Actor } from '../../src/platform/access/policy.ts';
import { caseReaders, caseRoute, makeSideCases } from '../support/case-matrix.ts';
import type { MatrixRow, MatrixWorld, OrganisationFixture, Persona } from '../support/access-matrix.ts';
import type { TestApp } from '../support/app.ts';

const police: readonly Persona[] = ['investigator@police_force', 'police_supervisor@police_force', 'escalation_lead@police_force'];
const prosecutors: readonly Persona[] = ['prosecutor@cps_area', 'dcp@cps_area', 'head_of_rasso@cps_area'];
const dcps: readonly Persona[] = ['dcp@cps_area'];

/** Each organisation's plan case, with its plan and item. */
const plans = new Map<string, { caseId: string; planId: string; itemId: string }>();
const caseOf = (organisation: OrganisationFixture) => plans.get(organisation.id)?.caseId ?? 'no-case-made';
const planOf = (organisation: OrganisationFixture) => plans.get(organisation.id)?.planId ?? 'no-plan-made';
const itemOf = (organisation: OrganisationFixture) => plans.get(organisation.id)?.itemId ?? 'no-item-made';

const route = (path: string, allowed: number, users: readonly Persona[], extra: Partial<MatrixRow> = {}): MatrixRow[] =>
  caseRoute(path, allowed, extra, users).map((row) => ({ ...row, params: { ...row.params, caseId: caseOf, planId: planOf, itemId: itemOf } }));

export const rows: MatrixRow[] = [
  ...route('GET /cases/:caseId/action-plans', 200, caseReaders),
  ...route('GET /cases/:caseId/action-plans/new', 200, prosecutors),
  // The matrix case is at 'Action plan', not 'Charging referral': the prosecutor side gets as far as validation.
  ...route('POST /cases/:caseId/action-plans/new', 400, prosecutors),
  ...route('GET /cases/:caseId/action-plans/:planId/items/:itemId/respond', 200, police),
  ...route('POST /cases/:caseId/action-plans/:planId/items/:itemId/respond', 400, police),
  ...route('GET /cases/:caseId/action-plans/:planId/items/:itemId/review', 200, prosecutors),
  ...route('POST /cases/:caseId/action-plans/:planId/items/:itemId/review', 400, prosecutors),
  ...route('GET /cases/:caseId/action-plans/:planId/dcp-review', 200, dcps),
  ...route('POST /cases/:caseId/action-plans/:planId/dcp-review', 400, dcps),
  ...route('GET /cases/:caseId/action-plans/:planId/reviews/new', 200, prosecutors),
  ...route('POST /cases/:caseId/action-plans/:planId/reviews/new', 400, prosecutors),
  ...route('GET /api/v1/cases/:caseId/action-plans', 200, caseReaders),
  ...route('POST /api/v1/cases/:caseId/action-plans', 400, prosecutors, { json: { items: [{ description: 'Matrix action', owner: 'police', dueOn: '2099-01-01' }] } }),
  ...route('POST /api/v1/cases/:caseId/action-plans/:planId/dcp-review', 400, dcps, { json: { decision: 'approve' }, headers: { 'if-match': '"1"' } }),
  ...route('POST /api/v1/cases/:caseId/action-plans/:planId/reviews', 400, prosecutors, { json: { day: 28, heldOn: '2020-01-01', note: 'Matrix review' }, headers: { 'if-match': '"1"' } }),
  ...route('POST /api/v1/cases/:caseId/action-plans/:planId/items/:itemId/response', 400, police, { json: { response: 'complete' }, headers: { 'if-match': '"1"' } }),
  ...route('POST /api/v1/cases/:caseId/action-plans/:planId/items/:itemId/review', 400, prosecutors, { json: { decision: 'accept' }, headers: { 'if-match': '"1"' } }),
];

/** A case of each pair at 'Charging referral', on which its prosecutor issues a plan with one police action. */
export async function prepare(t: TestApp, world: MatrixWorld): Promise<void> {
  const service = createActionPlansService(t.platform);
  for (const { side, caseId, prosecutorId } of await makeSideCases(t, world, 'MATRIX/PLAN', ['investigation', 'charging_referral'])) {
    const actor: Actor = {
      userId: prosecutorId, displayName: 'Matrix prosecutor', email: 'matrix@cps.example', via: 'session', scopes: undefined,
      organisation: { organisationId: side.cps_area.id, organisationCode: 'M', organisationName: 'Matrix Area', organisationKind: 'cps_area', roles: ['prosecutor'] },
      memberships: [],
    };
    const context = { ...systemContext(), userId: prosecutorId, organisationId: side.cps_area.id };
    const version = await service.currentVersion(actor, context, caseId);
    const made = await service.issueFromCharging(actor, context, caseId, { items: [{ description: 'Matrix action', owner: 'police', dueOn: { day: '1', month: '1', year: '2099' } }] }, version);
    const itemId = (await service.plans(actor, context, caseId)).plans[0]!.items[0]!.id;
    for (const organisation of Object.values(side)) plans.set(organisation.id, { caseId, planId: made.id, itemId });
  }
}
