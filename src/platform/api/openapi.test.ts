// The API contract: /api/v1/openapi.json is an OpenAPI 3.1 document that
// describes every /api/v1 route of the app, and what the routes really answer
// (successes and problem+json failures) matches what the document says.
// Every documented GET operation is called: as someone allowed to, without a
// token (401), with a token lacking the scope (403), for a record that does
// not exist (404) and, where the example says how, invalidly (400). A new
// operation needs an example below, or this test fails.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { engines } from '../../../test/support/databases.ts';
import { testAppWithRoutes } from '../../../test/support/app.ts';
import type { TestApp, TestPerson } from '../../../test/support/app.ts';
import { permissions } from '../access/roles.ts';
import type { Permission } from '../access/roles.ts';
import { newId } from '../db/ids.ts';
import { createCasesService } from '../../cases/service.ts';
import { systemContext } from '../audit/model.ts';
import { API_PREFIX } from './schemas.ts';
import { inTransaction } from '../db/transaction.ts';
import { victimsOf } from '../../victims/repository.ts';
import { shippedPlan } from '../../plans/shipped.ts';
import { writeShippedPlan } from '../../plans/service.ts';
import { progressReport, reportRevision } from '../../plans/publishing/model.ts';
import { readPlanData, writeEdition } from '../../plans/publishing/service.ts';
import { quarterKey, recentQuarters } from '../../governance/assurance/model.ts';
import { londonDate } from '../time/working-days.ts';
import { londonDate as joimToday } from '../time/working-days.ts';
import { scrutinyExample } from '../../governance/scrutiny/test-support.ts';
import { apiClient } from './test-support.ts';
import { assertDocumented, operationsOf, pathParameters, schemaValidator, urlFor } from '../../../test/support/openapi.ts';
import type { Document } from '../../../test/support/openapi.ts';
import type { ApiClient } from './test-support.ts';

/** The data every example is drawn from. */
interface World {
  readonly national: string;
  readonly force: string;
  readonly administrator: TestPerson;
  readonly officer: TestPerson;
  /** A case with the administrator on its team (they are also an investigator of the force). */
  readonly caseId: string;
  /** The case's victim. */
  readonly victimId: string;
  /** A shipped national plan and one of its actions. */
  readonly planId: string;
  readonly actionId: string;
  /** A published edition of that plan's progress report. */
  readonly editionId: string;
  /** A draft letter to the victim. */
  readonly letterId: string;
  /** A JOIM of the force and the Area: a meeting held today and an action agreed at it. */
  readonly area: string;
  readonly joimMeetingId: string;
  readonly joimActionId: string;
  /** A draft quarterly assurance report of the force, started by its plan lead. */
  readonly assuranceReportId: string;
  /** An NFA scrutiny panel chaired by the force's supervisor, its round and pack, and learning sent to the administrator (the case's officer). */
  readonly scrutiny: { readonly panelId: string; readonly roundId: string; readonly packId: string; readonly learningId: string };
}

interface Example {
  /** Who calls: the national administrator unless the operation is for someone else (a force's supervisor). */
  readonly as?: 'supervisor';
  readonly params?: Record<string, string>;
  readonly query?: Record<string, string>;
  /** Path parameters that name nothing (default: a fresh UUID for each). */
  readonly missing?: Record<string, string>;
  /** A call the operation must refuse as not valid (400). */
  readonly invalid?: { readonly params?: Record<string, string>; readonly query?: Record<string, string> };
}

/** One example call per documented GET path, made by the national administrator unless it says otherwise. */
const examples: Record<string, (world: World) => Example> = {
  [`${API_PREFIX}/openapi.json`]: () => ({}),
  [`${API_PREFIX}/me`]: () => ({}),
  [`${API_PREFIX}/audit/events`]: () => ({ query: { limit: '2' }, invalid: { query: { person: 'not-an-id' } } }),
  [`${API_PREFIX}/organisations`]: () => ({}),
  [`${API_PREFIX}/organisations/{id}`]: (world) => ({ params: { id: world.force }, invalid: { params: { id: 'not-an-id' } } }),
  [`${API_PREFIX}/people/{id}`]: (world) => ({ params: { id: world.officer.id }, invalid: { params: { id: 'not-an-id' } } }),
  [`${API_PREFIX}/cases`]: () => ({ query: { sort: 'reference', order: 'ascending' }, invalid: { query: { sort: 'nonsense' } } }),
  [`${API_PREFIX}/cases/{caseId}`]: (world) => ({ params: { caseId: world.caseId }, invalid: { params: { caseId: 'not-an-id' } } }),
  [`${API_PREFIX}/cases/{caseId}/early-advice`]: (world) => ({ params: { caseId: world.caseId }, invalid: { params: { caseId: 'not-an-id' } } }),
  [`${API_PREFIX}/cases/{caseId}/action-plans`]: (world) => ({ params: { caseId: world.caseId }, invalid: { params: { caseId: 'not-an-id' } } }),
  [`${API_PREFIX}/cases/{caseId}/charging`]: (world) => ({ params: { caseId: world.caseId }, invalid: { params: { caseId: 'not-an-id' } } }),
  [`${API_PREFIX}/cases/{caseId}/notes`]: (world) => ({ params: { caseId: world.caseId }, invalid: { params: { caseId: 'not-an-id' } } }),
  [`${API_PREFIX}/cases/{caseId}/conferences`]: (world) => ({ params: { caseId: world.caseId }, invalid: { params: { caseId: 'not-an-id' } } }),
  [`${API_PREFIX}/cases/{caseId}/court`]: (world) => ({ params: { caseId: world.caseId }, invalid: { params: { caseId: 'not-an-id' } } }),
  [`${API_PREFIX}/cases/{caseId}/police-nfa`]: (world) => ({ params: { caseId: world.caseId }, invalid: { params: { caseId: 'not-an-id' } } }),
  [`${API_PREFIX}/cases/{caseId}/deadlines`]: (world) => ({ params: { caseId: world.caseId }, invalid: { params: { caseId: 'not-an-id' } } }),
  [`${API_PREFIX}/cases/{caseId}/investigation`]: (world) => ({ params: { caseId: world.caseId }, invalid: { params: { caseId: 'not-an-id' } } }),
  [`${API_PREFIX}/cases/{caseId}/attribution`]: (world) => ({ params: { caseId: world.caseId }, invalid: { params: { caseId: 'not-an-id' } } }),
  [`${API_PREFIX}/queues/awaiting-response`]: () => ({ query: { sort: 'reference', order: 'ascending' }, invalid: { query: { sort: 'nonsense' } } }),
  [`${API_PREFIX}/queues/due-soon`]: () => ({ query: { page: '1' }, invalid: { query: { page: '0' } } }),
  [`${API_PREFIX}/queues/overdue`]: () => ({ query: { page: '1' }, invalid: { query: { page: '0' } } }),
  [`${API_PREFIX}/queues/escalated`]: () => ({ query: { page: '1' }, invalid: { query: { page: '0' } } }),
  [`${API_PREFIX}/queues/unit`]: () => ({ as: 'supervisor', query: { stage: 'investigation', page: '1' }, invalid: { query: { page: '0' } } }),
  [`${API_PREFIX}/victims`]: () => ({}),
  [`${API_PREFIX}/cases/{caseId}/victims`]: (world) => ({ params: { caseId: world.caseId }, invalid: { params: { caseId: 'not-an-id' } } }),
  ...Object.fromEntries(['', '/communication', '/communication/contacts', '/letters', '/rights', '/court-support', '/withdrawals'].map((part) => [
    `${API_PREFIX}/cases/{caseId}/victims/{victimId}${part}`,
    (world: World): Example => ({ params: { caseId: world.caseId, victimId: world.victimId }, invalid: { params: { caseId: world.caseId, victimId: 'not-an-id' } } }),
  ])),
  // Compartments: the supervisor has recorded why they open them (buildWorld).
  ...Object.fromEntries(['devices', 'third-party-material'].map((compartment) => [
    `${API_PREFIX}/cases/{caseId}/victims/{victimId}/sensitive-material/${compartment}`,
    (world: World): Example => ({ as: 'supervisor', params: { caseId: world.caseId, victimId: world.victimId }, invalid: { params: { caseId: world.caseId, victimId: 'not-an-id' } } }),
  ])),
  [`${API_PREFIX}/cases/{caseId}/victims/{victimId}/letters/{letterId}/pdf`]: (world) => ({ as: 'supervisor', params: { caseId: world.caseId, victimId: world.victimId, letterId: world.letterId }, invalid: { params: { caseId: world.caseId, victimId: world.victimId, letterId: 'not-an-id' } } }),
  [`${API_PREFIX}/plans`]: () => ({}),
  [`${API_PREFIX}/plans/{planId}`]: (world) => ({ params: { planId: world.planId }, invalid: { params: { planId: 'not-an-id' } } }),
  [`${API_PREFIX}/plans/{planId}/actions/{actionId}`]: (world) => ({ params: { planId: world.planId, actionId: world.actionId }, invalid: { params: { planId: world.planId, actionId: 'not-an-id' } } }),
  // The JOIM is for the force's managers: its supervisor sits on it.
  ...Object.fromEntries(['meetings', 'actions'].map((part) => [
    `${API_PREFIX}/joim/pairs/{forceId}/{cpsAreaId}/${part}`,
    (world: World): Example => ({ as: 'supervisor', params: { forceId: world.force, cpsAreaId: world.area }, invalid: { params: { forceId: 'not-an-id', cpsAreaId: world.area } } }),
  ])),
  ...Object.fromEntries(['', '/pack'].map((part) => [
    `${API_PREFIX}/joim/meetings/{meetingId}${part}`,
    (world: World): Example => ({ as: 'supervisor', params: { meetingId: world.joimMeetingId }, invalid: { params: { meetingId: 'not-an-id' } } }),
  ])),
  [`${API_PREFIX}/joim/actions/{actionId}`]: (world) => ({ as: 'supervisor', params: { actionId: world.joimActionId }, invalid: { params: { actionId: 'not-an-id' } } }),
  [`${API_PREFIX}/joim/my-actions`]: () => ({ as: 'supervisor' }),
  ...Object.fromEntries(['progress-report', 'editions'].map((part) => [
    `${API_PREFIX}/plans/{planId}/${part}`,
    (world: World): Example => ({ params: { planId: world.planId }, invalid: { params: { planId: 'not-an-id' } } }),
  ])),
  ...Object.fromEntries(['', '/pdf'].map((part) => [
    `${API_PREFIX}/plans/{planId}/editions/{editionId}${part}`,
    (world: World): Example => ({ params: { planId: world.planId, editionId: world.editionId }, invalid: { params: { planId: world.planId, editionId: 'not-an-id' } } }),
  ])),
  [`${API_PREFIX}/plans/{planId}/export`]: (world) => ({ params: { planId: world.planId }, query: { format: 'xlsx' }, invalid: { query: { format: 'pdf' } } }),
  // The national plan's leads: the administrator is one of the national organisation's plan leads too (buildWorld).
  [`${API_PREFIX}/plans/{planId}/lead-candidates`]: (world) => ({ params: { planId: world.planId }, invalid: { params: { planId: 'not-an-id' } } }),
  // Assurance reports are for the force's managers: its supervisor reads them.
  [`${API_PREFIX}/assurance-reports`]: () => ({ as: 'supervisor' }),
  [`${API_PREFIX}/assurance-reports/{reportId}`]: (world) => ({ as: 'supervisor', params: { reportId: world.assuranceReportId }, invalid: { params: { reportId: 'not-an-id' } } }),
  [`${API_PREFIX}/assurance-reports/{reportId}/versions/{number}`]: (world) => ({ as: 'supervisor', params: { reportId: world.assuranceReportId, number: '1' }, missing: { reportId: newId(), number: '1' }, invalid: { params: { reportId: world.assuranceReportId, number: 'first' } } }),
  // Scrutiny panels are for their members: the force's supervisor chairs one; learning is for the officer it went to (the administrator).
  [`${API_PREFIX}/scrutiny/panels`]: () => ({ as: 'supervisor' }),
  [`${API_PREFIX}/scrutiny/panels/{panelId}`]: (world) => ({ as: 'supervisor', params: { panelId: world.scrutiny.panelId }, invalid: { params: { panelId: 'not-an-id' } } }),
  [`${API_PREFIX}/scrutiny/panels/{panelId}/rounds/{roundId}`]: (world) => ({ as: 'supervisor', params: { panelId: world.scrutiny.panelId, roundId: world.scrutiny.roundId }, invalid: { params: { panelId: world.scrutiny.panelId, roundId: 'not-an-id' } } }),
  [`${API_PREFIX}/scrutiny/panels/{panelId}/themes`]: (world) => ({ as: 'supervisor', params: { panelId: world.scrutiny.panelId }, query: { view: 'panel' }, invalid: { query: { view: 'everything' } } }),
  [`${API_PREFIX}/scrutiny/packs/{packId}`]: (world) => ({ as: 'supervisor', params: { packId: world.scrutiny.packId }, invalid: { params: { packId: 'not-an-id' } } }),
  [`${API_PREFIX}/scrutiny/learning`]: () => ({}),
  [`${API_PREFIX}/scrutiny/learning/{learningId}`]: (world) => ({ params: { learningId: world.scrutiny.learningId }, invalid: { params: { learningId: 'not-an-id' } } }),
};

async function buildWorld(t: TestApp): Promise<{ world: World; caller: ApiClient; unscoped: ApiClient; supervisor: ApiClient }> {
  const national = await t.organisation('NAT', 'national', 'National RASSO team');
  const force = await t.organisation('AVS', 'police_force', 'Avon and Somerset Police');
  const area = await t.organisation('CPS-SW', 'cps_area', 'CPS South West');
  const administrator = await t.person({ email: 'admin@rasso.example.gov.uk', name: 'Alex Admin', roles: [[national, 'administrator'], [national, 'plan_lead'], [force, 'investigator']] });
  const officer = await t.person({ email: 'sam@avs.police.example.uk', name: 'Sam Jones', roles: [[force, 'investigator']] });
  const caseId = await createCasesService(t.platform).operator.createCase(systemContext(), {
    policeReference: 'AS/10001/25', forceId: force, cpsAreaId: area, offenceClass: 'rape_16_plus', reportedOn: '2025-03-27',
    people: [{ category: 'victim', name: 'Victim One' }], team: [{ userId: administrator.id, organisationId: force, role: 'oic' }],
  });
  const scopes = Object.keys(permissions) as Permission[];
  const caller = await apiClient(t, { person: administrator, organisationId: national, scopes });
  // The same person's token issued for no permission at all: refused wherever a permission is needed.
  const unscoped = await apiClient(t, { person: administrator, organisationId: national, scopes: [] });
  const supervisorPerson = await t.person({ email: 'priya@avs.police.example.uk', name: 'Priya Shah', roles: [[force, 'police_supervisor']] });
  const supervisor = await apiClient(t, { person: supervisorPerson, organisationId: force, scopes });
  const [victim] = await victimsOf(t.platform.db, caseId);
  for (const compartment of ['devices', 'third-party-material']) {
    const reveal = await supervisor.request({ method: 'POST', url: `${API_PREFIX}/cases/${caseId}/victims/${victim!.id}/sensitive-material/reveals`, payload: { compartment, category: 'supervision', reason: 'Supervisory review of the victim’s records' } });
    assert.equal(reveal.statusCode, 201, reveal.body);
  }
  const etag = String((await supervisor.get(`${API_PREFIX}/cases/${caseId}`)).headers.etag);
  const letter = await supervisor.request({ method: 'POST', url: `${API_PREFIX}/cases/${caseId}/victims/${victim!.id}/letters`, headers: { 'if-match': etag, 'idempotency-key': 'openapi-letter' }, payload: { template: 'hello', language: 'en', contactDetails: 'Call 0117 496 0000 (Monday to Friday)' } });
  assert.equal(letter.statusCode, 201, letter.body);
  const planId = await inTransaction(t.platform.db, (tx) => writeShippedPlan(tx, shippedPlan('jnap-2021'), { ownerOrganisationId: national, nextReviewOn: '2030-01-01', now: t.clock.now() }));
  const edition = await inTransaction(t.platform.db, async (tx) => {
    const report = progressReport((await readPlanData(tx, planId))!);
    return writeEdition(tx, { report, revision: reportRevision(report), publishedBy: administrator.id, now: t.clock.now() });
  });
  const action = await t.platform.db.selectFrom('plan_actions').select('id').where('plan_id', '=', planId).executeTakeFirstOrThrow();
  const assuranceLead = await t.person({ email: 'nadia@avs.police.example.uk', name: 'Nadia Hussain', roles: [[force, 'plan_lead']] });
  const [lastQuarter] = recentQuarters(londonDate(t.clock.now()), 1);
  const report = await (await apiClient(t, { person: assuranceLead, organisationId: force, scopes })).request({ method: 'POST', url: `${API_PREFIX}/assurance-reports`, payload: { quarter: quarterKey(lastQuarter!) } });
  assert.equal(report.statusCode, 201, report.body);
  // A JOIM meeting held today, with an action for the officer.
  const joimJson = { 'content-type': 'application/json' };
  const joimMeeting = await supervisor.request({ method: 'POST', url: `${API_PREFIX}/joim/pairs/${force}/${area}/meetings`, headers: joimJson, payload: { meetsOn: joimToday(t.clock.now()), startsAt: '10:00', place: 'Trinity Road Police Station, Bristol' } });
  assert.equal(joimMeeting.statusCode, 201, joimMeeting.body);
  const joimMeetingId = joimMeeting.json<{ meeting: { id: string } }>().meeting.id;
  const joimHeld = await supervisor.request({ method: 'PUT', url: `${API_PREFIX}/joim/meetings/${joimMeetingId}/attendance`, headers: { ...joimJson, 'if-match': '"1"' }, payload: { userIds: [supervisorPerson.id], guests: [] } });
  assert.equal(joimHeld.statusCode, 200, joimHeld.body);
  const joimAction = await supervisor.request({ method: 'POST', url: `${API_PREFIX}/joim/meetings/${joimMeetingId}/actions`, headers: joimJson, payload: { text: 'Chase the action plan responses', ownerUserId: officer.id, dueOn: joimToday(t.clock.now()) } });
  assert.equal(joimAction.statusCode, 201, joimAction.body);
  const joim = { area, joimMeetingId, joimActionId: joimAction.json<{ action: { id: string } }>().action.id };
  const scrutiny = await scrutinyExample(t, { force, area, chairId: supervisorPerson.id, oicId: administrator.id });
  return { world: { ...joim, scrutiny, national, force, administrator, officer, caseId, victimId: victim!.id, planId, actionId: action.id, editionId: edition.id, letterId: letter.json<{ id: string }>().id, assuranceReportId: report.json<{ id: string }>().id }, caller, unscoped, supervisor };
}

// Just enough of the OpenAPI 3.1 document's structure to hold the generator to it.
const openApiShape = {
  type: 'object',
  required: ['openapi', 'info', 'paths', 'components'],
  properties: {
    openapi: { const: '3.1.0' },
    info: {
      type: 'object',
      required: ['title', 'version'],
      properties: { title: { type: 'string', minLength: 1 }, version: { type: 'string', minLength: 1 }, description: { type: 'string' } },
    },
    servers: { type: 'array', items: { type: 'object', required: ['url'], properties: { url: { type: 'string' } } } },
    security: { $ref: '#/$defs/security' },
    components: {
      type: 'object',
      required: ['schemas', 'securitySchemes'],
      properties: {
        schemas: { type: 'object', additionalProperties: { type: 'object' } },
        securitySchemes: { type: 'object', additionalProperties: { type: 'object', required: ['type'] } },
      },
    },
    paths: {
      type: 'object',
      propertyNames: { pattern: `^${API_PREFIX}/` },
      additionalProperties: {
        type: 'object',
        propertyNames: { enum: ['get', 'put', 'post', 'delete', 'patch', 'options', 'trace'] },
        additionalProperties: { $ref: '#/$defs/operation' },
      },
    },
  },
  $defs: {
    security: { type: 'array', items: { type: 'object', additionalProperties: { type: 'array', items: { type: 'string' } } } },
    operation: {
      type: 'object',
      required: ['responses'],
      properties: {
        operationId: { type: 'string', minLength: 1 },
        summary: { type: 'string' },
        description: { type: 'string' },
        tags: { type: 'array', items: { type: 'string' } },
        security: { $ref: '#/$defs/security' },
        parameters: {
          type: 'array',
          items: {
            type: 'object',
            required: ['name', 'in', 'schema'],
            properties: { name: { type: 'string' }, in: { enum: ['path', 'query', 'header', 'cookie'] }, required: { type: 'boolean' }, schema: { type: 'object' } },
            if: { properties: { in: { const: 'path' } } },
            then: { required: ['required'], properties: { required: { const: true } } },
          },
        },
        requestBody: { type: 'object', required: ['content'], properties: { content: { $ref: '#/$defs/content' } } },
        responses: {
          type: 'object',
          minProperties: 1,
          propertyNames: { pattern: '^([1-5]([0-9]{2}|XX)|default)$' },
          additionalProperties: {
            type: 'object',
            required: ['description'],
            properties: { description: { type: 'string', minLength: 1 }, content: { $ref: '#/$defs/content' } },
          },
        },
      },
    },
    content: { type: 'object', minProperties: 1, additionalProperties: { type: 'object', required: ['schema'], properties: { schema: { type: 'object' } } } },
  },
} as const;

for (const engine of engines) {
  test(`${engine}: the OpenAPI document describes every /api/v1 route, and real responses match it`, async (t) => {
    const { t: platform, routes } = await testAppWithRoutes(engine);
    try {
      const callers = await buildWorld(platform);
      const { world, caller, unscoped } = callers;
      const served = await platform.app.inject({ method: 'GET', url: `${API_PREFIX}/openapi.json` });
      assert.equal(served.statusCode, 200);
      assert.match(String(served.headers['content-type']), /^application\/json/);
      const document = served.json<Document>();
      const validatorFor = schemaValidator(document);
      const operations = operationsOf(document);

      await t.test('it is an OpenAPI 3.1 document', () => {
        const shape = validatorFor(openApiShape);
        assert.ok(shape(document), JSON.stringify(shape.errors, null, 2));
        assert.ok(document.components.schemas.Problem, 'the shared Problem schema is a component');
        const schemes = new Set(Object.keys(document.components.securitySchemes));
        for (const requirement of [...(document.security ?? []), ...operations.flatMap((operation) => operation.security ?? [])]) {
          for (const scheme of Object.keys(requirement)) assert.ok(schemes.has(scheme), `security scheme ${scheme} is not defined`);
        }
        const ids = operations.flatMap((operation) => (operation.operationId ? [operation.operationId] : []));
        assert.equal(new Set(ids).size, ids.length, `operation ids are unique: ${ids.join(', ')}`);
        for (const operation of operations) {
          const declared = (operation.parameters ?? []).filter((parameter) => parameter.in === 'path').map((parameter) => parameter.name).sort();
          assert.deepEqual(declared, pathParameters(operation.path).sort(), `${operation.method} ${operation.path}: path parameters are declared`);
          const success = Object.entries(operation.responses).filter(([status]) => status.startsWith('2'));
          assert.ok(success.length > 0 && success.every(([, response]) => response.content), `${operation.method} ${operation.path}: documents its successful response and its schema`);
          // Every schema in the document compiles (strict: unknown keywords and formats are errors).
          for (const response of Object.values(operation.responses)) for (const media of Object.values(response.content ?? {})) validatorFor(media.schema);
        }
      });

      await t.test('every /api/v1 route of the app is documented, and nothing else is', () => {
        const documented = new Set(operations.map((operation) => `${operation.method} ${operation.path}`));
        const apiRoutes = routes
          .filter((route) => route.method !== 'HEAD' && route.url.startsWith(`${API_PREFIX}/`))
          .map((route) => `${route.method} ${route.url.replace(/:([A-Za-z0-9_]+)(\([^)]*\))?/g, '{$1}')}`);
        assert.ok(apiRoutes.includes(`GET ${API_PREFIX}/me`), 'the routes were listed');
        assert.deepEqual([...documented].sort(), [...new Set(apiRoutes)].sort());
      });

      await t.test('every documented GET operation has an example, and every example an operation', () => {
        const gets = operations.filter((operation) => operation.method === 'GET').map((operation) => operation.path);
        assert.deepEqual(gets.filter((path) => !examples[path]), [], 'documented GET operations without an example call');
        assert.deepEqual(Object.keys(examples).filter((path) => !gets.includes(path)), [], 'examples for operations that are not documented');
      });

      await t.test('an unknown /api/v1 address answers a Problem', async () => {
        const answer = await caller.get(`${API_PREFIX}/no-such-thing`);
        assert.equal(answer.statusCode, 404);
        assert.match(String(answer.headers['content-type']), /^application\/problem\+json/);
        const problem = validatorFor({ $ref: '#/components/schemas/Problem' });
        assert.ok(problem(answer.json()), JSON.stringify(problem.errors));
      });

      for (const operation of operations.filter((candidate) => candidate.method === 'GET')) {
        const example = examples[operation.path];
        if (!example) continue; // reported above
        await t.test(`GET ${operation.path}`, async () => {
          const { as, params = {}, query = {}, missing, invalid } = example(world);
          const caller = as === 'supervisor' ? callers.supervisor : callers.caller;
          const ok = await caller.get(urlFor(operation.path, params, query));
          assert.ok(ok.statusCode >= 200 && ok.statusCode < 300, `the example call succeeds (got ${ok.statusCode}: ${ok.body.slice(0, 300)})`);
          assertDocumented(operation, ok, validatorFor);

          const isPublic = (operation.security ?? document.security ?? []).length === 0;
          if (!isPublic) {
            const anonymous = await platform.app.inject({ method: 'GET', url: urlFor(operation.path, params, query) });
            assert.equal(anonymous.statusCode, 401, 'refused without a token');
            assertDocumented(operation, anonymous, validatorFor);
            const forged = await platform.app.inject({ method: 'GET', url: urlFor(operation.path, params, query), headers: { authorization: 'Bearer rasso_not-a-real-token' } });
            assert.equal(forged.statusCode, 401, 'refused with a token that was never issued');
            assertDocumented(operation, forged, validatorFor);
          }

          if (operation.responses['403']) {
            const forbidden = await unscoped.get(urlFor(operation.path, params, query));
            assert.equal(forbidden.statusCode, 403, 'refused to a token without the scope');
            assertDocumented(operation, forbidden, validatorFor);
          }

          const names = pathParameters(operation.path);
          if (names.length > 0) {
            const absent = missing ?? Object.fromEntries(names.map((name) => [name, newId()]));
            const notFound = await caller.get(urlFor(operation.path, { ...params, ...absent }, query));
            assert.equal(notFound.statusCode, 404, 'a record that does not exist is not found');
            assertDocumented(operation, notFound, validatorFor);
          }

          if (invalid) {
            const refused = await caller.get(urlFor(operation.path, { ...params, ...invalid.params }, { ...query, ...invalid.query }));
            assert.equal(refused.statusCode, 400, 'an invalid call is refused');
            assertDocumented(operation, refused, validatorFor);
          }
        });
      }
    } finally {
      await platform.close();
    }
  });
}
