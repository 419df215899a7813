// Opens the platform's database: SQLite by default, PostgreSQL when a
// connection URL is configured. Everything above this folder sees one Kysely
// instance and the engine's name, never the driver.
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import { SerialisedSqliteDialect } from './sqlite-driver.ts';
import type { Tables } from './tables.ts';

export type Engine = 'sqlite' | 'postgres';

export interface Database {
  readonly db: Kysely<Tables>;
  readonly engine: Engine;
  close(): Promise<void>;
}

export interface DatabaseOptions {
  /** PostgreSQL connection URL; when absent the SQLite file is used. */
  readonly url?: string | undefined;
  readonly sqlitePath: string;
  /** PostgreSQL schema to work in (tests use one schema each). */
  readonly schema?: string | undefined;
  readonly poolSize?: number | undefined;
}

export async function openDatabase(options: DatabaseOptions): Promise<Database> {
  const database = options.url ? await openPostgres(options) : openSqlite(options.sqlitePath);
  await assertDurable(database);
  return database;
}

function openSqlite(path: string): Database {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const connection = new BetterSqlite3(path);
  connection.pragma('journal_mode = WAL');
  connection.pragma('synchronous = FULL');
  connection.pragma('foreign_keys = ON');
  connection.pragma('busy_timeout = 10000');
  const db = new Kysely<Tables>({ dialect: new SerialisedSqliteDialect(connection) });
  return { db, engine: 'sqlite', close: () => db.destroy() };
}

async function openPostgres(options: DatabaseOptions): Promise<Database> {
  // Instants and dates are kept as text. 64-bit integers (sequence numbers,
  // counts) are read as numbers: exact up to 2^53, far beyond any count here.
  pg.types.setTypeParser(pg.types.builtins.INT8, Number);
  const pool = new pg.Pool({
    connectionString: options.url,
    max: options.poolSize ?? 10,
    ...(options.schema ? { options: `-c search_path=${options.schema}` } : {}),
  });
  pool.on('error', () => {
    // An idle client lost its connection; the pool replaces it on next use.
  });
  if (options.schema) {
    await pool.query(`create schema if not exists "${options.schema.replaceAll('"', '')}"`);
  }
  const db = new Kysely<Tables>({ dialect: new PostgresDialect({ pool }) });
  return { db, engine: 'postgres', close: () => db.destroy() };
}

/** Refuses to run on settings that could lose acknowledged writes. */
async function assertDurable({ db, engine }: Database): Promise<void> {
  if (engine === 'sqlite') {
    const journal = await sql<{ journal_mode: string }>`pragma journal_mode`.execute(db);
    const synchronous = await sql<{ synchronous: number }>`pragma synchronous`.execute(db);
    const foreignKeys = await sql<{ foreign_keys: number }>`pragma foreign_keys`.execute(db);
    const mode = journal.rows[0]?.journal_mode;
    // An in-memory database reports 'memory'; it is only used by tests.
    if (mode !== 'wal' && mode !== 'memory') throw new Error(`SQLite journal_mode is ${mode}, expected wal`);
    if (synchronous.rows[0]?.synchronous !== 2) throw new Error('SQLite synchronous is not FULL');
    if (foreignKeys.rows[0]?.foreign_keys !== 1) throw new Error('SQLite foreign keys are off');
    return;
  }
  const fsync = await sql<{ fsync: string }>`show fsync`.execute(db);
  const commit = await sql<{ synchronous_commit: string }>`show synchronous_commit`.execute(db);
  if (fsync.rows[0]?.fsync !== 'on') throw new Error('PostgreSQL fsync is off');
  if (commit.rows[0]?.synchronous_commit === 'off') throw new Error('PostgreSQL synchronous_commit is off');
}
