// The investigation, deadlines and "time with each party" pages and their API
// through HTTP on both engines: forms with the error summary, post/redirect/
// get, the conflict on a stale form, pause and resume from the page, and the
// API's ETag, If-Match (428 without, 412 stale) and audited reads.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { engines } from '../../../test/support/databases.ts';
import { caseTestApp } from '../test-support.ts';

const versionOn = (html: string) => /name="version" value="(\d+)"/.exec(html)?.[1] ?? '';

for (const engine of engines) {
  test(`${engine}: investigation pages and API`, async (s) => {
    const { t, w } = await caseTestApp(engine);
    try {
      const oic = await t.signIn(w.oic);
      const supervisor = await t.signIn(w.supervisor);
      const base = `/cases/${w.caseId}`;

      await s.test('the investigation page and its forms', async () => {
        const page = await oic.get(`${base}/investigation`);
        assert.equal(page.statusCode, 200);
        assert.match(page.body, /Supervisory reviews have not started/);
        assert.match(page.body, /Suspect One/);
        assert.match(page.body, /href="\/cases\/[^"]+\/deadlines"/, 'the deadlines tab is in the sub-navigation');
        const start = await oic.get(`${base}/investigation/reviews/start`);
        const started = await oic.post(`${base}/investigation/reviews/start`, { version: versionOn(start.body) });
        assert.equal(started.statusCode, 303);
        assert.match((await oic.get(String(started.headers.location))).body, /Supervisory reviews started: the first is due/);
        const again = await oic.post(`${base}/investigation/reviews/start`, { version: versionOn(start.body) });
        assert.equal(again.statusCode, 400);
        assert.match(again.body, /Supervisory reviews have already started/);
        const bail = await oic.get(`${base}/investigation/bail/new`);
        const empty = await oic.post(`${base}/investigation/bail/new`, { version: versionOn(bail.body) });
        assert.equal(empty.statusCode, 400);
        assert.match(empty.body, /govuk-error-summary/);
        for (const anchor of ['#personId', '#startedOn-day', '#conditions']) assert.match(empty.body, new RegExp(`href="${anchor}"`));
        const review = await supervisor.get(`${base}/investigation/reviews/new`);
        const today = new Date(t.clock.now());
        const recorded = await supervisor.post(`${base}/investigation/reviews/new`, {
          version: versionOn(review.body), 'reviewedOn-day': String(today.getUTCDate()), 'reviewedOn-month': String(today.getUTCMonth() + 1), 'reviewedOn-year': String(today.getUTCFullYear()), note: 'Plan agreed',
        });
        assert.equal(recorded.statusCode, 303);
        const stale = await supervisor.post(`${base}/investigation/reviews/new`, {
          version: versionOn(review.body), 'reviewedOn-day': String(today.getUTCDate()), 'reviewedOn-month': String(today.getUTCMonth() + 1), 'reviewedOn-year': String(today.getUTCFullYear()), note: 'Second go',
        });
        assert.equal(stale.statusCode, 409, 'a form read before the last change is a conflict');
        assert.match(stale.body, /Someone changed this case/);
        assert.match((await supervisor.get(`${base}/investigation`)).body, /Plan agreed/);
        const prosecutor = await t.signIn(w.prosecutor);
        const form = await prosecutor.get(`${base}/investigation/bail/new`);
        assert.equal((await prosecutor.post(`${base}/investigation/bail/new`, { version: versionOn(form.body) })).statusCode, 403);
      });

      await s.test('deadlines: pause and resume from the page and through the API with If-Match', async () => {
        await w.moveAsCommand(w.caseId, 'early_advice');
        const page = await oic.get(`${base}/deadlines`);
        assert.equal(page.statusCode, 200);
        assert.match(page.body, /Early advice response/);
        assert.match(page.body, /Supervisory review/);
        const advice = await t.database.db.selectFrom('deadlines').select('id').where('subject_id', '=', w.caseId).where('rule_key', '=', 'early-advice.response').executeTakeFirstOrThrow();
        const noReason = await oic.post(`${base}/deadlines/pause`, { version: versionOn(page.body), deadlineId: advice.id, reason: '' });
        assert.equal(noReason.statusCode, 400);
        assert.match(noReason.body, /href="#reason"/);
        const paused = await oic.post(`${base}/deadlines/pause`, { version: versionOn(page.body), deadlineId: advice.id, reason: 'Waiting for the ABE transcript' });
        assert.equal(paused.statusCode, 303);
        const after = await oic.get(`${base}/deadlines`);
        assert.match(after.body, /Waiting for the ABE transcript/);
        assert.match(after.body, /Resume this deadline/);

        const read = await oic.get(`/api/v1/cases/${w.caseId}/deadlines`);
        assert.equal(read.statusCode, 200);
        const etag = String(read.headers.etag);
        assert.equal(read.json().deadlines.find((d: { id: string }) => d.id === advice.id).status, 'paused');
        const path = `/api/v1/cases/${w.caseId}/deadlines/${advice.id}/resume`;
        const post = (headers: Record<string, string> = {}) => oic.request({ method: 'POST', url: path, headers: { 'x-csrf-token': oic.csrfToken, ...headers } });
        const without = await post();
        assert.equal(without.statusCode, 428);
        const staleTag = await post({ 'if-match': '"1"' });
        assert.equal(staleTag.statusCode, 412);
        const resumed = await post({ 'if-match': etag });
        assert.equal(resumed.statusCode, 200);
        assert.equal(resumed.json().deadlines.find((d: { id: string }) => d.id === advice.id).status, 'open');
        const stranger = await t.signIn(w.otherForceInvestigator);
        assert.equal((await stranger.get(`/api/v1/cases/${w.caseId}/deadlines`)).statusCode, 404);
        assert.equal((await stranger.get(`${base}/deadlines`)).statusCode, 404);
      });

      await s.test('time with each party: a table with a bar per party, and the API’s days add up', async () => {
        const page = await oic.get(`${base}/time-with-parties`);
        assert.equal(page.statusCode, 200);
        assert.match(page.body, /<progress class="app-attribution-bar" max="\d+" value="\d+" aria-label="Police: [\d.]+% of the case’s life"/);
        const api = await oic.get(`/api/v1/cases/${w.caseId}/attribution`);
        assert.equal(api.statusCode, 200);
        const body = api.json() as { ageDays: number; totals: Record<string, number>; periods: { party: string }[] };
        assert.equal(Object.values(body.totals).reduce((a, b) => a + b, 0), body.ageDays);
        assert.equal(body.periods.at(-1)?.party, 'cps', 'the case now waits on the CPS for early advice');
        assert.equal((await t.signIn(w.isva).then((isva) => isva.get(`/api/v1/cases/${w.caseId}/attribution`))).statusCode, 404);
      });
    } finally {
      await t.close();
    }
  });
}
