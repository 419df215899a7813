// The only SQL of a victim's withdrawals of support.
import type { Db, Tx } from '../../platform/db/transaction.ts';
import type { VictimWithdrawalsTable } from './tables.ts';
import './tables.ts';

type Executor = Db | Tx;

export interface WithdrawalRow extends VictimWithdrawalsTable {
  recorded_by_name: string;
}

/** A victim's withdrawals, newest first. */
export function withdrawalsOf(db: Executor, caseId: string, victimId: string): Promise<WithdrawalRow[]> {
  return db
    .selectFrom('victim_withdrawals')
    .innerJoin('users', 'users.id', 'victim_withdrawals.recorded_by_user_id')
    .selectAll('victim_withdrawals')
    .select('users.display_name as recorded_by_name')
    .where('victim_withdrawals.case_id', '=', caseId)
    .where('victim_withdrawals.victim_id', '=', victimId)
    .orderBy('victim_withdrawals.withdrawn_on', 'desc')
    .orderBy('victim_withdrawals.id', 'desc')
    .execute();
}

export async function insertWithdrawal(db: Executor, row: VictimWithdrawalsTable): Promise<void> {
  await db.insertInto('victim_withdrawals').values(row).execute();
}

/** Records a re-engagement after a withdrawal not yet followed by one; false if it already was. */
export async function reEngage(db: Executor, id: string, changes: Pick<VictimWithdrawalsTable, 're_engaged_on' | 're_engaged_how' | 're_engaged_recorded_by_user_id'>): Promise<boolean> {
  const result = await db.updateTable('victim_withdrawals').set(changes).where('id', '=', id).where('re_engaged_on', 'is', null).executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}
