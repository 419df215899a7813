// The clock engine: deadline rules as versioned data, deadlines and their
// escalations, and what escalations produce (in-app notifications and an
// email outbox for a mail relay to drain).
import type { Kysely } from 'kysely';
import { loadShippedRules } from '../src/platform/deadlines/service.ts';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('deadline_rules')
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('organisation_id', 'text', (c) => c.references('organisations.id'))
    .addColumn('effective_from', 'text', (c) => c.notNull())
    .addColumn('definition', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('deadline_rules_pk', ['key', 'version'])
    .execute();

  await db.schema
    .createTable('deadlines')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('subject_type', 'text', (c) => c.notNull())
    .addColumn('subject_id', 'text', (c) => c.notNull())
    .addColumn('rule_key', 'text', (c) => c.notNull())
    .addColumn('rule_version', 'integer', (c) => c.notNull())
    .addColumn('started_on', 'text', (c) => c.notNull())
    .addColumn('due_on', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('paused_at', 'text')
    .addColumn('paused_reason', 'text')
    .addColumn('paused_days_total', 'integer', (c) => c.notNull())
    .addColumn('next_step_due_on', 'text')
    .addColumn('closed_at', 'text')
    .addColumn('closed_reason', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addForeignKeyConstraint('deadlines_rule', ['rule_key', 'rule_version'], 'deadline_rules', ['key', 'version'])
    .execute();
  await db.schema.createIndex('deadlines_subject').on('deadlines').columns(['subject_type', 'subject_id']).execute();
  // The sweep's question, "which steps are due by today?", reads only this index:
  // next_step_due_on is null for anything paused, closed or past its last step.
  await db.schema.createIndex('deadlines_next_step').on('deadlines').columns(['status', 'next_step_due_on', 'id']).execute();
  await db.schema.createIndex('deadlines_status_due').on('deadlines').columns(['status', 'due_on']).execute();

  await db.schema
    .createTable('deadline_organisations')
    .addColumn('deadline_id', 'text', (c) => c.notNull().references('deadlines.id'))
    .addColumn('organisation_id', 'text', (c) => c.notNull().references('organisations.id'))
    .addPrimaryKeyConstraint('deadline_organisations_pk', ['deadline_id', 'organisation_id'])
    .execute();
  await db.schema.createIndex('deadline_organisations_organisation').on('deadline_organisations').columns(['organisation_id', 'deadline_id']).execute();

  // One row per step taken: the unique key is what makes each escalation happen once.
  await db.schema
    .createTable('deadline_escalations')
    .addColumn('deadline_id', 'text', (c) => c.notNull().references('deadlines.id'))
    .addColumn('step', 'text', (c) => c.notNull())
    .addColumn('due_on', 'text', (c) => c.notNull())
    .addColumn('escalated_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('deadline_escalations_pk', ['deadline_id', 'step'])
    .execute();

  await db.schema
    .createTable('notifications')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('subject_type', 'text', (c) => c.notNull())
    .addColumn('subject_id', 'text', (c) => c.notNull())
    .addColumn('text', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('read_at', 'text')
    .execute();
  await db.schema.createIndex('notifications_user').on('notifications').columns(['user_id', 'created_at']).execute();
  await db.schema.createIndex('notifications_user_unread').on('notifications').columns(['user_id', 'read_at']).execute();

  await db.schema
    .createTable('email_outbox')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('to_user_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('sent_at', 'text')
    .addColumn('attempts', 'integer', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('email_outbox_unsent').on('email_outbox').columns(['sent_at', 'created_at']).execute();

  await loadShippedRules(db, new Date());
}
