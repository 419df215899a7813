// The case-file measures on both engines, computed exactly on cases built
// through the case commands at set times: early advice answered on day 21
// (within) and day 22 (late), answers either side of the quarter's edges in
// London summer time, a rejection then an upheld appeal restarting the
// clock, cases pending a response by age band at the quarter's end,
// escalations the sweep took counted in the quarter they fell due, police and
// CPS decisions of no further action; another force's cases never count.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { engines } from '../../../test/support/databases.ts';
import { systemContext } from '../../platform/audit/model.ts';
import { sweepDeadlines } from '../../platform/deadlines/sweep.ts';
import { createCaseCommands } from '../case-commands.ts';
import type { CaseEventDraft } from '../case-commands.ts';
import { createEarlyAdviceService } from '../early-advice/service.ts';
import type { Stage } from '../model.ts';
import { caseTestApp, worldCase } from '../test-support.ts';
import { caseMeasures, londonDayStart, median, prfiFrom } from './measures.ts';

const dg6 = {
  urn: '', summary: 'Reported rape after a night out.', enquiriesDone: 'ABE interview.', enquiriesOngoing: 'Phone download, 2 weeks.',
  enquiriesPlanned: 'CCTV, 1 week.', issues: 'Suspect says consent.', questions: 'Is the CCTV needed?', keyMaterial: 'ABE and interview.', disclosableMaterial: 'None known.',
};
const Q2 = { start: '2026-07-01', end: '2026-09-30' };

test('London days start at midnight London time, in summer and in winter', () => {
  assert.equal(londonDayStart('2026-07-01'), '2026-06-30T23:00:00.000Z');
  assert.equal(londonDayStart('2026-01-01'), '2026-01-01T00:00:00.000Z');
  assert.equal(londonDayStart('2026-10-25'), '2026-10-24T23:00:00.000Z');
  assert.equal(londonDayStart('2026-10-26'), '2026-10-26T00:00:00.000Z');
});

test('a median of an even count is the mean of the middle two', () => {
  assert.equal(median([]), null);
  assert.equal(median([5, 1, 3]), 3);
  assert.equal(median([21, 22, 4, 30]), 21.5);
});

test('age bands: under the first review, between each, and at or over the last', () => {
  const entered = (caseId: string, on: string, seq = 1) => ({ case_id: caseId, seq, type: 'case.stage-changed', occurred_at: `${on}T12:00:00.000Z`, data: JSON.stringify({ from: 'charging_referral', to: 'action_plan' }) });
  const left = (caseId: string, on: string) => ({ case_id: caseId, seq: 9, type: 'case.stage-changed', occurred_at: `${on}T12:00:00.000Z`, data: JSON.stringify({ from: 'action_plan', to: 'charging_referral' }) });
  const ageing = prfiFrom([entered('a', '2026-09-03'), entered('b', '2026-09-02'), entered('c', '2026-08-06'), entered('d', '2026-08-05'), entered('e', '2026-07-03'), entered('f', '2026-07-02'), entered('g', '2026-05-01'), left('g', '2026-09-01')], '2026-09-30', [28, 56, 90]);
  assert.deepEqual(ageing.bands.map((b) => [b.from, b.to, b.count]), [[0, 27, 1], [28, 55, 2], [56, 89, 2], [90, null, 1]]);
  assert.equal(ageing.open, 6);
});

for (const engine of engines) {
  test(`${engine}: case-file measures of a force and a CPS Area for a quarter`, async () => {
    const { t, w } = await caseTestApp(engine);
    try {
      const ea = createEarlyAdviceService(t.platform);
      const commands = createCaseCommands(t.platform);
      const as = (p: typeof w.oic) => [w.actor(p), w.context(p)] as const;
      const at = (instant: string) => t.clock.set(instant);
      const version = async (caseId: string) => Number((await t.database.db.selectFrom('cases').select('version').where('id', '=', caseId).executeTakeFirstOrThrow()).version);
      let n = 0;
      const newCase = async (force = w.force, area = w.area, oic = w.oic, prosecutor = w.prosecutor) => {
        n += 1;
        return w.cases.operator.createCase(systemContext(), worldCase(force, area, oic.id, prosecutor.id, `MEASURE/${n}`));
      };
      /** A command on the case writing these journal events (and moving it, if `stage`), as the case's own commands do. */
      const record = async (caseId: string, events: CaseEventDraft[], stage?: Stage, by = w.oic) => {
        const loaded = await commands.load(w.actor(by), w.context(by), caseId, 'work');
        await commands.command(w.actor(by), w.context(by), loaded, Number(loaded.row.version), async () => ({ events, ...(stage ? { stage } : {}), audit: { action: 'alter', event: 'test.record' } }));
      };
      const requestOn = async (caseId: string, instant: string) => {
        at(instant);
        return (await ea.request(...as(w.oic), caseId, dg6, await version(caseId))).id;
      };
      const adviseOn = async (caseId: string, requestId: string, instant: string) => {
        at(instant);
        await ea.advise(...as(w.prosecutor), caseId, requestId, { advice: 'Obtain the CCTV, then submit the file.', items: [] }, await version(caseId));
      };

      // Early advice. Requested 1 July, answered 22 July: day 21, within.
      const a = await newCase();
      await adviseOn(a, await requestOn(a, '2026-07-01T08:00:00Z'), '2026-07-22T15:00:00Z');
      // Requested 2 July, answered 24 July: day 22, late.
      const b = await newCase();
      await adviseOn(b, await requestOn(b, '2026-07-02T08:00:00Z'), '2026-07-24T09:00:00Z');
      // Rejected at 23:30 on 30 June in London (22:30 UTC): the quarter before.
      const c = await newCase();
      const cRequest = await requestOn(c, '2026-06-10T09:00:00Z');
      at('2026-06-30T22:30:00Z');
      await ea.decide(...as(w.prosecutor), c, cRequest, { decision: 'reject', reason: 'premature', detail: 'Download outstanding.' }, await version(c));
      // Answered at 23:59 on 30 September in London: in the quarter (day 15).
      const d = await newCase();
      await adviseOn(d, await requestOn(d, '2026-09-15T08:00:00Z'), '2026-09-30T22:59:00Z');
      // Answered at midnight starting 1 October in London: the quarter after.
      const e = await newCase();
      await adviseOn(e, await requestOn(e, '2026-09-20T08:00:00Z'), '2026-09-30T23:00:00Z');
      // Rejected on day 4 (an answer, within); appeal upheld 10 July restarts the clock; advised 5 August, day 26 from the appeal: late.
      const g = await newCase();
      const gRequest = await requestOn(g, '2026-07-01T08:00:00Z');
      at('2026-07-05T10:00:00Z');
      await ea.decide(...as(w.prosecutor), g, gRequest, { decision: 'reject', reason: 'premature', detail: 'Too early.' }, await version(g));
      at('2026-07-07T10:00:00Z');
      await ea.appeal(...as(w.supervisor), g, gRequest, { rank: 'inspector', grounds: 'The download is done.' }, await version(g));
      at('2026-07-10T10:00:00Z');
      await ea.decideAppeal(...as(w.dcp), g, gRequest, { upheld: 'yes', note: 'The request is timely.' }, await version(g));
      await adviseOn(g, gRequest, '2026-08-05T10:00:00Z');
      // Another force's case, with another Area, answered in the quarter: never counted.
      const other = await newCase(w.otherForce, w.otherArea, w.otherForceInvestigator, w.otherAreaDcp);
      at('2026-07-01T08:00:00Z');
      const otherRequest = (await ea.request(w.actor(w.otherForceInvestigator), w.context(w.otherForceInvestigator), other, dg6, await version(other))).id;
      at('2026-07-03T08:00:00Z');
      await ea.advise(w.actor(w.otherAreaDcp), w.context(w.otherAreaDcp), other, otherRequest, { advice: 'Charge.', items: [] }, await version(other));

      // Cases pending a response at the end of 30 September.
      const toActionPlan = async (caseId: string, instant: string) => {
        at(instant);
        await w.moveAsCommand(caseId, 'charging_referral');
        await w.moveAsCommand(caseId, 'action_plan');
      };
      const p1 = await newCase();
      await toActionPlan(p1, '2026-09-02T10:00:00Z'); // 28 days
      const p2 = await newCase();
      await toActionPlan(p2, '2026-09-03T10:00:00Z'); // 27 days
      const p3 = await newCase();
      await toActionPlan(p3, '2026-06-01T10:00:00Z'); // 121 days
      const p4 = await newCase();
      await toActionPlan(p4, '2026-07-06T10:00:00Z'); // 86 days
      const p5 = await newCase();
      await toActionPlan(p5, '2026-05-01T10:00:00Z');
      at('2026-09-29T10:00:00Z');
      await w.moveAsCommand(p5, 'charging_referral'); // answered before the end: not pending
      const p6 = await newCase();
      await toActionPlan(p6, '2026-09-30T23:30:00Z'); // 00:30 on 1 October in London: after
      const p7 = await newCase(w.otherForce, w.otherArea, w.otherForceInvestigator, w.otherAreaDcp);
      at('2026-06-01T10:00:00Z');
      await w.moveAsCommand(p7, 'charging_referral', w.otherForceInvestigator);
      await w.moveAsCommand(p7, 'action_plan', w.otherForceInvestigator);

      // Decisions of no further action, in and either side of the quarter.
      const nfa = await newCase();
      for (const [instant, code] of [['2026-07-03T10:00:00Z', 16], ['2026-07-04T10:00:00Z', 16], ['2026-08-01T10:00:00Z', 18], ['2026-06-30T22:00:00Z', 14], ['2026-10-01T10:00:00Z', 14]] as const) {
        at(instant);
        await record(nfa, [{ type: 'police-nfa.decided', data: { proposalId: 'p', outcomeCode: code, victimToldOn: instant.slice(0, 10), rightToReviewGiven: true } }]);
      }
      at('2026-08-10T10:00:00Z');
      await record(nfa, [
        { type: 'charging.decided', data: { referralId: 'r', decision: 'nfa_evidential', suspectId: 's1' } },
        { type: 'charging.decided', data: { referralId: 'r', decision: 'nfa_evidential', suspectId: 's2' } },
        { type: 'charging.decided', data: { referralId: 'r', decision: 'nfa_public_interest', suspectId: 's3' } },
        { type: 'charging.decided', data: { referralId: 'r', decision: 'charge', suspectId: 's4' } },
      ]);
      at('2026-07-03T10:00:00Z');
      await record(other, [{ type: 'police-nfa.decided', data: { proposalId: 'p', outcomeCode: 16 } }], undefined, w.otherForceInvestigator);

      // The clock's escalations, taken by one sweep in October: counted in the quarter each step fell due.
      const swept = await sweepDeadlines(t.platform, new Date('2026-10-05T09:00:00Z'));
      assert.ok(swept.escalations > 0);

      const now = new Date('2026-10-06T09:00:00Z');
      const force = await caseMeasures(t.platform.db, { id: w.force, kind: 'police_force' }, Q2, now);
      assert.equal(force.computedAt, now.toISOString());
      assert.deepEqual(force.earlyAdvice, { targetDays: 21, answered: 5, advised: 4, rejected: 1, withinTarget: 3, medianDays: 21 });
      assert.deepEqual(force.prfi.bands.map((band) => [band.from, band.to, band.count]), [[0, 27, 1], [28, 55, 1], [56, 89, 1], [90, null, 1]]);
      assert.equal(force.prfi.open, 4);
      assert.equal(force.prfi.asAt, '2026-09-30');
      // P4: review 3 Aug; P1: review 30 Sep. P3: escalate 27 Jul, P4: escalate 31 Aug. P3: senior escalation 30 Aug.
      assert.deepEqual(force.escalations.filter((x) => x.ruleKey === 'action-plan.review').map((x) => [x.step, x.count]).sort(), [['escalate', 2], ['review', 2], ['senior-escalation', 1]]);
      assert.match(force.escalations.find((x) => x.step === 'senior-escalation')!.label, /90 days/);
      assert.deepEqual(force.nfa.police.map((x) => [x.code, x.count]), [['16', 2], ['18', 1]]);
      assert.equal(force.nfa.policeTotal, 3);
      assert.match(force.nfa.police[0]!.name, /^16: Evidential difficulties/);
      assert.deepEqual(force.nfa.cps.map((x) => [x.code, x.count]), [['nfa_evidential', 2], ['nfa_public_interest', 1]]);
      assert.equal(force.nfa.cpsTotal, 3);

      // The CPS Area of the same cases sees the same; the other force's own figures hold only its cases.
      const area = await caseMeasures(t.platform.db, { id: w.area, kind: 'cps_area' }, Q2, now);
      assert.deepEqual(area.earlyAdvice, force.earlyAdvice);
      assert.deepEqual(area.prfi, force.prfi);
      assert.deepEqual(area.nfa, force.nfa);
      const otherForce = await caseMeasures(t.platform.db, { id: w.otherForce, kind: 'police_force' }, Q2, now);
      assert.deepEqual([otherForce.earlyAdvice.answered, otherForce.earlyAdvice.withinTarget, otherForce.prfi.open, otherForce.nfa.policeTotal], [1, 1, 1, 1]);
      assert.deepEqual(otherForce.prfi.bands.map((band) => band.count), [0, 0, 0, 1]);

      // The quarter before holds the rejection at 23:30 on 30 June and the NFA at 23:00 on 30 June.
      const q1 = await caseMeasures(t.platform.db, { id: w.force, kind: 'police_force' }, { start: '2026-04-01', end: '2026-06-30' }, now);
      assert.deepEqual([q1.earlyAdvice.answered, q1.earlyAdvice.rejected, q1.earlyAdvice.withinTarget], [1, 1, 1]);
      assert.deepEqual(q1.nfa.police.map((x) => [x.code, x.count]), [['14', 1]]);
      assert.deepEqual(q1.prfi.bands.map((band) => band.count), [0, 1, 1, 0], 'P3 (29 days) and P5 (60 days) were pending at the end of June');
    } finally {
      await t.close();
    }
  });
}
