// Making and keeping a plan on the platform, through the service, on both
// engines: plan leads make plans of the levels their organisation owns
// (national ones only the national organisation); the review clock opens as
// a shipped plan's does; themes are added, renamed and moved; actions are
// added (next free number, never one already used), changed (the lead a
// person of the owning organisation) and withdrawn with a reason. Each change
// claims the version read, and writes one history entry and one audit entry
// or nothing at all.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { engines } from '../../test/support/databases.ts';
import type { TestPerson } from '../../test/support/app.ts';
import { deadlinesFor } from '../platform/deadlines/service.ts';
import { dateInput, rejects } from '../cases/test-support.ts';
import { PLAN_SUBJECT } from './model.ts';
import type { NewActionInput, NewPlanInput } from './model.ts';
import { planTestApp } from './test-support.ts';

const newPlan = (overrides: Partial<NewPlanInput> = {}): NewPlanInput => ({
  level: 'force', title: 'Jersey joint RASSO plan 2026/27', period: '2026/27', owners: ['States of Jersey Police', 'Law Officers’ Department'],
  statusScheme: 'yes-no-in-progress', reviewCycleMonths: '6', nextReviewOn: dateInput('2026-09-30'), ...overrides,
});

const noDate = { day: '', month: '', year: '' };

for (const engine of engines) {
  test(`${engine}: making and keeping a plan`, async (s) => {
    const { t, w } = await planTestApp(engine);
    try {
      const as = (p: TestPerson) => [w.actor(p), w.context(p)] as const;
      const db = t.platform.db;
      const audits = async (event: string) => (await db.selectFrom('audit_events').select('details').execute()).filter((row) => JSON.parse(row.details).event === event).length;
      const historyRows = async (planId: string) => db.selectFrom('plan_updates').select(['kind', 'action_id']).where('plan_id', '=', planId).execute();
      const version = async (planId: string) => (await w.plans.plan(w.actor(w.forceLead), planId)).plan.version;
      let planId = '';
      const themes: string[] = [];

      await s.test('a plan lead makes a plan owned by their organisation, and its review clock opens on the first review date', async () => {
        planId = await w.plans.createPlan(...as(w.forceLead), newPlan({ owners: ['States of Jersey Police', ' Law Officers’ Department ', 'States of Jersey Police', ''] }));
        const view = await w.plans.plan(w.actor(w.investigator), planId);
        assert.deepEqual(
          [view.plan.level, view.plan.ownerOrganisationId, view.plan.owners, view.plan.statusScheme, view.plan.reviewCycleMonths, view.plan.nextReviewOn, view.plan.lastReviewedOn, view.plan.source, view.plan.version],
          ['force', w.force, ['States of Jersey Police', 'Law Officers’ Department'], 'yes-no-in-progress', 6, '2026-09-30', null, null, 1],
        );
        assert.deepEqual(view.themes, []);
        assert.deepEqual(view.history.map((h) => [h.kind, h.recordedBy]), [['plan-created', 'Elise Renouf']]);
        assert.equal(view.mayChange, false);
        assert.equal((await w.plans.plan(w.actor(w.forceLead), planId)).mayChange, true);
        const clocks = await deadlinesFor(db, PLAN_SUBJECT, planId);
        assert.deepEqual(clocks.map((d) => [d.ruleKey, d.status, d.dueOn]), [['plans.review', 'open', '2026-09-30']]);
        assert.equal(await audits('plans.create'), 1);
        assert.ok((await w.plans.list()).some((p) => p.id === planId && p.actions === 0 && p.withdrawn === 0));
      });

      await s.test('national plans only by the national organisation; other levels as the organisation may own them; refusals are journalled', async () => {
        const before = await audits('plans.forbidden');
        await rejects(w.plans.createPlan(...as(w.forceLead), newPlan({ level: 'national' })), 'forbidden');
        await rejects(w.plans.createPlan(...as(w.forceLead), newPlan({ level: 'area' })), 'forbidden');
        await rejects(w.plans.createPlan(...as(w.nationalLead), newPlan({ level: 'local' })), 'forbidden');
        await rejects(w.plans.createPlan(...as(w.investigator), newPlan()), 'forbidden');
        await rejects(w.plans.createPlan(...as(w.nationalAdministrator), newPlan({ level: 'national' })), 'forbidden');
        assert.equal(await audits('plans.forbidden'), before + 5);
        const national = await w.plans.createPlan(...as(w.nationalLead), newPlan({ level: 'national', title: 'Joint national action plan 2027', statusScheme: 'rag', owners: ['CPS', 'NPCC'] }));
        assert.equal((await w.plans.plan(w.actor(w.nationalLead), national)).plan.ownerOrganisationId, w.national);
        const local = await w.plans.createPlan(...as(w.forceLead), newPlan({ level: 'local', title: 'Local plan' }));
        assert.equal((await w.plans.plan(w.actor(w.forceLead), local)).plan.level, 'local');
      });

      await s.test('a new plan’s details are checked, and nothing is written when they are wrong', async () => {
        const plans = (await w.plans.list()).length;
        const problem = await rejects(w.plans.createPlan(...as(w.forceLead), newPlan({ level: 'regional', title: ' ', period: '', owners: [' '], statusScheme: 'traffic-lights', reviewCycleMonths: '0', nextReviewOn: dateInput('2026-03-09') })), 'validation');
        assert.deepEqual(problem.fieldErrors.map((e) => e.field), ['level', 'title', 'period', 'owners', 'statusScheme', 'reviewCycleMonths', 'nextReviewOn-day']);
        assert.match(problem.message, /The review date must be today or in the future/);
        await rejects(w.plans.createPlan(...as(w.forceLead), newPlan({ reviewCycleMonths: '25' })), 'validation', 'reviewCycleMonths');
        await rejects(w.plans.createPlan(...as(w.forceLead), newPlan({ nextReviewOn: dateInput('2040-01-01') })), 'validation', 'nextReviewOn-year');
        await rejects(w.plans.createPlan(...as(w.forceLead), newPlan({ nextReviewOn: noDate })), 'validation', 'nextReviewOn-day');
        await rejects(w.plans.createPlan(...as(w.forceLead), newPlan({ owners: Array.from({ length: 21 }, (_, i) => `Owner ${i}`) })), 'validation', 'owners');
        assert.equal((await w.plans.list()).length, plans);
      });

      await s.test('an Idempotency-Key makes a plan once', async () => {
        const key = { key: 'make-1', requestHash: 'h1' };
        const first = await w.plans.createPlan(...as(w.forceLead), newPlan({ title: 'Made once' }), key);
        const again = await w.plans.createPlan(...as(w.forceLead), newPlan({ title: 'Made once' }), key);
        assert.equal(again, first);
        assert.equal((await w.plans.list()).filter((p) => p.title === 'Made once').length, 1);
        await rejects(w.plans.createPlan(...as(w.forceLead), newPlan({ title: 'Other' }), { key: 'make-1', requestHash: 'h2' }), 'idempotency-key-reused');
      });

      await s.test('themes are added at the end, renamed and moved; each claims the plan’s version', async () => {
        const first = await w.plans.addTheme(...as(w.forceLead), planId, { title: 'Supporting victims', description: '' }, 1);
        assert.equal(first.version, 2);
        const second = await w.plans.addTheme(...as(w.forceLead), planId, { title: 'Building strong cases', description: 'Early advice and case building.' }, first.version);
        const third = await w.plans.addTheme(...as(w.forceLead), planId, { title: 'Scrutiny', description: '' }, second.version);
        themes.push(first.themeId, second.themeId, third.themeId);
        await rejects(w.plans.addTheme(...as(w.forceLead), planId, { title: 'Late', description: '' }, second.version), 'conflict');
        await rejects(w.plans.addTheme(...as(w.forceLead), planId, { title: '', description: 'x'.repeat(1001) }, third.version), 'validation', 'description');
        await rejects(w.plans.addTheme(...as(w.nationalLead), planId, { title: 'Not yours', description: '' }, third.version), 'forbidden');

        let v = await w.plans.editTheme(...as(w.forceLead), planId, second.themeId, { title: 'Building a strong case as early as possible', description: '' }, third.version);
        assert.equal(await w.plans.editTheme(...as(w.forceLead), planId, second.themeId, { title: 'Building a strong case as early as possible', description: '' }, v), v, 'nothing changed: nothing written');
        v = await w.plans.moveTheme(...as(w.forceLead), planId, third.themeId, 1, v);
        await rejects(w.plans.moveTheme(...as(w.forceLead), planId, third.themeId, 4, v), 'validation', 'position');
        await rejects(w.plans.moveTheme(...as(w.forceLead), planId, third.themeId, 2, v - 1), 'conflict');
        await rejects(w.plans.moveTheme(...as(w.forceLead), w.local, third.themeId, 2, 1), 'not-found');
        const view = await w.plans.plan(w.actor(w.investigator), planId);
        assert.deepEqual(view.themes.map((th) => [th.position, th.title, th.description]), [
          [1, 'Scrutiny', null], [2, 'Supporting victims', null], [3, 'Building a strong case as early as possible', null],
        ]);
        assert.equal(view.plan.version, v);
        assert.deepEqual(view.history.map((h) => [h.kind, h.themeTitle]).slice(0, 2), [['theme-moved', 'Scrutiny'], ['theme-edited', 'Building a strong case as early as possible']]);
        assert.deepEqual(view.history[0]!.changes, [{ field: 'position', from: '3', to: '1' }]);
        assert.deepEqual(view.history[1]!.changes, [
          { field: 'title', from: 'Building strong cases', to: 'Building a strong case as early as possible' },
          { field: 'description', from: 'Early advice and case building.', to: null },
        ]);
        assert.equal(await audits('plans.theme.add'), 3);
        assert.equal(await audits('plans.theme.move'), 1);
      });

      const action = (overrides: Partial<NewActionInput> = {}): NewActionInput => ({
        themeId: themes[0]!, number: '', text: 'Offer every victim an ISVA referral at first contact.', owners: [], leadUserId: '', targetOn: noDate, status: '', ...overrides,
      });

      await s.test('actions are added with the next free number, never one already used, led by a person of the owning organisation', async () => {
        const one = await w.plans.addAction(...as(w.forceLead), planId, action(), await version(planId));
        const five = await w.plans.addAction(...as(w.forceLead), planId, action({ themeId: themes[1]!, number: '5', text: 'Joint early advice protocol agreed.', owners: ['SOJP', 'LOD'], leadUserId: w.investigator.id, targetOn: dateInput('2027-03-31'), status: 'in_progress' }), one.version);
        const taken = await rejects(w.plans.addAction(...as(w.forceLead), planId, action({ number: '5' }), five.version), 'validation', 'number');
        assert.match(taken.message, /Action 5 is already in this plan: use another number, such as 6/);
        await rejects(w.plans.addAction(...as(w.forceLead), planId, action({ leadUserId: w.nationalLead.id }), five.version), 'validation', 'leadUserId');
        await rejects(w.plans.addAction(...as(w.forceLead), planId, action({ themeId: w.local }), five.version), 'validation', 'themeId');
        await rejects(w.plans.addAction(...as(w.forceLead), planId, action({ status: 'green' }), five.version), 'validation', 'status');
        await rejects(w.plans.addAction(...as(w.forceLead), planId, action({ number: '0', text: '' }), five.version), 'validation', 'number');
        await rejects(w.plans.addAction(...as(w.forceLead), planId, action(), one.version), 'conflict');
        const six = await w.plans.addAction(...as(w.forceLead), planId, action({ text: 'Victim feedback survey.' }), five.version);

        const view = await w.plans.plan(w.actor(w.investigator), planId);
        const all = view.themes.flatMap((th) => th.actions);
        assert.deepEqual(all.map((a) => [a.number, a.status, a.leadName, a.targetOn]).sort(), [[1, 'no', null, null], [5, 'in_progress', 'Sam Taylor', '2027-03-31'], [6, 'no', null, null]]);
        const detail = await w.plans.action(w.actor(w.investigator), planId, five.actionId);
        assert.deepEqual(detail.action.owners, [{ label: 'SOJP', organisationId: null }, { label: 'LOD', organisationId: null }]);
        assert.deepEqual(detail.updates.map((u) => [u.kind, u.actionNumber, u.statusTo, u.themeTitle, u.text]), [['action-added', 5, 'in_progress', 'Building a strong case as early as possible', 'Joint early advice protocol agreed.']]);
        assert.equal(view.history.filter((h) => h.kind === 'action-added').length, 3);
        assert.equal(view.plan.version, six.version);
        assert.equal(await audits('plans.action.add'), 3);
        // A RAG plan's actions start red unless told otherwise.
        const rag = await w.plans.createPlan(...as(w.forceLead), newPlan({ title: 'RAG plan', statusScheme: 'rag' }));
        const ragTheme = await w.plans.addTheme(...as(w.forceLead), rag, { title: 'Theme', description: '' }, 1);
        const red = await w.plans.addAction(...as(w.forceLead), rag, { ...action(), themeId: ragTheme.themeId }, ragTheme.version);
        assert.equal((await w.plans.action(w.actor(w.forceLead), rag, red.actionId)).action.status, 'red');
        await rejects(w.plans.addAction(...as(w.forceLead), rag, { ...action(), themeId: ragTheme.themeId, status: 'yes' }, red.version), 'validation', 'status');
      });

      const actionNumbered = async (n: number) => (await w.plans.plan(w.actor(w.forceLead), planId)).themes.flatMap((th) => th.actions).find((a) => a.number === n)!;

      await s.test('an action’s text, owners, lead, target date and theme change with their history; a label kept keeps its organisation', async () => {
        const five = await actionNumbered(5);
        await db.updateTable('plan_actions').set({ owners: JSON.stringify([{ label: 'SOJP', organisationId: w.force }, { label: 'LOD', organisationId: null }]) }).where('id', '=', five.id).execute();
        const input = { themeId: themes[2]!, text: 'Joint early advice protocol agreed and in use.', owners: ['SOJP', 'Jersey ISVA service'], leadUserId: w.forceLead.id, targetOn: dateInput('2027-06-30') };
        await rejects(w.plans.editAction(...as(w.forceLead), planId, five.id, { ...input, leadUserId: w.nationalLead.id }, five.version), 'validation', 'leadUserId');
        await rejects(w.plans.editAction(...as(w.forceLead), planId, five.id, { ...input, text: ' ' }, five.version), 'validation', 'text');
        await rejects(w.plans.editAction(...as(w.nationalLead), planId, five.id, input, five.version), 'forbidden');
        const next = await w.plans.editAction(...as(w.forceLead), planId, five.id, input, five.version);
        assert.equal(next, five.version + 1);
        assert.equal(await w.plans.editAction(...as(w.forceLead), planId, five.id, input, next), next, 'nothing changed: nothing written');
        await rejects(w.plans.editAction(...as(w.forceLead), planId, five.id, { ...input, text: 'Stale.' }, five.version), 'conflict');
        const view = await w.plans.action(w.actor(w.investigator), planId, five.id);
        assert.deepEqual([view.theme.title, view.action.text, view.action.leadName, view.action.targetOn, view.action.number], ['Scrutiny', input.text, 'Elise Renouf', '2027-06-30', 5]);
        assert.deepEqual(view.action.owners, [{ label: 'SOJP', organisationId: w.force }, { label: 'Jersey ISVA service', organisationId: null }]);
        assert.equal(view.updates[0]!.kind, 'action-edited');
        assert.deepEqual(view.updates[0]!.changes, [
          { field: 'theme', from: 'Building a strong case as early as possible', to: 'Scrutiny' },
          { field: 'text', from: 'Joint early advice protocol agreed.', to: input.text },
          { field: 'owners', from: 'SOJP; LOD', to: 'SOJP; Jersey ISVA service' },
          { field: 'lead', from: 'Sam Taylor', to: 'Elise Renouf' },
          { field: 'targetOn', from: '2027-03-31', to: '2027-06-30' },
        ]);
        assert.equal(view.updates.length, 2);
        assert.equal(await audits('plans.action.edit'), 1);
        // A lead who has since left the organisation stays until changed, but no one may newly choose them.
        await db.updateTable('users').set({ disabled_at: '2026-03-10T12:00:00Z' }).where('id', '=', w.forceLead.id).execute();
        try {
          const six = await actionNumbered(6);
          await rejects(w.plans.editAction(...as(w.forceLead), planId, six.id, { themeId: themes[0]!, text: six.text, owners: [], leadUserId: w.forceLead.id, targetOn: noDate }, six.version), 'validation', 'leadUserId');
          await w.plans.editAction(...as(w.forceLead), planId, five.id, { ...input, targetOn: noDate }, next);
        } finally {
          await db.updateTable('users').set({ disabled_at: null }).where('id', '=', w.forceLead.id).execute();
        }
        const kept = (await w.plans.action(w.actor(w.investigator), planId, five.id)).action;
        assert.deepEqual([kept.leadName, kept.targetOn], ['Elise Renouf', null]);
      });

      await s.test('the plan’s details change, and a new review date moves the review clock; the scheme is fixed once there are actions', async () => {
        const { plan } = await w.plans.plan(w.actor(w.forceLead), planId);
        const details = { title: plan.title, period: plan.period, owners: plan.owners, statusScheme: plan.statusScheme, reviewCycleMonths: String(plan.reviewCycleMonths), nextReviewOn: dateInput(plan.nextReviewOn) };
        await rejects(w.plans.editPlan(...as(w.forceLead), planId, { ...details, statusScheme: 'rag' }, plan.version), 'validation', 'statusScheme');
        await rejects(w.plans.editPlan(...as(w.nationalLead), planId, { ...details, title: 'Taken over' }, plan.version), 'forbidden');
        assert.equal(await w.plans.editPlan(...as(w.forceLead), planId, details, plan.version), plan.version, 'nothing changed: nothing written');
        const next = await w.plans.editPlan(...as(w.forceLead), planId, { ...details, title: 'Jersey joint RASSO action plan 2026/27', reviewCycleMonths: '12', nextReviewOn: dateInput('2026-10-15') }, plan.version);
        await rejects(w.plans.editPlan(...as(w.forceLead), planId, { ...details, period: '2026 to 2028' }, plan.version), 'conflict');
        const view = await w.plans.plan(w.actor(w.investigator), planId);
        assert.deepEqual([view.plan.title, view.plan.reviewCycleMonths, view.plan.nextReviewOn, view.plan.version], ['Jersey joint RASSO action plan 2026/27', 12, '2026-10-15', next]);
        assert.deepEqual(view.history[0]!.changes.map((c) => [c.field, c.from, c.to]), [
          ['title', 'Jersey joint RASSO plan 2026/27', 'Jersey joint RASSO action plan 2026/27'], ['reviewCycleMonths', '6', '12'], ['nextReviewOn', '2026-09-30', '2026-10-15'],
        ]);
        const clocks = await deadlinesFor(db, PLAN_SUBJECT, planId);
        assert.deepEqual(clocks.map((d) => [d.status, d.dueOn]).sort(), [['cancelled', '2026-09-30'], ['open', '2026-10-15']]);
        // A review date already passed may stay as it is while other details change.
        await db.updateTable('plans').set({ next_review_on: '2026-03-01' }).where('id', '=', planId).execute();
        const again = await w.plans.editPlan(...as(w.forceLead), planId, { ...details, title: 'Renamed once more', nextReviewOn: dateInput('2026-03-01') }, next);
        assert.equal(again, next + 1);
        // A plan with no actions may still change its scheme.
        const empty = (await w.plans.list()).find((p) => p.title === 'Local plan')!;
        await w.plans.editPlan(...as(w.forceLead), empty.id, { ...details, title: empty.title, nextReviewOn: dateInput(empty.nextReviewOn), statusScheme: 'rag' }, empty.version);
        assert.equal((await w.plans.plan(w.actor(w.forceLead), empty.id)).plan.statusScheme, 'rag');
      });

      await s.test('an action is withdrawn with a reason, never deleted; it takes no more changes and stops counting', async () => {
        const one = await actionNumbered(1);
        await rejects(w.plans.withdrawAction(...as(w.forceLead), planId, one.id, '  ', one.version), 'validation', 'reason');
        await rejects(w.plans.withdrawAction(...as(w.investigator), planId, one.id, 'No.', one.version), 'forbidden');
        const next = await w.plans.withdrawAction(...as(w.forceLead), planId, one.id, 'Merged into action 5.', one.version);
        const view = await w.plans.action(w.actor(w.investigator), planId, one.id);
        assert.deepEqual([view.action.withdrawnOn, view.action.status, view.action.number, view.action.version], ['2026-03-10', 'no', 1, next]);
        assert.deepEqual([view.updates[0]!.kind, view.updates[0]!.text, view.updates[0]!.statusFrom, view.action.latestUpdate?.text], ['action-withdrawn', 'Merged into action 5.', 'no', 'Merged into action 5.']);
        for (const attempt of [
          () => w.plans.recordUpdate(...as(w.forceLead), planId, one.id, { text: 'More.', status: '' }, next),
          () => w.plans.addEvidence(...as(w.forceLead), planId, one.id, { title: 'Doc', url: 'https://www.gov.je/doc' }, next),
          () => w.plans.editAction(...as(w.forceLead), planId, one.id, { themeId: themes[0]!, text: 'Back.', owners: [], leadUserId: '', targetOn: noDate }, next),
          () => w.plans.withdrawAction(...as(w.forceLead), planId, one.id, 'Again.', next),
          () => w.plans.linkNational(...as(w.forceLead), planId, one.id, '', next),
        ]) assert.match((await rejects(attempt(), 'validation')).message, /Action 1 was withdrawn, so it can no longer be changed/);
        assert.equal((await db.selectFrom('plan_actions').select('id').where('id', '=', one.id).execute()).length, 1);
        const listed = (await w.plans.list()).find((p) => p.id === planId)!;
        assert.deepEqual([listed.actions, listed.withdrawn, [...listed.byStatus].sort((x, y) => x.status.localeCompare(y.status))], [2, 1, [{ status: 'in_progress', count: 1 }, { status: 'no', count: 1 }]]);
        // Its number stays taken.
        await rejects(w.plans.addAction(...as(w.forceLead), planId, action({ number: '1' }), await version(planId)), 'validation', 'number');
        assert.equal(await audits('plans.action.withdraw'), 1);
        const kinds = (await historyRows(planId)).filter((h) => h.action_id === one.id).map((h) => h.kind).sort();
        assert.deepEqual(kinds, ['action-added', 'action-withdrawn']);
      });

      await s.test('in the cascade a withdrawn local action is listed but not counted, and a withdrawn national action takes no new links', async () => {
        const national = (await w.plans.plan(w.actor(w.nationalLead), w.jnap)).themes.flatMap((th) => th.actions);
        const [target, retired] = [national.find((a) => a.number === 2)!, national.find((a) => a.number === 3)!];
        const local = (await w.plans.plan(w.actor(w.forceLead), w.local)).themes.flatMap((th) => th.actions);
        const [a, b] = [local.find((x) => x.number === 1)!, local.find((x) => x.number === 2)!];
        const aV = await w.plans.linkNational(...as(w.forceLead), w.local, a.id, target.id, a.version);
        await w.plans.linkNational(...as(w.forceLead), w.local, b.id, target.id, b.version);
        await w.plans.withdrawAction(...as(w.forceLead), w.local, a.id, 'Delivered through the new joint plan instead.', aV);
        const row = (await w.plans.cascade(w.jnap)).rows.find((r) => r.action.number === 2)!;
        assert.deepEqual([row.linked.map((l) => [l.number, l.withdrawn]), row.withdrawn, row.byStatus.reduce((n, c) => n + c.count, 0)], [[[1, true], [2, false]], 1, 1]);
        assert.equal(row.delivered, b.status === 'yes' ? 1 : 0);

        await w.plans.withdrawAction(...as(w.nationalLead), w.jnap, retired.id, 'Superseded by the refresh.', retired.version);
        assert.ok(!(await w.plans.nationalActions(w.local)).some((n) => n.actionId === retired.id));
        const c = local.find((x) => x.number === 4)!;
        await rejects(w.plans.linkNational(...as(w.forceLead), w.local, c.id, retired.id, c.version), 'validation', 'nationalActionId');
        assert.ok((await w.plans.cascade(w.jnap)).rows.find((r) => r.action.number === 3)!.action.withdrawnOn);
      });

      await s.test('the plan’s history tells the story, newest first; nothing reached the case journal', async () => {
        const view = await w.plans.plan(w.actor(w.investigator), planId);
        assert.deepEqual(view.history.map((h) => h.kind).reverse(), [
          'plan-created', 'theme-added', 'theme-added', 'theme-added', 'theme-edited', 'theme-moved', 'action-added', 'action-added', 'action-added', 'plan-edited', 'plan-edited', 'action-withdrawn',
        ]);
        assert.deepEqual(view.reviews, []);
        assert.equal((await db.selectFrom('case_events').select('id').execute()).length, 0);
      });
    } finally {
      await t.close();
    }
  });
}
