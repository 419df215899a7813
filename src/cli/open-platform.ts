// Opens the platform the way every process does (the server and the `rasso`
// command alike): configuration, database, migrations, then the Platform.
import { loadConfig } from '../config.ts';
import type { Config } from '../config.ts';
import { openDatabase } from '../platform/db/database.ts';
import { migrate } from '../platform/db/migrate.ts';
import { createPlatform } from '../platform/platform.ts';
import type { Platform } from '../platform/platform.ts';

export interface OpenPlatform {
  readonly platform: Platform;
  /** Migrations this opening applied (none if the database was up to date). */
  readonly applied: readonly string[];
  close(): Promise<void>;
}

export async function openPlatform(config: Config = loadConfig()): Promise<OpenPlatform> {
  const database = await openDatabase({ url: config.databaseUrl, sqlitePath: config.sqlitePath });
  let applied: string[];
  try {
    applied = await migrate(database);
  } catch (error) {
    await database.close();
    throw error;
  }
  const platform = createPlatform(config, database);
  return { platform, applied, close: () => database.close() };
}
