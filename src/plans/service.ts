// Commands and queries on action plans. Reading is for everyone signed in
// (plans hold no case data). Every change starts with the access check in
// model.ts (plan leads of the owning organisation), claims the version the
// person read (a stale one is a conflict, never a silent overwrite) and runs
// as one transaction with its entry in the plan's own history and its audit
// entry. Plans are shipped (the published reports) or made here by a plan
// lead for their own organisation; either way their leads keep their shape
// (details, themes, actions added, changed and withdrawn, never deleted).
// Plans are not cases: nothing here writes to the case journal.
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
  PLAN_SUBJECT, REVIEW_RULE, actionErrors, cascadeRows, changeFields, changesBetween, evidenceErrors, isPlanLevel, isPlanUpdateKind, isStatusScheme, levelsFor,
  mayChangePlan, mayCreatePlan, newActionErrors, newPlanErrors, planDetailsErrors, reviewErrors, themeErrors, updateErrors, withdrawalErrors, withdrawnError,
} from './model.ts';
import type {
  ActionInput, ActionOwner, ActionReference, ActionSummary, CascadeRow, Change, Evidence, EvidenceInput, NewActionInput, NewPlanInput, PlanDetailsInput, PlanLevel,
  PlanSummary, PlanUpdate, ReviewInput, StatusScheme, ThemeInput, ThemeView, UpdateInput, ValidPlanDetails,
} from './model.ts';
import * as repository from './repository.ts';
import type { ShippedPlan } from './shipped.ts';
import type { PlanActionsTable, PlansTable, PlanUpdatesTable } from './tables.ts';

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
    withdrawnOn: row.withdrawn_on ?? null,
    version: Number(row.version),
  };
}

/** The facts a history entry's data may carry, by kind. */
interface UpdateData {
  deliversActionId?: string | null;
  number?: number;
  planTitle?: string;
  title?: string;
  themeTitle?: string;
  changes?: Change[];
}

function toUpdate(row: repository.UpdateRow): PlanUpdate {
  const data = JSON.parse(row.data) as UpdateData;
  const fields: readonly string[] = changeFields;
  return {
    id: row.id,
    kind: isPlanUpdateKind(row.kind) ? row.kind : 'update',
    on: row.update_on,
    label: row.label,
    text: row.text,
    statusFrom: row.status_from,
    statusTo: row.status_to,
    link: row.kind === 'link' && data.deliversActionId && typeof data.number === 'number' && typeof data.planTitle === 'string' ? { number: data.number, planTitle: data.planTitle } : null,
    changes: Array.isArray(data.changes) ? data.changes.filter((c) => fields.includes(c.field)) : [],
    actionNumber: row.kind.startsWith('action-') && typeof data.number === 'number' ? data.number : null,
    themeTitle: row.kind.startsWith('theme-') ? data.title ?? null : row.kind === 'action-added' ? data.themeTitle ?? null : null,
    recordedBy: row.recorded_by_name,
    recordedAt: row.recorded_at,
  };
}

const toReference = (row: repository.ReferenceRow): ActionReference => ({
  planId: row.plan_id, planTitle: row.plan_title, actionId: row.id, number: Number(row.number), text: row.text, status: row.status, withdrawn: (row.withdrawn_on ?? null) !== null,
});

/** Owners as one line each way in a history entry. */
const ownersText = (owners: readonly string[]) => (owners.length ? owners.join('; ') : null);

/** What a history entry says, before who wrote it and when. */
type HistoryDraft = Pick<PlanUpdatesTable, 'action_id' | 'kind' | 'text' | 'status_from' | 'status_to' | 'data'>;

/** The history entries of making and keeping a plan, in one place: the commands and the demo write the same ones. */
const entries = {
  planCreated: (level: string, title: string): HistoryDraft => ({ action_id: null, kind: 'plan-created', text: '', status_from: null, status_to: null, data: JSON.stringify({ level, title }) }),
  themeAdded: (themeId: string, title: string, description: string | null): HistoryDraft => ({
    action_id: null, kind: 'theme-added', text: description ?? '', status_from: null, status_to: null, data: JSON.stringify({ themeId, title }),
  }),
  actionAdded: (actionId: string, number: number, text: string, status: string, theme: { id: string; title: string }): HistoryDraft => ({
    action_id: actionId, kind: 'action-added', text, status_from: null, status_to: status, data: JSON.stringify({ number, themeId: theme.id, themeTitle: theme.title }),
  }),
  /** An update, or a change of status with the note that says why. */
  update: (actionId: string, text: string, status: { from: string; to: string } | null): HistoryDraft => ({
    action_id: actionId, kind: status ? 'status' : 'update', text, status_from: status?.from ?? null, status_to: status?.to ?? null, data: '{}',
  }),
  link: (actionId: string, target: { id: string; number: number; planTitle: string } | null): HistoryDraft => ({
    action_id: actionId, kind: 'link', text: '', status_from: null, status_to: null,
    data: JSON.stringify(target ? { deliversActionId: target.id, number: target.number, planTitle: target.planTitle } : { deliversActionId: null }),
  }),
  actionWithdrawn: (actionId: string, number: number, reason: string, status: string): HistoryDraft => ({
    action_id: actionId, kind: 'action-withdrawn', text: reason, status_from: status, status_to: null, data: JSON.stringify({ number }),
  }),
};

/** A new action's row: standing, delivering nothing yet, at version 1. */
function newActionRow(action: { id: string; planId: string; themeId: string; number: number; text: string; owners: readonly string[]; leadUserId: string | null; targetOn: PlainDate | null; status: string }, now: string): PlanActionsTable {
  return {
    id: action.id, plan_id: action.planId, theme_id: action.themeId, number: action.number, text: action.text,
    owners: JSON.stringify(action.owners.map((label): ActionOwner => ({ label, organisationId: null }))), lead_user_id: action.leadUserId, target_on: action.targetOn,
    status: action.status, delivers_action_id: null, withdrawn_on: null, created_at: now, updated_at: now, version: 1,
  };
}

/** A plan made on the platform (not shipped): its row at version 1. */
function newPlanRow(plan: { id: string; ownerOrganisationId: string } & Pick<ValidPlanDetails, 'title' | 'period' | 'owners' | 'statusScheme' | 'reviewCycleMonths' | 'nextReviewOn'> & { level: string }, now: string): PlansTable {
  return {
    id: plan.id, key: null, level: plan.level, owner_organisation_id: plan.ownerOrganisationId, title: plan.title, period: plan.period, owners: JSON.stringify(plan.owners),
    status_scheme: plan.statusScheme, review_cycle_months: plan.reviewCycleMonths, next_review_on: plan.nextReviewOn, last_reviewed_on: null, source: null,
    created_at: now, updated_at: now, version: 1,
  };
}

export interface PlanListItem extends PlanSummary {
  /** Standing actions (withdrawn ones are counted apart). */
  readonly actions: number;
  readonly byStatus: readonly { readonly status: string; readonly count: number }[];
  readonly withdrawn: number;
}

export interface PlanView {
  readonly plan: PlanSummary;
  readonly themes: readonly ThemeView[];
  readonly reviews: readonly PlanUpdate[];
  /** The plan's own history, newest first: made, details changed, themes, actions added and withdrawn, reviews. */
  readonly history: readonly PlanUpdate[];
  readonly mayChange: boolean;
}

/** Someone who may lead an action of a plan: a person of its owning organisation. */
export interface LeadCandidate {
  readonly id: string;
  readonly name: string;
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

/** A plan made on the platform, as the demo shows one kept for a while: each action as added, and what happened to it since. */
export interface MadePlan {
  readonly level: PlanLevel;
  readonly title: string;
  readonly period: string;
  readonly owners: readonly string[];
  readonly statusScheme: StatusScheme;
  readonly reviewCycleMonths: number;
  readonly themes: readonly {
    readonly title: string;
    readonly description: string | null;
    readonly actions: readonly {
      readonly number: number;
      readonly text: string;
      readonly owners: readonly string[];
      readonly leadUserId: string | null;
      readonly targetOn: PlainDate | null;
      /** The status it was added with. */
      readonly status: string;
      /** The national action it delivers. */
      readonly delivers?: string;
      /** A later change of status, with its note. */
      readonly progress?: { readonly status: string; readonly note: string };
      /** Why it was withdrawn, if it was. */
      readonly withdrawn?: string;
    }[];
  }[];
}

/**
 * Writes a plan as its lead would have made and kept it through the forms,
 * with the same history entries, and opens its review clock, in the caller's
 * transaction (the demo journals its seeding as a whole).
 */
export async function writePlanMadeHere(tx: Tx, plan: MadePlan, input: { ownerOrganisationId: string; by: string; nextReviewOn: PlainDate; now: Date }): Promise<string> {
  registerPlanDeadlines();
  const at = input.now.toISOString();
  const on = londonDate(input.now);
  const planId = newId();
  const history: HistoryDraft[] = [entries.planCreated(plan.level, plan.title)];
  await repository.insertPlan(tx, newPlanRow({ ...plan, id: planId, ownerOrganisationId: input.ownerOrganisationId, nextReviewOn: input.nextReviewOn }, at));
  for (const [i, theme] of plan.themes.entries()) {
    const themeId = newId();
    await repository.insertThemes(tx, [{ id: themeId, plan_id: planId, position: i + 1, title: theme.title, description: theme.description }]);
    history.push(entries.themeAdded(themeId, theme.title, theme.description));
    for (const action of theme.actions) {
      const actionId = newId();
      const target = action.delivers ? await repository.findReference(tx, action.delivers) : undefined;
      await repository.insertActions(tx, [{
        ...newActionRow({ ...action, id: actionId, planId, themeId }, at),
        status: action.progress?.status ?? action.status, delivers_action_id: target?.id ?? null, withdrawn_on: action.withdrawn ? on : null,
      }]);
      history.push(entries.actionAdded(actionId, action.number, action.text, action.status, { id: themeId, title: theme.title }));
      if (target) history.push(entries.link(actionId, { id: target.id, number: Number(target.number), planTitle: target.plan_title }));
      if (action.progress) history.push(entries.update(actionId, action.progress.note, { from: action.status, to: action.progress.status }));
      if (action.withdrawn) history.push(entries.actionWithdrawn(actionId, action.number, action.withdrawn, action.progress?.status ?? action.status));
    }
  }
  // Ids are time-ordered, so the history reads in the order it was made.
  await repository.insertUpdates(tx, history.map((entry) => ({ ...entry, id: newId(), plan_id: planId, update_on: on, label: null, recorded_by: input.by, recorded_at: at })));
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

  /**
   * One change to the plan as a whole (its details, its themes, an action
   * added to it): claims the plan's version, writes the history entry and the
   * audit entry; answers the new version and what the work made.
   */
  async function changePlan<T>(
    context: AuditContext,
    plan: PlanSummary,
    expected: number,
    changes: Parameters<typeof repository.updatePlan>[3],
    work: (tx: Tx, now: Date) => Promise<{ history: Omit<PlanUpdatesTable, 'id' | 'plan_id' | 'recorded_at'>; event: string; audit?: 'alter' | 'collect'; details: Record<string, string | number | boolean | null>; made: T }>,
  ): Promise<{ version: number; made: T }> {
    return inTransaction(db, async (tx) => {
      const now = clock.now();
      // The version first: a stale form writes nothing, and the work runs on the plan as it was read.
      if (!(await repository.updatePlan(tx, plan.id, expected, { ...changes, updated_at: now.toISOString() }))) throw new Problem('conflict');
      const { history, event, audit: action = 'alter', details, made } = await work(tx, now);
      await repository.insertUpdates(tx, [{ ...history, id: newId(), plan_id: plan.id, recorded_at: now.toISOString() }]);
      await audit.record(tx, context, { action, event, objectType: 'plan', objectId: plan.id, details: { ...details, version: expected + 1 } });
      return { version: expected + 1, made };
    });
  }

  /** A withdrawn action is closed: nothing more is recorded on it. */
  function standing(action: repository.ActionRow, field: string): void {
    if (action.withdrawn_on) throw invalid([withdrawnError(field, Number(action.number))]);
  }

  /** Who may lead an action of the plan, and the lead it has now (kept even if they have since left). */
  async function leadsFor(plan: PlanSummary, current: { id: string; name: string | null } | null): Promise<LeadCandidate[]> {
    const people = (await repository.peopleOf(db, plan.ownerOrganisationId)).map((p) => ({ id: p.id, name: p.display_name }));
    return current && !people.some((p) => p.id === current.id) ? [...people, { id: current.id, name: current.name ?? current.id }] : people;
  }

  return {
    mayChange: (actor: Actor, plan: PlanSummary) => mayChangePlan(actor, plan),
    /** Whether the actor may make plans, and of which levels (for the list's button and the form). */
    mayCreate: (actor: Actor) => mayCreatePlan(actor),
    levelsFor: (actor: Actor): PlanLevel[] => levelsFor(actor.organisation.organisationKind),

    /** Every plan, with how many actions it has and their statuses. */
    async list(): Promise<PlanListItem[]> {
      const [rows, counts, withdrawn] = await Promise.all([repository.listPlans(db), repository.statusCounts(db), repository.withdrawnCounts(db)]);
      return rows.map((row) => {
        const mine = counts.filter((c) => c.plan_id === row.id);
        return { ...toSummary(row), actions: mine.reduce((n, c) => n + c.count, 0), byStatus: mine.map(({ status, count }) => ({ status, count })), withdrawn: withdrawn.get(row.id) ?? 0 };
      });
    },

    /** A plan with its themes and their actions, each with its latest update, in the plan's own order. */
    async plan(actor: Actor, planId: string): Promise<PlanView> {
      const plan = await findPlan(planId);
      const [themes, actions, latest, history] = await Promise.all([repository.themesOf(db, plan.id), repository.actionsOf(db, plan.id), repository.latestUpdatesOf(db, plan.id), repository.planHistoryOf(db, plan.id)]);
      const latestOf = new Map(latest.map((u) => [u.action_id!, u]));
      const entries = history.map(toUpdate);
      return {
        plan,
        themes: themes.map((theme) => ({
          id: theme.id, position: Number(theme.position), title: theme.title, description: theme.description,
          actions: actions.filter((a) => a.theme_id === theme.id).map((a) => toAction(a, latestOf.get(a.id))),
        })),
        reviews: entries.filter((entry) => entry.kind === 'review'),
        history: entries,
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
        action: toAction(row, updates.find((u) => u.kind === 'update' || u.kind === 'status' || u.kind === 'action-withdrawn')),
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
        standing(action!, 'text');
        const { value, errors } = updateErrors(input, plan.statusScheme, action!.status);
        if (!value) throw invalid(errors);
        const next = await changeAction(context, plan, action!, expected, async (tx) => {
          await remember(tx, { version: expected + 1 });
          return {
            changes: value.statusTo ? { status: value.statusTo } : {},
            history: { ...entries.update(action!.id, value.text, value.statusTo ? { from: action!.status, to: value.statusTo } : null), update_on: today(), label: null, recorded_by: actor.userId },
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
      standing(action!, 'title');
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
      standing(action!, 'nationalActionId');
      if (plan.level === 'national') throw invalid([{ field: 'nationalActionId', message: translate('plans.error.linkFromNational') }]);
      const target = nationalActionId === '' ? null : isId(nationalActionId) ? await repository.findReference(db, nationalActionId) : undefined;
      if (target === undefined || (target && !(await repository.nationalActions(db)).some((n) => n.id === target.id))) {
        throw invalid([{ field: 'nationalActionId', message: translate('plans.error.linkTarget') }]);
      }
      return changeAction(context, plan, action!, expected, async () => ({
        changes: { delivers_action_id: target?.id ?? null },
        history: { ...entries.link(action!.id, target ? { id: target.id, number: Number(target.number), planTitle: target.plan_title } : null), update_on: today(), label: null, recorded_by: actor.userId },
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

    /** The people who may lead an action of the plan (for plan leads choosing one). */
    async leadCandidates(actor: Actor, context: AuditContext, planId: string, actionId?: string): Promise<LeadCandidate[]> {
      const { plan, action } = await loadForChange(actor, context, planId, actionId);
      return leadsFor(plan, action?.lead_user_id ? { id: action.lead_user_id, name: action.lead_name } : null);
    },

    /**
     * Makes a plan owned by the organisation the actor acts for, of a level it
     * may own (national plans: the national organisation), and opens its
     * review clock on the first review date. Answers the new plan's id.
     */
    async createPlan(actor: Actor, context: AuditContext, input: NewPlanInput, idempotency?: Idempotency): Promise<string> {
      if (!mayCreatePlan(actor) || (isPlanLevel(input.level) && !mayCreatePlan(actor, input.level))) return refuse(context, 'forbidden', undefined);
      return (await idempotent.once<{ planId: string }>(context, actor, 'plans.create', idempotency, async (remember) => {
        const { value, errors } = newPlanErrors(input, actor.organisation.organisationKind, today());
        if (!value) throw invalid(errors);
        return inTransaction(db, async (tx) => {
          const now = clock.now();
          const planId = newId();
          const ownerOrganisationId = actor.organisation.organisationId;
          await repository.insertPlan(tx, newPlanRow({ ...value, id: planId, ownerOrganisationId }, now.toISOString()));
          // The clock engine first, then the history and the audit entry (the order the sweep locks in).
          const deadline = await openDeadline(tx, { subjectType: PLAN_SUBJECT, subjectId: planId, ruleKey: REVIEW_RULE, organisationIds: [ownerOrganisationId], startedOn: value.nextReviewOn, now });
          await repository.insertUpdates(tx, [{ ...entries.planCreated(value.level, value.title), id: newId(), plan_id: planId, update_on: today(), label: null, recorded_by: actor.userId, recorded_at: now.toISOString() }]);
          await audit.record(tx, context, { action: 'collect', event: 'plans.create', objectType: 'plan', objectId: planId, details: { level: value.level, statusScheme: value.statusScheme, nextReviewOn: value.nextReviewOn, deadlineId: deadline.id, version: 1 } });
          await remember(tx, { planId });
          return { planId };
        });
      })).planId;
    },

    /**
     * Changes a plan's details. The level and owner stay (they decide who
     * changes the plan and how it links); the status scheme changes only while
     * the plan has no actions. A new review date moves the review clock with
     * it. Nothing changed is nothing written. Answers the plan's version.
     */
    async editPlan(actor: Actor, context: AuditContext, planId: string, input: PlanDetailsInput, version: number | null): Promise<number> {
      const { plan } = await loadForChange(actor, context, planId);
      const expected = validVersion(version);
      const { value, errors } = planDetailsErrors(input, today(), plan.nextReviewOn);
      if (!value) throw invalid(errors);
      if (value.statusScheme !== plan.statusScheme && (await repository.numbersOf(db, plan.id)).length > 0) throw invalid([{ field: 'statusScheme', message: translate('plans.error.schemeFixed') }]);
      const reading = (p: { title: string; period: string; owners: readonly string[]; statusScheme: string; reviewCycleMonths: number; nextReviewOn: string }) => ({
        title: p.title, period: p.period, owners: ownersText(p.owners), statusScheme: p.statusScheme, reviewCycleMonths: String(p.reviewCycleMonths), nextReviewOn: p.nextReviewOn,
      });
      const changes = changesBetween(reading(plan), reading(value));
      if (changes.length === 0) {
        if (expected !== plan.version) throw new Problem('conflict');
        return plan.version;
      }
      const fields = {
        title: value.title, period: value.period, owners: JSON.stringify(value.owners), status_scheme: value.statusScheme,
        review_cycle_months: value.reviewCycleMonths, next_review_on: value.nextReviewOn,
      };
      return (await changePlan(context, plan, expected, fields, async (tx, now) => {
        if (value.nextReviewOn !== plan.nextReviewOn) {
          for (const deadline of await deadlinesFor(tx, PLAN_SUBJECT, plan.id)) {
            if (deadline.status === 'open' || deadline.status === 'paused') await closeDeadline(tx, deadline.id, { outcome: 'cancelled', reason: translate('plans.details.deadlineReason'), now });
          }
          await openDeadline(tx, { subjectType: PLAN_SUBJECT, subjectId: plan.id, ruleKey: REVIEW_RULE, organisationIds: [plan.ownerOrganisationId], startedOn: value.nextReviewOn, now });
        }
        return {
          history: { action_id: null, kind: 'plan-edited', update_on: today(), label: null, text: '', status_from: null, status_to: null, data: JSON.stringify({ changes }), recorded_by: actor.userId },
          event: 'plans.edit',
          details: { fields: changes.map((c) => c.field).join(',') },
          made: null,
        };
      })).version;
    },

    /** Adds a theme at the end of the plan. Answers the theme's id and the plan's version. */
    async addTheme(actor: Actor, context: AuditContext, planId: string, input: ThemeInput, version: number | null): Promise<{ themeId: string; version: number }> {
      const { plan } = await loadForChange(actor, context, planId);
      const expected = validVersion(version);
      const { value, errors } = themeErrors(input);
      if (!value) throw invalid(errors);
      const { version: next, made } = await changePlan(context, plan, expected, {}, async (tx) => {
        const themeId = newId();
        const themes = await repository.themesOf(tx, plan.id);
        await repository.insertTheme(tx, { id: themeId, plan_id: plan.id, position: Math.max(0, ...themes.map((t) => Number(t.position))) + 1, title: value.title, description: value.description });
        return {
          history: { ...entries.themeAdded(themeId, value.title, value.description), update_on: today(), label: null, recorded_by: actor.userId },
          event: 'plans.theme.add', audit: 'collect', details: { themeId }, made: themeId,
        };
      });
      return { themeId: made, version: next };
    },

    /** Renames a theme or changes its description. Answers the plan's version. */
    async editTheme(actor: Actor, context: AuditContext, planId: string, themeId: string, input: ThemeInput, version: number | null): Promise<number> {
      const { plan } = await loadForChange(actor, context, planId);
      const theme = isId(themeId) ? await repository.findTheme(db, plan.id, themeId) : undefined;
      if (!theme) return refuse(context, 'not-found', themeId);
      const expected = validVersion(version);
      const { value, errors } = themeErrors(input);
      if (!value) throw invalid(errors);
      const changes = changesBetween({ title: theme.title, description: theme.description }, { title: value.title, description: value.description });
      if (changes.length === 0) {
        if (expected !== plan.version) throw new Problem('conflict');
        return plan.version;
      }
      return (await changePlan(context, plan, expected, {}, async (tx) => {
        await repository.updateTheme(tx, theme.id, { title: value.title, description: value.description });
        return {
          history: { action_id: null, kind: 'theme-edited', update_on: today(), label: null, text: '', status_from: null, status_to: null, data: JSON.stringify({ themeId: theme.id, title: value.title, changes }), recorded_by: actor.userId },
          event: 'plans.theme.edit', details: { themeId: theme.id, fields: changes.map((c) => c.field).join(',') }, made: null,
        };
      })).version;
    },

    /** Moves a theme to a place (1 first) in the plan's order; the others close up. Answers the plan's version. */
    async moveTheme(actor: Actor, context: AuditContext, planId: string, themeId: string, position: number, version: number | null): Promise<number> {
      const { plan } = await loadForChange(actor, context, planId);
      const theme = isId(themeId) ? await repository.findTheme(db, plan.id, themeId) : undefined;
      if (!theme) return refuse(context, 'not-found', themeId);
      const expected = validVersion(version);
      const themes = await repository.themesOf(db, plan.id);
      if (!Number.isInteger(position) || position < 1 || position > themes.length) throw invalid([{ field: 'position', message: translate('plans.error.position', { max: themes.length }) }]);
      const from = themes.findIndex((t) => t.id === theme.id) + 1;
      if (from === position) {
        if (expected !== plan.version) throw new Problem('conflict');
        return plan.version;
      }
      return (await changePlan(context, plan, expected, {}, async (tx) => {
        // Read again under the claimed version: the order is the one this change moves.
        const ids = (await repository.themesOf(tx, plan.id)).map((t) => t.id).filter((id) => id !== theme.id);
        ids.splice(position - 1, 0, theme.id);
        await repository.orderThemes(tx, ids);
        const changes: Change[] = [{ field: 'position', from: String(from), to: String(position) }];
        return {
          history: { action_id: null, kind: 'theme-moved', update_on: today(), label: null, text: '', status_from: null, status_to: null, data: JSON.stringify({ themeId: theme.id, title: theme.title, changes }), recorded_by: actor.userId },
          event: 'plans.theme.move', details: { themeId: theme.id, from, to: position }, made: null,
        };
      })).version;
    },

    /**
     * Adds an action to a theme: the next free number unless another free one
     * is given, the scheme's first status unless another is. Claims the plan's
     * version (the number was free in the plan as read). Answers the action's
     * id and the plan's version.
     */
    async addAction(actor: Actor, context: AuditContext, planId: string, input: NewActionInput, version: number | null, idempotency?: Idempotency): Promise<{ actionId: string; version: number }> {
      const { plan } = await loadForChange(actor, context, planId);
      return idempotent.once<{ actionId: string; version: number }>(context, actor, `plans.action.add:${plan.id}`, idempotency, async (remember) => {
        const expected = validVersion(version);
        const [themes, numbers, leads] = await Promise.all([repository.themesOf(db, plan.id), repository.numbersOf(db, plan.id), leadsFor(plan, null)]);
        const { value, errors } = newActionErrors(input, { themeIds: themes.map((t) => t.id), leads: new Set(leads.map((l) => l.id)), today: today(), scheme: plan.statusScheme, numbers: new Set(numbers) });
        if (!value) throw invalid(errors);
        const theme = themes.find((t) => t.id === value.themeId)!;
        const answer = await changePlan(context, plan, expected, {}, async (tx, now) => {
          const actionId = newId();
          await repository.insertActions(tx, [newActionRow({ ...value, id: actionId, planId: plan.id, themeId: theme.id }, now.toISOString())]);
          await remember(tx, { actionId, version: expected + 1 });
          return {
            history: { ...entries.actionAdded(actionId, value.number, value.text, value.status, theme), update_on: today(), label: null, recorded_by: actor.userId },
            event: 'plans.action.add', audit: 'collect', details: { actionId, number: value.number, themeId: theme.id }, made: actionId,
          };
        });
        return { actionId: answer.made, version: answer.version };
      });
    },

    /**
     * Changes what an action says, who owns and leads it, its target date and
     * its theme (its number stays: it is how the plan is reported). Nothing
     * changed is nothing written. Answers the action's version.
     */
    async editAction(actor: Actor, context: AuditContext, planId: string, actionId: string, input: ActionInput, version: number | null): Promise<number> {
      const { plan, action } = await loadForChange(actor, context, planId, actionId);
      const row = action!;
      const expected = validVersion(version);
      standing(row, 'text');
      const [themes, leads] = await Promise.all([repository.themesOf(db, plan.id), leadsFor(plan, row.lead_user_id ? { id: row.lead_user_id, name: row.lead_name } : null)]);
      const { value, errors } = actionErrors(input, { themeIds: themes.map((t) => t.id), leads: new Set(leads.map((l) => l.id)), today: today(), currentTarget: row.target_on });
      if (!value) throw invalid(errors);
      const owners = parseList<ActionOwner>(row.owners);
      const themeTitle = (id: string) => themes.find((t) => t.id === id)?.title ?? null;
      const leadName = (id: string | null) => (id ? leads.find((l) => l.id === id)?.name ?? null : null);
      const changes = changesBetween(
        { theme: themeTitle(row.theme_id), text: row.text, owners: ownersText(owners.map((o) => o.label)), lead: leadName(row.lead_user_id), targetOn: row.target_on },
        { theme: themeTitle(value.themeId), text: value.text, owners: ownersText(value.owners), lead: leadName(value.leadUserId), targetOn: value.targetOn },
      );
      // Two people of the same name are still two leads.
      if (row.lead_user_id !== value.leadUserId && !changes.some((c) => c.field === 'lead')) changes.push({ field: 'lead', from: leadName(row.lead_user_id), to: leadName(value.leadUserId) });
      if (changes.length === 0) {
        if (expected !== Number(row.version)) throw new Problem('conflict');
        return Number(row.version);
      }
      return changeAction(context, plan, row, expected, async () => ({
        changes: {
          theme_id: value.themeId, text: value.text, lead_user_id: value.leadUserId, target_on: value.targetOn,
          // A label kept keeps the organisation it was attached to.
          owners: JSON.stringify(value.owners.map((label): ActionOwner => ({ label, organisationId: owners.find((o) => o.label === label)?.organisationId ?? null }))),
        },
        history: { kind: 'action-edited', update_on: today(), label: null, text: '', status_from: null, status_to: null, data: JSON.stringify({ number: Number(row.number), changes }), recorded_by: actor.userId },
        event: 'plans.action.edit',
        details: { fields: changes.map((c) => c.field).join(',') },
      }));
    },

    /**
     * Withdraws an action, with the reason: it is never deleted. It keeps its
     * number, status and history, shows as withdrawn, takes no more changes and
     * no longer counts in the cascade. Answers the action's version.
     */
    async withdrawAction(actor: Actor, context: AuditContext, planId: string, actionId: string, reason: string, version: number | null): Promise<number> {
      const { plan, action } = await loadForChange(actor, context, planId, actionId);
      const row = action!;
      const expected = validVersion(version);
      standing(row, 'reason');
      const { value, errors } = withdrawalErrors(reason);
      if (!value) throw invalid(errors);
      return changeAction(context, plan, row, expected, async () => ({
        changes: { withdrawn_on: today() },
        history: { ...entries.actionWithdrawn(row.id, Number(row.number), value, row.status), update_on: today(), label: null, recorded_by: actor.userId },
        event: 'plans.action.withdraw',
        details: { number: Number(row.number), status: row.status },
      }));
    },
  };
}

export type PlansService = ReturnType<typeof createPlansService>;
