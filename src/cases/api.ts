// The case file's JSON API: my cases, creating a case (with Idempotency-Key),
// reading a case (with its ETag) and moving its stage (If-Match required).
// The same service and access checks as the pages: a case the caller may not
// see is not found.
import type { FastifyInstance } from 'fastify';
import { allow } from '../platform/access/policy.ts';
import { API_PREFIX, problemResponses } from '../platform/api/schemas.ts';
import { Problem } from '../platform/web/errors.ts';
import { DATE, ID_PATTERN, caseParams, dateParts, ifMatchHeader, versionFromIfMatch } from './api-support.ts';
import { caseRoleNames, caseSorts, flagName, flags, offenceClasses, personCategories, stageNames } from './model.ts';
import type { CaseFile, CaseSummary, Flag } from './model.ts';
import { requestHash } from './service.ts';
import type { CasesService } from './service.ts';


const flagsSchema = {
  type: 'object',
  required: [...flags],
  properties: Object.fromEntries(flags.map((flag) => [flag, { type: 'boolean', description: flagName(flag) }])),
  additionalProperties: false,
} as const;

const caseSummarySchema = {
  type: 'object',
  required: ['id', 'policeReference', 'cpsUrn', 'courtCaseNumber', 'forceId', 'forceName', 'cpsAreaId', 'cpsAreaName', 'stage', 'offenceClass', 'flags', 'reportedOn', 'createdAt', 'updatedAt', 'version'],
  properties: {
    id: { type: 'string', format: 'uuid' },
    policeReference: { type: 'string', description: 'The crime reference the force gave the crime' },
    cpsUrn: { type: ['string', 'null'], description: 'The CPS unique reference number, once the CPS has one' },
    courtCaseNumber: { type: ['string', 'null'] },
    forceId: { type: 'string', format: 'uuid' },
    forceName: { type: 'string' },
    cpsAreaId: { type: 'string', format: 'uuid' },
    cpsAreaName: { type: 'string' },
    stage: { type: 'string', enum: stageNames },
    offenceClass: { type: 'string', enum: [...offenceClasses] },
    flags: flagsSchema,
    reportedOn: DATE,
    createdAt: { type: 'string', format: 'date-time' },
    updatedAt: { type: 'string', format: 'date-time' },
    version: { type: 'integer', minimum: 1, description: 'Changes with every change to the case; the ETag carries it' },
  },
  additionalProperties: false,
} as const;

const caseFileSchema = {
  type: 'object',
  required: ['case', 'people', 'team', 'events'],
  properties: {
    case: caseSummarySchema,
    people: {
      type: 'array',
      items: {
        type: 'object',
        required: ['id', 'category', 'name', 'dateOfBirth'],
        properties: {
          id: { type: 'string', format: 'uuid' },
          category: { type: 'string', enum: [...personCategories] },
          name: { type: 'string' },
          dateOfBirth: { anyOf: [DATE, { type: 'null' }] },
        },
        additionalProperties: false,
      },
    },
    team: {
      type: 'array',
      description: 'Allocations to the case, current ones (endedAt null) first',
      items: {
        type: 'object',
        required: ['userId', 'name', 'organisationId', 'organisationName', 'role', 'allocatedAt', 'endedAt'],
        properties: {
          userId: { type: 'string', format: 'uuid' },
          name: { type: 'string' },
          organisationId: { type: 'string', format: 'uuid' },
          organisationName: { type: 'string' },
          role: { type: 'string', enum: caseRoleNames },
          allocatedAt: { type: 'string', format: 'date-time' },
          endedAt: { type: ['string', 'null'], format: 'date-time' },
        },
        additionalProperties: false,
      },
    },
    events: {
      type: 'array',
      description: 'The case journal, newest first',
      items: {
        type: 'object',
        required: ['seq', 'type', 'occurredAt', 'recordedAt', 'actorUserId', 'data'],
        properties: {
          seq: { type: 'integer', minimum: 1, description: 'The event’s place in the case’s journal, from 1' },
          type: { type: 'string' },
          occurredAt: { type: 'string', format: 'date-time' },
          recordedAt: { type: 'string', format: 'date-time' },
          actorUserId: { type: ['string', 'null'], format: 'uuid' },
          data: { type: 'object', additionalProperties: true },
        },
        additionalProperties: false,
      },
    },
  },
  additionalProperties: false,
} as const;

export function presentSummary(summary: CaseSummary) {
  const { id, policeReference, cpsUrn, courtCaseNumber, forceId, forceName, cpsAreaId, cpsAreaName, stage, offenceClass, reportedOn, createdAt, updatedAt, version } = summary;
  return { id, policeReference, cpsUrn, courtCaseNumber, forceId, forceName, cpsAreaId, cpsAreaName, stage, offenceClass, flags: { ...summary.flags }, reportedOn, createdAt, updatedAt, version };
}

function presentFile(file: CaseFile) {
  return {
    case: presentSummary(file.summary),
    people: file.people.map(({ id, category, name, dateOfBirth }) => ({ id, category, name, dateOfBirth })),
    team: file.team.map(({ userId, name, organisationId, organisationName, role, allocatedAt, endedAt }) => ({ userId, name, organisationId, organisationName, role, allocatedAt, endedAt })),
    events: file.events.map(({ seq, type, occurredAt, recordedAt, actorUserId, data }) => ({ seq, type, occurredAt, recordedAt, actorUserId, data })),
  };
}

export const caseEtag = (summary: Pick<CaseSummary, 'version'>): string => `"${summary.version}"`;

export function registerCasesApi(app: FastifyInstance, cases: CasesService): void {
  const tags = ['cases'];
  const policy = allow.signedIn;

  app.get(`${API_PREFIX}/cases`, {
    config: { policy, audit: 'required' },
    schema: {
      tags,
      operationId: 'listMyCases',
      summary: 'The cases the caller is on the team of',
      description: 'Sorted and paged on the server.',
      querystring: {
        type: 'object',
        properties: {
          sort: { type: 'string', enum: [...caseSorts] },
          order: { type: 'string', enum: ['ascending', 'descending'] },
          page: { type: 'string', pattern: '^[1-9][0-9]{0,5}$' },
        },
        additionalProperties: false,
      },
      response: {
        200: {
          type: 'object',
          required: ['cases', 'total', 'page', 'pages', 'sort', 'order'],
          properties: {
            cases: { type: 'array', items: caseSummarySchema },
            total: { type: 'integer', minimum: 0 },
            page: { type: 'integer', minimum: 1 },
            pages: { type: 'integer', minimum: 1 },
            sort: { type: 'string', enum: [...caseSorts] },
            order: { type: 'string', enum: ['ascending', 'descending'] },
          },
          additionalProperties: false,
        },
      },
    },
  }, async (request) => {
    const query = request.query as { sort?: string; order?: string; page?: string };
    const found = await cases.myCases(request.actor!, request.auditContext, { sort: query.sort, order: query.order, page: query.page ? Number(query.page) : 1 });
    return { cases: found.cases.map(presentSummary), total: found.total, page: found.page, pages: found.pages, sort: found.sort, order: found.order };
  });

  app.post(`${API_PREFIX}/cases`, {
    config: { policy, audit: 'required' },
    schema: {
      tags,
      operationId: 'createCase',
      summary: 'Create a case, with the caller as its officer in the case',
      description: 'For investigators and police supervisors acting for a police force. Send an Idempotency-Key header to make retries safe: the same key with the same request answers as the first did; with a different request, 422.',
      headers: { type: 'object', properties: { 'idempotency-key': { type: 'string', minLength: 1, maxLength: 200 } } },
      body: {
        type: 'object',
        required: ['policeReference', 'cpsAreaId', 'offenceClass', 'reportedOn'],
        properties: {
          policeReference: { type: 'string', minLength: 1, maxLength: 40 },
          cpsAreaId: { type: 'string', pattern: ID_PATTERN },
          offenceClass: { type: 'string', enum: [...offenceClasses] },
          flags: { type: 'array', items: { type: 'string', enum: [...flags] }, uniqueItems: true, maxItems: flags.length },
          reportedOn: DATE,
        },
        additionalProperties: false,
      },
      response: { 201: caseSummarySchema, ...problemResponses('validation', 'forbidden', 'idempotency-key-reused') },
    },
  }, async (request, reply) => {
    const body = request.body as { policeReference: string; cpsAreaId: string; offenceClass: string; flags?: Flag[]; reportedOn: string };
    const input = { policeReference: body.policeReference, cpsAreaId: body.cpsAreaId, offenceClass: body.offenceClass, flags: body.flags ?? [], reportedOn: dateParts(body.reportedOn) };
    const key = request.headers['idempotency-key'];
    if (typeof key === 'string') {
      const created = await cases.createCaseOnce(request.actor!, request.auditContext, input, { key, requestHash: requestHash(body) }, presentSummary);
      reply.header('location', `${API_PREFIX}/cases/${created.id}`).header('etag', caseEtag(created));
      return reply.code(201).send(created);
    }
    const created = await cases.createCase(request.actor!, request.auditContext, input);
    reply.header('location', `${API_PREFIX}/cases/${created.id}`).header('etag', caseEtag(created));
    return reply.code(201).send(presentSummary(created));
  });

  app.get(`${API_PREFIX}/cases/:caseId`, {
    config: { policy, audit: 'required' },
    schema: {
      tags,
      operationId: 'getCase',
      summary: 'One case: its people, team and journal',
      description: 'Only for the case team, its supervisors and those granted break-glass access; for anyone else it is not found. The read is audited. The ETag is the validator to send in If-Match when changing the case.',
      params: caseParams,
      response: { 200: caseFileSchema, ...problemResponses('not-found') },
    },
  }, async (request, reply) => {
    const file = await cases.caseFile(request.actor!, request.auditContext, (request.params as { caseId: string }).caseId);
    reply.header('etag', caseEtag(file.summary));
    return presentFile(file);
  });

  app.patch(`${API_PREFIX}/cases/:caseId/stage`, {
    config: { policy, audit: 'required' },
    schema: {
      tags,
      operationId: 'moveCaseStage',
      summary: 'Move a case to another stage',
      description: 'Send If-Match with the ETag from the last read. Only the moves the stage model allows, and that record nothing more than the stage, are accepted (400 otherwise: requesting early advice, a charging decision, police NFA and the like have commands of their own). If the case has changed since, nothing is changed and the answer is 412.',
      params: caseParams,
      headers: ifMatchHeader,
      body: { type: 'object', required: ['stage'], properties: { stage: { type: 'string', enum: stageNames } }, additionalProperties: false },
      response: { 200: caseSummarySchema, ...problemResponses('validation', 'not-found', 'forbidden', 'precondition-failed', 'precondition-required') },
    },
  }, async (request, reply) => {
    const ifMatch = request.headers['if-match'];
    const version = ifMatch === undefined ? null : versionFromIfMatch(ifMatch);
    try {
      const moved = await cases.moveStage(request.actor!, request.auditContext, (request.params as { caseId: string }).caseId, request.body as { stage: string }, version);
      reply.header('etag', caseEtag(moved));
      return presentSummary(moved);
    } catch (error) {
      // The access check comes first, so a case the caller may not see is not found whatever they send.
      if (error instanceof Problem && error.type === 'conflict') {
        if (ifMatch === undefined) throw new Problem('precondition-required', 'Send If-Match with the ETag of the case as last read');
        throw new Problem('precondition-failed', 'The case has changed since the ETag sent in If-Match: read it again');
      }
      throw error;
    }
  });
}
