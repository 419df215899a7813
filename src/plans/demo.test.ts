// The demo's plans: the two national plans owned by the national
// organisation, Jersey's by the States of Jersey Police, no links the sources
// do not make, and each plan's review on the clock (Jersey's due soon).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { engines } from '../../test/support/databases.ts';
import { testApp } from '../../test/support/app.ts';
import { inTransaction } from '../platform/db/transaction.ts';
import { seedDemoPlans } from './demo.ts';

for (const engine of engines) {
  test(`${engine}: the demo loads the three shipped plans`, async () => {
    const t = await testApp(engine);
    try {
      t.clock.set('2026-03-10T12:00:00Z');
      const national = await t.organisation('NRP', 'national');
      const jersey = await t.organisation('SOJP', 'police_force');
      const organisations = new Map([['NRP', national], ['SOJP', jersey]]);
      assert.equal(await inTransaction(t.platform.db, (tx) => seedDemoPlans(tx, organisations, t.clock.now().toISOString())), 3);
      const plans = await t.platform.db.selectFrom('plans').select(['key', 'owner_organisation_id', 'next_review_on']).orderBy('key').execute();
      assert.deepEqual(plans, [
        { key: 'jersey-2022-23', owner_organisation_id: jersey, next_review_on: '2026-03-20' },
        { key: 'jnap-2021', owner_organisation_id: national, next_review_on: '2026-09-10' },
        { key: 'jnap-refresh-2022', owner_organisation_id: national, next_review_on: '2026-09-10' },
      ]);
      assert.equal((await t.platform.db.selectFrom('plan_actions').select('id').where('delivers_action_id', 'is not', null).execute()).length, 0);
      assert.equal((await t.platform.db.selectFrom('deadlines').select('id').where('subject_type', '=', 'plan').where('status', '=', 'open').execute()).length, 3);
    } finally {
      await t.close();
    }
  });
}
