// SQL for the case file: cases, their people, team and journal, break-glass
// grants and API idempotency keys.
import { sql } from 'kysely';
import type { Db, Tx } from '../platform/db/transaction.ts';
import type {
  ApiIdempotencyKeysTable,
  CaseBreakGlassTable,
  CaseEventsTable,
  CasePeopleTable,
  CasesTable,
  CaseTeamTable,
} from '../platform/db/tables.ts';
import type { CaseSort, SortOrder } from './model.ts';

type Executor = Db | Tx;

export { isUniqueViolation } from '../platform/directory/repository.ts';

export interface CaseRow extends CasesTable {
  force_name: string;
  cps_area_name: string;
}

function casesWithOrganisations(db: Executor) {
  return db
    .selectFrom('cases')
    .innerJoin('organisations as force', 'force.id', 'cases.force_id')
    .innerJoin('organisations as area', 'area.id', 'cases.cps_area_id')
    .selectAll('cases')
    .select(['force.name as force_name', 'area.name as cps_area_name']);
}

export async function findCase(db: Executor, id: string): Promise<CaseRow | undefined> {
  return casesWithOrganisations(db).where('cases.id', '=', id).executeTakeFirst();
}

/** Cases of one organisation (as force or CPS Area) whose crime reference or URN is `reference`. */
export async function findCasesByReference(db: Executor, organisationId: string, reference: string): Promise<CasesTable[]> {
  return db
    .selectFrom('cases')
    .selectAll()
    .where((eb) => eb.or([eb('force_id', '=', organisationId), eb('cps_area_id', '=', organisationId)]))
    .where((eb) => eb.or([eb('police_reference', '=', reference), eb('cps_urn', '=', reference)]))
    .limit(10)
    .execute();
}

export async function findCaseByForceReference(db: Executor, forceId: string, reference: string): Promise<CasesTable | undefined> {
  return db.selectFrom('cases').selectAll().where('force_id', '=', forceId).where('police_reference', '=', reference).executeTakeFirst();
}

export async function insertCase(db: Executor, row: CasesTable): Promise<void> {
  await db.insertInto('cases').values(row).execute();
}

/** Optimistic update: returns false when the case's version has moved on. */
export async function updateCase(db: Executor, id: string, expectedVersion: number, changes: Partial<Pick<CasesTable, 'stage' | 'updated_at'>> & { updated_at: string }): Promise<boolean> {
  const result = await db
    .updateTable('cases')
    .set({ ...changes, version: expectedVersion + 1 })
    .where('id', '=', id)
    .where('version', '=', expectedVersion)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** Sets the stage without a version check: only while the case is being made, in the transaction that makes it. */
export async function setStage(db: Executor, id: string, stage: string): Promise<void> {
  await db.updateTable('cases').set({ stage }).where('id', '=', id).execute();
}

export async function peopleOf(db: Executor, caseId: string): Promise<CasePeopleTable[]> {
  return db.selectFrom('case_people').selectAll().where('case_id', '=', caseId).orderBy('created_at').orderBy('id').execute();
}

export async function insertPerson(db: Executor, row: CasePeopleTable): Promise<void> {
  await db.insertInto('case_people').values(row).execute();
}

export interface TeamRow extends CaseTeamTable {
  display_name: string;
  organisation_name: string;
}

/** The team, active allocations first, then the most recent. */
export async function teamOf(db: Executor, caseId: string): Promise<TeamRow[]> {
  return db
    .selectFrom('case_team')
    .innerJoin('users', 'users.id', 'case_team.user_id')
    .innerJoin('organisations', 'organisations.id', 'case_team.organisation_id')
    .selectAll('case_team')
    .select(['users.display_name', 'organisations.name as organisation_name'])
    .where('case_team.case_id', '=', caseId)
    .orderBy(sql`case when case_team.ended_at is null then 0 else 1 end`)
    .orderBy('case_team.allocated_at', 'desc')
    .orderBy('case_team.id', 'desc')
    .execute();
}

export async function activeTeamUserIds(db: Executor, caseId: string): Promise<string[]> {
  const rows = await db.selectFrom('case_team').select('user_id').where('case_id', '=', caseId).where('ended_at', 'is', null).execute();
  return rows.map((row) => row.user_id);
}

/** ISVAs supporting a victim in the case now. */
export async function activeIsvaUserIds(db: Executor, caseId: string): Promise<string[]> {
  const rows = await db.selectFrom('victim_isvas').select('isva_user_id').where('case_id', '=', caseId).where('ended_at', 'is', null).execute();
  return rows.map((row) => row.isva_user_id);
}

export async function insertAllocation(db: Executor, row: CaseTeamTable): Promise<void> {
  await db.insertInto('case_team').values(row).execute();
}

export async function endAllocation(db: Executor, id: string, endedAt: string): Promise<void> {
  await db.updateTable('case_team').set({ ended_at: endedAt }).where('id', '=', id).where('ended_at', 'is', null).execute();
}

export interface EventRow extends CaseEventsTable {
  actor_name: string | null;
}

export async function eventsOf(db: Executor, caseId: string): Promise<EventRow[]> {
  return db
    .selectFrom('case_events')
    .leftJoin('users', 'users.id', 'case_events.actor_user_id')
    .selectAll('case_events')
    .select('users.display_name as actor_name')
    .where('case_events.case_id', '=', caseId)
    .orderBy('case_events.seq', 'desc')
    .execute();
}

/** Appends an event after the case's last; the unique (case, seq) refuses a second writer after the same event. */
export async function appendEvent(db: Executor, event: Omit<CaseEventsTable, 'seq'>): Promise<number> {
  const last = await db.selectFrom('case_events').select((eb) => eb.fn.max('seq').as('seq')).where('case_id', '=', event.case_id).executeTakeFirst();
  const seq = Number(last?.seq ?? 0) + 1;
  await db.insertInto('case_events').values({ ...event, seq }).execute();
  return seq;
}

const sortColumns = {
  reference: 'cases.police_reference',
  stage: 'cases.stage',
  reported: 'cases.reported_on',
  updated: 'cases.updated_at',
} as const satisfies Record<CaseSort, string>;

/** A page of the cases on which the user holds an active allocation. */
export async function casesOfUser(db: Executor, userId: string, sort: CaseSort, order: SortOrder, offset: number, limit: number): Promise<{ rows: CaseRow[]; total: number }> {
  const mine = db.selectFrom('case_team').select('case_team.case_id').where('case_team.user_id', '=', userId).where('case_team.ended_at', 'is', null);
  const direction = order === 'ascending' ? 'asc' : 'desc';
  const rows = await casesWithOrganisations(db)
    .where('cases.id', 'in', mine)
    .orderBy(sortColumns[sort], direction)
    .orderBy('cases.id', direction)
    .offset(offset)
    .limit(limit)
    .execute();
  const count = await db.selectFrom('cases').select((eb) => eb.fn.countAll().as('total')).where('cases.id', 'in', mine).executeTakeFirst();
  return { rows, total: Number(count?.total ?? 0) };
}

export async function hasBreakGlass(db: Executor, caseId: string, userId: string, now: string): Promise<boolean> {
  const row = await db
    .selectFrom('case_break_glass')
    .select('id')
    .where('case_id', '=', caseId)
    .where('user_id', '=', userId)
    .where('expires_at', '>', now)
    .executeTakeFirst();
  return row !== undefined;
}

export async function insertBreakGlass(db: Executor, row: CaseBreakGlassTable): Promise<void> {
  await db.insertInto('case_break_glass').values(row).execute();
}

export async function findIdempotencyKey(db: Executor, userId: string, operation: string, key: string): Promise<ApiIdempotencyKeysTable | undefined> {
  return db
    .selectFrom('api_idempotency_keys')
    .selectAll()
    .where('user_id', '=', userId)
    .where('operation', '=', operation)
    .where('idempotency_key', '=', key)
    .executeTakeFirst();
}

export async function insertIdempotencyKey(db: Executor, row: ApiIdempotencyKeysTable): Promise<void> {
  await db.insertInto('api_idempotency_keys').values(row).execute();
}

/** CPS Areas, for choosing the one a new case goes to. */
export async function cpsAreas(db: Executor): Promise<{ id: string; name: string }[]> {
  return db.selectFrom('organisations').select(['id', 'name']).where('kind', '=', 'cps_area').orderBy('name').execute();
}

export async function findOrganisation(db: Executor, id: string): Promise<{ id: string; name: string; kind: string } | undefined> {
  return db.selectFrom('organisations').select(['id', 'name', 'kind']).where('id', '=', id).executeTakeFirst();
}

/** The platform roles a person holds in one organisation (none if they are disabled). */
export async function rolesIn(db: Executor, userId: string, organisationId: string): Promise<{ name: string; roles: string[] } | undefined> {
  const rows = await db
    .selectFrom('memberships')
    .innerJoin('users', 'users.id', 'memberships.user_id')
    .select(['users.display_name', 'memberships.role'])
    .where('memberships.user_id', '=', userId)
    .where('memberships.organisation_id', '=', organisationId)
    .where('users.disabled_at', 'is', null)
    .execute();
  return rows.length ? { name: rows[0]!.display_name, roles: rows.map((row) => row.role) } : undefined;
}

/** People in an organisation holding any of these roles, for the allocation form. */
export async function peopleWithRoles(db: Executor, organisationId: string, roles: readonly string[]): Promise<{ id: string; name: string; roles: string[] }[]> {
  if (roles.length === 0) return [];
  const rows = await db
    .selectFrom('memberships')
    .innerJoin('users', 'users.id', 'memberships.user_id')
    .select(['users.id', 'users.display_name', 'memberships.role'])
    .where('memberships.organisation_id', '=', organisationId)
    .where('memberships.role', 'in', [...roles])
    .where('users.disabled_at', 'is', null)
    .orderBy('users.display_name')
    .orderBy('users.id')
    .limit(500)
    .execute();
  const people = new Map<string, { id: string; name: string; roles: string[] }>();
  for (const row of rows) {
    const person = people.get(row.id) ?? { id: row.id, name: row.display_name, roles: [] };
    person.roles.push(row.role);
    people.set(row.id, person);
  }
  return [...people.values()];
}

/**
 * Who a deadline about a case tells: the active holders of `teamRoles` on its
 * team, and the people holding `forceRoles` in its force or `areaRoles` in its
 * CPS Area. Disabled accounts are told nothing.
 */
export async function caseAudience(db: Executor, caseId: string, teamRoles: readonly string[], forceRoles: readonly string[], areaRoles: readonly string[]): Promise<string[]> {
  const ids = new Set<string>();
  if (teamRoles.length) {
    const team = await db
      .selectFrom('case_team')
      .innerJoin('users', 'users.id', 'case_team.user_id')
      .select('case_team.user_id')
      .where('case_team.case_id', '=', caseId)
      .where('case_team.ended_at', 'is', null)
      .where('case_team.case_role', 'in', [...teamRoles])
      .where('users.disabled_at', 'is', null)
      .execute();
    for (const row of team) ids.add(row.user_id);
  }
  if (forceRoles.length || areaRoles.length) {
    const holders = await db
      .selectFrom('memberships')
      .innerJoin('cases', (join) => join.on('cases.id', '=', caseId))
      .innerJoin('users', 'users.id', 'memberships.user_id')
      .select('memberships.user_id')
      .where('users.disabled_at', 'is', null)
      .where((eb) => eb.or([
        ...(forceRoles.length ? [eb.and([eb('memberships.organisation_id', '=', eb.ref('cases.force_id')), eb('memberships.role', 'in', [...forceRoles])])] : []),
        ...(areaRoles.length ? [eb.and([eb('memberships.organisation_id', '=', eb.ref('cases.cps_area_id')), eb('memberships.role', 'in', [...areaRoles])])] : []),
      ]))
      .execute();
    for (const row of holders) ids.add(row.user_id);
  }
  return [...ids];
}
