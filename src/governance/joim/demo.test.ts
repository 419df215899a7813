// The demo's JOIM, on both engines, against the demo's own case file: the
// next meeting of Avon and Somerset Police and CPS South West has a pack that
// lists exactly the cases the clocks say are at 28/56/90 days of an action
// plan, and exactly the early advice waiting, on its date (worked out here
// from the deadlines themselves); the meeting three weeks or so ago was held, its
// pack frozen, with minutes, decisions and actions (one about a case of its
// pack, one delivering a JNAP refresh action, one done); no pack names anyone
// in a case.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { engines } from '../../../test/support/databases.ts';
import { testApp } from '../../../test/support/app.ts';
import type { Actor } from '../../platform/access/policy.ts';
import { seedDemo } from '../../platform/demo/service.ts';
import { ageBand, daysBetween } from '../../cases/oversight/joim-pack.ts';
import { createJoimService } from './service.ts';

for (const engine of engines) {
  test(`${engine}: the demo JOIM's pack lists the demo's overdue cases`, async () => {
    const t = await testApp(engine);
    try {
      await seedDemo(t.platform);
      const db = t.database.db;
      const code = async (c: string) => (await db.selectFrom('organisations').select('id').where('code', '=', c).executeTakeFirstOrThrow()).id;
      const [force, area] = [await code('AVS'), await code('CPS-SW')];
      const priya = await db.selectFrom('users').select(['id', 'email', 'display_name']).where('email', '=', 'priya.shah@avs.police.example').executeTakeFirstOrThrow();
      const membership = { organisationId: force, organisationCode: 'AVS', organisationName: 'Avon and Somerset Police', organisationKind: 'police_force' as const, roles: ['police_supervisor' as const] };
      const actor: Actor = { userId: priya.id, displayName: priya.display_name, email: priya.email, organisation: membership, memberships: [membership], via: 'session', scopes: undefined };
      const context = { userId: priya.id, organisationId: force, role: 'police_supervisor', requestId: null, written: { count: 0 } };
      const joim = createJoimService(t.platform);

      const pair = await joim.pair(actor, context, force, area);
      assert.equal(pair.upcoming.length, 1);
      assert.deepEqual(pair.past.map((m) => m.status), ['held']);
      const next = pair.upcoming[0]!;

      // What the clocks say, read here straight from the deadlines of the pair's cases.
      const clocks = await db.selectFrom('deadlines').innerJoin('cases', 'cases.id', 'deadlines.subject_id')
        .select(['cases.police_reference', 'deadlines.rule_key', 'deadlines.started_on', 'deadlines.due_on'])
        .where('deadlines.subject_type', '=', 'case').where('deadlines.status', 'in', ['open', 'paused'])
        .where('cases.force_id', '=', force).where('cases.cps_area_id', '=', area).where('deadlines.started_on', '<=', next.meetsOn).execute();
      const expectedAgeing = clocks.filter((c) => c.rule_key === 'action-plan.review' && ageBand(daysBetween(c.started_on, next.meetsOn)) !== null)
        .map((c) => `${c.police_reference} ${daysBetween(c.started_on, next.meetsOn)}`).sort();
      const expectedWaiting = clocks.filter((c) => c.rule_key === 'early-advice.response').map((c) => `${c.police_reference} ${c.due_on < next.meetsOn}`).sort();

      const { pack, frozen } = await joim.pack(actor, context, next.id);
      assert.equal(frozen, false);
      assert.equal(pack.on, next.meetsOn);
      assert.deepEqual(pack.ageing.map((row) => `${row.case.policeReference} ${row.days}`).sort(), expectedAgeing);
      assert.deepEqual(pack.earlyAdvice.map((row) => `${row.case.policeReference} ${row.overdue}`).sort(), expectedWaiting);
      // The hand-made cases: the action plan agreed 20 days ago is past its 28-day review by the meeting; the early advice asked 30 days ago is overdue.
      assert.equal(pack.ageing.find((row) => row.case.policeReference === 'AS/22468/25')?.band, 28);
      const ea = pack.earlyAdvice.find((row) => row.case.policeReference === 'AS/23187/25')!;
      assert.deepEqual([ea.overdue, ea.case.oic?.name, ea.case.prosecutor?.name], [true, 'Sam Taylor', 'Daniel Okafor']);

      const held = await joim.meeting(actor, context, pair.past[0]!.id);
      assert.deepEqual(held.attendees.map((a) => a.name), ['Priya Shah', 'Mark Ellis', 'Helen Price', 'Rachel Moore', 'Claire Whitfield']);
      assert.equal(held.decisions.length, 2);
      assert.ok(held.meeting.minutes?.includes('AS/23187/25'));
      assert.deepEqual(held.actions.map((a) => [a.ownerName, a.status, a.caseLabel, a.planActionLabel]), [
        ['Helen Price', 'open', 'AS/23187/25 (URN 52AS2318725)', null],
        ['Mark Ellis', 'open', null, 'Police-CPS Joint National Action Plan refresh, action 7'],
        ['Priya Shah', 'done', null, null],
      ]);
      assert.deepEqual(held.actions.map((a) => a.overdue), [true, false, false]);
      const frozenPack = await joim.pack(actor, context, held.meeting.id);
      assert.equal(frozenPack.frozen, true);
      assert.ok(frozenPack.pack.earlyAdvice.some((row) => row.case.policeReference === 'AS/23187/25'), 'the case the action is about is in the pack it was agreed from');

      const staff = new Set((await db.selectFrom('users').select('display_name').execute()).map((u) => u.display_name));
      const names = (await db.selectFrom('case_people').innerJoin('cases', 'cases.id', 'case_people.case_id').select('case_people.name')
        .where('cases.force_id', '=', force).where('cases.cps_area_id', '=', area).execute()).map((p) => p.name).filter((name) => !staff.has(name));
      for (const text of [JSON.stringify(pack), JSON.stringify(frozenPack.pack)]) {
        assert.deepEqual(names.filter((name) => text.includes(name)), [], 'no one in a case is named in a pack');
      }
    } finally {
      await t.close();
    }
  });
}
