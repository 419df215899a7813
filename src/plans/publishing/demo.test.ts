// The demo publishes the JNAP refresh's progress report once, by the national
// plan lead, with every one of its actions as the seed numbers them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { engines } from '../../../test/support/databases.ts';
import { testApp } from '../../../test/support/app.ts';
import { inTransaction } from '../../platform/db/transaction.ts';
import { seedDemoPlans } from '../demo.ts';
import { shippedPlan } from '../shipped.ts';
import { DEMO_PUBLISHER_EMAIL } from './demo.ts';
import { createPublishingService } from './service.ts';

for (const engine of engines) {
  test(`${engine}: the demo holds a published edition of the JNAP refresh`, async () => {
    const t = await testApp(engine);
    try {
      t.clock.set('2026-03-10T12:00:00Z');
      const national = await t.organisation('NRP', 'national');
      const jersey = await t.organisation('SOJP', 'police_force');
      await t.person({ email: DEMO_PUBLISHER_EMAIL, name: 'Jo Bradley', roles: [[national, 'plan_lead']] });
      await inTransaction(t.platform.db, (tx) => seedDemoPlans(tx, new Map([['NRP', national], ['SOJP', jersey]]), t.clock.now().toISOString()));
      const refresh = await t.platform.db.selectFrom('plans').select('id').where('key', '=', 'jnap-refresh-2022').executeTakeFirstOrThrow();
      const publishing = createPublishingService(t.platform);
      const { editions } = await publishing.editions(refresh.id);
      assert.deepEqual(editions.map((e) => [e.edition, e.publishedOn, e.publishedBy]), [[1, '2026-03-10', 'Jo Bradley']]);
      const { report } = await publishing.edition(refresh.id, editions[0]!.id);
      const seed = shippedPlan('jnap-refresh-2022');
      assert.deepEqual(report.themes.map((theme) => theme.title), seed.themes.map((theme) => theme.title));
      assert.deepEqual(
        report.themes.flatMap((theme) => theme.actions.map((action) => [theme.title, action.number, action.status])),
        seed.themes.flatMap((theme) => theme.actions.map((action) => [theme.title, action.number, action.state])),
      );
      assert.equal(report.themes.flatMap((theme) => theme.actions).length, 20);
    } finally {
      await t.close();
    }
  });
}
