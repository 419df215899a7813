// Action plans (DOMAIN §7): national, area, force and local plans of
// numbered actions grouped by theme, each action with a status in the plan's
// own scheme and a dated history of updates. Reference lists (levels, status
// schemes) are data here with their names in the message catalogue; the
// rules of a change (a status change needs a note, evidence is an https
// link) and who may change a plan are decided here, in one place.
import { hasPermission } from '../platform/access/policy.ts';
import type { Actor } from '../platform/access/policy.ts';
import { registerMessages, translate } from '../platform/i18n/messages.ts';
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
  readonly version: number;
}

export interface ThemeView {
  readonly id: string;
  readonly position: number;
  readonly title: string;
  readonly description: string | null;
  readonly actions: readonly ActionSummary[];
}

export interface PlanUpdate {
  readonly id: string;
  readonly kind: 'update' | 'status' | 'evidence' | 'link' | 'review';
  readonly on: PlainDate | null;
  readonly label: string | null;
  readonly text: string;
  readonly statusFrom: string | null;
  readonly statusTo: string | null;
  /** For a link: the national action linked to then (null: the link was removed). */
  readonly link: { readonly number: number; readonly planTitle: string } | null;
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
}

export interface CascadeRow {
  readonly action: ActionSummary;
  readonly linked: readonly ActionReference[];
  /** Linked actions by their own status, in first-seen order. */
  readonly byStatus: readonly { readonly status: string; readonly count: number }[];
  readonly delivered: number;
}

/** For each action of a plan, the actions of other plans that deliver it, counted by status. */
export function cascadeRows(actions: readonly ActionSummary[], links: readonly (ActionReference & { readonly deliversActionId: string; readonly scheme: StatusScheme })[]): CascadeRow[] {
  return actions.map((action) => {
    const linked = links.filter((link) => link.deliversActionId === action.id);
    const counts = new Map<string, number>();
    for (const link of linked) counts.set(link.status, (counts.get(link.status) ?? 0) + 1);
    return {
      action,
      linked: linked.map(({ deliversActionId: _, scheme: __, ...reference }) => reference),
      byStatus: [...counts].map(([status, count]) => ({ status, count })),
      delivered: linked.filter((link) => deliveryOf(link.scheme, link.status) === 'done').length,
    };
  });
}
