// Early advice on both engines: who may request, decide, appeal and advise;
// the stage moves and the 21-day response clock opened and met in the same
// transaction; the appeal's rank rule; a stale version is a conflict.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { engines } from '../../../test/support/databases.ts';
import type { TestApp } from '../../../test/support/app.ts';
import { systemContext } from '../../platform/audit/model.ts';
import { caseTestApp, rejects, worldCase } from '../test-support.ts';
import type { CaseWorld } from '../test-support.ts';
import { createEarlyAdviceService } from './service.ts';

export const dg6 = {
  urn: '52AB1234525', summary: 'Reported rape after a night out.', enquiriesDone: 'ABE interview; SARC examination.', enquiriesOngoing: 'Phone download, 2 weeks.',
  enquiriesPlanned: 'CCTV trawl, 1 week.', issues: 'Suspect says consent.', questions: 'Is the CCTV needed before charge?', keyMaterial: 'ABE and suspect interview.', disclosableMaterial: 'Counselling notes exist.',
};

async function stageOf(t: TestApp, caseId: string) {
  return (await t.database.db.selectFrom('cases').select(['stage', 'version']).where('id', '=', caseId).executeTakeFirstOrThrow());
}
async function clocks(t: TestApp, caseId: string) {
  return t.database.db.selectFrom('deadlines').select(['rule_key', 'status', 'due_on']).where('subject_id', '=', caseId).where('rule_key', '=', 'early-advice.response').orderBy('created_at').execute();
}
async function eventTypes(t: TestApp, caseId: string) {
  return (await t.database.db.selectFrom('case_events').select('type').where('case_id', '=', caseId).orderBy('seq').execute()).map((e) => e.type);
}

async function freshCase(w: CaseWorld, reference: string) {
  return w.cases.operator.createCase(systemContext(), worldCase(w.force, w.area, w.oic.id, w.prosecutor.id, reference));
}

for (const engine of engines) {
  test(`${engine}: early advice`, async (s) => {
    const { t, w } = await caseTestApp(engine);
    const ea = createEarlyAdviceService(t.platform);
    const as = (p: typeof w.oic) => [w.actor(p), w.context(p)] as const;
    const version = async (caseId: string) => Number((await stageOf(t, caseId)).version);
    try {
      await s.test('police request: the case moves to Early advice and the 21-day clock opens in the same transaction', async () => {
        const caseId = await freshCase(w, 'EA/1');
        await rejects(ea.request(...as(w.prosecutor), caseId, dg6, await version(caseId)), 'forbidden');
        await rejects(ea.request(...as(w.oic), caseId, { ...dg6, summary: ' ' }, await version(caseId)), 'validation', /summary of the facts/);
        const made = await ea.request(...as(w.oic), caseId, dg6, await version(caseId));
        assert.equal((await stageOf(t, caseId)).stage, 'early_advice');
        const [clock] = await clocks(t, caseId);
        assert.equal(clock?.status, 'open');
        const row = await t.database.db.selectFrom('early_advice_requests').selectAll().where('id', '=', made.id).executeTakeFirstOrThrow();
        assert.equal(row.due_on, clock?.due_on, 'the request records the clock’s due date');
        const event = await t.database.db.selectFrom('case_events').select('data').where('case_id', '=', caseId).where('type', '=', 'advice.requested').executeTakeFirstOrThrow();
        assert.deepEqual(JSON.parse(event.data), { requestId: made.id, dueOn: clock?.due_on });
        assert.doesNotMatch(event.data, /night out/, 'the journal holds ids, not the request’s contents');
        await rejects(ea.request(...as(w.oic), caseId, dg6, await version(caseId)), 'validation', /this case is at ‘Early advice’/);
        await rejects(ea.request(...as(w.otherForceInvestigator), caseId, dg6, await version(caseId)), 'not-found');
      });

      await s.test('not requesting needs a listed reason and detail, and does not move the stage', async () => {
        const caseId = await freshCase(w, 'EA/2');
        await rejects(ea.notRequested(...as(w.oic), caseId, { reason: 'whim', detail: '' }, await version(caseId)), 'validation');
        await rejects(ea.notRequested(...as(w.dcp), caseId, { reason: 'no_suspect', detail: 'x' }, await version(caseId)), 'forbidden');
        await ea.notRequested(...as(w.supervisor), caseId, { reason: 'charging_file_ready', detail: 'Full file ready.' }, await version(caseId));
        assert.equal((await stageOf(t, caseId)).stage, 'investigation');
        assert.equal((await eventTypes(t, caseId)).at(-1), 'advice.not-requested');
      });

      await s.test('rejecting meets the clock and returns the case; a DS may not appeal; an Inspector may; a DCP upholds and a new clock opens', async () => {
        const caseId = await freshCase(w, 'EA/3');
        const { id } = await ea.request(...as(w.oic), caseId, dg6, await version(caseId));
        await rejects(ea.decide(...as(w.oic), caseId, id, { decision: 'reject', reason: 'premature', detail: 'x' }, await version(caseId)), 'forbidden');
        await rejects(ea.decide(...as(w.prosecutor), caseId, id, { decision: 'reject', reason: '', detail: '' }, await version(caseId)), 'validation', /why you are rejecting/);
        await ea.decide(...as(w.prosecutor), caseId, id, { decision: 'reject', reason: 'premature', detail: 'Phone download outstanding.' }, await version(caseId));
        assert.equal((await stageOf(t, caseId)).stage, 'investigation');
        assert.deepEqual((await clocks(t, caseId)).map((c) => c.status), ['met']);
        await rejects(ea.appeal(...as(w.oic), caseId, id, { rank: 'inspector', grounds: 'x' }, await version(caseId)), 'forbidden', /./);
        await rejects(ea.appeal(...as(w.supervisor), caseId, id, { rank: 'sergeant', grounds: 'Download done.' }, await version(caseId)), 'validation', /Only an officer of Inspector rank or above can appeal/);
        await ea.appeal(...as(w.supervisor), caseId, id, { rank: 'inspector', grounds: 'Download done.' }, await version(caseId));
        const appealed = await t.database.db.selectFrom('early_advice_requests').select(['status', 'appellant_rank']).where('id', '=', id).executeTakeFirstOrThrow();
        assert.deepEqual(appealed, { status: 'appealed', appellant_rank: 'inspector' });
        await rejects(ea.decideAppeal(...as(w.prosecutor), caseId, id, { upheld: 'yes', note: 'ok' }, await version(caseId)), 'forbidden');
        await ea.decideAppeal(...as(w.dcp), caseId, id, { upheld: 'yes', note: 'The request is timely.' }, await version(caseId));
        assert.equal((await stageOf(t, caseId)).stage, 'early_advice');
        assert.deepEqual((await clocks(t, caseId)).map((c) => c.status), ['met', 'open']);
        assert.deepEqual((await eventTypes(t, caseId)).filter((e) => e.startsWith('advice.')), ['advice.requested', 'advice.rejected', 'advice.appealed', 'advice.appeal-decided']);
      });

      await s.test('advice without a plan meets the clock and returns the case to Investigation; with a plan it moves to Action plan', async () => {
        const plain = await freshCase(w, 'EA/4');
        const first = await ea.request(...as(w.oic), plain, dg6, await version(plain));
        await ea.decide(...as(w.prosecutor), plain, first.id, { decision: 'accept', reason: '', detail: '' }, await version(plain));
        await rejects(ea.advise(...as(w.oic), plain, first.id, { advice: 'x', items: [] }, await version(plain)), 'forbidden');
        await rejects(ea.advise(...as(w.vlo), plain, first.id, { advice: 'x', items: [] }, await version(plain)), 'not-found', /./);
        await ea.advise(...as(w.prosecutor), plain, first.id, { advice: 'Obtain the CCTV, then submit.', items: [] }, await version(plain));
        assert.equal((await stageOf(t, plain)).stage, 'investigation');
        assert.deepEqual((await clocks(t, plain)).map((c) => c.status), ['met']);

        const planned = await freshCase(w, 'EA/5');
        const second = await ea.request(...as(w.oic), planned, dg6, await version(planned));
        const due = { day: '1', month: '1', year: '2099' };
        await rejects(ea.advise(...as(w.prosecutor), planned, second.id, { advice: 'See plan.', items: [{ description: 'Get CCTV', owner: '', dueOn: due }] }, await version(planned)), 'validation', /Select who owns action 1/);
        const given = await ea.advise(...as(w.prosecutor), planned, second.id, { advice: 'See plan.', items: [{ description: 'Get CCTV', owner: 'police', dueOn: due }, { description: '', owner: '', dueOn: { day: '', month: '', year: '' } }] }, await version(planned));
        assert.ok(given.planId);
        assert.equal(given.planIssued, true);
        assert.equal((await stageOf(t, planned)).stage, 'action_plan');
        const open = await t.database.db.selectFrom('deadlines').select(['rule_key', 'status']).where('subject_id', '=', planned).orderBy('created_at').execute();
        assert.deepEqual(open, [{ rule_key: 'early-advice.response', status: 'met' }, { rule_key: 'action-plan.review', status: 'open' }]);
        assert.equal((await t.database.db.selectFrom('action_plan_items').select('id').where('plan_id', '=', given.planId!).execute()).length, 1);
      });

      await s.test('a stale version is a conflict and writes nothing', async () => {
        const caseId = await freshCase(w, 'EA/6');
        const stale = await version(caseId);
        await ea.notRequested(...as(w.oic), caseId, { reason: 'no_suspect', detail: 'Unknown suspect.' }, stale);
        const before = await eventTypes(t, caseId);
        await rejects(ea.request(...as(w.oic), caseId, dg6, stale), 'conflict');
        assert.deepEqual(await eventTypes(t, caseId), before);
        assert.equal((await stageOf(t, caseId)).stage, 'investigation');
        assert.equal((await clocks(t, caseId)).length, 0);
        const both = await Promise.allSettled([ea.request(...as(w.oic), caseId, dg6, stale + 1), ea.request(...as(w.supervisor), caseId, dg6, stale + 1)]);
        assert.equal(both.filter((r) => r.status === 'fulfilled').length, 1, 'two requests at once: one wins, one is refused');
        assert.equal((await clocks(t, caseId)).length, 1);
      });
    } finally {
      await t.close();
    }
  });
}
