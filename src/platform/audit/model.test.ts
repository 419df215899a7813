import { test } from 'node:test';
import assert from 'node:assert/strict';
import { instantRange, londonDayStart, readDateParts, readFilters, searchAddress } from './model.ts';

test('a London day starts at midnight UTC in winter and 23:00 UTC the day before in summer', () => {
  assert.equal(londonDayStart('2025-01-15'), '2025-01-15T00:00:00.000Z');
  assert.equal(londonDayStart('2025-07-01'), '2025-06-30T23:00:00.000Z');
  // The days the clocks change: 30 March 2025 starts in GMT, 26 October 2025 in BST.
  assert.equal(londonDayStart('2025-03-30'), '2025-03-30T00:00:00.000Z');
  assert.equal(londonDayStart('2025-03-31'), '2025-03-30T23:00:00.000Z');
  assert.equal(londonDayStart('2025-10-26'), '2025-10-25T23:00:00.000Z');
  assert.equal(londonDayStart('2025-10-27'), '2025-10-27T00:00:00.000Z');
});

test('a search by dates covers the whole of each London day, "to" included', () => {
  assert.deepEqual(instantRange({ from: '2025-07-01', to: '2025-07-01' }), { from: '2025-06-30T23:00:00.000Z', until: '2025-07-01T23:00:00.000Z' });
  assert.deepEqual(instantRange({}), {});
});

test('GOV.UK date inputs: empty, real, incomplete or impossible', () => {
  assert.deepEqual(readDateParts({ day: '', month: ' ', year: '' }, 'Date from'), {});
  assert.deepEqual(readDateParts({ day: '9', month: '3', year: '2025' }, 'Date from'), { date: '2025-03-09' });
  assert.deepEqual(readDateParts({ day: '29', month: '2', year: '2024' }, 'Date from'), { date: '2024-02-29' });
  assert.deepEqual(readDateParts({ day: '29', month: '2', year: '2025' }, 'Date from'), { error: 'Date from must be a real date' });
  assert.deepEqual(readDateParts({ day: '1', month: '', year: '' }, 'Date to'), { error: 'Date to must include a month and year' });
  assert.deepEqual(readDateParts({ day: 'one', month: '2', year: '2025' }, 'Date to'), { error: 'Date to must be a real date' });
  assert.deepEqual(readDateParts({ day: '1', month: '2', year: '25' }, 'Date to'), { error: 'Date to must be a real date' });
});

test('a search address holds only ids, actions, dates and page numbers, and reads back as it was written', () => {
  const filters = { person: '0190c3e2-7a41-7c3d-9b52-1f0e6a8d4c21', action: 'consult', from: '2025-03-01' } as const;
  const address = searchAddress('/audit', filters, { before: 40 });
  assert.equal(address, '/audit?person=0190c3e2-7a41-7c3d-9b52-1f0e6a8d4c21&action=consult&from=2025-03-01&before=40');
  const read = readFilters(Object.fromEntries(new URL(address, 'http://x').searchParams));
  assert.deepEqual(read.errors, []);
  assert.deepEqual(read.cursor, { before: 40, after: undefined });
  assert.equal(read.filters.person, filters.person);

  const refused = readFilters({ person: 'someone@example.org', subject: 'Jane Smith', object: ['a', 'b'], to: '2025-13-01', after: '-1' });
  assert.deepEqual(refused.errors.map((e) => e.field).sort(), ['after', 'object', 'person', 'subject', 'to']);
  assert.deepEqual(refused.filters, { person: undefined, action: undefined, object: undefined, subject: undefined, from: undefined, to: undefined });
});
