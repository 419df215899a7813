// Police decisions of no further action on both engines, through the
// service: only closing outcome codes; outcome 16 needs the victim's
// withdrawal on the journal (after someone spoke to them, not followed by
// re-engagement) and a recorded contact with the victim; a case ever referred to the CPS needs a joint meeting
// first (from the conferences part's journal event or recorded here);
// sign-off by a police supervisor other than the proposer moves the case and
// queues scrutiny and the victim's letter; stages and sides are enforced.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { engines } from '../../../test/support/databases.ts';
import type { TestPerson } from '../../../test/support/app.ts';
import { systemContext } from '../../platform/audit/model.ts';
import { createCaseCommands } from '../case-commands.ts';
import { caseTestApp, rejects, worldCase } from '../test-support.ts';
import { createPoliceNfaService } from './service.ts';
import type { ProposalInput } from './model.ts';

const noDate = { day: '', month: '', year: '' };
const proposal = (outcomeCode: string, extra: Partial<ProposalInput> = {}): ProposalInput => ({
  outcomeCode, rationale: 'The victim has withdrawn support and there is no other evidence.',
  meetingHeldOn: noDate, meetingAttendees: '', contactOn: noDate, contactMethod: '', contactBy: '', contactSummary: '', ...extra,
});
const contact = { contactOn: { day: '2', month: '3', year: '2026' }, contactMethod: 'in_person', contactBy: 'DC Sam Taylor', contactSummary: 'The victim does not wish to continue; an ISVA was present.' };
const signOff = { victimToldOn: { day: '4', month: '3', year: '2026' }, victimToldMethod: 'meeting', rightToReviewGiven: true };

for (const engine of engines) {
  test(`${engine}: police decisions of no further action`, async (s) => {
    const { t, w } = await caseTestApp(engine);
    try {
      t.clock.set('2026-03-10T12:00:00Z');
      const nfa = createPoliceNfaService(t.platform);
      const commands = createCaseCommands(t.platform);
      const secondSupervisor = await t.person({ email: 'jo@avs.example', name: 'Jo Hart', roles: [[w.force, 'police_supervisor']] });
      const as = (p: TestPerson) => [w.actor(p), w.context(p)] as const;
      const asSecond = () => [{ ...w.actor(w.supervisor), userId: secondSupervisor.id, displayName: 'Jo Hart', email: secondSupervisor.email }, { ...w.context(w.supervisor), userId: secondSupervisor.id }] as const;
      const read = (caseId: string) => w.cases.caseFile(...as(w.oic), caseId);
      const version = async (caseId: string) => (await read(caseId)).summary.version;
      const journal = async (caseId: string, type: string, data: Record<string, unknown>, stage?: 'early_advice') => {
        const loaded = await commands.load(...as(w.oic), caseId, 'work');
        await commands.command(...as(w.oic), loaded, await version(caseId), async () => ({ events: [{ type, data }], ...(stage ? { stage } : {}), audit: { action: 'alter', event: 'test.journal' } }));
      };
      const withdrew = (caseId: string, withdrawalId: string, spokenToVictim = true) => journal(caseId, 'victims.withdrawal.recorded', { victimId: caseId, withdrawalId, reasonCode: 'wants_to_move_on', reasonsVersion: 1, spokenToVictim, isvaInvolved: true, on: '2026-03-01' });
      let n = 0;
      const newCase = () => w.cases.operator.createCase(systemContext(), worldCase(w.force, w.area, w.oic.id, w.prosecutor.id, `NFA/${(n += 1)}/26`));

      await s.test('only closing outcome codes; a rationale; outcome 16 needs the victim’s withdrawal and a recorded contact with the victim', async () => {
        const caseId = await newCase();
        await rejects(nfa.propose(...as(w.oic), caseId, proposal('16', contact), await version(caseId)), 'validation', /Withdrawal page/);
        await withdrew(caseId, 'w-unspoken', false);
        await rejects(nfa.propose(...as(w.oic), caseId, proposal('16', contact), await version(caseId)), 'validation', 'outcomeCode');
        await withdrew(caseId, 'w-1');
        await journal(caseId, 'victims.withdrawal.re-engaged', { victimId: caseId, withdrawalId: 'w-1', on: '2026-03-02' });
        await rejects(nfa.propose(...as(w.oic), caseId, proposal('16', contact), await version(caseId)), 'validation', 'outcomeCode');
        await withdrew(caseId, 'w-2');
        assert.equal((await nfa.nfaFile(...as(w.oic), caseId)).file.withdrawalRecorded, true);
        for (const code of ['0', '1', '23', 'x']) await rejects(nfa.propose(...as(w.oic), caseId, proposal(code), await version(caseId)), 'validation', 'outcomeCode');
        await rejects(nfa.propose(...as(w.oic), caseId, proposal('18', { rationale: '' }), await version(caseId)), 'validation', 'rationale');
        await rejects(nfa.propose(...as(w.oic), caseId, proposal('16'), await version(caseId)), 'validation', 'contactOn-day');
        await rejects(nfa.propose(...as(w.oic), caseId, proposal('16', { ...contact, contactMethod: 'carrier pigeon' }), await version(caseId)), 'validation', 'contactMethod');
        await rejects(nfa.propose(...as(w.prosecutor), caseId, proposal('16', contact), await version(caseId)), 'forbidden');
        await nfa.propose(...as(w.oic), caseId, proposal('16', contact), await version(caseId));
        const types = (await read(caseId)).events.map((e) => e.type);
        assert.ok(types.includes('police-nfa.proposed') && types.includes('police-nfa.victim-contact-recorded'));
        assert.equal((await read(caseId)).summary.stage, 'investigation');
        const pending = (await nfa.nfaFile(...as(w.supervisor), caseId)).file.pending!;
        assert.equal(pending.contact?.method, 'in_person');
        assert.equal(pending.outcomeCode, 16);
      });

      await s.test('sign-off: a police supervisor, not the proposer, confirming the right to review was given', async () => {
        const caseId = await newCase();
        await withdrew(caseId, 'w-1');
        await nfa.propose(...as(w.supervisor), caseId, proposal('16', contact), await version(caseId));
        await rejects(nfa.signOff(...as(w.oic), caseId, signOff, await version(caseId)), 'forbidden');
        await rejects(nfa.signOff(...as(w.dcp), caseId, signOff, await version(caseId)), 'forbidden');
        await rejects(nfa.signOff(...as(w.supervisor), caseId, signOff, await version(caseId)), 'validation', 'victimToldOn');
        await rejects(nfa.signOff(...asSecond(), caseId, { ...signOff, rightToReviewGiven: false }, await version(caseId)), 'validation', 'rightToReviewGiven');
        await rejects(nfa.signOff(...asSecond(), caseId, { ...signOff, victimToldOn: { day: '1', month: '1', year: '2027' } }, await version(caseId)), 'validation', 'victimToldOn-day');
        await nfa.signOff(...asSecond(), caseId, signOff, await version(caseId));
        const after = await read(caseId);
        assert.equal(after.summary.stage, 'police_nfa');
        const types = after.events.map((e) => e.type);
        for (const type of ['police-nfa.signed-off', 'police-nfa.decided', 'scrutiny.queued', 'victim-letter.queued']) assert.ok(types.includes(type), type);
        const decided = after.events.find((e) => e.type === 'police-nfa.decided')!;
        assert.equal(decided.data.outcomeCode, 16);
        const record = (await nfa.nfaFile(...as(w.oic), caseId)).file;
        assert.equal(record.pending, null);
        assert.equal(record.decisions[0]!.signedOffBy, 'Jo Hart');
        assert.deepEqual(record.decisions[0]!.victimTold, { on: '2026-03-04', method: 'meeting' });
        // Closed: nothing more to propose or sign off.
        await rejects(nfa.propose(...as(w.oic), caseId, proposal('18'), await version(caseId)), 'validation', 'outcomeCode');
      });

      await s.test('a case referred to the CPS needs a joint meeting first, recorded here or by the conferences part', async () => {
        const caseId = await newCase();
        await journal(caseId, 'advice.requested', { requestId: caseId, dueOn: '2026-03-31' }, 'early_advice');
        await rejects(nfa.propose(...as(w.oic), caseId, proposal('15'), await version(caseId)), 'validation', 'meetingHeldOn-day');
        await rejects(nfa.propose(...as(w.oic), caseId, proposal('15', { meetingHeldOn: { day: '9', month: '3', year: '2026' } }), await version(caseId)), 'validation', 'meetingAttendees');
        await nfa.propose(...as(w.oic), caseId, proposal('15', { meetingHeldOn: { day: '9', month: '3', year: '2026' }, meetingAttendees: 'DC Taylor, Daniel Okafor (CPS)' }), await version(caseId));
        const meeting = (await read(caseId)).events.find((e) => e.type === 'conference.recorded')!;
        assert.deepEqual({ kind: meeting.data.kind, heldOn: meeting.data.heldOn }, { kind: 'pre_nfa_meeting', heldOn: '2026-03-09' });
        await nfa.signOff(...as(w.supervisor), caseId, signOff, await version(caseId));
        assert.equal((await read(caseId)).summary.stage, 'police_nfa');

        const other = await newCase();
        await journal(other, 'advice.requested', { requestId: other, dueOn: '2026-03-31' }, 'early_advice');
        await journal(other, 'conference.recorded', { conferenceId: other, kind: 'pre_nfa_meeting', heldOn: '2026-03-08' });
        assert.equal((await nfa.nfaFile(...as(w.oic), other)).file.meetingOn, '2026-03-08');
        await nfa.propose(...as(w.oic), other, proposal('15'), await version(other));
        // A meeting of another kind does not count.
        const third = await newCase();
        await journal(third, 'charging.referred', { referralId: third, test: 'full_code' });
        await journal(third, 'conference.recorded', { conferenceId: third, kind: 'case_management_panel', heldOn: '2026-03-08' });
        await rejects(nfa.propose(...as(w.oic), third, proposal('15'), await version(third)), 'validation', 'meetingHeldOn-day');
      });

      await s.test('a stale version is a conflict and writes nothing', async () => {
        const caseId = await newCase();
        const v = await version(caseId);
        await nfa.propose(...as(w.oic), caseId, proposal('18'), v);
        await rejects(nfa.propose(...as(w.oic), caseId, proposal('21'), v), 'conflict');
        assert.equal((await nfa.nfaFile(...as(w.oic), caseId)).file.decisions.length, 1);
      });

      await s.test('strangers are told the case does not exist', async () => {
        await rejects(nfa.nfaFile(...as(w.otherForceInvestigator), w.caseId), 'not-found');
        await rejects(nfa.propose(...as(w.isva), w.caseId, proposal('18'), 1), 'not-found');
      });
    } finally {
      await t.close();
    }
  });
}
