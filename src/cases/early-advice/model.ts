// Early advice (DOMAIN §3, §5): police ask the CPS for advice on a case under
// investigation, with the contents of the request (the DG6 headings); the CPS
// answers within 21 days (the clock is the rule `early-advice.response`),
// accepting or rejecting the request; a rejection may be appealed by a police
// officer of Inspector rank or above and is decided by a DCP or the head of
// the RASSO unit. Police who do not ask record why.
import type { FieldError } from '../../platform/web/errors.ts';
import { textErrors } from '../action-plans/model.ts';

/** The contents of a request, in the order of the DG6 form, each with its label. */
export const requestFields = {
  summary: 'Summary of the facts',
  enquiriesDone: 'Lines of enquiry completed',
  enquiriesOngoing: 'Lines of enquiry ongoing, with timescales',
  enquiriesPlanned: 'Lines of enquiry planned, with timescales',
  issues: 'Issues, including the suspect’s account',
  questions: 'Questions for the prosecutor',
  keyMaterial: 'Key material (ABE interview, suspect interview)',
  disclosableMaterial: 'Potentially disclosable material',
} as const;
export type RequestField = keyof typeof requestFields;
export const requestFieldNames = Object.keys(requestFields) as RequestField[];

/** Why police did not ask for early advice (configurable reference data). */
export const notRequestedReasons = {
  charging_file_ready: 'The file is ready for a charging decision',
  no_suspect: 'No suspect has been identified',
  victim_withdrawn: 'The victim does not support an investigation',
  evidential_nfa: 'The police are closing the case on evidential grounds',
  advice_not_needed: 'The investigation raises no issue needing a prosecutor’s advice',
  other: 'Another reason',
} as const;
export type NotRequestedReason = keyof typeof notRequestedReasons;
export const isNotRequestedReason = (value: string): value is NotRequestedReason => Object.hasOwn(notRequestedReasons, value);

/** Why the CPS may reject a request (configurable reference data). */
export const rejectionReasons = {
  insufficient_information: 'The request lacks the information the prosecutor needs',
  premature: 'It is too early: key lines of enquiry are still outstanding',
  not_rasso: 'The case is not one for the RASSO unit',
  charging_file_needed: 'The case is ready for a full charging file instead',
  other: 'Another reason',
} as const;
export type RejectionReason = keyof typeof rejectionReasons;
export const isRejectionReason = (value: string): value is RejectionReason => Object.hasOwn(rejectionReasons, value);

/** Police ranks in order; an appeal needs Inspector or above. */
export const policeRanks = {
  constable: 'Constable (DC)',
  sergeant: 'Sergeant (DS)',
  inspector: 'Inspector (DI)',
  chief_inspector: 'Chief Inspector (DCI)',
  superintendent: 'Superintendent (Det Supt)',
  chief_superintendent: 'Chief Superintendent',
} as const;
export type PoliceRank = keyof typeof policeRanks;
export const isPoliceRank = (value: string): value is PoliceRank => Object.hasOwn(policeRanks, value);
const rankOrder = Object.keys(policeRanks) as PoliceRank[];
export const MIN_APPEAL_RANK: PoliceRank = 'inspector';

export function mayAppealAtRank(rank: PoliceRank): boolean {
  return rankOrder.indexOf(rank) >= rankOrder.indexOf(MIN_APPEAL_RANK);
}

export const requestStatuses = {
  requested: 'Awaiting the CPS',
  accepted: 'Accepted: advice to follow',
  rejected: 'Rejected',
  appealed: 'Rejection appealed',
  advised: 'Advice given',
} as const;
export type RequestStatus = keyof typeof requestStatuses;
export const isRequestStatus = (value: string): value is RequestStatus => Object.hasOwn(requestStatuses, value);

/** The CPS Area's response days (the rule `early-advice.response` is the clock; this is for the request's own record). */
export const MAX_URN = 40;
const URN = /^[A-Z0-9][A-Z0-9/ \-.]{3,39}$/;

export type RequestInput = Readonly<Record<RequestField, string>> & { readonly urn: string };
export interface ValidRequest {
  readonly urn: string | null;
  readonly contents: Readonly<Record<RequestField, string>>;
}

/** Checks a request: the URN if known, and every heading of the DG6. */
export function requestErrors(input: RequestInput): { value: ValidRequest | null; errors: FieldError[] } {
  const errors: FieldError[] = [];
  const urn = input.urn.trim().replace(/\s+/g, ' ').toUpperCase();
  if (urn !== '' && !URN.test(urn)) errors.push({ field: 'urn', message: 'URN must be 4 to 40 letters, numbers, spaces, hyphens, full stops or slashes' });
  for (const field of requestFieldNames) errors.push(...textErrors(input[field], field, requestFields[field].toLowerCase().replace('abe', 'ABE')));
  if (errors.length) return { value: null, errors };
  return { value: { urn: urn || null, contents: Object.fromEntries(requestFieldNames.map((f) => [f, input[f].trim()])) as Record<RequestField, string> }, errors };
}

export interface EarlyAdviceRequest {
  readonly id: string;
  readonly status: RequestStatus;
  readonly requestedBy: string;
  readonly requestedAt: string;
  readonly dueOn: string;
  readonly urn: string | null;
  readonly contents: Readonly<Record<RequestField, string>>;
  readonly decidedBy: string | null;
  readonly decidedAt: string | null;
  readonly rejectReason: RejectionReason | null;
  readonly rejectDetail: string | null;
  readonly appealedBy: string | null;
  readonly appealedAt: string | null;
  readonly appellantRank: PoliceRank | null;
  readonly appealGrounds: string | null;
  readonly appealDecidedBy: string | null;
  readonly appealDecidedAt: string | null;
  readonly appealUpheld: boolean | null;
  readonly appealNote: string | null;
  readonly advice: string | null;
  readonly advisedBy: string | null;
  readonly advisedAt: string | null;
  readonly planId: string | null;
}

export interface NotRequestedRecord {
  readonly id: string;
  readonly reason: NotRequestedReason;
  readonly detail: string;
  readonly recordedBy: string;
  readonly recordedAt: string;
}
