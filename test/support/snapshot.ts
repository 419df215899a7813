// What a database holds, table by table, so a test can say "nothing changed"
// (or exactly what did) after requests that must not write.
import { sql } from 'kysely';
import type { Engine } from '../../src/platform/db/database.ts';
import type { Db } from '../../src/platform/db/transaction.ts';
import type { AuditEventsTable } from '../../src/platform/db/tables.ts';

export type Snapshot = Record<string, string[]>;

/** Every table's rows as JSON, in a stable order; tables added by later migrations are included. */
export async function snapshot(db: Db, engine: Engine, options: { except?: readonly string[] } = {}): Promise<Snapshot> {
  const names = engine === 'sqlite'
    ? await sql<{ name: string }>`select name from sqlite_master where type = 'table' and name not like 'sqlite_%'`.execute(db)
    : await sql<{ name: string }>`select table_name as name from information_schema.tables where table_schema = current_schema() and table_type = 'BASE TABLE'`.execute(db);
  const result: Snapshot = {};
  for (const { name } of names.rows.sort((a, b) => a.name.localeCompare(b.name))) {
    if (options.except?.includes(name)) continue;
    const rows = await sql<Record<string, unknown>>`select * from ${sql.table(name)}`.execute(db);
    result[name] = rows.rows.map((row) => JSON.stringify(row, (_key, value: unknown) => (typeof value === 'bigint' ? Number(value) : value))).sort();
  }
  return result;
}

/** Rows of `table` in `after` that were not in `before`, and rows of `before` gone from `after`. */
export function difference(before: Snapshot, after: Snapshot, table: string): { added: Record<string, unknown>[]; removed: Record<string, unknown>[] } {
  const old = new Set(before[table] ?? []);
  const now = new Set(after[table] ?? []);
  return {
    added: [...now].filter((row) => !old.has(row)).map((row) => JSON.parse(row) as Record<string, unknown>),
    removed: [...old].filter((row) => !now.has(row)).map((row) => JSON.parse(row) as Record<string, unknown>),
  };
}

export async function auditHead(db: Db): Promise<number> {
  const head = await db.selectFrom('audit_chain_head').select('seq').where('id', '=', 1).executeTakeFirstOrThrow();
  return Number(head.seq);
}

/** Journal entries written after sequence number `seq`. */
export async function auditSince(db: Db, seq: number): Promise<AuditEventsTable[]> {
  const rows = await db.selectFrom('audit_events').selectAll().where('seq', '>', seq).orderBy('seq').execute();
  return rows.map((row) => ({ ...row, seq: Number(row.seq) }));
}
