// The only SQL of quarterly assurance reports, and the one read of action
// plans the plans module does not offer (their dated history in a quarter).
import type { Db, Tx } from '../../platform/db/transaction.ts';
import type { AssuranceCommentaryTable, AssuranceReportsTable, AssuranceReportVersionsTable } from './tables.ts';
import './tables.ts';
import '../../plans/tables.ts';

type Executor = Db | Tx;

export { isUniqueViolation } from '../../platform/directory/repository.ts';

export interface ReportRow extends AssuranceReportsTable {
  organisation_name: string;
  organisation_kind: string;
}

export interface VersionRow extends AssuranceReportVersionsTable {
  drafted_by_name: string | null;
  refreshed_by_name: string | null;
  signed_off_by_name: string | null;
  published_by_name: string | null;
}

export interface CommentaryRow extends AssuranceCommentaryTable {
  updated_by_name: string | null;
}

/** A report with its latest version's number and status, and its latest published version's number. */
export interface ListRow extends ReportRow {
  latest_number: number;
  latest_status: string;
  latest_updated_at: string;
  published_number: number | null;
}

const reportsWithOrganisation = (db: Executor) =>
  db.selectFrom('assurance_reports').innerJoin('organisations', 'organisations.id', 'assurance_reports.organisation_id')
    .selectAll('assurance_reports').select(['organisations.name as organisation_name', 'organisations.kind as organisation_kind']);

export async function findReport(db: Executor, id: string): Promise<ReportRow | undefined> {
  return reportsWithOrganisation(db).where('assurance_reports.id', '=', id).executeTakeFirst();
}

export async function findReportFor(db: Executor, organisationId: string, year: number, quarter: number): Promise<AssuranceReportsTable | undefined> {
  return db.selectFrom('assurance_reports').selectAll().where('organisation_id', '=', organisationId).where('financial_year', '=', year).where('quarter', '=', quarter).executeTakeFirst();
}

/** Reports with their latest version (and latest published one): of one organisation, or of every organisation with something published. */
export async function listReports(db: Executor, scope: { organisationId: string } | 'published'): Promise<ListRow[]> {
  let query = reportsWithOrganisation(db)
    .innerJoin('assurance_report_versions as latest', 'latest.report_id', 'assurance_reports.id')
    .where((eb) => eb('latest.number', '=', eb.selectFrom('assurance_report_versions as v').select((e) => e.fn.max('v.number').as('n')).whereRef('v.report_id', '=', 'assurance_reports.id')))
    .select(['latest.number as latest_number', 'latest.status as latest_status', 'latest.updated_at as latest_updated_at'])
    .select((eb) => eb.selectFrom('assurance_report_versions as p').select((e) => e.fn.max('p.number').as('n'))
      .whereRef('p.report_id', '=', 'assurance_reports.id').where('p.published_at', 'is not', null).as('published_number'));
  if (scope === 'published') {
    query = query.where((eb) => eb.exists(eb.selectFrom('assurance_report_versions as q').select('q.id').whereRef('q.report_id', '=', 'assurance_reports.id').where('q.published_at', 'is not', null)));
  } else {
    query = query.where('assurance_reports.organisation_id', '=', scope.organisationId);
  }
  const rows = await query.orderBy('assurance_reports.financial_year', 'desc').orderBy('assurance_reports.quarter', 'desc').orderBy('organisations.name').orderBy('assurance_reports.id').execute();
  return rows.map((row) => ({ ...row, financial_year: Number(row.financial_year), quarter: Number(row.quarter), latest_number: Number(row.latest_number), published_number: row.published_number === null ? null : Number(row.published_number) }));
}

const versionsWithNames = (db: Executor) =>
  db.selectFrom('assurance_report_versions')
    .leftJoin('users as drafter', 'drafter.id', 'assurance_report_versions.drafted_by')
    .leftJoin('users as refresher', 'refresher.id', 'assurance_report_versions.refreshed_by')
    .leftJoin('users as signer', 'signer.id', 'assurance_report_versions.signed_off_by')
    .leftJoin('users as publisher', 'publisher.id', 'assurance_report_versions.published_by')
    .selectAll('assurance_report_versions')
    .select(['drafter.display_name as drafted_by_name', 'refresher.display_name as refreshed_by_name', 'signer.display_name as signed_off_by_name', 'publisher.display_name as published_by_name']);

export async function versionsOf(db: Executor, reportId: string): Promise<VersionRow[]> {
  const rows = await versionsWithNames(db).where('assurance_report_versions.report_id', '=', reportId).orderBy('assurance_report_versions.number').execute();
  return rows.map((row) => ({ ...row, number: Number(row.number), version: Number(row.version) }));
}

export async function commentaryOf(db: Executor, versionId: string): Promise<CommentaryRow[]> {
  return db.selectFrom('assurance_commentary').leftJoin('users', 'users.id', 'assurance_commentary.updated_by')
    .selectAll('assurance_commentary').select('users.display_name as updated_by_name')
    .where('assurance_commentary.version_id', '=', versionId).orderBy('assurance_commentary.section').execute();
}

export async function insertReport(db: Executor, row: AssuranceReportsTable): Promise<void> {
  await db.insertInto('assurance_reports').values(row).execute();
}

export async function insertVersion(db: Executor, row: AssuranceReportVersionsTable): Promise<void> {
  await db.insertInto('assurance_report_versions').values(row).execute();
}

/** Claims the version read and applies the change; false when someone else changed it first. */
export async function updateVersion(db: Executor, id: string, expected: number, changes: Partial<Omit<AssuranceReportVersionsTable, 'id' | 'report_id' | 'number' | 'version'>>): Promise<boolean> {
  const result = await db.updateTable('assurance_report_versions').set((eb) => ({ ...changes, version: eb('version', '+', 1) })).where('id', '=', id).where('version', '=', expected).executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** Marks the published versions before `number` superseded; answers how many. */
export async function supersedeEarlier(db: Executor, reportId: string, number: number, at: string): Promise<number> {
  const result = await db.updateTable('assurance_report_versions').set((eb) => ({ status: 'superseded', superseded_at: at, updated_at: at, version: eb('version', '+', 1) }))
    .where('report_id', '=', reportId).where('number', '<', number).where('status', '=', 'published').executeTakeFirst();
  return Number(result.numUpdatedRows);
}

export async function saveCommentary(db: Executor, row: AssuranceCommentaryTable): Promise<void> {
  await db.deleteFrom('assurance_commentary').where('version_id', '=', row.version_id).where('section', '=', row.section).execute();
  if (row.text !== '') await db.insertInto('assurance_commentary').values(row).execute();
}

/** A new version starts with the commentary of the one it reopens, for its authors to revise. */
export async function copyCommentary(db: Executor, fromVersionId: string, toVersionId: string): Promise<void> {
  const rows = await db.selectFrom('assurance_commentary').selectAll().where('version_id', '=', fromVersionId).execute();
  if (rows.length) await db.insertInto('assurance_commentary').values(rows.map((row) => ({ ...row, version_id: toVersionId }))).execute();
}

// Action plans: their dated history in and after a quarter.

export interface PlanHistoryRow {
  action_id: string;
  kind: string;
  update_on: string;
  status_from: string | null;
  recorded_at: string;
}

/** Updates, status changes and evidence of a plan's actions dated on or after `from`, oldest first. */
export async function planHistorySince(db: Executor, planId: string, from: string): Promise<PlanHistoryRow[]> {
  const rows = await db.selectFrom('plan_updates').select(['action_id', 'kind', 'update_on', 'status_from', 'recorded_at'])
    .where('plan_id', '=', planId).where('action_id', 'is not', null).where('kind', 'in', ['update', 'status', 'evidence']).where('update_on', '>=', from)
    .orderBy('recorded_at').orderBy('id').execute();
  return rows.map((row) => ({ ...row, action_id: row.action_id!, update_on: row.update_on! }));
}
