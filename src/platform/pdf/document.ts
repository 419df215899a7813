// Accessible PDFs, made one way across the platform: tagged (a structure
// tree of headings, paragraphs and tables over marked content; anything
// drawn only for looks is an artifact), the document's title shown in the
// viewer's title bar, its language set, and DejaVu Sans embedded, a font with
// every Welsh letter (ŵ, ŷ and the rest), so screen readers, text search and
// copying work. Letters to victims and plans' progress reports use it.
import { fileURLToPath } from 'node:url';
import PDFDocument from 'pdfkit';

const font = (file: string) => fileURLToPath(import.meta.resolve(`dejavu-fonts-ttf/ttf/${file}`));
export const fonts = { regular: font('DejaVuSans.ttf'), bold: font('DejaVuSans-Bold.ttf') } as const;

export type Pdf = PDFKit.PDFDocument;
export type Structure = PDFKit.PDFStructureElement;

export interface TaggedPdfOptions {
  readonly title: string;
  /** A BCP 47 tag: 'en-GB', 'cy'. */
  readonly language: string;
  /** Who made it (the platform's name), for the document's properties. */
  readonly creator: string;
  readonly subject?: string;
  readonly layout?: 'portrait' | 'landscape';
  readonly margin?: number;
}

/**
 * Makes a tagged PDF: `write` draws into the document and adds what it draws
 * to `root` (the Document element), using the helpers below or its own.
 */
export function taggedPdf(options: TaggedPdfOptions, write: (doc: Pdf, root: Structure) => void): Promise<Buffer> {
  const doc = new PDFDocument({
    size: 'A4',
    layout: options.layout ?? 'portrait',
    margin: options.margin ?? 64,
    pdfVersion: '1.7',
    // pdfkit supports PDF/UA (its identification in the metadata); its type list lags behind.
    subset: 'PDF/UA' as unknown as PDFKit.Mixins.PDFSubsets,
    tagged: true,
    lang: options.language,
    displayTitle: true,
    font: fonts.regular,
    info: { Title: options.title, Creator: options.creator, ...(options.subject ? { Subject: options.subject } : {}) },
  });
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  try {
    const root = doc.struct('Document');
    doc.addStructure(root);
    write(doc, root);
    root.end();
    doc.end();
  } catch (error) {
    return Promise.reject(error);
  }
  return done;
}

/** A heading (H1 to H3) as its own structure element. */
export function heading(doc: Pdf, parent: Structure, level: 1 | 2 | 3, text: string): void {
  const size = { 1: 16, 2: 13, 3: 11.5 }[level];
  parent.add(doc.struct(`H${level}`, {}, () => {
    doc.font(fonts.bold).fontSize(size).fillColor('black').text(text, { paragraphGap: level === 1 ? 12 : 6 });
  }));
}

/** A paragraph; long ones flow onto the next page. */
export function paragraph(doc: Pdf, parent: Structure, text: string, options: { size?: number; gap?: number } = {}): void {
  parent.add(doc.struct('P', {}, () => {
    doc.font(fonts.regular).fontSize(options.size ?? 11).fillColor('black').text(text, { paragraphGap: options.gap ?? 8, lineGap: 2 });
  }));
}

/** Draws something that is only for looks (rules, borders, page furniture): outside the structure tree. */
export function artifact(doc: Pdf, draw: () => void, type: 'Pagination' | 'Layout' = 'Layout'): void {
  doc.markContent('Artifact', { type });
  draw();
  doc.endMarkedContent();
}
