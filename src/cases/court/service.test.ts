// The court part's service on both engines: only the CPS side's court roles
// record (police and the VLO are refused, strangers told nothing), the stage
// rules (first hearing only at Charged, and it moves the case to Court), the
// adjournment and sentence rules, completion once every defendant has an
// outcome, the court case number format, and stale versions as conflicts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { engines } from '../../../test/support/databases.ts';
import { caseTestApp, dateInput, problemOf } from '../test-support.ts';
import { createCourtService } from './service.ts';

for (const engine of engines) {
  test(`${engine}: the court part`, async (s) => {
    const { t, w } = await caseTestApp(engine);
    try {
      t.clock.set(new Date('2025-06-02T10:00:00Z'));
      const court = createCourtService(t.platform);
      const as = (p: typeof w.oic) => [w.actor(p), w.context(p)] as const;
      const version = async () => Number((await t.database.db.selectFrom('cases').select('version').where('id', '=', w.caseId).executeTakeFirstOrThrow()).version);
      const stage = async () => (await t.database.db.selectFrom('cases').select('stage').where('id', '=', w.caseId).executeTakeFirstOrThrow()).stage;
      const types = async () => (await t.database.db.selectFrom('case_events').select('type').where('case_id', '=', w.caseId).orderBy('seq').execute()).map((e) => e.type);

      await s.test('before charge, the first hearing is refused with the reason', async () => {
        const problem = await problemOf(court.recordFirstHearing(...as(w.prosecutor), w.caseId, { heldOn: dateInput('2025-06-01') }, await version()));
        assert.equal(problem.type, 'validation');
        assert.match(problem.fieldErrors[0]!.message, /once the case is charged/);
      });

      await w.moveAsCommand(w.caseId, 'charging_referral');
      await w.moveAsCommand(w.caseId, 'charged', w.prosecutor);

      await s.test('the police side and the VLO may not record court events; strangers are told nothing', async () => {
        assert.equal((await problemOf(court.recordFirstHearing(...as(w.oic), w.caseId, { heldOn: dateInput('2025-06-01') }, await version()))).type, 'forbidden');
        assert.equal((await problemOf(court.recordFirstHearing(...as(w.supervisor), w.caseId, { heldOn: dateInput('2025-06-01') }, await version()))).type, 'forbidden');
        assert.equal((await problemOf(court.recordFirstHearing(...as(w.vlo), w.caseId, { heldOn: dateInput('2025-06-01') }, await version()))).type, 'not-found', 'a VLO not on the team needs break-glass to see it');
        assert.equal((await problemOf(court.recordFirstHearing(...as(w.otherAreaDcp), w.caseId, { heldOn: dateInput('2025-06-01') }, await version()))).type, 'not-found');
        const view = await court.court(...as(w.oic), w.caseId);
        assert.equal(view.mayRecord, false, 'police see the court record but may not record');
      });

      await s.test('a first hearing in the future is refused; a stale version is a conflict and writes nothing', async () => {
        const future = await problemOf(court.recordFirstHearing(...as(w.prosecutor), w.caseId, { heldOn: dateInput('2025-06-03') }, await version()));
        assert.equal(future.type, 'validation');
        const stale = await problemOf(court.recordFirstHearing(...as(w.prosecutor), w.caseId, { heldOn: dateInput('2025-06-01') }, (await version()) - 1));
        assert.equal(stale.type, 'conflict');
        assert.equal(await stage(), 'charged');
        assert.equal(await t.database.db.selectFrom('case_hearings').select('id').where('case_id', '=', w.caseId).execute().then((r) => r.length), 0);
      });

      await s.test('recording the first hearing moves the case to Court, journalled on the day held', async () => {
        const created = await court.recordFirstHearing(...as(w.prosecutor), w.caseId, { heldOn: dateInput('2025-06-01') }, await version());
        assert.equal(await stage(), 'court');
        assert.equal(created.caseVersion, await version());
        const held = await t.database.db.selectFrom('case_events').selectAll().where('case_id', '=', w.caseId).where('type', '=', 'court.hearing-held').executeTakeFirstOrThrow();
        assert.deepEqual(JSON.parse(held.data), { hearingId: created.id, kind: 'first_hearing', on: '2025-06-01' });
        assert.equal(held.occurred_at.slice(0, 10), '2025-06-01');
        const again = await problemOf(court.recordFirstHearing(...as(w.prosecutor), w.caseId, { heldOn: dateInput('2025-06-01') }, await version()));
        assert.equal(again.type, 'validation', 'a second first hearing is refused: the case is at court');
      });

      await s.test('court case numbers: letters, digits and slashes, 4 to 30', async () => {
        assert.equal((await problemOf(court.recordCourtCaseNumber(...as(w.prosecutor), w.caseId, { courtCaseNumber: 'T2025-0001' }, await version()))).type, 'validation');
        assert.equal((await problemOf(court.recordCourtCaseNumber(...as(w.prosecutor), w.caseId, { courtCaseNumber: 'T1' }, await version()))).type, 'validation');
        await court.recordCourtCaseNumber(...as(w.prosecutor), w.caseId, { courtCaseNumber: ' t2025 0001/a ' }, await version());
        const row = await t.database.db.selectFrom('cases').select('court_case_number').where('id', '=', w.caseId).executeTakeFirstOrThrow();
        assert.equal(row.court_case_number, 'T20250001/A');
        assert.ok((await types()).includes('case.details-changed'));
      });

      await s.test('hearings are listed, adjourned with a coded reason and relisted, and held; trials are journalled as such', async () => {
        const trial = await court.listHearing(...as(w.dcp), w.caseId, { kind: 'trial', court: 'crown', listedOn: dateInput('2025-09-15') }, await version());
        assert.ok((await types()).includes('court.trial-listed'));
        const bad = await problemOf(court.adjournHearing(...as(w.prosecutor), w.caseId, trial.id, { reasonCode: 'bored', requestedBy: 'nobody', relistOn: dateInput('') }, await version()));
        assert.deepEqual(bad.fieldErrors.map((e) => e.field), ['reasonCode', 'requestedBy']);
        await court.adjournHearing(...as(w.prosecutor), w.caseId, trial.id, { reasonCode: 'no_court_time', requestedBy: 'court', relistOn: dateInput('2025-11-03') }, await version());
        const record = (await court.court(...as(w.oic), w.caseId)).record;
        assert.deepEqual(record.hearings.map((h) => [h.kind, h.status, h.listedOn]), [['first_hearing', 'held', '2025-06-01'], ['trial', 'adjourned', '2025-09-15'], ['trial', 'listed', '2025-11-03']]);
        const adjourned = await t.database.db.selectFrom('case_events').select('data').where('case_id', '=', w.caseId).where('type', '=', 'court.adjourned').executeTakeFirstOrThrow();
        assert.deepEqual(JSON.parse(adjourned.data), { hearingId: trial.id, reasonCode: 'no_court_time', reasonsVersion: 1, requestedBy: 'court' });
        const again = await problemOf(court.holdHearing(...as(w.prosecutor), w.caseId, trial.id, { heldOn: dateInput('2025-06-02') }, await version()));
        assert.equal(again.type, 'validation', 'an adjourned hearing cannot be held');
        const mention = await court.listHearing(...as(w.prosecutor), w.caseId, { kind: 'mention', court: 'crown', listedOn: dateInput('2025-06-02') }, await version());
        await court.holdHearing(...as(w.prosecutor), w.caseId, mention.id, { heldOn: dateInput('2025-06-02') }, await version());
        await court.sendToCrownCourt(...as(w.prosecutor), w.caseId, { sentOn: dateInput('2025-06-01') }, await version());
        assert.equal((await problemOf(court.sendToCrownCourt(...as(w.prosecutor), w.caseId, { sentOn: dateInput('2025-06-01') }, await version()))).type, 'validation');
      });

      const suspects = await t.database.db.selectFrom('case_people').select('id').where('case_id', '=', w.caseId).where('category', '=', 'suspect').execute();
      const first = suspects[0]!.id;

      await s.test('a sentence needs a conviction; victim withdrawal only with a discontinuance or withdrawal', async () => {
        const early = await problemOf(court.recordSentence(...as(w.prosecutor), w.caseId, { suspectId: first, sentenceType: 'immediate_custody', months: '96', sentencedOn: dateInput('2025-06-02') }, await version()));
        assert.match(early.fieldErrors[0]!.message, /no guilty plea or conviction/);
        const withdrawal = await problemOf(court.recordOutcome(...as(w.prosecutor), w.caseId, { suspectId: first, outcome: 'convicted', outcomeOn: dateInput('2025-06-02'), victimWithdrawal: true }, await version()));
        assert.deepEqual(withdrawal.fieldErrors.map((e) => e.field), ['victimWithdrawal']);
      });

      await s.test('with two defendants, the case completes only when both have an outcome', async () => {
        // A second suspect added to the case.
        await w.cases.addPerson(w.actor(w.oic), w.context(w.oic), w.caseId, { category: 'suspect', name: 'Suspect Two', dateOfBirth: { day: '', month: '', year: '' } }, await version());
        const second = (await t.database.db.selectFrom('case_people').select('id').where('case_id', '=', w.caseId).where('name', '=', 'Suspect Two').executeTakeFirstOrThrow()).id;
        const one = await court.recordOutcome(...as(w.prosecutor), w.caseId, { suspectId: first, outcome: 'convicted', outcomeOn: dateInput('2025-06-02'), victimWithdrawal: false }, await version());
        assert.equal(one.completed, false);
        assert.equal(await stage(), 'court');
        assert.equal((await problemOf(court.recordOutcome(...as(w.prosecutor), w.caseId, { suspectId: first, outcome: 'acquitted', outcomeOn: dateInput('2025-06-02'), victimWithdrawal: false }, await version()))).type, 'validation');
        const two = await court.recordOutcome(...as(w.prosecutor), w.caseId, { suspectId: second, outcome: 'withdrawn', outcomeOn: dateInput('2025-06-02'), victimWithdrawal: true }, await version());
        assert.equal(two.completed, true);
        assert.equal(await stage(), 'completed');
        const journal = await types();
        assert.deepEqual(journal.slice(-2), ['court.outcome-recorded', 'case.stage-changed']);
        // After completion: outcomes are closed, sentences may still be recorded.
        assert.equal((await problemOf(court.listHearing(...as(w.prosecutor), w.caseId, { kind: 'mention', court: 'crown', listedOn: dateInput('2025-07-01') }, await version()))).type, 'validation');
        const lengthless = await problemOf(court.recordSentence(...as(w.prosecutor), w.caseId, { suspectId: first, sentenceType: 'immediate_custody', months: '', sentencedOn: dateInput('2025-06-02') }, await version()));
        assert.deepEqual(lengthless.fieldErrors.map((e) => e.field), ['months']);
        await court.recordSentence(...as(w.prosecutor), w.caseId, { suspectId: first, sentenceType: 'immediate_custody', months: '96', sentencedOn: dateInput('2025-06-02') }, await version());
        const sentenced = (await court.court(...as(w.oic), w.caseId)).record.defendants.find((d) => d.suspectId === first)!;
        assert.deepEqual([sentenced.sentenceType, sentenced.sentenceMonths], ['immediate_custody', 96]);
        assert.equal((await problemOf(court.recordSentence(...as(w.prosecutor), w.caseId, { suspectId: first, sentenceType: 'fine', months: '', sentencedOn: dateInput('2025-06-02') }, await version()))).type, 'validation');
      });
    } finally {
      await t.close();
    }
  });
}
