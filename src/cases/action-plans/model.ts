// Two-party action plans (DOMAIN §3, §5): items with an owner, a due date and
// a response; police accept, query or complete each item and the prosecutor
// reviews what is completed; the plan is answered when every item is
// completed and reviewed. A second plan after a full-code-test submission
// waits for a District Crown Prosecutor before it is issued.
import type { FieldError } from '../../platform/web/errors.ts';
import type { PlainDate } from '../../platform/time/working-days.ts';
import { parseDateParts } from '../model.ts';
import type { DateParts } from '../model.ts';

export const itemOwners = { police: 'Police', cps: 'CPS' } as const;
export type ItemOwner = keyof typeof itemOwners;
export const isItemOwner = (value: string): value is ItemOwner => Object.hasOwn(itemOwners, value);

export const planSources = { 'early-advice': 'Early advice', 'charging-decision': 'Charging decision' } as const;
export type PlanSource = keyof typeof planSources;

/** A plan waits for a DCP (awaiting_dcp), is returned by one, or is issued and then answered. */
export const planStatuses = {
  awaiting_dcp: 'Awaiting DCP review',
  returned: 'Returned by the DCP',
  issued: 'Issued',
  answered: 'Answered',
} as const;
export type PlanStatus = keyof typeof planStatuses;
export const isPlanStatus = (value: string): value is PlanStatus => Object.hasOwn(planStatuses, value);

export const itemStatuses = {
  open: 'Not started',
  accepted: 'Accepted',
  queried: 'Queried',
  completed: 'Completed: awaiting review',
  returned: 'Returned by the prosecutor',
  reviewed: 'Completed and reviewed',
} as const;
export type ItemStatus = keyof typeof itemStatuses;
export const isItemStatus = (value: string): value is ItemStatus => Object.hasOwn(itemStatuses, value);

/** What the owner of an item may do with it, and from which states. */
export const itemResponses = {
  accept: { from: ['open', 'queried'], to: 'accepted', event: 'action-plan.item-accepted', needsText: false },
  query: { from: ['open', 'accepted', 'returned'], to: 'queried', event: 'action-plan.item-queried', needsText: true },
  complete: { from: ['open', 'accepted', 'queried', 'returned'], to: 'completed', event: 'action-plan.item-completed', needsText: true },
} as const satisfies Record<string, { from: readonly ItemStatus[]; to: ItemStatus; event: string; needsText: boolean }>;
export type ItemResponse = keyof typeof itemResponses;
export const isItemResponse = (value: string): value is ItemResponse => Object.hasOwn(itemResponses, value);

export const itemReviews = { accept: 'Accept the response', return: 'Return it to the police with a note' } as const;
export type ItemReview = keyof typeof itemReviews;
export const isItemReview = (value: string): value is ItemReview => Object.hasOwn(itemReviews, value);

/** The PRFI reviews: days from the plan's issue (DOMAIN §3; the clock's steps carry the configurable dates). */
export const reviewDays = [28, 56, 90] as const;
export type ReviewDay = (typeof reviewDays)[number];
export const isReviewDay = (value: number): value is ReviewDay => (reviewDays as readonly number[]).includes(value);

export const MAX_ITEMS = 10;
/** Item rows offered on a form without JavaScript: fill as many as needed. */
export const ITEM_ROWS = 5;
export const MAX_TEXT = 4000;
export const MAX_ITEM_TEXT = 1000;

export interface ItemInput {
  readonly description: string;
  readonly owner: string;
  readonly dueOn: DateParts;
}

export interface ValidItem {
  readonly description: string;
  readonly owner: ItemOwner;
  readonly dueOn: PlainDate;
}

const blank = (item: ItemInput) => item.description.trim() === '' && item.owner === '' && !`${item.dueOn.day}${item.dueOn.month}${item.dueOn.year}`.trim();

/**
 * Reads the rows of a plan form: rows left wholly blank are skipped; the
 * others need a description, an owner and a due date from today on. Fields
 * are named `items-<n>-description` and so on, numbered from 1.
 */
export function planItemErrors(rows: readonly ItemInput[], today: PlainDate, required: boolean): { items: ValidItem[]; errors: FieldError[] } {
  const errors: FieldError[] = [];
  const items: ValidItem[] = [];
  if (rows.length > MAX_ITEMS) errors.push({ field: 'items-1-description', message: `A plan can have at most ${MAX_ITEMS} items` });
  rows.slice(0, MAX_ITEMS).forEach((row, i) => {
    if (blank(row)) return;
    const n = i + 1;
    const field = `items-${n}`;
    const description = row.description.trim();
    const before = errors.length;
    if (description === '') errors.push({ field: `${field}-description`, message: `Enter what action ${n} is` });
    else if (description.length > MAX_ITEM_TEXT) errors.push({ field: `${field}-description`, message: `Action ${n} must be ${MAX_ITEM_TEXT} characters or fewer` });
    if (!isItemOwner(row.owner)) errors.push({ field: `${field}-owner`, message: `Select who owns action ${n}` });
    const due = parseDateParts(row.dueOn, { field: `${field}-dueOn`, label: `The due date of action ${n}`, required: true, notAfter: '9999-12-31' });
    if (due.error) errors.push(due.error);
    else if (due.date && due.date < today) errors.push({ field: `${field}-dueOn-day`, message: `The due date of action ${n} must be today or in the future` });
    if (errors.length === before && due.date && isItemOwner(row.owner)) items.push({ description, owner: row.owner, dueOn: due.date });
  });
  if (required && items.length === 0 && errors.length === 0) errors.push({ field: 'items-1-description', message: 'Enter at least one action' });
  return { items, errors };
}

export function textErrors(text: string, field: string, what: string, max = MAX_TEXT): FieldError[] {
  const value = text.trim();
  if (value === '') return [{ field, message: `Enter ${what}` }];
  if (value.length > max) return [{ field, message: `${what[0]!.toUpperCase()}${what.slice(1)} must be ${max} characters or fewer` }];
  return [];
}

/**
 * Whether a plan proposed now is a second plan after a full-code-test
 * submission: the journal (oldest first) holds a full-code-test referral and
 * an action plan issued after it.
 */
export function isSecondAfterFullCodeTest(events: readonly { readonly seq: number; readonly type: string; readonly data: Readonly<Record<string, unknown>> }[]): boolean {
  const referral = events.find((e) => e.type === 'charging.referred' && e.data.test === 'full_code');
  if (!referral) return false;
  return events.some((e) => e.type === 'action-plan.issued' && e.seq > referral.seq);
}

/** A plan is answered when it has items and every one is completed and reviewed. */
export function allReviewed(items: readonly { readonly status: string }[]): boolean {
  return items.length > 0 && items.every((item) => item.status === 'reviewed');
}

export interface PlanItem {
  readonly id: string;
  readonly position: number;
  readonly description: string;
  readonly owner: ItemOwner;
  readonly dueOn: PlainDate;
  readonly status: ItemStatus;
  readonly query: string | null;
  readonly response: string | null;
  readonly reviewNote: string | null;
  readonly updatedAt: string | null;
}

export interface PlanReview {
  readonly id: string;
  readonly day: ReviewDay;
  readonly heldOn: PlainDate;
  readonly note: string;
  readonly recordedBy: string;
  readonly recordedAt: string;
}

export interface ActionPlan {
  readonly id: string;
  readonly caseId: string;
  readonly source: PlanSource;
  readonly status: PlanStatus;
  readonly secondAfterFullCodeTest: boolean;
  readonly earlyAdviceId: string | null;
  readonly draftedBy: string;
  readonly draftedAt: string;
  readonly dcpReviewedBy: string | null;
  readonly dcpReviewedAt: string | null;
  readonly dcpNote: string | null;
  readonly issuedAt: string | null;
  readonly answeredAt: string | null;
  readonly items: readonly PlanItem[];
  readonly reviews: readonly PlanReview[];
}
