// The harness of the end-to-end journeys: the real app served over HTTP with
// a world in it (the case world, the demo, or any other), and each person at
// a browser of their own, signed in through the pages. Every page a person reaches must be an HTML page that is
// not an error, and (with JavaScript) is checked with axe; console errors and
// Content Security Policy violations of every browser are gathered too.
import assert from 'node:assert/strict';
import type { Browser, Locator, Page } from 'playwright-core';
import type { Engine } from '../../src/platform/db/database.ts';
import type { TestApp } from './app.ts';
import { londonDate } from '../../src/platform/time/working-days.ts';
import { createEarlyAdviceService } from '../../src/cases/early-advice/service.ts';
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

export interface Journeying {
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
export function runJourney(browser: Browser | undefined, engine: Engine, javaScriptEnabled: boolean, body: (j: Journey) => Promise<void>): Promise<string[]> {
  return runJourneyWith(browser, engine, javaScriptEnabled, caseWorld, body);
}

/** Runs a journey on a freshly served app loaded with the demo; answers every problem found on the way. */
export function runDemoJourney(browser: Browser | undefined, engine: Engine, javaScriptEnabled: boolean, body: (j: DemoJourney) => Promise<void>): Promise<string[]> {
  return runJourneyWith(browser, engine, javaScriptEnabled, (t) => seedDemo(t.platform), body);
}

/**
 * Runs a journey on a freshly served app with the world `build` makes in it
 * (the journey's `w`); answers every problem found on the way: axe findings
 * (with JavaScript), console errors and CSP violations of every browser.
 */
export async function runJourneyWith<W>(browser: Browser | undefined, engine: Engine, javaScriptEnabled: boolean, build: (t: TestApp) => Promise<W>, body: (j: Journeying & { readonly w: W }) => Promise<void>): Promise<string[]> {
  assert.ok(browser, 'the browser was not started');
  const served = await serveApp(engine);
  const contexts: WatchedContext[] = [];
  const problems: string[] = [];
  const visited: string[] = [];
  try {
    const w = await build(served.t);
    await body({
      served, javaScriptEnabled, problems, visited, w,
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

/** The world's officer asks for early advice on the case through the services, so the case counts as referred to the CPS; answers the request. */
export async function requestEarlyAdvice(t: TestApp, w: CaseWorld, caseId: string) {
  const advice = createEarlyAdviceService(t.platform);
  return advice.request(w.actor(w.oic), w.context(w.oic), caseId, {
    urn: '', summary: 'Facts.', enquiriesDone: 'ABE.', enquiriesOngoing: 'Phone.', enquiriesPlanned: 'CCTV.', issues: 'Consent.', questions: 'CCTV?', keyMaterial: 'ABE.', disclosableMaterial: 'None.',
  }, await advice.currentVersion(w.actor(w.oic), w.context(w.oic), caseId));
}

// Closing a case as police NFA with outcome 16 (the victim does not support
// action), as the officer and the supervisor do it through the pages.

/** From the victim's Withdrawal page: records that she withdrew support on `date`, having spoken to the officer in person. */
export async function recordWithdrawal(officer: User, date: string, isvaInvolved: 'Yes' | 'No'): Promise<void> {
  const group = (name: string) => officer.page.getByRole('group', { name, exact: true });
  await officer.follow(button(officer, 'Record that the victim withdrew support'));
  await fillDate(officer.page, 'withdrawnOn', date);
  await officer.page.getByLabel('Wants to move on').check();
  await group('Did someone speak to the victim about withdrawing?').getByLabel('Yes').check();
  await fillDate(officer.page, 'spokenOn', date);
  await officer.page.getByLabel('In person').check();
  await officer.page.getByLabel('Who spoke to the victim?').fill('DC Sam Taylor');
  await group('Was the victim’s ISVA involved?').getByLabel(isvaInvolved).check();
  await officer.submit('Record the withdrawal');
  assert.ok(await officer.page.getByText('The withdrawal was recorded').isVisible());
}

/**
 * From the case's Police NFA tab, on a case referred to the CPS before (so
 * the form asks for the joint meeting): proposes outcome 16, with the meeting
 * and the contact with the victim on `date`.
 */
export async function proposeOutcome16(officer: User, date: string): Promise<void> {
  await officer.follow(button(officer, 'Propose no further action'));
  assert.ok(await officer.page.getByText('the officer and the prosecutor must meet before no further action').isVisible());
  await officer.page.getByLabel('Outcome code').selectOption({ label: '16: Evidential difficulties: victim does not support action' });
  await officer.page.getByLabel('Rationale for the decision').fill('The victim does not support further action; the evidence cannot go further without her.');
  await fillDate(officer.page, 'meetingHeldOn', date);
  await officer.page.getByLabel('Who attended the meeting?').fill('The officer in the case and the RASSO prosecutor');
  await fillDate(officer.page, 'contactOn', date);
  await officer.page.getByLabel('In person').check();
  await officer.page.getByLabel('Who spoke to the victim? (outcome 16)').fill('DC Sam Taylor');
  await officer.page.getByLabel('Summary of what the victim said (outcome 16)').fill('She does not want the investigation to continue.');
  await officer.submit('Propose no further action');
  assert.ok(await officer.page.getByText('No further action was proposed: a supervisor must sign it off').isVisible());
}

/** From the case's Police NFA tab: the supervisor signs the proposal off, the victim told at a meeting on `date` with her right to review, and the case closes. */
export async function signOffNoFurtherAction(supervisor: User, date: string): Promise<void> {
  await supervisor.follow(button(supervisor, 'Sign off no further action'));
  await fillDate(supervisor.page, 'victimToldOn', date);
  await supervisor.page.getByLabel('At a meeting').check();
  await supervisor.page.getByLabel('The victim was given information about their right to ask for a review of the decision').check();
  await supervisor.submit('Sign off and close the case');
  assert.ok(await supervisor.page.getByText('The decision was signed off and the case closed with no further action').isVisible());
}
