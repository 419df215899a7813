// The only SQL of the JOIM.
import type { Db, Tx } from '../../platform/db/transaction.ts';
import type { JoimActionsTable, JoimActionUpdatesTable, JoimAttendeesTable, JoimDecisionsTable, JoimMeetingsTable } from './tables.ts';
import './tables.ts';

type Executor = Db | Tx;

export interface OrganisationRow {
  id: string;
  code: string;
  name: string;
  kind: string;
}

export async function findOrganisation(db: Executor, id: string): Promise<OrganisationRow | undefined> {
  return db.selectFrom('organisations').select(['id', 'code', 'name', 'kind']).where('id', '=', id).executeTakeFirst();
}

/**
 * The organisations of the other kind an organisation holds (or could hold)
 * a JOIM with: those it shares cases with, and those it has met.
 */
export async function counterpartsOf(db: Executor, organisationId: string, side: 'police' | 'cps'): Promise<OrganisationRow[]> {
  const [mine, theirs] = side === 'police' ? (['force_id', 'cps_area_id'] as const) : (['cps_area_id', 'force_id'] as const);
  const shared = db.selectFrom('cases').select(`cases.${theirs} as id`).where(`cases.${mine}`, '=', organisationId);
  const met = db.selectFrom('joim_meetings').select(`joim_meetings.${theirs} as id`).where(`joim_meetings.${mine}`, '=', organisationId);
  return db.selectFrom('organisations').select(['id', 'code', 'name', 'kind'])
    .where((eb) => eb.or([eb('id', 'in', shared), eb('id', 'in', met)]))
    .where('kind', '=', side === 'police' ? 'cps_area' : 'police_force')
    .orderBy('name').orderBy('id').execute();
}

export interface MeetingRow extends JoimMeetingsTable {
  force_name: string;
  area_name: string;
  held_recorded_by_name: string | null;
  minutes_by_name: string | null;
}

const meetings = (db: Executor) => db.selectFrom('joim_meetings')
  .innerJoin('organisations as force', 'force.id', 'joim_meetings.force_id')
  .innerJoin('organisations as area', 'area.id', 'joim_meetings.cps_area_id')
  .leftJoin('users as held_by', 'held_by.id', 'joim_meetings.held_recorded_by')
  .leftJoin('users as minutes_by', 'minutes_by.id', 'joim_meetings.minutes_by')
  .selectAll('joim_meetings')
  .select(['force.name as force_name', 'area.name as area_name', 'held_by.display_name as held_recorded_by_name', 'minutes_by.display_name as minutes_by_name']);

export async function meetingsOfPair(db: Executor, forceId: string, cpsAreaId: string): Promise<MeetingRow[]> {
  return meetings(db).where('joim_meetings.force_id', '=', forceId).where('joim_meetings.cps_area_id', '=', cpsAreaId)
    .orderBy('joim_meetings.meets_on', 'desc').orderBy('joim_meetings.starts_at', 'desc').orderBy('joim_meetings.id').execute();
}

/** The meetings of every pair an organisation is in, for its list of pairs. */
export async function meetingsOf(db: Executor, organisationId: string): Promise<MeetingRow[]> {
  return meetings(db).where((eb) => eb.or([eb('joim_meetings.force_id', '=', organisationId), eb('joim_meetings.cps_area_id', '=', organisationId)]))
    .orderBy('joim_meetings.meets_on').orderBy('joim_meetings.starts_at').orderBy('joim_meetings.id').execute();
}

export async function findMeeting(db: Executor, id: string): Promise<MeetingRow | undefined> {
  return meetings(db).where('joim_meetings.id', '=', id).executeTakeFirst();
}

export async function insertMeeting(db: Executor, row: JoimMeetingsTable): Promise<void> {
  await db.insertInto('joim_meetings').values(row).execute();
}

/** Claims the version read and applies the change; false when someone else changed the meeting first. */
export async function updateMeeting(db: Executor, id: string, expected: number, changes: Partial<Omit<JoimMeetingsTable, 'id' | 'force_id' | 'cps_area_id' | 'version' | 'created_by' | 'created_at'>>): Promise<boolean> {
  const result = await db.updateTable('joim_meetings').set((eb) => ({ ...changes, version: eb('version', '+', 1) })).where('id', '=', id).where('version', '=', expected).executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export interface AttendeeRow extends JoimAttendeesTable {
  user_name: string | null;
  organisation_name: string | null;
}

export async function attendeesOf(db: Executor, meetingId: string): Promise<AttendeeRow[]> {
  return db.selectFrom('joim_attendees')
    .leftJoin('users', 'users.id', 'joim_attendees.user_id')
    .leftJoin('organisations', 'organisations.id', 'joim_attendees.organisation_id')
    .selectAll('joim_attendees').select(['users.display_name as user_name', 'organisations.name as organisation_name'])
    .where('joim_attendees.meeting_id', '=', meetingId).orderBy('joim_attendees.position').execute();
}

/** Attendance is recorded as a whole: the rows of the form replace those before. */
export async function replaceAttendees(db: Executor, meetingId: string, rows: readonly JoimAttendeesTable[]): Promise<void> {
  await db.deleteFrom('joim_attendees').where('meeting_id', '=', meetingId).execute();
  if (rows.length) await db.insertInto('joim_attendees').values([...rows]).execute();
}

export interface DecisionRow extends JoimDecisionsTable {
  recorded_by_name: string;
}

export async function decisionsOf(db: Executor, meetingId: string): Promise<DecisionRow[]> {
  return db.selectFrom('joim_decisions').innerJoin('users', 'users.id', 'joim_decisions.recorded_by')
    .selectAll('joim_decisions').select('users.display_name as recorded_by_name')
    .where('joim_decisions.meeting_id', '=', meetingId).orderBy('joim_decisions.number').execute();
}

export async function insertDecision(db: Executor, row: JoimDecisionsTable): Promise<void> {
  await db.insertInto('joim_decisions').values(row).execute();
}

export async function nextNumber(db: Executor, table: 'joim_decisions' | 'joim_actions', meetingId: string): Promise<number> {
  const row = await db.selectFrom(table).select((eb) => eb.fn.max('number').as('max')).where('meeting_id', '=', meetingId).executeTakeFirst();
  return Number(row?.max ?? 0) + 1;
}

export interface ActionRow extends JoimActionsTable {
  meets_on: string;
  force_name: string;
  area_name: string;
  owner_name: string;
  created_by_name: string;
}

const actions = (db: Executor) => db.selectFrom('joim_actions')
  .innerJoin('joim_meetings', 'joim_meetings.id', 'joim_actions.meeting_id')
  .innerJoin('organisations as force', 'force.id', 'joim_actions.force_id')
  .innerJoin('organisations as area', 'area.id', 'joim_actions.cps_area_id')
  .innerJoin('users as owner', 'owner.id', 'joim_actions.owner_user_id')
  .innerJoin('users as creator', 'creator.id', 'joim_actions.created_by')
  .selectAll('joim_actions')
  .select(['joim_meetings.meets_on', 'force.name as force_name', 'area.name as area_name', 'owner.display_name as owner_name', 'creator.display_name as created_by_name']);

export async function actionsOfMeeting(db: Executor, meetingId: string): Promise<ActionRow[]> {
  return actions(db).where('joim_actions.meeting_id', '=', meetingId).orderBy('joim_actions.number').execute();
}

/** A pair's actions with a status, earliest due first. */
export async function actionsOfPair(db: Executor, forceId: string, cpsAreaId: string, status: string): Promise<ActionRow[]> {
  return actions(db).where('joim_actions.force_id', '=', forceId).where('joim_actions.cps_area_id', '=', cpsAreaId).where('joim_actions.status', '=', status)
    .orderBy('joim_actions.due_on').orderBy('joim_actions.id').execute();
}

/** A person's own actions: open ones first (earliest due first), then the rest, latest closed first. */
export async function actionsOwnedBy(db: Executor, userId: string, limit: number): Promise<ActionRow[]> {
  const open = await actions(db).where('joim_actions.owner_user_id', '=', userId).where('joim_actions.status', '=', 'open')
    .orderBy('joim_actions.due_on').orderBy('joim_actions.id').limit(limit).execute();
  const closed = await actions(db).where('joim_actions.owner_user_id', '=', userId).where('joim_actions.status', '!=', 'open')
    .orderBy('joim_actions.closed_at', 'desc').orderBy('joim_actions.id').limit(limit).execute();
  return [...open, ...closed];
}

export async function findAction(db: Executor, id: string): Promise<ActionRow | undefined> {
  return actions(db).where('joim_actions.id', '=', id).executeTakeFirst();
}

export async function insertAction(db: Executor, row: JoimActionsTable): Promise<void> {
  await db.insertInto('joim_actions').values(row).execute();
}

export async function updateAction(db: Executor, id: string, expected: number, changes: Partial<Pick<JoimActionsTable, 'status' | 'closed_at' | 'updated_at'>>): Promise<boolean> {
  const result = await db.updateTable('joim_actions').set((eb) => ({ ...changes, version: eb('version', '+', 1) })).where('id', '=', id).where('version', '=', expected).executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export interface ActionUpdateRow extends JoimActionUpdatesTable {
  recorded_by_name: string;
}

export async function updatesOfAction(db: Executor, actionId: string): Promise<ActionUpdateRow[]> {
  return db.selectFrom('joim_action_updates').innerJoin('users', 'users.id', 'joim_action_updates.recorded_by')
    .selectAll('joim_action_updates').select('users.display_name as recorded_by_name')
    .where('joim_action_updates.action_id', '=', actionId).orderBy('joim_action_updates.recorded_at', 'desc').orderBy('joim_action_updates.id', 'desc').execute();
}

export async function insertActionUpdate(db: Executor, row: JoimActionUpdatesTable): Promise<void> {
  await db.insertInto('joim_action_updates').values(row).execute();
}

export interface PersonRow {
  user_id: string;
  name: string;
  organisation_id: string;
  organisation_name: string;
}

/** People who may sign in and belong to these organisations (with one of these roles, if given), by organisation and name. */
export async function peopleIn(db: Executor, organisationIds: readonly string[], roles?: readonly string[], userIds?: readonly string[]): Promise<PersonRow[]> {
  if (organisationIds.length === 0 || userIds?.length === 0) return [];
  let query = db.selectFrom('memberships')
    .innerJoin('users', 'users.id', 'memberships.user_id')
    .innerJoin('organisations', 'organisations.id', 'memberships.organisation_id')
    .select(['users.id as user_id', 'users.display_name as name', 'organisations.id as organisation_id', 'organisations.name as organisation_name'])
    .distinct()
    .where('memberships.organisation_id', 'in', [...organisationIds])
    .where('users.disabled_at', 'is', null);
  if (roles) query = query.where('memberships.role', 'in', [...roles]);
  if (userIds) query = query.where('users.id', 'in', [...userIds]);
  return query.orderBy('organisations.name').orderBy('users.display_name').orderBy('users.id').limit(2000).execute();
}

/** Whether the person may still sign in (for a reminder's audience). */
export async function activeUsers(db: Executor, userIds: readonly string[]): Promise<string[]> {
  if (userIds.length === 0) return [];
  const rows = await db.selectFrom('users').select('id').where('id', 'in', [...userIds]).where('disabled_at', 'is', null).execute();
  return rows.map((row) => row.id);
}

/** The senior leads of a pair: the force's escalation leads and the Area's heads of RASSO unit. */
export async function seniorLeadsOf(db: Executor, forceId: string, cpsAreaId: string): Promise<string[]> {
  const rows = await db.selectFrom('memberships').innerJoin('users', 'users.id', 'memberships.user_id').select('users.id').distinct()
    .where('users.disabled_at', 'is', null)
    .where((eb) => eb.or([
      eb.and([eb('memberships.organisation_id', '=', forceId), eb('memberships.role', '=', 'escalation_lead')]),
      eb.and([eb('memberships.organisation_id', '=', cpsAreaId), eb('memberships.role', '=', 'head_of_rasso')]),
    ]))
    .execute();
  return rows.map((row) => row.id);
}

/**
 * A shipped plan's action by the plan's key and the action's number, for the
 * demo only: the demo is written in one transaction, which the plans service
 * (reading outside it) cannot see.
 */
export async function shippedPlanAction(db: Executor, planKey: string, number: number): Promise<{ id: string; plan_id: string; plan_title: string } | undefined> {
  return db.selectFrom('plan_actions').innerJoin('plans', 'plans.id', 'plan_actions.plan_id')
    .select(['plan_actions.id', 'plan_actions.plan_id', 'plans.title as plan_title'])
    .where('plans.key', '=', planKey).where('plan_actions.number', '=', number).executeTakeFirst();
}
