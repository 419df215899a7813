// Court support on both engines, through the service: special measures
// applications and decisions by the CPS side only, the pre-trial meeting's
// steps in order, journal events and audit entries written with each change,
// nothing written on a refusal, and the victim's ISVA told none of it exists
// (while the meeting's date reaches their key dates).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { engines } from '../../../test/support/databases.ts';
import type { TestPerson } from '../../../test/support/app.ts';
import { rejects } from '../../cases/test-support.ts';
import { createVictimsService } from '../service.ts';
import { victimTestApp } from '../test-support.ts';
import { createCourtSupportService } from './service.ts';

const day = (d: string) => ({ day: d, month: '3', year: '2026' });
const noDate = { day: '', month: '', year: '' };
const application = { measure: 'pre_recorded_cross_examination', appliedOn: day('2'), appliedBy: 'Daniel Okafor', victimView: 'She wants to give her evidence before the trial, away from the courtroom.' };

for (const engine of engines) {
  test(`${engine}: a victim's court support`, async (s) => {
    const { t, w } = await victimTestApp(engine);
    try {
      t.clock.set('2026-03-10T12:00:00Z');
      await w.support(w.victimId);
      const service = createCourtSupportService(t.platform);
      const as = (p: TestPerson) => [w.actor(p), w.context(p)] as const;
      const version = async () => (await w.cases.caseFile(...as(w.oic), w.caseId)).summary.version;
      const events = async (prefix: string) => (await w.cases.caseFile(...as(w.oic), w.caseId)).events.filter((e) => e.type.startsWith(prefix));
      const audits = async (event: string) => (await t.platform.db.selectFrom('audit_events').select('details').execute()).filter((a) => (JSON.parse(a.details ?? '{}') as { event?: string }).event === event).length;

      await s.test('the CPS side records an application and the court’s decision; the police only see', async () => {
        await rejects(service.apply(...as(w.oic), w.caseId, w.victimId, application, await version()), 'forbidden');
        await rejects(service.apply(...as(w.prosecutor), w.caseId, w.victimId, { ...application, measure: 'a wig' }, await version()), 'validation', 'measure');
        await rejects(service.apply(...as(w.prosecutor), w.caseId, w.victimId, { ...application, victimView: ' ' }, await version()), 'validation', 'victimView');
        await rejects(service.apply(...as(w.prosecutor), w.caseId, w.victimId, { ...application, appliedOn: { day: '1', month: '1', year: '2027' } }, await version()), 'validation', 'appliedOn-day');
        assert.equal((await service.courtSupport(...as(w.oic), w.caseId, w.victimId)).support.applications.length, 0, 'nothing written on a refusal');
        const id = await service.apply(...as(w.vlo), w.caseId, w.victimId, application, await version());
        const [applied] = await events('victims.court-support.measure-applied');
        assert.deepEqual(applied!.data, { victimId: w.victimId, applicationId: id, measure: 'pre_recorded_cross_examination', on: '2026-03-02' });
        assert.equal(await audits('court-support.apply'), 1);

        await rejects(service.decide(...as(w.prosecutor), w.caseId, w.victimId, id, { outcome: 'granted', decidedOn: day('1') }, await version()), 'validation', 'decidedOn-day');
        await rejects(service.decide(...as(w.prosecutor), w.caseId, w.victimId, id, { outcome: 'maybe', decidedOn: day('5') }, await version()), 'validation', 'outcome');
        await rejects(service.decide(...as(w.prosecutor), w.caseId, w.victimId, w.caseId, { outcome: 'granted', decidedOn: day('5') }, await version()), 'not-found');
        await service.decide(...as(w.dcp), w.caseId, w.victimId, id, { outcome: 'granted', decidedOn: day('5') }, await version());
        await rejects(service.decide(...as(w.prosecutor), w.caseId, w.victimId, id, { outcome: 'refused', decidedOn: day('6') }, await version()), 'validation', 'outcome');
        const [decided] = await events('victims.court-support.measure-decided');
        assert.deepEqual(decided!.data, { applicationId: id, outcome: 'granted', on: '2026-03-05' });
        const seen = await service.courtSupport(...as(w.oic), w.caseId, w.victimId);
        assert.equal(seen.mayRecord, false);
        assert.deepEqual({ outcome: seen.support.applications[0]!.outcome, decidedOn: seen.support.applications[0]!.decidedOn }, { outcome: 'granted', decidedOn: '2026-03-05' });
      });

      await s.test('the pre-trial meeting: offered, answered, held, and its date among the ISVA’s key dates', async () => {
        const meeting = (on: typeof noDate, accepted = '') => ({ on, accepted });
        await rejects(service.meeting(...as(w.prosecutor), w.caseId, w.victimId, meeting(noDate), await version()), 'validation', 'on-day');
        await service.meeting(...as(w.prosecutor), w.caseId, w.victimId, meeting(day('3')), await version());
        await rejects(service.meeting(...as(w.prosecutor), w.caseId, w.victimId, meeting(day('4')), await version()), 'validation', 'accepted');
        await service.meeting(...as(w.vlo), w.caseId, w.victimId, meeting(noDate, 'yes'), await version());
        await rejects(service.meeting(...as(w.prosecutor), w.caseId, w.victimId, meeting(day('2')), await version()), 'validation', 'on-day');
        await service.meeting(...as(w.prosecutor), w.caseId, w.victimId, meeting(day('9')), await version());
        await rejects(service.meeting(...as(w.prosecutor), w.caseId, w.victimId, meeting(day('9')), await version()), 'validation', 'on-day');
        assert.deepEqual((await service.courtSupport(...as(w.prosecutor), w.caseId, w.victimId)).support.meeting, { offeredOn: '2026-03-03', accepted: true, heldOn: '2026-03-09' });
        assert.deepEqual((await events('victims.court-support.pre-trial-meeting')).reverse().map((e) => [e.type, e.data]), [
          ['victims.court-support.pre-trial-meeting-offered', { victimId: w.victimId, on: '2026-03-03' }],
          ['victims.court-support.pre-trial-meeting-answered', { victimId: w.victimId, accepted: true }],
          ['victims.court-support.pre-trial-meeting-held', { victimId: w.victimId, on: '2026-03-09' }],
        ]);
        const overview = await createVictimsService(t.platform).overview(...as(w.isva), w.caseId, w.victimId);
        assert.ok(overview.keyDates.some((d) => d.on === '2026-03-09' && /Pre-trial meeting/.test(d.text)));
      });

      await s.test('the victim’s ISVA and strangers are told court support does not exist; a stale version is a conflict', async () => {
        await rejects(service.courtSupport(...as(w.isva), w.caseId, w.victimId), 'not-found');
        await rejects(service.apply(...as(w.isva), w.caseId, w.victimId, application, await version()), 'not-found');
        await rejects(service.courtSupport(...w.asOtherIsva, w.caseId, w.victimId), 'not-found');
        await rejects(service.courtSupport(...as(w.otherForceInvestigator), w.caseId, w.victimId), 'not-found');
        await rejects(service.apply(...as(w.prosecutor), w.caseId, w.victimId, application, (await version()) - 1), 'conflict');
        assert.equal((await service.courtSupport(...as(w.prosecutor), w.caseId, w.victimId)).support.applications.length, 1);
      });
    } finally {
      await t.close();
    }
  });
}
