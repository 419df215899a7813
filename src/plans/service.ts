// Commands and queries on action plans. Reading is for everyone signed in
// (plans hold no case data). Every change starts with the access check in
// model.ts (plan leads of the owning organisation), claims the version the
// person read (a stale one is a conflict, never a silent overwrite) and runs
// as one transaction with its entry in the plan's own history and its audit
// entry. Plans are not cases: nothing here writes to the case journal.
import type { Actor } from '../platform/access/policy.ts';
import type { AuditContext } from '../platform/audit/model.ts';
import { isId, newId } from '../platform/db/ids.ts';
import { inTransaction } from '../platform/db/transaction.ts';
import type { Tx } from '../platform/db/transaction.ts';
import { addMonths } from '../platform/deadlines/model.ts';
import { closeDeadline, deadlinesFor, openDeadline, registerSubjectType } from '../platform/deadlines/service.ts';
import { translate } from '../platform/i18n/messages.ts';
import type { Platform } from '../platform/platform.ts';
import { londonDate } from '../platform/time/working-days.ts';
import type { PlainDate } from '../platform/time/working-days.ts';
import { Problem } from '../platform/web/errors.ts';
import { invalid, validVersion } from '../cases/case-commands.ts';
import { createIdempotency } from '../cases/idempotency.ts';
import type { Idempotency } from '../cases/idempotency.ts';
import {
  PLAN_SUBJECT, REVIEW_RULE, cascadeRows, evidenceErrors, isPlanLevel, isStatusScheme, mayChangePlan, reviewErrors, updateErrors,
} from './model.ts';
import type {
  ActionOwner, ActionReference, ActionSummary, CascadeRow, Evidence, EvidenceInput, PlanSummary, PlanUpdate, ReviewInput, StatusScheme, ThemeView, UpdateInput,
} from './model.ts';
import * as repository from './repository.ts';
import type { ShippedPlan } from './shipped.ts';
import type { PlanUpdatesTable } from './tables.ts';

/** Tells the clock engine who a plan's review reminder goes to and what it calls the plan. Registering again changes nothing. */
export function registerPlanDeadlines(): void {
  registerSubjectType(PLAN_SUBJECT, {
    audience: async (tx, planId, roles) => [
      ...(roles.includes('action_lead') ? await repository.actionLeadsOf(tx, planId) : []),
      ...(roles.includes('plan_lead') ? await repository.planLeadsOf(tx, planId) : []),
    ],
    describe: async (tx, planId) => (await repository.findPlan(tx, planId))?.title ?? 'An action plan no longer on the platform',
    path: (planId) => `/plans/${planId}`,
  });
}

const parseList = <T>(json: string): T[] => {
  const value: unknown = JSON.parse(json);
  return Array.isArray(value) ? (value as T[]) : [];
};

function toSummary(row: repository.PlanRow): PlanSummary {
  return {
    id: row.id,
    title: row.title,
    level: isPlanLevel(row.level) ? row.level : 'local',
    ownerOrganisationId: row.owner_organisation_id,
    ownerOrganisationName: row.owner_organisation_name,
    owners: parseList<string>(row.owners),
    period: row.period,
    statusScheme: isStatusScheme(row.status_scheme) ? row.status_scheme : 'yes-no-in-progress',
    reviewCycleMonths: Number(row.review_cycle_months),
    nextReviewOn: row.next_review_on,
    lastReviewedOn: row.last_reviewed_on,
    source: row.source,
    version: Number(row.version),
  };
}

function toAction(row: repository.ActionRow, latest?: PlanUpdatesTable): ActionSummary {
  return {
    id: row.id,
    number: Number(row.number),
    text: row.text,
    owners: parseList<ActionOwner>(row.owners),
    leadUserId: row.lead_user_id,
    leadName: row.lead_name,
    targetOn: row.target_on,
    status: row.status,
    deliversActionId: row.delivers_action_id,
    latestUpdate: latest ? { text: latest.text, on: latest.update_on, label: latest.label } : null,
    version: Number(row.version),
  };
}

function toUpdate(row: repository.UpdateRow): PlanUpdate {
  const kinds = ['update', 'status', 'evidence', 'link', 'review'] as const;
  const data = JSON.parse(row.data) as { deliversActionId?: string | null; number?: number; planTitle?: string };
  return {
    id: row.id,
    kind: kinds.find((kind) => kind === row.kind) ?? 'update',
    on: row.update_on,
    label: row.label,
    text: row.text,
    statusFrom: row.status_from,
    statusTo: row.status_to,
    link: row.kind === 'link' && data.deliversActionId && typeof data.number === 'number' && typeof data.planTitle === 'string' ? { number: data.number, planTitle: data.planTitle } : null,
    recordedBy: row.recorded_by_name,
    recordedAt: row.recorded_at,
  };
}

const toReference = (row: repository.ReferenceRow): ActionReference => ({
  planId: row.plan_id, planTitle: row.plan_title, actionId: row.id, number: Number(row.number), text: row.text, status: row.status,
});

export interface PlanListItem extends PlanSummary {
  readonly actions: number;
  readonly byStatus: readonly { readonly status: string; readonly count: number }[];
}

export interface PlanView {
  readonly plan: PlanSummary;
  readonly themes: readonly ThemeView[];
  readonly reviews: readonly PlanUpdate[];
  readonly mayChange: boolean;
}

export interface ActionView {
  readonly plan: PlanSummary;
  readonly theme: { readonly id: string; readonly title: string };
  readonly action: ActionSummary;
  readonly updates: readonly PlanUpdate[];
  readonly evidence: readonly Evidence[];
  /** The national action this one delivers, if linked. */
  readonly delivers: ActionReference | null;
  /** Actions of other plans that deliver this one. */
  readonly deliveredBy: readonly ActionReference[];
  readonly mayChange: boolean;
}

/** Writes a shipped plan, its themes, actions and their published commentary, and opens its review clock, in the caller's transaction. */
export async function writeShippedPlan(tx: Tx, plan: ShippedPlan, input: { ownerOrganisationId: string; nextReviewOn: PlainDate; now: Date }): Promise<string> {
  registerPlanDeadlines();
  const now = input.now.toISOString();
  const planId = newId();
  await repository.insertPlan(tx, {
    id: planId, key: plan.key, level: plan.level, owner_organisation_id: input.ownerOrganisationId, title: plan.title, period: plan.period, owners: JSON.stringify(plan.owners),
    status_scheme: plan.statusScheme, review_cycle_months: plan.reviewCycleMonths, next_review_on: input.nextReviewOn, last_reviewed_on: null,
    source: `Seed ${plan.source.seed}: ${plan.source.section}`, created_at: now, updated_at: now, version: 1,
  });
  const themes = plan.themes.map((theme, position) => ({ id: newId(), plan_id: planId, position: position + 1, title: theme.title, description: theme.description }));
  await repository.insertThemes(tx, themes);
  const actions = plan.themes.flatMap((theme, i) => theme.actions.map((action) => ({ action, themeId: themes[i]!.id, id: newId() })));
  await repository.insertActions(tx, actions.map(({ action, themeId, id }) => ({
    id, plan_id: planId, theme_id: themeId, number: action.number, text: action.text,
    owners: JSON.stringify(action.owners.map((label): ActionOwner => ({ label, organisationId: null }))),
    lead_user_id: null, target_on: action.targetOn ?? null, status: action.state, delivers_action_id: null, created_at: now, updated_at: now, version: 1,
  })));
  await repository.insertUpdates(tx, actions.map(({ action, id }) => ({
    id: newId(), plan_id: planId, action_id: id, kind: 'update', update_on: null, label: plan.updateLabel, text: action.update,
    status_from: null, status_to: action.state, data: JSON.stringify({ shipped: plan.key, stateBasis: action.stateBasis }), recorded_by: null, recorded_at: now,
  })));
  await openDeadline(tx, { subjectType: PLAN_SUBJECT, subjectId: planId, ruleKey: REVIEW_RULE, organisationIds: [input.ownerOrganisationId], startedOn: input.nextReviewOn, now: input.now });
  return planId;
}

export function createPlansService(platform: Platform) {
  const { db, audit, clock } = platform;
  const idempotent = createIdempotency(platform);
  registerPlanDeadlines();
  const today = () => londonDate(clock.now());

  /** Journals a refusal and throws it. */
  async function refuse(context: AuditContext, type: 'not-found' | 'forbidden', objectId: string | undefined): Promise<never> {
    await audit.audited(context, { action: 'deny', event: `plans.${type}`, outcome: 'denied', objectType: 'plan', objectId: objectId && isId(objectId) ? objectId : undefined }, async () => undefined);
    throw new Problem(type);
  }

  async function findPlan(planId: string): Promise<PlanSummary> {
    const row = isId(planId) ? await repository.findPlan(db, planId) : undefined;
    if (!row) throw new Problem('not-found');
    return toSummary(row);
  }

  async function findAction(planId: string, actionId: string): Promise<repository.ActionRow> {
    const row = isId(actionId) ? await repository.findAction(db, planId, actionId) : undefined;
    if (!row) throw new Problem('not-found');
    return row;
  }

  /** The access check every change starts with: a plan that is not there is not found; one the actor may not change is forbidden. */
  async function loadForChange(actor: Actor, context: AuditContext, planId: string, actionId?: string): Promise<{ plan: PlanSummary; action: repository.ActionRow | undefined }> {
    const row = isId(planId) ? await repository.findPlan(db, planId) : undefined;
    if (!row) return refuse(context, 'not-found', planId);
    const plan = toSummary(row);
    if (!mayChangePlan(actor, plan)) return refuse(context, 'forbidden', planId);
    if (actionId === undefined) return { plan, action: undefined };
    const action = isId(actionId) ? await repository.findAction(db, planId, actionId) : undefined;
    if (!action) return refuse(context, 'not-found', actionId);
    return { plan, action };
  }

  /** One change to an action: claims its version, writes the history entry and the audit entry; answers the new version. */
  async function changeAction(
    context: AuditContext,
    plan: PlanSummary,
    action: repository.ActionRow,
    expected: number,
    work: (tx: Tx, now: string) => Promise<{ changes: Parameters<typeof repository.updateAction>[3]; history: Omit<PlanUpdatesTable, 'id' | 'plan_id' | 'action_id' | 'recorded_at'>; event: string; details: Record<string, string | number | boolean | null> }>,
  ): Promise<number> {
    return inTransaction(db, async (tx) => {
      const now = clock.now().toISOString();
      const { changes, history, event, details } = await work(tx, now);
      if (!(await repository.updateAction(tx, action.id, expected, { ...changes, updated_at: now }))) throw new Problem('conflict');
      await repository.insertUpdates(tx, [{ ...history, id: newId(), plan_id: plan.id, action_id: action.id, recorded_at: now }]);
      await audit.record(tx, context, { action: 'alter', event, objectType: 'plan-action', objectId: action.id, details: { ...details, planId: plan.id, version: expected + 1 } });
      return expected + 1;
    });
  }

  return {
    mayChange: (actor: Actor, plan: PlanSummary) => mayChangePlan(actor, plan),

    /** Every plan, with how many actions it has and their statuses. */
    async list(): Promise<PlanListItem[]> {
      const [rows, counts] = await Promise.all([repository.listPlans(db), repository.statusCounts(db)]);
      return rows.map((row) => {
        const mine = counts.filter((c) => c.plan_id === row.id);
        return { ...toSummary(row), actions: mine.reduce((n, c) => n + c.count, 0), byStatus: mine.map(({ status, count }) => ({ status, count })) };
      });
    },

    /** A plan with its themes and their actions, each with its latest update, in the plan's own order. */
    async plan(actor: Actor, planId: string): Promise<PlanView> {
      const plan = await findPlan(planId);
      const [themes, actions, latest, reviews] = await Promise.all([repository.themesOf(db, plan.id), repository.actionsOf(db, plan.id), repository.latestUpdatesOf(db, plan.id), repository.reviewsOf(db, plan.id)]);
      const latestOf = new Map(latest.map((u) => [u.action_id!, u]));
      return {
        plan,
        themes: themes.map((theme) => ({
          id: theme.id, position: Number(theme.position), title: theme.title, description: theme.description,
          actions: actions.filter((a) => a.theme_id === theme.id).map((a) => toAction(a, latestOf.get(a.id))),
        })),
        reviews: reviews.map(toUpdate),
        mayChange: mayChangePlan(actor, plan),
      };
    },

    /** An action with its full history, its evidence and its links either way. */
    async action(actor: Actor, planId: string, actionId: string): Promise<ActionView> {
      const plan = await findPlan(planId);
      const row = await findAction(plan.id, actionId);
      const [themes, updates, evidence, deliveredBy, delivers] = await Promise.all([
        repository.themesOf(db, plan.id), repository.updatesOfAction(db, row.id), repository.evidenceOf(db, row.id),
        repository.actionsDelivering(db, [row.id]), row.delivers_action_id ? repository.findReference(db, row.delivers_action_id) : undefined,
      ]);
      const theme = themes.find((t) => t.id === row.theme_id)!;
      const history = updates.map(toUpdate);
      return {
        plan,
        theme: { id: theme.id, title: theme.title },
        action: toAction(row, updates.find((u) => u.kind === 'update' || u.kind === 'status')),
        updates: history,
        evidence: evidence.map((e) => ({ id: e.id, title: e.title, url: e.url, addedBy: e.added_by_name, addedAt: e.added_at })),
        delivers: delivers ? toReference(delivers) : null,
        deliveredBy: deliveredBy.map(toReference),
        mayChange: mayChangePlan(actor, plan),
      };
    },

    /** For each action of a plan, the actions of other plans linked to it and how far they are delivered. */
    async cascade(planId: string): Promise<{ plan: PlanSummary; rows: CascadeRow[] }> {
      const plan = await findPlan(planId);
      const actions = await repository.actionsOf(db, plan.id);
      const links = await repository.actionsDelivering(db, actions.map((a) => a.id));
      return {
        plan,
        rows: cascadeRows(actions.map((a) => toAction(a)), links.map((link) => ({
          ...toReference(link), deliversActionId: link.delivers_action_id!, scheme: (isStatusScheme(link.status_scheme) ? link.status_scheme : 'yes-no-in-progress') as StatusScheme,
        }))),
      };
    },

    /** The national actions a local action may deliver (none for an action of a national plan). */
    async nationalActions(planId: string): Promise<ActionReference[]> {
      const plan = await findPlan(planId);
      return plan.level === 'national' ? [] : (await repository.nationalActions(db)).map(toReference);
    },

    /** Checks the actor may change the plan (and the action, if named), for showing a form. */
    async check(actor: Actor, context: AuditContext, planId: string, actionId?: string): Promise<void> {
      await loadForChange(actor, context, planId, actionId);
    },

    /** A dated update on an action, or a change of its status with the note that says why. */
    async recordUpdate(actor: Actor, context: AuditContext, planId: string, actionId: string, input: UpdateInput, version: number | null, idempotency?: Idempotency): Promise<number> {
      const { plan, action } = await loadForChange(actor, context, planId, actionId);
      return (await idempotent.once<{ version: number }>(context, actor, `plans.update:${action!.id}`, idempotency, async (remember) => {
        const expected = validVersion(version);
        const { value, errors } = updateErrors(input, plan.statusScheme, action!.status);
        if (!value) throw invalid(errors);
        const next = await changeAction(context, plan, action!, expected, async (tx) => {
          await remember(tx, { version: expected + 1 });
          return {
            changes: value.statusTo ? { status: value.statusTo } : {},
            history: {
              kind: value.statusTo ? 'status' : 'update', update_on: today(), label: null, text: value.text,
              status_from: value.statusTo ? action!.status : null, status_to: value.statusTo, data: '{}', recorded_by: actor.userId,
            },
            event: value.statusTo ? 'plans.action.status' : 'plans.action.update',
            details: { statusFrom: value.statusTo ? action!.status : null, statusTo: value.statusTo },
          };
        });
        return { version: next };
      })).version;
    },

    /** A titled https link to evidence of an action's delivery. */
    async addEvidence(actor: Actor, context: AuditContext, planId: string, actionId: string, input: EvidenceInput, version: number | null): Promise<number> {
      const { plan, action } = await loadForChange(actor, context, planId, actionId);
      const expected = validVersion(version);
      const { value, errors } = evidenceErrors(input);
      if (!value) throw invalid(errors);
      return changeAction(context, plan, action!, expected, async (tx, now) => {
        const evidenceId = newId();
        await repository.insertEvidence(tx, { id: evidenceId, action_id: action!.id, title: value.title, url: value.url, added_by: actor.userId, added_at: now });
        return {
          changes: {},
          history: { kind: 'evidence', update_on: today(), label: null, text: value.title, status_from: null, status_to: null, data: JSON.stringify({ evidenceId, url: value.url }), recorded_by: actor.userId },
          event: 'plans.action.evidence',
          details: { evidenceId },
        };
      });
    },

    /** Links a local action to the national action it delivers, or (with '') removes the link. */
    async linkNational(actor: Actor, context: AuditContext, planId: string, actionId: string, nationalActionId: string, version: number | null): Promise<number> {
      const { plan, action } = await loadForChange(actor, context, planId, actionId);
      const expected = validVersion(version);
      if (plan.level === 'national') throw invalid([{ field: 'nationalActionId', message: translate('plans.error.linkFromNational') }]);
      const target = nationalActionId === '' ? null : isId(nationalActionId) ? await repository.findReference(db, nationalActionId) : undefined;
      if (target === undefined || (target && !(await repository.nationalActions(db)).some((n) => n.id === target.id))) {
        throw invalid([{ field: 'nationalActionId', message: translate('plans.error.linkTarget') }]);
      }
      return changeAction(context, plan, action!, expected, async () => ({
        changes: { delivers_action_id: target?.id ?? null },
        history: {
          kind: 'link', update_on: today(), label: null, text: '', status_from: null, status_to: null, recorded_by: actor.userId,
          data: JSON.stringify(target ? { deliversActionId: target.id, number: Number(target.number), planTitle: target.plan_title } : { deliversActionId: null }),
        },
        event: 'plans.action.link',
        details: { deliversActionId: target?.id ?? null },
      }));
    },

    /** Records a review of the plan: the next review moves on by the plan's cycle, and the reminder with it. */
    async recordReview(actor: Actor, context: AuditContext, planId: string, input: ReviewInput, version: number | null): Promise<number> {
      const { plan } = await loadForChange(actor, context, planId);
      const expected = validVersion(version);
      const { value, errors } = reviewErrors(input, today());
      if (!value) throw invalid(errors);
      const nextReviewOn = addMonths(value.reviewedOn, plan.reviewCycleMonths);
      return inTransaction(db, async (tx) => {
        const now = clock.now();
        if (!(await repository.updatePlan(tx, plan.id, expected, { last_reviewed_on: value.reviewedOn, next_review_on: nextReviewOn, updated_at: now.toISOString() }))) throw new Problem('conflict');
        // The clock engine first, then the audit entry (the order the sweep locks in).
        for (const deadline of await deadlinesFor(tx, PLAN_SUBJECT, plan.id)) {
          if (deadline.status === 'open' || deadline.status === 'paused') await closeDeadline(tx, deadline.id, { outcome: 'met', reason: translate('plans.review.deadlineReason'), now });
        }
        const deadline = await openDeadline(tx, { subjectType: PLAN_SUBJECT, subjectId: plan.id, ruleKey: REVIEW_RULE, organisationIds: [plan.ownerOrganisationId], startedOn: nextReviewOn, now });
        await repository.insertUpdates(tx, [{
          id: newId(), plan_id: plan.id, action_id: null, kind: 'review', update_on: value.reviewedOn, label: null, text: value.text, status_from: null, status_to: null,
          data: JSON.stringify({ reviewedOn: value.reviewedOn, nextReviewOn }), recorded_by: actor.userId, recorded_at: now.toISOString(),
        }]);
        await audit.record(tx, context, { action: 'alter', event: 'plans.review', objectType: 'plan', objectId: plan.id, details: { reviewedOn: value.reviewedOn, nextReviewOn, deadlineId: deadline.id, version: expected + 1 } });
        return expected + 1;
      });
    },
  };
}

export type PlansService = ReturnType<typeof createPlansService>;
