// Access-matrix rows for a victim's digital devices and third-party material.
// Only case readers whose role needs them (the matrix's team: investigator and
// prosecutor; and the supervisors) may use these routes; the ISVA who
// supports the victim and everyone outside the case are told they do not
// exist (VLOs and paralegals are not on the matrix team, so they are
// strangers here: 404; on a team they are refused with 403, proved in the
// part's own tests). Nobody in the matrix holds a reveal: pages show the
// reveal form (200), a reveal without a reason is a validation error (400),
// and every API read and every change is refused until a reveal is recorded (403).
import type { MatrixRow } from '../support/access-matrix.ts';
import { caseReaders } from '../support/case-matrix.ts';
import { prepareVictims, victimRoute } from '../support/victim-matrix.ts';

export const prepare = prepareVictims;

const NO_ID = '0190d000-0000-7000-8000-000000000001';
const route = (path: string, allowed: number, extra: Partial<MatrixRow> = {}) =>
  victimRoute(path, allowed, { ...extra, params: { deviceId: () => NO_ID, requestId: () => NO_ID, ...extra.params } }, caseReaders);

export const rows: MatrixRow[] = [
  ...route('GET /cases/:caseId/victims/:victimId/devices', 200),
  ...route('POST /cases/:caseId/victims/:victimId/devices/reveal', 400),
  ...route('GET /cases/:caseId/victims/:victimId/devices/new', 200),
  ...route('POST /cases/:caseId/victims/:victimId/devices/new', 403),
  ...route('GET /cases/:caseId/victims/:victimId/devices/:deviceId/extraction', 200),
  ...route('POST /cases/:caseId/victims/:victimId/devices/:deviceId/extraction', 403),
  ...route('GET /cases/:caseId/victims/:victimId/devices/:deviceId/return', 200),
  ...route('POST /cases/:caseId/victims/:victimId/devices/:deviceId/return', 403),
  ...route('GET /cases/:caseId/victims/:victimId/third-party-material', 200),
  ...route('POST /cases/:caseId/victims/:victimId/third-party-material/reveal', 400),
  ...route('GET /cases/:caseId/victims/:victimId/third-party-material/new', 200),
  ...route('POST /cases/:caseId/victims/:victimId/third-party-material/new', 403),
  ...route('GET /cases/:caseId/victims/:victimId/third-party-material/:requestId/outcome', 200),
  ...route('POST /cases/:caseId/victims/:victimId/third-party-material/:requestId/outcome', 403),
  ...route('POST /api/v1/cases/:caseId/victims/:victimId/sensitive-material/reveals', 400, { json: { compartment: 'devices', category: 'other', reason: 'short' } }),
  ...route('GET /api/v1/cases/:caseId/victims/:victimId/sensitive-material/devices', 403),
  ...route('POST /api/v1/cases/:caseId/victims/:victimId/sensitive-material/devices', 403, { json: { deviceType: 'phone', description: 'Matrix phone', ownerRole: 'victim', lineOfEnquiry: 'Matrix line', power: 'pace_s19' } }),
  ...route('POST /api/v1/cases/:caseId/victims/:victimId/sensitive-material/devices/:deviceId/extraction', 403, { json: { on: '2025-02-01' }, headers: { 'if-match': '"1"' } }),
  ...route('POST /api/v1/cases/:caseId/victims/:victimId/sensitive-material/devices/:deviceId/return', 403, { json: { on: '2025-02-01' }, headers: { 'if-match': '"1"' } }),
  ...route('GET /api/v1/cases/:caseId/victims/:victimId/sensitive-material/third-party-material', 403),
  ...route('POST /api/v1/cases/:caseId/victims/:victimId/sensitive-material/third-party-material', 403, { json: { holder: 'medical', rationale: 'Matrix rationale', atEarlyAdvice: false } }),
  ...route('POST /api/v1/cases/:caseId/victims/:victimId/sensitive-material/third-party-material/:requestId/outcome', 403, { json: { outcome: 'not_pursued', on: '2025-02-01' }, headers: { 'if-match': '"1"' } }),
];
