// Investigation clocks (DOMAIN §3, §5): supervisory reviews on a schedule,
// pre-charge bail with extensions at rising authority, suspects released
// under investigation and their periodic reviews, arrests and interviews, and
// periods spent waiting on the victim. Reference data lives here as versioned
// `as const` objects; the clocks themselves are deadline rules (rules.json).
import type { FieldError } from '../../platform/web/errors.ts';
import { addMonths } from '../../platform/deadlines/model.ts';
import type { PlainDate } from '../../platform/time/working-days.ts';
import { parseDateParts } from '../model.ts';
import type { DateParts } from '../model.ts';

export const SUPERVISORY_REVIEW_RULE = 'supervisory-review';
export const BAIL_RULE = 'pre-charge-bail';
export const RUI_REVIEW_RULE = 'released-under-investigation.review';

/** Who may authorise pre-charge bail. */
export const bailAuthorities = {
  inspector: 'Inspector',
  superintendent: 'Superintendent',
  crown_prosecutor: 'Crown Prosecutor (CPS)',
  magistrates_court: 'Magistrates’ court',
} as const;
export type BailAuthority = keyof typeof bailAuthorities;

export function isBailAuthority(value: string): value is BailAuthority {
  return Object.hasOwn(bailAuthorities, value);
}

/**
 * The authority ladder for pre-charge bail (Police, Crime, Sentencing and
 * Courts Act 2022), as versioned data: each rung is the most senior authority
 * needed for bail lasting up to `upToMonths` from its first day. Past the last
 * rung with a limit, only a court may extend. A change of law adds a version.
 */
export const bailLadders = [
  {
    version: 1,
    effectiveFrom: '2022-10-28',
    rungs: [
      { authority: 'inspector', upToMonths: 3 },
      { authority: 'superintendent', upToMonths: 6 },
      { authority: 'crown_prosecutor', upToMonths: 9 },
      { authority: 'magistrates_court', upToMonths: null },
    ],
  },
] as const satisfies readonly { version: number; effectiveFrom: PlainDate; rungs: readonly { authority: BailAuthority; upToMonths: number | null }[] }[];

export type BailLadder = (typeof bailLadders)[number];

/** The ladder in force on a date (the bail's first day). */
export function ladderOn(date: PlainDate): BailLadder | undefined {
  return [...bailLadders].filter((l) => l.effectiveFrom <= date).sort((a, b) => b.version - a.version)[0];
}

/** The least authority that may authorise bail started on `startedOn` lasting until `until`. */
export function authorityNeeded(ladder: BailLadder, startedOn: PlainDate, until: PlainDate): BailAuthority {
  for (const rung of ladder.rungs) {
    if (rung.upToMonths === null || until <= addMonths(startedOn, rung.upToMonths)) return rung.authority;
  }
  return ladder.rungs[ladder.rungs.length - 1]!.authority;
}

/** Whether `authority` is at least as senior as `needed` on the ladder. */
export function authoritySuffices(ladder: BailLadder, authority: BailAuthority, needed: BailAuthority): boolean {
  const rank = (a: BailAuthority) => ladder.rungs.findIndex((r) => r.authority === a);
  return rank(authority) >= 0 && rank(authority) >= rank(needed);
}

/** Reasons a case may be waiting on the victim (codes only go into the journal). */
export const awaitingVictimReasons = {
  considering_support: 'The victim is considering whether to support an investigation',
  unavailable: 'The victim is unavailable for a period (for example illness or travel)',
  not_responding: 'The victim has not responded to contact',
  needs_support_first: 'The victim needs specialist support before taking part',
} as const;
export type AwaitingVictimReason = keyof typeof awaitingVictimReasons;

export function isAwaitingVictimReason(value: string): value is AwaitingVictimReason {
  return Object.hasOwn(awaitingVictimReasons, value);
}

export const MAX_NOTE = 2000;
export const MAX_CONDITIONS = 2000;

function dateError(parts: DateParts, field: string, label: string, today: PlainDate): { date: PlainDate | null; errors: FieldError[] } {
  const { date, error } = parseDateParts(parts, { field, label, required: true, notAfter: today, notBefore: '1990-01-01' });
  return { date, errors: error ? [error] : [] };
}

function textErrors(text: string, field: string, what: string, max: number, required: boolean): FieldError[] {
  const value = text.trim();
  if (required && value === '') return [{ field, message: `Enter ${what}` }];
  if (value.length > max) return [{ field, message: `${what[0]!.toUpperCase()}${what.slice(1)} must be ${max} characters or fewer` }];
  return [];
}

export interface ReviewInput {
  readonly reviewedOn: DateParts;
  readonly note: string;
}

export function reviewErrors(input: ReviewInput, today: PlainDate): { value: { reviewedOn: PlainDate; note: string } | null; errors: FieldError[] } {
  const date = dateError(input.reviewedOn, 'reviewedOn', 'The date of the review', today);
  const errors = [...date.errors, ...textErrors(input.note, 'note', 'what the review found and directed', MAX_NOTE, true)];
  return errors.length || !date.date ? { value: null, errors } : { value: { reviewedOn: date.date, note: input.note.trim() }, errors };
}

export interface BailInput {
  readonly personId: string;
  readonly startedOn: DateParts;
  readonly conditions: string;
}

export function bailErrors(input: BailInput, today: PlainDate): { value: { personId: string; startedOn: PlainDate; conditions: string } | null; errors: FieldError[] } {
  const errors: FieldError[] = input.personId === '' ? [{ field: 'personId', message: 'Select the suspect' }] : [];
  const date = dateError(input.startedOn, 'startedOn', 'The date bail started', today);
  errors.push(...date.errors, ...textErrors(input.conditions, 'conditions', 'the bail conditions', MAX_CONDITIONS, true));
  return errors.length || !date.date ? { value: null, errors } : { value: { personId: input.personId, startedOn: date.date, conditions: input.conditions.trim() }, errors };
}

/** A day in a suspect's custody record: arrested, interviewed, released under investigation, reviewed. */
export function eventDateErrors(input: { personId: string; on: DateParts }, label: string, today: PlainDate): { value: { personId: string; on: PlainDate } | null; errors: FieldError[] } {
  const errors: FieldError[] = input.personId === '' ? [{ field: 'personId', message: 'Select the suspect' }] : [];
  const date = dateError(input.on, 'on', label, today);
  errors.push(...date.errors);
  return errors.length || !date.date ? { value: null, errors } : { value: { personId: input.personId, on: date.date }, errors };
}

/** What a suspect's status is now, as the investigation page shows it. */
export type SuspectStatus = 'not-arrested' | 'arrested' | 'on-bail' | 'released-under-investigation';

export interface SuspectState {
  readonly personId: string;
  readonly name: string;
  readonly status: SuspectStatus;
  readonly arrestedOn: PlainDate | null;
  readonly interviewedOn: PlainDate | null;
  readonly bail: {
    readonly id: string;
    readonly startedOn: PlainDate;
    readonly until: PlainDate;
    readonly authority: BailAuthority;
    readonly conditions: string;
    /** The next extension: the end date it gives and the least authority that may make it. */
    readonly next: { readonly until: PlainDate; readonly authority: BailAuthority };
    readonly extensions: readonly { readonly previousUntil: PlainDate; readonly until: PlainDate; readonly authority: BailAuthority; readonly at: string }[];
  } | null;
  readonly rui: { readonly id: string; readonly releasedOn: PlainDate; readonly lastReviewedOn: PlainDate | null; readonly nextReviewDue: PlainDate | null } | null;
}

export interface ReviewRecord {
  readonly id: string;
  readonly reviewedOn: PlainDate;
  readonly note: string;
  readonly reviewerName: string;
}

/** Describes this part's journal events for the timeline. */
export function describeInvestigationEvent(event: { type: string; data: Readonly<Record<string, unknown>> }): { title: string; text: string } {
  const d = event.data as Record<string, string | undefined>;
  const authority = d.authority && isBailAuthority(d.authority) ? bailAuthorities[d.authority] : 'an authority';
  switch (event.type) {
    case 'investigation.supervisory-reviews-started':
      return { title: 'Supervisory reviews started', text: d.dueNext ? `First review due ${d.dueNext}` : '' };
    case 'investigation.supervisory-review':
      return { title: 'Supervisory review recorded', text: d.dueNext ? `Next review due ${d.dueNext}` : '' };
    case 'investigation.bail-set':
      return { title: 'Suspect bailed', text: `Pre-charge bail until ${d.until ?? 'a date'}, authorised by ${authority}` };
    case 'investigation.bail-extended':
      return { title: 'Bail extended', text: `Pre-charge bail extended until ${d.until ?? 'a date'}, authorised by ${authority}` };
    case 'investigation.released-under-investigation':
      return { title: 'Suspect released under investigation', text: d.reviewDue ? `First review due ${d.reviewDue}` : '' };
    case 'investigation.rui-reviewed':
      return { title: 'Release under investigation reviewed', text: d.reviewDue ? `Next review due ${d.reviewDue}` : '' };
    case 'investigation.suspect-arrested':
      return { title: 'Suspect arrested', text: d.on ? `Arrested on ${d.on}` : '' };
    case 'investigation.suspect-interviewed':
      return { title: 'Suspect interviewed', text: d.on ? `Interviewed on ${d.on}` : '' };
    case 'investigation.awaiting-victim':
      return { title: 'Waiting on the victim', text: d.reasonCode && isAwaitingVictimReason(d.reasonCode) ? awaitingVictimReasons[d.reasonCode] : '' };
    case 'investigation.victim-re-engaged':
      return { title: 'Victim re-engaged', text: 'The case is no longer waiting on the victim' };
    case 'investigation.deadline-paused':
      return { title: 'Deadline paused', text: d.ruleKey ?? '' };
    case 'investigation.deadline-resumed':
      return { title: 'Deadline resumed', text: d.ruleKey ?? '' };
    default:
      return { title: event.type, text: '' };
  }
}
