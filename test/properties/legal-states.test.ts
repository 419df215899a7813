// Property: no illegal state is reachable. Random sequences of every command
// that changes a case (creating it, adding people, allocating, the manual
// stage move, breaking glass, and the kernel asked to move to any stage by
// anyone), some claiming stale versions. After every command:
// - the journal's stage changes, replayed through the stage machine from
//   crime_recorded, are each a legal move and end at the case's stage;
// - a case at a closing stage has no open or paused stage deadline, and any
//   other case has open exactly the deadline its stage starts (if any). The
//   Victims' Code and right-to-review clocks are duties to the victim, not
//   the stage's: they may run on after the stage moves or the case closes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { CASE_SUBJECT } from '../../src/cases/deadlines.ts';
import { canTransition, closingStages, isStage, nextStages, stageDeadlineRules } from '../../src/cases/model.ts';
import type { Stage } from '../../src/cases/model.ts';
import { caseTestApp, worldCase } from '../../src/cases/test-support.ts';
import { systemContext } from '../../src/platform/audit/model.ts';
import type { Db } from '../../src/platform/db/transaction.ts';
import { entitlements, vrrRuleKeys } from '../../src/victims/rights/model.ts';
import { engines } from '../support/databases.ts';
import { caseOps, opArb } from './case-ops.ts';
import type { Op } from './case-ops.ts';

const dutiesToTheVictim = new Set<string>([...entitlements.items.flatMap((e) => [e.rule, e.vulnerableRule ?? e.rule]), ...vrrRuleKeys]);

async function checkCase(db: Db, caseId: string, why: string): Promise<Stage> {
  const row = await db.selectFrom('cases').select('stage').where('id', '=', caseId).executeTakeFirstOrThrow();
  const events = await db.selectFrom('case_events').select(['type', 'data']).where('case_id', '=', caseId).orderBy('seq').execute();
  assert.equal(events[0]?.type, 'case.created', why);
  let stage: string = (JSON.parse(events[0]!.data) as { stage: string }).stage;
  assert.equal(stage, 'crime_recorded', `${why}: a case starts at crime_recorded`);
  for (const event of events.filter((e) => e.type === 'case.stage-changed')) {
    const { from, to } = JSON.parse(event.data) as { from: string; to: string };
    assert.equal(from, stage, `${why}: a stage change starts where the case was`);
    assert.ok(isStage(to) && canTransition(stage as Stage, to), `${why}: ${stage} → ${to} is not a legal move`);
    stage = to;
  }
  assert.equal(row.stage, stage, `${why}: the case is where its journal took it`);
  const open = (await db.selectFrom('deadlines').select('rule_key').where('subject_type', '=', CASE_SUBJECT).where('subject_id', '=', caseId).where('status', 'in', ['open', 'paused']).execute())
    .filter((d) => !dutiesToTheVictim.has(d.rule_key));
  if (closingStages.includes(stage as Stage)) assert.deepEqual(open, [], `${why}: a case at ${stage} has open deadlines`);
  else assert.deepEqual(open.map((d) => d.rule_key), [stageDeadlineRules[stage as Stage]].filter(Boolean), `${why}: the open deadlines of a case at ${stage}`);
  return stage as Stage;
}

// Most stages are illegal from most others, so half the kernel's moves aim at a stage the case may go to next (as it will be when the command runs).
const nextArb = fc.record({ kind: fc.constant('kernel-next' as const), by: fc.constantFrom('oic' as const, 'prosecutor' as const, 'colleague' as const), index: fc.nat() });
const stepArb = fc.record({ op: fc.oneof(opArb, nextArb), stale: fc.boolean() });
const startArb = fc.constantFrom('created' as const, 'operator-investigation' as const, 'operator-initial-response' as const);

for (const engine of engines) {
  test(`${engine}: property: whatever commands run, a case is only ever where legal moves take it, and closed cases have no open stage deadlines`, { timeout: 180_000 }, async (t) => {
    const { t: app, w } = await caseTestApp(engine);
    try {
      const ops = caseOps(app.platform, w);
      const db = app.platform.db;
      const reached = new Set<string>();
      const outcomes: Record<string, number> = {};
      let n = 0;
      await fc.assert(
        fc.asyncProperty(startArb, fc.array(stepArb, { minLength: 1, maxLength: 30 }), async (start, steps) => {
          n += 1;
          const reference = `LEGAL/${String(n).padStart(5, '0')}/25`;
          let caseId: string;
          if (start === 'created') {
            const summary = await w.cases.createCase(w.actor(w.oic), w.context(w.oic), { policeReference: reference, cpsAreaId: w.area, offenceClass: 'rape_16_plus', flags: [], reportedOn: { day: '1', month: '2', year: '2025' } });
            caseId = summary.id;
            // Created by the officer alone: the prosecutor joins as the DCP allocates them.
            await w.cases.allocate(w.actor(w.dcp), w.context(w.dcp), caseId, { role: 'prosecutor', userId: w.prosecutor.id }, summary.version);
          } else {
            const path: Stage[] = start === 'operator-investigation' ? ['investigation'] : ['initial_response'];
            caseId = await w.cases.operator.createCase(systemContext(), { ...worldCase(w.force, w.area, w.oic.id, w.prosecutor.id, reference), path });
          }
          await checkCase(db, caseId, 'new case');
          let previous = await ops.version(caseId);
          for (const [i, step] of steps.entries()) {
            const current = await ops.version(caseId);
            let op: Op;
            if (step.op.kind === 'kernel-next') {
              const at = await db.selectFrom('cases').select('stage').where('id', '=', caseId).executeTakeFirstOrThrow();
              const next = isStage(at.stage) ? nextStages(at.stage) : [];
              op = { kind: 'kernel', by: step.op.by, to: next.length ? next[step.op.index % next.length]! : null };
            } else op = step.op;
            const outcome = await ops.run(caseId, op, step.stale ? previous : current);
            previous = current;
            const key = outcome.ok ? 'success' : outcome.problem;
            outcomes[key] = (outcomes[key] ?? 0) + 1;
            assert.ok(['success', 'conflict', 'validation', 'not-found', 'forbidden'].includes(key), `${op.kind} ended ${key}`);
            reached.add(await checkCase(db, caseId, `after step ${i + 1} (${JSON.stringify(op)})`));
          }
        }),
        { numRuns: engine === 'sqlite' ? 250 : 120, endOnFailure: true },
      );
      t.diagnostic(`stages reached: ${[...reached].sort().join(', ')}; outcomes ${JSON.stringify(outcomes)}`);
    } finally {
      await app.close();
    }
  });
}
