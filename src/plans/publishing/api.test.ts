// The publishing API on both engines, every answer checked against the
// OpenAPI document: the progress report and its revision as the ETag;
// publishing with If-Match (428 without, 412 when the plan moved on, 403 for
// anyone but the owner's plan leads); editions and their PDFs; exports in each
// format; and imports of the raw file (201 with the new plan, or a problem
// whose errors name row and column, 415 for anything not a spreadsheet).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { engines } from '../../../test/support/databases.ts';
import { documentedBy } from '../../../test/support/openapi.ts';
import { planApiClients, planTestApp } from '../test-support.ts';
import { mediaTypes } from './model.ts';

for (const engine of engines) {
  test(`${engine}: the publishing API`, async () => {
    const { t, w } = await planTestApp(engine);
    try {
      const { reader, lead, unscoped, nationalLead: otherLead } = await planApiClients(t, w);
      const documented = await documentedBy(t.app);
      const base = `/api/v1/plans/${w.local}`;

      const report = await reader.get(`${base}/progress-report`);
      documented('GET', '/api/v1/plans/{planId}/progress-report', report);
      assert.equal(report.statusCode, 200);
      const etag = String(report.headers.etag);
      assert.match(etag, /^"[0-9a-f]{32}-1"$/, 'the report’s revision and the edition it would be');
      assert.deepEqual(report.json().themes.map((theme: { actions: unknown[] }) => theme.actions.length), [5, 6, 4, 4]);

      const publish = (client: typeof lead, headers: Record<string, string> = {}) => client.request({ method: 'POST', url: `${base}/editions`, headers });
      for (const client of [reader, unscoped, otherLead]) assert.equal((await publish(client, { 'if-match': etag })).statusCode, 403);
      const missing = await publish(lead);
      documented('POST', '/api/v1/plans/{planId}/editions', missing);
      assert.equal(missing.statusCode, 428);
      assert.equal((await publish(lead, { 'if-match': '"0123456789abcdef0123456789abcdef"' })).statusCode, 412);
      const made = await publish(lead, { 'if-match': etag });
      documented('POST', '/api/v1/plans/{planId}/editions', made);
      assert.equal(made.statusCode, 201, made.body);
      assert.equal(made.json().edition, 1);
      assert.deepEqual(made.json().report, report.json());
      assert.equal(made.headers.location, `${base}/editions/${made.json().id}`);
      assert.equal((await publish(lead, { 'if-match': etag })).statusCode, 412, 'that edition is published');
      assert.equal(String((await reader.get(`${base}/progress-report`)).headers.etag), etag.replace(/-1"$/, '-2"'));

      const editions = await reader.get(`${base}/editions`);
      documented('GET', '/api/v1/plans/{planId}/editions', editions);
      assert.deepEqual(editions.json().editions.map((e: { edition: number; publishedBy: string }) => [e.edition, e.publishedBy]), [[1, 'Elise Renouf']]);
      const edition = await reader.get(String(made.headers.location));
      documented('GET', '/api/v1/plans/{planId}/editions/{editionId}', edition);
      const pdf = await reader.get(`${made.headers.location}/pdf`);
      documented('GET', '/api/v1/plans/{planId}/editions/{editionId}/pdf', pdf);
      assert.equal(pdf.rawPayload.subarray(0, 5).toString(), '%PDF-');

      const files: Record<string, Buffer> = {};
      for (const format of ['csv', 'xlsx', 'ods'] as const) {
        const file = await reader.get(`${base}/export?format=${format}`);
        documented('GET', '/api/v1/plans/{planId}/export', file);
        assert.equal(file.headers['content-type'], mediaTypes[format]);
        files[format] = file.rawPayload;
      }
      const badFormat = await reader.get(`${base}/export?format=pdf`);
      assert.equal(badFormat.statusCode, 400);
      documented('GET', '/api/v1/plans/{planId}/export', badFormat);

      const importing = (client: typeof lead, type: string, payload: Buffer | string) => client.request({ method: 'POST', url: '/api/v1/plans/imports', headers: { 'content-type': type }, payload });
      assert.equal((await importing(reader, 'text/csv', files.csv!)).statusCode, 403);
      assert.equal((await importing(unscoped, 'text/csv', files.csv!)).statusCode, 403);
      const refused = await importing(lead, 'text/csv; charset=utf-8', files.csv!.toString('utf8').replace(',In progress,', ',Half done,'));
      documented('POST', '/api/v1/plans/imports', refused);
      assert.equal(refused.statusCode, 400);
      assert.deepEqual(refused.json().errors, [{ field: 'file', message: 'Row 2, column O (Status): “Half done” is not a status of the scheme Yes / No / In progress: use No, In progress, Yes' }]);
      const json = await lead.request({ method: 'POST', url: '/api/v1/plans/imports', headers: { 'content-type': 'application/json' }, payload: '{}' });
      documented('POST', '/api/v1/plans/imports', json);
      assert.equal(json.statusCode, 415);
      for (const format of ['csv', 'xlsx', 'ods'] as const) {
        const created = await importing(lead, mediaTypes[format], files[format]!);
        documented('POST', '/api/v1/plans/imports', created);
        assert.equal(created.statusCode, 201, created.body);
        assert.deepEqual([created.json().themes, created.json().actions], [4, 19]);
        const again = await reader.get(`/api/v1/plans/${created.json().id}/progress-report`);
        assert.deepEqual({ ...again.json<object>(), planId: w.local }, report.json(), `${format}: the same report`);
      }
    } finally {
      await t.close();
    }
  });
}
