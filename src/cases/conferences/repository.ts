// SQL for conferences, their attendees and actions.
import type { Db, Tx } from '../../platform/db/transaction.ts';
import type { CaseConferenceActionsTable, CaseConferenceAttendeesTable, CaseConferencesTable } from './tables.ts';
import './tables.ts';

type Executor = Db | Tx;

export async function insertConference(db: Executor, row: CaseConferencesTable): Promise<void> {
  await db.insertInto('case_conferences').values(row).execute();
}

export async function insertAttendee(db: Executor, row: CaseConferenceAttendeesTable): Promise<void> {
  await db.insertInto('case_conference_attendees').values(row).execute();
}

export async function insertAction(db: Executor, row: CaseConferenceActionsTable): Promise<void> {
  await db.insertInto('case_conference_actions').values(row).execute();
}

/** A case's conferences, the most recently held first. */
export async function conferencesOf(db: Executor, caseId: string): Promise<(CaseConferencesTable & { recorded_by_name: string })[]> {
  return db
    .selectFrom('case_conferences')
    .innerJoin('users', 'users.id', 'case_conferences.recorded_by')
    .selectAll('case_conferences')
    .select('users.display_name as recorded_by_name')
    .where('case_conferences.case_id', '=', caseId)
    .orderBy('case_conferences.held_on', 'desc')
    .orderBy('case_conferences.id', 'desc')
    .execute();
}

export async function attendeesOf(db: Executor, caseId: string): Promise<(CaseConferenceAttendeesTable & { user_name: string | null; user_organisation: string | null })[]> {
  return db
    .selectFrom('case_conference_attendees as a')
    .innerJoin('case_conferences as c', 'c.id', 'a.conference_id')
    .leftJoin('users', 'users.id', 'a.user_id')
    .selectAll('a')
    .select((eb) => [
      'users.display_name as user_name',
      // The organisation they were on the team for (one person is on one side of a case).
      eb.selectFrom('case_team')
        .innerJoin('organisations', 'organisations.id', 'case_team.organisation_id')
        .select('organisations.name')
        .whereRef('case_team.user_id', '=', 'a.user_id')
        .whereRef('case_team.case_id', '=', 'c.case_id')
        .orderBy('case_team.allocated_at', 'desc')
        .limit(1)
        .as('user_organisation'),
    ])
    .where('c.case_id', '=', caseId)
    .orderBy('a.conference_id')
    .orderBy('a.position')
    .execute();
}

export async function actionsOf(db: Executor, caseId: string): Promise<(CaseConferenceActionsTable & { done_by_name: string | null })[]> {
  return db
    .selectFrom('case_conference_actions')
    .leftJoin('users', 'users.id', 'case_conference_actions.done_by')
    .selectAll('case_conference_actions')
    .select('users.display_name as done_by_name')
    .where('case_conference_actions.case_id', '=', caseId)
    .orderBy('case_conference_actions.conference_id')
    .orderBy('case_conference_actions.position')
    .execute();
}

export async function findAction(db: Executor, caseId: string, actionId: string): Promise<CaseConferenceActionsTable | undefined> {
  return db.selectFrom('case_conference_actions').selectAll().where('case_id', '=', caseId).where('id', '=', actionId).executeTakeFirst();
}

/** Marks an action done, once: false when it already was. */
export async function markActionDone(db: Executor, actionId: string, doneAt: string, doneBy: string): Promise<boolean> {
  const result = await db.updateTable('case_conference_actions').set({ done_at: doneAt, done_by: doneBy }).where('id', '=', actionId).where('done_at', 'is', null).executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** Whether the case has a conference of this kind (e.g. the meeting before a police NFA). */
export async function hasConference(db: Executor, caseId: string, kind: string): Promise<boolean> {
  return (await db.selectFrom('case_conferences').select('id').where('case_id', '=', caseId).where('kind', '=', kind).executeTakeFirst()) !== undefined;
}
