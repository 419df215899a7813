// What every JSON route under /api/v1 shares: the problem report (RFC 9457)
// that answers every failure, described once as the `Problem` component and
// referenced from each route's responses.
import { problems } from '../web/errors.ts';
import type { ProblemType } from '../web/errors.ts';

export const API_PREFIX = '/api/v1';

/** The media type of every error answer from the API. */
export const PROBLEM_MEDIA_TYPE = 'application/problem+json';

export const problemSchema = {
  $id: 'Problem',
  title: 'Problem',
  description: 'A problem report (RFC 9457). Quote `instance` when asking for help: it names the request in the logs.',
  type: 'object',
  required: ['type', 'title', 'status'],
  properties: {
    type: { type: 'string', enum: Object.keys(problems).map((type) => `urn:rasso:problem:${type}`), description: 'What kind of problem this is' },
    title: { type: 'string', description: 'A short summary for people' },
    status: { type: 'integer', minimum: 400, maximum: 599 },
    detail: { type: 'string', description: 'What went wrong with this request' },
    instance: { type: 'string', description: 'The request, as urn:rasso:request:<id>' },
    errors: {
      type: 'array',
      description: 'The fields that were not valid',
      items: {
        type: 'object',
        required: ['field', 'message'],
        properties: { field: { type: 'string' }, message: { type: 'string' } },
        additionalProperties: false,
      },
    },
  },
  additionalProperties: false,
} as const;

/** When each problem is answered, as the API description says it. */
const problemDescriptions = {
  'bad-request': 'The request could not be read',
  'validation': 'The request does not match this operation’s parameters or body',
  'unauthenticated': 'No valid API token (or session) was sent',
  'csrf': 'A session-authenticated change without its CSRF token',
  'forbidden': 'The caller’s roles or token scopes do not allow this operation',
  'not-found': 'There is no such record, or it is not the caller’s to see',
  'method-not-allowed': 'The method is not allowed here',
  'conflict': 'The change conflicts with the record as it stands',
  'precondition-failed': 'The record has changed since the caller read it',
  'precondition-required': 'A change must send If-Match with the ETag the caller read',
  'idempotency-key-reused': 'The Idempotency-Key was sent before with a different request',
  'too-large': 'The request body is too large',
  'unsupported-media-type': 'The request body is not JSON',
  'too-many-requests': 'Too many requests: retry after the time in the Retry-After header',
  'internal': 'The platform failed; the request id is in `instance`',
  'audit-unavailable': 'The audit journal could not be written, so nothing was returned or changed',
} as const satisfies Record<ProblemType, string>;

export interface ResponseSchema {
  readonly description: string;
  readonly content: Record<string, { readonly schema: unknown }>;
}

/**
 * Route response entries for the problems an operation can answer, keyed by
 * status, each a reference to the shared `Problem` schema. Problems sharing a
 * status (403: forbidden and csrf) are described together.
 */
export function problemResponses(...types: ProblemType[]): Record<number, ResponseSchema> {
  const byStatus = new Map<number, string[]>();
  for (const type of new Set(types)) {
    const status = problems[type].status;
    byStatus.set(status, [...(byStatus.get(status) ?? []), problemDescriptions[type]]);
  }
  const sentence = (texts: string[]) => texts.map((text, i) => (i === 0 ? text : text[0]!.toLowerCase() + text.slice(1))).join('; or ');
  return Object.fromEntries([...byStatus].map(([status, texts]) => [status, { description: sentence(texts), content: { [PROBLEM_MEDIA_TYPE]: { schema: { $ref: 'Problem#' } } } }]));
}
