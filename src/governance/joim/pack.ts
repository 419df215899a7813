// The JOIM pack as people read it: its sections and columns, once, for the
// page and for the CSV download. Values stay typed (dates, links, tags) until
// each output formats them: GOV.UK dates on the page, ISO dates in the CSV.
import { translate } from '../../platform/i18n/messages.ts';
import { formatDate, formatDateTime } from '../../platform/time/working-days.ts';
import type { PlainDate } from '../../platform/time/working-days.ts';
import { escapeHtml } from '../../platform/web/lists.ts';
import { stageName } from '../../cases/model.ts';
import type { AgeingRow, EarlyAdviceRow, EscalationRow, JoimPack, PackCase, PrfiRow } from '../../cases/oversight/joim-pack.ts';
import { reviewDays } from '../../cases/action-plans/model.ts';
import messages from './messages.en.json' with { type: 'json' };

export type PackValue =
  | string
  | number
  | null
  | { readonly date: PlainDate }
  | { readonly instant: string }
  | { readonly link: string; readonly text: string }
  | { readonly tag: string; readonly colour: 'red' | 'orange' | 'yellow' | 'green' | 'grey' | 'blue' };

interface Column<R> {
  readonly key: string;
  readonly value: (row: R) => PackValue;
}

export interface PackSection {
  readonly key: string;
  readonly title: string;
  readonly description: string;
  /** Every column, for the CSV. */
  readonly columns: readonly string[];
  readonly rows: readonly (readonly PackValue[])[];
  /** The page's columns: each heads a group of the columns above, shown one under another so the table fits the page. */
  readonly groups: readonly { readonly heading: string; readonly keys: readonly string[] }[];
}

/** How the page groups each section's columns (the first key's heading names the group unless one is given). */
const pageGroups: Record<string, readonly (readonly string[])[]> = {
  ageing: [['reference', 'urn', 'stage'], ['oic', 'prosecutor'], ['issued'], ['days']],
  escalations: [['reference', 'urn', 'stage'], ['oic', 'prosecutor'], ['clock', 'started'], ['due', 'daysOverdue'], ['step', 'stepDue', 'escalated']],
  prfi: [['reference', 'urn', 'stage'], ['oic', 'prosecutor'], ['issued', 'outstanding'], ['reviewDue', 'nextStep'], ['actions'], ['responded']],
  earlyAdvice: [['reference', 'urn', 'stage'], ['oic', 'prosecutor'], ['requested', 'waiting'], ['due', 'overdue']],
};
const groupHeadings: Record<string, string> = { reference: 'case', oic: 'people', reviewDue: 'reviews' };

const casePath = (caseId: string) => `/cases/${caseId}`;

/** The columns every section starts with: the case's references, stage and who works it. Never anyone in it. */
const caseColumns: readonly Column<{ readonly case: PackCase }>[] = [
  { key: 'reference', value: (row) => ({ link: casePath(row.case.caseId), text: row.case.policeReference }) },
  { key: 'urn', value: (row) => row.case.cpsUrn },
  { key: 'stage', value: (row) => stageName(row.case.stage) },
  { key: 'oic', value: (row) => row.case.oic?.name ?? null },
  { key: 'prosecutor', value: (row) => row.case.prosecutor?.name ?? null },
];

const ageingColumns: readonly Column<AgeingRow>[] = [
  ...caseColumns,
  { key: 'issued', value: (row) => ({ date: row.issuedOn }) },
  { key: 'days', value: (row) => row.days },
];

const escalationColumns: readonly Column<EscalationRow>[] = [
  ...caseColumns,
  { key: 'clock', value: (row) => row.clock },
  { key: 'started', value: (row) => ({ date: row.startedOn }) },
  { key: 'due', value: (row) => ({ date: row.dueOn }) },
  { key: 'daysOverdue', value: (row) => row.daysOverdue },
  { key: 'step', value: (row) => row.step.label },
  { key: 'stepDue', value: (row) => ({ date: row.step.dueOn }) },
  { key: 'escalated', value: (row) => (row.escalatedAt ? { instant: row.escalatedAt } : { tag: translate('joim.pack.notSent'), colour: 'orange' }) },
];

function actionsText(row: PrfiRow): string {
  if (!row.actions) return translate('joim.pack.actionsNotRecorded');
  const { total, outstanding, earliestDueOn, overdue } = row.actions;
  if (outstanding === 0) return translate('joim.pack.actionsAllDone', { total });
  return translate('joim.pack.actionsOutstanding', { outstanding, total, due: earliestDueOn ? formatDate(earliestDueOn) : '', overdue });
}

const prfiColumns: readonly Column<PrfiRow>[] = [
  ...caseColumns,
  { key: 'issued', value: (row) => ({ date: row.issuedOn }) },
  { key: 'reviewDue', value: (row) => ({ date: row.reviewDueOn }) },
  { key: 'nextStep', value: (row) => (row.nextStep ? translate('joim.pack.nextStep', { label: row.nextStep.label, date: formatDate(row.nextStep.dueOn) }) : null) },
  { key: 'actions', value: actionsText },
  { key: 'outstanding', value: (row) => row.daysOutstanding },
  {
    key: 'responded',
    value: (row) => (row.policeResponded
      ? { tag: translate('joim.pack.responded', { date: row.lastResponseOn ? formatDate(row.lastResponseOn) : '' }), colour: 'green' }
      : { tag: translate('joim.pack.notResponded'), colour: 'red' }),
  },
];

const earlyAdviceColumns: readonly Column<EarlyAdviceRow>[] = [
  ...caseColumns,
  { key: 'requested', value: (row) => ({ date: row.requestedOn }) },
  { key: 'due', value: (row) => ({ date: row.dueOn }) },
  { key: 'waiting', value: (row) => row.daysWaiting },
  {
    key: 'overdue',
    value: (row) => (row.paused
      ? { tag: translate('joim.pack.paused'), colour: 'grey' }
      : row.overdue ? { tag: translate('joim.pack.overdueBy', { days: row.daysOverdue }), colour: 'red' } : { tag: translate('joim.pack.notYetDue'), colour: 'blue' }),
  },
];

function section<R>(key: string, columns: readonly Column<R>[], rows: readonly R[], params: Record<string, string | number> = {}): PackSection {
  return {
    key,
    title: translate(`joim.pack.section.${key}`, params),
    description: translate(`joim.pack.section.${key}.description`, params),
    columns: columns.map((c) => c.key),
    rows: rows.map((row) => columns.map((c) => c.value(row))),
    groups: (pageGroups[key.startsWith('ageing') ? 'ageing' : key] ?? columns.map((c) => [c.key])).map((keys) => ({ heading: groupHeadings[keys[0]!] ?? keys[0]!, keys })),
  };
}

/** The pack's sections in the order the meeting takes them: the oldest PRFI cases first. */
export function packSections(pack: JoimPack): PackSection[] {
  const bands = [...reviewDays].reverse();
  return [
    ...bands.map((band, i) => section(`ageing${band}`, ageingColumns, pack.ageing.filter((row) => row.band === band), { from: band, to: i === 0 ? '' : bands[i - 1]! - 1 })),
    section('escalations', escalationColumns, pack.escalations),
    section('prfi', prfiColumns, pack.prfi),
    section('earlyAdvice', earlyAdviceColumns, pack.earlyAdvice),
  ];
}

export const columnName = (key: string): string => translate(`joim.pack.column.${key}`);

/** A value as a GOV.UK table cell. */
export function htmlCell(value: PackValue): { text: string } | { html: string } {
  if (value === null) return { text: translate('joim.pack.none') };
  if (typeof value === 'string') return { text: value };
  if (typeof value === 'number') return { text: String(value) };
  if ('date' in value) return { text: formatDate(value.date) };
  if ('instant' in value) return { text: formatDateTime(value.instant) };
  if ('link' in value) return { html: `<a class="govuk-link" href="${escapeHtml(value.link)}">${escapeHtml(value.text)}</a>` };
  return { html: `<strong class="govuk-tag govuk-tag--${value.colour}">${escapeHtml(value.tag)}</strong>` };
}

/**
 * A row of a section as the page's cells: each group's values one under
 * another, each after its label where it needs one (`joim.pack.line.<key>`);
 * empty values and zero days overdue are left out of a group.
 */
export function htmlRow(section: PackSection, row: readonly PackValue[]): ({ text: string } | { html: string })[] {
  return section.groups.map(({ keys }) => {
    if (keys.length === 1) return htmlCell(row[section.columns.indexOf(keys[0]!)]!);
    const lines = keys.flatMap((key, i) => {
      const value = row[section.columns.indexOf(key)]!;
      if (value === null && i > 0) return [];
      if (key === 'daysOverdue' && value === 0) return [];
      const cell = htmlCell(value);
      const html = 'html' in cell ? cell.html : escapeHtml(cell.text);
      const label = `joim.pack.line.${key}`;
      // The label's words are escaped; the value is already HTML.
      const line = Object.hasOwn(messages, label) ? translate(label, { value: '\u0000' }).split('\u0000').map(escapeHtml).join(html) : html;
      return [i === 0 ? line : `<span class="govuk-body-s">${line}</span>`];
    });
    return { html: lines.join('<br>') };
  });
}

function csvText(value: PackValue): string {
  if (value === null) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return String(value);
  if ('date' in value) return value.date;
  if ('instant' in value) return value.instant;
  if ('link' in value) return value.text;
  return value.tag;
}

/**
 * One CSV field (RFC 4180). A field a spreadsheet would run as a formula
 * (starting =, +, -, @, a tab or a carriage return) is written as text.
 */
export function csvField(text: string): string {
  const safe = /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

/** The whole pack as one CSV: a row per case per section, the section first, every section's columns side by side. */
export function packCsv(pack: JoimPack): string {
  const sections = packSections(pack);
  const keys = [...new Set(sections.flatMap((s) => s.columns))];
  const lines = [[translate('joim.pack.column.section'), ...keys.map(columnName)]];
  for (const s of sections) {
    for (const row of s.rows) lines.push([s.title, ...keys.map((key) => (s.columns.includes(key) ? csvText(row[s.columns.indexOf(key)]!) : ''))]);
  }
  // A byte order mark, so that spreadsheets read the names as UTF-8.
  return `\uFEFF${lines.map((line) => line.map(csvField).join(',')).join('\r\n')}\r\n`;
}
