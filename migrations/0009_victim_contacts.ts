// Victims' contact log (one timeline across police, CPS and ISVA) and the
// clocks of each victim's next contact. Loads the deadline rule shipped with
// it (victims.contact-due).
import type { Kysely } from 'kysely';
import { loadShippedRules } from '../src/platform/deadlines/service.ts';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('victim_contacts')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('case_id', 'text', (c) => c.notNull().references('cases.id'))
    .addColumn('victim_id', 'text', (c) => c.notNull().references('case_people.id'))
    .addColumn('contact_at', 'text', (c) => c.notNull())
    .addColumn('method', 'text', (c) => c.notNull())
    .addColumn('reached', 'integer', (c) => c.notNull())
    .addColumn('voicemail_left', 'integer', (c) => c.notNull())
    .addColumn('posted_to_home', 'integer', (c) => c.notNull())
    .addColumn('summary', 'text', (c) => c.notNull())
    .addColumn('next_contact_on', 'text', (c) => c.notNull())
    .addColumn('by_user_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('by_side', 'text', (c) => c.notNull())
    .addColumn('by_role', 'text', (c) => c.notNull())
    .addColumn('recorded_at', 'text', (c) => c.notNull())
    .execute();
  // A victim's timeline, newest first.
  await db.schema.createIndex('victim_contacts_victim').on('victim_contacts').columns(['victim_id', 'contact_at']).execute();

  await db.schema
    .createTable('victim_contact_clocks')
    .addColumn('deadline_id', 'text', (c) => c.primaryKey().references('deadlines.id'))
    .addColumn('case_id', 'text', (c) => c.notNull().references('cases.id'))
    .addColumn('victim_id', 'text', (c) => c.notNull().references('case_people.id'))
    .addColumn('contact_id', 'text', (c) => c.references('victim_contacts.id'))
    .addColumn('due_on', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('victim_contact_clocks_victim').on('victim_contact_clocks').columns(['victim_id', 'created_at']).execute();

  await loadShippedRules(db, new Date());
}
