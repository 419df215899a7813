// The demo's scrutiny panel: Avon and Somerset Police and CPS South West,
// chaired by Mark Ellis, with Aisha Khan and an external member whose only
// role is 'panel_member'; a sample of the demo's NFA decisions drawn with a
// recorded seed; one pack with agreed findings whose learning reached Sam
// Taylor and Daniel Okafor as notifications; one action arising.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { engines } from '../../../test/support/databases.ts';
import { testApp } from '../../../test/support/app.ts';
import { seedDemo } from '../../platform/demo/service.ts';
import { DEMO_PANEL, DEMO_SEED } from './demo.ts';

for (const engine of engines) {
  test(`${engine}: the demo holds a scrutiny panel with a sampled round, and learning that reached the officer and the prosecutor`, async () => {
    const t = await testApp(engine);
    try {
      await seedDemo(t.platform);
      const db = t.platform.db;
      const user = (email: string) => db.selectFrom('users').select('id').where('email', '=', email).executeTakeFirstOrThrow();
      const panel = await db.selectFrom('scrutiny_panels').selectAll().where('name', '=', DEMO_PANEL).executeTakeFirstOrThrow();
      const members = await db.selectFrom('scrutiny_panel_members').innerJoin('users', 'users.id', 'scrutiny_panel_members.user_id')
        .select(['users.email', 'scrutiny_panel_members.role']).where('panel_id', '=', panel.id).orderBy('users.email').execute();
      assert.deepEqual(members.map((m) => [m.email, m.role]), [
        ['aisha.khan@avs.police.example', 'member'], ['claire.fenwick@severnvale-isva.example', 'member'], ['mark.ellis@avs.police.example', 'chair'], ['rachel.moore@cps.example', 'member'],
      ]);
      const claireRoles = await db.selectFrom('memberships').innerJoin('users', 'users.id', 'memberships.user_id').select('memberships.role').where('users.email', '=', 'claire.fenwick@severnvale-isva.example').execute();
      assert.deepEqual(claireRoles.map((r) => r.role), ['panel_member'], 'the external member holds no other role');

      const round = await db.selectFrom('scrutiny_rounds').selectAll().where('panel_id', '=', panel.id).executeTakeFirstOrThrow();
      assert.deepEqual([round.method, round.seed], ['sample', DEMO_SEED]);
      assert.ok(Number(round.population) > Number(round.selected) && Number(round.selected) >= 12, `${round.selected} of ${round.population}`);
      const findings = await db.selectFrom('scrutiny_findings').innerJoin('scrutiny_cases', 'scrutiny_cases.id', 'scrutiny_findings.scrutiny_case_id').select(['scrutiny_cases.id', 'scrutiny_cases.case_id']).where('scrutiny_cases.round_id', '=', round.id).execute();
      assert.equal(findings.length, 1);
      assert.equal((await db.selectFrom('scrutiny_reviews').select('id').where('scrutiny_case_id', '=', findings[0]!.id).execute()).length, 3);

      const sam = await user('sam.taylor@avs.police.example');
      const daniel = await user('daniel.okafor@cps.example');
      const learning = await db.selectFrom('scrutiny_learning').select(['user_id', 'case_role', 'id']).where('scrutiny_case_id', '=', findings[0]!.id).orderBy('case_role').execute();
      assert.deepEqual(learning.map((l) => [l.user_id, l.case_role]), [[sam.id, 'oic'], [daniel.id, 'prosecutor']]);
      for (const l of learning) {
        const notification = await db.selectFrom('notifications').select(['text', 'subject_type']).where('user_id', '=', l.user_id).where('subject_id', '=', l.id).executeTakeFirstOrThrow();
        assert.match(notification.text, new RegExp(`^Learning from the ${DEMO_PANEL} on case `));
      }
      assert.equal((await db.selectFrom('scrutiny_actions').select('id').where('panel_id', '=', panel.id).execute()).length, 1);
    } finally {
      await t.close();
    }
  });
}
