import { test } from 'node:test';
import assert from 'node:assert/strict';
import { engines } from '../../../test/support/databases.ts';
import { TEST_PASSWORD, cookieHeader, csrfFrom, testApp } from '../../../test/support/app.ts';
import type { TestApp } from '../../../test/support/app.ts';
import { totpCode } from './totp.ts';
import { safeNext } from './web.ts';

async function passwordStep(t: TestApp, email: string) {
  const page = await t.app.inject({ method: 'GET', url: '/sign-in' });
  const response = await t.app.inject({
    method: 'POST',
    url: '/sign-in',
    headers: { cookie: cookieHeader(page), 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams({ _csrf: csrfFrom(page.body), email, password: TEST_PASSWORD }).toString(),
  });
  return { response, cookie: cookieHeader(response) };
}

async function postCode(t: TestApp, url: string, cookie: string, code: string) {
  const page = await t.app.inject({ method: 'GET', url, headers: { cookie } });
  return t.app.inject({
    method: 'POST',
    url,
    headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams({ _csrf: csrfFrom(page.body), code }).toString(),
  });
}

for (const engine of engines) {
  test(`${engine}: the session cookie is __Host-, Secure, HttpOnly, SameSite=Lax and replaced at sign-in`, async () => {
    const t = await testApp(engine);
    try {
      const force = await t.organisation('AVS', 'police_force');
      const sam = await t.person({ email: 'sam@avs.police.uk', roles: [[force, 'investigator']] });
      const { response, cookie } = await passwordStep(t, sam.email);
      const first = response.cookies.find((c) => c.name === '__Host-rasso-session')!;
      assert.equal(first.secure, true);
      assert.equal(first.httpOnly, true);
      assert.equal(first.sameSite, 'Lax');
      assert.equal(first.path, '/');
      t.clock.advance({ seconds: 30 });
      const done = await postCode(t, '/sign-in/code', cookie, totpCode(sam.totpSecret, t.clock.now()));
      const second = done.cookies.find((c) => c.name === '__Host-rasso-session')!;
      assert.notEqual(second.value, first.value);
      // The half-way session is dead once the full one exists.
      const old = await t.app.inject({ method: 'GET', url: '/sign-in/code', headers: { cookie } });
      assert.equal(old.statusCode, 303);
      assert.equal(old.headers.location, '/sign-in?next=%2Fsign-in%2Fcode');
    } finally {
      await t.close();
    }
  });

  test(`${engine}: a person without an authenticator enrols at first sign-in, and a code works once only`, async () => {
    const t = await testApp(engine);
    try {
      const force = await t.organisation('AVS', 'police_force');
      const kim = await t.person({ email: 'kim@avs.police.uk', roles: [[force, 'investigator']], enrolled: false });
      const { response, cookie } = await passwordStep(t, kim.email);
      assert.match(response.headers.location as string, /^\/sign-in\/set-up-authenticator/);
      const page = await t.app.inject({ method: 'GET', url: '/sign-in/set-up-authenticator', headers: { cookie } });
      assert.match(page.body, /<svg/);
      const key = /<code class="rasso-key">([A-Z2-7 ]+)<\/code>/.exec(page.body)![1]!.replaceAll(' ', '');
      const again = await t.app.inject({ method: 'GET', url: '/sign-in/set-up-authenticator', headers: { cookie } });
      assert.match(again.body, new RegExp(key.replace(/(.{4})/g, '$1 ').trim()), 'the key stays the same until enrolment completes');
      const code = totpCode(key, t.clock.now());
      const wrong = await postCode(t, '/sign-in/set-up-authenticator', cookie, '000000' === code ? '111111' : '000000');
      assert.equal(wrong.statusCode, 400);
      assert.match(wrong.body, /govuk-error-summary/);
      const ok = await postCode(t, '/sign-in/set-up-authenticator', cookie, code);
      assert.equal(ok.statusCode, 303);

      // The same code cannot sign in a second time.
      const second = await passwordStep(t, kim.email);
      assert.match(second.response.headers.location as string, /^\/sign-in\/code/);
      const replay = await postCode(t, '/sign-in/code', second.cookie, code);
      assert.equal(replay.statusCode, 400);
      assert.match(replay.body, /already been used/);
    } finally {
      await t.close();
    }
  });

  test(`${engine}: sessions end after 15 idle minutes and after 10 hours however active`, async () => {
    const t = await testApp(engine);
    try {
      const force = await t.organisation('AVS', 'police_force');
      const sam = await t.person({ email: 'sam@avs.police.uk', roles: [[force, 'investigator']] });
      const agent = await t.signIn(sam);
      t.clock.advance({ minutes: 14 });
      assert.equal((await agent.get('/')).statusCode, 200);
      t.clock.advance({ minutes: 14 });
      assert.equal((await agent.get('/')).statusCode, 200, 'activity keeps the session alive');
      t.clock.advance({ minutes: 16 });
      const idle = await agent.get('/');
      assert.equal(idle.statusCode, 303);
      assert.match(idle.headers.location as string, /^\/sign-in/);

      const busy = await t.signIn(sam);
      for (let minutes = 0; minutes < 10 * 60; minutes += 10) {
        t.clock.advance({ minutes: 10 });
        const response = await busy.get('/');
        if (minutes + 10 < 10 * 60 - 1) assert.equal(response.statusCode, 200);
      }
      t.clock.advance({ minutes: 1 });
      assert.equal((await busy.get('/')).statusCode, 303);
    } finally {
      await t.close();
    }
  });

  test(`${engine}: "Stay signed in" resets the idle clock; sign out everywhere ends every session`, async () => {
    const t = await testApp(engine);
    try {
      const force = await t.organisation('AVS', 'police_force');
      const sam = await t.person({ email: 'sam@avs.police.uk', roles: [[force, 'investigator']] });
      const laptop = await t.signIn(sam);
      const phone = await t.signIn(sam);
      t.clock.advance({ minutes: 14 });
      const extended = await laptop.request({ method: 'POST', url: '/session/extend', headers: { accept: 'application/json', 'x-csrf-token': laptop.csrfToken } });
      assert.equal(extended.statusCode, 200);
      t.clock.advance({ minutes: 14 });
      assert.equal((await laptop.get('/')).statusCode, 200);
      assert.equal((await phone.get('/')).statusCode, 303, 'the other session was idle');

      const tablet = await t.signIn(sam);
      const out = await laptop.post('/sign-out', { everywhere: 'yes' });
      assert.equal(out.statusCode, 303);
      assert.equal((await laptop.get('/')).statusCode, 303);
      assert.equal((await tablet.get('/')).statusCode, 303);
      const entries = await t.platform.db.selectFrom('audit_events').select('details').where('action', '=', 'sign-out').execute();
      assert.ok(entries.some((e) => e.details.includes('sign-out.everywhere')));
    } finally {
      await t.close();
    }
  });

  test(`${engine}: a person in two organisations switches between them, but not into a third`, async () => {
    const t = await testApp(engine);
    try {
      const force = await t.organisation('AVS', 'police_force', 'Avon and Somerset Police');
      const area = await t.organisation('CPSSW', 'cps_area', 'CPS South West');
      const other = await t.organisation('MPS', 'police_force', 'Metropolitan Police Service');
      const lee = await t.person({ email: 'lee@avs.police.uk', roles: [[force, 'paralegal'], [area, 'paralegal']] });
      const agent = await t.signIn(lee);
      assert.match((await agent.get('/')).body, /at Avon and Somerset Police/);
      assert.equal((await agent.post('/account/organisation', { organisation: area })).statusCode, 303);
      assert.match((await agent.get('/')).body, /at CPS South West/);
      const refused = await agent.post('/account/organisation', { organisation: other });
      assert.equal(refused.statusCode, 400);
      assert.match((await agent.get('/')).body, /at CPS South West/);
    } finally {
      await t.close();
    }
  });

  test(`${engine}: the set-up page sends away anyone not enrolling, and a bad Referer is harmless`, async () => {
    const t = await testApp(engine);
    try {
      const force = await t.organisation('AVS', 'police_force');
      const sam = await t.person({ email: 'sam@avs.police.uk', roles: [[force, 'investigator']] });
      const { cookie } = await passwordStep(t, sam.email);
      const atCode = await postCode(t, '/sign-in/code', cookie, '');
      assert.equal(atCode.statusCode, 400);
      const setUp = await t.app.inject({
        method: 'POST',
        url: '/sign-in/set-up-authenticator',
        headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
        payload: new URLSearchParams({ _csrf: csrfFrom(atCode.body), code: '123456' }).toString(),
      });
      assert.equal(setUp.statusCode, 303);
      assert.equal(setUp.headers.location, '/sign-in/code');

      const agent = await t.signIn(sam);
      const extended = await agent.request({ method: 'POST', url: '/session/extend', headers: { referer: 'not a url', 'x-csrf-token': agent.csrfToken } });
      assert.equal(extended.statusCode, 303);
      assert.equal(extended.headers.location, '/');
    } finally {
      await t.close();
    }
  });
}

test('after sign-in only same-site paths are followed', () => {
  assert.equal(safeNext('/admin/organisations'), '/admin/organisations');
  assert.equal(safeNext('//evil.example'), '/');
  assert.equal(safeNext('/\\evil.example'), '/');
  assert.equal(safeNext('https://evil.example/'), '/');
  assert.equal(safeNext('/sign-in/code'), '/');
  assert.equal(safeNext(undefined), '/');
});
