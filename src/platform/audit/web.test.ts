import { test } from 'node:test';
import assert from 'node:assert/strict';
import { engines } from '../../../test/support/databases.ts';
import { testApp } from '../../../test/support/app.ts';
import type { Agent, TestApp } from '../../../test/support/app.ts';
import { newId } from '../db/ids.ts';
import { systemContext } from './model.ts';
import type { AuditEntry } from './model.ts';

/** An entry made by someone acting for an organisation, as any module would write one. */
async function recordAs(t: TestApp, actor: { userId: string; organisationId: string }, entry: AuditEntry): Promise<void> {
  await t.platform.audit.audited({ ...systemContext(), ...actor, role: 'investigator' }, entry, async () => undefined);
}

async function journal(t: TestApp) {
  const rows = await t.database.db.selectFrom('audit_events').selectAll().orderBy('seq').execute();
  return rows.map((row) => ({ ...row, details: JSON.parse(row.details) as Record<string, unknown> }));
}

const searches = async (t: TestApp, userId: string) =>
  (await journal(t)).filter((row) => row.actor_user_id === userId && row.action === 'consult' && row.details.event === 'audit.search');

/** The address behind GOV.UK pagination's "next" (older) or "prev" (newer) link. */
function pageLink(html: string, which: 'next' | 'prev'): string | undefined {
  return new RegExp(`govuk-pagination__${which}">\\s*<a[^>]*href="([^"]+)"`).exec(html)?.[1]?.replaceAll('&amp;', '&');
}

/** The GET a redirect leads to, as a browser would follow it. */
async function follow(agent: Agent, response: { statusCode: number; headers: Record<string, unknown> }) {
  assert.equal(response.statusCode, 303);
  return agent.get(String(response.headers.location));
}

interface World {
  t: TestApp;
  force: string;
  area: string;
  avsRecord: string;
  cpsRecord: string;
  people: Record<'forceAdmin' | 'areaAdmin' | 'nationalAdmin' | 'investigator', { id: string; email: string; totpSecret: string }>;
}

async function world(engine: (typeof engines)[number]): Promise<World> {
  const t = await testApp(engine);
  const force = await t.organisation('AVS', 'police_force', 'Avon and Somerset Police');
  const area = await t.organisation('CPSSW', 'cps_area', 'CPS South West');
  const national = await t.organisation('NPCC', 'national', 'National Police Chiefs’ Council');
  const people = {
    forceAdmin: await t.person({ email: 'ada@avs.police.example.uk', name: 'Ada Force', roles: [[force, 'administrator']] }),
    areaAdmin: await t.person({ email: 'ari@cps.example.uk', name: 'Ari Area', roles: [[area, 'administrator']] }),
    nationalAdmin: await t.person({ email: 'nia@npcc.example.uk', name: 'Nia National', roles: [[national, 'administrator']] }),
    investigator: await t.person({ email: 'ivo@avs.police.example.uk', name: 'Ivo Investigator', roles: [[force, 'investigator']] }),
  };
  const avsRecord = newId();
  const cpsRecord = newId();
  await recordAs(t, { userId: people.investigator.id, organisationId: force }, { action: 'alter', event: 'case.update', objectType: 'case', objectId: avsRecord });
  await recordAs(t, { userId: people.areaAdmin.id, organisationId: area }, { action: 'alter', event: 'case.update', objectType: 'case', objectId: cpsRecord });
  return { t, force, area, avsRecord, cpsRecord, people };
}

for (const engine of engines) {
  test(`${engine}: an administrator sees their organisation's entries and not another's; a national administrator sees both`, async () => {
    const { t, avsRecord, cpsRecord, people } = await world(engine);
    try {
      const forceAdmin = await t.signIn(people.forceAdmin);
      const own = await forceAdmin.get('/audit');
      assert.equal(own.statusCode, 200);
      assert.match(own.body, new RegExp(avsRecord));
      assert.match(own.body, /Ivo Investigator, Avon and Somerset Police/);
      assert.doesNotMatch(own.body, new RegExp(cpsRecord));
      assert.match(own.body, /You can see entries made by people working for Avon and Somerset Police/);
      // Searching for the other organisation's record directly finds nothing either.
      const other = await forceAdmin.get(`/audit?object=${cpsRecord}`);
      assert.equal(other.statusCode, 200);
      assert.match(other.body, /No entries match your search/);

      const national = await t.signIn(people.nationalAdmin);
      const all = await national.get('/audit');
      assert.equal(all.statusCode, 200);
      assert.match(all.body, new RegExp(avsRecord));
      assert.match(all.body, new RegExp(cpsRecord));
      assert.match(all.body, /You can see entries from every organisation/);
    } finally {
      await t.close();
    }
  });

  test(`${engine}: someone without the audit permission is refused, and the refusal is in the journal`, async () => {
    const { t, people } = await world(engine);
    try {
      const investigator = await t.signIn(people.investigator);
      for (const response of [await investigator.get('/audit'), await investigator.post('/audit/verify'), await investigator.get('/api/v1/audit/events')]) {
        assert.equal(response.statusCode, 403);
      }
      const denials = (await journal(t)).filter((row) => row.action === 'deny' && row.actor_user_id === people.investigator.id);
      assert.deepEqual(denials.map((row) => [row.outcome, row.details.route, row.details.method]), [
        ['denied', '/audit', 'GET'],
        ['denied', '/audit/verify', 'POST'],
        ['denied', '/api/v1/audit/events', 'GET'],
      ]);
      assert.equal((await searches(t, people.investigator.id)).length, 0);
    } finally {
      await t.close();
    }
  });

  test(`${engine}: each search is recorded as a consultation of the journal, with its filters and what it showed`, async () => {
    const { t, force, avsRecord, people } = await world(engine);
    try {
      const admin = await t.signIn(people.forceAdmin);
      assert.equal((await searches(t, people.forceAdmin.id)).length, 0);
      await admin.get('/audit');
      assert.equal((await searches(t, people.forceAdmin.id)).length, 1);
      await admin.get(`/audit?object=${avsRecord}&action=alter`);
      const recorded = await searches(t, people.forceAdmin.id);
      assert.equal(recorded.length, 2);
      const last = recorded.at(-1)!;
      assert.equal(last.actor_organisation_id, force);
      assert.equal(last.object_type, 'audit_journal');
      assert.equal(last.details.object, avsRecord);
      assert.equal(last.details.action, 'alter');
      assert.equal(last.details.entries, 1);
      // The earlier search is itself an entry the next search can find.
      const page = await admin.get('/audit?action=consult');
      assert.match(page.body, /Consultation: audit\.search/);
    } finally {
      await t.close();
    }
  });

  test(`${engine}: "Check the journal" reports it intact, then finds a row edited in the database`, async () => {
    const { t, people } = await world(engine);
    try {
      const admin = await t.signIn(people.forceAdmin);
      const intact = await follow(admin, await admin.post('/audit/verify'));
      assert.match(intact.body, /The journal is intact: \d+ entries checked\./);

      await t.database.db.updateTable('audit_events').set({ outcome: 'failure' }).where('seq', '=', 2).execute();
      const broken = await follow(admin, await admin.post('/audit/verify'));
      assert.match(broken.body, /The journal has been tampered with\. \d+ entries checked and 1 problem found: row 2 has been edited\./);

      const checks = (await journal(t)).filter((row) => row.details.event === 'audit.verify');
      assert.deepEqual(checks.map((row) => [row.actor_user_id, row.outcome, row.details.problems]), [
        [people.forceAdmin.id, 'success', 0],
        [people.forceAdmin.id, 'failure', 1],
      ]);
      const refused = await admin.request({ method: 'POST', url: '/audit/verify', headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: '' });
      assert.equal(refused.statusCode, 403, 'the check needs the CSRF token');
    } finally {
      await t.close();
    }
  });

  test(`${engine}: searching by email address puts only the person's id in the address`, async () => {
    const { t, avsRecord, cpsRecord, people } = await world(engine);
    try {
      const admin = await t.signIn(people.forceAdmin);
      const posted = await admin.post('/audit', { person: ' IVO@avs.police.example.uk ', action: '', object: '', subject: '' });
      assert.equal(posted.statusCode, 303);
      assert.equal(posted.headers.location, `/audit?person=${people.investigator.id}`);
      const page = await admin.get(String(posted.headers.location));
      assert.match(page.body, new RegExp(avsRecord));
      assert.match(page.body, new RegExp(`value="${people.investigator.id}"`), 'the form shows the id it searched for');

      // Someone outside the auditor's organisation cannot be found by email, except by a national auditor.
      const outside = await admin.post('/audit', { person: people.areaAdmin.email });
      assert.equal(outside.statusCode, 400);
      assert.match(outside.body, /No one in your organisation has that email address/);
      assert.match(outside.body, /govuk-error-summary/);
      const national = await t.signIn(people.nationalAdmin);
      const found = await national.post('/audit', { person: people.areaAdmin.email });
      assert.equal(found.headers.location, `/audit?person=${people.areaAdmin.id}`);
      assert.match((await national.get(String(found.headers.location))).body, new RegExp(cpsRecord));
    } finally {
      await t.close();
    }
  });

  test(`${engine}: the search form is validated with an error summary, and a hand-made address is refused the same way`, async () => {
    const { t, people } = await world(engine);
    try {
      const admin = await t.signIn(people.forceAdmin);
      const invalid = await admin.post('/audit', {
        person: 'Ivo Investigator',
        action: 'shred',
        object: 'case 12',
        subject: 'DROP TABLE',
        'from-day': '30', 'from-month': '2', 'from-year': '2025',
        'to-day': '', 'to-month': '4', 'to-year': '',
      });
      assert.equal(invalid.statusCode, 400);
      assert.match(invalid.body, /<title>Error: /);
      for (const [href, message] of [
        ['#person', 'Enter an email address or a user id'],
        ['#action', 'Select an action from the list'],
        ['#object', 'Enter a record id like'],
        ['#subject', 'Enter a data subject id like'],
        ['#from-day', 'Date from must be a real date'],
        ['#to-day', 'Date to must include a day and year'],
      ]) {
        assert.match(invalid.body, new RegExp(`href="${href}">${message}`), `${href}: ${message}`);
      }
      assert.match(invalid.body, /value="Ivo Investigator"/, 'what was typed is shown back');

      const backwards = await admin.post('/audit', { 'from-day': '2', 'from-month': '3', 'from-year': '2025', 'to-day': '1', 'to-month': '3', 'to-year': '2025' });
      assert.match(backwards.body, /Date to must be the same as or after date from/);

      for (const address of ['/audit?person=ivo%40avs.police.example.uk', '/audit?from=2025-02-30', '/audit?action=shred', '/audit?before=0', '/audit?before=5&after=2', '/audit?object=a&object=b']) {
        const response = await admin.get(address);
        assert.equal(response.statusCode, 400, address);
        assert.match(response.body, /govuk-error-summary/, address);
      }
      assert.equal((await searches(t, people.forceAdmin.id)).length, 0, 'a refused search shows nothing and so records nothing');
    } finally {
      await t.close();
    }
  });

  test(`${engine}: dates are London days, and times are shown in London time`, async () => {
    const { t, force, people } = await world(engine);
    try {
      // 23:30 UTC on 30 June is 12:30am on 1 July in London (BST).
      t.clock.set('2025-06-30T23:30:00Z');
      const lateJune = newId();
      await recordAs(t, { userId: people.investigator.id, organisationId: force }, { action: 'consult', event: 'case.view', objectType: 'case', objectId: lateJune });
      t.clock.set('2025-12-01T12:00:00Z');
      const admin = await t.signIn(people.forceAdmin);
      const posted = await admin.post('/audit', { 'from-day': '1', 'from-month': '7', 'from-year': '2025', 'to-day': '1', 'to-month': '7', 'to-year': '2025' });
      assert.equal(posted.headers.location, '/audit?from=2025-07-01&to=2025-07-01');
      const july = await admin.get(String(posted.headers.location));
      assert.match(july.body, new RegExp(lateJune));
      assert.match(july.body, /1 July 2025 at 12:30am/);
      assert.match(july.body, /id="from-day" name="from-day" type="text" value="1"/);
      const june = await admin.get('/audit?to=2025-06-30');
      assert.doesNotMatch(june.body, new RegExp(lateJune));
    } finally {
      await t.close();
    }
  });

  test(`${engine}: results come newest first, 50 to a page, with older and newer links`, async () => {
    const { t, force, people } = await world(engine);
    try {
      const objects: string[] = [];
      for (let i = 0; i < 60; i += 1) {
        objects.push(newId());
        await recordAs(t, { userId: people.investigator.id, organisationId: force }, { action: 'consult', event: 'case.view', objectType: 'case', objectId: objects[i] });
      }
      const admin = await t.signIn(people.forceAdmin);
      const first = await admin.get(`/audit?person=${people.investigator.id}&action=consult`);
      const shown = (body: string) => objects.filter((id) => body.includes(id));
      const order = (body: string) => shown(body).sort((a, b) => body.indexOf(a) - body.indexOf(b));
      assert.deepEqual(order(first.body), objects.slice(10).reverse());
      assert.doesNotMatch(first.body, /Newer entries/);
      const older = pageLink(first.body, 'next');
      assert.ok(older, 'an older-entries link');
      assert.match(older, /person=.*action=consult.*before=\d+/);
      const second = await admin.get(older);
      assert.deepEqual(order(second.body), objects.slice(0, 10).reverse());
      assert.doesNotMatch(second.body, /Older entries/);
      const newer = pageLink(second.body, 'prev');
      assert.ok(newer, 'a newer-entries link');
      const back = await admin.get(newer);
      assert.deepEqual(order(back.body), objects.slice(10).reverse());
    } finally {
      await t.close();
    }
  });
}
