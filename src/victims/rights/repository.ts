// The only SQL of the victim's rights: proofs of delivery of the Victims'
// Code entitlements, and right-to-review requests.
import type { Db, Tx } from '../../platform/db/transaction.ts';
import type { VictimReviewRequestsTable, VictimRightsDeliveriesTable } from './tables.ts';
import './tables.ts';

type Executor = Db | Tx;

export interface DeliveryRow extends VictimRightsDeliveriesTable {
  recorded_by_name: string;
}

export function deliveriesOf(db: Executor, victimId: string): Promise<DeliveryRow[]> {
  return db
    .selectFrom('victim_rights_deliveries')
    .innerJoin('users', 'users.id', 'victim_rights_deliveries.recorded_by_user_id')
    .selectAll('victim_rights_deliveries')
    .select('users.display_name as recorded_by_name')
    .where('victim_rights_deliveries.victim_id', '=', victimId)
    .orderBy('victim_rights_deliveries.delivered_on')
    .orderBy('victim_rights_deliveries.id')
    .execute();
}

export async function insertDelivery(db: Executor, row: VictimRightsDeliveriesTable): Promise<void> {
  await db.insertInto('victim_rights_deliveries').values(row).execute();
}

export interface RequestRow extends VictimReviewRequestsTable {
  recorded_by_name: string;
  decided_by_name: string | null;
}

function requests(db: Executor) {
  return db
    .selectFrom('victim_review_requests')
    .innerJoin('users as recorder', 'recorder.id', 'victim_review_requests.recorded_by_user_id')
    .leftJoin('users as decider', 'decider.id', 'victim_review_requests.decided_by_user_id')
    .selectAll('victim_review_requests')
    .select(['recorder.display_name as recorded_by_name', 'decider.display_name as decided_by_name']);
}

/** A victim's requests, newest first. */
export function requestsOf(db: Executor, caseId: string, victimId: string): Promise<RequestRow[]> {
  return requests(db).where('victim_review_requests.case_id', '=', caseId).where('victim_review_requests.victim_id', '=', victimId).orderBy('victim_review_requests.recorded_at', 'desc').orderBy('victim_review_requests.id', 'desc').execute();
}

export function findRequest(db: Executor, caseId: string, victimId: string, requestId: string): Promise<RequestRow | undefined> {
  return requests(db).where('victim_review_requests.id', '=', requestId).where('victim_review_requests.case_id', '=', caseId).where('victim_review_requests.victim_id', '=', victimId).executeTakeFirst();
}

export async function insertRequest(db: Executor, row: VictimReviewRequestsTable): Promise<void> {
  await db.insertInto('victim_review_requests').values(row).execute();
}

/** Changes a request still undecided; false if it was decided meanwhile. */
export async function updateOpenRequest(db: Executor, id: string, changes: Partial<Pick<VictimReviewRequestsTable, 'acknowledged_on' | 'escalated_on' | 'review_stage' | 'stage_deadline_id' | 'outcome' | 'decided_on' | 'decision_reasons' | 'decided_by_user_id'>>): Promise<boolean> {
  const result = await db.updateTable('victim_review_requests').set(changes).where('id', '=', id).where('outcome', 'is', null).executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}
