// The action plans' JSON API: the case's plans, issuing one as a charging
// decision (Idempotency-Key), and every change to a plan (If-Match: the
// case's ETag). The same service and checks as the pages.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { allow } from '../../platform/access/policy.ts';
import { API_PREFIX, problemResponses } from '../../platform/api/schemas.ts';
import type { Platform } from '../../platform/platform.ts';
import { DATE, caseParams, createHeaders, createdSchema, dateParts, idParams, idempotencyOf, ifMatchHeader, versionForCreate, versionSchema, withIfMatch } from '../api-support.ts';
import { itemOwners, itemStatuses, planSources, planStatuses, reviewDays } from './model.ts';
import type { ActionPlan } from './model.ts';
import { createIdempotency } from '../idempotency.ts';
import type { ActionPlansService } from './service.ts';

/** What issuing a plan answers: a create's answer, and whether the plan is issued. */
const planCreatedSchema = {
  ...createdSchema,
  properties: { ...createdSchema.properties, issued: { type: 'boolean', description: 'False while the plan waits for a DCP' } },
} as const;

/** Runs an update that needs If-Match (428 without it, 412 when the case moved on), answering the case's new version as the ETag. */
export async function answerVersion(request: FastifyRequest, reply: FastifyReply, run: (version: number | null) => Promise<number>): Promise<{ caseVersion: number }> {
  const version = await withIfMatch(request, run);
  reply.header('etag', `"${version}"`);
  return { caseVersion: version };
}

export const itemInputSchema = {
  type: 'object', required: ['description', 'owner', 'dueOn'],
  properties: { description: { type: 'string', minLength: 1, maxLength: 1000 }, owner: { type: 'string', enum: Object.keys(itemOwners) }, dueOn: DATE },
  additionalProperties: false,
} as const;

const planSchema = {
  type: 'object',
  required: ['id', 'source', 'status', 'secondAfterFullCodeTest', 'issuedAt', 'answeredAt', 'items', 'reviews'],
  properties: {
    id: { type: 'string', format: 'uuid' },
    source: { type: 'string', enum: Object.keys(planSources) },
    status: { type: 'string', enum: Object.keys(planStatuses) },
    secondAfterFullCodeTest: { type: 'boolean' },
    earlyAdviceId: { type: ['string', 'null'] },
    draftedAt: { type: 'string', format: 'date-time' },
    dcpReviewedAt: { type: ['string', 'null'] },
    dcpNote: { type: ['string', 'null'] },
    issuedAt: { type: ['string', 'null'] },
    answeredAt: { type: ['string', 'null'] },
    items: {
      type: 'array',
      items: {
        type: 'object', required: ['id', 'position', 'description', 'owner', 'dueOn', 'status'],
        properties: {
          id: { type: 'string', format: 'uuid' }, position: { type: 'integer' }, description: { type: 'string' }, owner: { type: 'string', enum: Object.keys(itemOwners) }, dueOn: DATE,
          status: { type: 'string', enum: Object.keys(itemStatuses) }, query: { type: ['string', 'null'] }, response: { type: ['string', 'null'] }, reviewNote: { type: ['string', 'null'] },
        },
        additionalProperties: false,
      },
    },
    reviews: {
      type: 'array',
      items: { type: 'object', required: ['day', 'heldOn', 'note'], properties: { day: { type: 'integer', enum: [...reviewDays] }, heldOn: DATE, note: { type: 'string' }, recordedAt: { type: 'string' } }, additionalProperties: false },
    },
  },
  additionalProperties: false,
} as const;

function presentPlan(plan: ActionPlan) {
  return {
    id: plan.id, source: plan.source, status: plan.status, secondAfterFullCodeTest: plan.secondAfterFullCodeTest, earlyAdviceId: plan.earlyAdviceId, draftedAt: plan.draftedAt,
    dcpReviewedAt: plan.dcpReviewedAt, dcpNote: plan.dcpNote, issuedAt: plan.issuedAt, answeredAt: plan.answeredAt,
    items: plan.items.map(({ id: itemId, position, description, owner, dueOn, status, query, response, reviewNote }) => ({ id: itemId, position, description, owner, dueOn, status, query, response, reviewNote })),
    reviews: plan.reviews.map(({ day, heldOn, note, recordedAt }) => ({ day, heldOn, note, recordedAt })),
  };
}

export function registerActionPlansApi(app: FastifyInstance, plans: ActionPlansService, platform: Platform): void {
  const tags = ['action plans'];
  const config = { policy: allow.signedIn, audit: 'required' as const };
  const base = `${API_PREFIX}/cases/:caseId/action-plans`;
  const planParams = idParams('caseId', 'planId');
  const itemParams = idParams('caseId', 'planId', 'itemId');
  const p = (request: FastifyRequest) => request.params as { caseId: string; planId: string; itemId: string };
  const updateResponses = { 200: versionSchema, ...problemResponses('validation', 'not-found', 'forbidden', 'precondition-failed', 'precondition-required') };

  app.get(base, {
    config,
    schema: {
      tags, operationId: 'listActionPlans', summary: 'The case’s action plans, newest first, with items, PRFI reviews and the review clock',
      params: caseParams,
      response: {
        200: {
          type: 'object', required: ['caseVersion', 'plans', 'reviewDueOn'],
          properties: { caseVersion: { type: 'integer' }, reviewDueOn: { anyOf: [DATE, { type: 'null' }], description: 'When the open PRFI review clock is due' }, nextStepDueOn: { anyOf: [DATE, { type: 'null' }] }, plans: { type: 'array', items: planSchema } },
          additionalProperties: false,
        },
        ...problemResponses('not-found'),
      },
    },
  }, async (request, reply) => {
    const view = await plans.plans(request.actor!, request.auditContext, p(request).caseId);
    reply.header('etag', `"${view.summary.version}"`);
    const open = view.reviewClock?.status === 'open' ? view.reviewClock : null;
    return { caseVersion: view.summary.version, reviewDueOn: open?.dueOn ?? null, nextStepDueOn: open?.nextStepDueOn ?? null, plans: view.plans.map(presentPlan) };
  });

  app.post(base, {
    config,
    schema: {
      tags, operationId: 'issueActionPlan', summary: 'Issue an action plan as a charging decision',
      description: 'For the prosecutor side, on a case at Charging referral. A second plan after a full-code-test submission waits for a DCP (issued: false). Send Idempotency-Key to make retries safe; If-Match is optional.',
      params: caseParams, headers: createHeaders,
      body: { type: 'object', required: ['items'], properties: { items: { type: 'array', minItems: 1, maxItems: 10, items: itemInputSchema } }, additionalProperties: false },
      response: { 201: planCreatedSchema, ...problemResponses('validation', 'not-found', 'forbidden', 'conflict', 'idempotency-key-reused') },
    },
  }, async (request, reply) => {
    const body = request.body as { items: { description: string; owner: string; dueOn: string }[] };
    const { caseId } = p(request);
    const version = await versionForCreate(request, () => plans.currentVersion(request.actor!, request.auditContext, caseId));
    const items = body.items.map((i) => ({ description: i.description, owner: i.owner, dueOn: dateParts(i.dueOn) }));
    const created = await createIdempotency(platform).once<{ id: string; issued: boolean | undefined; caseVersion: number }>(request.auditContext, request.actor!, 'action-plans.issue', idempotencyOf(request, { caseId, body }), async (store) => {
      const made = await plans.issueFromCharging(request.actor!, request.auditContext, caseId, { items }, version, (tx, created) => store(tx, { id: created.id, issued: created.issued, caseVersion: created.version }));
      return { id: made.id, issued: made.issued, caseVersion: made.version };
    });
    reply.header('location', `${API_PREFIX}/cases/${caseId}/action-plans`).header('etag', `"${created.caseVersion}"`);
    return reply.code(201).send(created);
  });

  app.post(`${base}/:planId/dcp-review`, {
    config,
    schema: {
      tags, operationId: 'reviewActionPlanAsDcp', summary: 'A DCP approves (issues) or returns a second action plan', params: planParams, headers: ifMatchHeader,
      body: { type: 'object', required: ['decision'], properties: { decision: { type: 'string', enum: ['approve', 'return'] }, note: { type: 'string', maxLength: 4000 } }, additionalProperties: false },
      response: updateResponses,
    },
  }, async (request, reply) => {
    const body = request.body as { decision: string; note?: string };
    return answerVersion(request, reply, (v) => plans.dcpReview(request.actor!, request.auditContext, p(request).caseId, p(request).planId, { decision: body.decision, note: body.note ?? '' }, v));
  });

  app.post(`${base}/:planId/reviews`, {
    config,
    schema: {
      tags, operationId: 'recordActionPlanReview', summary: 'Record a PRFI review held at 28, 56 or 90 days', params: planParams, headers: ifMatchHeader,
      body: { type: 'object', required: ['day', 'heldOn', 'note'], properties: { day: { type: 'integer', enum: [...reviewDays] }, heldOn: DATE, note: { type: 'string', maxLength: 4000 } }, additionalProperties: false },
      response: updateResponses,
    },
  }, async (request, reply) => {
    const body = request.body as { day: number; heldOn: string; note: string };
    return answerVersion(request, reply, (v) => plans.recordReview(request.actor!, request.auditContext, p(request).caseId, p(request).planId, { day: String(body.day), heldOn: dateParts(body.heldOn), note: body.note }, v));
  });

  app.post(`${base}/:planId/items/:itemId/response`, {
    config,
    schema: {
      tags, operationId: 'respondToActionPlanItem', summary: 'Accept, query or complete an action (its owner side)', params: itemParams, headers: ifMatchHeader,
      body: { type: 'object', required: ['response'], properties: { response: { type: 'string', enum: ['accept', 'query', 'complete'] }, text: { type: 'string', maxLength: 4000 } }, additionalProperties: false },
      response: updateResponses,
    },
  }, async (request, reply) => {
    const body = request.body as { response: string; text?: string };
    return answerVersion(request, reply, (v) => plans.respond(request.actor!, request.auditContext, p(request).caseId, p(request).planId, p(request).itemId, { response: body.response, text: body.text ?? '' }, v));
  });

  app.post(`${base}/:planId/items/:itemId/review`, {
    config,
    schema: {
      tags, operationId: 'reviewActionPlanItem', summary: 'The prosecutor accepts a completed action or returns it with a note', params: itemParams, headers: ifMatchHeader,
      body: { type: 'object', required: ['decision'], properties: { decision: { type: 'string', enum: ['accept', 'return'] }, note: { type: 'string', maxLength: 4000 } }, additionalProperties: false },
      response: updateResponses,
    },
  }, async (request, reply) => {
    const body = request.body as { decision: string; note?: string };
    return answerVersion(request, reply, (v) => plans.reviewItem(request.actor!, request.auditContext, p(request).caseId, p(request).planId, p(request).itemId, { decision: body.decision, note: body.note ?? '' }, v));
  });
}
