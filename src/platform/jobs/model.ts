// Durable jobs: the types and the rules (retry backoff, recurring occurrences).
//
// A job is a row in `jobs`. It is enqueued in the same transaction as the
// change that calls for it, so it exists if and only if that change commits.
// A runner claims a due job by marking it running with a lock that expires
// (`locked_until`); if the runner dies, the lock runs out and the job becomes
// claimable again. Every claim adds one to `attempts`, and that count doubles
// as a fencing token: a runner can only complete or fail the job while the
// row still shows the attempt it claimed, so a runner that lost its lock
// cannot overwrite the work of the one that took over.
import type { JobsTable } from '../db/tables.ts';

export type JobStatus = JobsTable['status'];

export interface Job {
  readonly id: string;
  readonly kind: string;
  /** The JSON payload, parsed. Handlers check its shape. */
  readonly payload: unknown;
  readonly uniqueKey: string | null;
  readonly runAt: string;
  readonly status: JobStatus;
  /** Claims so far, including the current one when running. */
  readonly attempts: number;
  readonly maxAttempts: number;
  readonly lockedUntil: string | null;
  readonly lastError: string | null;
  readonly createdAt: string;
  readonly finishedAt: string | null;
}

export interface EnqueueInput {
  readonly kind: string;
  /** Any JSON-serialisable value. Keep personal data out: pass ids, not names. */
  readonly payload?: unknown;
  /** When the job becomes due; defaults to `now`. */
  readonly runAt?: Date | undefined;
  /** Makes enqueue idempotent: while any job with this key exists, enqueueing it again does nothing. */
  readonly uniqueKey?: string | undefined;
  readonly maxAttempts?: number | undefined;
  /** The time of enqueueing (created_at, and runAt's default); defaults to the system clock. */
  readonly now?: Date | undefined;
}

export const DEFAULT_MAX_ATTEMPTS = 5;

/** last_error is for diagnosis, not a log: keep it bounded. */
export const MAX_ERROR_LENGTH = 4000;

export function validateEnqueue(input: EnqueueInput): void {
  if (typeof input.kind !== 'string' || input.kind.trim() === '') throw new Error('A job needs a kind');
  const max = input.maxAttempts ?? DEFAULT_MAX_ATTEMPTS;
  if (!Number.isSafeInteger(max) || max < 1) throw new Error(`maxAttempts must be a whole number of 1 or more, got ${max}`);
  if (input.uniqueKey !== undefined && input.uniqueKey.trim() === '') throw new Error('A uniqueKey must not be blank');
  if (input.runAt !== undefined && Number.isNaN(input.runAt.getTime())) throw new Error('runAt is not a valid date');
}

/**
 * How long to wait before retrying after the given number of failed attempts:
 * 10 seconds, doubling each time, capped at an hour.
 */
export function retryDelayMs(attempts: number): number {
  return Math.min(10_000 * 2 ** Math.max(0, attempts - 1), 3_600_000);
}

export function describeError(error: unknown): string {
  const text = error instanceof Error ? (error.stack ?? `${error.name}: ${error.message}`) : String(error);
  return text.length > MAX_ERROR_LENGTH ? `${text.slice(0, MAX_ERROR_LENGTH - 1)}…` : text;
}

// Recurring work runs at fixed occurrences: every `everyMs` counted from the
// Unix epoch (so "every 5 minutes" runs at :00, :05, :10 UTC). Each occurrence
// is a job whose unique key names the kind and the occurrence time, so however
// many runners or restarts try to schedule it, it exists once and runs once.

/** The first occurrence strictly after `after`. */
export function nextOccurrence(after: Date, everyMs: number): Date {
  return new Date((Math.floor(after.getTime() / everyMs) + 1) * everyMs);
}

export function occurrenceKey(kind: string, occurrence: Date): string {
  return `recurring:${kind}:${occurrence.toISOString()}`;
}

/** The payload of a recurring occurrence, so a handler knows which one it is running. */
export interface OccurrencePayload {
  readonly occurrence: string;
}

export function rowToJob(row: JobsTable): Job {
  return {
    id: row.id,
    kind: row.kind,
    payload: JSON.parse(row.payload) as unknown,
    uniqueKey: row.unique_key,
    runAt: row.run_at,
    status: row.status,
    attempts: Number(row.attempts),
    maxAttempts: Number(row.max_attempts),
    lockedUntil: row.locked_until,
    lastError: row.last_error,
    createdAt: row.created_at,
    finishedAt: row.finished_at,
  };
}
