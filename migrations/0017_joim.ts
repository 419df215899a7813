// The RASSO Joint Operational Improvement Meeting (JOIM) of a police force and
// a CPS Area: meetings (scheduled, held or cancelled; a held meeting keeps the
// pack it discussed, frozen as JSON), who attended (people of either
// organisation, or named guests), decisions, and actions with their own
// history of status changes. Loads the deadline rules shipped since
// (joim.action: reminders and overdue notices for JOIM actions).
import type { Kysely } from 'kysely';
import { loadShippedRules } from '../src/platform/deadlines/service.ts';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('joim_meetings')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('force_id', 'text', (c) => c.notNull().references('organisations.id'))
    .addColumn('cps_area_id', 'text', (c) => c.notNull().references('organisations.id'))
    .addColumn('meets_on', 'text', (c) => c.notNull())
    .addColumn('starts_at', 'text', (c) => c.notNull())
    .addColumn('place', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('cancelled_reason', 'text')
    .addColumn('minutes', 'text')
    .addColumn('minutes_by', 'text', (c) => c.references('users.id'))
    .addColumn('minutes_at', 'text')
    .addColumn('held_recorded_by', 'text', (c) => c.references('users.id'))
    .addColumn('held_recorded_at', 'text')
    .addColumn('pack', 'text')
    .addColumn('pack_frozen_at', 'text')
    .addColumn('created_by', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .execute();
  // A pair's meetings by date, and an organisation's pairs.
  await db.schema.createIndex('joim_meetings_pair').on('joim_meetings').columns(['force_id', 'cps_area_id', 'meets_on']).execute();
  await db.schema.createIndex('joim_meetings_area').on('joim_meetings').columns(['cps_area_id', 'force_id']).execute();

  await db.schema
    .createTable('joim_attendees')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('meeting_id', 'text', (c) => c.notNull().references('joim_meetings.id'))
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('user_id', 'text', (c) => c.references('users.id'))
    .addColumn('organisation_id', 'text', (c) => c.references('organisations.id'))
    .addColumn('guest_name', 'text')
    .addColumn('guest_role', 'text')
    .execute();
  await db.schema.createIndex('joim_attendees_meeting').on('joim_attendees').columns(['meeting_id', 'position']).execute();

  await db.schema
    .createTable('joim_decisions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('meeting_id', 'text', (c) => c.notNull().references('joim_meetings.id'))
    .addColumn('number', 'integer', (c) => c.notNull())
    .addColumn('text', 'text', (c) => c.notNull())
    .addColumn('recorded_by', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('recorded_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('joim_decisions_meeting_number', ['meeting_id', 'number'])
    .execute();

  await db.schema
    .createTable('joim_actions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('meeting_id', 'text', (c) => c.notNull().references('joim_meetings.id'))
    .addColumn('force_id', 'text', (c) => c.notNull().references('organisations.id'))
    .addColumn('cps_area_id', 'text', (c) => c.notNull().references('organisations.id'))
    .addColumn('number', 'integer', (c) => c.notNull())
    .addColumn('text', 'text', (c) => c.notNull())
    .addColumn('owner_user_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('due_on', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('case_id', 'text', (c) => c.references('cases.id'))
    .addColumn('case_label', 'text')
    .addColumn('plan_id', 'text', (c) => c.references('plans.id'))
    .addColumn('plan_action_id', 'text', (c) => c.references('plan_actions.id'))
    .addColumn('plan_action_label', 'text')
    .addColumn('created_by', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('closed_at', 'text')
    .addColumn('version', 'integer', (c) => c.notNull())
    .addUniqueConstraint('joim_actions_meeting_number', ['meeting_id', 'number'])
    .execute();
  // A pair's open actions; a person's own ("my JOIM actions").
  await db.schema.createIndex('joim_actions_pair').on('joim_actions').columns(['force_id', 'cps_area_id', 'status', 'due_on']).execute();
  await db.schema.createIndex('joim_actions_owner').on('joim_actions').columns(['owner_user_id', 'status', 'due_on']).execute();

  await db.schema
    .createTable('joim_action_updates')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('action_id', 'text', (c) => c.notNull().references('joim_actions.id'))
    .addColumn('status_from', 'text')
    .addColumn('status_to', 'text', (c) => c.notNull())
    .addColumn('note', 'text')
    .addColumn('recorded_by', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('recorded_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('joim_action_updates_action').on('joim_action_updates').columns(['action_id', 'recorded_at']).execute();

  await loadShippedRules(db, new Date());
}
