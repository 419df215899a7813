// Action plans on both engines: issuing from a charging referral, the police
// responding to items and the prosecutor reviewing them until the plan is
// answered (the PRFI clock met with it), PRFI reviews journalled, the second
// plan after a full-code-test submission held for a DCP, wrong side and
// illegal stage refused, and a stale version a conflict.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { engines } from '../../../test/support/databases.ts';
import type { TestApp } from '../../../test/support/app.ts';
import { systemContext } from '../../platform/audit/model.ts';
import { newId } from '../../platform/db/ids.ts';
import { caseTestApp, rejects, worldCase } from '../test-support.ts';
import type { CaseWorld } from '../test-support.ts';
import * as caseRepository from '../repository.ts';
import { createActionPlansService } from './service.ts';

const due = { day: '1', month: '1', year: '2099' };
const item = (description: string, owner = 'police') => ({ description, owner, dueOn: due });

async function caseAt(_t: TestApp, w: CaseWorld, reference: string) {
  const caseId = await w.cases.operator.createCase(systemContext(), worldCase(w.force, w.area, w.oic.id, w.prosecutor.id, reference));
  await w.moveAsCommand(caseId, 'charging_referral');
  return caseId;
}
const version = async (t: TestApp, caseId: string) => Number((await t.database.db.selectFrom('cases').select('version').where('id', '=', caseId).executeTakeFirstOrThrow()).version);
const stage = async (t: TestApp, caseId: string) => (await t.database.db.selectFrom('cases').select('stage').where('id', '=', caseId).executeTakeFirstOrThrow()).stage;
const types = async (t: TestApp, caseId: string) => (await t.database.db.selectFrom('case_events').select('type').where('case_id', '=', caseId).orderBy('seq').execute()).map((e) => e.type);
const reviewClock = async (t: TestApp, caseId: string) => t.database.db.selectFrom('deadlines').select('status').where('subject_id', '=', caseId).where('rule_key', '=', 'action-plan.review').execute();

for (const engine of engines) {
  test(`${engine}: action plans`, async (s) => {
    const { t, w } = await caseTestApp(engine);
    const plans = createActionPlansService(t.platform);
    const as = (p: typeof w.oic) => [w.actor(p), w.context(p)] as const;
    try {
      await s.test('issued from a charging referral by the prosecutor only; not from another stage', async () => {
        await rejects(plans.issueFromCharging(...as(w.prosecutor), w.caseId, { items: [item('CCTV')] }, await version(t, w.caseId)), 'validation', /this case is at ‘Investigation’/);
        const caseId = await caseAt(t, w, 'AP/1');
        await rejects(plans.issueFromCharging(...as(w.oic), caseId, { items: [item('CCTV')] }, await version(t, caseId)), 'forbidden');
        await rejects(plans.issueFromCharging(...as(w.prosecutor), caseId, { items: [] }, await version(t, caseId)), 'validation', /at least one action/);
        await rejects(plans.issueFromCharging(...as(w.prosecutor), caseId, { items: [{ description: 'Old', owner: 'police', dueOn: { day: '1', month: '1', year: '2000' } }] }, await version(t, caseId)), 'validation', /today or in the future/);
        const made = await plans.issueFromCharging(...as(w.prosecutor), caseId, { items: [item('Obtain CCTV'), item('Serve notice', 'cps')] }, await version(t, caseId));
        assert.equal(made.issued, true);
        assert.equal(await stage(t, caseId), 'action_plan');
        assert.deepEqual((await reviewClock(t, caseId)).map((c) => c.status), ['open']);
        const view = await plans.plans(...as(w.oic), caseId);
        assert.equal(view.reviewClock?.status, 'open');
        assert.equal(view.plans[0]?.items.length, 2);
      });

      await s.test('police respond, the prosecutor reviews, reviews are journalled; the plan is answered when every item is reviewed', async () => {
        const caseId = await caseAt(t, w, 'AP/2');
        const { id: planId } = await plans.issueFromCharging(...as(w.prosecutor), caseId, { items: [item('Obtain CCTV'), item('Serve notice', 'cps')] }, await version(t, caseId));
        const [police, cps] = (await plans.plans(...as(w.oic), caseId)).plans[0]!.items;
        await rejects(plans.respond(...as(w.prosecutor), caseId, planId, police!.id, { response: 'accept', text: '' }, await version(t, caseId)), 'forbidden');
        await plans.respond(...as(w.oic), caseId, planId, police!.id, { response: 'accept', text: '' }, await version(t, caseId));
        await rejects(plans.respond(...as(w.oic), caseId, planId, police!.id, { response: 'query', text: '' }, await version(t, caseId)), 'validation', /your query/);
        await plans.respond(...as(w.oic), caseId, planId, police!.id, { response: 'query', text: 'Which cameras?' }, await version(t, caseId));
        await plans.respond(...as(w.oic), caseId, planId, police!.id, { response: 'complete', text: 'Obtained from 3 cameras.' }, await version(t, caseId));
        await rejects(plans.reviewItem(...as(w.oic), caseId, planId, police!.id, { decision: 'accept', note: '' }, await version(t, caseId)), 'forbidden');
        await rejects(plans.reviewItem(...as(w.prosecutor), caseId, planId, police!.id, { decision: 'return', note: '' }, await version(t, caseId)), 'validation');
        await plans.reviewItem(...as(w.prosecutor), caseId, planId, police!.id, { decision: 'return', note: 'Need the bus camera too.' }, await version(t, caseId));
        await plans.respond(...as(w.oic), caseId, planId, police!.id, { response: 'complete', text: 'Bus camera added.' }, await version(t, caseId));
        await plans.reviewItem(...as(w.prosecutor), caseId, planId, police!.id, { decision: 'accept', note: '' }, await version(t, caseId));
        assert.deepEqual((await reviewClock(t, caseId)).map((c) => c.status), ['open'], 'not answered while an item is outstanding');
        await rejects(plans.recordReview(...as(w.prosecutor), caseId, planId, { day: '30', heldOn: { day: '', month: '', year: '' }, note: '' }, await version(t, caseId)), 'validation');
        await plans.recordReview(...as(w.prosecutor), caseId, planId, { day: '28', heldOn: dateOf(t), note: 'Discussed at JOIM.' }, await version(t, caseId));
        await rejects(plans.recordReview(...as(w.prosecutor), caseId, planId, { day: '28', heldOn: dateOf(t), note: 'Again.' }, await version(t, caseId)), 'validation', /already been recorded/);
        await plans.respond(...as(w.prosecutor), caseId, planId, cps!.id, { response: 'complete', text: 'Notice served.' }, await version(t, caseId));
        const after = await plans.plans(...as(w.prosecutor), caseId);
        assert.equal(after.plans[0]?.status, 'answered');
        assert.equal(after.plans[0]?.reviews[0]?.day, 28);
        assert.deepEqual((await reviewClock(t, caseId)).map((c) => c.status), ['met']);
        const journal = (await types(t, caseId)).filter((e) => e.startsWith('action-plan.'));
        assert.deepEqual(journal, ['action-plan.issued', 'action-plan.item-accepted', 'action-plan.item-queried', 'action-plan.item-completed', 'action-plan.prosecutor-reviewed', 'action-plan.item-completed', 'action-plan.prosecutor-reviewed', 'action-plan.review-held', 'action-plan.item-completed', 'action-plan.answered']);
      });

      await s.test('a second plan after a full-code-test submission waits for a DCP, who is not its drafter', async () => {
        const caseId = await caseAt(t, w, 'AP/3');
        const append = (type: string, data: unknown) => caseRepository.appendEvent(t.database.db, { id: newId(), case_id: caseId, type, occurred_at: t.clock.now().toISOString(), recorded_at: t.clock.now().toISOString(), actor_user_id: null, data: JSON.stringify(data) });
        await append('charging.referred', { referralId: newId(), test: 'full_code' });
        const first = await plans.issueFromCharging(...as(w.prosecutor), caseId, { items: [item('First')] }, await version(t, caseId));
        assert.equal(first.issued, true, 'the first plan after the submission needs no DCP');
        await w.moveAsCommand(caseId, 'charging_referral');
        const second = await plans.issueFromCharging(...as(w.prosecutor), caseId, { items: [item('Second')] }, await version(t, caseId));
        assert.equal(second.issued, false);
        assert.equal(await stage(t, caseId), 'charging_referral');
        await rejects(plans.dcpReview(...as(w.prosecutor), caseId, second.id, { decision: 'approve', note: '' }, await version(t, caseId)), 'forbidden');
        await rejects(plans.respond(...as(w.oic), caseId, second.id, (await plans.plans(...as(w.oic), caseId)).plans[0]!.items[0]!.id, { response: 'accept', text: '' }, await version(t, caseId)), 'validation', /not been issued/);
        await plans.dcpReview(...as(w.dcp), caseId, second.id, { decision: 'approve', note: '' }, await version(t, caseId));
        assert.equal(await stage(t, caseId), 'action_plan');
        const events = await t.database.db.selectFrom('case_events').select(['type', 'data']).where('case_id', '=', caseId).where('type', 'like', 'action-plan.%').orderBy('seq').execute();
        assert.deepEqual(events.map((e) => [e.type, JSON.parse(e.data).secondAfterFullCodeTest ?? JSON.parse(e.data).approved]), [['action-plan.issued', false], ['action-plan.dcp-reviewed', true], ['action-plan.issued', true]]);
        await rejects(plans.dcpReview(...as(w.dcp), caseId, second.id, { decision: 'approve', note: '' }, await version(t, caseId)), 'validation', /not waiting/);
      });

      await s.test('a stale version is a conflict and writes nothing; another case’s plan is not found', async () => {
        const caseId = await caseAt(t, w, 'AP/4');
        const stale = await version(t, caseId);
        const { id: planId } = await plans.issueFromCharging(...as(w.prosecutor), caseId, { items: [item('One')] }, stale);
        const itemId = (await plans.plans(...as(w.oic), caseId)).plans[0]!.items[0]!.id;
        const before = await types(t, caseId);
        await rejects(plans.respond(...as(w.oic), caseId, planId, itemId, { response: 'accept', text: '' }, stale), 'conflict');
        assert.deepEqual(await types(t, caseId), before);
        await rejects(plans.respond(...as(w.oic), w.caseId, planId, itemId, { response: 'accept', text: '' }, await version(t, w.caseId)), 'not-found');
      });
    } finally {
      await t.close();
    }
  });
}

function dateOf(t: TestApp) {
  const [year, month, day] = t.clock.now().toISOString().slice(0, 10).split('-');
  return { day: day!, month: month!, year: year! };
}
