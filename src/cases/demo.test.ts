// The demo cases load with the demo, land on the demo people's work queues,
// and carry the deadlines their stages started.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { engines } from '../../test/support/databases.ts';
import { testApp } from '../../test/support/app.ts';
import { seedDemo } from '../platform/demo/service.ts';
import { londonDate } from '../platform/time/working-days.ts';
import { DEMO_SYNTHETIC_CASES, demoCases } from './demo.ts';

// The hand-made cases; the generated ones are checked by count (src/cases/synthetic tests the rest).
const handMade = new Set(demoCases.map((c) => c.policeReference));

for (const engine of engines) {
  test(`${engine}: the demo's cases are on the officer's and the prosecutor's work queues, at different stages`, async () => {
    const t = await testApp(engine);
    try {
      await seedDemo(t.platform);
      const queue = async (email: string) => {
        const user = await t.database.db.selectFrom('users').select('id').where('email', '=', email).executeTakeFirstOrThrow();
        return t.database.db.selectFrom('case_team').innerJoin('cases', 'cases.id', 'case_team.case_id')
          .select(['cases.police_reference', 'cases.stage']).where('case_team.user_id', '=', user.id).where('case_team.ended_at', 'is', null).execute()
          .then((rows) => rows.filter((row) => handMade.has(row.police_reference)));
      };
      const total = async () => Number((await t.database.db.selectFrom('cases').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
      assert.equal(await total(), demoCases.length + DEMO_SYNTHETIC_CASES);
      const sam = await queue('sam.taylor@avs.police.example');
      assert.equal(sam.length, demoCases.length);
      assert.ok(new Set(sam.map((c) => c.stage)).size >= 5, 'the cases are at different stages');
      assert.equal((await queue('daniel.okafor@cps.example')).length, 4);
      // Starting the demo over leaves the same cases, not twice as many.
      await seedDemo(t.platform, { reset: true });
      assert.equal(await total(), demoCases.length + DEMO_SYNTHETIC_CASES);
      assert.equal((await queue('sam.taylor@avs.police.example')).length, demoCases.length);
      // Early advice and action plan cases have their deadlines: one overdue, one still to come, one met long ago.
      const today = londonDate(t.clock.now());
      const deadlines = await t.database.db.selectFrom('deadlines').innerJoin('cases', 'cases.id', 'deadlines.subject_id')
        .select(['cases.police_reference', 'deadlines.rule_key', 'deadlines.status', 'deadlines.due_on']).where('deadlines.subject_type', '=', 'case').orderBy('cases.police_reference').execute()
        .then((rows) => rows.filter((row) => handMade.has(row.police_reference)));
      // The victims' demo adds contact clocks: Casey Doyle's next contact is overdue, Morgan Hale's to come.
      const contacts = deadlines.filter((d) => d.rule_key === 'victims.contact-due').map((d) => [d.police_reference, d.due_on < today ? 'overdue' : 'to come']);
      assert.deepEqual(contacts, [['AS/23011/25', 'to come'], ['AS/23187/25', 'overdue']]);
      deadlines.splice(0, deadlines.length, ...deadlines.filter((d) => d.rule_key !== 'victims.contact-due'));
      assert.deepEqual(deadlines.map((d) => [d.police_reference, d.rule_key, d.status]), [
        ['AS/21873/24', 'early-advice.response', 'met'],
        ['AS/22468/25', 'action-plan.review', 'open'],
        ['AS/23187/25', 'early-advice.response', 'open'],
      ]);
      assert.ok(deadlines[1]!.due_on >= today, 'the action plan review is still to come');
      assert.ok(deadlines[2]!.due_on < today, 'the early advice response is overdue');
    } finally {
      await t.close();
    }
  });
}
