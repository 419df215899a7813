// Court support for a victim (DOMAIN §3 Court): special measures applications
// under the Youth Justice and Criminal Evidence Act 1999 with their outcomes,
// and the pre-trial meeting the prosecution team offers every adult RASSO
// victim. The measures are versioned data; names are in the catalogue
// (`courtSupport.measure.<key>`). Recording is for the CPS side of the case.
import type { Actor } from '../../platform/access/policy.ts';
import type { Role } from '../../platform/access/roles.ts';
import { translate } from '../../platform/i18n/messages.ts';
import type { FieldError } from '../../platform/web/errors.ts';
import type { PlainDate } from '../../platform/time/working-days.ts';
import { MAX_REASON, parseDateParts } from '../../cases/model.ts';
import type { DateParts } from '../../cases/model.ts';

/** Special measures (version 1): ss.23–30 YJCEA 1999. */
export const specialMeasures = {
  version: 1,
  measures: ['screens', 'live_link', 'evidence_in_private', 'wigs_and_gowns', 'video_evidence_in_chief', 'pre_recorded_cross_examination', 'intermediary', 'communication_aids'],
} as const;
export type Measure = (typeof specialMeasures.measures)[number];
export const isMeasure = (value: string): value is Measure => (specialMeasures.measures as readonly string[]).includes(value);
export const measureName = (measure: string): string => (isMeasure(measure) ? translate(`courtSupport.measure.${measure}`) : measure);

export const measureOutcomes = ['granted', 'refused', 'withdrawn'] as const;
export type MeasureOutcome = (typeof measureOutcomes)[number];
export const isMeasureOutcome = (value: string): value is MeasureOutcome => (measureOutcomes as readonly string[]).includes(value);

/** Who records court support: the CPS side of the case. The police see it. */
export const COURT_SUPPORT_RECORDERS: readonly Role[] = ['prosecutor', 'dcp', 'paralegal', 'vlo'];

export function courtSupportPowers(actor: Actor, side: 'police' | 'cps' | null): { record: boolean } {
  return { record: side === 'cps' && actor.organisation.roles.some((role) => COURT_SUPPORT_RECORDERS.includes(role)) };
}

export const MAX_NAME = 100;

function text(field: string, value: string, key: string, max = MAX_REASON): FieldError[] {
  const trimmed = value.trim();
  if (trimmed === '') return [{ field, message: translate(`courtSupport.error.${key}.missing`) }];
  if (trimmed.length > max) return [{ field, message: translate(`courtSupport.error.${key}.long`, { max }) }];
  return [];
}

const dateOf = (field: string, parts: DateParts, labelKey: string, today: PlainDate) =>
  parseDateParts(parts, { field, label: translate(labelKey), required: true, notAfter: today, notBefore: '2000-01-01' });

export interface ApplicationInput {
  readonly measure: string;
  readonly appliedOn: DateParts;
  readonly appliedBy: string;
  readonly victimView: string;
}

export interface ValidApplication {
  readonly measure: Measure;
  readonly appliedOn: PlainDate;
  readonly appliedBy: string;
  readonly victimView: string;
}

export function applicationErrors(input: ApplicationInput, today: PlainDate): { value: ValidApplication | null; errors: FieldError[] } {
  const errors: FieldError[] = [];
  if (!isMeasure(input.measure)) errors.push({ field: 'measure', message: translate('courtSupport.error.measure') });
  const applied = dateOf('appliedOn', input.appliedOn, 'courtSupport.label.appliedOn', today);
  if (applied.error) errors.push(applied.error);
  errors.push(...text('appliedBy', input.appliedBy, 'appliedBy', MAX_NAME));
  errors.push(...text('victimView', input.victimView, 'victimView'));
  if (errors.length || !applied.date || !isMeasure(input.measure)) return { value: null, errors };
  return { value: { measure: input.measure, appliedOn: applied.date, appliedBy: input.appliedBy.trim(), victimView: input.victimView.trim() }, errors };
}

export interface DecisionInput {
  readonly outcome: string;
  readonly decidedOn: DateParts;
}

/** A decision on an application: not before it was made. */
export function decisionErrors(input: DecisionInput, appliedOn: PlainDate, today: PlainDate): { value: { outcome: MeasureOutcome; on: PlainDate } | null; errors: FieldError[] } {
  const errors: FieldError[] = [];
  if (!isMeasureOutcome(input.outcome)) errors.push({ field: 'outcome', message: translate('courtSupport.error.outcome') });
  const decided = dateOf('decidedOn', input.decidedOn, 'courtSupport.label.decidedOn', today);
  if (decided.error) errors.push(decided.error);
  else if (decided.date && decided.date < appliedOn) errors.push({ field: 'decidedOn-day', message: translate('courtSupport.error.decidedBeforeApplied') });
  if (errors.length || !decided.date || !isMeasureOutcome(input.outcome)) return { value: null, errors };
  return { value: { outcome: input.outcome, on: decided.date }, errors };
}

/** The pre-trial meeting's next step: offer it, record the victim's answer, then the day it was held. */
export type MeetingStep = 'offer' | 'answer' | 'held' | 'done';

export interface PreTrialMeeting {
  readonly offeredOn: PlainDate;
  readonly accepted: boolean | null;
  readonly heldOn: PlainDate | null;
}

export function meetingStep(meeting: PreTrialMeeting | null): MeetingStep {
  if (!meeting) return 'offer';
  if (meeting.accepted === null) return 'answer';
  return meeting.accepted && !meeting.heldOn ? 'held' : 'done';
}

export interface MeetingInput {
  readonly on: DateParts;
  readonly accepted: string;
}

export type MeetingChange = { readonly step: 'offer'; readonly on: PlainDate } | { readonly step: 'answer'; readonly accepted: boolean } | { readonly step: 'held'; readonly on: PlainDate };

/** The change the meeting's current step takes from the form: a day for the offer and the meeting, yes or no for the answer. */
export function meetingErrors(meeting: PreTrialMeeting | null, input: MeetingInput, today: PlainDate): { value: MeetingChange | null; errors: FieldError[] } {
  const step = meetingStep(meeting);
  if (step === 'done') return { value: null, errors: [{ field: 'on-day', message: translate('courtSupport.error.meetingDone') }] };
  if (step === 'answer') {
    if (input.accepted !== 'yes' && input.accepted !== 'no') return { value: null, errors: [{ field: 'accepted', message: translate('courtSupport.error.accepted') }] };
    return { value: { step, accepted: input.accepted === 'yes' }, errors: [] };
  }
  const on = dateOf('on', input.on, step === 'offer' ? 'courtSupport.label.offeredOn' : 'courtSupport.label.heldOn', today);
  if (on.error) return { value: null, errors: [on.error] };
  if (step === 'held' && meeting && on.date! < meeting.offeredOn) return { value: null, errors: [{ field: 'on-day', message: translate('courtSupport.error.heldBeforeOffered') }] };
  return { value: { step, on: on.date! }, errors: [] };
}

export interface Application {
  readonly id: string;
  readonly measure: string;
  readonly appliedOn: PlainDate;
  readonly appliedBy: string;
  readonly victimView: string;
  readonly outcome: MeasureOutcome | null;
  readonly decidedOn: PlainDate | null;
  readonly recordedBy: string;
  readonly recordedAt: string;
}

export interface CourtSupport {
  readonly applications: readonly Application[];
  readonly meeting: PreTrialMeeting | null;
}
