// Access-matrix rows for charging referrals and CPS decisions. The matrix
// case is at Investigation: the section is for everyone who may see the case;
// referring is for police investigators and supervisors, triage and decisions
// for prosecutors and DCPs; anyone else who may see the case is refused (403)
// and strangers are told it does not exist (404). Allowed users get as far as
// the command: a form or request without the case's version is a conflict
// (409 on a page, 428 in the API without If-Match), and a command the case's
// stage does not allow is a validation error (400).
import { caseRoute } from '../support/case-matrix.ts';
import type { MatrixRow, Persona } from '../support/access-matrix.ts';

const referrers: readonly Persona[] = ['investigator@police_force', 'police_supervisor@police_force'];
const triagers: readonly Persona[] = ['prosecutor@cps_area', 'dcp@cps_area'];
const deciders: readonly Persona[] = ['prosecutor@cps_area', 'dcp@cps_area'];
const someone = '0190d000-0000-7000-8000-000000000000';

export const rows: MatrixRow[] = [
  ...caseRoute('GET /cases/:caseId/charging', 200),
  ...caseRoute('GET /cases/:caseId/charging/referral', 200, {}, referrers),
  ...caseRoute('POST /cases/:caseId/charging/referral', 409, {}, referrers),
  ...caseRoute('GET /cases/:caseId/charging/triage', 200, {}, triagers),
  ...caseRoute('POST /cases/:caseId/charging/triage', 409, {}, triagers),
  ...caseRoute('GET /cases/:caseId/charging/decision', 200, {}, deciders),
  ...caseRoute('POST /cases/:caseId/charging/decision', 409, {}, deciders),
  ...caseRoute('GET /cases/:caseId/charging/finalise', 200, {}, deciders),
  ...caseRoute('POST /cases/:caseId/charging/finalise', 400, {}, deciders),
  ...caseRoute('GET /cases/:caseId/charging/reopen', 200, {}, deciders),
  ...caseRoute('POST /cases/:caseId/charging/reopen', 400, {}, deciders),
  ...caseRoute('GET /api/v1/cases/:caseId/charging', 200),
  ...caseRoute('POST /api/v1/cases/:caseId/charging/referrals', 428, { json: { test: 'full_code', suspectIds: [someone] } }, referrers),
  ...caseRoute('POST /api/v1/cases/:caseId/charging/triage', 428, { json: { items: ['mg3_complete'], result: 'accepted' } }, triagers),
  ...caseRoute('POST /api/v1/cases/:caseId/charging/decisions', 428, { json: { suspectId: someone, decision: 'nfa_evidential', reasons: 'Insufficient evidence' } }, deciders),
  ...caseRoute('POST /api/v1/cases/:caseId/charging/administrative-finalisation', 400, { json: { reason: 'action_plan_unanswered', detail: 'No answer in 90 days' } }, deciders),
  ...caseRoute('POST /api/v1/cases/:caseId/charging/reopening', 400, { json: { reason: 'Right to review upheld' } }, deciders),
];
