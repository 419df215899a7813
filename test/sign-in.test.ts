import { test } from 'node:test';
import assert from 'node:assert/strict';
import { engines } from './support/databases.ts';
import { TEST_PASSWORD, cookieHeader, csrfFrom, testApp } from './support/app.ts';

for (const engine of engines) {
  test(`${engine}: a person signs in with password and code, and reaches their home page`, async () => {
    const t = await testApp(engine);
    try {
      const force = await t.organisation('AVS', 'police_force', 'Avon and Somerset Police');
      const sam = await t.person({ email: 'sam@avs.police.uk', name: 'Sam Jones', roles: [[force, 'investigator']] });
      const agent = await t.signIn(sam);
      const home = await agent.get('/');
      assert.equal(home.statusCode, 200);
      assert.match(home.body, /Signed in as Sam Jones, Investigator \(officer in the case\) at Avon and Somerset Police/);
      assert.match(home.body, /OFFICIAL-SENSITIVE/);
      assert.doesNotMatch(home.body, /Open Government Licence/, 'case data is not offered for reuse');
      assert.equal(home.headers['cache-control'], 'no-store');
    } finally {
      await t.close();
    }
  });

  test(`${engine}: wrong passwords lock the account for 15 minutes, without saying whether it exists`, async () => {
    const t = await testApp(engine);
    try {
      const force = await t.organisation('AVS', 'police_force');
      await t.person({ email: 'sam@avs.police.uk', roles: [[force, 'investigator']] });
      const attempt = async (email: string, password: string) => {
        const page = await t.app.inject({ method: 'GET', url: '/sign-in' });
        return t.app.inject({
          method: 'POST',
          url: '/sign-in',
          headers: { cookie: cookieHeader(page), 'content-type': 'application/x-www-form-urlencoded' },
          payload: new URLSearchParams({ _csrf: csrfFrom(page.body), email, password }).toString(),
        });
      };
      for (let i = 0; i < 5; i += 1) {
        const known = await attempt('sam@avs.police.uk', 'not the password at all');
        const unknown = await attempt('nobody@avs.police.uk', 'not the password at all');
        assert.equal(known.statusCode, 400);
        assert.equal(unknown.statusCode, 400);
        assert.match(known.body, /Enter a correct email address and password/);
        assert.match(unknown.body, /Enter a correct email address and password/);
      }
      const locked = await attempt('sam@avs.police.uk', TEST_PASSWORD);
      const lockedUnknown = await attempt('nobody@avs.police.uk', TEST_PASSWORD);
      assert.match(locked.body, /Too many attempts/);
      assert.match(lockedUnknown.body, /Too many attempts/);
      t.clock.advance({ minutes: 16 });
      const after = await attempt('sam@avs.police.uk', TEST_PASSWORD);
      assert.equal(after.statusCode, 303);
    } finally {
      await t.close();
    }
  });
}
