// SQL for the victims' records shared by every victims' part: the victims of
// a case, the ISVAs supporting them, the communication plan's revisions, and
// the journal events that carry the case's key dates.
import type { Db, Tx } from '../platform/db/transaction.ts';
import type { VictimIsvasTable } from '../platform/db/tables.ts';
import type { VictimCommunicationPlansTable } from './tables.ts';

type Executor = Db | Tx;

export interface VictimRow {
  id: string;
  case_id: string;
  name: string;
  date_of_birth: string | null;
}

export function victimsOf(db: Executor, caseId: string): Promise<VictimRow[]> {
  return db.selectFrom('case_people').select(['id', 'case_id', 'name', 'date_of_birth']).where('case_id', '=', caseId).where('category', '=', 'victim').orderBy('created_at').orderBy('id').execute();
}

export function findVictim(db: Executor, caseId: string, victimId: string): Promise<VictimRow | undefined> {
  return db.selectFrom('case_people').select(['id', 'case_id', 'name', 'date_of_birth']).where('case_id', '=', caseId).where('id', '=', victimId).where('category', '=', 'victim').executeTakeFirst();
}

export interface IsvaRow extends VictimIsvasTable {
  isva_name: string;
  service_name: string;
}

/** The ISVAs supporting the case's victims now. */
export function activeIsvasOf(db: Executor, caseId: string): Promise<IsvaRow[]> {
  return db
    .selectFrom('victim_isvas')
    .innerJoin('users', 'users.id', 'victim_isvas.isva_user_id')
    .innerJoin('organisations', 'organisations.id', 'victim_isvas.isva_service_id')
    .selectAll('victim_isvas')
    .select(['users.display_name as isva_name', 'organisations.name as service_name'])
    .where('victim_isvas.case_id', '=', caseId)
    .where('victim_isvas.ended_at', 'is', null)
    .execute();
}

export interface ClientRow {
  case_id: string;
  victim_id: string;
  victim_name: string;
  police_reference: string;
  stage: string;
  started_at: string;
}

/** An ISVA's clients now, newest support first. */
export function clientsOf(db: Executor, isvaUserId: string): Promise<ClientRow[]> {
  return db
    .selectFrom('victim_isvas')
    .innerJoin('case_people', 'case_people.id', 'victim_isvas.victim_id')
    .innerJoin('cases', 'cases.id', 'victim_isvas.case_id')
    .select(['victim_isvas.case_id', 'victim_isvas.victim_id', 'case_people.name as victim_name', 'cases.police_reference', 'cases.stage', 'victim_isvas.started_at'])
    .where('victim_isvas.isva_user_id', '=', isvaUserId)
    .where('victim_isvas.ended_at', 'is', null)
    .orderBy('victim_isvas.started_at', 'desc')
    .orderBy('victim_isvas.id')
    .execute();
}

export async function insertIsva(db: Executor, row: VictimIsvasTable): Promise<void> {
  await db.insertInto('victim_isvas').values(row).execute();
}

/** Ends the victim's current ISVA support, if any; answers how many rows ended. */
export async function endIsvasOf(db: Executor, victimId: string, endedAt: string): Promise<number> {
  const result = await db.updateTable('victim_isvas').set({ ended_at: endedAt }).where('victim_id', '=', victimId).where('ended_at', 'is', null).executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/** ISVAs of every ISVA service, for choosing who supports a victim. */
export function isvaPeople(db: Executor): Promise<{ user_id: string; name: string; service_id: string; service_name: string }[]> {
  return db
    .selectFrom('memberships')
    .innerJoin('users', 'users.id', 'memberships.user_id')
    .innerJoin('organisations', 'organisations.id', 'memberships.organisation_id')
    .select(['users.id as user_id', 'users.display_name as name', 'organisations.id as service_id', 'organisations.name as service_name'])
    .where('memberships.role', '=', 'isva')
    .where('organisations.kind', '=', 'isva_service')
    .where('users.disabled_at', 'is', null)
    .orderBy('organisations.name')
    .orderBy('users.display_name')
    .execute();
}

export interface PlanRow extends VictimCommunicationPlansTable {
  recorded_by_name: string;
  agreed_with_isva_name: string | null;
}

function plans(db: Executor) {
  return db
    .selectFrom('victim_communication_plans')
    .innerJoin('users as recorder', 'recorder.id', 'victim_communication_plans.recorded_by_user_id')
    .leftJoin('users as isva', 'isva.id', 'victim_communication_plans.agreed_with_isva_user_id')
    .selectAll('victim_communication_plans')
    .select(['recorder.display_name as recorded_by_name', 'isva.display_name as agreed_with_isva_name']);
}

/** The plan in force: the latest agreed revision. */
export function currentPlan(db: Executor, victimId: string): Promise<PlanRow | undefined> {
  return plans(db).where('victim_communication_plans.victim_id', '=', victimId).orderBy('victim_communication_plans.revision', 'desc').limit(1).executeTakeFirst();
}

/** Every revision, newest first. */
export function planHistory(db: Executor, victimId: string): Promise<PlanRow[]> {
  return plans(db).where('victim_communication_plans.victim_id', '=', victimId).orderBy('victim_communication_plans.revision', 'desc').execute();
}

export async function insertPlan(db: Executor, row: VictimCommunicationPlansTable): Promise<void> {
  await db.insertInto('victim_communication_plans').values(row).execute();
}

/** Journal events of the case of the given types, oldest first. */
export function eventsOfTypes(db: Executor, caseId: string, types: readonly string[]): Promise<{ type: string; occurred_at: string; data: string }[]> {
  return db.selectFrom('case_events').select(['type', 'occurred_at', 'data']).where('case_id', '=', caseId).where('type', 'in', [...types]).orderBy('seq').execute();
}
