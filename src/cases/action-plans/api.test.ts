// The early-advice and action-plan API on both engines: a request with an
// Idempotency-Key made once however often it is retried (and the key refused
// with another body); updates need If-Match (428 without, 412 when stale);
// issuing a plan from a charging referral, answering an item and reading the
// plans with their review clock; strangers told the case does not exist.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { engines } from '../../../test/support/databases.ts';
import { apiClient } from '../../platform/api/test-support.ts';
import { systemContext } from '../../platform/audit/model.ts';
import { caseTestApp, worldCase } from '../test-support.ts';

const contents = { summary: 'Facts.', enquiriesDone: 'ABE.', enquiriesOngoing: 'Phone, 2 weeks.', enquiriesPlanned: 'CCTV.', issues: 'Consent.', questions: 'CCTV needed?', keyMaterial: 'ABE.', disclosableMaterial: 'None.' };

for (const engine of engines) {
  test(`${engine}: the early-advice and action-plan API`, async (s) => {
    const { t, w } = await caseTestApp(engine);
    try {
      const oic = await apiClient(t, { person: w.oic, organisationId: w.force });
      const prosecutor = await apiClient(t, { person: w.prosecutor, organisationId: w.area });
      const stranger = await apiClient(t, { person: w.otherForceInvestigator, organisationId: w.otherForce });
      const post = (client: typeof oic, url: string, body: unknown, headers: Record<string, string> = {}) =>
        client.request({ method: 'POST', url, headers: { 'content-type': 'application/json', ...headers }, payload: JSON.stringify(body) });

      await s.test('requesting with an Idempotency-Key makes one request; updates need If-Match', async () => {
        const caseId = await w.cases.operator.createCase(systemContext(), worldCase(w.force, w.area, w.oic.id, w.prosecutor.id, 'API/EA/1'));
        const url = `/api/v1/cases/${caseId}/early-advice`;
        assert.equal((await stranger.get(url)).statusCode, 404);
        const answers = await Promise.all([1, 2, 3].map(() => post(oic, `${url}/requests`, { contents }, { 'idempotency-key': 'ea-1' })));
        assert.deepEqual(answers.map((a) => a.statusCode), [201, 201, 201]);
        assert.equal(new Set(answers.map((a) => a.json().id)).size, 1);
        assert.equal((await post(oic, `${url}/requests`, { contents: { ...contents, summary: 'Other' } }, { 'idempotency-key': 'ea-1' })).statusCode, 422);
        const read = await prosecutor.get(url);
        assert.equal(read.statusCode, 200);
        assert.equal(read.json().requests.length, 1);
        assert.match(read.json().responseDueOn, /^\d{4}-\d{2}-\d{2}$/);
        const requestId = read.json().requests[0].id;
        assert.equal((await post(prosecutor, `${url}/${requestId}/decision`, { decision: 'accept' })).statusCode, 428);
        assert.equal((await post(prosecutor, `${url}/${requestId}/decision`, { decision: 'accept' }, { 'if-match': '"1"' })).statusCode, 412);
        const accepted = await post(prosecutor, `${url}/${requestId}/decision`, { decision: 'accept' }, { 'if-match': String(read.headers.etag) });
        assert.equal(accepted.statusCode, 200, accepted.body);
        const advised = await post(prosecutor, `${url}/${requestId}/advice`, { advice: 'Get the CCTV first.' }, { 'if-match': String(accepted.headers.etag) });
        assert.equal(advised.statusCode, 200, advised.body);
        assert.equal((await oic.get(url)).json().requests[0].status, 'advised');
      });

      await s.test('issuing a plan from a charging referral, answering an item, reading the plan with its review clock', async () => {
        const caseId = await w.cases.operator.createCase(systemContext(), { ...worldCase(w.force, w.area, w.oic.id, w.prosecutor.id, 'API/AP/1'), path: ['investigation', 'charging_referral'] });
        const url = `/api/v1/cases/${caseId}/action-plans`;
        assert.equal((await post(oic, url, { items: [{ description: 'CCTV', owner: 'police', dueOn: '2099-01-01' }] })).statusCode, 403);
        const issued = await post(prosecutor, url, { items: [{ description: 'CCTV', owner: 'police', dueOn: '2099-01-01' }] }, { 'idempotency-key': 'ap-1' });
        assert.equal(issued.statusCode, 201, issued.body);
        assert.equal(issued.json().issued, true);
        const read = await oic.get(url);
        assert.equal(read.statusCode, 200);
        const plan = read.json().plans[0];
        assert.match(read.json().reviewDueOn, /^\d{4}-\d{2}-\d{2}$/);
        const itemUrl = `${url}/${plan.id}/items/${plan.items[0].id}`;
        const done = await post(oic, `${itemUrl}/response`, { response: 'complete', text: 'Obtained.' }, { 'if-match': String(read.headers.etag) });
        assert.equal(done.statusCode, 200, done.body);
        assert.equal((await post(prosecutor, `${itemUrl}/review`, { decision: 'accept' }, { 'if-match': String(read.headers.etag) })).statusCode, 412, 'an ETag read before the response is stale');
        const reviewed = await post(prosecutor, `${itemUrl}/review`, { decision: 'accept' }, { 'if-match': String(done.headers.etag) });
        assert.equal(reviewed.statusCode, 200, reviewed.body);
        const after = (await oic.get(url)).json();
        assert.equal(after.plans[0].status, 'answered');
        assert.equal(after.reviewDueOn, null, 'the PRFI clock is met when the plan is answered');
        assert.equal((await stranger.get(url)).statusCode, 404);
      });
    } finally {
      await t.close();
    }
  });
}
