import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { engines, testDatabase } from '../../../test/support/databases.ts';
import { migrate, migrationNames } from './migrate.ts';

for (const engine of engines) {
  test(`${engine}: migrations apply once and record each name`, async () => {
    const database = await testDatabase(engine, { migrated: false });
    try {
      const [first, second] = await Promise.all([migrate(database), migrate(database)]);
      assert.deepEqual([...first, ...second].sort(), migrationNames());
      assert.deepEqual(await migrate(database), []);
      const rows = await database.db.selectFrom('schema_migrations').select('name').orderBy('name').execute();
      assert.deepEqual(rows.map((r) => r.name), migrationNames());
    } finally {
      await database.dispose();
    }
  });

  test(`${engine}: a failing migration leaves nothing behind`, async () => {
    const database = await testDatabase(engine, { migrated: false });
    const directory = mkdtempSync(join(tmpdir(), 'rasso-migrations-'));
    try {
      writeFileSync(join(directory, '0001_good.ts'), "export async function up(db) { await db.schema.createTable('half_made').addColumn('id', 'text').execute(); }\n");
      writeFileSync(join(directory, '0002_bad.ts'), "export async function up(db) { await db.schema.alterTable('no_such_table').addColumn('x', 'text').execute(); }\n");
      await assert.rejects(migrate(database, directory));
      const tables = engine === 'sqlite'
        ? await sql<{ name: string }>`select name from sqlite_master where name in ('half_made', 'schema_migrations')`.execute(database.db)
        : await sql<{ name: string }>`select table_name as name from information_schema.tables where table_name in ('half_made', 'schema_migrations') and table_schema = ${database.schema!}`.execute(database.db);
      assert.deepEqual(tables.rows, []);
    } finally {
      rmSync(directory, { recursive: true, force: true });
      await database.dispose();
    }
  });
}
