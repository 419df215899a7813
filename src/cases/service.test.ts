// The case file's service on both engines: need-to-know access (and its
// audit), break-glass, creating, allocating, the stage state machine (as a
// property: no sequence of moves reaches a stage the model does not allow),
// and concurrent changes (exactly one wins per version; no event lost or
// numbered twice).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { engines } from '../../test/support/databases.ts';
import type { TestApp } from '../../test/support/app.ts';
import { systemContext } from '../platform/audit/model.ts';
import { Problem } from '../platform/web/errors.ts';
import { canTransition, commandForMove, stageNames, stages } from './model.ts';
import type { Stage } from './model.ts';
import { caseTestApp, problemOf, worldCase } from './test-support.ts';
import type { CaseWorld } from './test-support.ts';

async function journal(t: TestApp, caseId: string) {
  return t.database.db.selectFrom('case_events').select(['seq', 'type']).where('case_id', '=', caseId).orderBy('seq').execute();
}

async function audits(t: TestApp, userId: string, action: string) {
  return t.database.db.selectFrom('audit_events').selectAll().where('actor_user_id', '=', userId).where('action', '=', action).orderBy('seq').execute();
}

async function version(t: TestApp, caseId: string): Promise<number> {
  const row = await t.database.db.selectFrom('cases').select('version').where('id', '=', caseId).executeTakeFirstOrThrow();
  return Number(row.version);
}

for (const engine of engines) {
  test(`${engine}: the case file`, async (s) => {
    const { t, w } = await caseTestApp(engine);
    const open = (who: keyof CaseWorld, caseId = w.caseId) => {
      const person = w[who] as Parameters<CaseWorld['actor']>[0];
      return w.cases.caseFile(w.actor(person), w.context(person), caseId);
    };
    try {
      await s.test('the team and supervisors see the case, and each read is audited with the victim and suspect as data subjects', async () => {
        for (const [who, access] of [['oic', 'team'], ['prosecutor', 'team'], ['supervisor', 'supervision'], ['dcp', 'supervision']] as const) {
          const file = await open(who);
          assert.equal(file.access, access, who);
          assert.equal(file.summary.stage, 'investigation');
          assert.deepEqual(file.events.map((e) => e.seq), [6, 5, 4, 3, 2, 1], 'the timeline is newest first');
          const [read] = (await audits(t, w[who].id, 'consult')).slice(-1);
          assert.equal(read?.object_id, w.caseId);
          const subjects = JSON.parse(read!.subjects) as string[];
          assert.deepEqual(subjects.sort(), file.people.filter((p) => p.category !== 'witness').map((p) => p.id).sort());
          assert.equal(subjects.length, 2);
        }
      });

      await s.test('anyone else is told the case does not exist, and the refusal is audited', async () => {
        for (const who of ['colleague', 'vlo', 'otherForceInvestigator', 'otherAreaDcp', 'isva', 'analyst'] as const) {
          const before = (await audits(t, w[who].id, 'deny')).length;
          const problem = await problemOf(open(who));
          assert.equal(problem.type, 'not-found', who);
          const denials = await audits(t, w[who].id, 'deny');
          assert.equal(denials.length, before + 1, `${who}: the refusal is journalled`);
          assert.equal(denials.at(-1)!.object_id, w.caseId);
        }
        // The same answer for a case that does not exist and for an address that is not an id.
        assert.equal((await problemOf(open('oic', '0190d000-0000-7000-8000-000000000000'))).type, 'not-found');
        assert.equal((await problemOf(open('oic', 'not-an-id'))).type, 'not-found');
      });

      await s.test('break-glass: a case worker of the same force records a reason and may read, not change, the case', async () => {
        const colleague = w.actor(w.colleague);
        const refused = await problemOf(w.cases.breakGlass(colleague, w.context(w.colleague), { reference: 'as/10001/25', reason: '' }, '2099-01-01T00:00:00.000Z'));
        assert.deepEqual(refused.fieldErrors.map((e) => e.field), ['reason']);
        const caseId = await w.cases.breakGlass(colleague, w.context(w.colleague), { reference: 'as/10001/25', reason: 'Suspect arrested on another of my cases tonight' }, t.clock.now().toISOString().replace(/^\d{4}/, '2099'));
        assert.equal(caseId, w.caseId);
        const grant = await t.database.db.selectFrom('case_break_glass').selectAll().where('user_id', '=', w.colleague.id).executeTakeFirstOrThrow();
        assert.equal(grant.reviewed_at, null, 'flagged for review');
        const [entry] = (await audits(t, w.colleague.id, 'consult')).filter((a) => JSON.parse(a.details).grant === grant.id);
        assert.equal(entry?.purpose, 'Suspect arrested on another of my cases tonight');
        assert.equal((await open('colleague')).access, 'break-glass');
        const change = await problemOf(w.cases.moveStage(colleague, w.context(w.colleague), w.caseId, { stage: 'early_advice' }, await version(t, w.caseId)));
        assert.equal(change.type, 'forbidden');
      });

      await s.test('break-glass: the same answer whether the case is elsewhere, missing or not for this role', async () => {
        const attempt = (who: 'otherForceInvestigator' | 'vlo' | 'oic', reference: string) =>
          problemOf(w.cases.breakGlass(w.actor(w[who]), w.context(w[who]), { reference, reason: 'Checking a linked report from last week' }, '2099-01-01T00:00:00.000Z'));
        const elsewhere = await attempt('otherForceInvestigator', 'AS/10001/25');
        const missing = await attempt('otherForceInvestigator', 'NO/SUCH/1');
        assert.deepEqual(elsewhere.fieldErrors, missing.fieldErrors);
        assert.equal(await t.database.db.selectFrom('case_break_glass').select('id').where('user_id', '=', w.otherForceInvestigator.id).executeTakeFirst(), undefined);
        assert.equal((await problemOf(w.cases.breakGlass(w.actor(w.isva), w.context(w.isva), { reference: 'AS/10001/25', reason: 'Checking a linked report from last week' }, '2099-01-01T00:00:00.000Z'))).type, 'forbidden');
        assert.equal((await audits(t, w.isva.id, 'deny')).at(-1)?.action, 'deny');
      });

      await s.test('an investigator creates a case: they are its officer, it is in their force, at "Crime recorded"', async () => {
        const created = await w.cases.createCase(w.actor(w.oic), w.context(w.oic), {
          policeReference: ' as/20002/25 ', cpsAreaId: w.area, offenceClass: 'assault_by_penetration', flags: ['vulnerableVictim'], reportedOn: { day: '1', month: '2', year: '2025' },
        });
        assert.equal(created.policeReference, 'AS/20002/25');
        assert.equal(created.forceId, w.force);
        assert.equal(created.stage, 'crime_recorded');
        assert.equal(created.flags.vulnerableVictim, true);
        const file = await open('oic', created.id);
        assert.deepEqual(file.team.map((m) => [m.role, m.userId]), [['oic', w.oic.id]]);
        assert.deepEqual((await journal(t, created.id)).map((e) => e.type), ['case.created', 'case.team-allocated']);
        const mine = await w.cases.myCases(w.actor(w.oic), w.context(w.oic), {});
        assert.ok(mine.cases.some((c) => c.id === created.id));
        const listed = await t.platform.db.selectFrom('audit_events').select(['action', 'actor_user_id']).where('details', 'like', '%"event":"cases.list"%').execute();
        assert.deepEqual(listed, [{ action: 'consult', actor_user_id: w.oic.id }], 'listing my cases is journalled as a consultation');
        // Validation: the same reference again, a date in the future, an unknown Area.
        const refused = await problemOf(w.cases.createCase(w.actor(w.oic), w.context(w.oic), {
          policeReference: 'AS/20002/25', cpsAreaId: w.otherForce, offenceClass: 'nonsense', flags: ['made-up'], reportedOn: { day: '31', month: '2', year: '2025' },
        }));
        assert.deepEqual(refused.fieldErrors.map((e) => e.field).sort(), ['flags', 'offenceClass', 'reportedOn-day'].sort());
        // Who may not create a case at all.
        for (const who of ['prosecutor', 'isva', 'analyst'] as const) {
          assert.equal((await problemOf(w.cases.createCase(w.actor(w[who]), w.context(w[who]), { policeReference: 'X1234', cpsAreaId: w.area, offenceClass: 'rape_16_plus', flags: [], reportedOn: { day: '1', month: '1', year: '2025' } }))).type, 'forbidden', who);
        }
      });

      await s.test('allocation: police supervisors allocate police roles, DCPs CPS roles; reallocation ends the old allocation', async () => {
        const caseId = await w.cases.operator.createCase(systemContext(), worldCase(w.force, w.area, w.oic.id, w.prosecutor.id, 'AS/30003/25'));
        const supervisor = w.actor(w.supervisor);
        assert.equal((await problemOf(w.cases.allocate(w.actor(w.oic), w.context(w.oic), caseId, { role: 'oic', userId: w.colleague.id }, await version(t, caseId)))).type, 'forbidden', 'an officer does not allocate');
        const wrong = await problemOf(w.cases.allocate(supervisor, w.context(w.supervisor), caseId, { role: 'prosecutor', userId: w.vlo.id }, await version(t, caseId)));
        assert.deepEqual(wrong.fieldErrors.map((e) => e.field), ['role', 'userId'], 'CPS roles and CPS people are not the police supervisor’s to allocate');
        const unfit = await problemOf(w.cases.allocate(supervisor, w.context(w.supervisor), caseId, { role: 'supervisor', userId: w.colleague.id }, await version(t, caseId)));
        assert.deepEqual(unfit.fieldErrors.map((e) => e.field), ['userId'], 'an investigator cannot be the supervisor');
        await w.cases.allocate(supervisor, w.context(w.supervisor), caseId, { role: 'oic', userId: w.colleague.id }, await version(t, caseId));
        const file = await w.cases.caseFile(supervisor, w.context(w.supervisor), caseId);
        const oics = file.team.filter((m) => m.role === 'oic');
        assert.deepEqual(oics.map((m) => [m.userId, m.endedAt === null]), [[w.colleague.id, true], [w.oic.id, false]]);
        assert.equal((await problemOf(open('oic', caseId))).type, 'not-found', 'the officer who was reallocated no longer sees the case');
        assert.equal((await open('colleague', caseId)).access, 'team');
        await w.cases.allocate(w.actor(w.dcp), w.context(w.dcp), caseId, { role: 'vlo', userId: w.vlo.id }, await version(t, caseId));
        assert.equal((await open('vlo', caseId)).access, 'team');
        const stale = await problemOf(w.cases.allocate(w.actor(w.dcp), w.context(w.dcp), caseId, { role: 'dcp', userId: w.dcp.id }, 1));
        assert.equal(stale.type, 'conflict');
      });

      await s.test('an illegal move is refused with a clear message, and nothing is written', async () => {
        const oic = w.actor(w.oic);
        const before = { version: await version(t, w.caseId), events: (await journal(t, w.caseId)).length };
        const refused = await problemOf(w.cases.moveStage(oic, w.context(w.oic), w.caseId, { stage: 'charged' }, before.version));
        assert.equal(refused.type, 'validation');
        assert.match(refused.fieldErrors[0]!.message, /cannot move to ‘Charged’. It can move to ‘Early advice’/);
        assert.deepEqual({ version: await version(t, w.caseId), events: (await journal(t, w.caseId)).length }, before);
      });

      await s.test('property: any sequence of moves, by the form or by any command, leaves the case where the stage model says, with one event per accepted move', async () => {
        const oic = w.actor(w.oic);
        let n = 0;
        await fc.assert(fc.asyncProperty(fc.array(fc.tuple(fc.constantFrom(...stageNames), fc.boolean()), { minLength: 1, maxLength: 12 }), async (moves) => {
          n += 1;
          const caseId = await w.cases.operator.createCase(systemContext(), { ...worldCase(w.force, w.area, w.oic.id, w.prosecutor.id, `PROP/${n}/${engine}`), path: [] });
          let expected: Stage = 'crime_recorded';
          let accepted = 0;
          for (const [to, byForm] of moves) {
            const current = await version(t, caseId);
            const legal: boolean = canTransition(expected, to) && (!byForm || commandForMove(expected, to) === null);
            const move = byForm ? w.cases.moveStage(oic, w.context(w.oic), caseId, { stage: to }, current) : w.moveAsCommand(caseId, to);
            const outcome = await move.then(() => 'moved', (error: unknown) => (error instanceof Problem ? error.type : 'crash'));
            assert.equal(outcome, legal ? 'moved' : 'validation', `${expected} → ${to}`);
            if (legal) {
              expected = to;
              accepted += 1;
            }
            const stored = await t.database.db.selectFrom('cases').select('stage').where('id', '=', caseId).executeTakeFirstOrThrow();
            assert.equal(stored.stage, expected);
            assert.ok(Object.hasOwn(stages, stored.stage));
          }
          const events = await journal(t, caseId);
          assert.equal(events.filter((e) => e.type === 'case.stage-changed').length, accepted);
          assert.deepEqual(events.map((e) => e.seq), events.map((_e, i) => i + 1));
        }), { numRuns: 40 });
      });

      await s.test('50 concurrent changes from the same version: exactly one wins; the journal has no gap and no duplicate', async () => {
        const caseId = await w.cases.operator.createCase(systemContext(), { ...worldCase(w.force, w.area, w.oic.id, w.prosecutor.id, 'AS/RACE/1'), path: [] });
        const oic = w.actor(w.oic);
        for (let round = 0; round < 3; round += 1) {
          const current = await version(t, caseId);
          const eventsBefore = (await journal(t, caseId)).length;
          const attempts = Array.from({ length: 50 }, (_v, i) => (i % 2 === 0
            ? w.cases.addPerson(oic, w.context(w.oic), caseId, { category: 'witness', name: `Witness ${round}-${i}`, dateOfBirth: { day: '', month: '', year: '' } }, current)
            : w.cases.moveStage(oic, w.context(w.oic), caseId, { stage: round === 0 ? 'initial_response' : 'investigation' }, current)));
          const outcomes = await Promise.allSettled(attempts);
          const won = outcomes.filter((o) => o.status === 'fulfilled');
          const lost = outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected');
          assert.equal(won.length, 1, `round ${round}: exactly one change wins`);
          assert.ok(lost.every((o) => o.reason instanceof Problem && (o.reason.type === 'conflict' || o.reason.type === 'validation')), 'the others are conflicts');
          assert.equal(await version(t, caseId), current + 1);
          const events = await journal(t, caseId);
          assert.equal(events.length, eventsBefore + 1);
          assert.deepEqual(events.map((e) => e.seq), events.map((_e, i) => i + 1));
          const people = await t.database.db.selectFrom('case_people').select('id').where('case_id', '=', caseId).where('category', '=', 'witness').execute();
          const stageEvents = events.filter((e) => e.type === 'case.stage-changed').length;
          assert.equal(people.length + stageEvents, round + 1, 'every winning change is in the journal, no loser left a trace');
        }
      });

      await s.test('my cases: only active allocations, sorted and paged on the server', async () => {
        const references = Array.from({ length: 30 }, (_v, i) => `PAGE/${String(i).padStart(3, '0')}`);
        for (const reference of references) await w.cases.operator.createCase(systemContext(), worldCase(w.force, w.area, w.supervisor.id, w.prosecutor.id, reference));
        const supervisor = w.actor(w.supervisor);
        const first = await w.cases.myCases(supervisor, systemContext(), { sort: 'reference', order: 'ascending', page: 1 });
        assert.equal(first.total, 30);
        assert.equal(first.pages, 2);
        assert.deepEqual(first.cases.map((c) => c.policeReference), references.slice(0, 25));
        const second = await w.cases.myCases(supervisor, systemContext(), { sort: 'reference', order: 'descending', page: 2 });
        assert.deepEqual(second.cases.map((c) => c.policeReference), [...references].reverse().slice(25));
        const beyond = await w.cases.myCases(supervisor, systemContext(), { sort: 'nonsense', page: 99 });
        assert.equal(beyond.page, 2);
        assert.equal(beyond.sort, 'updated');
        assert.equal((await w.cases.myCases(w.actor(w.isva), systemContext(), {})).total, 0);
      });
    } finally {
      await t.close();
    }
  });
}
