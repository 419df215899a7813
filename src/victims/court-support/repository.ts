// The only SQL of court support: special measures applications and the pre-trial meeting.
import type { Db, Tx } from '../../platform/db/transaction.ts';
import type { VictimPreTrialMeetingsTable, VictimSpecialMeasuresTable } from './tables.ts';
import './tables.ts';

type Executor = Db | Tx;

export interface ApplicationRow extends VictimSpecialMeasuresTable {
  recorded_by_name: string;
}

/** A victim's applications, newest first. */
export function applicationsOf(db: Executor, caseId: string, victimId: string): Promise<ApplicationRow[]> {
  return db
    .selectFrom('victim_special_measures')
    .innerJoin('users', 'users.id', 'victim_special_measures.recorded_by_user_id')
    .selectAll('victim_special_measures')
    .select('users.display_name as recorded_by_name')
    .where('victim_special_measures.case_id', '=', caseId)
    .where('victim_special_measures.victim_id', '=', victimId)
    .orderBy('victim_special_measures.applied_on', 'desc')
    .orderBy('victim_special_measures.id', 'desc')
    .execute();
}

export async function insertApplication(db: Executor, row: VictimSpecialMeasuresTable): Promise<void> {
  await db.insertInto('victim_special_measures').values(row).execute();
}

/** Records the outcome of an application not yet decided; false if it was decided already. */
export async function decide(db: Executor, id: string, outcome: string, decidedOn: string): Promise<boolean> {
  const result = await db.updateTable('victim_special_measures').set({ outcome, decided_on: decidedOn }).where('id', '=', id).where('outcome', 'is', null).executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export function meetingOf(db: Executor, caseId: string, victimId: string): Promise<VictimPreTrialMeetingsTable | undefined> {
  return db.selectFrom('victim_pre_trial_meetings').selectAll().where('case_id', '=', caseId).where('victim_id', '=', victimId).executeTakeFirst();
}

export async function insertMeeting(db: Executor, row: VictimPreTrialMeetingsTable): Promise<void> {
  await db.insertInto('victim_pre_trial_meetings').values(row).execute();
}

export async function updateMeeting(db: Executor, id: string, changes: Partial<Pick<VictimPreTrialMeetingsTable, 'accepted' | 'held_on' | 'recorded_by_user_id' | 'updated_at'>>): Promise<void> {
  await db.updateTable('victim_pre_trial_meetings').set(changes).where('id', '=', id).execute();
}
