// Access-matrix rows for the case's details: references, notes and the review
// of break-glass access. Also the helpers the conferences and court rows use.
//
// These rows do not import test/support/case-matrix.ts: it imports this
// folder with a top-level await, so a part importing it back never finishes
// loading. The same rules are restated here, with the matrix cases learnt in
// `prepare`.
import { newId } from '../../src/platform/db/ids.ts';
import { notSignedIn, personas } from '../support/access-matrix.ts';
import type { MatrixRow, MatrixWorld, OrganisationFixture, Persona } from '../support/access-matrix.ts';
import type { TestApp } from '../support/app.ts';

const matrixCases = new Map<string, string>();
/** The matrix case an organisation points at (filled by `prepare`). */
export const caseOf = (organisation: OrganisationFixture) => matrixCases.get(organisation.id) ?? 'no-case-made';

export async function prepare(_t: TestApp, world: MatrixWorld, cases: { home: string; other: string }): Promise<void> {
  for (const organisation of Object.values(world.home)) matrixCases.set(organisation.id, cases.home);
  for (const organisation of Object.values(world.other)) matrixCases.set(organisation.id, cases.other);
}

export const caseTeam: readonly Persona[] = ['investigator@police_force', 'prosecutor@cps_area'];
export const caseSupervisors: readonly Persona[] = ['police_supervisor@police_force', 'escalation_lead@police_force', 'dcp@cps_area', 'head_of_rasso@cps_area'];
export const caseReaders: readonly Persona[] = [...caseTeam, ...caseSupervisors];
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
    { route, as: personas.filter((persona) => !users.includes(persona)), expect: 403, ...extra },
    api ? { route, as: notSignedIn, expect: 401, ...extra } : { route, as: notSignedIn, expect: 303, location: '/sign-in', ...extra },
  ];
}

const reviewers: readonly Persona[] = ['police_supervisor@police_force', 'escalation_lead@police_force', 'dcp@cps_area', 'head_of_rasso@cps_area'];

export const rows: MatrixRow[] = [
  ...caseRoute('GET /cases/:caseId/details', 200),
  // A malformed URN: everyone who may change the case gets as far as validation.
  ...caseRoute('POST /cases/:caseId/details', 400, { form: { cpsUrn: 'not a urn', courtCaseNumber: '', version: '1' } }),
  ...caseRoute('GET /cases/:caseId/notes', 200),
  ...caseRoute('POST /cases/:caseId/notes', 400, { form: { kind: 'rumour', text: '' } }),
  ...personasRoute('GET /cases/break-glass/reviews', 200, reviewers),
  // A grant that does not exist: reviewers are told so, everyone else may not review at all.
  ...personasRoute('POST /cases/break-glass/reviews', 404, reviewers, { form: { grantId: newId(), outcome: 'appropriate' } }),
  ...caseRoute('PATCH /api/v1/cases/:caseId/details', 400, { json: { cpsUrn: 'not a urn' } }),
  ...caseRoute('GET /api/v1/cases/:caseId/notes', 200),
  ...caseRoute('POST /api/v1/cases/:caseId/notes', 201, { json: { kind: 'fact', text: 'Matrix note' } }),
];
