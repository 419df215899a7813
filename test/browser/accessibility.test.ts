// axe (WCAG 2.2 AA) on every page a person can reach, found from the app's own
// routes rather than a hand-kept list: each GET page is visited as the people
// its policy lets in, its forms are sent empty to check their error state,
// and error pages are checked too. Every page must also load without console
// errors or Content Security Policy violations. A new page is covered as soon
// as it is registered; one whose address cannot be filled in fails the test.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import type { TestPerson } from '../support/app.ts';
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
import { newId } from '../../src/platform/db/ids.ts';
import { inTransaction } from '../../src/platform/db/transaction.ts';
import { insertNotifications } from '../../src/platform/deadlines/repository.ts';
import { createCasesService } from '../../src/cases/service.ts';
import { systemContext } from '../../src/platform/audit/model.ts';

let browser: Browser | undefined;
before(async () => {
  if (!browserMissing) browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
});

/** Paths that are not pages for people: assets, probes, metrics and the JSON API. */
const NOT_PAGES = /^\/(assets|api)\/|^\/(health|ready|metrics)$/;

interface Fixtures {
  readonly force: string;
  readonly team: string;
  /** Works for a force and a CPS Area, with no special permissions. */
  readonly member: TestPerson;
  /** A national administrator: sees the directory and the audit journal. */
  readonly administrator: TestPerson;
  /** Has a password but has not set up an authenticator yet. */
  readonly newcomer: TestPerson;
  /** A case with the member as its officer in the case. */
  readonly caseId: string;
  /** A prosecutor and DCP of the case's CPS Area, on its team: sees the CPS side of each part's pages. */
  readonly prosecutor: TestPerson;
  /** The case's early-advice request, given with an action plan, and the plan's first action (owned by the police). */
  readonly requestId: string;
  readonly planId: string;
  readonly itemId: string;
}

/** Which test record fills each route parameter. Add a row when a page takes a new kind of id. */
const fixtureIds: Record<string, (f: Fixtures) => string> = {
  organisationId: (f) => f.force,
  personId: (f) => f.member.id,
  teamId: (f) => f.team,
  caseId: (f) => f.caseId,
  requestId: (f) => f.requestId,
  planId: (f) => f.planId,
  itemId: (f) => f.itemId,
};

/** Pages that need a query string to be a page at all (e.g. which role to remove). */
const fixtureQueries: Record<string, (f: Fixtures) => string> = {
  '/admin/organisations/:organisationId/people/:personId/roles/remove': () => '?role=investigator',
};

async function makeFixtures(served: ServedApp): Promise<Fixtures> {
  const { t } = served;
  const force = await t.organisation('AVS', 'police_force', 'Avon and Somerset Police');
  const cps = await t.organisation('CPSSW', 'cps_area', 'CPS South West');
  const national = await t.organisation('NAT', 'national', 'National RASSO team');
  const team = newId();
  await t.database.db.insertInto('teams').values({ id: team, organisation_id: force, name: 'Operation Bluestone', created_at: t.clock.now().toISOString() }).execute();
  // A police supervisor too, so that the case's allocation form is one of their pages.
  const member = await t.person({ email: 'sam@avs.police.uk', name: 'Sam Jones', roles: [[force, 'investigator'], [force, 'police_supervisor'], [cps, 'paralegal']] });
  const prosecutor = await t.person({ email: 'dan@cps.gov.uk', name: 'Dan Okafor', roles: [[cps, 'prosecutor'], [cps, 'dcp']] });
  const caseId = await createCasesService(t.platform).operator.createCase(systemContext(), {
    policeReference: 'AS/10001/25', forceId: force, cpsAreaId: cps, offenceClass: 'rape_16_plus', reportedOn: '2025-03-27', path: ['investigation'],
    people: [{ category: 'victim', name: 'Victim One', dateOfBirth: '1990-05-01' }, { category: 'suspect', name: 'Suspect One' }],
    team: [{ userId: member.id, organisationId: force, role: 'oic' }, { userId: prosecutor.id, organisationId: cps, role: 'prosecutor' }],
  });
  // Early advice requested and given with an action plan, through the forms, so that each part's pages about one request, plan or action have one to show.
  const { requestId, planId, itemId } = await adviceWithPlan(served, caseId, member, prosecutor);
  // Unread notifications, so that the notifications page is checked with its list and forms.
  await inTransaction(t.platform.db, (tx) => insertNotifications(tx, ['Action plan 28-day review', 'Supervisory review due'].map((label) => (
    { id: newId(), user_id: member.id, kind: 'deadline.escalation', subject_type: 'case', subject_id: caseId, text: `AS/10001/25: ${label}`, created_at: t.clock.now().toISOString(), read_at: null }))));
  return {
    force,
    team,
    member,
    administrator: await t.person({ email: 'ada@rasso.gov.uk', name: 'Ada Lovelace', roles: [[national, 'administrator']] }),
    newcomer: await t.person({ email: 'new@avs.police.uk', name: 'Nia Newman', roles: [[force, 'investigator']], enrolled: false }),
    caseId,
    prosecutor,
    requestId,
    planId,
    itemId,
  };
}

/** Requests early advice as the officer and gives it with a one-action plan as the prosecutor, as the forms do; answers the ids made. */
async function adviceWithPlan(served: ServedApp, caseId: string, officer: TestPerson, prosecutor: TestPerson): Promise<{ requestId: string; planId: string; itemId: string }> {
  const { t } = served;
  const versionIn = (html: string) => /name="version" value="(\d+)"/.exec(html)?.[1] ?? '';
  const posted = (response: { statusCode: number; body: string }, what: string) => assert.equal(response.statusCode, 303, `${what}: ${response.body.slice(0, 300)}`);
  const police = await t.signIn(officer);
  const requestUrl = `/cases/${caseId}/early-advice/request`;
  const fields = ['summary', 'enquiriesDone', 'enquiriesOngoing', 'enquiriesPlanned', 'issues', 'questions', 'keyMaterial', 'disclosableMaterial'];
  posted(await police.post(requestUrl, { version: versionIn((await police.get(requestUrl)).body), urn: '', ...Object.fromEntries(fields.map((f) => [f, `Fixture text for ${f}.`])) }), 'requesting early advice');
  const cps = await t.signIn(prosecutor);
  const requestId = /\/early-advice\/([0-9a-f-]{36})\/advice/.exec((await cps.get(`/cases/${caseId}/early-advice`)).body)?.[1];
  assert.ok(requestId, 'the prosecutor is not offered to give the advice');
  const adviceUrl = `/cases/${caseId}/early-advice/${requestId}/advice`;
  const due = new Date(t.clock.now().getTime() + 28 * 86_400_000);
  posted(await cps.post(adviceUrl, {
    version: versionIn((await cps.get(adviceUrl)).body), advice: 'Get the CCTV.', 'items-1-description': 'Obtain the CCTV from the venue.', 'items-1-owner': 'police',
    'items-1-dueOn-day': String(due.getUTCDate()), 'items-1-dueOn-month': String(due.getUTCMonth() + 1), 'items-1-dueOn-year': String(due.getUTCFullYear()),
  }), 'giving early advice');
  const [, planId, itemId] = /\/action-plans\/([0-9a-f-]{36})\/items\/([0-9a-f-]{36})\/respond/.exec((await police.get(`/cases/${caseId}/action-plans`)).body) ?? [];
  assert.ok(planId && itemId, 'the officer is not offered to respond to the action');
  return { requestId, planId, itemId };
}

type VisitorName = 'anonymous' | 'signing-in' | 'setting-up' | 'member' | 'administrator' | 'prosecutor';

/** Who to visit each kind of page as: everyone the policy lets in, so each version of the page is checked. */
const visitorsByPolicy: Record<RoutePolicy['kind'], VisitorName[]> = {
  'public': ['anonymous', 'member'],
  'signing-in': ['signing-in', 'setting-up', 'member'],
  'signed-in': ['member', 'administrator', 'prosecutor'],
  'permission': ['administrator'],
};

interface Visitor {
  readonly name: VisitorName;
  readonly context: WatchedContext;
  readonly page: Page;
  /** Brings the visitor back to where they were in signing in (after a form signed them out). */
  signIn(): Promise<void>;
}

function visitors(served: ServedApp, fixtures: Fixtures) {
  const steps: Record<VisitorName, (page: Page) => Promise<void>> = {
    'anonymous': async () => undefined,
    'signing-in': (page) => enterPassword(page, served.baseUrl, fixtures.member.email),
    'setting-up': (page) => enterPassword(page, served.baseUrl, fixtures.newcomer.email),
    'member': (page) => signInThroughPages(page, served, fixtures.member),
    'administrator': (page) => signInThroughPages(page, served, fixtures.administrator),
    'prosecutor': (page) => signInThroughPages(page, served, fixtures.prosecutor),
  };
  const started = new Map<VisitorName, Promise<Visitor>>();
  const start = async (name: VisitorName): Promise<Visitor> => {
    assert.ok(browser, 'the browser was not started');
    const context = await openContext(browser);
    const page = await context.newPage();
    const signIn = () => steps[name](page);
    await signIn();
    return { name, context, page, signIn };
  };
  return {
    get(name: VisitorName): Promise<Visitor> {
      if (!started.has(name)) started.set(name, start(name));
      return started.get(name)!;
    },
    async all(): Promise<Visitor[]> {
      return Promise.all(started.values());
    },
  };
}

/** The route's address with real ids in it, or the parameters no fixture fills. */
function fillParams(url: string, fixtures: Fixtures): { path: string } | { missing: string[] } {
  const missing: string[] = [];
  const path = url.replace(/:(\w+)(\([^)]*\))?|\*/g, (whole, name: string | undefined) => {
    const fill = name ? fixtureIds[name] : undefined;
    if (fill) return fill(fixtures);
    missing.push(whole);
    return whole;
  });
  return missing.length ? { missing } : { path: path + (fixtureQueries[url]?.(fixtures) ?? '') };
}

/** Where the page is, path and query (a redirect elsewhere changes one or the other). */
const pathOf = (page: Page) => {
  const url = new URL(page.url());
  return url.pathname + url.search;
};

async function visit(visitor: Visitor, baseUrl: string, path: string): Promise<number> {
  const response = await visitor.page.goto(baseUrl + path);
  return response?.status() ?? 0;
}

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
  test(`${engine}: every page a person can reach, in every state, passes axe with no console errors or CSP violations`, { skip: browserMissing, timeout: 600_000 }, async (t) => {
    const served = await serveApp(engine);
    const fixtures = await makeFixtures(served);
    const people = visitors(served, fixtures);
    const problems: string[] = [];
    const checked: string[] = [];
    try {
      const pages = served.routes.filter((route) => route.method === 'GET' && !NOT_PAGES.test(route.url));
      assert.ok(pages.length > 0, 'no pages found among the app’s routes');
      const permissionPages: string[] = [];

      for (const route of pages) {
        const filled = fillParams(route.url, fixtures);
        if ('missing' in filled) {
          problems.push(`${route.url}: no test record for ${filled.missing.join(', ')}: add it to fixtureIds in test/browser/accessibility.test.ts`);
          continue;
        }
        const policy = route.config.policy;
        if (!policy) {
          problems.push(`${route.url}: has no access policy`);
          continue;
        }
        const who = visitorsByPolicy[policy.kind];
        if (policy.kind === 'permission') permissionPages.push(filled.path);
        let reached = false;
        for (const name of who) {
          // The CPS side is visited only where the police member and the administrator could not open the page.
          if (name === 'prosecutor' && reached) continue;
          const visitor = await people.get(name);
          const status = await visit(visitor, served.baseUrl, filled.path);
          if (status !== 200 || pathOf(visitor.page) !== filled.path) continue;
          reached = true;
          checked.push(`${filled.path} as ${name}`);
          problems.push(...(await accessibilityViolations(visitor.page)));
          problems.push(...(await emptyFormProblems(visitor, served.baseUrl, filled.path, checked)));
        }
        if (!reached) problems.push(`${route.url}: none of ${who.join(', ')} could open ${filled.path}: give the page a visitor who can`);
      }

      // Error pages, as they are reached in use.
      const errorPages: [VisitorName, string, number][] = [
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
      assert.deepEqual(problems, []);
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
