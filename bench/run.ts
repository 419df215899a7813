// `npm run bench`: throughput and latency of the platform next to bare
// Fastify measured in the same run, as ratios. Each server runs in its own
// child process; autocannon drives it from this one over loopback.
//   BENCH_SECONDS      seconds per measurement (default 10)
//   BENCH_CONNECTIONS  concurrent connections (default 10)
//   DATABASE_URL       also measure on PostgreSQL (a fresh schema, dropped after)
//   BENCH_CASES        cases for the national-scale case benchmark that follows (bench/cases.ts; default 1,000,000, 0 to skip)
import { fork } from 'node:child_process';
import { availableParallelism, cpus, totalmem } from 'node:os';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { totpCode } from '../src/platform/auth/totp.ts';
import { csrfFrom } from '../test/support/app.ts';
import type { Ready } from './child.ts';
import type { PlatformDetails } from './platform-server.ts';

const seconds = positive('BENCH_SECONDS', 10);
const connections = positive('BENCH_CONNECTIONS', 10);
const warmUpSeconds = Math.max(1, Math.min(3, Math.round(seconds / 5)));

export interface Measurement {
  readonly name: string;
  readonly requestsPerSecond: number;
  readonly p50: number;
  readonly p99: number;
}

export interface Server<T> {
  readonly base: string;
  readonly details: T;
  stop(): Promise<void>;
}

function positive(name: string, fallback: number): number {
  const value = Number(process.env[name] ?? fallback);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`${name} must be a positive number`);
  return value;
}

/** Starts a server script in a child process and waits until it listens. */
export function start<T>(script: string, env: NodeJS.ProcessEnv = {}): Promise<Server<T>> {
  const child = fork(fileURLToPath(new URL(script, import.meta.url)), [], { env: { ...process.env, ...env }, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`${script} exited with code ${code} before it was ready`)));
    child.once('message', (message) => {
      const { port, details } = message as Ready<T>;
      child.removeAllListeners('exit');
      resolve({
        base: `http://127.0.0.1:${port}`,
        details,
        stop: () =>
          new Promise((done) => {
            if (child.exitCode !== null || child.signalCode !== null) return done();
            child.once('exit', () => done());
            child.send('stop');
          }),
      });
    });
  });
}

/** Signs in as a person would: the sign-in page, the password, then a code from their authenticator. */
export async function signIn(base: string, person: Pick<PlatformDetails['directory']['person'], 'email' | 'password' | 'totpSecret'>): Promise<string> {
  const jar = new Map<string, string>();
  const cookie = () => [...jar].map(([name, value]) => `${name}=${value}`).join('; ');
  const send = async (path: string, form?: Record<string, string>) => {
    const response = await fetch(base + path, {
      method: form ? 'POST' : 'GET',
      redirect: 'manual',
      headers: { cookie: cookie(), ...(form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}) },
      ...(form ? { body: new URLSearchParams(form).toString() } : {}),
    });
    for (const set of response.headers.getSetCookie()) {
      const [pair = ''] = set.split(';');
      const [name = '', ...value] = pair.split('=');
      if (value.join('=') === '') jar.delete(name);
      else jar.set(name, value.join('='));
    }
    return response;
  };
  const page = await send('/sign-in');
  const password = await send('/sign-in', { _csrf: csrfFrom(await page.text()), email: person.email, password: person.password });
  if (password.status !== 303) throw new Error(`The password step answered ${password.status}`);
  const codePage = await send('/sign-in/code');
  const code = await send('/sign-in/code', { _csrf: csrfFrom(await codePage.text()), code: totpCode(person.totpSecret, new Date()) });
  if (code.status !== 303) throw new Error(`The code step answered ${code.status}`);
  const home = await send('/');
  if (home.status !== 200 || !(await home.text()).includes('Signed in as')) throw new Error(`The home page answered ${home.status} after signing in`);
  return cookie();
}

export async function measure(name: string, url: string, headers: Record<string, string> = {}, paths?: readonly string[]): Promise<Measurement> {
  const requests = paths?.map((path) => ({ method: 'GET' as const, path }));
  await autocannon({ url, connections, duration: warmUpSeconds, headers, ...(requests ? { requests } : {}) });
  const result = await autocannon({ url, connections, duration: seconds, headers, ...(requests ? { requests } : {}) });
  if (result.non2xx > 0 || result.errors > 0 || result.timeouts > 0) {
    throw new Error(`${name}: ${result.non2xx} responses other than 2xx, ${result.errors} errors, ${result.timeouts} timeouts`);
  }
  const measurement = { name, requestsPerSecond: result.requests.average, p50: result.latency.p50, p99: result.latency.p99 };
  console.log(`  measured ${name}: ${Math.round(measurement.requestsPerSecond)} requests/s`);
  return measurement;
}

async function measurePlatform(engine: 'sqlite' | 'postgres', label: string): Promise<{ measurements: Measurement[]; details: PlatformDetails }> {
  const server = await start<PlatformDetails>('./platform-server.ts', { BENCH_ENGINE: engine });
  try {
    const cookie = await signIn(server.base, server.details.directory.person);
    return {
      details: server.details,
      measurements: [
        await measure(`Signed-in home page (GET /), ${label}`, `${server.base}/`, { cookie }),
        await measure(`Audited API read (GET /api/v1/me), ${label}`, `${server.base}/api/v1/me`, { authorization: `Bearer ${server.details.apiToken}` }),
      ],
    };
  } finally {
    await server.stop();
  }
}

// autocannon records latency in whole milliseconds, so ratios count anything
// under a millisecond as one: a baseline p99 below 1 ms makes the platform's ratio an underestimate.
const atLeastOneMs = (value: number): number => Math.max(value, 1);
const milliseconds = (value: number): string => (value < 1 ? '<1' : value.toFixed(0));

export function table(measurements: Measurement[]): string {
  const [baseline] = measurements;
  if (!baseline) return '';
  const rows = [
    ['', 'requests/s', 'p50 ms', 'p99 ms', 'throughput vs baseline', 'p99 vs baseline (1 ms floor)'],
    ...measurements.map((m) => [
      m.name,
      m.requestsPerSecond.toFixed(0),
      milliseconds(m.p50),
      milliseconds(m.p99),
      `${(m.requestsPerSecond / baseline.requestsPerSecond).toFixed(3)}×`,
      `${(atLeastOneMs(m.p99) / atLeastOneMs(baseline.p99)).toFixed(1)}×`,
    ]),
  ];
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
  return rows.map((row) => row.map((cell, column) => (column === 0 ? cell.padEnd(widths[column]!) : cell.padStart(widths[column]!))).join('  ')).join('\n');
}

async function main(): Promise<void> {
  const cpu = cpus()[0]?.model ?? 'unknown CPU';
  console.log(`Machine: ${availableParallelism()} cores (${cpu}), ${(totalmem() / 2 ** 30).toFixed(1)} GiB memory, Node ${process.version}, ${process.platform}/${process.arch}`);
  console.log(`Load: autocannon, ${connections} connections, ${warmUpSeconds} s warm-up then ${seconds} s per measurement; each server in its own process`);
  const engines: ['sqlite' | 'postgres', string][] = [['sqlite', 'SQLite']];
  if (process.env.DATABASE_URL) engines.push(['postgres', 'PostgreSQL']);
  else console.log('PostgreSQL: not measured (set DATABASE_URL to include it)');

  const measurements: Measurement[] = [];
  const hello = await start<Record<string, never>>('./hello-server.ts');
  try {
    measurements.push(await measure('Bare Fastify hello world (baseline)', `${hello.base}/`));
  } finally {
    await hello.stop();
  }
  let seeded: PlatformDetails['directory'] | undefined;
  for (const [engine, label] of engines) {
    const result = await measurePlatform(engine, label);
    measurements.push(...result.measurements);
    seeded = result.details.directory;
  }

  console.log();
  console.log(table(measurements));
  console.log();
  if (seeded) {
    console.log(
      `Data: a demo-sized directory of ${seeded.organisations} organisations, ${seeded.people} people and ${seeded.memberships} memberships on each engine; ` +
        'no case data here: national-scale case volumes follow. The API read appends one audit journal row per request.',
    );
  }
  const { benchCases } = await import('./cases.ts');
  await benchCases({ measure, signIn, start });
}

if (import.meta.main) await main();
