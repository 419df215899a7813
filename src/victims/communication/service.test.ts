// A victim's communication on both engines, through the service: recording
// who supports the victim; the plan's revisions kept as history, a reason
// needed for every change, and the first plan starting the contact clock; a
// contact meeting the clock and opening the next, a missed one overdue in the
// work queue; an unsafe voicemail or letter refused with nothing written; and
// the ISVA working on their own client only.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { engines } from '../../../test/support/databases.ts';
import { dateInput, problemOf, rejects } from '../../cases/test-support.ts';
import { createQueuesService } from '../../cases/queues/service.ts';
import { createCommunicationService, safeContactRules } from './service.ts';
import type { ContactInput, PlanInput } from './model.ts';
import { victimTestApp } from '../test-support.ts';

const plan = (extra: Partial<PlanInput> = {}): PlanInput => ({
  frequencyDays: '14', methods: ['phone', 'email'], updaters: ['oic', 'isva'], preferredLanguage: 'cy', noVoicemail: true, noPostToHome: true,
  safeAddress: '', safePhone: '07700 900123', safeEmail: '', otherRules: 'Only call after 6pm.', agreedOn: dateInput('2026-03-02'), agreedWithIsva: true, changeReason: '', ...extra,
});
const noDate = { day: '', month: '', year: '' };
const contact = (extra: Partial<ContactInput> = {}): ContactInput => ({
  on: dateInput('2026-03-10'), at: '10:30', method: 'phone', reached: 'yes', voicemailLeft: false, postedToHome: false, summary: 'Told the victim about the interview of the suspect.', nextContactOn: noDate, ...extra,
});

for (const engine of engines) {
  test(`${engine}: a victim's communication plan, contacts and clock`, async (s) => {
    const { t, w } = await victimTestApp(engine);
    try {
      t.clock.set('2026-03-10T12:00:00Z');
      const communication = createCommunicationService(t.platform);
      const queues = createQueuesService(t.platform);
      const { db } = t.platform;
      const oic = [w.actor(w.oic), w.context(w.oic)] as const;
      const isva = [w.actor(w.isva), w.context(w.isva)] as const;
      const version = async () => (await communication.record(...oic, w.caseId, w.victimId)).v.summary.version;
      const events = async (type: string) => (await db.selectFrom('case_events').select(['data']).where('case_id', '=', w.caseId).where('type', '=', type).execute()).map((e) => JSON.parse(e.data));

      await s.test('recording who supports the victim: the OIC or the VLO, not the prosecutor; an ISVA is told it does not exist', async () => {
        await rejects(communication.recordIsva(w.actor(w.prosecutor), w.context(w.prosecutor), w.caseId, w.victimId, w.isva.id, await version()), 'forbidden');
        assert.equal((await problemOf(communication.recordIsva(...w.asOtherIsva, w.caseId, w.victimId, w.isva.id, await version()))).type, 'not-found');
        await rejects(communication.recordIsva(...oic, w.caseId, w.victimId, null, await version()), 'validation', 'isva');
        await communication.recordIsva(w.actor(w.vlo), w.context(w.vlo), w.caseId, w.victimId, w.otherIsva.id, await version());
        await communication.recordIsva(...oic, w.caseId, w.victimId, w.isva.id, await version());
        await rejects(communication.recordIsva(...oic, w.caseId, w.victimId, w.isva.id, await version()), 'validation', 'isva');
        assert.equal((await communication.record(...oic, w.caseId, w.victimId)).v.isva?.userId, w.isva.id);
        assert.deepEqual((await events('victims.isva.assigned')).map((e) => e.isvaUserId), [w.otherIsva.id, w.isva.id]);
        assert.equal((await events('victims.isva.ended')).length, 1);
        assert.equal((await problemOf(communication.record(...w.asOtherIsva, w.caseId, w.victimId))).type, 'not-found', 'the replaced ISVA no longer sees the victim');
      });

      await s.test('the first plan: validated, agreed with the ISVA, and starting the contact clock', async () => {
        await rejects(communication.recordPlan(...oic, w.caseId, w.victimId, plan({ frequencyDays: '0', methods: [] }), await version()), 'validation', 'frequencyDays');
        await rejects(communication.recordPlan(w.actor(w.prosecutor), w.context(w.prosecutor), w.caseId, w.victimId, plan(), await version()), 'forbidden');
        assert.equal(await safeContactRules(db, w.victimId), null);
        await communication.recordPlan(...oic, w.caseId, w.victimId, plan(), await version());
        const r = await communication.record(...oic, w.caseId, w.victimId);
        assert.equal(r.plan?.revision, 1);
        assert.equal(r.plan?.agreedWithIsvaName, 'Isla Grant');
        assert.deepEqual(r.clock, { nextContactDue: '2026-03-16', overdue: false });
        assert.deepEqual(await events('victims.communication.plan-agreed'), [{ victimId: w.victimId, revision: 1, frequencyDays: 14, language: 'cy' }]);
        const rules = await safeContactRules(db, w.victimId);
        assert.equal(rules?.noVoicemail, true);
        assert.equal(rules?.preferredLanguage, 'cy');
      });

      await s.test('a change needs a reason; every revision is kept; the ISVA may record one', async () => {
        await rejects(communication.recordPlan(...oic, w.caseId, w.victimId, plan({ frequencyDays: '7' }), await version()), 'validation', 'changeReason');
        await communication.recordPlan(...isva, w.caseId, w.victimId, plan({ frequencyDays: '7', agreedWithIsva: false, changeReason: 'The victim asked for weekly updates.' }), await version());
        const r = await communication.record(...oic, w.caseId, w.victimId);
        assert.deepEqual(r.history.map((p) => [p.revision, p.frequencyDays]), [[2, 7], [1, 14]]);
        assert.equal(r.plan?.changeReason, 'The victim asked for weekly updates.');
        assert.equal(r.plan?.agreedWithIsvaName, 'Isla Grant');
        assert.equal(r.clock.nextContactDue, '2026-03-16', 'a revision leaves the open clock alone');
      });

      await s.test('an unsafe voicemail or letter is refused, with nothing written', async () => {
        const before = await version();
        await rejects(communication.logContact(...oic, w.caseId, w.victimId, contact({ reached: 'no', voicemailLeft: true }), before), 'validation', 'voicemailLeft');
        await rejects(communication.logContact(...oic, w.caseId, w.victimId, contact({ method: 'letter', postedToHome: true }), before), 'validation', 'postedToHome');
        assert.equal(await version(), before);
        assert.equal((await communication.record(...oic, w.caseId, w.victimId)).contacts.length, 0);
      });

      await s.test('a contact meets the open clock and opens the next at the plan’s frequency', async () => {
        const first = (await db.selectFrom('victim_contact_clocks').select('deadline_id').where('victim_id', '=', w.victimId).executeTakeFirstOrThrow()).deadline_id;
        const { id } = await communication.logContact(w.actor(w.vlo), w.context(w.vlo), w.caseId, w.victimId, contact(), await version());
        assert.equal((await db.selectFrom('deadlines').select('status').where('id', '=', first).executeTakeFirstOrThrow()).status, 'met');
        const r = await communication.record(...oic, w.caseId, w.victimId);
        assert.deepEqual(r.clock, { nextContactDue: '2026-03-17', overdue: false });
        assert.equal(r.contacts[0]?.byRole, 'vlo');
        assert.equal(r.contacts[0]?.bySide, 'cps');
        const [logged] = await events('victims.communication.contact-logged');
        assert.deepEqual(logged, { victimId: w.victimId, contactId: id, method: 'phone', reached: true, on: '2026-03-10', by: 'cps' });
        const audit = await db.selectFrom('audit_events').select(['subjects', 'details']).where('actor_user_id', '=', w.vlo.id).where('action', '=', 'collect').orderBy('seq', 'desc').executeTakeFirstOrThrow();
        assert.deepEqual(JSON.parse(audit.subjects), [w.victimId]);
        assert.equal(JSON.parse(audit.details).contactId, id);
      });

      await s.test('a missed contact shows as overdue on the victim and in the work queue', async () => {
        t.clock.set('2026-03-20T09:00:00Z');
        assert.deepEqual((await communication.record(...oic, w.caseId, w.victimId)).clock, { nextContactDue: '2026-03-17', overdue: true });
        const overdue = await queues.overdue(...oic, 1);
        assert.ok(overdue.items.some((i) => i.caseId === w.caseId && i.title === 'Contact with the victim due' && i.dueOn === '2026-03-17'));
        await communication.logContact(...isva, w.caseId, w.victimId, contact({ on: dateInput('2026-03-20'), at: '08:15', method: 'in_person', nextContactOn: dateInput('2026-03-25') }), await version());
        assert.deepEqual((await communication.record(...oic, w.caseId, w.victimId)).clock, { nextContactDue: '2026-03-25', overdue: false });
        assert.ok(!(await queues.overdue(...oic, 1)).items.some((i) => i.caseId === w.caseId && i.title === 'Contact with the victim due'));
        const r = await communication.record(...isva, w.caseId, w.victimId);
        assert.deepEqual(r.contacts.map((c) => c.bySide), ['isva', 'cps'], 'newest first, one timeline');
        assert.equal(r.contacts[0]?.contactAt, '2026-03-20T08:15:00.000Z');
      });

      await s.test('another ISVA is told the victim does not exist; a stale version is a conflict', async () => {
        assert.equal((await problemOf(communication.logContact(...w.asOtherIsva, w.caseId, w.victimId, contact(), await version()))).type, 'not-found');
        assert.equal((await problemOf(communication.recordPlan(...w.asOtherIsva, w.caseId, w.victimId, plan({ changeReason: 'x' }), await version()))).type, 'not-found');
        assert.equal((await problemOf(communication.logContact(...isva, w.caseId, w.victimId, contact(), (await version()) - 1))).type, 'conflict');
      });

      await s.test('an Idempotency-Key makes a retried contact count once', async () => {
        const key = { key: 'contact-1', requestHash: 'hash-1' };
        const v = await version();
        const first = await communication.logContact(...oic, w.caseId, w.victimId, contact({ on: dateInput('2026-03-20'), at: '08:30' }), v, key);
        const again = await communication.logContact(...oic, w.caseId, w.victimId, contact({ on: dateInput('2026-03-20'), at: '08:30' }), v, key);
        assert.deepEqual(again, first);
        assert.equal((await communication.record(...oic, w.caseId, w.victimId)).contacts.length, 3);
      });
    } finally {
      await t.close();
    }
  });
}
