// Access-matrix rows for the victim's rights: the Victims' Code ledger and the
// right-to-review requests. They are the case team's, never the ISVA's: the
// home ISVA, who supports the matrix victim, is told they do not exist, like
// any stranger. Recording proof of delivery is for the case's police and CPS
// workers; requests are recorded by the scheme's own side (the matrix case is
// at Investigation, so an allowed request is refused as a bad stage, 400 in
// the API). Allowed users of a form get as far as the command: without the
// case's version it is a conflict (409 on a page, 428 in the API).
import { caseReaders } from '../support/case-matrix.ts';
import type { MatrixRow, Persona } from '../support/access-matrix.ts';
import { prepareVictims, victimRoute } from '../support/victim-matrix.ts';

export const prepare = prepareVictims;

const deliveryRecorders: readonly Persona[] = ['investigator@police_force', 'prosecutor@cps_area', 'police_supervisor@police_force', 'dcp@cps_area', 'head_of_rasso@cps_area'];
const requestRecorders: readonly Persona[] = ['investigator@police_force', 'prosecutor@cps_area', 'police_supervisor@police_force', 'escalation_lead@police_force', 'dcp@cps_area', 'head_of_rasso@cps_area'];
const notIsva = caseReaders;
// The steps of a request name one: none exists in the matrix, so it is not found for everyone.
const NO_REQUEST = '0190d000-0000-7000-8000-000000000002';
const step = (route: string, extra: Partial<MatrixRow> = {}) => victimRoute(route, 404, { ...extra, params: { requestId: () => NO_REQUEST } }, notIsva);

export const rows: MatrixRow[] = [
  ...victimRoute('GET /cases/:caseId/victims/:victimId/rights', 200, {}, notIsva),
  ...victimRoute('GET /cases/:caseId/victims/:victimId/rights/review', 200, {}, notIsva),
  ...victimRoute('GET /cases/:caseId/victims/:victimId/rights/delivery', 200, {}, deliveryRecorders),
  ...victimRoute('POST /cases/:caseId/victims/:victimId/rights/delivery', 409, {}, deliveryRecorders),
  ...victimRoute('GET /cases/:caseId/victims/:victimId/rights/review/new', 200, {}, requestRecorders),
  ...victimRoute('POST /cases/:caseId/victims/:victimId/rights/review/new', 409, {}, requestRecorders),
  ...victimRoute('GET /api/v1/cases/:caseId/victims/:victimId/rights', 200, {}, notIsva),
  ...victimRoute('POST /api/v1/cases/:caseId/victims/:victimId/rights/deliveries', 428, { json: { entitlement: 'charge', deliveredOn: '2025-03-01', method: 'phone', reference: 'Told by the officer in the case' } }, deliveryRecorders),
  ...victimRoute('POST /api/v1/cases/:caseId/victims/:victimId/rights/reviews', 428, { json: { scheme: 'police', toldOn: '2025-03-01', receivedOn: '2025-03-02' } }, requestRecorders),
  ...['acknowledge', 'escalate', 'decide'].flatMap((name) => [
    ...step(`GET /cases/:caseId/victims/:victimId/rights/review/:requestId/${name}`),
    ...step(`POST /cases/:caseId/victims/:victimId/rights/review/:requestId/${name}`),
  ]),
  ...step('POST /api/v1/cases/:caseId/victims/:victimId/rights/reviews/:requestId/acknowledgement', { json: { acknowledgedOn: '2025-03-01' } }),
  ...step('POST /api/v1/cases/:caseId/victims/:victimId/rights/reviews/:requestId/escalation', { json: { escalatedOn: '2025-03-01' } }),
  ...step('POST /api/v1/cases/:caseId/victims/:victimId/rights/reviews/:requestId/decision', { json: { outcome: 'upheld', decidedOn: '2025-03-01', reasons: 'Decision stands.' } }),
];
