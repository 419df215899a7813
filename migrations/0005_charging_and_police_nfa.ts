// Charging referrals (with their suspects and file-quality triage), CPS
// charging decisions (per suspect, administrative finalisation, reopening)
// and police decisions of no further action with their sign-off.
import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('charging_referrals')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('case_id', 'text', (c) => c.notNull().references('cases.id'))
    .addColumn('test', 'text', (c) => c.notNull())
    .addColumn('from_stage', 'text', (c) => c.notNull())
    .addColumn('referred_by', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('referred_at', 'text', (c) => c.notNull())
    .addColumn('not_requested_reason', 'text')
    .addColumn('not_requested_version', 'integer')
    .addColumn('not_requested_detail', 'text')
    .addColumn('triage_result', 'text')
    .addColumn('triage_items', 'text')
    .addColumn('triage_version', 'integer')
    .addColumn('triage_reasons', 'text')
    .addColumn('triaged_by', 'text', (c) => c.references('users.id'))
    .addColumn('triaged_at', 'text')
    .execute();
  await db.schema.createIndex('charging_referrals_case').on('charging_referrals').columns(['case_id', 'referred_at']).execute();

  await db.schema
    .createTable('charging_referral_suspects')
    .addColumn('referral_id', 'text', (c) => c.notNull().references('charging_referrals.id'))
    .addColumn('person_id', 'text', (c) => c.notNull().references('case_people.id'))
    .addColumn('case_id', 'text', (c) => c.notNull().references('cases.id'))
    .addPrimaryKeyConstraint('charging_referral_suspects_pk', ['referral_id', 'person_id'])
    .execute();
  await db.schema.createIndex('charging_referral_suspects_case').on('charging_referral_suspects').columns(['case_id', 'person_id']).execute();

  await db.schema
    .createTable('charging_decisions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('case_id', 'text', (c) => c.notNull().references('cases.id'))
    .addColumn('referral_id', 'text', (c) => c.references('charging_referrals.id'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('suspect_id', 'text', (c) => c.references('case_people.id'))
    .addColumn('offences', 'text')
    .addColumn('alternative_offence', 'integer', (c) => c.notNull())
    .addColumn('reason_code', 'text')
    .addColumn('reasons', 'text', (c) => c.notNull())
    .addColumn('decided_by', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('decided_at', 'text', (c) => c.notNull())
    .addColumn('superseded_at', 'text')
    .execute();
  await db.schema.createIndex('charging_decisions_case').on('charging_decisions').columns(['case_id', 'decided_at']).execute();

  await db.schema
    .createTable('police_nfa_decisions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('case_id', 'text', (c) => c.notNull().references('cases.id'))
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('outcome_code', 'integer', (c) => c.notNull())
    .addColumn('outcome_codes_version', 'integer', (c) => c.notNull())
    .addColumn('rationale', 'text', (c) => c.notNull())
    .addColumn('proposed_by', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('proposed_at', 'text', (c) => c.notNull())
    .addColumn('meeting_held_on', 'text')
    .addColumn('meeting_attendees', 'text')
    .addColumn('victim_contact_on', 'text')
    .addColumn('victim_contact_method', 'text')
    .addColumn('victim_contact_by', 'text')
    .addColumn('victim_contact_summary', 'text')
    .addColumn('signed_off_by', 'text', (c) => c.references('users.id'))
    .addColumn('signed_off_at', 'text')
    .addColumn('victim_told_on', 'text')
    .addColumn('victim_told_method', 'text')
    .execute();
  await db.schema.createIndex('police_nfa_decisions_case').on('police_nfa_decisions').columns(['case_id', 'proposed_at']).execute();
}
