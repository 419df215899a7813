import { test } from 'node:test';
import assert from 'node:assert/strict';
import { inTransaction } from '../db/transaction.ts';
import { engines, testDatabase } from '../../../test/support/databases.ts';
import { nextOccurrence, occurrenceKey, retryDelayMs } from './model.ts';
import { claimNext, complete, enqueue, fail, getJob, listJobs } from './service.ts';

const T0 = new Date('2025-01-06T10:00:00.000Z');
const at = (ms: number): Date => new Date(T0.getTime() + ms);

test('model: retry backoff doubles from 10 seconds and stops at an hour', () => {
  assert.deepEqual([1, 2, 3, 4].map(retryDelayMs), [10_000, 20_000, 40_000, 80_000]);
  assert.equal(retryDelayMs(20), 3_600_000);
});

test('model: occurrences are the next multiple of the interval strictly after a time', () => {
  const five = 5 * 60_000;
  assert.equal(nextOccurrence(new Date('2025-01-06T10:02:10Z'), five).toISOString(), '2025-01-06T10:05:00.000Z');
  assert.equal(nextOccurrence(new Date('2025-01-06T10:05:00Z'), five).toISOString(), '2025-01-06T10:10:00.000Z');
  assert.equal(occurrenceKey('sweep', new Date('2025-01-06T10:05:00Z')), 'recurring:sweep:2025-01-06T10:05:00.000Z');
});

for (const engine of engines) {
  test(`${engine}: enqueue, claim and complete`, async () => {
    const { db, dispose } = await testDatabase(engine);
    try {
      const { id, created } = await enqueue(db, { kind: 'email', payload: { to: 'user-1' }, now: T0, runAt: at(60_000) });
      assert.equal(created, true);
      const queued = await getJob(db, id);
      assert.equal(queued?.status, 'queued');
      assert.deepEqual(queued?.payload, { to: 'user-1' });
      assert.equal(queued?.runAt, '2025-01-06T10:01:00.000Z');

      assert.equal(await claimNext(db, engine, { now: at(59_999), lockForMs: 1000 }), undefined, 'not yet due');
      assert.equal(await claimNext(db, engine, { now: at(60_000), lockForMs: 1000, kinds: ['other'] }), undefined, 'other kinds only');
      assert.equal(await claimNext(db, engine, { now: at(60_000), lockForMs: 1000, kinds: [] }), undefined, 'no kinds');

      const job = await claimNext(db, engine, { now: at(60_000), lockForMs: 1000, kinds: ['email'] });
      assert.equal(job?.id, id);
      assert.equal(job?.status, 'running');
      assert.equal(job?.attempts, 1);
      assert.equal(job?.lockedUntil, '2025-01-06T10:01:01.000Z');
      assert.equal(await claimNext(db, engine, { now: at(60_000), lockForMs: 1000 }), undefined, 'claimed once');

      assert.equal(await complete(db, job!, at(60_500)), true);
      const done = await getJob(db, id);
      assert.equal(done?.status, 'done');
      assert.equal(done?.finishedAt, '2025-01-06T10:01:00.500Z');
      assert.equal(done?.lockedUntil, null);
      assert.equal(await complete(db, job!, at(60_600)), false, 'a finished job cannot be completed again');
      assert.equal(await claimNext(db, engine, { now: at(10_000_000), lockForMs: 1000 }), undefined);
    } finally {
      await dispose();
    }
  });

  test(`${engine}: due jobs are claimed oldest run_at first`, async () => {
    const { db, dispose } = await testDatabase(engine);
    try {
      const late = await enqueue(db, { kind: 'k', now: T0, runAt: at(2000) });
      const early = await enqueue(db, { kind: 'k', now: T0, runAt: at(1000) });
      assert.equal((await claimNext(db, engine, { now: at(5000), lockForMs: 1000 }))?.id, early.id);
      assert.equal((await claimNext(db, engine, { now: at(5000), lockForMs: 1000 }))?.id, late.id);
    } finally {
      await dispose();
    }
  });

  test(`${engine}: enqueue with a unique key is idempotent`, async () => {
    const { db, dispose } = await testDatabase(engine);
    try {
      const first = await enqueue(db, { kind: 'notify', payload: { n: 1 }, uniqueKey: 'notify:case-1', now: T0 });
      const second = await enqueue(db, { kind: 'notify', payload: { n: 2 }, uniqueKey: 'notify:case-1', now: T0 });
      assert.deepEqual(second, { id: first.id, created: false });
      // Still a no-op after the first has run.
      const job = await claimNext(db, engine, { now: T0, lockForMs: 1000 });
      await complete(db, job!, T0);
      const third = await inTransaction(db, (tx) => enqueue(tx, { kind: 'notify', uniqueKey: 'notify:case-1', now: T0 }));
      assert.deepEqual(third, { id: first.id, created: false });
      // Concurrent enqueues of one key make one job.
      const racing = await Promise.all(
        Array.from({ length: 5 }, () => inTransaction(db, (tx) => enqueue(tx, { kind: 'notify', uniqueKey: 'notify:case-2', now: T0 }))),
      );
      assert.equal(racing.filter((r) => r.created).length, 1);
      assert.equal(new Set(racing.map((r) => r.id)).size, 1);
      // Jobs without keys never clash.
      await enqueue(db, { kind: 'notify', now: T0 });
      await enqueue(db, { kind: 'notify', now: T0 });
      const jobs = await listJobs(db, { kind: 'notify' });
      assert.equal(jobs.length, 4);
      assert.deepEqual(jobs[0]?.payload, { n: 1 });
    } finally {
      await dispose();
    }
  });

  test(`${engine}: a job enqueued in a rolled-back transaction does not exist`, async () => {
    const { db, dispose } = await testDatabase(engine);
    try {
      await assert.rejects(
        inTransaction(db, async (tx) => {
          await enqueue(tx, { kind: 'after-change', uniqueKey: 'change-1', now: T0 });
          throw new Error('the change failed');
        }),
        /the change failed/,
      );
      assert.deepEqual(await listJobs(db), []);
      assert.equal(await claimNext(db, engine, { now: at(1000), lockForMs: 1000 }), undefined);
      // The key is free again, and a committed enqueue is there.
      const committed = await inTransaction(db, (tx) => enqueue(tx, { kind: 'after-change', uniqueKey: 'change-1', now: T0 }));
      assert.equal(committed.created, true);
      assert.equal((await listJobs(db)).length, 1);
    } finally {
      await dispose();
    }
  });

  test(`${engine}: failures retry with backoff, then fail for good keeping the error`, async () => {
    const { db, dispose } = await testDatabase(engine);
    try {
      const { id } = await enqueue(db, { kind: 'flaky', maxAttempts: 3, now: T0 });
      let now = T0;
      for (let attempt = 1; attempt <= 3; attempt += 1) {
        const job = await claimNext(db, engine, { now, lockForMs: 60_000 });
        assert.equal(job?.id, id);
        assert.equal(job?.attempts, attempt);
        const outcome = await fail(db, job!, new Error(`boom ${attempt}`), now);
        assert.equal(outcome, attempt < 3 ? 'retrying' : 'failed');
        const after = await getJob(db, id);
        assert.match(after!.lastError!, new RegExp(`boom ${attempt}`));
        if (attempt < 3) {
          assert.equal(after?.status, 'queued');
          assert.equal(after?.runAt, new Date(now.getTime() + retryDelayMs(attempt)).toISOString());
          assert.equal(await claimNext(db, engine, { now: new Date(now.getTime() + retryDelayMs(attempt) - 1), lockForMs: 60_000 }), undefined, 'backing off');
          now = new Date(now.getTime() + retryDelayMs(attempt));
        }
      }
      const failed = await getJob(db, id);
      assert.equal(failed?.status, 'failed');
      assert.equal(failed?.attempts, 3);
      assert.ok(failed?.finishedAt);
      assert.equal(await claimNext(db, engine, { now: at(100_000_000), lockForMs: 1000 }), undefined, 'a failed job stays failed');
    } finally {
      await dispose();
    }
  });

  test(`${engine}: a job whose claimer died is claimed again when the lock expires`, async () => {
    const { db, dispose } = await testDatabase(engine);
    try {
      const { id } = await enqueue(db, { kind: 'report', maxAttempts: 2, now: T0 });
      const dead = await claimNext(db, engine, { now: T0, lockForMs: 30_000 });
      assert.equal(dead?.attempts, 1);
      assert.equal(await claimNext(db, engine, { now: at(29_999), lockForMs: 30_000 }), undefined, 'still locked');
      const heir = await claimNext(db, engine, { now: at(30_000), lockForMs: 30_000 });
      assert.equal(heir?.id, id);
      assert.equal(heir?.attempts, 2);
      // The first claimer wakes up: its claim is stale, and changes nothing.
      assert.equal(await complete(db, dead!, at(30_001)), false);
      assert.equal(await fail(db, dead!, new Error('late'), at(30_001)), 'lost');
      assert.equal((await getJob(db, id))?.status, 'running');
      assert.equal(await complete(db, heir!, at(30_002)), true);
      assert.equal((await getJob(db, id))?.status, 'done');
    } finally {
      await dispose();
    }
  });

  test(`${engine}: a job whose lock expires on its last attempt is given up, not rerun`, async () => {
    const { db, dispose } = await testDatabase(engine);
    try {
      const { id } = await enqueue(db, { kind: 'poison', maxAttempts: 1, now: T0 });
      await claimNext(db, engine, { now: T0, lockForMs: 1000 });
      const given: string[] = [];
      const next = await claimNext(db, engine, {
        now: at(1000),
        lockForMs: 1000,
        kinds: ['poison'],
        onAbandoned: async (_tx, job) => void given.push(job.id),
      });
      assert.equal(next, undefined);
      assert.deepEqual(given, [id]);
      const job = await getJob(db, id);
      assert.equal(job?.status, 'failed');
      assert.match(job!.lastError!, /lock expired/);
    } finally {
      await dispose();
    }
  });

  test(`${engine}: bad input is refused`, async () => {
    const { db, dispose } = await testDatabase(engine);
    try {
      await assert.rejects(enqueue(db, { kind: '' }), /needs a kind/);
      await assert.rejects(enqueue(db, { kind: 'k', maxAttempts: 0 }), /maxAttempts/);
      await assert.rejects(enqueue(db, { kind: 'k', uniqueKey: ' ' }), /blank/);
      await assert.rejects(claimNext(db, engine, { now: T0, lockForMs: 0 }), /lockForMs/);
      assert.deepEqual(await listJobs(db), []);
    } finally {
      await dispose();
    }
  });
}
