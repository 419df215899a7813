// Action plans (DOMAIN §7): national, area, force and local plans of
// numbered actions grouped by theme, each action with a status in the plan's
// own scheme and a dated history of updates. Reference lists (levels, status
// schemes) are data here with their names in the message catalogue; the
// rules of a change (a status change needs a note, evidence is an https
// link) and who may change a plan are decided here, in one place.
import { hasPermission } from '../platform/access/policy.ts';
import type { Actor } from '../platform/access/policy.ts';
import { registerMessages, translate } from '../platform/i18n/messages.ts';
import type { OrganisationKind } from '../platform/db/tables.ts';
import { addMonths } from '../platform/deadlines/model.ts';
import type { PlainDate } from '../platform/time/working-days.ts';
import type { FieldError } from '../platform/web/errors.ts';
import { parseDateParts } from '../cases/model.ts';
import type { DateParts } from '../cases/model.ts';
import messages from './messages.en.json' with { type: 'json' };

registerMessages('en', messages);

export const PLAN_SUBJECT = 'plan';
export const REVIEW_RULE = 'plans.review';
export const DEFAULT_REVIEW_CYCLE_MONTHS = 6;
export const MAX_TEXT = 5000;
export const MAX_TITLE = 200;
export const MAX_URL = 2000;
export const MAX_PERIOD = 100;
export const MAX_OWNER = 200;
export const MAX_OWNERS = 20;
export const MAX_DESCRIPTION = 1000;
export const MAX_ACTION_NUMBER = 999;
export const MAX_REVIEW_CYCLE_MONTHS = 24;
/** How far ahead a review or target date may be set: further is a typing mistake, not a plan. */
const MAX_YEARS_AHEAD = 10;

export const planLevels = ['national', 'area', 'force', 'local'] as const;
export type PlanLevel = (typeof planLevels)[number];
export const isPlanLevel = (value: string): value is PlanLevel => (planLevels as readonly string[]).includes(value);

/** How far an action is delivered, whatever the plan's scheme: what the cascade counts. */
export type Delivery = 'done' | 'underway' | 'not-started';

/** Each scheme's statuses in the order offered, and how far each says the action is delivered. */
export const statusSchemes = {
  'yes-no-in-progress': { no: 'not-started', in_progress: 'underway', yes: 'done' },
  rag: { red: 'underway', amber: 'underway', green: 'underway', complete: 'done' },
} as const satisfies Record<string, Record<string, Delivery>>;
export type StatusScheme = keyof typeof statusSchemes;

export const isStatusScheme = (value: string): value is StatusScheme => Object.hasOwn(statusSchemes, value);

export function statusesOf(scheme: StatusScheme): string[] {
  return Object.keys(statusSchemes[scheme]);
}

export function isStatusOf(scheme: StatusScheme, status: string): boolean {
  return Object.hasOwn(statusSchemes[scheme], status);
}

export function statusName(status: string): string {
  return Object.hasOwn(messages, `plans.statusName.${status}`) ? translate(`plans.statusName.${status}`) : status;
}

export function deliveryOf(scheme: StatusScheme, status: string): Delivery {
  return isStatusOf(scheme, status) ? (statusSchemes[scheme] as Record<string, Delivery>)[status]! : 'not-started';
}

export const levelName = (level: string): string => (isPlanLevel(level) ? translate(`plans.level.${level}`) : level);

/**
 * Who may change a plan: plan leads of the organisation that owns it, acting
 * for it now (national plans: the national organisation's plan leads). An API
 * token must carry the plans.manage scope. Everyone signed in may read plans:
 * they hold no case data.
 */
export function mayChangePlan(actor: Actor, plan: { readonly ownerOrganisationId: string }): boolean {
  return hasPermission(actor, 'plans.manage') && actor.organisation.organisationId === plan.ownerOrganisationId;
}

/**
 * The levels of plan an organisation of each kind owns: national plans only
 * the national organisation; a force its force plans, a CPS Area its Area
 * plans, and either a local plan (a joint one names its other owners).
 */
export function levelsFor(kind: OrganisationKind): PlanLevel[] {
  switch (kind) {
    case 'national':
      return ['national'];
    case 'cps_area':
      return ['area', 'local'];
    case 'police_force':
      return ['force', 'local'];
    default:
      return ['local'];
  }
}

/** Who may make a plan (of this level): plan leads, for the organisation they act for now, which owns it. */
export function mayCreatePlan(actor: Actor, level?: string): boolean {
  return hasPermission(actor, 'plans.manage') && (level === undefined || (levelsFor(actor.organisation.organisationKind) as string[]).includes(level));
}

function text(field: string, value: string, emptyKey: string, max = MAX_TEXT): FieldError[] {
  const trimmed = value.trim();
  if (trimmed === '') return [{ field, message: translate(emptyKey) }];
  if (trimmed.length > max) return [{ field, message: translate('plans.error.tooLong', { max }) }];
  return [];
}

export interface UpdateInput {
  readonly text: string;
  /** The new status; empty or the current one keeps it. */
  readonly status: string;
}

export interface ValidUpdate {
  readonly text: string;
  /** Null: the status stays as it is. */
  readonly statusTo: string | null;
}

/** An update, or a change of status with the note that says why: a status never changes without one. */
export function updateErrors(input: UpdateInput, scheme: StatusScheme, current: string): { value: ValidUpdate | null; errors: FieldError[] } {
  const errors: FieldError[] = [];
  const status = input.status.trim();
  if (status !== '' && !isStatusOf(scheme, status)) errors.push({ field: 'status', message: translate('plans.error.status') });
  const changing = status !== '' && status !== current && isStatusOf(scheme, status);
  errors.push(...text('text', input.text, changing ? 'plans.error.statusNote' : 'plans.error.text'));
  if (errors.length) return { value: null, errors };
  return { value: { text: input.text.trim(), statusTo: changing ? status : null }, errors };
}

export interface EvidenceInput {
  readonly title: string;
  readonly url: string;
}

/** Evidence is a titled https link: nothing else is followed from a plan. */
export function evidenceErrors(input: EvidenceInput): { value: EvidenceInput | null; errors: FieldError[] } {
  const errors = text('title', input.title, 'plans.error.evidenceTitle', MAX_TITLE);
  const url = input.url.trim();
  let parsed: URL | null = null;
  try {
    parsed = url.length <= MAX_URL ? new URL(url) : null;
  } catch {
    parsed = null;
  }
  if (url === '') errors.push({ field: 'url', message: translate('plans.error.urlEmpty') });
  else if (!parsed || parsed.protocol !== 'https:' || parsed.hostname === '' || parsed.username !== '' || parsed.password !== '') errors.push({ field: 'url', message: translate('plans.error.url') });
  if (errors.length || !parsed) return { value: null, errors };
  return { value: { title: input.title.trim(), url: parsed.href }, errors };
}

export interface ReviewInput {
  readonly reviewedOn: DateParts;
  readonly text: string;
}

/** A review: the day it was held (not in the future) and what it found. */
export function reviewErrors(input: ReviewInput, today: PlainDate): { value: { reviewedOn: PlainDate; text: string } | null; errors: FieldError[] } {
  const errors: FieldError[] = [];
  const held = parseDateParts(input.reviewedOn, { field: 'reviewedOn', label: translate('plans.review.dateLabel'), required: true, notAfter: today, notBefore: '2000-01-01' });
  if (held.error) errors.push(held.error);
  errors.push(...text('text', input.text, 'plans.error.reviewText'));
  if (errors.length || !held.date) return { value: null, errors };
  return { value: { reviewedOn: held.date, text: input.text.trim() }, errors };
}

/** The owners a form names one per line (or the API as a list): trimmed, blank lines and repeats left out. */
export function ownerLabels(lines: string | readonly string[]): string[] {
  const list = typeof lines === 'string' ? lines.split(/\r?\n/) : lines;
  return [...new Set(list.map((line) => line.trim().replace(/\s+/g, ' ')).filter((line) => line !== ''))];
}

function ownersErrors(field: string, owners: readonly string[], required: boolean): FieldError[] {
  if (required && owners.length === 0) return [{ field, message: translate('plans.error.owners') }];
  if (owners.length > MAX_OWNERS) return [{ field, message: translate('plans.error.ownersMany', { max: MAX_OWNERS }) }];
  if (owners.some((owner) => owner.length > MAX_OWNER)) return [{ field, message: translate('plans.error.ownerTooLong', { max: MAX_OWNER }) }];
  return [];
}

/**
 * A date in the future a plan sets itself (a review, a target): a real date,
 * not more than ten years ahead, and (`notPast`) not before today unless it
 * is the date already set.
 */
function futureDate(parts: DateParts, rules: { field: string; label: string; required: boolean; today: PlainDate; notPast: boolean; current?: PlainDate | null }): { date: PlainDate | null; error: FieldError | null } {
  const read = parseDateParts(parts, { field: rules.field, label: rules.label, required: rules.required, notAfter: '9999-12-31', notBefore: '2000-01-01' });
  if (!read.date || read.date === rules.current) return read;
  if (rules.notPast && read.date < rules.today) return { date: null, error: { field: `${rules.field}-day`, message: translate('plans.error.datePast', { label: rules.label }) } };
  if (read.date > addMonths(rules.today, 12 * MAX_YEARS_AHEAD)) return { date: null, error: { field: `${rules.field}-year`, message: translate('plans.error.dateFar', { label: rules.label, years: MAX_YEARS_AHEAD }) } };
  return read;
}

export interface PlanDetailsInput {
  readonly title: string;
  readonly period: string;
  /** The bodies that own the plan, as it names them. */
  readonly owners: readonly string[];
  readonly statusScheme: string;
  readonly reviewCycleMonths: string;
  readonly nextReviewOn: DateParts;
}

export interface ValidPlanDetails {
  readonly title: string;
  readonly period: string;
  readonly owners: readonly string[];
  readonly statusScheme: StatusScheme;
  readonly reviewCycleMonths: number;
  readonly nextReviewOn: PlainDate;
}

export interface NewPlanInput extends PlanDetailsInput {
  readonly level: string;
}

/**
 * A plan's details: its title, period, owners, status scheme, review cycle
 * and next review date (today or later, unless it is the one already set).
 */
export function planDetailsErrors(input: PlanDetailsInput, today: PlainDate, currentReviewOn: PlainDate | null = null): { value: ValidPlanDetails | null; errors: FieldError[] } {
  const errors: FieldError[] = [...text('title', input.title, 'plans.error.title', MAX_TITLE), ...text('period', input.period, 'plans.error.period', MAX_PERIOD)];
  const owners = ownerLabels(input.owners);
  errors.push(...ownersErrors('owners', owners, true));
  if (!isStatusScheme(input.statusScheme)) errors.push({ field: 'statusScheme', message: translate('plans.error.statusScheme') });
  const cycle = input.reviewCycleMonths.trim();
  const months = /^\d{1,2}$/.test(cycle) ? Number(cycle) : NaN;
  if (!(months >= 1 && months <= MAX_REVIEW_CYCLE_MONTHS)) errors.push({ field: 'reviewCycleMonths', message: translate('plans.error.reviewCycle', { max: MAX_REVIEW_CYCLE_MONTHS }) });
  const review = futureDate(input.nextReviewOn, { field: 'nextReviewOn', label: translate('plans.details.nextReviewLabel'), required: true, today, notPast: true, current: currentReviewOn });
  if (review.error) errors.push(review.error);
  if (errors.length || !review.date || !isStatusScheme(input.statusScheme)) return { value: null, errors };
  return { value: { title: input.title.trim(), period: input.period.trim(), owners, statusScheme: input.statusScheme, reviewCycleMonths: months, nextReviewOn: review.date }, errors };
}

/** A new plan: its details, and a level the actor's organisation may own. */
export function newPlanErrors(input: NewPlanInput, kind: OrganisationKind, today: PlainDate): { value: (ValidPlanDetails & { level: PlanLevel }) | null; errors: FieldError[] } {
  const levelOk = (levelsFor(kind) as string[]).includes(input.level);
  const { value, errors } = planDetailsErrors(input, today);
  const all = [...(levelOk ? [] : [{ field: 'level', message: translate(isPlanLevel(input.level) ? 'plans.error.levelNotYours' : 'plans.error.level') }]), ...errors];
  if (!value || !levelOk || !isPlanLevel(input.level)) return { value: null, errors: all };
  return { value: { ...value, level: input.level }, errors: all };
}

export interface ThemeInput {
  readonly title: string;
  readonly description: string;
}

export function themeErrors(input: ThemeInput): { value: { title: string; description: string | null } | null; errors: FieldError[] } {
  const errors = text('title', input.title, 'plans.error.themeTitle', MAX_TITLE);
  const description = input.description.trim();
  if (description.length > MAX_DESCRIPTION) errors.push({ field: 'description', message: translate('plans.error.tooLong', { max: MAX_DESCRIPTION }) });
  if (errors.length) return { value: null, errors };
  return { value: { title: input.title.trim(), description: description === '' ? null : description }, errors };
}

export interface ActionInput {
  readonly themeId: string;
  readonly text: string;
  /** Who the action names as doing it; none: the plan's owners. */
  readonly owners: readonly string[];
  /** A person of the owning organisation, or '' for none. */
  readonly leadUserId: string;
  readonly targetOn: DateParts;
}

export interface NewActionInput extends ActionInput {
  /** '' for the next free number. */
  readonly number: string;
  /** '' for the scheme's first status. */
  readonly status: string;
}

export interface ValidAction {
  readonly themeId: string;
  readonly text: string;
  readonly owners: readonly string[];
  readonly leadUserId: string | null;
  readonly targetOn: PlainDate | null;
}

export interface ActionRules {
  readonly themeIds: readonly string[];
  /** Who may lead: people of the owning organisation (and the lead the action has now). */
  readonly leads: ReadonlySet<string>;
  readonly today: PlainDate;
  /** The target date the action has now (kept even if it is far off). */
  readonly currentTarget?: PlainDate | null;
}

/** An action's theme, text, owners, lead and target date (any real date: plans record targets already passed). */
export function actionErrors(input: ActionInput, rules: ActionRules): { value: ValidAction | null; errors: FieldError[] } {
  const errors: FieldError[] = [];
  if (!rules.themeIds.includes(input.themeId)) errors.push({ field: 'themeId', message: translate('plans.error.theme') });
  errors.push(...text('text', input.text, 'plans.error.actionText'));
  const owners = ownerLabels(input.owners);
  errors.push(...ownersErrors('owners', owners, false));
  const lead = input.leadUserId.trim();
  if (lead !== '' && !rules.leads.has(lead)) errors.push({ field: 'leadUserId', message: translate('plans.error.lead') });
  const target = futureDate(input.targetOn, { field: 'targetOn', label: translate('plans.action.targetLabel'), required: false, today: rules.today, notPast: false, current: rules.currentTarget ?? null });
  if (target.error) errors.push(target.error);
  if (errors.length) return { value: null, errors };
  return { value: { themeId: input.themeId, text: input.text.trim(), owners, leadUserId: lead === '' ? null : lead, targetOn: target.date }, errors };
}

/** A new action: as above, with a number not yet used in the plan (withdrawn actions keep theirs) and a status of its scheme. */
export function newActionErrors(input: NewActionInput, rules: ActionRules & { readonly scheme: StatusScheme; readonly numbers: ReadonlySet<number> }): { value: (ValidAction & { number: number; status: string }) | null; errors: FieldError[] } {
  const errors: FieldError[] = [];
  const numberText = input.number.trim();
  const next = Math.max(0, ...rules.numbers) + 1;
  const number = numberText === '' ? next : /^\d{1,3}$/.test(numberText) ? Number(numberText) : NaN;
  if (!(number >= 1 && number <= MAX_ACTION_NUMBER)) errors.push({ field: 'number', message: translate('plans.error.number', { max: MAX_ACTION_NUMBER }) });
  else if (rules.numbers.has(number)) errors.push({ field: 'number', message: translate('plans.error.numberTaken', { number, next }) });
  const status = input.status.trim() === '' ? statusesOf(rules.scheme)[0]! : input.status.trim();
  if (!isStatusOf(rules.scheme, status)) errors.push({ field: 'status', message: translate('plans.error.status') });
  const action = actionErrors(input, rules);
  // In the order the form asks: theme, number, text, owners, lead, target, status.
  const all = [...action.errors.filter((e) => e.field === 'themeId'), ...errors.filter((e) => e.field === 'number'), ...action.errors.filter((e) => e.field !== 'themeId'), ...errors.filter((e) => e.field === 'status')];
  if (!action.value || errors.length) return { value: null, errors: all };
  return { value: { ...action.value, number, status }, errors: all };
}

/** A withdrawal says why: the action stays in the plan, shown as withdrawn. */
export function withdrawalErrors(reason: string): { value: string | null; errors: FieldError[] } {
  const errors = text('reason', reason, 'plans.error.withdrawReason');
  return errors.length ? { value: null, errors } : { value: reason.trim(), errors };
}

/** The message for a change to an action that was withdrawn. */
export function withdrawnError(field: string, number: number): FieldError {
  return { field, message: translate('plans.error.withdrawn', { number }) };
}

// What plans look like outside the database.

export interface ActionOwner {
  readonly label: string;
  readonly organisationId: string | null;
}

export interface PlanSummary {
  readonly id: string;
  readonly title: string;
  readonly level: PlanLevel;
  readonly ownerOrganisationId: string;
  readonly ownerOrganisationName: string;
  readonly owners: readonly string[];
  readonly period: string;
  readonly statusScheme: StatusScheme;
  readonly reviewCycleMonths: number;
  readonly nextReviewOn: PlainDate;
  readonly lastReviewedOn: PlainDate | null;
  readonly source: string | null;
  readonly version: number;
}

export interface LatestUpdate {
  readonly text: string;
  readonly on: PlainDate | null;
  readonly label: string | null;
}

export interface ActionSummary {
  readonly id: string;
  readonly number: number;
  readonly text: string;
  readonly owners: readonly ActionOwner[];
  readonly leadUserId: string | null;
  readonly leadName: string | null;
  readonly targetOn: PlainDate | null;
  readonly status: string;
  readonly deliversActionId: string | null;
  readonly latestUpdate: LatestUpdate | null;
  /** The day it was withdrawn; null while it stands. */
  readonly withdrawnOn: PlainDate | null;
  readonly version: number;
}

export interface ThemeView {
  readonly id: string;
  readonly position: number;
  readonly title: string;
  readonly description: string | null;
  readonly actions: readonly ActionSummary[];
}

export const planUpdateKinds = [
  'update', 'status', 'evidence', 'link', 'review',
  'plan-created', 'plan-edited', 'theme-added', 'theme-edited', 'theme-moved', 'action-added', 'action-edited', 'action-withdrawn', 'published',
] as const;
export type PlanUpdateKind = (typeof planUpdateKinds)[number];
export const isPlanUpdateKind = (value: string): value is PlanUpdateKind => (planUpdateKinds as readonly string[]).includes(value);

/** The fields a change to a plan, theme or action names in its history. */
export const changeFields = ['title', 'period', 'owners', 'statusScheme', 'reviewCycleMonths', 'nextReviewOn', 'description', 'position', 'theme', 'text', 'lead', 'targetOn'] as const;
export type ChangeField = (typeof changeFields)[number];

/** One field changed, as it read before and after (names, not ids; dates as YYYY-MM-DD; lists joined by '; '). */
export interface Change {
  readonly field: ChangeField;
  readonly from: string | null;
  readonly to: string | null;
}

/** The changes between two readings of the same fields, in the order `after` names them. */
export function changesBetween(before: Partial<Record<ChangeField, string | null>>, after: Partial<Record<ChangeField, string | null>>): Change[] {
  const fields = (Object.keys(after) as ChangeField[]).filter((field) => (changeFields as readonly string[]).includes(field));
  return fields.filter((field) => (before[field] ?? null) !== (after[field] ?? null)).map((field) => ({ field, from: before[field] ?? null, to: after[field] ?? null }));
}

export interface PlanUpdate {
  readonly id: string;
  readonly kind: PlanUpdateKind;
  readonly on: PlainDate | null;
  readonly label: string | null;
  readonly text: string;
  readonly statusFrom: string | null;
  readonly statusTo: string | null;
  /** For a link: the national action linked to then (null: the link was removed). */
  readonly link: { readonly number: number; readonly planTitle: string } | null;
  /** For edits: what changed. */
  readonly changes: readonly Change[];
  /** The action or theme an entry of the plan's history is about. */
  readonly actionNumber: number | null;
  readonly themeTitle: string | null;
  readonly recordedBy: string | null;
  readonly recordedAt: string;
}

export interface Evidence {
  readonly id: string;
  readonly title: string;
  readonly url: string;
  readonly addedBy: string | null;
  readonly addedAt: string;
}

/** An action in another plan, as a link's end names it. */
export interface ActionReference {
  readonly planId: string;
  readonly planTitle: string;
  readonly actionId: string;
  readonly number: number;
  readonly text: string;
  readonly status: string;
  readonly withdrawn: boolean;
}

export interface CascadeRow {
  readonly action: ActionSummary;
  /** Every action linked to it, withdrawn ones too (marked). */
  readonly linked: readonly ActionReference[];
  /** Linked actions that stand, by their own status, in first-seen order. */
  readonly byStatus: readonly { readonly status: string; readonly count: number }[];
  /** Linked actions that stand and are complete. */
  readonly delivered: number;
  /** Linked actions withdrawn from their plans: listed, never counted as delivering or outstanding. */
  readonly withdrawn: number;
}

/**
 * For each action of a plan, the actions of other plans that deliver it,
 * counted by status. A withdrawn local action no longer delivers anything: it
 * is listed (marked) but counted neither by status nor as complete.
 */
export function cascadeRows(actions: readonly ActionSummary[], links: readonly (ActionReference & { readonly deliversActionId: string; readonly scheme: StatusScheme })[]): CascadeRow[] {
  return actions.map((action) => {
    const linked = links.filter((link) => link.deliversActionId === action.id);
    const standing = linked.filter((link) => !link.withdrawn);
    const counts = new Map<string, number>();
    for (const link of standing) counts.set(link.status, (counts.get(link.status) ?? 0) + 1);
    return {
      action,
      linked: linked.map(({ deliversActionId: _, scheme: __, ...reference }) => reference),
      byStatus: [...counts].map(([status, count]) => ({ status, count })),
      delivered: standing.filter((link) => deliveryOf(link.scheme, link.status) === 'done').length,
      withdrawn: linked.length - standing.length,
    };
  });
}
