// The details part's JSON API: changing a case's references (If-Match) and
// reading and adding notes (Idempotency-Key). The same service and checks as
// the pages. (The review of break-glass access is a page only: see the
// operations guide.)
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { allow } from '../../platform/access/policy.ts';
import { API_PREFIX, problemResponses } from '../../platform/api/schemas.ts';
import { caseParams, createHeaders, createdSchema, idempotencyOf, ifMatchHeader, versionSchema, withCheckedIfMatch } from '../api-support.ts';
import { noteKinds } from './model.ts';
import type { DetailsService } from './service.ts';

export function registerDetailsApi(app: FastifyInstance, details: DetailsService): void {
  const tags = ['cases'];
  const config = { policy: allow.signedIn, audit: 'required' as const };
  const caseIdOf = (request: FastifyRequest) => (request.params as { caseId: string }).caseId;

  app.patch(`${API_PREFIX}/cases/:caseId/details`, {
    config,
    schema: {
      tags,
      operationId: 'changeCaseDetails',
      summary: 'Change a case’s CPS URN and court case number',
      description: 'Send If-Match with the case’s ETag. The URN is two numbers, two letters and seven numbers (spaces and slashes are dropped); the court case number 4 to 30 letters, numbers or slashes. An empty string clears a value; an omitted field is left as it is.',
      params: caseParams,
      headers: ifMatchHeader,
      body: { type: 'object', properties: { cpsUrn: { type: 'string', maxLength: 40 }, courtCaseNumber: { type: 'string', maxLength: 40 } }, additionalProperties: false },
      response: { 200: versionSchema, ...problemResponses('validation', 'not-found', 'forbidden', 'precondition-failed', 'precondition-required') },
    },
  }, async (request, reply) => {
    const body = request.body as { cpsUrn?: string; courtCaseNumber?: string };
    const caseId = caseIdOf(request);
    const changed = await withCheckedIfMatch(request, async (version) => {
      const current = await details.forEditing(request.actor!, request.auditContext, caseId);
      return details.changeDetails(request.actor!, request.auditContext, caseId, { cpsUrn: body.cpsUrn ?? current.cpsUrn ?? '', courtCaseNumber: body.courtCaseNumber ?? current.courtCaseNumber ?? '' }, version);
    });
    reply.header('etag', `"${changed.summary.version}"`);
    return { caseVersion: changed.summary.version };
  });

  const noteSchema = {
    type: 'object',
    required: ['id', 'kind', 'text', 'authorUserId', 'authorName', 'createdAt'],
    properties: {
      id: { type: 'string', format: 'uuid' },
      kind: { type: 'string', enum: Object.keys(noteKinds) },
      text: { type: 'string' },
      authorUserId: { type: 'string', format: 'uuid' },
      authorName: { type: 'string' },
      createdAt: { type: 'string', format: 'date-time' },
    },
    additionalProperties: false,
  } as const;

  app.get(`${API_PREFIX}/cases/:caseId/notes`, {
    config,
    schema: {
      tags, operationId: 'listCaseNotes', summary: 'The notes on a case, newest first', params: caseParams,
      response: { 200: { type: 'object', required: ['notes'], properties: { notes: { type: 'array', items: noteSchema } }, additionalProperties: false }, ...problemResponses('not-found') },
    },
  }, async (request, reply) => {
    const read = await details.notes(request.actor!, request.auditContext, caseIdOf(request));
    reply.header('etag', `"${read.summary.version}"`);
    return { notes: read.notes.map(({ id, kind, text, authorUserId, authorName, createdAt }) => ({ id, kind, text, authorUserId, authorName, createdAt })) };
  });

  app.post(`${API_PREFIX}/cases/:caseId/notes`, {
    config,
    schema: {
      tags, operationId: 'addCaseNote', summary: 'Add a note (fact or opinion) to a case',
      description: 'A note is never changed once added. Send an Idempotency-Key to make retries safe; If-Match is optional (a stale one is 412).',
      params: caseParams, headers: createHeaders,
      body: { type: 'object', required: ['kind', 'text'], properties: { kind: { type: 'string', enum: Object.keys(noteKinds) }, text: { type: 'string', minLength: 1, maxLength: 5000 } }, additionalProperties: false },
      response: { 201: createdSchema, ...problemResponses('validation', 'not-found', 'forbidden', 'precondition-failed', 'idempotency-key-reused') },
    },
  }, async (request, reply) => {
    const caseId = caseIdOf(request);
    const created = await withCheckedIfMatch(request, (version) => details.addNote(request.actor!, request.auditContext, caseId, request.body as { kind: string; text: string }, version, idempotencyOf(request)), false);
    return reply.code(201).header('etag', `"${created.caseVersion}"`).header('location', `${API_PREFIX}/cases/${caseId}/notes`).send(created);
  });
}
