// The RASSO Joint Operational Improvement Meeting (DOMAIN §6): a police force
// and a CPS Area meet to monitor cases at 28, 56 and 90 days of an action
// plan, escalate non-responses and agree actions. Meetings are scheduled,
// held (attendance recorded: the pack is frozen then) or cancelled; actions
// are open, done or dropped (with a reason). Who may do what is decided here,
// in `mayJoim`, and nowhere else; so are the rules of every input.
import { hasPermission } from '../../platform/access/policy.ts';
import type { Actor } from '../../platform/access/policy.ts';
import { registerMessages, translate } from '../../platform/i18n/messages.ts';
import { addCalendarDays } from '../../platform/time/working-days.ts';
import type { PlainDate } from '../../platform/time/working-days.ts';
import type { FieldError } from '../../platform/web/errors.ts';
import { parseDateParts } from '../../cases/model.ts';
import type { DateParts } from '../../cases/model.ts';
import messages from './messages.en.json' with { type: 'json' };

registerMessages('en', messages);

export const JOIM_PERMISSION = 'governance.joim';
export const ACTION_SUBJECT = 'joim-action';
export const ACTION_RULE = 'joim.action';

export const MAX_PLACE = 300;
export const MAX_REASON = 1000;
export const MAX_MINUTES = 20_000;
export const MAX_DECISION = 2000;
export const MAX_ACTION = 1000;
export const MAX_NOTE = 2000;
export const MAX_GUEST = 100;
export const MAX_GUESTS = 20;
/** Guest rows offered on the attendance form without JavaScript: fill as many as needed. */
export const GUEST_ROWS = 5;
/** How far ahead a meeting may be scheduled, and an action fall due after its meeting. */
export const HORIZON_DAYS = 730;
export const EARLIEST_MEETING: PlainDate = '2015-01-01';

export const meetingStatuses = ['scheduled', 'held', 'cancelled'] as const;
export type MeetingStatus = (typeof meetingStatuses)[number];
export const isMeetingStatus = (value: string): value is MeetingStatus => (meetingStatuses as readonly string[]).includes(value);

export const actionStatuses = ['open', 'done', 'dropped'] as const;
export type ActionStatus = (typeof actionStatuses)[number];
export const isActionStatus = (value: string): value is ActionStatus => (actionStatuses as readonly string[]).includes(value);

export const meetingStatusName = (status: MeetingStatus): string => translate(`joim.meetingStatus.${status}`);
export const actionStatusName = (status: ActionStatus): string => translate(`joim.actionStatus.${status}`);

/** A police force and a CPS Area that hold a JOIM together. */
export interface JoimPair {
  readonly forceId: string;
  readonly cpsAreaId: string;
}

/**
 * Who may do what with a JOIM, the one place it is decided: holders of the
 * governance.joim permission (police supervisors, escalation leads, DCPs,
 * heads of RASSO units) acting for the force or the CPS Area of the pair see
 * and run its meetings, packs and actions. For an action (`ownerUserId`
 * given), its owner may also see it and change its status, whatever their
 * role: the officer asked to do something must be able to say it is done.
 * An API token must carry the governance.joim scope for the first.
 */
export function mayJoim(actor: Actor, subject: JoimPair & { readonly ownerUserId?: string }): boolean {
  const member = hasPermission(actor, JOIM_PERMISSION) && (actor.organisation.organisationId === subject.forceId || actor.organisation.organisationId === subject.cpsAreaId);
  return member || (subject.ownerUserId !== undefined && subject.ownerUserId === actor.userId);
}

function text(field: string, value: string, emptyKey: string, max: number): FieldError[] {
  const trimmed = value.trim();
  if (trimmed === '') return [{ field, message: translate(emptyKey) }];
  if (trimmed.length > max) return [{ field, message: translate('joim.error.tooLong', { max }) }];
  return [];
}

const TIME = /^([01]?\d|2[0-3])[:.]([0-5]\d)$/;

/** A time of day as people type it (14:30, 9.15) in 24-hour 'HH:MM', or null. */
export function parseTime(value: string): string | null {
  const match = TIME.exec(value.trim());
  return match ? `${match[1]!.padStart(2, '0')}:${match[2]}` : null;
}

/** 'HH:MM' the GOV.UK way: 10am, 2:30pm, midday. */
export function timeText(time: string): string {
  const [hour, minute] = time.split(':').map(Number) as [number, number];
  if (hour === 12 && minute === 0) return translate('joim.time.midday');
  const suffix = hour < 12 ? 'am' : 'pm';
  const h12 = hour % 12 === 0 ? 12 : hour % 12;
  return minute === 0 ? `${h12}${suffix}` : `${h12}:${String(minute).padStart(2, '0')}${suffix}`;
}

/** A place that is only a web address must be an https one; anything else is a room or an address, as typed. */
export function placeLink(place: string): string | null {
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(place)) return null;
  try {
    const url = new URL(place);
    return url.protocol === 'https:' && url.username === '' && url.password === '' ? url.href : null;
  } catch {
    return null;
  }
}

export interface MeetingInput {
  readonly meetsOn: DateParts;
  readonly startsAt: string;
  readonly place: string;
}

export interface ValidMeeting {
  readonly meetsOn: PlainDate;
  readonly startsAt: string;
  readonly place: string;
}

/** A meeting's date (a past one may be recorded, up to two years ahead), time and place or link. */
export function meetingErrors(input: MeetingInput, today: PlainDate): { value: ValidMeeting | null; errors: FieldError[] } {
  const errors: FieldError[] = [];
  const latest = addCalendarDays(today, HORIZON_DAYS);
  const date = parseDateParts(input.meetsOn, { field: 'meetsOn', label: translate('joim.meeting.dateLabel'), required: true, notAfter: '9999-12-31', notBefore: EARLIEST_MEETING });
  if (date.error) errors.push(date.error);
  else if (date.date && date.date > latest) errors.push({ field: 'meetsOn-day', message: translate('joim.error.dateTooFar') });
  const time = parseTime(input.startsAt);
  if (input.startsAt.trim() === '') errors.push({ field: 'startsAt', message: translate('joim.error.timeEmpty') });
  else if (!time) errors.push({ field: 'startsAt', message: translate('joim.error.time') });
  const place = input.place.trim();
  errors.push(...text('place', place, 'joim.error.placeEmpty', MAX_PLACE));
  if (place !== '' && /^[a-z][a-z0-9+.-]*:\/\//i.test(place) && !placeLink(place)) errors.push({ field: 'place', message: translate('joim.error.placeLink') });
  if (errors.length || !date.date || !time) return { value: null, errors };
  return { value: { meetsOn: date.date, startsAt: time, place }, errors };
}

export function reasonErrors(reason: string): FieldError[] {
  return text('reason', reason, 'joim.error.reason', MAX_REASON);
}

export function minutesErrors(minutes: string): FieldError[] {
  return text('minutes', minutes, 'joim.error.minutes', MAX_MINUTES);
}

export function decisionErrors(decision: string): FieldError[] {
  return text('text', decision, 'joim.error.decision', MAX_DECISION);
}

export interface GuestInput {
  readonly name: string;
  readonly role: string;
}

export interface AttendanceInput {
  /** People on the platform, of either organisation of the pair (checked by the service). */
  readonly userIds: readonly string[];
  readonly guests: readonly GuestInput[];
}

/**
 * The guests of an attendance form: rows left blank are skipped; the others
 * need a name and a role (fields `guests-<n>-name`, numbered from 1). Someone
 * must have attended.
 */
export function attendanceErrors(input: AttendanceInput): { guests: GuestInput[]; errors: FieldError[] } {
  const errors: FieldError[] = [];
  const guests: GuestInput[] = [];
  if (input.guests.length > MAX_GUESTS) errors.push({ field: 'guests-1-name', message: translate('joim.error.tooManyGuests', { max: MAX_GUESTS }) });
  input.guests.slice(0, MAX_GUESTS).forEach((guest, i) => {
    const name = guest.name.trim().replace(/\s+/g, ' ');
    const role = guest.role.trim().replace(/\s+/g, ' ');
    if (name === '' && role === '') return;
    const n = i + 1;
    const before = errors.length;
    const check = (field: string, value: string, emptyKey: string) => {
      if (value === '') errors.push({ field, message: translate(emptyKey, { n }) });
      else if (value.length > MAX_GUEST) errors.push({ field, message: translate('joim.error.tooLong', { max: MAX_GUEST }) });
    };
    check(`guests-${n}-name`, name, 'joim.error.guestName');
    check(`guests-${n}-role`, role, 'joim.error.guestRole');
    if (errors.length === before) guests.push({ name, role });
  });
  if (errors.length === 0 && input.userIds.length === 0 && guests.length === 0) errors.push({ field: 'attendees', message: translate('joim.error.nobody') });
  return { guests, errors };
}

export interface ActionInput {
  readonly text: string;
  readonly ownerUserId: string;
  readonly dueOn: DateParts;
  /** A case of the meeting's pack, or ''. */
  readonly caseId: string;
  /** An action of a plan, or ''. */
  readonly planActionId: string;
}

/** An action's words, owner (checked by the service) and due date: from the meeting on, within two years of it. */
export function actionErrors(input: ActionInput, meetsOn: PlainDate): { value: { text: string; dueOn: PlainDate } | null; errors: FieldError[] } {
  const errors = text('text', input.text, 'joim.error.actionText', MAX_ACTION);
  if (input.ownerUserId.trim() === '') errors.push({ field: 'ownerUserId', message: translate('joim.error.owner') });
  const due = parseDateParts(input.dueOn, { field: 'dueOn', label: translate('joim.action.dueLabel'), required: true, notAfter: '9999-12-31', notBefore: EARLIEST_MEETING });
  if (due.error) errors.push(due.error);
  else if (due.date && due.date < meetsOn) errors.push({ field: 'dueOn-day', message: translate('joim.error.dueBeforeMeeting') });
  else if (due.date && due.date > addCalendarDays(meetsOn, HORIZON_DAYS)) errors.push({ field: 'dueOn-day', message: translate('joim.error.dueTooFar') });
  if (errors.length || !due.date) return { value: null, errors };
  return { value: { text: input.text.trim(), dueOn: due.date }, errors };
}

export interface StatusInput {
  readonly status: string;
  readonly note: string;
}

/**
 * A change to an action: a new status, or a progress note on the same one.
 * Dropping an action needs the reason; opening one again needs a note saying
 * why; a note alone is a progress update.
 */
export function statusErrors(input: StatusInput, current: ActionStatus): { value: { status: ActionStatus; note: string | null } | null; errors: FieldError[] } {
  const errors: FieldError[] = [];
  const status = input.status.trim();
  const note = input.note.trim();
  if (!isActionStatus(status)) errors.push({ field: 'status', message: translate('joim.error.status') });
  else if (status === current && note === '') errors.push({ field: 'note', message: translate('joim.error.nothingChanged') });
  else if (status !== current && status === 'dropped' && note === '') errors.push({ field: 'note', message: translate('joim.error.dropReason') });
  else if (status !== current && status === 'open' && note === '') errors.push({ field: 'note', message: translate('joim.error.reopenReason') });
  if (note.length > MAX_NOTE) errors.push({ field: 'note', message: translate('joim.error.tooLong', { max: MAX_NOTE }) });
  if (errors.length || !isActionStatus(status)) return { value: null, errors };
  return { value: { status, note: note || null }, errors };
}

/** An action is overdue while it is open after its due date. */
export function isOverdue(action: { readonly status: ActionStatus; readonly dueOn: PlainDate }, today: PlainDate): boolean {
  return action.status === 'open' && action.dueOn < today;
}

// What the JOIM looks like outside the database.

export interface OrganisationRef {
  readonly id: string;
  readonly name: string;
}

export interface Pair {
  readonly force: OrganisationRef;
  readonly area: OrganisationRef;
}

export interface MeetingSummary {
  readonly id: string;
  readonly forceId: string;
  readonly cpsAreaId: string;
  readonly forceName: string;
  readonly areaName: string;
  readonly meetsOn: PlainDate;
  readonly startsAt: string;
  readonly place: string;
  readonly status: MeetingStatus;
  readonly cancelledReason: string | null;
  readonly minutes: string | null;
  readonly minutesBy: string | null;
  readonly minutesAt: string | null;
  readonly heldRecordedBy: string | null;
  readonly heldRecordedAt: string | null;
  readonly packFrozenAt: string | null;
  readonly version: number;
}

export interface Attendee {
  readonly userId: string | null;
  readonly name: string;
  /** For a person: the organisation they came for; for a guest: the role they gave. */
  readonly organisationName: string | null;
  readonly guestRole: string | null;
}

export interface Decision {
  readonly id: string;
  readonly number: number;
  readonly text: string;
  readonly recordedBy: string;
  readonly recordedAt: string;
}

export interface JoimAction {
  readonly id: string;
  readonly meetingId: string;
  readonly meetsOn: PlainDate;
  readonly forceId: string;
  readonly cpsAreaId: string;
  readonly forceName: string;
  readonly areaName: string;
  readonly number: number;
  readonly text: string;
  readonly ownerUserId: string;
  readonly ownerName: string;
  readonly dueOn: PlainDate;
  readonly status: ActionStatus;
  readonly overdue: boolean;
  readonly caseId: string | null;
  readonly caseLabel: string | null;
  readonly planId: string | null;
  readonly planActionId: string | null;
  readonly planActionLabel: string | null;
  readonly createdBy: string;
  readonly createdAt: string;
  readonly closedAt: string | null;
  readonly version: number;
}

export interface ActionUpdate {
  readonly id: string;
  readonly statusFrom: ActionStatus | null;
  readonly statusTo: ActionStatus;
  readonly note: string | null;
  readonly recordedBy: string;
  readonly recordedAt: string;
}

/** A person who may be chosen (to attend, or to own an action), with the organisation they belong to. */
export interface PersonChoice {
  readonly userId: string;
  readonly name: string;
  readonly organisationId: string;
  readonly organisationName: string;
}
