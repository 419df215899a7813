// Court support and withdrawal in a victim's records: special measures
// applications with their outcomes, the pre-trial meeting offered to the
// victim, and each time a victim withdrew support (with the conversation had
// with them) and any later re-engagement.
import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('victim_special_measures')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('case_id', 'text', (c) => c.notNull().references('cases.id'))
    .addColumn('victim_id', 'text', (c) => c.notNull().references('case_people.id'))
    .addColumn('measure', 'text', (c) => c.notNull())
    .addColumn('measures_version', 'integer', (c) => c.notNull())
    .addColumn('applied_on', 'text', (c) => c.notNull())
    .addColumn('applied_by', 'text', (c) => c.notNull())
    .addColumn('victim_view', 'text', (c) => c.notNull())
    .addColumn('outcome', 'text')
    .addColumn('decided_on', 'text')
    .addColumn('recorded_by_user_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('recorded_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('victim_special_measures_victim').on('victim_special_measures').columns(['case_id', 'victim_id']).execute();

  await db.schema
    .createTable('victim_pre_trial_meetings')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('case_id', 'text', (c) => c.notNull().references('cases.id'))
    // One offer per victim: two people offering at once cannot both make one.
    .addColumn('victim_id', 'text', (c) => c.notNull().unique().references('case_people.id'))
    .addColumn('offered_on', 'text', (c) => c.notNull())
    .addColumn('accepted', 'integer')
    .addColumn('held_on', 'text')
    .addColumn('recorded_by_user_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('victim_withdrawals')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('case_id', 'text', (c) => c.notNull().references('cases.id'))
    .addColumn('victim_id', 'text', (c) => c.notNull().references('case_people.id'))
    .addColumn('withdrawn_on', 'text', (c) => c.notNull())
    .addColumn('stage', 'text', (c) => c.notNull())
    .addColumn('reason_code', 'text', (c) => c.notNull())
    .addColumn('reasons_version', 'integer', (c) => c.notNull())
    .addColumn('reason_detail', 'text')
    .addColumn('spoken_to_victim', 'integer', (c) => c.notNull())
    .addColumn('spoken_on', 'text')
    .addColumn('spoken_how', 'text')
    .addColumn('spoken_by', 'text')
    .addColumn('isva_involved', 'integer', (c) => c.notNull())
    .addColumn('recorded_by_user_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('recorded_at', 'text', (c) => c.notNull())
    .addColumn('re_engaged_on', 'text')
    .addColumn('re_engaged_how', 'text')
    .addColumn('re_engaged_recorded_by_user_id', 'text', (c) => c.references('users.id'))
    .execute();
  await db.schema.createIndex('victim_withdrawals_victim').on('victim_withdrawals').columns(['case_id', 'victim_id']).execute();
}
