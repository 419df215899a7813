// The case at court (DOMAIN §3): hearings listed and held, sending to the
// Crown Court, adjournments with their reasons, each defendant's outcome and
// sentence. Reference data (adjournment reasons are a versioned list) and the
// rules a record must follow.
import type { FieldError } from '../../platform/web/errors.ts';
import { addCalendarDays, formatDate } from '../../platform/time/working-days.ts';
import type { PlainDate } from '../../platform/time/working-days.ts';
import { parseDateParts } from '../model.ts';
import type { DateParts, Stage } from '../model.ts';

export const hearingKinds = {
  first_hearing: 'First hearing',
  ptph: 'Plea and trial preparation hearing',
  mention: 'Mention',
  trial: 'Trial',
  sentence: 'Sentence',
} as const;
export type HearingKind = keyof typeof hearingKinds;
export const isHearingKind = (value: string): value is HearingKind => Object.hasOwn(hearingKinds, value);

export const courts = { magistrates: 'Magistrates’ court', crown: 'Crown Court' } as const;
export type Court = keyof typeof courts;
export const isCourt = (value: string): value is Court => Object.hasOwn(courts, value);

/** Adjournment reasons: a versioned list; each adjournment records the version it was chosen from. */
export const adjournmentReasons = {
  version: 1,
  reasons: {
    prosecution_not_ready: 'Prosecution not ready',
    defence_not_ready: 'Defence not ready',
    witness_unavailable: 'Witness unavailable',
    no_court_time: 'No court time or judge available',
    defendant_ill: 'Defendant ill or absent',
    victim_not_attending: 'Victim not attending',
    legal_argument: 'Legal argument',
    other: 'Other reason',
  },
} as const;
export type AdjournmentReason = keyof typeof adjournmentReasons.reasons;
export const isAdjournmentReason = (value: string): value is AdjournmentReason => Object.hasOwn(adjournmentReasons.reasons, value);

export const requesters = { prosecution: 'The prosecution', defence: 'The defence', court: 'The court' } as const;
export type Requester = keyof typeof requesters;
export const isRequester = (value: string): value is Requester => Object.hasOwn(requesters, value);

export const outcomes = {
  guilty_plea: 'Guilty plea',
  convicted: 'Convicted after trial',
  acquitted: 'Acquitted',
  discontinued: 'Discontinued',
  withdrawn: 'Withdrawn after charge',
  lie_on_file: 'Ordered to lie on file',
} as const;
export type Outcome = keyof typeof outcomes;
export const isOutcome = (value: string): value is Outcome => Object.hasOwn(outcomes, value);
/** Outcomes after which a sentence follows. */
export const convictions: readonly Outcome[] = ['guilty_plea', 'convicted'];
/** Outcomes that may be because the victim withdrew their support. */
export const mayBeVictimWithdrawal: readonly Outcome[] = ['discontinued', 'withdrawn'];

export const sentenceTypes = {
  immediate_custody: 'Immediate custody',
  suspended_sentence: 'Suspended sentence',
  community_order: 'Community order',
  hospital_order: 'Hospital order',
  fine: 'Fine',
  discharge: 'Discharge',
  other: 'Other sentence',
} as const;
export type SentenceType = keyof typeof sentenceTypes;
export const isSentenceType = (value: string): value is SentenceType => Object.hasOwn(sentenceTypes, value);
/** Sentences that have a length. */
export const sentencesWithLength: readonly SentenceType[] = ['immediate_custody', 'suspended_sentence', 'community_order', 'hospital_order'];
export const MAX_SENTENCE_MONTHS = 1200;

/** Hearings may be listed up to this far ahead. */
const MAX_LISTING_DAYS = 3 * 365;
const EARLIEST = '2000-01-01';

/** The stages at which each court command may be used. */
export const courtStages = {
  firstHearing: ['charged'],
  atCourt: ['court'],
  sentence: ['court', 'completed'],
} as const satisfies Record<string, readonly Stage[]>;

export function stageProblem(stage: Stage, allowed: readonly Stage[], what: string): string | null {
  if ((allowed as readonly string[]).includes(stage)) return null;
  if (allowed.length === 1 && allowed[0] === 'charged') return `${what} is recorded once the case is charged and before it is at court`;
  if (allowed.includes('charged')) return `${what} is recorded once the case is charged`;
  if (allowed.includes('completed')) return `${what} is recorded once the case is at court`;
  return `${what} is recorded while the case is at court`;
}

export const dayRules = (field: string, label: string, today: PlainDate, future = false) => ({
  field, label, required: true, notAfter: future ? addCalendarDays(today, MAX_LISTING_DAYS) : today, notBefore: EARLIEST,
});

/** A date in the past, or within the listing horizon when `future`; errors reworded for future dates. */
export function courtDate(parts: DateParts, field: string, label: string, today: PlainDate, future = false): { date: PlainDate | null; error: FieldError | null } {
  const parsed = parseDateParts(parts, dayRules(field, label, today, future));
  if (future && parsed.error?.message.endsWith('today or in the past')) return { date: null, error: { field: parsed.error.field, message: `${label} must be within 3 years` } };
  return parsed;
}

// Court case numbers are recorded here and edited with the case's details:
// the rules live with the details (details/model.ts).

export interface Hearing {
  readonly id: string;
  readonly kind: HearingKind;
  readonly court: Court;
  readonly listedOn: PlainDate;
  readonly status: 'listed' | 'held' | 'adjourned';
  readonly heldOn: PlainDate | null;
  readonly adjournmentReason: AdjournmentReason | null;
  readonly adjournmentRequestedBy: Requester | null;
}

export interface Defendant {
  readonly suspectId: string;
  readonly name: string;
  readonly outcome: Outcome | null;
  readonly outcomeOn: PlainDate | null;
  readonly victimWithdrawal: boolean;
  readonly sentenceType: SentenceType | null;
  readonly sentenceMonths: number | null;
  readonly sentencedOn: PlainDate | null;
}

export interface CourtRecord {
  readonly sentToCrownCourtOn: PlainDate | null;
  readonly hearings: readonly Hearing[];
  readonly defendants: readonly Defendant[];
}

/** Whether every defendant has a final outcome (and there is at least one): the case is then complete. */
export function allOutcomesRecorded(defendants: readonly Pick<Defendant, 'outcome'>[]): boolean {
  return defendants.length > 0 && defendants.every((d) => d.outcome !== null);
}

export function sentenceErrors(input: { type: string; months: string }): { value: { type: SentenceType; months: number | null } | null; errors: FieldError[] } {
  const errors: FieldError[] = [];
  if (!isSentenceType(input.type)) errors.push({ field: 'sentenceType', message: 'Select the sentence' });
  const text = input.months.trim();
  let months: number | null = null;
  if (isSentenceType(input.type) && sentencesWithLength.includes(input.type)) {
    if (text === '') errors.push({ field: 'months', message: 'Enter the length of the sentence in months' });
    else if (!/^\d{1,4}$/.test(text) || Number(text) < 1 || Number(text) > MAX_SENTENCE_MONTHS) errors.push({ field: 'months', message: `Length must be a whole number of months from 1 to ${MAX_SENTENCE_MONTHS}` });
    else months = Number(text);
  } else if (text !== '') errors.push({ field: 'months', message: 'Leave the length empty for a sentence that has none' });
  if (errors.length || !isSentenceType(input.type)) return { value: null, errors };
  return { value: { type: input.type, months }, errors };
}

/** Timeline lines for this part's journal events. */
export function describeCourtEvent(event: { type: string; data: Readonly<Record<string, unknown>> }): { title: string; text: string } {
  const data = event.data;
  const text = (value: unknown) => (typeof value === 'string' ? value : '');
  const day = (value: unknown) => (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value) ? formatDate(value) : 'an unknown date');
  const kind = isHearingKind(text(data.kind)) ? hearingKinds[text(data.kind) as HearingKind] : 'Hearing';
  switch (event.type) {
    case 'court.hearing-listed':
      return { title: `${kind} listed`, text: `Listed for ${day(data.on)}` };
    case 'court.hearing-held':
      return { title: `${kind} held`, text: `Held on ${day(data.on)}` };
    case 'court.trial-listed':
      return { title: 'Trial listed', text: `Trial listed for ${day(data.on)}` };
    case 'court.sent-to-crown-court':
      return { title: 'Sent to the Crown Court', text: `Sent on ${day(data.on)}` };
    case 'court.adjourned': {
      const reason = isAdjournmentReason(text(data.reasonCode)) ? adjournmentReasons.reasons[text(data.reasonCode) as AdjournmentReason] : 'a reason not listed';
      const by = isRequester(text(data.requestedBy)) ? `, asked for by ${requesters[text(data.requestedBy) as Requester].toLowerCase()}` : '';
      return { title: 'Hearing adjourned', text: `Adjourned: ${reason.toLowerCase()}${by}` };
    }
    case 'court.outcome-recorded': {
      const outcome = isOutcome(text(data.outcome)) ? outcomes[text(data.outcome) as Outcome] : 'An outcome';
      return { title: 'Outcome at court', text: `${outcome}${data.victimWithdrawal === true ? ' (the victim withdrew support)' : ''}` };
    }
    case 'court.sentenced': {
      const type = isSentenceType(text(data.sentenceType)) ? sentenceTypes[text(data.sentenceType) as SentenceType] : 'A sentence';
      return { title: 'Sentenced', text: typeof data.months === 'number' ? `${type} of ${data.months} months` : type };
    }
    default:
      return { title: event.type, text: '' };
  }
}
