import { test } from 'node:test';
import assert from 'node:assert/strict';
import BetterSqlite3 from 'better-sqlite3';
import { reusePreparedStatements } from './sqlite-driver.ts';

test('statements are reused by their SQL text, and the least recently used is evicted', () => {
  const database = reusePreparedStatements(new BetterSqlite3(':memory:'), 2);
  const first = database.prepare('select 1 as n');
  assert.equal(database.prepare('select 1 as n'), first);
  const second = database.prepare('select 2 as n');
  database.prepare('select 1 as n'); // now the most recently used
  database.prepare('select 3 as n'); // evicts 'select 2'
  assert.equal(database.prepare('select 1 as n'), first);
  assert.notEqual(database.prepare('select 2 as n'), second);
  assert.deepEqual(database.prepare('select 1 as n').get(), { n: 1 });
  database.close();
});
