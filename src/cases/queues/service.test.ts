// The work queues on both engines: whose move it is by stage and team role,
// due soon and overdue as the clock moves, escalations from the sweep, the
// unit view's filter and who may use it, every listing journalled, the
// pages and API through HTTP, the plan of the unit view's query, and the
// purge of old idempotency keys.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { engines } from '../../../test/support/databases.ts';
import { sweepDeadlines } from '../../platform/deadlines/sweep.ts';
import { JobRunner } from '../../platform/jobs/runner.ts';
import { Problem } from '../../platform/web/errors.ts';
import { londonDate } from '../../platform/time/working-days.ts';
import { caseTestApp } from '../test-support.ts';
import type { CaseWorld } from '../test-support.ts';
import { parseTeamFilter } from './model.ts';
import { planOf, unitCasesQuery } from './repository.ts';
import { createQueuesService } from './service.ts';
import { IDEMPOTENCY_PURGE_JOB, registerIdempotencyPurge } from './idempotency-purge.ts';

const ids = (items: readonly { id: string }[]) => items.map((i) => i.id);

for (const engine of engines) {
  test(`${engine}: work queues`, async (s) => {
    const { t, w } = await caseTestApp(engine);
    const queues = createQueuesService(t.platform);
    const as = (p: CaseWorld['oic']) => [w.actor(p), w.context(p)] as const;
    const sorted = { sort: 'updated' as const, order: 'ascending' as const, page: 1 };
    try {
      await s.test('awaiting my response follows the stage to the side whose move it is', async () => {
        assert.deepEqual(ids((await queues.awaitingMyResponse(...as(w.oic), sorted)).items), [w.caseId]);
        assert.deepEqual(ids((await queues.awaitingMyResponse(...as(w.prosecutor), sorted)).items), []);
        assert.deepEqual(ids((await queues.awaitingMyResponse(...as(w.supervisor), sorted)).items), [], 'a supervisor not on the team has nothing awaiting');
        await w.moveAsCommand(w.caseId, 'early_advice');
        assert.deepEqual(ids((await queues.awaitingMyResponse(...as(w.oic), sorted)).items), []);
        const prosecutor = await queues.awaitingMyResponse(...as(w.prosecutor), sorted);
        assert.deepEqual(ids(prosecutor.items), [w.caseId]);
        assert.ok(prosecutor.nextDue.get(w.caseId), 'with its early advice due date');
      });

      await s.test('due soon and overdue move with the clock; the sweep’s escalations arrive in "escalated to me"', async () => {
        const dueSoon = await queues.dueSoon(...as(w.oic), 1);
        assert.equal(dueSoon.total, 0, 'early advice is due in 21 days');
        t.clock.advance({ days: 15 });
        assert.deepEqual((await queues.dueSoon(...as(w.prosecutor), 1)).items.map((d) => d.title), ['Early advice response']);
        assert.equal((await queues.dueSoon(...as(w.isva), 1)).total, 0, 'strangers have nothing');
        t.clock.advance({ days: 7 });
        const overdue = await queues.overdue(...as(w.oic), 1);
        assert.deepEqual(overdue.items.map((d) => d.caseId), [w.caseId]);
        assert.equal((await queues.dueSoon(...as(w.oic), 1)).total, 0);
        await sweepDeadlines(t.platform, t.clock.now());
        const escalated = await queues.escalatedToMe(...as(w.prosecutor), 1);
        assert.deepEqual(escalated.items.map((e) => e.summary.id), [w.caseId]);
        assert.ok(escalated.items[0]!.unread >= 1);
        assert.equal((await queues.escalatedToMe(...as(w.otherForceInvestigator), 1)).total, 0);
      });

      await s.test('the unit view: for supervisors and DCPs of the case’s organisations, filtered on the server', async () => {
        const filter = (query: Record<string, unknown>) => parseTeamFilter(query);
        assert.deepEqual(ids((await queues.unitView(...as(w.supervisor), filter({}))).items), [w.caseId]);
        assert.deepEqual(ids((await queues.unitView(...as(w.dcp), filter({ stage: 'early_advice' }))).items), [w.caseId]);
        assert.deepEqual(ids((await queues.unitView(...as(w.supervisor), filter({ stage: ['investigation', 'court'] }))).items), []);
        assert.deepEqual(ids((await queues.unitView(...as(w.supervisor), filter({ overdue: 'yes', flag: 'domesticAbuse', offence: 'rape_16_plus' }))).items), [w.caseId]);
        assert.deepEqual(ids((await queues.unitView(...as(w.supervisor), filter({ flag: 'childVictim' }))).items), []);
        assert.deepEqual(ids((await queues.unitView(...as(w.supervisor), filter({ allocatedTo: w.oic.id }))).items), [w.caseId]);
        assert.deepEqual(ids((await queues.unitView(...as(w.supervisor), filter({ allocatedTo: w.colleague.id }))).items), []);
        assert.equal((await queues.unitView(...as(w.otherAreaDcp), filter({}))).total, 0, 'another Area’s DCP sees none of these');
        for (const person of [w.oic, w.prosecutor, w.isva]) {
          await assert.rejects(queues.unitView(...as(person), filter({})), (error: unknown) => error instanceof Problem && error.type === 'forbidden');
        }
        const people = await queues.allocationChoices(...as(w.supervisor));
        assert.ok(people.some((p) => p.id === w.oic.id) && !people.some((p) => p.id === w.prosecutor.id));
        const journalled = await t.database.db.selectFrom('audit_events').select('details').where('details', 'like', '%cases.queue.list%').execute();
        assert.ok(journalled.length >= 10, 'every listing is journalled');
      });

      await s.test('the unit view reads an index, not the whole cases table', async () => {
        const filter = parseTeamFilter({ stage: 'early_advice' });
        const plan = (await planOf(t.platform.db, engine, unitCasesQuery(t.platform.db, 'police', w.force, filter, londonDate(t.clock.now())).page(0, 25))).join('\n');
        if (engine === 'sqlite') {
          assert.match(plan, /USING (COVERING )?INDEX cases_force/);
          assert.doesNotMatch(plan, /SCAN cases(?! USING)/);
        } else {
          assert.match(plan, /cases/);
        }
      });

      await s.test('pages and API', async () => {
        const supervisor = await t.signIn(w.supervisor);
        const page = await supervisor.get('/cases/queues/unit?stage=early_advice&overdue=yes&sort=reference&order=ascending');
        assert.equal(page.statusCode, 200);
        assert.match(page.body, /AS\/10001\/25/);
        assert.match(page.body, /<form method="get" action="\/cases\/queues\/unit"/);
        assert.match(page.body, /moj-filter__tag/, 'selected filters can be removed one by one');
        assert.match(page.body, /aria-sort="ascending"/);
        const api = await supervisor.get('/api/v1/queues/unit?stage=court');
        assert.equal(api.statusCode, 200);
        assert.equal(api.json().total, 0);
        const oic = await t.signIn(w.oic);
        const overdue = await oic.get('/cases/queues/overdue');
        assert.equal(overdue.statusCode, 200);
        assert.match(overdue.body, /Early advice response/);
        assert.equal((await oic.get('/cases/queues/unit')).statusCode, 403);
        const list = await oic.get('/cases');
        assert.match(list.body, /href="\/cases\/queues\/awaiting-response"/);
        const json = await oic.get('/api/v1/queues/overdue');
        assert.equal(json.json().deadlines[0].caseId, w.caseId);
      });

      await s.test('idempotency keys older than a day are purged by a recurring job', async () => {
        const now = t.clock.now();
        const row = (key: string, hoursAgo: number) => ({ user_id: w.oic.id, idempotency_key: key, operation: 'cases.create', request_hash: 'h', status: 201, response: '{}', created_at: new Date(now.getTime() - hoursAgo * 3_600_000).toISOString() });
        await t.platform.db.insertInto('api_idempotency_keys').values([row('old', 25), row('older', 200), row('fresh', 23)]).execute();
        const runner = new JobRunner({ db: t.platform.db, engine, clock: t.clock });
        registerIdempotencyPurge(runner, t.platform.db);
        await runner.ensureRecurring();
        t.clock.advance({ minutes: 60 });
        assert.equal(await runner.runDue(), 1);
        const left = await t.platform.db.selectFrom('api_idempotency_keys').select('idempotency_key').execute();
        assert.deepEqual(left.map((r) => r.idempotency_key), ['fresh']);
        const job = await t.platform.db.selectFrom('jobs').select(['status']).where('kind', '=', IDEMPOTENCY_PURGE_JOB).where('status', '=', 'done').execute();
        assert.equal(job.length, 1);
      });

    } finally {
      await t.close();
    }
  });
}
