// Access-matrix rows for conferences: either side of the case team and its supervisors record; strangers are told nothing.
import { newId } from '../../src/platform/db/ids.ts';
import type { MatrixRow, MatrixWorld, OrganisationFixture } from '../support/access-matrix.ts';
import type { TestApp } from '../support/app.ts';
import { caseRoute } from '../support/case-matrix.ts';

// An action agreed at a conference on each matrix case, for the routes that name one.
const actions = new Map<string, string>();
const actionOf = (organisation: OrganisationFixture) => actions.get(organisation.id) ?? 'no-action-made';

export async function prepare(t: TestApp, world: MatrixWorld, cases: { home: string; other: string }): Promise<void> {
  const now = t.clock.now().toISOString();
  for (const [side, caseId] of [[world.home, cases.home], [world.other, cases.other]] as const) {
    const conferenceId = newId();
    const actionId = newId();
    await t.database.db.insertInto('case_conferences').values({ id: conferenceId, case_id: caseId, kind: 'case_management_panel', held_on: '2025-01-10', decisions: 'Matrix decisions', recorded_by: side.police_force.colleague.id, recorded_at: now }).execute();
    await t.database.db.insertInto('case_conference_actions').values({ id: actionId, conference_id: conferenceId, case_id: caseId, description: 'Matrix action', owner_side: 'police', due_on: '2025-02-10', position: 0, done_at: null, done_by: null }).execute();
    for (const organisation of Object.values(side)) actions.set(organisation.id, actionId);
  }
}

export const rows: MatrixRow[] = [
  ...caseRoute('GET /cases/:caseId/conferences', 200),
  ...caseRoute('GET /cases/:caseId/conferences/new', 200),
  ...caseRoute('POST /cases/:caseId/conferences/new', 400, { form: { kind: 'early_case_planning' } }),
  // A form read before someone else's change: those who may mark it done get as far as the conflict.
  ...caseRoute('POST /cases/:caseId/conferences/actions/:actionId/done', 409, { params: { actionId: actionOf }, form: { version: '999999' } }),
  ...caseRoute('GET /api/v1/cases/:caseId/conferences', 200),
  ...caseRoute('POST /api/v1/cases/:caseId/conferences', 400, { json: { kind: 'early_case_planning', heldOn: '2025-01-10', teamAttendees: [newId()], decisions: 'Matrix' } }),
  ...caseRoute('POST /api/v1/cases/:caseId/conference-actions/:actionId/done', 412, { params: { actionId: actionOf }, headers: { 'if-match': '"999999"' } }),
];
