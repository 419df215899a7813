import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { engines } from '../../../test/support/databases.ts';
import { inTransaction } from '../db/transaction.ts';
import { JobRunner } from '../jobs/runner.ts';
import { londonDate } from '../time/working-days.ts';
import { schedule } from './model.ts';
import * as repository from './repository.ts';
import { closeDeadline, openDeadline, pauseDeadline, requireRule, resumeDeadline } from './service.ts';
import { NOTIFICATION_KIND, registerDeadlineSweep, sweepDeadlines } from './sweep.ts';
import { crashNextAudience, deadlineWorld, TEST_SUBJECT } from './test-support.ts';
import type { DeadlineWorld } from './test-support.ts';

function open(w: DeadlineWorld, subjectId: string, ruleKey: string, startedOn?: string) {
  return inTransaction(w.platform.db, (tx) => openDeadline(tx, { subjectType: TEST_SUBJECT, subjectId, ruleKey, organisationIds: [w.force, w.area], startedOn, now: w.clock.now() }));
}

/** Everything a sweep could write, to show when it wrote nothing. */
async function footprint(w: DeadlineWorld) {
  const db = w.platform.db;
  const count = async (table: 'deadline_escalations' | 'notifications' | 'email_outbox' | 'audit_events') =>
    Number((await db.selectFrom(table).select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
  const deadlines = await db.selectFrom('deadlines').select(['id', 'version', 'next_step_due_on', 'status']).orderBy('id').execute();
  return {
    escalations: await count('deadline_escalations'),
    notifications: await count('notifications'),
    emails: await count('email_outbox'),
    audit: await count('audit_events'),
    deadlines: deadlines.map((d) => [d.id, Number(d.version), d.next_step_due_on, d.status]),
  };
}

async function stepsTaken(w: DeadlineWorld, deadlineId: string): Promise<string[]> {
  const rows = await w.platform.db.selectFrom('deadline_escalations').select('step').where('deadline_id', '=', deadlineId).orderBy('due_on').execute();
  return rows.map((r) => r.step);
}

async function notified(w: DeadlineWorld, userId: string): Promise<string[]> {
  const rows = await w.platform.db.selectFrom('notifications').select('text').where('user_id', '=', userId).orderBy('created_at').orderBy('id').execute();
  return rows.map((r) => r.text);
}

for (const engine of engines) {
  test(`${engine}: an action plan escalates at 28, then 56, then 90 days, each step once, to the right people`, async () => {
    const w = await deadlineWorld(engine, '2025-03-03T09:00:00Z');
    try {
      const s = await w.subject();
      const plan = await open(w, s.id, 'action-plan.review');
      const sweep = () => sweepDeadlines(w.platform, w.clock.now());

      w.clock.advance({ days: 27 });
      assert.deepEqual(await sweep(), { deadlines: 0, escalations: 0, notifications: 0 });
      w.clock.advance({ days: 1 }); // day 28
      assert.deepEqual(await sweep(), { deadlines: 1, escalations: 1, notifications: 2 });
      assert.deepEqual(await sweep(), { deadlines: 0, escalations: 0, notifications: 0 });
      assert.equal((await notified(w, s.oic)).length, 1);
      assert.match((await notified(w, s.oic))[0]!, /^Test \w{6}: Action plan 28-day review \(Action plan review, due 31 March 2025\)$/);
      assert.equal((await notified(w, s.prosecutor)).length, 1);
      assert.deepEqual(await notified(w, s.supervisor), []);

      w.clock.advance({ days: 28 }); // day 56: the supervisor is both supervisor and DCP, and is told once
      assert.deepEqual(await sweep(), { deadlines: 1, escalations: 1, notifications: 1 });
      assert.equal((await notified(w, s.supervisor)).length, 1);
      w.clock.advance({ days: 34 }); // day 90
      assert.deepEqual(await sweep(), { deadlines: 1, escalations: 1, notifications: 2 });
      assert.deepEqual(await stepsTaken(w, plan.id), ['review', 'escalate', 'senior-escalation']);
      w.clock.advance({ days: 400 });
      assert.deepEqual(await sweep(), { deadlines: 0, escalations: 0, notifications: 0 });

      const row = await w.platform.db.selectFrom('deadlines').selectAll().where('id', '=', plan.id).executeTakeFirstOrThrow();
      assert.equal(row.next_step_due_on, null);
      // Every notification has its email, which names the subject by reference only, and every step its audit entry.
      const emails = await w.platform.db.selectFrom('email_outbox').selectAll().orderBy('created_at').execute();
      assert.equal(emails.length, 5);
      assert.ok(emails.every((e) => e.sent_at === null && e.attempts === 0 && /^Test \w{6}: Action plan review$/.test(e.subject) && e.body.includes('/notifications')));
      const kinds = await w.platform.db.selectFrom('notifications').select('kind').execute();
      assert.ok(kinds.every((k) => k.kind === NOTIFICATION_KIND));
      const audit = await w.platform.db.selectFrom('audit_events').selectAll().where('object_type', '=', 'deadline').orderBy('seq').execute();
      assert.deepEqual(audit.map((a) => [a.actor_role, a.object_id, JSON.parse(a.details).step]), [['system', plan.id, 'review'], ['system', plan.id, 'escalate'], ['system', plan.id, 'senior-escalation']]);
    } finally {
      await w.dispose();
    }
  });

  test(`${engine}: the sweep writes nothing when nothing is due`, async () => {
    const w = await deadlineWorld(engine, '2025-03-03T09:00:00Z');
    try {
      const s = await w.subject();
      await open(w, s.id, 'action-plan.review');
      await open(w, s.id, 'early-advice.response');
      const before = await footprint(w);
      assert.deepEqual(await sweepDeadlines(w.platform, w.clock.advance({ days: 20 })), { deadlines: 0, escalations: 0, notifications: 0 });
      assert.deepEqual(await footprint(w), before);
    } finally {
      await w.dispose();
    }
  });

  test(`${engine}: closed deadlines never escalate, and paused ones not while paused`, async () => {
    const w = await deadlineWorld(engine, '2025-03-03T09:00:00Z');
    try {
      const s = await w.subject();
      const met = await open(w, s.id, 'action-plan.review');
      const cancelled = await open(w, s.id, 'early-advice.response');
      const paused = await open(w, s.id, 'early-advice.response');
      await inTransaction(w.platform.db, async (tx) => {
        await closeDeadline(tx, met.id, { outcome: 'met', now: w.clock.now() });
        await closeDeadline(tx, cancelled.id, { outcome: 'cancelled', reason: 'Case transferred', now: w.clock.now() });
        await pauseDeadline(tx, paused.id, { reason: 'Request queried back to the police', now: w.clock.now() });
      });
      w.clock.advance({ days: 100 });
      const before = await footprint(w);
      assert.deepEqual(await sweepDeadlines(w.platform, w.clock.now()), { deadlines: 0, escalations: 0, notifications: 0 });
      assert.deepEqual(await footprint(w), before);
      // Resumed after 100 days, early advice is due 100 days later than it was: not yet overdue.
      const resumed = await inTransaction(w.platform.db, (tx) => resumeDeadline(tx, paused.id, { now: w.clock.now() }));
      assert.equal(resumed.dueOn, '2025-07-02'); // 24 March, plus the 100 days it stood still
      assert.deepEqual(await sweepDeadlines(w.platform, w.clock.now()), { deadlines: 0, escalations: 0, notifications: 0 });
      w.clock.advance({ days: 22 });
      assert.equal((await sweepDeadlines(w.platform, w.clock.now())).escalations, 1);
      assert.deepEqual(await stepsTaken(w, met.id), []);
      assert.deepEqual(await stepsTaken(w, cancelled.id), []);
      assert.deepEqual(await stepsTaken(w, paused.id), ['overdue']);
    } finally {
      await w.dispose();
    }
  });

  test(`${engine}: a sweep that dies part-way leaves nothing, and the next one takes every step once`, async () => {
    const w = await deadlineWorld(engine, '2025-03-03T09:00:00Z');
    try {
      const subjects = [await w.subject(), await w.subject(), await w.subject()];
      const plans = [];
      for (const s of subjects) plans.push(await open(w, s.id, 'action-plan.review'));
      w.clock.advance({ days: 60 });
      const before = await footprint(w);
      crashNextAudience(2); // the second deadline's first step fails, after the first deadline's work
      await assert.rejects(sweepDeadlines(w.platform, w.clock.now()), /stopped part-way/);
      assert.deepEqual(await footprint(w), before, 'the failed batch left nothing behind');
      assert.deepEqual(await sweepDeadlines(w.platform, w.clock.now()), { deadlines: 3, escalations: 6, notifications: 9 });
      for (const plan of plans) assert.deepEqual(await stepsTaken(w, plan.id), ['review', 'escalate']);
      assert.equal((await sweepDeadlines(w.platform, w.clock.now())).escalations, 0);
    } finally {
      await w.dispose();
    }
  });

  test(`${engine}: a step already recorded is never notified again, whatever the deadline row says`, async () => {
    const w = await deadlineWorld(engine, '2025-03-03T09:00:00Z');
    try {
      const s = await w.subject();
      const plan = await open(w, s.id, 'action-plan.review');
      // As if another sweep had taken the step and this one read the deadline before that committed.
      await w.platform.db.insertInto('deadline_escalations').values({ deadline_id: plan.id, step: 'review', due_on: '2025-03-31', escalated_at: w.clock.now().toISOString() }).execute();
      w.clock.advance({ days: 30 });
      assert.deepEqual(await sweepDeadlines(w.platform, w.clock.now()), { deadlines: 0, escalations: 0, notifications: 0 });
      assert.deepEqual(await notified(w, s.oic), []);
      const row = await w.platform.db.selectFrom('deadlines').select('next_step_due_on').where('id', '=', plan.id).executeTakeFirstOrThrow();
      assert.equal(row.next_step_due_on, '2025-04-28');
      // The unique key is the last word: a second insert of a step records nothing, so notifies no one.
      const again = await inTransaction(w.platform.db, (tx) => repository.insertEscalations(tx, [
        { deadline_id: plan.id, step: 'review', due_on: '2025-03-31', escalated_at: w.clock.now().toISOString() },
        { deadline_id: plan.id, step: 'escalate', due_on: '2025-04-28', escalated_at: w.clock.now().toISOString() },
      ]));
      assert.deepEqual([...again], [`${plan.id}/escalate`]);
    } finally {
      await w.dispose();
    }
  });

  test(`${engine}: the recurring job escalates across runner restarts and with two runners at once, each step once`, async () => {
    const w = await deadlineWorld(engine, '2025-03-03T09:00:00Z');
    try {
      const subjects = [];
      for (let i = 0; i < 40; i += 1) subjects.push(await w.subject());
      for (const s of subjects) await open(w, s.id, 'action-plan.review');
      const runner = () => {
        const r = new JobRunner({ db: w.platform.db, engine: w.platform.engine, clock: w.clock, onError: (error) => { throw error; } });
        registerDeadlineSweep(r, w.platform);
        return r;
      };
      const runOccurrence = async (runners: JobRunner[]) => {
        for (const r of runners) await r.ensureRecurring();
        w.clock.advance({ minutes: 5 });
        return (await Promise.all(runners.map((r) => r.runDue()))).reduce((a, b) => a + b, 0);
      };
      w.clock.advance({ days: 28 });
      assert.equal(await runOccurrence([runner()]), 1);
      assert.equal(await w.platform.db.selectFrom('deadline_escalations').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow().then((r) => Number(r.n)), 40);
      // A restart: new runners on the same database, racing each other.
      w.clock.advance({ days: 28 });
      assert.equal(await runOccurrence([runner(), runner()]), 1, 'one occurrence of the recurring job runs once');
      // And two sweeps called directly at the same moment.
      w.clock.advance({ days: 34 });
      const [a, b] = await Promise.all([sweepDeadlines(w.platform, w.clock.now(), 7), sweepDeadlines(w.platform, w.clock.now(), 7)]);
      assert.equal(a.escalations + b.escalations, 40);
      const taken = await w.platform.db.selectFrom('deadline_escalations').select(['deadline_id', 'step']).execute();
      assert.equal(taken.length, 120);
      assert.equal(new Set(taken.map((t) => `${t.deadline_id}/${t.step}`)).size, 120);
      const audits = await w.platform.db.selectFrom('audit_events').select((eb) => eb.fn.countAll().as('n')).where('object_type', '=', 'deadline').executeTakeFirstOrThrow();
      assert.equal(Number(audits.n), 120);
      assert.equal((await notified(w, subjects[0]!.supervisor)).length, 2);
    } finally {
      await w.dispose();
    }
  });

  test(`${engine}: property: whatever the order of clock moves, sweeps, racing sweeps and crashes, every step due is taken exactly once`, async () => {
    const action = fc.oneof(
      fc.record({ kind: fc.constant('advance' as const), days: fc.integer({ min: 1, max: 40 }) }),
      fc.record({ kind: fc.constant('sweep' as const) }),
      fc.record({ kind: fc.constant('race' as const) }),
      fc.record({ kind: fc.constant('crash' as const), after: fc.integer({ min: 1, max: 4 }) }),
    );
    await fc.assert(fc.asyncProperty(fc.array(action, { minLength: 1, maxLength: 12 }), async (actions) => {
      const w = await deadlineWorld(engine, '2025-03-03T09:00:00Z');
      try {
        const s = await w.subject();
        const deadlines = [await open(w, s.id, 'action-plan.review'), await open(w, s.id, 'early-advice.response'), await open(w, s.id, 'supervisory-review', '2025-02-24')];
        const check = async () => {
          const today = londonDate(w.clock.now());
          for (const d of deadlines) {
            const rule = await requireRule(w.platform.db, d.ruleKey, d.ruleVersion);
            const due = schedule(rule.definition, d.startedOn).filter((step) => step.dueOn <= today).map((step) => step.step);
            assert.deepEqual(await stepsTaken(w, d.id), due);
          }
        };
        for (const a of actions) {
          if (a.kind === 'advance') w.clock.advance({ days: a.days });
          else if (a.kind === 'sweep') {
            await sweepDeadlines(w.platform, w.clock.now(), 2);
            await check();
          } else if (a.kind === 'race') {
            await Promise.all([sweepDeadlines(w.platform, w.clock.now(), 1), sweepDeadlines(w.platform, w.clock.now(), 2)]);
            await check();
          } else {
            crashNextAudience(a.after);
            await sweepDeadlines(w.platform, w.clock.now(), 1).catch(() => undefined);
            crashNextAudience(0);
          }
        }
        await sweepDeadlines(w.platform, w.clock.now());
        await check();
        const audits = await w.platform.db.selectFrom('audit_events').select((eb) => eb.fn.countAll().as('n')).where('object_type', '=', 'deadline').executeTakeFirstOrThrow();
        const taken = await w.platform.db.selectFrom('deadline_escalations').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow();
        assert.equal(Number(audits.n), Number(taken.n));
      } finally {
        await w.dispose();
      }
    }), { numRuns: engine === 'sqlite' ? 25 : 12 });
  });
}
