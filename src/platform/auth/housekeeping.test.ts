import { test } from 'node:test';
import assert from 'node:assert/strict';
import { JobRunner } from '../jobs/runner.ts';
import { engines } from '../../../test/support/databases.ts';
import { testApp } from '../../../test/support/app.ts';
import { registerAuthHousekeeping } from './housekeeping.ts';

for (const engine of engines) {
  test(`${engine}: housekeeping removes expired sessions and old attempts, and keeps live ones`, async () => {
    const t = await testApp(engine);
    try {
      const force = await t.organisation('AVS', 'police_force');
      const early = await t.person({ email: 'early@avs.police.uk', roles: [[force, 'investigator']] });
      const late = await t.person({ email: 'late@avs.police.uk', roles: [[force, 'investigator']] });
      await t.signIn(early);
      t.clock.advance({ hours: 11 });
      const runner = new JobRunner({ db: t.platform.db, engine, clock: t.clock });
      registerAuthHousekeeping(runner);
      await runner.ensureRecurring();
      t.clock.advance({ minutes: 15 });
      const live = await t.signIn(late);
      assert.equal(await runner.runDue(), 1);
      const sessions = await t.platform.db.selectFrom('sessions').select('user_id').execute();
      assert.deepEqual([...new Set(sessions.map((s) => s.user_id))], [late.id]);
      assert.equal((await live.get('/')).statusCode, 200);
      const attempts = await t.platform.db.selectFrom('sign_in_attempts').select('at').execute();
      assert.ok(attempts.every((a) => Date.parse(a.at) > t.clock.now().getTime() - 86_400_000));
      assert.ok(attempts.length > 0);
    } finally {
      await t.close();
    }
  });
}
