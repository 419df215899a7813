// Access-matrix rows for police decisions of no further action. The matrix
// case is at Investigation: the section is for everyone who may see the case;
// proposing is for police investigators and supervisors, signing off for
// police supervisors; anyone else who may see the case is refused (403) and
// strangers are told it does not exist (404). Allowed users get as far as the
// command: without the case's version it is a conflict (409 on a page, 428 in
// the API without If-Match).
import { caseRoute } from '../support/case-matrix.ts';
import type { MatrixRow, Persona } from '../support/access-matrix.ts';

const proposers: readonly Persona[] = ['investigator@police_force', 'police_supervisor@police_force'];
const signers: readonly Persona[] = ['police_supervisor@police_force'];

export const rows: MatrixRow[] = [
  ...caseRoute('GET /cases/:caseId/police-nfa', 200),
  ...caseRoute('GET /cases/:caseId/police-nfa/proposal', 200, {}, proposers),
  ...caseRoute('POST /cases/:caseId/police-nfa/proposal', 409, {}, proposers),
  ...caseRoute('GET /cases/:caseId/police-nfa/sign-off', 200, {}, signers),
  ...caseRoute('POST /cases/:caseId/police-nfa/sign-off', 409, {}, signers),
  ...caseRoute('GET /api/v1/cases/:caseId/police-nfa', 200),
  ...caseRoute('POST /api/v1/cases/:caseId/police-nfa/proposals', 428, { json: { outcomeCode: 18, rationale: 'No suspect identified after all lines of enquiry.' } }, proposers),
  ...caseRoute('POST /api/v1/cases/:caseId/police-nfa/sign-off', 428, { json: { victimToldOn: '2025-02-01', victimToldMethod: 'letter', rightToReviewGiven: true } }, signers),
];
