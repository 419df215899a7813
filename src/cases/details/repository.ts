// SQL for the case's details: its references, its notes, the review of
// break-glass grants, and the idempotency keys of the case file's API creates.
import type { Db, Tx } from '../../platform/db/transaction.ts';
import type { CaseNotesTable } from './tables.ts';
import './tables.ts';

type Executor = Db | Tx;

export async function setReferences(db: Executor, caseId: string, changes: { cps_urn?: string | null; court_case_number?: string | null }): Promise<void> {
  if (Object.keys(changes).length === 0) return;
  await db.updateTable('cases').set(changes).where('id', '=', caseId).execute();
}

/** Whether another case of the CPS Area already carries this URN. */
export async function urnTakenElsewhere(db: Executor, cpsAreaId: string, urn: string, caseId: string): Promise<boolean> {
  const row = await db.selectFrom('cases').select('id').where('cps_area_id', '=', cpsAreaId).where('cps_urn', '=', urn).where('id', '!=', caseId).executeTakeFirst();
  return row !== undefined;
}

export async function insertNote(db: Executor, row: CaseNotesTable): Promise<void> {
  await db.insertInto('case_notes').values(row).execute();
}

export async function notesOf(db: Executor, caseId: string): Promise<(CaseNotesTable & { author_name: string })[]> {
  return db
    .selectFrom('case_notes')
    .innerJoin('users', 'users.id', 'case_notes.author_user_id')
    .selectAll('case_notes')
    .select('users.display_name as author_name')
    .where('case_notes.case_id', '=', caseId)
    .orderBy('case_notes.created_at', 'desc')
    .orderBy('case_notes.id', 'desc')
    .execute();
}

export interface GrantRow {
  id: string;
  case_id: string;
  police_reference: string;
  user_id: string;
  user_name: string;
  reason: string;
  granted_at: string;
  expires_at: string;
}

/**
 * Unreviewed break-glass grants made by people of this organisation on its
 * cases (a grant is only ever made to someone acting for the case's force or
 * CPS Area), oldest first.
 */
export async function unreviewedGrants(db: Executor, organisationId: string, limit: number): Promise<GrantRow[]> {
  return grantsIn(db, organisationId).orderBy('g.granted_at').orderBy('g.id').limit(limit).execute();
}

export async function findUnreviewedGrant(db: Executor, organisationId: string, grantId: string): Promise<GrantRow | undefined> {
  return grantsIn(db, organisationId).where('g.id', '=', grantId).executeTakeFirst();
}

function grantsIn(db: Executor, organisationId: string) {
  return db
    .selectFrom('case_break_glass as g')
    .innerJoin('cases', 'cases.id', 'g.case_id')
    .innerJoin('users', 'users.id', 'g.user_id')
    .select(['g.id', 'g.case_id', 'cases.police_reference', 'g.user_id', 'users.display_name as user_name', 'g.reason', 'g.granted_at', 'g.expires_at'])
    .where('g.reviewed_at', 'is', null)
    .where((eb) => eb.or([eb('cases.force_id', '=', organisationId), eb('cases.cps_area_id', '=', organisationId)]))
    .where((eb) => eb.exists(
      eb.selectFrom('memberships').select('memberships.user_id').whereRef('memberships.user_id', '=', 'g.user_id').where('memberships.organisation_id', '=', organisationId),
    ));
}

/** Marks a grant reviewed, once: false when someone reviewed it first. */
export async function reviewGrant(db: Executor, grantId: string, review: { reviewed_at: string; reviewed_by: string; review_outcome: string }): Promise<boolean> {
  const result = await db.updateTable('case_break_glass').set(review).where('id', '=', grantId).where('reviewed_at', 'is', null).executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}
