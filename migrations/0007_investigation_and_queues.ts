// Investigation clocks (supervisory reviews, pre-charge bail and its
// extensions, released under investigation), the indexes the work queues
// read, and the index the purge of old API idempotency keys reads. Loads the
// deadline rules shipped since (released-under-investigation.review).
import type { Kysely } from 'kysely';
import { loadShippedRules } from '../src/platform/deadlines/service.ts';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('investigation_reviews')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('case_id', 'text', (c) => c.notNull().references('cases.id'))
    .addColumn('reviewed_on', 'text', (c) => c.notNull())
    .addColumn('note', 'text', (c) => c.notNull())
    .addColumn('reviewer_user_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('investigation_reviews_case').on('investigation_reviews').columns(['case_id', 'reviewed_on']).execute();

  // One row per period of pre-charge bail of one suspect; extensions are rows of their own.
  await db.schema
    .createTable('investigation_bail')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('case_id', 'text', (c) => c.notNull().references('cases.id'))
    .addColumn('person_id', 'text', (c) => c.notNull().references('case_people.id'))
    .addColumn('started_on', 'text', (c) => c.notNull())
    .addColumn('until_on', 'text', (c) => c.notNull())
    .addColumn('authority', 'text', (c) => c.notNull())
    .addColumn('ladder_version', 'integer', (c) => c.notNull())
    .addColumn('conditions', 'text', (c) => c.notNull())
    .addColumn('deadline_id', 'text', (c) => c.notNull().references('deadlines.id'))
    .addColumn('ended_at', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('investigation_bail_case').on('investigation_bail').columns(['case_id', 'person_id', 'ended_at']).execute();

  await db.schema
    .createTable('investigation_bail_extensions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('bail_id', 'text', (c) => c.notNull().references('investigation_bail.id'))
    .addColumn('previous_until_on', 'text', (c) => c.notNull())
    .addColumn('until_on', 'text', (c) => c.notNull())
    .addColumn('authority', 'text', (c) => c.notNull())
    .addColumn('deadline_id', 'text', (c) => c.notNull().references('deadlines.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('investigation_bail_extensions_bail').on('investigation_bail_extensions').columns(['bail_id', 'created_at']).execute();

  await db.schema
    .createTable('investigation_rui')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('case_id', 'text', (c) => c.notNull().references('cases.id'))
    .addColumn('person_id', 'text', (c) => c.notNull().references('case_people.id'))
    .addColumn('released_on', 'text', (c) => c.notNull())
    .addColumn('last_reviewed_on', 'text')
    .addColumn('deadline_id', 'text', (c) => c.notNull().references('deadlines.id'))
    .addColumn('ended_at', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('investigation_rui_case').on('investigation_rui').columns(['case_id', 'person_id', 'ended_at']).execute();

  // Work queues: a force's or Area's cases by stage, most recently changed first.
  await db.schema.createIndex('cases_force_stage').on('cases').columns(['force_id', 'stage', 'updated_at']).execute();
  await db.schema.createIndex('cases_cps_area_stage').on('cases').columns(['cps_area_id', 'stage', 'updated_at']).execute();
  // "Allocated to": a case's current holder of a role.
  await db.schema.createIndex('case_team_role_user').on('case_team').columns(['user_id', 'case_role', 'ended_at', 'case_id']).execute();
  // "Overdue only" and "due soon": a case's open deadlines by due date.
  await db.schema.createIndex('deadlines_subject_status_due').on('deadlines').columns(['subject_type', 'subject_id', 'status', 'due_on']).execute();
  // "Escalated to me": a person's notifications about a kind of subject.
  await db.schema.createIndex('notifications_user_subject').on('notifications').columns(['user_id', 'subject_type', 'subject_id']).execute();
  // The purge of idempotency keys older than a day.
  await db.schema.createIndex('api_idempotency_keys_created').on('api_idempotency_keys').column('created_at').execute();

  await loadShippedRules(db, new Date());
}
