// The plans API on both engines: anyone signed in lists and reads plans and
// actions; posting an update needs the plans.manage scope, a plan lead of the
// owning organisation and If-Match (428 without, 412 when stale); a status
// change without a note is refused; an Idempotency-Key makes a retry safe.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { engines } from '../../test/support/databases.ts';
import { planApiClients, planTestApp } from './test-support.ts';
import { documentedBy } from '../../test/support/openapi.ts';

for (const engine of engines) {
  test(`${engine}: the plans API`, async () => {
    const { t, w } = await planTestApp(engine);
    try {
      const { reader, lead, unscoped, nationalLead: otherLead } = await planApiClients(t, w);
      const post = (client: typeof lead, url: string, body: unknown, headers: Record<string, string> = {}) =>
        client.request({ method: 'POST', url, headers: { 'content-type': 'application/json', ...headers }, payload: JSON.stringify(body) });

      // Every answer below matches what the API description documents.
      const documented = await documentedBy(t.app);
      const list = await reader.get('/api/v1/plans');
      documented('GET', '/api/v1/plans', list);
      assert.equal(list.statusCode, 200);
      assert.deepEqual(list.json().plans.map((p: { actions: number }) => p.actions).sort(), [19, 24]);
      const plan = await reader.get(`/api/v1/plans/${w.local}`);
      assert.equal(plan.statusCode, 200);
      assert.equal(plan.headers.etag, '"1"');
      documented('GET', '/api/v1/plans/{planId}', plan);
      assert.equal(plan.json().themes.length, 4);
      const action = plan.json().themes[2].actions[0];
      assert.equal(action.number, 12);
      const url = `/api/v1/plans/${w.local}/actions/${action.id}`;
      const read = await reader.get(url);
      assert.equal(read.statusCode, 200);
      assert.equal(read.json().updates.length, 1);
      documented('GET', '/api/v1/plans/{planId}/actions/{actionId}', read);
      assert.equal((await reader.get(`/api/v1/plans/${w.jnap}/actions/${action.id}`)).statusCode, 404);

      const updates = `${url}/updates`;
      const etag = String(read.headers.etag);
      assert.equal((await post(reader, updates, { text: 'Done.' }, { 'if-match': etag })).statusCode, 403);
      assert.equal((await post(unscoped, updates, { text: 'Done.' }, { 'if-match': etag })).statusCode, 403);
      assert.equal((await post(otherLead, updates, { text: 'Done.' }, { 'if-match': etag })).statusCode, 403);
      assert.equal((await post(lead, updates, { text: 'Done.' })).statusCode, 428);
      assert.equal((await post(lead, updates, { text: 'Done.' }, { 'if-match': '"7"' })).statusCode, 412);
      const noNote = await post(lead, updates, { text: ' ', status: 'in_progress' }, { 'if-match': etag });
      assert.equal(noNote.statusCode, 400);
      documented('POST', '/api/v1/plans/{planId}/actions/{actionId}/updates', noNote);
      assert.match(noNote.json().detail, /why the status changed/);
      assert.equal((await post(lead, updates, { text: 'x', status: 'purple' }, { 'if-match': etag })).statusCode, 400);

      const body = { text: 'NPCC guidance on privacy adopted.', status: 'yes' };
      const answers = await Promise.all([1, 2].map(() => post(lead, updates, body, { 'if-match': etag, 'idempotency-key': 'u-1' })));
      assert.deepEqual(answers.map((a) => a.statusCode), [201, 201], answers[0]!.body);
      assert.equal(answers[0]!.headers.location, `/api/v1/plans/${w.local}/actions/${action.id}`);
      const after = await reader.get(url);
      assert.equal(after.json().updates.length, 2, 'made once');
      assert.equal(after.headers.etag, '"2"');
      assert.equal((await post(lead, updates, { ...body, text: 'Other.' }, { 'if-match': '"2"', 'idempotency-key': 'u-1' })).statusCode, 422);
      const changed = await post(lead, updates, { text: 'Further sessions planned for 2023.', status: 'in_progress' }, { 'if-match': '"2"' });
      assert.equal(changed.statusCode, 201, changed.body);
      documented('POST', '/api/v1/plans/{planId}/actions/{actionId}/updates', changed);
      assert.deepEqual(changed.json().updates.map((u: { kind: string; statusTo: string | null }) => [u.kind, u.statusTo]), [['status', 'in_progress'], ['update', null], ['update', 'yes']]);
      assert.equal(changed.json().action.status, 'in_progress');
    } finally {
      await t.close();
    }
  });
}
