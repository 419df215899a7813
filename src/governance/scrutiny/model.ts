// NFA scrutiny panels (DOMAIN §6): panels of police, CPS, ISVA and independent
// members who review anonymised packs of decisions of no further action, say
// whether each decision was sound, what was missed, how the victim was kept
// informed and whether myths and stereotypes show, and feed the learning back.
// Reference lists (answers, myth kinds, action statuses) are data here with
// their names in the message catalogue; the rules of each form and who may do
// what are decided here, in one place (`mayScrutiny`).
import { hasPermission } from '../../platform/access/policy.ts';
import type { Actor } from '../../platform/access/policy.ts';
import type { Role } from '../../platform/access/roles.ts';
import type { OrganisationKind } from '../../platform/db/tables.ts';
import { registerMessages, translate } from '../../platform/i18n/messages.ts';
import { addCalendarDays } from '../../platform/time/working-days.ts';
import type { PlainDate } from '../../platform/time/working-days.ts';
import type { FieldError } from '../../platform/web/errors.ts';
import { parseDateParts } from '../../cases/model.ts';
import type { DateParts } from '../../cases/model.ts';
import { isNfaDecisionKind, nfaDecisionKinds } from '../../cases/oversight/nfa-review.ts';
import type { NfaDecisionKind } from '../../cases/oversight/nfa-review.ts';
import messages from './messages.en.json' with { type: 'json' };

registerMessages('en', messages);

export const MAX_TEXT = 5000;
export const MAX_NAME = 120;
export const MAX_OWNER = 200;
export const MAX_ACTION = 1000;
export const MAX_EMAIL = 254;
/** More cases than a panel can review in a sitting or two: sample instead. */
export const MAX_SELECTED = 200;
export const MAX_PERIOD_DAYS = 366;
/** Counts below this are shown as '<5' wherever a report leaves the panel (DOMAIN §9). */
export const SUPPRESS_BELOW = 5;
/** Learning notifications carry this kind; the notification links to the learning page. */
export const LEARNING_SUBJECT = 'scrutiny_learning';

export { nfaDecisionKinds, isNfaDecisionKind };
export type { NfaDecisionKind };
export const decisionKindName = (kind: NfaDecisionKind): string => translate(`scrutiny.decisionKind.${kind}`);

// Answers of the review form, shared by each member's review and the panel's findings.

export const soundAnswers = ['yes', 'no', 'partly'] as const;
export type SoundAnswer = (typeof soundAnswers)[number];
export const yesNo = ['yes', 'no'] as const;
export type YesNo = (typeof yesNo)[number];

/** Myths and stereotypes about rape a review may find in a decision (version 1). Names: `scrutiny.myth.<key>`. */
export const mythKinds = {
  version: 1,
  kinds: [
    'delayed_reporting', 'no_resistance', 'no_injury', 'relationship', 'intoxication', 'clothing_or_behaviour',
    'inconsistent_account', 'demeanour', 'continued_contact', 'sexual_history', 'false_allegations', 'mental_health', 'other',
  ],
} as const;
export type MythKind = (typeof mythKinds.kinds)[number];
export const isMythKind = (value: string): value is MythKind => (mythKinds.kinds as readonly string[]).includes(value);
export const mythName = (kind: MythKind): string => translate(`scrutiny.myth.${kind}`);

export interface Answers {
  readonly sound: SoundAnswer;
  readonly soundReasons: string;
  readonly missedEnquiries: YesNo;
  readonly missedEnquiriesDetail: string;
  readonly communication: SoundAnswer;
  readonly communicationReasons: string;
  readonly myths: YesNo;
  readonly mythKinds: readonly MythKind[];
  readonly mythsDetail: string;
  readonly observations: string;
}

export interface AnswersInput {
  readonly sound: string;
  readonly soundReasons: string;
  readonly missedEnquiries: string;
  readonly missedEnquiriesDetail: string;
  readonly communication: string;
  readonly communicationReasons: string;
  readonly myths: string;
  readonly mythKinds: readonly string[];
  readonly mythsDetail: string;
  readonly observations: string;
}

export const answerFields = ['sound', 'soundReasons', 'missedEnquiries', 'missedEnquiriesDetail', 'communication', 'communicationReasons', 'myths', 'mythKinds', 'mythsDetail', 'observations'] as const;

const oneOf = <T extends string>(list: readonly T[], value: string): value is T => (list as readonly string[]).includes(value);
const error = (field: string, key: string, params: Record<string, string | number> = {}): FieldError => ({ field, message: translate(`scrutiny.error.${key}`, params) });

function text(field: string, value: string, key: string, required: boolean, max = MAX_TEXT): FieldError[] {
  const trimmed = value.trim();
  if (trimmed === '') return required ? [error(field, key)] : [];
  if (trimmed.length > max) return [error(field, 'tooLong', { max })];
  return [];
}

/** Checks the review form: reasons are needed for any answer other than "yes", detail for missed enquiries and myths found. */
export function answerErrors(input: AnswersInput): { value: Answers | null; errors: FieldError[] } {
  const errors: FieldError[] = [];
  if (!oneOf(soundAnswers, input.sound)) errors.push(error('sound', 'sound'));
  errors.push(...text('soundReasons', input.soundReasons, 'soundReasons', input.sound === 'no' || input.sound === 'partly'));
  if (!oneOf(yesNo, input.missedEnquiries)) errors.push(error('missedEnquiries', 'missedEnquiries'));
  errors.push(...text('missedEnquiriesDetail', input.missedEnquiriesDetail, 'missedEnquiriesDetail', input.missedEnquiries === 'yes'));
  if (!oneOf(soundAnswers, input.communication)) errors.push(error('communication', 'communication'));
  errors.push(...text('communicationReasons', input.communicationReasons, 'communicationReasons', input.communication === 'no' || input.communication === 'partly'));
  if (!oneOf(yesNo, input.myths)) errors.push(error('myths', 'myths'));
  const kinds = [...new Set(input.mythKinds)];
  if (kinds.some((kind) => !isMythKind(kind))) errors.push(error('mythKinds', 'mythKindUnknown'));
  else if (input.myths === 'yes' && kinds.length === 0) errors.push(error('mythKinds', 'mythKinds'));
  else if (input.myths === 'no' && kinds.length > 0) errors.push(error('mythKinds', 'mythKindsWithoutMyths'));
  errors.push(...text('mythsDetail', input.mythsDetail, 'mythsDetail', false));
  errors.push(...text('observations', input.observations, 'observations', false));
  if (errors.length || !oneOf(soundAnswers, input.sound) || !oneOf(yesNo, input.missedEnquiries) || !oneOf(soundAnswers, input.communication) || !oneOf(yesNo, input.myths)) return { value: null, errors };
  return {
    value: {
      sound: input.sound, soundReasons: input.soundReasons.trim(),
      missedEnquiries: input.missedEnquiries, missedEnquiriesDetail: input.missedEnquiries === 'yes' ? input.missedEnquiriesDetail.trim() : '',
      communication: input.communication, communicationReasons: input.communicationReasons.trim(),
      myths: input.myths, mythKinds: mythKinds.kinds.filter((kind) => kinds.includes(kind)), mythsDetail: input.myths === 'yes' ? input.mythsDetail.trim() : '',
      observations: input.observations.trim(),
    },
    errors,
  };
}

/** The panel's findings: the answers the chair records as agreed, and the learning for the officer and prosecutor. */
export function findingsErrors(input: AnswersInput & { readonly learning: string }): { value: (Answers & { readonly learning: string }) | null; errors: FieldError[] } {
  const { value, errors } = answerErrors(input);
  const all = [...errors, ...text('learning', input.learning, 'learning', true)];
  if (!value || all.length) return { value: null, errors: all };
  return { value: { ...value, learning: input.learning.trim() }, errors: [] };
}

// Panels, members and who may do what.

/** What the access rule needs to know about a panel. */
export interface PanelFacts {
  readonly forceId: string;
  readonly cpsAreaId: string | null;
  /** Members now (ended memberships excluded). */
  readonly members: readonly { readonly userId: string; readonly organisationId: string; readonly role: 'chair' | 'member' }[];
}

/** Roles of the panel's own force or Area whose holders may sit on it. Anyone holding 'panel_member' anywhere may too. */
export const STAFF_SEAT_ROLES: readonly Role[] = ['escalation_lead', 'police_supervisor', 'investigator', 'head_of_rasso', 'dcp', 'prosecutor'];

/** Whether someone holding `roles` in `organisationId` may sit on the panel. */
export function maySit(panel: Pick<PanelFacts, 'forceId' | 'cpsAreaId'>, organisationId: string, roles: readonly string[]): boolean {
  if (roles.includes('panel_member')) return true;
  const own = organisationId === panel.forceId || organisationId === panel.cpsAreaId;
  return own && roles.some((role) => (STAFF_SEAT_ROLES as readonly string[]).includes(role));
}

/**
 * What a person may do with scrutiny:
 * - 'manage' (create a panel, change its members, select cases): holders of
 *   `scrutiny.manage` (escalation leads, heads of RASSO unit) acting for the
 *   panel's force or CPS Area;
 * - 'see' (the panel, its rounds, its anonymised packs, its themes): its
 *   managers and its members;
 * - 'review' (their own review of a pack): members;
 * - 'agree' (the panel's findings, and so the learning): the chair;
 * - 'act' (record and update actions): the chair and managers;
 * - a learning record: only the officer or prosecutor it was sent to.
 * A member counts only while acting for the organisation they sit for, and
 * still holding a role there that lets them sit: an external member whose
 * role is taken away loses sight of the packs at once.
 */
export type ScrutinyNeed = 'see' | 'review' | 'agree' | 'act' | 'manage';
export type ScrutinySubject = { readonly kind: 'panel'; readonly panel: PanelFacts } | { readonly kind: 'learning'; readonly recipientUserId: string };

export function mayScrutiny(actor: Actor, subject: ScrutinySubject, need: ScrutinyNeed): boolean {
  if (subject.kind === 'learning') return need === 'see' && actor.userId === subject.recipientUserId;
  const { panel } = subject;
  const { organisationId, roles } = actor.organisation;
  const manager = hasPermission(actor, 'scrutiny.manage') && (organisationId === panel.forceId || organisationId === panel.cpsAreaId);
  const seat = panel.members.find((m) => m.userId === actor.userId && m.organisationId === organisationId && maySit(panel, organisationId, roles));
  switch (need) {
    case 'manage':
      return manager;
    case 'see':
      return manager || seat !== undefined;
    case 'review':
      return seat !== undefined;
    case 'agree':
      return seat?.role === 'chair';
    case 'act':
      return manager || seat?.role === 'chair';
  }
}

/** How a member is described: by the kind of organisation they sit for, and whether it is outside the panel's force and Area. */
export function memberKind(panel: Pick<PanelFacts, 'forceId' | 'cpsAreaId'>, organisationId: string, kind: OrganisationKind): { kind: OrganisationKind; external: boolean } {
  return { kind, external: organisationId !== panel.forceId && organisationId !== panel.cpsAreaId };
}

export interface PanelInput {
  readonly name: string;
  readonly forceId: string;
  readonly cpsAreaId: string;
}

export function panelErrors(input: PanelInput): FieldError[] {
  const errors = text('name', input.name, 'name', true, MAX_NAME);
  if (input.forceId === '') errors.push(error('forceId', 'force'));
  return errors;
}

export interface MemberInput {
  readonly email: string;
  readonly role: string;
}

export function memberErrors(input: MemberInput): { value: { email: string; role: 'chair' | 'member' } | null; errors: FieldError[] } {
  const errors: FieldError[] = [];
  const email = input.email.trim().toLowerCase();
  if (email === '') errors.push(error('email', 'email'));
  else if (email.length > MAX_EMAIL || !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)) errors.push(error('email', 'emailFormat'));
  if (input.role !== 'chair' && input.role !== 'member') errors.push(error('role', 'memberRole'));
  if (errors.length) return { value: null, errors };
  return { value: { email, role: input.role as 'chair' | 'member' }, errors };
}

// Review rounds: the cases selected for a period.

export const selectionMethods = ['all', 'sample'] as const;
export type SelectionMethod = (typeof selectionMethods)[number];

export interface RoundInput {
  readonly from: DateParts;
  readonly to: DateParts;
  readonly kinds: readonly string[];
  readonly method: string;
  readonly sampleSize: string;
  readonly seed: string;
}

export interface ValidRound {
  readonly from: PlainDate;
  readonly to: PlainDate;
  readonly kinds: readonly NfaDecisionKind[];
  readonly method: SelectionMethod;
  readonly sampleSize: number | null;
  /** The seed asked for ('' to draw one). */
  readonly seed: string;
}

const SEED = /^[A-Za-z0-9-]{1,40}$/;

export function roundErrors(input: RoundInput, today: PlainDate): { value: ValidRound | null; errors: FieldError[] } {
  const errors: FieldError[] = [];
  const from = parseDateParts(input.from, { field: 'from', label: translate('scrutiny.round.fromLabel'), required: true, notAfter: today, notBefore: '2000-01-01' });
  const to = parseDateParts(input.to, { field: 'to', label: translate('scrutiny.round.toLabel'), required: true, notAfter: today, notBefore: '2000-01-01' });
  if (from.error) errors.push(from.error);
  if (to.error) errors.push(to.error);
  if (from.date && to.date && from.date > to.date) errors.push(error('to-day', 'periodOrder'));
  else if (from.date && to.date && addCalendarDays(from.date, MAX_PERIOD_DAYS) <= to.date) errors.push(error('to-day', 'periodLength', { days: MAX_PERIOD_DAYS }));
  const kinds = [...new Set(input.kinds)];
  if (kinds.length === 0 || !kinds.every(isNfaDecisionKind)) errors.push(error('kinds', 'kinds'));
  if (!oneOf(selectionMethods, input.method)) errors.push(error('method', 'method'));
  let sampleSize: number | null = null;
  if (input.method === 'sample') {
    const size = input.sampleSize.trim();
    if (!/^\d{1,4}$/.test(size) || Number(size) < 1 || Number(size) > MAX_SELECTED) errors.push(error('sampleSize', 'sampleSize', { max: MAX_SELECTED }));
    else sampleSize = Number(size);
    if (input.seed.trim() !== '' && !SEED.test(input.seed.trim())) errors.push(error('seed', 'seed'));
  }
  if (errors.length || !from.date || !to.date || !oneOf(selectionMethods, input.method)) return { value: null, errors };
  return { value: { from: from.date, to: to.date, kinds: nfaDecisionKinds.filter((k) => kinds.includes(k)), method: input.method, sampleSize, seed: input.method === 'sample' ? input.seed.trim() : '' }, errors };
}

/** The pseudonym a pack is known by: 'P-0007'. */
export const pseudonymLabel = (n: number): string => `P-${String(n).padStart(4, '0')}`;

// Actions arising.

export const actionStatuses = ['open', 'in_progress', 'done'] as const;
export type ActionStatus = (typeof actionStatuses)[number];
export const isActionStatus = (value: string): value is ActionStatus => oneOf(actionStatuses, value);
export const actionStatusName = (status: string): string => (isActionStatus(status) ? translate(`scrutiny.actionStatus.${status}`) : status);

export interface ActionInput {
  readonly text: string;
  readonly owner: string;
  readonly dueOn: DateParts;
  /** A pack of the panel the action arises from ('' for the panel's work as a whole). */
  readonly packId: string;
}

export function actionErrors(input: ActionInput, today: PlainDate): { value: { text: string; owner: string; dueOn: PlainDate; packId: string | null } | null; errors: FieldError[] } {
  const errors = [...text('text', input.text, 'actionText', true, MAX_ACTION), ...text('owner', input.owner, 'owner', true, MAX_OWNER)];
  const due = parseDateParts(input.dueOn, { field: 'dueOn', label: translate('scrutiny.action.dueLabel'), required: true, notAfter: addCalendarDays(today, 5 * 366), notBefore: '2000-01-01' });
  if (due.error) errors.push(due.error);
  if (errors.length || !due.date) return { value: null, errors };
  return { value: { text: input.text.trim(), owner: input.owner.trim(), dueOn: due.date, packId: input.packId === '' ? null : input.packId }, errors };
}

/** A change of an action's status needs a note saying why (as plans do). */
export function actionUpdateErrors(input: { status: string; note: string }, current: string): { value: { status: ActionStatus; note: string } | null; errors: FieldError[] } {
  const errors: FieldError[] = [];
  if (!isActionStatus(input.status)) errors.push(error('status', 'actionStatus'));
  else if (input.status === current) errors.push(error('status', 'actionStatusSame'));
  errors.push(...text('note', input.note, 'actionNote', true, MAX_ACTION));
  if (errors.length || !isActionStatus(input.status)) return { value: null, errors };
  return { value: { status: input.status, note: input.note.trim() }, errors };
}

// The themes report and small-number suppression.

export interface ThemeCounts {
  readonly reviewed: number;
  readonly sound: Readonly<Record<SoundAnswer, number>>;
  readonly missedEnquiries: number;
  readonly communication: Readonly<Record<SoundAnswer, number>>;
  readonly myths: number;
  readonly mythKinds: Readonly<Record<MythKind, number>>;
}

export function countThemes(findings: readonly Pick<Answers, 'sound' | 'missedEnquiries' | 'communication' | 'myths' | 'mythKinds'>[]): ThemeCounts {
  const tally = <K extends string>(keys: readonly K[], pick: (f: (typeof findings)[number]) => readonly string[]) =>
    Object.fromEntries(keys.map((key) => [key, findings.filter((f) => pick(f).includes(key)).length])) as Record<K, number>;
  return {
    reviewed: findings.length,
    sound: tally(soundAnswers, (f) => [f.sound]),
    missedEnquiries: findings.filter((f) => f.missedEnquiries === 'yes').length,
    communication: tally(soundAnswers, (f) => [f.communication]),
    myths: findings.filter((f) => f.myths === 'yes').length,
    mythKinds: tally(mythKinds.kinds, (f) => f.mythKinds),
  };
}

/** The rows of the themes report, in order: each one's key is its message `scrutiny.themes.row.<key>`. */
export const themeRows = [
  'reviewed', 'sound.yes', 'sound.partly', 'sound.no', 'missedEnquiries', 'communication.yes', 'communication.partly', 'communication.no', 'myths',
  ...mythKinds.kinds.map((kind) => `myth.${kind}`),
] as const;

export function themeValues(counts: ThemeCounts): Record<string, number> {
  return {
    reviewed: counts.reviewed,
    ...Object.fromEntries(soundAnswers.map((a) => [`sound.${a}`, counts.sound[a]])),
    missedEnquiries: counts.missedEnquiries,
    ...Object.fromEntries(soundAnswers.map((a) => [`communication.${a}`, counts.communication[a]])),
    myths: counts.myths,
    ...Object.fromEntries(mythKinds.kinds.map((kind) => [`myth.${kind}`, counts.mythKinds[kind]])),
  };
}

/** A count as it may leave the panel: the number, '<5' for a small one, or 'withheld' where it would let a small one be worked out. */
export type Shared = number | '<5' | 'withheld';

/** The parts of the report that add up to a count shown beside them: hiding one alone would not hide it. */
const partitions: readonly { total: string; parts: readonly string[] }[] = [
  { total: 'reviewed', parts: soundAnswers.map((a) => `sound.${a}`) },
  { total: 'reviewed', parts: soundAnswers.map((a) => `communication.${a}`) },
];

/**
 * Suppresses small counts (1 to 4) as '<5'; where one part of a total is
 * suppressed alone, the next smallest part is withheld too, so it cannot be
 * worked out by subtraction. Nothing is changed for the panel's own view.
 */
export function suppress(values: Readonly<Record<string, number>>): Record<string, Shared> {
  const shared: Record<string, Shared> = Object.fromEntries(Object.entries(values).map(([key, n]) => [key, n > 0 && n < SUPPRESS_BELOW ? '<5' : n]));
  for (const { total, parts } of partitions) {
    if (typeof shared[total] !== 'number') continue;
    const hidden = parts.filter((part) => typeof shared[part] !== 'number');
    if (hidden.length !== 1) continue;
    const next = parts.filter((part) => typeof shared[part] === 'number' && (values[part] ?? 0) > 0).sort((a, b) => (values[a]! - values[b]!) || a.localeCompare(b))[0];
    if (next) shared[next] = 'withheld';
  }
  return shared;
}
