// The process: configuration, database, application, listen, graceful shutdown.
import { buildApp } from './app.ts';
import { ConfigError, loadConfig } from './config.ts';
import { createAuditJournal } from './platform/audit/service.ts';
import { openDatabase } from './platform/db/database.ts';
import { migrate } from './platform/db/migrate.ts';
import type { Platform } from './platform/platform.ts';
import { systemClock } from './platform/time/clock.ts';

async function main(): Promise<void> {
  const config = loadConfig();
  const database = await openDatabase({ url: config.databaseUrl, sqlitePath: config.sqlitePath });
  await migrate(database);
  const platform: Platform = {
    config,
    db: database.db,
    engine: database.engine,
    clock: systemClock,
    audit: createAuditJournal(database.db, database.engine, config.secretKey, () => systemClock.now()),
  };
  const { app } = await buildApp(platform);

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    app.log.info({ signal }, 'stopping');
    await app.close();
    await database.close();
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));

  await app.listen({ host: config.host, port: config.port });
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError) {
    console.error(error.message);
    process.exit(78);
  }
  console.error(error);
  process.exit(1);
});
