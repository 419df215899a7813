// axe (WCAG 2.2 AA) on every page a person can reach, found from the app's own
// routes rather than a hand-kept list: each GET page is visited as the people
// its module names (or, where it names none, those its policy lets in), its
// forms are sent empty to check their error state, and error pages are
// checked too. Every page must also load without console errors or Content
// Security Policy violations. What fills each page's parameters and who
// visits it come from each module's file in test/browser/accessibility/ (see
// its README and test/support/accessibility.ts). A new page is covered as
// soon as it is registered; one whose address cannot be filled in, or that
// nobody can open, fails the test, naming the file to add it to. Responses
// that are not HTML (a letter's PDF, a CSV export) are not pages: they are
// noted, not checked.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Browser, Page, Response } from 'playwright-core';
import {
  accessibilityViolations,
  browserMissing,
  enterPassword,
  launchBrowser,
  openContext,
  serveApp,
  signInThroughPages,
} from '../support/browser.ts';
import type { ServedApp, WatchedContext } from '../support/browser.ts';
import { engines } from '../support/databases.ts';
import type { RoutePolicy } from '../../src/platform/access/policy.ts';
import { fileFor, fillRoute, fixtureProblems, makeBase, missingParamsMessage, prepareModules, resolveRoute, unreachedMessage } from '../support/accessibility.ts';
import type { AccessibilityBase, PreparedModule } from '../support/accessibility.ts';

let browser: Browser | undefined;
before(async () => {
  if (!browserMissing) browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
});

/** Paths that are not pages for people: assets, probes, metrics and the JSON API. */
const NOT_PAGES = /^\/(assets|api)\/|^\/(health|ready|metrics)$/;

/** Who to visit a page as when its module names nobody: everyone the policy lets in, so each version of the page is checked. */
const visitorsByPolicy: Record<RoutePolicy['kind'], string[]> = {
  'public': ['anonymous', 'member'],
  'signing-in': ['signing-in', 'setting-up', 'member'],
  'signed-in': ['member', 'administrator', 'prosecutor'],
  'permission': ['administrator'],
};

interface Visitor {
  readonly name: string;
  readonly context: WatchedContext;
  readonly page: Page;
  /** Brings the visitor back to where they were in signing in (after a form signed them out). */
  signIn(): Promise<void>;
}

function visitors(served: ServedApp, base: AccessibilityBase, modules: readonly PreparedModule[]) {
  const steps = new Map<string, (page: Page) => Promise<void>>([
    ['anonymous', async () => undefined],
    ['signing-in', (page) => enterPassword(page, served.baseUrl, base.member.email)],
    ['setting-up', (page) => enterPassword(page, served.baseUrl, base.newcomer.email)],
    ['member', (page) => signInThroughPages(page, served, base.member)],
    ['administrator', (page) => signInThroughPages(page, served, base.administrator)],
    ['prosecutor', (page) => signInThroughPages(page, served, base.prosecutor)],
  ]);
  for (const { fixtures } of modules) {
    for (const [name, { person, afterSignIn }] of Object.entries(fixtures.people ?? {})) {
      steps.set(name, async (page) => {
        await signInThroughPages(page, served, person);
        await afterSignIn?.(page, served.baseUrl);
      });
    }
  }
  const started = new Map<string, Promise<Visitor>>();
  const start = async (name: string): Promise<Visitor> => {
    assert.ok(browser, 'the browser was not started');
    const step = steps.get(name);
    assert.ok(step, `no visitor is called ${name}`);
    const context = await openContext(browser);
    const page = await context.newPage();
    const signIn = () => step(page);
    await signIn();
    return { name, context, page, signIn };
  };
  return {
    get(name: string): Promise<Visitor> {
      if (!started.has(name)) started.set(name, start(name));
      return started.get(name)!;
    },
    async all(): Promise<Visitor[]> {
      return Promise.all(started.values());
    },
  };
}

/** Where the page is, path and query (a redirect elsewhere changes one or the other). */
const pathOf = (page: Page) => {
  const url = new URL(page.url());
  return url.pathname + url.search;
};

/**
 * Opens the address as the visitor; answers the status and content type of
 * the response the browser ended on. A download (a CSV, a PDF sent as an
 * attachment) leaves the page where it was, so its response is taken from
 * the navigation itself.
 */
async function open(visitor: Visitor, baseUrl: string, path: string): Promise<{ status: number; contentType: string }> {
  const { page } = visitor;
  let last: Response | undefined;
  const noteNavigation = (response: Response) => {
    if (response.request().isNavigationRequest() && response.frame() === page.mainFrame()) last = response;
  };
  page.on('response', noteNavigation);
  try {
    const response = await page.goto(baseUrl + path).catch((error: unknown) => {
      if (error instanceof Error && /Download is starting/.test(error.message) && last) return last;
      throw error;
    });
    return { status: response?.status() ?? 0, contentType: response?.headers()['content-type'] ?? '' };
  } finally {
    page.off('response', noteNavigation);
  }
}

async function visit(visitor: Visitor, baseUrl: string, path: string): Promise<number> {
  return (await open(visitor, baseUrl, path)).status;
}

const isHtml = (contentType: string) => /^text\/html\b/i.test(contentType);

/** What is wrong with an error summary beyond what axe sees: focus, title, and links that lead somewhere. */
async function errorSummaryProblems(page: Page): Promise<string[]> {
  const where = page.url();
  const problems: string[] = [];
  const summary = page.locator('.govuk-error-summary');
  if (!(await page.title()).startsWith('Error: ')) problems.push(`${where}: the title does not start with "Error: "`);
  if ((await summary.locator(':scope:focus').count()) === 0) problems.push(`${where}: the error summary does not have focus`);
  for (const href of await summary.locator('a').evaluateAll((links) => links.map((link) => link.getAttribute('href') ?? ''))) {
    const id = /^#(.+)$/.exec(href)?.[1];
    if (!id || (await page.locator(`[id="${id}"]`).count()) === 0) problems.push(`${where}: error summary link "${href}" does not lead to a field on the page`);
  }
  return problems;
}

/**
 * Sends each form on the page with everything a person could fill in left
 * empty, and checks the page that comes back. Forms that are only a button
 * (confirmations such as disabling a person) are actions, not questions, and
 * are left alone.
 */
async function emptyFormProblems(visitor: Visitor, baseUrl: string, path: string, checked: string[]): Promise<string[]> {
  const { page } = visitor;
  const problems: string[] = [];
  const forms = page.locator('main form[method="post" i]');
  const count = await forms.count();
  for (let index = 0; index < count; index += 1) {
    if (index > 0) await visit(visitor, baseUrl, path);
    const form = forms.nth(index);
    const fields = form.locator('input:not([type="hidden"], [type="submit"], [type="button"]), textarea, select');
    if ((await fields.count()) === 0) continue;
    await form.evaluate((element) => {
      for (const field of element.elements) {
        if (['hidden', 'submit', 'button'].includes(field.type)) continue;
        if (field.type === 'checkbox' || field.type === 'radio') field.checked = false;
        else if (field.tagName === 'SELECT') field.selectedIndex = -1;
        else field.value = '';
      }
    });
    const loaded = page.waitForEvent('load');
    await form.locator('button:not([type="button"]), input[type="submit"]').first().click();
    await loaded;
    if ((await page.locator('.govuk-error-summary').count()) > 0) {
      checked.push(`${path} sent empty (form ${index + 1}), as ${visitor.name}`);
      problems.push(...(await accessibilityViolations(page)), ...(await errorSummaryProblems(page)));
    }
    // A form that needs nothing filled in may have signed the visitor out.
    if (visitor.name !== 'anonymous' && new URL(page.url()).pathname === '/sign-in') await visitor.signIn();
  }
  return problems;
}

for (const engine of engines) {
  test(`${engine}: every page a person can reach, in every state, passes axe with no console errors or CSP violations`, { skip: browserMissing, timeout: 2_400_000 }, async (t) => {
    const served = await serveApp(engine);
    const base = await makeBase(served);
    const { modules, problems } = await prepareModules(served, base);
    const people = visitors(served, base, modules);
    const checked: string[] = [];
    try {
      const pages = served.routes.filter((route) => route.method === 'GET' && !NOT_PAGES.test(route.url));
      assert.ok(pages.length > 0, 'no pages found among the app’s routes');
      problems.push(...fixtureProblems(modules, pages.map((route) => route.url)));
      const permissionPages: string[] = [];

      for (const route of pages) {
        const resolved = resolveRoute(route.url, modules);
        const filled = fillRoute(route.url, resolved);
        if ('missing' in filled) {
          problems.push(missingParamsMessage(route.url, filled.missing, resolved));
          continue;
        }
        const policy = route.config.policy;
        if (!policy) {
          problems.push(`GET ${route.url}: has no access policy`);
          continue;
        }
        const who = resolved.visitors?.names ?? visitorsByPolicy[policy.kind];
        if (policy.kind === 'permission') permissionPages.push(filled.path);
        let reached = false;
        const tried: string[] = [];
        for (const name of who) {
          // Where the policy chooses, the CPS side is visited only if the police member and the administrator could not open the page.
          if (!resolved.visitors && name === 'prosecutor' && reached) continue;
          const visitor = await people.get(name);
          const { status, contentType } = await open(visitor, served.baseUrl, filled.path);
          if (status === 200 && !isHtml(contentType)) {
            // A file to download or view (a PDF, a CSV): it was reached, and there is no page to check.
            reached = true;
            checked.push(`${filled.path} as ${name}: not a page (${contentType.split(';')[0]})`);
            continue;
          }
          if (status !== 200 || pathOf(visitor.page) !== filled.path) {
            tried.push(`${name} (${status === 200 ? `sent to ${pathOf(visitor.page)}` : status})`);
            continue;
          }
          reached = true;
          checked.push(`${filled.path} as ${name}`);
          problems.push(...(await accessibilityViolations(visitor.page)));
          problems.push(...(await emptyFormProblems(visitor, served.baseUrl, filled.path, checked)));
        }
        if (!reached) problems.push(unreachedMessage(route.url, filled.path, tried, resolved));
      }

      // Error pages, as they are reached in use.
      const errorPages: [string, string, number][] = [
        ['anonymous', '/no-such-page', 404],
        ['member', '/no-such-page', 404],
      ];
      if (permissionPages[0]) errorPages.push(['member', permissionPages[0], 403]);
      else t.diagnostic('no page needs a permission yet, so the "You cannot do this" page was not checked');
      for (const [name, path, expected] of errorPages) {
        const visitor = await people.get(name);
        assert.equal(await visit(visitor, served.baseUrl, path), expected, `${path} as ${name}`);
        checked.push(`${path} (${expected}) as ${name}`);
        problems.push(...(await accessibilityViolations(visitor.page)));
      }

      // A form sent with a stale token shows "Your form has expired".
      const stranger = await people.get('anonymous');
      await visit(stranger, served.baseUrl, '/sign-in');
      await stranger.page.locator('input[name="_csrf"]').first().evaluate((input) => {
        input.value = 'stale';
      });
      const loaded = stranger.page.waitForEvent('load');
      await stranger.page.getByRole('button', { name: 'Continue' }).click();
      await loaded;
      assert.ok(await stranger.page.getByRole('heading', { name: 'Your form has expired' }).isVisible());
      checked.push('/sign-in sent with a stale form token (403), as anonymous');
      problems.push(...(await accessibilityViolations(stranger.page)));

      for (const visitor of await people.all()) problems.push(...visitor.context.problems);
      t.diagnostic(`checked ${checked.length} pages and states:\n${checked.join('\n')}`);
      if (problems.length > 0) assert.fail(`${problems.length} problems:\n\n${problems.join('\n\n')}`);
    } finally {
      for (const visitor of await people.all()) await visitor.context.close();
      await served.close();
    }
  });
}

test('the checks notice an inaccessible page and a script the CSP blocks', { skip: browserMissing }, async () => {
  assert.ok(browser, 'the browser was not started');
  const served = await serveApp(engines[0]!);
  const context = await openContext(browser);
  try {
    const page = await context.newPage();
    await page.goto(`${served.baseUrl}/accessibility`);
    await page.locator('main').evaluate((main) => {
      main.insertAdjacentHTML('beforeend', '<img src="/assets/govuk/assets/images/favicon.svg">');
    });
    const violations = await accessibilityViolations(page);
    assert.equal(violations.length, 1);
    assert.match(violations[0]!, /image-alt/);
    const refused = page.waitForEvent('console', (message) => /Content Security Policy/.test(message.text()));
    await page.addScriptTag({ content: 'window.injected = true;' }).catch(() => undefined);
    await refused;
    await page.reload();
    assert.ok(context.problems.some((problem) => problem.includes('CSP violation: script-src')), context.problems.join('\n'));
  } finally {
    await context.close();
    await served.close();
  }
});

test('a parameter is filled by the longest route prefix that names it; a page nothing fills names the file to add it to', () => {
  const modules: PreparedModule[] = [
    { file: 'cases.ts', fixtures: { routes: { '/cases/:caseId': { params: { caseId: 'case-1' } }, '/cases/:caseId/early-advice': { params: { requestId: 'advice-1' } } } } },
    { file: 'victims.ts', fixtures: { routes: { '/cases/:caseId/victims': { params: { caseId: 'case-2', victimId: 'victim-1' }, visitors: ['member', 'isva'] }, '/cases/:caseId/victims/:victimId/rights/review': { params: { requestId: 'review-1' } } }, people: { isva: { person: { id: 'p', email: 'e', totpSecret: 's' } } } } },
  ];
  const path = (route: string) => {
    const filled = fillRoute(route, resolveRoute(route, modules));
    return 'path' in filled ? filled.path : filled.missing;
  };
  assert.equal(path('/cases/:caseId/early-advice/:requestId/advice'), '/cases/case-1/early-advice/advice-1/advice');
  assert.equal(path('/cases/:caseId/victims/:victimId/rights/review/:requestId/decide'), '/cases/case-2/victims/victim-1/rights/review/review-1/decide');
  // '/cases/:caseId/victimsx' is not under '/cases/:caseId/victims'.
  assert.deepEqual(path('/cases/:caseId/victimsx/:requestId'), [':requestId']);
  assert.deepEqual(resolveRoute('/cases/:caseId/victims/:victimId', modules).visitors?.names, ['member', 'isva']);
  assert.equal(resolveRoute('/cases/:caseId/early-advice', modules).visitors, null);

  const route = '/cases/:caseId/victims/:victimId/letters/:letterId';
  const filled = fillRoute(route, resolveRoute(route, modules));
  assert.ok('missing' in filled);
  const message = missingParamsMessage(route, filled.missing, resolveRoute(route, modules));
  assert.match(message, /test\/browser\/accessibility\/victims-letters\.ts/);
  assert.match(message, /'\/cases\/:caseId\/victims\/:victimId\/letters\/:letterId': \{ params: \{ letterId: <its id> \} \}/);
  assert.match(message, /:victimId by test\/browser\/accessibility\/victims\.ts/);
  assert.equal(fileFor('/nowhere/:thingId'), 'nowhere.ts');

  const pages = ['/cases/:caseId', '/cases/:caseId/early-advice/:requestId/advice', '/cases/:caseId/victims/:victimId/rights/review/:requestId/decide'];
  assert.deepEqual(fixtureProblems(modules, pages), []);
  const wrong: PreparedModule[] = [...modules, { file: 'typo.ts', fixtures: { routes: { '/case/:caseId': { params: { caseId: 'x' } }, '/cases/:caseId': { params: { caseId: 'y' }, visitors: ['nobody'] } } } }];
  const found = fixtureProblems(wrong, pages);
  assert.equal(found.length, 3, found.join('\n'));
});
