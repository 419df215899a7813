// The only SQL of police decisions of no further action.
import type { Db, Tx } from '../../platform/db/transaction.ts';
import type { PoliceNfaDecisionsTable } from './tables.ts';
import './tables.ts';

type Executor = Db | Tx;

export interface NfaRow extends PoliceNfaDecisionsTable {
  proposed_by_name: string;
  signed_off_by_name: string | null;
}

/** A case's police NFA decisions and proposals, newest first. */
export async function decisionsOf(db: Executor, caseId: string): Promise<NfaRow[]> {
  return db
    .selectFrom('police_nfa_decisions')
    .innerJoin('users as proposer', 'proposer.id', 'police_nfa_decisions.proposed_by')
    .leftJoin('users as signer', 'signer.id', 'police_nfa_decisions.signed_off_by')
    .selectAll('police_nfa_decisions')
    .select(['proposer.display_name as proposed_by_name', 'signer.display_name as signed_off_by_name'])
    .where('police_nfa_decisions.case_id', '=', caseId)
    .orderBy('police_nfa_decisions.proposed_at', 'desc')
    .orderBy('police_nfa_decisions.id', 'desc')
    .execute();
}

export async function insertDecision(db: Executor, row: PoliceNfaDecisionsTable): Promise<void> {
  await db.insertInto('police_nfa_decisions').values(row).execute();
}

/** Signs off a proposal still awaiting sign-off; false if it no longer is. */
export async function signOff(db: Executor, id: string, changes: Pick<PoliceNfaDecisionsTable, 'signed_off_by' | 'signed_off_at' | 'victim_told_on' | 'victim_told_method'>): Promise<boolean> {
  const result = await db.updateTable('police_nfa_decisions').set({ ...changes, status: 'signed_off' }).where('id', '=', id).where('status', '=', 'proposed').executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** Sets aside a proposal not signed off (the case moved on, or a new proposal replaced it). */
export async function withdrawProposals(db: Executor, caseId: string): Promise<void> {
  await db.updateTable('police_nfa_decisions').set({ status: 'withdrawn' }).where('case_id', '=', caseId).where('status', '=', 'proposed').execute();
}
