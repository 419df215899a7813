// The `rasso` command: running the platform's database, people, API tokens,
// audit journal and demo from a shell on the server. A secret the command
// makes (a password, a token, a code) is the only thing written to standard
// output, so it can be captured; everything said about it goes to standard
// error.
import { parseArgs } from 'node:util';
import type { ParseArgsOptionsConfig } from 'node:util';
import { ConfigError, loadConfig } from '../config.ts';
import { isPermission } from '../platform/access/roles.ts';
import type { Permission } from '../platform/access/roles.ts';
import { verifyJournal } from '../platform/audit/service.ts';
import { createAuthService } from '../platform/auth/service.ts';
import { DEMO_PASSWORD } from '../platform/demo/data.ts';
import { demoAccounts, demoCode, demoLoaded, seedDemo } from '../platform/demo/service.ts';
import { createProgress } from '../cases/synthetic/progress.ts';
import { MAX_SEED_CASES, seedSyntheticCases } from '../cases/synthetic/service.ts';
import { rolesGrant } from '../platform/directory/model.ts';
import { createDirectoryService, operatorContext } from '../platform/directory/service.ts';
import type { Platform } from '../platform/platform.ts';
import { Problem } from '../platform/web/errors.ts';
import { openPlatform } from './open-platform.ts';

export interface Io {
  /** Standard output: only what a script would capture. */
  out(line: string): void;
  /** Standard error: progress, explanations and problems. */
  err(line: string): void;
  /** Standard error when it is a terminal: text as it is, for progress rewritten in place. */
  terminal?: ((text: string) => void) | undefined;
}

const consoleIo: Io = {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
  terminal: process.stderr.isTTY ? (text) => process.stderr.write(text) : undefined,
};

/** A mistake in how the command was called: explained with the usage, never with a stack trace. */
export class UsageError extends Error {}

export const EXIT = { ok: 0, failed: 1, usage: 2, config: 78 } as const;

const USAGE = `Usage: npm run rasso -- <command> [options]   (or, on Node 24: node bin/rasso.ts <command> [options])

Commands:
  migrate                          Apply the database migrations that have not run yet
  seed [--reset]                   Load the demo into an empty database (demo mode only);
                                   --reset first removes everything, audit journal included
  seed --cases N [--seed S]        Add N synthetic cases (at every stage, with people, team,
                                   journal and deadlines) to the forces and CPS Areas in the
                                   database; in demo mode an empty database gets the demo
                                   first. The same seed S (default 1) gives the same cases
  users list [--org CODE]          List people with their organisations and roles
  users create --email EMAIL --name NAME --org CODE --role ROLE
                                   Add a person; prints their temporary password once
  token create --email EMAIL --org CODE --scopes LIST --days N --name NAME
                                   Issue an API token acting for that person in that
                                   organisation; LIST is comma-separated, e.g.
                                   directory.manage,audit.read; prints the token once
  token list                       List API tokens (never the tokens themselves)
  token revoke ID                  Revoke an API token
  audit verify                     Check that no audit journal entry has been edited,
                                   removed or reordered; exit code 1 if any has
  demo accounts                    List the demo accounts and their authenticator keys
  demo code --email EMAIL          Print the code a demo account's authenticator shows now

Settings come from the environment, as for the server: DATABASE_URL (PostgreSQL) or
SQLITE_PATH (default data/rasso.sqlite), SECRET_KEY, DEMO.`;

type Command = (args: string[], io: Io) => Promise<number>;

function parse<T extends ParseArgsOptionsConfig>(args: string[], options: T, positionals = 0) {
  let parsed;
  try {
    parsed = parseArgs({ args, options, allowPositionals: positionals > 0, strict: true });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  if (parsed.positionals.length > positionals) throw new UsageError(`Unexpected argument: ${parsed.positionals[positionals]}`);
  return parsed;
}

function required(values: Record<string, unknown>, name: string): string {
  const value = values[name];
  if (typeof value !== 'string' || value.trim() === '') throw new UsageError(`--${name} is required`);
  return value.trim();
}

async function withPlatform<T>(work: (platform: Platform) => Promise<T>): Promise<T> {
  const opened = await openPlatform();
  try {
    return await work(opened.platform);
  } finally {
    await opened.close();
  }
}

/** Columns padded to line up; the last is left as it is. */
function table(rows: string[][]): string[] {
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((row) => row[i]?.length ?? 0))) ?? [];
  return rows.map((row) => row.map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i]!))).join('  ').trimEnd());
}

const entries = (n: number) => `${n} ${n === 1 ? 'entry' : 'entries'}`;

const commands: Record<string, Record<string, Command> | Command> = {
  async migrate(args, io) {
    parse(args, {});
    const opened = await openPlatform();
    await opened.close();
    io.err(opened.applied.length ? `Applied ${opened.applied.join(', ')}.` : 'The database is up to date.');
    return EXIT.ok;
  },

  async seed(args, io) {
    const { values } = parse(args, { reset: { type: 'boolean' }, cases: { type: 'string' }, seed: { type: 'string' } });
    if (values.cases !== undefined) return seedCases(values, io);
    if (values.seed !== undefined) throw new UsageError('--seed goes with --cases');
    return withPlatform(async (platform) => {
      const result = await seedDemo(platform, { reset: values.reset === true }, operatorContext());
      if (!result.seeded) {
        io.err('The database already holds organisations, so the demo was not loaded. Use --reset to remove everything and load the demo.');
        return EXIT.ok;
      }
      io.err(`Loaded the demo: ${result.organisations} organisations and ${result.people} people. Every demo account's password is: ${DEMO_PASSWORD}`);
      io.err('See them with: npm run rasso -- demo accounts');
      return EXIT.ok;
    });
  },

  users: {
    async list(args, io) {
      const { values } = parse(args, { org: { type: 'string' } });
      return withPlatform(async (platform) => {
        const people = await createDirectoryService(platform).operator.people(operatorContext(), values.org);
        const status = (p: (typeof people)[number]) => (p.disabled_at ? 'disabled' : p.mfa_enrolled_at ? 'active' : 'not signed in yet');
        const rows = people.map((p) => [p.email, p.display_name, status(p), p.memberships.map((m) => `${m.organisation_code}:${m.role}`).join(', ')]);
        for (const line of table([['EMAIL', 'NAME', 'STATUS', 'ROLES'], ...rows])) io.out(line);
        return EXIT.ok;
      });
    },

    async create(args, io) {
      const { values } = parse(args, { email: { type: 'string' }, name: { type: 'string' }, org: { type: 'string' }, role: { type: 'string' } });
      const input = { email: required(values, 'email'), name: required(values, 'name'), organisationCode: required(values, 'org'), role: required(values, 'role') };
      return withPlatform(async (platform) => {
        const { password } = await createDirectoryService(platform).operator.createPerson(operatorContext(), input);
        io.err(`Added ${input.name} (${input.email}) as ${input.role} in ${input.organisationCode.toUpperCase()}. Their temporary password, shown only now:`);
        io.out(password);
        io.err('Give it to them face to face or by phone. When they first sign in they will set up an authenticator app.');
        return EXIT.ok;
      });
    },
  },

  token: {
    async create(args, io) {
      const { values } = parse(args, { email: { type: 'string' }, org: { type: 'string' }, scopes: { type: 'string' }, days: { type: 'string' }, name: { type: 'string' } });
      const email = required(values, 'email');
      const code = required(values, 'org');
      const name = required(values, 'name');
      if (name.length > 100) throw new UsageError('--name must be 100 characters or fewer');
      const scopes = required(values, 'scopes').split(',').map((s) => s.trim()).filter(Boolean);
      const unknown = scopes.filter((s) => !isPermission(s));
      if (unknown.length || scopes.length === 0) throw new UsageError(`--scopes must list permissions such as directory.manage,audit.read (not known: ${unknown.join(', ') || 'none given'})`);
      const days = Number(required(values, 'days'));
      if (!Number.isInteger(days) || days < 1 || days > 366) throw new UsageError('--days must be a whole number from 1 to 366');
      return withPlatform(async (platform) => {
        const member = await createDirectoryService(platform).operator.membership(email, code);
        const ungranted = (scopes as Permission[]).filter((scope) => !rolesGrant(member.roles, scope));
        if (ungranted.length) {
          io.err(`${email} has no role in ${code.toUpperCase()} that allows ${ungranted.join(', ')}, so a token for it would be refused. Give them the role first.`);
          return EXIT.failed;
        }
        const token = await createAuthService(platform).createApiToken(
          { userId: member.userId, organisationId: member.organisationId, name, scopes: scopes as Permission[], days },
          operatorContext(),
        );
        io.err(`API token "${name}" for ${email} in ${code.toUpperCase()}, scopes ${scopes.join(', ')}, expires ${token.expiresAt}. Store it now: it is not shown again.`);
        io.out(token.token);
        io.err(`To revoke it: npm run rasso -- token revoke ${token.id}`);
        return EXIT.ok;
      });
    },

    async list(args, io) {
      parse(args, {});
      return withPlatform(async (platform) => {
        const tokens = await createAuthService(platform).listApiTokens();
        const now = platform.clock.now().toISOString();
        const state = (t: (typeof tokens)[number]) => (t.revoked_at ? 'revoked' : t.expires_at <= now ? 'expired' : 'live');
        const rows = tokens.map((t) => [t.id, state(t), t.expires_at, (JSON.parse(t.scopes) as string[]).join(','), t.name]);
        for (const line of table([['ID', 'STATE', 'EXPIRES', 'SCOPES', 'NAME'], ...rows])) io.out(line);
        return EXIT.ok;
      });
    },

    async revoke(args, io) {
      const { positionals } = parse(args, {}, 1);
      const id = positionals[0];
      if (!id) throw new UsageError('Give the id of the token to revoke (see: npm run rasso -- token list)');
      return withPlatform(async (platform) => {
        if (!(await createAuthService(platform).revokeApiToken(id, operatorContext()))) {
          io.err(`There is no live API token with the id ${id}.`);
          return EXIT.failed;
        }
        io.err(`Revoked API token ${id}.`);
        return EXIT.ok;
      });
    },
  },

  audit: {
    async verify(args, io) {
      parse(args, {});
      return withPlatform(async (platform) => {
        const result = await verifyJournal(platform.db, platform.config.secretKey, (checked) => io.err(`Checked ${entries(checked)}…`));
        if (result.ok) {
          io.err(`The audit journal is intact: ${entries(result.checked)} checked.`);
          return EXIT.ok;
        }
        io.err(`The audit journal has been tampered with: ${result.problems.length} problems in ${entries(result.checked)}.`);
        for (const problem of result.problems) io.out(problem);
        return EXIT.failed;
      });
    },
  },

  demo: {
    async accounts(args, io) {
      parse(args, {});
      const rows = demoAccounts(loadConfig()).map((a) => [a.email, a.name, a.authenticatorKey, a.roles]);
      for (const line of table([['EMAIL', 'NAME', 'AUTHENTICATOR KEY', 'ROLES'], ...rows])) io.out(line);
      io.err(`Every demo account's password is: ${DEMO_PASSWORD}`);
      io.err('Add a key to an authenticator app, or print the current code with: npm run rasso -- demo code --email EMAIL');
      return EXIT.ok;
    },

    async code(args, io) {
      const { values } = parse(args, { email: { type: 'string' } });
      const email = required(values, 'email');
      return withPlatform(async (platform) => {
        const { code, secondsLeft } = await demoCode(platform, email);
        io.out(code);
        io.err(`Valid for ${secondsLeft} more seconds. A code is accepted once: if this one was just used, wait for the next.`);
        return EXIT.ok;
      });
    },
  },
};

function wholeNumber(value: string | undefined, name: string, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value.replaceAll(/[,_]/g, ''));
  if (!/^\d[\d,_]*$/.test(value.trim()) || !Number.isSafeInteger(n)) throw new UsageError(`--${name} must be a whole number, for example 1000000`);
  return n;
}

/** `seed --cases N`: synthetic cases, with progress on standard error. */
async function seedCases(values: { reset?: boolean | undefined; cases?: string | undefined; seed?: string | undefined }, io: Io): Promise<number> {
  const cases = wholeNumber(values.cases, 'cases', 0);
  const seed = wholeNumber(values.seed, 'seed', 1);
  if (cases < 1 || cases > MAX_SEED_CASES) throw new UsageError(`--cases must be from 1 to ${MAX_SEED_CASES.toLocaleString('en-GB')}`);
  return withPlatform(async (platform) => {
    if (values.reset || (platform.config.demo && !(await demoLoaded(platform)) && (await platform.db.selectFrom('organisations').select('id').limit(1).execute()).length === 0)) {
      const demo = await seedDemo(platform, { reset: values.reset === true }, operatorContext());
      if (demo.seeded) io.err(`Loaded the demo first: ${demo.organisations} organisations and ${demo.people} people.`);
    }
    const progress = createProgress({
      total: cases,
      label: 'Synthetic cases',
      tty: io.terminal !== undefined,
      write: io.terminal ?? ((text) => io.err(text.replace(/\n$/, ''))),
    });
    const result = await seedSyntheticCases(platform, { cases, seed, context: operatorContext(), onProgress: (done) => progress.update(done) });
    progress.finish(result.cases);
    const stages = Object.entries(result.stages).sort(([, a], [, b]) => b - a).map(([stage, n]) => `${stage} ${n.toLocaleString('en-GB')}`).join(', ');
    io.err(`Added ${result.cases.toLocaleString('en-GB')} synthetic cases (seed ${seed}): ${result.events.toLocaleString('en-GB')} journal events, ${result.people.toLocaleString('en-GB')} people, ${result.deadlines.toLocaleString('en-GB')} open deadlines.`);
    io.err(`By stage: ${stages}.`);
    return EXIT.ok;
  });
}

/** Runs the command in `args`; resolves to the process exit code. */
export async function main(args: string[], io: Io = consoleIo): Promise<number> {
  const [name, ...rest] = args;
  if (!name || name === 'help' || name === '--help' || name === '-h') {
    (name ? io.out : io.err)(USAGE);
    return name ? EXIT.ok : EXIT.usage;
  }
  const entry = Object.hasOwn(commands, name) ? commands[name] : undefined;
  const sub = typeof entry === 'object' ? rest[0] : undefined;
  const command = typeof entry === 'function' ? entry : entry && sub && Object.hasOwn(entry, sub) ? entry[sub] : undefined;
  if (!command) {
    const known = typeof entry === 'object' ? ` (${Object.keys(entry).map((s) => `${name} ${s}`).join(', ')})` : '';
    io.err(`Unknown command: ${[name, sub].filter(Boolean).join(' ')}${known}\n\n${USAGE}`);
    return EXIT.usage;
  }
  try {
    return await command(typeof entry === 'function' ? rest : rest.slice(1), io);
  } catch (error) {
    if (error instanceof UsageError) {
      io.err(`${error.message}\nFor the commands and their options: npm run rasso -- help`);
      return EXIT.usage;
    }
    if (error instanceof ConfigError) {
      io.err(error.message);
      return EXIT.config;
    }
    if (error instanceof Problem) {
      io.err(error.fieldErrors.length ? error.fieldErrors.map((e) => `--${e.field}: ${e.message}`).join('\n') : error.detail ?? error.message);
      return EXIT.failed;
    }
    throw error;
  }
}
