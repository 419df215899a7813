// Access-matrix rows for "Time with each party": those who may see the case.
import type { MatrixRow } from '../support/access-matrix.ts';
import { caseRoute } from '../support/case-matrix.ts';

export const rows: readonly MatrixRow[] = [
  ...caseRoute('GET /cases/:caseId/time-with-parties', 200),
  ...caseRoute('GET /api/v1/cases/:caseId/attribution', 200),
];
