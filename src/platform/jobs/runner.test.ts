import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { openDatabase } from '../db/database.ts';
import type { Database } from '../db/database.ts';
import { ControllableClock } from '../time/clock.ts';
import { engines, testDatabase } from '../../../test/support/databases.ts';
import type { TestDatabase } from '../../../test/support/databases.ts';
import type { Job, OccurrencePayload } from './model.ts';
import { JobRunner, LostJobLockError } from './runner.ts';
import { claimNext, enqueue, getJob, listJobs } from './service.ts';

/**
 * A second handle on the same database, as a second process would have. On
 * PostgreSQL that is its own connection pool. On SQLite it is the same handle:
 * better-sqlite3 is synchronous, so two connections in one process would
 * block each other's event loop on the write lock; separate processes
 * serialise on that lock (transactions begin IMMEDIATE).
 */
async function peer(database: TestDatabase): Promise<Database> {
  if (database.engine === 'sqlite') return { ...database, close: async () => {} };
  return openDatabase({ url: process.env.DATABASE_URL, sqlitePath: '', schema: database.schema, poolSize: 4 });
}

async function until(condition: () => Promise<boolean> | boolean, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('Timed out waiting');
    await sleep(5);
  }
}

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

const quiet = (): void => {};

for (const engine of engines) {
  test(`${engine}: two runners competing run each job exactly once`, async (t) => {
    const database = await testDatabase(engine);
    const other = await peer(database);
    const runs = new Map<string, string[]>();
    const record = (name: string) => async (job: Job) => {
      runs.set(job.id, [...(runs.get(job.id) ?? []), name]);
      await sleep(Math.random() < 0.5 ? 0 : 1); // let the other runner in
    };
    const a = new JobRunner({ db: database.db, engine, pollIntervalMs: 5, onError: quiet }).register('work', record('a'));
    const b = new JobRunner({ db: other.db, engine, pollIntervalMs: 5, onError: quiet }).register('work', record('b'));
    try {
      const count = 150;
      await Promise.all([a.start(), b.start()]);
      // Enqueue while both are polling, in batches of ten per transaction.
      for (let batch = 0; batch < count / 10; batch += 1) {
        await database.db.transaction().execute(async (tx) => {
          for (let i = 0; i < 10; i += 1) await enqueue(tx, { kind: 'work', payload: { n: batch * 10 + i } });
        });
      }
      await until(async () => (await listJobs(database.db, { status: 'done' })).length === count);
      await Promise.all([a.stop(), b.stop()]);
      assert.equal(runs.size, count);
      for (const [id, by] of runs) assert.equal(by.length, 1, `job ${id} ran ${by.length} times`);
      const jobs = await listJobs(database.db);
      assert.ok(jobs.every((job) => job.status === 'done' && job.attempts === 1));
      const share = [...runs.values()].filter((by) => by[0] === 'a').length;
      t.diagnostic(`runner a ran ${share}, runner b ran ${count - share}`);
    } finally {
      await Promise.all([a.stop(), b.stop()]);
      await other.close();
      await database.dispose();
    }
  });

  test(`${engine}: a job held by a runner that stalls past its lock is taken over, and the stale completion is refused`, async () => {
    const database = await testDatabase(engine);
    const { db } = database;
    const clock = new ControllableClock('2025-01-06T10:00:00Z');
    const started = deferred();
    const release = deferred();
    const errors: unknown[] = [];
    const slow = new JobRunner({ db, engine, clock, lockForMs: 60_000, onError: (e) => errors.push(e) }).register('work', async (job, context) => {
      started.resolve();
      await release.promise;
      await context.completeWith((tx) => enqueue(tx, { kind: 'effect', payload: { by: 'slow', of: job.id } }));
    });
    const heir = new JobRunner({ db, engine, clock, lockForMs: 60_000, onError: quiet }).register('work', async (job, context) => {
      await context.completeWith((tx) => enqueue(tx, { kind: 'effect', payload: { by: 'heir', of: job.id } }));
    });
    try {
      const { id } = await enqueue(db, { kind: 'work', now: clock.now() });
      const slowRun = slow.runOnce();
      await started.promise;
      assert.equal(await heir.runOnce(), undefined, 'locked while the lock lasts');
      clock.advance({ minutes: 1 });
      const taken = await heir.runOnce();
      assert.equal(taken?.id, id);
      assert.equal(taken?.attempts, 2);
      release.resolve();
      await slowRun;
      assert.equal(errors.length, 1);
      assert.ok(errors[0] instanceof LostJobLockError);
      // The stalled runner's writes were rolled back with its refused completion.
      const effects = await listJobs(db, { kind: 'effect' });
      assert.deepEqual(effects.map((e) => e.payload), [{ by: 'heir', of: id }]);
      const job = await getJob(db, id);
      assert.equal(job?.status, 'done');
      assert.equal(job?.attempts, 2);
    } finally {
      await database.dispose();
    }
  });

  test(`${engine}: a job claimed by a runner that died runs again after the lock expires`, async () => {
    const database = await testDatabase(engine);
    const { db } = database;
    const clock = new ControllableClock('2025-01-06T10:00:00Z');
    const ran: number[] = [];
    const runner = new JobRunner({ db, engine, clock, lockForMs: 60_000 }).register('work', async (job) => void ran.push(job.attempts));
    try {
      const { id } = await enqueue(db, { kind: 'work', now: clock.now() });
      // The dying runner claims the job and is never heard from again.
      await claimNext(db, engine, { now: clock.now(), lockForMs: 60_000, kinds: ['work'] });
      clock.advance({ seconds: 59 });
      assert.equal(await runner.runDue(), 0);
      clock.advance({ seconds: 1 });
      assert.equal(await runner.runDue(), 1);
      assert.deepEqual(ran, [2]);
      assert.equal((await getJob(db, id))?.status, 'done');
    } finally {
      await database.dispose();
    }
  });

  test(`${engine}: a failing handler is retried with backoff, then the job fails for good`, async () => {
    const database = await testDatabase(engine);
    const { db } = database;
    const clock = new ControllableClock('2025-01-06T10:00:00Z');
    const errors: [unknown, Job | undefined][] = [];
    let calls = 0;
    const runner = new JobRunner({ db, engine, clock, onError: (e, j) => errors.push([e, j]) }).register('flaky', async () => {
      calls += 1;
      throw new Error(`attempt ${calls} failed`);
    });
    try {
      const { id } = await enqueue(db, { kind: 'flaky', maxAttempts: 3, now: clock.now() });
      assert.equal(await runner.runDue(), 1);
      assert.equal(await runner.runDue(), 0, 'waiting out the backoff');
      clock.advance({ seconds: 10 });
      assert.equal(await runner.runDue(), 1);
      clock.advance({ seconds: 19 });
      assert.equal(await runner.runDue(), 0);
      clock.advance({ seconds: 1 });
      assert.equal(await runner.runDue(), 1);
      clock.advance({ days: 1 });
      assert.equal(await runner.runDue(), 0, 'no more attempts');
      assert.equal(calls, 3);
      assert.equal(errors.length, 3);
      assert.equal(errors[2]?.[1]?.id, id);
      const job = await getJob(db, id);
      assert.equal(job?.status, 'failed');
      assert.equal(job?.attempts, 3);
      assert.match(job!.lastError!, /attempt 3 failed/);
    } finally {
      await database.dispose();
    }
  });

  test(`${engine}: a handler that throws after completing leaves the job done`, async () => {
    const database = await testDatabase(engine);
    const { db } = database;
    const errors: unknown[] = [];
    const runner = new JobRunner({ db, engine, onError: (e) => errors.push(e) }).register('work', async (_job, context) => {
      await context.completeWith(async () => {});
      throw new Error('after the fact');
    });
    try {
      const { id } = await enqueue(db, { kind: 'work' });
      await runner.runDue();
      assert.equal((await getJob(db, id))?.status, 'done');
      assert.equal(errors.length, 1);
    } finally {
      await database.dispose();
    }
  });

  test(`${engine}: each occurrence of a recurring job runs once, across restarts, failures and downtime`, async () => {
    const database = await testDatabase(engine);
    const other = await peer(database);
    const clock = new ControllableClock('2025-01-06T10:02:00Z');
    const ran: string[] = [];
    const sweep = (name: string) => async (job: Job) => {
      const { occurrence } = job.payload as OccurrencePayload;
      ran.push(`${name}@${occurrence.slice(11, 16)}`);
      if (occurrence.endsWith('10:15:00.000Z')) throw new Error('the sweep failed');
    };
    const runner = (name: string, db = database.db) =>
      new JobRunner({ db, engine, clock, onError: quiet }).registerRecurring('sweep', { everyMinutes: 5, maxAttempts: 1 }, sweep(name));
    const queued = async () => (await listJobs(database.db, { kind: 'sweep', status: 'queued' })).map((j) => j.runAt.slice(11, 16));
    try {
      const first = runner('a');
      await first.ensureRecurring();
      await first.ensureRecurring();
      assert.deepEqual(await queued(), ['10:05']);
      assert.equal(await first.runDue(), 0);
      clock.set('2025-01-06T10:05:00Z');
      assert.equal(await first.runDue(), 1);
      assert.deepEqual(await queued(), ['10:10'], 'the next occurrence was scheduled as this one completed');

      // Restart: new runners (one on its own connection) find the schedule in place.
      const b = runner('b');
      const c = runner('c', other.db);
      await Promise.all([b.ensureRecurring(), c.ensureRecurring()]);
      assert.deepEqual(await queued(), ['10:10']);
      clock.set('2025-01-06T10:10:30Z');
      await Promise.all([b.runDue(), c.runDue()]);
      // A failed occurrence (out of attempts) still schedules the next.
      clock.set('2025-01-06T10:15:00Z');
      await Promise.all([b.runDue(), c.runDue()]);
      assert.deepEqual(await queued(), ['10:20']);
      // After downtime the overdue occurrence runs once; no backlog of missed ones.
      clock.set('2025-01-06T11:03:00Z');
      await Promise.all([b.runDue(), c.runDue()]);
      assert.deepEqual(await queued(), ['11:05']);
      assert.deepEqual(
        ran.map((r) => r.slice(2)),
        ['10:05', '10:10', '10:15', '10:20'],
      );
      assert.equal(ran[0], 'a@10:05');

      // A runner dies holding an occurrence on its last attempt: the one that gives it up schedules the next.
      clock.set('2025-01-06T11:05:00Z');
      await claimNext(database.db, engine, { now: clock.now(), lockForMs: 60_000, kinds: ['sweep'] });
      clock.set('2025-01-06T11:06:00Z');
      assert.equal(await b.runDue(), 0);
      assert.deepEqual(await queued(), ['11:10']);
      const statuses = (await listJobs(database.db, { kind: 'sweep' })).map((j) => `${j.runAt.slice(11, 16)} ${j.status}`);
      assert.deepEqual(statuses, ['10:05 done', '10:10 done', '10:15 failed', '10:20 done', '11:05 failed', '11:10 queued']);
    } finally {
      await other.close();
      await database.dispose();
    }
  });

  test(`${engine}: start polls, and stop waits for the job in hand`, async () => {
    const database = await testDatabase(engine);
    const { db } = database;
    const started = deferred();
    const release = deferred();
    const finished: string[] = [];
    const runner = new JobRunner({ db, engine, pollIntervalMs: 10 }).register('work', async (job) => {
      started.resolve();
      await release.promise;
      finished.push(job.id);
    });
    try {
      await runner.start();
      await assert.rejects(runner.start(), /already running/);
      const { id } = await enqueue(db, { kind: 'work' });
      await started.promise;
      let stopped = false;
      const stopping = runner.stop().then(() => {
        stopped = true;
      });
      await sleep(30);
      assert.equal(stopped, false, 'stop waits for the handler');
      release.resolve();
      await stopping;
      assert.deepEqual(finished, [id]);
      assert.equal((await getJob(db, id))?.status, 'done');
      assert.equal(runner.running, false);
      // Stopped means stopped: nothing more is claimed.
      const later = await enqueue(db, { kind: 'work' });
      await sleep(40);
      assert.equal((await getJob(db, later.id))?.status, 'queued');
    } finally {
      release.resolve();
      await runner.stop();
      await database.dispose();
    }
  });
}

test('registering a kind twice, or a too-short interval, is refused', () => {
  const runner = new JobRunner({ db: undefined as never, engine: 'sqlite' });
  runner.register('a', async () => {});
  assert.throws(() => runner.register('a', async () => {}), /already registered/);
  assert.throws(() => runner.registerRecurring('b', { everyMinutes: 0 }, async () => {}), /at least 1 second/);
});
