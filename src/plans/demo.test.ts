// The demo's plans: the two national plans owned by the national
// organisation, Jersey's by the States of Jersey Police, no links the sources
// do not make, and each plan's review on the clock (Jersey's due soon); with
// Avon and Somerset in the demo, a joint local plan made on the platform.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { engines } from '../../test/support/databases.ts';
import { testApp } from '../../test/support/app.ts';
import { inTransaction } from '../platform/db/transaction.ts';
import type { Actor } from '../platform/access/policy.ts';
import { seedDemoPlans } from './demo.ts';
import { createPlansService } from './service.ts';

/** Reading a plan needs only someone signed in. */
const systemActor = (userId: string): Actor => ({
  userId, displayName: 'Reader', email: 'reader@example', via: 'session', scopes: undefined, memberships: [],
  organisation: { organisationId: 'none', organisationCode: 'NONE', organisationName: 'None', organisationKind: 'police_force', roles: [] },
});

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

for (const engine of engines) {
  test(`${engine}: the demo holds a joint local plan made on the platform, linked into the refresh's cascade`, async () => {
    const t = await testApp(engine);
    try {
      t.clock.set('2026-03-10T12:00:00Z');
      const national = await t.organisation('NRP', 'national');
      const jersey = await t.organisation('SOJP', 'police_force');
      const force = await t.organisation('AVS', 'police_force', 'Avon and Somerset Police');
      const nadia = await t.person({ email: 'nadia.hussain@avs.police.example', name: 'Nadia Hussain', roles: [[force, 'plan_lead']] });
      await t.person({ email: 'priya.shah@avs.police.example', name: 'Priya Shah', roles: [[force, 'police_supervisor']] });
      const organisations = new Map([['NRP', national], ['SOJP', jersey], ['AVS', force]]);
      assert.equal(await inTransaction(t.platform.db, (tx) => seedDemoPlans(tx, organisations, t.clock.now().toISOString())), 4);
      const plans = createPlansService(t.platform);
      const made = (await plans.list()).find((p) => p.ownerOrganisationId === force)!;
      assert.deepEqual([made.level, made.period, made.statusScheme, made.actions, made.withdrawn, made.nextReviewOn], ['local', '2026/27', 'rag', 3, 1, '2026-07-10']);
      const view = await plans.plan(systemActor(nadia.id), made.id);
      assert.equal(view.history.at(-1)!.kind, 'plan-created');
      assert.equal(view.history.at(-1)!.recordedBy, 'Nadia Hussain');
      const actions = view.themes.flatMap((theme) => theme.actions);
      assert.deepEqual(actions.map((a) => [a.number, a.status, a.leadName, a.withdrawnOn]), [
        [1, 'amber', 'Priya Shah', null], [2, 'complete', null, null], [3, 'red', null, null], [4, 'amber', 'Priya Shah', '2026-03-10'],
      ]);
      const detail = await plans.action(systemActor(nadia.id), made.id, actions[0]!.id);
      assert.deepEqual(detail.updates.map((u) => u.kind), ['status', 'link', 'action-added']);
      assert.equal(detail.delivers?.number, 6);
      const refresh = await t.platform.db.selectFrom('plans').select('id').where('key', '=', 'jnap-refresh-2022').executeTakeFirstOrThrow();
      const cascade = (await plans.cascade(refresh.id)).rows;
      const row = (n: number) => cascade.find((r) => r.action.number === n)!;
      assert.deepEqual([row(6).linked.length, row(6).delivered], [1, 0]);
      assert.deepEqual([row(7).linked.length, row(7).delivered], [1, 1]);
      assert.deepEqual([row(17).linked.length, row(17).withdrawn, row(17).byStatus], [1, 1, []]);
      assert.equal((await t.platform.db.selectFrom('deadlines').select('id').where('subject_type', '=', 'plan').where('subject_id', '=', made.id).where('status', '=', 'open').execute()).length, 1);
    } finally {
      await t.close();
    }
  });
}
