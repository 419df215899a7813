// A victim's digital devices and third-party-material requests, and the
// reveals (a person's recorded reason, with its expiry) that open them.
import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('victim_sensitive_reveals')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('case_id', 'text', (c) => c.notNull().references('cases.id'))
    .addColumn('victim_id', 'text', (c) => c.notNull().references('case_people.id'))
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('compartment', 'text', (c) => c.notNull())
    .addColumn('reason_category', 'text', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('revealed_at', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .execute();
  // Every read looks up the person's latest reveal of the compartment for the victim.
  await db.schema.createIndex('victim_sensitive_reveals_lookup').on('victim_sensitive_reveals').columns(['user_id', 'victim_id', 'compartment', 'expires_at']).execute();

  await db.schema
    .createTable('victim_devices')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('case_id', 'text', (c) => c.notNull().references('cases.id'))
    .addColumn('victim_id', 'text', (c) => c.notNull().references('case_people.id'))
    .addColumn('device_type', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull())
    .addColumn('owner_role', 'text', (c) => c.notNull())
    .addColumn('line_of_enquiry', 'text', (c) => c.notNull())
    .addColumn('power', 'text', (c) => c.notNull())
    .addColumn('powers_version', 'integer', (c) => c.notNull())
    .addColumn('scope_from', 'text')
    .addColumn('scope_to', 'text')
    .addColumn('data_types', 'text', (c) => c.notNull())
    .addColumn('accounts', 'text', (c) => c.notNull())
    .addColumn('dpn_version', 'text')
    .addColumn('dpn_given_on', 'text')
    .addColumn('taken_on', 'text')
    .addColumn('extracted_on', 'text')
    .addColumn('returned_on', 'text')
    .addColumn('recorded_by_user_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('recorded_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('victim_devices_victim').on('victim_devices').columns(['case_id', 'victim_id']).execute();

  await db.schema
    .createTable('victim_tpm_requests')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('case_id', 'text', (c) => c.notNull().references('cases.id'))
    .addColumn('victim_id', 'text', (c) => c.notNull().references('case_people.id'))
    .addColumn('holder', 'text', (c) => c.notNull())
    .addColumn('rationale', 'text', (c) => c.notNull())
    .addColumn('at_early_advice', 'integer', (c) => c.notNull())
    .addColumn('decided_on', 'text')
    .addColumn('requested_on', 'text')
    .addColumn('outcome', 'text', (c) => c.notNull())
    .addColumn('outcome_on', 'text')
    .addColumn('recorded_by_user_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('recorded_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('victim_tpm_requests_victim').on('victim_tpm_requests').columns(['case_id', 'victim_id']).execute();
}
