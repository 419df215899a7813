import { test } from 'node:test';
import assert from 'node:assert/strict';
import { engines } from '../../../test/support/databases.ts';
import { testApp } from '../../../test/support/app.ts';
import type { TestApp } from '../../../test/support/app.ts';
import { systemContext } from '../audit/model.ts';
import { apiClient } from './test-support.ts';

async function consultations(t: TestApp, userId: string) {
  const rows = await t.database.db.selectFrom('audit_events').selectAll().where('actor_user_id', '=', userId).where('action', '=', 'consult').execute();
  return rows.filter((row) => (JSON.parse(row.details) as { event: string }).event === 'api.me');
}

for (const engine of engines) {
  test(`${engine}: GET /api/v1/me answers who a token acts for, narrowed to its scopes, and audits the read`, async () => {
    const t = await testApp(engine);
    try {
      const force = await t.organisation('AVS', 'police_force', 'Avon and Somerset Police');
      const area = await t.organisation('CPSSW', 'cps_area', 'CPS South West');
      const alex = await t.person({ email: 'alex@avs.police.example.uk', name: 'Alex Rivera', roles: [[force, 'administrator'], [force, 'investigator'], [area, 'paralegal']] });
      const client = await apiClient(t, { person: alex, organisationId: force, scopes: ['audit.read'] });

      const response = await client.get('/api/v1/me');
      assert.equal(response.statusCode, 200);
      assert.equal(response.headers['cache-control'], 'no-store');
      const me = response.json();
      assert.equal(me.id, alex.id);
      assert.equal(me.name, 'Alex Rivera');
      assert.equal(me.email, 'alex@avs.police.example.uk');
      assert.equal(me.authenticatedWith, 'token');
      assert.deepEqual(me.organisation, { id: force, code: 'AVS', name: 'Avon and Somerset Police', kind: 'police_force', roles: ['administrator', 'investigator'] });
      assert.deepEqual(me.memberships.map((m: { code: string }) => m.code).sort(), ['AVS', 'CPSSW']);
      assert.deepEqual(me.scopes, ['audit.read']);
      // An administrator may manage the directory, but this token was not issued for that.
      assert.deepEqual(me.permissions, ['audit.read']);

      const [entry, ...others] = await consultations(t, alex.id);
      assert.equal(others.length, 0);
      assert.equal(entry?.object_id, alex.id);
      assert.deepEqual(JSON.parse(entry!.subjects), [alex.id]);
      assert.equal(entry?.actor_organisation_id, force);
      assert.ok(entry?.request_id);
    } finally {
      await t.close();
    }
  });

  test(`${engine}: GET /api/v1/me works for a signed-in session, with the person's full permissions`, async () => {
    const t = await testApp(engine);
    try {
      const force = await t.organisation('AVS', 'police_force');
      const sam = await t.person({ email: 'sam@avs.police.example.uk', name: 'Sam Jones', roles: [[force, 'administrator']] });
      const agent = await t.signIn(sam);
      const response = await agent.get('/api/v1/me');
      assert.equal(response.statusCode, 200);
      const me = response.json();
      assert.equal(me.authenticatedWith, 'session');
      assert.equal(me.scopes, null);
      assert.deepEqual([...me.permissions].sort(), ['audit.read', 'directory.manage']);
      assert.equal((await consultations(t, sam.id)).length, 1);
    } finally {
      await t.close();
    }
  });

  test(`${engine}: GET /api/v1/me refuses missing, unknown, revoked and expired tokens`, async () => {
    const t = await testApp(engine);
    try {
      const force = await t.organisation('AVS', 'police_force');
      const sam = await t.person({ email: 'sam@avs.police.example.uk', roles: [[force, 'investigator']] });
      const revoked = await apiClient(t, { person: sam, organisationId: force });
      const expiring = await apiClient(t, { person: sam, organisationId: force, days: 1 });
      assert.equal(await t.auth.revokeApiToken(revoked.tokenId, systemContext()), true);
      assert.equal((await revoked.get('/api/v1/me')).statusCode, 401);
      assert.equal((await expiring.get('/api/v1/me')).statusCode, 200, 'the other token still works');
      t.clock.advance({ days: 2 });
      const expired = await expiring.get('/api/v1/me');
      assert.equal(expired.statusCode, 401);
      assert.match(String(expired.headers['content-type']), /^application\/problem\+json/);
      assert.equal(expired.headers['www-authenticate'], 'Bearer');
      assert.equal((await t.app.inject({ method: 'GET', url: '/api/v1/me' })).statusCode, 401);
      assert.equal((await t.app.inject({ method: 'GET', url: '/api/v1/me', headers: { authorization: 'Bearer rasso_unknown' } })).statusCode, 401);
      assert.equal((await consultations(t, sam.id)).length, 1, 'only the successful read is in the journal');
    } finally {
      await t.close();
    }
  });
}
