// One catalogue of the problems the platform reports, shown as GOV.UK error
// pages to people and as problem+json (RFC 9457) to API clients. Nothing
// internal (stack traces, SQL, file paths) ever leaves the server.

export const problems = {
  'bad-request': { status: 400, title: 'error.badRequest.title', body: 'error.badRequest.body' },
  'validation': { status: 400, title: 'error.badRequest.title', body: 'error.badRequest.body' },
  'unauthenticated': { status: 401, title: 'error.forbidden.title', body: 'error.forbidden.body' },
  'csrf': { status: 403, title: 'error.csrf.title', body: 'error.csrf.body' },
  'forbidden': { status: 403, title: 'error.forbidden.title', body: 'error.forbidden.body' },
  'not-found': { status: 404, title: 'error.notFound.title', body: 'error.notFound.body' },
  'method-not-allowed': { status: 405, title: 'error.badRequest.title', body: 'error.badRequest.body' },
  'conflict': { status: 409, title: 'error.conflict.title', body: 'error.conflict.body' },
  'precondition-failed': { status: 412, title: 'error.conflict.title', body: 'error.conflict.body' },
  'precondition-required': { status: 428, title: 'error.badRequest.title', body: 'error.badRequest.body' },
  'idempotency-key-reused': { status: 422, title: 'error.badRequest.title', body: 'error.badRequest.body' },
  'too-large': { status: 413, title: 'error.badRequest.title', body: 'error.badRequest.body' },
  'unsupported-media-type': { status: 415, title: 'error.badRequest.title', body: 'error.badRequest.body' },
  'too-many-requests': { status: 429, title: 'error.tooMany.title', body: 'error.tooMany.body' },
  'internal': { status: 500, title: 'error.server.title', body: 'error.server.body' },
  'audit-unavailable': { status: 503, title: 'error.unavailable.title', body: 'error.unavailable.body' },
} as const;

export type ProblemType = keyof typeof problems;

export interface FieldError {
  readonly field: string;
  readonly message: string;
}

/** An error a service or handler throws on purpose; the error handler turns it into a response. */
export class Problem extends Error {
  readonly type: ProblemType;
  readonly detail: string | undefined;
  readonly fieldErrors: readonly FieldError[];

  constructor(type: ProblemType, detail?: string, fieldErrors: readonly FieldError[] = []) {
    super(detail ?? type);
    this.type = type;
    this.detail = detail;
    this.fieldErrors = fieldErrors;
  }

  get status(): number {
    return problems[this.type].status;
  }
}

/** Maps Fastify's and the body parser's own errors onto the catalogue. */
export function problemTypeOf(error: unknown): ProblemType {
  if (error instanceof Problem) return error.type;
  const { code, statusCode } = (error ?? {}) as { code?: string; statusCode?: number };
  switch (code) {
    case 'FST_ERR_VALIDATION':
      return 'validation';
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return 'too-large';
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return 'unsupported-media-type';
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_BAD_URL':
    case 'FST_ERR_ASYNC_CONSTRAINT':
      return 'bad-request';
    case 'AUDIT_UNAVAILABLE':
      return 'audit-unavailable';
  }
  if (statusCode === 429) return 'too-many-requests';
  if (statusCode === 413) return 'too-large';
  if (statusCode === 415) return 'unsupported-media-type';
  if (statusCode === 404) return 'not-found';
  if (statusCode !== undefined && statusCode >= 400 && statusCode < 500) return 'bad-request';
  return 'internal';
}
