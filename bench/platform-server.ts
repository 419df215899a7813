// The platform under test, in its own process: configured as in production
// (logging silent), on a fresh SQLite file or a fresh PostgreSQL schema,
// with a demo-sized directory and one person to sign in as.
import { buildApp } from '../src/app.ts';
import { systemContext } from '../src/platform/audit/model.ts';
import { createPlatform } from '../src/platform/platform.ts';
import { serveForBench } from './child.ts';
import { benchDatabase } from './database.ts';
import { seedDirectory } from './seed.ts';
import type { SeededDirectory } from './seed.ts';

export interface PlatformDetails {
  readonly directory: SeededDirectory;
  /** An API token for the signed-in person, for the audited API read. */
  readonly apiToken: string;
}

const engine = process.env.BENCH_ENGINE === 'postgres' ? 'postgres' : 'sqlite';
const { config, database, dispose } = await benchDatabase(engine);
const platform = createPlatform(config, database);
const { app, auth } = await buildApp(platform);
const directory = await seedDirectory(platform);
const { token: apiToken } = await auth.createApiToken(
  { userId: directory.person.id, organisationId: directory.person.organisationId, name: 'bench', scopes: [], days: 1 },
  systemContext(),
);

await serveForBench<PlatformDetails>(app, { directory, apiToken }, async () => {
  // Requests cut off when the load stopped may still be finishing their
  // transactions: closing the database waits for them before it is removed.
  await dispose();
});
