// Action plans on both engines, through the service: everyone signed in
// reads; only plan leads of the owning organisation change a plan; a status
// never changes without a note; the history keeps every update; a stale
// version is a conflict and writes nothing; links from local to national
// actions feed the cascade; a review moves the next one on and its reminder
// reaches the plan's leads through the deadline engine.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { engines } from '../../test/support/databases.ts';
import type { TestPerson } from '../../test/support/app.ts';
import { deadlinesFor } from '../platform/deadlines/service.ts';
import { sweepDeadlines } from '../platform/deadlines/sweep.ts';
import { rejects } from '../cases/test-support.ts';
import { PLAN_SUBJECT } from './model.ts';
import { NEXT_REVIEW, planTestApp } from './test-support.ts';

for (const engine of engines) {
  test(`${engine}: action plans`, async (s) => {
    const { t, w } = await planTestApp(engine);
    try {
      const as = (p: TestPerson) => [w.actor(p), w.context(p)] as const;
      const db = t.platform.db;
      const actionOf = async (planId: string, number: number) => (await w.plans.plan(w.actor(w.investigator), planId)).themes.flatMap((theme) => theme.actions).find((a) => a.number === number)!;
      const historyOf = async (actionId: string) => db.selectFrom('plan_updates').selectAll().where('action_id', '=', actionId).orderBy('recorded_at').orderBy('id').execute();
      const audits = async (event: string) => (await db.selectFrom('audit_events').select('details').execute()).filter((row) => JSON.parse(row.details).event === event).length;

      await s.test('anyone signed in reads every plan in its own layout', async () => {
        const list = await w.plans.list();
        assert.deepEqual(list.map((p) => [p.title.slice(0, 6), p.actions]).sort(), [['Jersey', 19], ['Police', 24]]);
        const view = await w.plans.plan(w.actor(w.investigator), w.jnap);
        assert.equal(view.mayChange, false);
        assert.deepEqual(view.themes.map((theme) => theme.title), ['Supporting victims', 'Casework quality and progression', 'Digital capability and disclosure', 'Our people and expertise', 'Stakeholder engagement']);
        const first = view.themes[0]!.actions[0]!;
        assert.deepEqual([first.number, first.status, first.latestUpdate?.label?.startsWith('Commentary published')], [1, 'in_progress', true]);
        assert.equal((await w.plans.plan(w.actor(w.nationalLead), w.jnap)).mayChange, true);
        assert.equal((await w.plans.plan(w.actor(w.forceLead), w.jnap)).mayChange, false);
        await rejects(w.plans.plan(w.actor(w.investigator), '0190d000-0000-7000-8000-000000000000'), 'not-found');
      });

      await s.test('only plan leads of the owning organisation change a plan; refusals are journalled', async () => {
        const action = await actionOf(w.jnap, 3);
        for (const person of [w.forceLead, w.investigator, w.nationalAdministrator]) {
          const before = await audits('plans.forbidden');
          await rejects(w.plans.recordUpdate(...as(person), w.jnap, action.id, { text: 'Done.', status: '' }, action.version), 'forbidden');
          assert.equal(await audits('plans.forbidden'), before + 1);
        }
        await rejects(w.plans.recordUpdate(...as(w.forceLead), w.local, action.id, { text: 'Not this plan’s action.', status: '' }, action.version), 'not-found');
        assert.equal((await historyOf(action.id)).length, 1);
      });

      await s.test('a status never changes without a note; the history keeps every update', async () => {
        const action = await actionOf(w.local, 3);
        assert.equal(action.status, 'no');
        const refused = await rejects(w.plans.recordUpdate(...as(w.forceLead), w.local, action.id, { text: '  ', status: 'in_progress' }, action.version), 'validation', 'text');
        assert.match(refused.message, /why the status changed/);
        await rejects(w.plans.recordUpdate(...as(w.forceLead), w.local, action.id, { text: 'Moved on.', status: 'green' }, action.version), 'validation', 'status');
        assert.equal((await actionOf(w.local, 3)).version, action.version, 'nothing was written');
        assert.equal((await historyOf(action.id)).length, 1);

        const updated = await w.plans.recordUpdate(...as(w.forceLead), w.local, action.id, { text: 'Special measures training booked for May.', status: '' }, action.version);
        const changed = await w.plans.recordUpdate(...as(w.forceLead), w.local, action.id, { text: 'Training started: the first session ran.', status: 'in_progress' }, updated);
        assert.equal(changed, action.version + 2);
        const view = await w.plans.action(w.actor(w.investigator), w.local, action.id);
        assert.equal(view.action.status, 'in_progress');
        assert.equal(view.action.latestUpdate?.text, 'Training started: the first session ran.');
        assert.deepEqual(view.updates.map((u) => [u.kind, u.statusFrom, u.statusTo]), [['status', 'no', 'in_progress'], ['update', null, null], ['update', null, 'no']]);
        assert.equal(view.updates[0]!.on, '2026-03-10');
        assert.equal(view.updates[0]!.recordedBy, 'Elise Renouf');
        assert.equal(await audits('plans.action.status'), 1);
        assert.equal(await audits('plans.action.update'), 1);
        // Plans are not cases: nothing reaches the case journal.
        assert.equal((await db.selectFrom('case_events').select('id').execute()).length, 0);
      });

      await s.test('a stale version is a conflict and writes nothing', async () => {
        const action = await actionOf(w.local, 11);
        await w.plans.recordUpdate(...as(w.forceLead), w.local, action.id, { text: 'National guidance awaited.', status: '' }, action.version);
        await rejects(w.plans.recordUpdate(...as(w.forceLead), w.local, action.id, { text: 'A second writer.', status: 'yes' }, action.version), 'conflict');
        await rejects(w.plans.recordUpdate(...as(w.forceLead), w.local, action.id, { text: 'No version.', status: '' }, null), 'conflict');
        assert.equal((await historyOf(action.id)).length, 2);
        assert.equal((await actionOf(w.local, 11)).status, 'no');
      });

      await s.test('evidence is a titled https link', async () => {
        const action = await actionOf(w.local, 10);
        await rejects(w.plans.addEvidence(...as(w.forceLead), w.local, action.id, { title: 'Problem profile', url: 'http://example.gov.je/profile' }, action.version), 'validation', 'url');
        await rejects(w.plans.addEvidence(...as(w.forceLead), w.local, action.id, { title: '', url: 'javascript:alert(1)' }, action.version), 'validation', 'title');
        await w.plans.addEvidence(...as(w.forceLead), w.local, action.id, { title: 'Jersey RASSO problem profile', url: 'https://www.gov.je/rasso-profile' }, action.version);
        const view = await w.plans.action(w.actor(w.investigator), w.local, action.id);
        assert.deepEqual(view.evidence.map((e) => [e.title, e.url, e.addedBy]), [['Jersey RASSO problem profile', 'https://www.gov.je/rasso-profile', 'Elise Renouf']]);
        assert.equal(view.updates[0]!.kind, 'evidence');
      });

      await s.test('a local action links to the national action it delivers, and the cascade counts them by status', async () => {
        const local = await actionOf(w.local, 12);
        const local2 = await actionOf(w.local, 1);
        const national = await actionOf(w.jnap, 14);
        const trauma = await actionOf(w.jnap, 5);
        await rejects(w.plans.linkNational(...as(w.forceLead), w.local, local.id, local2.id, local.version), 'validation', 'nationalActionId');
        await rejects(w.plans.linkNational(...as(w.nationalLead), w.jnap, national.id, trauma.id, national.version), 'validation', 'nationalActionId');
        await w.plans.linkNational(...as(w.forceLead), w.local, local.id, national.id, local.version);
        await w.plans.linkNational(...as(w.forceLead), w.local, local2.id, trauma.id, local2.version);
        const { rows } = await w.plans.cascade(w.jnap);
        const row = (n: number) => rows.find((r) => r.action.number === n)!;
        assert.deepEqual([row(14).linked.length, row(14).delivered, row(14).byStatus], [1, 1, [{ status: 'yes', count: 1 }]]);
        assert.deepEqual([row(5).linked.length, row(5).delivered, row(5).byStatus], [1, 0, [{ status: 'in_progress', count: 1 }]]);
        assert.equal(rows.filter((r) => r.linked.length === 0).length, 22);
        const view = await w.plans.action(w.actor(w.investigator), w.jnap, national.id);
        assert.deepEqual(view.deliveredBy.map((ref) => ref.number), [12]);
        // Removing the link empties the cascade row and stays in the history.
        const linked = await w.plans.action(w.actor(w.forceLead), w.local, local.id);
        await w.plans.linkNational(...as(w.forceLead), w.local, local.id, '', linked.action.version);
        assert.equal((await w.plans.cascade(w.jnap)).rows.find((r) => r.action.number === 14)!.linked.length, 0);
        assert.deepEqual((await w.plans.action(w.actor(w.forceLead), w.local, local.id)).updates.slice(0, 2).map((u) => [u.kind, u.link?.number ?? null]), [['link', null], ['link', 14]]);
      });

      await s.test('a review moves the next one on by the plan’s cycle, and its reminder reaches the plan’s leads', async () => {
        const open = async () => (await deadlinesFor(db, PLAN_SUBJECT, w.local)).filter((d) => d.status === 'open');
        assert.deepEqual((await open()).map((d) => [d.ruleKey, d.dueOn]), [['plans.review', NEXT_REVIEW]]);
        const plan = (await w.plans.plan(w.actor(w.forceLead), w.local)).plan;
        await rejects(w.plans.recordReview(...as(w.forceLead), w.local, { reviewedOn: { day: '11', month: '3', year: '2026' }, text: 'Tomorrow.' }, plan.version), 'validation', 'reviewedOn-day');
        await rejects(w.plans.recordReview(...as(w.forceLead), w.local, { reviewedOn: { day: '9', month: '3', year: '2026' }, text: '' }, plan.version), 'validation', 'text');
        await rejects(w.plans.recordReview(...as(w.nationalLead), w.local, { reviewedOn: { day: '9', month: '3', year: '2026' }, text: 'Reviewed.' }, plan.version), 'forbidden');
        await w.plans.recordReview(...as(w.forceLead), w.local, { reviewedOn: { day: '9', month: '3', year: '2026' }, text: 'Board reviewed the plan: three actions still open.' }, plan.version);
        const after = (await w.plans.plan(w.actor(w.forceLead), w.local));
        assert.deepEqual([after.plan.lastReviewedOn, after.plan.nextReviewOn, after.plan.version], ['2026-03-09', '2026-09-09', plan.version + 1]);
        assert.deepEqual(after.reviews.map((r) => r.text), ['Board reviewed the plan: three actions still open.']);
        const all = await deadlinesFor(db, PLAN_SUBJECT, w.local);
        assert.deepEqual(all.map((d) => [d.status, d.dueOn]).sort(), [['met', NEXT_REVIEW], ['open', '2026-09-09']]);
        await rejects(w.plans.recordReview(...as(w.forceLead), w.local, { reviewedOn: { day: '9', month: '3', year: '2026' }, text: 'Again.' }, plan.version), 'conflict');

        // Fourteen days before the review: the plan's action leads and the owning force's plan leads are reminded (not the national ones).
        await db.updateTable('plan_actions').set({ lead_user_id: w.investigator.id }).where('plan_id', '=', w.local).where('number', '=', 2).execute();
        await sweepDeadlines(t.platform, new Date('2026-08-26T09:00:00Z'));
        const told = await db.selectFrom('notifications').select(['user_id', 'text', 'subject_type']).where('subject_id', '=', w.local).execute();
        assert.deepEqual(told.map((n) => n.user_id).sort(), [w.forceLead.id, w.investigator.id].sort());
        assert.match(told[0]!.text, /Jersey RASSO Action Plan 2022\/23/);
        assert.match(told[0]!.text, /review is due in 14 days/);
      });
    } finally {
      await t.close();
    }
  });
}
