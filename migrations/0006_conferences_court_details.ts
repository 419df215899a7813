// Conferences (early case planning, case management panels, pre-NFA
// meetings) with their attendees and actions; court hearings, adjournments,
// outcomes and sentences; notes on a case; and the review of break-glass
// grants by supervisors.
import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('case_conferences')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('case_id', 'text', (c) => c.notNull().references('cases.id'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('held_on', 'text', (c) => c.notNull())
    .addColumn('decisions', 'text', (c) => c.notNull())
    .addColumn('recorded_by', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('recorded_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('case_conferences_case').on('case_conferences').columns(['case_id', 'held_on']).execute();

  // An attendee is someone on the case team (user_id) or someone else named with their organisation and role.
  await db.schema
    .createTable('case_conference_attendees')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('conference_id', 'text', (c) => c.notNull().references('case_conferences.id'))
    .addColumn('user_id', 'text', (c) => c.references('users.id'))
    .addColumn('name', 'text')
    .addColumn('organisation', 'text')
    .addColumn('role', 'text')
    .addColumn('position', 'integer', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('case_conference_attendees_conference').on('case_conference_attendees').column('conference_id').execute();

  await db.schema
    .createTable('case_conference_actions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('conference_id', 'text', (c) => c.notNull().references('case_conferences.id'))
    .addColumn('case_id', 'text', (c) => c.notNull().references('cases.id'))
    .addColumn('description', 'text', (c) => c.notNull())
    .addColumn('owner_side', 'text', (c) => c.notNull())
    .addColumn('due_on', 'text', (c) => c.notNull())
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('done_at', 'text')
    .addColumn('done_by', 'text', (c) => c.references('users.id'))
    .execute();
  await db.schema.createIndex('case_conference_actions_conference').on('case_conference_actions').column('conference_id').execute();
  await db.schema.createIndex('case_conference_actions_case').on('case_conference_actions').columns(['case_id', 'done_at']).execute();

  await db.schema
    .createTable('case_court')
    .addColumn('case_id', 'text', (c) => c.primaryKey().references('cases.id'))
    .addColumn('sent_to_crown_court_on', 'text')
    .execute();

  await db.schema
    .createTable('case_hearings')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('case_id', 'text', (c) => c.notNull().references('cases.id'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('court', 'text', (c) => c.notNull())
    .addColumn('listed_on', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('held_on', 'text')
    .addColumn('adjournment_reason', 'text')
    .addColumn('adjournment_reasons_version', 'integer')
    .addColumn('adjournment_requested_by', 'text')
    .addColumn('recorded_by', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('recorded_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('case_hearings_case').on('case_hearings').columns(['case_id', 'listed_on']).execute();

  await db.schema
    .createTable('case_court_outcomes')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('case_id', 'text', (c) => c.notNull().references('cases.id'))
    .addColumn('suspect_id', 'text', (c) => c.notNull().references('case_people.id'))
    .addColumn('outcome', 'text', (c) => c.notNull())
    .addColumn('victim_withdrawal', 'integer', (c) => c.notNull())
    .addColumn('outcome_on', 'text', (c) => c.notNull())
    .addColumn('sentence_type', 'text')
    .addColumn('sentence_months', 'integer')
    .addColumn('sentenced_on', 'text')
    .addColumn('recorded_by', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('recorded_at', 'text', (c) => c.notNull())
    // One final outcome per defendant: a second writer is refused.
    .addUniqueConstraint('case_court_outcomes_suspect', ['case_id', 'suspect_id'])
    .execute();

  await db.schema
    .createTable('case_notes')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('case_id', 'text', (c) => c.notNull().references('cases.id'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('text', 'text', (c) => c.notNull())
    .addColumn('author_user_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('case_notes_case').on('case_notes').columns(['case_id', 'created_at']).execute();

  await db.schema.alterTable('case_break_glass').addColumn('reviewed_by', 'text', (c) => c.references('users.id')).execute();
  await db.schema.alterTable('case_break_glass').addColumn('review_outcome', 'text').execute();
}
