// Every route the platform answers declares who may use it and whether it
// must audit; an app with a route that does not, refuses to start.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { allow } from '../src/platform/access/policy.ts';
import type { RoutePolicy } from '../src/platform/access/policy.ts';
import { isPermission } from '../src/platform/access/roles.ts';
import { engines } from './support/databases.ts';
import { testApp } from './support/app.ts';
import { fullTestApp } from './support/full-app.ts';

function isRoutePolicy(value: unknown): value is RoutePolicy {
  const policy = value as RoutePolicy | undefined;
  switch (policy?.kind) {
    case 'public':
    case 'signing-in':
    case 'signed-in':
      return true;
    case 'permission':
      return isPermission(policy.permission);
    default:
      return false;
  }
}

for (const engine of engines) {
  test(`${engine}: every route declares an access policy and whether it audits`, async () => {
    const { routes, close } = await fullTestApp(engine);
    try {
      // The list is real: it holds routes from every layer of the app, optional ones too.
      const names = routes.map((route) => `${route.method} ${route.url}`);
      for (const known of ['GET /', 'POST /sign-in', 'POST /sign-in/oidc', 'GET /health', 'GET /assets/govuk/*']) assert.ok(names.includes(known), `${known} is missing from the route list`);

      const undeclared = routes
        .filter((route) => !isRoutePolicy(route.config.policy) || !['required', 'none'].includes(route.config.audit ?? ''))
        .map((route) => `${route.method} ${route.url}`);
      assert.deepEqual(undeclared, [], 'routes without a valid policy and audit declaration');
    } finally {
      await close();
    }
  });

  test(`${engine}: an app with a route that declares no policy refuses to start`, async () => {
    await assert.rejects(
      testApp(engine, {}, { beforeReady: (app) => app.get('/unguarded', async () => 'reached') }),
      /Routes without an access policy or audit declaration: GET \/unguarded/,
    );
  });

  test(`${engine}: an app with a route that declares a policy but not whether it audits refuses to start`, async () => {
    await assert.rejects(
      testApp(engine, {}, { beforeReady: (app) => app.post('/unaudited', { config: { policy: allow.signedIn } }, async () => 'reached') }),
      /Routes without an access policy or audit declaration: POST \/unaudited/,
    );
  });

  test(`${engine}: a route that must audit but writes no entry has its response withheld`, async () => {
    const t = await testApp(engine, {}, {
      beforeReady: (app) => app.get('/forgetful', { config: { policy: allow.public, audit: 'required' } }, async () => ({ personalData: 'a victim’s name' })),
    });
    try {
      const response = await t.app.inject({ method: 'GET', url: '/forgetful' });
      assert.equal(response.statusCode, 503);
      assert.doesNotMatch(response.body, /victim/);
    } finally {
      await t.close();
    }
  });
}
