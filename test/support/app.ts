// A running platform for HTTP tests: the real app on a real test database,
// with helpers to make organisations and people and to act as them.
import * as diagnostics from 'node:diagnostics_channel';
import type { FastifyContextConfig, FastifyInstance, InjectOptions, LightMyRequestResponse, RouteOptions } from 'fastify';
import { buildApp } from '../../src/app.ts';
import type { LogDestination } from '../../src/app.ts';
import { loadConfig } from '../../src/config.ts';
import type { Actor, Membership } from '../../src/platform/access/policy.ts';
import type { Role } from '../../src/platform/access/roles.ts';
import type { AuditContext } from '../../src/platform/audit/model.ts';
import { hashPassword } from '../../src/platform/auth/password.ts';
import type { AuthService } from '../../src/platform/auth/service.ts';
import { newTotpSecret, sealSecret, totpCode } from '../../src/platform/auth/totp.ts';
import type { Engine } from '../../src/platform/db/database.ts';
import { newId } from '../../src/platform/db/ids.ts';
import type { OrganisationKind } from '../../src/platform/db/tables.ts';
import { createPlatform } from '../../src/platform/platform.ts';
import type { Platform } from '../../src/platform/platform.ts';
import { ControllableClock } from '../../src/platform/time/clock.ts';
import { testDatabase } from './databases.ts';
import type { TestDatabase } from './databases.ts';
import { newUserRow } from '../../src/platform/directory/model.ts';

export const TEST_PASSWORD = 'plum velvet harbour lantern';

export interface TestPerson {
  readonly id: string;
  readonly email: string;
  readonly totpSecret: string;
}

export interface TestApp {
  readonly app: FastifyInstance;
  readonly auth: AuthService;
  readonly platform: Platform;
  readonly database: TestDatabase;
  readonly clock: ControllableClock;
  organisation(code: string, kind: OrganisationKind, name?: string): Promise<string>;
  person(options: { email: string; name?: string; roles: [organisationId: string, role: Role][]; enrolled?: boolean }): Promise<TestPerson>;
  /** A signed-in browser-like agent for `person` (cookie and CSRF token held for you). */
  signIn(person: TestPerson): Promise<Agent>;
  /**
   * `person` (made by this app) as a signed-in actor, for calling services
   * directly: acting for the first organisation they were given roles in, or
   * for `organisationId`.
   */
  actor(person: TestPerson, organisationId?: string): Actor;
  /** The audit context of `person` acting as `actor` has them, in their first role there. */
  auditContext(person: TestPerson, organisationId?: string): AuditContext;
  close(): Promise<void>;
}

export interface Agent {
  readonly cookie: string;
  readonly csrfToken: string;
  request(options: InjectOptions): Promise<LightMyRequestResponse>;
  get(url: string): Promise<LightMyRequestResponse>;
  /** Posts a form with the agent's CSRF token added. */
  post(url: string, form?: Record<string, string | string[]>): Promise<LightMyRequestResponse>;
}

export interface TestAppOptions {
  /** Runs after the platform's routes are registered and before the app starts (e.g. to add a route). */
  readonly beforeReady?: (app: FastifyInstance) => unknown;
  /** Where the app's JSON logs go (set LOG_LEVEL too: tests are silent by default). */
  readonly logTo?: LogDestination;
}

export async function testApp(engine: Engine, env: NodeJS.ProcessEnv = {}, options: TestAppOptions = {}): Promise<TestApp> {
  const database = await testDatabase(engine);
  const clock = new ControllableClock(new Date());
  const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', SIGN_IN_RATE_LIMIT: '10000', ...env });
  const platform = createPlatform(config, database, clock);
  const { app, auth } = await buildApp(platform, options.logTo);
  try {
    await options.beforeReady?.(app);
    await app.ready();
  } catch (error) {
    await app.close().catch(() => undefined);
    await database.dispose();
    throw error;
  }
  const passwordHash = await hashPassword(TEST_PASSWORD);
  // What this app made, so that its people can act without signing in.
  const organisations = new Map<string, { code: string; kind: OrganisationKind; name: string }>();
  const people = new Map<string, { name: string; roles: [organisationId: string, role: Role][] }>();
  const membershipOf = (person: TestPerson, organisationId?: string): { memberships: Membership[]; organisation: Membership } => {
    const made = people.get(person.id);
    if (!made) throw new Error(`${person.email} was not made by this test app`);
    const memberships = [...new Set(made.roles.map(([id]) => id))].map((id): Membership => {
      const organisation = organisations.get(id);
      if (!organisation) throw new Error(`${person.email} belongs to an organisation this test app did not make`);
      return { organisationId: id, organisationCode: organisation.code, organisationName: organisation.name, organisationKind: organisation.kind, roles: made.roles.filter(([o]) => o === id).map(([, role]) => role) };
    });
    const organisation = memberships.find((m) => m.organisationId === (organisationId ?? memberships[0]?.organisationId));
    if (!organisation) throw new Error(`${person.email} has no roles ${organisationId ? 'in that organisation' : 'anywhere'}`);
    return { memberships, organisation };
  };

  const testing: TestApp = {
    app,
    auth,
    platform,
    database,
    clock,
    async organisation(code, kind, name) {
      const id = newId();
      const now = clock.now().toISOString();
      await database.db.insertInto('organisations').values({ id, code, name: name ?? code, kind, created_at: now, updated_at: now, version: 1 }).execute();
      organisations.set(id, { code, kind, name: name ?? code });
      return id;
    },
    async person({ email, name, roles, enrolled = true }) {
      const id = newId();
      const now = clock.now().toISOString();
      const totpSecret = newTotpSecret();
      const displayName = name ?? email.split('@')[0]!;
      await database.db.insertInto('users').values(newUserRow({
        id,
        email,
        displayName,
        passwordHash,
        sealedTotpSecret: enrolled ? sealSecret(totpSecret, config.secretKey) : undefined,
        now,
      })).execute();
      for (const [organisationId, role] of roles) {
        await database.db.insertInto('memberships').values({ id: newId(), user_id: id, organisation_id: organisationId, team_id: null, role, created_at: now }).execute();
      }
      people.set(id, { name: displayName, roles });
      return { id, email, totpSecret };
    },
    async signIn(person) {
      // The real journey: password, then a code; the clock moves so each code is fresh.
      const start = await app.inject({ method: 'GET', url: '/sign-in' });
      const preCsrf = csrfFrom(start.body);
      const preCookie = cookieHeader(start);
      const password = await app.inject({
        method: 'POST',
        url: '/sign-in',
        headers: { cookie: preCookie, 'content-type': 'application/x-www-form-urlencoded' },
        payload: new URLSearchParams({ _csrf: preCsrf, email: person.email, password: TEST_PASSWORD }).toString(),
      });
      if (password.statusCode !== 303) throw new Error(`Password step failed: ${password.statusCode}`);
      let cookie = mergeCookies(preCookie, cookieHeader(password));
      const codePage = await app.inject({ method: 'GET', url: '/sign-in/code', headers: { cookie } });
      clock.advance({ seconds: 30 });
      const code = await app.inject({
        method: 'POST',
        url: '/sign-in/code',
        headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
        payload: new URLSearchParams({ _csrf: csrfFrom(codePage.body), code: totpCode(person.totpSecret, clock.now()) }).toString(),
      });
      if (code.statusCode !== 303) throw new Error(`Code step failed: ${code.statusCode}`);
      cookie = mergeCookies(cookie, cookieHeader(code));
      const home = await app.inject({ method: 'GET', url: '/', headers: { cookie } });
      return agent(app, cookie, csrfFrom(home.body));
    },
    actor(person, organisationId) {
      const { memberships, organisation } = membershipOf(person, organisationId);
      return { userId: person.id, displayName: people.get(person.id)!.name, email: person.email, organisation, memberships, via: 'session', scopes: undefined };
    },
    auditContext(person, organisationId) {
      const { organisation } = membershipOf(person, organisationId);
      return { userId: person.id, organisationId: organisation.organisationId, role: organisation.roles[0] ?? null, requestId: null, written: { count: 0 } };
    },
    async close() {
      await app.close();
      await database.dispose();
    },
  };
  return testing;
}

function agent(app: FastifyInstance, cookie: string, csrfToken: string): Agent {
  return {
    cookie,
    csrfToken,
    request: (options) => app.inject({ ...options, headers: { cookie, ...options.headers } }),
    get: (url) => app.inject({ method: 'GET', url, headers: { cookie } }),
    post: (url, form = {}) => {
      const body = new URLSearchParams();
      body.append('_csrf', csrfToken);
      for (const [name, value] of Object.entries(form)) for (const v of [value].flat()) body.append(name, v);
      return app.inject({ method: 'POST', url, headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' }, payload: body.toString() });
    },
  };
}

export function csrfFrom(html: string): string {
  const match = /name="_csrf" value="([^"]+)"/.exec(html);
  if (!match) throw new Error('No CSRF token on the page');
  return match[1]!;
}

/** The `name=value` pairs a response sets, ready to send back as a Cookie header. */
export function cookieHeader(response: LightMyRequestResponse): string {
  return response.cookies.filter((c) => c.value !== '').map((c) => `${c.name}=${c.value}`).join('; ');
}

function mergeCookies(...headers: string[]): string {
  const jar = new Map<string, string>();
  for (const header of headers) {
    for (const pair of header.split('; ').filter(Boolean)) {
      const [name, ...value] = pair.split('=');
      jar.set(name!, value.join('='));
    }
  }
  return [...jar].map(([name, value]) => `${name}=${value}`).join('; ');
}

/** One method and URL pattern the app answers, with the config it declared. */
export interface RegisteredRoute {
  readonly method: string;
  readonly url: string;
  readonly config: FastifyContextConfig;
}

/**
 * Builds a test app and lists every route it registers. The list is taken
 * through Fastify's initialisation channel, before any plugin can add a
 * route, so it does not depend on the platform's own bookkeeping.
 */
export async function testAppWithRoutes(engine: Engine, env: NodeJS.ProcessEnv = {}, options: TestAppOptions = {}): Promise<{ t: TestApp; routes: RegisteredRoute[] }> {
  const seen: RouteOptions[] = [];
  const onInitialisation = (message: unknown) => {
    (message as { fastify: FastifyInstance }).fastify.addHook('onRoute', (route) => {
      seen.push(route);
    });
  };
  diagnostics.subscribe('fastify.initialization', onInitialisation);
  let t: TestApp;
  try {
    t = await testApp(engine, env, options);
  } finally {
    diagnostics.unsubscribe('fastify.initialization', onInitialisation);
  }
  // Read config once the app is ready: plugins may fill it in after registering a route.
  const routes = seen.flatMap((route) => [route.method].flat().map((method) => ({ method, url: route.url, config: route.config ?? {} })));
  return { t, routes };
}

/** A test app with a world built in it by `build`; the app is closed if building the world fails. */
export async function testAppWith<W>(engine: Engine, build: (t: TestApp) => Promise<W>): Promise<{ t: TestApp; w: W }> {
  const t = await testApp(engine);
  try {
    return { t, w: await build(t) };
  } catch (error) {
    await t.close();
    throw error;
  }
}

export const STATE_CHANGING_METHODS: readonly string[] = ['POST', 'PUT', 'PATCH', 'DELETE'];

/** Someone past the password step and at the code (or authenticator set-up) page: their cookie and the page's CSRF token. */
export async function signInPartWay(t: TestApp, person: { readonly email: string }): Promise<{ cookie: string; csrfToken: string }> {
  const page = await t.app.inject({ method: 'GET', url: '/sign-in' });
  const password = await t.app.inject({
    method: 'POST',
    url: '/sign-in',
    headers: { cookie: cookieHeader(page), 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams({ _csrf: csrfFrom(page.body), email: person.email, password: TEST_PASSWORD }).toString(),
  });
  if (password.statusCode !== 303) throw new Error(`Password step failed: ${password.statusCode}`);
  const cookie = cookieHeader(password);
  const next = await t.app.inject({ method: 'GET', url: String(password.headers.location), headers: { cookie } });
  return { cookie, csrfToken: csrfFrom(next.body) };
}
