// An NFA scrutiny panel in Chromium, as its people use it: the chair selects
// the month's decisions from the home page, the external member (whose only
// role is 'panel_member') opens an anonymised pack and reviews it, the chair
// agrees the findings, and the officer in the case opens the learning from
// their notification. Every page and error state passes axe (WCAG 2.2 AA)
// with no console errors or CSP violations; the journey also works without
// JavaScript.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { accessibilityViolations, browserMissing, launchBrowser, openContext, serveApp, signInThroughPages, submit } from '../support/browser.ts';
import type { ServedApp, WatchedContext } from '../support/browser.ts';
import { engines } from '../support/databases.ts';
import type { TestPerson } from '../support/app.ts';
import { scrutinyWorld, worldPanel } from '../../src/governance/scrutiny/test-support.ts';

let browser: Browser | undefined;
before(async () => {
  if (!browserMissing) browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
});

for (const engine of engines) {
  for (const javaScriptEnabled of [true, false]) {
    test(`${engine}: a scrutiny panel reviews an anonymised pack and its learning reaches the officer, JavaScript ${javaScriptEnabled ? 'on' : 'off'}`, { skip: browserMissing, timeout: 300_000 }, async () => {
      assert.ok(browser);
      const served: ServedApp = await serveApp(engine);
      const contexts: WatchedContext[] = [];
      const problems: string[] = [];
      try {
        const w = await scrutinyWorld(served.t);
        await w.policeNfa({ decidedOn: '2026-02-10', people: [{ category: 'victim', name: 'Jordan Avery' }, { category: 'suspect', name: 'Ryan Cole' }], rationale: 'Jordan Avery could not be contacted after 3 March 2026; no CCTV was found.' });
        served.t.clock.set('2026-04-15T10:00:00Z');
        await worldPanel(w, 'Avon and Somerset NFA scrutiny panel');
        const open = async (person: TestPerson): Promise<Page> => {
          const context = await openContext(browser!, { javaScriptEnabled });
          contexts.push(context);
          const page = await context.newPage();
          await signInThroughPages(page, served, person);
          return page;
        };
        const check = async (page: Page) => {
          if (javaScriptEnabled) problems.push(...(await accessibilityViolations(page)));
        };
        const fillDate = async (page: Page, legend: string, day: string, month: string, year: string) => {
          const group = page.getByRole('group', { name: legend });
          await group.getByLabel('Day').fill(day);
          await group.getByLabel('Month').fill(month);
          await group.getByLabel('Year').fill(year);
        };
        const answer = async (page: Page, question: string, choice: string) => page.getByRole('group', { name: question }).getByLabel(choice, { exact: true }).check();

        // The chair selects February's decisions, from the home page.
        const chair = await open(w.escalationLead);
        await chair.getByRole('link', { name: 'NFA scrutiny panels' }).click();
        await check(chair);
        await chair.getByRole('link', { name: 'Avon and Somerset NFA scrutiny panel' }).click();
        await check(chair);
        await chair.getByRole('button', { name: 'Select cases for review' }).click();
        await submit(chair, 'Select the cases');
        assert.ok(await chair.locator('.govuk-error-summary').isVisible());
        await check(chair);
        await fillDate(chair, 'Start of the period', '1', '2', '2026');
        await fillDate(chair, 'End of the period', '28', '2', '2026');
        await submit(chair, 'Select the cases');
        assert.match(await chair.locator('.govuk-notification-banner').innerText(), /The cases were selected/);
        await check(chair);

        // The external member reviews the pack: it says nothing of who or when.
        const member = await open(w.external);
        await member.getByRole('link', { name: 'Scrutiny panels' }).click();
        await member.getByRole('link', { name: 'Avon and Somerset NFA scrutiny panel' }).click();
        await check(member);
        await member.getByRole('link', { name: '1 February 2026 to 28 February 2026' }).click();
        await check(member);
        await member.getByRole('link', { name: 'Case P-0001' }).click();
        await check(member);
        const pack = await member.locator('main').innerText();
        assert.match(pack, /\[name\] could not be contacted after \[date\]; no CCTV was found\./);
        for (const identifier of ['Jordan', 'Avery', 'Ryan Cole', '3 March 2026', 'SCR/', '2026-02-10', 'Sam Taylor']) assert.ok(!pack.includes(identifier), identifier);
        const packUrl = member.url();
        await member.getByRole('button', { name: 'Review this case' }).click();
        await submit(member, 'Save your review');
        assert.ok(await member.locator('.govuk-error-summary').isVisible());
        await check(member);
        await answer(member, 'Was the decision sound?', 'Partly');
        await member.getByLabel('Why', { exact: true }).fill('The attempts to contact the victim are not described.');
        await answer(member, 'Were lines of enquiry missed?', 'Yes');
        await member.getByLabel('Which lines of enquiry').fill('Contact through the victim’s ISVA was not tried.');
        await answer(member, 'Was the victim kept informed adequately?', 'No');
        await member.getByLabel('What was not adequate').fill('No contact is logged.');
        await answer(member, 'Are myths or stereotypes evident in the decision or the investigation?', 'No');
        await submit(member, 'Save your review');
        assert.match(await member.locator('.govuk-notification-banner').innerText(), /Your review was saved/);
        await check(member);

        // The chair agrees the findings, seeing what the member said.
        await chair.goto(packUrl);
        await chair.getByRole('button', { name: 'Record the panel’s findings' }).click();
        assert.match(await chair.locator('main').innerText(), /What members said/);
        await check(chair);
        await answer(chair, 'Was the decision sound?', 'Partly');
        await chair.getByLabel('Why', { exact: true }).fill('The attempts to contact the victim are not described.');
        await answer(chair, 'Were lines of enquiry missed?', 'Yes');
        await chair.getByLabel('Which lines of enquiry').fill('Contact through the ISVA.');
        await answer(chair, 'Was the victim kept informed adequately?', 'No');
        await chair.getByLabel('What was not adequate').fill('No contact is logged.');
        await answer(chair, 'Are myths or stereotypes evident in the decision or the investigation?', 'No');
        await chair.getByLabel('Learning for the officer and the prosecutor').fill('Record every attempt to reach the victim, and try through their ISVA.');
        await submit(chair, 'Agree the findings and send the learning');
        assert.match(await chair.locator('.govuk-notification-banner').innerText(), /The findings were agreed/);
        await check(chair);

        // The officer opens the learning from their notification.
        const officer = await open(w.oic);
        await officer.getByRole('link', { name: 'Notifications' }).click();
        await officer.getByRole('link', { name: /Learning from the Avon and Somerset NFA scrutiny panel on case SCR\/0001\/26/ }).click();
        await check(officer);
        const learning = await officer.locator('main').innerText();
        assert.match(learning, /Record every attempt to reach the victim, and try through their ISVA\./);
        assert.ok(!learning.includes('Contact through the victim’s ISVA was not tried.'), 'a member’s own notes never reach the officer');
        assert.ok(!learning.includes('Claire Fenwick'), 'members are not named to the officer');

        for (const context of contexts) problems.push(...context.problems);
        assert.deepEqual(problems, []);
      } finally {
        for (const context of contexts) await context.close();
        await served.close();
      }
    });
  }
}
