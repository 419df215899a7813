// Charging and police NFA through the pages and the API, on both engines: the
// sections and actions shown to each side, a referral and decision made with
// forms (errors shown with the GOV.UK summary, a stale version a conflict),
// the API's If-Match (428, 412) and Idempotency-Key (a retry makes nothing new),
// and the timeline describing the events.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { engines } from '../../../test/support/databases.ts';
import { apiClient } from '../../platform/api/test-support.ts';
import { caseTestApp } from '../test-support.ts';

for (const engine of engines) {
  test(`${engine}: charging and police NFA pages and API`, async (s) => {
    const { t, w } = await caseTestApp(engine);
    try {
      const oic = await t.signIn(w.oic);
      const prosecutor = await t.signIn(w.prosecutor);
      const versionOf = async () => (await w.cases.caseFile(w.actor(w.oic), w.context(w.oic), w.caseId)).summary.version;
      const suspectId = (await w.cases.caseFile(w.actor(w.oic), w.context(w.oic), w.caseId)).people.find((p) => p.category === 'suspect')!.id;
      const base = `/cases/${w.caseId}`;

      await s.test('the overview offers each side its own actions; the sections are in the sub-navigation', async () => {
        const police = (await oic.get(base)).body;
        assert.match(police, /Refer for a charging decision/);
        assert.match(police, /Propose no further action/);
        assert.match(police, new RegExp(`href="${base}/charging"`));
        assert.match(police, new RegExp(`href="${base}/police-nfa"`));
        const cps = (await prosecutor.get(base)).body;
        assert.doesNotMatch(cps, /Refer for a charging decision/);
        assert.equal((await prosecutor.get(`${base}/charging/referral`)).statusCode, 403);
      });

      await s.test('referring with the form: errors in the summary, then the case moves', async () => {
        const page = await oic.get(`${base}/charging/referral`);
        assert.equal(page.statusCode, 200);
        assert.match(page.body, /Why was early advice not requested\?/);
        const wrong = await oic.post(`${base}/charging/referral`, { version: String(await versionOf()), test: 'full_code' });
        assert.equal(wrong.statusCode, 400);
        assert.match(wrong.body, /govuk-error-summary/);
        assert.match(wrong.body, /Select at least one suspect to refer/);
        assert.match(wrong.body, /Select why early advice was not requested/);
        const stale = await oic.post(`${base}/charging/referral`, { version: String((await versionOf()) - 1), test: 'full_code', suspectIds: suspectId, notRequestedReason: 'straightforward', notRequestedDetail: 'Admissions in interview.' });
        assert.equal(stale.statusCode, 409);
        const done = await oic.post(`${base}/charging/referral`, { version: String(await versionOf()), test: 'full_code', suspectIds: suspectId, notRequestedReason: 'straightforward', notRequestedDetail: 'Admissions in interview.' });
        assert.equal(done.statusCode, 303);
        assert.equal(done.headers.location, `${base}/charging`);
        const section = (await prosecutor.get(`${base}/charging`)).body;
        assert.match(section, /Record the file-quality triage/);
        assert.match(section, new RegExp(`href="${base}/action-plans/new"`));
        assert.match((await oic.get(base)).body, /Referred for a charging decision/);
      });

      await s.test('the API: If-Match required and checked; Idempotency-Key makes a retry safe', async () => {
        const api = await apiClient(t, { person: w.prosecutor, organisationId: w.area });
        const post = (url: string, body: unknown, headers: Record<string, string> = {}) => api.request({ method: 'POST', url, headers: { 'content-type': 'application/json', ...headers }, payload: JSON.stringify(body) });
        const read = await api.get(`/api/v1/cases/${w.caseId}/charging`);
        assert.equal(read.statusCode, 200);
        assert.equal(read.json().suspects[0].consultations, 1, String(read.headers.etag));
        const triage = { items: ['mg3_complete', 'evidence_summarised'], result: 'accepted' };
        assert.equal((await post(`/api/v1/cases/${w.caseId}/charging/triage`, triage)).statusCode, 428);
        const staleAnswer = await post(`/api/v1/cases/${w.caseId}/charging/triage`, triage, { 'if-match': '"1"' });
        assert.equal(staleAnswer.statusCode, 412, `${String(read.headers.etag)} ${staleAnswer.body}`);
        const triaged = await post(`/api/v1/cases/${w.caseId}/charging/triage`, triage, { 'if-match': read.headers.etag as string });
        assert.equal(triaged.statusCode, 200, triaged.body);
        const decision = { suspectId, decision: 'nfa_evidential', reasons: 'The evidential stage is not met.' };
        const headers = { 'if-match': triaged.headers.etag as string, 'idempotency-key': 'decide-1' };
        const first = await post(`/api/v1/cases/${w.caseId}/charging/decisions`, decision, headers);
        assert.equal(first.statusCode, 201, first.body);
        assert.equal(first.json().stage, 'cps_nfa');
        const again = await post(`/api/v1/cases/${w.caseId}/charging/decisions`, decision, headers);
        assert.equal(again.statusCode, 201);
        assert.equal(again.json().decisions.length, 1);
        assert.equal(again.json().suspects[0].consultations, 2);
        assert.equal((await post(`/api/v1/cases/${w.caseId}/charging/decisions`, { ...decision, decision: 'charge' }, headers)).statusCode, 422);
        const stranger = await apiClient(t, { person: w.otherAreaDcp, organisationId: w.otherArea });
        assert.equal((await stranger.get(`/api/v1/cases/${w.caseId}/charging`)).statusCode, 404);
        assert.equal((await stranger.get(`/api/v1/cases/${w.caseId}/police-nfa`)).statusCode, 404);
        const timeline = (await oic.get(base)).body;
        assert.match(timeline, /No further action: evidential stage not met/);
      });

      await s.test('police NFA through the API: closed cases refuse a proposal', async () => {
        const api = await apiClient(t, { person: w.oic, organisationId: w.force });
        const read = await api.get(`/api/v1/cases/${w.caseId}/police-nfa`);
        assert.equal(read.statusCode, 200);
        assert.equal(read.json().everReferred, true);
        const refused = await api.request({ method: 'POST', url: `/api/v1/cases/${w.caseId}/police-nfa/proposals`, headers: { 'content-type': 'application/json', 'if-match': read.headers.etag as string }, payload: JSON.stringify({ outcomeCode: 18, rationale: 'No suspect.' }) });
        assert.equal(refused.statusCode, 400);
        const code1 = await api.request({ method: 'POST', url: `/api/v1/cases/${w.caseId}/police-nfa/proposals`, headers: { 'content-type': 'application/json', 'if-match': read.headers.etag as string }, payload: JSON.stringify({ outcomeCode: 1, rationale: 'Charged.' }) });
        assert.equal(code1.statusCode, 400);
        const page = await oic.get(`${base}/police-nfa/proposal`);
        assert.equal(page.statusCode, 200);
        assert.match(page.body, /cannot be made at this stage/);
      });
    } finally {
      await t.close();
    }
  });
}
