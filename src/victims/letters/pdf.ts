// A letter as an accessible PDF (the platform's tagged PDFs: see
// src/platform/pdf): the title as its heading and the document's title, its
// language set ('cy' or 'en-GB'), then its headings and paragraphs.
import { heading, paragraph, taggedPdf } from '../../platform/pdf/document.ts';
import type { Language } from '../model.ts';
import type { LetterText } from './model.ts';

export const pdfLanguage = (language: Language): string => (language === 'cy' ? 'cy' : 'en-GB');

export function letterPdf(text: LetterText, language: Language, creator: string): Promise<Buffer> {
  return taggedPdf({ title: text.title, language: pdfLanguage(language), creator }, (doc, root) => {
    heading(doc, root, 1, text.title);
    for (const block of text.blocks) {
      if (block.kind === 'h') heading(doc, root, 2, block.text);
      else paragraph(doc, root, block.text);
    }
  });
}
