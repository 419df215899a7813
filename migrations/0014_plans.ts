// Action plans (national, area, force and local): plans, their ordered
// themes, numbered actions (a local action may name the national action it
// delivers), the plan's own history of updates, status changes, evidence,
// links and reviews, and evidence links. Loads the deadline rules shipped
// since (plans.review).
import type { Kysely } from 'kysely';
import { loadShippedRules } from '../src/platform/deadlines/service.ts';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('plans')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('key', 'text')
    .addColumn('level', 'text', (c) => c.notNull())
    .addColumn('owner_organisation_id', 'text', (c) => c.notNull().references('organisations.id'))
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('period', 'text', (c) => c.notNull())
    .addColumn('owners', 'text', (c) => c.notNull())
    .addColumn('status_scheme', 'text', (c) => c.notNull())
    .addColumn('review_cycle_months', 'integer', (c) => c.notNull().defaultTo(6))
    .addColumn('next_review_on', 'text', (c) => c.notNull())
    .addColumn('last_reviewed_on', 'text')
    .addColumn('source', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('plans_owner').on('plans').columns(['owner_organisation_id', 'level']).execute();

  await db.schema
    .createTable('plan_themes')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('plan_id', 'text', (c) => c.notNull().references('plans.id'))
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('description', 'text')
    .addUniqueConstraint('plan_themes_plan_position', ['plan_id', 'position'])
    .execute();

  await db.schema
    .createTable('plan_actions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('plan_id', 'text', (c) => c.notNull().references('plans.id'))
    .addColumn('theme_id', 'text', (c) => c.notNull().references('plan_themes.id'))
    .addColumn('number', 'integer', (c) => c.notNull())
    .addColumn('text', 'text', (c) => c.notNull())
    .addColumn('owners', 'text', (c) => c.notNull())
    .addColumn('lead_user_id', 'text', (c) => c.references('users.id'))
    .addColumn('target_on', 'text')
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('delivers_action_id', 'text', (c) => c.references('plan_actions.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addUniqueConstraint('plan_actions_plan_number', ['plan_id', 'number'])
    .execute();
  // The cascade: the local actions that deliver a national one.
  await db.schema.createIndex('plan_actions_delivers').on('plan_actions').column('delivers_action_id').execute();
  await db.schema.createIndex('plan_actions_lead').on('plan_actions').columns(['lead_user_id', 'plan_id']).execute();

  await db.schema
    .createTable('plan_updates')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('plan_id', 'text', (c) => c.notNull().references('plans.id'))
    .addColumn('action_id', 'text', (c) => c.references('plan_actions.id'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('update_on', 'text')
    .addColumn('label', 'text')
    .addColumn('text', 'text', (c) => c.notNull())
    .addColumn('status_from', 'text')
    .addColumn('status_to', 'text')
    .addColumn('data', 'text', (c) => c.notNull())
    .addColumn('recorded_by', 'text', (c) => c.references('users.id'))
    .addColumn('recorded_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('plan_updates_action').on('plan_updates').columns(['action_id', 'recorded_at']).execute();
  await db.schema.createIndex('plan_updates_plan').on('plan_updates').columns(['plan_id', 'recorded_at']).execute();

  await db.schema
    .createTable('plan_evidence')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('action_id', 'text', (c) => c.notNull().references('plan_actions.id'))
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('url', 'text', (c) => c.notNull())
    .addColumn('added_by', 'text', (c) => c.references('users.id'))
    .addColumn('added_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('plan_evidence_action').on('plan_evidence').columns(['action_id', 'added_at']).execute();

  await loadShippedRules(db, new Date());
}
