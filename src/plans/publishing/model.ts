// Publishing plans and exchanging them as spreadsheets (ADR 0010). The
// progress report is the plan in the published reports' own layout: each
// theme with its description, then Action (number and text) | Update (the
// latest commentary) | Complete? (the status in the plan's scheme). A
// published edition stores the report as it was, so it never changes
// afterwards. A plan's file is one table, one row per action, whose columns
// carry everything needed to rebuild the plan; reading one back checks every
// row and says what is wrong where, so that an import is all or nothing.
import { createHash } from 'node:crypto';
import type { Actor } from '../../platform/access/policy.ts';
import type { OrganisationKind } from '../../platform/db/tables.ts';
import { registerMessages, translate } from '../../platform/i18n/messages.ts';
import { isCalendarDate } from '../../platform/time/clock.ts';
import type { PlainDate } from '../../platform/time/working-days.ts';
import { MAX_TEXT, MAX_TITLE, isPlanLevel, isStatusOf, isStatusScheme, levelName, mayChangePlan, mayCreatePlan, levelsFor, planLevels, statusName, statusSchemes, statusesOf } from '../model.ts';
import type { PlanLevel, StatusScheme } from '../model.ts';
import { restoreFormula } from './files/formula.ts';
import messages from './messages.en.json' with { type: 'json' };

registerMessages('en', messages);

/** Who may publish a plan's progress report: whoever may change the plan (plan leads of the organisation that owns it). */
export function mayPublishPlan(actor: Actor, plan: { readonly ownerOrganisationId: string }): boolean {
  return mayChangePlan(actor, plan);
}

/** Who may import a plan: whoever may make one (plan leads, for the organisation they act for, which will own it). */
export function mayImportPlan(actor: Actor): boolean {
  return mayCreatePlan(actor);
}

// The progress report.

export interface ReportUpdate {
  readonly text: string;
  readonly on: PlainDate | null;
  /** For published commentary: the report it appeared in. */
  readonly label: string | null;
}

export interface ReportAction {
  readonly number: number;
  readonly text: string;
  readonly update: ReportUpdate | null;
  readonly status: string;
  /** The status as the report shows it ("Withdrawn" for a withdrawn action), kept so an edition reads as it was published. */
  readonly statusName: string;
  readonly withdrawnOn: PlainDate | null;
}

export interface ReportTheme {
  readonly title: string;
  readonly description: string | null;
  readonly actions: readonly ReportAction[];
}

export interface ProgressReport {
  readonly planId: string;
  readonly title: string;
  readonly level: PlanLevel;
  readonly levelName: string;
  readonly period: string;
  readonly owners: readonly string[];
  readonly ownerOrganisationName: string;
  readonly statusScheme: StatusScheme;
  /** The heading of the status column: "Complete?" or "Status". */
  readonly statusHeading: string;
  readonly source: string | null;
  readonly themes: readonly ReportTheme[];
}

/** What the report is made from: a plan as the plans service answers it. */
export interface ReportSource {
  readonly plan: {
    readonly id: string; readonly title: string; readonly level: PlanLevel; readonly period: string; readonly owners: readonly string[];
    readonly ownerOrganisationName: string; readonly statusScheme: StatusScheme; readonly source: string | null;
  };
  readonly themes: readonly {
    readonly title: string;
    readonly description: string | null;
    readonly actions: readonly { readonly number: number; readonly text: string; readonly status: string; readonly withdrawnOn: PlainDate | null; readonly latestUpdate: ReportUpdate | null }[];
  }[];
}

export function progressReport({ plan, themes }: ReportSource): ProgressReport {
  return {
    planId: plan.id,
    title: plan.title,
    level: plan.level,
    levelName: levelName(plan.level),
    period: plan.period,
    owners: [...plan.owners],
    ownerOrganisationName: plan.ownerOrganisationName,
    statusScheme: plan.statusScheme,
    statusHeading: translate(plan.statusScheme === 'rag' ? 'plans.column.status' : 'plans.column.complete'),
    source: plan.source,
    themes: themes.map((theme) => ({
      title: theme.title,
      description: theme.description,
      actions: theme.actions.map((action) => ({
        number: action.number,
        text: action.text,
        update: action.latestUpdate ? { text: action.latestUpdate.text, on: action.latestUpdate.on, label: action.latestUpdate.label } : null,
        status: action.status,
        statusName: action.withdrawnOn ? translate('plans.withdrawn') : statusName(action.status),
        withdrawnOn: action.withdrawnOn,
      })),
    })),
  };
}

/** The report's revision: a digest of everything it shows. */
export function reportRevision(report: ProgressReport): string {
  return createHash('sha256').update(JSON.stringify(report)).digest('hex').slice(0, 32);
}

/**
 * What a plan lead publishes: the report's revision they read and the
 * edition it would be. If the plan has changed since, or someone published
 * meanwhile, it no longer matches and they are asked to look again: nobody
 * publishes what they have not seen, and a double press publishes once.
 */
export const publishToken = (revision: string, edition: number): string => `${revision}-${edition}`;

export function parsePublishToken(value: string): { revision: string; edition: number } | null {
  const match = /^([0-9a-f]{32})-([1-9]\d{0,5})$/.exec(value);
  return match ? { revision: match[1]!, edition: Number(match[2]) } : null;
}

/** A stored snapshot read back; anything else is a bug, so it throws. */
export function parseSnapshot(json: string): ProgressReport {
  const value = JSON.parse(json) as ProgressReport;
  if (typeof value?.title !== 'string' || !Array.isArray(value.themes)) throw new Error('Not a progress report snapshot');
  return value;
}

// Exchanging a plan as a file.

export const exchangeFormats = ['csv', 'xlsx', 'ods'] as const;
export type ExchangeFormat = (typeof exchangeFormats)[number];
export const isExchangeFormat = (value: string): value is ExchangeFormat => (exchangeFormats as readonly string[]).includes(value);

export const mediaTypes: Readonly<Record<ExchangeFormat, string>> = {
  csv: 'text/csv',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  ods: 'application/vnd.oasis.opendocument.spreadsheet',
};

/** The format a media type names (parameters such as charset ignored). */
export function formatOfMediaType(mediaType: string | undefined): ExchangeFormat | null {
  const type = (mediaType ?? '').split(';')[0]!.trim().toLowerCase();
  if (type === 'application/csv') return 'csv';
  return exchangeFormats.find((format) => mediaTypes[format] === type) ?? null;
}

/** The format a file's name says (its extension). */
export function formatOfFileName(name: string): ExchangeFormat | null {
  const extension = /\.([A-Za-z]+)$/.exec(name.trim())?.[1]?.toLowerCase() ?? '';
  return isExchangeFormat(extension) ? extension : null;
}

/** The columns of a plan's file, in the order exported. Their headings are the file format, so they are not translated. */
export const columns = [
  { key: 'planTitle', heading: 'Plan title' },
  { key: 'level', heading: 'Plan level' },
  { key: 'period', heading: 'Period' },
  { key: 'planOwners', heading: 'Plan owners' },
  { key: 'scheme', heading: 'Status scheme' },
  { key: 'reviewCycle', heading: 'Review cycle (months)' },
  { key: 'source', heading: 'Taken from' },
  { key: 'theme', heading: 'Theme' },
  { key: 'themeDescription', heading: 'Theme description' },
  { key: 'number', heading: 'Action number' },
  { key: 'action', heading: 'Action' },
  { key: 'actionOwners', heading: 'Action owners' },
  { key: 'lead', heading: 'Lead (email)' },
  { key: 'target', heading: 'Target date' },
  { key: 'status', heading: 'Status' },
  { key: 'withdrawn', heading: 'Withdrawn on' },
  { key: 'update', heading: 'Latest update' },
  { key: 'updateAsOf', heading: 'Update as of' },
] as const;
export type ColumnKey = (typeof columns)[number]['key'];
/** The columns that say what the whole plan is: the same on every row (or left blank after the first). */
const planColumns = ['planTitle', 'level', 'period', 'planOwners', 'scheme', 'reviewCycle', 'source'] as const satisfies readonly ColumnKey[];

/** Lists in one cell (owners) are separated by semicolons. */
export const LIST_SEPARATOR = ';';
export const MAX_ACTIONS = 1000;
export const MAX_REVIEW_CYCLE_MONTHS = 36;
const MAX_LABEL = 1000;
const MAX_EMAIL = 320;

export interface ExchangeUpdate {
  readonly text: string;
  readonly on: PlainDate | null;
  readonly label: string | null;
}

export interface ExchangeAction {
  readonly number: number;
  readonly text: string;
  readonly owners: readonly string[];
  /** The lead's email address; on import, resolved to a person on the platform. */
  readonly leadEmail: string | null;
  readonly targetOn: PlainDate | null;
  readonly status: string;
  /** A withdrawn action stays in its plan, with its number and last status. */
  readonly withdrawnOn: PlainDate | null;
  readonly update: ExchangeUpdate | null;
}

export interface ExchangeTheme {
  readonly title: string;
  readonly description: string | null;
  readonly actions: readonly ExchangeAction[];
}

/** A plan as its file carries it: everything needed to rebuild it. */
export interface ExchangePlan {
  readonly title: string;
  readonly level: PlanLevel;
  readonly period: string;
  readonly owners: readonly string[];
  readonly statusScheme: StatusScheme;
  readonly reviewCycleMonths: number;
  readonly source: string | null;
  readonly themes: readonly ExchangeTheme[];
}

/** A value a file's cell holds: text, a number, or a date. */
export type ExportCell = string | number | { readonly date: PlainDate };

export const schemeName = (scheme: StatusScheme): string => translate(`plans.publishing.scheme.${scheme}`);

/** The plan as a table: the headings, then one row per action in the plan's order (theme by theme). */
export function planTable(plan: ExchangePlan): ExportCell[][] {
  const head: ExportCell[] = columns.map((column) => column.heading);
  const rows = plan.themes.flatMap((theme) => theme.actions.map((action): ExportCell[] => {
    const values: Record<ColumnKey, ExportCell> = {
      planTitle: plan.title,
      level: levelName(plan.level),
      period: plan.period,
      planOwners: plan.owners.join(`${LIST_SEPARATOR} `),
      scheme: schemeName(plan.statusScheme),
      reviewCycle: plan.reviewCycleMonths,
      source: plan.source ?? '',
      theme: theme.title,
      themeDescription: theme.description ?? '',
      number: action.number,
      action: action.text,
      actionOwners: action.owners.join(`${LIST_SEPARATOR} `),
      lead: action.leadEmail ?? '',
      target: action.targetOn ? { date: action.targetOn } : '',
      status: statusName(action.status),
      withdrawn: action.withdrawnOn ? { date: action.withdrawnOn } : '',
      update: action.update?.text ?? '',
      updateAsOf: action.update?.on ? { date: action.update.on } : action.update?.label ?? '',
    };
    return columns.map((column) => values[column.key]);
  }));
  return [head, ...rows];
}

/** A problem with a file, said so that a person can find and fix it. */
export interface FileProblem {
  readonly message: string;
}

const problem = (key: string, params: Record<string, string | number> = {}): FileProblem => ({ message: translate(`plans.publishing.import.error.${key}`, params) });

/** Spreadsheet column letters: 0 → A, 26 → AA. */
export function columnLetter(index: number): string {
  let letters = '';
  for (let n = index + 1; n > 0; n = Math.floor((n - 1) / 26)) letters = String.fromCharCode(65 + ((n - 1) % 26)) + letters;
  return letters;
}

const normalise = (text: string) => text.trim().replace(/\s+/g, ' ').toLowerCase();

/** An enumeration's value from its code or the name the platform shows for it, in any case. */
function choose<T extends string>(text: string, values: readonly T[], nameOf: (value: T) => string): T | null {
  const wanted = normalise(text);
  return values.find((value) => normalise(value) === wanted || normalise(nameOf(value)) === wanted) ?? null;
}

const list = (text: string) => text.split(LIST_SEPARATOR).map((item) => item.trim()).filter((item) => item !== '');

/** A date as written in a file: 2023-03-31 (what the platform writes) or 31/3/2023. */
export function parseFileDate(text: string): PlainDate | null {
  const iso = /^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ][0-9:.]+Z?)?$/.exec(text);
  const uk = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(text);
  const [year, month, day] = iso ? [iso[1]!, iso[2]!, iso[3]!] : uk ? [uk[3]!, uk[2]!, uk[1]!] : [];
  if (!year) return null;
  const date = `${year}-${month!.padStart(2, '0')}-${day!.padStart(2, '0')}`;
  return isCalendarDate(date) && date >= '1990-01-01' && date <= '2999-12-31' ? date : null;
}

/**
 * Reads a plan from a file's table (the headings row first), checking every
 * row. `leads` maps the email addresses of people on the platform (lower
 * case) to their ids; a lead the map does not hold is an error. Rows are
 * counted as a spreadsheet shows them: the headings are row 1.
 */
export function readPlanTable(
  table: readonly (readonly string[])[],
  context: { readonly leads: ReadonlyMap<string, string>; readonly ownerKind: OrganisationKind },
): { plan: ExchangePlan | null; problems: FileProblem[] } {
  const { leads } = context;
  const nonEmpty = (row: readonly string[]) => row.some((cell) => cell.trim() !== '');
  const last = table.findLastIndex(nonEmpty);
  if (last < 0) return { plan: null, problems: [problem('empty')] };
  const [head = [], ...body] = table.slice(0, last + 1);

  // The headings: every column once, nothing unknown.
  const positions = new Map<ColumnKey, number>();
  const problems: FileProblem[] = [];
  head.forEach((cell, index) => {
    const heading = normalise(cell);
    if (heading === '') return;
    const column = columns.find((c) => normalise(c.heading) === heading);
    if (!column) problems.push(problem('unknownColumn', { column: columnLetter(index), heading: cell.trim() }));
    else if (positions.has(column.key)) problems.push(problem('repeatedColumn', { column: columnLetter(index), heading: column.heading }));
    else positions.set(column.key, index);
  });
  const missing = columns.filter((c) => !positions.has(c.key)).map((c) => c.heading);
  if (missing.length) problems.push(problem('missingColumns', { columns: missing.join(', ') }));
  if (problems.length) return { plan: null, problems };

  const rows = body.map((cells, i) => ({ number: i + 2, cells })).filter((row) => nonEmpty(row.cells));
  if (rows.length === 0) return { plan: null, problems: [problem('noActions')] };
  if (rows.length > MAX_ACTIONS) return { plan: null, problems: [problem('tooManyActions', { max: MAX_ACTIONS })] };

  const where = (row: number, key: ColumnKey) => {
    const index = positions.get(key)!;
    return { row, column: columnLetter(index), heading: columns.find((c) => c.key === key)!.heading };
  };
  const at = (row: number, key: ColumnKey, what: string, params: Record<string, string | number> = {}) => problems.push(problem(what, { ...where(row, key), ...params }));
  const cellOf = (cells: readonly string[], key: ColumnKey) => restoreFormula(cells[positions.get(key)!] ?? '').trim();
  const text = (row: number, cells: readonly string[], key: ColumnKey, max: number, required: boolean): string => {
    const value = cellOf(cells, key);
    if (required && value === '') at(row, key, 'required');
    else if (value.length > max) at(row, key, 'tooLong', { max });
    return value;
  };

  // The plan's own fields: from the first row, and the same (or blank) on every other.
  const first = rows[0]!;
  const title = text(first.number, first.cells, 'planTitle', MAX_TITLE, true);
  const levelText = cellOf(first.cells, 'level');
  const level = choose(levelText, planLevels, levelName);
  if (!level) at(first.number, 'level', 'level', { value: levelText, allowed: planLevels.map(levelName).join(', ') });
  // The levels an organisation holds plans at: national plans only the national organisation, and so on.
  else if (!levelsFor(context.ownerKind).includes(level)) at(first.number, 'level', 'levelNotHeld', { value: levelText, allowed: levelsFor(context.ownerKind).map(levelName).join(' or ') });
  const period = text(first.number, first.cells, 'period', MAX_TITLE, true);
  const owners = list(text(first.number, first.cells, 'planOwners', MAX_TEXT, false));
  const schemeText = cellOf(first.cells, 'scheme');
  const scheme = choose(schemeText, Object.keys(statusSchemes).filter(isStatusScheme), schemeName);
  if (!scheme) at(first.number, 'scheme', 'scheme', { value: schemeText, allowed: Object.keys(statusSchemes).filter(isStatusScheme).map(schemeName).join(', ') });
  const cycleText = cellOf(first.cells, 'reviewCycle');
  const cycle = /^\d{1,3}$/.test(cycleText) ? Number(cycleText) : NaN;
  if (!(cycle >= 1 && cycle <= MAX_REVIEW_CYCLE_MONTHS)) at(first.number, 'reviewCycle', 'reviewCycle', { value: cycleText, max: MAX_REVIEW_CYCLE_MONTHS });
  const source = text(first.number, first.cells, 'source', MAX_TEXT, false);

  // The themes in the order they first appear, and their actions.
  const themes = new Map<string, { title: string; description: string | null; row: number; actions: ExchangeAction[] }>();
  const numbers = new Map<number, number>();
  for (const row of rows) {
    if (row !== first) {
      for (const key of planColumns) {
        const value = cellOf(row.cells, key);
        if (value !== '' && value !== cellOf(first.cells, key)) at(row.number, key, 'differentPlan', { first: first.number });
      }
    }
    const themeTitle = text(row.number, row.cells, 'theme', MAX_TITLE, true);
    const description = text(row.number, row.cells, 'themeDescription', MAX_TEXT, false);
    let theme = themes.get(normalise(themeTitle));
    if (!theme && themeTitle !== '') {
      theme = { title: themeTitle, description: description || null, row: row.number, actions: [] };
      themes.set(normalise(themeTitle), theme);
    } else if (theme && description !== '' && description !== (theme.description ?? '')) {
      at(row.number, 'themeDescription', 'differentTheme', { first: theme.row });
    }

    const numberText = cellOf(row.cells, 'number');
    const number = /^\d{1,4}$/.test(numberText) && Number(numberText) >= 1 ? Number(numberText) : null;
    if (number === null) at(row.number, 'number', 'number', { value: numberText });
    else if (numbers.has(number)) at(row.number, 'number', 'duplicateNumber', { number, other: numbers.get(number)! });
    else numbers.set(number, row.number);

    const actionText = text(row.number, row.cells, 'action', MAX_TEXT, true);
    const actionOwners = list(text(row.number, row.cells, 'actionOwners', MAX_TEXT, false));
    const email = text(row.number, row.cells, 'lead', MAX_EMAIL, false).toLowerCase();
    if (email !== '' && !leads.has(email)) at(row.number, 'lead', 'lead', { value: email });
    const targetText = cellOf(row.cells, 'target');
    const targetOn = targetText === '' ? null : parseFileDate(targetText);
    if (targetText !== '' && !targetOn) at(row.number, 'target', 'date', { value: targetText });

    const statusText = cellOf(row.cells, 'status');
    const status = scheme ? choose(statusText, statusesOf(scheme), statusName) : null;
    if (scheme && !status) {
      at(row.number, 'status', statusText === '' ? 'required' : 'status', { value: statusText, scheme: schemeName(scheme), allowed: statusesOf(scheme).map(statusName).join(', ') });
    }

    const withdrawnText = cellOf(row.cells, 'withdrawn');
    const withdrawnOn = withdrawnText === '' ? null : parseFileDate(withdrawnText);
    if (withdrawnText !== '' && !withdrawnOn) at(row.number, 'withdrawn', 'date', { value: withdrawnText });

    const updateText = text(row.number, row.cells, 'update', MAX_TEXT, false);
    const asOf = text(row.number, row.cells, 'updateAsOf', MAX_LABEL, false);
    if (asOf !== '' && updateText === '') at(row.number, 'updateAsOf', 'asOfWithoutUpdate');
    const asOfDate = asOf === '' ? null : parseFileDate(asOf);

    if (theme && number !== null && status && isStatusOf(scheme!, status)) {
      theme.actions.push({
        number, text: actionText, owners: actionOwners, leadEmail: email || null, targetOn, status, withdrawnOn,
        update: updateText === '' ? null : { text: updateText, on: asOfDate, label: asOf !== '' && !asOfDate ? asOf : null },
      });
    }
  }

  if (problems.length || !level || !scheme || !isPlanLevel(level)) return { plan: null, problems };
  return {
    plan: {
      title, level, period, owners, statusScheme: scheme, reviewCycleMonths: cycle, source: source || null,
      themes: [...themes.values()].map((theme) => ({ title: theme.title, description: theme.description, actions: theme.actions.sort((a, b) => a.number - b.number) })),
    },
    problems,
  };
}
