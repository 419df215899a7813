// The conferences part's JSON API: reading a case's conferences, recording
// one (Idempotency-Key; If-Match optional) and marking an action done
// (If-Match required). The same service and checks as the pages.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { allow } from '../../platform/access/policy.ts';
import { API_PREFIX, problemResponses } from '../../platform/api/schemas.ts';
import { DATE, ID, caseParams, createHeaders, createdSchema, dateParts, idParams, idempotencyOf, ifMatchHeader, versionSchema, withCheckedIfMatch } from '../api-support.ts';
import { MAX_ACTIONS, MAX_OTHERS, conferenceKinds, ownerSides } from './model.ts';
import type { ConferencesService } from './service.ts';

const conferenceSchema = {
  type: 'object',
  required: ['id', 'kind', 'heldOn', 'decisions', 'recordedByName', 'recordedAt', 'attendees', 'actions'],
  additionalProperties: false,
  properties: {
    id: { type: 'string', format: 'uuid' },
    kind: { type: 'string', enum: Object.keys(conferenceKinds) },
    heldOn: DATE,
    decisions: { type: 'string' },
    recordedByName: { type: 'string' },
    recordedAt: { type: 'string', format: 'date-time' },
    attendees: {
      type: 'array',
      items: {
        type: 'object', required: ['userId', 'name', 'organisation', 'role'], additionalProperties: false,
        properties: { userId: { type: ['string', 'null'], format: 'uuid', description: 'Set for someone on the case team' }, name: { type: 'string' }, organisation: { type: 'string' }, role: { type: 'string' } },
      },
    },
    actions: {
      type: 'array',
      items: {
        type: 'object', required: ['id', 'description', 'ownerSide', 'dueOn', 'doneAt'], additionalProperties: false,
        properties: { id: { type: 'string', format: 'uuid' }, description: { type: 'string' }, ownerSide: { type: 'string', enum: Object.keys(ownerSides) }, dueOn: DATE, doneAt: { type: ['string', 'null'], format: 'date-time' } },
      },
    },
  },
} as const;

export function registerConferencesApi(app: FastifyInstance, conferences: ConferencesService): void {
  const tags = ['cases'];
  const config = { policy: allow.signedIn, audit: 'required' as const };
  const caseIdOf = (request: FastifyRequest) => (request.params as { caseId: string }).caseId;

  app.get(`${API_PREFIX}/cases/:caseId/conferences`, {
    config,
    schema: {
      tags, operationId: 'listCaseConferences', summary: 'A case’s conferences, most recently held first', params: caseParams,
      response: { 200: { type: 'object', required: ['conferences'], properties: { conferences: { type: 'array', items: conferenceSchema } }, additionalProperties: false }, ...problemResponses('not-found') },
    },
  }, async (request, reply) => {
    const read = await conferences.conferences(request.actor!, request.auditContext, caseIdOf(request));
    reply.header('etag', `"${read.summary.version}"`);
    return {
      conferences: read.conferences.map((c) => ({
        id: c.id, kind: c.kind, heldOn: c.heldOn, decisions: c.decisions, recordedByName: c.recordedByName, recordedAt: c.recordedAt,
        attendees: c.attendees.map(({ userId, name, organisation, role }) => ({ userId, name, organisation, role })),
        actions: c.actions.map(({ id, description, ownerSide, dueOn, doneAt }) => ({ id, description, ownerSide, dueOn, doneAt })),
      })),
    };
  });

  app.post(`${API_PREFIX}/cases/:caseId/conferences`, {
    config,
    schema: {
      tags, operationId: 'recordCaseConference', summary: 'Record a conference held on a case',
      description: 'For either side of the case team and its supervisors. Team attendees are user ids of the current case team; others are named with their organisation and role. Send an Idempotency-Key to make retries safe; If-Match is optional (a stale one is 412).',
      params: caseParams, headers: createHeaders,
      body: {
        type: 'object', required: ['kind', 'heldOn', 'decisions'], additionalProperties: false,
        properties: {
          kind: { type: 'string', enum: Object.keys(conferenceKinds) },
          heldOn: DATE,
          teamAttendees: { type: 'array', items: ID, maxItems: 20, uniqueItems: true },
          others: {
            type: 'array', maxItems: MAX_OTHERS,
            items: { type: 'object', required: ['name', 'organisation', 'role'], additionalProperties: false, properties: { name: { type: 'string', minLength: 1, maxLength: 100 }, organisation: { type: 'string', minLength: 1, maxLength: 100 }, role: { type: 'string', minLength: 1, maxLength: 100 } } },
          },
          decisions: { type: 'string', minLength: 1, maxLength: 5000 },
          actions: {
            type: 'array', maxItems: MAX_ACTIONS,
            items: { type: 'object', required: ['description', 'ownerSide', 'dueOn'], additionalProperties: false, properties: { description: { type: 'string', minLength: 1, maxLength: 500 }, ownerSide: { type: 'string', enum: Object.keys(ownerSides) }, dueOn: DATE } },
          },
        },
      },
      response: { 201: createdSchema, ...problemResponses('validation', 'not-found', 'forbidden', 'precondition-failed', 'idempotency-key-reused') },
    },
  }, async (request, reply) => {
    const caseId = caseIdOf(request);
    const body = request.body as { kind: string; heldOn: string; teamAttendees?: string[]; others?: { name: string; organisation: string; role: string }[]; decisions: string; actions?: { description: string; ownerSide: string; dueOn: string }[] };
    const input = {
      kind: body.kind, heldOn: dateParts(body.heldOn), teamAttendees: body.teamAttendees ?? [], others: body.others ?? [], decisions: body.decisions,
      actions: (body.actions ?? []).map((a) => ({ description: a.description, ownerSide: a.ownerSide, dueOn: dateParts(a.dueOn) })),
    };
    const created = await withCheckedIfMatch(request, (version) => conferences.record(request.actor!, request.auditContext, caseId, input, version, idempotencyOf(request)), false);
    return reply.code(201).header('etag', `"${created.caseVersion}"`).header('location', `${API_PREFIX}/cases/${caseId}/conferences`).send(created);
  });

  app.post(`${API_PREFIX}/cases/:caseId/conference-actions/:actionId/done`, {
    config,
    schema: {
      tags, operationId: 'markConferenceActionDone', summary: 'Mark an action agreed at a conference as done', description: 'Send If-Match with the case’s ETag. An action already done is refused (400).',
      params: idParams('caseId', 'actionId'),
      headers: ifMatchHeader,
      response: { 200: versionSchema, ...problemResponses('validation', 'not-found', 'forbidden', 'precondition-failed', 'precondition-required') },
    },
  }, async (request, reply) => {
    const { caseId, actionId } = request.params as { caseId: string; actionId: string };
    const version = await withCheckedIfMatch(request, (v) => conferences.markActionDone(request.actor!, request.auditContext, caseId, actionId, v));
    reply.header('etag', `"${version}"`);
    return { caseVersion: version };
  });
}
