// The access matrix: every route, for every kind of person who might ask,
// on their own organisation's objects and on another's. A route with no row
// here fails the suite, so each module adds its rows with its routes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { engines } from './support/databases.ts';
import { fullTestApp } from './support/full-app.ts';
import { buildWorld, notSignedIn, parameters, personas, routesOf, runMatrix, withoutRole, withRole } from './support/access-matrix.ts';
import type { MatrixRow, Persona, Visitor } from './support/access-matrix.ts';
import type { MatrixWorld, OrganisationFixture } from './support/access-matrix.ts';
import type { TestApp } from './support/app.ts';
import { createCasesService } from '../src/cases/service.ts';
import { systemContext } from '../src/platform/audit/model.ts';

const everyone: readonly Visitor[] = [...notSignedIn, ...personas];
const halfSignedIn: readonly Visitor[] = ['signing-in', 'enrolling'];
const administrators = withRole('administrator');
const nationalAdministrator: Persona = 'administrator@national';
const localAdministrators = administrators.filter((persona) => persona !== nationalAdministrator);
const notAdministrators = withoutRole('administrator');

/**
 * A page or form about one organisation: its own administrators may use it,
 * and national administrators may for any organisation; to a local
 * administrator another organisation does not exist; everyone else is refused.
 * `allowed` is what an administrator gets (forms are sent as given, so an
 * empty one shows that access was granted by failing validation, with 400).
 */
function organisationAdministration(route: string, allowed: number, extra: Partial<MatrixRow> = {}): MatrixRow[] {
  return [
    { route, as: administrators, expect: allowed, ...extra },
    { route, as: nationalAdministrator, relationship: 'other organisation', expect: allowed, ...extra },
    { route, as: localAdministrators, relationship: 'other organisation', expect: 404, ...extra },
    { route, as: nationalAdministrator, relationship: 'missing', expect: 404, ...extra },
    { route, as: notAdministrators, expect: 403, ...extra },
    { route, as: notSignedIn, expect: 303, location: '/sign-in', ...extra },
  ];
}

/** A route for administrators only, about no organisation in particular. */
function administration(route: string, allowed: number, extra: Partial<MatrixRow> = {}): MatrixRow[] {
  return [
    { route, as: administrators, expect: allowed, ...extra },
    { route, as: notAdministrators, expect: 403, ...extra },
    { route, as: notSignedIn, expect: 303, location: '/sign-in', ...extra },
  ];
}

/** For national administrators only (adding an organisation). */
function nationalAdministration(route: string, allowed: number): MatrixRow[] {
  return [
    { route, as: nationalAdministrator, expect: allowed },
    { route, as: [...localAdministrators, ...notAdministrators], expect: 403 },
    { route, as: notSignedIn, expect: 303, location: '/sign-in' },
  ];
}

/** An API route for a permission: session or token with the scope may; a token without it, or anyone else, may not. */
function apiFor(route: string, holders: readonly Persona[], others: readonly Persona[], allowed: number, extra: Partial<MatrixRow> = {}): MatrixRow[] {
  return [
    { route, as: holders, expect: allowed, ...extra },
    { route, as: holders, via: 'token', expect: allowed, ...extra },
    { route, as: holders, via: 'token', scopes: [], expect: 403, ...extra },
    { route, as: others, expect: 403, ...extra },
    { route, as: notSignedIn, expect: 401, ...extra },
  ];
}

// Cases. Each organisation points at a case: the home ones at a case of the
// home force and CPS Area, with the home investigator as officer in the case
// and the home prosecutor as prosecutor; the others at a case of the other
// force and Area. Who may see a case is need-to-know, so the same persona is
// allowed on one case and told the other does not exist.
const matrixCases = new Map<string, string>();
const caseOf = (organisation: OrganisationFixture) => matrixCases.get(organisation.id) ?? 'no-case-made';

async function makeMatrixCases(t: TestApp, world: MatrixWorld): Promise<void> {
  const cases = createCasesService(t.platform);
  for (const [side, reference, oic, prosecutor] of [
    [world.home, 'MATRIX/HOME', world.people.get('investigator@police_force')!.id, world.people.get('prosecutor@cps_area')!.id],
    [world.other, 'MATRIX/OTHER', world.other.police_force.colleague.id, world.other.cps_area.colleague.id],
  ] as const) {
    const caseId = await cases.operator.createCase(systemContext(), {
      policeReference: reference,
      forceId: side.police_force.id,
      cpsAreaId: side.cps_area.id,
      offenceClass: 'rape_16_plus',
      reportedOn: '2025-01-06',
      path: ['investigation'],
      people: [{ category: 'victim', name: 'Matrix Victim' }],
      team: [{ userId: oic, organisationId: side.police_force.id, role: 'oic' }, { userId: prosecutor, organisationId: side.cps_area.id, role: 'prosecutor' }],
    });
    for (const organisation of Object.values(side)) matrixCases.set(organisation.id, caseId);
  }
}

const caseTeam: readonly Persona[] = ['investigator@police_force', 'prosecutor@cps_area'];
const caseSupervisors: readonly Persona[] = ['police_supervisor@police_force', 'escalation_lead@police_force', 'dcp@cps_area', 'head_of_rasso@cps_area'];
const caseReaders = [...caseTeam, ...caseSupervisors];
const caseStrangers = personas.filter((persona) => !caseReaders.includes(persona));
const caseAllocators: readonly Persona[] = ['police_supervisor@police_force', 'dcp@cps_area', 'head_of_rasso@cps_area'];
const caseCreators: readonly Persona[] = ['investigator@police_force', 'police_supervisor@police_force'];
const breakGlassers = personas.filter((persona) => /^(investigator|police_supervisor|escalation_lead|paralegal)@police_force$|^(prosecutor|dcp|head_of_rasso|vlo|paralegal)@cps_area$/.test(persona));

/** A route about one case: `allowed` for those who may use it, 404 for everyone else and for every other case. */
function caseRoute(route: string, allowed: number, extra: Partial<MatrixRow> = {}, users: readonly Persona[] = caseReaders): MatrixRow[] {
  const api = route.includes(' /api/');
  const params = { caseId: caseOf };
  return [
    { route, as: users, expect: allowed, params, ...extra },
    ...(users === caseReaders ? [] : [{ route, as: caseReaders.filter((persona) => !users.includes(persona)), expect: 403, params, ...extra }]),
    { route, as: caseStrangers, expect: 404, params, ...extra },
    { route, as: personas, relationship: 'other organisation', expect: 404, params, ...extra },
    { route, as: 'investigator@police_force', relationship: 'missing', expect: 404, params, ...extra },
    api ? { route, as: notSignedIn, expect: 401, params, ...extra } : { route, as: notSignedIn, expect: 303, location: '/sign-in', params, ...extra },
  ];
}

/** A route for some personas only, about no case in particular. */
function casePersonas(route: string, allowed: number, users: readonly Persona[], extra: Partial<MatrixRow> = {}): MatrixRow[] {
  const api = route.includes(' /api/');
  return [
    { route, as: users, expect: allowed, ...extra },
    ...(users.length === personas.length ? [] : [{ route, as: personas.filter((persona) => !users.includes(persona)), expect: 403, ...extra }]),
    api ? { route, as: notSignedIn, expect: 401, ...extra } : { route, as: notSignedIn, expect: 303, location: '/sign-in', ...extra },
  ];
}

const caseRows: MatrixRow[] = [
  ...casePersonas('GET /cases', 200, personas),
  ...casePersonas('GET /cases/new', 200, caseCreators),
  ...casePersonas('POST /cases/new', 400, caseCreators),
  ...casePersonas('GET /cases/break-glass', 200, breakGlassers),
  ...casePersonas('POST /cases/break-glass', 400, breakGlassers),
  ...caseRoute('GET /cases/:caseId', 200),
  ...caseRoute('GET /cases/:caseId/people/new', 200),
  ...caseRoute('POST /cases/:caseId/people/new', 400),
  ...caseRoute('GET /cases/:caseId/team/new', 200, {}, caseAllocators),
  ...caseRoute('POST /cases/:caseId/team/new', 400, {}, caseAllocators),
  ...caseRoute('GET /cases/:caseId/stage', 200),
  ...caseRoute('POST /cases/:caseId/stage', 400),
  ...casePersonas('GET /api/v1/cases', 200, personas),
  { route: 'GET /api/v1/cases', as: ['investigator@police_force', 'isva@isva_service'], via: 'token', expect: 200 },
  // A valid request naming no real CPS Area: creators get as far as validation.
  ...casePersonas('POST /api/v1/cases', 400, caseCreators, { json: { policeReference: 'MATRIX/NEW', cpsAreaId: '0190d000-0000-7000-8000-000000000000', offenceClass: 'rape_16_plus', reportedOn: '2025-01-06' } }),
  ...caseRoute('GET /api/v1/cases/:caseId', 200),
  { route: 'GET /api/v1/cases/:caseId', as: caseTeam, via: 'token', params: { caseId: caseOf }, expect: 200 },
  { route: 'GET /api/v1/cases/:caseId', as: ['isva@isva_service', 'analyst@national'], via: 'token', params: { caseId: caseOf }, expect: 404 },
  ...caseRoute('PATCH /api/v1/cases/:caseId/stage', 428, { json: { stage: 'early_advice' } }),
];

const rows: MatrixRow[] = [
  // Public pages and probes: anyone, signed in or not.
  ...['GET /health', 'GET /ready', 'GET /metrics', 'GET /accessibility', 'GET /privacy'].map((route) => ({ route, as: everyone, expect: 200 })),

  // Signing in.
  { route: 'GET /sign-in', as: ['anonymous', ...halfSignedIn], expect: 200 },
  { route: 'GET /sign-in', as: personas, expect: 303, location: '/' },
  { route: 'POST /sign-in', as: 'anonymous', expect: 400 },
  { route: 'GET /sign-in/code', as: 'signing-in', expect: 200 },
  { route: 'GET /sign-in/code', as: 'anonymous', expect: 303, location: '/sign-in' },
  { route: 'GET /sign-in/code', as: 'enrolling', expect: 303, location: '/sign-in/set-up-authenticator' },
  { route: 'GET /sign-in/code', as: personas, expect: 303, location: '/' },
  { route: 'POST /sign-in/code', as: 'signing-in', expect: 400 },
  { route: 'POST /sign-in/code', as: 'anonymous', expect: 303, location: '/sign-in' },
  { route: 'GET /sign-in/set-up-authenticator', as: 'enrolling', expect: 200 },
  { route: 'GET /sign-in/set-up-authenticator', as: 'anonymous', expect: 303, location: '/sign-in' },
  { route: 'GET /sign-in/set-up-authenticator', as: ['signing-in', 'investigator@police_force'], expect: 303, location: '/' },
  { route: 'POST /sign-in/set-up-authenticator', as: 'enrolling', expect: 400 },
  { route: 'POST /sign-in/set-up-authenticator', as: 'anonymous', expect: 303, location: '/sign-in' },
  { route: 'POST /sign-in/oidc', as: ['anonymous', ...halfSignedIn], expect: 303 },
  { route: 'POST /sign-in/oidc', as: ['investigator@police_force', 'analyst@national'], expect: 303, location: '/' },
  { route: 'GET /sign-in/oidc/callback', as: everyone, expect: 400 },

  // Signing out: possible part-way through signing in, too.
  { route: 'GET /sign-out', as: [...halfSignedIn, ...personas], expect: 200 },
  { route: 'GET /sign-out', as: 'anonymous', expect: 303, location: '/sign-in' },
  { route: 'POST /sign-out', as: ['signing-in', 'investigator@police_force', 'administrator@national', 'isva@isva_service'], expect: 303, location: '/sign-in?signedOut=1' },
  { route: 'POST /sign-out', as: 'anonymous', expect: 303, location: '/sign-in' },

  // A signed-in person's own pages.
  ...['GET /', 'GET /account', 'GET /account/organisation'].flatMap((route): MatrixRow[] => [
    { route, as: personas, expect: 200 },
    { route, as: notSignedIn, expect: 303, location: '/sign-in' },
  ]),
  { route: 'POST /session/extend', as: ['prosecutor@cps_area', 'analyst@national'], expect: 303, location: '/' },
  { route: 'POST /session/extend', as: notSignedIn, expect: 303, location: '/sign-in' },
  { route: 'POST /account/organisation', as: ['vlo@cps_area', 'hub_member@isva_service'], form: { organisation: ':organisation' }, expect: 303, location: '/' },
  { route: 'POST /account/organisation', as: ['vlo@cps_area', 'hub_member@isva_service'], relationship: 'other organisation', form: { organisation: ':organisation' }, expect: 400 },
  { route: 'POST /account/organisation', as: notSignedIn, form: { organisation: ':organisation' }, expect: 303, location: '/sign-in' },

  // The API: a session or a token.
  { route: 'GET /api/v1/openapi.json', as: everyone, expect: 200 },
  { route: 'GET /api/v1/me', as: personas, expect: 200 },
  { route: 'GET /api/v1/me', as: ['investigator@police_force', 'administrator@cps_area'], via: 'token', expect: 200 },
  { route: 'GET /api/v1/me', as: notSignedIn, expect: 401 },

  // Organisations and people.
  ...administration('GET /admin/organisations', 200),
  ...nationalAdministration('GET /admin/organisations/new', 200),
  ...nationalAdministration('POST /admin/organisations/new', 400),
  ...organisationAdministration('GET /admin/organisations/:organisationId', 200),
  ...organisationAdministration('GET /admin/organisations/:organisationId/name', 200),
  ...organisationAdministration('POST /admin/organisations/:organisationId/name', 400),
  ...organisationAdministration('GET /admin/organisations/:organisationId/teams/new', 200),
  ...organisationAdministration('POST /admin/organisations/:organisationId/teams/new', 400),
  ...organisationAdministration('GET /admin/organisations/:organisationId/people/new', 200),
  ...organisationAdministration('POST /admin/organisations/:organisationId/people/new', 400),
  ...organisationAdministration('GET /admin/organisations/:organisationId/people/:personId', 200),
  ...organisationAdministration('GET /admin/organisations/:organisationId/people/:personId/roles/new', 200),
  ...organisationAdministration('POST /admin/organisations/:organisationId/people/:personId/roles/new', 400),
  ...organisationAdministration('GET /admin/organisations/:organisationId/people/:personId/roles/remove', 200, { query: { role: ':role' } }),
  ...organisationAdministration('POST /admin/organisations/:organisationId/people/:personId/roles/remove', 303),
  ...organisationAdministration('GET /admin/organisations/:organisationId/people/:personId/disable', 200),
  ...organisationAdministration('POST /admin/organisations/:organisationId/people/:personId/disable', 303),
  ...organisationAdministration('POST /admin/organisations/:organisationId/people/:personId/enable', 303),
  ...organisationAdministration('GET /admin/organisations/:organisationId/people/:personId/reset-authenticator', 200),
  ...organisationAdministration('POST /admin/organisations/:organisationId/people/:personId/reset-authenticator', 303),
  ...apiFor('GET /api/v1/organisations', administrators, notAdministrators, 200),
  ...apiFor('GET /api/v1/organisations/:id', administrators, notAdministrators, 200),
  { route: 'GET /api/v1/organisations/:id', as: localAdministrators, relationship: 'other organisation', expect: 404 },
  ...apiFor('PATCH /api/v1/organisations/:id', administrators, notAdministrators, 428, { json: { name: 'Renamed' } }),
  ...apiFor('GET /api/v1/people/:id', administrators, notAdministrators, 200, { params: { id: parameters.personId } }),
  { route: 'GET /api/v1/people/:id', as: localAdministrators, relationship: 'other organisation', params: { id: parameters.personId }, expect: 404 },

  // The audit journal.
  ...administration('GET /audit', 200),
  ...administration('POST /audit', 303),
  ...administration('POST /audit/verify', 303),
  ...apiFor('GET /api/v1/audit/events', administrators, notAdministrators, 200),

  ...caseRows,

  // A person's own notifications: anyone signed in, about themselves only
  // (the empty form shows access was granted by failing validation; another
  // person's notification is not found, as the module's tests show).
  { route: 'GET /notifications', as: personas, expect: 200 },
  { route: 'POST /notifications/read', as: personas, expect: 400 },
  ...['GET /notifications', 'POST /notifications/read'].map((route): MatrixRow => ({ route, as: notSignedIn, expect: 303, location: '/sign-in' })),
];

for (const engine of engines) {
  test(`${engine}: every route has rows in the access matrix`, async () => {
    const { routes, close } = await fullTestApp(engine);
    try {
      const registered = new Set(routes.filter((r) => r.method !== 'HEAD' && !r.url.startsWith('/assets/')).map((r) => `${r.method} ${r.url}`));
      const covered = routesOf(rows);
      assert.deepEqual([...registered].filter((route) => !covered.has(route)), [], 'routes with no row in the access matrix');
      assert.deepEqual([...covered].filter((route) => !registered.has(route)), [], 'rows for routes the app does not have');
    } finally {
      await close();
    }
  });

  test(`${engine}: the access matrix holds, and every refusal is in the audit journal`, async (context) => {
    const { t, close } = await fullTestApp(engine);
    try {
      const world = await buildWorld(t);
      await makeMatrixCases(t, world);
      context.diagnostic(`${rows.length} rows, ${rows.reduce((n, row) => n + [row.as].flat().length, 0)} requests`);
      assert.deepEqual(await runMatrix(t, world, rows), []);
    } finally {
      await close();
    }
  });
}
