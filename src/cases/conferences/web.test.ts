// Conferences and notes through HTTP on both engines: the record form with
// its error summary (rows of other attendees and actions left empty are
// ignored), the list, marking an action done (a stale page is a conflict),
// the API with Idempotency-Key; notes added on their page, never with their
// text in the journal; the details form; and the break-glass review page.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { engines } from '../../../test/support/databases.ts';
import { apiClient } from '../../platform/api/test-support.ts';
import { caseTestApp } from '../test-support.ts';

const versionOn = (html: string) => /name="version" value="(\d+)"/.exec(html)?.[1] ?? '';

for (const engine of engines) {
  test(`${engine}: conference, notes, details and review pages`, async (s) => {
    const { t, w } = await caseTestApp(engine);
    try {
      t.clock.set(new Date('2025-06-02T10:00:00Z'));
      const oic = await t.signIn(w.oic);
      const prosecutor = await t.signIn(w.prosecutor);
      const base = `/cases/${w.caseId}`;

      await s.test('recording a conference through the form', async () => {
        assert.match((await oic.get(base)).body, new RegExp(`href="${base}/conferences/new"`));
        const form = await oic.get(`${base}/conferences/new`);
        assert.equal(form.statusCode, 200);
        assert.match(form.body, /Daniel Okafor/, 'the case team is offered as attendees');
        const bad = await oic.post(`${base}/conferences/new`, { version: versionOn(form.body), kind: 'early_case_planning', 'actions-2-description': 'Chase the download' });
        assert.equal(bad.statusCode, 400);
        for (const field of ['heldOn-day', 'teamAttendees', 'decisions', 'actions-2-ownerSide', 'actions-2-dueOn-day']) assert.match(bad.body, new RegExp(`href="#${field}"`));
        assert.match(bad.body, /Chase the download/, 'what was typed is kept');
        const done = await oic.post(`${base}/conferences/new`, {
          version: versionOn(form.body), kind: 'early_case_planning', 'heldOn-day': '30', 'heldOn-month': '5', 'heldOn-year': '2025',
          teamAttendees: [w.oic.id, w.prosecutor.id], 'others-1-name': 'Ravi Patel', 'others-1-organisation': 'Bristol ISVA service', 'others-1-role': 'ISVA',
          decisions: 'Agree the lines of enquiry.', 'actions-1-description': 'Obtain the phone download', 'actions-1-ownerSide': 'police', 'actions-1-dueOn-day': '13', 'actions-1-dueOn-month': '6', 'actions-1-dueOn-year': '2025',
        });
        assert.equal(done.statusCode, 303, done.body);
        const list = await prosecutor.get(`${base}/conferences`);
        assert.match(list.body, /Early case planning conference: Held on 30 May 2025/);
        assert.match(list.body, /Ravi Patel \(ISVA, Bristol ISVA service\)/);
        const doneHref = /action="(\/cases\/[^"]+\/done)"/.exec(list.body)?.[1] ?? '';
        const stale = await prosecutor.post(doneHref, { version: String(Number(versionOn(list.body)) - 1) });
        assert.equal(stale.statusCode, 409);
        assert.equal((await prosecutor.post(doneHref, { version: versionOn(list.body) })).statusCode, 303);
        assert.match((await oic.get(`${base}/conferences`)).body, /Done \(Daniel Okafor\)/);
        assert.match((await oic.get(base)).body, /Early case planning conference recorded/, 'the timeline describes it');
      });

      await s.test('the conference API answers a retried create once', async () => {
        const api = await apiClient(t, { person: w.prosecutor, organisationId: w.area });
        const body = { kind: 'case_management_panel', heldOn: '2025-06-01', teamAttendees: [w.prosecutor.id], decisions: 'Review the file.', actions: [{ description: 'Send the file', ownerSide: 'cps', dueOn: '2025-06-20' }] };
        const post = () => api.request({ method: 'POST', url: `/api/v1/cases/${w.caseId}/conferences`, headers: { 'content-type': 'application/json', 'idempotency-key': 'panel-1' }, payload: JSON.stringify(body) });
        const first = await post();
        assert.equal(first.statusCode, 201, first.body);
        assert.deepEqual((await post()).json(), first.json());
        const listed = (await api.get(`/api/v1/cases/${w.caseId}/conferences`)).json();
        assert.equal(listed.conferences.filter((c: { kind: string }) => c.kind === 'case_management_panel').length, 1);
        const actionId = listed.conferences.find((c: { kind: string }) => c.kind === 'case_management_panel').actions[0].id;
        const done = (headers: Record<string, string>) => api.request({ method: 'POST', url: `/api/v1/cases/${w.caseId}/conference-actions/${actionId}/done`, headers });
        assert.equal((await done({})).statusCode, 428);
        assert.equal((await done({ 'if-match': '"1"' })).statusCode, 412);
        assert.equal((await done({ 'if-match': `"${first.json().caseVersion}"` })).statusCode, 200);
      });

      await s.test('notes: added on their page, shown with kind and author', async () => {
        const page = await oic.get(`${base}/notes`);
        assert.equal(page.statusCode, 200);
        const empty = await oic.post(`${base}/notes`, { version: versionOn(page.body) });
        assert.equal(empty.statusCode, 400);
        assert.match(empty.body, /href="#kind"/);
        assert.equal((await oic.post(`${base}/notes`, { version: versionOn(page.body), kind: 'fact', text: 'Victim gave a second account on 1 June.' })).statusCode, 303);
        const shown = await prosecutor.get(`${base}/notes`);
        assert.match(shown.body, /Fact by Sam Taylor/);
        assert.match(shown.body, /second account/);
        const journal = await t.database.db.selectFrom('case_events').select('data').where('case_id', '=', w.caseId).where('type', '=', 'case.note-added').execute();
        assert.ok(journal.every((e) => !e.data.includes('second account')), 'the journal holds no note text');
      });

      await s.test('the details form: URN normalised; a stale form is a conflict', async () => {
        const form = await prosecutor.get(`${base}/details`);
        assert.equal(form.statusCode, 200);
        const bad = await prosecutor.post(`${base}/details`, { version: versionOn(form.body), cpsUrn: '52AB12', courtCaseNumber: '' });
        assert.equal(bad.statusCode, 400);
        assert.match(bad.body, /href="#cpsUrn"/);
        assert.equal((await prosecutor.post(`${base}/details`, { version: versionOn(form.body), cpsUrn: '52 AB 12345 25', courtCaseNumber: '' })).statusCode, 303);
        assert.equal((await prosecutor.post(`${base}/details`, { version: versionOn(form.body), cpsUrn: '52AB1234526', courtCaseNumber: '' })).statusCode, 409);
        const overview = await oic.get(base);
        assert.match(overview.body, /52AB1234525/);
        assert.match(overview.body, /CPS URN set to 52AB1234525/);
      });

      await s.test('break-glass review: listed for the force’s supervisor, reviewed once', async () => {
        await w.cases.breakGlass(w.actor(w.colleague), w.context(w.colleague), { reference: 'AS/10001/25', reason: 'Covering for the officer on leave' }, '2099-01-01T00:00:00.000Z');
        assert.equal((await oic.get('/cases/break-glass/reviews')).statusCode, 403);
        const supervisor = await t.signIn(w.supervisor);
        const page = await supervisor.get('/cases/break-glass/reviews');
        assert.equal(page.statusCode, 200);
        assert.match(page.body, /Kim Lee/);
        const grantId = /name="grantId" value="([0-9a-f-]{36})"/.exec(page.body)?.[1] ?? '';
        const unchosen = await supervisor.post('/cases/break-glass/reviews', { grantId });
        assert.equal(unchosen.statusCode, 400);
        assert.match(unchosen.body, new RegExp(`href="#outcome-${grantId}"`));
        assert.equal((await supervisor.post('/cases/break-glass/reviews', { grantId, outcome: 'appropriate' })).statusCode, 303);
        assert.doesNotMatch((await supervisor.get('/cases/break-glass/reviews')).body, /Kim Lee/);
      });
    } finally {
      await t.close();
    }
  });
}
