// The only SQL of NFA scrutiny panels. The case file is never read here: the
// scrutiny service reads it through src/cases/oversight/nfa-review.ts.
import { sql } from 'kysely';
import type { Db, Tx } from '../../platform/db/transaction.ts';
import type { OrganisationKind } from '../../platform/db/tables.ts';
import type {
  ScrutinyActionUpdatesTable,
  ScrutinyActionsTable,
  ScrutinyCasesTable,
  ScrutinyFindingsTable,
  ScrutinyLearningTable,
  ScrutinyPanelMembersTable,
  ScrutinyPanelsTable,
  ScrutinyReviewsTable,
  ScrutinyRoundsTable,
} from './tables.ts';
import './tables.ts';

type Executor = Db | Tx;

export interface PanelRow extends ScrutinyPanelsTable {
  force_name: string;
  cps_area_name: string | null;
}

export interface MemberRow extends ScrutinyPanelMembersTable {
  display_name: string;
  organisation_name: string;
  organisation_kind: OrganisationKind;
}

const panelsWithNames = (db: Executor) =>
  db.selectFrom('scrutiny_panels')
    .innerJoin('organisations as force', 'force.id', 'scrutiny_panels.force_id')
    .leftJoin('organisations as area', 'area.id', 'scrutiny_panels.cps_area_id')
    .selectAll('scrutiny_panels')
    .select(['force.name as force_name', 'area.name as cps_area_name']);

export async function findPanel(db: Executor, id: string): Promise<PanelRow | undefined> {
  return panelsWithNames(db).where('scrutiny_panels.id', '=', id).executeTakeFirst();
}

/** Panels a person sits on now, or of an organisation (as force or Area); by name. */
export async function panelsFor(db: Executor, userId: string, organisationId: string | null): Promise<PanelRow[]> {
  const mine = db.selectFrom('scrutiny_panel_members').select('panel_id').where('user_id', '=', userId).where('ended_at', 'is', null);
  return panelsWithNames(db)
    .where((eb) => eb.or([
      eb('scrutiny_panels.id', 'in', mine),
      ...(organisationId ? [eb('scrutiny_panels.force_id', '=', organisationId), eb('scrutiny_panels.cps_area_id', '=', organisationId)] : []),
    ]))
    .orderBy('scrutiny_panels.name').orderBy('scrutiny_panels.id')
    .execute();
}

export async function insertPanel(db: Executor, row: ScrutinyPanelsTable): Promise<void> {
  await db.insertInto('scrutiny_panels').values(row).execute();
}

/** Claims the panel's version: false when someone changed it since it was read. */
export async function claimPanel(db: Executor, id: string, expected: number, now: string): Promise<boolean> {
  const result = await db.updateTable('scrutiny_panels').set({ version: expected + 1, updated_at: now }).where('id', '=', id).where('version', '=', expected).executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** Members of panels, active ones first, then by name. */
export async function membersOf(db: Executor, panelIds: readonly string[]): Promise<MemberRow[]> {
  if (panelIds.length === 0) return [];
  return db.selectFrom('scrutiny_panel_members')
    .innerJoin('users', 'users.id', 'scrutiny_panel_members.user_id')
    .innerJoin('organisations', 'organisations.id', 'scrutiny_panel_members.organisation_id')
    .selectAll('scrutiny_panel_members')
    .select(['users.display_name', 'organisations.name as organisation_name', 'organisations.kind as organisation_kind'])
    .where('scrutiny_panel_members.panel_id', 'in', [...panelIds])
    .orderBy(sql`case when scrutiny_panel_members.ended_at is null then 0 else 1 end`)
    .orderBy(sql`case when scrutiny_panel_members.role = 'chair' then 0 else 1 end`)
    .orderBy('users.display_name').orderBy('scrutiny_panel_members.id')
    .execute();
}

export async function insertMember(db: Executor, row: ScrutinyPanelMembersTable): Promise<void> {
  await db.insertInto('scrutiny_panel_members').values(row).execute();
}

export async function endMember(db: Executor, id: string, by: string, at: string): Promise<boolean> {
  const result = await db.updateTable('scrutiny_panel_members').set({ ended_by: by, ended_at: at }).where('id', '=', id).where('ended_at', 'is', null).executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function setMemberRole(db: Executor, panelId: string, id: string, role: 'chair' | 'member'): Promise<void> {
  await db.updateTable('scrutiny_panel_members').set({ role }).where('panel_id', '=', panelId).where('id', '=', id).where('ended_at', 'is', null).execute();
}

/** Makes every active chair of the panel a member (before a new chair takes over). */
export async function unseatChair(db: Executor, panelId: string): Promise<void> {
  await db.updateTable('scrutiny_panel_members').set({ role: 'member' }).where('panel_id', '=', panelId).where('role', '=', 'chair').where('ended_at', 'is', null).execute();
}

/** A person found by email, with the organisations and roles they hold (none when disabled). */
export async function personByEmail(db: Executor, email: string): Promise<{ id: string; name: string; memberships: { organisationId: string; kind: OrganisationKind; role: string }[] } | undefined> {
  const user = await db.selectFrom('users').select(['id', 'display_name']).where('email', '=', email).where('disabled_at', 'is', null).executeTakeFirst();
  if (!user) return undefined;
  const rows = await db.selectFrom('memberships').innerJoin('organisations', 'organisations.id', 'memberships.organisation_id')
    .select(['memberships.organisation_id', 'organisations.kind', 'memberships.role'])
    .where('memberships.user_id', '=', user.id)
    .orderBy('organisations.name').orderBy('memberships.role')
    .execute();
  return { id: user.id, name: user.display_name, memberships: rows.map((r) => ({ organisationId: r.organisation_id, kind: r.kind, role: r.role })) };
}

/** Organisations of a kind, for choosing a panel's force or Area. */
export async function organisationsOfKind(db: Executor, kind: OrganisationKind): Promise<{ id: string; name: string }[]> {
  return db.selectFrom('organisations').select(['id', 'name']).where('kind', '=', kind).orderBy('name').orderBy('id').execute();
}

export async function findOrganisation(db: Executor, id: string): Promise<{ id: string; name: string; kind: OrganisationKind } | undefined> {
  return db.selectFrom('organisations').select(['id', 'name', 'kind']).where('id', '=', id).executeTakeFirst();
}

// Rounds and their packs.

export type RoundRow = ScrutinyRoundsTable;

export async function insertRound(db: Executor, row: ScrutinyRoundsTable): Promise<void> {
  await db.insertInto('scrutiny_rounds').values(row).execute();
}

export async function roundsOf(db: Executor, panelId: string): Promise<ScrutinyRoundsTable[]> {
  return db.selectFrom('scrutiny_rounds').selectAll().where('panel_id', '=', panelId).orderBy('period_from', 'desc').orderBy('id', 'desc').execute();
}

export async function findRound(db: Executor, panelId: string, id: string): Promise<ScrutinyRoundsTable | undefined> {
  return db.selectFrom('scrutiny_rounds').selectAll().where('panel_id', '=', panelId).where('id', '=', id).executeTakeFirst();
}

/** A round of the panel whose period overlaps [from, to], if any. */
export async function overlappingRound(db: Executor, panelId: string, from: string, to: string): Promise<ScrutinyRoundsTable | undefined> {
  return db.selectFrom('scrutiny_rounds').selectAll().where('panel_id', '=', panelId).where('period_from', '<=', to).where('period_to', '>=', from).executeTakeFirst();
}

export async function insertCases(db: Executor, rows: readonly ScrutinyCasesTable[]): Promise<void> {
  for (let i = 0; i < rows.length; i += 100) await db.insertInto('scrutiny_cases').values(rows.slice(i, i + 100)).execute();
}

export interface PackListRow {
  id: string;
  round_id: string;
  pseudonym: number;
  stratum: string;
  pack: string;
  reviews: number;
  agreed_at: string | null;
}

/** A round's packs in pseudonym order, with how many reviews each has and whether its findings are agreed. */
export async function packsOf(db: Executor, roundId: string): Promise<PackListRow[]> {
  const rows = await db.selectFrom('scrutiny_cases')
    .leftJoin('scrutiny_findings', 'scrutiny_findings.scrutiny_case_id', 'scrutiny_cases.id')
    .select((eb) => [
      'scrutiny_cases.id', 'scrutiny_cases.round_id', 'scrutiny_cases.pseudonym', 'scrutiny_cases.stratum', 'scrutiny_cases.pack', 'scrutiny_findings.agreed_at',
      eb.selectFrom('scrutiny_reviews').select((r) => r.fn.countAll().as('n')).whereRef('scrutiny_reviews.scrutiny_case_id', '=', 'scrutiny_cases.id').as('reviews'),
    ])
    .where('scrutiny_cases.round_id', '=', roundId)
    .orderBy('scrutiny_cases.pseudonym')
    .execute();
  return rows.map((r) => ({ ...r, pseudonym: Number(r.pseudonym), reviews: Number(r.reviews ?? 0) }));
}

/** The packs a member has reviewed, of those listed. */
export async function reviewedBy(db: Executor, userId: string, packIds: readonly string[]): Promise<Set<string>> {
  if (packIds.length === 0) return new Set();
  const rows = await db.selectFrom('scrutiny_reviews').select('scrutiny_case_id').where('member_user_id', '=', userId).where('scrutiny_case_id', 'in', [...packIds]).execute();
  return new Set(rows.map((r) => r.scrutiny_case_id));
}

export async function findPack(db: Executor, id: string): Promise<ScrutinyCasesTable | undefined> {
  return db.selectFrom('scrutiny_cases').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function claimPack(db: Executor, id: string, expected: number): Promise<boolean> {
  const result = await db.updateTable('scrutiny_cases').set({ version: expected + 1 }).where('id', '=', id).where('version', '=', expected).executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

// Reviews and findings.

export interface ReviewRow extends ScrutinyReviewsTable {
  member_name: string;
}

export async function reviewsOf(db: Executor, packId: string): Promise<ReviewRow[]> {
  return db.selectFrom('scrutiny_reviews').innerJoin('users', 'users.id', 'scrutiny_reviews.member_user_id')
    .selectAll('scrutiny_reviews').select('users.display_name as member_name')
    .where('scrutiny_reviews.scrutiny_case_id', '=', packId)
    .orderBy('scrutiny_reviews.created_at').orderBy('scrutiny_reviews.id')
    .execute();
}

export async function insertReview(db: Executor, row: ScrutinyReviewsTable): Promise<void> {
  await db.insertInto('scrutiny_reviews').values(row).execute();
}

export async function updateReview(db: Executor, id: string, expected: number, changes: Omit<ScrutinyReviewsTable, 'id' | 'scrutiny_case_id' | 'member_user_id' | 'created_at' | 'version'>): Promise<boolean> {
  const result = await db.updateTable('scrutiny_reviews').set({ ...changes, version: expected + 1 }).where('id', '=', id).where('version', '=', expected).executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export interface FindingRow extends ScrutinyFindingsTable {
  agreed_by_name: string;
}

export async function findingsOf(db: Executor, packId: string): Promise<FindingRow | undefined> {
  return db.selectFrom('scrutiny_findings').innerJoin('users', 'users.id', 'scrutiny_findings.agreed_by')
    .selectAll('scrutiny_findings').select('users.display_name as agreed_by_name')
    .where('scrutiny_findings.scrutiny_case_id', '=', packId)
    .executeTakeFirst();
}

export async function insertFindings(db: Executor, row: ScrutinyFindingsTable): Promise<void> {
  await db.insertInto('scrutiny_findings').values(row).execute();
}

/** Every agreed finding of a panel, with its round, for the themes report. */
export async function panelFindings(db: Executor, panelId: string): Promise<(ScrutinyFindingsTable & { round_id: string })[]> {
  return db.selectFrom('scrutiny_findings').innerJoin('scrutiny_cases', 'scrutiny_cases.id', 'scrutiny_findings.scrutiny_case_id')
    .selectAll('scrutiny_findings').select('scrutiny_cases.round_id')
    .where('scrutiny_cases.panel_id', '=', panelId)
    .execute();
}

// Learning.

export async function insertLearning(db: Executor, rows: readonly ScrutinyLearningTable[]): Promise<void> {
  if (rows.length) await db.insertInto('scrutiny_learning').values([...rows]).execute();
}

export interface LearningRow extends ScrutinyLearningTable {
  case_id: string;
  round_id: string;
  period_from: string;
  period_to: string;
  panel_name: string;
}

const learningRows = (db: Executor) =>
  db.selectFrom('scrutiny_learning')
    .innerJoin('scrutiny_cases', 'scrutiny_cases.id', 'scrutiny_learning.scrutiny_case_id')
    .innerJoin('scrutiny_rounds', 'scrutiny_rounds.id', 'scrutiny_cases.round_id')
    .innerJoin('scrutiny_panels', 'scrutiny_panels.id', 'scrutiny_cases.panel_id')
    .selectAll('scrutiny_learning')
    .select(['scrutiny_cases.case_id', 'scrutiny_cases.round_id', 'scrutiny_rounds.period_from', 'scrutiny_rounds.period_to', 'scrutiny_panels.name as panel_name']);

export async function learningOf(db: Executor, userId: string): Promise<LearningRow[]> {
  return learningRows(db).where('scrutiny_learning.user_id', '=', userId).orderBy('scrutiny_learning.sent_at', 'desc').orderBy('scrutiny_learning.id', 'desc').limit(200).execute();
}

export async function findLearning(db: Executor, id: string): Promise<LearningRow | undefined> {
  return learningRows(db).where('scrutiny_learning.id', '=', id).executeTakeFirst();
}

/** Who learning was sent to about a pack (ids and case roles only). */
export async function learningRecipients(db: Executor, packId: string): Promise<{ user_id: string; case_role: string; display_name: string }[]> {
  return db.selectFrom('scrutiny_learning').innerJoin('users', 'users.id', 'scrutiny_learning.user_id')
    .select(['scrutiny_learning.user_id', 'scrutiny_learning.case_role', 'users.display_name'])
    .where('scrutiny_learning.scrutiny_case_id', '=', packId)
    .orderBy('scrutiny_learning.case_role').execute();
}

// Actions.

export interface ActionRow extends ScrutinyActionsTable {
  pseudonym: number | null;
}

const actionsWithPack = (db: Executor) =>
  db.selectFrom('scrutiny_actions').leftJoin('scrutiny_cases', 'scrutiny_cases.id', 'scrutiny_actions.scrutiny_case_id')
    .selectAll('scrutiny_actions').select('scrutiny_cases.pseudonym');

export async function actionsOf(db: Executor, panelId: string): Promise<ActionRow[]> {
  const rows = await actionsWithPack(db).where('scrutiny_actions.panel_id', '=', panelId)
    .orderBy(sql`case when scrutiny_actions.status = 'done' then 1 else 0 end`).orderBy('scrutiny_actions.due_on').orderBy('scrutiny_actions.id').execute();
  return rows.map((r) => ({ ...r, pseudonym: r.pseudonym === null ? null : Number(r.pseudonym) }));
}

export async function findAction(db: Executor, panelId: string, id: string): Promise<ActionRow | undefined> {
  const row = await actionsWithPack(db).where('scrutiny_actions.panel_id', '=', panelId).where('scrutiny_actions.id', '=', id).executeTakeFirst();
  return row ? { ...row, pseudonym: row.pseudonym === null ? null : Number(row.pseudonym) } : undefined;
}

export async function insertAction(db: Executor, row: ScrutinyActionsTable): Promise<void> {
  await db.insertInto('scrutiny_actions').values(row).execute();
}

export async function updateAction(db: Executor, id: string, expected: number, changes: Pick<ScrutinyActionsTable, 'status' | 'updated_by' | 'updated_at'>): Promise<boolean> {
  const result = await db.updateTable('scrutiny_actions').set({ ...changes, version: expected + 1 }).where('id', '=', id).where('version', '=', expected).executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function insertActionUpdate(db: Executor, row: ScrutinyActionUpdatesTable): Promise<void> {
  await db.insertInto('scrutiny_action_updates').values(row).execute();
}

export interface ActionUpdateRow extends ScrutinyActionUpdatesTable {
  by_name: string;
}

export async function actionUpdatesOf(db: Executor, actionId: string): Promise<ActionUpdateRow[]> {
  return db.selectFrom('scrutiny_action_updates').innerJoin('users', 'users.id', 'scrutiny_action_updates.by_user_id')
    .selectAll('scrutiny_action_updates').select('users.display_name as by_name')
    .where('scrutiny_action_updates.action_id', '=', actionId)
    .orderBy('scrutiny_action_updates.at', 'desc').orderBy('scrutiny_action_updates.id', 'desc')
    .execute();
}
