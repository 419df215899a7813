// Forward-only migrations. Pending migrations run in one transaction that
// first takes a lock (PostgreSQL: an advisory lock; SQLite: BEGIN IMMEDIATE,
// the database write lock), so two processes starting together apply each
// migration once, and a failing migration leaves the schema as it was.
import { readdirSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { join } from 'node:path';
import { sql } from 'kysely';
import type { Kysely } from 'kysely';
import type { Database, Engine } from './database.ts';

export interface Migration {
  up(db: Kysely<any>, engine: Engine): Promise<void>;
}

const MIGRATIONS_DIR = fileURLToPath(new URL('../../../migrations/', import.meta.url));
const LOCK_KEY = 7_264_301; // any constant shared by every process of the platform

export function migrationNames(directory = MIGRATIONS_DIR): string[] {
  return readdirSync(directory)
    .filter((file) => /^\d{4}_[a-z0-9_]+\.ts$/.test(file))
    .sort()
    .map((file) => file.replace(/\.ts$/, ''));
}

/** Applies pending migrations; returns the names applied. */
export async function migrate({ db, engine }: Database, directory = MIGRATIONS_DIR): Promise<string[]> {
  const names = migrationNames(directory);
  return db.connection().execute(async (connection) => {
    await sql.raw(engine === 'sqlite' ? 'begin immediate' : 'begin').execute(connection);
    try {
      if (engine === 'postgres') await sql`select pg_advisory_xact_lock(${LOCK_KEY})`.execute(connection);
      await connection.schema
        .createTable('schema_migrations')
        .ifNotExists()
        .addColumn('name', 'text', (c) => c.primaryKey())
        .addColumn('applied_at', 'text', (c) => c.notNull())
        .execute();
      const done = new Set(
        (await connection.selectFrom('schema_migrations').select('name').execute()).map((row) => row.name),
      );
      const applied: string[] = [];
      for (const name of names) {
        if (done.has(name)) continue;
        const migration = (await import(pathToFileURL(join(directory, `${name}.ts`)).href)) as Migration;
        await migration.up(connection, engine);
        await connection
          .insertInto('schema_migrations')
          .values({ name, applied_at: new Date().toISOString() })
          .execute();
        applied.push(name);
      }
      await sql`commit`.execute(connection);
      return applied;
    } catch (error) {
      await sql`rollback`.execute(connection);
      throw error;
    }
  });
}
