// The early-advice JSON API: the case's requests and records of not asking;
// requesting and recording not requesting (Idempotency-Key; If-Match
// optional), and answering, appealing, deciding the appeal and advising
// (If-Match required). The same service and checks as the pages.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { allow } from '../../platform/access/policy.ts';
import { API_PREFIX, problemResponses } from '../../platform/api/schemas.ts';
import type { Platform } from '../../platform/platform.ts';
import { DATE, caseParams, createHeaders, createdSchema, dateParts, idParams, idempotencyOf, ifMatchHeader, versionForCreate, versionSchema } from '../api-support.ts';
import { answerVersion, itemInputSchema } from '../action-plans/api.ts';
import { createIdempotency } from '../idempotency.ts';
import type { Remember } from '../idempotency.ts';
import { notRequestedReasons, policeRanks, rejectionReasons, requestFieldNames, requestStatuses } from './model.ts';
import type { RequestInput } from './model.ts';
import type { EarlyAdviceService, EarlyAdviceView } from './service.ts';

const nullableText = { type: ['string', 'null'] } as const;
const contentsSchema = {
  type: 'object', required: [...requestFieldNames],
  properties: Object.fromEntries(requestFieldNames.map((f) => [f, { type: 'string', minLength: 1, maxLength: 4000 }])),
  additionalProperties: false,
} as const;

const requestSchema = {
  type: 'object',
  required: ['id', 'status', 'requestedAt', 'dueOn', 'urn', 'contents'],
  properties: {
    id: { type: 'string', format: 'uuid' }, status: { type: 'string', enum: Object.keys(requestStatuses) }, requestedBy: { type: 'string', format: 'uuid' }, requestedAt: { type: 'string', format: 'date-time' }, dueOn: DATE, urn: nullableText,
    contents: { type: 'object', additionalProperties: { type: 'string' } },
    decidedAt: nullableText, rejectReason: { type: ['string', 'null'], enum: [...Object.keys(rejectionReasons), null] }, rejectDetail: nullableText,
    appealedAt: nullableText, appellantRank: { type: ['string', 'null'], enum: [...Object.keys(policeRanks), null] }, appealGrounds: nullableText,
    appealDecidedAt: nullableText, appealUpheld: { type: ['boolean', 'null'] }, appealNote: nullableText, advice: nullableText, advisedAt: nullableText, planId: nullableText,
  },
  additionalProperties: false,
} as const;

function present(view: EarlyAdviceView) {
  const open = view.responseClock?.status === 'open' ? view.responseClock : null;
  return {
    caseVersion: view.summary.version,
    responseDueOn: open?.dueOn ?? null,
    requests: view.requests.map((r) => ({
      id: r.id, status: r.status, requestedBy: r.requestedBy, requestedAt: r.requestedAt, dueOn: r.dueOn, urn: r.urn, contents: { ...r.contents },
      decidedAt: r.decidedAt, rejectReason: r.rejectReason, rejectDetail: r.rejectDetail, appealedAt: r.appealedAt, appellantRank: r.appellantRank, appealGrounds: r.appealGrounds,
      appealDecidedAt: r.appealDecidedAt, appealUpheld: r.appealUpheld, appealNote: r.appealNote, advice: r.advice, advisedAt: r.advisedAt, planId: r.planId,
    })),
    notRequested: view.notRequested.map((n) => ({ id: n.id, reason: n.reason, detail: n.detail, recordedAt: n.recordedAt })),
  };
}

/** What a create answers: the new record and the case's version after it (the next If-Match). */
interface Created {
  readonly id: string;
  readonly caseVersion: number;
}

export function registerEarlyAdviceApi(app: FastifyInstance, advice: EarlyAdviceService, platform: Platform): void {
  const tags = ['early advice'];
  const config = { policy: allow.signedIn, audit: 'required' as const };
  const base = `${API_PREFIX}/cases/:caseId/early-advice`;
  const requestParams = idParams('caseId', 'requestId');
  const p = (request: FastifyRequest) => request.params as { caseId: string; requestId: string };
  const updateResponses = { 200: versionSchema, ...problemResponses('validation', 'not-found', 'forbidden', 'precondition-failed', 'precondition-required') };
  const createResponses = { 201: createdSchema, ...problemResponses('validation', 'not-found', 'forbidden', 'conflict', 'precondition-failed', 'idempotency-key-reused') };
  const idempotency = createIdempotency(platform);
  const once = async (request: FastifyRequest, operation: string, run: (version: number | null, store: Remember<Created>) => Promise<{ id: string; version: number }>) => {
    const version = await versionForCreate(request, () => advice.currentVersion(request.actor!, request.auditContext, p(request).caseId));
    return idempotency.once<Created>(request.auditContext, request.actor!, operation, idempotencyOf(request, { caseId: p(request).caseId, body: request.body }), async (store) => {
      const made = await run(version, store);
      return { id: made.id, caseVersion: made.version };
    });
  };

  app.get(base, {
    config,
    schema: {
      tags, operationId: 'getEarlyAdvice', summary: 'The case’s early-advice requests (newest first), records of not requesting it, and the response clock',
      params: caseParams,
      response: {
        200: {
          type: 'object', required: ['caseVersion', 'responseDueOn', 'requests', 'notRequested'],
          properties: {
            caseVersion: { type: 'integer' }, responseDueOn: { anyOf: [DATE, { type: 'null' }] }, requests: { type: 'array', items: requestSchema },
            notRequested: { type: 'array', items: { type: 'object', required: ['id', 'reason', 'detail', 'recordedAt'], properties: { id: { type: 'string' }, reason: { type: 'string', enum: Object.keys(notRequestedReasons) }, detail: { type: 'string' }, recordedAt: { type: 'string' } }, additionalProperties: false } },
          },
          additionalProperties: false,
        },
        ...problemResponses('not-found'),
      },
    },
  }, async (request, reply) => {
    const view = await advice.view(request.actor!, request.auditContext, p(request).caseId);
    reply.header('etag', `"${view.summary.version}"`);
    return present(view);
  });

  app.post(`${base}/requests`, {
    config,
    schema: {
      tags, operationId: 'requestEarlyAdvice', summary: 'Request early advice (police, on a case at Investigation)',
      description: 'Moves the case to Early advice and opens the 21-day response clock. Send Idempotency-Key to make retries safe; If-Match is optional.',
      params: caseParams, headers: createHeaders,
      body: { type: 'object', required: ['contents'], properties: { urn: { type: 'string', maxLength: 40 }, contents: contentsSchema }, additionalProperties: false },
      response: createResponses,
    },
  }, async (request, reply) => {
    const body = request.body as { urn?: string; contents: Record<string, string> };
    const input = { urn: body.urn ?? '', ...body.contents } as RequestInput;
    const answer = await once(request, 'early-advice.request', (version, store) =>
      advice.request(request.actor!, request.auditContext, p(request).caseId, input, version, (tx, made) => store(tx, { id: made.id, caseVersion: made.version })));
    reply.header('location', `${API_PREFIX}/cases/${p(request).caseId}/early-advice`).header('etag', `"${answer.caseVersion}"`);
    return reply.code(201).send(answer);
  });

  app.post(`${base}/not-requested`, {
    config,
    schema: {
      tags, operationId: 'recordEarlyAdviceNotRequested', summary: 'Record that early advice is not requested, with a reason (police)',
      params: caseParams, headers: createHeaders,
      body: { type: 'object', required: ['reason', 'detail'], properties: { reason: { type: 'string', enum: Object.keys(notRequestedReasons) }, detail: { type: 'string', minLength: 1, maxLength: 4000 } }, additionalProperties: false },
      response: createResponses,
    },
  }, async (request, reply) => {
    const body = request.body as { reason: string; detail: string };
    const answer = await once(request, 'early-advice.not-requested', (version, store) =>
      advice.notRequested(request.actor!, request.auditContext, p(request).caseId, body, version, (tx, made) => store(tx, { id: made.id, caseVersion: made.version })));
    reply.header('etag', `"${answer.caseVersion}"`);
    return reply.code(201).send(answer);
  });

  const update = (path: string, operationId: string, summary: string, body: object, run: (request: FastifyRequest, version: number | null) => Promise<number>) =>
    app.post(`${base}/:requestId/${path}`, { config, schema: { tags, operationId, summary, params: requestParams, headers: ifMatchHeader, body, response: updateResponses } }, (request, reply) => answerVersion(request, reply, (version) => run(request, version)));

  update('decision', 'decideEarlyAdviceRequest', 'Accept or reject a request (CPS); a reason is required to reject',
    { type: 'object', required: ['decision'], properties: { decision: { type: 'string', enum: ['accept', 'reject'] }, reason: { type: 'string', enum: Object.keys(rejectionReasons) }, detail: { type: 'string', maxLength: 4000 } }, additionalProperties: false },
    (r, v) => { const b = r.body as { decision: string; reason?: string; detail?: string }; return advice.decide(r.actor!, r.auditContext, p(r).caseId, p(r).requestId, { decision: b.decision, reason: b.reason ?? '', detail: b.detail ?? '' }, v); });
  update('appeal', 'appealEarlyAdviceRejection', 'Appeal a rejection (police supervisor or escalation lead declaring Inspector rank or above)',
    { type: 'object', required: ['rank', 'grounds'], properties: { rank: { type: 'string', enum: Object.keys(policeRanks) }, grounds: { type: 'string', minLength: 1, maxLength: 4000 } }, additionalProperties: false },
    (r, v) => advice.appeal(r.actor!, r.auditContext, p(r).caseId, p(r).requestId, r.body as { rank: string; grounds: string }, v));
  update('appeal-decision', 'decideEarlyAdviceAppeal', 'Decide an appeal (DCP or head of RASSO)',
    { type: 'object', required: ['upheld', 'note'], properties: { upheld: { type: 'boolean' }, note: { type: 'string', minLength: 1, maxLength: 4000 } }, additionalProperties: false },
    (r, v) => { const b = r.body as { upheld: boolean; note: string }; return advice.decideAppeal(r.actor!, r.auditContext, p(r).caseId, p(r).requestId, { upheld: b.upheld ? 'yes' : 'no', note: b.note }, v); });
  update('advice', 'giveEarlyAdvice', 'Give the advice (CPS), optionally with an action plan',
    { type: 'object', required: ['advice'], properties: { advice: { type: 'string', minLength: 1, maxLength: 20000 }, items: { type: 'array', maxItems: 10, items: itemInputSchema } }, additionalProperties: false },
    async (r, v) => {
      const b = r.body as { advice: string; items?: { description: string; owner: string; dueOn: string }[] };
      return (await advice.advise(r.actor!, r.auditContext, p(r).caseId, p(r).requestId, { advice: b.advice, items: (b.items ?? []).map((i) => ({ description: i.description, owner: i.owner, dueOn: dateParts(i.dueOn) })) }, v)).version;
    });
}
