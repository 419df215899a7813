import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TEST_PASSWORD, testApp } from '../../../test/support/app.ts';
import { totpCode } from '../auth/totp.ts';

test('request logs are JSON with request ids, and hold no cookies, tokens, passwords, codes or query strings', async () => {
  const lines: string[] = [];
  const t = await testApp('sqlite', { LOG_LEVEL: 'info' }, { logTo: { write: (line) => void lines.push(line) } });
  try {
    const force = await t.organisation('AVS', 'police_force');
    const sam = await t.person({ email: 'sam.secret@avs.police.uk', roles: [[force, 'investigator']] });
    const agent = await t.signIn(sam);
    await agent.get('/?victim=Jane%20Doe');
    await t.app.inject({ method: 'GET', url: '/api/v1/me', headers: { authorization: 'Bearer rasso_not-a-real-token-value' } });
    await t.app.inject({ method: 'GET', url: '/no-such-page?email=jane.doe@example.com' });

    assert.ok(lines.length > 0);
    const entries = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
    const completed = entries.filter((entry) => entry.msg === 'request completed');
    assert.ok(completed.length >= 5);
    for (const entry of completed) assert.match(String(entry.reqId), /^[0-9a-f-]{36}$/);

    const everything = lines.join('\n');
    const session = agent.cookie.split('; ').find((c) => c.includes('rasso-session'))!.split('=')[1]!;
    for (const secret of [TEST_PASSWORD, session, agent.csrfToken, 'rasso_not-a-real-token-value', 'Jane', 'jane.doe', 'sam.secret', totpCode(sam.totpSecret, t.clock.now())]) {
      assert.ok(!everything.includes(secret), `the logs contain ${secret}`);
    }
  } finally {
    await t.close();
  }
});
