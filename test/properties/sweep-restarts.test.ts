// Property: the deadline sweep takes each escalation step of each case
// deadline exactly once, across restarts of the platform (the connection
// closed and a new one opened on the same SQLite file or PostgreSQL schema,
// the case subject type registered again as the server does), sweeps racing
// each other, and sweeps in another process killed with SIGKILL part-way.
//
// At every moment: a step taken has one escalation row, one audit entry, and
// exactly one notification and one email for each person its audience names;
// a step not taken has none of them. After a sweep that finished, every step
// whose date has come is taken.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fc from 'fast-check';
import { systemContext } from '../../src/platform/audit/model.ts';
import { verifyJournal } from '../../src/platform/audit/service.ts';
import { CASE_SUBJECT } from '../../src/cases/deadlines.ts';
import { createCasesService } from '../../src/cases/service.ts';
import type { Stage } from '../../src/cases/model.ts';
import { schedule } from '../../src/platform/deadlines/model.ts';
import { requireRule } from '../../src/platform/deadlines/service.ts';
import { sweepDeadlines } from '../../src/platform/deadlines/sweep.ts';
import type { Platform } from '../../src/platform/platform.ts';
import { ControllableClock } from '../../src/platform/time/clock.ts';
import { londonDate } from '../../src/platform/time/working-days.ts';
import { engines } from '../support/databases.ts';
import { platformOn, restartableDatabase, staff } from './support.ts';
import type { RestartableDatabase, Staff } from './support.ts';

const CHILD = new URL('./sweep-child.ts', import.meta.url).pathname;

type Action =
  | { readonly kind: 'advance'; readonly days: number }
  | { readonly kind: 'sweep'; readonly batch: number }
  | { readonly kind: 'race'; readonly batches: readonly [number, number] }
  | { readonly kind: 'restart' }
  | { readonly kind: 'kill'; readonly afterMs: number; readonly batch: number };

const action: fc.Arbitrary<Action> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('advance' as const), days: fc.integer({ min: 1, max: 30 }) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('sweep' as const), batch: fc.integer({ min: 1, max: 6 }) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('race' as const), batches: fc.tuple(fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 4 })) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('restart' as const) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('kill' as const), afterMs: fc.integer({ min: 0, max: 25 }), batch: fc.integer({ min: 1, max: 2 }) }) },
);

/** Each case's path from crime_recorded and how many days ago it reached its last stage. */
const caseArb = fc.record({
  path: fc.constantFrom<readonly Stage[]>(['investigation', 'early_advice'], ['investigation', 'early_advice', 'action_plan']),
  daysAtStage: fc.integer({ min: 0, max: 60 }),
});

/** A sweep in its own process, killed with SIGKILL `afterMs` after its database is open. Answers whether it finished first. */
async function sweepKilled(database: RestartableDatabase, now: Date, batchSize: number, afterMs: number): Promise<'finished' | 'killed'> {
  const child = spawn(process.execPath, [CHILD], {
    env: { PATH: process.env.PATH, SWEEP_CHILD: JSON.stringify({ location: database.location, now: now.toISOString(), batchSize }) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  let killed = false;
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stdout.on('data', (chunk: Buffer) => {
    output += chunk.toString();
    if (output.includes('ready') && !killed) {
      killed = true;
      setTimeout(() => child.kill('SIGKILL'), afterMs);
    }
  });
  const code = await exited;
  if (output.includes('done')) return 'finished';
  if (code !== null) throw new Error(`The sweep process failed by itself (exit ${code}):\n${output}`);
  return 'killed';
}

interface World {
  readonly database: RestartableDatabase;
  readonly clock: ControllableClock;
  readonly staff: Staff;
  platform: Platform;
}

/** The invariant that holds at every moment; with `complete`, also that every step due by today has been taken. */
async function check(w: World, complete: boolean): Promise<{ taken: number }> {
  const db = w.platform.db;
  const today = londonDate(w.clock.now());
  const deadlines = await db.selectFrom('deadlines').selectAll().where('subject_type', '=', CASE_SUBJECT).execute();
  const escalations = await db.selectFrom('deadline_escalations').selectAll().execute();
  const notifications = await db.selectFrom('notifications').selectAll().execute();
  const emails = await db.selectFrom('email_outbox').select(['to_user_id', 'subject', 'body']).execute();
  const audits = await db.selectFrom('audit_events').select(['object_id', 'details']).where('object_type', '=', 'deadline').execute();
  const audited = audits.map((a) => `${a.object_id}/${(JSON.parse(a.details) as { step: string }).step}`).sort();
  assert.deepEqual(audited, escalations.map((e) => `${e.deadline_id}/${e.step}`).sort(), 'one audit entry per step taken');
  const rows = new Map<string, number>();
  for (const e of escalations) rows.set(`${e.deadline_id}/${e.step}`, (rows.get(`${e.deadline_id}/${e.step}`) ?? 0) + 1);
  const told = new Map<string, number>();
  let expectedNotifications = 0;
  for (const d of deadlines) {
    const rule = await requireRule(db, d.rule_key, Number(d.rule_version));
    const steps = schedule(rule.definition, d.started_on, Number(d.paused_days_total));
    for (const step of steps) {
      const count = rows.get(`${d.id}/${step.step}`) ?? 0;
      assert.ok(count <= 1, `${d.rule_key} ${step.step} was taken ${count} times`);
      // Only a deadline that was open when the step came due escalates: those met on the day they opened never do.
      const shouldBeTaken = d.status === 'open' && step.dueOn <= today;
      if (complete) assert.equal(count, shouldBeTaken ? 1 : 0, `${d.rule_key} ${step.step} (due ${step.dueOn}, today ${today}, ${d.status})`);
      else assert.ok(count === 0 || shouldBeTaken, `${d.rule_key} ${step.step} was taken before its time or on a closed deadline`);
      const audience = [...new Set(step.audience.map((role) => w.staff.byRole[role as keyof Staff['byRole']]))];
      for (const userId of audience) {
        const matching = notifications.filter((n) => n.user_id === userId && n.subject_id === d.subject_id && n.text.includes(`: ${step.label} (`));
        assert.equal(matching.length, count, `${d.rule_key} ${step.step}: notifications to one of its audience`);
        told.set(userId, (told.get(userId) ?? 0) + count);
        expectedNotifications += count;
      }
    }
  }
  assert.equal(notifications.length, expectedNotifications, 'no notification outside the audiences of the steps taken');
  assert.equal(emails.length, notifications.length, 'one email per notification');
  for (const [userId, n] of told) assert.equal(emails.filter((e) => e.to_user_id === userId).length, n, 'emails per person');
  return { taken: escalations.length };
}

for (const engine of engines) {
  test(`${engine}: property: across restarts, racing sweeps and sweeps killed with SIGKILL, every escalation step is taken exactly once`, { timeout: 180_000 }, async (t) => {
    const stats = { runs: 0, killedPartWay: 0, killFinishedFirst: 0, restarts: 0, steps: 0 };
    await fc.assert(
      fc.asyncProperty(fc.array(caseArb, { minLength: 6, maxLength: 16 }), fc.array(action, { minLength: 3, maxLength: 10 }), async (cases, actions) => {
        const database = await restartableDatabase(engine);
        try {
          const clock = new ControllableClock('2025-03-03T09:00:00Z');
          const people = await staff(database.current(), clock.now());
          const w: World = { database, clock, staff: people, platform: platformOn(database.current(), clock) };
          const service = createCasesService(w.platform);
          for (const [i, c] of cases.entries()) {
            await service.operator.createCase(systemContext(), {
              policeReference: `PROP/${String(i).padStart(4, '0')}/25`,
              forceId: people.force,
              cpsAreaId: people.area,
              offenceClass: 'rape_16_plus',
              reportedOn: '2025-01-02',
              path: c.path,
              daysAtStage: c.daysAtStage,
              team: [
                { userId: people.byRole.oic, organisationId: people.force, role: 'oic' },
                { userId: people.byRole.supervisor, organisationId: people.force, role: 'supervisor' },
                { userId: people.byRole.prosecutor, organisationId: people.area, role: 'prosecutor' },
                { userId: people.byRole.dcp, organisationId: people.area, role: 'dcp' },
              ],
            });
          }
          const restart = async () => {
            w.platform = platformOn(await database.restart(), clock);
            stats.restarts += 1;
          };
          for (const a of actions) {
            if (a.kind === 'advance') clock.advance({ days: a.days });
            else if (a.kind === 'sweep') {
              await sweepDeadlines(w.platform, clock.now(), a.batch);
              await check(w, true);
            } else if (a.kind === 'race') {
              await Promise.all(a.batches.map((batch) => sweepDeadlines(w.platform, clock.now(), batch)));
              await check(w, true);
            } else if (a.kind === 'restart') {
              await restart();
              await check(w, false);
            } else {
              // The parent lets go of SQLite while the child writes, as a second server would.
              const outcome = await sweepKilled(database, clock.now(), a.batch, a.afterMs);
              if (outcome === 'killed') stats.killedPartWay += 1;
              else stats.killFinishedFirst += 1;
              await restart();
              await check(w, outcome === 'finished');
            }
          }
          await sweepDeadlines(w.platform, clock.now());
          stats.steps += (await check(w, true)).taken;
          const journal = await verifyJournal(w.platform.db, w.platform.config.secretKey);
          assert.deepEqual(journal.problems, [], 'the audit journal verifies');
          stats.runs += 1;
        } finally {
          await database.dispose();
        }
      }),
      { numRuns: engine === 'sqlite' ? 12 : 8, endOnFailure: true },
    );
    t.diagnostic(JSON.stringify(stats));
  });
}
