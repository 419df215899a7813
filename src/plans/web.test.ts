// The plan pages on both engines: the list, a plan in its themes, an action
// with its history, the cascade, and the plan lead's forms (GOV.UK error
// summary for a status change without a note, a conflict on a stale form,
// success with a flash); people who are not plan leads are refused the forms.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { engines } from '../../test/support/databases.ts';
import { planTestApp } from './test-support.ts';

for (const engine of engines) {
  test(`${engine}: action plan pages`, async (s) => {
    const { t, w } = await planTestApp(engine);
    try {
      const reader = await t.signIn(w.investigator);
      const lead = await t.signIn(w.forceLead);
      const view = await w.plans.plan(w.actor(w.forceLead), w.local);
      const action = view.themes[0]!.actions[2]!;
      const actionUrl = `/plans/${w.local}/actions/${action.id}`;

      await s.test('anyone signed in reads the plans, a plan in its themes, an action and the cascade', async () => {
        const list = await reader.get('/plans');
        assert.equal(list.statusCode, 200);
        assert.match(list.body, /Jersey RASSO Action Plan 2022\/23/);
        const plan = await reader.get(`/plans/${w.local}`);
        assert.equal(plan.statusCode, 200);
        for (const text of ['Supporting RASSO victims', 'Digital capability and disclosure', 'Complete?', 'Planned for 2022 but moved to 2023']) assert.ok(plan.body.includes(text), text);
        assert.ok(!plan.body.includes('Record a review'), 'no review button for a reader');
        const page = await reader.get(actionUrl);
        assert.equal(page.statusCode, 200);
        assert.match(page.body, /<h1 class="govuk-heading-l">Action 3<\/h1>/);
        assert.ok(!page.body.includes('Change the status'));
        assert.equal((await reader.get(`/plans/${w.jnap}/cascade`)).statusCode, 200);
        assert.equal((await reader.get(`/plans/${w.jnap}/actions/${action.id}`)).statusCode, 404);
        assert.equal((await reader.get('/plans/not-an-id')).statusCode, 404);
      });

      await s.test('a status change without a note shows the GOV.UK error summary; with one it is made', async () => {
        assert.equal((await reader.get(`${actionUrl}/status`)).statusCode, 403);
        assert.match((await lead.get(actionUrl)).body, /Change the status/);
        const form = await lead.get(`${actionUrl}/status`);
        assert.equal(form.statusCode, 200);
        const refused = await lead.post(`${actionUrl}/status`, { version: String(action.version), status: 'in_progress', text: '' });
        assert.equal(refused.statusCode, 400);
        assert.match(refused.body, /govuk-error-summary/);
        assert.match(refused.body, /href="#text">Enter a note saying why the status changed/);
        assert.match(refused.body, /value="in_progress" checked/);
        const done = await lead.post(`${actionUrl}/status`, { version: String(action.version), status: 'in_progress', text: 'Training dates set.' });
        assert.deepEqual([done.statusCode, done.headers.location], [303, actionUrl]);
        const after = await lead.get(actionUrl);
        assert.match(after.body, /The status was changed/);
        assert.match(after.body, /Status changed from No to In progress/);
        const stale = await lead.post(`${actionUrl}/update`, { version: String(action.version), text: 'Late.' });
        assert.equal(stale.statusCode, 409);
        assert.match(stale.body, /Someone else changed this/);
      });

      await s.test('evidence, a link to a national action and a review, with their errors', async () => {
        const fresh = async () => (await w.plans.action(w.actor(w.forceLead), w.local, action.id)).action.version;
        const bad = await lead.post(`${actionUrl}/evidence`, { version: String(await fresh()), title: 'Leaflet', url: 'http://insecure.example' });
        assert.equal(bad.statusCode, 400);
        assert.match(bad.body, /href="#url">Enter a link that starts https:\/\//);
        assert.equal((await lead.post(`${actionUrl}/evidence`, { version: String(await fresh()), title: 'Leaflet', url: 'https://www.gov.je/leaflet' })).statusCode, 303);
        const national = (await w.plans.plan(w.actor(w.forceLead), w.jnap)).themes[0]!.actions[2]!;
        const linkForm = await lead.get(`${actionUrl}/national-action`);
        assert.match(linkForm.body, new RegExp(`value="${national.id}"`));
        assert.equal((await lead.post(`${actionUrl}/national-action`, { version: String(await fresh()), nationalActionId: national.id })).statusCode, 303);
        assert.match((await reader.get(`/plans/${w.jnap}/cascade`)).body, /Jersey RASSO Action Plan 2022\/23, action 3/);
        const version = String(view.plan.version);
        const review = await lead.post(`/plans/${w.local}/review`, { version, 'reviewedOn-day': '31', 'reviewedOn-month': '2', 'reviewedOn-year': '2026', text: 'Reviewed.' });
        assert.equal(review.statusCode, 400);
        assert.match(review.body, /href="#reviewedOn-day">The date of the review must be a real date/);
        const reviewed = await lead.post(`/plans/${w.local}/review`, { version, 'reviewedOn-day': '2', 'reviewedOn-month': '3', 'reviewedOn-year': '2026', text: 'Reviewed by the RASSO Board.' });
        assert.deepEqual([reviewed.statusCode, reviewed.headers.location], [303, `/plans/${w.local}`]);
        assert.match((await lead.get(`/plans/${w.local}`)).body, /2 September 2026/);
      });
    } finally {
      await t.close();
    }
  });
}
