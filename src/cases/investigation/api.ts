// The investigation part's JSON API: a case's deadlines with their escalation
// steps (ETag = the case's version), pausing and resuming one (If-Match
// required), and the investigation's state. The same service and access
// checks as the pages: a case the caller may not see is not found.
import type { FastifyInstance, FastifyReply } from 'fastify';
import { allow } from '../../platform/access/policy.ts';
import { API_PREFIX, problemResponses } from '../../platform/api/schemas.ts';
import { caseEtag } from '../api.ts';
import { DATE, caseParams, idParams, ifMatchHeader, withIfMatch } from '../api-support.ts';
import { bailAuthorities } from './model.ts';
import type { CaseClock, InvestigationService } from './service.ts';

const NULLABLE_DATE = { anyOf: [DATE, { type: 'null' }] } as const;
const deadlineParams = idParams('caseId', 'deadlineId');

export const deadlineSchema = {
  type: 'object',
  required: ['id', 'ruleKey', 'ruleVersion', 'title', 'startedOn', 'dueOn', 'status', 'overdue', 'pausable', 'pausedAt', 'pausedReason', 'pausedDaysTotal', 'nextStepDueOn', 'closedAt', 'closedReason', 'escalations'],
  properties: {
    id: { type: 'string', format: 'uuid' },
    ruleKey: { type: 'string' },
    ruleVersion: { type: 'integer' },
    title: { type: 'string' },
    startedOn: DATE,
    dueOn: DATE,
    status: { type: 'string', enum: ['open', 'paused', 'met', 'cancelled'] },
    overdue: { type: 'boolean', description: 'Open and its due date has passed in London' },
    pausable: { type: 'boolean', description: 'Whether its rule lets the clock stop' },
    pausedAt: { type: ['string', 'null'], format: 'date-time' },
    pausedReason: { type: ['string', 'null'] },
    pausedDaysTotal: { type: 'integer', minimum: 0 },
    nextStepDueOn: NULLABLE_DATE,
    closedAt: { type: ['string', 'null'], format: 'date-time' },
    closedReason: { type: ['string', 'null'] },
    escalations: {
      type: 'array',
      items: {
        type: 'object',
        required: ['step', 'label', 'dueOn', 'escalatedAt'],
        properties: { step: { type: 'string' }, label: { type: 'string' }, dueOn: DATE, escalatedAt: { type: 'string', format: 'date-time' } },
        additionalProperties: false,
      },
    },
  },
  additionalProperties: false,
} as const;

export function presentClock(c: CaseClock) {
  return {
    id: c.id, ruleKey: c.ruleKey, ruleVersion: c.ruleVersion, title: c.title, startedOn: c.startedOn, dueOn: c.dueOn, status: c.status, overdue: c.overdue, pausable: c.pausable,
    pausedAt: c.pausedAt, pausedReason: c.pausedReason, pausedDaysTotal: c.pausedDaysTotal, nextStepDueOn: c.nextStepDueOn, closedAt: c.closedAt, closedReason: c.closedReason,
    escalations: c.escalations.map((e) => ({ step: e.step, label: e.label, dueOn: e.dueOn, escalatedAt: e.escalatedAt })),
  };
}

const deadlinesSchema = { type: 'object', required: ['caseId', 'version', 'deadlines'], properties: { caseId: { type: 'string', format: 'uuid' }, version: { type: 'integer' }, deadlines: { type: 'array', items: deadlineSchema } }, additionalProperties: false } as const;

export function registerInvestigationApi(app: FastifyInstance, service: InvestigationService): void {
  const tags = ['investigation'];
  const config = { policy: allow.signedIn, audit: 'required' as const };

  const answerDeadlines = async (reply: FastifyReply, actor: Parameters<InvestigationService['deadlines']>[0], context: Parameters<InvestigationService['deadlines']>[1], caseId: string) => {
    const found = await service.deadlines(actor, context, caseId);
    reply.header('etag', caseEtag(found.summary));
    return { caseId: found.summary.id, version: found.summary.version, deadlines: found.clocks.map(presentClock) };
  };

  app.get(`${API_PREFIX}/cases/:caseId/deadlines`, {
    config,
    schema: {
      tags, operationId: 'listCaseDeadlines', summary: 'A case’s deadlines, with the escalation steps taken',
      description: 'Earliest due first. The ETag is the case’s version: send it in If-Match to pause or resume a deadline. The read is audited.',
      params: caseParams,
      response: { 200: deadlinesSchema, ...problemResponses('not-found') },
    },
  }, async (request, reply) => answerDeadlines(reply, request.actor!, request.auditContext, (request.params as { caseId: string }).caseId));

  app.post(`${API_PREFIX}/cases/:caseId/deadlines/:deadlineId/pause`, {
    config,
    schema: {
      tags, operationId: 'pauseCaseDeadline', summary: 'Stop a deadline’s clock, with a reason',
      description: 'Only where the deadline’s rule allows it. Send If-Match with the case’s ETag (428 without it, 412 when stale).',
      params: deadlineParams, headers: ifMatchHeader,
      body: { type: 'object', required: ['reason'], properties: { reason: { type: 'string', minLength: 1, maxLength: 500 } }, additionalProperties: false },
      response: { 200: deadlinesSchema, ...problemResponses('validation', 'not-found', 'forbidden', 'precondition-failed', 'precondition-required') },
    },
  }, async (request, reply) => {
    const { caseId, deadlineId } = request.params as { caseId: string; deadlineId: string };
    await withIfMatch(request, (version) => service.pause(request.actor!, request.auditContext, caseId, deadlineId, (request.body as { reason: string }).reason, version));
    return answerDeadlines(reply, request.actor!, request.auditContext, caseId);
  });

  app.post(`${API_PREFIX}/cases/:caseId/deadlines/:deadlineId/resume`, {
    config,
    schema: {
      tags, operationId: 'resumeCaseDeadline', summary: 'Restart a paused deadline’s clock',
      description: 'The due date and the steps to come move on by the time the clock stood still. Send If-Match with the case’s ETag (428 without it, 412 when stale).',
      params: deadlineParams, headers: ifMatchHeader,
      response: { 200: deadlinesSchema, ...problemResponses('validation', 'not-found', 'forbidden', 'precondition-failed', 'precondition-required') },
    },
  }, async (request, reply) => {
    const { caseId, deadlineId } = request.params as { caseId: string; deadlineId: string };
    await withIfMatch(request, (version) => service.resume(request.actor!, request.auditContext, caseId, deadlineId, version));
    return answerDeadlines(reply, request.actor!, request.auditContext, caseId);
  });

  app.get(`${API_PREFIX}/cases/:caseId/investigation`, {
    config,
    schema: {
      tags, operationId: 'getCaseInvestigation', summary: 'A case’s supervisory reviews, suspects’ bail and releases under investigation',
      description: 'Only for those who may see the case; the read is audited. Suspects are named by their person id on the case.',
      params: caseParams,
      response: {
        200: {
          type: 'object',
          required: ['caseId', 'nextReviewDue', 'reviews', 'suspects', 'awaitingVictimSince'],
          properties: {
            caseId: { type: 'string', format: 'uuid' },
            nextReviewDue: NULLABLE_DATE,
            reviews: { type: 'array', items: { type: 'object', required: ['id', 'reviewedOn'], properties: { id: { type: 'string', format: 'uuid' }, reviewedOn: DATE }, additionalProperties: false } },
            suspects: {
              type: 'array',
              items: {
                type: 'object',
                required: ['personId', 'status', 'arrestedOn', 'interviewedOn', 'bailUntil', 'bailAuthority', 'ruiReviewDue'],
                properties: {
                  personId: { type: 'string', format: 'uuid' },
                  status: { type: 'string', enum: ['not-arrested', 'arrested', 'on-bail', 'released-under-investigation'] },
                  arrestedOn: NULLABLE_DATE,
                  interviewedOn: NULLABLE_DATE,
                  bailUntil: NULLABLE_DATE,
                  bailAuthority: { type: ['string', 'null'], enum: [...Object.keys(bailAuthorities), null] },
                  ruiReviewDue: NULLABLE_DATE,
                },
                additionalProperties: false,
              },
            },
            awaitingVictimSince: { type: ['string', 'null'], format: 'date-time' },
          },
          additionalProperties: false,
        },
        ...problemResponses('not-found'),
      },
    },
  }, async (request, reply) => {
    const view = await service.investigation(request.actor!, request.auditContext, (request.params as { caseId: string }).caseId);
    reply.header('etag', caseEtag(view.summary));
    return {
      caseId: view.summary.id,
      nextReviewDue: view.nextReview?.dueOn ?? null,
      reviews: view.reviews.map((r) => ({ id: r.id, reviewedOn: r.reviewedOn })),
      suspects: view.suspects.map((s) => ({ personId: s.personId, status: s.status, arrestedOn: s.arrestedOn, interviewedOn: s.interviewedOn, bailUntil: s.bail?.until ?? null, bailAuthority: s.bail?.authority ?? null, ruiReviewDue: s.rui?.nextReviewDue ?? null })),
      awaitingVictimSince: view.awaitingVictim?.since ?? null,
    };
  });
}
