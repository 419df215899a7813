// The deadline sweep at scale: loads N open deadlines (default 200,000;
// `node bench/deadlines.ts 1000000` for national scale) whose first
// escalation step is due, and times
//   - a sweep when nothing is due (the daily case: one indexed range read),
//   - one sweep that takes every due step (escalation row, notifications and
//     emails for two people, an audit entry each), in deadlines per second,
// beside a same-run baseline: a plain `select count(*)` over the same rows.
// SQLite always; PostgreSQL too when DATABASE_URL is set (a fresh schema,
// dropped afterwards). Not part of the test suite: timings vary by machine.
import { performance } from 'node:perf_hooks';
import { sql } from 'kysely';
import type { Engine } from '../src/platform/db/database.ts';
import { newId } from '../src/platform/db/ids.ts';
import { inTransaction } from '../src/platform/db/transaction.ts';
import * as repository from '../src/platform/deadlines/repository.ts';
import { newDeadlineRow, registerSubjectType, requireRule } from '../src/platform/deadlines/service.ts';
import { sweepDeadlines } from '../src/platform/deadlines/sweep.ts';
import { newUserRow } from '../src/platform/directory/model.ts';
import { createPlatform } from '../src/platform/platform.ts';
import { ControllableClock } from '../src/platform/time/clock.ts';
import { addCalendarDays } from '../src/platform/time/working-days.ts';
import { benchDatabase } from './database.ts';

const count = Number(process.argv[2] ?? 200_000);
if (!Number.isSafeInteger(count) || count < 1) throw new Error('The number of deadlines must be a whole number of 1 or more');
const CHUNK = 1_000;
const TODAY = '2025-06-02';

const engines: Engine[] = process.env.DATABASE_URL ? ['sqlite', 'postgres'] : ['sqlite'];
if (!process.env.DATABASE_URL) console.log('PostgreSQL: not measured (set DATABASE_URL to include it)');

const seconds = (ms: number) => (ms / 1000).toFixed(2);
const perSecond = (n: number, ms: number) => Math.round(n / (ms / 1000)).toLocaleString('en-GB');

async function time<T>(work: () => Promise<T>): Promise<{ result: T; ms: number }> {
  const start = performance.now();
  const result = await work();
  return { result, ms: performance.now() - start };
}

async function measure(engine: Engine): Promise<void> {
  const { config, database, dispose } = await benchDatabase(engine);
  try {
    const clock = new ControllableClock(`${TODAY}T09:00:00Z`);
    const platform = createPlatform(config, database, clock);
    const db = platform.db;
    const now = clock.now().toISOString();
    const organisationId = newId();
    await db.insertInto('organisations').values({ id: organisationId, code: 'BENCH', name: 'Bench force', kind: 'police_force', created_at: now, updated_at: now, version: 1 }).execute();
    const people = [newId(), newId()];
    for (const id of people) await db.insertInto('users').values(newUserRow({ id, email: `${id}@bench.invalid`, displayName: 'Bench', passwordHash: null, now })).execute();
    registerSubjectType('bench_subject', {
      audience: async () => people,
      describe: async (_tx, subjectId) => `BENCH-${subjectId.slice(-6)}`,
    });

    // Started 28 to 55 days ago: each has its 28-day review due today or earlier, and nothing more.
    const rule = await requireRule(db, 'action-plan.review', 1);
    const load = await time(async () => {
      for (let done = 0; done < count; done += CHUNK) {
        const rows = Array.from({ length: Math.min(CHUNK, count - done) }, (_, i) =>
          newDeadlineRow(rule, { id: newId(), subjectType: 'bench_subject', subjectId: newId(), startedOn: addCalendarDays(TODAY, -28 - ((done + i) % 28)), createdAt: now }));
        await inTransaction(db, (tx) => repository.insertDeadlines(tx, rows, rows.map((r) => ({ deadline_id: r.id, organisation_id: organisationId }))));
      }
    });
    if (engine === 'postgres') await sql`analyze`.execute(db);

    const countRows = () => db.selectFrom('deadlines').select((eb) => eb.fn.countAll().as('n')).where('status', '=', 'open').executeTakeFirstOrThrow();
    await countRows(); // warm the cache as the sweep's first batch would
    const baseline = await time(countRows);
    // The day before the earliest review: the index says at once that nothing is due.
    const idle = await time(() => sweepDeadlines(platform, new Date(`${addCalendarDays(TODAY, -28)}T09:00:00Z`)));
    if (idle.result.escalations !== 0) throw new Error('The idle sweep escalated something');
    const sweep = await time(() => sweepDeadlines(platform, clock.now()));
    if (sweep.result.escalations !== count) throw new Error(`Expected ${count} escalations, the sweep took ${sweep.result.escalations}`);
    const again = await time(() => sweepDeadlines(platform, clock.now()));
    if (again.result.escalations !== 0) throw new Error('A second sweep escalated again');

    console.log(`\n${engine === 'sqlite' ? 'SQLite' : 'PostgreSQL'}: ${count.toLocaleString('en-GB')} open deadlines (loaded in ${seconds(load.ms)} s)`);
    console.log(`  baseline  select count(*) over them         ${baseline.ms.toFixed(1)} ms (${perSecond(Number(baseline.result.n), baseline.ms)} rows/s)`);
    console.log(`  sweep, nothing due                          ${idle.ms.toFixed(1)} ms`);
    console.log(`  sweep, every deadline due                   ${seconds(sweep.ms)} s: ${perSecond(count, sweep.ms)} deadlines/s, ${sweep.result.notifications.toLocaleString('en-GB')} notifications and as many emails, ${count.toLocaleString('en-GB')} audit entries`);
    console.log(`  the same sweep run again (all taken)        ${again.ms.toFixed(1)} ms`);
    console.log(`  ratio: full sweep / count(*) baseline       ${(sweep.ms / baseline.ms).toFixed(0)}×; idle sweep / baseline ${(idle.ms / baseline.ms).toFixed(2)}×`);
  } finally {
    await dispose();
  }
}

for (const engine of engines) await measure(engine);
