// The report as its pages and its PDF show it: its facts, the actions open
// to the person, and each section with its captioned tables (figures through
// present.ts, so suppressed), its definition, data vintage and commentary.
import { translate } from '../../platform/i18n/messages.ts';
import { formatDate, formatDateTime } from '../../platform/time/working-days.ts';
import { escapeHtml } from '../../platform/web/lists.ts';
import { levelName } from '../../plans/model.ts';
import { EARLY_ADVICE_EXPECTED_SHARE, statusName } from './model.ts';
import type { Section, Shown, Status } from './model.ts';
import { bandName, present } from './present.ts';
import type { Commentary, ReportView } from './service.ts';

export const assurancePaths = {
  list: '/assurance',
  start: '/assurance/new',
  report: (reportId: string) => `/assurance/${reportId}`,
  version: (reportId: string, number: number | string) => `/assurance/${reportId}/versions/${number}`,
  print: (reportId: string, number: number | string) => `/assurance/${reportId}/versions/${number}/print`,
  pdf: (reportId: string, number: number | string) => `/assurance/${reportId}/versions/${number}/pdf`,
  commentary: (reportId: string, section: string) => `/assurance/${reportId}/commentary/${section}`,
  refresh: (reportId: string) => `/assurance/${reportId}/refresh`,
  signOff: (reportId: string) => `/assurance/${reportId}/sign-off`,
  publish: (reportId: string) => `/assurance/${reportId}/publish`,
  reopen: (reportId: string) => `/assurance/${reportId}/reopen`,
};

export function statusTag(status: Status): string {
  const colour: Record<Status, string> = { draft: 'yellow', signed_off: 'blue', published: 'green', superseded: 'grey' };
  return `<strong class="govuk-tag govuk-tag--${colour[status]}">${escapeHtml(statusName(status))}</strong>`;
}

const byAt = (name: string | null, at: string) => translate('assurance.byAt', { name: name ?? translate('assurance.someone'), at: formatDateTime(at) });
const cell = (shown: Shown) => ({ text: shown.text, format: 'numeric' });
const number = (value: number) => ({ text: value.toLocaleString('en-GB'), format: 'numeric' });

export interface Table {
  readonly caption: string;
  readonly head: readonly { text: string; format?: string }[];
  readonly rows: readonly (readonly { text?: string; html?: string; format?: string }[])[];
}

export interface SectionModel {
  readonly id: string;
  readonly title: string;
  readonly paragraphs: readonly string[];
  readonly tables: readonly Table[];
  readonly definition: string | null;
  readonly vintage: string;
  readonly commentary: { readonly text: string | null; readonly paragraphs: readonly string[]; readonly emptyText: string; readonly by: string | null; readonly href: string | null; readonly linkText: string };
}

/** The report as a page: its facts, the actions open to the person, and each section with its tables, definition and commentary. */
export function reportModel(view: ReportView, options: { print: boolean }) {
  const { report, version } = view;
  const figures = present(version.figures);
  const vintage = translate('assurance.vintage', { at: formatDateTime(figures.computedAt) });
  const editable = view.may.draft && !options.print;
  const commentaryOf = (section: Section) => {
    const written: Commentary | undefined = view.commentary.get(section);
    return {
      text: written?.text ?? null,
      paragraphs: (written?.text ?? '').split(/\n+/).map((line) => line.trim()).filter(Boolean),
      emptyText: translate(version.status === 'draft' ? 'assurance.commentary.none' : 'assurance.commentary.noneFinal'),
      by: written ? translate('assurance.commentary.by', { name: written.by ?? translate('assurance.someone'), at: formatDateTime(written.at) }) : null,
      href: editable ? assurancePaths.commentary(report.id, section) : null,
      linkText: translate(written ? 'assurance.commentary.change' : 'assurance.commentary.add'),
    };
  };
  const ea = figures.earlyAdvice;
  const days = ea.targetDays;
  const sectionsShown: SectionModel[] = [
    {
      id: 'plans', title: translate('assurance.section.plans'),
      paragraphs: figures.plans.length ? [] : [translate('assurance.plans.none', { organisation: report.organisationName })],
      tables: figures.plans.map((plan) => {
        const sum = (key: 'done' | 'underway' | 'notStarted' | 'total' | 'updates') => plan.themes.reduce((n, t) => n + t[key], 0);
        return {
          caption: translate('assurance.plans.caption', { plan: `${plan.title} (${levelName(plan.level)}, ${plan.period})` }),
          head: [{ text: translate('assurance.plans.column.theme') }, ...['done', 'underway', 'notStarted', 'total', 'updates'].map((key) => ({ text: translate(`assurance.plans.column.${key}`), format: 'numeric' }))],
          rows: [
            ...plan.themes.map((t) => [{ text: t.title }, number(t.done), number(t.underway), number(t.notStarted), number(t.total), number(t.updates)]),
            [{ html: `<strong>${escapeHtml(translate('assurance.plans.total'))}</strong>` }, number(sum('done')), number(sum('underway')), number(sum('notStarted')), number(sum('total')), number(sum('updates'))],
          ],
        };
      }),
      definition: translate('assurance.plans.definition'),
      vintage,
      commentary: commentaryOf('plans'),
    },
    {
      id: 'early-advice', title: translate('assurance.section.early-advice'), paragraphs: [],
      tables: [{
        caption: translate('assurance.ea.caption'),
        head: [{ text: translate('assurance.measure') }, { text: translate('assurance.value'), format: 'numeric' }],
        rows: [
          [{ text: translate('assurance.ea.answered') }, cell(ea.answered)],
          [{ text: translate('assurance.ea.within', { days }) }, cell(ea.withinTarget)],
          [{ text: translate('assurance.ea.late', { days }) }, cell(ea.late)],
          [{ text: translate('assurance.ea.share', { days }) }, cell(ea.share)],
          [{ text: translate('assurance.ea.median') }, cell(ea.medianDays)],
        ],
      }],
      definition: translate('assurance.ea.definition', { days, after: days + 1, expected: Math.round(EARLY_ADVICE_EXPECTED_SHARE * 100) }),
      vintage,
      commentary: commentaryOf('early-advice'),
    },
    {
      id: 'prfi', title: translate('assurance.section.prfi'), paragraphs: [],
      tables: [{
        caption: translate('assurance.prfi.caption', { date: formatDate(figures.prfi.asAt) }),
        head: [{ text: translate('assurance.prfi.band') }, { text: translate('assurance.count'), format: 'numeric' }],
        rows: [
          ...figures.prfi.bands.map((band) => [{ text: bandName(band) }, cell(band.count)]),
          [{ html: `<strong>${escapeHtml(translate('assurance.prfi.total'))}</strong>` }, cell(figures.prfi.open)],
        ],
      }],
      definition: translate('assurance.prfi.definition', { days: figures.prfi.thresholds.join(', ') }),
      vintage,
      commentary: commentaryOf('prfi'),
    },
    {
      id: 'escalations', title: translate('assurance.section.escalations'),
      paragraphs: figures.escalations.steps.length ? [] : [translate('assurance.esc.none')],
      tables: figures.escalations.steps.length ? [{
        caption: translate('assurance.esc.caption'),
        head: [{ text: translate('assurance.esc.clock') }, { text: translate('assurance.esc.step') }, { text: translate('assurance.count'), format: 'numeric' }],
        rows: [
          ...figures.escalations.steps.map((step) => [{ text: step.ruleTitle }, { text: step.label }, cell(step.count)]),
          [{ html: `<strong>${escapeHtml(translate('assurance.esc.total'))}</strong>` }, { text: '' }, cell(figures.escalations.total)],
        ],
      }] : [],
      definition: translate('assurance.esc.definition'),
      vintage,
      commentary: commentaryOf('escalations'),
    },
    {
      id: 'nfa', title: translate('assurance.section.nfa'),
      paragraphs: figures.nfa.police.byOutcome.length ? [] : [translate('assurance.nfa.policeNone')],
      tables: [
        ...(figures.nfa.police.byOutcome.length ? [{
          caption: translate('assurance.nfa.policeCaption'),
          head: [{ text: translate('assurance.nfa.outcome') }, { text: translate('assurance.count'), format: 'numeric' }],
          rows: [
            ...figures.nfa.police.byOutcome.map((n) => [{ text: n.name }, cell(n.count)]),
            [{ html: `<strong>${escapeHtml(translate('assurance.nfa.policeTotal'))}</strong>` }, cell(figures.nfa.police.total)],
          ],
        }] : []),
        {
          caption: translate('assurance.nfa.cpsCaption'),
          head: [{ text: translate('assurance.nfa.decision') }, { text: translate('assurance.count'), format: 'numeric' }],
          rows: [
            ...figures.nfa.cps.byKind.map((n) => [{ text: n.name }, cell(n.count)]),
            [{ html: `<strong>${escapeHtml(translate('assurance.nfa.cpsTotal'))}</strong>` }, cell(figures.nfa.cps.total)],
          ],
        },
      ],
      definition: translate('assurance.nfa.definition'),
      vintage,
      commentary: commentaryOf('nfa'),
    },
  ];
  const row = (key: string, value: { text?: string; html?: string }) => ({ key: { text: translate(`assurance.field.${key}`) }, value });
  const rows = [
    row('organisation', { text: report.organisationName }),
    row('quarter', { text: report.quarterName }),
    row('version', { text: String(version.number) }),
    row('status', { html: statusTag(version.status) }),
    row('drafted', { text: byAt(version.draftedBy.name, version.draftedBy.at) }),
    ...(version.reason ? [row('reason', { text: version.reason })] : []),
    ...(version.refreshedBy ? [row('refreshed', { text: version.refreshedBy })] : []),
    row('signedOff', { text: version.signedOff ? byAt(version.signedOff.name, version.signedOff.at) : translate('assurance.notYet') }),
    row('published', { text: version.published ? byAt(version.published.name, version.published.at) : translate('assurance.notYet') }),
    ...(version.supersededAt ? [row('superseded', { text: formatDateTime(version.supersededAt) })] : []),
    row('vintage', { text: formatDateTime(figures.computedAt) }),
  ];
  const actions = options.print ? [] : [
    ...(view.may.signOff ? [{ text: translate('assurance.signOff.title'), href: assurancePaths.signOff(report.id) }] : []),
    ...(view.may.publish ? [{ text: translate('assurance.publish.title'), href: assurancePaths.publish(report.id) }] : []),
    ...(view.may.draft ? [{ text: translate('assurance.refresh.title'), href: assurancePaths.refresh(report.id) }] : []),
    ...(view.may.reopen ? [{ text: translate('assurance.reopen.title'), href: assurancePaths.reopen(report.id) }] : []),
  ];
  const newest = view.versions.at(-1)!;
  return {
    pageTitle: translate('assurance.report.heading', { quarter: report.quarterName }),
    caption: report.organisationName,
    status: statusTag(version.status),
    versionCaption: translate('assurance.report.versionCaption', { number: version.number }),
    later: view.latest ? null : { text: translate('assurance.report.olderVersion', { number: version.number }), href: assurancePaths.version(report.id, newest.number), linkText: translate('assurance.report.latestLink', { number: newest.number }) },
    draftedByYou: view.draftedByViewer && !options.print,
    readOnly: version.status === 'published' && !options.print,
    rows,
    actions,
    printHref: options.print ? null : assurancePaths.print(report.id, version.number),
    pdfHref: options.print ? null : assurancePaths.pdf(report.id, version.number),
    summary: commentaryOf('summary'),
    exceptions: figures.exceptions.map((e) => ({ id: `exception-${e.key}`, title: e.title, detail: e.detail, commentary: commentaryOf(`exception.${e.key}`) })),
    sections: sectionsShown,
    suppression: translate('assurance.suppression'),
    exceptionsIntro: translate(version.status === 'draft' ? 'assurance.exceptions.intro' : 'assurance.exceptions.introFinal'),
    versions: view.versions.length > 1 ? {
      caption: translate('assurance.report.versions'),
      head: [{ text: translate('assurance.column.version') }, { text: translate('assurance.column.status') }, { text: translate('assurance.field.published') }],
      rows: view.versions.map((v) => [
        { html: v.number === version.number ? escapeHtml(String(v.number)) : `<a class="govuk-link" href="${assurancePaths.version(report.id, v.number)}">${v.number}</a>` },
        { html: statusTag(v.status) },
        { text: v.publishedAt ? formatDateTime(v.publishedAt) : translate('assurance.notYet') },
      ]),
    } : null,
    print: options.print,
    backHref: options.print ? assurancePaths.version(report.id, version.number) : assurancePaths.list,
    backText: options.print ? translate('assurance.report.backToReport') : translate('directory.back'),
  };
}

