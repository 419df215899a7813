// Clocks of the victim's rights across weekends and bank holidays: the
// Victims' Code clocks (a CPS decision not to charge, 5 working days, 1 for a
// vulnerable or intimidated victim) opened by the charging decision, and the
// right-to-review clocks (police: acknowledge in 10 and review in 30 working
// days; the 3-month request window in calendar months) opened by the rights
// commands, each on a controlled clock and compared with dates written out by
// hand. Then a property: every shipped rule of the victim's rights gives the
// due date a day-by-day walk of the calendar gives, for any start 2015–2029.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import bankHolidayData from '../../src/platform/time/bank-holidays.json' with { type: 'json' };
import shipped from '../../src/platform/deadlines/rules.json' with { type: 'json' };
import { systemContext } from '../../src/platform/audit/model.ts';
import { dueDate, parseRuleDefinition } from '../../src/platform/deadlines/model.ts';
import { deadlinesFor } from '../../src/platform/deadlines/service.ts';
import { CASE_SUBJECT } from '../../src/cases/deadlines.ts';
import { createChargingService } from '../../src/cases/charging/service.ts';
import { dateInput, worldCase } from '../../src/cases/test-support.ts';
import * as victims from '../../src/victims/repository.ts';
import { createRightsService } from '../../src/victims/rights/service.ts';
import { victimTestApp } from '../../src/victims/test-support.ts';
import type { TestPerson } from '../support/app.ts';
import { engines } from '../support/databases.ts';

const ruleDefinition = (key: string) => parseRuleDefinition(shipped.rules.find((r) => r.key === key)!.definition, key);

for (const engine of engines) {
  test(`${engine}: the victim's clocks on the calendar`, async (s) => {
    const { t, w } = await victimTestApp(engine);
    try {
      const charging = createChargingService(t.platform);
      const rights = createRightsService(t.platform);
      const as = (p: TestPerson) => [w.actor(p), w.context(p)] as const;
      const version = async (caseId: string) => (await w.cases.caseFile(...as(w.oic), caseId)).summary.version;
      let n = 0;
      /** A case decided not to charge on `day` (London time, midday): the charging decision opens the Code clock. */
      const notCharged = async (day: string, vulnerable: boolean): Promise<string> => {
        n += 1;
        t.clock.set(`${day}T12:00:00Z`);
        const caseId = await w.cases.operator.createCase(systemContext(), { ...worldCase(w.force, w.area, w.oic.id, w.prosecutor.id, `VC/${n}/26`), flags: { vulnerableVictim: vulnerable } });
        const suspects = (await charging.chargingFile(...as(w.prosecutor), caseId)).file.suspects.map((x) => x.id);
        await charging.refer(...as(w.oic), caseId, { test: 'full_code', suspectIds: suspects, notRequestedReason: 'straightforward', notRequestedDetail: 'Full admissions in interview.' }, await version(caseId));
        await charging.triage(...as(w.prosecutor), caseId, { items: ['mg3_complete', 'victim_views'], result: 'accepted', reasons: '' }, await version(caseId));
        await charging.decide(...as(w.prosecutor), caseId, { suspectId: suspects[0]!, decision: 'nfa_evidential', alternativeOffence: false, reasons: 'Reasons recorded on the MG3.', offences: [] }, await version(caseId));
        return caseId;
      };
      const codeClock = async (caseId: string) => (await deadlinesFor(t.platform.db, CASE_SUBJECT, caseId)).find((d) => d.ruleKey.startsWith('victims-code.cps-no-charge'))!;

      await s.test('5 working days from a Friday before the early May bank holiday', async () => {
        // Friday 1 May 2026; Monday 4 May is a bank holiday: Tue 5, Wed 6, Thu 7, Fri 8, Mon 11.
        const caseId = await notCharged('2026-05-01', false);
        const clock = await codeClock(caseId);
        assert.deepEqual([clock.ruleKey, clock.startedOn, clock.dueOn], ['victims-code.cps-no-charge', '2026-05-01', '2026-05-11']);
        const [victim] = await victims.victimsOf(t.platform.db, caseId);
        const { lines } = await rights.ledger(...as(w.oic), caseId, victim!.id);
        assert.deepEqual(lines.map((l) => [l.entitlement, l.dueOn, l.deadlineId]), [['cps-no-charge', '2026-05-11', clock.id]]);
        // Recording delivery meets the clock in the same command.
        t.clock.set('2026-05-06T10:00:00Z');
        await rights.recordDelivery(...as(w.prosecutor), caseId, victim!.id, { entitlement: 'cps-no-charge', deliveredOn: dateInput('2026-05-06'), method: 'phone', reference: 'Told by the prosecutor at a meeting' }, await version(caseId));
        assert.equal((await codeClock(caseId)).status, 'met');
        assert.equal((await rights.ledger(...as(w.oic), caseId, victim!.id)).lines[0]!.status, 'delivered');
      });

      await s.test('1 working day for a vulnerable victim across Christmas and across Easter', async () => {
        // Thursday 24 December 2026: Christmas Day (Fri), the weekend, then Boxing Day's substitute (Mon 28) → Tue 29.
        const christmas = await codeClock(await notCharged('2026-12-24', true));
        assert.deepEqual([christmas.ruleKey, christmas.dueOn], ['victims-code.cps-no-charge.vulnerable', '2026-12-29']);
        // Thursday 31 December 2026: New Year's Day (Fri 1 January 2027), the weekend → Mon 4 January.
        assert.equal((await codeClock(await notCharged('2026-12-31', true))).dueOn, '2027-01-04');
        // Thursday 25 March 2027: Good Friday 26 March, the weekend, Easter Monday 29 March → Tue 30 March.
        assert.equal((await codeClock(await notCharged('2027-03-25', true))).dueOn, '2027-03-30');
      });

      // The world's case closed by police NFA, for the police scheme's clocks.
      await w.moveAsCommand(w.caseId, 'police_nfa', w.supervisor);
      const policeClocks = async () => (await deadlinesFor(t.platform.db, CASE_SUBJECT, w.caseId)).filter((d) => d.ruleKey.startsWith('vrr.police.') && d.status === 'open');
      const decideOpen = async () => {
        const { requests } = await rights.reviews(...as(w.oic), w.caseId, w.victimId);
        const open = requests.find((r) => r.outcome === null);
        if (open) await rights.decide(...as(w.supervisor), w.caseId, w.victimId, open.id, { outcome: 'upheld', decidedOn: dateInput(open.receivedOn), reasons: 'The decision stands.' }, await version(w.caseId));
      };

      await s.test('police review: acknowledge in 10, review in 30 working days, across the August bank holiday', async () => {
        t.clock.set('2026-12-01T12:00:00Z');
        // Received Thursday 20 August 2026; Monday 31 August is the summer bank holiday.
        await rights.requestReview(...as(w.oic), w.caseId, w.victimId, { scheme: 'police', toldOn: dateInput('2026-08-10'), receivedOn: dateInput('2026-08-20'), lateReason: '' }, await version(w.caseId));
        assert.deepEqual((await policeClocks()).map((d) => [d.ruleKey, d.dueOn]).sort(), [['vrr.police.acknowledge', '2026-09-04'], ['vrr.police.review', '2026-10-02']]);
        await decideOpen();
      });

      await s.test('police review across Christmas and New Year', async () => {
        t.clock.set('2027-01-15T12:00:00Z');
        // Received Friday 18 December 2026: 25 and 28 December and 1 January are bank holidays.
        await rights.requestReview(...as(w.oic), w.caseId, w.victimId, { scheme: 'police', toldOn: dateInput('2026-12-01'), receivedOn: dateInput('2026-12-18'), lateReason: '' }, await version(w.caseId));
        assert.deepEqual((await policeClocks()).map((d) => [d.ruleKey, d.dueOn]).sort(), [['vrr.police.acknowledge', '2027-01-06'], ['vrr.police.review', '2027-02-03']]);
        await decideOpen();
      });

      await s.test('the 3-month request window ends on the last day of a shorter month', async () => {
        t.clock.set('2028-06-01T12:00:00Z');
        const windowFor = async (toldOn: string, receivedOn: string, lateReason = '') => {
          await rights.requestReview(...as(w.oic), w.caseId, w.victimId, { scheme: 'police', toldOn: dateInput(toldOn), receivedOn: dateInput(receivedOn), lateReason }, await version(w.caseId));
          const { requests } = await rights.reviews(...as(w.oic), w.caseId, w.victimId);
          await decideOpen();
          return [requests[0]!.windowEndsOn, requests[0]!.late];
        };
        // Told 30 November: 28 February, or 29 in a leap year; received that day is in time.
        assert.deepEqual(await windowFor('2026-11-30', '2027-02-28'), ['2027-02-28', false]);
        assert.deepEqual(await windowFor('2027-11-30', '2028-02-29'), ['2028-02-29', false]);
        // Told 31 August: 30 November; a day later is late and needs its reason.
        assert.deepEqual(await windowFor('2027-08-31', '2027-12-01', 'The victim was abroad.'), ['2027-11-30', true]);
      });
    } finally {
      await t.close();
    }
  });
}

// The reference: walk the calendar one day at a time (UTC noon, so no clock change can move a day).
const holidays = new Set(bankHolidayData.events.map((e) => e.date));
const day = (text: string) => new Date(`${text}T12:00:00Z`);
const text = (date: Date) => date.toISOString().slice(0, 10);
const refWorkingDays = (start: string, n: number) => {
  const date = day(start);
  for (let left = n; left > 0;) {
    date.setUTCDate(date.getUTCDate() + 1);
    if (date.getUTCDay() !== 0 && date.getUTCDay() !== 6 && !holidays.has(text(date))) left -= 1;
  }
  return text(date);
};
const refMonths = (start: string, n: number) => {
  const [y, m, d] = start.split('-').map(Number) as [number, number, number];
  const months = y * 12 + (m - 1) + n;
  const year = Math.floor(months / 12);
  const month = (months % 12) + 1;
  const last = [31, (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]!;
  return `${year}-${String(month).padStart(2, '0')}-${String(Math.min(d, last)).padStart(2, '0')}`;
};

const rightsRules = shipped.rules.filter((r) => r.key.startsWith('victims-code.') || r.key.startsWith('vrr.')).map((r) => r.key);

test('every clock of the victim’s rights agrees with a day-by-day walk of the calendar', () => {
  assert.ok(rightsRules.length >= 12, 'the rules of the victim’s rights are shipped');
  const start = fc.integer({ min: Date.UTC(2015, 0, 1), max: Date.UTC(2029, 8, 30) }).map((ms) => text(new Date(ms)));
  fc.assert(fc.property(start, fc.constantFrom(...rightsRules), (startedOn, key) => {
    const rule = ruleDefinition(key);
    const expected = rule.due.unit === 'working-days' ? refWorkingDays(startedOn, rule.due.amount) : rule.due.unit === 'months' ? refMonths(startedOn, rule.due.amount) : text(new Date(day(startedOn).getTime() + rule.due.amount * 86_400_000));
    assert.equal(dueDate(rule, startedOn), expected, `${key} from ${startedOn}`);
  }), { numRuns: 2000 });
});
