// Access-matrix rows for the investigation part: its page and forms, and the
// case's deadlines page and API. Commands that only the police side records
// refuse the CPS side (403); supervisory reviews are for supervisors only.
import type { MatrixRow, Persona } from '../support/access-matrix.ts';
import { caseOf, caseReaders, caseRoute } from '../support/case-matrix.ts';

const police: readonly Persona[] = ['investigator@police_force', 'police_supervisor@police_force', 'escalation_lead@police_force'];
const policeSupervisors: readonly Persona[] = ['police_supervisor@police_force', 'escalation_lead@police_force'];
const notSupervisors = caseReaders.filter((p) => !policeSupervisors.includes(p));
const NO_DEADLINE = '0190d000-0000-7000-8000-00000000dead';
const deadlineParams = { params: { caseId: caseOf, deadlineId: () => NO_DEADLINE } };

/** A police-only form post: police get `policeStatus` for an empty form, the CPS side 403. */
const policeOnly = (route: string, policeStatus: number): MatrixRow[] => caseRoute(route, policeStatus, {}, police);

export const rows: readonly MatrixRow[] = [
  ...caseRoute('GET /cases/:caseId/investigation', 200),
  ...['reviews/start', 'reviews/new', 'bail/new', 'bail/extend', 'rui/new', 'rui/review', 'arrest', 'interview', 'victim'].flatMap((form) => caseRoute(`GET /cases/:caseId/investigation/${form}`, 200)),
  // No version sent: the start is a conflict for the police, refused for the CPS.
  ...policeOnly('POST /cases/:caseId/investigation/reviews/start', 409),
  ...caseRoute('POST /cases/:caseId/investigation/reviews/new', 400, {}, policeSupervisors).map((row) => (row.expect === 403 ? { ...row, as: notSupervisors } : row)),
  ...['bail/new', 'bail/extend', 'rui/new', 'rui/review', 'arrest', 'interview'].flatMap((form) => policeOnly(`POST /cases/:caseId/investigation/${form}`, 400)),
  ...caseRoute('POST /cases/:caseId/investigation/victim', 400),
  ...caseRoute('GET /cases/:caseId/deadlines', 200),
  ...caseRoute('POST /cases/:caseId/deadlines/pause', 400),
  ...caseRoute('POST /cases/:caseId/deadlines/resume', 400),
  ...caseRoute('GET /api/v1/cases/:caseId/deadlines', 200),
  ...caseRoute('GET /api/v1/cases/:caseId/investigation', 200),
  // A deadline that is not the case's: the team gets as far as validation; strangers never learn the case exists.
  ...caseRoute('POST /api/v1/cases/:caseId/deadlines/:deadlineId/pause', 400, { ...deadlineParams, json: { reason: 'Matrix pause' } }),
  ...caseRoute('POST /api/v1/cases/:caseId/deadlines/:deadlineId/resume', 400, deadlineParams),
];
