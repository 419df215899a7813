// A victim's digital devices and third-party material (DOMAIN §5): two
// compartments of the victim's records. Who may open them at all is the
// access policy's (`mayOpenSensitiveMaterial`); each opening also needs a
// recorded reason (a reveal) that lapses after REVEAL_MINUTES. Here: the
// reveal's reason, the reference lists (versioned data, names in the message
// catalogue) and the rules a device record and a request follow.
import type { FieldError } from '../../platform/web/errors.ts';
import type { PlainDate } from '../../platform/time/working-days.ts';
import { parseDateParts } from '../../cases/model.ts';
import type { DateParts } from '../../cases/model.ts';

export const compartments = ['devices', 'third-party-material'] as const;
export type Compartment = (typeof compartments)[number];
export const isCompartment = (value: string): value is Compartment => (compartments as readonly string[]).includes(value);

/**
 * How long a reveal lasts. Long enough to read the records and record a
 * device or a request in one sitting; short enough that a screen left open
 * (or a token reused later) needs a fresh, audited reason.
 */
export const REVEAL_MINUTES = 20;
export const REASON_MIN = 10;
export const REASON_MAX = 500;

/** Why someone opens a compartment: the category goes into the audit journal, the words stay in the reveal. */
export const revealCategories = ['line_of_enquiry', 'record_or_update', 'charging_review', 'disclosure', 'victim_query', 'supervision', 'other'] as const;
export type RevealCategory = (typeof revealCategories)[number];

const oneOf = <T extends string>(list: readonly T[], value: string): value is T => (list as readonly string[]).includes(value);

export const deviceTypes = ['phone', 'tablet', 'computer', 'cloud_account', 'other'] as const;
export const ownerRoles = ['victim', 'suspect', 'witness'] as const;
export const dataTypes = ['messages', 'photos', 'call_logs', 'social_media', 'location', 'other'] as const;
/** Powers relied on to take or extract a device (version 1 of the list). */
export const powers = {
  version: 1,
  keys: ['consent', 'pcsca_s37', 'pace_s19', 'pace_s32', 'other'] as const,
  /** Powers that rest on the victim's agreement: the scope and the Digital Processing Notice come first. */
  byAgreement: ['consent', 'pcsca_s37'] as const,
};
export type Power = (typeof powers.keys)[number];
/** Versions of the Digital Processing Notice a victim may have been given, oldest first. */
export const dpnVersions = ['dpn_v1_2022', 'dpn_v2_2023'] as const;

export const holderTypes = ['counselling', 'medical', 'school', 'social_services', 'other'] as const;
export const tpmOutcomes = ['pending', 'received', 'refused_by_holder', 'not_pursued'] as const;
export type TpmOutcome = (typeof tpmOutcomes)[number];

export interface RevealInput {
  readonly category: string;
  readonly reason: string;
}

export function revealErrors(input: RevealInput): { value: { category: RevealCategory; reason: string } | null; errors: FieldError[] } {
  const errors: FieldError[] = [];
  const reason = input.reason.trim();
  if (!oneOf(revealCategories, input.category)) errors.push({ field: 'category', message: 'Select why you need to open these records' });
  if (reason.length < REASON_MIN) errors.push({ field: 'reason', message: `Explain why you need to open these records, in at least ${REASON_MIN} characters` });
  else if (reason.length > REASON_MAX) errors.push({ field: 'reason', message: `The reason must be ${REASON_MAX} characters or fewer` });
  return errors.length ? { value: null, errors } : { value: { category: input.category as RevealCategory, reason }, errors };
}

const text = (value: string, field: string, label: string, errors: FieldError[], max = 2000): string => {
  const trimmed = value.trim();
  if (!trimmed) errors.push({ field, message: `Enter ${label}` });
  else if (trimmed.length > max) errors.push({ field, message: `${label[0]!.toUpperCase()}${label.slice(1)} must be ${max} characters or fewer` });
  return trimmed;
};
const date = (parts: DateParts, field: string, label: string, required: boolean, today: PlainDate, errors: FieldError[]): PlainDate | null => {
  const { date: value, error } = parseDateParts(parts, { field, label, required, notAfter: today, notBefore: '2000-01-01' });
  if (error) errors.push(error);
  return value;
};

export interface DeviceInput {
  readonly deviceType: string;
  readonly description: string;
  readonly ownerRole: string;
  readonly lineOfEnquiry: string;
  readonly power: string;
  readonly scopeFrom: DateParts;
  readonly scopeTo: DateParts;
  readonly dataTypes: readonly string[];
  readonly accounts: string;
  readonly dpnVersion: string;
  readonly dpnGivenOn: DateParts;
  readonly takenOn: DateParts;
}

export interface ValidDevice {
  readonly deviceType: (typeof deviceTypes)[number];
  readonly description: string;
  readonly ownerRole: (typeof ownerRoles)[number];
  readonly lineOfEnquiry: string;
  readonly power: Power;
  readonly scopeFrom: PlainDate | null;
  readonly scopeTo: PlainDate | null;
  readonly dataTypes: readonly (typeof dataTypes)[number][];
  readonly accounts: string;
  readonly dpnVersion: (typeof dpnVersions)[number] | null;
  readonly dpnGivenOn: PlainDate | null;
  readonly takenOn: PlainDate | null;
}

/** A device record: a line of enquiry always; where the power rests on agreement, the agreed scope and the notice given first. */
export function deviceErrors(input: DeviceInput, today: PlainDate): { value: ValidDevice | null; errors: FieldError[] } {
  const errors: FieldError[] = [];
  if (!oneOf(deviceTypes, input.deviceType)) errors.push({ field: 'deviceType', message: 'Select the type of device' });
  const description = text(input.description, 'description', 'a description of the device', errors, 200);
  if (!oneOf(ownerRoles, input.ownerRole)) errors.push({ field: 'ownerRole', message: 'Select whose device it is' });
  const lineOfEnquiry = text(input.lineOfEnquiry, 'lineOfEnquiry', 'the reasonable line of enquiry', errors);
  const power = input.power;
  if (!oneOf(powers.keys, power)) errors.push({ field: 'power', message: 'Select the power relied on' });
  const byAgreement = oneOf(powers.byAgreement, power);
  const scopeFrom = date(input.scopeFrom, 'scopeFrom', 'The start of the agreed date range', byAgreement, today, errors);
  const scopeTo = date(input.scopeTo, 'scopeTo', 'The end of the agreed date range', byAgreement, today, errors);
  if (scopeFrom && scopeTo && scopeTo < scopeFrom) errors.push({ field: 'scopeTo-day', message: 'The end of the agreed date range must be on or after its start' });
  const types = [...new Set(input.dataTypes)];
  if (types.some((t) => !oneOf(dataTypes, t))) errors.push({ field: 'dataTypes', message: 'Select the types of data from the list' });
  else if (byAgreement && types.length === 0) errors.push({ field: 'dataTypes', message: 'Select the types of data the victim agreed to, as the power relied on rests on their agreement' });
  const accounts = input.accounts.trim();
  if (accounts.length > 500) errors.push({ field: 'accounts', message: 'Accounts must be 500 characters or fewer' });
  const dpn = input.dpnVersion;
  if (dpn && !oneOf(dpnVersions, dpn)) errors.push({ field: 'dpnVersion', message: 'Select the Digital Processing Notice given' });
  else if (byAgreement && !dpn) errors.push({ field: 'dpnVersion', message: 'Select the Digital Processing Notice given to the victim: it must be given before a device is taken by agreement' });
  const dpnGivenOn = date(input.dpnGivenOn, 'dpnGivenOn', 'The date the notice was given', byAgreement || Boolean(dpn), today, errors);
  const takenOn = date(input.takenOn, 'takenOn', 'The date the device was taken', false, today, errors);
  if (takenOn && dpnGivenOn && byAgreement && dpnGivenOn > takenOn) errors.push({ field: 'dpnGivenOn-day', message: 'The notice must be given on or before the day the device was taken' });
  if (errors.length) return { value: null, errors };
  return {
    value: {
      deviceType: input.deviceType as ValidDevice['deviceType'], description, ownerRole: input.ownerRole as ValidDevice['ownerRole'], lineOfEnquiry, power: power as Power,
      scopeFrom, scopeTo, dataTypes: types as ValidDevice['dataTypes'], accounts, dpnVersion: dpn ? (dpn as ValidDevice['dpnVersion']) : null, dpnGivenOn, takenOn,
    },
    errors,
  };
}

/** A dated step of a device (extraction or return): on or after the day it was taken, not in the future. */
export function deviceDateErrors(parts: DateParts, label: string, today: PlainDate, notBefore: PlainDate | null): { value: PlainDate | null; errors: FieldError[] } {
  const errors: FieldError[] = [];
  const on = date(parts, 'on', label, true, today, errors);
  if (on && notBefore && on < notBefore) errors.push({ field: 'on-day', message: `${label} must be on or after ${notBefore.split('-').reverse().join('/')}` });
  return errors.length ? { value: null, errors } : { value: on, errors };
}

/** Calendar days the victim was without the device: from the day it was taken to its return, or to today while kept. */
export function daysWithout(takenOn: PlainDate | null, returnedOn: PlainDate | null, today: PlainDate): number | null {
  if (!takenOn) return null;
  const end = returnedOn ?? today;
  return Math.max(0, Math.round((Date.parse(`${end}T00:00:00Z`) - Date.parse(`${takenOn}T00:00:00Z`)) / 86_400_000));
}

export interface TpmInput {
  readonly holder: string;
  readonly rationale: string;
  readonly atEarlyAdvice: string;
  readonly decidedOn: DateParts;
  readonly requestedOn: DateParts;
}

export interface ValidTpm {
  readonly holder: (typeof holderTypes)[number];
  readonly rationale: string;
  readonly atEarlyAdvice: boolean;
  readonly decidedOn: PlainDate | null;
  readonly requestedOn: PlainDate | null;
}

/** A request for third-party material: necessity and proportionality in words, and whether it was decided at early advice. */
export function tpmErrors(input: TpmInput, today: PlainDate): { value: ValidTpm | null; errors: FieldError[] } {
  const errors: FieldError[] = [];
  if (!oneOf(holderTypes, input.holder)) errors.push({ field: 'holder', message: 'Select who holds the material' });
  const rationale = text(input.rationale, 'rationale', 'why the material is necessary and proportionate', errors);
  if (input.atEarlyAdvice !== 'yes' && input.atEarlyAdvice !== 'no') errors.push({ field: 'atEarlyAdvice', message: 'Select whether the request was decided at early advice' });
  const decidedOn = date(input.decidedOn, 'decidedOn', 'The date it was decided', input.atEarlyAdvice === 'yes', today, errors);
  const requestedOn = date(input.requestedOn, 'requestedOn', 'The date it was requested', false, today, errors);
  if (errors.length) return { value: null, errors };
  return { value: { holder: input.holder as ValidTpm['holder'], rationale, atEarlyAdvice: input.atEarlyAdvice === 'yes', decidedOn, requestedOn }, errors };
}

export function tpmOutcomeErrors(input: { outcome: string; on: DateParts }, today: PlainDate, requestedOn: PlainDate | null): { value: { outcome: TpmOutcome; on: PlainDate } | null; errors: FieldError[] } {
  const errors: FieldError[] = [];
  if (!oneOf(tpmOutcomes, input.outcome) || input.outcome === 'pending') errors.push({ field: 'outcome', message: 'Select the outcome of the request' });
  const on = date(input.on, 'on', 'The date of the outcome', true, today, errors);
  if (on && requestedOn && on < requestedOn) errors.push({ field: 'on-day', message: 'The date of the outcome must be on or after the date it was requested' });
  return errors.length || !on ? { value: null, errors } : { value: { outcome: input.outcome as TpmOutcome, on }, errors };
}

/** A device as shown to someone holding a reveal. */
export interface Device extends ValidDevice {
  readonly id: string;
  readonly extractedOn: PlainDate | null;
  readonly returnedOn: PlainDate | null;
  readonly daysWithout: number | null;
  readonly powersVersion: number;
  readonly recordedByName: string;
  readonly recordedAt: string;
}

export interface TpmRequest extends ValidTpm {
  readonly id: string;
  readonly outcome: TpmOutcome;
  readonly outcomeOn: PlainDate | null;
  readonly recordedByName: string;
  readonly recordedAt: string;
}

export interface Reveal {
  readonly id: string;
  readonly compartment: Compartment;
  readonly expiresAt: string;
}
