// Loading synthetic cases into a real database, on each engine: the rows the
// case file and the clock engine read, one audit entry for the run, the same
// cases for the same seed, and the refusals.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { testApp } from '../../../test/support/app.ts';
import type { TestApp } from '../../../test/support/app.ts';
import { engines } from '../../../test/support/databases.ts';
import { systemContext } from '../../platform/audit/model.ts';
import { sweepDeadlines } from '../../platform/deadlines/sweep.ts';
import { Problem } from '../../platform/web/errors.ts';
import { caseWorld } from '../test-support.ts';
import { createCasesService } from '../service.ts';
import { stagePath } from './model.ts';
import { seedSyntheticCases } from './service.ts';

const NOW = new Date('2026-03-10T10:00:00Z');

async function world(engine: 'sqlite' | 'postgres'): Promise<{ t: TestApp; w: Awaited<ReturnType<typeof caseWorld>> }> {
  const t = await testApp(engine);
  t.clock.set(NOW);
  return { t, w: await caseWorld(t) };
}

const rowsOf = (t: TestApp) =>
  Promise.all([
    t.database.db.selectFrom('cases').selectAll().where('police_reference', 'like', '%/S%').orderBy('id').execute(),
    t.database.db.selectFrom('case_events').select(['id', 'case_id', 'seq', 'type', 'occurred_at', 'actor_user_id', 'data']).orderBy('id').execute(),
    t.database.db.selectFrom('case_people').selectAll().orderBy('id').execute(),
    t.database.db.selectFrom('deadlines').selectAll().where('subject_type', '=', 'case').orderBy('id').execute(),
  ]);

for (const engine of engines) {
  test(`${engine}: seeded cases are whole case files that the case service, the journal and the sweep can read`, async () => {
    const { t, w } = await world(engine);
    try {
      const before = Number((await t.database.db.selectFrom('audit_events').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
      const progress: number[] = [];
      const result = await seedSyntheticCases(t.platform, { cases: 1_200, seed: 3, context: systemContext(), batchSize: 500, onProgress: (done) => progress.push(done) });
      assert.deepEqual(progress, [500, 1_000, 1_200]);
      assert.equal(result.cases, 1_200);
      const [cases, events, , deadlines] = await rowsOf(t);
      assert.equal(cases.length, 1_200);
      assert.equal(events.filter((e) => cases.some((c) => c.id === e.case_id)).length, result.events);
      // Every case's journal, read back, walks a legal path to its stage.
      const byCase = Map.groupBy(events, (e) => e.case_id);
      for (const c of cases) {
        const journal = byCase.get(c.id)!.sort((a, b) => Number(a.seq) - Number(b.seq));
        const { path, problem } = stagePath(journal);
        assert.equal(problem, null);
        assert.equal(path.at(-1), c.stage);
        assert.deepEqual(journal.map((e) => Number(e.seq)), journal.map((_, i) => i + 1));
      }
      // One audit entry for the run, not one per case.
      const audit = await t.database.db.selectFrom('audit_events').select(['action', 'details']).where('seq', '>', before).execute();
      assert.deepEqual(audit.map((a) => a.action), ['collect']);
      assert.equal(JSON.parse(audit[0]!.details).cases, 1_200);

      // The officer in the case sees a seeded case through the ordinary service, team and journal included.
      const mine = await t.database.db.selectFrom('case_team').select('case_id').where('user_id', '=', w.oic.id).where('ended_at', 'is', null).where('case_id', '!=', w.caseId).executeTakeFirstOrThrow();
      const file = await createCasesService(t.platform).caseFile(w.actor(w.oic), w.context(w.oic), mine.case_id);
      assert.ok(file.events.length >= 4 && file.people.some((p) => p.category === 'victim'));

      // Open deadlines are the sweep's: moving the clock on a year takes a step of every one of them.
      const open = deadlines.filter((d) => d.status === 'open');
      assert.ok(open.length > 20);
      const swept = await sweepDeadlines(t.platform, new Date('2027-03-10T10:00:00Z'));
      assert.ok(swept.deadlines >= open.length, `${swept.deadlines} deadlines swept of ${open.length}`);
      assert.ok(swept.notifications > 0);

      // The same seed again would duplicate the cases: refused, naming what to do.
      await assert.rejects(seedSyntheticCases(t.platform, { cases: 10, seed: 3, context: systemContext() }), (error: unknown) => error instanceof Problem && /already loaded/.test(error.detail ?? error.message));
      await assert.rejects(seedSyntheticCases(t.platform, { cases: 0, seed: 4, context: systemContext() }), Problem);
    } finally {
      await t.close();
    }
  });

  test(`${engine}: the same seed on the same day gives the same cases`, async () => {
    const one = await world(engine);
    const two = await world(engine);
    try {
      // Different directories make different user ids, so compare what does not name them.
      await seedSyntheticCases(one.t.platform, { cases: 300, seed: 11, context: systemContext() });
      await seedSyntheticCases(two.t.platform, { cases: 300, seed: 11, context: systemContext() });
      const strip = async (t: TestApp) => {
        const [cases, events, people, deadlines] = await rowsOf(t);
        const seeded = new Set(cases.map((c) => c.id));
        return {
          cases: cases.map(({ force_id: _f, cps_area_id: _a, ...rest }) => rest),
          events: events.filter((e) => seeded.has(e.case_id)).map(({ actor_user_id: _u, data, ...rest }) => ({ ...rest, data: data.replace(/"(userId|name)":"[^"]*"/g, '') })),
          people: people.filter((p) => seeded.has(p.case_id)),
          deadlines: deadlines.filter((d) => seeded.has(d.subject_id)),
        };
      };
      const [x, y] = [await strip(one.t), await strip(two.t)];
      assert.equal(x.cases.length, 300);
      assert.deepEqual(x, y);
    } finally {
      await one.t.close();
      await two.t.close();
    }
  });

  test(`${engine}: a database with no force to give cases to is refused clearly`, async () => {
    const t = await testApp(engine);
    try {
      await assert.rejects(seedSyntheticCases(t.platform, { cases: 5, seed: 1, context: systemContext() }), (error: unknown) => error instanceof Problem && /no police force/.test(error.detail ?? error.message));
    } finally {
      await t.close();
    }
  });
}

test('rasso seed --cases on an empty demo database loads the demo, then the cases, reporting progress on standard error', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'rasso-seed-'));
  try {
    const bin = fileURLToPath(new URL('../../../bin/rasso.ts', import.meta.url));
    const env = { ...process.env, NODE_ENV: 'test', LOG_LEVEL: 'silent', DEMO: 'true', DATABASE_URL: '', SQLITE_PATH: join(dir, 'rasso.sqlite') };
    const run = (args: string[]) =>
      new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
        execFile(process.execPath, [bin, ...args], { env }, (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }));
      });
    const seeded = await run(['seed', '--cases', '3000', '--seed', '5']);
    assert.equal(seeded.code, 0, seeded.stderr);
    assert.equal(seeded.stdout, '', 'nothing on standard output');
    assert.match(seeded.stderr, /Loaded the demo first/);
    assert.match(seeded.stderr, /^Synthetic cases: 3,000 of 3,000 \(100%\), [\d,]+ a second, took \d+s$/m);
    assert.match(seeded.stderr, /Added 3,000 synthetic cases \(seed 5\): [\d,]+ journal events/);
    const again = await run(['seed', '--cases', '10', '--seed', '5']);
    assert.equal(again.code, 1);
    assert.match(again.stderr, /Cases from seed 5 are already loaded/);
    const wrong = await run(['seed', '--cases', 'many']);
    assert.equal(wrong.code, 2);
    assert.match(wrong.stderr, /--cases must be a whole number/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
