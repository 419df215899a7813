// A report as a tagged PDF (the platform's accessible PDF helper): the same
// facts, sections, tables, definitions, data vintage and commentary as the
// print view, built from the same view model, so the figures in it are the
// suppressed ones.
import { heading, paragraph, taggedPdf } from '../../platform/pdf/document.ts';
import { taggedTable } from '../../platform/pdf/table.ts';
import { translate } from '../../platform/i18n/messages.ts';
import { reportModel } from './report-model.ts';
import type { SectionModel, Table } from './report-model.ts';
import type { ReportView } from './service.ts';

const plain = (cell: { text?: string; html?: string }) => cell.text ?? (cell.html ?? '').replace(/<[^>]*>/g, '');

function table(doc: Parameters<Parameters<typeof taggedPdf>[1]>[0], root: Parameters<Parameters<typeof taggedPdf>[1]>[1], t: Table): void {
  paragraph(doc, root, t.caption, { size: 10, gap: 4 });
  taggedTable(doc, root, {
    columns: t.head.map((h, i) => ({ heading: h.text, weight: i === 0 ? (t.head.length > 3 ? 2 : 3) : 1.2 })),
    rows: t.rows.map((row) => row.map((cell, i) => ({ text: plain(cell), rowHeader: i === 0, bold: (cell.html ?? '').includes('<strong>') }))),
  });
  doc.moveDown(0.5);
}

function commentary(doc: Parameters<Parameters<typeof taggedPdf>[1]>[0], root: Parameters<Parameters<typeof taggedPdf>[1]>[1], c: SectionModel['commentary']): void {
  heading(doc, root, 3, translate('assurance.commentary.heading'));
  if (c.paragraphs.length === 0) paragraph(doc, root, c.emptyText, { size: 10 });
  for (const text of c.paragraphs) paragraph(doc, root, text, { size: 10 });
  if (c.by) paragraph(doc, root, c.by, { size: 9 });
}

/** The version of the report the view shows, as a PDF, with its file name. */
export async function reportPdf(view: ReportView): Promise<{ bytes: Buffer; fileName: string }> {
  const model = reportModel(view, { print: true });
  const title = `${model.caption}: ${model.pageTitle}`;
  const bytes = await taggedPdf({ title, language: 'en-GB', creator: translate('service.name'), subject: translate('assurance.report.title') }, (doc, root) => {
    heading(doc, root, 1, model.pageTitle);
    paragraph(doc, root, `${model.caption}. ${model.versionCaption}.`);
    for (const row of model.rows) paragraph(doc, root, `${row.key.text}: ${plain(row.value)}`, { size: 10, gap: 2 });
    doc.moveDown(0.5);
    paragraph(doc, root, model.suppression, { size: 9 });
    heading(doc, root, 2, translate('assurance.section.summary'));
    commentary(doc, root, model.summary);
    heading(doc, root, 2, translate('assurance.section.exceptions'));
    paragraph(doc, root, model.exceptions.length ? model.exceptionsIntro : translate('assurance.exceptions.none'), { size: 10 });
    for (const exception of model.exceptions) {
      heading(doc, root, 3, exception.title);
      paragraph(doc, root, exception.detail, { size: 10 });
      commentary(doc, root, exception.commentary);
    }
    for (const section of model.sections) {
      if (doc.y > doc.page.height - doc.page.margins.bottom - 160) doc.addPage();
      heading(doc, root, 2, section.title);
      for (const text of section.paragraphs) paragraph(doc, root, text, { size: 10 });
      for (const t of section.tables) table(doc, root, t);
      if (section.definition) paragraph(doc, root, `${translate('assurance.definitionSummary')}: ${section.definition}`, { size: 9 });
      paragraph(doc, root, section.vintage, { size: 9 });
      commentary(doc, root, section.commentary);
    }
  });
  const organisation = view.report.organisationName.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
  return { bytes, fileName: `assurance-${organisation}-${view.report.quarterKey}-v${view.version.number}.pdf` };
}
