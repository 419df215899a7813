import { test } from 'node:test';
import assert from 'node:assert/strict';
import { engines } from '../../../test/support/databases.ts';
import { inTransaction } from '../db/transaction.ts';
import { Problem } from '../web/errors.ts';
import {
  closeDeadline,
  deadlinesFor,
  dueSoon,
  markNotificationsRead,
  notificationsFor,
  openDeadline,
  overdue,
  pauseDeadline,
  publishRuleVersion,
  resumeDeadline,
  ruleHistory,
  ruleVersionFor,
  unreadCount,
} from './service.ts';
import { sweepDeadlines } from './sweep.ts';
import { deadlineWorld, TEST_SUBJECT } from './test-support.ts';
import type { DeadlineWorld } from './test-support.ts';

const problem = (type: string) => (error: unknown) => error instanceof Problem && error.type === type;

function open(w: DeadlineWorld, subjectId: string, ruleKey: string, startedOn?: string, organisationIds = [w.force, w.area]) {
  return inTransaction(w.platform.db, (tx) => openDeadline(tx, { subjectType: TEST_SUBJECT, subjectId, ruleKey, organisationIds, startedOn, now: w.clock.now() }));
}

for (const engine of engines) {
  test(`${engine}: the migration loads the shipped rules as version 1`, async () => {
    const w = await deadlineWorld(engine);
    try {
      const history = await ruleHistory(w.platform.db, 'action-plan.review');
      assert.deepEqual(history.map((r) => [r.version, r.organisationId, r.definition.steps.map((s) => s.step)]), [[1, null, ['review', 'escalate', 'senior-escalation']]]);
    } finally {
      await w.dispose();
    }
  });

  test(`${engine}: opening a deadline computes its due date and first step; it rolls back with the caller's transaction`, async () => {
    const w = await deadlineWorld(engine);
    try {
      const { id } = await w.subject();
      const deadline = await open(w, id, 'victims-code.cps-no-charge', '2024-12-20');
      assert.equal(deadline.dueOn, '2024-12-31');
      assert.equal(deadline.nextStepDueOn, '2025-01-02');
      assert.equal(deadline.status, 'open');
      assert.deepEqual([...deadline.organisationIds].sort(), [w.force, w.area].sort());
      await assert.rejects(inTransaction(w.platform.db, async (tx) => {
        await openDeadline(tx, { subjectType: TEST_SUBJECT, subjectId: id, ruleKey: 'supervisory-review', organisationIds: [], now: w.clock.now() });
        throw new Error('the event failed');
      }), /the event failed/);
      const listed = await deadlinesFor(w.platform.db, TEST_SUBJECT, id);
      assert.deepEqual(listed.map((d) => [d.ruleKey, d.title]), [['victims-code.cps-no-charge', 'Telling the victim of a decision not to charge']]);
      await assert.rejects(open(w, id, 'no-such.rule'), /No version of deadline rule no-such.rule/);
      await assert.rejects(inTransaction(w.platform.db, (tx) => openDeadline(tx, { subjectType: 'unknown_type', subjectId: id, ruleKey: 'supervisory-review', organisationIds: [], now: w.clock.now() })), /No subject type/);
    } finally {
      await w.dispose();
    }
  });

  test(`${engine}: a deadline keeps its rule version; new deadlines use the new one; an organisation's own version wins for it`, async () => {
    const w = await deadlineWorld(engine);
    try {
      const { id } = await w.subject();
      const before = await open(w, id, 'supervisory-review', '2025-03-03');
      assert.deepEqual([before.ruleVersion, before.dueOn], [1, '2025-03-17']);
      const v2 = await inTransaction(w.platform.db, (tx) => publishRuleVersion(tx, {
        key: 'supervisory-review',
        effectiveFrom: '2025-04-01',
        definition: { title: 'Supervisory review', due: { amount: 7, unit: 'calendar-days' }, pausable: false, steps: [{ step: 'review', label: 'Review due', from: 'start', after: { amount: 7, unit: 'calendar-days' }, audience: ['supervisor'] }] },
        now: w.clock.now(),
      }));
      assert.equal(v2.version, 2);
      const other = await w.person();
      const local = await inTransaction(w.platform.db, (tx) => publishRuleVersion(tx, {
        key: 'supervisory-review',
        organisationId: w.force,
        effectiveFrom: '2025-01-01',
        definition: { title: 'Supervisory review (force)', due: { amount: 10, unit: 'calendar-days' }, pausable: false, steps: [{ step: 'review', label: 'Review due', from: 'start', after: { amount: 10, unit: 'calendar-days' }, audience: ['supervisor'] }] },
        now: w.clock.now(),
      }));
      assert.ok(other);
      assert.equal(local.version, 3);

      // The deadline opened under version 1 is untouched.
      const [kept] = await deadlinesFor(w.platform.db, TEST_SUBJECT, id);
      assert.deepEqual([kept!.ruleVersion, kept!.dueOn], [1, '2025-03-17']);
      // Before version 2 takes effect, new deadlines still get version 1; after, version 2.
      assert.equal((await open(w, id, 'supervisory-review', '2025-03-31', [w.area])).ruleVersion, 1);
      const after = await open(w, id, 'supervisory-review', '2025-04-01', [w.area]);
      assert.deepEqual([after.ruleVersion, after.dueOn], [2, '2025-04-08']);
      // The force's own version wins for a subject of that force, even over a later national one.
      const forces = await open(w, id, 'supervisory-review', '2025-04-01', [w.force, w.area]);
      assert.deepEqual([forces.ruleVersion, forces.dueOn], [3, '2025-04-11']);
      assert.equal((await ruleVersionFor(w.platform.db, 'supervisory-review', [w.area], '2025-04-01'))?.version, 2);
      assert.deepEqual((await ruleHistory(w.platform.db, 'supervisory-review')).map((r) => r.version), [1, 2, 3]);

      await assert.rejects(inTransaction(w.platform.db, (tx) => publishRuleVersion(tx, { key: 'supervisory-review', effectiveFrom: '2025-05-01', definition: { title: 'x' }, now: w.clock.now() })), /due must be a period/);
    } finally {
      await w.dispose();
    }
  });

  test(`${engine}: pausing and resuming moves the due date and steps on by the time stopped, only where the rule allows`, async () => {
    const w = await deadlineWorld(engine, '2024-12-20T10:00:00Z');
    try {
      const { id } = await w.subject();
      const review = await open(w, id, 'vrr.police.review', '2024-12-02');
      assert.equal(review.dueOn, '2025-01-16');
      const paused = await inTransaction(w.platform.db, (tx) => pauseDeadline(tx, review.id, { reason: 'Waiting for the victim to send material', now: w.clock.now() }));
      assert.deepEqual([paused.status, paused.pausedReason, paused.nextStepDueOn], ['paused', 'Waiting for the victim to send material', null]);
      await assert.rejects(inTransaction(w.platform.db, (tx) => pauseDeadline(tx, review.id, { reason: 'again', now: w.clock.now() })), problem('conflict'));
      w.clock.set('2024-12-30T10:00:00Z'); // 23, 24, 27 and 30 December are working days
      const resumed = await inTransaction(w.platform.db, (tx) => resumeDeadline(tx, review.id, { now: w.clock.now() }));
      assert.deepEqual([resumed.status, resumed.pausedDaysTotal, resumed.dueOn, resumed.nextStepDueOn], ['open', 4, '2025-01-22', '2025-01-23']);
      // A second pause adds to the first.
      await inTransaction(w.platform.db, (tx) => pauseDeadline(tx, review.id, { reason: 'Second wait', now: w.clock.now() }));
      w.clock.set('2025-01-03T10:00:00Z'); // 31 December and 2, 3 January
      const again = await inTransaction(w.platform.db, (tx) => resumeDeadline(tx, review.id, { now: w.clock.now() }));
      assert.deepEqual([again.pausedDaysTotal, again.dueOn], [7, '2025-01-27']);
      await assert.rejects(inTransaction(w.platform.db, (tx) => resumeDeadline(tx, review.id, { now: w.clock.now() })), problem('conflict'));

      const plan = await open(w, id, 'action-plan.review');
      await assert.rejects(inTransaction(w.platform.db, (tx) => pauseDeadline(tx, plan.id, { reason: 'No', now: w.clock.now() })), (e: unknown) => problem('conflict')(e) && /cannot be paused/.test((e as Error).message));
      await assert.rejects(inTransaction(w.platform.db, (tx) => pauseDeadline(tx, review.id, { reason: '  ', now: w.clock.now() })), problem('validation'));
    } finally {
      await w.dispose();
    }
  });

  test(`${engine}: closing a deadline, once`, async () => {
    const w = await deadlineWorld(engine);
    try {
      const { id } = await w.subject();
      const deadline = await open(w, id, 'early-advice.response');
      const met = await inTransaction(w.platform.db, (tx) => closeDeadline(tx, deadline.id, { outcome: 'met', reason: 'Advice given', now: w.clock.now() }));
      assert.deepEqual([met.status, met.closedReason, met.nextStepDueOn, met.closedAt], ['met', 'Advice given', null, w.clock.now().toISOString()]);
      await assert.rejects(inTransaction(w.platform.db, (tx) => closeDeadline(tx, deadline.id, { outcome: 'cancelled', now: w.clock.now() })), problem('conflict'));
      await assert.rejects(inTransaction(w.platform.db, (tx) => closeDeadline(tx, '0190b0a0-0000-7000-8000-000000000000', { outcome: 'met', now: w.clock.now() })), problem('not-found'));
      // A paused deadline can be cancelled too.
      const paused = await open(w, id, 'early-advice.response');
      await inTransaction(w.platform.db, (tx) => pauseDeadline(tx, paused.id, { reason: 'Query back to the police', now: w.clock.now() }));
      const cancelled = await inTransaction(w.platform.db, (tx) => closeDeadline(tx, paused.id, { outcome: 'cancelled', now: w.clock.now() }));
      assert.deepEqual([cancelled.status, cancelled.pausedAt], ['cancelled', null]);
    } finally {
      await w.dispose();
    }
  });

  test(`${engine}: work queues: due soon and overdue, by subject or by organisation`, async () => {
    const w = await deadlineWorld(engine, '2025-03-03T09:00:00Z');
    try {
      const a = await w.subject();
      const b = await w.subject();
      const late = await open(w, a.id, 'early-advice.response', '2025-02-01'); // due 22 February
      const soon = await open(w, a.id, 'supervisory-review', '2025-02-20'); // due 6 March
      const later = await open(w, b.id, 'action-plan.review', '2025-03-01', [w.area]); // due 29 March
      const closed = await open(w, b.id, 'early-advice.response', '2025-01-01', [w.area]);
      await inTransaction(w.platform.db, (tx) => closeDeadline(tx, closed.id, { outcome: 'met', now: w.clock.now() }));
      const today = '2025-03-03';
      const ids = (list: { id: string }[]) => list.map((d) => d.id);
      assert.deepEqual(ids(await overdue(w.platform.db, { today, subjectType: TEST_SUBJECT, subjectIds: [a.id, b.id] })), [late.id]);
      assert.deepEqual(ids(await dueSoon(w.platform.db, { today, withinDays: 7, subjectType: TEST_SUBJECT, subjectIds: [a.id, b.id] })), [soon.id]);
      assert.deepEqual(ids(await dueSoon(w.platform.db, { today, withinDays: 30, organisationIds: [w.area] })), [soon.id, later.id]);
      assert.deepEqual(ids(await dueSoon(w.platform.db, { today, withinDays: 30, organisationIds: [w.force] })), [soon.id]);
      assert.deepEqual(ids(await overdue(w.platform.db, { today, organisationIds: [] })), []);
      assert.deepEqual(ids(await overdue(w.platform.db, { today, subjectIds: [] })), []);
    } finally {
      await w.dispose();
    }
  });

  test(`${engine}: a person sees and marks only their own notifications`, async () => {
    const w = await deadlineWorld(engine, '2025-03-03T09:00:00Z');
    try {
      const subject = await w.subject();
      await open(w, subject.id, 'action-plan.review', '2025-01-01');
      await sweepDeadlines(w.platform, w.clock.now());
      const oics = await notificationsFor(w.platform.db, subject.oic);
      assert.equal(oics.length, 1); // the 28-day review; 56 days (supervisor, dcp) went to the supervisor
      assert.equal(oics[0]!.href, `/test-subjects/${subject.id}`);
      assert.equal(await unreadCount(w.platform.db, subject.oic), 1);
      const supervisors = await notificationsFor(w.platform.db, subject.supervisor);
      // Someone else's notification does not exist for them, and a mixed list changes nothing.
      await assert.rejects(inTransaction(w.platform.db, (tx) => markNotificationsRead(tx, subject.supervisor, [oics[0]!.id], w.clock.now())), problem('not-found'));
      await assert.rejects(inTransaction(w.platform.db, (tx) => markNotificationsRead(tx, subject.supervisor, [supervisors[0]!.id, oics[0]!.id], w.clock.now())), problem('not-found'));
      assert.equal(await unreadCount(w.platform.db, subject.supervisor), 1);
      await assert.rejects(inTransaction(w.platform.db, (tx) => markNotificationsRead(tx, subject.oic, [], w.clock.now())), problem('bad-request'));
      assert.equal(await inTransaction(w.platform.db, (tx) => markNotificationsRead(tx, subject.oic, [oics[0]!.id, oics[0]!.id], w.clock.now())), 1);
      assert.equal(await unreadCount(w.platform.db, subject.oic), 0);
      assert.equal(await inTransaction(w.platform.db, (tx) => markNotificationsRead(tx, subject.oic, [oics[0]!.id], w.clock.now())), 0, 'already read');
      assert.equal(await inTransaction(w.platform.db, (tx) => markNotificationsRead(tx, subject.supervisor, [supervisors[0]!.id], w.clock.now())), 1);
      assert.equal(await unreadCount(w.platform.db, subject.supervisor), 0);
    } finally {
      await w.dispose();
    }
  });
}
