// The fixtures of the accessibility sweep (test/browser/accessibility.test.ts).
// Every module keeps its own in test/browser/accessibility/<module>.ts: a
// `prepare(served, base)` that makes the module's records through its forms
// or services and answers, by route prefix, what fills each parameter of its
// pages and who visits them. A parameter is filled by the longest prefix of
// the route that names it, so `:requestId` under /early-advice and under
// /rights/review can be different records. This file holds the people every
// module shares, the gathering of the modules, and what the sweep tells an
// engineer whose page it cannot visit.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import type { Agent, TestPerson } from './app.ts';
import type { ServedApp } from './browser.ts';

/** The organisations and people every module may build on. */
export interface AccessibilityBase {
  readonly force: string;
  readonly cpsArea: string;
  readonly national: string;
  /** An investigator and police supervisor of the force, and a paralegal of the CPS Area, with no special permissions. */
  readonly member: TestPerson;
  /** A prosecutor and DCP of the CPS Area. */
  readonly prosecutor: TestPerson;
  /** A national administrator: sees the directory and the audit journal. */
  readonly administrator: TestPerson;
  /** Has a password but has not set up an authenticator yet. */
  readonly newcomer: TestPerson;
}

/** The visitors every module may name: people of the base, and people part-way through signing in. */
export const baseVisitors = ['anonymous', 'signing-in', 'setting-up', 'member', 'administrator', 'prosecutor'] as const;

/** How the pages under one route prefix are visited. */
export interface RouteFixture {
  /** The value of each route parameter, by name (e.g. `{ victimId }`). */
  readonly params?: Readonly<Record<string, string>>;
  /**
   * Who visits the pages under the prefix, by visitor name (a base visitor or
   * one of the module's `people`), in place of those the route's policy
   * suggests. Each is visited as everyone named, so each version is checked.
   */
  readonly visitors?: readonly string[];
  /** A query string for the page whose route is exactly this prefix (one that is no page without it). */
  readonly query?: string;
}

/** Someone a module's pages are visited as, signed in through the pages. */
export interface ModuleVisitor {
  readonly person: TestPerson;
  /** Done after each sign-in, in the visitor's browser (e.g. recording why they open a compartment). */
  readonly afterSignIn?: (page: Page, baseUrl: string) => Promise<void>;
}

export interface ModuleFixtures {
  /** Route prefix (as registered, e.g. '/cases/:caseId/victims') → how its pages are visited. */
  readonly routes: Readonly<Record<string, RouteFixture>>;
  /** The module's own visitors, by a name unique across the modules. */
  readonly people?: Readonly<Record<string, ModuleVisitor>>;
}

export interface AccessibilityModule {
  prepare(served: ServedApp, base: AccessibilityBase): Promise<ModuleFixtures>;
}

/** Makes the base: a force, a CPS Area and the national organisation, and their people. */
export async function makeBase(served: ServedApp): Promise<AccessibilityBase> {
  const { t } = served;
  const force = await t.organisation('AVS', 'police_force', 'Avon and Somerset Police');
  const cpsArea = await t.organisation('CPSSW', 'cps_area', 'CPS South West');
  const national = await t.organisation('NAT', 'national', 'National RASSO team');
  return {
    force,
    cpsArea,
    national,
    // A police supervisor too, so that a case's allocation form is one of their pages.
    member: await t.person({ email: 'sam@avs.police.uk', name: 'Sam Jones', roles: [[force, 'investigator'], [force, 'police_supervisor'], [cpsArea, 'paralegal']] }),
    prosecutor: await t.person({ email: 'dan@cps.gov.uk', name: 'Dan Okafor', roles: [[cpsArea, 'prosecutor'], [cpsArea, 'dcp']] }),
    administrator: await t.person({ email: 'ada@rasso.gov.uk', name: 'Ada Lovelace', roles: [[national, 'administrator']] }),
    newcomer: await t.person({ email: 'new@avs.police.uk', name: 'Nia Newman', roles: [[force, 'investigator']], enrolled: false }),
  };
}

export const FIXTURES_FOLDER = 'test/browser/accessibility/';
const folder = new URL('../browser/accessibility/', import.meta.url);
const matrixFolder = new URL('../access-matrix/', import.meta.url);

export interface PreparedModule {
  /** The module's file name in the fixtures folder, e.g. 'victims.ts'. */
  readonly file: string;
  readonly fixtures: ModuleFixtures;
}

/**
 * Every module's fixtures, made in the order of their file names. A module
 * whose prepare() fails is reported and left out, so that the others' pages
 * are still checked (its own then show as having no test records).
 */
export async function prepareModules(served: ServedApp, base: AccessibilityBase): Promise<{ modules: PreparedModule[]; problems: string[] }> {
  const modules: PreparedModule[] = [];
  const problems: string[] = [];
  for (const file of readdirSync(folder).filter((name) => name.endsWith('.ts')).sort()) {
    try {
      const module = (await import(new URL(file, folder).href)) as Partial<AccessibilityModule>;
      assert.equal(typeof module.prepare, 'function', 'it exports no prepare(served, base)');
      modules.push({ file, fixtures: await module.prepare!(served, base) });
    } catch (error) {
      problems.push(`${FIXTURES_FOLDER}${file}: its fixtures could not be made: ${error instanceof Error ? error.stack ?? error.message : String(error)}`);
    }
  }
  return { modules, problems };
}

/** Whether a route is the prefix or lies under it, segment by segment. */
export const isUnder = (route: string, prefix: string) => route === prefix || route.startsWith(prefix.endsWith('/') ? prefix : `${prefix}/`);

/** What the modules say about one route. */
export interface ResolvedRoute {
  /** Each parameter's value, the prefix that gave it and its file. */
  readonly params: ReadonlyMap<string, { value: string; prefix: string; file: string }>;
  readonly visitors: { names: readonly string[]; prefix: string; file: string } | null;
  readonly query: string;
}

/** The route's fixtures: for each parameter, and for the visitors, the longest prefix that says anything wins. */
export function resolveRoute(route: string, modules: readonly PreparedModule[]): ResolvedRoute {
  const params = new Map<string, { value: string; prefix: string; file: string }>();
  let visitors: ResolvedRoute['visitors'] = null;
  let query = '';
  for (const { file, fixtures } of modules) {
    for (const [prefix, fixture] of Object.entries(fixtures.routes)) {
      if (!isUnder(route, prefix)) continue;
      for (const [name, value] of Object.entries(fixture.params ?? {})) {
        const held = params.get(name);
        if (!held || held.prefix.length < prefix.length) params.set(name, { value, prefix, file });
      }
      if (fixture.visitors && (!visitors || visitors.prefix.length < prefix.length)) visitors = { names: fixture.visitors, prefix, file };
      if (fixture.query && prefix === route) query = fixture.query;
    }
  }
  return { params, visitors, query };
}

/** The route with its parameters filled in, or the parameters nothing fills. */
export function fillRoute(route: string, resolved: ResolvedRoute): { path: string } | { missing: string[] } {
  const missing: string[] = [];
  const path = route.replace(/:(\w+)(\([^)]*\))?|\*/g, (whole, name: string | undefined) => {
    const filled = name ? resolved.params.get(name) : undefined;
    if (filled) return encodeURIComponent(filled.value);
    missing.push(whole);
    return whole;
  });
  return missing.length ? { missing } : { path: path + resolved.query };
}

/**
 * Mistakes in the modules' fixtures: a prefix that is no page's (a typo, or a
 * page since removed), a parameter no page under the prefix takes, the same
 * parameter filled twice for one prefix, an unknown or doubly defined visitor.
 */
export function fixtureProblems(modules: readonly PreparedModule[], pages: readonly string[]): string[] {
  const problems: string[] = [];
  const known = new Set<string>(baseVisitors);
  const owners = new Map<string, string>();
  for (const { file, fixtures } of modules) {
    for (const name of Object.keys(fixtures.people ?? {})) {
      if (known.has(name)) problems.push(`${FIXTURES_FOLDER}${file}: the visitor '${name}' is already ${owners.has(name) ? `defined in ${FIXTURES_FOLDER}${owners.get(name)}` : 'a base visitor'}: choose another name`);
      known.add(name);
      owners.set(name, file);
    }
  }
  const filled = new Map<string, string>();
  for (const { file, fixtures } of modules) {
    for (const [prefix, fixture] of Object.entries(fixtures.routes)) {
      const under = pages.filter((route) => isUnder(route, prefix));
      if (under.length === 0) problems.push(`${FIXTURES_FOLDER}${file}: no GET page is at or under the route prefix '${prefix}': correct or remove it`);
      for (const name of Object.keys(fixture.params ?? {})) {
        if (under.length && !under.some((route) => new RegExp(`:${name}\\b`).test(route))) problems.push(`${FIXTURES_FOLDER}${file}: no page under '${prefix}' takes :${name}`);
        const key = `${prefix} :${name}`;
        if (filled.has(key)) problems.push(`${FIXTURES_FOLDER}${file} and ${FIXTURES_FOLDER}${filled.get(key)} both fill :${name} under '${prefix}': keep one`);
        filled.set(key, file);
      }
      for (const name of fixture.visitors ?? []) {
        if (!known.has(name)) problems.push(`${FIXTURES_FOLDER}${file}: '${prefix}' names the visitor '${name}', who is neither a base visitor (${baseVisitors.join(', ')}) nor in any module's people`);
      }
    }
  }
  return problems;
}

/**
 * The fixtures file a page belongs in: named like the access-matrix file
 * (test/access-matrix/<part>.ts) that lists the route, or else the one
 * listing the route nearest to it (the longest shared run of segments), or
 * else like the first segment of its address.
 */
export function fileFor(route: string): string {
  const segments = (path: string) => path.split('/').filter(Boolean);
  const wanted = segments(route);
  let best = { file: `${wanted[0] ?? 'pages'}.ts`, shared: 0 };
  for (const file of readdirSync(matrixFolder).filter((name) => name.endsWith('.ts')).sort()) {
    const text = readFileSync(new URL(file, matrixFolder), 'utf8');
    for (const [, listed] of text.matchAll(/GET (\/[^'"`\s$]*)['"`]/g)) {
      if (listed === route) return file;
      const theirs = segments(listed!);
      let shared = 0;
      while (shared < wanted.length && shared < theirs.length && wanted[shared] === theirs[shared]) shared += 1;
      if (shared > best.shared) best = { file, shared };
    }
  }
  return best.file;
}

/** What to add, and where, for a page whose parameters nothing fills. */
export function missingParamsMessage(route: string, missing: readonly string[], resolved: ResolvedRoute): string {
  const file = fileFor(route);
  const names = missing.map((m) => m.replace(/^:/, '').replace(/\(.*$/, ''));
  const last = missing.at(-1)!;
  const prefix = route.slice(0, route.lastIndexOf(last) + last.length);
  const already = [...resolved.params].map(([name, { prefix: from, file: by }]) => `:${name} by ${FIXTURES_FOLDER}${by} (under ${from})`);
  return `GET ${route}: no test record for ${missing.join(', ')}. Make one in the prepare() of ${FIXTURES_FOLDER}${file} `
    + `(create the file if the module has none; see ${FIXTURES_FOLDER}README.md) and answer `
    + `routes: { '${prefix}': { params: { ${names.map((n) => `${n}: <its id>`).join(', ')} } } }`
    + (already.length ? `; already filled: ${already.join(', ')}` : '');
}

/** What to add, and where, for a page nobody the sweep visits it as can open. */
export function unreachedMessage(route: string, path: string, tried: readonly string[], resolved: ResolvedRoute): string {
  const where = resolved.visitors
    ? `${FIXTURES_FOLDER}${resolved.visitors.file} names them for '${resolved.visitors.prefix}'; add someone who can there, or a longer prefix for this page in ${FIXTURES_FOLDER}${fileFor(route)}`
    : `they are who its access policy suggests; in ${FIXTURES_FOLDER}${fileFor(route)} make someone who may open it and answer people: { <name>: { person } }, routes: { '${route}': { visitors: ['<name>'] } } (a shorter prefix covers more pages; see ${FIXTURES_FOLDER}README.md)`;
  return `GET ${route}: none of ${tried.join(', ')} could open ${path}: ${where}`;
}

// Helpers for making records through the forms, as a person would.

/** The text of a page's error summary, for a failure message. */
export function errorSummaryText(html: string): string {
  const list = /govuk-error-summary__list[^>]*>([\s\S]*?)<\/ul>/.exec(html)?.[1];
  return list ? list.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ').trim() : html.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ').trim().slice(0, 300);
}

/**
 * Opens a form's page, sends it with `fields` (and the version the page
 * carries) and expects to be sent on; answers where it led.
 */
export async function sendForm(agent: Agent, url: string, fields: Record<string, string | string[]>, what: string): Promise<string> {
  const page = await agent.get(url);
  assert.equal(page.statusCode, 200, `${what}: ${url} answered ${page.statusCode}: ${errorSummaryText(page.body)}`);
  const version = /name="version" value="(\d+)"/.exec(page.body)?.[1];
  const sent = await agent.post(url, { ...(version ? { version } : {}), ...fields });
  assert.equal(sent.statusCode, 303, `${what}: ${url} answered ${sent.statusCode}: ${errorSummaryText(sent.body)}`);
  return String(sent.headers.location ?? '');
}

/** The ids in a page's links that match `pattern` (whose first group is the id), in order. */
export async function idsOnPage(agent: Agent, url: string, pattern: RegExp, what: string): Promise<string[]> {
  const page = await agent.get(url);
  assert.equal(page.statusCode, 200, `${what}: ${url} answered ${page.statusCode}`);
  const ids = [...page.body.matchAll(new RegExp(pattern.source, 'g'))].map((match) => match[1]!);
  assert.ok(ids.length > 0, `${what}: nothing on ${url} matches ${pattern}`);
  return [...new Set(ids)];
}

/** A date input's three fields (`<name>-day`, ...) for a plain date. */
export function dateFields(name: string, date: string): Record<string, string> {
  const [year, month, day] = date.split('-');
  return { [`${name}-day`]: String(Number(day)), [`${name}-month`]: String(Number(month)), [`${name}-year`]: year! };
}

export const ID = '([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})';
