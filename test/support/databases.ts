// The engines every repository test runs on: SQLite always, PostgreSQL too
// when DATABASE_URL is set (CI sets it). Each PostgreSQL database is a fresh
// schema, dropped afterwards, so test files can run side by side.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { openDatabase } from '../../src/platform/db/database.ts';
import type { Database, Engine } from '../../src/platform/db/database.ts';
import { migrate } from '../../src/platform/db/migrate.ts';

export const engines: Engine[] = process.env.DATABASE_URL ? ['sqlite', 'postgres'] : ['sqlite'];

export interface TestDatabase extends Database {
  /** Closes the database and removes everything it made. */
  dispose(): Promise<void>;
  /** Where the SQLite file lives (SQLite only), for tests that reopen it. */
  readonly sqlitePath: string | undefined;
  readonly schema: string | undefined;
}

export async function testDatabase(engine: Engine, options: { migrated?: boolean } = {}): Promise<TestDatabase> {
  const migrated = options.migrated ?? true;
  if (engine === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'rasso-test-'));
    const sqlitePath = join(dir, 'test.sqlite');
    const database = await openDatabase({ sqlitePath });
    if (migrated) await migrate(database);
    return {
      ...database,
      sqlitePath,
      schema: undefined,
      dispose: async () => {
        await database.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error('DATABASE_URL is not set');
  const schema = `test_${randomBytes(6).toString('hex')}`;
  const database = await openDatabase({ url, sqlitePath: '', schema, poolSize: 4 });
  if (migrated) await migrate(database);
  return {
    ...database,
    sqlitePath: undefined,
    schema,
    dispose: async () => {
      await database.close();
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      try {
        await client.query(`drop schema if exists ${schema} cascade`);
      } finally {
        await client.end();
      }
    },
  };
}
