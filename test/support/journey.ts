// The harness of the end-to-end journeys: the real app served over HTTP with
// the case world in it, and each person at a browser of their own, signed in
// through the pages. Every page a person reaches must be an HTML page that is
// not an error, and (with JavaScript) is checked with axe; console errors and
// Content Security Policy violations of every browser are gathered too.
import assert from 'node:assert/strict';
import type { Browser, Locator, Page } from 'playwright-core';
import type { Engine } from '../../src/platform/db/database.ts';
import { londonDate } from '../../src/platform/time/working-days.ts';
import { caseWorld } from '../../src/cases/test-support.ts';
import type { CaseWorld } from '../../src/cases/test-support.ts';
import { seedDemo } from '../../src/platform/demo/service.ts';
import { accessibilityViolations, openContext, serveApp, signInThroughPages } from './browser.ts';
import type { ServedApp, WatchedContext } from './browser.ts';

/** One person at their own browser. */
export interface User {
  readonly page: Page;
  readonly context: WatchedContext;
  /** Follows a link or presses a button that leads to another page, and checks the page it leads to. */
  follow(target: Locator): Promise<void>;
  /** Presses a form's button and checks the page the post and its redirect lead to. */
  submit(button: string): Promise<void>;
  /** Checks the page as it is now. */
  check(): Promise<void>;
}

/** Someone who signs in: a test person, or a demo person with the demo's password. */
export interface SignsIn {
  readonly email: string;
  readonly totpSecret: string;
  readonly password?: string;
}

interface Journeying {
  readonly served: ServedApp;
  readonly javaScriptEnabled: boolean;
  /** axe findings and page problems from every user so far. */
  readonly problems: string[];
  /** Addresses of the pages checked, for the test's diagnostics. */
  readonly visited: string[];
  signIn(person: SignsIn): Promise<User>;
}

export interface Journey extends Journeying {
  readonly w: CaseWorld;
}

/** A journey through the demo: the app loaded with the demo, as `rasso demo` loads it. */
export type DemoJourney = Journeying;

/** Runs a journey on a freshly served app with the case world in it; answers every problem found on the way. */
export async function runJourney(browser: Browser | undefined, engine: Engine, javaScriptEnabled: boolean, body: (j: Journey) => Promise<void>): Promise<string[]> {
  return journeyOn(browser, engine, javaScriptEnabled, async (served, j) => body({ ...j, w: await caseWorld(served.t) }));
}

/** Runs a journey on a freshly served app loaded with the demo; answers every problem found on the way. */
export async function runDemoJourney(browser: Browser | undefined, engine: Engine, javaScriptEnabled: boolean, body: (j: DemoJourney) => Promise<void>): Promise<string[]> {
  return journeyOn(browser, engine, javaScriptEnabled, async (served, j) => {
    await seedDemo(served.t.platform);
    await body(j);
  });
}

async function journeyOn(browser: Browser | undefined, engine: Engine, javaScriptEnabled: boolean, body: (served: ServedApp, j: Journeying) => Promise<void>): Promise<string[]> {
  assert.ok(browser, 'the browser was not started');
  const served = await serveApp(engine);
  const contexts: WatchedContext[] = [];
  const problems: string[] = [];
  const visited: string[] = [];
  try {
    await body(served, {
      served, javaScriptEnabled, problems, visited,
      async signIn(person) {
        const context = await openContext(browser, { javaScriptEnabled });
        contexts.push(context);
        const page = await context.newPage();
        await signInThroughPages(page, served, person);
        const check = async () => {
          const where = new URL(page.url());
          visited.push(`${where.pathname} as ${person.email}`);
          // A JSON problem (a 503 when a page forgot its audit entry, say) is not a page.
          assert.equal(await page.evaluate('document.contentType'), 'text/html', `${where.pathname}: ${await page.evaluate('document.body.innerText')}`);
          assert.ok(!/^(Error: )?(Page not found|Sorry, there is a problem)/.test(await page.title()), `${where.pathname}: ${await page.title()}`);
          if (javaScriptEnabled) problems.push(...(await accessibilityViolations(page)));
        };
        const follow = async (target: Locator) => {
          const loaded = page.waitForEvent('load');
          // A click that finds nothing must say so, not leave the wait for the page to fail on its own.
          loaded.catch(() => undefined);
          await target.click({ timeout: 10_000 }).catch((error: unknown) => {
            throw new Error(`${target} is not on ${page.url()}:\n${String(error)}`, { cause: error });
          });
          try {
            await loaded;
          } catch (error) {
            throw new Error(`${target} led nowhere from ${page.url()}:\n${await page.locator('main').innerText().catch(() => '')}`, { cause: error });
          }
          await check();
        };
        await check();
        return { page, context, check, follow, submit: (button) => follow(page.getByRole('button', { name: button, exact: true })) };
      },
    });
    for (const context of contexts) problems.push(...context.problems);
    return problems;
  } finally {
    for (const context of contexts) await context.close();
    await served.close();
  }
}

export const button = (user: User, name: string) => user.page.getByRole('button', { name, exact: true });
export const summaryValue = (page: Page, key: string) => page.locator('.govuk-summary-list__row').filter({ has: page.locator('.govuk-summary-list__key', { hasText: key }) }).locator('.govuk-summary-list__value');

/** Types a legal date into a GOV.UK date input named `name`. */
export async function fillDate(page: Page, name: string, date: string): Promise<void> {
  const [year, month, day] = date.split('-');
  await page.locator(`#${name}-day`).fill(String(Number(day)));
  await page.locator(`#${name}-month`).fill(String(Number(month)));
  await page.locator(`#${name}-year`).fill(year!);
}

export const daysFrom = (now: Date, days: number) => londonDate(new Date(now.getTime() + days * 86_400_000));
