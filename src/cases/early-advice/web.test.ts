// Early advice and action plans through the pages, on both engines: the
// forms with their error summaries, the overview's actions for the right
// side and stage, a Sergeant's appeal refused with a clear message, the
// advice with a plan, the police answering an item, the plan's review clock
// on its page, and a stale form answered as a conflict that writes nothing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { engines } from '../../../test/support/databases.ts';
import { systemContext } from '../../platform/audit/model.ts';
import { caseTestApp, worldCase } from '../test-support.ts';

const versionOn = (html: string) => /name="version" value="(\d+)"/.exec(html)?.[1] ?? '';
const form = { urn: '', summary: 'Reported after a night out.', enquiriesDone: 'ABE done.', enquiriesOngoing: 'Phone, 2 weeks.', enquiriesPlanned: 'CCTV, 1 week.', issues: 'Consent.', questions: 'Is CCTV needed?', keyMaterial: 'ABE.', disclosableMaterial: 'None known.' };

for (const engine of engines) {
  test(`${engine}: early advice and action plan pages`, async (s) => {
    const { t, w } = await caseTestApp(engine);
    try {
      const oic = await t.signIn(w.oic);
      const prosecutor = await t.signIn(w.prosecutor);
      const supervisor = await t.signIn(w.supervisor);
      const caseId = await w.cases.operator.createCase(systemContext(), worldCase(w.force, w.area, w.oic.id, w.prosecutor.id, 'EA/WEB/1'));
      const events = async () => (await t.database.db.selectFrom('case_events').select('type').where('case_id', '=', caseId).execute()).length;

      await s.test('the overview offers police the request at Investigation, and not the CPS', async () => {
        assert.match((await oic.get(`/cases/${caseId}`)).body, new RegExp(`href="/cases/${caseId}/early-advice/request"`));
        assert.doesNotMatch((await prosecutor.get(`/cases/${caseId}`)).body, /early-advice\/request/);
        assert.equal((await prosecutor.get(`/cases/${caseId}/early-advice/request`)).statusCode, 403);
      });

      let requestId = '';
      await s.test('requesting: an empty form is summarised; a full one moves the case and shows the due date', async () => {
        const page = await oic.get(`/cases/${caseId}/early-advice/request`);
        assert.equal(page.statusCode, 200);
        const version = versionOn(page.body);
        const empty = await oic.post(`/cases/${caseId}/early-advice/request`, { version });
        assert.equal(empty.statusCode, 400);
        assert.match(empty.body, /govuk-error-summary/);
        for (const anchor of ['#summary', '#questions', '#disclosableMaterial']) assert.match(empty.body, new RegExp(`href="${anchor}"`));
        const sent = await oic.post(`/cases/${caseId}/early-advice/request`, { ...form, version });
        assert.equal(sent.statusCode, 303);
        const section = await oic.get(String(sent.headers.location));
        assert.match(section.body, /Early advice requested/);
        assert.match(section.body, /Response due/);
        requestId = /early-advice\/([0-9a-f-]{36})/.exec((await prosecutor.get(`/cases/${caseId}/early-advice`)).body)?.[1] ?? '';
        assert.ok(requestId);
        const stale = await oic.post(`/cases/${caseId}/early-advice/not-requested`, { reason: 'no_suspect', detail: 'x', version });
        assert.equal(stale.statusCode, 409);
        assert.match(stale.body, /Someone else changed this case/);
      });

      await s.test('rejecting, a Sergeant refused an appeal, an Inspector appealing, a DCP upholding', async () => {
        const decision = await prosecutor.get(`/cases/${caseId}/early-advice/${requestId}/decision`);
        const rejected = await prosecutor.post(`/cases/${caseId}/early-advice/${requestId}/decision`, { decision: 'reject', reason: 'premature', detail: 'Phone outstanding.', version: versionOn(decision.body) });
        assert.equal(rejected.statusCode, 303);
        const appeal = await supervisor.get(`/cases/${caseId}/early-advice/${requestId}/appeal`);
        assert.equal(appeal.statusCode, 200);
        const sergeant = await supervisor.post(`/cases/${caseId}/early-advice/${requestId}/appeal`, { rank: 'sergeant', grounds: 'Done.', version: versionOn(appeal.body) });
        assert.equal(sergeant.statusCode, 400);
        assert.match(sergeant.body, /Only an officer of Inspector rank or above can appeal a rejection/);
        assert.equal((await supervisor.post(`/cases/${caseId}/early-advice/${requestId}/appeal`, { rank: 'inspector', grounds: 'Done.', version: versionOn(appeal.body) })).statusCode, 303);
        const dcp = await t.signIn(w.dcp);
        const decide = await dcp.get(`/cases/${caseId}/early-advice/${requestId}/appeal-decision`);
        assert.equal((await dcp.post(`/cases/${caseId}/early-advice/${requestId}/appeal-decision`, { upheld: 'yes', note: 'Timely.', version: versionOn(decide.body) })).statusCode, 303);
        assert.match((await oic.get(`/cases/${caseId}`)).body, /Appeal decided/);
      });

      await s.test('advice with a plan; the police complete the item; the plan page shows the review clock', async () => {
        const page = await prosecutor.get(`/cases/${caseId}/early-advice/${requestId}/advice`);
        const bad = await prosecutor.post(`/cases/${caseId}/early-advice/${requestId}/advice`, { version: versionOn(page.body), advice: 'See plan.', 'items-1-description': 'Get CCTV', 'items-1-dueOn-day': '1', 'items-1-dueOn-month': '1', 'items-1-dueOn-year': '2099' });
        assert.equal(bad.statusCode, 400);
        assert.match(bad.body, /href="#items-1-owner"/);
        const given = await prosecutor.post(`/cases/${caseId}/early-advice/${requestId}/advice`, { version: versionOn(page.body), advice: 'See plan.', 'items-1-description': 'Get CCTV', 'items-1-owner': 'police', 'items-1-dueOn-day': '1', 'items-1-dueOn-month': '1', 'items-1-dueOn-year': '2099' });
        assert.equal(given.statusCode, 303);
        const plans = await oic.get(`/cases/${caseId}/action-plans`);
        assert.equal(plans.statusCode, 200);
        assert.match(plans.body, /First PRFI review due/);
        const respond = /href="(\/cases\/[^"]+\/respond)"/.exec(plans.body)?.[1];
        assert.ok(respond);
        const before = await events();
        const respondPage = await oic.get(respond!);
        const empty = await oic.post(respond!, { version: versionOn(respondPage.body), response: 'complete', text: '' });
        assert.equal(empty.statusCode, 400);
        assert.match(empty.body, /Enter your response/);
        assert.equal(await events(), before);
        assert.equal((await oic.post(respond!, { version: versionOn(respondPage.body), response: 'complete', text: 'CCTV obtained.' })).statusCode, 303);
        const review = /href="(\/cases\/[^"]+\/review)"/.exec((await prosecutor.get(`/cases/${caseId}/action-plans`)).body)?.[1];
        const reviewPage = await prosecutor.get(review!);
        assert.equal((await prosecutor.post(review!, { version: versionOn(reviewPage.body), decision: 'accept', note: '' })).statusCode, 303);
        assert.match((await oic.get(`/cases/${caseId}/action-plans`)).body, /Every action is complete and reviewed/);
        assert.match((await oic.get(`/cases/${caseId}`)).body, /Action plan answered/);
      });
    } finally {
      await t.close();
    }
  });
}
