// The court pages and API through HTTP on both engines: the CPS side records
// the first hearing (the case moves to Court), lists and adjourns hearings
// and records outcomes until the case completes; the police see it all but
// are offered no forms; the API answers creates once per Idempotency-Key and
// requires If-Match on changes (428 without, 412 when stale).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { engines } from '../../../test/support/databases.ts';
import { apiClient } from '../../platform/api/test-support.ts';
import { caseTestApp } from '../test-support.ts';

const versionOn = (html: string) => /name="version" value="(\d+)"/.exec(html)?.[1] ?? '';
const date = (name: string, iso: string) => ({ [`${name}-day`]: iso.slice(8, 10), [`${name}-month`]: iso.slice(5, 7), [`${name}-year`]: iso.slice(0, 4) });

for (const engine of engines) {
  test(`${engine}: the court pages and API`, async (s) => {
    const { t, w } = await caseTestApp(engine);
    try {
      t.clock.set(new Date('2025-06-02T10:00:00Z'));
      await w.moveAsCommand(w.caseId, 'charging_referral');
      await w.moveAsCommand(w.caseId, 'charged', w.prosecutor);
      const prosecutor = await t.signIn(w.prosecutor);
      const oic = await t.signIn(w.oic);
      const court = `/cases/${w.caseId}/court`;
      const stage = async () => (await t.database.db.selectFrom('cases').select('stage').where('id', '=', w.caseId).executeTakeFirstOrThrow()).stage;

      await s.test('the case overview offers the CPS side the first hearing; the police are not offered it', async () => {
        assert.match((await prosecutor.get(`/cases/${w.caseId}`)).body, new RegExp(`href="${court}/first-hearing"`));
        assert.doesNotMatch((await oic.get(`/cases/${w.caseId}`)).body, /court\/first-hearing/);
        assert.equal((await oic.get(`${court}/first-hearing`)).statusCode, 403);
      });

      await s.test('the first hearing form: errors summarised, then the case moves to Court', async () => {
        const form = await prosecutor.get(`${court}/first-hearing`);
        assert.equal(form.statusCode, 200);
        const empty = await prosecutor.post(`${court}/first-hearing`, { version: versionOn(form.body) });
        assert.equal(empty.statusCode, 400);
        assert.match(empty.body, /govuk-error-summary[\s\S]*href="#heldOn-day"/);
        const stale = await prosecutor.post(`${court}/first-hearing`, { version: String(Number(versionOn(form.body)) - 1), ...date('heldOn', '2025-06-01') });
        assert.equal(stale.statusCode, 409);
        const done = await prosecutor.post(`${court}/first-hearing`, { version: versionOn(form.body), ...date('heldOn', '2025-06-01') });
        assert.equal(done.statusCode, 303);
        assert.equal(await stage(), 'court');
        const page = await oic.get(court);
        assert.equal(page.statusCode, 200);
        assert.match(page.body, /First hearing/);
        assert.doesNotMatch(page.body, /court\/hearing"/, 'the police see the record but are offered no forms');
        assert.match((await oic.get(`/cases/${w.caseId}`)).body, /First hearing held/, 'the timeline describes the event');
      });

      await s.test('listing and adjourning a hearing through the forms', async () => {
        const form = await prosecutor.get(`${court}/hearing`);
        const listed = await prosecutor.post(`${court}/hearing`, { version: versionOn(form.body), kind: 'trial', court: 'crown', ...date('listedOn', '2025-10-06') });
        assert.equal(listed.statusCode, 303);
        const adjourn = await prosecutor.get(`${court}/adjourn`);
        const hearingId = /name="hearingId" type="radio" value="([0-9a-f-]{36})"/.exec(adjourn.body)?.[1] ?? '';
        assert.ok(hearingId, 'the listed hearing is offered');
        const missing = await prosecutor.post(`${court}/adjourn`, { version: versionOn(adjourn.body), hearingId });
        assert.equal(missing.statusCode, 400);
        assert.match(missing.body, /href="#reasonCode"/);
        const done = await prosecutor.post(`${court}/adjourn`, { version: versionOn(adjourn.body), hearingId, reasonCode: 'witness_unavailable', requestedBy: 'prosecution' });
        assert.equal(done.statusCode, 303);
        assert.match((await oic.get(court)).body, /Adjourned: Witness unavailable \(the prosecution\)/);
      });

      await s.test('the API: Idempotency-Key on creates, If-Match on changes, and completion', async () => {
        const api = await apiClient(t, { person: w.prosecutor, organisationId: w.area });
        const police = await apiClient(t, { person: w.oic, organisationId: w.force });
        const send = (client: typeof api, method: 'POST' | 'PUT', url: string, body: unknown, headers: Record<string, string> = {}) =>
          client.request({ method, url: `/api/v1/cases/${w.caseId}/court${url}`, headers: { 'content-type': 'application/json', ...headers }, payload: JSON.stringify(body) });
        const read = await api.get(`/api/v1/cases/${w.caseId}/court`);
        assert.equal(read.statusCode, 200);
        const etag = String(read.headers.etag);
        assert.equal((await send(api, 'PUT', '/case-number', { courtCaseNumber: 'T20257001' })).statusCode, 428);
        assert.equal((await send(api, 'PUT', '/case-number', { courtCaseNumber: 'T20257001' }, { 'if-match': '"1"' })).statusCode, 412);
        assert.equal((await send(api, 'PUT', '/case-number', { courtCaseNumber: 'T-2025' }, { 'if-match': etag })).statusCode, 400);
        const numbered = await send(api, 'PUT', '/case-number', { courtCaseNumber: 'T20257001' }, { 'if-match': etag });
        assert.equal(numbered.statusCode, 200, numbered.body);
        assert.equal((await send(police, 'PUT', '/case-number', { courtCaseNumber: 'T20257002' }, { 'if-match': String(numbered.headers.etag) })).statusCode, 403);
        const suspectId = read.json().defendants[0].suspectId as string;
        const outcome = { suspectId, outcome: 'guilty_plea', outcomeOn: '2025-06-02' };
        const first = await send(api, 'POST', '/outcomes', outcome, { 'idempotency-key': 'outcome-1' });
        assert.equal(first.statusCode, 201, first.body);
        const again = await send(api, 'POST', '/outcomes', outcome, { 'idempotency-key': 'outcome-1' });
        assert.equal(again.statusCode, 201, again.body);
        assert.deepEqual(again.json(), first.json());
        assert.equal((await send(api, 'POST', '/outcomes', { ...outcome, outcome: 'acquitted' }, { 'idempotency-key': 'outcome-1' })).statusCode, 422);
        assert.equal(await stage(), 'completed', 'the only defendant has an outcome: the case is completed');
        const sentence = await send(api, 'POST', '/sentences', { suspectId, sentenceType: 'immediate_custody', months: 84, sentencedOn: '2025-06-02' }, { 'if-match': `"${first.json().caseVersion}"` });
        assert.equal(sentence.statusCode, 200, sentence.body);
        assert.equal((await api.get(`/api/v1/cases/${w.caseId}/court`)).json().defendants[0].sentenceMonths, 84);
      });
    } finally {
      await t.close();
    }
  });
}
