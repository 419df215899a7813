// One way to run a unit of work atomically on either engine.
import type { Kysely, Transaction } from 'kysely';
import type { Tables } from './tables.ts';

export type Tx = Transaction<Tables>;
export type Db = Kysely<Tables>;

/** Runs `work` in one transaction; if it throws, nothing it wrote is kept. */
export function inTransaction<T>(db: Db, work: (tx: Tx) => Promise<T>): Promise<T> {
  return db.transaction().execute(work);
}
