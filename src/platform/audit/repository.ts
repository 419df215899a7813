// SQL for the audit journal.
import { sql } from 'kysely';
import type { Engine } from '../db/database.ts';
import type { Db, Tx } from '../db/transaction.ts';
import type { AuditEventsTable } from '../db/tables.ts';
import type { AuditRecord } from './model.ts';

/** Reads the chain head, locking it until the transaction ends. */
export async function lockChainHead(tx: Tx, engine: Engine): Promise<{ seq: number; hash: string }> {
  // SQLite transactions here begin IMMEDIATE and so already hold the write lock.
  const query = tx.selectFrom('audit_chain_head').select(['seq', 'hash']).where('id', '=', 1);
  const head = await (engine === 'postgres' ? query.forUpdate() : query).executeTakeFirstOrThrow();
  return { seq: Number(head.seq), hash: head.hash };
}

export async function appendRecord(tx: Tx, record: AuditRecord, prevHash: string, hash: string): Promise<void> {
  await tx.insertInto('audit_events').values({ ...record, prev_hash: prevHash, hash }).execute();
  await tx.updateTable('audit_chain_head').set({ seq: record.seq, hash }).where('id', '=', 1).execute();
}

/**
 * The head and the highest sequence number in one statement, so both come
 * from the same moment even while other transactions append.
 */
export async function chainSnapshot(db: Db): Promise<{ seq: number; hash: string; lastSeq: number }> {
  const row = await db
    .selectFrom('audit_chain_head')
    .select((eb) => ['seq', 'hash', eb.selectFrom('audit_events').select((inner) => inner.fn.max('seq').as('m')).as('last_seq')])
    .where('id', '=', 1)
    .executeTakeFirstOrThrow();
  return { seq: Number(row.seq), hash: row.hash, lastSeq: Number(row.last_seq ?? 0) };
}

/** Journal rows after `afterSeq` up to and including `throughSeq`, in sequence order, a page at a time. */
export async function recordsBetween(db: Db, afterSeq: number, throughSeq: number, limit: number): Promise<AuditEventsTable[]> {
  const rows = await db
    .selectFrom('audit_events')
    .selectAll()
    .where('seq', '>', afterSeq)
    .where('seq', '<=', throughSeq)
    .orderBy('seq')
    .limit(limit)
    .execute();
  return rows.map((row) => ({ ...row, seq: Number(row.seq) }));
}

export interface AuditSearch {
  readonly organisationId?: string | undefined;
  readonly actorUserId?: string | undefined;
  readonly action?: string | undefined;
  readonly objectId?: string | undefined;
  readonly subjectId?: string | undefined;
  /** Instants, ISO-8601 UTC: from inclusive, until exclusive. */
  readonly from?: string | undefined;
  readonly until?: string | undefined;
  readonly beforeSeq?: number | undefined;
  readonly afterSeq?: number | undefined;
  readonly limit: number;
}

export interface AuditSearchRow extends AuditEventsTable {
  readonly actor_name: string | null;
  readonly actor_organisation_name: string | null;
}

/**
 * Keyset-paginated on the sequence number: newest first, or, after
 * `afterSeq`, oldest first (the caller reverses that page).
 */
export async function searchRecords(db: Db | Tx, search: AuditSearch): Promise<AuditSearchRow[]> {
  let query = db
    .selectFrom('audit_events')
    .leftJoin('users', 'users.id', 'audit_events.actor_user_id')
    .leftJoin('organisations', 'organisations.id', 'audit_events.actor_organisation_id')
    .selectAll('audit_events')
    .select(['users.display_name as actor_name', 'organisations.name as actor_organisation_name']);
  if (search.organisationId) query = query.where('audit_events.actor_organisation_id', '=', search.organisationId);
  if (search.actorUserId) query = query.where('audit_events.actor_user_id', '=', search.actorUserId);
  if (search.action) query = query.where('audit_events.action', '=', search.action);
  if (search.objectId) query = query.where('audit_events.object_id', '=', search.objectId);
  // Subjects are a JSON array of ids; ids hold no LIKE wildcards.
  if (search.subjectId) query = query.where('audit_events.subjects', 'like', `%${JSON.stringify(search.subjectId)}%`);
  if (search.from) query = query.where('audit_events.at', '>=', search.from);
  if (search.until) query = query.where('audit_events.at', '<', search.until);
  if (search.beforeSeq !== undefined) query = query.where('audit_events.seq', '<', search.beforeSeq);
  if (search.afterSeq !== undefined) query = query.where('audit_events.seq', '>', search.afterSeq);
  const rows = await query.orderBy('audit_events.seq', search.afterSeq !== undefined ? 'asc' : 'desc').limit(search.limit).execute();
  return rows.map((row) => ({ ...row, seq: Number(row.seq) }));
}

/** The id of the person with this (normalised) email address, if they belong to the organisation given. */
export async function personIdByEmail(db: Db, email: string, organisationId: string | undefined): Promise<string | undefined> {
  let query = db.selectFrom('users').select('users.id').where('users.email', '=', email);
  if (organisationId) {
    query = query.where((eb) =>
      eb.exists(eb.selectFrom('memberships').select('memberships.id').whereRef('memberships.user_id', '=', 'users.id').where('memberships.organisation_id', '=', organisationId)));
  }
  return (await query.executeTakeFirst())?.id;
}

export async function countRecords(db: Db): Promise<number> {
  const row = await db.selectFrom('audit_events').select(sql<number>`count(*)`.as('n')).executeTakeFirstOrThrow();
  return Number(row.n);
}
