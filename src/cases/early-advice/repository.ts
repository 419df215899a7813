// SQL for early advice: requests and records of not asking.
import type { Db, Tx } from '../../platform/db/transaction.ts';
import type { EarlyAdviceNotRequestedTable, EarlyAdviceRequestsTable } from './tables.ts';
import './tables.ts';

type Executor = Db | Tx;

/** A request with the names of the people who acted on it. */
export interface RequestRow extends EarlyAdviceRequestsTable {
  requested_by_name: string;
}

export async function requestsOf(db: Executor, caseId: string): Promise<RequestRow[]> {
  return db
    .selectFrom('early_advice_requests')
    .innerJoin('users', 'users.id', 'early_advice_requests.requested_by')
    .selectAll('early_advice_requests')
    .select('users.display_name as requested_by_name')
    .where('case_id', '=', caseId)
    .orderBy('requested_at', 'desc')
    .orderBy('early_advice_requests.id', 'desc')
    .execute();
}

export async function findRequest(db: Executor, caseId: string, id: string): Promise<EarlyAdviceRequestsTable | undefined> {
  return db.selectFrom('early_advice_requests').selectAll().where('case_id', '=', caseId).where('id', '=', id).executeTakeFirst();
}

export async function insertRequest(db: Executor, row: EarlyAdviceRequestsTable): Promise<void> {
  await db.insertInto('early_advice_requests').values(row).execute();
}

export async function updateRequest(db: Executor, id: string, changes: Partial<Omit<EarlyAdviceRequestsTable, 'id' | 'case_id'>>): Promise<void> {
  await db.updateTable('early_advice_requests').set(changes).where('id', '=', id).execute();
}

export interface NotRequestedRow extends EarlyAdviceNotRequestedTable {
  recorded_by_name: string;
}

export async function notRequestedOf(db: Executor, caseId: string): Promise<NotRequestedRow[]> {
  return db
    .selectFrom('early_advice_not_requested')
    .innerJoin('users', 'users.id', 'early_advice_not_requested.recorded_by')
    .selectAll('early_advice_not_requested')
    .select('users.display_name as recorded_by_name')
    .where('case_id', '=', caseId)
    .orderBy('recorded_at', 'desc')
    .execute();
}

export async function insertNotRequested(db: Executor, row: EarlyAdviceNotRequestedTable): Promise<void> {
  await db.insertInto('early_advice_not_requested').values(row).execute();
}

/** Names of people, for showing who acted. */
export async function namesOf(db: Executor, ids: readonly string[]): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const rows = await db.selectFrom('users').select(['id', 'display_name']).where('id', 'in', [...new Set(ids)]).execute();
  return new Map(rows.map((r) => [r.id, r.display_name]));
}
