// SQL for organisations, teams, people and their roles.
import { sql } from 'kysely';
import type { Db, Tx } from '../db/transaction.ts';
import type { MembershipsTable, OrganisationKind, OrganisationsTable, TeamsTable, UsersTable } from '../db/tables.ts';

type Executor = Db | Tx;

export interface MembershipRow {
  organisation_id: string;
  organisation_code: string;
  organisation_name: string;
  organisation_kind: OrganisationKind;
  role: string;
  team_id: string | null;
  team_name: string | null;
}

export async function membershipsOf(db: Executor, userId: string): Promise<MembershipRow[]> {
  return db
    .selectFrom('memberships')
    .innerJoin('organisations', 'organisations.id', 'memberships.organisation_id')
    .leftJoin('teams', 'teams.id', 'memberships.team_id')
    .select([
      'memberships.organisation_id',
      'organisations.code as organisation_code',
      'organisations.name as organisation_name',
      'organisations.kind as organisation_kind',
      'memberships.role',
      'memberships.team_id',
      'teams.name as team_name',
    ])
    .where('memberships.user_id', '=', userId)
    .orderBy('organisations.name')
    .orderBy('memberships.role')
    .execute();
}

export async function findUserById(db: Executor, id: string): Promise<UsersTable | undefined> {
  return db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function findUserByEmail(db: Executor, email: string): Promise<UsersTable | undefined> {
  return db.selectFrom('users').selectAll().where('email', '=', email).executeTakeFirst();
}

export async function findUserByOidcIdentity(db: Executor, issuer: string, subject: string): Promise<UsersTable | undefined> {
  return db.selectFrom('users').selectAll().where('oidc_issuer', '=', issuer).where('oidc_subject', '=', subject).executeTakeFirst();
}

export async function insertUser(db: Executor, user: UsersTable): Promise<void> {
  await db.insertInto('users').values(user).execute();
}

/** Optimistic update: returns false when the row's version has moved on. */
export async function updateUser(db: Executor, id: string, expectedVersion: number, changes: Partial<Omit<UsersTable, 'id' | 'version'>>): Promise<boolean> {
  const result = await db
    .updateTable('users')
    .set({ ...changes, version: expectedVersion + 1 })
    .where('id', '=', id)
    .where('version', '=', expectedVersion)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function listOrganisations(db: Executor): Promise<OrganisationsTable[]> {
  return db.selectFrom('organisations').selectAll().orderBy('kind').orderBy('name').execute();
}

export async function findOrganisation(db: Executor, id: string): Promise<OrganisationsTable | undefined> {
  return db.selectFrom('organisations').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function findOrganisationByCode(db: Executor, code: string): Promise<OrganisationsTable | undefined> {
  return db.selectFrom('organisations').selectAll().where('code', '=', code).executeTakeFirst();
}

export async function insertOrganisation(db: Executor, organisation: OrganisationsTable): Promise<void> {
  await db.insertInto('organisations').values(organisation).execute();
}

export async function updateOrganisation(db: Executor, id: string, expectedVersion: number, changes: Partial<Pick<OrganisationsTable, 'name' | 'updated_at'>>): Promise<boolean> {
  const result = await db
    .updateTable('organisations')
    .set({ ...changes, version: expectedVersion + 1 })
    .where('id', '=', id)
    .where('version', '=', expectedVersion)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function teamsOf(db: Executor, organisationId: string): Promise<TeamsTable[]> {
  return db.selectFrom('teams').selectAll().where('organisation_id', '=', organisationId).orderBy('name').execute();
}

export async function insertTeam(db: Executor, team: TeamsTable): Promise<void> {
  await db.insertInto('teams').values(team).execute();
}

export async function insertMembership(db: Executor, membership: MembershipsTable): Promise<void> {
  await db.insertInto('memberships').values(membership).execute();
}

export async function deleteMembership(db: Executor, userId: string, organisationId: string, role: string): Promise<number> {
  const result = await db
    .deleteFrom('memberships')
    .where('user_id', '=', userId)
    .where('organisation_id', '=', organisationId)
    .where('role', '=', role)
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}

export interface PersonRow {
  id: string;
  email: string;
  display_name: string;
  disabled_at: string | null;
  mfa_enrolled_at: string | null;
  roles: string[];
}

/** People with a role in the organisation, a page at a time, sorted by name. */
export async function peopleIn(db: Executor, organisationId: string, offset: number, limit: number): Promise<{ rows: PersonRow[]; total: number }> {
  const members = db.selectFrom('memberships').select('user_id').where('organisation_id', '=', organisationId);
  const users = await db
    .selectFrom('users')
    .select(['id', 'email', 'display_name', 'disabled_at', 'mfa_enrolled_at'])
    .where('id', 'in', members)
    .orderBy('display_name')
    .orderBy('id')
    .offset(offset)
    .limit(limit)
    .execute();
  const roles = users.length === 0
    ? []
    : await db
        .selectFrom('memberships')
        .select(['user_id', 'role'])
        .where('organisation_id', '=', organisationId)
        .where('user_id', 'in', users.map((u) => u.id))
        .orderBy('role')
        .execute();
  const total = await db
    .selectFrom('memberships')
    .select(sql<number>`count(distinct user_id)`.as('n'))
    .where('organisation_id', '=', organisationId)
    .executeTakeFirstOrThrow();
  return {
    rows: users.map((u) => ({ ...u, roles: roles.filter((r) => r.user_id === u.id).map((r) => r.role) })),
    total: Number(total.n),
  };
}

export async function countOrganisations(db: Executor): Promise<number> {
  const row = await db.selectFrom('organisations').select(sql<number>`count(*)`.as('n')).executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function findTeam(db: Executor, id: string): Promise<TeamsTable | undefined> {
  return db.selectFrom('teams').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function findTeamByName(db: Executor, organisationId: string, name: string): Promise<TeamsTable | undefined> {
  return db.selectFrom('teams').selectAll().where('organisation_id', '=', organisationId).where('name', '=', name).executeTakeFirst();
}

export interface PersonWithMemberships {
  id: string;
  email: string;
  display_name: string;
  disabled_at: string | null;
  mfa_enrolled_at: string | null;
  memberships: { organisation_code: string; role: string }[];
}

/** Everyone (or everyone with a role in one organisation), by email address, with all their roles. */
export async function listPeople(db: Executor, organisationId?: string): Promise<PersonWithMemberships[]> {
  let users = db.selectFrom('users').select(['id', 'email', 'display_name', 'disabled_at', 'mfa_enrolled_at']);
  if (organisationId) {
    users = users.where('id', 'in', db.selectFrom('memberships').select('user_id').where('organisation_id', '=', organisationId));
  }
  const rows = await users.orderBy('email').execute();
  const memberships = await db
    .selectFrom('memberships')
    .innerJoin('organisations', 'organisations.id', 'memberships.organisation_id')
    .select(['memberships.user_id', 'organisations.code as organisation_code', 'memberships.role'])
    .orderBy('organisations.code')
    .orderBy('memberships.role')
    .execute();
  const byUser = Map.groupBy(memberships, (m) => m.user_id);
  return rows.map((user) => ({
    ...user,
    memberships: (byUser.get(user.id) ?? []).map(({ organisation_code, role }) => ({ organisation_code, role })),
  }));
}

/** Whether a write failed on a unique constraint (a duplicate code, name or email), on either engine. */
export function isUniqueViolation(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY' || code === '23505';
}
