// Letters to victims: each letter keeps the text it was made with (template
// key and version, language, merged text), then how, by whom and when it was
// sent, and which address or number was used.
import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('victim_letters')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('case_id', 'text', (c) => c.notNull().references('cases.id'))
    .addColumn('victim_id', 'text', (c) => c.notNull().references('case_people.id'))
    .addColumn('template_key', 'text', (c) => c.notNull())
    .addColumn('template_version', 'integer', (c) => c.notNull())
    .addColumn('language', 'text', (c) => c.notNull())
    .addColumn('content', 'text', (c) => c.notNull())
    .addColumn('created_by_user_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('dispatch_method', 'text')
    .addColumn('sent_to', 'text')
    .addColumn('plan_revision', 'integer')
    .addColumn('dispatched_by_user_id', 'text', (c) => c.references('users.id'))
    .addColumn('dispatched_at', 'text')
    .execute();
  await db.schema.createIndex('victim_letters_victim').on('victim_letters').columns(['case_id', 'victim_id', 'created_at']).execute();
}
