// The only SQL of published progress reports (and the look-ups of people an
// import needs). Plans themselves are written through the plans repository.
import type { Db, Tx } from '../../platform/db/transaction.ts';
import type { PlanPublicationsTable } from './tables.ts';
import './tables.ts';

type Executor = Db | Tx;

export interface PublicationRow extends PlanPublicationsTable {
  published_by_name: string | null;
}

const withPublisher = (db: Executor) =>
  db.selectFrom('plan_publications').leftJoin('users', 'users.id', 'plan_publications.published_by').select('users.display_name as published_by_name');

export async function publicationsOf(db: Executor, planId: string): Promise<Omit<PublicationRow, 'snapshot'>[]> {
  return withPublisher(db)
    .select(['plan_publications.id', 'plan_publications.plan_id', 'plan_publications.edition', 'plan_publications.title', 'plan_publications.published_on', 'plan_publications.published_at', 'plan_publications.published_by', 'plan_publications.revision'])
    .where('plan_publications.plan_id', '=', planId).orderBy('plan_publications.edition', 'desc').execute();
}

export async function findPublication(db: Executor, planId: string, id: string): Promise<PublicationRow | undefined> {
  return withPublisher(db).selectAll('plan_publications').where('plan_publications.plan_id', '=', planId).where('plan_publications.id', '=', id).executeTakeFirst();
}

export async function lastEdition(db: Executor, planId: string): Promise<number> {
  const row = await db.selectFrom('plan_publications').select((eb) => eb.fn.max('edition').as('edition')).where('plan_id', '=', planId).executeTakeFirst();
  return Number(row?.edition ?? 0);
}

/** A new edition; the unique (plan, edition) constraint refuses a second one of the same number. */
export async function insertPublication(db: Executor, row: PlanPublicationsTable): Promise<void> {
  await db.insertInto('plan_publications').values(row).execute();
}

/** People of an organisation who may sign in, by email address (lower case): who may lead its actions. */
export async function membersByEmail(db: Executor, organisationId: string, emails: readonly string[]): Promise<Map<string, string>> {
  if (emails.length === 0) return new Map();
  const rows = await db.selectFrom('users').innerJoin('memberships', 'memberships.user_id', 'users.id').select(['users.id', 'users.email']).distinct()
    .where('memberships.organisation_id', '=', organisationId).where((eb) => eb(eb.fn('lower', ['users.email']), 'in', [...emails])).where('users.disabled_at', 'is', null).execute();
  return new Map(rows.map((row) => [row.email.toLowerCase(), row.id]));
}

export async function emailsOf(db: Executor, userIds: readonly string[]): Promise<Map<string, string>> {
  if (userIds.length === 0) return new Map();
  const rows = await db.selectFrom('users').select(['id', 'email']).where('id', 'in', [...userIds]).execute();
  return new Map(rows.map((row) => [row.id, row.email]));
}
