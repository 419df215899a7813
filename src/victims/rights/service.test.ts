// The victim's rights on both engines: the Victims' Code ledger applies from
// the journal (a police NFA signed off) and takes its proof from a letter the
// letters part dispatched; right-to-review requests run through their clocks
// to a reopened case (police scheme), a late CPS request needs a reason and
// goes from local resolution to independent review, requests at the wrong
// stage are refused, and an ISVA is told none of this exists.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { engines } from '../../../test/support/databases.ts';
import type { TestPerson } from '../../../test/support/app.ts';
import { deadlinesFor } from '../../platform/deadlines/service.ts';
import { createCaseCommands } from '../../cases/case-commands.ts';
import { CASE_SUBJECT } from '../../cases/deadlines.ts';
import { createPoliceNfaService } from '../../cases/police-nfa/service.ts';
import { dateInput, problemOf, rejects } from '../../cases/test-support.ts';
import { victimTestApp } from '../test-support.ts';
import { createRightsService } from './service.ts';

const noDate = { day: '', month: '', year: '' };

for (const engine of engines) {
  test(`${engine}: the victim's rights`, async (s) => {
    const { t, w } = await victimTestApp(engine);
    try {
      t.clock.set('2026-03-10T12:00:00Z');
      const rights = createRightsService(t.platform);
      const commands = createCaseCommands(t.platform);
      const as = (p: TestPerson) => [w.actor(p), w.context(p)] as const;
      const version = async () => (await w.cases.caseFile(...as(w.oic), w.caseId)).summary.version;
      const stage = async () => (await w.cases.caseFile(...as(w.oic), w.caseId)).summary.stage;
      const deadlines = () => deadlinesFor(t.platform.db, CASE_SUBJECT, w.caseId);
      const events = async (prefix: string) => (await t.platform.db.selectFrom('case_events').select(['type', 'data']).where('case_id', '=', w.caseId).orderBy('seq').execute()).filter((e) => e.type.startsWith(prefix));
      await w.support(w.victimId);

      await s.test('the ISVA, even the victim’s own, is told the rights records do not exist', async () => {
        assert.equal((await problemOf(rights.ledger(...as(w.isva), w.caseId, w.victimId))).type, 'not-found');
        assert.equal((await problemOf(rights.reviews(...as(w.isva), w.caseId, w.victimId))).type, 'not-found');
        const request = { scheme: 'police', toldOn: dateInput('2026-03-10'), receivedOn: dateInput('2026-03-10'), lateReason: '' };
        assert.equal((await problemOf(rights.requestReview(...as(w.isva), w.caseId, w.victimId, request, await version()))).type, 'not-found');
      });

      await s.test('a police request is refused before the case is closed by police NFA', async () => {
        assert.deepEqual((await rights.ledger(...as(w.oic), w.caseId, w.victimId)).lines, []);
        await rejects(rights.requestReview(...as(w.oic), w.caseId, w.victimId, { scheme: 'police', toldOn: dateInput('2026-03-10'), receivedOn: dateInput('2026-03-10'), lateReason: '' }, await version()), 'validation', 'scheme');
      });

      // The police close the case: the right to be told of it, with the right to review, applies.
      const nfa = createPoliceNfaService(t.platform);
      await nfa.propose(...as(w.oic), w.caseId, { outcomeCode: '18', rationale: 'No suspect identified after all lines of enquiry.', meetingHeldOn: noDate, meetingAttendees: '', contactOn: noDate, contactMethod: '', contactBy: '', contactSummary: '' }, await version());
      await nfa.signOff(...as(w.supervisor), w.caseId, { victimToldOn: dateInput('2026-03-10'), victimToldMethod: 'meeting', rightToReviewGiven: true }, await version());

      await s.test('the ledger applies after the journal event, dated by the rule in force', async () => {
        const { lines } = await rights.ledger(...as(w.oic), w.caseId, w.victimId);
        assert.deepEqual(lines.map((l) => [l.entitlement, l.appliesOn, l.ruleKey, l.dueOn, l.status]), [['police-nfa', '2026-03-10', 'victims-code.police-nfa', '2026-03-17', 'due']]);
        const clock = (await deadlinesFor(t.platform.db, CASE_SUBJECT, w.caseId)).find((d) => d.ruleKey === 'victims-code.police-nfa');
        assert.deepEqual([clock?.status, clock?.dueOn], ['open', '2026-03-17'], 'the sign-off opened the Victims’ Code clock, and the case closing left it running');
        t.clock.set('2026-03-18T09:00:00Z');
        assert.equal((await rights.ledger(...as(w.oic), w.caseId, w.victimId)).lines[0]!.status, 'overdue');
      });

      await s.test('a letter dispatched by the letters part is proof of delivery; a second proof is refused', async () => {
        const loaded = await commands.load(...as(w.oic), w.caseId, 'work');
        await commands.command(...as(w.oic), loaded, await version(), async () => ({
          events: [{ type: 'victims.letters.dispatched', data: { victimId: w.victimId, letterId: 'L-0001', template: 'police-nfa', language: 'cy', method: 'letter', on: '2026-03-16' } }],
          audit: { action: 'disclose', event: 'victims.letters.dispatch' },
        }));
        const [line] = (await rights.ledger(...as(w.oic), w.caseId, w.victimId)).lines;
        assert.equal(line!.status, 'delivered');
        assert.deepEqual(line!.delivery, { on: '2026-03-16', method: 'letter', reference: 'L-0001', source: 'letter', recordedBy: null });
        await rejects(rights.recordDelivery(...as(w.oic), w.caseId, w.victimId, { entitlement: 'police-nfa', deliveredOn: dateInput('2026-03-16'), method: 'phone', reference: 'DC Taylor' }, await version()), 'validation', 'entitlement');
      });

      let policeRequest = '';
      await s.test('a police request opens its clocks; the police decide; the CPS may not record one here', async () => {
        await rejects(rights.requestReview(...as(w.prosecutor), w.caseId, w.victimId, { scheme: 'cps', toldOn: dateInput('2026-03-10'), receivedOn: dateInput('2026-03-12'), lateReason: '' }, await version()), 'validation', 'scheme');
        policeRequest = await rights.requestReview(...as(w.oic), w.caseId, w.victimId, { scheme: 'police', toldOn: dateInput('2026-03-10'), receivedOn: dateInput('2026-03-12'), lateReason: '' }, await version());
        const open = (await deadlines()).filter((d) => d.ruleKey.startsWith('vrr.police.'));
        assert.deepEqual(open.map((d) => [d.ruleKey, d.startedOn, d.dueOn, d.status]).sort(), [
          ['vrr.police.acknowledge', '2026-03-12', '2026-03-26', 'open'],
          // Good Friday and Easter Monday 2026 are not working days.
          ['vrr.police.review', '2026-03-12', '2026-04-27', 'open'],
        ]);
        await rejects(rights.decide(...as(w.oic), w.caseId, w.victimId, policeRequest, { outcome: 'overturned', decidedOn: dateInput('2026-03-18'), reasons: 'x' }, await version()), 'forbidden');
        await rejects(rights.acknowledge(...as(w.oic), w.caseId, w.victimId, policeRequest, { acknowledgedOn: dateInput('2026-03-11') }, await version()), 'validation', 'acknowledgedOn-day');
        await rights.acknowledge(...as(w.oic), w.caseId, w.victimId, policeRequest, { acknowledgedOn: dateInput('2026-03-13') }, await version());
        assert.equal((await deadlines()).find((d) => d.ruleKey === 'vrr.police.acknowledge')!.status, 'met');
      });

      await s.test('an overturned police review reopens the case in the same command', async () => {
        const before = await version();
        await rights.decide(...as(w.supervisor), w.caseId, w.victimId, policeRequest, { outcome: 'overturned', decidedOn: dateInput('2026-03-18'), reasons: 'Lines of enquiry on the phone records were missed.' }, before);
        assert.equal(await stage(), 'investigation');
        assert.equal(await version(), before + 1);
        assert.equal((await deadlines()).find((d) => d.ruleKey === 'vrr.police.review')!.status, 'met');
        const journal = (await t.platform.db.selectFrom('case_events').select(['type', 'data']).where('case_id', '=', w.caseId).orderBy('seq', 'desc').limit(2).execute()).map((e) => [e.type, JSON.parse(e.data)]);
        assert.deepEqual(journal.map(([type]) => type).sort(), ['case.stage-changed', 'victims.rights.vrr-decided']);
        const audit = await t.platform.db.selectFrom('audit_events').select(['details', 'subjects']).where('details', 'like', '%"event":"victims.rights.review.decide"%').executeTakeFirstOrThrow();
        assert.match(audit.details, /"stageTo":"investigation"/);
        assert.deepEqual(JSON.parse(audit.subjects), [w.victimId]);
        const { requests } = await rights.reviews(...as(w.oic), w.caseId, w.victimId);
        assert.equal(requests[0]!.outcome, 'overturned');
        await rejects(rights.decide(...as(w.supervisor), w.caseId, w.victimId, policeRequest, { outcome: 'upheld', decidedOn: dateInput('2026-03-18'), reasons: 'Again.' }, await version()), 'validation', 'outcome');
      });

      await s.test('a late CPS request needs a reason; local resolution, then independent review, each with its clock', async () => {
        await w.moveAsCommand(w.caseId, 'charging_referral');
        await w.moveAsCommand(w.caseId, 'cps_nfa', w.prosecutor);
        t.clock.set('2026-04-01T09:00:00Z');
        const late = { scheme: 'cps', toldOn: dateInput('2026-03-10'), receivedOn: dateInput('2026-03-30'), lateReason: '' };
        const before = await version();
        const problem = await rejects(rights.requestReview(...as(w.vlo), w.caseId, w.victimId, late, before), 'validation', 'lateReason');
        assert.match(problem.detail ?? problem.message, /24 March 2026|2026-03-24/);
        assert.equal(await version(), before, 'nothing was written');
        const id = await rights.requestReview(...as(w.vlo), w.caseId, w.victimId, { ...late, lateReason: 'The victim was in hospital.' }, before);
        const { requests } = await rights.reviews(...as(w.prosecutor), w.caseId, w.victimId);
        assert.deepEqual([requests[0]!.late, requests[0]!.windowEndsOn, requests[0]!.stage], [true, '2026-03-24', 'local_resolution']);
        const [requested] = (await events('victims.rights.vrr-requested')).slice(-1);
        assert.deepEqual(JSON.parse(requested!.data), { victimId: w.victimId, requestId: id, scheme: 'cps', receivedOn: '2026-03-30', late: true });
        await rights.escalate(...as(w.vlo), w.caseId, w.victimId, id, { escalatedOn: dateInput('2026-03-31') }, await version());
        const cps = (await deadlines()).filter((d) => d.ruleKey.startsWith('vrr.cps.'));
        assert.deepEqual(cps.map((d) => [d.ruleKey, d.startedOn, d.dueOn, d.status]).sort(), [
          // Easter and the early May bank holiday fall in the 30 working days.
          ['vrr.cps.independent-review', '2026-03-31', '2026-05-15', 'open'],
          ['vrr.cps.local-resolution', '2026-03-30', '2026-04-15', 'met'],
        ]);
        await rejects(rights.decide(...as(w.prosecutor), w.caseId, w.victimId, id, { outcome: 'overturned', decidedOn: dateInput('2026-04-01'), reasons: 'x' }, await version()), 'forbidden');
        await rights.decide(...as(w.dcp), w.caseId, w.victimId, id, { outcome: 'overturned', decidedOn: dateInput('2026-04-01'), reasons: 'The evidential test is met on review.' }, await version());
        assert.equal(await stage(), 'charging_referral');
        assert.equal((await deadlines()).find((d) => d.ruleKey === 'vrr.cps.independent-review')!.status, 'met');
      });
    } finally {
      await t.close();
    }
  });
}
