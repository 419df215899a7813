// Access-matrix rows for a victim's withdrawals of support. Everyone who may
// see the case reads them; police investigators and supervisors and CPS
// prosecutors (and VLOs, not among the matrix's readers) record them; other
// readers are refused (403); the victim's ISVA, like any stranger, is told
// they do not exist (404). Allowed recorders get as far as the command:
// without the case's version it is a conflict (409 on a page, 428 in the
// API); a re-engagement after a withdrawal that does not exist is not found.
import { caseReaders } from '../support/case-matrix.ts';
import type { MatrixRow, Persona } from '../support/access-matrix.ts';
import { prepareVictims, victimRoute } from '../support/victim-matrix.ts';

export const prepare = prepareVictims;

const recorders: readonly Persona[] = ['investigator@police_force', 'police_supervisor@police_force', 'prosecutor@cps_area'];
const noWithdrawal = { withdrawalId: () => '01900000-0000-7000-8000-000000000000' };
const base = '/cases/:caseId/victims/:victimId/withdrawal';
const api = '/api/v1/cases/:caseId/victims/:victimId/withdrawals';

export const rows: MatrixRow[] = [
  ...victimRoute(`GET ${base}`, 200, {}, caseReaders),
  ...victimRoute(`GET ${base}/new`, 200, {}, recorders),
  ...victimRoute(`POST ${base}/new`, 400, {}, recorders),
  ...victimRoute(`GET ${base}/:withdrawalId/re-engagement`, 404, { params: noWithdrawal }, recorders),
  ...victimRoute(`POST ${base}/:withdrawalId/re-engagement`, 404, { params: noWithdrawal }, recorders),
  ...victimRoute(`GET ${api}`, 200, {}, caseReaders),
  ...victimRoute(`POST ${api}`, 428, { json: { withdrawnOn: '2025-02-01', reason: 'wants_to_move_on', spokenToVictim: false, isvaInvolved: false } }, recorders),
  ...victimRoute(`POST ${api}/:withdrawalId/re-engagement`, 404, { params: noWithdrawal, json: { on: '2025-02-03', how: 'phone' } }, recorders),
];
