// A plan's table to and from a file of each format.
import type { ExchangeFormat, ExportCell } from '../model.ts';
import { readCsv, writeCsv } from './csv.ts';
import { readOds, writeOds } from './ods.ts';
import { UnreadableFile } from './unreadable.ts';
import { isZip } from './zip.ts';
import { readXlsx, writeXlsx } from './xlsx.ts';
import type { SheetDocument } from './xlsx.ts';

export type { SheetDocument } from './xlsx.ts';
export { UnreadableFile } from './unreadable.ts';

export function writeTable(format: ExchangeFormat, document: SheetDocument, at: Date): Buffer {
  switch (format) {
    case 'csv':
      return writeCsv(document.rows as ExportCell[][]);
    case 'xlsx':
      return writeXlsx(document, at);
    case 'ods':
      return writeOds(document, at);
  }
}

/** The rows of a file in the format it says it is; throws UnreadableFile when it cannot be read as one. */
export function readTable(format: ExchangeFormat, bytes: Uint8Array): string[][] {
  if (bytes.length === 0) throw new UnreadableFile('empty');
  switch (format) {
    case 'csv':
      if (isZip(bytes)) throw new UnreadableFile('zipAsCsv');
      return readCsv(bytes);
    case 'xlsx':
      return readXlsx(bytes);
    case 'ods':
      return readOds(bytes);
  }
}
