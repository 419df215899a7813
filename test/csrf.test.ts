// CSRF on every state change. The routes are taken from the app itself, so a
// route added tomorrow is covered without touching this file. For each one,
// a request that does not carry the token of the session it comes from is
// refused with 403 and changes nothing; with the right token it gets past.
//
// "Changes nothing": every table holds exactly the rows it held before,
// except that the audit journal may gain entries recording the refusal
// (action 'deny'). The sessions used are signed in before the "before"
// picture is taken and the clock stands still, so not even a session's
// last-seen time may move.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import type { RoutePolicy } from '../src/platform/access/policy.ts';
import { allow } from '../src/platform/access/policy.ts';
import { permissions, roles } from '../src/platform/access/roles.ts';
import type { Permission, Role } from '../src/platform/access/roles.ts';
import { systemContext } from '../src/platform/audit/model.ts';
import { newId } from '../src/platform/db/ids.ts';
import { engines } from './support/databases.ts';
import { STATE_CHANGING_METHODS, cookieHeader, csrfFrom, signInPartWay } from './support/app.ts';
import type { RegisteredRoute, TestApp, TestPerson } from './support/app.ts';
import { fullTestApp } from './support/full-app.ts';
import { auditHead, auditSince, snapshot } from './support/snapshot.ts';

/** Someone whose state-changing requests need a CSRF token: a cookie and the token that goes with it. */
interface Caller {
  readonly label: string;
  readonly session: boolean;
  readonly cookie: string;
  readonly csrfToken: string;
}

/** A way of sending (or not sending) the token. */
interface Attempt {
  readonly name: string;
  readonly body: Record<string, string | string[]> | string;
  readonly contentType?: string;
  readonly query?: string;
  readonly headers?: Record<string, string>;
  readonly cookie?: string;
}

const API_PROBE = '/api/v1/csrf-probe';
/** An API route that changes state, so the rule for /api/ is checked whatever the API itself offers. */
const withApiProbe = {
  beforeReady: (app: FastifyInstance) => app.post(API_PROBE, { config: { policy: allow.signedIn, audit: 'none' } }, async () => ({ reached: true })),
};

function refusedAttempts(caller: Caller, strangers: { otherPerson: string; samePersonOtherSession: string }): Attempt[] {
  const planted = 'p'.repeat(43);
  return [
    { name: 'no token', body: {} },
    { name: 'an empty token', body: { _csrf: '' } },
    { name: 'a wrong token', body: { _csrf: `${caller.csrfToken.slice(0, -1)}${caller.csrfToken.endsWith('A') ? 'B' : 'A'}` } },
    { name: "another person's session token", body: { _csrf: strangers.otherPerson } },
    { name: "another session's token of the same person", body: { _csrf: strangers.samePersonOtherSession } },
    { name: 'the token only in the query string', body: {}, query: `_csrf=${encodeURIComponent(caller.csrfToken)}` },
    { name: 'the token sent twice', body: { _csrf: [caller.csrfToken, caller.csrfToken] } },
    { name: 'a wrong token in a JSON body', body: JSON.stringify({ _csrf: strangers.otherPerson }), contentType: 'application/json' },
    { name: 'a wrong token in the header', body: {}, headers: { 'x-csrf-token': strangers.otherPerson } },
    // With a session, the token is the session's: a pre-sign-in cookie someone managed to plant is no use.
    // (Before sign-in the cookie is the token's only home, which the __Host- prefix protects.)
    ...(caller.session ? [{ name: 'a token matching a planted pre-sign-in cookie', body: { _csrf: planted }, cookie: `rasso-csrf=${planted}; __Host-rasso-csrf=${planted}` }] : []),
  ];
}

function acceptedAttempts(caller: Caller): Attempt[] {
  return [
    { name: 'the token in the form', body: { _csrf: caller.csrfToken } },
    { name: 'the token in the X-CSRF-Token header', body: {}, headers: { 'x-csrf-token': caller.csrfToken } },
  ];
}

/** A route pattern made into a URL: parameters get ids that may or may not exist, which is all CSRF needs. */
function urlFor(route: RegisteredRoute): string {
  return route.url.replace(/:[A-Za-z]+/g, () => newId()).replace(/\*$/, 'x');
}

async function send(t: TestApp, route: RegisteredRoute, caller: Caller, attempt: Attempt): Promise<LightMyRequestResponse> {
  const body = attempt.body;
  const payload = typeof body === 'string' ? body : toForm(body);
  const url = urlFor(route) + (attempt.query ? `?${attempt.query}` : '');
  return t.app.inject({
    method: route.method as 'POST',
    url,
    headers: {
      accept: 'application/json',
      cookie: withCookies(caller.cookie, attempt.cookie),
      'content-type': attempt.contentType ?? 'application/x-www-form-urlencoded',
      ...attempt.headers,
    },
    payload,
  });
}

/** The caller's cookies, with any the attempt plants in place of those of the same name. */
function withCookies(jar: string, planted: string | undefined): string {
  if (!planted) return jar;
  const names = new Set(planted.split('; ').map((pair) => pair.split('=')[0]));
  return [...jar.split('; ').filter((pair) => !names.has(pair.split('=')[0])), planted].join('; ');
}

function toForm(fields: Record<string, string | string[]>): string {
  const form = new URLSearchParams();
  for (const [name, value] of Object.entries(fields)) for (const v of [value].flat()) form.append(name, v);
  return form.toString();
}

function isCsrfRefusal(response: LightMyRequestResponse): boolean {
  if (response.statusCode !== 403) return false;
  try {
    return (JSON.parse(response.body) as { type?: string }).type === 'urn:rasso:problem:csrf';
  } catch {
    return false;
  }
}

/** Who to sign in so that a route's policy lets the request through to the CSRF check. */
function roleFor(policy: RoutePolicy): { role: Role; kind: (typeof roles)[Role]['kinds'][number] } {
  if (policy.kind !== 'permission') return { role: 'investigator', kind: 'police_force' };
  const role = (permissions[policy.permission] as readonly Role[])[0]!;
  return { role, kind: roles[role].kinds.at(-1)! };
}

async function signedOut(t: TestApp): Promise<Caller> {
  const page = await t.app.inject({ method: 'GET', url: '/sign-in' });
  return { label: 'not signed in (pre-sign-in cookie)', session: false, cookie: cookieHeader(page), csrfToken: csrfFrom(page.body) };
}

for (const engine of engines) {
  test(`${engine}: every state-changing route refuses a request without its session's CSRF token, and changes nothing`, async (context) => {
    const { t, routes, close } = await fullTestApp(engine, withApiProbe);
    try {
      const stateChanging = routes.filter((route) => STATE_CHANGING_METHODS.includes(route.method));
      assert.ok(stateChanging.some((route) => route.url === '/sign-out'), 'the route list holds the platform’s state changes');

      const people = new Map<string, TestPerson>();
      const personFor = async (policy: RoutePolicy) => {
        const { role, kind } = roleFor(policy);
        const key = `${role}@${kind}`;
        if (!people.has(key)) {
          const organisation = await t.organisation(key.toUpperCase(), kind);
          people.set(key, await t.person({ email: `${role}.${kind}@csrf.example`, roles: [[organisation, role]] }));
        }
        return people.get(key)!;
      };
      const stranger = await t.signIn(await personFor(allow.signedIn));

      const problems: string[] = [];
      let refusals = 0;
      for (const route of stateChanging) {
        const policy = route.config.policy!;
        const person = await personFor(policy);
        const earlier = await t.signIn(person);
        const callers: Caller[] = [];
        const signedIn = await t.signIn(person);
        callers.push({ label: 'signed in', session: true, cookie: signedIn.cookie, csrfToken: signedIn.csrfToken });
        if (policy.kind === 'signing-in') callers.push({ label: 'part-way through signing in', session: true, ...(await signInPartWay(t, person)) });
        if (policy.kind === 'public') callers.push(await signedOut(t));

        for (const caller of callers) {
          const strangers = { otherPerson: stranger.csrfToken, samePersonOtherSession: earlier.csrfToken };
          const before = await snapshot(t.database.db, engine, { except: ['audit_events', 'audit_chain_head'] });
          const head = await auditHead(t.database.db);
          for (const attempt of refusedAttempts(caller, strangers)) {
            const where = `${route.method} ${route.url}, ${caller.label}, with ${attempt.name}`;
            const response = await send(t, route, caller, attempt);
            refusals += 1;
            if (!isCsrfRefusal(response)) problems.push(`${where}: expected a 403 CSRF refusal, got ${response.statusCode} ${response.body.slice(0, 120)}`);
            const after = await snapshot(t.database.db, engine, { except: ['audit_events', 'audit_chain_head'] });
            const changed = Object.keys(after).filter((table) => JSON.stringify(after[table]) !== JSON.stringify(before[table]));
            if (changed.length) problems.push(`${where}: changed ${changed.join(', ')}`);
            const journal = (await auditSince(t.database.db, head)).filter((entry) => entry.action !== 'deny');
            if (journal.length) problems.push(`${where}: wrote ${journal.map((entry) => `${entry.action} ${JSON.parse(entry.details).event}`).join(', ')} to the audit journal`);
          }
          for (const attempt of acceptedAttempts(caller)) {
            const response = await send(t, route, caller, attempt);
            if (isCsrfRefusal(response)) problems.push(`${route.method} ${route.url}, ${caller.label}, with ${attempt.name}: refused as a CSRF failure`);
          }
        }
      }
      context.diagnostic(`${stateChanging.length} state-changing routes, ${refusals} forged requests`);
      assert.deepEqual(problems, []);
    } finally {
      await close();
    }
  });

  test(`${engine}: API requests with a bearer token need no CSRF token; with only a session cookie they do`, async () => {
    const { t, routes, close } = await fullTestApp(engine, withApiProbe);
    try {
      const organisation = await t.organisation('NAT', 'national');
      // Someone every API route's policy lets through (plans need a plan lead; signing off an assurance report, an escalation lead), so that only CSRF can refuse.
      const administrator = await t.person({ email: 'admin@national.example', roles: [[organisation, 'administrator'], [organisation, 'plan_lead'], [organisation, 'escalation_lead']] });
      const { token } = await t.auth.createApiToken(
        { userId: administrator.id, organisationId: organisation, name: 'csrf test', scopes: Object.keys(permissions) as Permission[], days: 1 },
        systemContext(),
      );
      const agent = await t.signIn(administrator);
      const apiRoutes = routes.filter((route) => STATE_CHANGING_METHODS.includes(route.method) && route.url.startsWith('/api/'));
      for (const route of apiRoutes) {
        const request = (headers: Record<string, string>) =>
          t.app.inject({ method: route.method as 'POST', url: urlFor(route), headers: { accept: 'application/json', 'content-type': 'application/json', ...headers }, payload: '{}' });
        const withToken = await request({ authorization: `Bearer ${token}` });
        assert.ok(!isCsrfRefusal(withToken), `${route.method} ${route.url} with a bearer token was refused for CSRF`);
        const withCookie = await request({ cookie: agent.cookie });
        assert.ok(isCsrfRefusal(withCookie), `${route.method} ${route.url} with only a session cookie was not refused for CSRF (${withCookie.statusCode})`);
      }
      const probe = await t.app.inject({ method: 'POST', url: API_PROBE, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, payload: '{}' });
      assert.deepEqual(probe.json(), { reached: true });

      // Off the API, a bearer header is not a way in and does not lift the CSRF check.
      const offApi = await t.app.inject({
        method: 'POST',
        url: '/session/extend',
        headers: { accept: 'application/json', cookie: agent.cookie, authorization: `Bearer ${token}`, 'content-type': 'application/x-www-form-urlencoded' },
        payload: '',
      });
      assert.ok(isCsrfRefusal(offApi), `a bearer header on a page route lifted the CSRF check (${offApi.statusCode})`);
    } finally {
      await close();
    }
  });
}
