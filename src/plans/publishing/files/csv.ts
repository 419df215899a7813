// CSV as RFC 4180 has it, the way spreadsheet programs read it: UTF-8 with a
// byte order mark (so Excel shows Welsh letters rightly), CRLF between rows,
// values quoted when they hold a comma, a quote, a line break or spaces at
// either end. A value that a spreadsheet would take for a formula is written
// with an apostrophe before it (formula.ts), so opening an export cannot run
// anything.
import type { ExportCell } from '../model.ts';
import { neutraliseFormula } from './formula.ts';
import { UnreadableFile } from './unreadable.ts';

const BOM = '\uFEFF';

export const cellText = (cell: ExportCell): string => (typeof cell === 'string' ? cell : typeof cell === 'number' ? String(cell) : cell.date);

function field(cell: ExportCell): string {
  const text = typeof cell === 'string' ? neutraliseFormula(cell) : cellText(cell);
  return /[",\r\n]|^\s|\s$/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function writeCsv(rows: readonly (readonly ExportCell[])[]): Buffer {
  return Buffer.from(BOM + rows.map((row) => row.map(field).join(',')).join('\r\n') + '\r\n', 'utf8');
}

/** The rows of a CSV file; throws UnreadableFile when it is not UTF-8 text or a quote is never closed. */
export function readCsv(bytes: Uint8Array): string[][] {
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) throw new UnreadableFile('notUtf8');
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new UnreadableFile('notUtf8');
  }
  if (text.startsWith(BOM)) text = text.slice(1);
  if (text.includes('\u0000')) throw new UnreadableFile('notText');
  const rows: string[][] = [];
  let row: string[] = [];
  let value = '';
  let quoted = false;
  let wasQuoted = false;
  let quoteRow = 0;
  const endField = () => {
    row.push(value);
    value = '';
    wasQuoted = false;
  };
  const endRow = () => {
    endField();
    rows.push(row);
    row = [];
  };
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c !== '"') value += c;
      else if (text[i + 1] === '"') {
        value += '"';
        i++;
      } else quoted = false;
    } else if (c === '"' && value === '' && !wasQuoted) {
      quoted = true;
      wasQuoted = true;
      quoteRow = rows.length + 1;
    } else if (c === ',') endField();
    else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      endRow();
    } else value += c;
  }
  if (quoted) throw new UnreadableFile('csvQuote', { row: quoteRow });
  if (value !== '' || wasQuoted || row.length > 0) endRow();
  return rows;
}
