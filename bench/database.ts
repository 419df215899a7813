// A fresh database for one benchmark, configured as in production (logging
// silent): a new SQLite file, or a new PostgreSQL schema dropped afterwards.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { loadConfig } from '../src/config.ts';
import type { Config } from '../src/config.ts';
import { openDatabase } from '../src/platform/db/database.ts';
import type { Database, Engine } from '../src/platform/db/database.ts';
import { migrate } from '../src/platform/db/migrate.ts';

export interface BenchDatabase {
  readonly config: Config;
  readonly database: Database;
  /** Closes the database (waiting for transactions in flight) and removes it. */
  dispose(): Promise<void>;
}

export async function benchDatabase(engine: Engine): Promise<BenchDatabase> {
  const folder = mkdtempSync(join(tmpdir(), 'rasso-bench-'));
  const schema = engine === 'postgres' ? `bench_${randomBytes(6).toString('hex')}` : undefined;
  const config = loadConfig({
    ...process.env,
    NODE_ENV: 'production',
    LOG_LEVEL: 'silent',
    DEMO: 'false',
    SECRET_KEY: randomBytes(32).toString('hex'),
    BASE_URL: 'https://rasso.bench.invalid',
    SQLITE_PATH: join(folder, 'rasso.sqlite'),
    DATABASE_URL: engine === 'postgres' ? process.env.DATABASE_URL : '',
  });
  const database = await openDatabase({ url: config.databaseUrl, sqlitePath: config.sqlitePath, schema });
  await migrate(database);
  return {
    config,
    database,
    async dispose() {
      await database.close();
      rmSync(folder, { recursive: true, force: true });
      if (!schema) return;
      const client = new pg.Client({ connectionString: config.databaseUrl });
      await client.connect();
      try {
        await client.query(`drop schema ${schema} cascade`);
      } finally {
        await client.end();
      }
    },
  };
}
