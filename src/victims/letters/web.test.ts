// Letters through HTTP on both engines: the pages with the GOV.UK error
// summary (a missing choice, an unsafe way of sending naming the rule), the
// preview in the plan's language, the PDF download's headers, the ISVA told
// the pages do not exist, and the API with If-Match and Idempotency-Key.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { engines } from '../../../test/support/databases.ts';
import { contractCaller } from '../../../test/support/openapi.ts';
import { apiClient } from '../../platform/api/test-support.ts';
import { newId } from '../../platform/db/ids.ts';
import * as victims from '../repository.ts';
import { victimTestApp } from '../test-support.ts';

const versionOn = (html: string) => /name="version" value="(\d+)"/.exec(html)?.[1] ?? '';

for (const engine of engines) {
  test(`${engine}: letter pages and API`, async (s) => {
    const { t, w } = await victimTestApp(engine);
    try {
      t.clock.set('2026-03-10T12:00:00Z');
      await victims.insertPlan(t.platform.db, {
        id: newId(), case_id: w.caseId, victim_id: w.victimId, revision: 1, frequency_days: 14, methods: JSON.stringify(['letter', 'in_person']), updaters: JSON.stringify(['oic']), preferred_language: 'cy',
        no_voicemail: 1, no_post_to_home: 1, safe_address: null, safe_phone: null, safe_email: null, other_rules: '', agreed_on: '2026-03-01', agreed_with_isva_user_id: null, change_reason: null,
        recorded_by_user_id: w.oic.id, recorded_at: t.clock.now().toISOString(),
      });
      await w.support(w.victimId);
      const oic = await t.signIn(w.oic);
      const page = `/cases/${w.caseId}/victims/${w.victimId}/letters`;
      let letterPage = '';

      await s.test('the OIC previews a Welsh letter, with errors first, then makes it', async () => {
        assert.equal((await oic.get(page)).statusCode, 200);
        const form = await oic.get(`${page}/new`);
        assert.equal(form.statusCode, 200);
        assert.match(form.body, /value="cy" checked/, 'the plan’s language is chosen');
        assert.doesNotMatch(form.body, /value="cps-no-charge"/, 'the CPS letter is not the police’s');
        const bad = await oic.post(`${page}/new`, { version: versionOn(form.body), action: 'preview', language: 'cy' });
        assert.equal(bad.statusCode, 400);
        assert.match(bad.body, /govuk-error-summary/);
        for (const field of ['template', 'contactDetails']) assert.match(bad.body, new RegExp(`href="#${field}"`));
        const preview = await oic.post(`${page}/new`, { version: versionOn(form.body), action: 'preview', template: 'hello', language: 'cy', contactDetails: 'Heol y Tŵr' });
        assert.equal(preview.statusCode, 200);
        assert.match(preview.body, /<div lang="cy" class="app-letter">/);
        assert.match(preview.body, /Annwyl Victim One,/);
        assert.match(preview.body, /i’ch tŷ/);
        const made = await oic.post(`${page}/new`, { version: versionOn(preview.body), action: 'create', template: 'hello', language: 'cy', contactDetails: 'Heol y Tŵr' });
        assert.equal(made.statusCode, 303, made.body);
        letterPage = made.headers.location as string;
        const shown = await oic.get(letterPage);
        assert.match(shown.body, /Letter made/);
        assert.match(shown.body, /Welsh \(Cymraeg\)/);
      });

      await s.test('the PDF downloads named by the letter’s id, never cached', async () => {
        const pdf = await oic.get(`${letterPage}/pdf`);
        assert.equal(pdf.statusCode, 200);
        assert.equal(pdf.headers['content-type'], 'application/pdf');
        assert.equal(pdf.headers['content-disposition'], `attachment; filename="letter-${letterPage.split('/').at(-1)}.pdf"`);
        assert.equal(pdf.headers['cache-control'], 'no-store');
        assert.equal(pdf.rawPayload.subarray(0, 5).toString(), '%PDF-');
      });

      await s.test('an unsafe way of sending is refused naming the rule; a safe one is recorded', async () => {
        const form = await oic.get(`${letterPage}/dispatch`);
        assert.equal(form.statusCode, 200);
        assert.match(form.body, /No post to the home address/);
        const none = await oic.post(`${letterPage}/dispatch`, { version: versionOn(form.body) });
        assert.equal(none.statusCode, 400);
        assert.match(none.body, /href="#method"/);
        const unsafe = await oic.post(`${letterPage}/dispatch`, { version: versionOn(form.body), method: 'post_home' });
        assert.equal(unsafe.statusCode, 400);
        assert.match(unsafe.body, /govuk-error-summary[^]*the communication plan says no post to the home address/);
        const sent = await oic.post(`${letterPage}/dispatch`, { version: versionOn(form.body), method: 'in_person' });
        assert.equal(sent.statusCode, 303, sent.body);
        assert.match((await oic.get(letterPage)).body, /Handed over in person, by/);
        assert.match((await oic.get(`/cases/${w.caseId}/victims/${w.victimId}`)).body, /1 made, 1 sent/);
      });

      await s.test('the victim’s ISVA is told the pages do not exist', async () => {
        const isva = await t.signIn(w.isva);
        for (const url of [page, `${page}/new`, letterPage, `${letterPage}/pdf`]) assert.equal((await isva.get(url)).statusCode, 404, url);
        assert.doesNotMatch((await isva.get(`/cases/${w.caseId}/victims/${w.victimId}`)).body, /\/letters/);
      });

      await s.test('the API previews, makes with If-Match and Idempotency-Key, and refuses an unsafe sending', async () => {
        const api = await apiClient(t, { person: w.oic, organisationId: w.force });
        const call = await contractCaller(() => t.app.inject({ method: 'GET', url: '/api/v1/openapi.json' }));
        const base = `/api/v1/cases/${w.caseId}/victims/${w.victimId}/letters`;
        const path = '/cases/{caseId}/victims/{victimId}/letters';
        const params = { caseId: w.caseId, victimId: w.victimId };
        const list = await call(api, 'GET', path, { params });
        assert.equal(list.statusCode, 200, list.body);
        assert.equal(list.json().letters.length, 1);
        const etag = list.headers.etag as string;
        const body = { template: 'hello', language: 'en', contactDetails: '0117 496 0000' };
        const preview = await call(api, 'POST', `${path}/preview`, { params, body });
        assert.equal(preview.statusCode, 200, preview.body);
        assert.equal(preview.json().title, 'Your contact in the police investigation');
        assert.equal((await call(api, 'POST', `${path}/preview`, { params, body: { ...body, contactDetails: '' } })).statusCode, 400);
        assert.equal((await call(api, 'POST', path, { params, body })).statusCode, 428);
        const created = await call(api, 'POST', path, { params, body, headers: { 'if-match': etag, 'idempotency-key': 'letter-1' } });
        assert.equal(created.statusCode, 201, created.body);
        const again = await call(api, 'POST', path, { params, body, headers: { 'if-match': etag, 'idempotency-key': 'letter-1' } });
        assert.equal(again.json().id, created.json().id, 'a retry answers as the first did');
        const dispatch = (method: string, headers: Record<string, string> = { 'if-match': `"${created.json().caseVersion}"` }) =>
          call(api, 'POST', `${path}/{letterId}/dispatch`, { params: { ...params, letterId: created.json().id }, body: { method }, headers });
        assert.equal((await dispatch('in_person', {})).statusCode, 428);
        const unsafe = await dispatch('post_home');
        assert.equal(unsafe.statusCode, 400);
        assert.match(unsafe.body, /no post to the home address/);
        assert.equal((await dispatch('post_safe_address')).statusCode, 400, 'no safe address in the plan');
        const done = await dispatch('in_person');
        assert.equal(done.statusCode, 200, done.body);
        const pdf = await api.get(`${base}/${created.json().id}/pdf`);
        assert.equal(pdf.statusCode, 200);
        assert.equal(pdf.headers['content-type'], 'application/pdf');
        const isva = await apiClient(t, { person: w.isva, organisationId: w.isvaService });
        assert.equal((await isva.get(base)).statusCode, 404);
      });
    } finally {
      await t.close();
    }
  });
}
