// A progress report as an accessible PDF (src/platform/pdf): the plan's title
// as its heading, what the report is (today's, or a published edition), the
// plan's period and owners, then each theme as a heading, its description and
// a table of Action | Update | Complete?, each action's number and text the
// header of its row. Landscape, as the published reports are.
import { translate } from '../../platform/i18n/messages.ts';
import { heading, paragraph, taggedPdf } from '../../platform/pdf/document.ts';
import { taggedTable } from '../../platform/pdf/table.ts';
import { formatDate } from '../../platform/time/working-days.ts';
import type { PlainDate } from '../../platform/time/working-days.ts';
import type { ProgressReport, ReportAction } from './model.ts';

/** What the report is: as it stands on a day, or an edition as published. */
export type ReportOccasion =
  | { readonly asAt: PlainDate }
  | { readonly edition: { readonly edition: number; readonly publishedOn: PlainDate; readonly publishedBy: string | null } };

export function occasionText(occasion: ReportOccasion): string {
  if ('asAt' in occasion) return `${translate('plans.publishing.report.title')}. ${translate('plans.publishing.report.asAt', { date: formatDate(occasion.asAt) })}`;
  const { edition } = occasion;
  return `${translate('plans.publishing.edition.title', { edition: edition.edition })}. ${translate('plans.publishing.edition.published', {
    date: formatDate(edition.publishedOn), name: edition.publishedBy ?? translate('plans.publishing.editions.unknownPublisher'),
  })}`;
}

/** The Update column's text: the update, and when it speaks for (its date, or the report it came from). */
export function updateText(action: ReportAction): string {
  const parts: string[] = [];
  if (action.withdrawnOn) parts.push(translate('plans.publishing.report.withdrawn', { date: formatDate(action.withdrawnOn) }));
  parts.push(action.update ? action.update.text : translate('plans.publishing.report.noUpdate'));
  const when = action.update?.on ? translate('plans.publishing.report.updateOn', { date: formatDate(action.update.on) }) : action.update?.label ?? null;
  return when ? `${parts.join(': ')}\n(${when})` : parts.join(': ');
}

export const actionText = (action: ReportAction): string => `${action.number}. ${action.text}`;

export function reportPdf(report: ProgressReport, occasion: ReportOccasion): Promise<Buffer> {
  const title = `${report.title}: ${'asAt' in occasion ? translate('plans.publishing.report.title').toLowerCase() : translate('plans.publishing.edition.title', { edition: occasion.edition.edition }).toLowerCase()}`;
  return taggedPdf({
    title, language: 'en-GB', creator: translate('plans.publishing.report.pdfCreator'), subject: translate('plans.publishing.report.pdfSubject', { plan: report.title }), layout: 'landscape', margin: 40,
  }, (doc, root) => {
    heading(doc, root, 1, report.title);
    paragraph(doc, root, occasionText(occasion));
    const facts = [
      [translate('plans.publishing.report.period'), report.period],
      [translate('plans.publishing.report.owners'), report.owners.join(', ') || report.ownerOrganisationName],
      [translate('plans.publishing.report.level'), report.levelName],
      ...(report.source ? [[translate('plans.publishing.report.source'), report.source]] : []),
    ];
    for (const [name, value] of facts) paragraph(doc, root, `${name}: ${value}`, { size: 10, gap: 2 });
    doc.moveDown(0.5);
    for (const theme of report.themes) {
      if (doc.y > doc.page.height - doc.page.margins.bottom - 120) doc.addPage();
      heading(doc, root, 2, theme.title);
      if (theme.description) paragraph(doc, root, theme.description, { size: 10 });
      taggedTable(doc, root, {
        columns: [
          { heading: translate('plans.publishing.report.column.action'), weight: 3.2 },
          { heading: translate('plans.publishing.report.column.update'), weight: 5 },
          { heading: report.statusHeading, weight: 1.1 },
        ],
        rows: theme.actions.map((action) => [{ text: actionText(action), rowHeader: true }, { text: updateText(action) }, { text: action.statusName, bold: true }]),
      });
    }
  });
}
