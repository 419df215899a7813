// The assurance API on both engines: a plan lead's token starts a report; a
// step needs If-Match (428 without, 412 when stale); sign-off needs the
// scope, someone other than the drafter, and every exception explained;
// published, the national analyst's token reads it with small counts
// suppressed; every answer matches the API description.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { engines } from '../../../test/support/databases.ts';
import { documentedBy } from '../../../test/support/openapi.ts';
import { apiClient } from '../../platform/api/test-support.ts';
import { QUARTER, assuranceTestApp } from './test-support.ts';

for (const engine of engines) {
  test(`${engine}: the quarterly assurance API`, async () => {
    const { t, w } = await assuranceTestApp(engine);
    try {
      const lead = await apiClient(t, { person: w.forceLead, organisationId: w.force, scopes: ['assurance.read', 'assurance.draft'] });
      const signer = await apiClient(t, { person: w.escalationLead, organisationId: w.force, scopes: ['assurance.read', 'assurance.sign-off'] });
      const signerReadOnly = await apiClient(t, { person: w.escalationLead, organisationId: w.force, scopes: ['assurance.read'] });
      const national = await apiClient(t, { person: w.nationalAnalyst, organisationId: w.national, scopes: ['assurance.read'] });
      const other = await apiClient(t, { person: w.otherManager, organisationId: w.otherForce, scopes: ['assurance.read', 'assurance.sign-off'] });
      const send = (client: typeof lead, method: 'POST' | 'PUT', url: string, body: unknown, headers: Record<string, string> = {}) =>
        client.request({ method, url, headers: { 'content-type': 'application/json', ...headers }, payload: JSON.stringify(body ?? {}) });

      const documented = await documentedBy(t.app);
      const base = '/api/v1/assurance-reports';

      const badQuarter = await send(lead, 'POST', base, { quarter: '2026-27-q3' });
      assert.equal(badQuarter.statusCode, 400);
      documented('POST', base, badQuarter);
      const made = await send(lead, 'POST', base, { quarter: QUARTER });
      assert.equal(made.statusCode, 201, made.body);
      documented('POST', base, made);
      const report = made.json();
      const url = `${base}/${report.id}`;
      assert.equal(made.headers.location, `${url}/versions/1`);
      assert.equal(made.headers.etag, '"1"');
      assert.deepEqual([report.quarter, report.periodStart, report.periodEnd, report.version.status], [QUARTER, '2026-07-01', '2026-09-30', 'draft']);
      assert.deepEqual(report.figures.nfa.police.byOutcome, [{ code: '16', name: '16: Evidential difficulties: victim does not support action', count: { value: null, text: 'fewer than 5' } }]);
      assert.deepEqual(report.figures.nfa.police.total, { value: null, text: 'fewer than 5' });
      assert.deepEqual(report.figures.exceptions.map((e: { key: string }) => e.key), ['plan-actions-overdue']);
      assert.equal((await send(lead, 'POST', base, { quarter: QUARTER })).statusCode, 400, 'one report per quarter');

      const list = await lead.get(base);
      documented('GET', base, list);
      assert.deepEqual(list.json().reports.map((r: { id: string; status: string }) => [r.id, r.status]), [[report.id, 'draft']]);
      assert.equal((await national.get(url)).statusCode, 404, 'a draft is not national');
      assert.equal((await other.get(url)).statusCode, 404);

      const commentary = `${url}/commentary/exception.plan-actions-overdue`;
      assert.equal((await send(lead, 'PUT', commentary, { text: 'Moved to 2027.' })).statusCode, 428);
      assert.equal((await send(lead, 'PUT', commentary, { text: 'Moved to 2027.' }, { 'if-match': '"9"' })).statusCode, 412);
      assert.equal((await send(lead, 'PUT', `${url}/commentary/elsewhere`, { text: 'x' }, { 'if-match': '"1"' })).statusCode, 400);
      const signOffEarly = await send(signer, 'POST', `${url}/sign-off`, {}, { 'if-match': '"1"' });
      assert.equal(signOffEarly.statusCode, 400);
      documented('POST', '/api/v1/assurance-reports/{reportId}/sign-off', signOffEarly);
      assert.match(signOffEarly.json().detail, /Add commentary explaining the exception/);
      const explained = await send(lead, 'PUT', commentary, { text: 'Moved to 2027 with the new ISVA contract.' }, { 'if-match': '"1"' });
      assert.equal(explained.statusCode, 200, explained.body);
      documented('PUT', '/api/v1/assurance-reports/{reportId}/commentary/{section}', explained);
      assert.equal(explained.headers.etag, '"2"');
      const refreshed = await send(lead, 'POST', `${url}/refresh`, {}, { 'if-match': '"2"' });
      assert.equal(refreshed.statusCode, 200);
      documented('POST', '/api/v1/assurance-reports/{reportId}/refresh', refreshed);
      assert.equal((await send(lead, 'POST', `${url}/sign-off`, {}, { 'if-match': '"3"' })).statusCode, 403, 'plan leads do not sign off');
      assert.equal((await send(signerReadOnly, 'POST', `${url}/sign-off`, {}, { 'if-match': '"3"' })).statusCode, 403, 'a token without the scope');
      const signed = await send(signer, 'POST', `${url}/sign-off`, {}, { 'if-match': '"3"' });
      assert.equal(signed.statusCode, 200, signed.body);
      assert.equal(signed.json().version.signedOffBy, 'Mark Ellis');
      const published = await send(signer, 'POST', `${url}/publish`, {}, { 'if-match': '"4"' });
      assert.equal(published.statusCode, 200);
      documented('POST', '/api/v1/assurance-reports/{reportId}/publish', published);

      const read = await national.get(url);
      assert.equal(read.statusCode, 200);
      documented('GET', '/api/v1/assurance-reports/{reportId}', read);
      assert.equal(read.json().version.status, 'published');
      assert.deepEqual((await national.get(base)).json().reports.map((r: { id: string; number: number }) => [r.id, r.number]), [[report.id, 1]]);

      assert.equal((await send(lead, 'POST', `${url}/reopen`, { reason: 'Fix.' })).statusCode, 428);
      const reopened = await send(lead, 'POST', `${url}/reopen`, { reason: 'The summary left out the JOIM’s findings.' }, { 'if-match': '"5"' });
      assert.equal(reopened.statusCode, 201, reopened.body);
      documented('POST', '/api/v1/assurance-reports/{reportId}/reopen', reopened);
      assert.equal(reopened.headers.location, `${url}/versions/2`);
      assert.deepEqual([reopened.json().version.number, reopened.json().version.reason], [2, 'The summary left out the JOIM’s findings.']);
      const first = await lead.get(`${url}/versions/1`);
      documented('GET', '/api/v1/assurance-reports/{reportId}/versions/{number}', first);
      assert.equal(first.json().version.status, 'published');
      assert.equal((await national.get(`${url}/versions/2`)).statusCode, 404);
    } finally {
      await t.close();
    }
  });
}
