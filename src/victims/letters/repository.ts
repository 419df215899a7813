// The only SQL of letters to victims.
import type { Db, Tx } from '../../platform/db/transaction.ts';
import type { VictimLettersTable } from './tables.ts';
import './tables.ts';

type Executor = Db | Tx;

export interface LetterRow extends VictimLettersTable {
  created_by_name: string;
  dispatched_by_name: string | null;
}

function letters(db: Executor) {
  return db
    .selectFrom('victim_letters')
    .innerJoin('users as creator', 'creator.id', 'victim_letters.created_by_user_id')
    .leftJoin('users as sender', 'sender.id', 'victim_letters.dispatched_by_user_id')
    .selectAll('victim_letters')
    .select(['creator.display_name as created_by_name', 'sender.display_name as dispatched_by_name']);
}

/** A victim's letters, newest first. */
export function lettersOf(db: Executor, caseId: string, victimId: string): Promise<LetterRow[]> {
  return letters(db).where('victim_letters.case_id', '=', caseId).where('victim_letters.victim_id', '=', victimId).orderBy('victim_letters.created_at', 'desc').orderBy('victim_letters.id', 'desc').execute();
}

export function findLetter(db: Executor, caseId: string, victimId: string, letterId: string): Promise<LetterRow | undefined> {
  return letters(db).where('victim_letters.case_id', '=', caseId).where('victim_letters.victim_id', '=', victimId).where('victim_letters.id', '=', letterId).executeTakeFirst();
}

export async function insertLetter(db: Executor, row: VictimLettersTable): Promise<void> {
  await db.insertInto('victim_letters').values(row).execute();
}

/** Records a draft letter as sent; false if it was already sent. */
export async function markDispatched(db: Executor, id: string, changes: Pick<VictimLettersTable, 'dispatch_method' | 'sent_to' | 'plan_revision' | 'dispatched_by_user_id' | 'dispatched_at'>): Promise<boolean> {
  const result = await db.updateTable('victim_letters').set({ ...changes, status: 'dispatched' }).where('id', '=', id).where('status', '=', 'draft').executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** The names of the case's suspects: a letter must never contain one. */
export async function suspectNames(db: Executor, caseId: string): Promise<string[]> {
  return (await db.selectFrom('case_people').select('name').where('case_id', '=', caseId).where('category', '=', 'suspect').execute()).map((r) => r.name);
}
