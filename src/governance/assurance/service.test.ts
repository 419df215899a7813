// The life of a quarterly assurance report on both engines: started with its
// figures frozen (the force's own plan by theme as at the quarter's end, the
// case measures, the exceptions); commentary; a refresh; sign-off refused to
// the drafter and while an exception is unexplained; published and read-only;
// readable nationally only once published, never by another force; reopened
// as version 2 with its reason while version 1 stays readable; every step
// with its audit entry, and a stale version always a conflict.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { engines } from '../../../test/support/databases.ts';
import { rejects } from '../../cases/test-support.ts';
import { createPlansService } from '../../plans/service.ts';
import { AFTER_QUARTER, QUARTER, assuranceTestApp } from './test-support.ts';

for (const engine of engines) {
  test(`${engine}: the life of a quarterly assurance report`, async (s) => {
    const { t, w } = await assuranceTestApp(engine);
    const { assurance } = w;
    const as = (p: typeof w.forceLead) => [w.actor(p), w.context(p)] as const;
    /** Whether the journal holds a successful entry of this event about an assurance report. */
    const audited = async (event: string) => (await t.database.db.selectFrom('audit_events').select('details').where('object_type', '=', 'assurance-report').where('outcome', '=', 'success').execute())
      .some((e) => (JSON.parse(e.details) as { event?: string }).event === event);
    try {
      let reportId = '';

      await s.test('starting: only for a quarter that has ended, once, by the force’s plan leads and analysts', async () => {
        await rejects(assurance.start(...as(w.forceLead), { quarter: '2026-27-q3' }), 'validation', 'quarter');
        await rejects(assurance.start(...as(w.nationalLead), { quarter: QUARTER }), 'forbidden');
        await rejects(assurance.start(...as(w.escalationLead), { quarter: QUARTER }), 'forbidden');
        reportId = await assurance.start(...as(w.forceLead), { quarter: QUARTER });
        await rejects(assurance.start(...as(w.forceAnalyst), { quarter: QUARTER }), 'validation', /already been started/);
        assert.ok(await audited('assurance.draft'));
      });

      await s.test('the draft holds the force’s plan by theme at the quarter’s end, its case measures and its exceptions, frozen', async () => {
        const view = await assurance.view(...as(w.supervisor), reportId);
        assert.equal(view.version.status, 'draft');
        assert.equal(view.version.number, 1);
        const figures = view.version.figures;
        assert.equal(figures.computedAt, new Date(AFTER_QUARTER).toISOString());
        assert.deepEqual(figures.quarter, { key: QUARTER, start: '2026-07-01', end: '2026-09-30' });
        const [plan] = figures.plans;
        assert.equal(figures.plans.length, 1);
        assert.deepEqual(plan!.themes.map((th) => [th.title, th.done, th.underway, th.notStarted, th.updates]), [
          ['Supporting RASSO victims', 1, 2, 2, 0], ['Casework quality and progression', 5, 0, 1, 0], ['Digital capability and disclosure', 4, 0, 0, 0], ['Our people and expertise', 3, 0, 1, 0],
        ]);
        assert.deepEqual(plan!.overdue.map((a) => [a.number, a.status]), [[3, 'no']]);
        assert.deepEqual(figures.measures.nfa.police, [{ code: '16', name: '16: Evidential difficulties: victim does not support action', count: 3 }], 'the other force’s six are not counted');
        assert.deepEqual(figures.exceptions.map((e) => e.key), ['plan-actions-overdue']);
        // Frozen: a change to the plan after drafting does not alter the draft until it is refreshed.
        await t.database.db.updateTable('plan_actions').set({ status: 'yes' }).where('plan_id', '=', w.planId).where('number', '=', 3).execute();
        assert.deepEqual((await assurance.view(...as(w.forceLead), reportId)).version.figures.plans[0]!.overdue.length, 1);
        await t.database.db.updateTable('plan_actions').set({ status: 'no' }).where('plan_id', '=', w.planId).where('number', '=', 3).execute();
      });

      await s.test('nobody outside the force’s managers sees a draft', async () => {
        for (const person of [w.nationalLead, w.nationalAnalyst, w.otherManager, w.investigator, w.prosecutor, w.headOfRasso, w.isva, w.panelMember, w.nationalAdministrator]) {
          await rejects(assurance.view(...as(person), reportId), 'not-found');
        }
        assert.deepEqual((await assurance.list(w.actor(w.nationalLead))).map((r) => r.id), []);
        assert.deepEqual((await assurance.list(w.actor(w.otherManager))).map((r) => r.id), []);
        assert.deepEqual((await assurance.list(w.actor(w.supervisor))).map((r) => [r.id, r.status]), [[reportId, 'draft']]);
      });

      await s.test('commentary: claims the version read; an exception cannot be left empty; only drafters write it', async () => {
        await rejects(assurance.saveCommentary(...as(w.forceLead), reportId, 'summary', 'Stale.', 7), 'conflict');
        await rejects(assurance.saveCommentary(...as(w.escalationLead), reportId, 'summary', 'Not mine.', 1), 'forbidden');
        await rejects(assurance.saveCommentary(...as(w.otherManager), reportId, 'summary', 'Not ours.', 1), 'not-found');
        await rejects(assurance.saveCommentary(...as(w.forceLead), reportId, 'exception.prfi-90-days', 'Not raised.', 1), 'not-found');
        await rejects(assurance.saveCommentary(...as(w.forceLead), reportId, 'exception.plan-actions-overdue', '  ', 1), 'validation', 'text');
        assert.equal(await assurance.saveCommentary(...as(w.forceLead), reportId, 'summary', 'A steady quarter.', 1), 2);
        assert.equal((await assurance.view(...as(w.forceLead), reportId)).commentary.get('summary')?.text, 'A steady quarter.');
        assert.ok(await audited('assurance.commentary'));
      });

      await s.test('refreshing computes the figures again and keeps the commentary', async () => {
        // The plan moves on: an update dated in the quarter counts; a status changed after it does not change the quarter's count.
        const plans = createPlansService(t.platform);
        const actions = (await plans.plan(w.actor(w.forceLead), w.planId)).themes[0]!.actions;
        t.clock.set('2026-09-15T09:00:00Z');
        await plans.recordUpdate(...as(w.forceLead), w.planId, actions[0]!.id, { text: 'Leaflet drafted with the ISVA service.', status: '' }, actions[0]!.version);
        t.clock.set('2026-10-07T09:00:00Z');
        await plans.recordUpdate(...as(w.forceLead), w.planId, actions[4]!.id, { text: 'Delivered in October.', status: 'yes' }, actions[4]!.version);
        await rejects(assurance.refresh(...as(w.forceLead), reportId, 1), 'conflict');
        assert.equal(await assurance.refresh(...as(w.forceAnalyst), reportId, 2), 3);
        const view = await assurance.view(...as(w.forceLead), reportId);
        const theme = view.version.figures.plans[0]!.themes[0]!;
        assert.deepEqual([theme.done, theme.underway, theme.notStarted, theme.updates], [1, 2, 2, 1]);
        assert.equal(view.version.figures.computedAt, '2026-10-07T09:00:00.000Z');
        assert.equal(view.version.refreshedBy, 'Ana Lytic');
        assert.equal(view.commentary.get('summary')?.text, 'A steady quarter.');
      });

      await s.test('sign-off: never by its drafter, never a plan lead, and not while an exception is unexplained', async () => {
        const second = await assurance.start(...as(w.leadAndSigner), { quarter: '2026-27-q1' });
        await rejects(assurance.signOff(...as(w.leadAndSigner), second, 1), 'forbidden');
        assert.equal((await assurance.view(...as(w.leadAndSigner), second)).draftedByViewer, true);
        await rejects(assurance.signOff(...as(w.forceLead), reportId, 3), 'forbidden');
        await rejects(assurance.signOff(...as(w.escalationLead), reportId, 3), 'validation', 'exception-plan-actions-overdue');
        await assurance.saveCommentary(...as(w.forceLead), reportId, 'exception.plan-actions-overdue', 'The leaflet moved to 2027 with the new ISVA contract.', 3);
        await rejects(assurance.signOff(...as(w.escalationLead), reportId, 3), 'conflict');
        const both = await Promise.allSettled([assurance.signOff(...as(w.escalationLead), reportId, 4), assurance.signOff(...as(w.leadAndSigner), reportId, 4)]);
        assert.deepEqual(both.map((r) => r.status).sort(), ['fulfilled', 'rejected'], 'two sign-offs of one version: one is a conflict');
        const view = await assurance.view(...as(w.forceLead), reportId);
        assert.equal(view.version.status, 'signed_off');
        await rejects(assurance.saveCommentary(...as(w.forceLead), reportId, 'summary', 'Late change.', 5), 'conflict', /now Signed off/);
        await rejects(assurance.refresh(...as(w.forceLead), reportId, 5), 'conflict');
        assert.ok(await audited('assurance.sign-off'));
      });

      await s.test('publishing: read-only, and readable nationally (never by another force)', async () => {
        await rejects(assurance.publish(...as(w.forceLead), reportId, 5), 'forbidden');
        assert.equal(await assurance.publish(...as(w.escalationLead), reportId, 5), 6);
        const view = await assurance.view(...as(w.nationalAnalyst), reportId);
        assert.equal(view.version.status, 'published');
        assert.deepEqual(view.may, { draft: false, signOff: false, publish: false, reopen: false });
        assert.deepEqual((await assurance.list(w.actor(w.nationalLead))).map((r) => [r.id, r.number, r.status]), [[reportId, 1, 'published']]);
        await rejects(assurance.view(...as(w.otherManager), reportId), 'not-found');
        await rejects(assurance.saveCommentary(...as(w.forceLead), reportId, 'summary', 'After publication.', 6), 'conflict');
        await rejects(assurance.reopen(...as(w.nationalLead), reportId, 'Ours now.', 6), 'forbidden');
      });

      await s.test('reopening makes version 2 with its reason; version 1 stays published and readable until 2 is published', async () => {
        await rejects(assurance.reopen(...as(w.forceLead), reportId, ' ', 6), 'validation', 'reason');
        await rejects(assurance.reopen(...as(w.forceLead), reportId, 'Correct the summary.', 5), 'conflict');
        assert.equal(await assurance.reopen(...as(w.forceLead), reportId, 'The summary left out the JOIM’s findings.', 6), 2);
        await rejects(assurance.reopen(...as(w.forceLead), reportId, 'Again.', 7), 'conflict');
        const draft = await assurance.view(...as(w.forceLead), reportId);
        assert.deepEqual([draft.version.number, draft.version.status, draft.version.reason], [2, 'draft', 'The summary left out the JOIM’s findings.']);
        assert.equal(draft.commentary.get('summary')?.text, 'A steady quarter.', 'the commentary carries over');
        assert.deepEqual(draft.versions.map((v) => [v.number, v.status]), [[1, 'published'], [2, 'draft']]);
        const first = await assurance.view(...as(w.forceLead), reportId, 1);
        assert.deepEqual([first.version.status, first.latest, first.may.reopen], ['published', false, false]);
        // Nationally, version 1 is still the report; version 2 is not there to see.
        const national = await assurance.view(...as(w.nationalLead), reportId);
        assert.deepEqual([national.version.number, national.versions.length], [1, 1]);
        await rejects(assurance.view(...as(w.nationalLead), reportId, 2), 'not-found');
        await assurance.saveCommentary(...as(w.forceLead), reportId, 'summary', 'A steady quarter; the JOIM found PRFI reviews on time.', 1);
        await assurance.signOff(...as(w.escalationLead), reportId, 2);
        await assurance.publish(...as(w.escalationLead), reportId, 3);
        const after = await assurance.view(...as(w.nationalLead), reportId);
        assert.deepEqual(after.versions.map((v) => [v.number, v.status]), [[1, 'superseded'], [2, 'published']]);
        assert.equal((await assurance.view(...as(w.nationalLead), reportId, 1)).commentary.get('summary')?.text, 'A steady quarter.', 'older versions stay as they were');
        assert.ok(await audited('assurance.reopen'));
        assert.ok(await audited('assurance.publish'));
      });

      await s.test('refusals are journalled', async () => {
        const denials = await t.database.db.selectFrom('audit_events').select(['actor_user_id', 'action']).where('action', '=', 'deny').execute();
        assert.ok(denials.some((d) => d.actor_user_id === w.otherManager.id));
        assert.ok(denials.some((d) => d.actor_user_id === w.leadAndSigner.id));
      });
    } finally {
      await t.close();
    }
  });
}
