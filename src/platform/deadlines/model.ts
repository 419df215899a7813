// Deadlines: the rules that set them (versioned data), and the date
// arithmetic that turns a rule and a start date into a due date and a ladder
// of escalation steps.
//
// A rule version is never edited: a change of policy publishes a new version,
// effective from a date, and a deadline keeps the version it was opened
// under. An organisation (a force or CPS Area) may publish its own versions of
// a rule; for that organisation they win over the national ones.
import {
  addCalendarDays,
  addWorkingDays,
  assertPlainDate,
  workingDaysBetween,
} from '../time/working-days.ts';
import type { PlainDate } from '../time/working-days.ts';

export const periodUnits = ['calendar-days', 'working-days', 'months'] as const;
export type PeriodUnit = (typeof periodUnits)[number];

/** A length of time as the rules state it: 21 days, 10 working days, 3 months. */
export interface Period {
  readonly amount: number;
  readonly unit: PeriodUnit;
}

export interface EscalationStep {
  /** A name unique within the rule, e.g. 'review', 'escalate'. */
  readonly step: string;
  /** What people are told, e.g. 'Escalate to the supervisor and DCP'. */
  readonly label: string;
  /** Counted from the deadline's start, or from its due date. */
  readonly from: 'start' | 'due';
  /** May be negative in calendar days from the due date (a warning before it). */
  readonly after: Period;
  /** Case roles to tell, e.g. 'oic', 'supervisor'; the owning module says who holds them. */
  readonly audience: readonly string[];
}

export interface RuleDefinition {
  readonly title: string;
  readonly due: Period;
  /** Whether the clock may be stopped (with a reason) and restarted. */
  readonly pausable: boolean;
  /**
   * A duty that outlives the work on its subject: closing the subject (a case
   * ending in no further action, say) leaves it running. Telling the victim
   * of a decision is due precisely because the case closed.
   */
  readonly outlivesClosing: boolean;
  readonly steps: readonly EscalationStep[];
}

export interface RuleVersion {
  readonly key: string;
  readonly version: number;
  /** Set for an organisation's own version of the rule; null for the national one. */
  readonly organisationId: string | null;
  readonly effectiveFrom: PlainDate;
  readonly definition: RuleDefinition;
}

export const deadlineStatuses = ['open', 'paused', 'met', 'cancelled'] as const;
export type DeadlineStatus = (typeof deadlineStatuses)[number];
export type ClosingOutcome = 'met' | 'cancelled';

export interface Escalation {
  readonly step: string;
  readonly dueOn: PlainDate;
  readonly escalatedAt: string;
}

export interface Deadline {
  readonly id: string;
  readonly subjectType: string;
  readonly subjectId: string;
  readonly ruleKey: string;
  readonly ruleVersion: number;
  readonly organisationIds: readonly string[];
  readonly startedOn: PlainDate;
  readonly dueOn: PlainDate;
  readonly status: DeadlineStatus;
  readonly pausedAt: string | null;
  readonly pausedReason: string | null;
  /** Days (in the rule's unit: working days for a working-day rule) the clock has stood still. */
  readonly pausedDaysTotal: number;
  /** The date of the next escalation step still to come, while the deadline is open. */
  readonly nextStepDueOn: PlainDate | null;
  readonly closedAt: string | null;
  readonly closedReason: string | null;
  readonly createdAt: string;
  readonly version: number;
}

export interface ScheduledStep extends EscalationStep {
  readonly dueOn: PlainDate;
}

const KEY = /^[a-z0-9]+(?:[.-][a-z0-9]+)*$/;

export function isRuleKey(key: unknown): key is string {
  return typeof key === 'string' && key.length <= 100 && KEY.test(key);
}

/** Checks a rule definition's shape and values; throws naming the first fault. */
export function parseRuleDefinition(value: unknown, key = 'rule'): RuleDefinition {
  const fail = (why: string): never => {
    throw new Error(`Deadline rule ${key}: ${why}`);
  };
  if (typeof value !== 'object' || value === null) return fail('the definition must be an object');
  const d = value as Record<string, unknown>;
  if (typeof d.title !== 'string' || d.title.trim() === '') fail('a title is required');
  const due = parsePeriod(d.due, 'due', fail);
  if (due.amount < 0) fail('due must not be negative');
  if (typeof d.pausable !== 'boolean') fail('pausable must be true or false');
  if (d.outlivesClosing !== undefined && typeof d.outlivesClosing !== 'boolean') fail('outlivesClosing must be true or false when given');
  if (!Array.isArray(d.steps)) return fail('steps must be a list');
  const names = new Set<string>();
  const steps = d.steps.map((raw: unknown, i): EscalationStep => {
    if (typeof raw !== 'object' || raw === null) return fail(`step ${i + 1} must be an object`);
    const s = raw as Record<string, unknown>;
    if (!isRuleKey(s.step)) fail(`step ${i + 1} needs a name of lower-case letters, digits and dashes`);
    if (names.has(s.step as string)) fail(`step ${String(s.step)} appears twice`);
    names.add(s.step as string);
    if (typeof s.label !== 'string' || s.label.trim() === '') fail(`step ${String(s.step)} needs a label`);
    if (s.from !== 'start' && s.from !== 'due') fail(`step ${String(s.step)}: from must be 'start' or 'due'`);
    const after = parsePeriod(s.after, `step ${String(s.step)}`, fail);
    if (after.amount < 0 && (s.from !== 'due' || after.unit !== 'calendar-days')) {
      fail(`step ${String(s.step)}: only calendar days before the due date may be negative`);
    }
    if (!Array.isArray(s.audience) || s.audience.length === 0 || !s.audience.every((a) => typeof a === 'string' && isRuleKey(a.replaceAll('_', '-')))) {
      fail(`step ${String(s.step)} needs an audience of case roles`);
    }
    return { step: s.step as string, label: s.label as string, from: s.from as 'start' | 'due', after, audience: [...(s.audience as string[])] };
  });
  return { title: d.title as string, due, pausable: d.pausable as boolean, outlivesClosing: d.outlivesClosing === true, steps };
}

function parsePeriod(value: unknown, where: string, fail: (why: string) => never): Period {
  if (typeof value !== 'object' || value === null) return fail(`${where} must be a period`);
  const p = value as Record<string, unknown>;
  if (!Number.isSafeInteger(p.amount) || Math.abs(p.amount as number) > 3660) fail(`${where}: amount must be a whole number`);
  if (!periodUnits.includes(p.unit as PeriodUnit)) fail(`${where}: unit must be one of ${periodUnits.join(', ')}`);
  return { amount: p.amount as number, unit: p.unit as PeriodUnit };
}

/** The same day `n` months on; a day the month lacks becomes its last day (31 January + 1 month = 28 or 29 February). */
export function addMonths(date: PlainDate, n: number): PlainDate {
  assertPlainDate(date);
  const year = Number(date.slice(0, 4));
  const month = Number(date.slice(5, 7)) - 1 + n;
  const day = Number(date.slice(8, 10));
  const lastDay = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  return new Date(Date.UTC(year, month, Math.min(day, lastDay))).toISOString().slice(0, 10);
}

export function addPeriod(date: PlainDate, period: Period): PlainDate {
  switch (period.unit) {
    case 'calendar-days':
      return addCalendarDays(date, period.amount);
    case 'working-days':
      return addWorkingDays(date, period.amount);
    case 'months':
      return addMonths(date, period.amount);
  }
}

/** Working-day rules stand still for working days; every other rule for calendar days. */
function pauseUnit(rule: RuleDefinition): 'calendar-days' | 'working-days' {
  return rule.due.unit === 'working-days' ? 'working-days' : 'calendar-days';
}

/** How long a pause from `pausedOn` to `resumedOn` stopped the clock, in the rule's unit. */
export function pausedDays(rule: RuleDefinition, pausedOn: PlainDate, resumedOn: PlainDate): number {
  if (resumedOn <= pausedOn) return 0;
  return pauseUnit(rule) === 'working-days' ? workingDaysBetween(pausedOn, resumedOn) : calendarDaysBetween(pausedOn, resumedOn);
}

function calendarDaysBetween(from: PlainDate, to: PlainDate): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

/** A date moved on by the time the clock stood still. */
function shifted(rule: RuleDefinition, date: PlainDate, paused: number): PlainDate {
  if (paused === 0) return date;
  return pauseUnit(rule) === 'working-days' ? addWorkingDays(date, paused) : addCalendarDays(date, paused);
}

/** When a deadline started on `startedOn` falls due, after `paused` days of pauses. */
export function dueDate(rule: RuleDefinition, startedOn: PlainDate, paused = 0): PlainDate {
  return shifted(rule, addPeriod(startedOn, rule.due), paused);
}

/** Every escalation step with its date, earliest first. */
export function schedule(rule: RuleDefinition, startedOn: PlainDate, paused = 0): ScheduledStep[] {
  const due = addPeriod(startedOn, rule.due);
  return rule.steps
    .map((step) => ({ ...step, dueOn: shifted(rule, addPeriod(step.from === 'start' ? startedOn : due, step.after), paused) }))
    .sort((a, b) => (a.dueOn < b.dueOn ? -1 : a.dueOn > b.dueOn ? 1 : 0));
}

/** The steps due by `today` that have not been taken, in date order. */
export function stepsDue(steps: readonly ScheduledStep[], taken: ReadonlySet<string>, today: PlainDate): ScheduledStep[] {
  return steps.filter((s) => s.dueOn <= today && !taken.has(s.step));
}

/** The date of the first step not yet taken, or null when none is left. */
export function nextStepDue(steps: readonly ScheduledStep[], taken: ReadonlySet<string>): PlainDate | null {
  return steps.find((s) => !taken.has(s.step))?.dueOn ?? null;
}

/** The most specific version in force: the organisation's own before the national one, then the latest. */
export function mostSpecific(candidates: readonly RuleVersion[], organisationIds: readonly string[], onDate: PlainDate): RuleVersion | undefined {
  const inForce = candidates.filter((r) => r.effectiveFrom <= onDate && (r.organisationId === null || organisationIds.includes(r.organisationId)));
  const rank = (r: RuleVersion) => (r.organisationId === null ? 0 : 1);
  return inForce.sort((a, b) => rank(b) - rank(a) || (a.effectiveFrom < b.effectiveFrom ? 1 : a.effectiveFrom > b.effectiveFrom ? -1 : 0) || b.version - a.version)[0];
}
