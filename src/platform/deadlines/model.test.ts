import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { addCalendarDays, addWorkingDays, isWorkingDay, workingDaysBetween } from '../time/working-days.ts';
import { addMonths, dueDate, mostSpecific, nextStepDue, parseRuleDefinition, pausedDays, schedule, stepsDue } from './model.ts';
import type { RuleDefinition, RuleVersion } from './model.ts';
import shipped from './rules.json' with { type: 'json' };

const rule = (key: string): RuleDefinition => parseRuleDefinition(shipped.rules.find((r) => r.key === key)!.definition, key);

/** Any date whose arithmetic stays inside the shipped bank holiday years. */
const plainDate = fc.date({ min: new Date('2016-01-01T00:00:00Z'), max: new Date('2028-12-31T00:00:00Z'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10));

test('every shipped rule parses, with unique keys and versions', () => {
  const seen = new Set<string>();
  for (const r of shipped.rules) {
    assert.ok(!seen.has(`${r.key}@${r.version}`), `${r.key} version ${r.version} appears once`);
    seen.add(`${r.key}@${r.version}`);
    parseRuleDefinition(r.definition, r.key);
  }
  for (const key of ['early-advice.response', 'action-plan.review', 'supervisory-review', 'pre-charge-bail', 'victims-code.cps-no-charge', 'vrr.police.acknowledge']) {
    assert.ok(seen.has(`${key}@1`), key);
  }
});

test('malformed rule definitions are refused with the fault named', () => {
  const good = rule('action-plan.review');
  assert.throws(() => parseRuleDefinition({ ...good, due: { amount: 3, unit: 'fortnights' } }), /unit must be one of/);
  assert.throws(() => parseRuleDefinition({ ...good, steps: [good.steps[0], good.steps[0]] }), /appears twice/);
  assert.throws(() => parseRuleDefinition({ ...good, steps: [{ ...good.steps[0]!, audience: [] }] }), /audience/);
  assert.throws(() => parseRuleDefinition({ ...good, steps: [{ ...good.steps[0]!, from: 'start', after: { amount: -1, unit: 'calendar-days' } }] }), /negative/);
  assert.throws(() => parseRuleDefinition({ ...good, pausable: 'yes' }), /pausable/);
  assert.throws(() => parseRuleDefinition(null), /object/);
});

test('due dates across Christmas, New Year and Easter', () => {
  // 21 calendar days, holidays or not.
  assert.equal(dueDate(rule('early-advice.response'), '2024-12-10'), '2024-12-31');
  // 5 working days from Friday 20 December 2024: 23, 24, 27, 30, 31 (25 and 26 are bank holidays).
  assert.equal(dueDate(rule('victims-code.cps-no-charge'), '2024-12-20'), '2024-12-31');
  // 10 working days from the same Friday also skip New Year's Day.
  assert.equal(dueDate(rule('vrr.police.acknowledge'), '2024-12-20'), '2025-01-08');
  // Easter 2025: Good Friday 18 April and Easter Monday 21 April are skipped.
  assert.equal(dueDate(rule('victims-code.cps-no-charge'), '2025-04-17'), '2025-04-28');
  assert.equal(dueDate(rule('victims-code.cps-no-charge.vulnerable'), '2025-04-17'), '2025-04-22');
  // Its overdue step is the next working day after the due date.
  assert.deepEqual(schedule(rule('victims-code.cps-no-charge'), '2025-04-17').map((s) => [s.step, s.dueOn]), [['overdue', '2025-04-29']]);
  // A weekend start counts from the Monday.
  assert.equal(dueDate(rule('victims-code.cps-no-charge.vulnerable'), '2025-01-04'), '2025-01-06');
});

test('pre-charge bail: three months, clamped to the end of a shorter month, with a warning a week before', () => {
  assert.equal(dueDate(rule('pre-charge-bail'), '2024-11-30'), '2025-02-28');
  assert.equal(dueDate(rule('pre-charge-bail'), '2023-11-30'), '2024-02-29');
  assert.deepEqual(schedule(rule('pre-charge-bail'), '2025-01-15').map((s) => [s.step, s.dueOn]), [['expiry-warning', '2025-04-08'], ['expired', '2025-04-16']]);
});

test('action-plan reviews at 28, 56 and 90 days, and which are due on a date', () => {
  const steps = schedule(rule('action-plan.review'), '2025-01-01');
  assert.deepEqual(steps.map((s) => [s.step, s.dueOn]), [['review', '2025-01-29'], ['escalate', '2025-02-26'], ['senior-escalation', '2025-04-01']]);
  assert.deepEqual(stepsDue(steps, new Set(), '2025-01-28'), []);
  assert.deepEqual(stepsDue(steps, new Set(), '2025-02-26').map((s) => s.step), ['review', 'escalate']);
  assert.deepEqual(stepsDue(steps, new Set(['review']), '2025-02-26').map((s) => s.step), ['escalate']);
  assert.equal(nextStepDue(steps, new Set(['review'])), '2025-02-26');
  assert.equal(nextStepDue(steps, new Set(['review', 'escalate', 'senior-escalation'])), null);
});

test('property: a working-day deadline falls on a working day exactly n working days on', () => {
  fc.assert(fc.property(plainDate, fc.integer({ min: 1, max: 60 }), (start, n) => {
    const definition: RuleDefinition = { title: 'T', due: { amount: n, unit: 'working-days' }, pausable: true, outlivesClosing: false, steps: [] };
    const due = dueDate(definition, start);
    assert.ok(isWorkingDay(due), `${due} is a working day`);
    assert.equal(workingDaysBetween(start, due), n);
    // And it is the first such day: the day before holds one fewer.
    assert.equal(workingDaysBetween(start, addCalendarDays(due, -1)), n - 1);
  }), { numRuns: 500 });
});

test('property: a calendar-day deadline is exactly n days on, whatever the weekends and holidays', () => {
  fc.assert(fc.property(plainDate, fc.integer({ min: 0, max: 120 }), (start, n) => {
    const definition: RuleDefinition = { title: 'T', due: { amount: n, unit: 'calendar-days' }, pausable: true, outlivesClosing: false, steps: [] };
    assert.equal(dueDate(definition, start), addCalendarDays(start, n));
  }), { numRuns: 500 });
});

test('property: months land on the same day or the end of a shorter month', () => {
  fc.assert(fc.property(plainDate, fc.integer({ min: 1, max: 24 }), (start, n) => {
    const end = addMonths(start, n);
    const months = (Number(end.slice(0, 4)) - Number(start.slice(0, 4))) * 12 + Number(end.slice(5, 7)) - Number(start.slice(5, 7));
    assert.equal(months, n);
    const day = Number(end.slice(8, 10));
    assert.ok(day === Number(start.slice(8, 10)) || (day < Number(start.slice(8, 10)) && addCalendarDays(end, 1).slice(8, 10) === '01'));
  }), { numRuns: 500 });
});

test('pause and resume: calendar rules move by the days stopped, working-day rules by the working days stopped', () => {
  const calendar = rule('early-advice.response');
  const working = rule('vrr.police.review');
  assert.equal(pausedDays(calendar, '2025-01-10', '2025-01-17'), 7);
  assert.equal(pausedDays(calendar, '2025-01-10', '2025-01-10'), 0);
  // Friday 20 December 2024 to Monday 30 December: 23, 24, 27 and 30 are working days.
  assert.equal(pausedDays(working, '2024-12-20', '2024-12-30'), 4);
  assert.equal(dueDate(calendar, '2025-01-01', 7), '2025-01-29');
  assert.equal(dueDate(working, '2024-12-02', 4), addWorkingDays(dueDate(working, '2024-12-02'), 4));
});

test('property: pauses never bring a deadline or a step earlier, and shift every step alike', () => {
  const ruleArb = fc.constantFrom(rule('early-advice.response'), rule('vrr.police.review'), rule('action-plan.review'));
  fc.assert(fc.property(ruleArb, plainDate, fc.array(fc.tuple(fc.integer({ min: 0, max: 40 }), fc.integer({ min: 0, max: 40 })), { maxLength: 4 }), (definition, start, pauses) => {
    let day = start;
    let total = 0;
    for (const [before, length] of pauses) {
      const pausedOn = addCalendarDays(day, before);
      const resumedOn = addCalendarDays(pausedOn, length);
      total += pausedDays(definition, pausedOn, resumedOn);
      day = resumedOn;
    }
    const plain = schedule(definition, start);
    const moved = schedule(definition, start, total);
    assert.ok(dueDate(definition, start, total) >= dueDate(definition, start));
    moved.forEach((step, i) => {
      assert.equal(step.step, plain[i]!.step);
      assert.ok(step.dueOn >= plain[i]!.dueOn);
    });
  }), { numRuns: 300 });
});

test('the most specific version in force wins: an organisation\'s own, then the latest', () => {
  const version = (n: number, effectiveFrom: string, organisationId: string | null): RuleVersion => ({ key: 'k', version: n, organisationId, effectiveFrom, definition: rule('supervisory-review') });
  const versions = [version(1, '2020-01-01', null), version(2, '2025-01-01', null), version(3, '2024-06-01', 'force-a'), version(4, '2026-01-01', 'force-a')];
  assert.equal(mostSpecific(versions, [], '2024-12-31')?.version, 1);
  assert.equal(mostSpecific(versions, [], '2025-01-01')?.version, 2);
  assert.equal(mostSpecific(versions, ['force-b'], '2025-06-01')?.version, 2);
  assert.equal(mostSpecific(versions, ['force-a'], '2025-06-01')?.version, 3);
  assert.equal(mostSpecific(versions, ['area-x', 'force-a'], '2026-01-01')?.version, 4);
  assert.equal(mostSpecific(versions, ['force-a'], '2024-01-01')?.version, 1);
  assert.equal(mostSpecific(versions, ['force-a'], '2019-12-31'), undefined);
});
