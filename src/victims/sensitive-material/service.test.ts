// Digital devices and third-party material on both engines: no reveal, no
// read (the page asks why, the API answers 403); reveals recorded with their
// reason and audited with its category; reveals lapse; the forms' GOV.UK
// errors; the days without a device; and none of what these records hold
// reaches an ISVA, a VLO, an analyst or a stranger anywhere they can look.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { engines } from '../../../test/support/databases.ts';
import { apiClient } from '../../platform/api/test-support.ts';
import { victimTestApp } from '../test-support.ts';

const DEVICE_MARK = 'ZEBRA-DEVICE-7731';
const ENQUIRY_MARK = 'OKAPI-ENQUIRY-5120';
const TPM_MARK = 'QUOKKA-TPM-4419';
const versionOn = (html: string) => /name="version" value="(\d+)"/.exec(html)?.[1] ?? '';

for (const engine of engines) {
  test(`${engine}: digital devices and third-party material are compartments`, async (s) => {
    const { t, w } = await victimTestApp(engine);
    try {
      t.clock.set('2026-03-10T12:00:00Z');
      await w.support(w.victimId);
      const victimBase = `/cases/${w.caseId}/victims/${w.victimId}`;
      const apiBase = `/api/v1${victimBase}/sensitive-material`;
      const oic = await t.signIn(w.oic);
      const api = await apiClient(t, { person: w.prosecutor, organisationId: w.area });
      const json = (method: 'GET' | 'POST', url: string, body?: unknown, headers: Record<string, string> = {}) =>
        api.request({ method, url, headers: body === undefined ? headers : { 'content-type': 'application/json', ...headers }, payload: body === undefined ? undefined : JSON.stringify(body) });

      await s.test('without a reveal, the page asks why and the API refuses', async () => {
        const page = await oic.get(`${victimBase}/devices`);
        assert.equal(page.statusCode, 200);
        assert.match(page.body, /<h1[^>]*>Why do you need to open the victim’s digital device records\?<\/h1>/);
        const refused = await json('GET', `${apiBase}/devices`);
        assert.equal(refused.statusCode, 403);
        assert.match(refused.headers['content-type'] as string, /problem\+json/);
        assert.match(refused.json().detail, /POST a reveal/);
        assert.equal((await json('POST', `${apiBase}/third-party-material`, { holder: 'counselling', rationale: 'x', atEarlyAdvice: false })).statusCode, 403);
        assert.match((await oic.get(victimBase)).body, /Digital devices/, 'the tab shows to the officer');
      });

      await s.test('a reveal needs a category and a reason of 10 characters or more', async () => {
        const bad = await oic.post(`${victimBase}/devices/reveal`, { reason: 'short' });
        assert.equal(bad.statusCode, 400);
        assert.match(bad.body, /govuk-error-summary/);
        for (const field of ['category', 'reason']) assert.match(bad.body, new RegExp(`href="#${field}"`));
        assert.equal((await json('POST', `${apiBase}/reveals`, { compartment: 'devices', category: 'other', reason: 'short' })).statusCode, 400);
      });

      await s.test('recording a device through the form: consent needs the scope and the notice', async () => {
        assert.equal((await oic.post(`${victimBase}/devices/reveal`, { category: 'record_or_update', reason: 'Recording the phone taken today' })).statusCode, 303);
        const form = await oic.get(`${victimBase}/devices/new`);
        assert.equal(form.statusCode, 200);
        const fields = { version: versionOn(form.body), deviceType: 'phone', description: DEVICE_MARK, ownerRole: 'victim', lineOfEnquiry: ENQUIRY_MARK, power: 'consent' };
        const bad = await oic.post(`${victimBase}/devices/new`, fields);
        assert.equal(bad.statusCode, 400);
        for (const field of ['scopeFrom-day', 'dataTypes', 'dpnVersion']) assert.match(bad.body, new RegExp(`href="#${field}"`));
        assert.equal(await t.platform.db.selectFrom('victim_devices').select('id').execute().then((r) => r.length), 0, 'nothing half-written');
        const done = await oic.post(`${victimBase}/devices/new`, {
          ...fields, 'scopeFrom-day': '1', 'scopeFrom-month': '2', 'scopeFrom-year': '2026', 'scopeTo-day': '8', 'scopeTo-month': '2', 'scopeTo-year': '2026',
          dataTypes: ['messages', 'photos'], dpnVersion: 'dpn_v1_2022', 'dpnGivenOn-day': '1', 'dpnGivenOn-month': '3', 'dpnGivenOn-year': '2026', 'takenOn-day': '1', 'takenOn-month': '3', 'takenOn-year': '2026',
        });
        assert.equal(done.statusCode, 303, done.body);
        const list = await oic.get(`${victimBase}/devices`);
        assert.match(list.body, new RegExp(DEVICE_MARK));
        assert.match(list.body, /9 days so far/);
        const event = await t.platform.db.selectFrom('case_events').select('data').where('type', '=', 'victims.sensitive-material.device-recorded').executeTakeFirstOrThrow();
        assert.deepEqual(Object.keys(JSON.parse(event.data)).sort(), ['deviceId', 'dpnVersion', 'power', 'victimId']);
      });

      await s.test('the API: reveal, request, outcome, return with days without', async () => {
        const reveal = await json('POST', `${apiBase}/reveals`, { compartment: 'third-party-material', category: 'charging_review', reason: 'Reviewing the file for charge' });
        assert.equal(reveal.statusCode, 201, reveal.body);
        const made = await json('POST', `${apiBase}/third-party-material`, { holder: 'counselling', rationale: TPM_MARK, atEarlyAdvice: true, decidedOn: '2026-03-02' }, { 'idempotency-key': 'tpm-1' });
        assert.equal(made.statusCode, 201, made.body);
        const listed = await json('GET', `${apiBase}/third-party-material`);
        assert.equal(listed.statusCode, 200);
        assert.equal(listed.json().revealId, reveal.json().id);
        const outcome = (headers: Record<string, string>) => json('POST', `${apiBase}/third-party-material/${made.json().id}/outcome`, { outcome: 'refused_by_holder', on: '2026-03-09' }, headers);
        assert.equal((await outcome({})).statusCode, 428);
        assert.equal((await outcome({ 'if-match': `"${made.json().caseVersion}"` })).statusCode, 200);
        assert.equal((await json('GET', `${apiBase}/devices`)).statusCode, 403, 'a reveal opens one compartment only');
        await json('POST', `${apiBase}/reveals`, { compartment: 'devices', category: 'record_or_update', reason: 'Recording the return of the phone' });
        const device = (await json('GET', `${apiBase}/devices`)).json();
        const returned = await json('POST', `${apiBase}/devices/${device.items[0].id}/return`, { on: '2026-03-10' }, { 'if-match': `"${device.version}"` });
        assert.equal(returned.statusCode, 200, returned.body);
        const event = await t.platform.db.selectFrom('case_events').select('data').where('type', '=', 'victims.sensitive-material.device-returned').executeTakeFirstOrThrow();
        assert.equal(JSON.parse(event.data).daysWithout, 9);
      });

      await s.test('every reveal is in the audit journal with its category, never its words', async () => {
        const reveals = await t.platform.db.selectFrom('victim_sensitive_reveals').select(['id', 'reason']).execute();
        const entries = await t.platform.db.selectFrom('audit_events').select(['details', 'purpose']).execute();
        const ofEvent = (event: string) => entries.filter((a) => JSON.parse(a.details).event === event);
        const audited = ofEvent('victims.sensitive-material.reveal');
        assert.equal(reveals.length, 3);
        assert.deepEqual(new Set(audited.map((a) => JSON.parse(a.details).revealId)), new Set(reveals.map((r) => r.id)));
        assert.ok(audited.every((a) => a.purpose && JSON.parse(a.details).reasonCategory === a.purpose));
        const all = entries.map((a) => a.details).join('\n');
        for (const r of reveals) assert.ok(!all.includes(r.reason), 'the reason’s words stay out of the journal');
        const reads = ofEvent('victims.sensitive-material.devices');
        assert.ok(reads.length > 0 && reads.every((r) => typeof JSON.parse(r.details).revealId === 'string'), 'each read names its reveal');
      });

      await s.test('a reveal lapses after 20 minutes', async () => {
        t.clock.set('2026-03-10T12:21:00Z');
        assert.equal((await json('GET', `${apiBase}/devices`)).statusCode, 403);
        assert.match((await (await t.signIn(w.oic)).get(`${victimBase}/devices`)).body, /Why do you need to open/);
      });

      await s.test('nothing in these records reaches an ISVA, a VLO, an analyst or a stranger', async () => {
        const marks = [DEVICE_MARK, ENQUIRY_MARK, TPM_MARK];
        for (const [person, compartmentStatus] of [[w.isva, 404], [w.vlo, 403], [w.analyst, 404], [w.otherForceInvestigator, 404]] as const) {
          const agent = await t.signIn(person);
          const seen = [
            `/cases/${w.caseId}`, `/cases/${w.caseId}/victims`, victimBase, '/victims',
            `/api/v1/cases/${w.caseId}`, `/api/v1/cases/${w.caseId}/victims`, `/api/v1${victimBase}`,
          ];
          for (const url of seen) {
            const body = (await agent.get(url)).body;
            for (const mark of marks) assert.ok(!body.includes(mark), `${url} shows ${mark}`);
            assert.ok(!body.includes('/devices"'), `${url} links to the devices tab`);
          }
          for (const url of [`${victimBase}/devices`, `${victimBase}/third-party-material`, `${apiBase}/devices`, `${apiBase}/third-party-material`]) {
            const answer = await agent.get(url);
            assert.equal(answer.statusCode, compartmentStatus, `${url}`);
            for (const mark of marks) assert.ok(!answer.body.includes(mark));
          }
          const reveal = await agent.post(`${victimBase}/devices/reveal`, { category: 'other', reason: 'Trying to open the records' });
          assert.equal(reveal.statusCode, compartmentStatus);
        }
        const journal = (await t.platform.db.selectFrom('case_events').select('data').where('case_id', '=', w.caseId).execute()).map((e) => e.data).join('\n');
        for (const mark of marks) assert.ok(!journal.includes(mark), 'the journal holds no free text');
      });
    } finally {
      await t.close();
    }
  });
}
