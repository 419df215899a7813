// SQL for loading synthetic cases in bulk: many rows per statement inside the
// caller's (large) transaction. On SQLite, multi-row INSERTs of a fixed size,
// so the same few statements are prepared once and reused; on PostgreSQL, one
// INSERT … SELECT FROM unnest(arrays) per table per batch, so a batch of any
// size takes one parameter per column (far below the 65,535 limit).
import { CompiledQuery, PostgresAdapter, sql } from 'kysely';
import type { Engine } from '../../platform/db/database.ts';
import type { Db, Tx } from '../../platform/db/transaction.ts';
import type { SyntheticCase } from './model.ts';

type Executor = Db | Tx;

/** Each table the loader writes, its columns in order, and the PostgreSQL type of each. */
const TABLES = {
  cases: [
    ['id', 'text'], ['police_reference', 'text'], ['cps_urn', 'text'], ['court_case_number', 'text'], ['force_id', 'text'], ['cps_area_id', 'text'],
    ['stage', 'text'], ['offence_class', 'text'], ['domestic_abuse', 'int4'], ['repeat_suspect', 'int4'], ['vulnerable_victim', 'int4'],
    ['child_victim', 'int4'], ['reported_on', 'text'], ['created_at', 'text'], ['updated_at', 'text'], ['version', 'int4'],
  ],
  case_people: [['id', 'text'], ['case_id', 'text'], ['category', 'text'], ['name', 'text'], ['date_of_birth', 'text'], ['created_at', 'text']],
  case_team: [['id', 'text'], ['case_id', 'text'], ['user_id', 'text'], ['organisation_id', 'text'], ['case_role', 'text'], ['allocated_at', 'text'], ['ended_at', 'text']],
  case_events: [['id', 'text'], ['case_id', 'text'], ['seq', 'int4'], ['type', 'text'], ['occurred_at', 'text'], ['recorded_at', 'text'], ['actor_user_id', 'text'], ['data', 'text']],
  deadlines: [
    ['id', 'text'], ['subject_type', 'text'], ['subject_id', 'text'], ['rule_key', 'text'], ['rule_version', 'int4'], ['started_on', 'text'], ['due_on', 'text'],
    ['status', 'text'], ['paused_at', 'text'], ['paused_reason', 'text'], ['paused_days_total', 'int4'], ['next_step_due_on', 'text'], ['closed_at', 'text'],
    ['closed_reason', 'text'], ['created_at', 'text'], ['version', 'int4'],
  ],
  deadline_organisations: [['deadline_id', 'text'], ['organisation_id', 'text']],
} as const;

type TableName = keyof typeof TABLES;
type Row = Record<string, unknown>;

/** The rows of a batch of cases, table by table, in an order that satisfies the foreign keys. */
function rowsOf(batch: readonly SyntheticCase[]): [TableName, Row[]][] {
  return [
    ['cases', batch.map((c) => c.row as unknown as Row)],
    ['case_people', batch.flatMap((c) => c.people as unknown as Row[])],
    ['case_team', batch.flatMap((c) => c.team as unknown as Row[])],
    ['case_events', batch.flatMap((c) => c.events as unknown as Row[])],
    ['deadlines', batch.flatMap((c) => c.deadlines as unknown as Row[])],
    ['deadline_organisations', batch.flatMap((c) => c.deadlineOrganisations as unknown as Row[])],
  ];
}

/** SQLite: this many parameters per statement at most (SQLite allows 32,766). */
const SQLITE_PARAMETERS = 960;

async function insertSqlite(db: Executor, table: TableName, rows: readonly Row[]): Promise<void> {
  const columns = TABLES[table].map(([name]) => name);
  const perStatement = Math.floor(SQLITE_PARAMETERS / columns.length);
  const tuple = `(${columns.map(() => '?').join(',')})`;
  for (let start = 0; start < rows.length; start += perStatement) {
    const chunk = rows.slice(start, start + perStatement);
    const text = `insert into ${table} (${columns.join(',')}) values ${Array.from(chunk, () => tuple).join(',')}`;
    const parameters: unknown[] = [];
    for (const row of chunk) for (const column of columns) parameters.push(row[column] ?? null);
    await db.executeQuery(CompiledQuery.raw(text, parameters));
  }
}

/** PostgreSQL: rows per statement (each column is one array parameter, whatever the count). */
const POSTGRES_ROWS = 25_000;

async function insertPostgres(db: Executor, table: TableName, rows: readonly Row[]): Promise<void> {
  const columns = TABLES[table];
  const text = `insert into ${table} (${columns.map(([name]) => name).join(',')}) select * from unnest(${columns.map(([, type], i) => `$${i + 1}::${type}[]`).join(',')})`;
  for (let start = 0; start < rows.length; start += POSTGRES_ROWS) {
    const chunk = rows.slice(start, start + POSTGRES_ROWS);
    await db.executeQuery(CompiledQuery.raw(text, columns.map(([name]) => chunk.map((row) => row[name] ?? null))));
  }
}

/** Writes a batch of generated cases in the caller's transaction. */
export async function insertCases(db: Executor, engine: Engine, batch: readonly SyntheticCase[]): Promise<void> {
  for (const [table, rows] of rowsOf(batch)) {
    if (rows.length === 0) continue;
    await (engine === 'postgres' ? insertPostgres(db, table, rows) : insertSqlite(db, table, rows));
  }
}

/** The engine behind a connection or transaction (for callers handed only a transaction, such as the demo loader). */
export function engineOf(db: Executor): Engine {
  return db.getExecutor().adapter instanceof PostgresAdapter ? 'postgres' : 'sqlite';
}

export interface StaffRow {
  organisation_id: string;
  organisation_code: string;
  organisation_kind: string;
  user_id: string;
  display_name: string;
  role: string;
}

/** Everyone in a police force or CPS Area who could hold a case role, in a stable order. */
export function caseStaff(db: Executor): Promise<StaffRow[]> {
  return db
    .selectFrom('memberships')
    .innerJoin('users', 'users.id', 'memberships.user_id')
    .innerJoin('organisations', 'organisations.id', 'memberships.organisation_id')
    .select(['organisations.id as organisation_id', 'organisations.code as organisation_code', 'organisations.kind as organisation_kind', 'users.id as user_id', 'users.display_name', 'memberships.role'])
    .where('organisations.kind', 'in', ['police_force', 'cps_area'])
    .where('users.disabled_at', 'is', null)
    .where('memberships.role', 'in', ['investigator', 'police_supervisor', 'prosecutor', 'dcp', 'vlo', 'paralegal'])
    .orderBy('organisations.code')
    .orderBy('users.email')
    .orderBy('memberships.role')
    .execute();
}

export function organisationsOfKind(db: Executor, kind: 'police_force' | 'cps_area'): Promise<{ id: string; code: string }[]> {
  return db.selectFrom('organisations').select(['id', 'code']).where('kind', '=', kind).orderBy('code').execute();
}

export function ruleRows(db: Executor) {
  return db.selectFrom('deadline_rules').selectAll().execute();
}

export async function caseWithReference(db: Executor, forceId: string, reference: string): Promise<boolean> {
  return (await db.selectFrom('cases').select('id').where('force_id', '=', forceId).where('police_reference', '=', reference).executeTakeFirst()) !== undefined;
}

/** Large loads: a bigger page cache on SQLite while loading; fresh planner statistics on PostgreSQL afterwards. */
export async function sqliteCacheSize(db: Executor, kibibytes: number | null): Promise<number> {
  const before = await sql<{ cache_size: number }>`pragma cache_size`.execute(db);
  if (kibibytes !== null) await sql.raw(`pragma cache_size = ${-Math.round(kibibytes)}`).execute(db);
  return Number(before.rows[0]?.cache_size ?? -2000);
}

export async function restoreSqliteCacheSize(db: Executor, value: number): Promise<void> {
  await sql.raw(`pragma cache_size = ${Math.round(value)}`).execute(db);
}

export async function analyse(db: Executor): Promise<void> {
  await sql`analyze cases, case_people, case_team, case_events, deadlines, deadline_organisations`.execute(db);
}
