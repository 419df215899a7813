// For the property tests: a database that can be closed and opened again on
// the same SQLite file or PostgreSQL schema (a restart), and a force and CPS
// Area with one holder of every role a case deadline tells.
import { rmSync } from 'node:fs';
import { dirname } from 'node:path';
import pg from 'pg';
import { loadConfig } from '../../src/config.ts';
import { registerCaseDeadlines } from '../../src/cases/deadlines.ts';
import type { Role } from '../../src/platform/access/roles.ts';
import { openDatabase } from '../../src/platform/db/database.ts';
import type { Database, Engine } from '../../src/platform/db/database.ts';
import { newId } from '../../src/platform/db/ids.ts';
import { newUserRow } from '../../src/platform/directory/model.ts';
import { createPlatform } from '../../src/platform/platform.ts';
import type { Platform } from '../../src/platform/platform.ts';
import type { Clock } from '../../src/platform/time/clock.ts';
import { testDatabase } from '../support/databases.ts';

/** Where a database lives, so another connection (or another process) can open it. */
export interface DatabaseLocation {
  readonly engine: Engine;
  readonly sqlitePath: string | undefined;
  readonly url: string | undefined;
  readonly schema: string | undefined;
}

export function openAt(location: DatabaseLocation): Promise<Database> {
  return openDatabase({ url: location.url, sqlitePath: location.sqlitePath ?? '', schema: location.schema, poolSize: 4 });
}

/** The platform as the server builds it: the test configuration, and the case file's subject type registered with the clock engine. */
export function platformOn(database: Database, clock: Clock): Platform {
  registerCaseDeadlines();
  return createPlatform(loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent' }), database, clock);
}

export interface RestartableDatabase {
  readonly location: DatabaseLocation;
  /** The connection now open. */
  current(): Database;
  /** Closes the connection and opens a new one on the same database. */
  restart(): Promise<Database>;
  dispose(): Promise<void>;
}

export async function restartableDatabase(engine: Engine): Promise<RestartableDatabase> {
  const first = await testDatabase(engine);
  const location: DatabaseLocation = { engine, sqlitePath: first.sqlitePath, url: engine === 'postgres' ? process.env.DATABASE_URL : undefined, schema: first.schema };
  let open: Database = first;
  return {
    location,
    current: () => open,
    async restart() {
      await open.close();
      open = await openAt(location);
      return open;
    },
    async dispose() {
      await open.close();
      if (location.sqlitePath) rmSync(dirname(location.sqlitePath), { recursive: true, force: true });
      if (location.schema) {
        const client = new pg.Client({ connectionString: location.url });
        await client.connect();
        try {
          await client.query(`drop schema if exists ${location.schema} cascade`);
        } finally {
          await client.end();
        }
      }
    },
  };
}

/** The holders of the case roles and organisation roles the shipped rules' steps name. */
export interface Staff {
  readonly force: string;
  readonly area: string;
  readonly byRole: Readonly<Record<'oic' | 'prosecutor' | 'dcp' | 'supervisor' | 'escalation_lead' | 'head_of_rasso', string>>;
}

export async function staff(database: Database, now: Date): Promise<Staff> {
  const at = now.toISOString();
  const organisation = async (code: string, kind: 'police_force' | 'cps_area') => {
    const id = newId();
    await database.db.insertInto('organisations').values({ id, code, name: code, kind, created_at: at, updated_at: at, version: 1 }).execute();
    return id;
  };
  const force = await organisation('FORCE', 'police_force');
  const area = await organisation('AREA', 'cps_area');
  const person = async (organisationId: string, role: Role) => {
    const id = newId();
    await database.db.insertInto('users').values(newUserRow({ id, email: `${id}@test.example`, displayName: role, passwordHash: null, now: at })).execute();
    await database.db.insertInto('memberships').values({ id: newId(), user_id: id, organisation_id: organisationId, team_id: null, role, created_at: at }).execute();
    return id;
  };
  return {
    force,
    area,
    byRole: {
      oic: await person(force, 'investigator'),
      supervisor: await person(force, 'police_supervisor'),
      escalation_lead: await person(force, 'escalation_lead'),
      prosecutor: await person(area, 'prosecutor'),
      dcp: await person(area, 'dcp'),
      head_of_rasso: await person(area, 'head_of_rasso'),
    },
  };
}
