// Property: concurrent edits of the same case lose no update. 1,000 random
// interleavings (in rounds, one per case per round, on a handful of cases)
// of adding people, allocating roles, manual stage moves and kernel commands
// with any stage, each claiming the version it read (freshly, or one left
// over from an earlier round), all run at once. Afterwards:
// - every command succeeded or was refused as a conflict or a validation error;
// - the case's version is 1 + the number of successes;
// - the journal holds one event per success (two for a kernel command that
//   also moved the stage), with seq contiguous from 1;
// - the audit journal has one alter/collect entry per success, and verifies;
// - every acknowledged change is there.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import fc from 'fast-check';
import { caseTestApp, worldCase } from '../../src/cases/test-support.ts';
import { verifyJournal } from '../../src/platform/audit/service.ts';
import { systemContext } from '../../src/platform/audit/model.ts';
import { engines } from '../support/databases.ts';
import { caseOps, KERNEL_EVENT, opArb } from './case-ops.ts';
import type { Acknowledged, Op } from './case-ops.ts';

const CASES = 5;
const INTERLEAVINGS = 1000;
const ROUNDS = INTERLEAVINGS / CASES;

/** One writer: when it reads the version, whether it claims a stale one instead, and when it writes. */
const writerArb = fc.record({
  op: opArb.filter((op) => op.kind !== 'break-glass' && !(op.kind === 'kernel' && op.by === 'colleague')),
  readAfterMs: fc.integer({ min: 0, max: 3 }),
  writeAfterMs: fc.integer({ min: 0, max: 3 }),
  stale: fc.boolean(),
});
const interleavingArb = fc.array(writerArb, { minLength: 2, maxLength: 4 });

for (const engine of engines) {
  test(`${engine}: property: ${INTERLEAVINGS} interleavings of concurrent commands lose no update`, { timeout: 240_000 }, async (t) => {
    const { t: app, w } = await caseTestApp(engine);
    try {
      const ops = caseOps(app.platform, w, { bySupervisors: true });
      const caseIds: string[] = [];
      for (let i = 0; i < CASES; i += 1) {
        caseIds.push(await w.cases.operator.createCase(systemContext(), worldCase(w.force, w.area, w.oic.id, w.prosecutor.id, `CONC/${1000 + i}/25`)));
      }
      const seed = Date.now();
      const rounds = fc.sample(fc.array(interleavingArb, { minLength: CASES, maxLength: CASES }), { numRuns: ROUNDS, seed });
      const context = `seed ${seed}`;
      const db = app.platform.db;
      const start = new Map<string, { version: number; events: number; audits: number }>();
      const auditsOf = async (caseId: string) =>
        Number((await db.selectFrom('audit_events').select((eb) => eb.fn.countAll().as('n')).where('object_id', '=', caseId).where('action', 'in', ['alter', 'collect']).executeTakeFirstOrThrow()).n);
      for (const id of caseIds) {
        start.set(id, { version: await ops.version(id), events: (await db.selectFrom('case_events').select('seq').where('case_id', '=', id).execute()).length, audits: await auditsOf(id) });
      }
      const acknowledged = new Map<string, Acknowledged[]>(caseIds.map((id) => [id, []]));
      const lastRead = new Map<string, number>(caseIds.map((id) => [id, start.get(id)!.version]));
      const tally = { success: 0, conflict: 0, validation: 0 };

      for (const round of rounds) {
        await Promise.all(round.flatMap((writers, i) => {
          const caseId = caseIds[i]!;
          const stale = lastRead.get(caseId)!;
          return writers.map(async (writer: { op: Op; readAfterMs: number; writeAfterMs: number; stale: boolean }) => {
            await sleep(writer.readAfterMs);
            const version = writer.stale ? stale : await ops.version(caseId);
            await sleep(writer.writeAfterMs);
            const outcome = await ops.run(caseId, writer.op, version);
            if (outcome.ok) {
              tally.success += 1;
              acknowledged.get(caseId)!.push(outcome.change);
            } else {
              assert.ok(outcome.problem === 'conflict' || outcome.problem === 'validation', `${context}: ${writer.op.kind} was refused as ${outcome.problem}`);
              tally[outcome.problem] += 1;
            }
          });
        }));
        for (const id of caseIds) lastRead.set(id, await ops.version(id));
      }

      for (const id of caseIds) {
        const done = acknowledged.get(id)!;
        const before = start.get(id)!;
        assert.equal(await ops.version(id), before.version + done.length, `${context}: version is 1 + successes`);
        const events = await db.selectFrom('case_events').select(['seq', 'type', 'data']).where('case_id', '=', id).orderBy('seq').execute();
        assert.deepEqual(events.map((e) => Number(e.seq)), events.map((_, i) => i + 1), `${context}: seq is contiguous`);
        const added = events.slice(before.events);
        const expectedEvents = done.reduce((n, change) => n + (change.kind === 'kernel' && change.to ? 2 : 1), 0);
        assert.equal(added.length, expectedEvents, `${context}: one event per success, plus the stage change of a kernel command that moved`);
        assert.equal(await auditsOf(id) - before.audits, done.length, `${context}: one alter/collect audit entry per success`);
        const data = added.map((e) => ({ type: e.type, data: JSON.parse(e.data) as Record<string, unknown> }));
        const people = new Set((await db.selectFrom('case_people').select('id').where('case_id', '=', id).execute()).map((p) => p.id));
        // Every acknowledged change is in the journal.
        for (const change of done) {
          if (change.kind === 'add-person') {
            assert.ok(people.has(change.personId), `${context}: an added person is missing`);
            assert.equal(data.filter((e) => e.type === 'case.person-added' && e.data.personId === change.personId).length, 1);
          } else if (change.kind === 'kernel') {
            assert.equal(data.filter((e) => e.type === KERNEL_EVENT && e.data.token === change.token).length, 1, `${context}: a kernel command's event is missing`);
          }
        }
        const allocations = done.flatMap((c) => (c.kind === 'allocate' ? [c] : []));
        // Commands answer after they commit, so two that succeed in one round may be acknowledged out of commit order: compare as sets, and follow the journal.
        const moves = done.flatMap((c) => (c.kind === 'move' || (c.kind === 'kernel' && c.to) ? [c.to] : []));
        const journalMoves = data.filter((e) => e.type === 'case.stage-changed').map((e) => e.data.to as string);
        assert.deepEqual([...journalMoves].sort(), [...moves].sort(), `${context}: the stage moves acknowledged`);
        const row = await db.selectFrom('cases').select('stage').where('id', '=', id).executeTakeFirstOrThrow();
        if (journalMoves.length) assert.equal(row.stage, journalMoves.at(-1), `${context}: the case is at the stage the journal last moved it to`);
        const journalAllocations = data.filter((e) => e.type === 'case.team-allocated').map((e) => ({ role: e.data.role as string, userId: e.data.userId as string }));
        assert.deepEqual(journalAllocations.map((a) => `${a.role}/${a.userId}`).sort(), allocations.map((a) => `${a.role}/${a.userId}`).sort(), `${context}: the allocations acknowledged`);
        // The team: each role held by whoever the journal last allocated it to.
        const team = await db.selectFrom('case_team').select(['case_role', 'user_id']).where('case_id', '=', id).where('ended_at', 'is', null).execute();
        for (const role of new Set(journalAllocations.map((a) => a.role))) {
          assert.deepEqual(team.filter((m) => m.case_role === role).map((m) => m.user_id), [journalAllocations.filter((a) => a.role === role).at(-1)!.userId]);
        }
      }
      const journal = await verifyJournal(db, app.platform.config.secretKey);
      assert.deepEqual(journal.problems, [], 'the audit journal verifies');
      assert.ok(tally.success > INTERLEAVINGS / 4 && tally.conflict > INTERLEAVINGS / 10, `${context}: the rounds make both successes and conflicts: ${JSON.stringify(tally)}`);
      t.diagnostic(`${context}: ${JSON.stringify(tally)}; ${journal.checked} audit entries verified`);
    } finally {
      await app.close();
    }
  });
}
