// SQL for the work queues. Every query starts from an indexed, selective
// column (the actor's active allocations, their notifications, or their
// organisation's cases by stage) and pages with LIMIT/OFFSET after a stable
// ORDER BY; counts are separate, cheap index reads.
import { CompiledQuery, sql } from 'kysely';
import type { Db, Tx } from '../../platform/db/transaction.ts';
import type { CasesTable } from '../../platform/db/tables.ts';
import type { CaseSort, SortOrder, Stage } from '../model.ts';
import type { TeamFilter } from './model.ts';

type Executor = Db | Tx;
export interface QueueCaseRow extends CasesTable {
  force_name: string;
  cps_area_name: string;
}

const sortColumns = {
  reference: 'cases.police_reference',
  stage: 'cases.stage',
  reported: 'cases.reported_on',
  updated: 'cases.updated_at',
} as const satisfies Record<CaseSort, string>;

function casesWithOrganisations(db: Executor) {
  return db
    .selectFrom('cases')
    .innerJoin('organisations as force', 'force.id', 'cases.force_id')
    .innerJoin('organisations as area', 'area.id', 'cases.cps_area_id')
    .selectAll('cases')
    .select(['force.name as force_name', 'area.name as cps_area_name']);
}

const activeCasesOf = (db: Executor, userId: string, roles?: readonly string[]) => {
  let query = db.selectFrom('case_team').select('case_team.case_id').where('case_team.user_id', '=', userId).where('case_team.ended_at', 'is', null);
  if (roles) query = query.where('case_team.case_role', 'in', [...roles]);
  return query;
};

/** Cases at a stage waiting on a side on which the user holds one of that side's roles. */
export async function awaiting(db: Executor, userId: string, sides: readonly { roles: readonly string[]; stages: readonly Stage[] }[], sort: CaseSort, order: SortOrder, offset: number, limit: number): Promise<{ rows: QueueCaseRow[]; total: number }> {
  const usable = sides.filter((s) => s.roles.length && s.stages.length);
  if (usable.length === 0) return { rows: [], total: 0 };
  const where = <T extends { where: (...args: any[]) => T }>(query: T): T =>
    query.where((eb: any) => eb.or(usable.map((s) => eb.and([eb('cases.id', 'in', activeCasesOf(db, userId, s.roles)), eb('cases.stage', 'in', [...s.stages])]))));
  const direction = order === 'ascending' ? 'asc' : 'desc';
  const rows = await where(casesWithOrganisations(db)).orderBy(sortColumns[sort], direction).orderBy('cases.id', direction).offset(offset).limit(limit).execute();
  const count = await where(db.selectFrom('cases').select((eb) => eb.fn.countAll().as('total'))).executeTakeFirst();
  return { rows, total: Number(count?.total ?? 0) };
}

export interface DueRow {
  deadline_id: string;
  rule_key: string;
  rule_version: number;
  due_on: string;
  case_id: string;
  police_reference: string;
  stage: string;
}

/** Open deadlines of the user's cases due between two dates (either may be open-ended), earliest first. */
export async function dueOnTeamCases(db: Executor, userId: string, from: string | null, to: string | null, offset: number, limit: number): Promise<{ rows: DueRow[]; total: number }> {
  const base = () => {
    let query = db
      .selectFrom('deadlines')
      .innerJoin('cases', 'cases.id', 'deadlines.subject_id')
      .where('deadlines.subject_type', '=', 'case')
      .where('deadlines.status', '=', 'open')
      .where('deadlines.subject_id', 'in', activeCasesOf(db, userId));
    if (from) query = query.where('deadlines.due_on', '>=', from);
    if (to) query = query.where('deadlines.due_on', '<=', to);
    return query;
  };
  const rows = await base()
    .select(['deadlines.id as deadline_id', 'deadlines.rule_key', 'deadlines.rule_version', 'deadlines.due_on', 'cases.id as case_id', 'cases.police_reference', 'cases.stage'])
    .orderBy('deadlines.due_on')
    .orderBy('deadlines.id')
    .offset(offset)
    .limit(limit)
    .execute();
  const count = await base().select((eb) => eb.fn.countAll().as('total')).executeTakeFirst();
  return { rows, total: Number(count?.total ?? 0) };
}

export interface EscalatedRow {
  case_id: string;
  last_at: string;
  notifications: number;
  unread: number;
}

/** Cases the user has been told about by an escalation, newest first; only cases of their organisation or team. */
export async function escalatedTo(db: Executor, userId: string, organisationId: string, offset: number, limit: number): Promise<{ rows: EscalatedRow[]; total: number }> {
  const base = () => db
    .selectFrom('notifications')
    .innerJoin('cases', 'cases.id', 'notifications.subject_id')
    .where('notifications.user_id', '=', userId)
    .where('notifications.subject_type', '=', 'case')
    .where((eb) => eb.or([eb('cases.force_id', '=', organisationId), eb('cases.cps_area_id', '=', organisationId), eb('cases.id', 'in', activeCasesOf(db, userId))]));
  const rows = await base()
    .select((eb) => [
      'notifications.subject_id as case_id',
      eb.fn.max('notifications.created_at').as('last_at'),
      eb.fn.countAll().as('notifications'),
      eb.fn.sum(sql<number>`case when notifications.read_at is null then 1 else 0 end`).as('unread'),
    ])
    .groupBy('notifications.subject_id')
    .orderBy('last_at', 'desc')
    .orderBy('notifications.subject_id')
    .offset(offset)
    .limit(limit)
    .execute();
  const count = await base().select((eb) => eb.fn.count(sql`distinct notifications.subject_id`).as('total')).executeTakeFirst();
  return { rows: rows.map((r) => ({ case_id: r.case_id, last_at: String(r.last_at), notifications: Number(r.notifications), unread: Number(r.unread ?? 0) })), total: Number(count?.total ?? 0) };
}

export async function casesByIds(db: Executor, ids: readonly string[]): Promise<QueueCaseRow[]> {
  if (ids.length === 0) return [];
  return casesWithOrganisations(db).where('cases.id', 'in', [...ids]).execute();
}

const flagColumns = { domesticAbuse: 'cases.domestic_abuse', repeatSuspect: 'cases.repeat_suspect', vulnerableVictim: 'cases.vulnerable_victim', childVictim: 'cases.child_victim' } as const;

/** The unit view's page query (exported so tests can read its plan). */
export function unitCasesQuery(db: Executor, side: 'police' | 'cps', organisationId: string, filter: TeamFilter, today: string) {
  const organisationColumn = side === 'police' ? 'cases.force_id' : 'cases.cps_area_id';
  const where = <T extends { where: (...args: any[]) => T }>(input: T): T => {
    let query = input.where(organisationColumn, '=', organisationId);
    if (filter.stages.length) query = query.where('cases.stage', 'in', [...filter.stages]);
    if (filter.offence) query = query.where('cases.offence_class', '=', filter.offence);
    for (const flag of filter.flags) query = query.where(flagColumns[flag], '=', 1);
    if (filter.allocatedTo) query = query.where('cases.id', 'in', activeCasesOf(db, filter.allocatedTo));
    if (filter.overdueOnly) {
      query = query.where((eb: any) => eb.exists(
        db.selectFrom('deadlines').select('deadlines.id')
          .where('deadlines.subject_type', '=', 'case')
          .where('deadlines.subject_id', '=', sql<string>`cases.id`)
          .where('deadlines.status', '=', 'open')
          .where('deadlines.due_on', '<', today),
      ));
    }
    return query;
  };
  const direction = filter.order === 'ascending' ? 'asc' : 'desc';
  return {
    page: (offset: number, limit: number) => where(casesWithOrganisations(db)).orderBy(sortColumns[filter.sort], direction).orderBy('cases.id', direction).offset(offset).limit(limit),
    count: () => where(db.selectFrom('cases').select((eb) => eb.fn.countAll().as('total'))),
  };
}

/** The unit view: an organisation's cases (as force or as CPS Area) with the filter applied. */
export async function unitCases(db: Executor, side: 'police' | 'cps', organisationId: string, filter: TeamFilter, today: string, offset: number, limit: number): Promise<{ rows: QueueCaseRow[]; total: number }> {
  const query = unitCasesQuery(db, side, organisationId, filter, today);
  const rows = await query.page(offset, limit).execute();
  const count = await query.count().executeTakeFirst();
  return { rows, total: Number(count?.total ?? 0) };
}

/** The engine's plan for a query, as text lines (EXPLAIN QUERY PLAN on SQLite, EXPLAIN on PostgreSQL). */
export async function planOf(db: Executor, engine: 'sqlite' | 'postgres', query: { compile(): { sql: string; parameters: readonly unknown[] } }): Promise<string[]> {
  const compiled = query.compile();
  const prefix = engine === 'sqlite' ? 'EXPLAIN QUERY PLAN ' : 'EXPLAIN ';
  const result = await db.executeQuery(CompiledQuery.raw(prefix + compiled.sql, [...compiled.parameters]));
  return (result.rows as Record<string, unknown>[]).map((row) => String(row.detail ?? row['QUERY PLAN'] ?? JSON.stringify(row)));
}

/** People in an organisation who may hold a case role (for "allocated to"). */
export async function caseWorkersIn(db: Executor, organisationId: string, roles: readonly string[]): Promise<{ id: string; name: string }[]> {
  const rows = await db
    .selectFrom('memberships')
    .innerJoin('users', 'users.id', 'memberships.user_id')
    .select(['users.id', 'users.display_name'])
    .where('memberships.organisation_id', '=', organisationId)
    .where('memberships.role', 'in', [...roles])
    .where('users.disabled_at', 'is', null)
    .orderBy('users.display_name')
    .orderBy('users.id')
    .limit(1000)
    .execute();
  return [...new Map(rows.map((r) => [r.id, { id: r.id, name: r.display_name }])).values()];
}
