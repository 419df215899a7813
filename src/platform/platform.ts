// What every module's services stand on, built once by the server.
import type { Config } from '../config.ts';
import type { AuditJournal } from './audit/service.ts';
import type { Engine } from './db/database.ts';
import type { Db } from './db/transaction.ts';
import type { Clock } from './time/clock.ts';

export interface Platform {
  readonly config: Config;
  readonly db: Db;
  readonly engine: Engine;
  readonly audit: AuditJournal;
  readonly clock: Clock;
}
