import { test } from 'node:test';
import assert from 'node:assert/strict';
import { engines } from '../../../test/support/databases.ts';
import { testApp } from '../../../test/support/app.ts';
import type { TestApp } from '../../../test/support/app.ts';
import { apiClient } from '../api/test-support.ts';
import { versionFromIfMatch } from './api.ts';

async function world(t: TestApp) {
  const national = await t.organisation('NRP', 'national', 'National RASSO Programme');
  const avon = await t.organisation('AVS', 'police_force', 'Avon and Somerset Police');
  const met = await t.organisation('MPS', 'police_force', 'Metropolitan Police Service');
  const alex = await t.person({ email: 'alex@nrp.example', name: 'Alex Morgan', roles: [[national, 'administrator']] });
  const lee = await t.person({ email: 'lee@avs.example', name: 'Lee Harris', roles: [[avon, 'administrator']] });
  const sam = await t.person({ email: 'sam@avs.example', name: 'Sam Taylor', roles: [[avon, 'investigator'], [met, 'investigator']] });
  const ruth = await t.person({ email: 'ruth@met.example', name: 'Ruth Adeyemi', roles: [[met, 'investigator']] });
  return { national, avon, met, alex, lee, sam, ruth };
}

test('If-Match names a version only as one strong ETag', () => {
  assert.equal(versionFromIfMatch('"3"'), 3);
  assert.equal(versionFromIfMatch(' "12" '), 12);
  for (const header of ['W/"3"', '*', '"3", "4"', '3', '"0"', '"abc"', '']) assert.equal(versionFromIfMatch(header), null, header);
});

for (const engine of engines) {
  test(`${engine}: an integration lists and reads the organisations its administrator manages`, async () => {
    const t = await testApp(engine);
    try {
      const w = await world(t);
      const national = await apiClient(t, { person: w.alex, organisationId: w.national, scopes: ['directory.manage'] });
      const list = await national.get('/api/v1/organisations');
      assert.equal(list.statusCode, 200);
      assert.deepEqual(list.json().organisations.map((o: { code: string }) => o.code).sort(), ['AVS', 'MPS', 'NRP']);

      const local = await apiClient(t, { person: w.lee, organisationId: w.avon, scopes: ['directory.manage'] });
      assert.deepEqual((await local.get('/api/v1/organisations')).json().organisations.map((o: { code: string }) => o.code), ['AVS']);
      const own = await local.get(`/api/v1/organisations/${w.avon}`);
      assert.equal(own.statusCode, 200);
      assert.equal(own.headers.etag, '"1"');
      assert.deepEqual(Object.keys(own.json()).sort(), ['code', 'createdAt', 'id', 'kind', 'name', 'updatedAt', 'version']);
      assert.equal((await local.get(`/api/v1/organisations/${w.met}`)).statusCode, 404);
      assert.equal((await local.get('/api/v1/organisations/not-a-uuid')).statusCode, 400);

      const unscoped = await apiClient(t, { person: w.lee, organisationId: w.avon, scopes: ['audit.read'] });
      assert.equal((await unscoped.get('/api/v1/organisations')).statusCode, 403);
      assert.equal((await t.app.inject({ method: 'GET', url: '/api/v1/organisations' })).statusCode, 401);
    } finally {
      await t.close();
    }
  });

  test(`${engine}: renaming needs the current ETag in If-Match: 428 without, 412 when stale`, async () => {
    const t = await testApp(engine);
    try {
      const w = await world(t);
      const api = await apiClient(t, { person: w.lee, organisationId: w.avon, scopes: ['directory.manage'] });
      const url = `/api/v1/organisations/${w.avon}`;
      const patch = (headers: Record<string, string>, body: unknown = { name: 'Avon & Somerset Constabulary' }) =>
        api.request({ method: 'PATCH', url, headers: { 'content-type': 'application/json', ...headers }, payload: JSON.stringify(body) });

      const missing = await patch({});
      assert.equal(missing.statusCode, 428);
      assert.match(String(missing.headers['content-type']), /application\/problem\+json/);
      assert.equal(missing.json().type, 'urn:rasso:problem:precondition-required');
      assert.equal((await patch({ 'if-match': 'W/"1"' })).statusCode, 412);

      const renamed = await patch({ 'if-match': '"1"' });
      assert.equal(renamed.statusCode, 200);
      assert.equal(renamed.headers.etag, '"2"');
      assert.equal(renamed.json().name, 'Avon & Somerset Constabulary');

      const stale = await patch({ 'if-match': '"1"' }, { name: 'Overwritten' });
      assert.equal(stale.statusCode, 412);
      assert.equal(stale.json().type, 'urn:rasso:problem:precondition-failed');
      assert.equal((await api.get(url)).json().name, 'Avon & Somerset Constabulary');

      const blank = await patch({ 'if-match': '"2"' }, { name: '   ' });
      assert.equal(blank.statusCode, 400);
      assert.equal(blank.json().errors[0].field, 'name');
      assert.equal((await patch({ 'if-match': '"2"' }, { name: 'x', extra: true })).statusCode, 400);
      assert.equal((await api.request({ method: 'PATCH', url: `/api/v1/organisations/${w.met}`, headers: { 'content-type': 'application/json', 'if-match': '"1"' }, payload: '{"name":"Mine"}' })).statusCode, 404);
    } finally {
      await t.close();
    }
  });

  test(`${engine}: reading a person shows only their roles in organisations the caller manages, and is audited`, async () => {
    const t = await testApp(engine);
    try {
      const w = await world(t);
      const api = await apiClient(t, { person: w.lee, organisationId: w.avon, scopes: ['directory.manage'] });
      const sam = await api.get(`/api/v1/people/${w.sam.id}`);
      assert.equal(sam.statusCode, 200);
      assert.deepEqual(sam.json(), {
        id: w.sam.id,
        email: 'sam@avs.example',
        name: 'Sam Taylor',
        disabled: false,
        authenticatorSetUp: true,
        memberships: [{ organisationId: w.avon, organisationCode: 'AVS', organisationName: 'Avon and Somerset Police', role: 'investigator', teamId: null, teamName: null }],
      });
      const consulted = await t.platform.db.selectFrom('audit_events').select(['subjects', 'actor_user_id']).where('action', '=', 'consult').execute();
      assert.deepEqual(consulted.map((row) => [JSON.parse(row.subjects), row.actor_user_id]), [[[w.sam.id], w.lee.id]]);

      assert.equal((await api.get(`/api/v1/people/${w.ruth.id}`)).statusCode, 404);
      const national = await apiClient(t, { person: w.alex, organisationId: w.national, scopes: ['directory.manage'] });
      assert.equal((await national.get(`/api/v1/people/${w.sam.id}`)).json().memberships.length, 2);
    } finally {
      await t.close();
    }
  });
}
