// Writing and verifying the audit journal.
import type { Engine } from '../db/database.ts';
import { newId } from '../db/ids.ts';
import type { Db, Tx } from '../db/transaction.ts';
import { inTransaction } from '../db/transaction.ts';
import { chainHash, GENESIS_HASH } from './model.ts';
import type { AuditContext, AuditEntry, AuditRecord } from './model.ts';
import * as repository from './repository.ts';

export interface AuditJournal {
  /** Appends an entry inside the caller's transaction: it commits or rolls back with the change. */
  record(tx: Tx, context: AuditContext, entry: AuditEntry): Promise<void>;
  /** Runs `work` and records `entry` in one transaction; if the entry cannot be written, nothing is returned. */
  audited<T>(context: AuditContext, entry: AuditEntry | ((result: T) => AuditEntry), work: (tx: Tx) => Promise<T>): Promise<T>;
}

export function createAuditJournal(db: Db, engine: Engine, key: Buffer, now: () => Date): AuditJournal {
  const journal: AuditJournal = {
    async record(tx, context, entry) {
      const head = await repository.lockChainHead(tx, engine);
      const record: AuditRecord = {
        seq: head.seq + 1,
        id: newId(),
        at: now().toISOString(),
        actor_user_id: context.userId,
        actor_organisation_id: context.organisationId,
        actor_role: context.role,
        action: entry.action,
        object_type: entry.objectType ?? null,
        object_id: entry.objectId ?? null,
        subjects: JSON.stringify(entry.subjects ?? []),
        purpose: entry.purpose ?? null,
        request_id: context.requestId,
        outcome: entry.outcome ?? 'success',
        details: JSON.stringify({ event: entry.event, ...entry.details }),
      };
      await repository.appendRecord(tx, record, head.hash, chainHash(key, head.hash, record));
      context.written.count += 1;
    },
    audited(context, entry, work) {
      return inTransaction(db, async (tx) => {
        const result = await work(tx);
        await journal.record(tx, context, typeof entry === 'function' ? entry(result) : entry);
        return result;
      });
    },
  };
  return journal;
}

export interface VerifyResult {
  readonly ok: boolean;
  readonly checked: number;
  readonly problems: string[];
}

/** Walks the whole chain and reports every edited, missing or reordered row. */
export async function verifyJournal(db: Db, key: Buffer, onProgress?: (checked: number) => void): Promise<VerifyResult> {
  const problems: string[] = [];
  let prevHash = GENESIS_HASH;
  let expectedSeq = 1;
  let checked = 0;
  for (;;) {
    const page = await repository.recordsAfter(db, expectedSeq - 1, 5000);
    if (page.length === 0) break;
    for (const row of page) {
      if (row.seq !== expectedSeq) problems.push(`row ${expectedSeq}${row.seq > expectedSeq + 1 ? `–${row.seq - 1}` : ''} is missing`);
      if (row.prev_hash !== prevHash) problems.push(`row ${row.seq} does not follow the row before it (deleted or reordered)`);
      const { prev_hash: _prevHash, hash, ...record } = row;
      if (chainHash(key, row.prev_hash, record) !== hash) problems.push(`row ${row.seq} has been edited`);
      prevHash = hash;
      expectedSeq = row.seq + 1;
      checked += 1;
    }
    onProgress?.(checked);
  }
  const head = await repository.chainHead(db);
  if (head.seq !== expectedSeq - 1 || head.hash !== prevHash) {
    problems.push(`the journal ends at row ${expectedSeq - 1} but its head says ${head.seq}: rows at the end were removed or the head was changed`);
  }
  return { ok: problems.length === 0, checked, problems };
}
