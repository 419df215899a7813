// Reading and writing plans' files without a database: CSV's quoting, byte
// order mark and line breaks; workbooks saved by LibreOffice (shared strings,
// dates as date cells, repeated rows) read back as the plan they hold; what
// Excel writes (rich text, phonetic guides, a prefixed namespace, the 1904
// date system, date-formatted serials); the package our own writers make
// (content types, the ODF mimetype first and stored); and files that are not
// what they claim (a DTD, a zip bomb, a truncated zip) refused in words.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { deflateSync, strToU8, unzipSync } from 'fflate';
import { planTable, readPlanTable } from '../model.ts';
import type { ExchangePlan } from '../model.ts';
import { readCsv, writeCsv } from './csv.ts';
import { readTable, writeTable } from './exchange.ts';
import { UnreadableFile } from './unreadable.ts';
import { parseXml, XmlError } from './xml.ts';
import { writeZip, zipDirectory } from './zip.ts';

const fixture = (name: string) => readFileSync(new URL(`./fixtures/${name}`, import.meta.url));

/** The plan the LibreOffice fixtures hold: LibreOffice made them from this plan's CSV, as a person would by opening and saving it. */
const welshPlan: ExchangePlan = {
  title: 'Cynllun Gweithredu RASSO Gogledd Cymru 2026/27', level: 'force', period: '2026/27', owners: ['Heddlu Gogledd Cymru', 'CPS Cymru-Wales'], statusScheme: 'rag', reviewCycleMonths: 6, source: null,
  themes: [
    {
      title: 'Cefnogi dioddefwyr', description: 'Gwella’r cyfathrebu â dioddefwyr: ŵ, ŷ, â, ê, î, ô, û.', actions: [
        { number: 1, text: 'Cyfieithu’r llythyrau "Helo" a NFA, gyda, atalnodau', owners: ['Heddlu Gogledd Cymru'], leadEmail: null, targetOn: '2027-03-31', status: 'amber', withdrawnOn: null, update: { text: 'Drafftiau’n barod.\nAros am adolygiad.', on: '2026-04-01', label: null } },
        { number: 2, text: '=1+1 should stay text', owners: [], leadEmail: null, targetOn: null, status: 'complete', withdrawnOn: '2026-05-05', update: { text: 'Merged into action 1.', on: null, label: 'Spring 2026 progress report' } },
      ],
    },
    {
      title: 'Casework quality', description: null, actions: [
        { number: 3, text: 'Joint file quality checks, monthly', owners: ['CPS Cymru-Wales', 'Heddlu Gogledd Cymru'], leadEmail: null, targetOn: '2026-12-01', status: 'red', withdrawnOn: null, update: null },
      ],
    },
  ],
};

const read = (table: string[][]) => readPlanTable(table, { leads: new Map(), ownerKind: 'police_force' });
const document = (plan: ExchangePlan) => ({ title: plan.title, creator: 'RASSO platform', sheetName: 'Plan', rows: planTable(plan), widths: planTable(plan)[0]!.map(() => 20) });

function unreadable(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    if (error instanceof UnreadableFile) return error.message;
    throw error;
  }
  throw new Error('expected the file to be refused');
}

test('CSV: quotes, commas, line breaks, a byte order mark, Welsh letters and would-be formulas', () => {
  const rows = [['Plan title', 'Action'], ['Cynllun “Cymru”, ŵ ŷ', 'Line one\r\nline two, with "quotes"'], ['  spaced  ', '@SUM(1)'], ['-1', "'=already quoted"]];
  const bytes = writeCsv(rows);
  const text = bytes.toString('utf8');
  assert.ok(text.startsWith('\uFEFFPlan title,Action\r\n'));
  assert.ok(text.includes('"Line one\r\nline two, with ""quotes"""'));
  assert.ok(text.includes(`'@SUM(1)`) && text.includes(`''=already quoted`) && text.includes(`'-1`));
  assert.deepEqual(readCsv(bytes), [['Plan title', 'Action'], ['Cynllun “Cymru”, ŵ ŷ', 'Line one\r\nline two, with "quotes"'], ['  spaced  ', `'@SUM(1)`], [`'-1`, `''=already quoted`]]);
  // Without a byte order mark, with LF line ends and a last line without one.
  assert.deepEqual(readCsv(Buffer.from('a,"b\nc"\nd,')), [['a', 'b\nc'], ['d', '']]);
  assert.equal(unreadable(() => readCsv(Buffer.from('a,"b'))), 'The file is not valid CSV: a quoted value starting on row 1 is never closed');
  assert.match(unreadable(() => readCsv(Buffer.from([0xff, 0xfe, 0x41, 0x00]))), /not UTF-8 text/);
});

test('every format carries a plan through whole, apostrophes and all', () => {
  const plan: ExchangePlan = { ...welshPlan, themes: [{ ...welshPlan.themes[0]!, actions: [{ ...welshPlan.themes[0]!.actions[0]!, text: "'=not a formula, and 'quoted'  twice\tover" }] }] };
  for (const format of ['csv', 'xlsx', 'ods'] as const) {
    const { plan: back, problems } = read(readTable(format, writeTable(format, document(plan), new Date('2026-03-10T12:00:00Z'))));
    assert.deepEqual(problems, [], format);
    assert.deepEqual(back, plan, format);
  }
});

test('workbooks LibreOffice saved from a plan’s CSV read back as the plan', () => {
  for (const name of ['fixture.xlsx', 'fixture.ods']) {
    const { plan, problems } = read(readTable(name.endsWith('xlsx') ? 'xlsx' : 'ods', fixture(name)));
    assert.deepEqual(problems, [], name);
    assert.deepEqual(plan, welshPlan, name);
  }
});

test('what Excel writes: shared rich text, phonetic guides, prefixed elements, the 1904 date system, dates as serials', () => {
  const main = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
  const heads = planTable(welshPlan)[0] as string[];
  const values: Record<string, string> = {
    'Plan title': 'Excel plan', 'Plan level': 'force', Period: '2026', 'Status scheme': 'rag', 'Review cycle (months)': '6', Theme: 'Victims', 'Action number': '1', Action: 'Do it', Status: 'GREEN',
  };
  const shared = [...heads, ...Object.values(values)];
  const cell = (column: number, row: number, index: number) => `<x:c r="${String.fromCharCode(65 + column)}${row}" t="s"><x:v>${index}</x:v></x:c>`;
  const headRow = heads.map((_, c) => cell(c, 1, c)).join('');
  const dataRow = heads.map((heading, c) => {
    if (heading === 'Target date') return `<x:c r="${String.fromCharCode(65 + c)}2" s="1"><x:v>45015</x:v></x:c>`; // 2027-03-31 in the 1904 system (46477 in the 1900 one)
    if (heading === 'Review cycle (months)') return `<x:c r="${String.fromCharCode(65 + c)}2"><x:v>6</x:v></x:c>`;
    const at = Object.keys(values).indexOf(heading);
    return at < 0 ? '' : cell(c, 2, heads.length + at);
  }).join('');
  const sharedXml = shared.map((text, i) => (i === 0 ? `<x:si><x:r><x:t>${text.slice(0, 4)}</x:t></x:r><x:r><x:rPr><x:b/></x:rPr><x:t xml:space="preserve">${text.slice(4)}</x:t></x:r><x:rPh sb="0" eb="1"><x:t>ぷ</x:t></x:rPh></x:si>` : `<x:si><x:t>${text}</x:t></x:si>`)).join('');
  const bytes = writeZip([
    { name: '[Content_Types].xml', bytes: strToU8('<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>') },
    { name: '_rels/.rels', bytes: strToU8('<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="r" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="/xl/workbook.xml"/></Relationships>') },
    { name: 'xl/workbook.xml', bytes: strToU8(`<x:workbook xmlns:x="${main}" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><x:workbookPr date1904="1"/><x:sheets><x:sheet name="Actions" sheetId="7" r:id="rId9"/></x:sheets></x:workbook>`) },
    { name: 'xl/_rels/workbook.xml.rels', bytes: strToU8('<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId9" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="sheets/first.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="strings.xml"/><Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/></Relationships>') },
    { name: 'xl/strings.xml', bytes: strToU8(`<x:sst xmlns:x="${main}">${sharedXml}</x:sst>`) },
    { name: 'xl/styles.xml', bytes: strToU8(`<x:styleSheet xmlns:x="${main}"><x:cellXfs><x:xf numFmtId="0"/><x:xf numFmtId="14"/></x:cellXfs></x:styleSheet>`) },
    { name: 'xl/sheets/first.xml', bytes: strToU8(`<x:worksheet xmlns:x="${main}"><x:sheetData><x:row r="1">${headRow}</x:row><x:row r="2">${dataRow}</x:row></x:sheetData></x:worksheet>`) },
  ], new Date());
  const { plan, problems } = read(readTable('xlsx', bytes));
  assert.deepEqual(problems, []);
  assert.equal(plan!.title, 'Excel plan');
  assert.deepEqual(plan!.themes[0]!.actions[0], { number: 1, text: 'Do it', owners: [], leadEmail: null, targetOn: '2027-03-31', status: 'green', withdrawnOn: null, update: null });
});

test('our packages: content types and relationships for Excel, the ODF mimetype first and stored', () => {
  const at = new Date('2026-03-10T12:00:00Z');
  const xlsx = unzipSync(writeTable('xlsx', document(welshPlan), at));
  assert.match(new TextDecoder().decode(xlsx['[Content_Types].xml']), /PartName="\/xl\/worksheets\/sheet1.xml" ContentType="application\/vnd.openxmlformats-officedocument.spreadsheetml.worksheet\+xml"/);
  for (const part of ['_rels/.rels', 'xl/workbook.xml', 'xl/_rels/workbook.xml.rels', 'xl/styles.xml', 'xl/worksheets/sheet1.xml', 'docProps/core.xml', 'docProps/app.xml']) {
    assert.ok(xlsx[part], part);
    parseXml(new TextDecoder().decode(xlsx[part]));
  }
  const ods = writeTable('ods', document(welshPlan), at);
  // The mimetype is the first entry, stored (method 0), with no extra field, so its text sits at byte 38.
  assert.equal(ods.subarray(30, 38).toString(), 'mimetype');
  assert.equal(ods.readUInt16LE(8), 0);
  assert.equal(ods.readUInt16LE(28), 0);
  assert.equal(ods.subarray(38, 38 + 46).toString(), 'application/vnd.oasis.opendocument.spreadsheet');
  const entries = unzipSync(ods);
  assert.match(new TextDecoder().decode(entries['META-INF/manifest.xml']), /manifest:full-path="\/" manifest:version="1.3" manifest:media-type="application\/vnd.oasis.opendocument.spreadsheet"/);
  assert.match(new TextDecoder().decode(entries['content.xml']), /office:value-type="date" office:date-value="2027-03-31"/);
});

test('files that are not what they claim are refused in words', () => {
  assert.throws(() => parseXml('<!DOCTYPE x [<!ENTITY a "aaaa">]><x>&a;</x>'), XmlError);
  assert.throws(() => parseXml('<a><b></a>'), XmlError);
  assert.equal(parseXml('<a xmlns="urn:x">1 &lt; 2 &amp; &#x175;</a>').children.join(''), '1 < 2 & ŵ');
  const notXlsx = 'The selected file is not an Excel workbook (.xlsx) that can be read: save it again from your spreadsheet program';
  assert.equal(unreadable(() => readTable('xlsx', Buffer.from('PK\u0003\u0004 not really a zip'))), notXlsx);
  const doctype = writeZip([{ name: '_rels/.rels', bytes: strToU8('<!DOCTYPE r SYSTEM "file:///etc/passwd"><r/>') }], new Date());
  assert.equal(unreadable(() => readTable('xlsx', doctype)), notXlsx);
  assert.equal(unreadable(() => readTable('ods', writeZip([{ name: 'mimetype', bytes: strToU8('text/plain'), stored: true }], new Date()))), 'The selected file is not an OpenDocument spreadsheet (.ods) that can be read: save it again from your spreadsheet program');

  // A zip bomb: a small entry that says it is small and inflates to 64 MiB of zeros.
  const bomb = writeZip([{ name: 'content.xml', bytes: new Uint8Array(1) }], new Date());
  const huge = deflateSync(new Uint8Array(64 * 1024 * 1024));
  const local = 30 + 'content.xml'.length;
  const patched = Buffer.concat([bomb.subarray(0, local), huge, bomb.subarray(local + bomb.readUInt32LE(18))]);
  patched.writeUInt32LE(huge.length, 18);
  const central = patched.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]));
  patched.writeUInt32LE(huge.length, central + 20);
  patched.writeUInt32LE(central, patched.length - 22 + 16);
  assert.equal(zipDirectory(patched, 'notOds').names[0], 'content.xml');
  assert.equal(unreadable(() => zipDirectory(patched, 'notOds').read('content.xml')), 'The selected file unpacks to more than 32 MB, far more than a plan needs: check it is the right file');
});
