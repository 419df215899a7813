// NFA scrutiny panels on both engines, through the service: escalation leads
// and heads of RASSO unit set up panels for their own force or Area only; any
// 'panel_member' and the force's and Area's case workers may sit; a round
// selects every NFA decision of the period, or a reproducible stratified
// sample with its seed recorded; packs carry pseudonyms, not the case; only a
// panel's members and managers see its packs; members review, except on cases
// they worked on; the chair's findings send the learning to the officer and
// prosecutor as notifications; actions are tracked with their history; the
// themes report counts agreed findings and suppresses small counts when shared.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { engines } from '../../../test/support/databases.ts';
import { rejects } from '../../cases/test-support.ts';
import { notificationsFor } from '../../platform/deadlines/service.ts';
import { nfaCasesIn } from '../../cases/oversight/nfa-review.ts';
import { prepareRound } from './service.ts';
import { scrutinyTestApp, soundReview, unsoundReview, worldPanel } from './test-support.ts';

const date = (iso: string) => ({ year: iso.slice(0, 4), month: iso.slice(5, 7), day: iso.slice(8, 10) });
const round = (from: string, to: string, extra: Partial<{ method: string; sampleSize: string; seed: string; kinds: string[] }> = {}) => ({
  from: date(from), to: date(to), kinds: ['police_nfa', 'cps_nfa'], method: 'all', sampleSize: '', seed: '', ...extra,
});

for (const engine of engines) {
  test(`${engine}: NFA scrutiny panels`, async (s) => {
    const { t, w } = await scrutinyTestApp(engine);
    try {
      const db = t.platform.db;
      const audits = async (event: string) => (await db.selectFrom('audit_events').select('details').execute()).filter((row) => JSON.parse(row.details).event === event).length;
      // Decisions in February (police and CPS, with and without flags), one in March, one on another force's case.
      const feb = [
        await w.policeNfa({ decidedOn: '2026-02-03', outcomeCode: '18' }),
        await w.policeNfa({ decidedOn: '2026-02-05', outcomeCode: '18', flags: { domesticAbuse: true } }),
        await w.policeNfa({ decidedOn: '2026-02-09', outcomeCode: '15', flags: { vulnerableVictim: true } }),
        await w.cpsNfa({ decidedOn: '2026-02-12', decision: 'nfa_evidential' }),
        await w.cpsNfa({ decidedOn: '2026-02-20', decision: 'nfa_public_interest', flags: { domesticAbuse: true } }),
      ];
      const march: string[] = [];
      for (const day of ['04', '06', '11', '17', '25']) march.push(await w.policeNfa({ decidedOn: `2026-03-${day}`, outcomeCode: '21' }));
      t.clock.set('2026-04-15T10:00:00Z');
      let panelId = '';

      await s.test('managers set up panels for their own force or Area only; others are refused, and it is journalled', async () => {
        panelId = await worldPanel(w);
        const view = await w.scrutiny.panel(...w.as(w.escalationLead), panelId);
        assert.deepEqual(view.members.map((m) => [m.name, m.role, m.external]), [['Mark Ellis', 'chair', false], ['Aisha Khan', 'member', false], ['Claire Fenwick', 'member', true]]);
        assert.deepEqual([view.panel.forceName, view.panel.cpsAreaName, view.panel.version], ['Avon and Somerset Police', 'CPS South West', 4]);
        // The head of RASSO unit of the Area manages it too; another force's lead may not set one up for this force.
        assert.equal((await w.scrutiny.panel(...w.as(w.headOfRasso), panelId)).powers.manage, true);
        const before = await audits('scrutiny.forbidden');
        await rejects(w.scrutiny.createPanel(...w.as(w.otherLead), { name: 'Not mine', forceId: w.force, cpsAreaId: w.area }), 'forbidden');
        await rejects(w.scrutiny.createPanel(...w.as(w.planLead), { name: 'Not mine', forceId: w.force, cpsAreaId: '' }), 'forbidden');
        assert.equal(await audits('scrutiny.forbidden'), before + 2);
        await rejects(w.scrutiny.createPanel(...w.as(w.escalationLead), { name: '', forceId: w.force, cpsAreaId: '' }), 'validation', 'name');
        await rejects(w.scrutiny.createPanel(...w.as(w.escalationLead), { name: 'Wrong', forceId: w.area, cpsAreaId: '' }), 'validation', 'forceId');
        await rejects(w.scrutiny.createPanel(...w.as(w.escalationLead), { name: 'Wrong', forceId: w.force, cpsAreaId: w.otherForce }), 'validation', 'cpsAreaId');
      });

      await s.test('who may sit: panel members anywhere and case workers of the force or Area, once; managers only change members', async () => {
        const version = (await w.scrutiny.panel(...w.as(w.escalationLead), panelId)).panel.version;
        await rejects(w.scrutiny.addMember(...w.as(w.escalationLead), panelId, { email: w.analyst.email, role: 'member' }, version), 'validation', 'email');
        await rejects(w.scrutiny.addMember(...w.as(w.escalationLead), panelId, { email: 'nobody@nowhere.example', role: 'member' }, version), 'validation', 'email');
        await rejects(w.scrutiny.addMember(...w.as(w.escalationLead), panelId, { email: w.otherForceInvestigator.email, role: 'member' }, version), 'validation', 'email');
        await rejects(w.scrutiny.addMember(...w.as(w.escalationLead), panelId, { email: w.external.email, role: 'member' }, version), 'validation', /already sits/);
        await rejects(w.scrutiny.addMember(...w.as(w.escalationLead), panelId, { email: w.headOfRasso.email, role: 'member' }, version - 1), 'conflict');
        await rejects(w.scrutiny.addMember(...w.as(w.panelMember), panelId, { email: w.headOfRasso.email, role: 'member' }, version), 'forbidden');
        await rejects(w.scrutiny.addMember(...w.as(w.otherLead), panelId, { email: w.headOfRasso.email, role: 'member' }, version), 'not-found');
        // The supervisor who signs off the world's NFAs sits too (the conflict of interest is checked case by case).
        const added = await w.scrutiny.addMember(...w.as(w.headOfRasso), panelId, { email: w.supervisor.email, role: 'member' }, version);
        assert.equal(added.version, version + 1);
        const view = await w.scrutiny.panel(...w.as(w.escalationLead), panelId);
        assert.equal(view.members.find((m) => m.name === 'Priya Shah')?.organisationName, 'Avon and Somerset Police');
        // One chair at a time: making another member the chair makes the chair before a member.
        const aisha = view.members.find((m) => m.name === 'Aisha Khan')!;
        const mark = view.members.find((m) => m.name === 'Mark Ellis')!;
        const chaired = await w.scrutiny.changeMember(...w.as(w.escalationLead), panelId, aisha.id, 'chair', view.panel.version);
        assert.deepEqual((await w.scrutiny.panel(...w.as(w.escalationLead), panelId)).members.filter((m) => m.role === 'chair').map((m) => m.name), ['Aisha Khan']);
        await rejects(w.scrutiny.changeMember(...w.as(w.escalationLead), panelId, aisha.id, 'chair', chaired), 'validation', /already chairs/);
        await w.scrutiny.changeMember(...w.as(w.escalationLead), panelId, mark.id, 'chair', chaired);
      });

      let roundId = '';
      await s.test('a round selects every NFA decision of the period on the panel’s cases, each with a pseudonym and a pack', async () => {
        const version = (await w.scrutiny.panel(...w.as(w.escalationLead), panelId)).panel.version;
        await rejects(w.scrutiny.selectCases(...w.as(w.escalationLead), panelId, round('2026-02-01', '2026-01-01'), version), 'validation', 'to-day');
        await rejects(w.scrutiny.selectCases(...w.as(w.escalationLead), panelId, round('2026-02-01', '2026-05-01'), version), 'validation', 'to-day');
        await rejects(w.scrutiny.selectCases(...w.as(w.escalationLead), panelId, round('2025-06-01', '2025-06-30'), version), 'validation', /no decisions/);
        await rejects(w.scrutiny.selectCases(...w.as(w.escalationLead), panelId, round('2026-02-01', '2026-02-28', { kinds: [] }), version), 'validation', 'kinds');
        await rejects(w.scrutiny.selectCases(...w.as(w.panelMember), panelId, round('2026-02-01', '2026-02-28'), version), 'forbidden');
        await rejects(w.scrutiny.selectCases(...w.as(w.escalationLead), panelId, round('2026-02-01', '2026-02-28'), version - 1), 'conflict');
        roundId = await w.scrutiny.selectCases(...w.as(w.escalationLead), panelId, round('2026-02-01', '2026-02-28'), version);
        const view = await w.scrutiny.round(...w.as(w.panelMember), panelId, roundId);
        assert.deepEqual([view.round.method, view.round.population, view.round.selected, view.round.seed], ['all', 5, 5, null]);
        assert.deepEqual(view.packs.map((p) => p.pseudonym), [1, 2, 3, 4, 5]);
        assert.deepEqual(view.packs.map((p) => p.label), ['P-0001', 'P-0002', 'P-0003', 'P-0004', 'P-0005']);
        assert.deepEqual(view.round.strata.map((x) => [x.key, x.population]).sort(), [
          ['cps_nfa/nfa_evidential/-/-', 1], ['cps_nfa/nfa_public_interest/da/-', 1], ['police_nfa/15/-/vv', 1], ['police_nfa/18/-/-', 1], ['police_nfa/18/da/-', 1],
        ]);
        const cases = await db.selectFrom('scrutiny_cases').select(['case_id', 'pack']).where('round_id', '=', roundId).execute();
        assert.deepEqual(cases.map((c) => c.case_id).sort(), [...feb].sort());
        assert.ok(!cases.some((c) => c.pack.includes(c.case_id)), 'no pack names its case');
        const police = JSON.parse(cases.find((c) => c.case_id === feb[2])!.pack);
        assert.deepEqual([police.decisions[0].kind, police.decisions[0].outcome, police.decisions[0].day, police.daysToDecision, police.flags], ['police_nfa', '15', 35, 35, ['vulnerableVictim']]);
        assert.deepEqual(police.decisions[0].victimTold, { day: 35, rightToReview: true });
        assert.equal(police.decisions[0].jointMeeting, 'not_required');
        assert.deepEqual(police.stages.map((x: { stage: string }) => x.stage), ['crime_recorded', 'investigation', 'police_nfa']);
        const cps = JSON.parse(cases.find((c) => c.case_id === feb[3])!.pack);
        assert.deepEqual([cps.decisions[0].kind, cps.decisions[0].outcome, cps.decisions[0].suspects, cps.decisions[0].rationale], ['cps_nfa', 'nfa_evidential', 1, 'The evidence does not give a realistic prospect of conviction.']);
        // The period is taken: another round may not cover any of it.
        await rejects(w.scrutiny.selectCases(...w.as(w.escalationLead), panelId, round('2026-02-20', '2026-03-10'), version + 1), 'validation', /already has a review round/);
        assert.equal(await audits('scrutiny.select'), 1);
      });

      await s.test('a sample is stratified, records its seed, and the seed reproduces it', async () => {
        const forceOnly = await w.scrutiny.createPanel(...w.as(w.escalationLead), { name: 'Force panel', forceId: w.force, cpsAreaId: '' });
        await rejects(w.scrutiny.selectCases(...w.as(w.escalationLead), forceOnly, round('2026-02-01', '2026-03-31', { method: 'sample', sampleSize: '0' }), 1), 'validation', 'sampleSize');
        await rejects(w.scrutiny.selectCases(...w.as(w.escalationLead), forceOnly, round('2026-02-01', '2026-03-31', { method: 'sample', sampleSize: '3', seed: 'no spaces!' }), 1), 'validation', 'seed');
        const sampled = await w.scrutiny.selectCases(...w.as(w.escalationLead), forceOnly, round('2026-02-01', '2026-03-31', { method: 'sample', sampleSize: '7', seed: '' }), 1);
        const view = await w.scrutiny.round(...w.as(w.escalationLead), forceOnly, sampled);
        assert.match(view.round.seed ?? '', /^[0-9a-f]{12}$/, 'a seed was drawn and recorded');
        assert.equal(view.round.population, 10);
        // Six strata: five of one case each, and the March decisions (five) give two of the seven asked for.
        assert.deepEqual([view.round.sampleSize, view.round.selected, view.round.strata.length], [7, 7, 6]);
        assert.deepEqual(view.round.strata.map((x) => [x.key, x.population, x.selected]).filter(([, n]) => n !== 1), [['police_nfa/21/-/-', 5, 2]]);
        // The recorded seed draws the same sample again from the same decisions; another seed may not.
        const selected = (await db.selectFrom('scrutiny_cases').select('case_id').where('round_id', '=', sampled).execute()).map((r) => r.case_id).sort();
        const redraw = (seed: string) => prepareRound(db, { forceId: w.force, cpsAreaId: null }, { from: '2026-02-01', to: '2026-03-31', kinds: ['police_nfa', 'cps_nfa'], method: 'sample', sampleSize: 7, seed });
        const again = await redraw(view.round.seed!);
        assert.deepEqual(again.items.map((i) => i.caseId).sort(), selected);
        assert.deepEqual(again.strata, view.round.strata);
        assert.equal(selected.filter((id) => march.includes(id)).length, 2);
        const others = await Promise.all(['s-1', 's-2', 's-3', 's-4', 's-5', 's-6'].map(redraw));
        assert.ok(others.some((o) => o.items.map((i) => i.caseId).sort().join() !== selected.join()), 'other seeds draw other March cases');
        // Only police decisions, when asked.
        const found = await nfaCasesIn(db, { forceId: w.force, cpsAreaId: w.area, from: '2026-02-01', to: '2026-03-31', kinds: ['police_nfa'] });
        assert.equal(found.length, 8);
      });

      let packId = '';
      await s.test('only the panel’s members and managers see its packs; everyone else is told they do not exist', async () => {
        const view = await w.scrutiny.round(...w.as(w.external), panelId, roundId);
        packId = view.packs.find((p) => p.pack.decisions[0]!.kind === 'police_nfa' && p.pack.flags.includes('domesticAbuse'))!.id;
        const pack = await w.scrutiny.pack(...w.as(w.external), packId);
        assert.equal(pack.label.startsWith('P-'), true);
        assert.equal(pack.reviews, null, 'a member does not see the others’ reviews');
        for (const person of [w.planLead, w.analyst, w.otherLead, w.oic, w.prosecutor, w.isva, w.dcp]) {
          await rejects(w.scrutiny.pack(...w.as(person), packId), 'not-found');
          await rejects(w.scrutiny.panel(...w.as(person), panelId), 'not-found');
          await rejects(w.scrutiny.round(...w.as(person), panelId, roundId), 'not-found');
        }
        const overview = await w.scrutiny.overview(w.as(w.external)[0]);
        assert.deepEqual(overview.panels.map((p) => [p.name, p.role]), [['Avon and Somerset RASSO scrutiny panel', 'member']]);
        assert.equal((await w.scrutiny.overview(w.as(w.planLead)[0])).panels.length, 0);
        // A member removed from the panel loses sight of it at once.
        const before = await w.scrutiny.panel(...w.as(w.escalationLead), panelId);
        const aisha = before.members.find((m) => m.name === 'Aisha Khan')!;
        const version = await w.scrutiny.changeMember(...w.as(w.escalationLead), panelId, aisha.id, 'end', before.panel.version);
        await rejects(w.scrutiny.pack(...w.as(w.panelMember), packId), 'not-found');
        await w.scrutiny.addMember(...w.as(w.escalationLead), panelId, { email: w.panelMember.email, role: 'member' }, version);
        assert.equal((await w.scrutiny.pack(...w.as(w.panelMember), packId)).label, pack.label);
      });

      await s.test('members review, except on a case they worked on; a review changes only with the version read', async () => {
        await rejects(w.scrutiny.submitReview(...w.as(w.external), packId, { ...unsoundReview, soundReasons: '' }, null), 'validation', 'soundReasons');
        await rejects(w.scrutiny.submitReview(...w.as(w.external), packId, { ...unsoundReview, mythKinds: [] }, null), 'validation', 'mythKinds');
        await rejects(w.scrutiny.submitReview(...w.as(w.external), packId, { ...soundReview, mythKinds: ['intoxication'] }, null), 'validation', 'mythKinds');
        await rejects(w.scrutiny.submitReview(...w.as(w.external), packId, { ...soundReview, sound: 'maybe' }, null), 'validation', 'sound');
        const first = await w.scrutiny.submitReview(...w.as(w.external), packId, unsoundReview, null);
        assert.equal(first, 1);
        await rejects(w.scrutiny.submitReview(...w.as(w.external), packId, soundReview, null), 'conflict');
        assert.equal(await w.scrutiny.submitReview(...w.as(w.external), packId, { ...unsoundReview, observations: 'Changed my mind on nothing.' }, 1), 2);
        await w.scrutiny.submitReview(...w.as(w.panelMember), packId, { ...soundReview, sound: 'partly', soundReasons: 'Victim’s account not fully explored.' }, null);
        // The supervisor signed off this decision: not theirs to judge.
        const before = await audits('scrutiny.conflict-of-interest');
        await rejects(w.scrutiny.submitReview(...w.as(w.supervisor), packId, soundReview, null), 'forbidden');
        assert.equal(await audits('scrutiny.conflict-of-interest'), before + 1);
        assert.equal((await w.scrutiny.pack(...w.as(w.supervisor), packId)).conflicted, true);
        // Managers who do not sit may read, not review.
        await rejects(w.scrutiny.submitReview(...w.as(w.headOfRasso), packId, soundReview, null), 'forbidden');
        const chairView = await w.scrutiny.pack(...w.as(w.escalationLead), packId);
        assert.deepEqual(chairView.reviews?.map((r) => [r.memberName, r.sound]), [['Claire Fenwick', 'no'], ['Aisha Khan', 'partly']]);
        assert.deepEqual((await w.scrutiny.pack(...w.as(w.external), packId)).mine?.mythKinds, ['delayed_reporting', 'intoxication']);
      });

      await s.test('the chair agrees the findings once; the learning reaches the officer and the prosecutor', async () => {
        const findings = { ...unsoundReview, learning: 'Request CCTV early; do not treat delay in reporting as a reason to doubt the account.' };
        const version = (await w.scrutiny.pack(...w.as(w.escalationLead), packId)).version;
        await rejects(w.scrutiny.agreeFindings(...w.as(w.external), packId, findings, version), 'forbidden');
        await rejects(w.scrutiny.agreeFindings(...w.as(w.escalationLead), packId, { ...findings, learning: ' ' }, version), 'validation', 'learning');
        await rejects(w.scrutiny.agreeFindings(...w.as(w.escalationLead), packId, findings, version + 1), 'conflict');
        await w.scrutiny.agreeFindings(...w.as(w.escalationLead), packId, findings, version);
        await rejects(w.scrutiny.agreeFindings(...w.as(w.escalationLead), packId, findings, version + 1), 'validation', /already agreed/);
        await rejects(w.scrutiny.submitReview(...w.as(w.panelMember), packId, soundReview, 1), 'validation', /can no longer change/);
        const pack = await w.scrutiny.pack(...w.as(w.panelMember), packId);
        assert.deepEqual([pack.findings?.sound, [...pack.findings!.sentTo].sort()], ['no', ['oic', 'prosecutor']]);

        const reference = (await db.selectFrom('scrutiny_cases').innerJoin('cases', 'cases.id', 'scrutiny_cases.case_id').select('cases.police_reference').where('scrutiny_cases.id', '=', packId).executeTakeFirstOrThrow()).police_reference;
        for (const person of [w.oic, w.prosecutor]) {
          const [told] = await notificationsFor(db, person.id);
          assert.equal(told?.kind, 'scrutiny.learning');
          assert.equal(told?.text, `Learning from the Avon and Somerset RASSO scrutiny panel on case ${reference}`);
          assert.equal(told?.href, `/scrutiny/learning/${told?.subjectId}`);
          const learning = await w.scrutiny.learning(...w.as(person), told!.subjectId);
          assert.equal(learning.policeReference, reference);
          assert.equal(learning.findings?.learning, findings.learning);
          assert.equal((await w.scrutiny.learningList(w.as(person)[0])).length, 1);
          // Nobody else reads it: not the other recipient, not the panel, not the supervisor.
          for (const other of [w.supervisor, w.escalationLead, w.external, person === w.oic ? w.prosecutor : w.oic]) await rejects(w.scrutiny.learning(...w.as(other), told!.subjectId), 'not-found');
        }
        assert.equal((await notificationsFor(db, w.supervisor.id)).filter((n) => n.kind === 'scrutiny.learning').length, 0);
      });

      await s.test('actions arising are tracked: a change of status needs a note, and a stale one is a conflict', async () => {
        await rejects(w.scrutiny.addAction(...w.as(w.external), panelId, { text: 'x', owner: 'y', dueOn: date('2026-06-01'), packId: '' }), 'forbidden');
        await rejects(w.scrutiny.addAction(...w.as(w.escalationLead), panelId, { text: '', owner: '', dueOn: date('2026-02-30'), packId: '' }), 'validation', 'text');
        await rejects(w.scrutiny.addAction(...w.as(w.escalationLead), panelId, { text: 'Brief', owner: 'Lead', dueOn: date('2026-06-01'), packId: roundId }), 'validation', 'packId');
        const actionId = await w.scrutiny.addAction(...w.as(w.escalationLead), panelId, { text: 'Myths and stereotypes briefing for Operation Bluestone', owner: 'AVS RASSO training lead', dueOn: date('2026-04-01'), packId });
        const { action } = await w.scrutiny.action(...w.as(w.external), panelId, actionId);
        assert.deepEqual([action.status, action.overdue, action.packLabel !== null], ['open', true, true]);
        await rejects(w.scrutiny.updateAction(...w.as(w.headOfRasso), panelId, actionId, { status: 'done', note: '' }, 1), 'validation', 'note');
        await rejects(w.scrutiny.updateAction(...w.as(w.headOfRasso), panelId, actionId, { status: 'open', note: 'Same.' }, 1), 'validation', 'status');
        assert.equal(await w.scrutiny.updateAction(...w.as(w.headOfRasso), panelId, actionId, { status: 'in_progress', note: 'Briefing booked.' }, 1), 2);
        await rejects(w.scrutiny.updateAction(...w.as(w.escalationLead), panelId, actionId, { status: 'done', note: 'Done.' }, 1), 'conflict');
        const after = await w.scrutiny.action(...w.as(w.escalationLead), panelId, actionId);
        assert.deepEqual(after.history.map((h) => [h.from, h.to, h.note]), [['open', 'in_progress', 'Briefing booked.'], [null, 'open', 'Action recorded']]);
      });

      await s.test('the themes report counts the agreed findings, and suppresses small counts when it leaves the panel', async () => {
        const view = await w.scrutiny.round(...w.as(w.escalationLead), panelId, roundId);
        for (const p of view.packs.filter((x) => !x.agreed)) {
          await w.scrutiny.agreeFindings(...w.as(w.escalationLead), p.id, { ...soundReview, myths: 'yes', mythKinds: ['intoxication'], learning: 'None beyond good practice.' }, 1);
        }
        const panelView = await w.scrutiny.themes(...w.as(w.external), panelId, false);
        const all = panelView.columns.at(-1)!.values;
        assert.deepEqual([all.reviewed, all['sound.yes'], all['sound.no'], all.missedEnquiries, all.myths, all['myth.intoxication'], all['myth.delayed_reporting']], [5, 4, 1, 1, 5, 5, 1]);
        assert.equal(panelView.columns.length, 2);
        const shared = (await w.scrutiny.themes(...w.as(w.external), panelId, true)).columns.at(-1)!.values;
        assert.deepEqual([shared.reviewed, shared['sound.no'], shared['sound.partly'], shared['sound.yes'], shared.missedEnquiries, shared['myth.intoxication'], shared['myth.delayed_reporting']], [5, '<5', 0, '<5', '<5', 5, '<5']);
        await rejects(w.scrutiny.themes(...w.as(w.planLead), panelId, true), 'not-found');
      });
    } finally {
      await t.close();
    }
  });
}
