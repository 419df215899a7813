// A victim's communication through HTTP on both engines: the forms with the
// GOV.UK error summary, the refusal of an unsafe voicemail, one timeline of
// contacts by the OIC, the VLO and the ISVA, the ISVA's pages without the
// case's navigation, and the API with If-Match and Idempotency-Key.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { engines } from '../../../test/support/databases.ts';
import { apiClient } from '../../platform/api/test-support.ts';
import { victimTestApp } from '../test-support.ts';

const versionOn = (html: string) => /name="version" value="(\d+)"/.exec(html)?.[1] ?? '';

for (const engine of engines) {
  test(`${engine}: communication pages and API`, async (s) => {
    const { t, w } = await victimTestApp(engine);
    try {
      t.clock.set('2026-03-10T12:00:00Z');
      const oic = await t.signIn(w.oic);
      const vlo = await t.signIn(w.vlo);
      const page = `/cases/${w.caseId}/victims/${w.victimId}/communication`;

      await s.test('the OIC records the ISVA and agrees the plan, with errors shown first', async () => {
        const isvaForm = await oic.get(`${page}/isva`);
        assert.equal(isvaForm.statusCode, 200);
        assert.equal((await oic.post(`${page}/isva`, { version: versionOn(isvaForm.body) })).statusCode, 400);
        assert.equal((await oic.post(`${page}/isva`, { version: versionOn(isvaForm.body), isva: w.isva.id })).statusCode, 303);
        const form = await oic.get(`${page}/plan`);
        assert.match(form.body, /Isla Grant, the victim’s ISVA/);
        const bad = await oic.post(`${page}/plan`, { version: versionOn(form.body), frequencyDays: 'often' });
        assert.equal(bad.statusCode, 400);
        for (const field of ['frequencyDays', 'methods', 'updaters', 'preferredLanguage', 'agreedOn-day']) assert.match(bad.body, new RegExp(`href="#${field}"`));
        assert.match(bad.body, /govuk-error-summary/);
        const done = await oic.post(`${page}/plan`, {
          version: versionOn(form.body), frequencyDays: '7', methods: ['phone', 'email'], updaters: ['oic', 'vlo'], preferredLanguage: 'en', safety: ['noVoicemail'],
          safePhone: '07700 900123', 'agreedOn-day': '9', 'agreedOn-month': '3', 'agreedOn-year': '2026', agreedWithIsva: 'yes',
        });
        assert.equal(done.statusCode, 303, done.body);
        const shown = await oic.get(page);
        assert.match(shown.body, /Version 1, agreed on 9 March 2026/);
        assert.match(shown.body, /Never leave one/);
        assert.match(shown.body, /16 March 2026/, 'the next contact is due at the plan’s frequency');
      });

      await s.test('an unsafe voicemail is refused on the form; contacts by OIC, VLO and ISVA make one timeline', async () => {
        const form = await vlo.get(`${page}/contacts/new`);
        assert.match(form.body, /Never leave one/);
        const contact = { 'on-day': '10', 'on-month': '3', 'on-year': '2026', at: '09:30', method: 'phone', reached: 'no', summary: 'Tried to call about the charging decision.' };
        const unsafe = await vlo.post(`${page}/contacts/new`, { version: versionOn(form.body), ...contact, voicemailLeft: 'yes' });
        assert.equal(unsafe.statusCode, 400);
        assert.match(unsafe.body, /href="#voicemailLeft"/);
        assert.match(unsafe.body, /never to leave a voicemail/);
        assert.equal((await vlo.post(`${page}/contacts/new`, { version: versionOn(form.body), ...contact })).statusCode, 303);
        const again = await oic.get(`${page}/contacts/new`);
        assert.equal((await oic.post(`${page}/contacts/new`, { version: versionOn(again.body), ...contact, at: '11:00', method: 'in_person', reached: 'yes', summary: 'Met the victim.' })).statusCode, 303);
        const isva = await t.signIn(w.isva);
        const isvaForm = await isva.get(`${page}/contacts/new`);
        assert.equal(isvaForm.statusCode, 200);
        assert.equal((await isva.post(`${page}/contacts/new`, { version: versionOn(isvaForm.body), ...contact, at: '11:45', method: 'text_message', reached: 'yes', summary: 'Checked in.' })).statusCode, 303);
        const timeline = (await isva.get(page)).body;
        assert.doesNotMatch(timeline, /moj-sub-navigation[^]*Case file/, 'no case navigation for the ISVA');
        assert.doesNotMatch(timeline, /\/cases\/[^"]+\/police-nfa/);
        const order = ['Text message by Isla Grant', 'In person by', 'Phone call by'].map((text) => timeline.indexOf(text));
        assert.ok(order.every((i) => i > 0) && order[0]! < order[1]! && order[1]! < order[2]!, 'newest first');
        assert.match(timeline, /Victim Liaison Officer, CPS/);
        assert.match(timeline, /Communication plan agreed/);
        assert.equal((await isva.get(`${page}/isva`)).statusCode, 404, 'who supports the victim is not the ISVA’s form');
        const other = await t.signIn(w.otherIsva);
        assert.equal((await other.get(page)).statusCode, 404);
      });

      await s.test('the overview carries the next contact; the API reads and writes with If-Match', async () => {
        assert.match((await oic.get(`/cases/${w.caseId}/victims/${w.victimId}`)).body, /Next contact due/);
        const api = await apiClient(t, { person: w.oic, organisationId: w.force });
        const read = await api.get(`/api/v1/cases/${w.caseId}/victims/${w.victimId}/communication`);
        assert.equal(read.statusCode, 200, read.body);
        assert.equal(read.json().plan.frequencyDays, 7);
        const etag = read.headers.etag as string;
        const put = (headers: Record<string, string>, body: unknown) => api.request({ method: 'PUT', url: `/api/v1/cases/${w.caseId}/victims/${w.victimId}/communication/plan`, headers: { 'content-type': 'application/json', ...headers }, payload: JSON.stringify(body) });
        const revision = { frequencyDays: 10, methods: ['phone'], updaters: ['oic'], preferredLanguage: 'cy', noVoicemail: true, noPostToHome: true, agreedOn: '2026-03-10' };
        assert.equal((await put({}, revision)).statusCode, 428);
        const noReason = await put({ 'if-match': etag }, revision);
        assert.equal(noReason.statusCode, 400);
        assert.equal(noReason.json().errors[0].field, 'changeReason');
        const changed = await put({ 'if-match': etag }, { ...revision, changeReason: 'The victim prefers Welsh.' });
        assert.equal(changed.statusCode, 200, changed.body);
        const post = (key: string) => api.request({ method: 'POST', url: `/api/v1/cases/${w.caseId}/victims/${w.victimId}/communication/contacts`, headers: { 'content-type': 'application/json', 'if-match': `"${changed.json().caseVersion}"`, 'idempotency-key': key }, payload: JSON.stringify({ contactAt: '2026-03-10T11:50', method: 'phone', reached: true, summary: 'Called back.' }) });
        const first = await post('c-1');
        assert.equal(first.statusCode, 201, first.body);
        assert.deepEqual((await post('c-1')).json(), first.json());
        const contacts = (await api.get(`/api/v1/cases/${w.caseId}/victims/${w.victimId}/communication/contacts`)).json().contacts;
        assert.equal(contacts.length, 4);
        assert.equal(contacts[0].nextContactOn, '2026-03-20');
      });
    } finally {
      await t.close();
    }
  });
}
