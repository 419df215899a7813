// Charging referrals and CPS decisions on both engines, through the service:
// who may refer, triage and decide (the other side and other roles are
// refused); the stages each command may start from; the reasons police give
// when they never asked for early advice; a decision per suspect, the case
// moving when the last suspect has one; consultations counted per suspect;
// the Victims' Code clock opened in the decision's transaction (and kept when
// the case closes); administrative finalisation and reopening; conflicts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { engines } from '../../../test/support/databases.ts';
import { systemContext } from '../../platform/audit/model.ts';
import { deadlinesFor } from '../../platform/deadlines/service.ts';
import { createCaseCommands } from '../case-commands.ts';
import { CASE_SUBJECT } from '../deadlines.ts';
import { caseTestApp, rejects, worldCase } from '../test-support.ts';
import type { TestPerson } from '../../../test/support/app.ts';
import { createChargingService } from './service.ts';

const reasonless = { notRequestedReason: '', notRequestedDetail: '' };
const why = { notRequestedReason: 'straightforward', notRequestedDetail: 'Full admissions in interview and CCTV of the suspect.' };

for (const engine of engines) {
  test(`${engine}: charging referrals and CPS decisions`, async (s) => {
    const { t, w } = await caseTestApp(engine);
    try {
      const charging = createChargingService(t.platform);
      const as = (p: TestPerson) => [w.actor(p), w.context(p)] as const;
      const version = async (caseId: string) => (await w.cases.caseFile(...as(w.oic), caseId)).summary.version;
      const file = (caseId: string) => charging.chargingFile(...as(w.prosecutor), caseId).then((f) => f.file);
      const stage = async (caseId: string) => (await w.cases.caseFile(...as(w.oic), caseId)).summary.stage;
      const events = async (caseId: string) => (await w.cases.caseFile(...as(w.oic), caseId)).events.map((e) => e.type);
      const suspectsOf = async (caseId: string) => (await file(caseId)).suspects.map((x) => x.id);
      let n = 0;
      /** A fresh case at Investigation with two suspects; vulnerable victim if asked. */
      const newCase = async (vulnerable = false) => {
        n += 1;
        const base = worldCase(w.force, w.area, w.oic.id, w.prosecutor.id, `CH/${n}/26`);
        return w.cases.operator.createCase(systemContext(), {
          ...base,
          flags: { vulnerableVictim: vulnerable },
          people: [...(base.people ?? []), { category: 'suspect', name: 'Suspect Two' }],
        });
      };
      const refer = async (caseId: string, suspects?: string[]) =>
        charging.refer(...as(w.oic), caseId, { test: 'full_code', suspectIds: suspects ?? (await suspectsOf(caseId)), ...why }, await version(caseId));
      const accept = async (caseId: string) => charging.triage(...as(w.prosecutor), caseId, { items: ['mg3_complete', 'victim_views'], result: 'accepted', reasons: '' }, await version(caseId));
      const decide = async (caseId: string, suspectId: string, decision: string, by: TestPerson = w.prosecutor) =>
        charging.decide(...as(by), caseId, {
          suspectId, decision, alternativeOffence: false, reasons: 'Reasons recorded on the MG3.',
          offences: decision === 'charge' ? [{ offenceClass: 'rape_16_plus', wording: 'Rape contrary to section 1(1) of the Sexual Offences Act 2003' }] : [],
        }, await version(caseId));

      await s.test('only police refer; a referral without early advice must say why; suspects must be on the case', async () => {
        const caseId = await newCase();
        const suspects = await suspectsOf(caseId);
        await rejects(charging.refer(...as(w.prosecutor), caseId, { test: 'full_code', suspectIds: suspects, ...why }, await version(caseId)), 'forbidden');
        await rejects(charging.refer(...as(w.oic), caseId, { test: 'full_code', suspectIds: suspects, ...reasonless }, await version(caseId)), 'validation', 'notRequestedReason');
        await rejects(charging.refer(...as(w.oic), caseId, { test: 'full_code', suspectIds: [], ...why }, await version(caseId)), 'validation', 'suspectIds');
        await rejects(charging.refer(...as(w.oic), caseId, { test: 'full_code', suspectIds: [w.oic.id], ...why }, await version(caseId)), 'validation', 'suspectIds');
        await rejects(charging.refer(...as(w.oic), caseId, { test: 'sometime', suspectIds: suspects, ...why }, await version(caseId)), 'validation', 'test');
        assert.equal(await stage(caseId), 'investigation');
        await charging.refer(...as(w.supervisor), caseId, { test: 'threshold', suspectIds: suspects, ...why }, await version(caseId));
        assert.equal(await stage(caseId), 'charging_referral');
        const types = await events(caseId);
        assert.ok(types.includes('charging.referred') && types.includes('advice.not-requested'));
        const current = (await file(caseId)).current!;
        assert.equal(current.test, 'threshold');
        assert.equal(current.notRequested?.reason, 'straightforward');
        // Not again while it awaits a decision.
        await rejects(refer(caseId), 'validation', 'test');
      });

      await s.test('no reason is asked when police asked for early advice', async () => {
        const caseId = await newCase();
        const commands = createCaseCommands(t.platform);
        const loaded = await commands.load(...as(w.oic), caseId, 'work');
        await commands.command(...as(w.oic), loaded, await version(caseId), async () => ({ events: [{ type: 'advice.requested', data: { requestId: loaded.row.id, dueOn: '2026-12-01' } }], stage: 'early_advice', audit: { action: 'alter', event: 'test.advice' } }));
        await charging.refer(...as(w.oic), caseId, { test: 'full_code', suspectIds: await suspectsOf(caseId), ...reasonless }, await version(caseId));
        assert.equal(await stage(caseId), 'charging_referral');
        assert.ok(!(await events(caseId)).includes('advice.not-requested'));
        assert.equal((await file(caseId)).current!.notRequested, null);
      });

      await s.test('triage is the CPS’s; a returned file needs reasons; decisions wait for an accepted triage', async () => {
        const caseId = await newCase();
        await refer(caseId);
        const [first] = await suspectsOf(caseId);
        await rejects(decide(caseId, first!, 'charge'), 'validation', 'decision');
        await rejects(charging.triage(...as(w.oic), caseId, { items: [], result: 'accepted', reasons: '' }, await version(caseId)), 'forbidden');
        await rejects(charging.triage(...as(w.prosecutor), caseId, { items: ['mg3_complete'], result: 'returned', reasons: '' }, await version(caseId)), 'validation', 'reasons');
        await rejects(charging.triage(...as(w.prosecutor), caseId, { items: ['made_up'], result: 'accepted', reasons: '' }, await version(caseId)), 'validation', 'items');
        await charging.triage(...as(w.prosecutor), caseId, { items: ['mg3_complete'], result: 'returned', reasons: 'No disclosure schedules.' }, await version(caseId));
        const returned = (await file(caseId)).current!;
        assert.equal(returned.triage?.result, 'returned');
        assert.deepEqual(returned.triage?.items, ['mg3_complete']);
        assert.ok((await events(caseId)).includes('charging.triaged'));
        await rejects(decide(caseId, first!, 'charge'), 'validation', 'decision');
        // Police resubmit; the new referral is triaged afresh.
        await refer(caseId);
        assert.equal((await file(caseId)).referrals.length, 2);
        assert.equal((await file(caseId)).current!.triage, null);
      });

      await s.test('a decision per suspect: the case moves with the last; consultations are counted', async () => {
        const caseId = await newCase();
        await refer(caseId);
        await accept(caseId);
        const [first, second] = await suspectsOf(caseId);
        await rejects(decide(caseId, first!, 'charge', w.oic), 'forbidden');
        await rejects(charging.decide(...as(w.prosecutor), caseId, { suspectId: first!, decision: 'charge', offences: [], alternativeOffence: false, reasons: 'Sufficient evidence.' }, await version(caseId)), 'validation', 'offenceClass');
        await rejects(charging.decide(...as(w.prosecutor), caseId, { suspectId: first!, decision: 'nfa_evidential', offences: [], alternativeOffence: true, reasons: 'Insufficient evidence.' }, await version(caseId)), 'validation', 'alternativeOffence');
        await decide(caseId, first!, 'nfa_evidential');
        assert.equal(await stage(caseId), 'charging_referral');
        const open = await deadlinesFor(t.platform.db, CASE_SUBJECT, caseId);
        assert.deepEqual(open.filter((d) => d.status === 'open').map((d) => d.ruleKey), ['victims-code.cps-no-charge']);
        const types = await events(caseId);
        assert.ok(types.includes('scrutiny.queued') && types.includes('victim-letter.queued'));
        await rejects(decide(caseId, first!, 'charge'), 'validation', 'suspectId');
        await charging.decide(...as(w.dcp), caseId, { suspectId: second!, decision: 'charge', offences: [{ offenceClass: 'other_serious_sexual_offence', wording: 'Sexual assault contrary to section 3' }], alternativeOffence: true, reasons: 'Evidence supports the alternative.' }, await version(caseId));
        assert.equal(await stage(caseId), 'charged');
        const after = await file(caseId);
        assert.deepEqual(after.suspects.map((x) => [x.consultations, x.decision]), [[2, 'nfa_evidential'], [2, 'charge']]);
        const charge = after.decisions.find((d) => d.kind === 'charge')!;
        assert.equal(charge.alternativeOffence, true);
        assert.equal(charge.offences[0]!.offenceClass, 'other_serious_sexual_offence');
        // Charging does not cancel the clock for the suspect not charged; the charge opens the Victims' Code clocks of its own.
        assert.deepEqual((await deadlinesFor(t.platform.db, CASE_SUBJECT, caseId)).filter((d) => d.status === 'open').map((d) => d.ruleKey).sort(), ['victims-code.charge', 'victims-code.cps-no-charge', 'victims-code.pre-trial-meeting']);
      });

      await s.test('a decision not to charge anyone closes the case and keeps the Victims’ Code clock running (vulnerable: 1 working day)', async () => {
        const caseId = await newCase(true);
        await refer(caseId);
        await accept(caseId);
        const [first, second] = await suspectsOf(caseId);
        await decide(caseId, first!, 'nfa_public_interest');
        await decide(caseId, second!, 'nfa_evidential');
        assert.equal(await stage(caseId), 'cps_nfa');
        const open = (await deadlinesFor(t.platform.db, CASE_SUBJECT, caseId)).filter((d) => d.status === 'open');
        assert.deepEqual(open.map((d) => d.ruleKey), ['victims-code.cps-no-charge.vulnerable']);
        assert.equal((await events(caseId)).filter((e) => e === 'scrutiny.queued').length, 2);

        // Reopening the CPS decision: back to Charging referral, the suspects await a fresh decision.
        await rejects(charging.reopen(...as(w.oic), caseId, { reason: 'Right to review' }, await version(caseId)), 'forbidden');
        await rejects(charging.reopen(...as(w.prosecutor), caseId, { reason: '' }, await version(caseId)), 'validation', 'reason');
        await charging.reopen(...as(w.prosecutor), caseId, { reason: 'Victim’s right to review upheld.' }, await version(caseId));
        assert.equal(await stage(caseId), 'charging_referral');
        const reopened = await file(caseId);
        assert.ok(reopened.suspects.every((x) => x.awaitingDecision && x.decision === null));
        await decide(caseId, first!, 'out_of_court_disposal');
        await decide(caseId, second!, 'nfa_evidential');
        assert.equal(await stage(caseId), 'out_of_court_disposal');
        assert.deepEqual((await file(caseId)).suspects.map((x) => x.consultations), [3, 3]);
      });

      await s.test('the whole decision is one transaction: a stale version writes nothing', async () => {
        const caseId = await newCase();
        await refer(caseId);
        await accept(caseId);
        const [first] = await suspectsOf(caseId);
        const stale = (await version(caseId)) - 1;
        await rejects(charging.decide(...as(w.prosecutor), caseId, { suspectId: first!, decision: 'nfa_evidential', offences: [], alternativeOffence: false, reasons: 'Insufficient evidence.' }, stale), 'conflict');
        assert.equal((await file(caseId)).decisions.length, 0);
        assert.equal((await deadlinesFor(t.platform.db, CASE_SUBJECT, caseId)).length, 0);
        // Two prosecutors deciding at once: one wins.
        const v = await version(caseId);
        const both = await Promise.allSettled([w.prosecutor, w.dcp].map((p) => charging.decide(...as(p), caseId, { suspectId: first!, decision: 'nfa_evidential', offences: [], alternativeOffence: false, reasons: 'Insufficient evidence.' }, v)));
        assert.equal(both.filter((r) => r.status === 'fulfilled').length, 1);
        assert.equal((await file(caseId)).decisions.length, 1);
      });

      await s.test('administrative finalisation from the stages it is allowed from, and reopening to Investigation', async () => {
        const caseId = await newCase();
        const finalise = async (by: TestPerson = w.prosecutor) => charging.finalise(...as(by), caseId, { reason: 'no_resubmission_after_return', detail: 'No resubmission in 90 days.' }, await version(caseId));
        await rejects(finalise(), 'validation', 'reason');
        await refer(caseId);
        await rejects(finalise(w.oic), 'forbidden');
        await rejects(charging.finalise(...as(w.prosecutor), caseId, { reason: 'bored', detail: '' }, await version(caseId)), 'validation', 'reason');
        await finalise();
        assert.equal(await stage(caseId), 'administratively_finalised');
        assert.ok((await events(caseId)).includes('charging.administratively-finalised'));
        await charging.reopen(...as(w.dcp), caseId, { reason: 'Police answered the action plan.' }, await version(caseId));
        assert.equal(await stage(caseId), 'investigation');
        await rejects(charging.reopen(...as(w.dcp), caseId, { reason: 'Again' }, await version(caseId)), 'validation', 'reason');
      });

      await s.test('strangers are told the case does not exist', async () => {
        await rejects(charging.chargingFile(...as(w.otherForceInvestigator), w.caseId), 'not-found');
        await rejects(charging.refer(...as(w.otherAreaDcp), w.caseId, { test: 'full_code', suspectIds: [], ...why }, 1), 'not-found');
      });
    } finally {
      await t.close();
    }
  });
}
