// The investigation part on both engines: the supervisory review schedule,
// pre-charge bail up the authority ladder, release under investigation with
// its working-day escalation across a bank holiday weekend, pausing and
// resuming clocks, waiting on the victim, and who may do each.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { engines } from '../../../test/support/databases.ts';
import type { TestApp } from '../../../test/support/app.ts';
import { addMonths } from '../../platform/deadlines/model.ts';
import { addCalendarDays, londonDate } from '../../platform/time/working-days.ts';
import { caseTestApp, dateInput, problemOf } from '../test-support.ts';
import type { CaseWorld } from '../test-support.ts';
import { authorityNeeded, bailLadders } from './model.ts';
import { createInvestigationService } from './service.ts';

async function caseVersion(t: TestApp, caseId: string): Promise<number> {
  return Number((await t.database.db.selectFrom('cases').select('version').where('id', '=', caseId).executeTakeFirstOrThrow()).version);
}

async function deadlines(t: TestApp, caseId: string, ruleKey: string) {
  return t.database.db.selectFrom('deadlines').selectAll().where('subject_id', '=', caseId).where('rule_key', '=', ruleKey).orderBy('created_at').orderBy('id').execute();
}

async function suspectId(t: TestApp, w: CaseWorld): Promise<string> {
  return (await t.database.db.selectFrom('case_people').select('id').where('case_id', '=', w.caseId).where('category', '=', 'suspect').executeTakeFirstOrThrow()).id;
}

test('the bail ladder: 3 months by an inspector, 6 by a superintendent, 9 by a Crown Prosecutor, then a court', () => {
  const ladder = bailLadders[0];
  assert.equal(authorityNeeded(ladder, '2025-01-31', addMonths('2025-01-31', 3)), 'inspector');
  assert.equal(authorityNeeded(ladder, '2025-01-31', addMonths('2025-01-31', 6)), 'superintendent');
  assert.equal(authorityNeeded(ladder, '2025-01-31', addMonths('2025-01-31', 9)), 'crown_prosecutor');
  assert.equal(authorityNeeded(ladder, '2025-01-31', '2025-11-01'), 'magistrates_court');
});

for (const engine of engines) {
  test(`${engine}: investigation clocks`, async (s) => {
    const { t, w } = await caseTestApp(engine);
    const service = createInvestigationService(t.platform);
    const as = (p: CaseWorld['oic']) => [w.actor(p), w.context(p)] as const;
    const today = () => londonDate(t.clock.now());
    try {
      await s.test('supervisory reviews: started by the team, recorded only by a supervisor, each opening the next', async () => {
        await service.startReviews(...as(w.oic), w.caseId, await caseVersion(t, w.caseId));
        const [first] = await deadlines(t, w.caseId, 'supervisory-review');
        assert.equal(first!.due_on, addCalendarDays(today(), 14));
        assert.equal((await problemOf(service.startReviews(...as(w.oic), w.caseId, await caseVersion(t, w.caseId)))).type, 'validation', 'started once');
        assert.equal((await problemOf(service.recordReview(...as(w.oic), w.caseId, { reviewedOn: dateInput(today()), note: 'Looked at it' }, await caseVersion(t, w.caseId)))).type, 'forbidden', 'an investigator is not a supervisor');
        assert.equal((await problemOf(service.recordReview(...as(w.prosecutor), w.caseId, { reviewedOn: dateInput(today()), note: 'Looked at it' }, await caseVersion(t, w.caseId)))).type, 'forbidden', 'nor is a prosecutor');
        assert.equal((await problemOf(service.recordReview(...as(w.otherForceInvestigator), w.caseId, { reviewedOn: dateInput(today()), note: 'x' }, 1))).type, 'not-found');
        const invalid = await problemOf(service.recordReview(...as(w.supervisor), w.caseId, { reviewedOn: { day: '', month: '', year: '' }, note: '' }, await caseVersion(t, w.caseId)));
        assert.deepEqual(invalid.fieldErrors.map((e) => e.field), ['reviewedOn-day', 'note']);
        const reviewedOn = addCalendarDays(today(), -2);
        const due = await service.recordReview(...as(w.supervisor), w.caseId, { reviewedOn: dateInput(reviewedOn), note: 'Lines of enquiry agreed' }, await caseVersion(t, w.caseId));
        assert.equal(due, addCalendarDays(reviewedOn, 14));
        const all = await deadlines(t, w.caseId, 'supervisory-review');
        assert.deepEqual(all.map((d) => d.status), ['met', 'open']);
        const view = await service.investigation(...as(w.oic), w.caseId);
        assert.equal(view.nextReview?.dueOn, due);
        assert.equal(view.reviews[0]?.note, 'Lines of enquiry agreed');
        const event = await t.database.db.selectFrom('case_events').select(['data']).where('case_id', '=', w.caseId).where('type', '=', 'investigation.supervisory-review').executeTakeFirstOrThrow();
        assert.doesNotMatch(event.data, /Lines of enquiry/, 'the note stays out of the journal');
      });

      await s.test('bail: set for 3 months, each extension needs the next authority up and moves the clock on', async () => {
        const personId = await suspectId(t, w);
        const started = '2025-01-31';
        assert.equal((await problemOf(service.setBail(...as(w.prosecutor), w.caseId, { personId, startedOn: dateInput(started), conditions: 'No contact' }, await caseVersion(t, w.caseId)))).type, 'forbidden');
        const notSuspect = await problemOf(service.setBail(...as(w.oic), w.caseId, { personId: w.caseId, startedOn: dateInput(started), conditions: 'No contact' }, await caseVersion(t, w.caseId)));
        assert.equal(notSuspect.fieldErrors[0]?.field, 'personId');
        const until = await service.setBail(...as(w.oic), w.caseId, { personId, startedOn: dateInput(started), conditions: 'No contact with the victim' }, await caseVersion(t, w.caseId));
        assert.equal(until, '2025-04-30');
        let view = await service.investigation(...as(w.oic), w.caseId);
        const bail = view.suspects[0]!.bail!;
        assert.equal(bail.authority, 'inspector');
        assert.deepEqual(bail.next, { until: '2025-07-30', authority: 'superintendent' });
        const tooJunior = await problemOf(service.extendBail(...as(w.oic), w.caseId, { bailId: bail.id, authority: 'inspector' }, await caseVersion(t, w.caseId)));
        assert.equal(tooJunior.fieldErrors[0]?.field, 'authority');
        assert.equal((await deadlines(t, w.caseId, 'pre-charge-bail')).length, 1, 'a refused extension changes nothing');
        assert.equal(await service.extendBail(...as(w.oic), w.caseId, { bailId: bail.id, authority: 'superintendent' }, await caseVersion(t, w.caseId)), '2025-07-30');
        assert.equal((await problemOf(service.extendBail(...as(w.oic), w.caseId, { bailId: bail.id, authority: 'superintendent' }, await caseVersion(t, w.caseId)))).fieldErrors[0]?.message, 'Bail until 2025-10-30 must be authorised by a crown prosecutor or above');
        assert.equal(await service.extendBail(...as(w.oic), w.caseId, { bailId: bail.id, authority: 'crown_prosecutor' }, await caseVersion(t, w.caseId)), '2025-10-30');
        view = await service.investigation(...as(w.oic), w.caseId);
        assert.equal(view.suspects[0]!.bail!.next.authority, 'magistrates_court');
        assert.equal(view.suspects[0]!.bail!.extensions.length, 2);
        const clocks = await deadlines(t, w.caseId, 'pre-charge-bail');
        assert.deepEqual(clocks.map((d) => [d.status, d.due_on]), [['met', '2025-04-30'], ['met', '2025-07-30'], ['open', '2025-10-30']]);
        assert.equal((await problemOf(service.setBail(...as(w.oic), w.caseId, { personId, startedOn: dateInput(started), conditions: 'x' }, await caseVersion(t, w.caseId)))).fieldErrors[0]?.message, 'The suspect is already on bail: extend it instead');
      });

      await s.test('released under investigation: bail ends, reviews fall due every 30 days and escalate a working day late, past a bank holiday', async () => {
        const personId = await suspectId(t, w);
        // Due Friday 22 August 2025; Monday 25 August is the summer bank holiday.
        const due = await service.releaseUnderInvestigation(...as(w.oic), w.caseId, { personId, on: dateInput('2025-07-23') }, await caseVersion(t, w.caseId));
        assert.equal(due, '2025-08-22');
        const [rui] = await deadlines(t, w.caseId, 'released-under-investigation.review');
        assert.equal(rui!.next_step_due_on, '2025-08-26', 'the first step waits for the next working day, Tuesday');
        assert.deepEqual((await deadlines(t, w.caseId, 'pre-charge-bail')).map((d) => d.status), ['met', 'met', 'met']);
        let view = await service.investigation(...as(w.oic), w.caseId);
        assert.equal(view.suspects[0]!.status, 'released-under-investigation');
        const next = await service.reviewRui(...as(w.oic), w.caseId, { ruiId: view.suspects[0]!.rui!.id, on: dateInput('2025-08-20') }, await caseVersion(t, w.caseId));
        assert.equal(next, '2025-09-19');
        view = await service.investigation(...as(w.oic), w.caseId);
        assert.equal(view.suspects[0]!.rui!.nextReviewDue, '2025-09-19');
        assert.equal(view.suspects[0]!.rui!.lastReviewedOn, '2025-08-20');
        await service.recordSuspectEvent(...as(w.oic), w.caseId, 'arrested', { personId, on: dateInput('2025-01-30') }, await caseVersion(t, w.caseId));
        await service.recordSuspectEvent(...as(w.oic), w.caseId, 'interviewed', { personId, on: dateInput('2025-01-31') }, await caseVersion(t, w.caseId));
        view = await service.investigation(...as(w.oic), w.caseId);
        assert.equal(view.suspects[0]!.arrestedOn, '2025-01-30');
        assert.equal(view.suspects[0]!.interviewedOn, '2025-01-31');
      });

      await s.test('pause and resume: only where the rule allows, and the due date moves on by the pause', async () => {
        const [review] = (await deadlines(t, w.caseId, 'supervisory-review')).filter((d) => d.status === 'open');
        const refused = await problemOf(service.pause(...as(w.oic), w.caseId, review!.id, 'Waiting for a report', await caseVersion(t, w.caseId)));
        assert.match(refused.fieldErrors[0]!.message, /cannot be paused/);
        await w.moveAsCommand(w.caseId, 'early_advice');
        const [advice] = await deadlines(t, w.caseId, 'early-advice.response');
        const noReason = await problemOf(service.pause(...as(w.prosecutor), w.caseId, advice!.id, '  ', await caseVersion(t, w.caseId)));
        assert.equal(noReason.fieldErrors[0]?.field, 'reason');
        assert.equal((await problemOf(service.pause(...as(w.prosecutor), w.caseId, advice!.id, 'Awaiting the ABE', 1))).type, 'conflict', 'a stale version changes nothing');
        await service.pause(...as(w.prosecutor), w.caseId, advice!.id, 'Awaiting the ABE', await caseVersion(t, w.caseId));
        t.clock.advance({ days: 3 });
        await service.resume(...as(w.prosecutor), w.caseId, advice!.id, await caseVersion(t, w.caseId));
        const [after] = await deadlines(t, w.caseId, 'early-advice.response');
        assert.equal(after!.status, 'open');
        assert.equal(after!.due_on, addCalendarDays(advice!.due_on, 3));
        const found = await service.deadlines(...as(w.supervisor), w.caseId);
        assert.ok(found.clocks.find((c) => c.id === advice!.id)?.pausable);
        const types = (await t.database.db.selectFrom('case_events').select('type').where('case_id', '=', w.caseId).execute()).map((e) => e.type);
        assert.ok(types.includes('investigation.deadline-paused') && types.includes('investigation.deadline-resumed'));
        assert.equal((await problemOf(service.deadlines(...as(w.isva), w.caseId))).type, 'not-found');
      });

      await s.test('waiting on the victim: marked with a reason, then re-engaged, never twice', async () => {
        assert.equal((await problemOf(service.setAwaitingVictim(...as(w.oic), w.caseId, { waiting: true, reasonCode: 'made-up' }, await caseVersion(t, w.caseId)))).type, 'validation');
        await service.setAwaitingVictim(...as(w.oic), w.caseId, { waiting: true, reasonCode: 'considering_support' }, await caseVersion(t, w.caseId));
        assert.equal((await problemOf(service.setAwaitingVictim(...as(w.oic), w.caseId, { waiting: true, reasonCode: 'unavailable' }, await caseVersion(t, w.caseId)))).type, 'validation');
        assert.equal((await service.investigation(...as(w.oic), w.caseId)).awaitingVictim?.reasonCode, 'considering_support');
        await service.setAwaitingVictim(...as(w.prosecutor), w.caseId, { waiting: false }, await caseVersion(t, w.caseId));
        assert.equal((await service.investigation(...as(w.oic), w.caseId)).awaitingVictim, null);
      });
    } finally {
      await t.close();
    }
  });
}
