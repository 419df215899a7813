// The `rasso` command as an operator runs it: a separate process on a SQLite
// file, checked from inside through the platform and the real HTTP app.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildApp } from '../app.ts';
import { loadConfig } from '../config.ts';
import { totpCode } from '../platform/auth/totp.ts';
import { DEMO_PASSWORD, demoOrganisations, demoPeople, demoTotpSecret } from '../platform/demo/data.ts';
import { cookieHeader, csrfFrom } from '../../test/support/app.ts';
import { openPlatform } from './open-platform.ts';
import type { OpenPlatform } from './open-platform.ts';

const BIN = fileURLToPath(new URL('../../bin/rasso.ts', import.meta.url));

interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

function sandbox() {
  const dir = mkdtempSync(join(tmpdir(), 'rasso-cli-'));
  // DATABASE_URL is emptied so the command uses the SQLite file even when the tests run on PostgreSQL too.
  const env = { NODE_ENV: 'test', LOG_LEVEL: 'silent', DEMO: 'true', DATABASE_URL: '', SQLITE_PATH: join(dir, 'rasso.sqlite') };
  const rasso = (args: string[], extra: Record<string, string> = {}) =>
    new Promise<Run>((resolve) => {
      execFile(process.execPath, [BIN, ...args], { env: { ...process.env, ...env, ...extra } }, (error, stdout, stderr) => {
        resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr });
      });
    });
  const open = (): Promise<OpenPlatform> => openPlatform(loadConfig(env));
  return { rasso, open, dispose: () => rmSync(dir, { recursive: true, force: true }) };
}

async function count(opened: OpenPlatform, table: 'organisations' | 'users' | 'audit_events'): Promise<number> {
  const rows = await opened.platform.db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return Number(rows.n);
}

test('the demo loads once; seeding again changes nothing unless --reset', async () => {
  const box = sandbox();
  try {
    const first = await box.rasso(['seed']);
    assert.equal(first.code, 0, first.stderr);
    assert.match(first.stderr, new RegExp(`Loaded the demo: ${demoOrganisations.length} organisations and ${demoPeople.length} people`));
    const second = await box.rasso(['seed']);
    assert.equal(second.code, 0);
    assert.match(second.stderr, /already holds organisations/);
    let opened = await box.open();
    try {
      assert.equal(await count(opened, 'organisations'), demoOrganisations.length);
      assert.equal(await count(opened, 'users'), demoPeople.length);
      assert.equal(await count(opened, 'audit_events'), 1);
    } finally {
      await opened.close();
    }
    assert.equal((await box.rasso(['users', 'create', '--email', 'extra@avs.police.example', '--name', 'Extra Person', '--org', 'AVS', '--role', 'investigator'])).code, 0);
    const reset = await box.rasso(['seed', '--reset']);
    assert.equal(reset.code, 0, reset.stderr);
    opened = await box.open();
    try {
      assert.equal(await count(opened, 'users'), demoPeople.length, 'the extra person is gone');
      assert.equal(await count(opened, 'audit_events'), 1, 'the journal starts again');
    } finally {
      await opened.close();
    }
    assert.equal((await box.rasso(['audit', 'verify'])).code, 0);
  } finally {
    box.dispose();
  }
});

test('a person created on the command line signs in with the temporary password printed once', async () => {
  const box = sandbox();
  try {
    await box.rasso(['seed']);
    const refused = await box.rasso(['users', 'create', '--email', 'jo@avs.police.example', '--name', 'Jo Bloggs', '--org', 'AVS', '--role', 'isva']);
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /--role: Select a role that people in Avon and Somerset Police can have/);
    const created = await box.rasso(['users', 'create', '--email', 'jo@avs.police.example', '--name', 'Jo Bloggs', '--org', 'avs', '--role', 'investigator']);
    assert.equal(created.code, 0, created.stderr);
    const password = created.stdout.trim();
    assert.match(password, /^[a-z2-9]{5}(-[a-z2-9]{5}){3}$/);
    assert.match((await box.rasso(['users', 'list', '--org', 'AVS'])).stdout, /jo@avs\.police\.example\s+Jo Bloggs\s+not signed in yet\s+AVS:investigator/);

    const opened = await box.open();
    const { app } = await buildApp(opened.platform);
    try {
      const start = await app.inject({ method: 'GET', url: '/sign-in' });
      const signIn = await app.inject({
        method: 'POST',
        url: '/sign-in',
        headers: { cookie: cookieHeader(start), 'content-type': 'application/x-www-form-urlencoded' },
        payload: new URLSearchParams({ _csrf: csrfFrom(start.body), email: 'jo@avs.police.example', password }).toString(),
      });
      assert.equal(signIn.statusCode, 303);
      assert.match(String(signIn.headers.location), /^\/sign-in\/set-up-authenticator/);
    } finally {
      await app.close();
      await opened.close();
    }
  } finally {
    box.dispose();
  }
});

test('an API token made on the command line works against the API until it is revoked', async () => {
  const box = sandbox();
  try {
    await box.rasso(['seed']);
    const args = ['token', 'create', '--email', 'lee.harris@avs.police.example', '--org', 'AVS', '--scopes', 'directory.manage', '--days', '30', '--name', 'Case system'];
    const refused = await box.rasso(['token', 'create', '--email', 'sam.taylor@avs.police.example', ...args.slice(4)]);
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /no role in AVS that allows directory\.manage/);
    assert.equal((await box.rasso([...args.slice(0, -4), '--days', '0', '--name', 'x'])).code, 2);

    const created = await box.rasso(args);
    assert.equal(created.code, 0, created.stderr);
    const token = created.stdout.trim();
    assert.match(token, /^rasso_[A-Za-z0-9_-]{43}$/);
    const id = /token revoke (\S+)/.exec(created.stderr)![1]!;
    assert.match((await box.rasso(['token', 'list'])).stdout, new RegExp(`${id}\\s+live`));

    const call = async () => {
      const opened = await box.open();
      const { app } = await buildApp(opened.platform);
      try {
        return await app.inject({ method: 'GET', url: '/api/v1/organisations', headers: { authorization: `Bearer ${token}` } });
      } finally {
        await app.close();
        await opened.close();
      }
    };
    const response = await call();
    assert.equal(response.statusCode, 200);
    assert.deepEqual(response.json().organisations.map((o: { code: string }) => o.code), ['AVS']);

    assert.equal((await box.rasso(['token', 'revoke', id])).code, 0);
    assert.equal((await box.rasso(['token', 'revoke', id])).code, 1);
    assert.equal((await call()).statusCode, 401);
  } finally {
    box.dispose();
  }
});

test('audit verify exits 0 on an intact journal and 1, naming the row, on an edited one', async () => {
  const box = sandbox();
  try {
    await box.rasso(['seed']);
    await box.rasso(['users', 'create', '--email', 'jo@avs.police.example', '--name', 'Jo Bloggs', '--org', 'AVS', '--role', 'investigator']);
    const intact = await box.rasso(['audit', 'verify']);
    assert.equal(intact.code, 0, intact.stderr);
    assert.match(intact.stderr, /intact: 2 entries checked/);

    const opened = await box.open();
    try {
      await opened.platform.db.updateTable('audit_events').set({ purpose: 'nothing to see here' }).where('seq', '=', 1).execute();
    } finally {
      await opened.close();
    }
    const broken = await box.rasso(['audit', 'verify']);
    assert.equal(broken.code, 1);
    assert.match(broken.stderr, /tampered with/);
    assert.match(broken.stdout, /row 1 has been edited/);
  } finally {
    box.dispose();
  }
});

test('the demo helpers print a demo account’s current code, and refuse outside demo mode', async () => {
  const box = sandbox();
  try {
    await box.rasso(['seed']);
    const before = Date.now();
    const shown = await box.rasso(['demo', 'code', '--email', 'Alex.Morgan@nrp.example']);
    assert.equal(shown.code, 0, shown.stderr);
    const secret = demoTotpSecret('alex.morgan@nrp.example');
    // The code is the one an authenticator app shows for the fixed demo key at about this time.
    const around = [-30_000, 0, 30_000].map((offset) => totpCode(secret, new Date(before + offset)));
    assert.ok(around.includes(shown.stdout.trim()), `${shown.stdout.trim()} is not one of ${around.join(', ')}`);
    const accounts = await box.rasso(['demo', 'accounts']);
    assert.match(accounts.stdout, new RegExp(`alex\\.morgan@nrp\\.example\\s+Alex Morgan\\s+${secret}\\s+Administrator, National RASSO Programme`));
    assert.match(accounts.stderr, new RegExp(DEMO_PASSWORD));

    for (const args of [['seed'], ['demo', 'accounts'], ['demo', 'code', '--email', 'alex.morgan@nrp.example']]) {
      const refused = await box.rasso(args, { DEMO: 'false' });
      assert.equal(refused.code, 1);
      assert.match(refused.stderr, /demo mode only/);
    }
    assert.equal((await box.rasso(['demo', 'code', '--email', 'nobody@nrp.example'])).code, 1);
  } finally {
    box.dispose();
  }
});

test('mistakes in a command are explained without a stack trace', async () => {
  const box = sandbox();
  try {
    for (const args of [[], ['frobnicate'], ['users'], ['users', 'create', '--email', 'x@y.example'], ['seed', '--force'], ['token', 'revoke']]) {
      const run = await box.rasso(args);
      assert.equal(run.code, 2, args.join(' '));
      assert.doesNotMatch(run.stderr, /\n\s+at /, `no stack trace for: ${args.join(' ')}`);
    }
    const bad = await box.rasso(['migrate'], { PORT: 'eighty' });
    assert.equal(bad.code, 78);
    assert.match(bad.stderr, /PORT must be a whole number/);
    const help = await box.rasso(['help']);
    assert.equal(help.code, 0);
    assert.match(help.stdout, /token create --email EMAIL --org CODE --scopes LIST --days N --name NAME/);
  } finally {
    box.dispose();
  }
});
