// The joint case file: cases, the people in them, the case team, the case
// journal, break-glass grants, and the idempotency keys of API creates.
import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('cases')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('police_reference', 'text', (c) => c.notNull())
    .addColumn('cps_urn', 'text')
    .addColumn('court_case_number', 'text')
    .addColumn('force_id', 'text', (c) => c.notNull().references('organisations.id'))
    .addColumn('cps_area_id', 'text', (c) => c.notNull().references('organisations.id'))
    .addColumn('stage', 'text', (c) => c.notNull())
    .addColumn('offence_class', 'text', (c) => c.notNull())
    .addColumn('domestic_abuse', 'integer', (c) => c.notNull())
    .addColumn('repeat_suspect', 'integer', (c) => c.notNull())
    .addColumn('vulnerable_victim', 'integer', (c) => c.notNull())
    .addColumn('child_victim', 'integer', (c) => c.notNull())
    .addColumn('reported_on', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    // A crime reference names one crime in its force.
    .addUniqueConstraint('cases_force_police_reference', ['force_id', 'police_reference'])
    .execute();
  await db.schema.createIndex('cases_force').on('cases').columns(['force_id', 'updated_at']).execute();
  await db.schema.createIndex('cases_cps_area').on('cases').columns(['cps_area_id', 'updated_at']).execute();
  await db.schema.createIndex('cases_cps_urn').on('cases').column('cps_urn').execute();

  await db.schema
    .createTable('case_people')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('case_id', 'text', (c) => c.notNull().references('cases.id'))
    .addColumn('category', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('date_of_birth', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('case_people_case').on('case_people').column('case_id').execute();

  await db.schema
    .createTable('case_team')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('case_id', 'text', (c) => c.notNull().references('cases.id'))
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('organisation_id', 'text', (c) => c.notNull().references('organisations.id'))
    .addColumn('case_role', 'text', (c) => c.notNull())
    .addColumn('allocated_at', 'text', (c) => c.notNull())
    .addColumn('ended_at', 'text')
    .execute();
  // The work queue: a person's active allocations.
  await db.schema.createIndex('case_team_user').on('case_team').columns(['user_id', 'ended_at', 'case_id']).execute();
  await db.schema.createIndex('case_team_case').on('case_team').columns(['case_id', 'ended_at']).execute();

  await db.schema
    .createTable('case_events')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('case_id', 'text', (c) => c.notNull().references('cases.id'))
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('occurred_at', 'text', (c) => c.notNull())
    .addColumn('recorded_at', 'text', (c) => c.notNull())
    .addColumn('actor_user_id', 'text', (c) => c.references('users.id'))
    .addColumn('data', 'text', (c) => c.notNull())
    // Two writers that read the same last event cannot both append after it.
    .addUniqueConstraint('case_events_case_seq', ['case_id', 'seq'])
    .execute();

  await db.schema
    .createTable('case_break_glass')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('case_id', 'text', (c) => c.notNull().references('cases.id'))
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('granted_at', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .addColumn('reviewed_at', 'text')
    .execute();
  await db.schema.createIndex('case_break_glass_user_case').on('case_break_glass').columns(['user_id', 'case_id', 'expires_at']).execute();
  await db.schema.createIndex('case_break_glass_unreviewed').on('case_break_glass').columns(['reviewed_at', 'granted_at']).execute();

  await db.schema
    .createTable('api_idempotency_keys')
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('idempotency_key', 'text', (c) => c.notNull())
    .addColumn('operation', 'text', (c) => c.notNull())
    .addColumn('request_hash', 'text', (c) => c.notNull())
    .addColumn('status', 'integer', (c) => c.notNull())
    .addColumn('response', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('api_idempotency_keys_pk', ['user_id', 'operation', 'idempotency_key'])
    .execute();
}
