// SQL for durable jobs. Instants are ISO-8601 UTC text, which sorts in time order.
import type { Engine } from '../db/database.ts';
import type { JobsTable } from '../db/tables.ts';
import type { Db, Tx } from '../db/transaction.ts';

type Executor = Db | Tx;

/** Inserts a job; on a clash of unique_key inserts nothing and returns undefined. */
export async function insertJob(db: Executor, row: JobsTable): Promise<string | undefined> {
  const inserted = await db
    .insertInto('jobs')
    .values(row)
    .onConflict((oc) => oc.column('unique_key').doNothing())
    .returning('id')
    .executeTakeFirst();
  return inserted?.id;
}

export function findJob(db: Executor, id: string): Promise<JobsTable | undefined> {
  return db.selectFrom('jobs').selectAll().where('id', '=', id).executeTakeFirst();
}

export function findJobByUniqueKey(db: Executor, uniqueKey: string): Promise<JobsTable | undefined> {
  return db.selectFrom('jobs').selectAll().where('unique_key', '=', uniqueKey).executeTakeFirst();
}

export interface JobFilter {
  readonly kind?: string | undefined;
  readonly status?: JobsTable['status'] | readonly JobsTable['status'][] | undefined;
}

/** Jobs in the order they were created (ids are UUID v7, so time-ordered). */
export function listJobs(db: Executor, filter: JobFilter = {}): Promise<JobsTable[]> {
  let query = db.selectFrom('jobs').selectAll();
  if (filter.kind !== undefined) query = query.where('kind', '=', filter.kind);
  if (typeof filter.status === 'string') query = query.where('status', '=', filter.status);
  else if (filter.status !== undefined) query = query.where('status', 'in', filter.status);
  return query.orderBy('id').execute();
}

/**
 * Claims the next due job: queued and due, or running with an expired lock
 * (its runner died) and attempts left. Marks it running until `lockedUntil`
 * and counts the attempt.
 *
 * PostgreSQL: the subquery locks the chosen row FOR UPDATE SKIP LOCKED, so
 * concurrent claimers each take a different row without waiting on each other;
 * a claimer that reaches a row just claimed and committed by another re-checks
 * it against the WHERE clause and passes over it. SQLite: transactions in this
 * project begin IMMEDIATE and hold the database's single write lock, so claims
 * are already serial and the row cannot change between choosing and updating.
 */
export async function claimDue(
  tx: Tx,
  engine: Engine,
  now: string,
  lockedUntil: string,
  kinds: readonly string[] | undefined,
): Promise<JobsTable | undefined> {
  if (kinds !== undefined && kinds.length === 0) return undefined;
  let next = tx
    .selectFrom('jobs')
    .select('id')
    .where((eb) =>
      eb.or([
        eb.and([eb('status', '=', 'queued'), eb('run_at', '<=', now)]),
        eb.and([eb('status', '=', 'running'), eb('locked_until', '<=', now), eb('attempts', '<', eb.ref('max_attempts'))]),
      ]),
    )
    .orderBy('run_at')
    .orderBy('id')
    .limit(1);
  if (kinds !== undefined) next = next.where('kind', 'in', kinds);
  if (engine === 'postgres') next = next.forUpdate().skipLocked();
  return tx
    .updateTable('jobs')
    .set((eb) => ({ status: 'running', attempts: eb('attempts', '+', 1), locked_until: lockedUntil }))
    .where('id', '=', next)
    .returningAll()
    .executeTakeFirst();
}

/**
 * Gives up on jobs whose runner's lock expired on their last attempt: they
 * may be what killed the runner, so they are not run again.
 */
export async function failAbandoned(
  tx: Tx,
  engine: Engine,
  now: string,
  kinds: readonly string[] | undefined,
  lastError: string,
): Promise<JobsTable[]> {
  if (kinds !== undefined && kinds.length === 0) return [];
  let abandoned = tx
    .selectFrom('jobs')
    .select('id')
    .where('status', '=', 'running')
    .where('locked_until', '<=', now)
    .where((eb) => eb('attempts', '>=', eb.ref('max_attempts')));
  if (kinds !== undefined) abandoned = abandoned.where('kind', 'in', kinds);
  if (engine === 'postgres') abandoned = abandoned.forUpdate().skipLocked();
  return tx
    .updateTable('jobs')
    .set({ status: 'failed', locked_until: null, finished_at: now, last_error: lastError })
    .where('id', 'in', abandoned)
    .returningAll()
    .execute();
}

// The three ways a claimed job ends its attempt. Each only takes effect while
// the row still shows the claim (`running`, same attempt count), and returns
// whether it did.

export async function markDone(db: Executor, id: string, attempts: number, now: string): Promise<boolean> {
  const result = await db
    .updateTable('jobs')
    .set({ status: 'done', locked_until: null, finished_at: now })
    .where('id', '=', id)
    .where('status', '=', 'running')
    .where('attempts', '=', attempts)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function markRetry(db: Executor, id: string, attempts: number, runAt: string, lastError: string): Promise<boolean> {
  const result = await db
    .updateTable('jobs')
    .set({ status: 'queued', run_at: runAt, locked_until: null, last_error: lastError })
    .where('id', '=', id)
    .where('status', '=', 'running')
    .where('attempts', '=', attempts)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function markFailed(db: Executor, id: string, attempts: number, now: string, lastError: string): Promise<boolean> {
  const result = await db
    .updateTable('jobs')
    .set({ status: 'failed', locked_until: null, finished_at: now, last_error: lastError })
    .where('id', '=', id)
    .where('status', '=', 'running')
    .where('attempts', '=', attempts)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** Whether any job of this kind is still to run or running. */
export async function hasUnfinished(db: Executor, kind: string): Promise<boolean> {
  const row = await db
    .selectFrom('jobs')
    .select('id')
    .where('kind', '=', kind)
    .where('status', 'in', ['queued', 'running'])
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}
