// Access-matrix rows for the victims' records shared by every part: the
// Victims section of a case, a victim's overview, and an ISVA's clients. The
// home ISVA supports the matrix victim, so sees these; other ISVAs, analysts
// and everyone outside the case are told the case does not exist.
import { casePersonas, caseRoute } from '../support/case-matrix.ts';
import { personas } from '../support/access-matrix.ts';
import type { MatrixRow } from '../support/access-matrix.ts';
import { prepareVictims, victimReaders, victimRoute } from '../support/victim-matrix.ts';

export const prepare = prepareVictims;

export const rows: MatrixRow[] = [
  ...caseRoute('GET /cases/:caseId/victims', 200, {}, victimReaders),
  ...victimRoute('GET /cases/:caseId/victims/:victimId', 200),
  ...caseRoute('GET /api/v1/cases/:caseId/victims', 200, {}, victimReaders),
  ...victimRoute('GET /api/v1/cases/:caseId/victims/:victimId', 200),
  // Everyone may ask for their clients; only an ISVA has any.
  ...casePersonas('GET /victims', 200, personas),
  ...casePersonas('GET /api/v1/victims', 200, personas),
];
