// Making and keeping a plan through the API, on both engines, every answer
// checked against the OpenAPI document: a plan (national ones only by the
// national organisation), its details (If-Match: the plan's ETag), themes
// added, renamed and moved, the people who may lead, actions added (the
// plan's ETag; an Idempotency-Key makes a retry safe), changed and withdrawn
// (the action's ETag). Without If-Match a change is 428, with a stale one 412.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { engines } from '../../test/support/databases.ts';
import { documentedBy } from '../../test/support/openapi.ts';
import { planApiClients, planTestApp } from './test-support.ts';

for (const engine of engines) {
  test(`${engine}: making a plan through the API`, async () => {
    const { t, w } = await planTestApp(engine);
    try {
      const { reader, lead, unscoped, nationalLead } = await planApiClients(t, w);
      const send = (client: typeof lead, method: 'POST' | 'PATCH' | 'PUT', url: string, body: unknown, headers: Record<string, string> = {}) =>
        client.request({ method, url, headers: { 'content-type': 'application/json', ...headers }, payload: JSON.stringify(body) });

      const documented = await documentedBy(t.app);

      // A plan.
      const newPlan = { level: 'force', title: 'Jersey RASSO plan 2026/27', period: '2026/27', owners: ['States of Jersey Police'], statusScheme: 'yes-no-in-progress', firstReviewOn: '2026-09-30' };
      assert.equal((await send(reader, 'POST', '/api/v1/plans', newPlan)).statusCode, 403);
      assert.equal((await send(unscoped, 'POST', '/api/v1/plans', newPlan)).statusCode, 403);
      const national = await send(lead, 'POST', '/api/v1/plans', { ...newPlan, level: 'national' });
      assert.equal(national.statusCode, 403);
      documented('POST', '/api/v1/plans', national);
      const incomplete = await send(lead, 'POST', '/api/v1/plans', { ...newPlan, title: undefined });
      assert.equal(incomplete.statusCode, 400);
      const wrong = await send(lead, 'POST', '/api/v1/plans', { ...newPlan, title: ' ', owners: [], firstReviewOn: '2026-02-30' });
      assert.equal(wrong.statusCode, 400);
      documented('POST', '/api/v1/plans', wrong);
      assert.deepEqual(wrong.json().errors.map((e: { field: string }) => e.field), ['title', 'owners', 'nextReviewOn-day']);
      const made = await Promise.all([1, 2].map(() => send(lead, 'POST', '/api/v1/plans', newPlan, { 'idempotency-key': 'plan-1' })));
      assert.deepEqual(made.map((m) => m.statusCode), [201, 201], made[0]!.body);
      documented('POST', '/api/v1/plans', made[0]!);
      const plan = made[0]!.json();
      assert.equal(made[1]!.json().id, plan.id, 'made once');
      assert.deepEqual([plan.level, plan.ownerOrganisationId, plan.reviewCycleMonths, plan.nextReviewOn, plan.history.map((h: { kind: string }) => h.kind)], ['force', w.force, 6, '2026-09-30', ['plan-created']]);
      assert.deepEqual([made[0]!.headers.etag, made[0]!.headers.location], ['"1"', `/api/v1/plans/${plan.id}`]);
      const planUrl = `/api/v1/plans/${plan.id}`;

      // Its details.
      assert.equal((await send(lead, 'PATCH', planUrl, { title: 'Renamed' })).statusCode, 428);
      assert.equal((await send(nationalLead, 'PATCH', planUrl, { title: 'Renamed' }, { 'if-match': '"1"' })).statusCode, 403);
      assert.equal((await send(lead, 'PATCH', planUrl, { title: 'Renamed' }, { 'if-match': '"9"' })).statusCode, 412);
      const past = await send(lead, 'PATCH', planUrl, { nextReviewOn: '2026-01-01' }, { 'if-match': '"1"' });
      assert.equal(past.statusCode, 400);
      documented('PATCH', '/api/v1/plans/{planId}', past);
      const patched = await send(lead, 'PATCH', planUrl, { title: 'Jersey RASSO action plan 2026/27', reviewCycleMonths: 12 }, { 'if-match': '"1"' });
      assert.equal(patched.statusCode, 200, patched.body);
      documented('PATCH', '/api/v1/plans/{planId}', patched);
      assert.deepEqual([patched.json().title, patched.json().reviewCycleMonths, patched.json().period, patched.headers.etag], ['Jersey RASSO action plan 2026/27', 12, '2026/27', '"2"']);
      assert.deepEqual(patched.json().history[0].changes, [{ field: 'title', from: 'Jersey RASSO plan 2026/27', to: 'Jersey RASSO action plan 2026/27' }, { field: 'reviewCycleMonths', from: '6', to: '12' }]);

      // Its themes.
      assert.equal((await send(lead, 'POST', `${planUrl}/themes`, { title: 'Supporting victims' })).statusCode, 428);
      const theme = await send(lead, 'POST', `${planUrl}/themes`, { title: 'Supporting victims' }, { 'if-match': '"2"' });
      assert.equal(theme.statusCode, 201, theme.body);
      documented('POST', '/api/v1/plans/{planId}/themes', theme);
      assert.deepEqual([theme.json().planVersion, theme.headers.etag], [3, '"3"']);
      const second = (await send(lead, 'POST', `${planUrl}/themes`, { title: 'Scrutiny', description: 'Learning from our decisions.' }, { 'if-match': '"3"' })).json();
      const renamed = await send(lead, 'PATCH', `${planUrl}/themes/${second.id}`, { title: 'Joint scrutiny and learning' }, { 'if-match': '"4"' });
      assert.equal(renamed.statusCode, 200, renamed.body);
      documented('PATCH', '/api/v1/plans/{planId}/themes/{themeId}', renamed);
      assert.deepEqual(renamed.json().themes.map((th: { title: string; description: string | null }) => [th.title, th.description]), [['Supporting victims', null], ['Joint scrutiny and learning', 'Learning from our decisions.']]);
      const badMove = await send(lead, 'PUT', `${planUrl}/themes/${second.id}/position`, { position: 3 }, { 'if-match': '"5"' });
      assert.equal(badMove.statusCode, 400);
      documented('PUT', '/api/v1/plans/{planId}/themes/{themeId}/position', badMove);
      const moved = await send(lead, 'PUT', `${planUrl}/themes/${second.id}/position`, { position: 1 }, { 'if-match': '"5"' });
      assert.equal(moved.statusCode, 200, moved.body);
      documented('PUT', '/api/v1/plans/{planId}/themes/{themeId}/position', moved);
      assert.deepEqual(moved.json().themes.map((th: { title: string }) => th.title), ['Joint scrutiny and learning', 'Supporting victims']);
      assert.equal((await send(lead, 'PATCH', `${planUrl}/themes/${w.local}`, { title: 'Nowhere' }, { 'if-match': '"6"' })).statusCode, 404);

      // Who may lead.
      const candidates = await lead.get(`${planUrl}/lead-candidates`);
      assert.equal(candidates.statusCode, 200);
      documented('GET', '/api/v1/plans/{planId}/lead-candidates', candidates);
      assert.deepEqual(candidates.json().people.map((p: { name: string }) => p.name), ['Elise Renouf', 'Sam Taylor']);
      assert.equal((await reader.get(`${planUrl}/lead-candidates`)).statusCode, 403);
      assert.equal((await nationalLead.get(`${planUrl}/lead-candidates`)).statusCode, 403);

      // Actions.
      const newAction = { themeId: theme.json().id, text: 'Offer every victim an ISVA referral at first contact.', leadUserId: w.investigator.id, targetOn: '2027-03-31' };
      assert.equal((await send(lead, 'POST', `${planUrl}/actions`, newAction)).statusCode, 428);
      assert.equal((await send(lead, 'POST', `${planUrl}/actions`, newAction, { 'if-match': '"5"' })).statusCode, 412);
      const outsider = await send(lead, 'POST', `${planUrl}/actions`, { ...newAction, leadUserId: w.nationalLead.id }, { 'if-match': '"6"' });
      assert.equal(outsider.statusCode, 400);
      documented('POST', '/api/v1/plans/{planId}/actions', outsider);
      const added = await Promise.all([1, 2].map(() => send(lead, 'POST', `${planUrl}/actions`, newAction, { 'if-match': '"6"', 'idempotency-key': 'action-1' })));
      assert.deepEqual(added.map((a) => a.statusCode), [201, 201], added[0]!.body);
      documented('POST', '/api/v1/plans/{planId}/actions', added[0]!);
      const action = added[0]!.json().action;
      assert.equal(added[1]!.json().action.id, action.id, 'added once');
      assert.deepEqual([action.number, action.status, action.leadName, action.targetOn, action.withdrawnOn, added[0]!.headers.etag], [1, 'no', 'Sam Taylor', '2027-03-31', null, '"1"']);
      assert.equal(added[0]!.headers.location, `${planUrl}/actions/${action.id}`);
      const taken = await send(lead, 'POST', `${planUrl}/actions`, { ...newAction, number: 1 }, { 'if-match': '"7"' });
      assert.equal(taken.statusCode, 400);
      assert.match(taken.json().detail, /Action 1 is already in this plan/);
      const seven = await send(lead, 'POST', `${planUrl}/actions`, { ...newAction, number: 7, status: 'in_progress', leadUserId: null, targetOn: null }, { 'if-match': '"7"' });
      assert.deepEqual([seven.statusCode, seven.json().action.number, seven.json().action.status], [201, 7, 'in_progress']);

      const actionUrl = `${planUrl}/actions/${action.id}`;
      assert.equal((await send(lead, 'PATCH', actionUrl, { leadUserId: null })).statusCode, 428);
      assert.equal((await send(lead, 'PATCH', actionUrl, { leadUserId: null }, { 'if-match': '"9"' })).statusCode, 412);
      const changed = await send(lead, 'PATCH', actionUrl, { leadUserId: null, targetOn: null, owners: ['States of Jersey Police', 'Jersey Action Against Rape'] }, { 'if-match': '"1"' });
      assert.equal(changed.statusCode, 200, changed.body);
      documented('PATCH', '/api/v1/plans/{planId}/actions/{actionId}', changed);
      assert.deepEqual([changed.json().action.leadName, changed.json().action.targetOn, changed.json().action.text, changed.headers.etag], [null, null, newAction.text, '"2"']);
      assert.deepEqual(changed.json().updates[0].changes.map((c: { field: string }) => c.field), ['owners', 'lead', 'targetOn']);

      const withdrawn = await send(lead, 'POST', `${actionUrl}/withdrawal`, { reason: 'Merged into action 7.' }, { 'if-match': '"2"' });
      assert.equal(withdrawn.statusCode, 200, withdrawn.body);
      documented('POST', '/api/v1/plans/{planId}/actions/{actionId}/withdrawal', withdrawn);
      assert.deepEqual([withdrawn.json().action.withdrawnOn, withdrawn.json().updates[0].kind, withdrawn.json().updates[0].text], ['2026-03-10', 'action-withdrawn', 'Merged into action 7.']);
      const closed = await send(lead, 'PATCH', actionUrl, { text: 'Back again.' }, { 'if-match': '"3"' });
      assert.equal(closed.statusCode, 400);
      documented('PATCH', '/api/v1/plans/{planId}/actions/{actionId}', closed);
      assert.match(closed.json().detail, /Action 1 was withdrawn/);
      assert.equal((await send(lead, 'POST', `${actionUrl}/withdrawal`, { reason: 'Again.' }, { 'if-match': '"3"' })).statusCode, 400);

      const read = await reader.get(planUrl);
      documented('GET', '/api/v1/plans/{planId}', read);
      assert.deepEqual(read.json().history.map((h: { kind: string; actionNumber: number | null }) => [h.kind, h.actionNumber]).slice(0, 3), [['action-withdrawn', 1], ['action-added', 7], ['action-added', 1]]);
      const listed = (await reader.get('/api/v1/plans')).json().plans.find((p: { id: string }) => p.id === plan.id);
      assert.deepEqual([listed.actions, listed.withdrawn], [1, 1]);
    } finally {
      await t.close();
    }
  });
}
