// SQL for action plans, their items and the PRFI reviews held on them, and
// the idempotency keys of this part's and early advice's API creates.
import type { Db, Tx } from '../../platform/db/transaction.ts';
import type { ActionPlanItemsTable, ActionPlanReviewsTable, ActionPlansTable } from './tables.ts';
import './tables.ts';

type Executor = Db | Tx;

export interface ReviewRow extends ActionPlanReviewsTable {
  recorded_by_name: string;
}

export async function plansOf(db: Executor, caseId: string): Promise<ActionPlansTable[]> {
  return db.selectFrom('action_plans').selectAll().where('case_id', '=', caseId).orderBy('drafted_at', 'desc').orderBy('id', 'desc').execute();
}

export async function findPlan(db: Executor, caseId: string, planId: string): Promise<ActionPlansTable | undefined> {
  return db.selectFrom('action_plans').selectAll().where('case_id', '=', caseId).where('id', '=', planId).executeTakeFirst();
}

export async function insertPlan(db: Executor, row: ActionPlansTable): Promise<void> {
  await db.insertInto('action_plans').values(row).execute();
}

export async function updatePlan(db: Executor, id: string, changes: Partial<Omit<ActionPlansTable, 'id' | 'case_id'>>): Promise<void> {
  await db.updateTable('action_plans').set(changes).where('id', '=', id).execute();
}

export async function itemsOf(db: Executor, planIds: readonly string[]): Promise<ActionPlanItemsTable[]> {
  if (planIds.length === 0) return [];
  return db.selectFrom('action_plan_items').selectAll().where('plan_id', 'in', [...planIds]).orderBy('plan_id').orderBy('position').execute();
}

export async function insertItems(db: Executor, rows: readonly ActionPlanItemsTable[]): Promise<void> {
  if (rows.length) await db.insertInto('action_plan_items').values([...rows]).execute();
}

export async function updateItem(db: Executor, id: string, changes: Partial<Omit<ActionPlanItemsTable, 'id' | 'plan_id'>>): Promise<void> {
  await db.updateTable('action_plan_items').set(changes).where('id', '=', id).execute();
}

export async function reviewsOf(db: Executor, planIds: readonly string[]): Promise<ReviewRow[]> {
  if (planIds.length === 0) return [];
  return db
    .selectFrom('action_plan_reviews')
    .innerJoin('users', 'users.id', 'action_plan_reviews.recorded_by')
    .selectAll('action_plan_reviews')
    .select('users.display_name as recorded_by_name')
    .where('plan_id', 'in', [...planIds])
    .orderBy('day')
    .execute();
}

export async function insertReview(db: Executor, row: ActionPlanReviewsTable): Promise<void> {
  await db.insertInto('action_plan_reviews').values(row).execute();
}
