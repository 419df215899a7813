// The pages that make and keep a plan, on both engines: a plan lead makes a
// plan (levels their organisation may own; the GOV.UK error summary for what
// is missing), adds and moves themes, adds an action (next free number, a
// lead chosen from the owning organisation's people, a character count),
// changes it, withdraws it with a reason, and changes the plan's details. A
// stale form is a conflict that says so; readers see no making controls.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { engines } from '../../test/support/databases.ts';
import { planTestApp } from './test-support.ts';

/** The plan, theme or action id at the end of a redirect. */
const idIn = (location: string | string[] | number | undefined, pattern: RegExp) => pattern.exec(String(location))?.[1] ?? '';
const versionIn = (html: string) => /name="version" value="(\d+)"/.exec(html)?.[1] ?? '';

for (const engine of engines) {
  test(`${engine}: making a plan through its pages`, async (s) => {
    const { t, w } = await planTestApp(engine);
    try {
      const reader = await t.signIn(w.investigator);
      const lead = await t.signIn(w.forceLead);
      const nationalLead = await t.signIn(w.nationalLead);
      let planUrl = '';
      let actionUrl = '';

      await s.test('plan leads are offered a new plan of the levels their organisation owns; readers are not', async () => {
        assert.doesNotMatch((await reader.get('/plans')).body, /Make a plan/);
        assert.equal((await reader.get('/plans/new')).statusCode, 403);
        assert.match((await lead.get('/plans')).body, /href="\/plans\/new"/);
        const form = await lead.get('/plans/new');
        assert.equal(form.statusCode, 200);
        assert.match(form.body, /value="force"/);
        assert.match(form.body, /value="local"/);
        assert.doesNotMatch(form.body, /value="national"/);
        assert.match(form.body, /name="reviewCycleMonths"[^>]*value="6"/);
        assert.match(form.body, /id="nextReviewOn-day"/);
        const national = await nationalLead.get('/plans/new');
        assert.match(national.body, /It will be a national plan\./);
        assert.match(national.body, /type="hidden" name="level" value="national"/);
      });

      await s.test('a new plan with nothing filled in shows every error in the summary; a national one from a force is refused', async () => {
        const refused = await lead.post('/plans/new', { level: '', title: '', period: '', owners: '', reviewCycleMonths: '', 'nextReviewOn-day': '', 'nextReviewOn-month': '', 'nextReviewOn-year': '' });
        assert.equal(refused.statusCode, 400);
        assert.match(refused.body, /govuk-error-summary/);
        for (const [href, text] of [['level', 'Select what kind of plan it is'], ['title', 'Enter the plan’s title'], ['period', 'Enter the period'], ['owners', 'Enter who owns the plan'], ['statusScheme', 'Select how each action’s progress is reported'], ['reviewCycleMonths', 'Enter how often'], ['nextReviewOn-day', 'Enter the review date']]) {
          assert.match(refused.body, new RegExp(`href="#${href}">${text}`), href);
        }
        assert.match(refused.body, /<title>Error: /);
        const tampered = await lead.post('/plans/new', { level: 'national', title: 'Ours now', period: '2026', owners: 'SOJP', statusScheme: 'rag', reviewCycleMonths: '6', 'nextReviewOn-day': '1', 'nextReviewOn-month': '9', 'nextReviewOn-year': '2026' });
        assert.equal(tampered.statusCode, 403);
      });

      await s.test('a plan is made and opens on its own page, with the making controls for its leads only', async () => {
        const made = await lead.post('/plans/new', {
          level: 'local', title: 'Jersey joint RASSO plan 2026/27', period: '2026/27', owners: 'States of Jersey Police\r\nLaw Officers’ Department', statusScheme: 'yes-no-in-progress',
          reviewCycleMonths: '6', 'nextReviewOn-day': '30', 'nextReviewOn-month': '9', 'nextReviewOn-year': '2026',
        });
        assert.equal(made.statusCode, 303);
        const planId = idIn(made.headers.location, /^\/plans\/([0-9a-f-]{36})$/);
        assert.ok(planId, String(made.headers.location));
        planUrl = `/plans/${planId}`;
        const page = await lead.get(planUrl);
        for (const text of ['The plan was made', 'Jersey joint RASSO plan 2026/27', 'States of Jersey Police, Law Officers’ Department', '30 September 2026', 'Plan made on the platform', 'Add an action', 'Manage themes', 'Change the plan’s details']) assert.ok(page.body.includes(text), text);
        const read = await reader.get(planUrl);
        for (const text of ['Add an action', 'Manage themes', 'Change the plan’s details']) assert.ok(!read.body.includes(text), text);
        assert.equal((await nationalLead.get(`${planUrl}/themes`)).statusCode, 403);
      });

      await s.test('themes are added and moved; a stale move is a conflict that says so', async () => {
        const none = await lead.get(`${planUrl}/actions/new`);
        assert.match(none.body, /Add a theme to the plan before adding actions/);
        assert.match(none.body, new RegExp(`href="${planUrl}/themes/new"`));
        assert.match((await lead.get(`${planUrl}/themes`)).body, /The plan has no themes yet/);
        const form = await lead.get(`${planUrl}/themes/new`);
        assert.match(form.body, /govuk-character-count/);
        const empty = await lead.post(`${planUrl}/themes/new`, { version: versionIn(form.body), title: '', description: 'x'.repeat(1001) });
        assert.equal(empty.statusCode, 400);
        assert.match(empty.body, /href="#title">Enter the theme/);
        assert.match(empty.body, /href="#description">Text must be 1000 characters or fewer/);
        for (const title of ['Supporting victims', 'Building strong cases']) {
          const fresh = await lead.get(`${planUrl}/themes/new`);
          const added = await lead.post(`${planUrl}/themes/new`, { version: versionIn(fresh.body), title, description: '' });
          assert.deepEqual([added.statusCode, added.headers.location], [303, `${planUrl}/themes`]);
        }
        const themes = await lead.get(`${planUrl}/themes`);
        assert.match(themes.body, /The theme was added/);
        const moveAction = /action="([^"]+\/move)"/g;
        const [, second] = [...themes.body.matchAll(moveAction)].map((m) => m[1]!);
        const stale = await lead.post(second!, { version: '1', position: '1' });
        assert.equal(stale.statusCode, 409);
        assert.match(stale.body, /href="#themes">Someone else changed this/);
        const moved = await lead.post(second!, { version: versionIn(themes.body), position: '1' });
        assert.deepEqual([moved.statusCode, moved.headers.location], [303, `${planUrl}/themes`]);
        const after = await lead.get(`${planUrl}/themes`);
        assert.ok(after.body.indexOf('Building strong cases') < after.body.indexOf('Supporting victims'));
        assert.match(after.body, /Move down<span class="govuk-visually-hidden">: Building strong cases<\/span>/);
        const changeHref = /href="([^"]+\/themes\/[0-9a-f-]{36})"/.exec(after.body)![1]!;
        const change = await lead.get(changeHref);
        assert.match(change.body, /value="Building strong cases"/);
        assert.equal((await lead.post(changeHref, { version: versionIn(change.body), title: 'Building a strong case as early as possible', description: 'Early advice.' })).statusCode, 303);
        assert.match((await reader.get(planUrl)).body, /Theme changed: Building a strong case as early as possible/);
      });

      await s.test('an action is added with a lead chosen from the owning organisation’s people, and its errors shown', async () => {
        const form = await lead.get(`${planUrl}/actions/new`);
        assert.equal(form.statusCode, 200);
        assert.match(form.body, /The next free number is 1\./);
        assert.match(form.body, /govuk-character-count/);
        assert.match(form.body, /<option value="[^"]+">Sam Taylor<\/option>/);
        assert.match(form.body, /<option value="[^"]+">Elise Renouf<\/option>/);
        assert.doesNotMatch(form.body, /Jo Bradley/);
        const themeId = /name="themeId" type="radio" value="([^"]+)"/.exec(form.body)![1]!;
        const version = versionIn(form.body);
        const bad = await lead.post(`${planUrl}/actions/new`, { version, themeId: '', number: 'one', text: '', owners: '', leadUserId: w.nationalLead.id, 'targetOn-day': '31', 'targetOn-month': '2', 'targetOn-year': '2027', status: 'no' });
        assert.equal(bad.statusCode, 400);
        for (const href of ['themeId', 'number', 'text', 'leadUserId', 'targetOn-day']) assert.match(bad.body, new RegExp(`href="#${href}"`), href);
        assert.match(bad.body, /The target date must be a real date/);
        const added = await lead.post(`${planUrl}/actions/new`, {
          version, themeId, number: '', text: 'Offer every victim an ISVA referral at first contact.', owners: '', leadUserId: w.investigator.id,
          'targetOn-day': '31', 'targetOn-month': '3', 'targetOn-year': '2027', status: 'in_progress',
        });
        assert.equal(added.statusCode, 303, added.body);
        actionUrl = String(added.headers.location);
        assert.match(actionUrl, new RegExp(`^${planUrl}/actions/[0-9a-f-]{36}$`));
        const page = await lead.get(actionUrl);
        for (const text of ['Action 1 was added', 'Action 1</h1>', 'Sam Taylor', '31 March 2027', 'In progress', 'Action 1 added', 'Change the details', 'Withdraw the action']) assert.ok(page.body.includes(text), text);
        const taken = await lead.post(`${planUrl}/actions/new`, { version: versionIn((await lead.get(`${planUrl}/actions/new`)).body), themeId, number: '1', text: 'Again.', status: 'no' });
        assert.match(taken.body, /Action 1 is already in this plan: use another number, such as 2/);
      });

      await s.test('an action’s details change, and a stale form says someone else changed it', async () => {
        const form = await lead.get(`${actionUrl}/edit`);
        assert.match(form.body, /Offer every victim an ISVA referral at first contact\./);
        assert.match(form.body, /name="targetOn-year" type="text" value="2027"/);
        const version = versionIn(form.body);
        const themeId = /name="themeId" type="radio" value="([^"]+)" checked/.exec(form.body)![1]!;
        const body = { version, themeId, text: 'Offer every victim an ISVA referral at first contact, and record the offer.', owners: 'States of Jersey Police', leadUserId: w.forceLead.id, 'targetOn-day': '', 'targetOn-month': '', 'targetOn-year': '' };
        assert.equal((await lead.post(`${actionUrl}/edit`, body)).statusCode, 303);
        const stale = await lead.post(`${actionUrl}/edit`, { ...body, text: 'Late.' });
        assert.equal(stale.statusCode, 409);
        assert.match(stale.body, /Someone else changed this while you were working on it/);
        const page = await reader.get(actionUrl);
        for (const text of ['Details changed', 'Lead: Elise Renouf (was Sam Taylor)', 'Target date: none (was 31 March 2027)', 'Owners: States of Jersey Police (was none)']) assert.ok(page.body.includes(text), text);
      });

      await s.test('an action is withdrawn with a reason and shows as withdrawn; its forms are closed', async () => {
        const form = await lead.get(`${actionUrl}/withdraw`);
        assert.match(form.body, /govuk-warning-text/);
        assert.match(form.body, /govuk-button--warning/);
        const empty = await lead.post(`${actionUrl}/withdraw`, { version: versionIn(form.body), reason: ' ' });
        assert.equal(empty.statusCode, 400);
        assert.match(empty.body, /href="#reason">Enter why the action is being withdrawn/);
        const done = await lead.post(`${actionUrl}/withdraw`, { version: versionIn(form.body), reason: 'Merged into the force’s victim care plan.' });
        assert.deepEqual([done.statusCode, done.headers.location], [303, actionUrl]);
        const page = await lead.get(actionUrl);
        assert.match(page.body, /Action 1 was withdrawn/);
        assert.match(page.body, /This action was withdrawn on 10 March 2026: Merged into the force’s victim care plan\./);
        assert.doesNotMatch(page.body, /Add an update|Change the details|Withdraw the action</);
        assert.match((await reader.get(planUrl)).body, /govuk-tag--grey">Withdrawn<\/strong>/);
        assert.deepEqual([(await lead.get(`${actionUrl}/update`)).statusCode, (await lead.get(`${actionUrl}/update`)).headers.location], [303, actionUrl]);
        const late = await lead.post(`${actionUrl}/update`, { version: String(Number(versionIn(form.body)) + 1), text: 'Still going.' });
        assert.equal(late.statusCode, 400);
        assert.match(late.body, /href="#text">Action 1 was withdrawn, so it can no longer be changed/);
      });

      await s.test('the plan’s details change; the status scheme is fixed once it has actions', async () => {
        const form = await lead.get(`${planUrl}/details`);
        assert.match(form.body, /value="Jersey joint RASSO plan 2026\/27"/);
        assert.match(form.body, /Progress is reported as Complete\? Yes, no or in progress\. It cannot change now the plan has actions\./);
        const version = versionIn(form.body);
        const body = { version, title: 'Jersey joint RASSO action plan 2026/27', period: '2026/27', owners: 'States of Jersey Police\nLaw Officers’ Department', statusScheme: 'yes-no-in-progress', reviewCycleMonths: '12', 'nextReviewOn-day': '15', 'nextReviewOn-month': '10', 'nextReviewOn-year': '2026' };
        const past = await lead.post(`${planUrl}/details`, { ...body, 'nextReviewOn-year': '2025' });
        assert.equal(past.statusCode, 400);
        assert.match(past.body, /href="#nextReviewOn-day">The review date must be today or in the future/);
        assert.equal((await lead.post(`${planUrl}/details`, body)).statusCode, 303);
        const page = await reader.get(planUrl);
        for (const text of ['Jersey joint RASSO action plan 2026/27', 'Every 12 months', '15 October 2026', 'Plan details changed', 'Title: Jersey joint RASSO action plan 2026/27 (was Jersey joint RASSO plan 2026/27)', 'Review cycle: Every 12 months (was Every 6 months)']) assert.ok(page.body.includes(text), text);
        assert.equal((await lead.post(`${planUrl}/details`, body)).statusCode, 409);
      });
    } finally {
      await t.close();
    }
  });
}
