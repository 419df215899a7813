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

export async function chainHead(db: Db): Promise<{ seq: number; hash: string }> {
  const head = await db.selectFrom('audit_chain_head').select(['seq', 'hash']).where('id', '=', 1).executeTakeFirstOrThrow();
  return { seq: Number(head.seq), hash: head.hash };
}

/** Journal rows in sequence order, a page at a time, for verification. */
export async function recordsAfter(db: Db, afterSeq: number, limit: number): Promise<AuditEventsTable[]> {
  const rows = await db.selectFrom('audit_events').selectAll().where('seq', '>', afterSeq).orderBy('seq').limit(limit).execute();
  return rows.map((row) => ({ ...row, seq: Number(row.seq) }));
}

export interface AuditSearch {
  readonly organisationId?: string | undefined;
  readonly actorUserId?: string | undefined;
  readonly action?: string | undefined;
  readonly objectId?: string | undefined;
  readonly subjectId?: string | undefined;
  readonly from?: string | undefined;
  readonly to?: string | undefined;
  readonly beforeSeq?: number | undefined;
  readonly limit: number;
}

/** Newest first, keyset-paginated on the sequence number. */
export async function searchRecords(db: Db, search: AuditSearch): Promise<AuditEventsTable[]> {
  let query = db.selectFrom('audit_events').selectAll();
  if (search.organisationId) query = query.where('actor_organisation_id', '=', search.organisationId);
  if (search.actorUserId) query = query.where('actor_user_id', '=', search.actorUserId);
  if (search.action) query = query.where('action', '=', search.action);
  if (search.objectId) query = query.where('object_id', '=', search.objectId);
  if (search.subjectId) query = query.where('subjects', 'like', `%${JSON.stringify(search.subjectId)}%`);
  if (search.from) query = query.where('at', '>=', search.from);
  if (search.to) query = query.where('at', '<', search.to);
  if (search.beforeSeq !== undefined) query = query.where('seq', '<', search.beforeSeq);
  const rows = await query.orderBy('seq', 'desc').limit(search.limit).execute();
  return rows.map((row) => ({ ...row, seq: Number(row.seq) }));
}

export async function countRecords(db: Db): Promise<number> {
  const row = await db.selectFrom('audit_events').select(sql<number>`count(*)`.as('n')).executeTakeFirstOrThrow();
  return Number(row.n);
}
