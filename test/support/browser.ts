// Real Chromium against the real platform, for end-to-end and accessibility
// tests: the app served on a loopback port, browser contexts that note every
// console error and Content Security Policy violation, axe checks against
// WCAG 2.2 AA, and sign-in done by filling in the pages as a person would.
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import AxeBuilder from '@axe-core/playwright';
import { chromium } from 'playwright-core';
import type { Browser, BrowserContext, BrowserContextOptions, Page } from 'playwright-core';
import { totpCode } from '../../src/platform/auth/totp.ts';
import type { Engine } from '../../src/platform/db/database.ts';
import { TEST_PASSWORD, testAppWithRoutes } from './app.ts';
import type { RegisteredRoute, TestApp } from './app.ts';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/**
 * Why the browser tests cannot run here (a reason to skip them), or false
 * when they can. CI never skips: there a missing browser is a failure.
 */
export const browserMissing: string | false = existsSync(CHROMIUM) || process.env.CI
  ? false
  : `browser tests need Chromium at ${CHROMIUM}: install it (Debian: apt-get install chromium) or set CHROMIUM_PATH`;

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
  });
}

export interface ServedApp {
  readonly t: TestApp;
  /** Where the browser finds the app, e.g. http://127.0.0.1:41234 */
  readonly baseUrl: string;
  /** Every route the app registered, from whichever plugin added it. */
  readonly routes: readonly RegisteredRoute[];
  close(): Promise<void>;
}

/** The real app on a test database, listening on a loopback port over plain HTTP. */
export async function serveApp(engine: Engine): Promise<ServedApp> {
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  // __Host- cookies need HTTPS; plain cookies are allowed outside production.
  const { t, routes } = await testAppWithRoutes(engine, { SECURE_COOKIES: 'false', BASE_URL: baseUrl });
  await t.app.listen({ host: '127.0.0.1', port });
  return { t, baseUrl, routes, close: () => t.close() };
}

/** A port nobody is using, so that the app's BASE_URL can name it before the app starts. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

export interface WatchedContext {
  readonly context: BrowserContext;
  /** Console errors, uncaught script errors and CSP violations so far, each naming its page. */
  readonly problems: string[];
  /** False for a browser with JavaScript switched off (where axe, being a script, cannot run). */
  readonly javaScriptEnabled: boolean;
  newPage(): Promise<Page>;
  close(): Promise<void>;
}

const REPORT_CSP = 'reportCspViolation';

/** A browser context (one person's browser) that notes anything a page complains about. */
export async function openContext(browser: Browser, options: BrowserContextOptions = {}): Promise<WatchedContext> {
  const context = await browser.newContext(options);
  const problems: string[] = [];
  // Nothing should hang for long: a missing element fails the test quickly.
  context.setDefaultTimeout(15_000);
  context.on('console', (message) => {
    // A failed load is reported below with its address; the console does not name it.
    if (message.text().startsWith('Failed to load resource')) return;
    if (message.type() === 'error' || /content security policy/i.test(message.text())) {
      problems.push(`${message.page()?.url()}: console ${message.type()}: ${message.text()}`);
    }
  });
  // An error page is itself a 4xx document; everything it loads must still load.
  context.on('response', (response) => {
    if (response.status() >= 400 && !response.request().isNavigationRequest()) {
      problems.push(`${response.frame().page().url()}: ${response.status()} for ${response.url()}`);
    }
  });
  context.on('requestfailed', (request) => {
    // Aborted loads are either reported above or cut short by the page moving on.
    if (request.failure()?.errorText === 'net::ERR_ABORTED') return;
    problems.push(`${request.frame().page().url()}: ${request.url()} failed: ${request.failure()?.errorText}`);
  });
  context.on('weberror', (error) => problems.push(`${error.page()?.url()}: script error: ${error.error().message}`));
  await context.exposeBinding(REPORT_CSP, ({ page }, violation: string) => {
    problems.push(`${page.url()}: CSP violation: ${violation}`);
  });
  await context.addInitScript({
    content: `document.addEventListener('securitypolicyviolation', (e) =>
      window.${REPORT_CSP}(e.violatedDirective + ' blocked ' + (e.blockedURI || 'inline code') + ' at ' + e.sourceFile + ':' + e.lineNumber));`,
  });
  return { context, problems, javaScriptEnabled: options.javaScriptEnabled ?? true, newPage: () => context.newPage(), close: () => context.close() };
}

const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

/** axe's WCAG 2.2 AA findings for the page as it is now, one readable paragraph each. */
export async function accessibilityViolations(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page }).withTags(WCAG_TAGS).analyze();
  return results.violations.map((violation) => [
    `${page.url()}: [${violation.impact ?? 'unrated'}] ${violation.id}: ${violation.help} (${violation.helpUrl})`,
    ...violation.nodes.map((node) => `    at ${node.target.join(' ')}\n      ${(node.failureSummary ?? '').replaceAll('\n', '\n      ')}`),
  ].join('\n'));
}

/** Clicks a button and waits for the page it leads to (a form post and its redirect). */
export async function submit(page: Page, button: string): Promise<void> {
  const loaded = page.waitForEvent('load');
  await page.getByRole('button', { name: button, exact: true }).click();
  await loaded;
}

export async function enterPassword(page: Page, baseUrl: string, email: string, password = TEST_PASSWORD): Promise<void> {
  await page.goto(`${baseUrl}/sign-in`);
  await page.getByLabel('Email address').fill(email);
  await page.getByLabel('Password').fill(password);
  await submit(page, 'Continue');
}

/** Types the authenticator app's current code; the server's clock moves on first, since each code works once. */
export async function enterCode(page: Page, t: TestApp, totpSecret: string): Promise<void> {
  t.clock.advance({ seconds: 30 });
  await page.getByLabel(/code from your authenticator app/i).fill(totpCode(totpSecret, t.clock.now()));
  await submit(page, 'Continue');
}

/** Signs an enrolled person in through the pages, ending on the page they asked for. */
export async function signInThroughPages(page: Page, served: ServedApp, person: { email: string; totpSecret: string; password?: string }): Promise<void> {
  await enterPassword(page, served.baseUrl, person.email, person.password);
  await enterCode(page, served.t, person.totpSecret);
}

/** On the set-up page: reads the key a person would type into their app, and proves it with a code. */
export async function enrolAuthenticator(page: Page, t: TestApp): Promise<string> {
  const key = (await page.locator('.rasso-key').innerText()).replace(/\s/g, '');
  await enterCode(page, t, key);
  return key;
}
