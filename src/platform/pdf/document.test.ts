// The platform's accessible PDFs: a tagged document with its title and
// language, and a table whose row is taller than a page carrying on to the
// next one with nothing lost, its headings repeated there as page furniture.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readPdf } from '../../../test/support/pdf.ts';
import { heading, paragraph, taggedPdf } from './document.ts';
import { taggedTable, wrapText } from './table.ts';

test('a tagged table keeps every word of a row taller than a page', async () => {
  const long = Array.from({ length: 400 }, (_, i) => `word${i}`).join(' ');
  const bytes = await taggedPdf({ title: 'Table test', language: 'cy', creator: 'RASSO platform', layout: 'landscape', margin: 40 }, (doc, root) => {
    heading(doc, root, 1, 'Prawf tabl: ŵ ŷ');
    paragraph(doc, root, 'A paragraph before the table.');
    taggedTable(doc, root, {
      columns: [{ heading: 'Action', weight: 1 }, { heading: 'Update', weight: 1 }],
      rows: [[{ text: '1. Short', rowHeader: true }, { text: long }], [{ text: '2. After', rowHeader: true }, { text: 'Done.' }]],
    });
  });
  const pdf = await readPdf(bytes);
  assert.equal(pdf.title, 'Table test');
  assert.equal(pdf.marked, true);
  assert.ok(bytes.includes('/Lang (cy)'));
  assert.ok(pdf.pages >= 2, 'the long row carried on to another page');
  for (let i = 0; i < 400; i++) assert.ok(pdf.text.includes(`word${i} `), `word${i}`);
  assert.match(pdf.text, /Prawf tabl: ŵ ŷ/);
  assert.match(pdf.text, /2\. After Done\./);
  const tree = JSON.stringify(pdf.tree);
  for (const role of ['"Document"', '"H1"', '"P"', '"Table"', '"TR"', '"TH"', '"TD"']) assert.ok(tree.includes(role), role);
});

test('text is wrapped at spaces and its own line breaks, and a word longer than a line is broken', async () => {
  await taggedPdf({ title: 'Wrap', language: 'en-GB', creator: 'test' }, (doc) => {
    doc.fontSize(10);
    const lines = wrapText(doc, `one two three\nfour ${'x'.repeat(200)}`, 100);
    assert.equal(lines[0], 'one two three');
    assert.ok(lines.length > 3);
    assert.ok(lines.every((line) => doc.widthOfString(line) <= 100));
    assert.equal(lines.join('').replace(/ /g, ''), `onetwothreefour${'x'.repeat(200)}`);
  });
});
