import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import bankHolidayData from './bank-holidays.json' with { type: 'json' };
import {
  addCalendarDays,
  addWorkingDays,
  bankHoliday,
  bankHolidayYears,
  formatDate,
  formatDateTime,
  isWorkingDay,
  londonDate,
  workingDaysBetween,
} from './working-days.ts';

test('bank holiday data: shape, order and coverage', () => {
  assert.equal(bankHolidayData.division, 'england-and-wales');
  assert.ok(bankHolidayData.source.length > 0);
  assert.deepEqual(bankHolidayYears, { first: 2015, last: 2030 });
  const dates = bankHolidayData.events.map((e) => e.date);
  assert.deepEqual(dates, [...dates].sort(), 'events are in date order');
  assert.equal(new Set(dates).size, dates.length, 'no date appears twice');
  for (let year = 2015; year <= 2030; year += 1) {
    const count = dates.filter((d) => d.startsWith(`${year}-`)).length;
    // Eight a year, plus the Jubilee and the State Funeral in 2022 and the Coronation in 2023.
    assert.equal(count, year === 2022 ? 10 : year === 2023 ? 9 : 8, `holidays in ${year}`);
  }
  for (const date of dates) {
    assert.equal(isWorkingDay(date), false, `${date} is not a working day`);
    const weekday = new Date(`${date}T00:00:00Z`).getUTCDay();
    // Every bank holiday, substitute days included, falls on a weekday.
    assert.ok(weekday >= 1 && weekday <= 5, `${date} falls on a weekday`);
  }
});

test('bank holiday data: known dates checked by hand', () => {
  const known: [string, string][] = [
    ['2015-12-28', 'Boxing Day (substitute day)'],
    ['2016-12-27', 'Christmas Day (substitute day)'],
    ['2017-01-02', 'New Year’s Day (substitute day)'],
    ['2019-04-19', 'Good Friday'],
    ['2019-04-22', 'Easter Monday'],
    ['2020-05-08', 'Early May bank holiday (VE day)'],
    ['2020-12-28', 'Boxing Day (substitute day)'],
    ['2021-12-27', 'Christmas Day (substitute day)'],
    ['2021-12-28', 'Boxing Day (substitute day)'],
    ['2022-01-03', 'New Year’s Day (substitute day)'],
    ['2022-06-02', 'Spring bank holiday'],
    ['2022-06-03', 'Platinum Jubilee bank holiday'],
    ['2022-09-19', 'Bank Holiday for the State Funeral of Queen Elizabeth II'],
    ['2022-12-26', 'Boxing Day'],
    ['2022-12-27', 'Christmas Day (substitute day)'],
    ['2023-05-08', 'Bank holiday for the coronation of King Charles III'],
    ['2024-03-29', 'Good Friday'],
    ['2024-04-01', 'Easter Monday'],
    ['2025-04-18', 'Good Friday'],
    ['2025-08-25', 'Summer bank holiday'],
    ['2025-12-25', 'Christmas Day'],
    ['2026-12-28', 'Boxing Day (substitute day)'],
    ['2027-03-26', 'Good Friday'],
    ['2027-12-27', 'Christmas Day (substitute day)'],
    ['2027-12-28', 'Boxing Day (substitute day)'],
    ['2028-01-03', 'New Year’s Day (substitute day)'],
    ['2030-04-22', 'Easter Monday'],
  ];
  for (const [date, title] of known) assert.equal(bankHoliday(date), title, date);
  // The days the one-off changes displaced are ordinary working days.
  assert.equal(bankHoliday('2020-05-04'), undefined); // first Monday of May 2020
  assert.equal(bankHoliday('2022-05-30'), undefined); // last Monday of May 2022
  assert.equal(isWorkingDay('2020-05-04'), true);
  assert.equal(isWorkingDay('2022-05-30'), true);
  // Weekend holidays are not listed on the day itself, only their substitutes.
  assert.equal(bankHoliday('2021-12-25'), undefined);
  assert.equal(bankHoliday('2022-01-01'), undefined);
});

test('isWorkingDay: weekends and bank holidays', () => {
  assert.equal(isWorkingDay('2025-01-03'), true); // Friday
  assert.equal(isWorkingDay('2025-01-04'), false); // Saturday
  assert.equal(isWorkingDay('2025-01-05'), false); // Sunday
  assert.equal(isWorkingDay('2025-01-01'), false); // New Year's Day
  assert.equal(isWorkingDay('2024-03-29'), false); // Good Friday
});

test('addWorkingDays counts working days after the start date', () => {
  // The brief's example: 25 and 26 December and 1 January are skipped.
  assert.equal(addWorkingDays('2024-12-20', 10), '2025-01-08');
  assert.equal(addWorkingDays('2024-12-20', 1), '2024-12-23');
  assert.equal(addWorkingDays('2024-12-24', 1), '2024-12-27');
  // From a Saturday, the first working day is the Monday.
  assert.equal(addWorkingDays('2025-01-04', 1), '2025-01-06');
  // Zero leaves the date alone, whatever day it is.
  assert.equal(addWorkingDays('2025-01-04', 0), '2025-01-04');
  // Easter 2024: Thursday + 1 skips Good Friday, the weekend and Easter Monday.
  assert.equal(addWorkingDays('2024-03-28', 1), '2024-04-02');
  // Christmas 2027: both substitutes fall on Monday and Tuesday.
  assert.equal(addWorkingDays('2027-12-24', 1), '2027-12-29');
  // Victims' Code: five working days from a Friday.
  assert.equal(addWorkingDays('2025-05-02', 5), '2025-05-12'); // Monday 5 May is a bank holiday
});

test('workingDaysBetween counts (from, to] and is antisymmetric', () => {
  assert.equal(workingDaysBetween('2024-12-20', '2025-01-08'), 10);
  assert.equal(workingDaysBetween('2025-01-08', '2024-12-20'), -10);
  assert.equal(workingDaysBetween('2025-01-06', '2025-01-06'), 0);
  assert.equal(workingDaysBetween('2025-01-03', '2025-01-05'), 0); // Friday to Sunday
});

test('addCalendarDays crosses months, years and leap days', () => {
  assert.equal(addCalendarDays('2024-02-28', 1), '2024-02-29');
  assert.equal(addCalendarDays('2023-02-28', 1), '2023-03-01');
  assert.equal(addCalendarDays('2024-12-31', 1), '2025-01-01');
  assert.equal(addCalendarDays('2025-01-01', -1), '2024-12-31');
  assert.equal(addCalendarDays('2025-01-01', 21), '2025-01-22'); // early advice due
  assert.equal(addCalendarDays('2025-03-29', 2), '2025-03-31'); // across the clocks going forward
});

test('malformed dates, bad counts and uncovered years throw', () => {
  for (const bad of ['2025-02-30', '2025-13-01', '2025-1-5', '05/01/2025', '2025-01-05T00:00:00Z', '', '2023-02-29']) {
    assert.throws(() => isWorkingDay(bad), /Not a valid date/, bad);
    assert.throws(() => addCalendarDays(bad, 1), /Not a valid date/, bad);
  }
  assert.throws(() => addWorkingDays('2025-01-06', -1), /0 or more/);
  assert.throws(() => addWorkingDays('2025-01-06', 1.5), /whole number/);
  assert.throws(() => addCalendarDays('2025-01-06', Number.NaN), /whole number/);
  assert.throws(() => isWorkingDay('2014-12-31'), /No bank holiday data for 2014/);
  assert.throws(() => isWorkingDay('2031-01-02'), /No bank holiday data for 2031/);
  assert.throws(() => addWorkingDays('2030-12-20', 10), /No bank holiday data for 2031/);
  assert.doesNotThrow(() => isWorkingDay('2015-01-01'));
  assert.doesNotThrow(() => isWorkingDay('2030-12-31'));
});

// Start dates whose results stay inside the shipped data.
const startDate = fc
  .integer({ min: Date.UTC(2015, 0, 1) / 86_400_000, max: Date.UTC(2029, 11, 31) / 86_400_000 })
  .map((day) => new Date(day * 86_400_000).toISOString().slice(0, 10));
const count = fc.integer({ min: 0, max: 200 });

test('property: for n >= 1, addWorkingDays lands on a working day', () => {
  fc.assert(
    fc.property(startDate, fc.integer({ min: 1, max: 200 }), (date, n) => isWorkingDay(addWorkingDays(date, n))),
  );
});

test('property: addWorkingDays is monotonic in n', () => {
  fc.assert(
    fc.property(startDate, count, count, (date, a, b) => {
      const [low, high] = a <= b ? [a, b] : [b, a];
      const lowDate = addWorkingDays(date, low);
      const highDate = addWorkingDays(date, high);
      return low === high ? lowDate === highDate : lowDate < highDate;
    }),
  );
});

test('property: workingDaysBetween inverts addWorkingDays', () => {
  fc.assert(fc.property(startDate, count, (date, n) => workingDaysBetween(date, addWorkingDays(date, n)) === n));
});

test('property: addCalendarDays round-trips', () => {
  fc.assert(
    fc.property(startDate, fc.integer({ min: -3000, max: 3000 }), (date, n) => addCalendarDays(addCalendarDays(date, n), -n) === date),
  );
});

test('londonDate follows GMT and BST', () => {
  // Winter (GMT = UTC).
  assert.equal(londonDate('2025-01-05T23:59:59Z'), '2025-01-05');
  assert.equal(londonDate('2025-01-06T00:00:00Z'), '2025-01-06');
  // Summer (BST = UTC+1): 23:00 UTC is already tomorrow in London.
  assert.equal(londonDate('2025-07-05T22:59:59Z'), '2025-07-05');
  assert.equal(londonDate('2025-07-05T23:00:00Z'), '2025-07-06');
  // Clocks go forward at 01:00 UTC on Sunday 30 March 2025.
  assert.equal(londonDate('2025-03-29T23:30:00Z'), '2025-03-29');
  assert.equal(londonDate('2025-03-30T22:59:59Z'), '2025-03-30');
  assert.equal(londonDate('2025-03-30T23:00:00Z'), '2025-03-31');
  // Clocks go back at 01:00 UTC on Sunday 26 October 2025.
  assert.equal(londonDate('2025-10-25T22:59:59Z'), '2025-10-25');
  assert.equal(londonDate('2025-10-25T23:00:00Z'), '2025-10-26');
  assert.equal(londonDate('2025-10-26T23:30:00Z'), '2025-10-26');
  // Offsets and Date objects are accepted.
  assert.equal(londonDate('2025-07-06T00:30:00+02:00'), '2025-07-05');
  assert.equal(londonDate(new Date('2025-07-05T23:00:00Z')), '2025-07-06');
});

test('instants must carry a zone and be real', () => {
  assert.throws(() => londonDate('2025-07-05T23:00:00'), /with a zone/);
  assert.throws(() => londonDate('2025-07-05'), /with a zone/);
  assert.throws(() => londonDate('2025-02-30T10:00:00Z'), /Not a valid instant/);
  assert.throws(() => londonDate(new Date(Number.NaN)), /Not a valid instant/);
});

test('formatDate and formatDateTime in GOV.UK style', () => {
  assert.equal(formatDate('2025-01-05'), '5 January 2025');
  assert.equal(formatDate('2024-12-25'), '25 December 2024');
  assert.equal(formatDate('2025-07-05T23:30:00Z'), '6 July 2025'); // an instant: its London date
  assert.equal(formatDate(new Date('2025-01-05T12:00:00Z')), '5 January 2025');
  assert.throws(() => formatDate('2025-02-30'), /Not a valid date/);
  assert.equal(formatDateTime('2025-01-05T14:05:00Z'), '5 January 2025 at 2:05pm');
  assert.equal(formatDateTime('2025-07-05T13:05:00Z'), '5 July 2025 at 2:05pm'); // BST
  assert.equal(formatDateTime('2025-01-05T09:00:00Z'), '5 January 2025 at 9am');
  assert.equal(formatDateTime('2025-01-05T12:00:00Z'), '5 January 2025 at midday');
  assert.equal(formatDateTime('2025-01-05T12:30:00Z'), '5 January 2025 at 12:30pm');
  assert.equal(formatDateTime('2025-01-05T00:00:00Z'), '5 January 2025 at 12am');
  assert.equal(formatDateTime('2025-01-05T00:07:00Z'), '5 January 2025 at 12:07am');
  assert.equal(formatDateTime('2025-07-05T23:59:00Z'), '6 July 2025 at 12:59am');
});
