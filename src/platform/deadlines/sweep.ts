// The sweep: a recurring job that takes every escalation step now due, once.
//
// Open deadlines keep the date of their next step (next_step_due_on, null
// once paused, closed or past the last step), so finding the work is one
// indexed range read, taken in batches. Each batch is one transaction that
// claims its deadlines (locking them), moves their next step on, and inserts
// a deadline_escalations row for each step due: the unique (deadline, step)
// key means a step is taken once however many sweeps run or however often
// one is retried after a crash, and only a step whose row this transaction
// inserted notifies anyone. Its notifications, outbox emails and audit entry
// commit with that row, or not at all.
import { systemContext } from '../audit/model.ts';
import { newId } from '../db/ids.ts';
import type { Tx } from '../db/transaction.ts';
import { inTransaction } from '../db/transaction.ts';
import { translate } from '../i18n/messages.ts';
import type { JobRunner } from '../jobs/runner.ts';
import type { Platform } from '../platform.ts';
import { formatDate, londonDate } from '../time/working-days.ts';
import type { PlainDate } from '../time/working-days.ts';
import { nextStepDue, schedule, stepsDue } from './model.ts';
import type { RuleVersion, ScheduledStep } from './model.ts';
import * as repository from './repository.ts';
import type { DeadlineRow } from './repository.ts';
import { registeredSubjectTypes, requireRule, subjectType } from './service.ts';

export const SWEEP_JOB = 'deadlines.sweep';
export const NOTIFICATION_KIND = 'deadline.escalation';
const BATCH_SIZE = 500;

export interface SweepResult {
  /** Deadlines that had at least one step due. */
  readonly deadlines: number;
  /** Steps taken (escalation rows inserted). */
  readonly escalations: number;
  readonly notifications: number;
}

type SweepPlatform = Pick<Platform, 'db' | 'engine' | 'audit' | 'config'>;

/** Takes every step due by `now`'s date in London. Safe to run in any number of processes at once. */
export async function sweepDeadlines(platform: SweepPlatform, now: Date, batchSize = BATCH_SIZE): Promise<SweepResult> {
  const today = londonDate(now);
  const rules = new Map<string, RuleVersion>();
  const totals = { deadlines: 0, escalations: 0, notifications: 0 };
  for (;;) {
    const types = registeredSubjectTypes();
    if (types.length === 0) break;
    const batch = await inTransaction(platform.db, async (tx) => {
      const done = { claimed: 0, deadlines: 0, escalations: 0, notifications: 0 };
      const rows = await repository.claimDue(tx, platform.engine, today, types, batchSize);
      const taken = await stepsTaken(tx, rows);
      const plans: { row: DeadlineRow; rule: RuleVersion; due: ScheduledStep[] }[] = [];
      const nextSteps: { id: string; next: PlainDate | null }[] = [];
      for (const row of rows) {
        const key = `${row.rule_key}@${row.rule_version}`;
        if (!rules.has(key)) rules.set(key, await requireRule(tx, row.rule_key, Number(row.rule_version)));
        const rule = rules.get(key)!;
        const steps = schedule(rule.definition, row.started_on, Number(row.paused_days_total));
        const before = taken.get(row.id) ?? new Set<string>();
        const due = stepsDue(steps, before, today);
        plans.push({ row, rule, due });
        nextSteps.push({ id: row.id, next: nextStepDue(steps, new Set([...before, ...due.map((s) => s.step)])) });
      }
      await repository.setNextSteps(tx, nextSteps);
      const inserted = await repository.insertEscalations(tx, plans.flatMap(({ row, due }) =>
        due.map((step) => ({ deadline_id: row.id, step: step.step, due_on: step.dueOn, escalated_at: now.toISOString() }))));
      const messages: Messages = { notifications: [], emails: [] };
      for (const { row, rule, due } of plans) {
        const mine = due.filter((step) => inserted.has(`${row.id}/${step.step}`));
        if (mine.length === 0) continue;
        done.deadlines += 1;
        done.escalations += mine.length;
        const reference = await subjectType(row.subject_type)!.describe(tx, row.subject_id);
        for (const step of mine) done.notifications += await notify(tx, platform, { row, rule, step, reference, now }, messages);
      }
      await repository.insertNotifications(tx, messages.notifications);
      await repository.insertEmails(tx, messages.emails);
      return { ...done, claimed: rows.length };
    });
    // Counted once the batch has committed.
    totals.deadlines += batch.deadlines;
    totals.escalations += batch.escalations;
    totals.notifications += batch.notifications;
    if (batch.claimed < batchSize) break;
  }
  return totals;
}

interface Messages {
  readonly notifications: repository.NotificationRow[];
  readonly emails: repository.EmailRow[];
}

async function stepsTaken(tx: Tx, rows: readonly DeadlineRow[]): Promise<Map<string, Set<string>>> {
  const taken = new Map<string, Set<string>>();
  for (const e of await repository.escalationsOf(tx, rows.map((r) => r.id))) {
    taken.set(e.deadline_id, (taken.get(e.deadline_id) ?? new Set()).add(e.step));
  }
  return taken;
}

/** Tells the step's audience in the platform and by email (added to `messages`), and journals it; returns how many were told. */
async function notify(
  tx: Tx,
  platform: SweepPlatform,
  escalation: { row: DeadlineRow; rule: RuleVersion; step: ScheduledStep; reference: string; now: Date },
  messages: Messages,
): Promise<number> {
  const { row, rule, step, reference, now } = escalation;
  const recipients = [...new Set(await subjectType(row.subject_type)!.audience(tx, row.subject_id, step.audience))];
  const createdAt = now.toISOString();
  const text = translate('deadlines.notification.text', { reference, title: rule.definition.title, label: step.label, due: formatDate(row.due_on) });
  // The email says no more than the notification: a reference, never who the victim is.
  const subject = translate('deadlines.email.subject', { reference, title: rule.definition.title });
  const body = translate('deadlines.email.body', { text, link: new URL('/notifications', platform.config.baseUrl).href });
  for (const userId of recipients) {
    messages.notifications.push({ id: newId(), user_id: userId, kind: NOTIFICATION_KIND, subject_type: row.subject_type, subject_id: row.subject_id, text, created_at: createdAt, read_at: null });
    messages.emails.push({ id: newId(), to_user_id: userId, subject, body, created_at: createdAt, sent_at: null, attempts: 0 });
  }
  await platform.audit.record(tx, systemContext(), {
    action: 'alter',
    event: 'deadline.escalate',
    objectType: 'deadline',
    objectId: row.id,
    details: {
      subjectType: row.subject_type,
      subjectId: row.subject_id,
      rule: rule.key,
      ruleVersion: rule.version,
      step: step.step,
      stepDueOn: step.dueOn,
      recipients: recipients.length,
    },
  });
  return recipients.length;
}

/** Registers the sweep to run every five minutes. */
export function registerDeadlineSweep(runner: JobRunner, platform: SweepPlatform): void {
  runner.registerRecurring(SWEEP_JOB, { everyMinutes: 5 }, async (_job, context) => {
    await sweepDeadlines(platform, context.now);
  });
}
