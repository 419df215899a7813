import { test } from 'node:test';
import assert from 'node:assert/strict';
import { engines } from '../../../test/support/databases.ts';
import { cookieHeader, csrfFrom, testApp } from '../../../test/support/app.ts';
import { roleAllowedIn, roleNames } from '../access/roles.ts';
import { verifyJournal } from '../audit/service.ts';
import { passwordProblem } from '../auth/password.ts';
import { totpCode } from '../auth/totp.ts';
import * as directory from '../directory/repository.ts';
import { DEMO_PASSWORD, demoOrganisations, demoPeople, demoTotpSecret } from './data.ts';
import { demoCode, demoGuide, demoLoaded, seedDemo } from './service.ts';

test('the demo has someone in every role, in organisations where the role is allowed, with a password the rules accept', () => {
  const kinds = new Map(demoOrganisations.map((o) => [o.code, o.kind]));
  const held = new Set(demoPeople.flatMap((p) => p.roles.map(([, role]) => role)));
  assert.deepEqual(roleNames.filter((role) => !held.has(role)), []);
  for (const person of demoPeople) {
    for (const [code, role, team] of person.roles) {
      assert.ok(roleAllowedIn(role, kinds.get(code)!), `${person.email}: ${role} in ${code}`);
      if (team) assert.ok(demoOrganisations.find((o) => o.code === code)!.teams.includes(team), `${person.email}: team ${team}`);
    }
    assert.equal(passwordProblem(DEMO_PASSWORD, { email: person.email, displayName: person.name }), null, person.email);
  }
  assert.ok(demoPeople.some((p) => new Set(p.roles.map(([code]) => code)).size > 1), 'someone works for two organisations');
  const administrators = demoPeople.filter((p) => p.roles.some(([, role]) => role === 'administrator')).map((p) => kinds.get(p.roles[0]![0]));
  assert.ok(administrators.includes('national') && administrators.includes('police_force'));
  assert.equal(new Set(demoPeople.map((p) => demoTotpSecret(p.email))).size, demoPeople.length, 'every account has its own authenticator key');
  assert.match(demoGuide('http://localhost:3000').join('\n'), new RegExp(`${DEMO_PASSWORD}[\\s\\S]*demo code --email`));
});

for (const engine of engines) {
  test(`${engine}: the demo loads into an empty database once, starts over with reset, and its accounts sign in`, async () => {
    const t = await testApp(engine);
    try {
      assert.equal(await demoLoaded(t.platform), false);
      assert.equal((await seedDemo(t.platform)).seeded, true);
      assert.equal((await seedDemo(t.platform)).seeded, false);
      assert.equal((await directory.listOrganisations(t.platform.db)).length, demoOrganisations.length);

      // Something added since is gone after a reset, and the journal starts again intact.
      await t.organisation('EXTRA', 'police_force');
      const reset = await seedDemo(t.platform, { reset: true });
      assert.deepEqual(reset, { seeded: true, organisations: demoOrganisations.length, people: demoPeople.length });
      assert.equal(await directory.findOrganisationByCode(t.platform.db, 'EXTRA'), undefined);
      const journal = await verifyJournal(t.platform.db, t.platform.config.secretKey);
      assert.deepEqual(journal, { ok: true, checked: 1, problems: [] });
      assert.equal(await demoLoaded(t.platform), true);

      const nadia = (await directory.findUserByEmail(t.platform.db, 'nadia.hussain@avs.police.example'))!;
      assert.deepEqual((await directory.membershipsOf(t.platform.db, nadia.id)).map((m) => m.organisation_code).sort(), ['AVS', 'CPS-SW']);

      // The published password, then the code the published key gives.
      const email = 'sam.taylor@avs.police.example';
      const start = await t.app.inject({ method: 'GET', url: '/sign-in' });
      let cookie = cookieHeader(start);
      const password = await t.app.inject({
        method: 'POST',
        url: '/sign-in',
        headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
        payload: new URLSearchParams({ _csrf: csrfFrom(start.body), email, password: DEMO_PASSWORD }).toString(),
      });
      assert.equal(password.statusCode, 303);
      assert.match(String(password.headers.location), /^\/sign-in\/code/);
      cookie = `${cookie}; ${cookieHeader(password)}`;
      const codePage = await t.app.inject({ method: 'GET', url: '/sign-in/code', headers: { cookie } });
      const { code } = await demoCode(t.platform, email);
      assert.equal(code, totpCode(demoTotpSecret(email), t.clock.now()));
      const signedIn = await t.app.inject({
        method: 'POST',
        url: '/sign-in/code',
        headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
        payload: new URLSearchParams({ _csrf: csrfFrom(codePage.body), code }).toString(),
      });
      assert.equal(signedIn.statusCode, 303);
      assert.equal(signedIn.headers.location, '/');
    } finally {
      await t.close();
    }
  });

  test(`${engine}: the demo refuses to load or give codes when demo mode is off`, async () => {
    const t = await testApp(engine, { DEMO: 'false' });
    try {
      await assert.rejects(seedDemo(t.platform), /demo mode only/);
      await assert.rejects(demoCode(t.platform, 'sam.taylor@avs.police.example'), /demo mode only/);
      assert.deepEqual(await directory.listOrganisations(t.platform.db), []);
    } finally {
      await t.close();
    }
  });
}
