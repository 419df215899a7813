// A durable recurring job that deletes API idempotency keys older than a day.
// A client retrying a create after that is making a new request; keeping the
// stored answers longer would only keep copies of case data about. The job
// runs hourly at fixed occurrences, once however many processes run it, and
// deletes in bounded batches so a backlog never holds a long transaction.
// (It lives with the queues because both are the case file's housekeeping of
// its own work; the table is the case file's.)
import type { Db, Tx } from '../../platform/db/transaction.ts';
import type { JobRunner } from '../../platform/jobs/runner.ts';

export const IDEMPOTENCY_PURGE_JOB = 'cases.idempotency-keys.purge';
export const IDEMPOTENCY_KEY_LIFETIME_MS = 24 * 60 * 60 * 1000;
const BATCH = 1000;

/** Deletes up to `batch` keys created before `before`; answers how many went. */
async function purgeBatch(tx: Db | Tx, before: string, batch: number): Promise<number> {
  const old = tx.selectFrom('api_idempotency_keys').select('created_at').where('created_at', '<', before).orderBy('created_at').limit(batch);
  const rows = await old.execute();
  if (rows.length === 0) return 0;
  const last = rows.at(-1)!.created_at;
  const result = await tx.deleteFrom('api_idempotency_keys').where('created_at', '<', before).where('created_at', '<=', last).executeTakeFirst();
  return Number(result.numDeletedRows);
}

/** Deletes every key older than the lifetime at `now`, batch by batch; answers how many went. */
export async function purgeIdempotencyKeys(db: Db, now: Date, batch = BATCH): Promise<number> {
  const before = new Date(now.getTime() - IDEMPOTENCY_KEY_LIFETIME_MS).toISOString();
  let total = 0;
  for (;;) {
    const deleted = await db.transaction().execute((tx) => purgeBatch(tx, before, batch));
    total += deleted;
    if (deleted === 0) return total;
  }
}

export function registerIdempotencyPurge(runner: JobRunner, db: Db): void {
  runner.registerRecurring(IDEMPOTENCY_PURGE_JOB, { everyMinutes: 60 }, async (_job, context) => {
    await purgeIdempotencyKeys(db, context.now);
    await context.completeWith(async () => undefined);
  });
}
