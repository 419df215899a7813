// SQL for the case at court: hearings, sending to the Crown Court, outcomes and sentences.
import type { Db, Tx } from '../../platform/db/transaction.ts';
import type { CaseCourtOutcomesTable, CaseHearingsTable } from './tables.ts';
import './tables.ts';

type Executor = Db | Tx;

export async function hearingsOf(db: Executor, caseId: string): Promise<CaseHearingsTable[]> {
  return db.selectFrom('case_hearings').selectAll().where('case_id', '=', caseId).orderBy('listed_on').orderBy('id').execute();
}

export async function findHearing(db: Executor, caseId: string, hearingId: string): Promise<CaseHearingsTable | undefined> {
  return db.selectFrom('case_hearings').selectAll().where('case_id', '=', caseId).where('id', '=', hearingId).executeTakeFirst();
}

export async function insertHearing(db: Executor, row: CaseHearingsTable): Promise<void> {
  await db.insertInto('case_hearings').values(row).execute();
}

/** Changes a hearing that is still listed; false when someone else held or adjourned it first. */
export async function closeHearing(db: Executor, hearingId: string, changes: Pick<CaseHearingsTable, 'status'> & Partial<CaseHearingsTable>): Promise<boolean> {
  const result = await db.updateTable('case_hearings').set(changes).where('id', '=', hearingId).where('status', '=', 'listed').executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function sentToCrownCourtOn(db: Executor, caseId: string): Promise<string | null> {
  const row = await db.selectFrom('case_court').select('sent_to_crown_court_on').where('case_id', '=', caseId).executeTakeFirst();
  return row?.sent_to_crown_court_on ?? null;
}

export async function recordSending(db: Executor, caseId: string, on: string): Promise<void> {
  await db.insertInto('case_court').values({ case_id: caseId, sent_to_crown_court_on: on }).execute();
}

export async function suspectsOf(db: Executor, caseId: string): Promise<{ id: string; name: string }[]> {
  return db.selectFrom('case_people').select(['id', 'name']).where('case_id', '=', caseId).where('category', '=', 'suspect').orderBy('created_at').orderBy('id').execute();
}

/** The suspects a charging decision to charge names in the journal, if any does. */
export async function chargedSuspectIds(db: Executor, caseId: string): Promise<string[]> {
  const rows = await db.selectFrom('case_events').select('data').where('case_id', '=', caseId).where('type', '=', 'charging.decided').execute();
  const ids = new Set<string>();
  for (const row of rows) {
    try {
      const data = JSON.parse(row.data) as { decision?: unknown; suspectId?: unknown };
      if (data.decision === 'charge' && typeof data.suspectId === 'string') ids.add(data.suspectId);
    } catch {
      // An unreadable journal payload names no one.
    }
  }
  return [...ids];
}

export async function outcomesOf(db: Executor, caseId: string): Promise<CaseCourtOutcomesTable[]> {
  return db.selectFrom('case_court_outcomes').selectAll().where('case_id', '=', caseId).execute();
}

export async function insertOutcome(db: Executor, row: CaseCourtOutcomesTable): Promise<void> {
  await db.insertInto('case_court_outcomes').values(row).execute();
}

/** Records a sentence once; false when one was recorded first. */
export async function recordSentence(db: Executor, outcomeId: string, sentence: { sentence_type: string; sentence_months: number | null; sentenced_on: string }): Promise<boolean> {
  const result = await db.updateTable('case_court_outcomes').set(sentence).where('id', '=', outcomeId).where('sentence_type', 'is', null).executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}
