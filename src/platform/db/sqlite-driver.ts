// A SQLite driver for Kysely that serialises access to the one connection.
// Kysely's own SQLite driver hands the same connection to every caller, so two
// requests awaiting inside transactions could interleave their statements.
// Here a caller holds the connection until it releases it, and transactions
// begin IMMEDIATE so a second process (the CLI beside the server) waits on the
// busy timeout instead of failing when it upgrades a read lock to a write lock.
import { CompiledQuery, SqliteDialect, SqliteDriver } from 'kysely';
import type { DatabaseConnection, Driver } from 'kysely';
import type BetterSqlite3 from 'better-sqlite3';

class Mutex {
  #tail: Promise<void> = Promise.resolve();
  #release: (() => void) | undefined;

  async lock(): Promise<void> {
    const previous = this.#tail;
    let release!: () => void;
    this.#tail = new Promise<void>((resolve) => {
      release = resolve;
    });
    await previous;
    this.#release = release;
  }

  unlock(): void {
    const release = this.#release;
    this.#release = undefined;
    release?.();
  }
}

class SerialisedSqliteDriver extends SqliteDriver {
  readonly #mutex = new Mutex();

  override async acquireConnection(): Promise<DatabaseConnection> {
    await this.#mutex.lock();
    return super.acquireConnection();
  }

  override async releaseConnection(): Promise<void> {
    this.#mutex.unlock();
  }

  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('begin immediate'));
  }
}

/**
 * Kysely prepares a new statement for every query. better-sqlite3 frees a
 * statement's native memory only when the garbage collector gets to its small
 * JavaScript wrapper, so under load memory grows by gigabytes. Reusing
 * statements by their SQL text (the same few hundred, with different
 * parameters) keeps memory flat and saves the parse.
 */
export function reusePreparedStatements(database: BetterSqlite3.Database, capacity = 500): BetterSqlite3.Database {
  const prepare = database.prepare.bind(database);
  const statements = new Map<string, BetterSqlite3.Statement>();
  database.prepare = ((source: string) => {
    let statement = statements.get(source);
    if (statement) {
      // Most recently used last, so the first entry is the one to evict.
      statements.delete(source);
    } else {
      statement = prepare(source);
      if (statements.size >= capacity) statements.delete(statements.keys().next().value!);
    }
    statements.set(source, statement);
    return statement;
  }) as typeof database.prepare;
  return database;
}

export class SerialisedSqliteDialect extends SqliteDialect {
  readonly #database: BetterSqlite3.Database;

  constructor(database: BetterSqlite3.Database) {
    super({ database });
    this.#database = reusePreparedStatements(database);
  }

  override createDriver(): Driver {
    return new SerialisedSqliteDriver({ database: this.#database });
  }
}
