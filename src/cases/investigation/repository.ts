// SQL for the investigation part: supervisory reviews, pre-charge bail and
// its extensions, releases under investigation, and the case's own journal
// and people as this part reads them.
import type { Db, Tx } from '../../platform/db/transaction.ts';
import type { InvestigationBailExtensionsTable, InvestigationBailTable, InvestigationReviewsTable, InvestigationRuiTable } from './tables.ts';

type Executor = Db | Tx;

export async function insertReview(db: Executor, row: InvestigationReviewsTable): Promise<void> {
  await db.insertInto('investigation_reviews').values(row).execute();
}

export async function reviewsOf(db: Executor, caseId: string): Promise<(InvestigationReviewsTable & { reviewer_name: string })[]> {
  return db
    .selectFrom('investigation_reviews')
    .innerJoin('users', 'users.id', 'investigation_reviews.reviewer_user_id')
    .selectAll('investigation_reviews')
    .select('users.display_name as reviewer_name')
    .where('investigation_reviews.case_id', '=', caseId)
    .orderBy('investigation_reviews.reviewed_on', 'desc')
    .orderBy('investigation_reviews.id', 'desc')
    .execute();
}

export async function suspectsOf(db: Executor, caseId: string): Promise<{ id: string; name: string }[]> {
  return db.selectFrom('case_people').select(['id', 'name']).where('case_id', '=', caseId).where('category', '=', 'suspect').orderBy('created_at').orderBy('id').execute();
}

export async function insertBail(db: Executor, row: InvestigationBailTable): Promise<void> {
  await db.insertInto('investigation_bail').values(row).execute();
}

export async function currentBail(db: Executor, caseId: string): Promise<InvestigationBailTable[]> {
  return db.selectFrom('investigation_bail').selectAll().where('case_id', '=', caseId).where('ended_at', 'is', null).execute();
}

export async function extendBail(db: Executor, bailId: string, until: string, authority: string): Promise<void> {
  await db.updateTable('investigation_bail').set({ until_on: until, authority }).where('id', '=', bailId).execute();
}

export async function setBailDeadline(db: Executor, bailId: string, deadlineId: string): Promise<void> {
  await db.updateTable('investigation_bail').set({ deadline_id: deadlineId }).where('id', '=', bailId).execute();
}

export async function endBail(db: Executor, bailId: string, at: string): Promise<void> {
  await db.updateTable('investigation_bail').set({ ended_at: at }).where('id', '=', bailId).where('ended_at', 'is', null).execute();
}

export async function insertExtension(db: Executor, row: InvestigationBailExtensionsTable): Promise<void> {
  await db.insertInto('investigation_bail_extensions').values(row).execute();
}

export async function extensionsOf(db: Executor, bailIds: readonly string[]): Promise<InvestigationBailExtensionsTable[]> {
  if (bailIds.length === 0) return [];
  return db.selectFrom('investigation_bail_extensions').selectAll().where('bail_id', 'in', [...bailIds]).orderBy('created_at').orderBy('id').execute();
}

export async function insertRui(db: Executor, row: InvestigationRuiTable): Promise<void> {
  await db.insertInto('investigation_rui').values(row).execute();
}

export async function currentRui(db: Executor, caseId: string): Promise<InvestigationRuiTable[]> {
  return db.selectFrom('investigation_rui').selectAll().where('case_id', '=', caseId).where('ended_at', 'is', null).execute();
}

export async function reviewRui(db: Executor, ruiId: string, reviewedOn: string, deadlineId: string): Promise<void> {
  await db.updateTable('investigation_rui').set({ last_reviewed_on: reviewedOn, deadline_id: deadlineId }).where('id', '=', ruiId).execute();
}

export async function endRui(db: Executor, ruiId: string, at: string): Promise<void> {
  await db.updateTable('investigation_rui').set({ ended_at: at }).where('id', '=', ruiId).where('ended_at', 'is', null).execute();
}

/** This part's journal events on a case (and stage changes), oldest first: the suspects' arrests and interviews, and waiting on the victim. */
export async function investigationEvents(db: Executor, caseId: string): Promise<{ type: string; data: string; occurred_at: string }[]> {
  return db
    .selectFrom('case_events')
    .select(['type', 'data', 'occurred_at'])
    .where('case_id', '=', caseId)
    .where('type', 'in', ['investigation.suspect-arrested', 'investigation.suspect-interviewed', 'investigation.awaiting-victim', 'investigation.victim-re-engaged'])
    .orderBy('seq')
    .execute();
}
