// Access-matrix rows for the case's details: references, notes and the review
// of break-glass access.
import { newId } from '../../src/platform/db/ids.ts';
import type { MatrixRow, Persona } from '../support/access-matrix.ts';
import { casePersonas, caseRoute } from '../support/case-matrix.ts';

const reviewers: readonly Persona[] = ['police_supervisor@police_force', 'escalation_lead@police_force', 'dcp@cps_area', 'head_of_rasso@cps_area'];

export const rows: MatrixRow[] = [
  ...caseRoute('GET /cases/:caseId/details', 200),
  // A malformed URN: everyone who may change the case gets as far as validation.
  ...caseRoute('POST /cases/:caseId/details', 400, { form: { cpsUrn: 'not a urn', courtCaseNumber: '', version: '1' } }),
  ...caseRoute('GET /cases/:caseId/notes', 200),
  ...caseRoute('POST /cases/:caseId/notes', 400, { form: { kind: 'rumour', text: '' } }),
  ...casePersonas('GET /cases/break-glass/reviews', 200, reviewers),
  // A grant that does not exist: reviewers are told so, everyone else may not review at all.
  ...casePersonas('POST /cases/break-glass/reviews', 404, reviewers, { form: { grantId: newId(), outcome: 'appropriate' } }),
  ...caseRoute('PATCH /api/v1/cases/:caseId/details', 400, { json: { cpsUrn: 'not a urn' } }),
  ...caseRoute('GET /api/v1/cases/:caseId/notes', 200),
  ...caseRoute('POST /api/v1/cases/:caseId/notes', 201, { json: { kind: 'fact', text: 'Matrix note' } }),
];
