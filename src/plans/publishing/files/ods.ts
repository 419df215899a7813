// OpenDocument spreadsheets (.ods, ODF 1.3), written with the least a
// document needs: the mimetype first and stored uncompressed (how programs
// recognise the file), the manifest, the content with one table (a bold
// heading row, wrapped text, dates as dates), styles and metadata. Reading
// takes the first table of any spreadsheet, minding repeated rows and
// columns (LibreOffice writes the empty rest of a sheet as one repeated row).
import type { ExportCell } from '../model.ts';
import type { SheetDocument } from './xlsx.ts';
import { protectApostrophe } from './formula.ts';
import { UnreadableFile } from './unreadable.ts';
import { attribute, childOf, childrenOf, descendantsOf, escapeXml, parseXml, XmlError } from './xml.ts';
import type { XmlElement } from './xml.ts';
import { writeZip, zipDirectory } from './zip.ts';

const MIMETYPE = 'application/vnd.oasis.opendocument.spreadsheet';
const NS = {
  office: 'urn:oasis:names:tc:opendocument:xmlns:office:1.0',
  table: 'urn:oasis:names:tc:opendocument:xmlns:table:1.0',
  text: 'urn:oasis:names:tc:opendocument:xmlns:text:1.0',
  style: 'urn:oasis:names:tc:opendocument:xmlns:style:1.0',
  fo: 'urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0',
  number: 'urn:oasis:names:tc:opendocument:xmlns:datastyle:1.0',
  meta: 'urn:oasis:names:tc:opendocument:xmlns:meta:1.0',
  dc: 'http://purl.org/dc/elements/1.1/',
  manifest: 'urn:oasis:names:tc:opendocument:xmlns:manifest:1.0',
} as const;
const DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>\n';
const namespaces = (...prefixes: (keyof typeof NS)[]) => prefixes.map((prefix) => `xmlns:${prefix}="${NS[prefix]}"`).join(' ');
const utf8 = (text: string) => new TextEncoder().encode(text);

/** Text in a paragraph: runs of spaces, tabs and leading spaces need their own elements, or they collapse. */
function paragraphXml(line: string): string {
  const body = line.split('\t').map((part) => escapeXml(part).replace(/^ | {2,}/g, (spaces) => (spaces.length === 1 ? '<text:s/>' : ` <text:s text:c="${spaces.length - 1}"/>`))).join('<text:tab/>');
  return `<text:p>${body}</text:p>`;
}

function cellXml(cell: ExportCell, heading: boolean): string {
  const style = heading ? ' table:style-name="ceHeading"' : ' table:style-name="ceText"';
  if (typeof cell === 'number') return `<table:table-cell${style} office:value-type="float" office:value="${cell}"><text:p>${cell}</text:p></table:table-cell>`;
  if (typeof cell !== 'string') return `<table:table-cell table:style-name="ceDate" office:value-type="date" office:date-value="${cell.date}"><text:p>${cell.date}</text:p></table:table-cell>`;
  if (cell === '') return '<table:table-cell/>';
  return `<table:table-cell${style} office:value-type="string">${protectApostrophe(cell).replace(/\r\n?/g, '\n').split('\n').map(paragraphXml).join('')}</table:table-cell>`;
}

export function writeOds(document: SheetDocument, at: Date): Buffer {
  const created = at.toISOString().replace(/\.\d{3}Z$/, '');
  const columns = document.widths.map((width, i) => `<style:style style:name="co${i}" style:family="table-column"><style:table-column-properties style:column-width="${(width * 0.21).toFixed(2)}cm"/></style:style>`).join('');
  const content = `${DECLARATION}<office:document-content ${namespaces('office', 'style', 'text', 'table', 'fo', 'number')} office:version="1.3">`
    + '<office:automatic-styles>'
    + '<number:date-style style:name="N1"><number:year number:style="long"/><number:text>-</number:text><number:month number:style="long"/><number:text>-</number:text><number:day number:style="long"/></number:date-style>'
    + columns
    + '<style:style style:name="ceText" style:family="table-cell"><style:table-cell-properties fo:wrap-option="wrap" style:vertical-align="top"/></style:style>'
    + '<style:style style:name="ceHeading" style:family="table-cell"><style:table-cell-properties fo:wrap-option="wrap" style:vertical-align="top"/><style:text-properties fo:font-weight="bold"/></style:style>'
    + '<style:style style:name="ceDate" style:family="table-cell" style:data-style-name="N1"><style:table-cell-properties style:vertical-align="top"/></style:style>'
    + '</office:automatic-styles><office:body><office:spreadsheet>'
    + `<table:table table:name="${escapeXml(document.sheetName)}">`
    + document.widths.map((_, i) => `<table:table-column table:style-name="co${i}"/>`).join('')
    + (document.rows.length ? `<table:table-header-rows><table:table-row>${document.rows[0]!.map((cell) => cellXml(cell, true)).join('')}</table:table-row></table:table-header-rows>` : '')
    + document.rows.slice(1).map((row) => `<table:table-row>${row.map((cell) => cellXml(cell, false)).join('')}</table:table-row>`).join('')
    + '</table:table></office:spreadsheet></office:body></office:document-content>';
  const styles = `${DECLARATION}<office:document-styles ${namespaces('office', 'style', 'fo')} office:version="1.3"><office:styles><style:default-style style:family="table-cell"><style:text-properties style:font-name="Arial" fo:font-size="11pt"/></style:default-style></office:styles></office:document-styles>`;
  const meta = `${DECLARATION}<office:document-meta ${namespaces('office', 'meta', 'dc')} office:version="1.3"><office:meta>`
    + `<dc:title>${escapeXml(document.title)}</dc:title><meta:generator>${escapeXml(document.creator)}</meta:generator><meta:creation-date>${created}</meta:creation-date></office:meta></office:document-meta>`;
  const manifest = `${DECLARATION}<manifest:manifest ${namespaces('manifest')} manifest:version="1.3">`
    + `<manifest:file-entry manifest:full-path="/" manifest:version="1.3" manifest:media-type="${MIMETYPE}"/>`
    + ['content.xml', 'styles.xml', 'meta.xml'].map((path) => `<manifest:file-entry manifest:full-path="${path}" manifest:media-type="text/xml"/>`).join('')
    + '</manifest:manifest>';
  return writeZip([
    { name: 'mimetype', bytes: utf8(MIMETYPE), stored: true },
    { name: 'META-INF/manifest.xml', bytes: utf8(manifest) },
    { name: 'content.xml', bytes: utf8(content) },
    { name: 'styles.xml', bytes: utf8(styles) },
    { name: 'meta.xml', bytes: utf8(meta) },
  ], at);
}

/** A paragraph's text: spaces, tabs and line breaks as written, spans and links for their text. */
function paragraphText(element: XmlElement): string {
  return element.children.map((child) => {
    if (typeof child === 'string') return child;
    if (child.ns !== NS.text) return '';
    if (child.local === 's') return ' '.repeat(Math.min(Number(attribute(child, NS.text, 'c') ?? 1) || 1, 1000));
    if (child.local === 'tab') return '\t';
    if (child.local === 'line-break') return '\n';
    if (child.local === 'note' || child.local === 'annotation') return '';
    return paragraphText(child);
  }).join('');
}

function cellValue(cell: XmlElement): string {
  const type = attribute(cell, NS.office, 'value-type') ?? attribute(cell, 'urn:org:documentfoundation:names:experimental:calc:xmlns:calcext:1.0', 'value-type');
  if (type === 'date') return (attribute(cell, NS.office, 'date-value') ?? '').slice(0, 10);
  if (type === 'float' || type === 'percentage' || type === 'currency') return String(Number(attribute(cell, NS.office, 'value') ?? ''));
  if (type === 'boolean') return attribute(cell, NS.office, 'boolean-value') === 'true' ? 'TRUE' : 'FALSE';
  return childrenOf(cell, NS.text, 'p').map(paragraphText).join('\n');
}

const MAX_ROWS = 100_000;
const MAX_COLUMNS = 1024;

/** The first table of a spreadsheet as rows of text (dates as yyyy-mm-dd); throws UnreadableFile when it is not one. */
export function readOds(bytes: Uint8Array): string[][] {
  const zip = zipDirectory(bytes, 'notOds');
  const mimetype = zip.read('mimetype');
  if (mimetype && new TextDecoder().decode(mimetype).trim() !== MIMETYPE) throw new UnreadableFile('notOds');
  const data = zip.read('content.xml');
  if (!data) throw new UnreadableFile('notOds');
  let content: XmlElement;
  try {
    content = parseXml(new TextDecoder('utf-8', { fatal: true }).decode(data));
  } catch (error) {
    if (error instanceof XmlError || error instanceof TypeError) throw new UnreadableFile('notOds');
    throw error;
  }
  const spreadsheet = childOf(childOf(content, NS.office, 'body') ?? content, NS.office, 'spreadsheet');
  const table = spreadsheet ? childrenOf(spreadsheet, NS.table, 'table')[0] : undefined;
  if (content.ns !== NS.office || !table) throw new UnreadableFile('notOds');

  const rows: string[][] = [];
  // Empty rows count only when something follows them: LibreOffice pads a sheet with a million of them.
  let emptyRows = 0;
  for (const row of descendantsOf(table, NS.table, 'table-row')) {
    const cells: string[] = [];
    for (const cell of row.children) {
      if (typeof cell === 'string' || cell.ns !== NS.table || (cell.local !== 'table-cell' && cell.local !== 'covered-table-cell')) continue;
      const value = cell.local === 'table-cell' ? cellValue(cell) : '';
      const repeat = Number(attribute(cell, NS.table, 'number-columns-repeated') ?? 1) || 1;
      // Empty cells repeated to the sheet's edge are only padding too.
      const times = value === '' ? Math.min(repeat, Math.max(0, MAX_COLUMNS - cells.length)) : repeat;
      if (cells.length + times > MAX_COLUMNS) throw new UnreadableFile('tooManyColumns', { max: MAX_COLUMNS });
      for (let n = 0; n < times; n++) cells.push(value);
    }
    while (cells.length && cells.at(-1) === '') cells.pop();
    const repeat = Number(attribute(row, NS.table, 'number-rows-repeated') ?? 1) || 1;
    if (cells.length === 0) {
      emptyRows += repeat;
      continue;
    }
    if (rows.length + emptyRows + repeat > MAX_ROWS) throw new UnreadableFile('tooManyRows', { max: MAX_ROWS });
    for (; emptyRows > 0; emptyRows--) rows.push([]);
    for (let n = 0; n < repeat; n++) rows.push([...cells]);
  }
  return rows;
}
