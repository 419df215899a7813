// The demo cases load with the demo and land on the demo people's work queues.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { engines } from '../../test/support/databases.ts';
import { testApp } from '../../test/support/app.ts';
import { seedDemo } from '../platform/demo/service.ts';
import { demoCases } from './demo.ts';

for (const engine of engines) {
  test(`${engine}: the demo's cases are on the officer's and the prosecutor's work queues, at different stages`, async () => {
    const t = await testApp(engine);
    try {
      await seedDemo(t.platform);
      const queue = async (email: string) => {
        const user = await t.database.db.selectFrom('users').select('id').where('email', '=', email).executeTakeFirstOrThrow();
        return t.database.db.selectFrom('case_team').innerJoin('cases', 'cases.id', 'case_team.case_id')
          .select(['cases.police_reference', 'cases.stage']).where('case_team.user_id', '=', user.id).where('case_team.ended_at', 'is', null).execute();
      };
      const sam = await queue('sam.taylor@avs.police.example');
      assert.equal(sam.length, demoCases.length);
      assert.ok(new Set(sam.map((c) => c.stage)).size >= 5, 'the cases are at different stages');
      assert.equal((await queue('daniel.okafor@cps.example')).length, 4);
      // Starting the demo over leaves the same cases, not twice as many.
      await seedDemo(t.platform, { reset: true });
      assert.equal((await queue('sam.taylor@avs.police.example')).length, demoCases.length);
    } finally {
      await t.close();
    }
  });
}
