// Office Open XML workbooks (.xlsx, ECMA-376), written with the least a
// workbook needs to open in Excel, LibreOffice and Numbers: the content
// types, the package and workbook relationships, one worksheet with inline
// strings, styles (a bold heading row, wrapped text, dates shown as
// yyyy-mm-dd) and the document's properties. Reading takes the first sheet
// of any workbook, with shared or inline strings, and numbers formatted as
// dates read back as dates.
import type { ExportCell } from '../model.ts';
import { protectApostrophe } from './formula.ts';
import { UnreadableFile } from './unreadable.ts';
import { attribute, childOf, childrenOf, descendantsOf, escapeXml, parseXml, XmlError } from './xml.ts';
import type { XmlElement } from './xml.ts';
import { writeZip, zipDirectory } from './zip.ts';

const MAIN = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
const REL = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
const PACKAGE_REL = 'http://schemas.openxmlformats.org/package/2006/relationships';
const STRICT_MAIN = 'http://purl.oclc.org/ooxml/spreadsheetml/main';
const DECLARATION = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n';
const utf8 = (text: string) => new TextEncoder().encode(text);

export interface SheetDocument {
  readonly title: string;
  readonly creator: string;
  readonly sheetName: string;
  readonly rows: readonly (readonly ExportCell[])[];
  /** Column widths in characters. */
  readonly widths: readonly number[];
}

const cellRef = (row: number, column: number) => {
  let letters = '';
  for (let n = column + 1; n > 0; n = Math.floor((n - 1) / 26)) letters = String.fromCharCode(65 + ((n - 1) % 26)) + letters;
  return `${letters}${row + 1}`;
};

/** Excel's text escapes: a character XML cannot hold is written _xHHHH_, and a literal _xHHHH_ has its underscore escaped. */
const excelText = (text: string) =>
  escapeXml(text.replace(/_x[0-9A-Fa-f]{4}_/g, (m) => `_x005F${m}`).replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, (c) => `_x${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}_`));
const fromExcelText = (text: string) => text.replace(/_x([0-9A-Fa-f]{4})_/g, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16)));

/** Days since 30 December 1899, Excel's day 0 (the 1900 date system, with its leap-year quirk behind it). */
const EPOCH_1900 = Date.UTC(1899, 11, 30);
const EPOCH_1904 = Date.UTC(1904, 0, 1);
const serialOf = (date: string) => Math.round((Date.parse(`${date}T00:00:00Z`) - EPOCH_1900) / 86_400_000);
const dateOfSerial = (serial: number, date1904: boolean) => new Date((date1904 ? EPOCH_1904 : EPOCH_1900) + Math.floor(serial) * 86_400_000).toISOString().slice(0, 10);

// Styles: 0 plain (wrapped, top-aligned), 1 heading (bold), 2 date.
const STYLES = `${DECLARATION}<styleSheet xmlns="${MAIN}">
<numFmts count="1"><numFmt numFmtId="164" formatCode="yyyy\\-mm\\-dd"/></numFmts>
<fonts count="2"><font><sz val="11"/><name val="Arial"/><family val="2"/></font><font><b/><sz val="11"/><name val="Arial"/><family val="2"/></font></fonts>
<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>
<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>
<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>
<cellXfs count="3"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0" applyAlignment="1"><alignment vertical="top" wrapText="1"/></xf><xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1" applyAlignment="1"><alignment vertical="top" wrapText="1"/></xf><xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1" applyAlignment="1"><alignment vertical="top"/></xf></cellXfs>
<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>
</styleSheet>`;

function cellXml(cell: ExportCell, ref: string, heading: boolean): string {
  if (typeof cell === 'number') return `<c r="${ref}"${heading ? ' s="1"' : ''}><v>${cell}</v></c>`;
  if (typeof cell !== 'string') return `<c r="${ref}" s="2"><v>${serialOf(cell.date)}</v></c>`;
  if (cell === '') return '';
  return `<c r="${ref}" t="inlineStr"${heading ? ' s="1"' : ''}><is><t xml:space="preserve">${excelText(protectApostrophe(cell))}</t></is></c>`;
}

export function writeXlsx(document: SheetDocument, at: Date): Buffer {
  const created = at.toISOString().replace(/\.\d{3}Z$/, 'Z');
  const sheetRows = document.rows.map((row, r) => `<row r="${r + 1}">${row.map((cell, c) => cellXml(cell, cellRef(r, c), r === 0)).join('')}</row>`).join('');
  const widths = document.widths.map((width, c) => `<col min="${c + 1}" max="${c + 1}" width="${width}" customWidth="1"/>`).join('');
  const sheet = `${DECLARATION}<worksheet xmlns="${MAIN}" xmlns:r="${REL}">`
    + '<sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/></sheetView></sheetViews>'
    + `<sheetFormatPr defaultRowHeight="15"/><cols>${widths}</cols><sheetData>${sheetRows}</sheetData></worksheet>`;
  return writeZip([
    { name: '[Content_Types].xml', bytes: utf8(`${DECLARATION}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">`
      + '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
      + '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
      + '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
      + '<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
      + '<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>'
      + '<Override PartName="/docProps/app.xml" ContentType="application/vnd.openxmlformats-officedocument.extended-properties+xml"/></Types>') },
    { name: '_rels/.rels', bytes: utf8(`${DECLARATION}<Relationships xmlns="${PACKAGE_REL}">`
      + '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
      + '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/>'
      + '<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/extended-properties" Target="docProps/app.xml"/></Relationships>') },
    { name: 'docProps/core.xml', bytes: utf8(`${DECLARATION}<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">`
      + `<dc:title>${escapeXml(document.title)}</dc:title><dc:creator>${escapeXml(document.creator)}</dc:creator>`
      + `<dcterms:created xsi:type="dcterms:W3CDTF">${created}</dcterms:created><dcterms:modified xsi:type="dcterms:W3CDTF">${created}</dcterms:modified></cp:coreProperties>`) },
    { name: 'docProps/app.xml', bytes: utf8(`${DECLARATION}<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"><Application>${escapeXml(document.creator)}</Application></Properties>`) },
    { name: 'xl/workbook.xml', bytes: utf8(`${DECLARATION}<workbook xmlns="${MAIN}" xmlns:r="${REL}"><bookViews><workbookView/></bookViews>`
      + `<sheets><sheet name="${escapeXml(document.sheetName.replace(/[\\/?*[\]:]/g, ' ').slice(0, 31))}" sheetId="1" r:id="rId1"/></sheets></workbook>`) },
    { name: 'xl/_rels/workbook.xml.rels', bytes: utf8(`${DECLARATION}<Relationships xmlns="${PACKAGE_REL}">`
      + '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'
      + '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/></Relationships>') },
    { name: 'xl/styles.xml', bytes: utf8(STYLES) },
    { name: 'xl/worksheets/sheet1.xml', bytes: utf8(sheet) },
  ], at);
}

// Number formats that show a date: Excel's built-in ones, and any custom code with day, month or year in it.
const MAX_ROWS = 100_000;

const BUILT_IN_DATES = new Set([14, 15, 16, 17, 18, 19, 20, 21, 22, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 45, 46, 47, 50, 51, 52, 53, 54, 55, 56, 57, 58]);
const isDateFormat = (code: string) => /[dmy]/i.test(code.replace(/"[^"]*"|\[[^\]]*\]|\\./g, ''));

/** Joins a relationship's target to the folder of the part it is relative to. */
function resolvePart(base: string, target: string): string {
  if (target.startsWith('/')) return target.slice(1);
  const parts = base.split('/').slice(0, -1);
  for (const piece of target.split('/')) {
    if (piece === '..') parts.pop();
    else if (piece !== '.') parts.push(piece);
  }
  return parts.join('/');
}

const relsPath = (part: string) => {
  const slash = part.lastIndexOf('/');
  return `${part.slice(0, slash + 1)}_rels/${part.slice(slash + 1)}.rels`;
};

/** Text of an element and its descendants, skipping Excel's phonetic guides. */
function textOf(element: XmlElement, ns: string): string {
  return element.children.map((child) => {
    if (typeof child === 'string') return '';
    if (child.ns === ns && child.local === 't') return child.children.filter((c) => typeof c === 'string').join('');
    if (child.ns === ns && (child.local === 'rPh' || child.local === 'phoneticPr')) return '';
    return textOf(child, ns);
  }).join('');
}

const columnIndex = (ref: string) => {
  const letters = /^[A-Z]+/.exec(ref.toUpperCase())?.[0] ?? '';
  return [...letters].reduce((n, c) => n * 26 + c.charCodeAt(0) - 64, 0) - 1;
};

/** The first worksheet of a workbook as rows of text (dates as yyyy-mm-dd); throws UnreadableFile when it is not one. */
export function readXlsx(bytes: Uint8Array): string[][] {
  const zip = zipDirectory(bytes, 'notXlsx');
  const xml = (name: string) => {
    const data = zip.read(name);
    if (!data) return undefined;
    try {
      return parseXml(new TextDecoder('utf-8', { fatal: true }).decode(data));
    } catch (error) {
      if (error instanceof XmlError || error instanceof TypeError) throw new UnreadableFile('notXlsx');
      throw error;
    }
  };
  const relationships = (part: string) => {
    const rels = xml(relsPath(part));
    return rels ? childrenOf(rels, PACKAGE_REL, 'Relationship').map((r) => ({ id: attribute(r, '', 'Id') ?? '', type: attribute(r, '', 'Type') ?? '', target: resolvePart(part, attribute(r, '', 'Target') ?? '') })) : [];
  };
  const workbookPath = relationships('').find((r) => r.type.endsWith('/officeDocument'))?.target ?? 'xl/workbook.xml';
  const workbook = xml(workbookPath);
  if (!workbook || workbook.local !== 'workbook') throw new UnreadableFile('notXlsx');
  const ns = workbook.ns;
  if (ns !== MAIN && ns !== STRICT_MAIN) throw new UnreadableFile('notXlsx');
  const date1904 = ['1', 'true'].includes(attribute(childOf(workbook, ns, 'workbookPr') ?? workbook, '', 'date1904') ?? '');
  const rels = relationships(workbookPath);
  const firstSheet = childrenOf(childOf(workbook, ns, 'sheets') ?? workbook, ns, 'sheet')[0];
  const sheetRelation = firstSheet ? attribute(firstSheet, REL, 'id') ?? firstSheet.attributes.find((a) => a.local === 'id')?.value : undefined;
  const sheetPath = rels.find((r) => r.id === sheetRelation)?.target;
  const sheet = sheetPath ? xml(sheetPath) : undefined;
  if (!sheet) throw new UnreadableFile('notXlsx');

  const sharedPath = rels.find((r) => r.type.endsWith('/sharedStrings'))?.target;
  const shared = sharedPath ? (xml(sharedPath)?.children ?? []).filter((c): c is XmlElement => typeof c !== 'string' && c.local === 'si').map((si) => fromExcelText(textOf(si, ns))) : [];
  const stylesPath = rels.find((r) => r.type.endsWith('/styles'))?.target;
  const styles = stylesPath ? xml(stylesPath) : undefined;
  const customFormats = new Map((styles ? descendantsOf(styles, ns, 'numFmt') : []).map((f) => [Number(attribute(f, '', 'numFmtId')), attribute(f, '', 'formatCode') ?? '']));
  const dateStyles = (styles ? childrenOf(childOf(styles, ns, 'cellXfs') ?? styles, ns, 'xf') : []).map((xf) => {
    const id = Number(attribute(xf, '', 'numFmtId') ?? 0);
    return BUILT_IN_DATES.has(id) || (customFormats.has(id) && isDateFormat(customFormats.get(id)!));
  });

  const rows: string[][] = [];
  for (const row of descendantsOf(childOf(sheet, ns, 'sheetData') ?? sheet, ns, 'row')) {
    const index = Number(attribute(row, '', 'r') ?? rows.length + 1) - 1;
    if (!Number.isInteger(index) || index < 0) throw new UnreadableFile('notXlsx');
    if (index >= MAX_ROWS) throw new UnreadableFile('tooManyRows', { max: MAX_ROWS });
    const cells: string[] = [];
    for (const cell of childrenOf(row, ns, 'c')) {
      const ref = attribute(cell, '', 'r');
      const column = ref ? columnIndex(ref) : cells.length;
      if (column < 0 || column > 16_383) throw new UnreadableFile('notXlsx');
      const type = attribute(cell, '', 't') ?? 'n';
      const value = childOf(cell, ns, 'v')?.children.filter((c) => typeof c === 'string').join('') ?? '';
      let text: string;
      if (type === 's') text = shared[Number(value)] ?? '';
      else if (type === 'inlineStr') text = fromExcelText(textOf(childOf(cell, ns, 'is') ?? cell, ns));
      else if (type === 'str' || type === 'e') text = fromExcelText(value);
      else if (type === 'b') text = value === '1' ? 'TRUE' : 'FALSE';
      else if (type === 'd') text = value.slice(0, 10);
      else if (value !== '' && dateStyles[Number(attribute(cell, '', 's') ?? 0)] && Number.isFinite(Number(value))) text = dateOfSerial(Number(value), date1904);
      else text = value === '' ? '' : String(Number(value));
      while (cells.length < column) cells.push('');
      cells[column] = text;
    }
    while (rows.length < index) rows.push([]);
    rows[index] = cells;
  }
  return rows;
}
