// Durability: the real server, as a separate process, takes concurrent
// writes over HTTP and is killed with SIGKILL in the middle of them. After a
// restart on the same database, every write it acknowledged is there, the
// audit journal verifies, and (SQLite) the file passes integrity_check.
//
// The writes are an administrator adding teams (one transaction: the team
// and its audit entry) and people getting past the password step of signing
// in (a session and its audit entry). A write is acknowledged when the
// server has answered it with its redirect.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import pg from 'pg';
import { loadConfig } from '../src/config.ts';
import { verifyJournal } from '../src/platform/audit/service.ts';
import { hashToken } from '../src/platform/auth/model.ts';
import { totpCode } from '../src/platform/auth/totp.ts';
import { openDatabase } from '../src/platform/db/database.ts';
import type { Engine } from '../src/platform/db/database.ts';
import { DEMO_PASSWORD, demoPeople, demoTotpSecret } from '../src/platform/demo/data.ts';
import { engines } from './support/databases.ts';

const ROOT = new URL('..', import.meta.url).pathname;
const SECRET_KEY = randomBytes(32).toString('hex');
/** Stop writing and kill the server once this many writes have been acknowledged. */
const ACKNOWLEDGED_BEFORE_KILL = 120;
const WRITERS = 8;

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

interface Server {
  readonly child: ChildProcess;
  readonly base: string;
  readonly exited: Promise<number | null>;
  output(): string;
}

async function startServer(env: NodeJS.ProcessEnv): Promise<Server> {
  const port = await freePort();
  const child = spawn(process.execPath, ['src/server.ts'], {
    cwd: ROOT,
    env: { PATH: process.env.PATH, ...env, PORT: String(port), HOST: '127.0.0.1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const base = `http://127.0.0.1:${port}`;
  // Bounded wait for readiness: migrations, demo seeding and start-up checks.
  for (let attempt = 0; attempt < 300; attempt += 1) {
    if (child.exitCode !== null) break;
    const ready = await fetch(`${base}/ready`).then((r) => r.status === 200, () => false);
    if (ready) return { child, base, exited, output: () => output };
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  child.kill('SIGKILL');
  throw new Error(`The server did not become ready:\n${output}`);
}

/** A cookie jar of one: the name=value pairs a response sets, merged into what we had. */
function withCookies(jar: string, response: Response): string {
  const cookies = new Map(jar.split('; ').filter(Boolean).map((pair) => [pair.split('=')[0]!, pair] as const));
  for (const header of response.headers.getSetCookie()) {
    const pair = header.split(';')[0]!;
    const name = pair.split('=')[0]!;
    if (pair.endsWith('=')) cookies.delete(name);
    else cookies.set(name, pair);
  }
  return [...cookies.values()].join('; ');
}

function csrfIn(html: string): string {
  const match = /name="_csrf" value="([^"]+)"/.exec(html);
  if (!match) throw new Error('no CSRF token on the page');
  return match[1]!;
}

const form = (fields: Record<string, string>) => ({ 'content-type': 'application/x-www-form-urlencoded', body: new URLSearchParams(fields).toString() });

async function post(base: string, path: string, cookie: string, fields: Record<string, string>): Promise<Response> {
  const { body, ...type } = form(fields);
  return fetch(`${base}${path}`, { method: 'POST', redirect: 'manual', headers: { cookie, ...type }, body });
}

/** The password step: acknowledged with a redirect that carries a new session. Returns the cookie jar. */
async function passwordStep(base: string, email: string): Promise<{ status: number; cookie: string }> {
  const page = await fetch(`${base}/sign-in`);
  let cookie = withCookies('', page);
  const response = await post(base, '/sign-in', cookie, { _csrf: csrfIn(await page.text()), email, password: DEMO_PASSWORD });
  cookie = withCookies(cookie, response);
  return { status: response.status, cookie };
}

async function signIn(base: string, email: string): Promise<{ cookie: string; csrfToken: string }> {
  let { cookie } = await passwordStep(base, email);
  const codePage = await fetch(`${base}/sign-in/code`, { headers: { cookie } });
  const code = await post(base, '/sign-in/code', cookie, { _csrf: csrfIn(await codePage.text()), code: totpCode(demoTotpSecret(email), new Date()) });
  assert.equal(code.status, 303, 'the demo administrator signs in');
  cookie = withCookies(cookie, code);
  const home = await fetch(`${base}/`, { headers: { cookie } });
  return { cookie, csrfToken: csrfIn(await home.text()) };
}

const sessionToken = (cookie: string) => /rasso-session=([^;]+)/.exec(cookie)?.[1];

async function crashDuringWrites(engine: Engine) {
  const dir = mkdtempSync(join(tmpdir(), 'rasso-crash-'));
  const schema = `crash_${randomBytes(6).toString('hex')}`;
  const baseUrl = process.env.DATABASE_URL ?? '';
  const env: NodeJS.ProcessEnv = {
    NODE_ENV: 'development',
    DEMO: 'true',
    LOG_LEVEL: 'warn',
    SECRET_KEY,
    SIGN_IN_RATE_LIMIT: '100000',
    SQLITE_PATH: join(dir, 'rasso.sqlite'),
    ...(engine === 'postgres' ? { DATABASE_URL: `${baseUrl}${baseUrl.includes('?') ? '&' : '?'}options=${encodeURIComponent(`-c search_path=${schema}`)}` } : {}),
  };
  if (engine === 'postgres') {
    const client = new pg.Client({ connectionString: baseUrl });
    await client.connect();
    await client.query(`create schema ${schema}`);
    await client.end();
  }
  let server: Server | undefined;
  try {
    server = await startServer(env);
    const administrator = demoPeople.find((person) => person.roles.some(([, role]) => role === 'administrator'))!;
    const others = demoPeople.filter((person) => person !== administrator).map((person) => person.email);
    const admin = await signIn(server.base, administrator.email);
    const me = await fetch(`${server.base}/api/v1/me`, { headers: { cookie: admin.cookie, accept: 'application/json' } });
    const organisationId = ((await me.json()) as { organisation: { id: string } }).organisation.id;

    const teams: string[] = [];
    const sessions: string[] = [];
    let acknowledged = 0;
    let stopped = false;
    let failure: unknown;
    const { base, child } = server;
    const stop = () => {
      stopped = true;
      child.kill('SIGKILL');
    };
    const writer = async (n: number) => {
      for (let i = 0; !stopped; i += 1) {
        try {
          // Whatever the server acknowledged counts, even an answer that arrives as the kill lands.
          let status: number;
          if (n % 4 === 3) {
            const attempt = await passwordStep(base, others[(n + i) % others.length]!);
            status = attempt.status;
            if (status === 303) sessions.push(sessionToken(attempt.cookie)!);
          } else {
            const name = `Crash team ${n}-${i}`;
            status = (await post(base, `/admin/organisations/${organisationId}/teams/new`, admin.cookie, { _csrf: admin.csrfToken, name })).status;
            if (status === 303) teams.push(name);
          }
          if (status !== 303 && !stopped) throw new Error(`a write was answered ${status} before the crash`);
          if (++acknowledged >= ACKNOWLEDGED_BEFORE_KILL && !stopped) stop(); // the other writers have requests in flight
        } catch (error) {
          if (!stopped) {
            failure = error;
            stop();
          }
        }
      }
    };
    await Promise.all(Array.from({ length: WRITERS }, (_, n) => writer(n)));
    if (failure) throw failure;
    await server.exited;
    assert.ok(teams.length > 0 && sessions.length > 0, 'both kinds of write were acknowledged before the kill');

    // Restart on the same database: it must start, and still know the administrator's session.
    server = await startServer(env);
    const again = await fetch(`${server.base}/api/v1/me`, { headers: { cookie: admin.cookie, accept: 'application/json' } });
    assert.equal(again.status, 200, 'the session acknowledged before the crash still works after it');
    server.child.kill('SIGTERM');
    assert.equal(await server.exited, 0, 'the restarted server stops cleanly');
    server = undefined;

    const database = await openDatabase({ url: engine === 'postgres' ? baseUrl : undefined, sqlitePath: env.SQLITE_PATH!, schema: engine === 'postgres' ? schema : undefined });
    try {
      const storedTeams = new Set((await database.db.selectFrom('teams').select('name').where('organisation_id', '=', organisationId).execute()).map((row) => row.name));
      assert.deepEqual(teams.filter((name) => !storedTeams.has(name)), [], 'acknowledged teams lost in the crash');
      const storedSessions = new Set((await database.db.selectFrom('sessions').select('id_hash').execute()).map((row) => row.id_hash));
      assert.deepEqual(sessions.filter((token) => !storedSessions.has(hashToken(token))), [], 'acknowledged sign-ins lost in the crash');
      const journal = await verifyJournal(database.db, loadConfig(env).secretKey);
      assert.deepEqual(journal.problems, [], 'the audit journal verifies after the crash');
      if (engine === 'sqlite') {
        const check = await sql<{ integrity_check: string }>`pragma integrity_check`.execute(database.db);
        assert.deepEqual(check.rows, [{ integrity_check: 'ok' }]);
      }
      return { teams: teams.length, sessions: sessions.length, journal: journal.checked };
    } finally {
      await database.close();
    }
  } finally {
    if (server && server.child.exitCode === null) {
      server.child.kill('SIGKILL');
      await server.exited;
    }
    rmSync(dir, { recursive: true, force: true });
    if (engine === 'postgres') {
      const client = new pg.Client({ connectionString: baseUrl });
      await client.connect();
      await client.query(`drop schema if exists ${schema} cascade`);
      await client.end();
    }
  }
}

for (const engine of engines) {
  test(`${engine}: kill -9 during concurrent writes loses no acknowledged write and leaves the database sound`, { timeout: 120_000 }, async (context) => {
    const result = await crashDuringWrites(engine);
    context.diagnostic(`acknowledged before the kill: ${result.teams} teams, ${result.sessions} sign-ins; ${result.journal} journal entries verified`);
  });
}
