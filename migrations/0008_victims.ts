// The victims' records: which ISVA supports each victim in a case (it gives
// the ISVA sight of that victim's records, nothing else), and the victim's
// communication plan, one row per agreed revision so its history is kept.
import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('victim_isvas')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('case_id', 'text', (c) => c.notNull().references('cases.id'))
    .addColumn('victim_id', 'text', (c) => c.notNull().references('case_people.id'))
    .addColumn('isva_user_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('isva_service_id', 'text', (c) => c.notNull().references('organisations.id'))
    .addColumn('started_at', 'text', (c) => c.notNull())
    .addColumn('started_by_user_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('ended_at', 'text')
    .execute();
  // The access check (ISVAs of a case now) and an ISVA's own client list.
  await db.schema.createIndex('victim_isvas_case').on('victim_isvas').columns(['case_id', 'ended_at']).execute();
  await db.schema.createIndex('victim_isvas_isva').on('victim_isvas').columns(['isva_user_id', 'ended_at']).execute();

  await db.schema
    .createTable('victim_communication_plans')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('case_id', 'text', (c) => c.notNull().references('cases.id'))
    .addColumn('victim_id', 'text', (c) => c.notNull().references('case_people.id'))
    .addColumn('revision', 'integer', (c) => c.notNull())
    .addColumn('frequency_days', 'integer', (c) => c.notNull())
    .addColumn('methods', 'text', (c) => c.notNull())
    .addColumn('updaters', 'text', (c) => c.notNull())
    .addColumn('preferred_language', 'text', (c) => c.notNull())
    .addColumn('no_voicemail', 'integer', (c) => c.notNull())
    .addColumn('no_post_to_home', 'integer', (c) => c.notNull())
    .addColumn('safe_address', 'text')
    .addColumn('safe_phone', 'text')
    .addColumn('safe_email', 'text')
    .addColumn('other_rules', 'text', (c) => c.notNull())
    .addColumn('agreed_on', 'text', (c) => c.notNull())
    .addColumn('agreed_with_isva_user_id', 'text', (c) => c.references('users.id'))
    .addColumn('change_reason', 'text')
    .addColumn('recorded_by_user_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('recorded_at', 'text', (c) => c.notNull())
    // Two people agreeing a change to the same plan at once cannot both make revision n + 1.
    .addUniqueConstraint('victim_communication_plans_revision', ['victim_id', 'revision'])
    .execute();
  await db.schema.createIndex('victim_communication_plans_case').on('victim_communication_plans').columns(['case_id', 'victim_id']).execute();
}
