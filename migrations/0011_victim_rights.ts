// The victim's rights: proof that each Victims' Code entitlement was delivered
// (the entitlements themselves and when they apply come from the journal), and
// requests under the Victims' Right to Review schemes of the police and the
// CPS. Loads the deadline rules shipped with them (the Code clocks of a police
// NFA, a charge and the pre-trial meeting; the request windows; the CPS
// review stages).
import type { Kysely } from 'kysely';
import { loadShippedRules } from '../src/platform/deadlines/service.ts';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('victim_rights_deliveries')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('case_id', 'text', (c) => c.notNull().references('cases.id'))
    .addColumn('victim_id', 'text', (c) => c.notNull().references('case_people.id'))
    .addColumn('entitlement', 'text', (c) => c.notNull())
    .addColumn('entitlements_version', 'integer', (c) => c.notNull())
    .addColumn('applies_on', 'text', (c) => c.notNull())
    .addColumn('delivered_on', 'text', (c) => c.notNull())
    .addColumn('method', 'text', (c) => c.notNull())
    .addColumn('reference', 'text', (c) => c.notNull())
    .addColumn('recorded_by_user_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('recorded_at', 'text', (c) => c.notNull())
    // One proof per entitlement each time it applies.
    .addUniqueConstraint('victim_rights_deliveries_once', ['victim_id', 'entitlement', 'applies_on'])
    .execute();

  await db.schema
    .createTable('victim_review_requests')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('case_id', 'text', (c) => c.notNull().references('cases.id'))
    .addColumn('victim_id', 'text', (c) => c.notNull().references('case_people.id'))
    .addColumn('scheme', 'text', (c) => c.notNull())
    .addColumn('told_on', 'text', (c) => c.notNull())
    .addColumn('received_on', 'text', (c) => c.notNull())
    .addColumn('window_ends_on', 'text', (c) => c.notNull())
    .addColumn('late_reason', 'text')
    .addColumn('review_stage', 'text', (c) => c.notNull())
    // The clocks this request runs: acknowledgement (police) and the current review stage.
    .addColumn('acknowledge_deadline_id', 'text', (c) => c.references('deadlines.id'))
    .addColumn('stage_deadline_id', 'text', (c) => c.notNull().references('deadlines.id'))
    .addColumn('acknowledged_on', 'text')
    .addColumn('escalated_on', 'text')
    .addColumn('outcome', 'text')
    .addColumn('decided_on', 'text')
    .addColumn('decision_reasons', 'text')
    .addColumn('recorded_by_user_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('recorded_at', 'text', (c) => c.notNull())
    .addColumn('decided_by_user_id', 'text', (c) => c.references('users.id'))
    .execute();
  await db.schema.createIndex('victim_review_requests_victim').on('victim_review_requests').columns(['case_id', 'victim_id', 'recorded_at']).execute();

  await loadShippedRules(db, new Date());
}
