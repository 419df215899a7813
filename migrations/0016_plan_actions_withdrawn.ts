// Plans made and kept on the platform: an action is withdrawn rather than
// deleted, so its number and history stay in the plan. The day it was
// withdrawn is kept on the action (the reason is in the plan's history).
import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('plan_actions').addColumn('withdrawn_on', 'text').execute();
}
