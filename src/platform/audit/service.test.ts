import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { engines, testDatabase } from '../../../test/support/databases.ts';
import type { TestDatabase } from '../../../test/support/databases.ts';
import type { Engine } from '../db/database.ts';
import { newId } from '../db/ids.ts';
import type { AuditEventsTable } from '../db/tables.ts';
import { inTransaction } from '../db/transaction.ts';
import type { Db, Tx } from '../db/transaction.ts';
import { chainHash, GENESIS_HASH, systemContext } from './model.ts';
import type { AuditEntry } from './model.ts';
import { createAuditJournal, verifyJournal } from './service.ts';
import type { AuditJournal } from './service.ts';

const KEY = Buffer.alloc(32, 7);

async function withJournal(engine: Engine, body: (database: TestDatabase, journal: AuditJournal) => Promise<void>): Promise<void> {
  const database = await testDatabase(engine);
  try {
    await body(database, createAuditJournal(database.db, engine, KEY, () => new Date()));
  } finally {
    await database.dispose();
  }
}

const entry = (n: number): AuditEntry => ({ action: 'consult', event: 'test.read', objectType: 'thing', objectId: newId(), subjects: [newId()], details: { n } });

async function recordMany(journal: AuditJournal, count: number): Promise<void> {
  for (let n = 1; n <= count; n += 1) await journal.audited(systemContext(), entry(n), async () => n);
}

async function rows(database: TestDatabase): Promise<AuditEventsTable[]> {
  const all = await database.db.selectFrom('audit_events').selectAll().orderBy('seq').execute();
  return all.map((row) => ({ ...row, seq: Number(row.seq) }));
}

/** Replaces a row wholesale, as someone with write access to the table could. */
async function replaceRow(database: TestDatabase, seq: number, row: AuditEventsTable): Promise<void> {
  await database.db.deleteFrom('audit_events').where('seq', '=', seq).execute();
  await database.db.insertInto('audit_events').values(row).execute();
}

for (const engine of engines) {
  test(`${engine}: entries are chained in order and an intact journal verifies`, async () => {
    await withJournal(engine, async (database, journal) => {
      await recordMany(journal, 5);
      const chain = await rows(database);
      assert.deepEqual(chain.map((row) => row.seq), [1, 2, 3, 4, 5]);
      assert.equal(chain[0]!.prev_hash, GENESIS_HASH);
      for (let i = 1; i < chain.length; i += 1) assert.equal(chain[i]!.prev_hash, chain[i - 1]!.hash);
      const head = await database.db.selectFrom('audit_chain_head').selectAll().executeTakeFirstOrThrow();
      assert.deepEqual([Number(head.seq), head.hash], [5, chain[4]!.hash]);
      assert.deepEqual(await verifyJournal(database.db, KEY), { ok: true, checked: 5, problems: [] });
    });
  });

  test(`${engine}: an empty journal verifies`, async () => {
    await withJournal(engine, async (database) => {
      assert.deepEqual(await verifyJournal(database.db, KEY), { ok: true, checked: 0, problems: [] });
    });
  });

  test(`${engine}: verification finds a row edited in place`, async () => {
    await withJournal(engine, async (database, journal) => {
      await recordMany(journal, 5);
      await database.db.updateTable('audit_events').set({ outcome: 'failure' }).where('seq', '=', 3).execute();
      assert.deepEqual(await verifyJournal(database.db, KEY), { ok: false, checked: 5, problems: ['row 3 has been edited'] });
    });
  });

  test(`${engine}: verification finds a row deleted from the middle`, async () => {
    await withJournal(engine, async (database, journal) => {
      await recordMany(journal, 5);
      await database.db.deleteFrom('audit_events').where('seq', '=', 3).execute();
      const result = await verifyJournal(database.db, KEY);
      assert.equal(result.ok, false);
      assert.deepEqual(result.problems, ['row 3 is missing', 'row 4 does not follow the row before it (deleted or reordered)']);
    });
  });

  test(`${engine}: verification finds the last row deleted (the head no longer matches)`, async () => {
    await withJournal(engine, async (database, journal) => {
      await recordMany(journal, 5);
      await database.db.deleteFrom('audit_events').where('seq', '=', 5).execute();
      const result = await verifyJournal(database.db, KEY);
      assert.equal(result.ok, false);
      assert.equal(result.checked, 4);
      assert.match(result.problems.join('\n'), /ends at row 4 but its head says 5/);
    });
  });

  test(`${engine}: verification finds two rows whose contents were swapped, keeping their sequence numbers`, async () => {
    await withJournal(engine, async (database, journal) => {
      await recordMany(journal, 5);
      const [, second, third] = await rows(database);
      await database.db.deleteFrom('audit_events').where('seq', 'in', [2, 3]).execute();
      await database.db.insertInto('audit_events').values([{ ...third!, seq: 2 }, { ...second!, seq: 3 }]).execute();
      const result = await verifyJournal(database.db, KEY);
      assert.equal(result.ok, false);
      assert.ok(result.problems.includes('row 2 does not follow the row before it (deleted or reordered)'), result.problems.join('\n'));
      assert.ok(result.problems.includes('row 2 has been edited'), result.problems.join('\n'));
      assert.ok(result.problems.includes('row 3 has been edited'), result.problems.join('\n'));
    });
  });

  test(`${engine}: verification finds two rows whose sequence numbers were swapped`, async () => {
    await withJournal(engine, async (database, journal) => {
      await recordMany(journal, 5);
      await inTransaction(database.db, async (tx) => {
        await tx.updateTable('audit_events').set({ seq: -2 }).where('seq', '=', 2).execute();
        await tx.updateTable('audit_events').set({ seq: 2 }).where('seq', '=', 3).execute();
        await tx.updateTable('audit_events').set({ seq: 3 }).where('seq', '=', -2).execute();
      });
      const result = await verifyJournal(database.db, KEY);
      assert.equal(result.ok, false);
      for (const problem of ['row 2 does not follow the row before it (deleted or reordered)', 'row 2 has been edited', 'row 3 does not follow the row before it (deleted or reordered)', 'row 3 has been edited']) {
        assert.ok(result.problems.includes(problem), `${problem} not in:\n${result.problems.join('\n')}`);
      }
    });
  });

  test(`${engine}: verification finds rows forged by someone without the key, even with a consistent chain and head`, async () => {
    await withJournal(engine, async (database, journal) => {
      await recordMany(journal, 5);
      const chain = await rows(database);
      // The forger changes row 3 and re-links everything after it with a key of their own.
      const forgerKey = Buffer.alloc(32, 9);
      let prevHash = chain[1]!.hash;
      for (const row of chain.slice(2)) {
        const { prev_hash: _prev, hash: _hash, ...record } = row.seq === 3 ? { ...row, outcome: 'failure' } : row;
        const hash = chainHash(forgerKey, prevHash, record);
        await replaceRow(database, row.seq, { ...record, prev_hash: prevHash, hash });
        prevHash = hash;
      }
      await database.db.updateTable('audit_chain_head').set({ hash: prevHash }).where('id', '=', 1).execute();
      assert.deepEqual(await verifyJournal(database.db, forgerKey).then((r) => r.problems), ['row 1 has been edited', 'row 2 has been edited'], 'the forgery is consistent from row 3 under its own key');
      const result = await verifyJournal(database.db, KEY);
      assert.deepEqual(result.problems, ['row 3 has been edited', 'row 4 has been edited', 'row 5 has been edited']);
    });
  });

  test(`${engine}: a row added after the head without moving it is found`, async () => {
    await withJournal(engine, async (database, journal) => {
      await recordMany(journal, 3);
      const [, , third] = await rows(database);
      const record = { ...third!, seq: 4, id: newId(), prev_hash: third!.hash };
      await database.db.insertInto('audit_events').values(record).execute();
      const result = await verifyJournal(database.db, KEY);
      assert.equal(result.ok, false);
      assert.match(result.problems.join('\n'), /rows after 3 \(up to 4\) were added without moving the journal's head/);
    });
  });

  test(`${engine}: an entry recorded in a transaction that rolls back leaves nothing, and the chain stays valid`, async () => {
    await withJournal(engine, async (database, journal) => {
      await recordMany(journal, 2);
      await assert.rejects(
        inTransaction(database.db, async (tx) => {
          await journal.record(tx, systemContext(), entry(3));
          throw new Error('the change failed after its entry was written');
        }),
        /the change failed/,
      );
      assert.deepEqual((await rows(database)).map((row) => row.seq), [1, 2]);
      assert.deepEqual(await verifyJournal(database.db, KEY), { ok: true, checked: 2, problems: [] });
      await journal.audited(systemContext(), entry(4), async () => undefined);
      assert.deepEqual((await rows(database)).map((row) => row.seq), [1, 2, 3]);
      assert.deepEqual(await verifyJournal(database.db, KEY), { ok: true, checked: 3, problems: [] });
    });
  });

  test(`${engine}: 50 audited transactions in parallel make a gapless chain that verifies`, async () => {
    await withJournal(engine, async (database, journal) => {
      const results = await Promise.all(Array.from({ length: 50 }, (_, i) =>
        journal.audited(systemContext(), (n: number) => entry(n), async (tx) => {
          await insertOrganisation(tx, `ORG${i}`);
          return i;
        })));
      assert.deepEqual(results, Array.from({ length: 50 }, (_, i) => i));
      const chain = await rows(database);
      assert.deepEqual(chain.map((row) => row.seq), Array.from({ length: 50 }, (_, i) => i + 1));
      const recorded = chain.map((row) => (JSON.parse(row.details) as { n: number }).n).sort((a, b) => a - b);
      assert.deepEqual(recorded, results, 'each transaction wrote exactly one entry');
      assert.equal(await organisationCount(database), 50);
      assert.deepEqual(await verifyJournal(database.db, KEY), { ok: true, checked: 50, problems: [] });
    });
  });

  test(`${engine}: verifying while entries are being appended reports no false problems`, async () => {
    await withJournal(engine, async (database, journal) => {
      const writes = Promise.all(Array.from({ length: 50 }, (_, n) => journal.audited(systemContext(), entry(n), async () => n)));
      const checks: Promise<{ ok: boolean; problems: string[] }>[] = [];
      for (let i = 0; i < 10; i += 1) {
        checks.push(verifyJournal(database.db, KEY));
        await new Promise((resolve) => setImmediate(resolve));
      }
      await writes;
      for (const result of await Promise.all(checks)) assert.deepEqual(result.problems, []);
      assert.deepEqual(await verifyJournal(database.db, KEY), { ok: true, checked: 50, problems: [] });
    });
  });

  test(`${engine}: when the audit entry cannot be written, audited returns nothing and the work is rolled back`, async () => {
    await withJournal(engine, async (database, journal) => {
      await sql`alter table audit_events rename to audit_events_moved`.execute(database.db);
      let returned: unknown;
      await assert.rejects(async () => {
        returned = await journal.audited(systemContext(), entry(1), async (tx) => {
          await insertOrganisation(tx, 'AVS');
          return 'personal data';
        });
      });
      assert.equal(returned, undefined);
      assert.equal(await organisationCount(database), 0);
    });
  });

  test(`${engine}: an entry the journal refuses (a missing action) rolls back the work with it`, async () => {
    await withJournal(engine, async (database, journal) => {
      const invalid = { ...entry(1), action: null } as unknown as AuditEntry;
      await assert.rejects(journal.audited(systemContext(), invalid, async (tx) => insertOrganisation(tx, 'AVS')));
      assert.equal(await organisationCount(database), 0);
      assert.deepEqual(await verifyJournal(database.db, KEY), { ok: true, checked: 0, problems: [] });
    });
  });
}

async function insertOrganisation(db: Db | Tx, code: string): Promise<string> {
  const id = newId();
  const now = new Date().toISOString();
  await db.insertInto('organisations').values({ id, code, name: code, kind: 'police_force', created_at: now, updated_at: now, version: 1 }).execute();
  return id;
}

async function organisationCount(database: TestDatabase): Promise<number> {
  const row = await database.db.selectFrom('organisations').select(sql<number>`count(*)`.as('n')).executeTakeFirstOrThrow();
  return Number(row.n);
}
