// The case's details (its CPS URN and court case number), notes marked as
// fact or opinion, and the outcomes of a supervisor's review of a break-glass
// grant: reference data and the rules inputs must follow.
import type { FieldError } from '../../platform/web/errors.ts';
import { describeEvent } from '../model.ts';

// A URN is the force's two-digit code, a two-letter unit code, a five-digit
// number and the two-digit year (e.g. 52AB1234525). People write it with
// spaces or slashes (52 AB 12345 25, 52/AB/12345/25): those are dropped.
const URN = /^\d{2}[A-Z]{2}\d{7}$/;
// Court case numbers vary by court system: letters, digits and slashes.
const COURT_CASE_NUMBER = /^[A-Z0-9/]{4,30}$/;

export function normaliseUrn(text: string): string {
  return text.replace(/[\s/\\.-]+/g, '').toUpperCase();
}

export function normaliseCourtCaseNumber(text: string): string {
  return text.replace(/\s+/g, '').toUpperCase();
}

/** The URN as stored, or the error to show; empty is allowed (no URN yet) only when `required` is false. */
export function urnError(normalised: string): FieldError | null {
  if (normalised === '') return null;
  if (!URN.test(normalised)) return { field: 'cpsUrn', message: 'Enter the URN as 2 numbers, 2 letters, then 7 numbers, like 52AB1234525' };
  return null;
}

export function courtCaseNumberError(normalised: string, field = 'courtCaseNumber'): FieldError | null {
  if (normalised === '') return null;
  if (!COURT_CASE_NUMBER.test(normalised)) return { field, message: 'Court case number must be 4 to 30 letters, numbers or slashes' };
  return null;
}

export interface DetailsInput {
  readonly cpsUrn: string;
  readonly courtCaseNumber: string;
}

export interface ValidDetails {
  readonly cpsUrn: string | null;
  readonly courtCaseNumber: string | null;
}

/** Checks the details form: both fields may be left empty (not known yet), but a value must be well formed. */
export function detailsErrors(input: DetailsInput): { value: ValidDetails | null; errors: FieldError[] } {
  const cpsUrn = normaliseUrn(input.cpsUrn);
  const courtCaseNumber = normaliseCourtCaseNumber(input.courtCaseNumber);
  const errors = [urnError(cpsUrn), courtCaseNumberError(courtCaseNumber)].filter((e): e is FieldError => e !== null);
  if (errors.length) return { value: null, errors };
  return { value: { cpsUrn: cpsUrn || null, courtCaseNumber: courtCaseNumber || null }, errors };
}

export const noteKinds = {
  fact: 'Fact',
  opinion: 'Opinion',
} as const;
export type NoteKind = keyof typeof noteKinds;

export function isNoteKind(value: string): value is NoteKind {
  return Object.hasOwn(noteKinds, value);
}

export const MAX_NOTE = 5000;

export function noteErrors(input: { kind: string; text: string }): { value: { kind: NoteKind; text: string } | null; errors: FieldError[] } {
  const errors: FieldError[] = [];
  if (!isNoteKind(input.kind)) errors.push({ field: 'kind', message: 'Select whether the note is a fact or an opinion' });
  const text = input.text.trim();
  if (text === '') errors.push({ field: 'text', message: 'Enter the note' });
  else if (text.length > MAX_NOTE) errors.push({ field: 'text', message: `Note must be ${MAX_NOTE} characters or fewer` });
  if (errors.length || !isNoteKind(input.kind)) return { value: null, errors };
  return { value: { kind: input.kind, text }, errors };
}

export interface CaseNote {
  readonly id: string;
  readonly kind: NoteKind;
  readonly text: string;
  readonly authorUserId: string;
  readonly authorName: string;
  readonly createdAt: string;
}

export const breakGlassOutcomes = {
  appropriate: 'Appropriate',
  refer_to_professional_standards: 'Refer to professional standards',
} as const;
export type BreakGlassOutcome = keyof typeof breakGlassOutcomes;

export function isBreakGlassOutcome(value: string): value is BreakGlassOutcome {
  return Object.hasOwn(breakGlassOutcomes, value);
}

/** Who reviews break-glass grants: supervisors and escalation leads of a force, DCPs and heads of RASSO of a CPS Area. */
export const breakGlassReviewers = {
  police_force: ['police_supervisor', 'escalation_lead'],
  cps_area: ['dcp', 'head_of_rasso'],
} as const;

export interface BreakGlassGrant {
  readonly id: string;
  readonly caseId: string;
  readonly policeReference: string;
  readonly userId: string;
  readonly userName: string;
  readonly reason: string;
  readonly grantedAt: string;
  readonly expiresAt: string;
}

/** A change to a reference in the case's details, as journalled: the references are not personal data. */
export interface DetailChange {
  readonly field: 'cpsUrn' | 'courtCaseNumber';
  readonly from: string | null;
  readonly to: string | null;
}

export function detailChanges(before: ValidDetails, after: Partial<ValidDetails>): DetailChange[] {
  const changes: DetailChange[] = [];
  for (const field of ['cpsUrn', 'courtCaseNumber'] as const) {
    const to = after[field];
    if (to !== undefined && to !== before[field]) changes.push({ field, from: before[field], to });
  }
  return changes;
}

const fieldNames = { cpsUrn: 'CPS URN', courtCaseNumber: 'Court case number' } as const;

/** Timeline lines for notes and reference changes; any other case event as the case file describes it. */
export function describeDetailsEvent(event: { type: string; data: Readonly<Record<string, unknown>> }): { title: string; text: string } {
  if (event.type === 'case.note-added') return { title: event.data.kind === 'opinion' ? 'Note added (opinion)' : 'Note added (fact)', text: 'A note was added to the case' };
  if (event.type === 'case.details-changed') {
    const changes = Array.isArray(event.data.changes) ? (event.data.changes as { field?: unknown; from?: unknown; to?: unknown }[]) : [];
    const text = changes
      .filter((c) => c.field === 'cpsUrn' || c.field === 'courtCaseNumber')
      .map((c) => `${fieldNames[c.field as keyof typeof fieldNames]} ${typeof c.to === 'string' ? `set to ${c.to}` : 'removed'}${typeof c.from === 'string' ? ` (was ${c.from})` : ''}`)
      .join('; ');
    return { title: 'References changed', text };
  }
  return describeEvent({ type: event.type, data: event.data });
}
