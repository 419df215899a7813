import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { LightMyRequestResponse } from 'fastify';
import { cookieHeader, csrfFrom, testApp } from '../../../test/support/app.ts';
import type { TestApp } from '../../../test/support/app.ts';
import { engines } from '../../../test/support/databases.ts';
import { startTestProvider } from '../../../test/support/oidc-provider.ts';
import type { TestAccount, TestProvider } from '../../../test/support/oidc-provider.ts';
import { allowsInsecureIssuer, sealTransaction, unsealTransaction } from './oidc.ts';

const BASE_URL = 'https://rasso.test';
const REDIRECT_URI = `${BASE_URL}/sign-in/oidc/callback`;
const CLIENT = { clientId: 'rasso', clientSecret: 'rasso-client-secret', redirectUri: REDIRECT_URI };
const OTHER_CLIENT = { clientId: 'other-app', clientSecret: 'other-client-secret', redirectUri: REDIRECT_URI };
const FAILED = /We could not sign you in with Test ID/;

// People as the identity provider knows them (subject → claims).
const accounts: Record<string, TestAccount> = {
  'subject-alex': { email: 'Alex.Kerr@avs.police.uk' },
  'subject-alex-again': { email: 'alex.kerr@avs.police.uk' },
  'subject-blake': { email: 'blake@avs.police.uk' },
  'subject-casey': { email: 'casey@avs.police.uk', emailVerified: false },
  'subject-drew': { email: 'drew@avs.police.uk' },
  'subject-stranger': { email: 'nobody@avs.police.uk' },
};

test('plain-http providers are allowed only on loopback and never in production', () => {
  assert.equal(allowsInsecureIssuer(new URL('http://127.0.0.1:4000'), 'test'), true);
  assert.equal(allowsInsecureIssuer(new URL('http://localhost:4000'), 'development'), true);
  assert.equal(allowsInsecureIssuer(new URL('http://127.0.0.1:4000'), 'production'), false);
  assert.equal(allowsInsecureIssuer(new URL('http://login.example.test'), 'development'), false);
  assert.equal(allowsInsecureIssuer(new URL('http://127.0.0.1.example.test'), 'test'), false);
  assert.equal(allowsInsecureIssuer(new URL('https://login.microsoftonline.com/tenant/v2.0'), 'production'), false);
});

test('the sign-in transaction is sealed: unreadable, unforgeable and short-lived', () => {
  const key = Buffer.alloc(32, 7);
  const now = new Date('2026-03-02T10:00:00Z');
  const transaction = { state: 'state-1', nonce: 'nonce-1', codeVerifier: 'verifier-1', next: '/cases', expiresAt: now.getTime() + 60_000 };
  const sealed = sealTransaction(transaction, key);
  assert.doesNotMatch(sealed, /nonce-1|verifier-1|state-1/);
  assert.deepEqual(unsealTransaction(sealed, key, now), transaction);
  assert.equal(unsealTransaction(sealed, Buffer.alloc(32, 8), now), null, 'another key');
  assert.equal(unsealTransaction(sealed, key, new Date(now.getTime() + 60_000)), null, 'expired');
  const [version, iv, data, tag] = sealed.split('.') as [string, string, string, string];
  const flipped = `${data[0] === 'A' ? 'B' : 'A'}${data.slice(1)}`;
  assert.equal(unsealTransaction([version, iv, flipped, tag].join('.'), key, now), null, 'altered');
  assert.equal(unsealTransaction('not a transaction', key, now), null);
  assert.equal(unsealTransaction(undefined, key, now), null);
});

interface Journey {
  /** Changes the authorization request on its way to the provider. */
  readonly request?: (url: URL) => URL;
  /** Which provider the browser is sent to (default: the configured one). */
  readonly provider?: TestProvider;
  /** Signs in as this provider account, or cancels when null. */
  readonly account: string | null;
  /** Changes the provider's response on its way back to the platform. */
  readonly response?: (url: URL) => URL;
  /** Changes the cookies the browser sends back with it. */
  readonly cookies?: (cookie: string) => string | Promise<string>;
  readonly next?: string;
}

describe('OpenID Connect sign-in', () => {
  let primary: TestProvider;
  let impostor: TestProvider;

  before(async () => {
    primary = await startTestProvider({ clients: [CLIENT, OTHER_CLIENT], accounts });
    // Another provider that knows the same client and the same people, with keys of its own.
    impostor = await startTestProvider({ clients: [CLIENT], accounts });
  });
  after(async () => {
    await primary.close();
    await impostor.close();
  });

  for (const engine of engines) {
    describe(engine, () => {
      let t: TestApp;
      let users: Record<'alex' | 'blake' | 'casey' | 'drew', string>;

      before(async () => {
        t = await testApp(engine, {
          OIDC_ISSUER: primary.issuer,
          OIDC_CLIENT_ID: CLIENT.clientId,
          OIDC_CLIENT_SECRET: CLIENT.clientSecret,
          OIDC_NAME: 'Test ID',
          BASE_URL,
        });
        const force = await t.organisation('AVS', 'police_force', 'Avon and Somerset Police');
        const person = async (email: string, name: string) => (await t.person({ email, name, roles: [[force, 'investigator']] })).id;
        users = {
          alex: await person('alex.kerr@avs.police.uk', 'Alex Kerr'),
          blake: await person('blake@avs.police.uk', 'Blake Moss'),
          casey: await person('casey@avs.police.uk', 'Casey Hart'),
          drew: await person('drew@avs.police.uk', 'Drew Lane'),
        };
      });
      after(async () => {
        primary.rewriteIdTokens(undefined);
        await t.close();
      });

      /** A browser: the sign-in page, the button, the provider, and back to the platform. */
      async function signIn(journey: Journey): Promise<{ response: LightMyRequestResponse; cookie: string }> {
        const page = await t.app.inject({ method: 'GET', url: '/sign-in' });
        assert.match(page.body, /Sign in with Test ID/);
        const start = await t.app.inject({
          method: 'POST',
          url: '/sign-in/oidc',
          headers: { cookie: cookieHeader(page), 'content-type': 'application/x-www-form-urlencoded' },
          payload: new URLSearchParams({ _csrf: csrfFrom(page.body), next: journey.next ?? '/' }).toString(),
        });
        assert.equal(start.statusCode, 303);
        const transaction = start.cookies.find((c) => c.name.endsWith('rasso-oidc'));
        assert.ok(transaction, 'the transaction cookie is set');
        assert.equal(transaction.httpOnly, true);
        assert.equal(transaction.sameSite, 'Lax');
        assert.equal(transaction.secure, true);
        let authorization = new URL(start.headers.location as string);
        assert.equal(authorization.origin, primary.issuer);
        assert.equal(authorization.searchParams.get('code_challenge_method'), 'S256');
        if (journey.request) authorization = journey.request(authorization);
        const provider = journey.provider ?? primary;
        if (provider !== primary) authorization = new URL(`${authorization.pathname}${authorization.search}`, provider.issuer);
        let back = await provider.authorize(authorization, journey.account);
        assert.equal(`${back.origin}${back.pathname}`, REDIRECT_URI);
        if (journey.response) back = journey.response(back);
        let cookie = `${cookieHeader(page)}; ${cookieHeader(start)}`;
        if (journey.cookies) cookie = await journey.cookies(cookie);
        const response = await t.app.inject({ method: 'GET', url: `${back.pathname}${back.search}`, headers: { cookie } });
        return { response, cookie: `${cookie}; ${cookieHeader(response)}` };
      }

      async function lastSignInAudit() {
        const row = await t.database.db.selectFrom('audit_events').selectAll().where('action', '=', 'sign-in').orderBy('seq', 'desc').executeTakeFirstOrThrow();
        return { ...row, details: JSON.parse(row.details) as Record<string, unknown> };
      }

      const identityOf = async (id: string) =>
        t.database.db.selectFrom('users').select(['oidc_issuer', 'oidc_subject']).where('id', '=', id).executeTakeFirstOrThrow();

      /** Refused: the sign-in page with the error, no session, and a failed sign-in in the journal. */
      async function assertRefused(journey: Journey, reason: string, status = 400) {
        const { response } = await signIn(journey);
        assert.equal(response.statusCode, status, response.body.slice(0, 500));
        assert.match(response.body, FAILED);
        assert.match(response.body, /govuk-error-summary/);
        assert.ok(!/node_modules|\n\s+at \S+ \(/.test(response.body), 'no stack trace');
        assert.ok(!response.cookies.some((c) => c.name.endsWith('rasso-session') && c.value !== ''), 'no session cookie');
        const entry = await lastSignInAudit();
        assert.equal(entry.outcome, 'failure');
        assert.equal(entry.details.event, 'sign-in.oidc');
        assert.equal(entry.details.reason, reason);
        return { response, entry };
      }

      test('a person with an account signs in, is linked once, and lands where they were going', async () => {
        const { response, cookie } = await signIn({ account: 'subject-alex', next: '/account' });
        assert.equal(response.statusCode, 303, response.body.slice(0, 500));
        assert.equal(response.headers.location, '/account');
        assert.ok(response.cookies.some((c) => c.name === '__Host-rasso-session' && c.value !== '' && c.httpOnly && c.secure && c.sameSite === 'Lax'));
        const home = await t.app.inject({ method: 'GET', url: '/', headers: { cookie } });
        assert.equal(home.statusCode, 200);
        assert.match(home.body, /Signed in as Alex Kerr/);
        assert.deepEqual(await identityOf(users.alex), { oidc_issuer: primary.issuer, oidc_subject: 'subject-alex' });
        const entry = await lastSignInAudit();
        assert.equal(entry.outcome, 'success');
        assert.equal(entry.details.event, 'sign-in.oidc');
        assert.equal(entry.actor_user_id, users.alex);
        const link = await t.database.db.selectFrom('audit_events').select(['object_id', 'details']).where('action', '=', 'alter').where('object_id', '=', users.alex).executeTakeFirstOrThrow();
        assert.equal(JSON.parse(link.details).event, 'user.oidc-link');

        // Next time the person is found by their identity at the provider.
        const again = await signIn({ account: 'subject-alex' });
        assert.equal(again.response.statusCode, 303);
        assert.equal(again.response.headers.location, '/');
        // Another identity with the same email address cannot take the account over.
        await assertRefused({ account: 'subject-alex-again' }, 'unknown-person', 403);
        assert.deepEqual(await identityOf(users.alex), { oidc_issuer: primary.issuer, oidc_subject: 'subject-alex' });
      });

      test('the button needs the CSRF token like every other form', async () => {
        const page = await t.app.inject({ method: 'GET', url: '/sign-in' });
        const response = await t.app.inject({
          method: 'POST',
          url: '/sign-in/oidc',
          headers: { cookie: cookieHeader(page), 'content-type': 'application/x-www-form-urlencoded' },
          payload: 'next=%2F',
        });
        assert.equal(response.statusCode, 403);
      });

      test('a tampered state is refused', async () => {
        await assertRefused({ account: 'subject-blake', response: (url) => (url.searchParams.set('state', 'forged-state'), url) }, 'state');
        assert.deepEqual(await identityOf(users.blake), { oidc_issuer: null, oidc_subject: null });
      });

      test('a tampered, missing or foreign transaction cookie is refused', async () => {
        const tamper = (cookie: string) => cookie.replace(/(rasso-oidc=v1\.[^.]+\.)(.)/, (_whole, head: string, first: string) => `${head}${first === 'A' ? 'B' : 'A'}`);
        await assertRefused({ account: 'subject-blake', cookies: tamper }, 'no-transaction');
        await assertRefused({ account: 'subject-blake', cookies: (cookie) => cookie.replace(/__Host-rasso-oidc=[^;]+;?/, '') }, 'no-transaction');
        // The response to one browser's sign-in, brought back by another browser that started its own.
        const foreign = async (cookie: string) => {
          const page = await t.app.inject({ method: 'GET', url: '/sign-in' });
          const start = await t.app.inject({
            method: 'POST',
            url: '/sign-in/oidc',
            headers: { cookie: cookieHeader(page), 'content-type': 'application/x-www-form-urlencoded' },
            payload: new URLSearchParams({ _csrf: csrfFrom(page.body) }).toString(),
          });
          return cookie.replace(/__Host-rasso-oidc=[^;]+/, cookieHeader(start));
        };
        await assertRefused({ account: 'subject-blake', cookies: foreign }, 'state');
        assert.deepEqual(await identityOf(users.blake), { oidc_issuer: null, oidc_subject: null });
      });

      test('an ID token issued for another authorization request (another nonce) is refused', async () => {
        await assertRefused({ account: 'subject-blake', request: (url) => (url.searchParams.set('nonce', 'nonce-of-another-request'), url) }, 'nonce');
      });

      test('a response from another provider is refused', async () => {
        await assertRefused({ account: 'subject-blake', provider: impostor }, 'issuer');
        // Removing the issuer parameter does not help: the configured provider always sends it.
        await assertRefused({ account: 'subject-blake', provider: impostor, response: (url) => (url.searchParams.delete('iss'), url) }, 'issuer');
      });

      test('a code issued to another client is refused', async () => {
        await assertRefused({ account: 'subject-blake', request: (url) => (url.searchParams.set('client_id', OTHER_CLIENT.clientId), url) }, 'token-refused');
      });

      const doctored = [
        { name: 'an ID token for another audience', rewrite: { claims: { aud: OTHER_CLIENT.clientId } }, reason: 'audience' },
        { name: 'an ID token naming another issuer', rewrite: { claims: { iss: 'https://login.example.test' } }, reason: 'issuer' },
        { name: 'an ID token with another nonce', rewrite: { claims: { nonce: 'replayed-nonce' } }, reason: 'nonce' },
        { name: 'an expired ID token', rewrite: { claims: { exp: Math.floor(Date.now() / 1000) - 3600 } }, reason: 'expired' },
        { name: 'an ID token signed with a key the provider never published', rewrite: { signature: 'stranger' }, reason: 'signature' },
        { name: 'an ID token altered after signing', rewrite: { claims: { sub: 'subject-blake' }, signature: 'original' }, reason: 'signature' },
      ] as const;
      for (const { name, rewrite, reason } of doctored) {
        test(`${name} is refused`, async () => {
          primary.rewriteIdTokens(rewrite);
          try {
            await assertRefused({ account: 'subject-drew' }, reason);
          } finally {
            primary.rewriteIdTokens(undefined);
          }
          assert.deepEqual(await identityOf(users.drew), { oidc_issuer: null, oidc_subject: null });
        });
      }

      test('a person the platform does not know, or whose email is not verified, is refused', async () => {
        await assertRefused({ account: 'subject-stranger' }, 'unknown-person', 403);
        const { response } = await assertRefused({ account: 'subject-casey' }, 'unknown-person', 403);
        assert.match(response.body, /you do not have an account on this service/);
        assert.deepEqual(await identityOf(users.casey), { oidc_issuer: null, oidc_subject: null });
      });

      test('a disabled account is refused, before and after linking', async () => {
        const disable = (disabled_at: string | null) => t.database.db.updateTable('users').set({ disabled_at }).where('id', '=', users.blake).execute();
        await disable(new Date().toISOString());
        await assertRefused({ account: 'subject-blake' }, 'unknown-person', 403);
        await disable(null);
        assert.equal((await signIn({ account: 'subject-blake' })).response.statusCode, 303);
        await disable(new Date().toISOString());
        const { entry } = await assertRefused({ account: 'subject-blake' }, 'disabled', 403);
        assert.equal(entry.object_id, users.blake);
      });

      test('an error from the provider (the person cancelled) is refused', async () => {
        const { entry } = await assertRefused({ account: null }, 'provider-error');
        assert.equal(entry.details.error, 'access_denied');
      });
    });
  }

  test('a provider that does not answer gives a clear page, not a crash', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const issuer = `http://127.0.0.1:${(closed.address() as AddressInfo).port}`;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const t = await testApp(engines[0]!, { OIDC_ISSUER: issuer, OIDC_CLIENT_ID: 'rasso', OIDC_CLIENT_SECRET: 'secret', OIDC_NAME: 'Test ID', BASE_URL });
    try {
      const page = await t.app.inject({ method: 'GET', url: '/sign-in' });
      const response = await t.app.inject({
        method: 'POST',
        url: '/sign-in/oidc',
        headers: { cookie: cookieHeader(page), 'content-type': 'application/x-www-form-urlencoded' },
        payload: new URLSearchParams({ _csrf: csrfFrom(page.body), next: '/' }).toString(),
      });
      assert.equal(response.statusCode, 503);
      assert.match(response.body, /We could not sign you in with Test ID because it is not responding/);
      const entry = await t.database.db.selectFrom('audit_events').selectAll().where('action', '=', 'sign-in').executeTakeFirstOrThrow();
      assert.equal(entry.outcome, 'failure');
      assert.equal(JSON.parse(entry.details).reason, 'provider-unavailable');
    } finally {
      await t.close();
    }
  });
});
