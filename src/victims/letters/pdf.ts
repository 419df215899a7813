// A letter as an accessible PDF: tagged (a structure tree of the title,
// headings and paragraphs, marked content), the document's title shown in
// the viewer's title bar, its language set ('cy' or 'en-GB'), and DejaVu Sans
// embedded, a font with every Welsh letter (ŵ, ŷ and the rest), so screen
// readers, text search and copying work in both languages.
import { fileURLToPath } from 'node:url';
import PDFDocument from 'pdfkit';
import type { Language } from '../model.ts';
import type { LetterText } from './model.ts';

const font = (file: string) => fileURLToPath(import.meta.resolve(`dejavu-fonts-ttf/ttf/${file}`));
const REGULAR = font('DejaVuSans.ttf');
const BOLD = font('DejaVuSans-Bold.ttf');

export const pdfLanguage = (language: Language): string => (language === 'cy' ? 'cy' : 'en-GB');

export function letterPdf(text: LetterText, language: Language, creator: string): Promise<Buffer> {
  const doc = new PDFDocument({
    size: 'A4',
    margin: 64,
    pdfVersion: '1.7',
    // pdfkit supports PDF/UA (its identification in the metadata); its type list lags behind.
    subset: 'PDF/UA' as unknown as PDFKit.Mixins.PDFSubsets,
    tagged: true,
    lang: pdfLanguage(language),
    displayTitle: true,
    font: REGULAR,
    info: { Title: text.title, Creator: creator },
  });
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  const root = doc.struct('Document');
  doc.addStructure(root);
  root.add(doc.struct('H1', {}, () => {
    doc.font(BOLD).fontSize(16).text(text.title, { paragraphGap: 12 });
  }));
  for (const block of text.blocks) {
    root.add(doc.struct(block.kind === 'h' ? 'H2' : 'P', {}, () => {
      if (block.kind === 'h') doc.font(BOLD).fontSize(13).text(block.text, { paragraphGap: 6 });
      else doc.font(REGULAR).fontSize(11).text(block.text, { paragraphGap: 8, lineGap: 2 });
    }));
  }
  root.end();
  doc.end();
  return done;
}
