// What every module's services stand on, built once per process.
import type { Config } from '../config.ts';
import { createAuditJournal } from './audit/service.ts';
import type { AuditJournal } from './audit/service.ts';
import type { Database, Engine } from './db/database.ts';
import type { Db } from './db/transaction.ts';
import type { Clock } from './time/clock.ts';
import { systemClock } from './time/clock.ts';

export interface Platform {
  readonly config: Config;
  readonly db: Db;
  readonly engine: Engine;
  readonly audit: AuditJournal;
  readonly clock: Clock;
}

export function createPlatform(config: Config, database: Database, clock: Clock = systemClock): Platform {
  return {
    config,
    db: database.db,
    engine: database.engine,
    clock,
    audit: createAuditJournal(database.db, database.engine, config.secretKey, () => clock.now()),
  };
}
