// The victim's rights (DOMAIN §3, §5): the Victims' Code entitlements as
// versioned data (what makes each apply, which deadline rule dates it, which
// letter proves it), and the Victims' Right to Review schemes of the police
// and the CPS (request windows, review stages and their clocks, where an
// overturned decision takes the case). Who may do what on each side is here.
import type { Role } from '../../platform/access/roles.ts';
import { translate } from '../../platform/i18n/messages.ts';
import type { PlainDate } from '../../platform/time/working-days.ts';
import type { FieldError } from '../../platform/web/errors.ts';
import { MAX_REASON, parseDateParts } from '../../cases/model.ts';
import type { DateParts, Stage } from '../../cases/model.ts';
import { isContactMethod } from '../model.ts';
import type { ContactMethod } from '../model.ts';

/** A journal event that makes an entitlement apply: its type, and optionally a data field holding one of some values. */
export interface AppliesOn {
  readonly type: string;
  readonly field?: string;
  readonly values?: readonly string[];
}

export interface Entitlement {
  readonly key: string;
  readonly appliesOn: AppliesOn;
  /** The deadline rule that dates it, and the one for vulnerable or intimidated victims (enhanced rights). */
  readonly rule: string;
  readonly vulnerableRule: string | null;
  /** The letter template whose dispatch proves delivery, if one does. */
  readonly letterTemplate: string | null;
}

/** The Victims' Code entitlements the ledger tracks (version 1). Titles: `victimRights.entitlement.<key>`. */
export const entitlements = {
  version: 1,
  effectiveFrom: '2021-04-01',
  items: [
    { key: 'cps-no-charge', appliesOn: { type: 'charging.decided', field: 'decision', values: ['nfa_evidential', 'nfa_public_interest'] }, rule: 'victims-code.cps-no-charge', vulnerableRule: 'victims-code.cps-no-charge.vulnerable', letterTemplate: 'cps-no-charge' },
    { key: 'police-nfa', appliesOn: { type: 'police-nfa.signed-off' }, rule: 'victims-code.police-nfa', vulnerableRule: 'victims-code.police-nfa.vulnerable', letterTemplate: 'police-nfa' },
    { key: 'charge', appliesOn: { type: 'case.stage-changed', field: 'to', values: ['charged'] }, rule: 'victims-code.charge', vulnerableRule: 'victims-code.charge.vulnerable', letterTemplate: 'charge' },
    { key: 'pre-trial-meeting', appliesOn: { type: 'case.stage-changed', field: 'to', values: ['charged'] }, rule: 'victims-code.pre-trial-meeting', vulnerableRule: null, letterTemplate: null },
  ] as readonly Entitlement[],
} as const;

export const LETTERS_DISPATCHED = 'victims.letters.dispatched';
export const entitlementEventTypes = [...new Set(entitlements.items.map((e) => e.appliesOn.type))];
export const entitlementKeys = entitlements.items.map((e) => e.key);
export const findEntitlement = (key: string): Entitlement | undefined => entitlements.items.find((e) => e.key === key);
export const entitlementTitle = (key: string): string => translate(`victimRights.entitlement.${key}`);
/** The rule that dates an entitlement for this case. */
export const ruleOf = (e: Entitlement, vulnerable: boolean): string => (vulnerable && e.vulnerableRule ? e.vulnerableRule : e.rule);

/** Whether a journal event makes the entitlement apply. */
export function applies(e: Entitlement, event: { type: string; data: Readonly<Record<string, unknown>> }): boolean {
  if (event.type !== e.appliesOn.type) return false;
  if (!e.appliesOn.field) return true;
  const value = event.data[e.appliesOn.field];
  return typeof value === 'string' && (e.appliesOn.values ?? []).includes(value);
}

/** The days an entitlement began to apply, oldest first: one per day (two suspects not charged on one day are one duty to the victim). */
export function occurrences(e: Entitlement, events: readonly { type: string; on: PlainDate; data: Readonly<Record<string, unknown>> }[]): PlainDate[] {
  return [...new Set(events.filter((event) => applies(e, event)).map((event) => event.on))].sort();
}

/** The occurrence a delivery on a day answers: the latest one that began on or before it. */
export function occurrenceFor(days: readonly PlainDate[], on: PlainDate): PlainDate | null {
  return [...days].reverse().find((day) => day <= on) ?? null;
}

export type LedgerStatus = 'delivered' | 'delivered_late' | 'due' | 'overdue';

export function ledgerStatus(dueOn: PlainDate | null, deliveredOn: PlainDate | null, today: PlainDate): LedgerStatus {
  if (deliveredOn) return dueOn && deliveredOn > dueOn ? 'delivered_late' : 'delivered';
  return dueOn && today > dueOn ? 'overdue' : 'due';
}

export interface Delivery {
  readonly on: PlainDate;
  readonly method: string;
  readonly reference: string;
  /** 'recorded' by hand, or a 'letter' dispatched by the letters part. */
  readonly source: 'recorded' | 'letter';
  readonly recordedBy: string | null;
}

export interface LedgerLine {
  readonly entitlement: string;
  readonly title: string;
  readonly appliesOn: PlainDate;
  readonly ruleKey: string;
  readonly dueOn: PlainDate | null;
  readonly deadlineId: string | null;
  readonly delivery: Delivery | null;
  readonly status: LedgerStatus;
}

// Victims' Right to Review

export const schemes = ['police', 'cps'] as const;
export type Scheme = (typeof schemes)[number];
export const isScheme = (value: string): value is Scheme => (schemes as readonly string[]).includes(value);

export const reviewStages = ['review', 'local_resolution', 'independent_review'] as const;
export type ReviewStage = (typeof reviewStages)[number];

export const outcomes = ['upheld', 'overturned'] as const;
export type Outcome = (typeof outcomes)[number];
export const isOutcome = (value: string): value is Outcome => (outcomes as readonly string[]).includes(value);

/** Each scheme's rules: where the case must be, the request window, the stages and their clocks, and where an overturned decision takes the case. */
export const schemeRules: Readonly<Record<Scheme, {
  readonly caseStage: Stage;
  readonly reopensTo: Stage;
  readonly windowRule: string;
  readonly acknowledgeRule: string | null;
  readonly firstStage: ReviewStage;
  readonly stageRules: Partial<Record<ReviewStage, string>>;
  readonly escalatesTo: ReviewStage | null;
}>> = {
  police: { caseStage: 'police_nfa', reopensTo: 'investigation', windowRule: 'vrr.police.request', acknowledgeRule: 'vrr.police.acknowledge', firstStage: 'review', stageRules: { review: 'vrr.police.review' }, escalatesTo: null },
  cps: { caseStage: 'cps_nfa', reopensTo: 'charging_referral', windowRule: 'vrr.cps.request', acknowledgeRule: null, firstStage: 'local_resolution', stageRules: { local_resolution: 'vrr.cps.local-resolution', independent_review: 'vrr.cps.independent-review' }, escalatesTo: 'independent_review' },
};

export const vrrRuleKeys = [...new Set(schemes.flatMap((s) => [schemeRules[s].acknowledgeRule, ...Object.values(schemeRules[s].stageRules)]).filter((k): k is string => k !== null))];

export interface ReviewRequest {
  readonly id: string;
  readonly scheme: Scheme;
  readonly toldOn: PlainDate;
  readonly receivedOn: PlainDate;
  readonly windowEndsOn: PlainDate;
  readonly late: boolean;
  readonly lateReason: string | null;
  readonly stage: ReviewStage;
  readonly acknowledgedOn: PlainDate | null;
  readonly escalatedOn: PlainDate | null;
  readonly outcome: Outcome | null;
  readonly decidedOn: PlainDate | null;
  readonly reasons: string | null;
  readonly recordedBy: string;
  readonly recordedAt: string;
  readonly decidedBy: string | null;
}

// Who may do what (by role, on the case's own side)

const DELIVERY_RECORDERS: readonly Role[] = ['investigator', 'police_supervisor', 'prosecutor', 'dcp', 'head_of_rasso', 'vlo', 'paralegal'];
const REQUEST_RECORDERS: Readonly<Record<Scheme, readonly Role[]>> = {
  police: ['investigator', 'police_supervisor', 'escalation_lead', 'paralegal'],
  cps: ['prosecutor', 'dcp', 'head_of_rasso', 'vlo', 'paralegal'],
};
/** A police review is decided by a supervisor or the escalation lead; a CPS local resolution by a prosecutor or above, an independent review by a DCP or the Head of RASSO. */
const DECIDERS: Readonly<Record<ReviewStage, readonly Role[]>> = {
  review: ['police_supervisor', 'escalation_lead'],
  local_resolution: ['prosecutor', 'dcp', 'head_of_rasso'],
  independent_review: ['dcp', 'head_of_rasso'],
};
const sideOf: Readonly<Record<Scheme, 'police' | 'cps'>> = { police: 'police', cps: 'cps' };

export function rightsPowers(roles: readonly Role[], side: 'police' | 'cps' | null) {
  const holds = (list: readonly Role[]) => roles.some((role) => list.includes(role));
  return {
    recordDelivery: side !== null && holds(DELIVERY_RECORDERS),
    /** Record a request, acknowledge it, move it to independent review. */
    record: (scheme: Scheme) => side === sideOf[scheme] && holds(REQUEST_RECORDERS[scheme]),
    decide: (scheme: Scheme, stage: ReviewStage) => side === sideOf[scheme] && holds(DECIDERS[stage]),
  };
}
export type RightsPowers = ReturnType<typeof rightsPowers>;

// Validation

const MAX_REFERENCE = 500;
const EARLIEST = '2000-01-01';

function dateAfter(parts: DateParts, field: string, label: string, today: PlainDate, notBefore: PlainDate | null, beforeMessage: string): { date: PlainDate | null; errors: FieldError[] } {
  const { date, error } = parseDateParts(parts, { field, label, required: true, notAfter: today, notBefore: EARLIEST });
  if (error) return { date: null, errors: [error] };
  if (date && notBefore && date < notBefore) return { date: null, errors: [{ field: `${field}-day`, message: beforeMessage }] };
  return { date, errors: [] };
}

function text(field: string, value: string, emptyKey: string, max = MAX_REASON): FieldError[] {
  const trimmed = value.trim();
  if (trimmed === '') return [{ field, message: translate(emptyKey) }];
  if (trimmed.length > max) return [{ field, message: translate('victimRights.error.tooLong', { max }) }];
  return [];
}

export interface DeliveryInput {
  readonly entitlement: string;
  readonly deliveredOn: DateParts;
  readonly method: string;
  readonly reference: string;
}

export interface ValidDelivery {
  readonly entitlement: Entitlement;
  readonly appliesOn: PlainDate;
  readonly deliveredOn: PlainDate;
  readonly method: ContactMethod;
  readonly reference: string;
}

/** Checks a proof of delivery against the entitlements that apply now (each with the day it last began to apply). */
export function deliveryErrors(input: DeliveryInput, facts: { today: PlainDate; applying: ReadonlyMap<string, PlainDate> }): { value: ValidDelivery | null; errors: FieldError[] } {
  const errors: FieldError[] = [];
  const entitlement = findEntitlement(input.entitlement);
  const appliesOn = entitlement ? facts.applying.get(entitlement.key) ?? null : null;
  if (!entitlement || !appliesOn) errors.push({ field: 'entitlement', message: translate('victimRights.error.entitlement') });
  const on = dateAfter(input.deliveredOn, 'deliveredOn', translate('victimRights.delivery.onLabel'), facts.today, appliesOn, translate('victimRights.error.deliveredBefore', { date: appliesOn ?? '' }));
  errors.push(...on.errors);
  if (!isContactMethod(input.method)) errors.push({ field: 'method', message: translate('victimRights.error.method') });
  errors.push(...text('reference', input.reference, 'victimRights.error.reference', MAX_REFERENCE));
  if (errors.length || !entitlement || !appliesOn || !on.date || !isContactMethod(input.method)) return { value: null, errors };
  return { value: { entitlement, appliesOn, deliveredOn: on.date, method: input.method, reference: input.reference.trim() }, errors };
}

export interface RequestInput {
  readonly scheme: string;
  readonly toldOn: DateParts;
  readonly receivedOn: DateParts;
  readonly lateReason: string;
}

export interface ValidRequest {
  readonly scheme: Scheme;
  readonly toldOn: PlainDate;
  readonly receivedOn: PlainDate;
}

export function requestErrors(input: RequestInput, today: PlainDate): { value: ValidRequest | null; errors: FieldError[] } {
  const errors: FieldError[] = [];
  if (!isScheme(input.scheme)) errors.push({ field: 'scheme', message: translate('victimRights.error.scheme') });
  const told = dateAfter(input.toldOn, 'toldOn', translate('victimRights.request.toldLabel'), today, null, '');
  errors.push(...told.errors);
  const received = dateAfter(input.receivedOn, 'receivedOn', translate('victimRights.request.receivedLabel'), today, told.date, translate('victimRights.error.receivedBeforeTold'));
  errors.push(...received.errors);
  if (input.lateReason.trim().length > MAX_REASON) errors.push({ field: 'lateReason', message: translate('victimRights.error.tooLong', { max: MAX_REASON }) });
  if (errors.length || !isScheme(input.scheme) || !told.date || !received.date) return { value: null, errors };
  return { value: { scheme: input.scheme, toldOn: told.date, receivedOn: received.date }, errors };
}

/** A request after the window needs a reason for accepting it (the CPS accepts later requests in some cases; so may the police). */
export function lateErrors(receivedOn: PlainDate, windowEndsOn: PlainDate, lateReason: string): { late: boolean; errors: FieldError[] } {
  const late = receivedOn > windowEndsOn;
  if (late && lateReason.trim() === '') return { late, errors: [{ field: 'lateReason', message: translate('victimRights.error.lateReason', { date: windowEndsOn }) }] };
  return { late, errors: [] };
}

/** The day of an acknowledgement or of an escalation: not in the future, not before the request was received. */
export function stepDateErrors(parts: DateParts, field: string, labelKey: string, today: PlainDate, receivedOn: PlainDate): { date: PlainDate | null; errors: FieldError[] } {
  return dateAfter(parts, field, translate(labelKey), today, receivedOn, translate('victimRights.error.beforeReceived'));
}

export interface DecisionInput {
  readonly outcome: string;
  readonly decidedOn: DateParts;
  readonly reasons: string;
}

export function decisionErrors(input: DecisionInput, today: PlainDate, receivedOn: PlainDate): { value: { outcome: Outcome; decidedOn: PlainDate; reasons: string } | null; errors: FieldError[] } {
  const errors: FieldError[] = [];
  if (!isOutcome(input.outcome)) errors.push({ field: 'outcome', message: translate('victimRights.error.outcome') });
  const on = stepDateErrors(input.decidedOn, 'decidedOn', 'victimRights.decide.onLabel', today, receivedOn);
  errors.push(...on.errors);
  errors.push(...text('reasons', input.reasons, 'victimRights.error.reasons'));
  if (errors.length || !isOutcome(input.outcome) || !on.date) return { value: null, errors };
  return { value: { outcome: input.outcome, decidedOn: on.date, reasons: input.reasons.trim() }, errors };
}
