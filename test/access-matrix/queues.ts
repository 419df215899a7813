// Access-matrix rows for the work queues: every signed-in person has their own
// queues (empty for those who work no cases); the unit view is for police
// supervisors, escalation leads, DCPs and heads of RASSO unit only.
import type { MatrixRow, Persona } from '../support/access-matrix.ts';
import { personas } from '../support/access-matrix.ts';
import { casePersonas } from '../support/case-matrix.ts';

const unitViewers: readonly Persona[] = ['police_supervisor@police_force', 'escalation_lead@police_force', 'dcp@cps_area', 'head_of_rasso@cps_area'];

export const rows: readonly MatrixRow[] = [
  ...['awaiting-response', 'due-soon', 'overdue', 'escalated'].flatMap((queue) => [
    ...casePersonas(`GET /cases/queues/${queue}`, 200, personas),
    ...casePersonas(`GET /api/v1/queues/${queue}`, 200, personas),
  ]),
  ...casePersonas('GET /cases/queues/unit', 200, unitViewers),
  ...casePersonas('GET /api/v1/queues/unit', 200, unitViewers),
  { route: 'GET /api/v1/queues/awaiting-response', as: ['investigator@police_force'], via: 'token', expect: 200 },
];
