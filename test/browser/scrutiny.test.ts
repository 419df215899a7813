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
import { browserMissing, launchBrowser, submit } from '../support/browser.ts';
import { runJourneyWith } from '../support/journey.ts';
import { engines } from '../support/databases.ts';
import type { TestApp } from '../support/app.ts';
import { scrutinyWorld, worldPanel } from '../../src/governance/scrutiny/test-support.ts';

let browser: Browser | undefined;
before(async () => {
  if (!browserMissing) browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
});

const fillDate = async (page: Page, legend: string, day: string, month: string, year: string) => {
  const group = page.getByRole('group', { name: legend });
  await group.getByLabel('Day').fill(day);
  await group.getByLabel('Month').fill(month);
  await group.getByLabel('Year').fill(year);
};
const answer = async (page: Page, question: string, choice: string) => page.getByRole('group', { name: question }).getByLabel(choice, { exact: true }).check();

/** Answers the review's questions (a member's review, or the panel's findings): partly sound, enquiries missed, the victim not kept informed, no myths. */
async function answerReview(page: Page, answers: { why: string; missed: string; notAdequate: string }): Promise<void> {
  await answer(page, 'Was the decision sound?', 'Partly');
  await page.getByLabel('Why', { exact: true }).fill(answers.why);
  await answer(page, 'Were lines of enquiry missed?', 'Yes');
  await page.getByLabel('Which lines of enquiry').fill(answers.missed);
  await answer(page, 'Was the victim kept informed adequately?', 'No');
  await page.getByLabel('What was not adequate').fill(answers.notAdequate);
  await answer(page, 'Are myths or stereotypes evident in the decision or the investigation?', 'No');
}

/** The world with a case closed by police NFA in February, and the force's panel as of April. */
async function scrutinyJourneyWorld(t: TestApp) {
  const w = await scrutinyWorld(t);
  await w.policeNfa({ decidedOn: '2026-02-10', people: [{ category: 'victim', name: 'Jordan Avery' }, { category: 'suspect', name: 'Ryan Cole' }], rationale: 'Jordan Avery could not be contacted after 3 March 2026; no CCTV was found.' });
  t.clock.set('2026-04-15T10:00:00Z');
  await worldPanel(w, 'Avon and Somerset NFA scrutiny panel');
  return w;
}

for (const engine of engines) {
  for (const javaScriptEnabled of [true, false]) {
    test(`${engine}: a scrutiny panel reviews an anonymised pack and its learning reaches the officer, JavaScript ${javaScriptEnabled ? 'on' : 'off'}`, { skip: browserMissing, timeout: 300_000 }, async () => {
      const problems = await runJourneyWith(browser, engine, javaScriptEnabled, scrutinyJourneyWorld, async ({ w, signIn }) => {
        // The chair selects February's decisions, from the home page.
        const chair = await signIn(w.escalationLead);
        await chair.follow(chair.page.getByRole('link', { name: 'NFA scrutiny panels' }));
        await chair.follow(chair.page.getByRole('link', { name: 'Avon and Somerset NFA scrutiny panel' }));
        await chair.page.getByRole('button', { name: 'Select cases for review' }).click();
        await submit(chair.page, 'Select the cases');
        assert.ok(await chair.page.locator('.govuk-error-summary').isVisible());
        await chair.check();
        await fillDate(chair.page, 'Start of the period', '1', '2', '2026');
        await fillDate(chair.page, 'End of the period', '28', '2', '2026');
        await submit(chair.page, 'Select the cases');
        assert.match(await chair.page.locator('.govuk-notification-banner').innerText(), /The cases were selected/);
        await chair.check();

        // The external member reviews the pack: it says nothing of who or when.
        const member = await signIn(w.external);
        await member.page.getByRole('link', { name: 'Scrutiny panels' }).click();
        await member.follow(member.page.getByRole('link', { name: 'Avon and Somerset NFA scrutiny panel' }));
        await member.follow(member.page.getByRole('link', { name: '1 February 2026 to 28 February 2026' }));
        await member.follow(member.page.getByRole('link', { name: 'Case P-0001' }));
        const pack = await member.page.locator('main').innerText();
        assert.match(pack, /\[name\] could not be contacted after \[date\]; no CCTV was found\./);
        for (const identifier of ['Jordan', 'Avery', 'Ryan Cole', '3 March 2026', 'SCR/', '2026-02-10', 'Sam Taylor']) assert.ok(!pack.includes(identifier), identifier);
        const packUrl = member.page.url();
        await member.page.getByRole('button', { name: 'Review this case' }).click();
        await member.submit('Save your review');
        assert.ok(await member.page.locator('.govuk-error-summary').isVisible());
        await answerReview(member.page, { why: 'The attempts to contact the victim are not described.', missed: 'Contact through the victim’s ISVA was not tried.', notAdequate: 'No contact is logged.' });
        await submit(member.page, 'Save your review');
        assert.match(await member.page.locator('.govuk-notification-banner').innerText(), /Your review was saved/);
        await member.check();

        // The chair agrees the findings, seeing what the member said.
        await chair.page.goto(packUrl);
        await chair.page.getByRole('button', { name: 'Record the panel’s findings' }).click();
        assert.match(await chair.page.locator('main').innerText(), /What members said/);
        await chair.check();
        await answerReview(chair.page, { why: 'The attempts to contact the victim are not described.', missed: 'Contact through the ISVA.', notAdequate: 'No contact is logged.' });
        await chair.page.getByLabel('Learning for the officer and the prosecutor').fill('Record every attempt to reach the victim, and try through their ISVA.');
        await submit(chair.page, 'Agree the findings and send the learning');
        assert.match(await chair.page.locator('.govuk-notification-banner').innerText(), /The findings were agreed/);
        await chair.check();

        // The officer opens the learning from their notification.
        const officer = await signIn(w.oic);
        await officer.page.getByRole('link', { name: 'Notifications' }).click();
        await officer.follow(officer.page.getByRole('link', { name: /Learning from the Avon and Somerset NFA scrutiny panel on case SCR\/0001\/26/ }));
        const learning = await officer.page.locator('main').innerText();
        assert.match(learning, /Record every attempt to reach the victim, and try through their ISVA\./);
        assert.ok(!learning.includes('Contact through the victim’s ISVA was not tried.'), 'a member’s own notes never reach the officer');
        assert.ok(!learning.includes('Claire Fenwick'), 'members are not named to the officer');
      });
      assert.deepEqual(problems, []);
    });
  }
}
