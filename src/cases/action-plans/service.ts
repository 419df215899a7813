// Commands and queries on action plans. Every command starts with the case
// file's default-deny access check, then checks the actor acts for the side
// the command belongs to (police respond to items; the prosecutor issues,
// reviews and records PRFI reviews; a DCP approves a second plan after a
// full-code-test submission) and runs as one case command: the plan's rows,
// any stage move with its deadlines, the journal events and the audit entry
// commit together or not at all.
import type { Actor } from '../../platform/access/policy.ts';
import type { Role } from '../../platform/access/roles.ts';
import type { AuditContext } from '../../platform/audit/model.ts';
import { isId, newId } from '../../platform/db/ids.ts';
import type { Tx } from '../../platform/db/transaction.ts';
import { closeDeadline, deadlinesFor } from '../../platform/deadlines/service.ts';
import type { DeadlineWithSteps } from '../../platform/deadlines/service.ts';
import type { Platform } from '../../platform/platform.ts';
import { londonDate } from '../../platform/time/working-days.ts';
import type { PlainDate } from '../../platform/time/working-days.ts';
import { Problem } from '../../platform/web/errors.ts';
import type { FieldError } from '../../platform/web/errors.ts';
import { createCaseCommands, invalid, validVersion } from '../case-commands.ts';
import type { CaseEventDraft, LoadedCase } from '../case-commands.ts';
import { CASE_SUBJECT } from '../deadlines.ts';
import { parseDateParts, stageName } from '../model.ts';
import type { CaseSummary, DateParts, Stage } from '../model.ts';
import { toEvent, toSummary } from '../service.ts';
import {
  allReviewed,
  isItemOwner,
  isItemResponse,
  isItemReview,
  isItemStatus,
  isPlanStatus,
  isReviewDay,
  isSecondAfterFullCodeTest,
  itemResponses,
  planItemErrors,
  textErrors,
} from './model.ts';
import type { ActionPlan, ItemInput, PlanItem, PlanSource, ValidItem } from './model.ts';
import * as repository from './repository.ts';
import * as caseRepository from '../repository.ts';

/** Who acts for each side in this part: police officers on or over the case; CPS lawyers on or over it. */
const sideRoles = {
  police: ['investigator', 'police_supervisor', 'escalation_lead'],
  prosecutor: ['prosecutor', 'dcp', 'head_of_rasso'],
  dcp: ['dcp'],
} as const satisfies Record<string, readonly Role[]>;
export type PartRole = keyof typeof sideRoles;

/** Whether the actor, who may work on the case, acts for it in this part's role. */
export function actsAs(actor: Actor, loaded: Pick<LoadedCase, 'side'>, role: PartRole): boolean {
  const side = role === 'police' ? 'police' : 'cps';
  return loaded.side === side && actor.organisation.roles.some((r) => (sideRoles[role] as readonly Role[]).includes(r));
}

/** What a create answers: the new record's id and the case's version after it. */
export interface Created {
  readonly id: string;
  /** For a plan: whether it was issued, or waits for a DCP. */
  readonly issued?: boolean;
  readonly version: number;
}

/** The PRFI review clock of the case, if one is open (or the latest, if none is). */
export type ReviewClock = DeadlineWithSteps;

export interface PlansView {
  readonly summary: CaseSummary;
  readonly plans: readonly ActionPlan[];
  readonly reviewClock: ReviewClock | null;
  readonly side: 'police' | 'cps' | null;
  readonly may: { readonly respond: boolean; readonly review: boolean; readonly dcp: boolean; readonly issue: boolean };
}

function toPlans(plans: Awaited<ReturnType<typeof repository.plansOf>>, items: Awaited<ReturnType<typeof repository.itemsOf>>, reviews: repository.ReviewRow[]): ActionPlan[] {
  return plans.flatMap((p) => {
    if (!isPlanStatus(p.status)) return [];
    const planItems: PlanItem[] = items.filter((i) => i.plan_id === p.id).flatMap((i) => (isItemOwner(i.owner) && isItemStatus(i.status)
      ? [{ id: i.id, position: Number(i.position), description: i.description, owner: i.owner, dueOn: i.due_on, status: i.status, query: i.query, response: i.response, reviewNote: i.review_note, updatedAt: i.updated_at }]
      : []));
    return [{
      id: p.id,
      caseId: p.case_id,
      source: p.source as PlanSource,
      status: p.status,
      secondAfterFullCodeTest: Number(p.second_after_full_code_test) === 1,
      earlyAdviceId: p.early_advice_id,
      draftedBy: p.drafted_by,
      draftedAt: p.drafted_at,
      dcpReviewedBy: p.dcp_reviewed_by,
      dcpReviewedAt: p.dcp_reviewed_at,
      dcpNote: p.dcp_note,
      issuedAt: p.issued_at,
      answeredAt: p.answered_at,
      items: planItems,
      reviews: reviews.filter((r) => r.plan_id === p.id).flatMap((r) => {
        const day = Number(r.day);
        return isReviewDay(day) ? [{ id: r.id, day, heldOn: r.held_on, note: r.note, recordedBy: r.recorded_by_name, recordedAt: r.recorded_at }] : [];
      }),
    }];
  });
}

/** What issuing a plan writes, for the command that issues it (a charging decision, early advice, a DCP's approval). */
export interface PlanDraft {
  readonly caseId: string;
  readonly source: PlanSource;
  readonly items: readonly ValidItem[];
  readonly earlyAdviceId: string | null;
  readonly draftedBy: string;
}

/**
 * Writes a plan in the caller's transaction. A second plan after a
 * full-code-test submission is written as awaiting a DCP, with no journal
 * event; any other is issued at once with its `action-plan.issued` event, and
 * the caller moves the case to 'Action plan'.
 */
export async function writePlan(tx: Tx, draft: PlanDraft, now: string): Promise<{ planId: string; issued: boolean; events: CaseEventDraft[] }> {
  const journal = (await caseRepository.eventsOf(tx, draft.caseId)).map(toEvent).sort((a, b) => a.seq - b.seq);
  const second = isSecondAfterFullCodeTest(journal);
  const planId = newId();
  await repository.insertPlan(tx, {
    id: planId, case_id: draft.caseId, source: draft.source, status: second ? 'awaiting_dcp' : 'issued', second_after_full_code_test: second ? 1 : 0,
    early_advice_id: draft.earlyAdviceId, drafted_by: draft.draftedBy, drafted_at: now, dcp_reviewed_by: null, dcp_reviewed_at: null, dcp_note: null,
    issued_at: second ? null : now, answered_at: null,
  });
  await repository.insertItems(tx, draft.items.map((item, i) => ({
    id: newId(), plan_id: planId, position: i + 1, description: item.description, owner: item.owner, due_on: item.dueOn, status: 'open',
    query: null, response: null, review_note: null, updated_by: null, updated_at: null,
  })));
  const events: CaseEventDraft[] = second ? [] : [issuedEvent(planId, draft.source, draft.items.length, false)];
  return { planId, issued: !second, events };
}

function issuedEvent(planId: string, source: PlanSource, items: number, second: boolean): CaseEventDraft {
  return { type: 'action-plan.issued', data: { planId, source, items, secondAfterFullCodeTest: second } };
}

/** Meets the case's open deadlines under a rule, in the caller's transaction; answers how many. */
export async function meetDeadlines(tx: Tx, caseId: string, ruleKey: string, reason: string, now: string): Promise<number> {
  const open = (await deadlinesFor(tx, CASE_SUBJECT, caseId)).filter((d) => d.ruleKey === ruleKey && (d.status === 'open' || d.status === 'paused'));
  for (const deadline of open) await closeDeadline(tx, deadline.id, { outcome: 'met', reason, now: new Date(now) });
  return open.length;
}

/** The item rows of a form or API body, read into plan items (or the errors to show). */
export function readItems(rows: readonly ItemInput[], today: PlainDate, required: boolean): ValidItem[] {
  const { items, errors } = planItemErrors(rows, today, required);
  if (errors.length) throw invalid(errors);
  return items;
}

export function createActionPlansService(platform: Platform) {
  const { db, audit, clock } = platform;
  const { load, command, refuse } = createCaseCommands(platform);
  const today = () => londonDate(clock.now());

  async function loadAs(actor: Actor, context: AuditContext, caseId: string, role: PartRole, event: string): Promise<LoadedCase> {
    const loaded = await load(actor, context, caseId, 'work');
    if (!actsAs(actor, loaded, role)) return refuse(context, 'forbidden', caseId, event);
    return loaded;
  }

  /** A plan of this case: one of another case, or none, is not found. */
  async function planOf(loaded: LoadedCase, planId: string) {
    const plan = isId(planId) ? await repository.findPlan(db, loaded.row.id, planId) : undefined;
    if (!plan) throw new Problem('not-found');
    return plan;
  }

  async function itemOf(planId: string, itemId: string) {
    const item = (await repository.itemsOf(db, [planId])).find((i) => i.id === itemId);
    if (!item) throw new Problem('not-found');
    return item;
  }

  /** After an item is reviewed: the plan is answered when every item is completed and reviewed. */
  async function answerIfDone(tx: Tx, planId: string, caseId: string, now: string): Promise<CaseEventDraft[]> {
    if (!allReviewed(await repository.itemsOf(tx, [planId]))) return [];
    await repository.updatePlan(tx, planId, { status: 'answered', answered_at: now });
    await meetDeadlines(tx, caseId, 'action-plan.review', 'Every action of the plan was completed and reviewed', now);
    return [{ type: 'action-plan.answered', data: { planId } }];
  }

  return {
    /** The case's action plans, newest first, with their items, reviews and the PRFI review clock. Audited as a consultation. */
    async plans(actor: Actor, context: AuditContext, caseId: string): Promise<PlansView> {
      const loaded = await load(actor, context, caseId, 'see');
      const rows = await repository.plansOf(db, loaded.row.id);
      const ids = rows.map((p) => p.id);
      const [items, reviews, deadlines] = await Promise.all([repository.itemsOf(db, ids), repository.reviewsOf(db, ids), deadlinesFor(db, CASE_SUBJECT, loaded.row.id)]);
      const clocks = deadlines.filter((d) => d.ruleKey === 'action-plan.review');
      await audit.audited(context, { action: 'consult', event: 'action-plans.view', objectType: 'case', objectId: loaded.row.id, details: { plans: rows.length } }, async () => undefined);
      const work = loaded.access === 'team' || loaded.access === 'supervision';
      return {
        summary: toSummary(loaded.row),
        plans: toPlans(rows, items, reviews),
        reviewClock: clocks.find((d) => d.status === 'open') ?? clocks.at(-1) ?? null,
        side: loaded.side,
        may: {
          respond: work && actsAs(actor, loaded, 'police'),
          review: work && actsAs(actor, loaded, 'prosecutor'),
          dcp: work && actsAs(actor, loaded, 'dcp'),
          issue: work && actsAs(actor, loaded, 'prosecutor') && loaded.stage === 'charging_referral',
        },
      };
    },

    /** The case's version now, for a create sent without If-Match (refused as the load refuses). */
    async currentVersion(actor: Actor, context: AuditContext, caseId: string): Promise<number> {
      return Number((await load(actor, context, caseId, 'work')).row.version);
    },

    /** Refuses, journalled, anyone who may not act in this role on the case; answers the case as loaded. */
    async checkMay(actor: Actor, context: AuditContext, caseId: string, role: PartRole): Promise<CaseSummary> {
      const loaded = await loadAs(actor, context, caseId, role, `action-plan.${role}.forbidden`);
      await audit.audited(context, { action: 'consult', event: 'action-plans.form', objectType: 'case', objectId: loaded.row.id }, async () => undefined);
      return toSummary(loaded.row);
    },

    /**
     * The prosecutor's charging decision to send the case back with an action
     * plan, from 'Charging referral'. A second plan after a full-code-test
     * submission waits for a DCP and the case stays where it is.
     */
    async issueFromCharging(actor: Actor, context: AuditContext, caseId: string, input: { items: readonly ItemInput[] }, version: number | null, onWritten?: (tx: Tx, written: Created) => Promise<void>): Promise<Created> {
      const loaded = await loadAs(actor, context, caseId, 'prosecutor', 'action-plan.issue.forbidden');
      if (loaded.stage !== 'charging_referral') {
        throw invalid([{ field: 'items-1-description', message: `An action plan is issued as a charging decision on a case at ‘${stageName('charging_referral')}’: this case is at ‘${stageName(loaded.stage)}’` }]);
      }
      const items = readItems(input.items, today(), true);
      let written: { planId: string; issued: boolean } = { planId: '', issued: false };
      const done = await command(actor, context, loaded, version, async (tx, now) => {
        const plan = await writePlan(tx, { caseId: loaded.row.id, source: 'charging-decision', items, earlyAdviceId: null, draftedBy: actor.userId }, now);
        written = plan;
        await onWritten?.(tx, { id: plan.planId, issued: plan.issued, version: validVersion(version) + 1 });
        return {
          events: plan.events,
          ...(plan.issued ? { stage: 'action_plan' as Stage } : {}),
          audit: { action: 'collect', event: plan.issued ? 'action-plan.issue' : 'action-plan.draft', details: { planId: plan.planId, items: items.length, source: 'charging-decision', awaitingDcp: !plan.issued } },
        };
      }, 'items-1-description');
      return { id: written.planId, issued: written.issued, version: done.version };
    },

    /** A DCP approves (the plan is issued and the case moves to 'Action plan') or returns a second plan. */
    async dcpReview(actor: Actor, context: AuditContext, caseId: string, planId: string, input: { decision: string; note: string }, version: number | null): Promise<number> {
      const loaded = await loadAs(actor, context, caseId, 'dcp', 'action-plan.dcp-review.forbidden');
      const plan = await planOf(loaded, planId);
      const errors: FieldError[] = [];
      if (plan.status !== 'awaiting_dcp') errors.push({ field: 'decision', message: 'This plan is not waiting for a DCP review' });
      else if (plan.drafted_by === actor.userId) errors.push({ field: 'decision', message: 'Another DCP must review a plan you drafted' });
      if (input.decision !== 'approve' && input.decision !== 'return') errors.push({ field: 'decision', message: 'Select whether to approve the plan or return it' });
      if (input.decision === 'return') errors.push(...textErrors(input.note, 'note', 'why you are returning the plan'));
      else if (input.note.trim().length > 4000) errors.push({ field: 'note', message: 'Note must be 4000 characters or fewer' });
      if (errors.length) throw invalid(errors);
      const approved = input.decision === 'approve';
      const items = (await repository.itemsOf(db, [plan.id])).length;
      return (await command(actor, context, loaded, version, async (tx, now) => {
        await repository.updatePlan(tx, plan.id, { status: approved ? 'issued' : 'returned', dcp_reviewed_by: actor.userId, dcp_reviewed_at: now, dcp_note: input.note.trim() || null, issued_at: approved ? now : null });
        const events: CaseEventDraft[] = [{ type: 'action-plan.dcp-reviewed', data: { planId: plan.id, approved } }];
        if (approved) events.push(issuedEvent(plan.id, plan.source as PlanSource, items, true));
        return { events, ...(approved ? { stage: 'action_plan' as Stage } : {}), audit: { action: 'alter', event: 'action-plan.dcp-review', details: { planId: plan.id, approved } } };
      }, 'decision')).version;
    },

    /** The police accept, query or complete an item the police own; the prosecutor completes the CPS's own (reviewed as it is completed). */
    async respond(actor: Actor, context: AuditContext, caseId: string, planId: string, itemId: string, input: { response: string; text: string }, version: number | null): Promise<number> {
      const loaded = await load(actor, context, caseId, 'work');
      const plan = await planOf(loaded, planId);
      const item = await itemOf(plan.id, itemId);
      const owner = item.owner === 'cps' ? 'prosecutor' : 'police';
      if (!actsAs(actor, loaded, owner)) return refuse(context, 'forbidden', caseId, 'action-plan.item.forbidden');
      const errors: FieldError[] = [];
      if (plan.status !== 'issued') errors.push({ field: 'response', message: plan.status === 'answered' ? 'This plan has been answered' : 'This plan has not been issued yet' });
      if (!isItemResponse(input.response) || (owner === 'prosecutor' && input.response !== 'complete')) errors.push({ field: 'response', message: 'Select what you are doing with this action' });
      else if (!(itemResponses[input.response].from as readonly string[]).includes(item.status)) errors.push({ field: 'response', message: `You cannot ${input.response} an action that is ${item.status}` });
      if (isItemResponse(input.response) && itemResponses[input.response].needsText) errors.push(...textErrors(input.text, 'text', input.response === 'query' ? 'your query' : 'your response', 4000));
      if (errors.length || !isItemResponse(input.response)) throw invalid(errors);
      const rule = itemResponses[input.response];
      const text = input.text.trim();
      return (await command(actor, context, loaded, version, async (tx, now) => {
        const reviewed = owner === 'prosecutor';
        await repository.updateItem(tx, item.id, {
          status: reviewed ? 'reviewed' : rule.to, updated_by: actor.userId, updated_at: now,
          ...(input.response === 'query' ? { query: text } : {}), ...(input.response === 'complete' ? { response: text } : {}),
        });
        const events: CaseEventDraft[] = [{ type: rule.event, data: { planId: plan.id, itemId: item.id } }];
        if (reviewed) events.push(...(await answerIfDone(tx, plan.id, loaded.row.id, now)));
        return { events, audit: { action: 'alter', event: `action-plan.item.${input.response}`, details: { planId: plan.id, itemId: item.id } } };
      }, 'response')).version;
    },

    /** The prosecutor accepts a completed item or returns it with a note; when every item is reviewed the plan is answered. */
    async reviewItem(actor: Actor, context: AuditContext, caseId: string, planId: string, itemId: string, input: { decision: string; note: string }, version: number | null): Promise<number> {
      const loaded = await loadAs(actor, context, caseId, 'prosecutor', 'action-plan.review.forbidden');
      const plan = await planOf(loaded, planId);
      const item = await itemOf(plan.id, itemId);
      const errors: FieldError[] = [];
      if (item.status !== 'completed') errors.push({ field: 'decision', message: 'Only an action the police have completed can be reviewed' });
      if (!isItemReview(input.decision)) errors.push({ field: 'decision', message: 'Select whether to accept the response or return it' });
      if (input.decision === 'return') errors.push(...textErrors(input.note, 'note', 'what the police still need to do'));
      if (errors.length) throw invalid(errors);
      const accepted = input.decision === 'accept';
      return (await command(actor, context, loaded, version, async (tx, now) => {
        await repository.updateItem(tx, item.id, { status: accepted ? 'reviewed' : 'returned', review_note: input.note.trim() || null, updated_by: actor.userId, updated_at: now });
        const events: CaseEventDraft[] = [{ type: 'action-plan.prosecutor-reviewed', data: { planId: plan.id, itemId: item.id, accepted } }];
        if (accepted) events.push(...(await answerIfDone(tx, plan.id, loaded.row.id, now)));
        return { events, audit: { action: 'alter', event: 'action-plan.item.review', details: { planId: plan.id, itemId: item.id, accepted } } };
      }, 'decision')).version;
    },

    /** The prosecutor records a PRFI review held on an issued plan at 28, 56 or 90 days, with a note. */
    async recordReview(actor: Actor, context: AuditContext, caseId: string, planId: string, input: { day: string; heldOn: DateParts; note: string }, version: number | null): Promise<number> {
      const loaded = await loadAs(actor, context, caseId, 'prosecutor', 'action-plan.review-held.forbidden');
      const plan = await planOf(loaded, planId);
      const errors: FieldError[] = [];
      const day = Number(input.day);
      if (plan.status !== 'issued' && plan.status !== 'answered') errors.push({ field: 'day', message: 'Reviews are held on an issued plan' });
      if (!isReviewDay(day)) errors.push({ field: 'day', message: 'Select which review was held' });
      else if ((await repository.reviewsOf(db, [plan.id])).some((r) => Number(r.day) === day)) errors.push({ field: 'day', message: `The ${day}-day review of this plan has already been recorded` });
      const issuedOn = plan.issued_at ? londonDate(plan.issued_at) : today();
      const held = parseDateParts(input.heldOn, { field: 'heldOn', label: 'The date the review was held', required: true, notAfter: today(), notBefore: issuedOn });
      if (held.error) errors.push(held.error);
      errors.push(...textErrors(input.note, 'note', 'a note of the review'));
      if (errors.length || !held.date || !isReviewDay(day)) throw invalid(errors);
      const heldOn = held.date;
      return (await command(actor, context, loaded, version, async (tx, now) => {
        await repository.insertReview(tx, { id: newId(), plan_id: plan.id, day, held_on: heldOn, note: input.note.trim(), recorded_by: actor.userId, recorded_at: now });
        return { events: [{ type: 'action-plan.review-held', data: { planId: plan.id, day } }], audit: { action: 'collect', event: 'action-plan.review-held', details: { planId: plan.id, day } } };
      }, 'day')).version;
    },
  };
}

export type ActionPlansService = ReturnType<typeof createActionPlansService>;

