// The details part's JSON API: changing a case's references (If-Match) and
// reading and adding notes (Idempotency-Key). The same service and checks as
// the pages. (The review of break-glass access is a page only: see the
// operations guide.) Also the helpers the conferences and court APIs share.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { allow } from '../../platform/access/policy.ts';
import { API_PREFIX, problemResponses } from '../../platform/api/schemas.ts';
import { Problem } from '../../platform/web/errors.ts';
import { requestHash } from '../service.ts';
import { noteKinds } from './model.ts';
import type { DetailsService } from './service.ts';
import type { Idempotency } from '../idempotency.ts';

export const ID_PATTERN = '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$';
export const caseParams = { type: 'object', required: ['caseId'], properties: { caseId: { type: 'string', pattern: ID_PATTERN } }, additionalProperties: false } as const;
export const ifMatchHeader = { type: 'object', properties: { 'if-match': { type: 'string', maxLength: 100 } } } as const;
export const createHeaders = { type: 'object', properties: { 'if-match': { type: 'string', maxLength: 100 }, 'idempotency-key': { type: 'string', minLength: 1, maxLength: 200 } } } as const;
export const createdSchema = {
  type: 'object',
  required: ['id', 'caseVersion'],
  properties: { id: { type: 'string', format: 'uuid' }, caseVersion: { type: 'integer', minimum: 1, description: 'The case’s version after the change: send it as If-Match next' } },
  additionalProperties: false,
} as const;
export const versionSchema = {
  type: 'object', required: ['caseVersion'], properties: { caseVersion: { type: 'integer', minimum: 1 } }, additionalProperties: false,
} as const;

/** The version a strong If-Match validator names; null when absent or not one. */
export function ifMatchVersion(request: FastifyRequest): { sent: boolean; version: number | null } {
  const header = request.headers['if-match'];
  if (typeof header !== 'string') return { sent: false, version: null };
  const match = /^"([1-9]\d{0,9})"$/.exec(header.trim());
  return { sent: true, version: match ? Number(match[1]) : null };
}

/** Runs a change that needs If-Match: a conflict is 428 without it and 412 with a stale one. */
export async function withIfMatch<T>(request: FastifyRequest, change: (version: number | null) => Promise<T>, required = true): Promise<T> {
  const { sent, version } = ifMatchVersion(request);
  if (!sent && required) {
    // The access check comes first: run it with no version, which can only be a conflict for those who may.
    try {
      await change(null);
    } catch (error) {
      if (error instanceof Problem && error.type === 'conflict') throw new Problem('precondition-required', 'Send If-Match with the ETag of the case as last read');
      throw error;
    }
    throw new Problem('precondition-required', 'Send If-Match with the ETag of the case as last read');
  }
  try {
    return await change(sent ? version ?? 0 : null);
  } catch (error) {
    if (error instanceof Problem && error.type === 'conflict') throw new Problem('precondition-failed', 'The case has changed since the ETag sent in If-Match: read it again');
    throw error;
  }
}

/** The Idempotency-Key of a create, with the hash of its body. */
export function idempotencyOf(request: FastifyRequest): Idempotency | undefined {
  const key = request.headers['idempotency-key'];
  return typeof key === 'string' ? { key, requestHash: requestHash({ url: request.url, body: request.body }) } : undefined;
}

export const dateParts = (text: string) => {
  const [year = '', month = '', day = ''] = text.split('-');
  return { day, month, year };
};
export const DATE = { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: 'A legal date, YYYY-MM-DD' } as const;

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
    const changed = await withIfMatch(request, async (version) => {
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
    const created = await withIfMatch(request, (version) => details.addNote(request.actor!, request.auditContext, caseId, request.body as { kind: string; text: string }, version, idempotencyOf(request)), false);
    return reply.code(201).header('etag', `"${created.caseVersion}"`).header('location', `${API_PREFIX}/cases/${caseId}/notes`).send(created);
  });
}
