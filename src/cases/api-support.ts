// The pieces every part's JSON API shares: id and date schemas, the If-Match
// and Idempotency-Key headers, what a change answers, reading the version an
// If-Match names, and a date sent as text read as a date input's parts (so
// the API and the pages share one set of date rules).
import type { FastifyRequest } from 'fastify';
import { Problem } from '../platform/web/errors.ts';
import type { Idempotency } from './idempotency.ts';
import { requestHash } from './service.ts';

export const ID_PATTERN = '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$';
/** An id in a path or a body. */
export const ID = { type: 'string', pattern: ID_PATTERN } as const;
export const DATE = { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: 'A legal date, YYYY-MM-DD' } as const;

/** The schema of path parameters that are all ids, e.g. `idParams('caseId', 'planId')`. */
export function idParams<const K extends string>(...names: K[]) {
  return { type: 'object', required: names, properties: Object.fromEntries(names.map((name) => [name, ID])) as Record<K, typeof ID>, additionalProperties: false } as const;
}
export const caseParams = idParams('caseId');

export const ifMatchHeader = { type: 'object', properties: { 'if-match': { type: 'string', maxLength: 100 } } } as const;
/** A create's headers: an Idempotency-Key to make retries safe, and If-Match (optional on creates). */
export const createHeaders = { type: 'object', properties: { 'if-match': { type: 'string', maxLength: 100 }, 'idempotency-key': { type: 'string', minLength: 1, maxLength: 200 } } } as const;

/** What a create answers: the new record and the case's version after it. */
export const createdSchema = {
  type: 'object',
  required: ['id', 'caseVersion'],
  properties: { id: { type: 'string', format: 'uuid' }, caseVersion: { type: 'integer', minimum: 1, description: 'The case’s version after the change: send it as If-Match next' } },
  additionalProperties: false,
} as const;
/** What a change answers: the case's version after it. */
export const versionSchema = {
  type: 'object', required: ['caseVersion'], properties: { caseVersion: { type: 'integer', minimum: 1 } }, additionalProperties: false,
} as const;

/** The version a strong If-Match validator names, or null for anything else (absent, weak, `*`, a list). */
export function versionFromIfMatch(header: string | undefined): number | null {
  const match = header === undefined ? null : /^"([1-9]\d{0,9})"$/.exec(header.trim());
  return match ? Number(match[1]) : null;
}

/** Whether If-Match was sent, and the version it names (null when not a strong validator). */
export function ifMatchVersion(request: FastifyRequest): { sent: boolean; version: number | null } {
  const header = request.headers['if-match'];
  if (typeof header !== 'string') return { sent: false, version: null };
  return { sent: true, version: versionFromIfMatch(header) };
}

const preconditionRequired = () => new Problem('precondition-required', 'Send If-Match with the ETag of the case as last read');
const preconditionFailed = () => new Problem('precondition-failed', 'The case has changed since the ETag sent in If-Match: read it again');

/**
 * Runs a change with the version If-Match names: a conflict is 428 without
 * If-Match and 412 with a stale one (the service decides whether it needs one).
 */
export async function withIfMatch<T>(request: FastifyRequest, change: (version: number | null) => Promise<T>): Promise<T> {
  const header = request.headers['if-match'];
  try {
    return await change(versionFromIfMatch(header));
  } catch (error) {
    if (error instanceof Problem && error.type === 'conflict') throw header === undefined ? preconditionRequired() : preconditionFailed();
    throw error;
  }
}

/**
 * Runs a change where If-Match is `required` (428 without it, after the access
 * check) or optional (a create: without it, the change runs on the case as it
 * is); a stale one is 412.
 */
export async function withCheckedIfMatch<T>(request: FastifyRequest, change: (version: number | null) => Promise<T>, required = true): Promise<T> {
  const { sent, version } = ifMatchVersion(request);
  if (!sent && required) {
    // The access check comes first: run it with no version, which can only be a conflict for those who may.
    try {
      await change(null);
    } catch (error) {
      if (error instanceof Problem && error.type === 'conflict') throw preconditionRequired();
      throw error;
    }
    throw preconditionRequired();
  }
  try {
    return await change(sent ? version ?? 0 : null);
  } catch (error) {
    if (error instanceof Problem && error.type === 'conflict') throw preconditionFailed();
    throw error;
  }
}

/** A create's version: the one If-Match names when sent (a stale one is then a conflict), else the case's as it is now. */
export async function versionForCreate(request: FastifyRequest, current: () => Promise<number>): Promise<number | null> {
  const header = request.headers['if-match'];
  return header !== undefined ? versionFromIfMatch(header) : current();
}

/** The Idempotency-Key of a create, with the hash of what it asks (by default its address and body). */
export function idempotencyOf(request: FastifyRequest, asked: unknown = { url: request.url, body: request.body }): Idempotency | undefined {
  const key = request.headers['idempotency-key'];
  return typeof key === 'string' ? { key, requestHash: requestHash(asked) } : undefined;
}

/** A date sent as YYYY-MM-DD (or not sent), as the date input's parts, so the API and the form share one set of rules. */
export function dateParts(text: string | undefined) {
  const [year = '', month = '', day = ''] = (text ?? '').split('-');
  return { day, month, year };
}
