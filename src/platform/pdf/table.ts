// A tagged table (Table, TR, TH and TD elements, header cells scoped to
// their column or row) that never loses text: a row taller than the space
// left on a page carries on at the top of the next one, with the column
// headings repeated there as page furniture. pdfkit's own table clamps such
// a row and cuts its text short, which a published report cannot afford.
import { artifact, fonts } from './document.ts';
import type { Pdf, Structure } from './document.ts';

export interface TableColumn {
  readonly heading: string;
  /** A share of the table's width. */
  readonly weight: number;
}

export interface TableCell {
  readonly text: string;
  /** A row header (the action's number, say): TH scoped to its row. */
  readonly rowHeader?: boolean;
  readonly bold?: boolean;
}

export interface TableOptions {
  readonly columns: readonly TableColumn[];
  readonly rows: readonly (readonly TableCell[])[];
  readonly size?: number;
}

const PADDING = 4;
const BORDER = '#b1b4b6';
const HEADER_FILL = '#f3f2f1';

/** Splits text into lines that fit `width` at the current font, keeping its own line breaks; words too long for a line are broken. */
export function wrapText(doc: Pdf, text: string, width: number): string[] {
  const lines: string[] = [];
  for (const paragraph of text.replace(/\r\n?/g, '\n').split('\n')) {
    let line = '';
    for (const word of paragraph.split(/ +/)) {
      const candidate = line === '' ? word : `${line} ${word}`;
      if (doc.widthOfString(candidate) <= width) {
        line = candidate;
        continue;
      }
      if (line !== '') lines.push(line);
      line = word;
      while (doc.widthOfString(line) > width && line.length > 1) {
        let cut = line.length - 1;
        while (cut > 1 && doc.widthOfString(line.slice(0, cut)) > width) cut--;
        lines.push(line.slice(0, cut));
        line = line.slice(cut);
      }
    }
    lines.push(line);
  }
  return lines;
}

export function taggedTable(doc: Pdf, parent: Structure, options: TableOptions): void {
  const size = options.size ?? 9;
  const left = doc.page.margins.left;
  const width = doc.page.width - doc.page.margins.left - doc.page.margins.right;
  const total = options.columns.reduce((sum, column) => sum + column.weight, 0);
  const widths = options.columns.map((column) => (width * column.weight) / total);
  const xs = widths.map((_, i) => left + widths.slice(0, i).reduce((sum, w) => sum + w, 0));
  const bottom = () => doc.page.height - doc.page.margins.bottom;
  doc.fontSize(size);
  const lineHeight = doc.currentLineHeight(true) + 1;

  const linesOf = (cells: readonly { text: string; bold?: boolean }[]) => cells.map((cell, i) => {
    doc.font(cell.bold ? fonts.bold : fonts.regular).fontSize(size);
    return wrapText(doc, cell.text, widths[i]! - 2 * PADDING);
  });
  const headings = options.columns.map((column) => ({ text: column.heading, bold: true }));
  const headingLines = linesOf(headings);
  const headingHeight = Math.max(...headingLines.map((lines) => lines.length)) * lineHeight + 2 * PADDING;

  const box = (y: number, height: number, fill?: string) => artifact(doc, () => {
    xs.forEach((x, i) => {
      if (fill) doc.rect(x, y, widths[i]!, height).fill(fill);
      doc.rect(x, y, widths[i]!, height).lineWidth(0.5).stroke(BORDER);
    });
  });
  const drawLines = (i: number, lines: readonly string[], y: number, bold: boolean) => {
    doc.font(bold ? fonts.bold : fonts.regular).fontSize(size).fillColor('black');
    lines.forEach((line, n) => doc.text(line, xs[i]! + PADDING, y + PADDING + n * lineHeight, { lineBreak: false, width: widths[i]! - 2 * PADDING }));
  };

  const table = doc.struct('Table');
  parent.add(table);

  // The column headings: tagged once, repeated as furniture on each page the table carries on to.
  const headingRow = (tagged: boolean) => {
    if (doc.y + headingHeight + lineHeight + 2 * PADDING > bottom()) doc.addPage();
    const y = doc.y;
    box(y, headingHeight, HEADER_FILL);
    if (tagged) {
      const tr = doc.struct('TR');
      table.add(tr);
      headingLines.forEach((lines, i) => {
        const th = doc.struct('TH', { scope: 'Column' } as PDFKit.Mixins.StructureElementOptions);
        tr.add(th);
        th.add(() => drawLines(i, lines, y, true));
        th.end();
      });
      tr.end();
    } else {
      artifact(doc, () => headingLines.forEach((lines, i) => drawLines(i, lines, y, true)), 'Pagination');
    }
    doc.y = y + headingHeight;
  };
  headingRow(true);

  for (const row of options.rows) {
    const remaining = linesOf(row);
    const tr = doc.struct('TR');
    table.add(tr);
    const cells = row.map((cell) => {
      const element = doc.struct(cell.rowHeader ? 'TH' : 'TD', (cell.rowHeader ? { scope: 'Row' } : {}) as PDFKit.Mixins.StructureElementOptions);
      tr.add(element);
      return element;
    });
    while (remaining.some((lines) => lines.length > 0)) {
      const fits = Math.floor((bottom() - doc.y - 2 * PADDING) / lineHeight);
      const needed = Math.max(...remaining.map((lines) => lines.length));
      // Start a row on a new page rather than leave a sliver of it at the foot of this one.
      if (fits < Math.min(needed, 3)) {
        if (fits < 1 && doc.y <= doc.page.margins.top + headingHeight + 1) throw new Error('A table row cannot fit on an empty page');
        doc.addPage();
        headingRow(false);
        continue;
      }
      const take = Math.min(needed, fits);
      const y = doc.y;
      const height = take * lineHeight + 2 * PADDING;
      box(y, height);
      remaining.forEach((lines, i) => {
        const chunk = lines.splice(0, take);
        if (chunk.length) cells[i]!.add(() => drawLines(i, chunk, y, row[i]!.bold === true));
      });
      doc.y = y + height;
    }
    for (const cell of cells) cell.end();
    tr.end();
  }
  table.end();
  doc.x = left;
  doc.moveDown(0.5);
}
