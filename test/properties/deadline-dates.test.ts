// Property: the clock engine's due dates and escalation step dates are right
// across weekends and bank holidays. Each is compared with a deliberately
// simple reference written here, which walks the calendar one day at a time
// (its own date arithmetic, no Date objects) and skips Saturdays, Sundays and
// the England-and-Wales bank holidays of the shipped list. The shipped list
// itself is checked against the standing rules (Easter computed from the
// Gregorian computus, substitute days) plus the days proclaimed for single
// years, so a wrong or missing date in the data fails here too.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import bankHolidayData from '../../src/platform/time/bank-holidays.json' with { type: 'json' };
import { inTransaction } from '../../src/platform/db/transaction.ts';
import { dueDate, parseRuleDefinition, schedule } from '../../src/platform/deadlines/model.ts';
import type { Period, RuleDefinition } from '../../src/platform/deadlines/model.ts';
import { openDeadline, publishRuleVersion } from '../../src/platform/deadlines/service.ts';
import { deadlineWorld, TEST_SUBJECT } from '../../src/platform/deadlines/test-support.ts';
import { engines } from '../support/databases.ts';

// The reference calendar: a date is [year, month, day]; nothing here uses Date.

type Ymd = readonly [number, number, number];

const isLeap = (y: number) => (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
const daysIn = (y: number, m: number) => [31, isLeap(y) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1]!;
const parse = (text: string): Ymd => [Number(text.slice(0, 4)), Number(text.slice(5, 7)), Number(text.slice(8, 10))];
const show = ([y, m, d]: Ymd) => `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;

function nextDay([y, m, d]: Ymd): Ymd {
  if (d < daysIn(y, m)) return [y, m, d + 1];
  return m < 12 ? [y, m + 1, 1] : [y + 1, 1, 1];
}

function previousDay([y, m, d]: Ymd): Ymd {
  if (d > 1) return [y, m, d - 1];
  return m > 1 ? [y, m - 1, daysIn(y, m - 1)] : [y - 1, 12, 31];
}

/** 0 Sunday … 6 Saturday (Sakamoto's method). */
function weekday([y, m, d]: Ymd): number {
  const t = [0, 3, 2, 5, 0, 3, 5, 1, 4, 6, 2, 4];
  const yy = m < 3 ? y - 1 : y;
  return (yy + Math.floor(yy / 4) - Math.floor(yy / 100) + Math.floor(yy / 400) + t[m - 1]! + d) % 7;
}

const shippedHolidays = new Set(bankHolidayData.events.map((e) => e.date));

class OutsideData extends Error {}

function refIsWorkingDay(date: Ymd): boolean {
  if (date[0] < 2015 || date[0] > 2030) throw new OutsideData(show(date));
  const w = weekday(date);
  return w !== 0 && w !== 6 && !shippedHolidays.has(show(date));
}

function refAddCalendarDays(date: Ymd, n: number): Ymd {
  let day = date;
  for (let i = 0; i < n; i += 1) day = nextDay(day);
  for (let i = 0; i > n; i -= 1) day = previousDay(day);
  return day;
}

/** The n-th working day after `date` (the start date itself never counts). */
function refAddWorkingDays(date: Ymd, n: number): Ymd {
  let day = date;
  let counted = 0;
  while (counted < n) {
    day = nextDay(day);
    if (refIsWorkingDay(day)) counted += 1;
  }
  return day;
}

function refAddMonths([y, m, d]: Ymd, n: number): Ymd {
  let year = y;
  let month = m;
  for (let i = 0; i < n; i += 1) {
    month += 1;
    if (month === 13) [year, month] = [year + 1, 1];
  }
  return [year, month, Math.min(d, daysIn(year, month))];
}

function refAdd(date: Ymd, period: Period): Ymd {
  if (period.unit === 'calendar-days') return refAddCalendarDays(date, period.amount);
  if (period.unit === 'working-days') return refAddWorkingDays(date, period.amount);
  return refAddMonths(date, period.amount);
}

/** What the rule says, by the reference: the due date and each step's date, moved on by `paused` days of pause in the rule's unit. */
function reference(rule: RuleDefinition, startedOn: string, paused: number): { due: string; steps: Record<string, string> } | 'outside-data' {
  try {
    const start = parse(startedOn);
    const pauseUnit: Period['unit'] = rule.due.unit === 'working-days' ? 'working-days' : 'calendar-days';
    const shift = (date: Ymd) => (paused === 0 ? date : refAdd(date, { amount: paused, unit: pauseUnit }));
    const due = refAdd(start, rule.due);
    const steps: Record<string, string> = {};
    for (const step of rule.steps) steps[step.step] = show(shift(refAdd(step.from === 'start' ? start : due, step.after)));
    return { due: show(shift(due)), steps };
  } catch (error) {
    if (error instanceof OutsideData) return 'outside-data';
    throw error;
  }
}

/** The same by the engine; a date outside the shipped years must make it refuse, never guess. */
function engine(rule: RuleDefinition, startedOn: string, paused: number): { due: string; steps: Record<string, string>; order: string[] } | 'outside-data' {
  try {
    const steps = schedule(rule, startedOn, paused);
    return { due: dueDate(rule, startedOn, paused), steps: Object.fromEntries(steps.map((s) => [s.step, s.dueOn])), order: steps.map((s) => s.dueOn) };
  } catch (error) {
    if (error instanceof Error && /No bank holiday data/.test(error.message)) return 'outside-data';
    throw error;
  }
}

// Random rules, as the rule format allows them: any unit forwards; only
// calendar days back from the due date.

const startDate = fc.integer({ min: 0, max: 5843 }).map((n) => show(refAddCalendarDays([2015, 1, 1], n))); // 2015-01-01 … 2030-12-31
const forward: fc.Arbitrary<Period> = fc.oneof(
  fc.record({ amount: fc.integer({ min: 0, max: 400 }), unit: fc.constant('calendar-days' as const) }),
  fc.record({ amount: fc.integer({ min: 0, max: 260 }), unit: fc.constant('working-days' as const) }),
  fc.record({ amount: fc.integer({ min: 0, max: 36 }), unit: fc.constant('months' as const) }),
);
const stepArb = fc.oneof(
  fc.record({ from: fc.constantFrom('start' as const, 'due' as const), after: forward }),
  fc.record({ from: fc.constant('due' as const), after: fc.record({ amount: fc.integer({ min: -60, max: -1 }), unit: fc.constant('calendar-days' as const) }) }),
);
const ruleArb = fc.record({ due: forward, steps: fc.array(stepArb, { maxLength: 4 }), pausable: fc.boolean() }).map(({ due, steps, pausable }) =>
  parseRuleDefinition({
    title: 'A random rule',
    due,
    pausable,
    steps: steps.map((s, i) => ({ step: `step-${i + 1}`, label: `Step ${i + 1}`, from: s.from, after: s.after, audience: ['oic'] })),
  }),
);

test('property: due dates and step dates equal a day-by-day walk that skips weekends and bank holidays', () => {
  fc.assert(
    fc.property(ruleArb, startDate, fc.integer({ min: 0, max: 30 }), (rule, startedOn, paused) => {
      const expected = reference(rule, startedOn, paused);
      const actual = engine(rule, startedOn, paused);
      if (expected === 'outside-data' || actual === 'outside-data') {
        assert.equal(actual, expected, 'the engine refuses exactly the dates the shipped data does not cover');
        return;
      }
      assert.equal(actual.due, expected.due, 'due date');
      assert.deepEqual(actual.steps, expected.steps, 'step dates');
      assert.deepEqual(actual.order, [...actual.order].sort(), 'steps come earliest first');
    }),
    { numRuns: 3000 },
  );
});

test('known dates: substitute days, Easter, the 2020 VE-day move, the 2022 jubilee and funeral, the 2023 coronation', () => {
  const wd = (amount: number): RuleDefinition => parseRuleDefinition({ title: 'w', due: { amount, unit: 'working-days' }, pausable: false, steps: [] });
  const cases: [start: string, workingDays: number, due: string, why: string][] = [
    ['2020-05-07', 1, '2020-05-11', 'Friday 8 May 2020 (VE day) was the early May bank holiday'],
    ['2020-05-01', 1, '2020-05-04', 'Monday 4 May 2020 was an ordinary working day: the holiday moved'],
    ['2022-05-27', 1, '2022-05-30', 'Monday 30 May 2022 was a working day: the spring holiday moved to 2 June'],
    ['2022-06-01', 1, '2022-06-06', '2 and 3 June 2022: spring bank holiday and Platinum Jubilee'],
    ['2022-09-16', 1, '2022-09-20', 'Monday 19 September 2022: the State Funeral of Queen Elizabeth II'],
    ['2023-05-05', 1, '2023-05-09', 'Monday 8 May 2023: the coronation of King Charles III'],
    ['2023-04-28', 1, '2023-05-02', 'Monday 1 May 2023: early May bank holiday'],
    ['2021-12-24', 1, '2021-12-29', '27 and 28 December 2021: substitutes for Christmas (Saturday) and Boxing Day (Sunday)'],
    ['2022-12-23', 1, '2022-12-28', '26 and 27 December 2022: Boxing Day and the Christmas substitute'],
    ['2020-12-24', 1, '2020-12-29', '25 December 2020 and Monday 28 (Boxing Day substitute)'],
    ['2026-12-24', 1, '2026-12-29', '25 December 2026 and Monday 28 (Boxing Day substitute)'],
    ['2027-12-24', 1, '2027-12-29', '27 and 28 December 2027: both substitutes'],
    ['2021-12-31', 1, '2022-01-04', 'Monday 3 January 2022: New Year substitute'],
    ['2025-04-17', 1, '2025-04-22', 'Good Friday 18 and Easter Monday 21 April 2025'],
    ['2019-04-18', 1, '2019-04-23', 'Good Friday 19 and Easter Monday 22 April 2019'],
    ['2016-03-24', 1, '2016-03-29', 'Good Friday 25 and Easter Monday 28 March 2016'],
    ['2024-12-20', 5, '2024-12-31', 'five working days over Christmas 2024'],
    ['2024-12-20', 10, '2025-01-08', 'ten working days over Christmas and New Year'],
  ];
  for (const [start, amount, due, why] of cases) {
    assert.equal(dueDate(wd(amount), start), due, why);
    const expected = reference(wd(amount), start, 0);
    assert.equal(typeof expected === 'string' ? expected : expected.due, due, `the reference agrees: ${why}`);
  }
});

/** Easter Sunday by the anonymous Gregorian algorithm (Meeus/Jones/Butcher). */
function easter(y: number): Ymd {
  const a = y % 19;
  const b = Math.floor(y / 100);
  const c = y % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  const day = ((h + l - 7 * m + 114) % 31) + 1;
  return [y, month, day];
}

/** England and Wales bank holidays by the standing rules, with the days moved or added by proclamation. */
function derivedHolidays(y: number): string[] {
  const days: Ymd[] = [];
  const firstMonday = (m: number): Ymd => {
    let d: Ymd = [y, m, 1];
    while (weekday(d) !== 1) d = nextDay(d);
    return d;
  };
  const lastMonday = (m: number): Ymd => {
    let d: Ymd = [y, m, daysIn(y, m)];
    while (weekday(d) !== 1) d = previousDay(d);
    return d;
  };
  const newYear: Ymd = [y, 1, 1];
  days.push(weekday(newYear) === 6 ? [y, 1, 3] : weekday(newYear) === 0 ? [y, 1, 2] : newYear);
  const sunday = easter(y);
  days.push(refAddCalendarDays(sunday, -2), refAddCalendarDays(sunday, 1));
  days.push(y === 2020 ? [2020, 5, 8] : firstMonday(5));
  if (y === 2022) days.push([2022, 6, 2], [2022, 6, 3]);
  else days.push(lastMonday(5));
  days.push(lastMonday(8));
  if (y === 2022) days.push([2022, 9, 19]);
  if (y === 2023) days.push([2023, 5, 8]);
  // Christmas and Boxing Day: a day falling at a weekend moves to the next weekday not already taken.
  const christmas: Ymd[] = [];
  for (const d of [[y, 12, 25], [y, 12, 26]] as Ymd[]) {
    let day = d;
    while (weekday(day) === 0 || weekday(day) === 6 || christmas.some((c) => show(c) === show(day))) day = nextDay(day);
    christmas.push(day);
  }
  days.push(...christmas);
  return days.map(show).sort();
}

test('the shipped bank holidays are exactly those of England and Wales, 2015 to 2030', () => {
  assert.equal(bankHolidayData.firstYear, 2015);
  assert.equal(bankHolidayData.lastYear, 2030);
  assert.equal(bankHolidayData.division, 'england-and-wales');
  const shipped = bankHolidayData.events.map((e) => e.date).sort();
  assert.equal(new Set(shipped).size, shipped.length, 'no date is listed twice');
  const derived: string[] = [];
  for (let y = 2015; y <= 2030; y += 1) derived.push(...derivedHolidays(y));
  assert.deepEqual(shipped.filter((d) => !derived.includes(d)), [], 'shipped days that are not bank holidays');
  assert.deepEqual(derived.filter((d) => !shipped.includes(d)), [], 'bank holidays missing from the shipped data');
  for (const [date, title] of [['2020-05-08', /VE/], ['2022-09-19', /Funeral/], ['2023-05-08', /coronation/i], ['2022-06-03', /Jubilee/]] as const) {
    assert.match(bankHolidayData.events.find((e) => e.date === date)?.title ?? '', title, date);
  }
  for (const moved of ['2020-05-04', '2022-05-30']) assert.ok(!shipped.includes(moved), `${moved} was not a bank holiday`);
});

for (const db of engines) {
  test(`${db}: property: a deadline opened under a random published rule stores the reference due date and next step`, async () => {
    const w = await deadlineWorld(db, '2024-01-10T09:00:00Z');
    try {
      const s = await w.subject();
      let n = 0;
      await fc.assert(
        fc.asyncProperty(ruleArb, startDate, async (rule, startedOn) => {
          const expected = reference(rule, startedOn, 0);
          fc.pre(expected !== 'outside-data');
          if (typeof expected === 'string') return;
          n += 1;
          const key = `property.rule-${n}`;
          const opened = await inTransaction(w.platform.db, async (tx) => {
            await publishRuleVersion(tx, { key, effectiveFrom: '2015-01-01', definition: rule, now: w.clock.now() });
            return openDeadline(tx, { subjectType: TEST_SUBJECT, subjectId: s.id, ruleKey: key, organisationIds: [w.force, w.area], startedOn, now: w.clock.now() });
          });
          const row = await w.platform.db.selectFrom('deadlines').select(['due_on', 'next_step_due_on', 'started_on']).where('id', '=', opened.id).executeTakeFirstOrThrow();
          const stepDates = Object.values(expected.steps).sort();
          assert.deepEqual({ started: row.started_on, due: row.due_on, next: row.next_step_due_on }, { started: startedOn, due: expected.due, next: stepDates[0] ?? null });
        }),
        { numRuns: 150 },
      );
    } finally {
      await w.dispose();
    }
  });
}
