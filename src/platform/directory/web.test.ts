import { test } from 'node:test';
import assert from 'node:assert/strict';
import { engines } from '../../../test/support/databases.ts';
import { cookieHeader, csrfFrom, testApp } from '../../../test/support/app.ts';
import type { Agent, TestApp } from '../../../test/support/app.ts';
import { newId } from '../db/ids.ts';
import * as repository from './repository.ts';

const GOOD_PASSWORD = 'granite orchard whistle';

async function world(t: TestApp) {
  const national = await t.organisation('NRP', 'national', 'National RASSO Programme');
  const avon = await t.organisation('AVS', 'police_force', 'Avon and Somerset Police');
  const met = await t.organisation('MPS', 'police_force', 'Metropolitan Police Service');
  const alex = await t.person({ email: 'alex@nrp.example', name: 'Alex Morgan', roles: [[national, 'administrator']] });
  const lee = await t.person({ email: 'lee@avs.example', name: 'Lee Harris', roles: [[avon, 'administrator']] });
  const sam = await t.person({ email: 'sam@avs.example', name: 'Sam Taylor', roles: [[avon, 'investigator']] });
  const ruth = await t.person({ email: 'ruth@met.example', name: 'Ruth Adeyemi', roles: [[met, 'investigator']] });
  return { national, avon, met, alex, lee, sam, ruth };
}

/** Follows a redirect the way a browser would, returning the page it lands on. */
async function follow(agent: Agent, response: { statusCode: number; headers: Record<string, unknown> }) {
  assert.equal(response.statusCode, 303);
  return agent.get(String(response.headers.location));
}

for (const engine of engines) {
  test(`${engine}: administrators list the organisations they manage; others may not`, async () => {
    const t = await testApp(engine);
    try {
      const w = await world(t);
      const national = await (await t.signIn(w.alex)).get('/admin/organisations');
      assert.equal(national.statusCode, 200);
      for (const name of ['National RASSO Programme', 'Avon and Somerset Police', 'Metropolitan Police Service']) assert.match(national.body, new RegExp(name));
      assert.match(national.body, /href="\/admin\/organisations\/new"/);

      const local = await (await t.signIn(w.lee)).get('/admin/organisations');
      assert.match(local.body, /Avon and Somerset Police/);
      assert.doesNotMatch(local.body, /Metropolitan Police Service/);
      assert.doesNotMatch(local.body, /\/admin\/organisations\/new/);

      const investigator = await t.signIn(w.sam);
      assert.equal((await investigator.get('/admin/organisations')).statusCode, 403);
      assert.equal((await investigator.get(`/admin/organisations/${w.avon}`)).statusCode, 403);
    } finally {
      await t.close();
    }
  });

  test(`${engine}: an organisation's page shows its teams and people, 50 to a page with GOV.UK pagination`, async () => {
    const t = await testApp(engine);
    try {
      const w = await world(t);
      const now = t.clock.now().toISOString();
      for (let i = 0; i < 50; i += 1) {
        const id = newId();
        await repository.insertUser(t.platform.db, {
          id, email: `officer${i}@avs.example`, display_name: `Officer ${String(i).padStart(2, '0')}`, password_hash: null, totp_secret: null, totp_last_step: null,
          mfa_enrolled_at: null, oidc_issuer: null, oidc_subject: null, disabled_at: null, created_at: now, updated_at: now, version: 1,
        });
        await repository.insertMembership(t.platform.db, { id: newId(), user_id: id, organisation_id: w.avon, team_id: null, role: 'investigator', created_at: now });
      }
      const lee = await t.signIn(w.lee);
      const added = await lee.post(`/admin/organisations/${w.avon}/teams/new`, { name: 'Operation Bluestone' });
      const first = await follow(lee, added);
      assert.match(first.body, /Operation Bluestone has been added/);
      assert.match(first.body, /<li>Operation Bluestone<\/li>/);
      assert.match(first.body, /People with a role here: 52/);
      assert.match(first.body, /class="govuk-pagination"/);
      assert.match(first.body, new RegExp(`href="/admin/organisations/${w.avon}\\?page=2"`));
      assert.match(first.body, /Officer 48/);
      assert.doesNotMatch(first.body, /Officer 49/);
      const second = await lee.get(`/admin/organisations/${w.avon}?page=2`);
      assert.match(second.body, /Officer 49/);
      assert.match(second.body, /Sam Taylor/);
      assert.doesNotMatch(second.body, /Officer 48/);
      assert.equal((await lee.get(`/admin/organisations/${w.avon}?page=zzz`)).statusCode, 200);
    } finally {
      await t.close();
    }
  });

  test(`${engine}: adding a person shows errors in the summary, then the person signs in and sets up an authenticator`, async () => {
    const t = await testApp(engine);
    try {
      const w = await world(t);
      const lee = await t.signIn(w.lee);
      const form = await lee.get(`/admin/organisations/${w.avon}/people/new`);
      assert.equal(form.statusCode, 200);
      assert.match(form.body, /name="_csrf" value="[^"]+"/);
      assert.doesNotMatch(form.body, /value="isva"/, 'only roles a police force can hold are offered');

      const refused = await lee.post(`/admin/organisations/${w.avon}/people/new`, { name: 'Jo Bloggs', email: 'jo@', role: 'isva', password: 'short' });
      assert.equal(refused.statusCode, 400);
      assert.match(refused.body, /govuk-error-summary/);
      assert.match(refused.body, /href="#email"/);
      assert.match(refused.body, /href="#role"/);
      assert.match(refused.body, /href="#password"/);
      assert.match(refused.body, /value="Jo Bloggs"/);
      assert.doesNotMatch(refused.body, /value="short"/, 'the password is not sent back');

      const added = await lee.post(`/admin/organisations/${w.avon}/people/new`, { name: 'Jo Bloggs', email: 'jo@avs.example', role: 'investigator', password: GOOD_PASSWORD });
      const page = await follow(lee, added);
      assert.equal(page.statusCode, 200);
      assert.match(page.body, /Jo Bloggs has been added/);
      assert.match(page.body, /Investigator \(officer in the case\)/);

      const start = await t.app.inject({ method: 'GET', url: '/sign-in' });
      const signIn = await t.app.inject({
        method: 'POST',
        url: '/sign-in',
        headers: { cookie: cookieHeader(start), 'content-type': 'application/x-www-form-urlencoded' },
        payload: new URLSearchParams({ _csrf: csrfFrom(start.body), email: 'jo@avs.example', password: GOOD_PASSWORD }).toString(),
      });
      assert.equal(signIn.statusCode, 303);
      assert.match(String(signIn.headers.location), /^\/sign-in\/set-up-authenticator/);
    } finally {
      await t.close();
    }
  });

  test(`${engine}: a stale rename form shows the conflict and does not overwrite`, async () => {
    const t = await testApp(engine);
    try {
      const w = await world(t);
      const lee = await t.signIn(w.lee);
      const alex = await t.signIn(w.alex);
      const leeForm = await lee.get(`/admin/organisations/${w.avon}/name`);
      const version = /name="version" value="(\d+)"/.exec(leeForm.body)![1]!;
      const first = await alex.post(`/admin/organisations/${w.avon}/name`, { name: 'Avon & Somerset Constabulary', version });
      assert.match((await follow(alex, first)).body, /The organisation’s name has been changed/);

      const stale = await lee.post(`/admin/organisations/${w.avon}/name`, { name: 'Avon and Somerset', version });
      assert.equal(stale.statusCode, 409);
      assert.match(stale.body, /Someone else has changed this record/);
      assert.match(stale.body, /value="Avon &amp; Somerset Constabulary"/, 'the form now shows the latest name');
      assert.match(stale.body, new RegExp(`name="version" value="${Number(version) + 1}"`));
      assert.equal((await repository.findOrganisation(t.platform.db, w.avon))!.name, 'Avon & Somerset Constabulary');
    } finally {
      await t.close();
    }
  });

  test(`${engine}: people and organisations not yours are not found`, async () => {
    const t = await testApp(engine);
    try {
      const w = await world(t);
      const lee = await t.signIn(w.lee);
      assert.equal((await lee.get(`/admin/organisations/${w.met}`)).statusCode, 404);
      assert.equal((await lee.get(`/admin/organisations/${w.met}/people/${w.ruth.id}`)).statusCode, 404);
      assert.equal((await lee.get(`/admin/organisations/${w.avon}/people/${w.ruth.id}`)).statusCode, 404);
      assert.equal((await lee.get(`/admin/organisations/${w.avon}/people/not-an-id`)).statusCode, 404);
      assert.equal((await lee.post(`/admin/organisations/${w.met}/people/${w.ruth.id}/disable`)).statusCode, 404);
      assert.equal((await lee.get('/admin/organisations/new')).statusCode, 403);
      assert.equal((await repository.findUserById(t.platform.db, w.ruth.id))!.disabled_at, null);
    } finally {
      await t.close();
    }
  });

  test(`${engine}: malformed ids, versions and fields are refused, never a server error`, async () => {
    const t = await testApp(engine);
    try {
      const w = await world(t);
      const alex = await t.signIn(w.alex);
      assert.equal((await alex.get('/admin/organisations/%00')).statusCode, 404);
      assert.equal((await alex.get(`/admin/organisations/${w.avon}/people/%00abc`)).statusCode, 404);
      assert.equal((await alex.post(`/admin/organisations/${w.avon}/name`, { name: 'Avon', version: '2147483648' })).statusCode, 409);
      assert.equal((await alex.post(`/admin/organisations/${w.avon}/name`, { name: 'Av\u0000on', version: '1' })).statusCode, 400);
      const person = { name: 'Jo Bloggs', email: 'jo\u0000@avs.example', role: 'investigator', team: '\u0000', password: GOOD_PASSWORD };
      const refused = await alex.post(`/admin/organisations/${w.avon}/people/new`, person);
      assert.equal(refused.statusCode, 400);
      assert.match(refused.body, /href="#email"/);
      assert.match(refused.body, /href="#team"/);
      assert.equal((await alex.post(`/admin/organisations/${w.avon}/people/${w.sam.id}/roles/remove`, { role: '\u0000' })).statusCode, 303);
    } finally {
      await t.close();
    }
  });

  test(`${engine}: an administrator gives and removes roles, and disables an account, which signs its owner out`, async () => {
    const t = await testApp(engine);
    try {
      const w = await world(t);
      const lee = await t.signIn(w.lee);
      const sam = await t.signIn(w.sam);
      const person = `/admin/organisations/${w.avon}/people/${w.sam.id}`;

      const wrongRole = await lee.post(`${person}/roles/new`, { role: 'prosecutor' });
      assert.equal(wrongRole.statusCode, 400);
      assert.match(wrongRole.body, /Select a role that people in Avon and Somerset Police can have/);
      const given = await follow(lee, await lee.post(`${person}/roles/new`, { role: 'paralegal' }));
      assert.match(given.body, /The role Paralegal or case progression officer has been given/);

      const confirmRemove = await lee.get(`${person}/roles/remove?role=investigator`);
      assert.match(confirmRemove.body, /Remove the role Investigator \(officer in the case\) from Sam Taylor\?/);
      assert.match(confirmRemove.body, /name="role" value="investigator"/);
      const removed = await follow(lee, await lee.post(`${person}/roles/remove`, { role: 'investigator' }));
      assert.match(removed.body, /The role Investigator \(officer in the case\) has been removed/);

      assert.equal((await sam.get('/')).statusCode, 200);
      const confirmDisable = await lee.get(`${person}/disable`);
      assert.match(confirmDisable.body, /Disable Sam Taylor’s account\?/);
      const disabled = await follow(lee, await lee.post(`${person}/disable`));
      assert.match(disabled.body, /The account has been disabled/);
      assert.match(disabled.body, /Enable account/);
      assert.equal((await sam.get('/')).statusCode, 303, 'Sam is signed out');

      const enabled = await follow(lee, await lee.post(`${person}/enable`));
      assert.match(enabled.body, /The account has been enabled/);

      const self = await lee.get(`/admin/organisations/${w.avon}/people/${w.lee.id}`);
      assert.doesNotMatch(self.body, /Disable account/);
      const selfDisable = await lee.post(`/admin/organisations/${w.avon}/people/${w.lee.id}/disable`);
      assert.equal(selfDisable.statusCode, 400);
      assert.match(selfDisable.body, /You cannot do this to your own account/);
    } finally {
      await t.close();
    }
  });

  test(`${engine}: a national administrator adds an organisation`, async () => {
    const t = await testApp(engine);
    try {
      const w = await world(t);
      const alex = await t.signIn(w.alex);
      assert.match((await alex.get('/admin/organisations/new')).body, /name="_csrf"/);
      const refused = await alex.post('/admin/organisations/new', { code: 'AVS', name: 'Another', kind: 'police_force' });
      assert.equal(refused.statusCode, 400);
      assert.match(refused.body, /An organisation with this code already exists/);
      const page = await follow(alex, await alex.post('/admin/organisations/new', { code: 'cps-cw', name: 'CPS Cymru-Wales', kind: 'cps_area' }));
      assert.match(page.body, /CPS Cymru-Wales has been added/);
      assert.match(page.body, /CPS-CW/);
    } finally {
      await t.close();
    }
  });
}
