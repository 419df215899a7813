// Attribution as properties: the days always add up to the case's age, the
// periods tile the case's life without gap or overlap, and the fast walk over
// change points agrees with a day-by-day reading of the journal. Plus the
// rules themselves and the London day boundary.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { addCalendarDays, londonDate } from '../../platform/time/working-days.ts';
import { stageNames } from '../model.ts';
import { attributeDays, partyNames, stageParty } from './model.ts';
import type { JournalEntry, Party } from './model.ts';

const types = ['case.stage-changed', 'advice.requested', 'advice.given', 'advice.rejected', 'investigation.awaiting-victim', 'investigation.victim-re-engaged', 'case.note-added'];

const journal = fc.array(
  fc.record({
    type: fc.constantFrom(...types),
    // From 2024-12-01 to 2026-03-01, any minute: crosses both clock changes.
    at: fc.integer({ min: Date.UTC(2024, 11, 1), max: Date.UTC(2026, 2, 1) }),
    to: fc.constantFrom(...stageNames),
  }).map(({ type, at, to }): JournalEntry => ({ type, occurredAt: new Date(at - (at % 60_000)).toISOString(), data: type === 'case.stage-changed' ? { to } : {} })),
  { maxLength: 40 },
);
const dateIn = fc.integer({ min: 0, max: 450 }).map((n) => addCalendarDays('2024-12-15', n));

/** The slow, obvious reading: for each day, replay every event up to that day. */
function dayByDay(events: readonly JournalEntry[], from: string, to: string): Party[] {
  const sorted = events.map((e, i) => ({ e, i })).sort((a, b) => (a.e.occurredAt < b.e.occurredAt ? -1 : a.e.occurredAt > b.e.occurredAt ? 1 : a.i - b.i)).map((x) => x.e);
  const result: Party[] = [];
  for (let day = from; day <= to; day = addCalendarDays(day, 1)) {
    let stage: keyof typeof stageParty = 'report';
    let answered = false;
    let victim = false;
    for (const e of sorted.filter((x) => londonDate(x.occurredAt) <= day)) {
      if (e.type === 'case.stage-changed') {
        stage = e.data.to as keyof typeof stageParty;
        if (stage === 'early_advice') answered = false;
      }
      if (e.type === 'advice.given' || e.type === 'advice.rejected') answered = true;
      if (e.type === 'advice.requested') answered = false;
      if (e.type === 'investigation.awaiting-victim') victim = true;
      if (e.type === 'investigation.victim-re-engaged') victim = false;
    }
    const base = stageParty[stage];
    result.push(base === 'closed' ? 'closed' : victim ? 'victim' : stage === 'early_advice' && answered ? 'police' : base);
  }
  return result;
}

test('the days add up to the case’s age, the periods tile it, and agree with a day-by-day reading', () => {
  fc.assert(fc.property(journal, dateIn, fc.integer({ min: 0, max: 400 }), (events, reportedOn, span) => {
    const today = addCalendarDays(reportedOn, span);
    const result = attributeDays(events, reportedOn, today);
    assert.equal(result.ageDays, span + 1);
    assert.equal(partyNames.reduce((sum, p) => sum + result.totals[p], 0), result.ageDays);
    assert.equal(result.periods[0]?.from, reportedOn);
    assert.equal(result.periods.at(-1)?.to, today);
    for (const [i, period] of result.periods.entries()) {
      if (i > 0) {
        assert.equal(period.from, addCalendarDays(result.periods[i - 1]!.to, 1), 'no gap, no overlap');
        assert.notEqual(period.party, result.periods[i - 1]!.party, 'neighbours differ');
      }
    }
    const expanded = result.periods.flatMap((p) => Array.from({ length: p.days }, () => p.party));
    assert.deepEqual(expanded, dayByDay(events, reportedOn, today));
  }), { numRuns: 300 });
});

test('the rules: early advice is the CPS’s until answered; waiting on the victim; closed stays closed', () => {
  const at = (day: string, hour = 10) => `${day}T${String(hour).padStart(2, '0')}:00:00.000Z`;
  const events: JournalEntry[] = [
    { type: 'case.created', occurredAt: at('2025-01-01'), data: { stage: 'crime_recorded' } },
    { type: 'case.stage-changed', occurredAt: at('2025-01-11'), data: { from: 'crime_recorded', to: 'investigation' } },
    { type: 'case.stage-changed', occurredAt: at('2025-01-21'), data: { from: 'investigation', to: 'early_advice' } },
    { type: 'advice.given', occurredAt: at('2025-02-05'), data: {} },
    { type: 'investigation.awaiting-victim', occurredAt: at('2025-02-10'), data: { reasonCode: 'unavailable' } },
    { type: 'investigation.victim-re-engaged', occurredAt: at('2025-02-20'), data: {} },
    { type: 'case.stage-changed', occurredAt: at('2025-03-01'), data: { from: 'early_advice', to: 'charging_referral' } },
    { type: 'case.stage-changed', occurredAt: at('2025-03-11'), data: { from: 'charging_referral', to: 'charged' } },
    { type: 'case.stage-changed', occurredAt: at('2025-03-21'), data: { from: 'charged', to: 'court' } },
    { type: 'case.stage-changed', occurredAt: at('2025-04-01'), data: { from: 'court', to: 'completed' } },
  ];
  const result = attributeDays(events, '2025-01-01', '2025-04-10');
  assert.deepEqual(result.periods.map((p) => [p.party, p.from, p.to]), [
    ['police', '2025-01-01', '2025-01-20'],
    ['cps', '2025-01-21', '2025-02-04'],
    ['police', '2025-02-05', '2025-02-09'],
    ['victim', '2025-02-10', '2025-02-19'],
    ['police', '2025-02-20', '2025-02-28'],
    ['cps', '2025-03-01', '2025-03-10'],
    ['court', '2025-03-11', '2025-03-31'],
    ['closed', '2025-04-01', '2025-04-10'],
  ]);
  assert.equal(result.ageDays, 100);
});

test('days turn at midnight in London, not UTC', () => {
  // 23:30 UTC on 30 June is 00:30 on 1 July in London (BST); in January the two agree.
  const summer = attributeDays([{ type: 'case.stage-changed', occurredAt: '2025-06-30T23:30:00.000Z', data: { to: 'charging_referral' } }], '2025-06-29', '2025-07-02');
  assert.deepEqual(summer.periods.map((p) => [p.party, p.days]), [['police', 2], ['cps', 2]]);
  const winter = attributeDays([{ type: 'case.stage-changed', occurredAt: '2025-01-30T23:30:00.000Z', data: { to: 'charging_referral' } }], '2025-01-29', '2025-02-01');
  assert.deepEqual(winter.periods.map((p) => [p.party, p.days]), [['police', 1], ['cps', 3]]);
  assert.equal(attributeDays([], '2025-02-01', '2025-01-31').ageDays, 0, 'a report dated after today has no days yet');
});
