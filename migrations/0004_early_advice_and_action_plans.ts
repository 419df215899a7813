// Early advice and two-party action plans on the joint case file: requests
// for early advice (the DG6 contents, the CPS response, a rejection and its
// appeal, the advice), records of police deciding not to ask, and action
// plans with their items and the PRFI reviews held on them.
import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('early_advice_requests')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('case_id', 'text', (c) => c.notNull().references('cases.id'))
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('requested_by', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('requested_at', 'text', (c) => c.notNull())
    .addColumn('due_on', 'text', (c) => c.notNull())
    .addColumn('urn', 'text')
    .addColumn('summary', 'text', (c) => c.notNull())
    .addColumn('enquiries_done', 'text', (c) => c.notNull())
    .addColumn('enquiries_ongoing', 'text', (c) => c.notNull())
    .addColumn('enquiries_planned', 'text', (c) => c.notNull())
    .addColumn('issues', 'text', (c) => c.notNull())
    .addColumn('questions', 'text', (c) => c.notNull())
    .addColumn('key_material', 'text', (c) => c.notNull())
    .addColumn('disclosable_material', 'text', (c) => c.notNull())
    .addColumn('decided_by', 'text', (c) => c.references('users.id'))
    .addColumn('decided_at', 'text')
    .addColumn('reject_reason', 'text')
    .addColumn('reject_detail', 'text')
    .addColumn('appealed_by', 'text', (c) => c.references('users.id'))
    .addColumn('appealed_at', 'text')
    .addColumn('appellant_rank', 'text')
    .addColumn('appeal_grounds', 'text')
    .addColumn('appeal_decided_by', 'text', (c) => c.references('users.id'))
    .addColumn('appeal_decided_at', 'text')
    .addColumn('appeal_upheld', 'integer')
    .addColumn('appeal_note', 'text')
    .addColumn('advice', 'text')
    .addColumn('advised_by', 'text', (c) => c.references('users.id'))
    .addColumn('advised_at', 'text')
    .addColumn('plan_id', 'text')
    .execute();
  await db.schema.createIndex('early_advice_requests_case').on('early_advice_requests').columns(['case_id', 'requested_at']).execute();

  await db.schema
    .createTable('early_advice_not_requested')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('case_id', 'text', (c) => c.notNull().references('cases.id'))
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('detail', 'text', (c) => c.notNull())
    .addColumn('recorded_by', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('recorded_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('early_advice_not_requested_case').on('early_advice_not_requested').columns(['case_id', 'recorded_at']).execute();

  await db.schema
    .createTable('action_plans')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('case_id', 'text', (c) => c.notNull().references('cases.id'))
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('second_after_full_code_test', 'integer', (c) => c.notNull())
    .addColumn('early_advice_id', 'text')
    .addColumn('drafted_by', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('drafted_at', 'text', (c) => c.notNull())
    .addColumn('dcp_reviewed_by', 'text', (c) => c.references('users.id'))
    .addColumn('dcp_reviewed_at', 'text')
    .addColumn('dcp_note', 'text')
    .addColumn('issued_at', 'text')
    .addColumn('answered_at', 'text')
    .execute();
  await db.schema.createIndex('action_plans_case').on('action_plans').columns(['case_id', 'drafted_at']).execute();

  await db.schema
    .createTable('action_plan_items')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('plan_id', 'text', (c) => c.notNull().references('action_plans.id'))
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull())
    .addColumn('owner', 'text', (c) => c.notNull())
    .addColumn('due_on', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('query', 'text')
    .addColumn('response', 'text')
    .addColumn('review_note', 'text')
    .addColumn('updated_by', 'text', (c) => c.references('users.id'))
    .addColumn('updated_at', 'text')
    .execute();
  await db.schema.createIndex('action_plan_items_plan').on('action_plan_items').columns(['plan_id', 'position']).execute();

  await db.schema
    .createTable('action_plan_reviews')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('plan_id', 'text', (c) => c.notNull().references('action_plans.id'))
    .addColumn('day', 'integer', (c) => c.notNull())
    .addColumn('held_on', 'text', (c) => c.notNull())
    .addColumn('note', 'text', (c) => c.notNull())
    .addColumn('recorded_by', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('recorded_at', 'text', (c) => c.notNull())
    // One review of each kind (28, 56, 90 days) per plan.
    .addUniqueConstraint('action_plan_reviews_plan_day', ['plan_id', 'day'])
    .execute();
}
