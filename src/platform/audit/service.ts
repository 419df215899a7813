// Writing and verifying the audit journal.
import { auditScope } from '../access/policy.ts';
import type { Actor } from '../access/policy.ts';
import { normaliseEmail } from '../auth/model.ts';
import type { Engine } from '../db/database.ts';
import { newId } from '../db/ids.ts';
import type { Db, Tx } from '../db/transaction.ts';
import { inTransaction } from '../db/transaction.ts';
import type { Platform } from '../platform.ts';
import { Problem } from '../web/errors.ts';
import { chainHash, GENESIS_HASH, instantRange } from './model.ts';
import type { AuditContext, AuditCursor, AuditEntry, AuditFilters, AuditRecord } from './model.ts';
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

/**
 * Walks the chain up to its head and reports every edited, missing or
 * reordered row. The head is read first: rows appended while the walk runs
 * lie beyond it and are left for the next check.
 */
export async function verifyJournal(db: Db, key: Buffer, onProgress?: (checked: number) => void): Promise<VerifyResult> {
  const problems: string[] = [];
  const head = await repository.chainSnapshot(db);
  if (head.lastSeq > head.seq) problems.push(`rows after ${head.seq} (up to ${head.lastSeq}) were added without moving the journal's head`);
  let prevHash = GENESIS_HASH;
  let expectedSeq = 1;
  let checked = 0;
  for (;;) {
    const page = await repository.recordsBetween(db, expectedSeq - 1, head.seq, 5000);
    if (page.length === 0) break;
    for (const row of page) {
      if (row.seq === expectedSeq + 1) problems.push(`row ${expectedSeq} is missing`);
      else if (row.seq > expectedSeq) problems.push(`rows ${expectedSeq} to ${row.seq - 1} are missing`);
      if (row.prev_hash !== prevHash) problems.push(`row ${row.seq} does not follow the row before it (deleted or reordered)`);
      const { prev_hash: _prevHash, hash, ...record } = row;
      if (chainHash(key, row.prev_hash, record) !== hash) problems.push(`row ${row.seq} has been edited`);
      prevHash = hash;
      expectedSeq = row.seq + 1;
      checked += 1;
    }
    onProgress?.(checked);
  }
  if (head.seq !== expectedSeq - 1) {
    problems.push(`the journal ends at row ${expectedSeq - 1} but its head says ${head.seq}: rows at the end were removed or the head was changed`);
  } else if (head.hash !== prevHash) {
    problems.push(`the journal's head does not match row ${head.seq}: the head was changed`);
  }
  return { ok: problems.length === 0, checked, problems };
}

/** One journal entry as an auditor sees it. */
export interface JournalEntry {
  readonly seq: number;
  readonly id: string;
  readonly at: string;
  readonly actor: {
    readonly userId: string | null;
    readonly name: string | null;
    readonly organisationId: string | null;
    readonly organisationName: string | null;
    readonly role: string | null;
  };
  readonly action: string;
  readonly event: string;
  readonly objectType: string | null;
  readonly objectId: string | null;
  readonly subjects: string[];
  readonly purpose: string | null;
  readonly requestId: string | null;
  readonly outcome: string;
  readonly details: Record<string, string | number | boolean | null>;
}

export interface JournalPage {
  readonly entries: JournalEntry[];
  /** Where the next older page starts, if there is one. */
  readonly older: AuditCursor | undefined;
  /** Where the next newer page starts, if there is one. */
  readonly newer: AuditCursor | undefined;
}

export const PAGE_SIZE = 50;

/**
 * Searches the journal within what the auditor may see (their organisation's
 * entries, or all of them for a national auditor) and records the search as a
 * consultation in the same transaction: if it cannot be recorded, nothing is shown.
 */
export async function searchJournal(
  platform: Platform,
  actor: Actor,
  filters: AuditFilters,
  cursor: AuditCursor,
  context: AuditContext,
  limit = PAGE_SIZE,
): Promise<JournalPage> {
  const scope = auditScope(actor);
  if (scope === 'none') throw new Problem('forbidden');
  const range = instantRange(filters);
  const search: repository.AuditSearch = {
    organisationId: scope === 'all' ? undefined : scope.organisationId,
    actorUserId: filters.person,
    action: filters.action,
    objectId: filters.object,
    subjectId: filters.subject,
    from: range.from,
    until: range.until,
    beforeSeq: cursor.after === undefined ? cursor.before : undefined,
    afterSeq: cursor.after,
    limit: limit + 1, // one more than shown, to know whether another page follows
  };
  const consultation = (page: JournalPage): AuditEntry => ({
    action: 'consult',
    event: 'audit.search',
    objectType: 'audit_journal',
    subjects: [filters.person, filters.subject].filter((id) => id !== undefined),
    details: definedOnly({
      ...filters,
      ...cursor,
      scope: scope === 'all' ? 'all' : 'organisation',
      entries: page.entries.length,
      newest: page.entries[0]?.seq,
      oldest: page.entries.at(-1)?.seq,
    }),
  });
  return platform.audit.audited(context, consultation, async (tx) => {
    const rows = await repository.searchRecords(tx, search);
    const more = rows.length > limit;
    const shown = rows.slice(0, limit);
    if (cursor.after !== undefined) shown.reverse();
    const entries = shown.map(toJournalEntry);
    const newest = entries[0]?.seq;
    const oldest = entries.at(-1)?.seq;
    // Paging from a cursor implies entries on its other side; an empty page
    // (a hand-made address) offers the way back to where entries are.
    const hasOlder = cursor.after !== undefined || more;
    const hasNewer = cursor.after !== undefined ? more : cursor.before !== undefined;
    return {
      entries,
      older: hasOlder ? { before: oldest ?? (cursor.after ?? 0) + 1 } : undefined,
      newer: hasNewer ? { after: newest ?? (cursor.before ?? 1) - 1 } : undefined,
    };
  });
}

/**
 * The user id of the person with this email address, when the auditor may
 * search for them: anyone for a national auditor, otherwise members of the
 * auditor's organisation.
 */
export async function findPersonId(platform: Platform, actor: Actor, email: string): Promise<string | undefined> {
  const scope = auditScope(actor);
  if (scope === 'none') return undefined;
  return repository.personIdByEmail(platform.db, normaliseEmail(email), scope === 'all' ? undefined : scope.organisationId);
}

/** Verifies the whole journal and records that it was checked, with the outcome. */
export async function checkJournal(platform: Platform, context: AuditContext): Promise<VerifyResult> {
  const result = await verifyJournal(platform.db, platform.config.secretKey);
  await platform.audit.audited(context, {
    action: 'consult',
    event: 'audit.verify',
    objectType: 'audit_journal',
    outcome: result.ok ? 'success' : 'failure',
    details: { checked: result.checked, problems: result.problems.length },
  }, async () => undefined);
  return result;
}

function toJournalEntry(row: repository.AuditSearchRow): JournalEntry {
  const { event, ...details } = JSON.parse(row.details) as Record<string, string | number | boolean | null>;
  return {
    seq: row.seq,
    id: row.id,
    at: row.at,
    actor: {
      userId: row.actor_user_id,
      name: row.actor_name,
      organisationId: row.actor_organisation_id,
      organisationName: row.actor_organisation_name,
      role: row.actor_role,
    },
    action: row.action,
    event: String(event ?? ''),
    objectType: row.object_type,
    objectId: row.object_id,
    subjects: JSON.parse(row.subjects) as string[],
    purpose: row.purpose,
    requestId: row.request_id,
    outcome: row.outcome,
    details,
  };
}

function definedOnly(values: Record<string, string | number | undefined>): Record<string, string | number> {
  return Object.fromEntries(Object.entries(values).filter(([, value]) => value !== undefined)) as Record<string, string | number>;
}
