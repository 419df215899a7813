// The scrutiny API on both engines, every answer checked against the OpenAPI
// document: a manager's token (with the scrutiny.manage scope) sets up a
// panel, chooses its members and selects cases (If-Match on the panel: 428
// without, 412 stale; an Idempotency-Key makes a retry safe); a member's token
// reads packs and puts their review; the chair's findings send the learning,
// which the officer's token reads and no one else's; actions; themes leave
// the panel suppressed unless the panel's own view is asked for.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { engines } from '../../../test/support/databases.ts';
import { apiClient } from '../../platform/api/test-support.ts';
import type { ApiClient } from '../../platform/api/test-support.ts';
import { documentedBy } from '../../../test/support/openapi.ts';
import { scrutinyTestApp, unsoundReview } from './test-support.ts';

for (const engine of engines) {
  test(`${engine}: the scrutiny API`, async () => {
    const { t, w } = await scrutinyTestApp(engine);
    try {
      await w.policeNfa({ decidedOn: '2026-02-10', outcomeCode: '14' });
      await w.cpsNfa({ decidedOn: '2026-02-11' });
      t.clock.set('2026-04-15T10:00:00Z');
      const manager = await apiClient(t, { person: w.escalationLead, organisationId: w.force, scopes: ['scrutiny.manage'] });
      const unscoped = await apiClient(t, { person: w.escalationLead, organisationId: w.force });
      const external = await apiClient(t, { person: w.external, organisationId: w.isvaService });
      const officer = await apiClient(t, { person: w.oic, organisationId: w.force });
      const prosecutor = await apiClient(t, { person: w.prosecutor, organisationId: w.area });
      const documented = await documentedBy(t.app);
      const call = async (client: ApiClient, method: string, path: string, url: string, body?: unknown, headers: Record<string, string> = {}) => {
        const response = await client.request({ method: method as 'GET', url, headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers }, ...(body === undefined ? {} : { payload: JSON.stringify(body) }) });
        documented(method, path, response);
        return response;
      };

      assert.equal((await call(unscoped, 'POST', '/api/v1/scrutiny/panels', '/api/v1/scrutiny/panels', { name: 'X', forceId: w.force })).statusCode, 403);
      const created = await call(manager, 'POST', '/api/v1/scrutiny/panels', '/api/v1/scrutiny/panels', { name: 'AVS and CPS-SW panel', forceId: w.force, cpsAreaId: w.area });
      assert.equal(created.statusCode, 201, created.body);
      assert.equal(created.headers.etag, '"1"');
      const panelId = created.json().id as string;
      const panelPath = '/api/v1/scrutiny/panels/{panelId}';
      const panelUrl = `/api/v1/scrutiny/panels/${panelId}`;
      assert.equal(created.headers.location, panelUrl);

      const members = `${panelUrl}/members`;
      assert.equal((await call(manager, 'POST', `${panelPath}/members`, members, { email: w.external.email })).statusCode, 428);
      assert.equal((await call(manager, 'POST', `${panelPath}/members`, members, { email: w.external.email }, { 'if-match': '"9"' })).statusCode, 412);
      const refused = await call(manager, 'POST', `${panelPath}/members`, members, { email: w.planLead.email }, { 'if-match': '"1"' });
      assert.equal(refused.statusCode, 400);
      let version = 1;
      for (const [email, role] of [[w.escalationLead.email, 'chair'], [w.external.email, 'member'], [w.headOfRasso.email, 'member']]) {
        const added = await call(manager, 'POST', `${panelPath}/members`, members, { email, role }, { 'if-match': `"${version}"` });
        assert.equal(added.statusCode, 201, added.body);
        version += 1;
        assert.equal(added.headers.etag, `"${version}"`);
      }
      const panel = await call(external, 'GET', panelPath, panelUrl);
      assert.deepEqual(panel.json().members.map((m: { name: string; role: string; external: boolean }) => [m.name, m.role, m.external]), [['Mark Ellis', 'chair', false], ['Claire Fenwick', 'member', true], ['Rachel Moore', 'member', false]]);
      const rachel = panel.json().members.find((m: { name: string }) => m.name === 'Rachel Moore').id;
      const ended = await call(manager, 'DELETE', `${panelPath}/members/{memberId}`, `${members}/${rachel}`, undefined, { 'if-match': `"${version}"` });
      assert.equal(ended.statusCode, 200, ended.body);
      version += 1;
      assert.equal(ended.json().members.length, 2);
      assert.equal((await call(external, 'GET', panelPath, panelUrl)).statusCode, 200);
      assert.equal((await call(officer, 'GET', panelPath, panelUrl)).statusCode, 404);

      const rounds = `${panelUrl}/rounds`;
      const body = { from: '2026-02-01', to: '2026-02-28', method: 'sample', sampleSize: 1, seed: 'scrutiny-2026-02' };
      assert.equal((await call(manager, 'POST', `${panelPath}/rounds`, rounds, { ...body, from: '2026-02-31' }, { 'if-match': `"${version}"` })).statusCode, 400);
      const selections = await Promise.all([1, 2].map(() => call(manager, 'POST', `${panelPath}/rounds`, rounds, body, { 'if-match': `"${version}"`, 'idempotency-key': 'feb-round' })));
      assert.deepEqual(selections.map((r) => r.statusCode), [201, 201], selections[0]!.body);
      const round = selections[0]!.json();
      assert.equal(selections[1]!.json().round.id, round.round.id, 'selected once');
      assert.deepEqual([round.round.method, round.round.seed, round.round.population, round.round.selected, round.round.strata.length], ['sample', 'scrutiny-2026-02', 2, 2, 2]);
      assert.equal((await call(manager, 'GET', `${panelPath}/rounds/{roundId}`, `${rounds}/${round.round.id}`)).json().packs.length, 2);

      const packId = round.packs.find((p: { decisions: { kind: string }[] }) => p.decisions[0]!.kind === 'police_nfa').id;
      const packUrl = `/api/v1/scrutiny/packs/${packId}`;
      const pack = await call(external, 'GET', '/api/v1/scrutiny/packs/{packId}', packUrl);
      assert.equal(pack.statusCode, 200);
      assert.equal(pack.headers.etag, '"1"');
      assert.deepEqual([pack.json().pack.decisions[0].outcome, pack.json().myReview, pack.json().reviews], ['14', null, null]);
      assert.equal((await call(officer, 'GET', '/api/v1/scrutiny/packs/{packId}', packUrl)).statusCode, 404);

      const reviewPath = '/api/v1/scrutiny/packs/{packId}/reviews/mine';
      const review = `${packUrl}/reviews/mine`;
      assert.equal((await call(external, 'PUT', reviewPath, review, { ...unsoundReview, soundReasons: '' })).statusCode, 400);
      const first = await call(external, 'PUT', reviewPath, review, unsoundReview);
      assert.equal(first.statusCode, 200, first.body);
      assert.equal(first.headers.etag, '"1"');
      assert.equal((await call(external, 'PUT', reviewPath, review, unsoundReview)).statusCode, 428);
      assert.equal((await call(external, 'PUT', reviewPath, review, unsoundReview, { 'if-match': '"7"' })).statusCode, 412);
      const second = await call(external, 'PUT', reviewPath, review, { ...unsoundReview, observations: 'Also good early evidence capture.' }, { 'if-match': '"1"' });
      assert.equal(second.json().version, 2);
      assert.equal((await call(manager, 'GET', '/api/v1/scrutiny/packs/{packId}', packUrl)).json().reviews.length, 1, 'the chair sees every review');

      const findings = `${packUrl}/findings`;
      const agreed = { ...unsoundReview, learning: 'Request CCTV within 48 hours; do not read delay as doubt.' };
      assert.equal((await call(external, 'POST', '/api/v1/scrutiny/packs/{packId}/findings', findings, agreed, { 'if-match': '"1"' })).statusCode, 403);
      assert.equal((await call(manager, 'POST', '/api/v1/scrutiny/packs/{packId}/findings', findings, agreed)).statusCode, 428);
      const made = await call(manager, 'POST', '/api/v1/scrutiny/packs/{packId}/findings', findings, agreed, { 'if-match': '"1"' });
      assert.equal(made.statusCode, 201, made.body);
      assert.deepEqual(made.json().findings.sentTo.sort(), ['oic', 'prosecutor']);

      const list = await call(officer, 'GET', '/api/v1/scrutiny/learning', '/api/v1/scrutiny/learning');
      assert.equal(list.json().learning.length, 1);
      const learningUrl = `/api/v1/scrutiny/learning/${list.json().learning[0].id}`;
      const learning = await call(officer, 'GET', '/api/v1/scrutiny/learning/{learningId}', learningUrl);
      assert.deepEqual([learning.json().role, learning.json().findings.learning], ['oic', agreed.learning]);
      assert.equal((await call(prosecutor, 'GET', '/api/v1/scrutiny/learning/{learningId}', learningUrl)).statusCode, 404);
      assert.equal((await call(prosecutor, 'GET', '/api/v1/scrutiny/learning', '/api/v1/scrutiny/learning')).json().learning.length, 1);

      const actions = `${panelUrl}/actions`;
      const action = await call(manager, 'POST', `${panelPath}/actions`, actions, { text: 'CCTV within 48 hours: remind the unit', owner: 'AVS RASSO lead', dueOn: '2026-05-31', packId }, { 'idempotency-key': 'a-1' });
      assert.equal(action.statusCode, 201, action.body);
      const actionUrl = `${actions}/${action.json().id}`;
      assert.equal((await call(external, 'PATCH', `${panelPath}/actions/{actionId}`, actionUrl, { status: 'done', note: 'Done.' }, { 'if-match': '"1"' })).statusCode, 403);
      const updated = await call(manager, 'PATCH', `${panelPath}/actions/{actionId}`, actionUrl, { status: 'in_progress', note: 'Reminder drafted.' }, { 'if-match': '"1"' });
      assert.deepEqual([updated.statusCode, updated.json().status, updated.headers.etag], [200, 'in_progress', '"2"']);

      const themes = await call(external, 'GET', `${panelPath}/themes`, `${panelUrl}/themes`);
      assert.equal(themes.json().view, 'shared');
      assert.equal(themes.json().columns.at(-1).values.reviewed, '<5');
      const exact = await call(external, 'GET', `${panelPath}/themes`, `${panelUrl}/themes?view=panel`);
      assert.equal(exact.json().columns.at(-1).values.reviewed, 1);
      assert.equal((await call(external, 'GET', `${panelPath}/themes`, `${panelUrl}/themes?view=everything`)).statusCode, 400);
      assert.equal((await call(officer, 'GET', `${panelPath}/themes`, `${panelUrl}/themes`)).statusCode, 404);

      const mine = await call(external, 'GET', '/api/v1/scrutiny/panels', '/api/v1/scrutiny/panels');
      assert.deepEqual(mine.json().panels.map((p: { name: string; role: string }) => [p.name, p.role]), [['AVS and CPS-SW panel', 'member']]);
    } finally {
      await t.close();
    }
  });
}
