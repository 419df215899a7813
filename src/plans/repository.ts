// The only SQL of action plans.
import type { Db, Tx } from '../platform/db/transaction.ts';
import type { PlanActionsTable, PlanEvidenceTable, PlansTable, PlanThemesTable, PlanUpdatesTable } from './tables.ts';
import './tables.ts';

type Executor = Db | Tx;

export interface PlanRow extends PlansTable {
  owner_organisation_name: string;
}

export interface ActionRow extends PlanActionsTable {
  lead_name: string | null;
}

export interface UpdateRow extends PlanUpdatesTable {
  recorded_by_name: string | null;
}

export interface EvidenceRow extends PlanEvidenceTable {
  added_by_name: string | null;
}

/** An action of another plan, with its plan's title and scheme. */
export interface ReferenceRow {
  id: string;
  plan_id: string;
  plan_title: string;
  status_scheme: string;
  number: number;
  text: string;
  status: string;
  delivers_action_id: string | null;
  withdrawn_on?: string | null;
}

const plansWithOwner = (db: Executor) =>
  db.selectFrom('plans').innerJoin('organisations', 'organisations.id', 'plans.owner_organisation_id').selectAll('plans').select('organisations.name as owner_organisation_name');

export async function listPlans(db: Executor): Promise<PlanRow[]> {
  return plansWithOwner(db).orderBy('plans.level').orderBy('plans.title').orderBy('plans.id').execute();
}

export async function findPlan(db: Executor, id: string): Promise<PlanRow | undefined> {
  return plansWithOwner(db).where('plans.id', '=', id).executeTakeFirst();
}

export async function findPlanByKey(db: Executor, key: string): Promise<PlansTable | undefined> {
  return db.selectFrom('plans').selectAll().where('key', '=', key).executeTakeFirst();
}

export async function themesOf(db: Executor, planId: string): Promise<PlanThemesTable[]> {
  return db.selectFrom('plan_themes').selectAll().where('plan_id', '=', planId).orderBy('position').execute();
}

const actionsWithLead = (db: Executor) =>
  db.selectFrom('plan_actions').leftJoin('users', 'users.id', 'plan_actions.lead_user_id').selectAll('plan_actions').select('users.display_name as lead_name');

export async function actionsOf(db: Executor, planId: string): Promise<ActionRow[]> {
  return actionsWithLead(db).where('plan_actions.plan_id', '=', planId).orderBy('plan_actions.number').execute();
}

export async function findAction(db: Executor, planId: string, actionId: string): Promise<ActionRow | undefined> {
  return actionsWithLead(db).where('plan_actions.id', '=', actionId).where('plan_actions.plan_id', '=', planId).executeTakeFirst();
}

/** Status counts of the standing actions of every plan: one query for the list of plans. */
export async function statusCounts(db: Executor): Promise<{ plan_id: string; status: string; count: number }[]> {
  const rows = await db.selectFrom('plan_actions').select(['plan_id', 'status']).select((eb) => eb.fn.countAll<number>().as('count')).where('withdrawn_on', 'is', null).groupBy(['plan_id', 'status']).execute();
  return rows.map((row) => ({ ...row, count: Number(row.count) }));
}

/** How many actions each plan has withdrawn. */
export async function withdrawnCounts(db: Executor): Promise<Map<string, number>> {
  const rows = await db.selectFrom('plan_actions').select('plan_id').select((eb) => eb.fn.countAll<number>().as('count')).where('withdrawn_on', 'is not', null).groupBy('plan_id').execute();
  return new Map(rows.map((row) => [row.plan_id, Number(row.count)]));
}

/** Every number used in a plan, withdrawn actions' too: numbers are never used twice. */
export async function numbersOf(db: Executor, planId: string): Promise<number[]> {
  return (await db.selectFrom('plan_actions').select('number').where('plan_id', '=', planId).execute()).map((row) => Number(row.number));
}

export async function findTheme(db: Executor, planId: string, themeId: string): Promise<PlanThemesTable | undefined> {
  return db.selectFrom('plan_themes').selectAll().where('id', '=', themeId).where('plan_id', '=', planId).executeTakeFirst();
}

/** Who may lead an action of a plan: the people of its owning organisation who may sign in. */
export async function peopleOf(db: Executor, organisationId: string): Promise<{ id: string; display_name: string }[]> {
  return db.selectFrom('users').innerJoin('memberships', 'memberships.user_id', 'users.id').select(['users.id', 'users.display_name']).distinct()
    .where('memberships.organisation_id', '=', organisationId).where('users.disabled_at', 'is', null).orderBy('users.display_name').orderBy('users.id').execute();
}

export async function findUserName(db: Executor, userId: string): Promise<string | undefined> {
  return (await db.selectFrom('users').select('display_name').where('id', '=', userId).executeTakeFirst())?.display_name;
}

/** The latest history entry with commentary (an update, a status change or a withdrawal) of each action of a plan. */
export async function latestUpdatesOf(db: Executor, planId: string): Promise<PlanUpdatesTable[]> {
  const rows = await db.selectFrom('plan_updates').selectAll().where('plan_id', '=', planId).where('kind', 'in', ['update', 'status', 'action-withdrawn']).where('action_id', 'is not', null)
    .orderBy('recorded_at', 'desc').orderBy('id', 'desc').execute();
  const seen = new Set<string>();
  return rows.filter((row) => !seen.has(row.action_id!) && seen.add(row.action_id!));
}

export async function updatesOfAction(db: Executor, actionId: string): Promise<UpdateRow[]> {
  return db.selectFrom('plan_updates').leftJoin('users', 'users.id', 'plan_updates.recorded_by').selectAll('plan_updates').select('users.display_name as recorded_by_name')
    .where('plan_updates.action_id', '=', actionId).orderBy('plan_updates.recorded_at', 'desc').orderBy('plan_updates.id', 'desc').execute();
}

export async function reviewsOf(db: Executor, planId: string): Promise<UpdateRow[]> {
  return db.selectFrom('plan_updates').leftJoin('users', 'users.id', 'plan_updates.recorded_by').selectAll('plan_updates').select('users.display_name as recorded_by_name')
    .where('plan_updates.plan_id', '=', planId).where('plan_updates.kind', '=', 'review').orderBy('plan_updates.recorded_at', 'desc').orderBy('plan_updates.id', 'desc').execute();
}

/** The plan's own history: its details, themes and reviews, and the actions added to it and withdrawn from it. */
export async function planHistoryOf(db: Executor, planId: string): Promise<UpdateRow[]> {
  return db.selectFrom('plan_updates').leftJoin('users', 'users.id', 'plan_updates.recorded_by').selectAll('plan_updates').select('users.display_name as recorded_by_name')
    .where('plan_updates.plan_id', '=', planId).where((eb) => eb.or([eb('plan_updates.action_id', 'is', null), eb('plan_updates.kind', 'in', ['action-added', 'action-withdrawn'])]))
    .orderBy('plan_updates.recorded_at', 'desc').orderBy('plan_updates.id', 'desc').execute();
}

export async function evidenceOf(db: Executor, actionId: string): Promise<EvidenceRow[]> {
  return db.selectFrom('plan_evidence').leftJoin('users', 'users.id', 'plan_evidence.added_by').selectAll('plan_evidence').select('users.display_name as added_by_name')
    .where('plan_evidence.action_id', '=', actionId).orderBy('plan_evidence.added_at').orderBy('plan_evidence.id').execute();
}

const references = (db: Executor) =>
  db.selectFrom('plan_actions').innerJoin('plans', 'plans.id', 'plan_actions.plan_id')
    .select(['plan_actions.id', 'plan_actions.plan_id', 'plans.title as plan_title', 'plans.status_scheme', 'plan_actions.number', 'plan_actions.text', 'plan_actions.status', 'plan_actions.delivers_action_id', 'plan_actions.withdrawn_on']);

/** The actions (of any plan) that name one of these actions as the one they deliver. */
export async function actionsDelivering(db: Executor, actionIds: readonly string[]): Promise<ReferenceRow[]> {
  if (actionIds.length === 0) return [];
  return references(db).where('plan_actions.delivers_action_id', 'in', actionIds).orderBy('plans.title').orderBy('plan_actions.number').execute();
}

export async function findReference(db: Executor, actionId: string): Promise<ReferenceRow | undefined> {
  return references(db).where('plan_actions.id', '=', actionId).executeTakeFirst();
}

/** Every standing action of the national plans: what a local action may deliver. */
export async function nationalActions(db: Executor): Promise<ReferenceRow[]> {
  return references(db).where('plans.level', '=', 'national').where('plan_actions.withdrawn_on', 'is', null).orderBy('plans.title').orderBy('plans.id').orderBy('plan_actions.number').execute();
}

export async function insertPlan(db: Executor, row: PlansTable): Promise<void> {
  await db.insertInto('plans').values(row).execute();
}

export async function insertThemes(db: Executor, rows: readonly PlanThemesTable[]): Promise<void> {
  if (rows.length) await db.insertInto('plan_themes').values([...rows]).execute();
}

export async function insertActions(db: Executor, rows: readonly PlanActionsTable[]): Promise<void> {
  if (rows.length) await db.insertInto('plan_actions').values([...rows]).execute();
}

export async function insertUpdates(db: Executor, rows: readonly PlanUpdatesTable[]): Promise<void> {
  if (rows.length) await db.insertInto('plan_updates').values([...rows]).execute();
}

export async function insertTheme(db: Executor, row: PlanThemesTable): Promise<void> {
  await db.insertInto('plan_themes').values(row).execute();
}

export async function updateTheme(db: Executor, id: string, changes: Partial<Pick<PlanThemesTable, 'title' | 'description'>>): Promise<void> {
  await db.updateTable('plan_themes').set(changes).where('id', '=', id).execute();
}

/**
 * Puts a plan's themes in the order given (positions 1, 2, ...). Positions are
 * unique in a plan, so each moves out of the way first; the caller has
 * claimed the plan's version.
 */
export async function orderThemes(db: Executor, themeIds: readonly string[]): Promise<void> {
  for (const [i, id] of themeIds.entries()) await db.updateTable('plan_themes').set({ position: -(i + 1) }).where('id', '=', id).execute();
  for (const [i, id] of themeIds.entries()) await db.updateTable('plan_themes').set({ position: i + 1 }).where('id', '=', id).execute();
}

export async function insertEvidence(db: Executor, row: PlanEvidenceTable): Promise<void> {
  await db.insertInto('plan_evidence').values(row).execute();
}

/** Claims the version read and applies the change; false when someone else changed the action first. */
export async function updateAction(
  db: Executor, id: string, expected: number,
  changes: Partial<Pick<PlanActionsTable, 'status' | 'delivers_action_id' | 'theme_id' | 'text' | 'owners' | 'lead_user_id' | 'target_on' | 'withdrawn_on' | 'updated_at'>>,
): Promise<boolean> {
  const result = await db.updateTable('plan_actions').set((eb) => ({ ...changes, version: eb('version', '+', 1) })).where('id', '=', id).where('version', '=', expected).executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** Claims the plan's version (its own fields and its themes and actions as a list) and applies the change; false when someone else changed it first. */
export async function updatePlan(
  db: Executor, id: string, expected: number,
  changes: Partial<Pick<PlansTable, 'title' | 'period' | 'owners' | 'status_scheme' | 'review_cycle_months' | 'next_review_on' | 'last_reviewed_on' | 'updated_at'>>,
): Promise<boolean> {
  const result = await db.updateTable('plans').set((eb) => ({ ...changes, version: eb('version', '+', 1) })).where('id', '=', id).where('version', '=', expected).executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** The review reminder's audience: the plan's action leads and the owner organisation's plan leads (who may sign in). */
export async function actionLeadsOf(db: Executor, planId: string): Promise<string[]> {
  const rows = await db.selectFrom('plan_actions').innerJoin('users', 'users.id', 'plan_actions.lead_user_id').select('users.id').distinct()
    .where('plan_actions.plan_id', '=', planId).where('users.disabled_at', 'is', null).execute();
  return rows.map((row) => row.id);
}

export async function planLeadsOf(db: Executor, planId: string): Promise<string[]> {
  const rows = await db.selectFrom('plans').innerJoin('memberships', 'memberships.organisation_id', 'plans.owner_organisation_id').innerJoin('users', 'users.id', 'memberships.user_id')
    .select('users.id').distinct().where('plans.id', '=', planId).where('memberships.role', '=', 'plan_lead').where('users.disabled_at', 'is', null).execute();
  return rows.map((row) => row.id);
}
