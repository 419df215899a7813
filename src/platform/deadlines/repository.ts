// SQL for deadline rules, deadlines, escalations, notifications and the email outbox.
import type { Selectable } from 'kysely';
import type { Engine } from '../db/database.ts';
import type {
  DeadlineRulesTable,
  DeadlinesTable,
  EmailOutboxTable,
  NotificationsTable,
} from '../db/tables.ts';
import type { Db, Tx } from '../db/transaction.ts';

export type RuleRow = Selectable<DeadlineRulesTable>;
export type DeadlineRow = Selectable<DeadlinesTable>;
export type NotificationRow = Selectable<NotificationsTable>;
export type EmailRow = Selectable<EmailOutboxTable>;

// Rules

/** Adds a rule version; false when that key and version already exist. */
export async function insertRuleVersion(db: Db | Tx, row: RuleRow): Promise<boolean> {
  const inserted = await db
    .insertInto('deadline_rules')
    .values(row)
    .onConflict((oc) => oc.columns(['key', 'version']).doNothing())
    .returning('version')
    .executeTakeFirst();
  return inserted !== undefined;
}

export async function latestRuleVersionNumber(db: Db | Tx, key: string): Promise<number> {
  const row = await db.selectFrom('deadline_rules').select((eb) => eb.fn.max('version').as('max')).where('key', '=', key).executeTakeFirst();
  return Number(row?.max ?? 0);
}

export function findRuleVersion(db: Db | Tx, key: string, version: number): Promise<RuleRow | undefined> {
  return db.selectFrom('deadline_rules').selectAll().where('key', '=', key).where('version', '=', version).executeTakeFirst();
}

/** Every version of a rule that could apply to these organisations, oldest first. */
export function candidateRuleVersions(db: Db | Tx, key: string, organisationIds: readonly string[]): Promise<RuleRow[]> {
  return db
    .selectFrom('deadline_rules')
    .selectAll()
    .where('key', '=', key)
    .where((eb) => (organisationIds.length ? eb.or([eb('organisation_id', 'is', null), eb('organisation_id', 'in', organisationIds)]) : eb('organisation_id', 'is', null)))
    .orderBy('version')
    .execute();
}

export function ruleHistory(db: Db | Tx, key: string): Promise<RuleRow[]> {
  return db.selectFrom('deadline_rules').selectAll().where('key', '=', key).orderBy('version').execute();
}

// Deadlines

export async function insertDeadlines(db: Db | Tx, rows: readonly DeadlineRow[], organisations: readonly { deadline_id: string; organisation_id: string }[]): Promise<void> {
  for (const chunk of chunks(rows)) await db.insertInto('deadlines').values(chunk).execute();
  for (const chunk of chunks(organisations)) await db.insertInto('deadline_organisations').values(chunk).execute();
}

export function findDeadline(db: Db | Tx, id: string): Promise<DeadlineRow | undefined> {
  return db.selectFrom('deadlines').selectAll().where('id', '=', id).executeTakeFirst();
}

export function deadlinesOfSubject(db: Db | Tx, subjectType: string, subjectId: string): Promise<DeadlineRow[]> {
  return db.selectFrom('deadlines').selectAll().where('subject_type', '=', subjectType).where('subject_id', '=', subjectId).orderBy('due_on').orderBy('id').execute();
}

export async function unclosedIdsOf(db: Db | Tx, subjectType: string, subjectId: string): Promise<string[]> {
  const rows = await db.selectFrom('deadlines').select('id').where('subject_type', '=', subjectType).where('subject_id', '=', subjectId).where('status', 'in', ['open', 'paused']).execute();
  return rows.map((row) => row.id);
}

export function earliestOpenDue(db: Db | Tx, subjectType: string, subjectIds: readonly string[]): Promise<{ subject_id: string; due_on: string }[]> {
  return db
    .selectFrom('deadlines')
    .select((eb) => ['subject_id', eb.fn.min<string>('due_on').as('due_on')])
    .where('subject_type', '=', subjectType)
    .where('subject_id', 'in', [...subjectIds])
    .where('status', '=', 'open')
    .groupBy('subject_id')
    .execute();
}

export async function organisationsOf(db: Db | Tx, deadlineIds: readonly string[]): Promise<Map<string, string[]>> {
  const found = new Map<string, string[]>();
  if (deadlineIds.length === 0) return found;
  const rows = await db.selectFrom('deadline_organisations').selectAll().where('deadline_id', 'in', deadlineIds).orderBy('organisation_id').execute();
  for (const row of rows) found.set(row.deadline_id, [...(found.get(row.deadline_id) ?? []), row.organisation_id]);
  return found;
}

export function escalationsOf(db: Db | Tx, deadlineIds: readonly string[]) {
  if (deadlineIds.length === 0) return Promise.resolve([]);
  return db.selectFrom('deadline_escalations').selectAll().where('deadline_id', 'in', deadlineIds).orderBy('due_on').orderBy('step').execute();
}

/** Closes an open or paused deadline; false when it was already closed. */
export async function closeDeadline(tx: Tx, id: string, status: 'met' | 'cancelled', closedAt: string, reason: string | null): Promise<boolean> {
  const result = await tx
    .updateTable('deadlines')
    .set((eb) => ({ status, closed_at: closedAt, closed_reason: reason, next_step_due_on: null, paused_at: null, version: eb('version', '+', 1) }))
    .where('id', '=', id)
    .where('status', 'in', ['open', 'paused'])
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function pauseDeadline(tx: Tx, id: string, pausedAt: string, reason: string): Promise<boolean> {
  const result = await tx
    .updateTable('deadlines')
    .set((eb) => ({ status: 'paused', paused_at: pausedAt, paused_reason: reason, next_step_due_on: null, version: eb('version', '+', 1) }))
    .where('id', '=', id)
    .where('status', '=', 'open')
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function resumeDeadline(
  tx: Tx,
  id: string,
  pausedAt: string,
  change: { due_on: string; paused_days_total: number; next_step_due_on: string | null },
): Promise<boolean> {
  const result = await tx
    .updateTable('deadlines')
    .set((eb) => ({ ...change, status: 'open', paused_at: null, paused_reason: null, version: eb('version', '+', 1) }))
    .where('id', '=', id)
    .where('status', '=', 'paused')
    .where('paused_at', '=', pausedAt)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export interface DeadlineScope {
  readonly subjectType?: string | undefined;
  readonly subjectIds?: readonly string[] | undefined;
  readonly organisationIds?: readonly string[] | undefined;
}

/** Open deadlines in scope falling due between two dates inclusive, earliest first. */
export function openDueBetween(db: Db | Tx, scope: DeadlineScope, from: string | null, to: string, limit: number): Promise<DeadlineRow[]> {
  let query = db.selectFrom('deadlines').selectAll('deadlines').where('deadlines.status', '=', 'open').where('deadlines.due_on', '<=', to);
  if (from !== null) query = query.where('deadlines.due_on', '>=', from);
  if (scope.subjectType !== undefined) query = query.where('deadlines.subject_type', '=', scope.subjectType);
  if (scope.subjectIds !== undefined) query = query.where('deadlines.subject_id', 'in', scope.subjectIds.length ? scope.subjectIds : ['']);
  if (scope.organisationIds !== undefined) {
    const ids = scope.organisationIds.length ? scope.organisationIds : [''];
    query = query.where((eb) =>
      eb.exists(eb.selectFrom('deadline_organisations as o').select('o.deadline_id').whereRef('o.deadline_id', '=', 'deadlines.id').where('o.organisation_id', 'in', ids)),
    );
  }
  return query.orderBy('deadlines.due_on').orderBy('deadlines.id').limit(limit).execute();
}

// The sweep

/**
 * Open deadlines with a step due by `today`, for the subject types that can
 * be resolved. On PostgreSQL the rows are locked and rows another sweep holds
 * are skipped, so sweeps running together share the work without waiting.
 */
export function claimDue(tx: Tx, engine: Engine, today: string, subjectTypes: readonly string[], limit: number): Promise<DeadlineRow[]> {
  let query = tx
    .selectFrom('deadlines')
    .selectAll()
    .where('next_step_due_on', '<=', today)
    .where('status', '=', 'open')
    .where('subject_type', 'in', subjectTypes)
    .orderBy('next_step_due_on')
    .orderBy('id')
    .limit(limit);
  if (engine === 'postgres') query = query.forUpdate().skipLocked();
  return query.execute();
}

/**
 * Sets the next step of claimed deadlines, one statement per distinct date.
 * The claim holds these rows (PostgreSQL: FOR UPDATE; SQLite: the write lock
 * taken by BEGIN IMMEDIATE), so nothing has changed them since.
 */
export async function setNextSteps(tx: Tx, changes: readonly { id: string; next: string | null }[]): Promise<void> {
  const byDate = Map.groupBy(changes, (c) => c.next);
  for (const [next, group] of byDate) {
    for (const ids of chunks(group.map((c) => c.id))) {
      await tx.updateTable('deadlines').set((eb) => ({ next_step_due_on: next, version: eb('version', '+', 1) })).where('id', 'in', ids).where('status', '=', 'open').execute();
    }
  }
}

/**
 * Records steps as taken and returns those this call recorded ('deadline id/step'):
 * a step already recorded (by another sweep, or an earlier run) is left out.
 */
export async function insertEscalations(tx: Tx, rows: readonly { deadline_id: string; step: string; due_on: string; escalated_at: string }[]): Promise<Set<string>> {
  const inserted = new Set<string>();
  for (const chunk of chunks(rows)) {
    const returned = await tx
      .insertInto('deadline_escalations')
      .values(chunk)
      .onConflict((oc) => oc.columns(['deadline_id', 'step']).doNothing())
      .returning(['deadline_id', 'step'])
      .execute();
    for (const r of returned) inserted.add(`${r.deadline_id}/${r.step}`);
  }
  return inserted;
}

/** Rows in slices small enough for either engine's limit on bound parameters. */
function chunks<T>(rows: readonly T[], size = 500): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < rows.length; i += size) out.push(rows.slice(i, i + size));
  return out;
}

// Notifications and the email outbox

export async function insertNotifications(tx: Tx, rows: readonly NotificationRow[]): Promise<void> {
  for (const chunk of chunks(rows)) await tx.insertInto('notifications').values(chunk).execute();
}

export async function insertEmails(tx: Tx, rows: readonly EmailRow[]): Promise<void> {
  for (const chunk of chunks(rows)) await tx.insertInto('email_outbox').values(chunk).execute();
}

export function notificationsOf(db: Db | Tx, userId: string, limit: number): Promise<NotificationRow[]> {
  return db.selectFrom('notifications').selectAll().where('user_id', '=', userId).orderBy('created_at', 'desc').orderBy('id', 'desc').limit(limit).execute();
}

export async function countUnread(db: Db | Tx, userId: string): Promise<number> {
  const row = await db.selectFrom('notifications').select((eb) => eb.fn.countAll().as('count')).where('user_id', '=', userId).where('read_at', 'is', null).executeTakeFirst();
  return Number(row?.count ?? 0);
}

export async function countOwnNotifications(db: Db | Tx, userId: string, ids: readonly string[]): Promise<number> {
  const row = await db.selectFrom('notifications').select((eb) => eb.fn.countAll().as('count')).where('user_id', '=', userId).where('id', 'in', ids).executeTakeFirst();
  return Number(row?.count ?? 0);
}

export async function markRead(tx: Tx, userId: string, ids: readonly string[], readAt: string): Promise<number> {
  const result = await tx.updateTable('notifications').set({ read_at: readAt }).where('user_id', '=', userId).where('id', 'in', ids).where('read_at', 'is', null).executeTakeFirst();
  return Number(result.numUpdatedRows);
}
