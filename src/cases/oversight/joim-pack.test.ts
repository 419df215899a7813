// The JOIM pack on both engines, from the clocks themselves: exactly the
// cases of the force AND the Area whose action-plan clock is open at the
// meeting date fall in the 28/56/90-day bands (27 days is not yet 28; 28 is;
// 56 and 90 move up), a later date shows later ages, an earlier one shows
// what was open then (a clock closed since counts; one started since does
// not), closed clocks and cases of another force or Area are left out, early
// advice waiting and overdue is listed, escalation steps reached are shown
// with when the sweep sent them, the PRFI list says whether the police
// responded, and no victim or suspect is named anywhere in it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { engines } from '../../../test/support/databases.ts';
import { systemContext } from '../../platform/audit/model.ts';
import { inTransaction } from '../../platform/db/transaction.ts';
import { closeDeadline } from '../../platform/deadlines/service.ts';
import { sweepDeadlines } from '../../platform/deadlines/sweep.ts';
import { addCalendarDays } from '../../platform/time/working-days.ts';
import { createActionPlansService } from '../action-plans/service.ts';
import type { Stage } from '../model.ts';
import { caseTestApp } from '../test-support.ts';
import { ageBand, daysBetween, joimPack, openAt } from './joim-pack.ts';
import type { JoimPack } from './joim-pack.ts';

const TODAY = '2026-03-10';
const VICTIM = 'Imogen Fairweather';
const SUSPECT = 'Barnaby Quillfeather';

test('age bands: the highest PRFI review day reached', () => {
  assert.deepEqual([0, 27, 28, 55, 56, 89, 90, 400].map(ageBand), [null, null, 28, 28, 56, 56, 90, 90]);
  assert.equal(daysBetween('2026-02-28', '2026-03-01'), 1);
  // Across the change to summer time, still whole days.
  assert.equal(daysBetween('2026-03-28', '2026-03-30'), 2);
  assert.equal(openAt({ started_on: TODAY, closed_at: null }, addCalendarDays(TODAY, -1)), false, 'not started yet');
  assert.equal(openAt({ started_on: '2026-03-01', closed_at: '2026-03-10T00:30:00.000Z' }, '2026-03-09'), true, 'closed after the end of that London day');
  assert.equal(openAt({ started_on: '2026-03-01', closed_at: '2026-03-09T23:30:00.000Z' }, '2026-03-09'), false, 'closed late on that day');
  // In summer London is an hour ahead: 23:30 UTC is already the next day there.
  assert.equal(openAt({ started_on: '2026-06-01', closed_at: '2026-06-09T23:30:00.000Z' }, '2026-06-09'), true);
  assert.equal(openAt({ started_on: '2026-06-01', closed_at: '2026-06-09T22:30:00.000Z' }, '2026-06-09'), false);
});

for (const engine of engines) {
  test(`${engine}: the JOIM pack lists exactly the cases their clocks say`, async (s) => {
    const { t, w } = await caseTestApp(engine);
    t.clock.set(`${TODAY}T12:00:00Z`);
    try {
      const db = t.platform.db;
      const pair = { forceId: w.force, cpsAreaId: w.area };
      const make = (reference: string, path: readonly Stage[], days: number, where: { forceId?: string; cpsAreaId?: string } = {}) => {
        const forceId = where.forceId ?? w.force;
        const cpsAreaId = where.cpsAreaId ?? w.area;
        return w.cases.operator.createCase(systemContext(), {
          policeReference: reference, cpsUrn: `52${reference.replace(/\W/g, '')}`, forceId, cpsAreaId, offenceClass: 'rape_16_plus', reportedOn: '2025-01-06', path, daysAtStage: days,
          people: [{ category: 'victim', name: VICTIM, dateOfBirth: '1991-04-17' }, { category: 'suspect', name: SUSPECT }],
          team: [
            ...(forceId === w.force ? [{ userId: w.oic.id, organisationId: forceId, role: 'oic' as const }] : [{ userId: w.otherForceInvestigator.id, organisationId: forceId, role: 'oic' as const }]),
            ...(cpsAreaId === w.area ? [{ userId: w.prosecutor.id, organisationId: cpsAreaId, role: 'prosecutor' as const }] : []),
          ],
        });
      };
      const prfi: readonly Stage[] = ['investigation', 'charging_referral', 'action_plan'];
      const ages = [27, 28, 55, 56, 89, 90, 120];
      for (const days of ages) await make(`AP/${days}`, prfi, days);
      const closedId = await make('AP/CLOSED', prfi, 60);
      await make('AP/OTHER-FORCE', prfi, 60, { forceId: w.otherForce });
      await make('AP/OTHER-AREA', prfi, 60, { cpsAreaId: w.otherArea });
      await make('EA/30', ['investigation', 'early_advice'], 30);
      await make('EA/10', ['investigation', 'early_advice'], 10);
      await make('EA/OTHER-AREA', ['investigation', 'early_advice'], 30, { cpsAreaId: w.otherArea });
      await make('INV/1', ['investigation'], 40);
      // The closed clock: met this morning.
      await inTransaction(db, async (tx) => {
        const clock = await tx.selectFrom('deadlines').select('id').where('subject_id', '=', closedId).where('rule_key', '=', 'action-plan.review').executeTakeFirstOrThrow();
        await closeDeadline(tx, clock.id, { outcome: 'met', reason: 'Answered', now: t.clock.now() });
      });
      const refs = (rows: readonly { case: { policeReference: string } }[]) => rows.map((row) => row.case.policeReference).sort();
      const bands = (pack: JoimPack) => Object.fromEntries(pack.ageing.map((row) => [row.case.policeReference, [row.days, row.band]]));

      await s.test('at the meeting date: 28, 56 and 90 days exactly move a case up a band; closed clocks and other pairs are left out', async () => {
        const pack = await joimPack(db, pair, TODAY, t.clock.now());
        assert.deepEqual(bands(pack), {
          'AP/28': [28, 28], 'AP/55': [55, 28], 'AP/56': [56, 56], 'AP/89': [89, 56], 'AP/90': [90, 90], 'AP/120': [120, 90],
        });
        assert.deepEqual(pack.ageing.map((row) => row.days), [120, 90, 89, 56, 55, 28], 'oldest first');
        assert.deepEqual(refs(pack.prfi), ['AP/120', 'AP/27', 'AP/28', 'AP/55', 'AP/56', 'AP/89', 'AP/90']);
        const p27 = pack.prfi.find((row) => row.case.policeReference === 'AP/27')!;
        assert.deepEqual([p27.issuedOn, p27.reviewDueOn, p27.daysOutstanding, p27.policeResponded, p27.actions], ['2026-02-11', '2026-03-11', 27, false, null]);
        assert.deepEqual(p27.nextStep, { label: 'Action plan 28-day review', dueOn: '2026-03-11' });
        assert.deepEqual(refs(pack.earlyAdvice), ['EA/10', 'EA/30']);
        const [ea30, ea10] = pack.earlyAdvice;
        assert.deepEqual([ea30!.case.policeReference, ea30!.daysWaiting, ea30!.dueOn, ea30!.overdue, ea30!.daysOverdue], ['EA/30', 30, '2026-03-01', true, 9]);
        assert.deepEqual([ea10!.daysWaiting, ea10!.overdue, ea10!.daysOverdue], [10, false, 0]);
        assert.deepEqual(refs(pack.escalations), ['AP/120', 'AP/28', 'AP/55', 'AP/56', 'AP/89', 'AP/90', 'EA/30']);
        const steps = Object.fromEntries(pack.escalations.map((row) => [row.case.policeReference, row.step.step]));
        assert.deepEqual(steps, { 'AP/120': 'senior-escalation', 'AP/90': 'senior-escalation', 'AP/89': 'escalate', 'AP/56': 'escalate', 'AP/55': 'review', 'AP/28': 'review', 'EA/30': 'escalate' });
        assert.ok(pack.escalations.every((row) => row.escalatedAt === null), 'the sweep has not run: the steps are due, not yet sent');
        const kase = pack.prfi[0]!.case;
        assert.deepEqual([kase.oic?.name, kase.prosecutor?.name, kase.stage, kase.cpsUrn], ['Sam Taylor', 'Daniel Okafor', 'action_plan', '52AP120']);
        assert.ok(!JSON.stringify(pack).includes(VICTIM) && !JSON.stringify(pack).includes(SUSPECT), 'no victim or suspect is named');
      });

      await s.test('a later date shows later ages; an earlier one what was open then', async () => {
        const later = await joimPack(db, pair, addCalendarDays(TODAY, 1), t.clock.now());
        assert.deepEqual(bands(later), {
          'AP/27': [28, 28], 'AP/28': [29, 28], 'AP/55': [56, 56], 'AP/56': [57, 56], 'AP/89': [90, 90], 'AP/90': [91, 90], 'AP/120': [121, 90],
        });
        assert.equal(later.earlyAdvice.find((row) => row.case.policeReference === 'EA/10')!.daysWaiting, 11);
        // Yesterday the clock closed this morning was still open, and every age a day less.
        const earlier = await joimPack(db, pair, addCalendarDays(TODAY, -1), t.clock.now());
        assert.deepEqual(bands(earlier), {
          'AP/55': [54, 28], 'AP/56': [55, 28], 'AP/89': [88, 56], 'AP/90': [89, 56], 'AP/120': [119, 90], 'AP/CLOSED': [59, 56],
        });
        assert.equal(earlier.prfi.find((row) => row.case.policeReference === 'AP/27')!.daysOutstanding, 26);
        // Thirty-one days ago none of the early advice had been asked for and only the older plans were open.
        const month = await joimPack(db, pair, addCalendarDays(TODAY, -31), t.clock.now());
        assert.deepEqual(refs(month.earlyAdvice), []);
        assert.deepEqual(refs(month.prfi), ['AP/120', 'AP/55', 'AP/56', 'AP/89', 'AP/90', 'AP/CLOSED']);
        assert.deepEqual(bands(month), { 'AP/120': [89, 56], 'AP/89': [58, 56], 'AP/90': [59, 56], 'AP/CLOSED': [29, 28] });
      });

      await s.test('the sweep sends the steps: the pack says when', async () => {
        await sweepDeadlines(t.platform, t.clock.now());
        const pack = await joimPack(db, pair, TODAY, t.clock.now());
        assert.ok(pack.escalations.every((row) => row.escalatedAt !== null), 'every step reached was sent');
        // A week on, the 27-day plan reaches its review, not yet sent.
        const later = await joimPack(db, pair, addCalendarDays(TODAY, 7), t.clock.now());
        const p27 = later.escalations.find((row) => row.case.policeReference === 'AP/27')!;
        assert.deepEqual([p27.step.step, p27.step.dueOn, p27.escalatedAt], ['review', '2026-03-11', null]);
      });

      await s.test('the PRFI list shows the plan’s actions and whether the police responded', async () => {
        const plans = createActionPlansService(t.platform);
        const caseId = await make('AP/PLAN', ['investigation', 'charging_referral'], 0);
        const version = async () => Number((await db.selectFrom('cases').select('version').where('id', '=', caseId).executeTakeFirstOrThrow()).version);
        const due = (date: string) => ({ day: date.slice(8, 10), month: date.slice(5, 7), year: date.slice(0, 4) });
        const { id: planId } = await plans.issueFromCharging(w.actor(w.prosecutor), w.context(w.prosecutor), caseId, {
          items: [{ description: 'Obtain CCTV', owner: 'police', dueOn: due('2026-03-20') }, { description: 'Review phone download', owner: 'police', dueOn: due('2026-04-01') }, { description: 'Counsel advice', owner: 'cps', dueOn: due('2026-03-15') }],
        }, await version());
        const before = (await joimPack(db, pair, '2026-03-25', t.clock.now())).prfi.find((row) => row.case.policeReference === 'AP/PLAN')!;
        assert.deepEqual(before.actions, { total: 3, outstanding: 3, earliestDueOn: '2026-03-15', overdue: 2 });
        assert.deepEqual([before.policeResponded, before.lastResponseOn], [false, null]);
        // The prosecutor completing the CPS's own action is not a police response.
        const items = (await plans.plans(w.actor(w.oic), w.context(w.oic), caseId)).plans[0]!.items;
        await plans.respond(w.actor(w.prosecutor), w.context(w.prosecutor), caseId, planId, items[2]!.id, { response: 'complete', text: 'Counsel advised.' }, await version());
        assert.equal((await joimPack(db, pair, TODAY, t.clock.now())).prfi.find((row) => row.case.policeReference === 'AP/PLAN')!.policeResponded, false);
        t.clock.set('2026-03-12T10:00:00Z');
        await plans.respond(w.actor(w.oic), w.context(w.oic), caseId, planId, items[0]!.id, { response: 'accept', text: '' }, await version());
        const after = await joimPack(db, pair, '2026-03-25', t.clock.now());
        const row = after.prfi.find((r) => r.case.policeReference === 'AP/PLAN')!;
        assert.deepEqual([row.policeResponded, row.lastResponseOn, row.issuedOn, row.actions?.outstanding], [true, '2026-03-12', TODAY, 2]);
        // As at the day before the police answered, they had not.
        assert.equal((await joimPack(db, pair, '2026-03-11', t.clock.now())).prfi.find((r) => r.case.policeReference === 'AP/PLAN')!.policeResponded, false);
      });
    } finally {
      await t.close();
    }
  });
}
