// SQL for attribution: a case's journal, oldest first, as attribution reads it.
import type { Db, Tx } from '../../platform/db/transaction.ts';

export async function journalOf(db: Db | Tx, caseId: string): Promise<{ type: string; occurred_at: string; data: string }[]> {
  return db.selectFrom('case_events').select(['type', 'occurred_at', 'data']).where('case_id', '=', caseId).orderBy('seq').execute();
}

export async function reportedOn(db: Db | Tx, caseId: string): Promise<string | undefined> {
  return (await db.selectFrom('cases').select('reported_on').where('id', '=', caseId).executeTakeFirst())?.reported_on;
}
