// Police decisions of no further action (DOMAIN §3, §4, §5): the Home Office
// outcome codes as versioned reference data, the rules a proposal follows
// (a closing code, a rationale, a joint meeting first where the case was
// ever referred to the CPS, for outcome 16 a withdrawal of support on the
// victim's records after someone spoke to them, and the contact itself) and
// the sign-off by a supervisor other than the proposer.
import type { Role } from '../../platform/access/roles.ts';
import { translate } from '../../platform/i18n/messages.ts';
import type { FieldError } from '../../platform/web/errors.ts';
import { MAX_REASON, parseDateParts } from '../model.ts';
import type { DateParts } from '../model.ts';
import type { PlainDate } from '../../platform/time/working-days.ts';

/** The Home Office outcomes framework (version 1). `closing` codes may end an investigation as police NFA. */
export const outcomeCodes = {
  version: 1,
  effectiveFrom: '2014-04-01',
  codes: {
    0: { name: 'Not yet assigned an outcome', closing: false },
    1: { name: 'Charged or summonsed', closing: false },
    2: { name: 'Caution (youth)', closing: true },
    3: { name: 'Caution (adult)', closing: true },
    4: { name: 'Taken into consideration', closing: true },
    5: { name: 'Offender died', closing: true },
    6: { name: 'Penalty notice for disorder', closing: true },
    7: { name: 'Cannabis or khat warning', closing: true },
    8: { name: 'Community resolution', closing: true },
    9: { name: 'Prosecution not in the public interest (CPS)', closing: true },
    10: { name: 'Formal action not in the public interest (police)', closing: true },
    11: { name: 'Prosecution prevented: suspect under age', closing: true },
    12: { name: 'Prosecution prevented: suspect too ill', closing: true },
    13: { name: 'Prosecution prevented: victim or key witness dead or too ill', closing: true },
    14: { name: 'Evidential difficulties: suspect not identified, victim does not support action', closing: true },
    15: { name: 'Evidential difficulties: suspect identified, victim supports action', closing: true },
    16: { name: 'Evidential difficulties: victim does not support action', closing: true },
    17: { name: 'Prosecution time limit expired', closing: true },
    18: { name: 'Investigation complete: no suspect identified', closing: true },
    19: { name: 'National Fraud Intelligence Bureau filed', closing: true },
    20: { name: 'Further action by another body or agency', closing: true },
    21: { name: 'Further investigation not in the public interest (police)', closing: true },
    22: { name: 'Diversionary, educational or intervention activity', closing: true },
  },
} as const;

export type OutcomeCode = keyof typeof outcomeCodes.codes;
export const OUTCOME_VICTIM_DOES_NOT_SUPPORT = 16;

export function isClosingCode(code: number): code is OutcomeCode {
  return Object.hasOwn(outcomeCodes.codes, String(code)) && outcomeCodes.codes[code as OutcomeCode].closing;
}

export const closingCodes = (Object.keys(outcomeCodes.codes).map(Number) as OutcomeCode[]).filter((code) => outcomeCodes.codes[code].closing);

export function outcomeName(code: number): string {
  return Object.hasOwn(outcomeCodes.codes, String(code)) ? `${code}: ${outcomeCodes.codes[code as OutcomeCode].name}` : String(code);
}

export const contactMethods = {
  in_person: 'In person',
  video_call: 'Video call',
  phone: 'Telephone',
  through_isva: 'With the victim’s ISVA present',
} as const;
export type ContactMethod = keyof typeof contactMethods;

export const toldMethods = {
  meeting: 'At a meeting',
  phone: 'By telephone',
  letter: 'By letter',
  email: 'By email',
} as const;
export type ToldMethod = keyof typeof toldMethods;

export const PROPOSERS: readonly Role[] = ['investigator', 'police_supervisor'];
export const SIGNERS: readonly Role[] = ['police_supervisor'];
export const MAX_ATTENDEES = 500;
export const MAX_NAME = 100;

const has = <T extends object>(object: T, key: string): key is Extract<keyof T, string> => Object.hasOwn(object, key);

function text(field: string, value: string, what: string, max = MAX_REASON): FieldError[] {
  const trimmed = value.trim();
  if (trimmed === '') return [{ field, message: `Enter ${what}` }];
  if (trimmed.length > max) return [{ field, message: `${what[0]!.toUpperCase()}${what.slice(1)} must be ${max} characters or fewer` }];
  return [];
}

export interface ProposalInput {
  readonly outcomeCode: string;
  readonly rationale: string;
  readonly meetingHeldOn: DateParts;
  readonly meetingAttendees: string;
  readonly contactOn: DateParts;
  readonly contactMethod: string;
  readonly contactBy: string;
  readonly contactSummary: string;
}

export interface ValidProposal {
  readonly outcomeCode: OutcomeCode;
  readonly rationale: string;
  readonly meeting: { readonly heldOn: PlainDate; readonly attendees: string } | null;
  readonly contact: { readonly on: PlainDate; readonly method: ContactMethod; readonly by: string; readonly summary: string } | null;
}

export interface ProposalFacts {
  readonly today: PlainDate;
  /** The case was referred to the CPS (a charging referral or an early advice request). */
  readonly everReferred: boolean;
  /** A joint police–CPS meeting before NFA is already on the journal. */
  readonly meetingRecorded: boolean;
  /** A victim's withdrawal of support, after someone spoke to them, stands on the journal (see `withdrawalStands`). */
  readonly withdrawalRecorded: boolean;
}

/**
 * Whether the journal (oldest first) holds a victim's withdrawal of support
 * recorded after someone spoke to the victim, not followed by their
 * re-engagement: what outcome 16 needs.
 */
export function withdrawalStands(events: readonly { type: string; data: Readonly<Record<string, unknown>> }[]): boolean {
  const standing = new Set<string>();
  for (const { type, data } of events) {
    const id = typeof data.withdrawalId === 'string' ? data.withdrawalId : null;
    if (id && type === 'victims.withdrawal.recorded' && data.spokenToVictim === true) standing.add(id);
    if (id && type === 'victims.withdrawal.re-engaged') standing.delete(id);
  }
  return standing.size > 0;
}

/**
 * Checks a proposal. Where the case was ever referred to the CPS and no
 * joint meeting is on the journal, the meeting must be recorded here; outcome
 * 16 needs a withdrawal on the victim's records and the contact with the victim.
 */
export function proposalErrors(input: ProposalInput, facts: ProposalFacts): { value: ValidProposal | null; errors: FieldError[] } {
  const errors: FieldError[] = [];
  const code = /^\d{1,2}$/.test(input.outcomeCode) ? Number(input.outcomeCode) : NaN;
  if (!isClosingCode(code)) {
    errors.push({ field: 'outcomeCode', message: code === 0 || code === 1 ? 'Select an outcome that closes the investigation: outcomes 0 and 1 do not' : 'Select the outcome' });
  }
  errors.push(...text('rationale', input.rationale, 'the rationale for the decision'));
  let meeting: ValidProposal['meeting'] = null;
  if (facts.everReferred && !facts.meetingRecorded) {
    const held = parseDateParts(input.meetingHeldOn, { field: 'meetingHeldOn', label: 'The date of the meeting with the prosecutor', required: true, notAfter: facts.today, notBefore: '2000-01-01' });
    if (held.error) errors.push(held.error);
    errors.push(...text('meetingAttendees', input.meetingAttendees, 'who attended the meeting with the prosecutor', MAX_ATTENDEES));
    if (held.date) meeting = { heldOn: held.date, attendees: input.meetingAttendees.trim() };
  }
  let contact: ValidProposal['contact'] = null;
  if (code === OUTCOME_VICTIM_DOES_NOT_SUPPORT) {
    if (!facts.withdrawalRecorded) errors.push({ field: 'outcomeCode', message: translate('policeNfa.error.noWithdrawal') });
    const on = parseDateParts(input.contactOn, { field: 'contactOn', label: 'The date you spoke to the victim', required: true, notAfter: facts.today, notBefore: '2000-01-01' });
    if (on.error) errors.push(on.error);
    if (!has(contactMethods, input.contactMethod)) errors.push({ field: 'contactMethod', message: 'Select how you spoke to the victim' });
    errors.push(...text('contactBy', input.contactBy, 'who spoke to the victim', MAX_NAME));
    errors.push(...text('contactSummary', input.contactSummary, 'a summary of what the victim said'));
    if (on.date && has(contactMethods, input.contactMethod)) contact = { on: on.date, method: input.contactMethod, by: input.contactBy.trim(), summary: input.contactSummary.trim() };
  }
  if (errors.length || !isClosingCode(code)) return { value: null, errors };
  return { value: { outcomeCode: code, rationale: input.rationale.trim(), meeting, contact }, errors };
}

export interface SignOffInput {
  readonly victimToldOn: DateParts;
  readonly victimToldMethod: string;
  readonly rightToReviewGiven: boolean;
}

export function signOffErrors(input: SignOffInput, today: PlainDate): { value: { toldOn: PlainDate; method: ToldMethod } | null; errors: FieldError[] } {
  const errors: FieldError[] = [];
  const told = parseDateParts(input.victimToldOn, { field: 'victimToldOn', label: 'The date the victim was told', required: true, notAfter: today, notBefore: '2000-01-01' });
  if (told.error) errors.push(told.error);
  if (!has(toldMethods, input.victimToldMethod)) errors.push({ field: 'victimToldMethod', message: 'Select how the victim was told of the decision' });
  if (!input.rightToReviewGiven) errors.push({ field: 'rightToReviewGiven', message: 'Confirm the victim was given information about their right to review the decision' });
  if (errors.length || !told.date || !has(toldMethods, input.victimToldMethod)) return { value: null, errors };
  return { value: { toldOn: told.date, method: input.victimToldMethod }, errors };
}

// What a police NFA looks like outside the database.

export interface NfaView {
  readonly id: string;
  readonly status: 'proposed' | 'signed_off' | 'withdrawn';
  readonly outcomeCode: number;
  readonly rationale: string;
  readonly proposedBy: string;
  readonly proposedById: string;
  readonly proposedAt: string;
  readonly meeting: { readonly heldOn: PlainDate; readonly attendees: string } | null;
  readonly contact: { readonly on: PlainDate; readonly method: string; readonly by: string; readonly summary: string } | null;
  readonly signedOffBy: string | null;
  readonly signedOffAt: string | null;
  readonly victimTold: { readonly on: PlainDate; readonly method: string } | null;
}

export interface NfaFile {
  readonly decisions: readonly NfaView[];
  /** The proposal awaiting sign-off, if any. */
  readonly pending: NfaView | null;
  readonly everReferred: boolean;
  /** The day of a joint meeting before NFA on the journal, if any. */
  readonly meetingOn: PlainDate | null;
  /** A victim's withdrawal of support, after someone spoke to them, stands: outcome 16 may be proposed. */
  readonly withdrawalRecorded: boolean;
}
