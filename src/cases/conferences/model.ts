// Joint meetings on a case (Case Progression Toolkit, DOMAIN §6): early case
// planning conferences, case management panels and the meeting the
// investigator and prosecutor must hold before a police NFA on a case that
// was referred. Reference data and the rules a record must follow.
import type { FieldError } from '../../platform/web/errors.ts';
import { addCalendarDays, formatDate } from '../../platform/time/working-days.ts';
import type { PlainDate } from '../../platform/time/working-days.ts';
import { closingStages, parseDateParts } from '../model.ts';
import type { DateParts, Stage } from '../model.ts';

export const conferenceKinds = {
  early_case_planning: 'Early case planning conference',
  case_management_panel: 'Case management panel',
  pre_nfa_meeting: 'Meeting before no further action',
} as const;
export type ConferenceKind = keyof typeof conferenceKinds;

export function isConferenceKind(value: string): value is ConferenceKind {
  return Object.hasOwn(conferenceKinds, value);
}

export const ownerSides = { police: 'Police', cps: 'CPS' } as const;
export type OwnerSide = keyof typeof ownerSides;

export function isOwnerSide(value: string): value is OwnerSide {
  return Object.hasOwn(ownerSides, value);
}

export const MAX_DECISIONS = 5000;
export const MAX_ACTION = 500;
export const MAX_TEXT = 100;
/** The most named attendees and actions one record holds (the form offers this many rows). */
export const MAX_OTHERS = 4;
export const MAX_ACTIONS = 5;
/** An action is due at most this long after the meeting. */
const MAX_DUE_DAYS = 730;

/** Why a conference cannot be recorded at this stage; null when it can. */
export function conferenceStageProblem(stage: Stage): string | null {
  return closingStages.includes(stage) ? 'A conference cannot be recorded on a case that is closed' : null;
}

export interface OtherAttendeeInput {
  readonly name: string;
  readonly organisation: string;
  readonly role: string;
}

export interface ActionInput {
  readonly description: string;
  readonly ownerSide: string;
  readonly dueOn: DateParts;
}

export interface ConferenceInput {
  readonly kind: string;
  readonly heldOn: DateParts;
  readonly teamAttendees: readonly string[];
  readonly others: readonly OtherAttendeeInput[];
  readonly decisions: string;
  readonly actions: readonly ActionInput[];
}

export interface ValidConference {
  readonly kind: ConferenceKind;
  readonly heldOn: PlainDate;
  readonly teamAttendees: readonly string[];
  readonly others: readonly OtherAttendeeInput[];
  readonly decisions: string;
  readonly actions: readonly { readonly description: string; readonly ownerSide: OwnerSide; readonly dueOn: PlainDate }[];
}

const blank = (parts: DateParts) => parts.day.trim() === '' && parts.month.trim() === '' && parts.year.trim() === '';

/**
 * Checks a conference record. Rows of the other-attendee and action lists
 * left wholly blank are ignored; `team` is who may be named from the case
 * team (its active members). Field names are those of the form: other
 * attendee n is `others-n-name`..., action n is `actions-n-description`...
 */
export function conferenceErrors(input: ConferenceInput, team: ReadonlySet<string>, today: PlainDate): { value: ValidConference | null; errors: FieldError[] } {
  const errors: FieldError[] = [];
  if (!isConferenceKind(input.kind)) errors.push({ field: 'kind', message: 'Select the kind of meeting' });
  const held = parseDateParts(input.heldOn, { field: 'heldOn', label: 'The date it was held', required: true, notAfter: today, notBefore: '2000-01-01' });
  if (held.error) errors.push(held.error);
  const teamAttendees = [...new Set(input.teamAttendees)];
  if (teamAttendees.some((id) => !team.has(id))) errors.push({ field: 'teamAttendees', message: 'Select only people on the case team' });
  const others: OtherAttendeeInput[] = [];
  input.others.slice(0, MAX_OTHERS).forEach((other, i) => {
    const row = { name: other.name.trim(), organisation: other.organisation.trim(), role: other.role.trim() };
    if (row.name === '' && row.organisation === '' && row.role === '') return;
    for (const [part, label] of [['name', 'name'], ['organisation', 'organisation'], ['role', 'role']] as const) {
      if (row[part] === '') errors.push({ field: `others-${i + 1}-${part}`, message: `Enter the ${label} of other attendee ${i + 1}` });
      else if (row[part].length > MAX_TEXT) errors.push({ field: `others-${i + 1}-${part}`, message: `The ${label} of other attendee ${i + 1} must be ${MAX_TEXT} characters or fewer` });
    }
    others.push(row);
  });
  if (teamAttendees.length + others.length === 0) errors.push({ field: 'teamAttendees', message: 'Select who attended from the case team, or name the others who attended' });
  const decisions = input.decisions.trim();
  if (decisions === '') errors.push({ field: 'decisions', message: 'Enter the decisions made' });
  else if (decisions.length > MAX_DECISIONS) errors.push({ field: 'decisions', message: `Decisions must be ${MAX_DECISIONS} characters or fewer` });
  const actions: { description: string; ownerSide: OwnerSide; dueOn: PlainDate }[] = [];
  input.actions.slice(0, MAX_ACTIONS).forEach((action, i) => {
    const n = i + 1;
    const description = action.description.trim();
    if (description === '' && action.ownerSide === '' && blank(action.dueOn)) return;
    if (description === '') errors.push({ field: `actions-${n}-description`, message: `Enter what action ${n} is` });
    else if (description.length > MAX_ACTION) errors.push({ field: `actions-${n}-description`, message: `Action ${n} must be ${MAX_ACTION} characters or fewer` });
    if (!isOwnerSide(action.ownerSide)) errors.push({ field: `actions-${n}-ownerSide`, message: `Select whether the police or the CPS own action ${n}` });
    const due = parseDateParts(action.dueOn, {
      field: `actions-${n}-dueOn`, label: `The date action ${n} is due`, required: true, notAfter: addCalendarDays(held.date ?? today, MAX_DUE_DAYS), notBefore: held.date ?? '2000-01-01',
    });
    if (due.error) errors.push(due.error.message.endsWith('today or in the past') ? { field: due.error.field, message: `The date action ${n} is due must be within 2 years of the meeting` } : due.error);
    if (description !== '' && isOwnerSide(action.ownerSide) && due.date) actions.push({ description, ownerSide: action.ownerSide, dueOn: due.date });
  });
  if (errors.length || !held.date || !isConferenceKind(input.kind)) return { value: null, errors };
  return { value: { kind: input.kind, heldOn: held.date, teamAttendees, others, decisions, actions }, errors };
}

export interface ConferenceAttendee {
  readonly userId: string | null;
  readonly name: string;
  readonly organisation: string;
  readonly role: string;
}

export interface ConferenceAction {
  readonly id: string;
  readonly description: string;
  readonly ownerSide: OwnerSide;
  readonly dueOn: PlainDate;
  readonly doneAt: string | null;
  readonly doneByName: string | null;
}

export interface Conference {
  readonly id: string;
  readonly kind: ConferenceKind;
  readonly heldOn: PlainDate;
  readonly decisions: string;
  readonly recordedByName: string;
  readonly recordedAt: string;
  readonly attendees: readonly ConferenceAttendee[];
  readonly actions: readonly ConferenceAction[];
}

/** Timeline lines for this part's journal events. */
export function describeConferenceEvent(event: { type: string; data: Readonly<Record<string, unknown>> }): { title: string; text: string } {
  const kind = typeof event.data.kind === 'string' && isConferenceKind(event.data.kind) ? conferenceKinds[event.data.kind] : 'Conference';
  switch (event.type) {
    case 'conference.recorded':
      return { title: `${kind} recorded`, text: typeof event.data.heldOn === 'string' ? `Held on ${formatDate(event.data.heldOn)}` : '' };
    case 'conference.action-done':
      return { title: 'Conference action done', text: 'An action agreed at a conference was marked done' };
    default:
      return { title: event.type, text: '' };
  }
}
