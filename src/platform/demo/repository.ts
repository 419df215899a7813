// SQL for starting the demo over: every row of every table goes, except the
// record of which migrations have run, and the audit chain starts again from
// its genesis. Demo mode only.
import { sql } from 'kysely';
import { GENESIS_HASH } from '../audit/model.ts';
import type { Engine } from '../db/database.ts';
import type { Tx } from '../db/transaction.ts';

const KEPT = new Set(['schema_migrations', 'audit_chain_head']);

/** The platform's tables in its own schema (tests share one PostgreSQL database between schemas). */
async function tablesToEmpty(tx: Tx, engine: Engine): Promise<string[]> {
  const schema = engine === 'postgres' ? (await sql<{ schema: string }>`select current_schema() as schema`.execute(tx)).rows[0]?.schema : undefined;
  const tables = await tx.introspection.getTables();
  return tables.filter((t) => !t.isView && !KEPT.has(t.name) && (schema === undefined || t.schema === schema)).map((t) => t.name);
}

export async function emptyEverything(tx: Tx, engine: Engine): Promise<void> {
  const tables = await tablesToEmpty(tx, engine);
  if (engine === 'postgres') {
    if (tables.length) await sql`truncate table ${sql.join(tables.map((t) => sql.id(t)))}`.execute(tx);
  } else {
    // Rows refer to each other; checking foreign keys at commit lets them go in any order.
    await sql`pragma defer_foreign_keys = on`.execute(tx);
    for (const table of tables) await sql`delete from ${sql.id(table)}`.execute(tx);
  }
  await tx.updateTable('audit_chain_head').set({ seq: 0, hash: GENESIS_HASH }).where('id', '=', 1).execute();
}
