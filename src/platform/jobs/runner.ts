// The scheduler loop: claims due jobs one at a time, runs the handler
// registered for each kind, and records the outcome. Any number of runners
// (threads of one process, or several processes) may share a database.
//
// Delivery is at least once: a job whose runner dies mid-way runs again once
// its lock expires. A handler that writes to the database can make its effect
// exactly once by doing its writes through `context.completeWith`, whose
// transaction also marks the job done and is rolled back if another runner
// has taken the job over in the meantime.
import type { Engine } from '../db/database.ts';
import type { Db, Tx } from '../db/transaction.ts';
import { inTransaction } from '../db/transaction.ts';
import type { Clock } from '../time/clock.ts';
import { systemClock } from '../time/clock.ts';
import { nextOccurrence, occurrenceKey } from './model.ts';
import type { Job, OccurrencePayload } from './model.ts';
import * as repository from './repository.ts';
import { claimNext, complete, enqueue, fail } from './service.ts';

export interface JobContext {
  /** The runner's clock time when the job was claimed. */
  readonly now: Date;
  readonly db: Db;
  /**
   * Runs `work` in a transaction that also marks this job done (and, for a
   * recurring job, schedules its next occurrence). Throws LostJobLockError, so
   * rolling `work` back, if the claim is no longer current. Inside `work`
   * use only `tx`: on SQLite the transaction holds the one connection, so a
   * query through `db` would wait for it forever.
   */
  completeWith<T>(work: (tx: Tx) => Promise<T>): Promise<T>;
}

/** Runs one job. Throwing fails the attempt (retried with backoff until maxAttempts). */
export type JobHandler = (job: Job, context: JobContext) => Promise<void>;

export class LostJobLockError extends Error {
  constructor(job: Job) {
    super(`Job ${job.id} (${job.kind}) attempt ${job.attempts} lost its lock to another runner`);
    this.name = 'LostJobLockError';
  }
}

export interface JobRunnerOptions {
  readonly db: Db;
  readonly engine: Engine;
  readonly clock?: Clock | undefined;
  /** How long to wait before looking again when no job is due. Default 1 second. */
  readonly pollIntervalMs?: number | undefined;
  /** How long a claimed job is locked; a handler should finish well within it. Default 5 minutes. */
  readonly lockForMs?: number | undefined;
  /** Told of handler failures (with the job) and of the runner's own errors. Default: console.error. */
  readonly onError?: ((error: unknown, job?: Job) => void) | undefined;
}

export interface RecurringOptions {
  readonly everyMinutes: number;
  readonly maxAttempts?: number | undefined;
}

interface Recurrence {
  readonly everyMs: number;
  readonly maxAttempts: number | undefined;
}

export class JobRunner {
  readonly #db: Db;
  readonly #engine: Engine;
  readonly #clock: Clock;
  readonly #pollIntervalMs: number;
  readonly #lockForMs: number;
  readonly #onError: (error: unknown, job?: Job) => void;
  readonly #handlers = new Map<string, JobHandler>();
  readonly #recurring = new Map<string, Recurrence>();
  #loop: Promise<void> | undefined;
  #stopping = false;
  #wake: (() => void) | undefined;

  constructor(options: JobRunnerOptions) {
    this.#db = options.db;
    this.#engine = options.engine;
    this.#clock = options.clock ?? systemClock;
    this.#pollIntervalMs = options.pollIntervalMs ?? 1_000;
    this.#lockForMs = options.lockForMs ?? 5 * 60_000;
    this.#onError = options.onError ?? ((error, job) => console.error(job ? `Job ${job.id} (${job.kind}) failed:` : 'Job runner error:', error));
  }

  /** Runs `handler` for jobs of `kind`. */
  register(kind: string, handler: JobHandler): this {
    if (this.#handlers.has(kind)) throw new Error(`A handler for job kind ${kind} is already registered`);
    this.#handlers.set(kind, handler);
    return this;
  }

  /**
   * Runs `handler` every `everyMinutes`, at occurrences counted from the Unix
   * epoch (see model.nextOccurrence). Each occurrence is a job with a unique
   * key; the next one is enqueued in the transaction that finishes the
   * current one (done, or failed for good), so the schedule survives restarts
   * without gaps or duplicates. An occurrence that runs late (say the service
   * was down) covers the ones it overlapped: the next is the first after it
   * finishes, not a backlog.
   */
  registerRecurring(kind: string, options: RecurringOptions, handler: JobHandler): this {
    const everyMs = Math.round(options.everyMinutes * 60_000);
    if (!Number.isFinite(everyMs) || everyMs < 1_000) throw new Error(`everyMinutes must be at least 1 second, got ${options.everyMinutes}`);
    this.register(kind, handler);
    this.#recurring.set(kind, { everyMs, maxAttempts: options.maxAttempts });
    return this;
  }

  get running(): boolean {
    return this.#loop !== undefined;
  }

  /** Schedules recurring work that has nothing queued, then polls until stopped. */
  async start(): Promise<void> {
    if (this.#loop) throw new Error('The job runner is already running');
    await this.ensureRecurring();
    this.#stopping = false;
    this.#loop = this.#poll();
  }

  /** Stops polling and waits for the job in hand, if any, to finish. */
  async stop(): Promise<void> {
    this.#stopping = true;
    this.#wake?.();
    await this.#loop;
    this.#loop = undefined;
  }

  /**
   * Makes sure every recurring kind has an occurrence to come. Skipped for a
   * kind with a job still queued or running, whose finishing schedules the next.
   */
  async ensureRecurring(): Promise<void> {
    for (const kind of this.#recurring.keys()) {
      if (await repository.hasUnfinished(this.#db, kind)) continue;
      await this.#enqueueNextOccurrence(this.#db, kind);
    }
  }

  /** Claims and runs one due job; returns it, or undefined when none was due. */
  async runOnce(): Promise<Job | undefined> {
    const now = this.#clock.now();
    const job = await claimNext(this.#db, this.#engine, {
      now,
      lockForMs: this.#lockForMs,
      kinds: [...this.#handlers.keys()],
      onAbandoned: (tx, abandoned) => this.#afterFinalOutcome(tx, abandoned),
    });
    if (!job) return undefined;

    let completed = false;
    const finish = async (tx: Tx): Promise<void> => {
      if (!(await complete(tx, job, this.#clock.now()))) throw new LostJobLockError(job);
      await this.#afterFinalOutcome(tx, job);
    };
    const context: JobContext = {
      now,
      db: this.#db,
      completeWith: async (work) => {
        const result = await inTransaction(this.#db, async (tx) => {
          const value = await work(tx);
          await finish(tx);
          return value;
        });
        completed = true;
        return result;
      },
    };

    try {
      await this.#handlers.get(job.kind)!(job, context);
      if (!completed) await inTransaction(this.#db, finish);
    } catch (error) {
      // Already done (the handler threw after completeWith), or taken over by
      // another runner: either way this attempt's outcome is not ours to record.
      if (!completed && !(error instanceof LostJobLockError)) {
        await inTransaction(this.#db, async (tx) => {
          if ((await fail(tx, job, error, this.#clock.now())) === 'failed') await this.#afterFinalOutcome(tx, job);
        });
      }
      this.#onError(error, job);
    }
    return job;
  }

  /** Runs due jobs until none is left; returns how many ran. For tests and one-off runs. */
  async runDue(): Promise<number> {
    let count = 0;
    while (await this.runOnce()) count += 1;
    return count;
  }

  async #poll(): Promise<void> {
    while (!this.#stopping) {
      let ran = false;
      try {
        ran = (await this.runOnce()) !== undefined;
      } catch (error) {
        this.#onError(error); // e.g. the database is unreachable: wait and try again
      }
      if (!ran && !this.#stopping) await this.#sleep(this.#pollIntervalMs);
    }
  }

  #sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done(): void {
        clearTimeout(timer);
        resolve();
      }
      this.#wake = done;
    });
  }

  /** After a job is done or has failed for good: a recurring kind's next occurrence. */
  async #afterFinalOutcome(tx: Tx, job: Job): Promise<void> {
    if (this.#recurring.has(job.kind)) await this.#enqueueNextOccurrence(tx, job.kind);
  }

  async #enqueueNextOccurrence(db: Db | Tx, kind: string): Promise<void> {
    const recurrence = this.#recurring.get(kind)!;
    const now = this.#clock.now();
    const occurrence = nextOccurrence(now, recurrence.everyMs);
    const payload: OccurrencePayload = { occurrence: occurrence.toISOString() };
    await enqueue(db, {
      kind,
      payload,
      runAt: occurrence,
      uniqueKey: occurrenceKey(kind, occurrence),
      maxAttempts: recurrence.maxAttempts,
      now,
    });
  }
}
