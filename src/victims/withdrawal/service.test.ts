// Withdrawal and re-engagement on both engines, through the service: whether
// someone spoke to the victim must be answered (and the conversation given
// when they did), the case's stage is kept, the journal carries codes and
// dates only, re-engagement once per withdrawal, the ISVA is told none of it
// exists, and police NFA outcome 16 is refused until a withdrawal after a
// conversation stands, and again after the victim re-engages.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { engines } from '../../../test/support/databases.ts';
import type { TestPerson } from '../../../test/support/app.ts';
import { rejects } from '../../cases/test-support.ts';
import { createPoliceNfaService } from '../../cases/police-nfa/service.ts';
import { victimTestApp } from '../test-support.ts';
import { createWithdrawalService } from './service.ts';
import type { WithdrawalInput } from './model.ts';

const day = (d: string) => ({ day: d, month: '3', year: '2026' });
const noDate = { day: '', month: '', year: '' };
const withdrawal: WithdrawalInput = { withdrawnOn: day('2'), reason: 'length_of_process', reasonDetail: '', spokenToVictim: 'yes', spokenOn: day('3'), spokenHow: 'in_person', spokenBy: 'DC Sam Taylor', isvaInvolved: 'yes' };
const nfa16 = {
  outcomeCode: '16', rationale: 'The victim no longer supports the investigation and there is no other evidence.', meetingHeldOn: noDate, meetingAttendees: '',
  contactOn: day('3'), contactMethod: 'in_person', contactBy: 'DC Sam Taylor', contactSummary: 'The victim does not wish to continue; her ISVA was present.',
};

for (const engine of engines) {
  test(`${engine}: a victim's withdrawal and re-engagement`, async (s) => {
    const { t, w } = await victimTestApp(engine);
    try {
      t.clock.set('2026-03-10T12:00:00Z');
      await w.support(w.victimId);
      const service = createWithdrawalService(t.platform);
      const nfa = createPoliceNfaService(t.platform);
      const as = (p: TestPerson) => [w.actor(p), w.context(p)] as const;
      const version = async () => (await w.cases.caseFile(...as(w.oic), w.caseId)).summary.version;
      const events = async (type: string) => (await w.cases.caseFile(...as(w.oic), w.caseId)).events.filter((e) => e.type === type);
      const list = async () => (await service.withdrawals(...as(w.oic), w.caseId, w.victimId)).withdrawals;

      await s.test('whether someone spoke to the victim must be answered, with the conversation when they did', async () => {
        await rejects(service.record(...as(w.oic), w.caseId, w.victimId, { ...withdrawal, spokenToVictim: '' }, await version()), 'validation', 'spokenToVictim');
        await rejects(service.record(...as(w.oic), w.caseId, w.victimId, { ...withdrawal, spokenOn: noDate }, await version()), 'validation', 'spokenOn-day');
        await rejects(service.record(...as(w.oic), w.caseId, w.victimId, { ...withdrawal, spokenHow: 'pigeon' }, await version()), 'validation', 'spokenHow');
        await rejects(service.record(...as(w.oic), w.caseId, w.victimId, { ...withdrawal, spokenBy: '' }, await version()), 'validation', 'spokenBy');
        await rejects(service.record(...as(w.oic), w.caseId, w.victimId, { ...withdrawal, reason: 'other' }, await version()), 'validation', 'reasonDetail');
        await rejects(service.record(...as(w.oic), w.caseId, w.victimId, { ...withdrawal, isvaInvolved: 'maybe' }, await version()), 'validation', 'isvaInvolved');
        await rejects(service.record(...as(w.dcp), w.caseId, w.victimId, withdrawal, await version()), 'forbidden');
        assert.equal((await list()).length, 0, 'nothing written on a refusal');
      });

      await s.test('outcome 16 is refused without a withdrawal after a conversation, and allowed with one', async () => {
        await rejects(nfa.propose(...as(w.oic), w.caseId, nfa16, await version()), 'validation', /Withdrawal page/);
        // A withdrawal where nobody spoke to the victim is recorded, but does not allow outcome 16.
        await service.record(...as(w.prosecutor), w.caseId, w.victimId, { ...withdrawal, spokenToVictim: 'no', spokenOn: noDate, spokenHow: '', spokenBy: '', isvaInvolved: 'no' }, await version());
        await rejects(nfa.propose(...as(w.oic), w.caseId, nfa16, await version()), 'validation', 'outcomeCode');
        assert.equal((await nfa.nfaFile(...as(w.oic), w.caseId)).file.withdrawalRecorded, false);
        const id = await service.record(...as(w.oic), w.caseId, w.victimId, withdrawal, await version());
        const recorded = (await events('victims.withdrawal.recorded'))[0]!;
        assert.deepEqual(recorded.data, { victimId: w.victimId, withdrawalId: id, stage: 'investigation', reasonCode: 'length_of_process', reasonsVersion: 1, spokenToVictim: true, isvaInvolved: true, on: '2026-03-02' });
        const [latest] = await list();
        assert.deepEqual({ stage: latest!.stage, conversation: latest!.conversation }, { stage: 'investigation', conversation: { on: '2026-03-03', how: 'in_person', by: 'DC Sam Taylor' } });
        assert.equal((await nfa.nfaFile(...as(w.oic), w.caseId)).file.withdrawalRecorded, true);
        await nfa.propose(...as(w.oic), w.caseId, nfa16, await version());
        assert.equal((await nfa.nfaFile(...as(w.oic), w.caseId)).file.pending?.outcomeCode, 16);

        // Once the victim re-engages, outcome 16 is refused again.
        await rejects(service.reEngage(...as(w.oic), w.caseId, w.victimId, id, { on: day('1'), how: 'phone' }, await version()), 'validation', 'on-day');
        await rejects(service.reEngage(...as(w.oic), w.caseId, w.victimId, id, { on: day('8'), how: '' }, await version()), 'validation', 'how');
        await rejects(service.reEngage(...as(w.oic), w.caseId, w.victimId, w.caseId, { on: day('8'), how: 'phone' }, await version()), 'not-found');
        await service.reEngage(...as(w.prosecutor), w.caseId, w.victimId, id, { on: day('8'), how: 'phone' }, await version());
        await rejects(service.reEngage(...as(w.oic), w.caseId, w.victimId, id, { on: day('9'), how: 'phone' }, await version()), 'validation', 'on-day');
        assert.deepEqual((await events('victims.withdrawal.re-engaged')).map((e) => e.data), [{ victimId: w.victimId, withdrawalId: id, on: '2026-03-08' }]);
        assert.deepEqual((await list()).find((x) => x.id === id)!.reEngaged, { on: '2026-03-08', how: 'phone' });
        await rejects(nfa.propose(...as(w.oic), w.caseId, nfa16, await version()), 'validation', 'outcomeCode');
      });

      await s.test('the victim’s ISVA and strangers are told withdrawals do not exist; a stale version is a conflict', async () => {
        await rejects(service.withdrawals(...as(w.isva), w.caseId, w.victimId), 'not-found');
        await rejects(service.record(...as(w.isva), w.caseId, w.victimId, withdrawal, await version()), 'not-found');
        await rejects(service.withdrawals(...as(w.otherForceInvestigator), w.caseId, w.victimId), 'not-found');
        const before = (await list()).length;
        await rejects(service.record(...as(w.oic), w.caseId, w.victimId, withdrawal, (await version()) - 1), 'conflict');
        assert.equal((await list()).length, before);
      });
    } finally {
      await t.close();
    }
  });
}
