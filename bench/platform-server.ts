// The platform under test, in its own process: configured as in production
// (logging silent), on a fresh SQLite file or a fresh PostgreSQL schema,
// with a demo-sized directory and one person to sign in as.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { buildApp } from '../src/app.ts';
import { loadConfig } from '../src/config.ts';
import { systemContext } from '../src/platform/audit/model.ts';
import { openDatabase } from '../src/platform/db/database.ts';
import { migrate } from '../src/platform/db/migrate.ts';
import { createPlatform } from '../src/platform/platform.ts';
import { serveForBench } from './child.ts';
import { seedDirectory } from './seed.ts';
import type { SeededDirectory } from './seed.ts';

export interface PlatformDetails {
  readonly directory: SeededDirectory;
  /** An API token for the signed-in person, for the audited API read. */
  readonly apiToken: string;
}

const engine = process.env.BENCH_ENGINE === 'postgres' ? 'postgres' : 'sqlite';
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
const platform = createPlatform(config, database);
const { app, auth } = await buildApp(platform);
const directory = await seedDirectory(platform);
const { token: apiToken } = await auth.createApiToken(
  { userId: directory.person.id, organisationId: directory.person.organisationId, name: 'bench', scopes: [], days: 1 },
  systemContext(),
);

await serveForBench<PlatformDetails>(app, { directory, apiToken }, async () => {
  // Requests cut off when the load stopped may still be finishing their
  // transactions: the pool waits for them before the schema is dropped.
  await database.close();
  if (schema) {
    const client = new pg.Client({ connectionString: config.databaseUrl });
    await client.connect();
    try {
      await client.query(`drop schema ${schema} cascade`);
    } finally {
      await client.end();
    }
  }
  rmSync(folder, { recursive: true, force: true });
});
