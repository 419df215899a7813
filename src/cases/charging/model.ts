// Charging referrals and CPS charging decisions (DOMAIN §3, §5): the tests a
// file is referred under, the file-quality triage checklist, the reasons
// police give for not asking for early advice, the decisions a prosecutor
// may make for each suspect, and the rules their inputs follow. Reference
// lists are versioned data (`as const`), so a change of policy is a reviewed
// change of data with history in the journal of each record that used it.
import type { Role } from '../../platform/access/roles.ts';
import type { FieldError } from '../../platform/web/errors.ts';
import { MAX_REASON, isOffenceClass } from '../model.ts';
import type { OffenceClass, Stage } from '../model.ts';

export const chargingTests = {
  full_code: 'Full Code Test',
  threshold: 'Threshold Test',
} as const;
export type ChargingTest = keyof typeof chargingTests;

/** Reasons police give for referring without having asked for early advice (version 1). */
export const adviceNotRequestedReasons = {
  version: 1,
  reasons: {
    straightforward: 'The evidence is straightforward and the file is ready for a charging decision',
    suspect_in_custody: 'The suspect is in custody and a decision is needed now',
    threshold_urgent: 'An urgent Threshold Test decision is needed',
    victim_wishes: 'The victim asked for the case to go straight to a charging decision',
    other: 'Another reason',
  },
} as const;
export type AdviceNotRequestedReason = keyof typeof adviceNotRequestedReasons.reasons;

/** The file-quality triage checklist the CPS records on every referral (version 1). */
export const triageChecklist = {
  version: 1,
  items: {
    mg3_complete: 'MG3 (report to the prosecutor) complete and signed by a supervisor',
    evidence_summarised: 'Key evidence summarised, including the victim’s account and the suspect’s interview',
    disclosure_schedules: 'Disclosure schedules (MG6C and MG6D) and the disclosure management document',
    victim_views: 'The victim’s views on prosecution and any special measures recorded',
    digital_summary: 'Summary of digital material (devices, extractions, lines of enquiry)',
    third_party_material: 'Third-party material requested, with the rationale recorded',
    previous_convictions: 'Suspect’s previous convictions and relevant bad character material',
  },
} as const;
export type TriageItem = keyof typeof triageChecklist.items;
export const triageItems = Object.keys(triageChecklist.items) as TriageItem[];

export const triageResults = {
  accepted: 'Accepted for review',
  returned: 'Returned to police',
} as const;
export type TriageResult = keyof typeof triageResults;

/** Decisions a prosecutor makes for one suspect on a referral. */
export const suspectDecisions = {
  charge: 'Charge',
  nfa_evidential: 'No further action: evidential stage not met',
  nfa_public_interest: 'No further action: not in the public interest',
  out_of_court_disposal: 'Out-of-court disposal',
} as const;
export type SuspectDecision = keyof typeof suspectDecisions;

export const NOT_CHARGED: readonly SuspectDecision[] = ['nfa_evidential', 'nfa_public_interest'];

/** Why a case is administratively finalised (version 1). */
export const finalisationReasons = {
  version: 1,
  reasons: {
    action_plan_unanswered: 'Police have not answered the action plan',
    no_resubmission_after_advice: 'Police have not resubmitted the file after early advice',
    no_resubmission_after_return: 'Police have not resubmitted the file after it was returned',
  },
} as const;
export type FinalisationReason = keyof typeof finalisationReasons.reasons;

/** Stages a case is referred from, and the stages the CPS may administratively finalise it from. */
export const REFERRAL_STAGES: readonly Stage[] = ['investigation', 'early_advice', 'action_plan'];
export const FINALISE_STAGES: readonly Stage[] = ['early_advice', 'charging_referral', 'action_plan'];
export const REOPEN_STAGES: readonly Stage[] = ['administratively_finalised', 'cps_nfa'];

/** Who may do what, by platform role, on their own side of the case. */
export const REFERRERS: readonly Role[] = ['investigator', 'police_supervisor'];
export const TRIAGERS: readonly Role[] = ['paralegal', 'prosecutor', 'dcp'];
export const DECIDERS: readonly Role[] = ['prosecutor', 'dcp'];

export const MAX_WORDING = 500;
export const MAX_OFFENCES = 10;

const has = <T extends object>(object: T, key: string): key is Extract<keyof T, string> => Object.hasOwn(object, key);

function text(field: string, value: string, what: string, required: boolean, max = MAX_REASON): FieldError[] {
  const trimmed = value.trim();
  if (trimmed === '') return required ? [{ field, message: `Enter ${what}` }] : [];
  if (trimmed.length > max) return [{ field, message: `${what[0]!.toUpperCase()}${what.slice(1)} must be ${max} characters or fewer` }];
  return [];
}

export interface ReferralInput {
  readonly test: string;
  readonly suspectIds: readonly string[];
  readonly notRequestedReason: string;
  readonly notRequestedDetail: string;
}

export interface ValidReferral {
  readonly test: ChargingTest;
  readonly suspectIds: readonly string[];
  readonly notRequested: { readonly reason: AdviceNotRequestedReason; readonly detail: string } | null;
}

/**
 * Checks a referral. `suspects` are the case's suspects; `adviceWasRequested`
 * says whether police ever asked for early advice on the case (if not, they
 * must say why).
 */
export function referralErrors(input: ReferralInput, suspects: readonly string[], adviceWasRequested: boolean): { value: ValidReferral | null; errors: FieldError[] } {
  const errors: FieldError[] = [];
  if (!has(chargingTests, input.test)) errors.push({ field: 'test', message: 'Select whether the file is referred under the Full Code Test or the Threshold Test' });
  const chosen = [...new Set(input.suspectIds)];
  if (suspects.length === 0) errors.push({ field: 'suspectIds', message: 'Add the suspect to the case before referring it for a charging decision' });
  else if (chosen.length === 0) errors.push({ field: 'suspectIds', message: 'Select at least one suspect to refer' });
  else if (chosen.some((id) => !suspects.includes(id))) errors.push({ field: 'suspectIds', message: 'Select only suspects on this case' });
  let notRequested: ValidReferral['notRequested'] = null;
  if (!adviceWasRequested) {
    if (!has(adviceNotRequestedReasons.reasons, input.notRequestedReason)) errors.push({ field: 'notRequestedReason', message: 'Select why early advice was not requested' });
    errors.push(...text('notRequestedDetail', input.notRequestedDetail, 'why early advice was not requested', true));
    if (has(adviceNotRequestedReasons.reasons, input.notRequestedReason)) notRequested = { reason: input.notRequestedReason, detail: input.notRequestedDetail.trim() };
  }
  if (errors.length || !has(chargingTests, input.test)) return { value: null, errors };
  return { value: { test: input.test, suspectIds: chosen, notRequested }, errors };
}

export interface TriageInput {
  readonly items: readonly string[];
  readonly result: string;
  readonly reasons: string;
}

export interface ValidTriage {
  readonly items: readonly TriageItem[];
  readonly result: TriageResult;
  readonly reasons: string | null;
}

/** A file may be accepted with gaps (the prosecutor weighs them); a returned file must say why. */
export function triageErrors(input: TriageInput): { value: ValidTriage | null; errors: FieldError[] } {
  const errors: FieldError[] = [];
  if (input.items.some((item) => !has(triageChecklist.items, item))) errors.push({ field: 'items', message: 'Select only the checklist items listed' });
  if (!has(triageResults, input.result)) errors.push({ field: 'result', message: 'Select whether the file is accepted for review or returned to police' });
  if (input.result === 'returned') errors.push(...text('reasons', input.reasons, 'why the file is returned to police', true));
  else errors.push(...text('reasons', input.reasons, 'the notes on the file', false));
  if (errors.length || !has(triageResults, input.result)) return { value: null, errors };
  return { value: { items: triageItems.filter((item) => input.items.includes(item)), result: input.result, reasons: input.reasons.trim() || null }, errors };
}

export interface ChargedOffence {
  readonly offenceClass: OffenceClass;
  readonly wording: string;
}

export interface DecisionInput {
  readonly suspectId: string;
  readonly decision: string;
  readonly offences: readonly { readonly offenceClass: string; readonly wording: string }[];
  readonly alternativeOffence: boolean;
  readonly reasons: string;
}

export interface ValidDecision {
  readonly suspectId: string;
  readonly decision: SuspectDecision;
  readonly offences: readonly ChargedOffence[];
  readonly alternativeOffence: boolean;
  readonly reasons: string;
}

/** Checks a decision for a suspect awaiting one (`pending`): a charge names its offences; every decision gives reasons. */
export function decisionErrors(input: DecisionInput, pending: readonly string[]): { value: ValidDecision | null; errors: FieldError[] } {
  const errors: FieldError[] = [];
  if (!pending.includes(input.suspectId)) errors.push({ field: 'suspectId', message: pending.length ? 'Select a suspect awaiting a decision' : 'No suspect on this referral is awaiting a decision' });
  if (!has(suspectDecisions, input.decision)) errors.push({ field: 'decision', message: 'Select the decision' });
  const offences: ChargedOffence[] = [];
  if (input.decision === 'charge') {
    if (input.offences.length === 0) errors.push({ field: 'offenceClass', message: 'Select the offence charged' });
    if (input.offences.length > MAX_OFFENCES) errors.push({ field: 'offenceClass', message: `Charge ${MAX_OFFENCES} offences or fewer in one decision` });
    for (const offence of input.offences.slice(0, MAX_OFFENCES)) {
      if (!isOffenceClass(offence.offenceClass)) errors.push({ field: 'offenceClass', message: 'Select the offence charged' });
      errors.push(...text('wording', offence.wording, 'the wording of the offence charged', true, MAX_WORDING));
      if (isOffenceClass(offence.offenceClass)) offences.push({ offenceClass: offence.offenceClass, wording: offence.wording.trim() });
    }
  } else if (input.alternativeOffence) {
    errors.push({ field: 'alternativeOffence', message: 'Only a charge can be for an alternative offence' });
  }
  errors.push(...text('reasons', input.reasons, 'the reasons for the decision', true));
  const unique = errors.filter((e, i) => errors.findIndex((o) => o.field === e.field && o.message === e.message) === i);
  if (unique.length || !has(suspectDecisions, input.decision)) return { value: null, errors: unique };
  return { value: { suspectId: input.suspectId, decision: input.decision, offences, alternativeOffence: input.decision === 'charge' && input.alternativeOffence, reasons: input.reasons.trim() }, errors: [] };
}

/**
 * Where a referral's decisions take the case once every suspect has one:
 * charged if anyone is charged, else an out-of-court disposal if anyone has
 * one, else no further action by the CPS.
 */
export function caseOutcome(decisions: readonly SuspectDecision[]): Extract<Stage, 'charged' | 'out_of_court_disposal' | 'cps_nfa'> {
  if (decisions.includes('charge')) return 'charged';
  if (decisions.includes('out_of_court_disposal')) return 'out_of_court_disposal';
  return 'cps_nfa';
}

export function finalisationErrors(input: { reason: string; detail: string }): { value: { reason: FinalisationReason; detail: string } | null; errors: FieldError[] } {
  const errors: FieldError[] = [];
  if (!has(finalisationReasons.reasons, input.reason)) errors.push({ field: 'reason', message: 'Select why the case is administratively finalised' });
  errors.push(...text('detail', input.detail, 'the details of the finalisation', true));
  if (errors.length || !has(finalisationReasons.reasons, input.reason)) return { value: null, errors };
  return { value: { reason: input.reason, detail: input.detail.trim() }, errors };
}

export function reopeningErrors(input: { reason: string }): FieldError[] {
  return text('reason', input.reason, 'why the case is reopened', true);
}

// What charging looks like outside the database.

export interface ReferralView {
  readonly id: string;
  readonly test: ChargingTest;
  readonly fromStage: string;
  readonly referredBy: string;
  readonly referredAt: string;
  readonly suspectIds: readonly string[];
  readonly notRequested: { readonly reason: string; readonly detail: string } | null;
  readonly triage: { readonly result: TriageResult; readonly items: readonly TriageItem[]; readonly reasons: string | null; readonly by: string; readonly at: string } | null;
}

export interface DecisionView {
  readonly id: string;
  readonly referralId: string | null;
  readonly kind: SuspectDecision | 'administratively_finalised' | 'reopened';
  readonly suspectId: string | null;
  readonly offences: readonly ChargedOffence[];
  readonly alternativeOffence: boolean;
  readonly reasonCode: string | null;
  readonly reasons: string;
  readonly decidedBy: string;
  readonly decidedAt: string;
  readonly superseded: boolean;
}

export interface SuspectStatus {
  readonly id: string;
  readonly name: string;
  /** Each referral and each decision for the suspect is one consultation with the CPS. */
  readonly consultations: number;
  /** On the current referral and without a decision on it. */
  readonly awaitingDecision: boolean;
  readonly decision: SuspectDecision | null;
}

export interface ChargingFile {
  readonly referrals: readonly ReferralView[];
  /** The latest referral, if any. */
  readonly current: ReferralView | null;
  readonly decisions: readonly DecisionView[];
  readonly suspects: readonly SuspectStatus[];
  readonly adviceWasRequested: boolean;
}
