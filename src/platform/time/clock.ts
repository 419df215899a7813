// The one source of "now". Code that opens, closes or sweeps deadlines takes a
// Clock rather than calling `new Date()`, so tests and demos can move time.

export interface Clock {
  now(): Date;
}

export const systemClock: Clock = {
  now: () => new Date(),
};

export interface Duration {
  readonly days?: number;
  readonly hours?: number;
  readonly minutes?: number;
  readonly seconds?: number;
  readonly milliseconds?: number;
}

const MS = { days: 86_400_000, hours: 3_600_000, minutes: 60_000, seconds: 1_000, milliseconds: 1 } as const;

/** Milliseconds in a duration. A day is 24 elapsed hours, not a calendar day. */
export function durationMs(duration: Duration): number {
  let total = 0;
  for (const unit of Object.keys(MS) as (keyof typeof MS)[]) {
    const amount = duration[unit] ?? 0;
    if (!Number.isFinite(amount)) throw new Error(`Duration ${unit} must be a finite number, got ${amount}`);
    total += amount * MS[unit];
  }
  return total;
}

/** A clock that stands still until told to move: for tests and demos. */
export class ControllableClock implements Clock {
  #ms: number;

  constructor(start: Date | string = new Date()) {
    this.#ms = toMs(start);
  }

  now(): Date {
    return new Date(this.#ms); // a fresh Date each time, so callers cannot move the clock by mutating it
  }

  set(instant: Date | string): void {
    this.#ms = toMs(instant);
  }

  /** Moves the clock on (or back, with negative amounts) and returns the new time. */
  advance(by: Duration): Date {
    this.#ms += durationMs(by);
    return this.now();
  }
}

// An ISO-8601 instant must say its offset: '2025-01-05T14:05' alone would be
// read in the server's local zone, which is never what is meant.
const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

/** A Date from a Date or an ISO-8601 instant with 'Z' or an offset; throws otherwise. */
export function parseInstant(instant: Date | string): Date {
  if (typeof instant === 'string' && !INSTANT.test(instant)) {
    throw new Error(`Not an ISO-8601 instant with a zone (e.g. 2025-01-05T14:05:00Z): ${JSON.stringify(instant)}`);
  }
  const date = new Date(instant);
  // The engine rolls '2025-02-30T00:00Z' over into March; refuse it instead.
  const rolledOver = typeof instant === 'string' && !isCalendarDate(instant.slice(0, 10));
  if (Number.isNaN(date.getTime()) || rolledOver) throw new Error(`Not a valid instant: ${String(instant)}`);
  return date;
}

/** Whether 'YYYY-MM-DD' names a real day of the proleptic Gregorian calendar. */
export function isCalendarDate(text: string): boolean {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

function toMs(instant: Date | string): number {
  return parseInstant(instant).getTime();
}
