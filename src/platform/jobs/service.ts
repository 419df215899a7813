// Commands on durable jobs: enqueue, claim, complete, fail.
import type { Engine } from '../db/database.ts';
import { newId } from '../db/ids.ts';
import type { Db, Tx } from '../db/transaction.ts';
import { inTransaction } from '../db/transaction.ts';
import { systemClock } from '../time/clock.ts';
import { DEFAULT_MAX_ATTEMPTS, describeError, retryDelayMs, rowToJob, validateEnqueue } from './model.ts';
import type { EnqueueInput, Job, JobStatus } from './model.ts';
import * as repository from './repository.ts';

export interface EnqueueResult {
  /** The job holding this work: the new one, or the existing one with the same uniqueKey. */
  readonly id: string;
  /** False when a job with the same uniqueKey already existed and nothing was added. */
  readonly created: boolean;
}

/**
 * Adds a job. Pass the caller's transaction so the job exists if and only if
 * the change that calls for it commits. With a uniqueKey, a second enqueue of
 * the same key (at any time, whatever became of the first job) does nothing.
 */
export async function enqueue(db: Db | Tx, input: EnqueueInput): Promise<EnqueueResult> {
  validateEnqueue(input);
  const now = input.now ?? systemClock.now();
  const id = newId();
  const inserted = await repository.insertJob(db, {
    id,
    kind: input.kind,
    payload: JSON.stringify(input.payload ?? null),
    unique_key: input.uniqueKey ?? null,
    run_at: (input.runAt ?? now).toISOString(),
    status: 'queued',
    attempts: 0,
    max_attempts: input.maxAttempts ?? DEFAULT_MAX_ATTEMPTS,
    locked_until: null,
    last_error: null,
    created_at: now.toISOString(),
    finished_at: null,
  });
  if (inserted !== undefined) return { id: inserted, created: true };
  // The insert clashed on unique_key (only a keyed job can clash).
  const existing = await repository.findJobByUniqueKey(db, input.uniqueKey!);
  if (!existing) throw new Error(`Job with unique key ${input.uniqueKey} clashed but cannot be found`);
  return { id: existing.id, created: false };
}

export interface ClaimOptions {
  readonly now: Date;
  /** How long the claimer has before others may take the job over. */
  readonly lockForMs: number;
  /** Only these kinds (the ones the claimer can run); all kinds when absent. */
  readonly kinds?: readonly string[] | undefined;
  /**
   * Called, in the claiming transaction, for each job given up because its
   * lock expired on its last attempt (see repository.failAbandoned), so the
   * caller can do what it does after any final failure.
   */
  readonly onAbandoned?: ((tx: Tx, job: Job) => Promise<void>) | undefined;
}

/** Atomically claims one due job, or returns undefined when none is due. */
export async function claimNext(db: Db, engine: Engine, options: ClaimOptions): Promise<Job | undefined> {
  if (!Number.isSafeInteger(options.lockForMs) || options.lockForMs <= 0) {
    throw new Error(`lockForMs must be a positive whole number, got ${options.lockForMs}`);
  }
  const now = options.now.toISOString();
  const lockedUntil = new Date(options.now.getTime() + options.lockForMs).toISOString();
  return inTransaction(db, async (tx) => {
    const abandoned = await repository.failAbandoned(tx, engine, now, options.kinds, ABANDONED);
    for (const row of abandoned) await options.onAbandoned?.(tx, rowToJob(row));
    const row = await repository.claimDue(tx, engine, now, lockedUntil, options.kinds);
    return row ? rowToJob(row) : undefined;
  });
}

const ABANDONED =
  'Gave up: the lock expired during the last attempt, so the runner stopped (or the job outran its lock) before finishing.';

/**
 * Marks a claimed job done. Returns false, changing nothing, when the claim is
 * no longer current (the lock expired and another runner took the job over).
 */
export function complete(db: Db | Tx, job: Job, now: Date): Promise<boolean> {
  return repository.markDone(db, job.id, job.attempts, now.toISOString());
}

export type FailOutcome = 'retrying' | 'failed' | 'lost';

/**
 * Records a failed attempt: queues a retry after a backoff while attempts
 * remain, otherwise marks the job failed; either way keeps the error in
 * last_error. 'lost' means the claim was no longer current and nothing changed.
 */
export async function fail(db: Db | Tx, job: Job, error: unknown, now: Date): Promise<FailOutcome> {
  const lastError = describeError(error);
  if (job.attempts < job.maxAttempts) {
    const runAt = new Date(now.getTime() + retryDelayMs(job.attempts)).toISOString();
    return (await repository.markRetry(db, job.id, job.attempts, runAt, lastError)) ? 'retrying' : 'lost';
  }
  return (await repository.markFailed(db, job.id, job.attempts, now.toISOString(), lastError)) ? 'failed' : 'lost';
}

export async function getJob(db: Db | Tx, id: string): Promise<Job | undefined> {
  const row = await repository.findJob(db, id);
  return row ? rowToJob(row) : undefined;
}

export async function listJobs(
  db: Db | Tx,
  filter: { kind?: string | undefined; status?: JobStatus | readonly JobStatus[] | undefined } = {},
): Promise<Job[]> {
  return (await repository.listJobs(db, filter)).map(rowToJob);
}
