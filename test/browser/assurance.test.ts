// Quarterly assurance reports in Chromium, as their people use them: the
// plan lead starts the report and explains its exception, the escalation
// lead signs it off and publishes it, the national analyst reads it and its
// print view. Every page and error state passes axe (WCAG 2.2 AA) with no
// console errors or CSP violations; the journey also works without
// JavaScript.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { accessibilityViolations, browserMissing, launchBrowser, openContext, serveApp, signInThroughPages, submit } from '../support/browser.ts';
import type { ServedApp, WatchedContext } from '../support/browser.ts';
import { engines } from '../support/databases.ts';
import type { TestPerson } from '../support/app.ts';
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
      assert.ok(browser);
      const served: ServedApp = await serveApp(engine);
      const contexts: WatchedContext[] = [];
      const problems: string[] = [];
      try {
        const w = await assuranceWorld(served.t);
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

        const lead = await open(w.forceLead);
        await lead.goto(`${served.baseUrl}/assurance`);
        await check(lead);
        await lead.getByRole('button', { name: 'Start a report' }).click();
        await check(lead);
        await submit(lead, 'Start the report');
        assert.match(await lead.locator('h1').innerText(), /Quarterly assurance report: Q2 2026\/27/);
        await check(lead);
        if (javaScriptEnabled) await lead.screenshot({ path: `/tmp/assurance-draft-${engine}.png`, fullPage: true });
        const reportUrl = lead.url();

        // The exception's commentary: sent empty first (the error summary), then written.
        await lead.locator('#exception-plan-actions-overdue').getByRole('link', { name: 'Add commentary' }).click();
        await lead.getByLabel('Commentary').fill('');
        await submit(lead, 'Save commentary');
        assert.ok(await lead.locator('.govuk-error-summary').isVisible());
        await check(lead);
        await lead.getByLabel('Commentary').fill('Moved to 2027 with the new ISVA contract.');
        await submit(lead, 'Save commentary');
        assert.match(await lead.locator('.govuk-notification-banner').innerText(), /The commentary was saved/);

        const signer = await open(w.escalationLead);
        await signer.goto(reportUrl);
        await signer.getByRole('button', { name: 'Sign off the report' }).click();
        await check(signer);
        await submit(signer, 'Sign off the report');
        assert.match(await signer.locator('.govuk-notification-banner').innerText(), /The report was signed off/);
        await signer.getByRole('button', { name: 'Publish the report' }).click();
        await check(signer);
        await submit(signer, 'Publish the report');
        await check(signer);

        const national = await open(w.nationalAnalyst);
        await national.goto(`${served.baseUrl}/assurance`);
        await check(national);
        await national.getByRole('link', { name: 'Avon and Somerset Police' }).click();
        assert.match(await national.locator('body').innerText(), /Moved to 2027 with the new ISVA contract\./);
        await check(national);
        await national.getByRole('link', { name: 'Print view' }).click();
        await check(national);
        if (javaScriptEnabled) await national.screenshot({ path: `/tmp/assurance-print-${engine}.png`, fullPage: true });

        // The plan lead reopens it: the reason is required.
        await lead.goto(reportUrl);
        await lead.getByRole('button', { name: 'Reopen the report as a new version' }).click();
        await submit(lead, 'Reopen as a new version');
        await check(lead);
        await lead.getByLabel('Why is the report being reopened?').fill('The summary left out the JOIM’s findings.');
        await submit(lead, 'Reopen as a new version');
        assert.match(await lead.locator('.govuk-notification-banner').innerText(), /Version 2 was made/);
        await lead.getByRole('link', { name: '1', exact: true }).click();
        assert.match(await lead.locator('body').innerText(), /You are reading version 1/);
        await check(lead);

        for (const context of contexts) problems.push(...context.problems);
        assert.deepEqual(problems, []);
      } finally {
        for (const context of contexts) await context.close();
        await served.close();
      }
    });
  }
}
