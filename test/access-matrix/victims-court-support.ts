// Access-matrix rows for a victim's court support. The police and the CPS
// who may see the case read it; the CPS side records it (prosecutor and DCP
// among the matrix's case readers); other readers are refused (403); the
// victim's ISVA, like any stranger, is told it does not exist (404). Allowed
// recorders get as far as the command: without the case's version it is a
// conflict (409 on a page, 428 in the API); a decision on an application
// that does not exist is not found.
import { caseReaders } from '../support/case-matrix.ts';
import type { MatrixRow, Persona } from '../support/access-matrix.ts';
import { prepareVictims, victimRoute } from '../support/victim-matrix.ts';

export const prepare = prepareVictims;

const recorders: readonly Persona[] = ['prosecutor@cps_area', 'dcp@cps_area'];
const noApplication = { applicationId: () => '01900000-0000-7000-8000-000000000000' };
const base = '/cases/:caseId/victims/:victimId/court-support';
const api = '/api/v1/cases/:caseId/victims/:victimId/court-support';

export const rows: MatrixRow[] = [
  ...victimRoute(`GET ${base}`, 200, {}, caseReaders),
  ...victimRoute(`GET ${base}/applications/new`, 200, {}, recorders),
  ...victimRoute(`POST ${base}/applications/new`, 400, {}, recorders),
  ...victimRoute(`GET ${base}/applications/:applicationId/decision`, 404, { params: noApplication }, recorders),
  ...victimRoute(`POST ${base}/applications/:applicationId/decision`, 404, { params: noApplication }, recorders),
  ...victimRoute(`GET ${base}/pre-trial-meeting`, 200, {}, recorders),
  ...victimRoute(`POST ${base}/pre-trial-meeting`, 409, {}, recorders),
  ...victimRoute(`GET ${api}`, 200, {}, caseReaders),
  ...victimRoute(`POST ${api}/applications`, 428, { json: { measure: 'screens', appliedOn: '2025-02-01', appliedBy: 'Daniel Okafor', victimView: 'She wants screens.' } }, recorders),
  ...victimRoute(`POST ${api}/applications/:applicationId/decision`, 404, { params: noApplication, json: { outcome: 'granted', decidedOn: '2025-02-03' } }, recorders),
  ...victimRoute(`POST ${api}/pre-trial-meeting`, 428, { json: { on: '2025-02-01' } }, recorders),
];
