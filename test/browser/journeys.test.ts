// What a person does in a real browser: first sign-in with authenticator
// set-up, later sign-ins with a code, switching organisation, signing out
// here or everywhere, mistakes at sign-in, and the idle timeout.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import {
  accessibilityViolations,
  browserMissing,
  enrolAuthenticator,
  enterCode,
  enterPassword,
  launchBrowser,
  openContext,
  serveApp,
  signInThroughPages,
  submit,
} from '../support/browser.ts';
import type { ServedApp, WatchedContext } from '../support/browser.ts';
import { engines } from '../support/databases.ts';

let browser: Browser | undefined;
before(async () => {
  if (!browserMissing) browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
});

/** Runs a journey against a freshly served app with a police force and a CPS Area. */
async function journey(engine: (typeof engines)[number], body: (served: ServedApp, ids: { force: string; cps: string }) => Promise<void>): Promise<void> {
  const served = await serveApp(engine);
  try {
    const force = await served.t.organisation('AVS', 'police_force', 'Avon and Somerset Police');
    const cps = await served.t.organisation('CPSSW', 'cps_area', 'CPS South West');
    await body(served, { force, cps });
  } finally {
    await served.close();
  }
}

async function watched(options: Parameters<typeof openContext>[1] = {}): Promise<WatchedContext> {
  assert.ok(browser, 'the browser was not started');
  return openContext(browser, options);
}

const path = (page: Page) => new URL(page.url()).pathname;

async function assertNoProblems(context: WatchedContext, ...pages: Page[]): Promise<void> {
  const violations = context.javaScriptEnabled ? (await Promise.all(pages.map(accessibilityViolations))).flat() : [];
  assert.deepEqual([...context.problems, ...violations], []);
}

/** First sign-in (set up the authenticator), sign out, then sign in again with a code. */
async function firstAndLaterSignIn(served: ServedApp, context: WatchedContext, force: string): Promise<void> {
  const { t, baseUrl } = served;
  await t.person({ email: 'sam@avs.police.uk', name: 'Sam Jones', roles: [[force, 'investigator']], enrolled: false });
  const page = await context.newPage();

  await enterPassword(page, baseUrl, 'sam@avs.police.uk');
  assert.equal(path(page), '/sign-in/set-up-authenticator');
  assert.ok(await page.getByRole('heading', { level: 1, name: 'Set up your authenticator app' }).isVisible());
  assert.ok(await page.getByRole('img', { name: 'QR code for your authenticator app' }).isVisible());
  await assertNoProblems(context, page);
  const key = await enrolAuthenticator(page, t);

  assert.equal(page.url(), `${baseUrl}/`);
  assert.ok(await page.getByText('Signed in as Sam Jones, Investigator (officer in the case) at Avon and Somerset Police').isVisible());
  assert.ok(await page.getByText('OFFICIAL-SENSITIVE').first().isVisible());

  await page.getByRole('link', { name: 'Sign out' }).click();
  await page.waitForURL(`${baseUrl}/sign-out`);
  await submit(page, 'Sign out');
  assert.equal(path(page), '/sign-in');
  assert.ok(await page.getByText('You have signed out.').isVisible());

  await enterPassword(page, baseUrl, 'sam@avs.police.uk');
  assert.equal(path(page), '/sign-in/code');
  await assertNoProblems(context, page);
  await enterCode(page, t, key);
  assert.equal(page.url(), `${baseUrl}/`);
  assert.ok(await page.getByRole('heading', { level: 1, name: 'Home' }).isVisible());
  await assertNoProblems(context, page);
}

for (const engine of engines) {
  test(`${engine}: a new person sets up their authenticator at first sign-in, then signs in later with a code`, { skip: browserMissing, timeout: 120_000 }, async () => {
    await journey(engine, async (served, { force }) => {
      const context = await watched();
      await firstAndLaterSignIn(served, context, force);
      await context.close();
    });
  });

  test(`${engine}: the same journey works with JavaScript switched off`, { skip: browserMissing, timeout: 120_000 }, async () => {
    await journey(engine, async (served, { force }) => {
      const context = await watched({ javaScriptEnabled: false });
      await firstAndLaterSignIn(served, context, force);
      await context.close();
    });
  });

  test(`${engine}: a wrong password shows an error summary that takes focus and links to the fields`, { skip: browserMissing, timeout: 120_000 }, async () => {
    await journey(engine, async (served, { force }) => {
      await served.t.person({ email: 'sam@avs.police.uk', roles: [[force, 'investigator']] });
      const context = await watched();
      const page = await context.newPage();

      await enterPassword(page, served.baseUrl, 'sam@avs.police.uk', 'not the password at all');
      const summary = page.locator('.govuk-error-summary');
      assert.ok(await summary.getByRole('heading', { name: 'There is a problem' }).isVisible());
      await summary.locator(':scope:focus').waitFor();
      assert.match(await page.title(), /^Error: /);
      assert.ok(await page.locator('#email-error').getByText('Enter a correct email address and password').isVisible());
      assert.equal(await page.getByLabel('Email address').inputValue(), 'sam@avs.police.uk');
      await assertNoProblems(context, page);

      // Nothing entered: one message per field, each linking to its field.
      await page.getByLabel('Email address').fill('');
      await submit(page, 'Continue');
      const links = summary.getByRole('link');
      assert.deepEqual(await links.allInnerTexts(), ['Enter your email address', 'Enter your password']);
      for (const field of ['email', 'password']) {
        const link = summary.locator(`a[href="#${field}"]`);
        await link.click();
        await page.locator(`#${field}:focus`).waitFor();
      }
      await assertNoProblems(context, page);
      await context.close();
    });
  });

  test(`${engine}: a person with two organisations switches between them`, { skip: browserMissing, timeout: 120_000 }, async () => {
    await journey(engine, async (served, { force, cps }) => {
      const alex = await served.t.person({ email: 'alex@example.gov.uk', name: 'Alex Kim', roles: [[force, 'paralegal'], [cps, 'prosecutor']] });
      const context = await watched();
      const page = await context.newPage();
      await signInThroughPages(page, served, alex);
      const welcome = page.getByText(/^Signed in as Alex Kim/);
      const before = await welcome.innerText();
      const [from, to] = before.includes('Avon and Somerset Police') ? ['Avon and Somerset Police', 'CPS South West'] : ['CPS South West', 'Avon and Somerset Police'];

      await page.getByRole('link', { name: 'Change organisation' }).click();
      await page.waitForURL(`${served.baseUrl}/account/organisation`);
      assert.ok(await page.getByLabel(from).isChecked());
      await assertNoProblems(context, page);
      await page.getByLabel(to).check();
      await submit(page, 'Continue');

      assert.equal(page.url(), `${served.baseUrl}/`);
      assert.match(await welcome.innerText(), new RegExp(`at ${to}$`));
      assert.ok(await page.getByText(`${to} – Alex Kim`).isVisible());
      await assertNoProblems(context, page);
      await context.close();
    });
  });

  test(`${engine}: signing out ends one session; signing out everywhere ends them all`, { skip: browserMissing, timeout: 120_000 }, async () => {
    await journey(engine, async (served, { force }) => {
      const sam = await served.t.person({ email: 'sam@avs.police.uk', roles: [[force, 'investigator']] });
      const laptop = await watched();
      const phone = await watched();
      const onLaptop = await laptop.newPage();
      const onPhone = await phone.newPage();
      await signInThroughPages(onLaptop, served, sam);
      await signInThroughPages(onPhone, served, sam);

      await onLaptop.goto(`${served.baseUrl}/sign-out`);
      await submit(onLaptop, 'Sign out');
      assert.equal(path(onLaptop), '/sign-in');
      await onPhone.reload();
      assert.equal(onPhone.url(), `${served.baseUrl}/`, 'signing out on one device leaves the other signed in');

      await signInThroughPages(onLaptop, served, sam);
      await onPhone.goto(`${served.baseUrl}/sign-out`);
      await onPhone.getByLabel('Also sign out on every other device').check();
      await submit(onPhone, 'Sign out');
      assert.ok(await onPhone.getByText('You have signed out.').isVisible());
      await onLaptop.reload();
      assert.equal(path(onLaptop), '/sign-in', 'signing out everywhere ends the other device’s session');
      assert.deepEqual([...laptop.problems, ...phone.problems], []);
      await laptop.close();
      await phone.close();
    });
  });

  test(`${engine}: the timeout warning offers to stay signed in, and an idle session ends after 15 minutes`, { skip: browserMissing, timeout: 120_000 }, async () => {
    await journey(engine, async (served, { force }) => {
      const { t, baseUrl } = served;
      const sam = await t.person({ email: 'sam@avs.police.uk', roles: [[force, 'investigator']] });
      const context = await watched();
      const page = await context.newPage();
      await signInThroughPages(page, served, sam);
      await page.clock.install();
      await page.reload();

      const dialog = page.getByRole('dialog', { name: 'You’re about to be signed out' });
      assert.equal(await dialog.isVisible(), false);
      const account = page.getByRole('link', { name: 'Your account' });
      await account.focus();
      await page.clock.fastForward('13:01');
      await dialog.waitFor();
      await dialog.locator(':scope:focus').waitFor();
      // While the warning is open, the page behind it cannot take focus.
      for (let presses = 0; presses < 4; presses += 1) {
        await page.keyboard.press('Tab');
        assert.equal(await page.locator(':focus:not(#timeout-warning, #timeout-warning *)').count(), 0, 'focus left the timeout warning');
      }
      await page.clock.resume(); // axe schedules its own work on timers
      await assertNoProblems(context, page);

      t.clock.advance({ minutes: 13 });
      const extended = page.waitForResponse((response) => new URL(response.url()).pathname === '/session/extend');
      await dialog.getByRole('button', { name: 'Stay signed in' }).click();
      const response = await extended;
      assert.equal(response.request().method(), 'POST');
      assert.equal(response.status(), 200);
      await dialog.waitFor({ state: 'hidden' });
      await account.locator(':scope:focus').waitFor();

      // 27 minutes after sign-in, but only 14 after staying: still signed in.
      t.clock.advance({ minutes: 14 });
      await page.reload();
      assert.equal(page.url(), `${baseUrl}/`);

      t.clock.advance({ minutes: 16 });
      await page.reload();
      assert.equal(path(page), '/sign-in');
      assert.deepEqual(context.problems, []);
      await context.close();
    });
  });
}
