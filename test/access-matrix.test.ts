// The access matrix: every route, for every kind of person who might ask,
// on their own organisation's objects and on another's. A route with no row
// here fails the suite, so each module adds its rows with its routes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { engines } from './support/databases.ts';
import { fullTestApp } from './support/full-app.ts';
import { buildWorld, notSignedIn, parameters, personas, routesOf, runMatrix, withoutRole, withRole } from './support/access-matrix.ts';
import type { MatrixRow, Persona, Visitor } from './support/access-matrix.ts';
import { caseMatrixParts, makeMatrixCases } from './support/case-matrix.ts';

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

const parts = await caseMatrixParts();

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

  ...parts.flatMap((part) => part.rows),

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
      const matrixCases = await makeMatrixCases(t, world);
      for (const part of parts) await part.prepare?.(t, world, matrixCases);
      context.diagnostic(`${rows.length} rows, ${rows.reduce((n, row) => n + [row.as].flat().length, 0)} requests`);
      assert.deepEqual(await runMatrix(t, world, rows), []);
    } finally {
      await close();
    }
  });
}
