// The RASSO Quarterly Assurance Report (DOMAIN §6, §9): each police force and
// CPS Area reports, for a financial quarter, on its action plans and on the
// measures the case file can give, with the exceptions that need explaining.
// Here, as data and rules: financial quarters, the lifecycle (draft, signed
// off, published; reopening a published report makes the next version),
// who may do what (one function, `mayAssurance`), the exception thresholds,
// the report's sections and small-number suppression of anything shown.
import { hasPermission } from '../../platform/access/policy.ts';
import type { Actor } from '../../platform/access/policy.ts';
import type { Role } from '../../platform/access/roles.ts';
import { registerMessages, translate } from '../../platform/i18n/messages.ts';
import type { PlainDate } from '../../platform/time/working-days.ts';
import type { FieldError } from '../../platform/web/errors.ts';
import type { CaseMeasures } from '../../cases/oversight/measures.ts';
import type { Delivery } from '../../plans/model.ts';
import messages from './messages.en.json' with { type: 'json' };

registerMessages('en', messages);

export const MAX_COMMENTARY = 5000;
export const MAX_REASON = 2000;

// Financial quarters, as the CPS reports: Q1 is April to June, Q4 January to March of the next year.

export interface Quarter {
  /** The calendar year the financial year starts in (2026 for 2026/27). */
  readonly year: number;
  readonly number: 1 | 2 | 3 | 4;
}

/** The first financial year reports may be made for (the early-advice clock's rules start in 2015). */
export const FIRST_YEAR = 2015;
const QUARTER_KEY = /^(\d{4})-(\d{2})-q([1-4])$/;

/** '2026-27-q2' for Q2 of 2026/27. */
export function quarterKey(quarter: Quarter): string {
  return `${quarter.year}-${String((quarter.year + 1) % 100).padStart(2, '0')}-q${quarter.number}`;
}

export function parseQuarterKey(text: string): Quarter | null {
  const match = QUARTER_KEY.exec(text.trim().toLowerCase());
  if (!match) return null;
  const year = Number(match[1]);
  if (String((year + 1) % 100).padStart(2, '0') !== match[2]) return null;
  return { year, number: Number(match[3]) as Quarter['number'] };
}

const startMonth = (quarter: Quarter) => ({ 1: 4, 2: 7, 3: 10, 4: 1 })[quarter.number];
const calendarYear = (quarter: Quarter) => (quarter.number === 4 ? quarter.year + 1 : quarter.year);

export function quarterStart(quarter: Quarter): PlainDate {
  return `${calendarYear(quarter)}-${String(startMonth(quarter)).padStart(2, '0')}-01`;
}

export function quarterEnd(quarter: Quarter): PlainDate {
  const month = startMonth(quarter) + 2;
  const lastDay = new Date(Date.UTC(calendarYear(quarter), month, 0)).getUTCDate();
  return `${calendarYear(quarter)}-${String(month).padStart(2, '0')}-${lastDay}`;
}

/** The financial quarter a day falls in. */
export function quarterOf(date: PlainDate): Quarter {
  const year = Number(date.slice(0, 4));
  const month = Number(date.slice(5, 7));
  if (month <= 3) return { year: year - 1, number: 4 };
  return { year, number: (Math.floor((month - 4) / 3) + 1) as Quarter['number'] };
}

export function previousQuarter(quarter: Quarter): Quarter {
  return quarter.number === 1 ? { year: quarter.year - 1, number: 4 } : { year: quarter.year, number: (quarter.number - 1) as Quarter['number'] };
}

/** The last quarter wholly before `today`. */
export function lastCompleteQuarter(today: PlainDate): Quarter {
  return previousQuarter(quarterOf(today));
}

/** The complete quarters a report may be started for, newest first (`count` of them). */
export function recentQuarters(today: PlainDate, count: number): Quarter[] {
  const quarters: Quarter[] = [];
  for (let q = lastCompleteQuarter(today); quarters.length < count && q.year >= FIRST_YEAR; q = previousQuarter(q)) quarters.push(q);
  return quarters;
}

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'] as const;

/** 'Q2 2026/27 (July to September 2026)'. */
export function quarterName(quarter: Quarter): string {
  const first = MONTHS[startMonth(quarter) - 1]!;
  const last = MONTHS[startMonth(quarter) + 1]!;
  return translate('assurance.quarter.name', { number: quarter.number, year: `${quarter.year}/${String((quarter.year + 1) % 100).padStart(2, '0')}`, from: first, to: last, calendarYear: calendarYear(quarter) });
}

/** Checks a quarter chosen for a new report: one of ours, and over before today. */
export function quarterErrors(text: string, today: PlainDate): { value: Quarter | null; errors: FieldError[] } {
  const quarter = parseQuarterKey(text);
  if (!quarter || quarter.year < FIRST_YEAR) return { value: null, errors: [{ field: 'quarter', message: translate('assurance.error.quarter') }] };
  if (quarterEnd(quarter) >= today) return { value: null, errors: [{ field: 'quarter', message: translate('assurance.error.quarterNotOver', { quarter: quarterName(quarter) }) }] };
  return { value: quarter, errors: [] };
}

// The lifecycle of a version of a report.

export const statuses = ['draft', 'signed_off', 'published', 'superseded'] as const;
export type Status = (typeof statuses)[number];
export const isStatus = (value: string): value is Status => (statuses as readonly string[]).includes(value);
export const statusName = (status: Status): string => translate(`assurance.status.${status}`);

/** Who may do what with a report. Reading and the steps of its lifecycle; the lifecycle's own order is checked by the service. */
export type AssuranceAct = 'read' | 'start' | 'draft' | 'sign-off' | 'publish' | 'reopen';

/** The roles of the national organisation that read every organisation's published reports. */
export const NATIONAL_READERS: readonly Role[] = ['plan_lead', 'analyst'];

export interface ReportFacts {
  readonly organisationId: string;
  /** Who drafted the version in question. */
  readonly draftedBy: string;
  /** Whether the version was ever published (published, or published and since superseded). */
  readonly published: boolean;
}

/**
 * Who may do what with a quarterly assurance report, in one place. A police
 * force's or CPS Area's own managers (holders of `assurance.read` acting for
 * it) read its reports at every stage; the national organisation's plan
 * leads and analysts read what has been published; nobody else sees
 * anything. Drafting (starting, commentary, refreshing the figures,
 * reopening a published report as a new version) is for holders of
 * `assurance.draft` acting for the organisation; signing off and publishing
 * for holders of `assurance.sign-off` there (escalation leads of a force,
 * heads of the RASSO unit of an Area), and never for the person who drafted
 * the version. An API token must carry the permission as a scope.
 */
export function mayAssurance(actor: Actor, act: AssuranceAct, report?: ReportFacts): boolean {
  const acting = actor.organisation;
  const own = report ? acting.organisationId === report.organisationId : acting.organisationKind === 'police_force' || acting.organisationKind === 'cps_area';
  switch (act) {
    case 'read':
      if (!hasPermission(actor, 'assurance.read')) return false;
      if (own) return true;
      return acting.organisationKind === 'national' && report?.published === true && acting.roles.some((role) => NATIONAL_READERS.includes(role));
    case 'start':
    case 'draft':
    case 'reopen':
      return own && hasPermission(actor, 'assurance.draft');
    case 'publish':
      return own && hasPermission(actor, 'assurance.sign-off');
    case 'sign-off':
      return own && hasPermission(actor, 'assurance.sign-off') && report !== undefined && report.draftedBy !== actor.userId;
  }
}

// What a report holds: the figures frozen when it is drafted or refreshed.

export interface ThemeFigures {
  readonly title: string;
  readonly done: number;
  readonly underway: number;
  readonly notStarted: number;
  /** Updates, status changes and evidence recorded on the theme's actions, dated in the quarter. */
  readonly updates: number;
}

export interface OverdueAction {
  readonly number: number;
  readonly text: string;
  readonly targetOn: PlainDate;
  readonly status: string;
}

export interface PlanFigures {
  readonly id: string;
  readonly title: string;
  readonly level: string;
  readonly period: string;
  readonly themes: readonly ThemeFigures[];
  /** Actions whose target date fell on or before the quarter's end and were not delivered by then. */
  readonly overdue: readonly OverdueAction[];
}

export const exceptionKeys = ['early-advice-timeliness', 'prfi-90-days', 'plan-actions-overdue'] as const;
export type ExceptionKey = (typeof exceptionKeys)[number];

export interface ReportException {
  readonly key: ExceptionKey;
}

export interface Figures {
  readonly computedAt: string;
  readonly quarter: { readonly key: string; readonly start: PlainDate; readonly end: PlainDate };
  readonly organisation: { readonly id: string; readonly name: string; readonly kind: 'police_force' | 'cps_area' };
  readonly plans: readonly PlanFigures[];
  readonly measures: CaseMeasures;
  readonly exceptions: readonly ReportException[];
}

/** The share of early advice answered within its period below which the report must explain itself. */
export const EARLY_ADVICE_EXPECTED_SHARE = 0.8;

/** The exceptions a report's figures raise: each needs commentary before the report is signed off. */
export function exceptionsOf(measures: CaseMeasures, plans: readonly PlanFigures[]): ReportException[] {
  const found: ReportException[] = [];
  const ea = measures.earlyAdvice;
  if (ea.answered > 0 && ea.withinTarget / ea.answered < EARLY_ADVICE_EXPECTED_SHARE) found.push({ key: 'early-advice-timeliness' });
  const last = measures.prfi.bands.at(-1);
  if (last && last.count > 0) found.push({ key: 'prfi-90-days' });
  if (plans.some((plan) => plan.overdue.length > 0)) found.push({ key: 'plan-actions-overdue' });
  return found;
}

/** Sections of the report that carry commentary; each exception carries its own as `exception.<key>`. */
export const sections = ['summary', 'plans', 'early-advice', 'prfi', 'escalations', 'nfa'] as const;
export type Section = (typeof sections)[number] | `exception.${ExceptionKey}`;

export function isSection(value: string): value is Section {
  return (sections as readonly string[]).includes(value) || (value.startsWith('exception.') && (exceptionKeys as readonly string[]).includes(value.slice('exception.'.length)));
}

export const sectionName = (section: Section): string =>
  section.startsWith('exception.') ? translate(`assurance.exception.${section.slice('exception.'.length)}.title`) : translate(`assurance.section.${section}`);

export function commentaryErrors(text: string, section: Section): { value: string | null; errors: FieldError[] } {
  const trimmed = text.trim();
  // Exceptions must be explained; a section's commentary may be cleared.
  if (trimmed === '' && section.startsWith('exception.')) return { value: null, errors: [{ field: 'text', message: translate('assurance.error.exceptionCommentary') }] };
  if (trimmed.length > MAX_COMMENTARY) return { value: null, errors: [{ field: 'text', message: translate('assurance.error.tooLong', { max: MAX_COMMENTARY }) }] };
  return { value: trimmed, errors: [] };
}

export function reasonErrors(text: string): { value: string | null; errors: FieldError[] } {
  const trimmed = text.trim();
  if (trimmed === '') return { value: null, errors: [{ field: 'reason', message: translate('assurance.error.reason') }] };
  if (trimmed.length > MAX_REASON) return { value: null, errors: [{ field: 'reason', message: translate('assurance.error.tooLong', { max: MAX_REASON }) }] };
  return { value: trimmed, errors: [] };
}

/** Exceptions still without commentary: what stops a sign-off. */
export function unexplained(exceptions: readonly ReportException[], commentary: ReadonlyMap<string, string>): ReportException[] {
  return exceptions.filter((e) => (commentary.get(`exception.${e.key}`) ?? '').trim() === '');
}

// Small numbers. Published statistics suppress small counts (DOMAIN §9), and so
// does everything this report shows: 1 to 4 is shown as "fewer than 5", and a
// share or breakdown that would let someone work out such a count is withheld.

export const SUPPRESS_BELOW = 5;

export interface Shown {
  /** The count, or null when it is not shown. */
  readonly value: number | null;
  readonly text: string;
}

export const isSmall = (count: number): boolean => count > 0 && count < SUPPRESS_BELOW;

export function shownCount(count: number): Shown {
  return isSmall(count) ? { value: null, text: translate('assurance.suppressed.small') } : { value: count, text: count.toLocaleString('en-GB') };
}

const withheld = (): Shown => ({ value: null, text: translate('assurance.suppressed.withheld') });

/**
 * The cells of a breakdown that is shown with its total: small cells are
 * suppressed, and where only one is, the next smallest is withheld too, so
 * that the small one cannot be worked out from the total.
 */
export function shownBreakdown(counts: readonly number[]): Shown[] {
  const small = counts.map(isSmall);
  const hidden = new Set(counts.flatMap((_, i) => (small[i] ? [i] : [])));
  if (hidden.size === 1) {
    const next = counts.map((count, i) => ({ count, i })).filter(({ count, i }) => count > 0 && !hidden.has(i)).sort((a, b) => a.count - b.count)[0];
    if (next) hidden.add(next.i);
  }
  return counts.map((count, i) => (!hidden.has(i) ? shownCount(count) : small[i] ? shownCount(count) : withheld()));
}

/** A share shown as a whole percentage, unless the count or what is left of the total is small (either could then be worked out). */
export function shownShare(part: number, total: number): Shown {
  if (total < SUPPRESS_BELOW || isSmall(part) || isSmall(total - part)) return total === 0 ? { value: null, text: translate('assurance.notApplicable') } : withheld();
  const percent = Math.round((part / total) * 100);
  return { value: percent, text: `${percent}%` };
}

/** A median in days, shown only when it is drawn from enough answers. */
export function shownMedian(median: number | null, count: number): Shown {
  if (median === null || count === 0) return { value: null, text: translate('assurance.notApplicable') };
  if (count < SUPPRESS_BELOW) return withheld();
  return { value: median, text: translate('assurance.days', { days: Number.isInteger(median) ? median : median.toFixed(1) }) };
}

export const deliveries: readonly Delivery[] = ['done', 'underway', 'not-started'];
