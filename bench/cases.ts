// The case file at national scale: on a fresh production-configured database
// per engine (an SQLite file; the PostgreSQL database `rasso_bench`, created
// and dropped here), a national directory (bench/seed.ts) and N synthetic
// cases (src/cases/synthetic), then
//   - seeding time and rate, and the database's size,
//   - the case page, My cases and the work queues, signed in as a real
//     investigator and a District Crown Prosecutor on those cases, against the
//     real server in a child process, beside bare Fastify in the same run,
//   - the deadline sweep over every open deadline, with the clock moved on a
//     year so that every step of every one of them is due.
// Run by `npm run bench` after the other benchmarks, or alone:
// `scripts/node bench/cases.ts`.
//   BENCH_CASES   cases to load (default 1,000,000; 0 skips this benchmark)
//   DATABASE_URL  also measure on PostgreSQL (its server; the database is `rasso_bench`)
//   BENCH_ENGINES which engines (default "sqlite,postgres")
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { sql } from 'kysely';
import { buildApp } from '../src/app.ts';
import { operatorContext } from '../src/platform/directory/service.ts';
import { loadConfig } from '../src/config.ts';
import type { Config } from '../src/config.ts';
import { registerCaseDeadlines } from '../src/cases/deadlines.ts';
import { createProgress } from '../src/cases/synthetic/progress.ts';
import { seedSyntheticCases } from '../src/cases/synthetic/service.ts';
import { openDatabase } from '../src/platform/db/database.ts';
import type { Engine } from '../src/platform/db/database.ts';
import { migrate } from '../src/platform/db/migrate.ts';
import { sweepDeadlines } from '../src/platform/deadlines/sweep.ts';
import { createPlatform } from '../src/platform/platform.ts';
import { addCalendarDays, londonDate } from '../src/platform/time/working-days.ts';
import { serveForBench } from './child.ts';
import { seedDirectory } from './seed.ts';

const BENCH_DATABASE = 'rasso_bench';
const SAMPLE_CASES = 200;

interface Person {
  readonly email: string;
  readonly password: string;
  readonly totpSecret: string;
}

interface Row {
  readonly name: string;
  readonly requestsPerSecond: number;
  readonly p50: number;
  readonly p99: number;
  readonly note?: string;
}

const number = (n: number) => Math.round(n).toLocaleString('en-GB');
const megabytes = (bytes: number) => `${(bytes / 2 ** 20).toLocaleString('en-GB', { maximumFractionDigits: 0 })} MiB`;

function casesWanted(): number {
  const value = Number((process.env.BENCH_CASES ?? '1000000').replaceAll(/[,_]/g, ''));
  if (!Number.isSafeInteger(value) || value < 0) throw new Error('BENCH_CASES must be a whole number (0 skips the case benchmark)');
  return value;
}

function benchConfig(engine: Engine, folder: string): Config {
  let url = '';
  if (engine === 'postgres') {
    const server = new URL(process.env.DATABASE_URL!);
    server.pathname = `/${BENCH_DATABASE}`;
    url = server.toString();
  }
  return loadConfig({
    ...process.env,
    NODE_ENV: 'production',
    LOG_LEVEL: 'silent',
    DEMO: 'false',
    JOBS: 'false',
    SECRET_KEY: randomBytes(32).toString('hex'),
    BASE_URL: 'https://rasso.bench.invalid',
    SQLITE_PATH: join(folder, 'rasso.sqlite'),
    DATABASE_URL: url,
  });
}

/** Runs SQL on the PostgreSQL server's maintenance database (to create and drop `rasso_bench`). */
async function onServer(statement: string): Promise<void> {
  const server = new URL(process.env.DATABASE_URL!);
  server.pathname = '/postgres';
  const client = new pg.Client({ connectionString: server.toString() });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}

interface Loaded {
  readonly seconds: number;
  readonly events: number;
  readonly deadlines: number;
  readonly bytes: number;
  readonly investigator: Person;
  readonly dcp: Person;
  readonly investigatorCases: readonly string[];
  readonly dcpCases: readonly string[];
  readonly investigatorTotal: number;
  readonly dcpTotal: number;
}

/** Migrates, loads the directory and the cases, and picks who to sign in as. */
async function load(engine: Engine, config: Config, cases: number): Promise<Loaded> {
  const database = await openDatabase({ url: config.databaseUrl, sqlitePath: config.sqlitePath });
  try {
    await migrate(database);
    const platform = createPlatform(config, database);
    const directory = await seedDirectory(platform, { cases });
    const progress = createProgress({ total: cases, label: `  ${engine} seeding`, tty: process.stderr.isTTY === true, write: (text) => process.stderr.write(text) });
    const started = performance.now();
    const result = await seedSyntheticCases(platform, { cases, seed: 1, context: operatorContext(), onProgress: (done) => progress.update(done) });
    progress.finish(result.cases);
    const seconds = (performance.now() - started) / 1000;
    const db = platform.db;
    const bytes = engine === 'postgres'
      ? Number((await sql<{ size: string }>`select pg_database_size(current_database()) as size`.execute(db)).rows[0]!.size)
      : ['', '-wal'].reduce((sum, suffix) => {
          try {
            return sum + statSync(`${config.sqlitePath}${suffix}`).size;
          } catch {
            return sum;
          }
        }, 0);
    // The investigator bench/seed.ts names, and a DCP (one who can sign in) on cases of the same force.
    const investigatorCases = await db.selectFrom('case_team').select('case_id').where('user_id', '=', directory.person.id).where('ended_at', 'is', null).orderBy('case_id').execute();
    if (investigatorCases.length === 0) throw new Error('The benchmark investigator is on no case team');
    const dcpRow = await db
      .selectFrom('case_team')
      .innerJoin('users', 'users.id', 'case_team.user_id')
      .innerJoin('cases', 'cases.id', 'case_team.case_id')
      .select(['users.id', 'users.email'])
      .where('case_team.case_role', '=', 'dcp')
      .where('cases.force_id', '=', directory.person.organisationId)
      // Someone who can sign in, not one of the workforce that only carries cases.
      .where('users.password_hash', 'is not', null)
      .limit(1)
      .executeTakeFirstOrThrow();
    const dcpCases = await db.selectFrom('case_team').select('case_id').where('user_id', '=', dcpRow.id).where('ended_at', 'is', null).orderBy('case_id').execute();
    const spread = (rows: { case_id: string }[]) => Array.from({ length: Math.min(SAMPLE_CASES, rows.length) }, (_, i) => rows[Math.floor((i * rows.length) / Math.min(SAMPLE_CASES, rows.length))]!.case_id);
    // Every bench person shares the password and authenticator secret (bench/seed.ts).
    return {
      seconds,
      events: result.events,
      deadlines: result.deadlines,
      bytes,
      investigator: directory.person,
      dcp: { email: dcpRow.email, password: directory.person.password, totpSecret: directory.person.totpSecret },
      investigatorCases: spread(investigatorCases),
      dcpCases: spread(dcpCases),
      investigatorTotal: investigatorCases.length,
      dcpTotal: dcpCases.length,
    };
  } finally {
    await database.close();
  }
}

/** The deadline sweep with the clock a year on: every step of every open deadline is due. */
async function sweep(config: Config): Promise<{ open: number; seconds: number; escalations: number; notifications: number }> {
  const database = await openDatabase({ url: config.databaseUrl, sqlitePath: config.sqlitePath });
  try {
    registerCaseDeadlines();
    const platform = createPlatform(config, database);
    const open = Number((await platform.db.selectFrom('deadlines').select((eb) => eb.fn.countAll().as('n')).where('status', '=', 'open').executeTakeFirstOrThrow()).n);
    const later = new Date(`${addCalendarDays(londonDate(new Date()), 366)}T09:00:00Z`);
    const started = performance.now();
    const result = await sweepDeadlines(platform, later);
    return { open, seconds: (performance.now() - started) / 1000, escalations: result.escalations, notifications: result.notifications };
  } finally {
    await database.close();
  }
}

/** What bench/run.ts lends: starting a server process, signing in, and one autocannon measurement. */
export type Helpers = Pick<typeof import('./run.ts'), 'measure' | 'signIn' | 'start'>;

async function measureEngine(helpers: Helpers, engine: Engine, cases: number, baseline: Row, lines: string[]): Promise<Row[]> {
  const { measure, signIn, start } = helpers;
  const folder = mkdtempSync(join(tmpdir(), 'rasso-bench-cases-'));
  const config = benchConfig(engine, folder);
  const label = engine === 'sqlite' ? 'SQLite' : 'PostgreSQL';
  if (engine === 'postgres') {
    await onServer(`drop database if exists ${BENCH_DATABASE}`);
    await onServer(`create database ${BENCH_DATABASE}`);
  }
  try {
    console.log(`  ${label}: loading ${number(cases)} cases…`);
    const loaded = await load(engine, config, cases);
    lines.push(
      `${label}: seeded ${number(cases)} cases (${number(loaded.events)} journal events, ${number(loaded.deadlines)} open deadlines) in ${loaded.seconds.toFixed(0)} s, ` +
        `${number(cases / loaded.seconds)} cases/s (${number(loaded.events / loaded.seconds)} events/s); database ${megabytes(loaded.bytes)}. ` +
        `The investigator has ${number(loaded.investigatorTotal)} cases, the DCP ${number(loaded.dcpTotal)}.`,
    );
    const rows: Row[] = [];
    const server = await start<Record<string, never>>('./cases.ts', {
      BENCH_CASES_SERVER: '1',
      NODE_ENV: 'production', LOG_LEVEL: 'silent', DEMO: 'false', JOBS: 'false',
      SECRET_KEY: config.secretKey.toString('hex'), BASE_URL: config.baseUrl, SQLITE_PATH: config.sqlitePath, DATABASE_URL: config.databaseUrl ?? '',
    });
    try {
      const ratio = (m: Row): Row => ({ ...m, note: `${(m.requestsPerSecond / baseline.requestsPerSecond).toFixed(3)}×` });
      // A page too slow to answer at this scale is reported, not allowed to end the benchmark.
      const attempt = async (name: string, url: string, cookie: string, paths?: readonly string[]) => {
        try {
          rows.push(ratio(await measure(name, url, { cookie }, paths)));
        } catch (error) {
          lines.push(`${name}: not measured: ${(error as Error).message}`);
        }
      };
      for (const [who, person, caseIds, queue] of [
        ['investigator', loaded.investigator, loaded.investigatorCases, '/cases/queues/overdue'],
        ['DCP', loaded.dcp, loaded.dcpCases, '/cases/queues/unit'],
      ] as const) {
        const cookie = await signIn(server.base, person);
        await attempt(`Case page (GET /cases/:id, ${caseIds.length} of their cases), ${who}, ${label}`, server.base, cookie, caseIds.map((id) => `/cases/${id}`));
        await attempt(`My cases (GET /cases), ${who}, ${label}`, `${server.base}/cases`, cookie);
        const probe = await fetch(`${server.base}${queue}`, { headers: { cookie } });
        await probe.arrayBuffer();
        if (probe.status === 200) await attempt(`Work queue (GET ${queue}), ${who}, ${label}`, `${server.base}${queue}`, cookie);
        else lines.push(`${label}: work queue ${queue} answered ${probe.status} for the ${who}: not measured.`);
      }
    } finally {
      await server.stop();
    }
    const swept = await sweep(config);
    lines.push(
      `${label}: deadline sweep over ${number(swept.open)} open deadlines with the clock a year on: ${swept.seconds.toFixed(1)} s, ` +
        `${number(swept.open / swept.seconds)} deadlines/s (${number(swept.escalations)} escalation steps, ${number(swept.notifications)} notifications and as many emails).`,
    );
    return rows;
  } finally {
    rmSync(folder, { recursive: true, force: true });
    if (engine === 'postgres') await onServer(`drop database if exists ${BENCH_DATABASE}`);
  }
}

function markdown(rows: Row[]): string {
  const head = ['', 'requests/s', 'p50 ms', 'p99 ms', 'throughput vs baseline'];
  const body = rows.map((r) => [r.name, r.requestsPerSecond.toFixed(0), r.p50 < 1 ? '<1' : r.p50.toFixed(0), r.p99 < 1 ? '<1' : r.p99.toFixed(0), r.note ?? '1×']);
  return [head, head.map(() => '---'), ...body].map((row) => `| ${row.join(' | ')} |`).join('\n');
}

/** The benchmark: called by bench/run.ts (with its helpers: it cannot import them while it runs), or run alone. */
export async function benchCases(given?: Helpers): Promise<void> {
  const cases = casesWanted();
  console.log();
  if (cases === 0) {
    console.log('Case benchmark: skipped (BENCH_CASES=0)');
    return;
  }
  console.log(`Case benchmark: ${number(cases)} synthetic cases on each engine`);
  const chosen = (process.env.BENCH_ENGINES ?? 'sqlite,postgres').split(',').map((e) => e.trim());
  const engines = (['sqlite', 'postgres'] as const).filter((engine) => chosen.includes(engine) && (engine === 'sqlite' || process.env.DATABASE_URL));
  if (!process.env.DATABASE_URL) console.log('PostgreSQL: not measured (set DATABASE_URL to include it)');
  const helpers = given ?? (await import('./run.ts'));
  const { measure, start } = helpers;
  const hello = await start<Record<string, never>>('./hello-server.ts');
  let baseline: Row;
  try {
    baseline = await measure('Bare Fastify hello world (baseline)', `${hello.base}/`);
  } finally {
    await hello.stop();
  }
  const rows: Row[] = [baseline];
  const lines: string[] = [];
  for (const engine of engines) rows.push(...(await measureEngine(helpers, engine, cases, baseline, lines)));
  console.log();
  console.log(markdown(rows));
  console.log();
  for (const line of lines) console.log(`- ${line}`);
}

/** In the child process: the real app on the loaded database. */
async function serveLoaded(): Promise<void> {
  const config = loadConfig(process.env);
  const database = await openDatabase({ url: config.databaseUrl, sqlitePath: config.sqlitePath });
  const platform = createPlatform(config, database);
  const { app } = await buildApp(platform);
  await serveForBench(app, {}, () => database.close());
}

if (process.env.BENCH_CASES_SERVER === '1') await serveLoaded();
else if (import.meta.main) await benchCases();
