// Access-matrix rows for the court part: everyone who may see the case sees
// it at court; only the CPS side's prosecutors and DCPs among them record
// (the matrix case is at Investigation, so they get as far as the stage rule, 400).
import { newId } from '../../src/platform/db/ids.ts';
import type { MatrixRow, Persona } from '../support/access-matrix.ts';
import { caseRoute } from '../support/case-matrix.ts';

const recorders: readonly Persona[] = ['prosecutor@cps_area', 'dcp@cps_area'];
const forms = ['first-hearing', 'hearing', 'held', 'adjourn', 'crown-court', 'court-case-number', 'outcome', 'sentence'];
const hearing = { hearingId: () => newId() };

export const rows: MatrixRow[] = [
  ...caseRoute('GET /cases/:caseId/court', 200),
  ...forms.flatMap((form) => [
    ...caseRoute(`GET /cases/:caseId/court/${form}`, 200, {}, recorders),
    ...caseRoute(`POST /cases/:caseId/court/${form}`, 400, { form: { version: '1' } }, recorders),
  ]),
  ...caseRoute('GET /api/v1/cases/:caseId/court', 200),
  ...caseRoute('POST /api/v1/cases/:caseId/court/first-hearing', 400, { json: { heldOn: '2025-01-10' } }, recorders),
  ...caseRoute('POST /api/v1/cases/:caseId/court/hearings', 400, { json: { kind: 'trial', court: 'crown', listedOn: '2025-09-10' } }, recorders),
  ...caseRoute('POST /api/v1/cases/:caseId/court/hearings/:hearingId/held', 400, { params: hearing, json: { heldOn: '2025-01-10' } }, recorders),
  ...caseRoute('POST /api/v1/cases/:caseId/court/hearings/:hearingId/adjournment', 400, { params: hearing, json: { reasonCode: 'other', requestedBy: 'court' } }, recorders),
  ...caseRoute('POST /api/v1/cases/:caseId/court/crown-court', 400, { json: { sentOn: '2025-01-10' } }, recorders),
  ...caseRoute('PUT /api/v1/cases/:caseId/court/case-number', 400, { json: { courtCaseNumber: 'T20250001' } }, recorders),
  ...caseRoute('POST /api/v1/cases/:caseId/court/outcomes', 400, { json: { suspectId: newId(), outcome: 'convicted', outcomeOn: '2025-01-10' } }, recorders),
  ...caseRoute('POST /api/v1/cases/:caseId/court/sentences', 400, { json: { suspectId: newId(), sentenceType: 'fine', sentencedOn: '2025-01-10' } }, recorders),
];
