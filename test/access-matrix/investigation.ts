// Access-matrix rows for the investigation part: its page and forms, and the
// case's deadlines page and API. Commands that only the police side records
// refuse the CPS side (403); supervisory reviews are for supervisors only.
//
// Like the other parts' rows, these do not import test/support/case-matrix.ts
// (it imports this folder with a top-level await, so importing it back never
// finishes loading): the helpers are restated here, for the investigation,
// attribution and queue rows, with the matrix cases learnt in `prepare`.
import { notSignedIn, personas } from '../support/access-matrix.ts';
import type { MatrixRow, MatrixWorld, OrganisationFixture, Persona } from '../support/access-matrix.ts';
import type { TestApp } from '../support/app.ts';

const matrixCases = new Map<string, string>();
export const caseOf = (organisation: OrganisationFixture) => matrixCases.get(organisation.id) ?? 'no-case-made';

export async function prepare(_t: TestApp, world: MatrixWorld, cases: { home: string; other: string }): Promise<void> {
  for (const organisation of Object.values(world.home)) matrixCases.set(organisation.id, cases.home);
  for (const organisation of Object.values(world.other)) matrixCases.set(organisation.id, cases.other);
}

export const caseReaders: readonly Persona[] = ['investigator@police_force', 'prosecutor@cps_area', 'police_supervisor@police_force', 'escalation_lead@police_force', 'dcp@cps_area', 'head_of_rasso@cps_area'];
const caseStrangers = personas.filter((persona) => !caseReaders.includes(persona));

/** A route about one case: `allowed` for `users`, 403 for other readers, 404 for everyone else and every other case. */
export function caseRoute(route: string, allowed: number, extra: Partial<MatrixRow> = {}, users: readonly Persona[] = caseReaders): MatrixRow[] {
  const api = route.includes(' /api/');
  const params = { caseId: caseOf, ...extra.params };
  return [
    { route, as: users, expect: allowed, ...extra, params },
    ...(users.length === caseReaders.length ? [] : [{ route, as: caseReaders.filter((persona) => !users.includes(persona)), expect: 403, ...extra, params }]),
    { route, as: caseStrangers, expect: 404, ...extra, params },
    { route, as: personas, relationship: 'other organisation' as const, expect: 404, ...extra, params },
    { route, as: 'investigator@police_force', relationship: 'missing' as const, expect: 404, ...extra, params },
    api ? { route, as: notSignedIn, expect: 401, ...extra, params } : { route, as: notSignedIn, expect: 303, location: '/sign-in', ...extra, params },
  ];
}

/** A route for some personas only, about no case in particular. */
export function personasRoute(route: string, allowed: number, users: readonly Persona[], extra: Partial<MatrixRow> = {}): MatrixRow[] {
  const api = route.includes(' /api/');
  return [
    { route, as: users, expect: allowed, ...extra },
    ...(users.length === personas.length ? [] : [{ route, as: personas.filter((persona) => !users.includes(persona)), expect: 403, ...extra }]),
    api ? { route, as: notSignedIn, expect: 401, ...extra } : { route, as: notSignedIn, expect: 303, location: '/sign-in', ...extra },
  ];
}

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
