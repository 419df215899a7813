// Access-matrix rows for early advice: the section and API for the case's
// readers; requesting and not requesting for the police side; accepting,
// rejecting and advising for the CPS side; appealing for police supervisors
// and escalation leads; deciding an appeal for DCPs and heads of RASSO.
// Strangers and the other organisations' people are told the case does not
// exist. The rows use cases of their own, at 'Early advice' with a request
// waiting, so the shared matrix cases stay at 'Investigation'.
import { systemContext } from '../../src/platform/audit/model.ts';
import { createEarlyAdviceService } from '../../src/cases/early-advice/service.ts';
import type { Actor } from '../../src/platform/access/policy.ts';
import { caseReaders, caseRoute, makeSideCases } from '../support/case-matrix.ts';
import type { MatrixRow, MatrixWorld, OrganisationFixture, Persona } from '../support/access-matrix.ts';
import type { TestApp } from '../support/app.ts';

const police: readonly Persona[] = ['investigator@police_force', 'police_supervisor@police_force', 'escalation_lead@police_force'];
const appellants: readonly Persona[] = ['police_supervisor@police_force', 'escalation_lead@police_force'];
const prosecutors: readonly Persona[] = ['prosecutor@cps_area', 'dcp@cps_area', 'head_of_rasso@cps_area'];
const appealDeciders: readonly Persona[] = ['dcp@cps_area', 'head_of_rasso@cps_area'];

const requests = new Map<string, { caseId: string; requestId: string }>();
const caseOf = (organisation: OrganisationFixture) => requests.get(organisation.id)?.caseId ?? 'no-case-made';
const requestOf = (organisation: OrganisationFixture) => requests.get(organisation.id)?.requestId ?? 'no-request-made';

const route = (path: string, allowed: number, users: readonly Persona[], extra: Partial<MatrixRow> = {}): MatrixRow[] =>
  caseRoute(path, allowed, extra, users).map((row) => ({ ...row, params: { ...row.params, caseId: caseOf, requestId: requestOf } }));

const contents = { summary: 'x', enquiriesDone: 'x', enquiriesOngoing: 'x', enquiriesPlanned: 'x', issues: 'x', questions: 'x', keyMaterial: 'x', disclosableMaterial: 'x' };
const ifMatch = { 'if-match': '"1"' };

export const rows: MatrixRow[] = [
  ...route('GET /cases/:caseId/early-advice', 200, caseReaders),
  ...route('GET /cases/:caseId/early-advice/request', 200, police),
  // The case is at 'Early advice' already: the police get as far as validation.
  ...route('POST /cases/:caseId/early-advice/request', 400, police),
  ...route('GET /cases/:caseId/early-advice/not-requested', 200, police),
  ...route('POST /cases/:caseId/early-advice/not-requested', 400, police),
  ...route('GET /cases/:caseId/early-advice/:requestId/decision', 200, prosecutors),
  ...route('POST /cases/:caseId/early-advice/:requestId/decision', 400, prosecutors),
  ...route('GET /cases/:caseId/early-advice/:requestId/appeal', 200, appellants),
  ...route('POST /cases/:caseId/early-advice/:requestId/appeal', 400, appellants),
  ...route('GET /cases/:caseId/early-advice/:requestId/appeal-decision', 200, appealDeciders),
  ...route('POST /cases/:caseId/early-advice/:requestId/appeal-decision', 400, appealDeciders),
  ...route('GET /cases/:caseId/early-advice/:requestId/advice', 200, prosecutors),
  ...route('POST /cases/:caseId/early-advice/:requestId/advice', 400, prosecutors),
  ...route('GET /api/v1/cases/:caseId/early-advice', 200, caseReaders),
  ...route('POST /api/v1/cases/:caseId/early-advice/requests', 400, police, { json: { contents } }),
  ...route('POST /api/v1/cases/:caseId/early-advice/not-requested', 201, police, { json: { reason: 'no_suspect', detail: 'Matrix reason' } }),
  ...route('POST /api/v1/cases/:caseId/early-advice/:requestId/decision', 400, prosecutors, { json: { decision: 'reject' }, headers: ifMatch }),
  ...route('POST /api/v1/cases/:caseId/early-advice/:requestId/appeal', 400, appellants, { json: { rank: 'sergeant', grounds: 'Matrix grounds' }, headers: ifMatch }),
  ...route('POST /api/v1/cases/:caseId/early-advice/:requestId/appeal-decision', 400, appealDeciders, { json: { upheld: false, note: 'Matrix note' }, headers: ifMatch }),
  ...route('POST /api/v1/cases/:caseId/early-advice/:requestId/advice', 400, prosecutors, { json: { advice: 'Matrix advice', items: [{ description: 'Late', owner: 'police', dueOn: '2000-01-01' }] }, headers: ifMatch }),
];

/** A case of each pair at 'Investigation', on which its officer requests early advice. */
export async function prepare(t: TestApp, world: MatrixWorld): Promise<void> {
  const advice = createEarlyAdviceService(t.platform);
  for (const { side, caseId, oicId } of await makeSideCases(t, world, 'MATRIX/EA', ['investigation'])) {
    const actor: Actor = {
      userId: oicId, displayName: 'Matrix officer', email: 'matrix@police.example', via: 'session', scopes: undefined,
      organisation: { organisationId: side.police_force.id, organisationCode: 'M', organisationName: 'Matrix Force', organisationKind: 'police_force', roles: ['investigator'] },
      memberships: [],
    };
    const context = { ...systemContext(), userId: oicId, organisationId: side.police_force.id };
    const made = await advice.request(actor, context, caseId, { urn: '', ...contents }, await advice.currentVersion(actor, context, caseId));
    for (const organisation of Object.values(side)) requests.set(organisation.id, { caseId, requestId: made.id });
  }
}
