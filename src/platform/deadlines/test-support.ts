// A small world for clock-engine tests: two organisations, people holding
// case roles, and a fake subject type whose audience and reference come from
// a table the test fills in.
import { testDatabase } from '../../../test/support/databases.ts';
import type { TestDatabase } from '../../../test/support/databases.ts';
import { loadConfig } from '../../config.ts';
import type { Engine } from '../db/database.ts';
import { newId } from '../db/ids.ts';
import { newUserRow } from '../directory/model.ts';
import { createPlatform } from '../platform.ts';
import type { Platform } from '../platform.ts';
import { ControllableClock } from '../time/clock.ts';
import { registerSubjectType } from './service.ts';

export const TEST_SUBJECT = 'test_subject';

/** Who holds which case role on each test subject. */
const audiences = new Map<string, Record<string, string[]>>();
let crashCountdown = 0;

/**
 * Makes the `nth` audience look-up from now fail (0: none), so a sweep stops
 * part-way through its transaction as it would if its process died.
 */
export function crashNextAudience(nth = 1): void {
  crashCountdown = nth;
}

registerSubjectType(TEST_SUBJECT, {
  audience: async (_tx, subjectId, roles) => {
    if (crashCountdown > 0) {
      crashCountdown -= 1;
      if (crashCountdown === 0) throw new Error('The sweep stopped part-way');
    }
    return roles.flatMap((role) => audiences.get(subjectId)?.[role] ?? []);
  },
  describe: async (_tx, subjectId) => `Test ${subjectId.slice(-6)}`,
  path: (subjectId) => `/test-subjects/${subjectId}`,
});

export interface DeadlineWorld {
  readonly database: TestDatabase;
  readonly platform: Platform;
  readonly clock: ControllableClock;
  readonly force: string;
  readonly area: string;
  /** A subject with an OIC, a supervisor and a prosecutor (the supervisor also holds 'dcp'). */
  subject(): Promise<{ id: string; oic: string; supervisor: string; prosecutor: string }>;
  person(): Promise<string>;
  dispose(): Promise<void>;
}

export async function deadlineWorld(engine: Engine, start = '2025-03-03T09:00:00Z'): Promise<DeadlineWorld> {
  const database = await testDatabase(engine);
  const clock = new ControllableClock(start);
  const platform = createPlatform(loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent' }), database, clock);
  const organisation = async (code: string, kind: 'police_force' | 'cps_area') => {
    const id = newId();
    const now = clock.now().toISOString();
    await database.db.insertInto('organisations').values({ id, code, name: code, kind, created_at: now, updated_at: now, version: 1 }).execute();
    return id;
  };
  const force = await organisation('FORCE', 'police_force');
  const area = await organisation('AREA', 'cps_area');
  const person = async () => {
    const id = newId();
    await database.db.insertInto('users').values(newUserRow({ id, email: `${id}@test.example`, displayName: 'Someone', passwordHash: null, now: clock.now().toISOString() })).execute();
    return id;
  };
  return {
    database,
    platform,
    clock,
    force,
    area,
    person,
    async subject() {
      const id = newId();
      const [oic, supervisor, prosecutor] = [await person(), await person(), await person()];
      audiences.set(id, { oic: [oic], supervisor: [supervisor], dcp: [supervisor], prosecutor: [prosecutor], escalation_lead: [supervisor], head_of_rasso: [prosecutor] });
      return { id, oic, supervisor, prosecutor };
    },
    dispose: () => database.dispose(),
  };
}
