// The JOIM API on both engines, every answer checked against the API
// description: a member's token with the governance.joim scope schedules a
// meeting (Idempotency-Key), changes it (If-Match: 428 without, 412 when
// stale), records attendance (holding it and freezing the pack), a decision
// and an action; reads the pack; a token without the scope, or of someone
// without the permission, is refused, and another force's member finds
// nothing. The action's owner reads and closes it with their own token.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { engines } from '../../../test/support/databases.ts';
import { apiClient } from '../../platform/api/test-support.ts';
import type { ApiClient } from '../../platform/api/test-support.ts';
import { documentedBy } from '../../../test/support/openapi.ts';
import { PLANTED_NAMES, joimTestApp } from './test-support.ts';

for (const engine of engines) {
  test(`${engine}: the JOIM API`, async () => {
    const { t, w } = await joimTestApp(engine);
    try {
      await w.makeCase('AS/300/26', ['investigation', 'charging_referral', 'action_plan'], 91, { cpsUrn: '52AS30026' });
      const member = await apiClient(t, { person: w.supervisor, organisationId: w.force, scopes: ['governance.joim'] });
      const areaMember = await apiClient(t, { person: w.headOfRasso, organisationId: w.area, scopes: ['governance.joim'] });
      const unscoped = await apiClient(t, { person: w.supervisor, organisationId: w.force });
      const investigator = await apiClient(t, { person: w.investigator, organisationId: w.force, scopes: ['governance.joim'] });
      const outsider = await apiClient(t, { person: w.otherSupervisor, organisationId: w.otherForce, scopes: ['governance.joim'] });
      const documented = await documentedBy(t.app);
      const send = (client: ApiClient, method: 'POST' | 'PUT' | 'PATCH', url: string, body: unknown, headers: Record<string, string> = {}) =>
        client.request({ method, url, headers: { 'content-type': 'application/json', ...headers }, payload: JSON.stringify(body) });
      const meetings = `/api/v1/joim/pairs/${w.force}/${w.area}/meetings`;

      const empty = await member.get(meetings);
      documented('GET', '/api/v1/joim/pairs/{forceId}/{cpsAreaId}/meetings', empty);
      assert.deepEqual(empty.json(), { upcoming: [], past: [] });
      assert.equal((await unscoped.get(meetings)).statusCode, 403);
      assert.equal((await investigator.get(meetings)).statusCode, 403);
      assert.equal((await outsider.get(meetings)).statusCode, 404);

      const bad = await send(member, 'POST', meetings, { meetsOn: '2026-03-10', startsAt: '10:00', place: 'http://insecure.example/joim' });
      assert.equal(bad.statusCode, 400);
      documented('POST', '/api/v1/joim/pairs/{forceId}/{cpsAreaId}/meetings', bad);
      assert.equal((await send(member, 'POST', meetings, { meetsOn: '10/03/2026', startsAt: '10:00', place: 'Room 1' })).statusCode, 400);
      const body = { meetsOn: '2026-03-10', startsAt: '10:00', place: 'Trinity Road Police Station, Bristol' };
      const made = await Promise.all([1, 2].map(() => send(member, 'POST', meetings, body, { 'idempotency-key': 'joim-1' })));
      assert.deepEqual(made.map((r) => r.statusCode), [201, 201], made[0]!.body);
      documented('POST', '/api/v1/joim/pairs/{forceId}/{cpsAreaId}/meetings', made[0]!);
      const meeting = `/api/v1/joim/meetings/${made[0]!.json().meeting.id}`;
      assert.equal(made[0]!.headers.location, meeting);
      assert.equal(made[1]!.json().meeting.id, made[0]!.json().meeting.id, 'scheduled once');
      assert.equal((await member.get(meetings)).json().upcoming.length, 1);

      const read = await areaMember.get(meeting);
      documented('GET', '/api/v1/joim/meetings/{meetingId}', read);
      assert.equal(read.headers.etag, '"1"');
      assert.equal((await outsider.get(meeting)).statusCode, 404);
      assert.equal((await send(member, 'PATCH', meeting, { ...body, startsAt: '14:00' })).statusCode, 428);
      const stale = await send(member, 'PATCH', meeting, { ...body, startsAt: '14:00' }, { 'if-match': '"9"' });
      assert.equal(stale.statusCode, 412);
      documented('PATCH', '/api/v1/joim/meetings/{meetingId}', stale);
      const moved = await send(member, 'PATCH', meeting, { ...body, startsAt: '14:00' }, { 'if-match': '"1"' });
      assert.equal(moved.statusCode, 200, moved.body);
      documented('PATCH', '/api/v1/joim/meetings/{meetingId}', moved);
      assert.deepEqual([moved.json().meeting.startsAt, moved.headers.etag], ['14:00', '"2"']);

      const live = await member.get(`${meeting}/pack`);
      documented('GET', '/api/v1/joim/meetings/{meetingId}/pack', live);
      assert.deepEqual([live.json().frozen, live.json().ageing.map((row: { case: { policeReference: string }; band: number }) => [row.case.policeReference, row.band])], [false, [['AS/300/26', 90]]]);
      assert.ok(PLANTED_NAMES.every((name) => !live.body.includes(name)));

      const attendance = `${meeting}/attendance`;
      const nobody = await send(member, 'PUT', attendance, { userIds: [], guests: [] }, { 'if-match': '"2"' });
      assert.equal(nobody.statusCode, 400);
      documented('PUT', '/api/v1/joim/meetings/{meetingId}/attendance', nobody);
      const held = await send(member, 'PUT', attendance, { userIds: [w.supervisor.id, w.headOfRasso.id], guests: [{ name: 'Claire Whitfield', role: 'ISVA service manager' }] }, { 'if-match': '"2"' });
      assert.equal(held.statusCode, 200, held.body);
      documented('PUT', '/api/v1/joim/meetings/{meetingId}/attendance', held);
      assert.deepEqual([held.json().meeting.status, held.json().attendees.length, held.headers.etag], ['held', 3, '"3"']);
      const frozen = await member.get(`${meeting}/pack`);
      assert.equal(frozen.json().frozen, true);
      const caseId = frozen.json().ageing[0].case.caseId as string;

      const minutes = await send(member, 'PUT', `${meeting}/minutes`, { minutes: 'AS/300/26 is past 90 days.' }, { 'if-match': '"3"' });
      assert.equal(minutes.statusCode, 200);
      documented('PUT', '/api/v1/joim/meetings/{meetingId}/minutes', minutes);
      const decision = await send(areaMember, 'POST', `${meeting}/decisions`, { text: 'Senior escalation for AS/300/26.' });
      assert.equal(decision.statusCode, 201, decision.body);
      documented('POST', '/api/v1/joim/meetings/{meetingId}/decisions', decision);
      assert.equal((await send(areaMember, 'POST', `${meeting}/decisions`, { text: 'Late.' }, { 'if-match': '"3"' })).statusCode, 412);

      const actions = `${meeting}/actions`;
      const notInPack = await send(member, 'POST', actions, { text: 'Chase', ownerUserId: w.investigator.id, dueOn: '2026-03-17', caseId: w.force });
      assert.equal(notInPack.statusCode, 400);
      documented('POST', '/api/v1/joim/meetings/{meetingId}/actions', notInPack);
      const action = await send(member, 'POST', actions, { text: 'Answer the action plan on AS/300/26 or close the case', ownerUserId: w.investigator.id, dueOn: '2026-03-17', caseId }, { 'idempotency-key': 'a-1' });
      assert.equal(action.statusCode, 201, action.body);
      documented('POST', '/api/v1/joim/meetings/{meetingId}/actions', action);
      const actionUrl = String(action.headers.location);
      assert.match(actionUrl, /^\/api\/v1\/joim\/actions\//);
      assert.equal((await send(member, 'POST', actions, { text: 'Other', ownerUserId: w.investigator.id, dueOn: '2026-03-17' }, { 'idempotency-key': 'a-1' })).statusCode, 422);
      const open = await areaMember.get(`/api/v1/joim/pairs/${w.force}/${w.area}/actions`);
      documented('GET', '/api/v1/joim/pairs/{forceId}/{cpsAreaId}/actions', open);
      assert.deepEqual(open.json().actions.map((a: { number: number; caseLabel: string }) => [a.number, a.caseLabel]), [[1, 'AS/300/26 (URN 52AS30026)']]);

      // The owner, with a token of no scope at all: their own action only.
      t.clock.set('2026-03-18T09:00:00Z');
      const owner = await apiClient(t, { person: w.investigator, organisationId: w.force });
      const [memberNow, outsiderNow] = [await apiClient(t, { person: w.supervisor, organisationId: w.force, scopes: ['governance.joim'] }), await apiClient(t, { person: w.otherSupervisor, organisationId: w.otherForce, scopes: ['governance.joim'] })];
      const mine = await owner.get('/api/v1/joim/my-actions');
      documented('GET', '/api/v1/joim/my-actions', mine);
      assert.deepEqual(mine.json().actions.map((a: { overdue: boolean }) => a.overdue), [true]);
      const got = await owner.get(actionUrl);
      documented('GET', '/api/v1/joim/actions/{actionId}', got);
      assert.equal((await outsiderNow.get(actionUrl)).statusCode, 404);
      const noReason = await send(owner, 'PATCH', actionUrl, { status: 'dropped' }, { 'if-match': String(got.headers.etag) });
      assert.equal(noReason.statusCode, 400);
      documented('PATCH', '/api/v1/joim/actions/{actionId}', noReason);
      const done = await send(owner, 'PATCH', actionUrl, { status: 'done', note: 'Plan answered on 17 March.' }, { 'if-match': String(got.headers.etag) });
      assert.equal(done.statusCode, 200, done.body);
      documented('PATCH', '/api/v1/joim/actions/{actionId}', done);
      assert.deepEqual([done.json().action.status, done.json().updates.length], ['done', 2]);

      const spare = await send(memberNow, 'POST', meetings, { meetsOn: '2026-06-09', startsAt: '10:00', place: 'Room 1' });
      const spareUrl = String(spare.headers.location);
      assert.equal((await send(memberNow, 'POST', `${spareUrl}/cancellation`, { reason: 'Moved to July' })).statusCode, 428);
      const cancelled = await send(memberNow, 'POST', `${spareUrl}/cancellation`, { reason: 'Moved to July' }, { 'if-match': '"1"' });
      assert.equal(cancelled.statusCode, 200);
      documented('POST', '/api/v1/joim/meetings/{meetingId}/cancellation', cancelled);
      assert.equal(cancelled.json().meeting.status, 'cancelled');
    } finally {
      await t.close();
    }
  });
}
