// The case pages through HTTP on both engines: my cases (sorted, paged), the
// create form with its error summary, the case page with its timeline, the
// forms that change the case (only legal next stages offered; a stale form
// is a conflict and writes nothing) and break-glass, which never reveals
// whether a case exists.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { engines } from '../../test/support/databases.ts';
import type { TestApp } from '../../test/support/app.ts';
import { systemContext } from '../platform/audit/model.ts';
import { caseTestApp, worldCase } from './test-support.ts';

const versionOn = (html: string) => /name="version" value="(\d+)"/.exec(html)?.[1] ?? '';

async function events(t: TestApp, caseId: string) {
  return t.database.db.selectFrom('case_events').select(['seq', 'type']).where('case_id', '=', caseId).orderBy('seq').execute();
}

for (const engine of engines) {
  test(`${engine}: the case pages`, async (s) => {
    const { t, w } = await caseTestApp(engine);
    try {
      const oic = await t.signIn(w.oic);

      await s.test('my cases lists the cases the person is on the team of, with sortable headings', async () => {
        const page = await oic.get('/cases');
        assert.equal(page.statusCode, 200);
        assert.match(page.body, /AS\/10001\/25/);
        assert.match(page.body, /href="\/cases\/new"/);
        assert.match(page.body, /aria-sort="descending"[^>]*>\s*<a class="govuk-link" href="\/cases\?sort=updated&#38;order=ascending"/);
        const sorted = await oic.get('/cases?sort=reference&order=ascending&page=7');
        assert.equal(sorted.statusCode, 200);
        assert.match(sorted.body, /aria-sort="ascending"/);
        const isva = await t.signIn(w.isva);
        const empty = await isva.get('/cases');
        assert.equal(empty.statusCode, 200);
        assert.doesNotMatch(empty.body, /AS\/10001\/25/);
        assert.doesNotMatch(empty.body, /href="\/cases\/new"/);
        assert.doesNotMatch(empty.body, /href="\/cases\/break-glass"/, 'ISVAs are not offered break-glass');
      });

      await s.test('my cases leads to the work queues a person may use, and supervisors to the break-glass reviews', async () => {
        const mine = (await oic.get('/cases')).body;
        assert.match(mine, /href="\/cases\/queues\/awaiting-response"/);
        assert.doesNotMatch(mine, /href="\/cases\/queues\/unit"/, 'the unit view is for supervisors');
        assert.doesNotMatch(mine, /href="\/cases\/break-glass\/reviews"/);
        const supervisor = (await (await t.signIn(w.supervisor)).get('/cases')).body;
        assert.match(supervisor, /href="\/cases\/queues\/unit"/);
        assert.match(supervisor, /href="\/cases\/break-glass\/reviews"/);
      });

      await s.test('creating a case: errors are summarised, then the case is made and shown', async () => {
        const form = await oic.get('/cases/new');
        assert.equal(form.statusCode, 200);
        assert.match(form.body, /CPS South West/);
        const empty = await oic.post('/cases/new', {});
        assert.equal(empty.statusCode, 400);
        assert.match(empty.body, /govuk-error-summary/);
        for (const anchor of ['#policeReference', '#cpsAreaId', '#offenceClass', '#reportedOn-day']) assert.match(empty.body, new RegExp(`href="${anchor}"`));
        const made = await oic.post('/cases/new', {
          policeReference: 'AS/44444/25', cpsAreaId: w.area, offenceClass: 'rape_16_plus', flags: ['domesticAbuse', 'repeatSuspect'],
          'reportedOn-day': '3', 'reportedOn-month': '4', 'reportedOn-year': '2025',
        });
        assert.equal(made.statusCode, 303);
        const casePage = await oic.get(String(made.headers.location));
        assert.equal(casePage.statusCode, 200);
        assert.match(casePage.body, /Case AS\/44444\/25 created/);
        assert.match(casePage.body, /Domestic-abuse related, Repeat suspect/);
        assert.match(casePage.body, /moj-timeline/);
        const prosecutor = await t.signIn(w.prosecutor);
        assert.equal((await prosecutor.get('/cases/new')).statusCode, 403);
      });

      await s.test('the case page shows people, team and a timeline newest first; others get "Page not found"', async () => {
        const page = await oic.get(`/cases/${w.caseId}`);
        assert.equal(page.statusCode, 200);
        assert.match(page.body, /Victim One/);
        assert.match(page.body, /Daniel Okafor/);
        const titles = [...page.body.matchAll(/class="moj-timeline__title">([^<]+)</g)].map((m) => m[1]);
        assert.equal(titles[0], 'Stage changed');
        assert.equal(titles.at(-1), 'Case created');
        for (const person of [w.otherForceInvestigator, w.analyst, w.colleague]) {
          const stranger = await t.signIn(person);
          const refused = await stranger.get(`/cases/${w.caseId}`);
          assert.equal(refused.statusCode, 404);
          assert.doesNotMatch(refused.body, /AS\/10001\/25/);
        }
      });

      await s.test('moving the stage offers only the legal next stages the form may make; a stale form is a conflict and writes nothing', async () => {
        const caseId = await w.cases.operator.createCase(systemContext(), { ...worldCase(w.force, w.area, w.oic.id, w.prosecutor.id, 'AS/STAGE/1'), path: [] });
        const form = await oic.get(`/cases/${caseId}/stage`);
        assert.equal(form.statusCode, 200);
        const offered = [...form.body.matchAll(/name="stage" type="radio" value="([a-z_]+)"/g)].map((m) => m[1]);
        assert.deepEqual(offered, ['initial_response', 'investigation'], 'police NFA has a command of its own');
        const version = versionOn(form.body);
        const illegal = await oic.post(`/cases/${caseId}/stage`, { stage: 'charged', version });
        assert.equal(illegal.statusCode, 400);
        assert.match(illegal.body, /cannot move to ‘Charged’/);
        const byCommand = await oic.post(`/cases/${caseId}/stage`, { stage: 'police_nfa', version });
        assert.equal(byCommand.statusCode, 400);
        assert.match(byCommand.body, /use ‘Record a police decision of no further action’/);
        const moved = await oic.post(`/cases/${caseId}/stage`, { stage: 'initial_response', version });
        assert.equal(moved.statusCode, 303);
        const before = (await events(t, caseId)).length;
        const stale = await oic.post(`/cases/${caseId}/stage`, { stage: 'investigation', version });
        assert.equal(stale.statusCode, 409);
        assert.match(stale.body, /Someone else changed this case/);
        assert.equal((await events(t, caseId)).length, before);
        const atInvestigation = await oic.get(`/cases/${w.caseId}/stage`);
        assert.match(atInvestigation.body, /cannot be moved from here/);
      });

      await s.test('adding a person and allocating the team', async () => {
        const form = await oic.get(`/cases/${w.caseId}/people/new`);
        assert.equal(form.statusCode, 200);
        const invalid = await oic.post(`/cases/${w.caseId}/people/new`, { version: versionOn(form.body), category: 'witness', name: '', 'dateOfBirth-day': '40', 'dateOfBirth-month': '1', 'dateOfBirth-year': '1990' });
        assert.equal(invalid.statusCode, 400);
        assert.match(invalid.body, /href="#name"/);
        assert.match(invalid.body, /href="#dateOfBirth-day"/);
        const added = await oic.post(`/cases/${w.caseId}/people/new`, { version: versionOn(form.body), category: 'witness', name: 'Wendy Witness', 'dateOfBirth-day': '', 'dateOfBirth-month': '', 'dateOfBirth-year': '' });
        assert.equal(added.statusCode, 303);
        assert.match((await oic.get(`/cases/${w.caseId}`)).body, /Wendy Witness/);

        assert.equal((await oic.get(`/cases/${w.caseId}/team/new`)).statusCode, 403, 'an officer does not allocate');
        const supervisor = await t.signIn(w.supervisor);
        const allocate = await supervisor.get(`/cases/${w.caseId}/team/new`);
        assert.equal(allocate.statusCode, 200);
        assert.match(allocate.body, /Kim Lee/);
        assert.doesNotMatch(allocate.body, /Daniel Okafor<\/option>/);
        const done = await supervisor.post(`/cases/${w.caseId}/team/new`, { version: versionOn(allocate.body), role: 'supervisor', userId: w.supervisor.id });
        assert.equal(done.statusCode, 303);
        assert.match((await supervisor.get(`/cases/${w.caseId}`)).body, /Supervisor allocated/);
      });

      await s.test('every case page and form is "not found" to someone of another force, an ISVA or an analyst, and each attempt is journalled', async () => {
        const routes = ['', '/people/new', '/team/new', '/stage'];
        for (const person of [w.otherForceInvestigator, w.otherAreaDcp, w.isva, w.analyst]) {
          const agent = await t.signIn(person);
          for (const route of routes) {
            for (const method of ['GET', 'POST'] as const) {
              if (method === 'POST' && route === '') continue;
              const before = await t.database.db.selectFrom('audit_events').select('seq').where('actor_user_id', '=', person.id).where('action', '=', 'deny').where('object_id', '=', w.caseId).execute();
              const url = `/cases/${w.caseId}${route}`;
              const answer = method === 'GET' ? await agent.get(url) : await agent.post(url, { version: '1', stage: 'early_advice' });
              assert.equal(answer.statusCode, 404, `${method} ${url} as ${person.email}`);
              const after = await t.database.db.selectFrom('audit_events').select('seq').where('actor_user_id', '=', person.id).where('action', '=', 'deny').where('object_id', '=', w.caseId).execute();
              assert.equal(after.length, before.length + 1, `${method} ${url} as ${person.email} is journalled`);
            }
          }
        }
      });

      await s.test('break-glass: a reason opens a case of the person’s own force; otherwise the same message', async () => {
        const colleague = await t.signIn(w.colleague);
        assert.equal((await colleague.get('/cases/break-glass')).statusCode, 200);
        const noReason = await colleague.post('/cases/break-glass', { reference: 'AS/10001/25', reason: '' });
        assert.equal(noReason.statusCode, 400);
        assert.match(noReason.body, /href="#reason"/);
        const stranger = await t.signIn(w.otherForceInvestigator);
        const elsewhere = await stranger.post('/cases/break-glass', { reference: 'AS/10001/25', reason: 'Checking a linked report from last week' });
        const missing = await stranger.post('/cases/break-glass', { reference: 'AS/99999/25', reason: 'Checking a linked report from last week' });
        assert.equal(elsewhere.statusCode, 400);
        const message = (html: string) => /govuk-error-summary__list">([\s\S]*?)<\/ul>/.exec(html)?.[1]?.replace(/\s+/g, ' ');
        assert.equal(message(elsewhere.body), message(missing.body));
        const opened = await colleague.post('/cases/break-glass', { reference: 'as/10001/25', reason: 'Suspect arrested on another of my cases tonight' });
        assert.equal(opened.statusCode, 303);
        assert.equal(opened.headers.location, `/cases/${w.caseId}`);
        const page = await colleague.get(`/cases/${w.caseId}`);
        assert.equal(page.statusCode, 200);
        assert.match(page.body, /You are not on this case’s team/);
        assert.doesNotMatch(page.body, /href="\/cases\/[^"]+\/stage"/, 'break-glass is for reading');
        assert.equal((await colleague.post(`/cases/${w.caseId}/stage`, { stage: 'investigation', version: '1' })).statusCode, 403);
        const isva = await t.signIn(w.isva);
        assert.equal((await isva.get('/cases/break-glass')).statusCode, 403);
      });
    } finally {
      await t.close();
    }
  });
}
