import { test } from 'node:test';
import assert from 'node:assert/strict';
import { engines } from '../../../test/support/databases.ts';
import { testApp } from '../../../test/support/app.ts';
import type { TestApp } from '../../../test/support/app.ts';
import { apiClient } from '../api/test-support.ts';
import { newId } from '../db/ids.ts';
import { systemContext } from './model.ts';

async function recordAs(t: TestApp, userId: string, organisationId: string, objectId: string): Promise<void> {
  await t.platform.audit.audited({ ...systemContext(), userId, organisationId, role: 'investigator' }, { action: 'alter', event: 'case.update', objectType: 'case', objectId, subjects: [userId] }, async () => undefined);
}

async function apiSearches(t: TestApp, userId: string): Promise<number> {
  const rows = await t.database.db.selectFrom('audit_events').select('details').where('actor_user_id', '=', userId).where('action', '=', 'consult').execute();
  return rows.filter((row) => (JSON.parse(row.details) as { event: string }).event === 'audit.search').length;
}

for (const engine of engines) {
  test(`${engine}: GET /api/v1/audit/events searches within the caller's scope and records the search`, async () => {
    const t = await testApp(engine);
    try {
      const force = await t.organisation('AVS', 'police_force', 'Avon and Somerset Police');
      const area = await t.organisation('CPSSW', 'cps_area', 'CPS South West');
      const national = await t.organisation('NPCC', 'national');
      const ada = await t.person({ email: 'ada@avs.police.example.uk', name: 'Ada Force', roles: [[force, 'administrator']] });
      const ari = await t.person({ email: 'ari@cps.example.uk', roles: [[area, 'administrator']] });
      const nia = await t.person({ email: 'nia@npcc.example.uk', roles: [[national, 'administrator']] });
      const avsRecord = newId();
      const cpsRecord = newId();
      await recordAs(t, ada.id, force, avsRecord);
      await recordAs(t, ari.id, area, cpsRecord);

      const local = await apiClient(t, { person: ada, organisationId: force, scopes: ['audit.read'] });
      const own = await local.get('/api/v1/audit/events?action=alter');
      assert.equal(own.statusCode, 200);
      const body = own.json();
      assert.deepEqual(body.entries.map((e: { objectId: string }) => e.objectId), [avsRecord]);
      const [entry] = body.entries;
      assert.deepEqual(entry.actor, { userId: ada.id, name: 'Ada Force', organisationId: force, organisationName: 'Avon and Somerset Police', role: 'investigator' });
      assert.equal(entry.event, 'case.update');
      assert.deepEqual(entry.subjects, [ada.id]);
      assert.deepEqual(entry.details, {});
      assert.deepEqual([body.older, body.newer], [null, null]);
      assert.equal(await apiSearches(t, ada.id), 1);

      const everyone = await apiClient(t, { person: nia, organisationId: national, scopes: ['audit.read'] });
      const all = (await everyone.get('/api/v1/audit/events?action=alter')).json();
      assert.deepEqual(all.entries.map((e: { objectId: string }) => e.objectId), [cpsRecord, avsRecord]);

      const unscoped = await apiClient(t, { person: ada, organisationId: force, scopes: [] });
      assert.equal((await unscoped.get('/api/v1/audit/events')).statusCode, 403);

      // Pages are linked by address, carrying the filters and page size.
      const first = (await everyone.get('/api/v1/audit/events?action=alter&limit=1')).json();
      assert.deepEqual(first.entries.map((e: { objectId: string }) => e.objectId), [cpsRecord]);
      assert.match(first.older, /^\/api\/v1\/audit\/events\?action=alter&before=\d+&limit=1$/);
      const second = (await everyone.get(first.older)).json();
      assert.deepEqual(second.entries.map((e: { objectId: string }) => e.objectId), [avsRecord]);
      assert.equal(second.older, null);
      const back = (await everyone.get(second.newer)).json();
      assert.deepEqual(back.entries.map((e: { objectId: string }) => e.objectId), [cpsRecord]);
    } finally {
      await t.close();
    }
  });

  test(`${engine}: GET /api/v1/audit/events refuses malformed searches with a problem report and records nothing`, async () => {
    const t = await testApp(engine);
    try {
      const force = await t.organisation('AVS', 'police_force');
      const ada = await t.person({ email: 'ada@avs.police.example.uk', roles: [[force, 'administrator']] });
      const client = await apiClient(t, { person: ada, organisationId: force, scopes: ['audit.read'] });
      for (const query of ['person=ada%40avs.police.example.uk', 'from=2025-02-30', 'from=2025-03-02&to=2025-03-01', 'limit=500', 'limit=0', 'before=1&after=2', 'action=shred', 'name=Ada']) {
        const response = await client.get(`/api/v1/audit/events?${query}`);
        assert.equal(response.statusCode, 400, query);
        assert.equal(response.headers['content-type'], 'application/problem+json; charset=utf-8', query);
        assert.equal(response.json().type, 'urn:rasso:problem:validation', query);
      }
      assert.equal(await apiSearches(t, ada.id), 0);
    } finally {
      await t.close();
    }
  });

  test(`${engine}: the audit search is described in the OpenAPI document`, async () => {
    const t = await testApp(engine);
    try {
      const document = (await t.app.inject({ method: 'GET', url: '/api/v1/openapi.json' })).json();
      const operation = document.paths['/api/v1/audit/events'].get;
      assert.deepEqual(operation.tags, ['audit']);
      assert.deepEqual(operation.parameters.map((p: { name: string }) => p.name).sort(), ['action', 'after', 'before', 'from', 'limit', 'object', 'person', 'subject', 'to']);
      assert.ok(operation.responses['200'].content['application/json'].schema.properties.entries);
      assert.ok(operation.responses['403'] && operation.responses['503']);
    } finally {
      await t.close();
    }
  });
}
