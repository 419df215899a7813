// Calendar and working-day arithmetic for legal dates, and Europe/London
// presentation of instants.
//
// A legal date is a plain 'YYYY-MM-DD' string with no time or zone: the day a
// deadline falls due in England and Wales. Instants (Date, or ISO-8601 text
// with a zone) become legal dates only through `londonDate`.
//
// Working days skip Saturdays, Sundays and the bank holidays of England and
// Wales shipped in bank-holidays.json. A question about a year outside that
// data throws: treating an unknown year as having no bank holidays would
// quietly make deadlines early.
import bankHolidayData from './bank-holidays.json' with { type: 'json' };
import { isCalendarDate, parseInstant } from './clock.ts';

/** A legal date, 'YYYY-MM-DD'. */
export type PlainDate = string;

const DAY_MS = 86_400_000;

const holidays = new Map<PlainDate, string>(bankHolidayData.events.map((e) => [e.date, e.title]));

/** The years the shipped bank holiday data covers, inclusive. */
export const bankHolidayYears = { first: bankHolidayData.firstYear, last: bankHolidayData.lastYear } as const;

/** Throws unless `date` is a real 'YYYY-MM-DD' date; returns it for chaining. */
export function assertPlainDate(date: PlainDate): PlainDate {
  if (typeof date !== 'string' || !isCalendarDate(date)) {
    throw new Error(`Not a valid date (expected YYYY-MM-DD): ${JSON.stringify(date)}`);
  }
  return date;
}

function assertCovered(date: PlainDate): void {
  const year = Number(date.slice(0, 4));
  if (year < bankHolidayYears.first || year > bankHolidayYears.last) {
    throw new Error(
      `No bank holiday data for ${year} (shipped data covers ${bankHolidayYears.first} to ${bankHolidayYears.last}); ` +
        'add the year to src/platform/time/bank-holidays.json',
    );
  }
}

// Days since 1970-01-01: plain dates do arithmetic as whole numbers in UTC,
// where there are no clock changes.
function toDayNumber(date: PlainDate): number {
  return Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10))) / DAY_MS;
}

function fromDayNumber(day: number): PlainDate {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

function assertInteger(n: number, name: string, minimum = -Infinity): void {
  if (!Number.isSafeInteger(n) || n < minimum) {
    throw new Error(`${name} must be a whole number${minimum === 0 ? ' of 0 or more' : ''}, got ${n}`);
  }
}

/** The bank holiday's title, or undefined when `date` is not one. Throws outside the shipped years. */
export function bankHoliday(date: PlainDate): string | undefined {
  assertPlainDate(date);
  assertCovered(date);
  return holidays.get(date);
}

/** Monday to Friday and not a bank holiday in England and Wales. */
export function isWorkingDay(date: PlainDate): boolean {
  assertPlainDate(date);
  assertCovered(date);
  const weekday = new Date(toDayNumber(date) * DAY_MS).getUTCDay(); // 0 Sunday, 6 Saturday
  return weekday !== 0 && weekday !== 6 && !holidays.has(date);
}

/** `date` moved by `n` calendar days (n may be negative). */
export function addCalendarDays(date: PlainDate, n: number): PlainDate {
  assertPlainDate(date);
  assertInteger(n, 'Number of days');
  return fromDayNumber(toDayNumber(date) + n);
}

/**
 * The date `n` working days after `date`, counting as statutory deadlines do:
 * the start date itself is never counted (it may be any day, working or not),
 * and the result is the n-th working day after it. So 10 working days from
 * Friday 2024-12-20 is Wednesday 2025-01-08 (25 and 26 December and 1 January
 * being bank holidays). `n` = 0 returns `date` unchanged, even on a weekend.
 */
export function addWorkingDays(date: PlainDate, n: number): PlainDate {
  assertPlainDate(date);
  assertInteger(n, 'Number of working days', 0);
  let day = toDayNumber(date);
  for (let counted = 0; counted < n; ) {
    day += 1;
    if (isWorkingDay(fromDayNumber(day))) counted += 1;
  }
  return fromDayNumber(day);
}

/**
 * The number of working days after `from` up to and including `to`, the
 * inverse of addWorkingDays: workingDaysBetween(a, addWorkingDays(a, n)) === n.
 * Negative when `to` is before `from`.
 */
export function workingDaysBetween(from: PlainDate, to: PlainDate): number {
  assertPlainDate(from);
  assertPlainDate(to);
  const start = toDayNumber(from);
  const end = toDayNumber(to);
  if (end < start) return -workingDaysBetween(to, from);
  let count = 0;
  for (let day = start + 1; day <= end; day += 1) {
    if (isWorkingDay(fromDayNumber(day))) count += 1;
  }
  return count;
}

// Europe/London presentation. Intl applies the UK's clock changes (GMT in
// winter, BST in summer), so a late-evening instant in UTC can already be the
// next day in London, and vice versa.
const londonParts = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/London',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});

function inLondon(instant: Date | string): { date: PlainDate; hour: number; minute: number } {
  const parts: Record<string, string> = {};
  for (const part of londonParts.formatToParts(parseInstant(instant))) parts[part.type] = part.value;
  return {
    date: `${parts.year}-${parts.month}-${parts.day}`,
    hour: Number(parts.hour),
    minute: Number(parts.minute),
  };
}

/** The Europe/London calendar date of an instant, 'YYYY-MM-DD'. */
export function londonDate(instant: Date | string): PlainDate {
  return inLondon(instant).date;
}

const MONTHS = [
  'January', 'February', 'March', 'April', 'May', 'June',
  'July', 'August', 'September', 'October', 'November', 'December',
] as const;

/**
 * GOV.UK style date: '5 January 2025'. A 'YYYY-MM-DD' string is a legal date
 * and is shown as it is; an instant (Date or ISO text with a zone) is shown as
 * its date in London.
 */
export function formatDate(value: PlainDate | Date): string {
  const date = typeof value === 'string' && !value.includes('T') ? assertPlainDate(value) : londonDate(value);
  return `${Number(date.slice(8, 10))} ${MONTHS[Number(date.slice(5, 7)) - 1]} ${date.slice(0, 4)}`;
}

/**
 * GOV.UK style date and time in London: '5 January 2025 at 2:05pm',
 * '5 January 2025 at 9am', '5 January 2025 at midday'. 00:00 is shown as
 * '12am' rather than 'midnight', which readers take to mean the end of the day
 * and so would misread a deadline by a day.
 */
export function formatDateTime(instant: Date | string): string {
  const { date, hour, minute } = inLondon(instant);
  return `${formatDate(date)} at ${formatTime(hour, minute)}`;
}

function formatTime(hour: number, minute: number): string {
  if (hour === 12 && minute === 0) return 'midday';
  const suffix = hour < 12 ? 'am' : 'pm';
  const h12 = hour % 12 === 0 ? 12 : hour % 12;
  return minute === 0 ? `${h12}${suffix}` : `${h12}:${String(minute).padStart(2, '0')}${suffix}`;
}
