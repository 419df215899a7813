// Reads a PDF the platform made back as a reader would: its text, title,
// language tags and whether it is marked (tagged) for assistive technology.
// unpdf carries a build of pdf.js that needs no native canvas.
import { getDocumentProxy } from 'unpdf';

export async function readPdf(bytes: Uint8Array) {
  const pdf = await getDocumentProxy(new Uint8Array(bytes));
  let text = '';
  for (let n = 1; n <= pdf.numPages; n++) {
    const content = await (await pdf.getPage(n)).getTextContent();
    text += content.items.map((i) => ('str' in i ? i.str : '')).join(' ') + ' ';
  }
  const meta = await pdf.getMetadata();
  const tree = await (await pdf.getPage(1)).getStructTree();
  const markInfo = await pdf.getMarkInfo();
  // pdf.js answers the MarkInfo dictionary as a Map or a plain object depending on its build.
  const marked = markInfo instanceof Map ? markInfo.get('Marked') : (markInfo as { Marked?: boolean } | null)?.Marked;
  return { text: text.replace(/\s+/g, ' '), title: (meta.info as { Title?: string }).Title, tree, marked, pages: pdf.numPages };
}
