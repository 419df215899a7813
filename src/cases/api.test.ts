// The case API on both engines: my cases, creating with Idempotency-Key
// (replay answers the same; reuse with another body is 422; concurrent
// retries make one case), reading with an ETag, and moving the stage with
// If-Match (428 without, 412 when stale, 404 for a case the caller may not see).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { engines } from '../../test/support/databases.ts';
import { apiClient } from '../platform/api/test-support.ts';
import { systemContext } from '../platform/audit/model.ts';
import { caseTestApp, worldCase } from './test-support.ts';

for (const engine of engines) {
  test(`${engine}: the case API`, async (s) => {
    const { t, w } = await caseTestApp(engine);
    try {
      const oic = await apiClient(t, { person: w.oic, organisationId: w.force });
      const stranger = await apiClient(t, { person: w.otherForceInvestigator, organisationId: w.otherForce });
      const json = (method: 'POST' | 'PATCH', url: string, body: unknown, headers: Record<string, string> = {}) =>
        oic.request({ method, url, headers: { 'content-type': 'application/json', ...headers }, payload: JSON.stringify(body) });
      const newCase = (reference: string) => ({ policeReference: reference, cpsAreaId: w.area, offenceClass: 'rape_13_to_15', flags: ['childVictim'], reportedOn: '2025-06-01' });
      const casesWith = async (reference: string) => (await t.database.db.selectFrom('cases').select('id').where('police_reference', '=', reference).execute()).length;

      await s.test('my cases, sorted and paged', async () => {
        const answer = await oic.get('/api/v1/cases?sort=reference&order=ascending');
        assert.equal(answer.statusCode, 200);
        const body = answer.json();
        assert.equal(body.total, 1);
        assert.equal(body.cases[0].policeReference, 'AS/10001/25');
        assert.equal((await oic.get('/api/v1/cases?sort=nonsense')).statusCode, 400);
        assert.equal((await stranger.get('/api/v1/cases')).json().total, 0);
      });

      await s.test('creating with an Idempotency-Key: a retry answers the same and makes nothing new', async () => {
        const first = await json('POST', '/api/v1/cases', newCase('API/1'), { 'idempotency-key': 'key-1' });
        assert.equal(first.statusCode, 201, first.body);
        const again = await json('POST', '/api/v1/cases', newCase('API/1'), { 'idempotency-key': 'key-1' });
        assert.equal(again.statusCode, 201);
        assert.deepEqual(again.json(), first.json());
        assert.equal(again.headers.location, `/api/v1/cases/${first.json().id}`);
        assert.equal(await casesWith('API/1'), 1);
        const reused = await json('POST', '/api/v1/cases', newCase('API/2'), { 'idempotency-key': 'key-1' });
        assert.equal(reused.statusCode, 422);
        assert.equal(reused.json().type, 'urn:rasso:problem:idempotency-key-reused');
        assert.equal(await casesWith('API/2'), 0);
      });

      await s.test('ten concurrent retries with one key make one case and all answer the same', async () => {
        const answers = await Promise.all(Array.from({ length: 10 }, () => json('POST', '/api/v1/cases', newCase('API/3'), { 'idempotency-key': 'key-3' })));
        assert.deepEqual(answers.map((a) => a.statusCode), Array(10).fill(201));
        assert.equal(new Set(answers.map((a) => a.json().id)).size, 1);
        assert.equal(await casesWith('API/3'), 1);
      });

      await s.test('without a key each request creates; an invalid one is a validation problem', async () => {
        assert.equal((await json('POST', '/api/v1/cases', newCase('API/4'))).statusCode, 201);
        const duplicate = await json('POST', '/api/v1/cases', newCase('API/4'));
        assert.equal(duplicate.statusCode, 400);
        assert.equal(duplicate.json().errors[0].field, 'policeReference');
        const prosecutor = await apiClient(t, { person: w.prosecutor, organisationId: w.area });
        const refused = await prosecutor.request({ method: 'POST', url: '/api/v1/cases', headers: { 'content-type': 'application/json' }, payload: JSON.stringify(newCase('API/5')) });
        assert.equal(refused.statusCode, 403);
      });

      await s.test('reading a case gives its ETag; moving the stage needs it', async () => {
        const read = await oic.get(`/api/v1/cases/${w.caseId}`);
        assert.equal(read.statusCode, 200);
        assert.equal(String(read.headers.etag), `"${read.json().case.version}"`);
        assert.deepEqual(read.json().events.map((e: { seq: number }) => e.seq), [6, 5, 4, 3, 2, 1]);

        const caseId = await w.cases.operator.createCase(systemContext(), { ...worldCase(w.force, w.area, w.oic.id, w.prosecutor.id, 'AS/API/2'), path: [] });
        const etag = String((await oic.get(`/api/v1/cases/${caseId}`)).headers.etag);
        const url = `/api/v1/cases/${caseId}/stage`;
        assert.equal((await json('PATCH', url, { stage: 'initial_response' })).statusCode, 428);
        assert.equal((await json('PATCH', url, { stage: 'initial_response' }, { 'if-match': '"999"' })).statusCode, 412);
        assert.equal((await json('PATCH', url, { stage: 'initial_response' }, { 'if-match': 'W/"1"' })).statusCode, 412);
        const illegal = await json('PATCH', url, { stage: 'completed' }, { 'if-match': etag });
        assert.equal(illegal.statusCode, 400);
        assert.match(illegal.json().detail, /cannot move to ‘Completed’/);
        const byCommand = await json('PATCH', url, { stage: 'police_nfa' }, { 'if-match': etag });
        assert.equal(byCommand.statusCode, 400, 'a move that records more than the stage has a command of its own');
        assert.match(byCommand.json().detail, /use ‘Record a police decision of no further action’/);
        const moved = await json('PATCH', url, { stage: 'initial_response' }, { 'if-match': etag });
        assert.equal(moved.statusCode, 200);
        assert.equal(moved.json().stage, 'initial_response');
        assert.notEqual(moved.headers.etag, etag);
        assert.equal((await json('PATCH', url, { stage: 'investigation' }, { 'if-match': etag })).statusCode, 412, 'the old ETag is stale now');
      });

      await s.test('a case the caller may not see is not found, whatever they send', async () => {
        assert.equal((await stranger.get(`/api/v1/cases/${w.caseId}`)).statusCode, 404);
        const patch = await stranger.request({ method: 'PATCH', url: `/api/v1/cases/${w.caseId}/stage`, headers: { 'content-type': 'application/json' }, payload: JSON.stringify({ stage: 'investigation' }) });
        assert.equal(patch.statusCode, 404, 'not 428: the precondition is not checked before access');
      });
    } finally {
      await t.close();
    }
  });
}
