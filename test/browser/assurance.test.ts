// Quarterly assurance reports in Chromium, as their people use them: the
// plan lead starts the report and explains its exception, the escalation
// lead signs it off and publishes it, the national analyst reads it and its
// print view. Every page and error state passes axe (WCAG 2.2 AA) with no
// console errors or CSP violations; the journey also works without
// JavaScript.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { browserMissing, launchBrowser, submit } from '../support/browser.ts';
import { button, runJourneyWith } from '../support/journey.ts';
import { engines } from '../support/databases.ts';
import { assuranceWorld } from '../../src/governance/assurance/test-support.ts';

let browser: Browser | undefined;
before(async () => {
  if (!browserMissing) browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
});

for (const engine of engines) {
  for (const javaScriptEnabled of [true, false]) {
    test(`${engine}: a quarterly assurance report from draft to national reading, JavaScript ${javaScriptEnabled ? 'on' : 'off'}`, { skip: browserMissing, timeout: 300_000 }, async () => {
      const problems = await runJourneyWith(browser, engine, javaScriptEnabled, assuranceWorld, async ({ w, served, signIn }) => {
        const lead = await signIn(w.forceLead);
        await lead.page.goto(`${served.baseUrl}/assurance`);
        await lead.check();
        await lead.follow(button(lead, 'Start a report'));
        await submit(lead.page, 'Start the report');
        assert.match(await lead.page.locator('h1').innerText(), /Quarterly assurance report: Q2 2026\/27/);
        await lead.check();
        if (javaScriptEnabled) await lead.page.screenshot({ path: `/tmp/assurance-draft-${engine}.png`, fullPage: true });
        const reportUrl = lead.page.url();

        // The exception's commentary: sent empty first (the error summary), then written.
        await lead.page.locator('#exception-plan-actions-overdue').getByRole('link', { name: 'Add commentary' }).click();
        await lead.page.getByLabel('Commentary').fill('');
        await submit(lead.page, 'Save commentary');
        assert.ok(await lead.page.locator('.govuk-error-summary').isVisible());
        await lead.check();
        await lead.page.getByLabel('Commentary').fill('Moved to 2027 with the new ISVA contract.');
        await submit(lead.page, 'Save commentary');
        assert.match(await lead.page.locator('.govuk-notification-banner').innerText(), /The commentary was saved/);

        const signer = await signIn(w.escalationLead);
        await signer.page.goto(reportUrl);
        await signer.follow(button(signer, 'Sign off the report'));
        await submit(signer.page, 'Sign off the report');
        assert.match(await signer.page.locator('.govuk-notification-banner').innerText(), /The report was signed off/);
        await signer.follow(button(signer, 'Publish the report'));
        await signer.submit('Publish the report');

        const national = await signIn(w.nationalAnalyst);
        await national.page.goto(`${served.baseUrl}/assurance`);
        await national.check();
        await national.page.getByRole('link', { name: 'Avon and Somerset Police' }).click();
        assert.match(await national.page.locator('body').innerText(), /Moved to 2027 with the new ISVA contract\./);
        await national.check();
        await national.follow(national.page.getByRole('link', { name: 'Print view' }));
        if (javaScriptEnabled) await national.page.screenshot({ path: `/tmp/assurance-print-${engine}.png`, fullPage: true });

        // The plan lead reopens it: the reason is required.
        await lead.page.goto(reportUrl);
        await lead.page.getByRole('button', { name: 'Reopen the report as a new version' }).click();
        await lead.submit('Reopen as a new version');
        await lead.page.getByLabel('Why is the report being reopened?').fill('The summary left out the JOIM’s findings.');
        await submit(lead.page, 'Reopen as a new version');
        assert.match(await lead.page.locator('.govuk-notification-banner').innerText(), /Version 2 was made/);
        await lead.page.getByRole('link', { name: '1', exact: true }).click();
        assert.match(await lead.page.locator('body').innerText(), /You are reading version 1/);
        await lead.check();
      });
      assert.deepEqual(problems, []);
    });
  }
}
