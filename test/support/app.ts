// A running platform for HTTP tests: the real app on a real test database,
// with helpers to make organisations and people and to act as them.
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import { buildApp } from '../../src/app.ts';
import { loadConfig } from '../../src/config.ts';
import type { Role } from '../../src/platform/access/roles.ts';
import { createAuditJournal } from '../../src/platform/audit/service.ts';
import { hashPassword } from '../../src/platform/auth/password.ts';
import type { AuthService } from '../../src/platform/auth/service.ts';
import { newTotpSecret, sealSecret, totpCode } from '../../src/platform/auth/totp.ts';
import type { Engine } from '../../src/platform/db/database.ts';
import { newId } from '../../src/platform/db/ids.ts';
import type { OrganisationKind } from '../../src/platform/db/tables.ts';
import type { Platform } from '../../src/platform/platform.ts';
import { ControllableClock } from '../../src/platform/time/clock.ts';
import { testDatabase } from './databases.ts';
import type { TestDatabase } from './databases.ts';

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

export async function testApp(engine: Engine, env: NodeJS.ProcessEnv = {}): Promise<TestApp> {
  const database = await testDatabase(engine);
  const clock = new ControllableClock(new Date());
  const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', SIGN_IN_RATE_LIMIT: '10000', ...env });
  const platform: Platform = {
    config,
    db: database.db,
    engine,
    clock,
    audit: createAuditJournal(database.db, engine, config.secretKey, () => clock.now()),
  };
  const { app, auth } = await buildApp(platform);
  await app.ready();
  const passwordHash = await hashPassword(TEST_PASSWORD);

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
      return id;
    },
    async person({ email, name, roles, enrolled = true }) {
      const id = newId();
      const now = clock.now().toISOString();
      const totpSecret = newTotpSecret();
      await database.db.insertInto('users').values({
        id,
        email,
        display_name: name ?? email.split('@')[0]!,
        password_hash: passwordHash,
        totp_secret: enrolled ? sealSecret(totpSecret, config.secretKey) : null,
        totp_last_step: null,
        mfa_enrolled_at: enrolled ? now : null,
        oidc_issuer: null,
        oidc_subject: null,
        disabled_at: null,
        created_at: now,
        updated_at: now,
        version: 1,
      }).execute();
      for (const [organisationId, role] of roles) {
        await database.db.insertInto('memberships').values({ id: newId(), user_id: id, organisation_id: organisationId, team_id: null, role, created_at: now }).execute();
      }
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
