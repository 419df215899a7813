// The JSON API of the victim's rights: the same service and access checks as
// the pages. Reads answer the case's version as the ETag; changes need
// If-Match; proofs of delivery and requests take an Idempotency-Key.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { allow } from '../../platform/access/policy.ts';
import { API_PREFIX, problemResponses } from '../../platform/api/schemas.ts';
import { DATE, createHeaders, dateParts, idParams, idempotencyOf, ifMatchHeader, withIfMatch } from '../../cases/api-support.ts';
import { contactMethods } from '../model.ts';
import { entitlementKeys, outcomes, reviewStages, schemes } from './model.ts';
import type { RightsService } from './service.ts';

const UUID = { type: 'string', format: 'uuid' } as const;
const NULLABLE_DATE = { anyOf: [DATE, { type: 'null' }] } as const;

const rightsSchema = {
  type: 'object',
  required: ['caseId', 'victimId', 'version', 'ledger', 'reviews'],
  additionalProperties: false,
  properties: {
    caseId: UUID,
    victimId: UUID,
    version: { type: 'integer', minimum: 1 },
    ledger: {
      type: 'array', description: 'One line per entitlement each time it began to apply, oldest first',
      items: {
        type: 'object', required: ['entitlement', 'title', 'appliesOn', 'ruleKey', 'dueOn', 'delivery', 'status'], additionalProperties: false,
        properties: {
          entitlement: { type: 'string', enum: entitlementKeys },
          title: { type: 'string' },
          appliesOn: DATE,
          ruleKey: { type: 'string', description: 'The deadline rule that dates it' },
          dueOn: NULLABLE_DATE,
          delivery: {
            anyOf: [{ type: 'null' }, {
              type: 'object', required: ['on', 'method', 'reference', 'source'], additionalProperties: false,
              properties: { on: DATE, method: { type: 'string' }, reference: { type: 'string' }, source: { type: 'string', enum: ['recorded', 'letter'] } },
            }],
          },
          status: { type: 'string', enum: ['delivered', 'delivered_late', 'due', 'overdue'] },
        },
      },
    },
    reviews: {
      type: 'array', description: 'Right-to-review requests, newest first',
      items: {
        type: 'object', additionalProperties: false,
        required: ['id', 'scheme', 'toldOn', 'receivedOn', 'windowEndsOn', 'late', 'lateReason', 'stage', 'acknowledgedOn', 'escalatedOn', 'outcome', 'decidedOn', 'reasons'],
        properties: {
          id: UUID, scheme: { type: 'string', enum: schemes }, toldOn: DATE, receivedOn: DATE, windowEndsOn: DATE, late: { type: 'boolean' }, lateReason: { type: ['string', 'null'] },
          stage: { type: 'string', enum: reviewStages }, acknowledgedOn: NULLABLE_DATE, escalatedOn: NULLABLE_DATE,
          outcome: { anyOf: [{ type: 'string', enum: outcomes }, { type: 'null' }] }, decidedOn: NULLABLE_DATE, reasons: { type: ['string', 'null'] },
        },
      },
    },
  },
} as const;

const problems = problemResponses('validation', 'not-found', 'forbidden', 'precondition-failed', 'precondition-required');

export function registerRightsApi(app: FastifyInstance, rights: RightsService): void {
  const tags = ['victims'];
  const config = { policy: allow.signedIn, audit: 'required' as const };
  const base = `${API_PREFIX}/cases/:caseId/victims/:victimId/rights`;
  const params = (request: FastifyRequest) => request.params as { caseId: string; victimId: string; requestId: string };
  const a = (request: FastifyRequest) => [request.actor!, request.auditContext] as const;

  const answer = async (request: FastifyRequest, reply: FastifyReply, status: 200 | 201) => {
    const { caseId, victimId } = params(request);
    const ledger = await rights.ledger(...a(request), caseId, victimId);
    const { requests } = await rights.reviews(...a(request), caseId, victimId);
    reply.header('etag', `"${ledger.summary.version}"`);
    return reply.code(status).send({
      caseId: ledger.summary.id, victimId: ledger.victim.id, version: ledger.summary.version,
      ledger: ledger.lines.map(({ deadlineId: _, delivery, ...line }) => ({ ...line, delivery: delivery ? { on: delivery.on, method: delivery.method, reference: delivery.reference, source: delivery.source } : null })),
      reviews: requests.map(({ recordedBy: _r, recordedAt: _a, decidedBy: _d, ...r }) => r),
    });
  };

  app.get(base, {
    config,
    schema: {
      tags, operationId: 'getVictimRights', summary: 'A victim’s Victims’ Code ledger and right-to-review requests',
      description: 'For those who may see the case; not for an ISVA (not found). The read is audited. The ETag is the case’s version.',
      params: idParams('caseId', 'victimId'),
      response: { 200: rightsSchema, ...problemResponses('not-found') },
    },
  }, async (request, reply) => answer(request, reply, 200));

  app.post(`${base}/deliveries`, {
    config,
    schema: {
      tags, operationId: 'recordEntitlementDelivery', summary: 'Record proof that the victim was given an entitlement',
      description: 'For the case team and supervisors (police or CPS). Answers the latest time the entitlement began to apply; meets its clock. Send If-Match, and an Idempotency-Key to make retries safe.',
      params: idParams('caseId', 'victimId'),
      headers: createHeaders,
      body: {
        type: 'object', required: ['entitlement', 'deliveredOn', 'method', 'reference'], additionalProperties: false,
        properties: { entitlement: { type: 'string', enum: entitlementKeys }, deliveredOn: DATE, method: { type: 'string', enum: [...contactMethods] }, reference: { type: 'string', maxLength: 500 } },
      },
      response: { 201: rightsSchema, ...problems, ...problemResponses('idempotency-key-reused') },
    },
  }, async (request, reply) => {
    const body = request.body as { entitlement: string; deliveredOn: string; method: string; reference: string };
    const { caseId, victimId } = params(request);
    await withIfMatch(request, (version) => rights.recordDelivery(...a(request), caseId, victimId, { ...body, deliveredOn: dateParts(body.deliveredOn) }, version, idempotencyOf(request, request.body)));
    return answer(request, reply, 201);
  });

  app.post(`${base}/reviews`, {
    config,
    schema: {
      tags, operationId: 'requestRightToReview', summary: 'Record a victim’s request for review of a decision',
      description: 'Police scheme by police at Police NFA; CPS scheme by the CPS at CPS NFA. A request after the window (police: 3 months; CPS: 10 working days, configurable) needs lateReason. Opens the clocks. Send If-Match, and an Idempotency-Key to make retries safe.',
      params: idParams('caseId', 'victimId'),
      headers: createHeaders,
      body: {
        type: 'object', required: ['scheme', 'toldOn', 'receivedOn'], additionalProperties: false,
        properties: { scheme: { type: 'string', enum: schemes }, toldOn: DATE, receivedOn: DATE, lateReason: { type: 'string', maxLength: 1000 } },
      },
      response: { 201: rightsSchema, ...problems, ...problemResponses('idempotency-key-reused') },
    },
  }, async (request, reply) => {
    const body = request.body as { scheme: string; toldOn: string; receivedOn: string; lateReason?: string };
    const { caseId, victimId } = params(request);
    await withIfMatch(request, (version) => rights.requestReview(...a(request), caseId, victimId, { scheme: body.scheme, toldOn: dateParts(body.toldOn), receivedOn: dateParts(body.receivedOn), lateReason: body.lateReason ?? '' }, version, idempotencyOf(request, request.body)));
    return answer(request, reply, 201);
  });

  const stepRoute = (path: string, operationId: string, summary: string, description: string, body: object, run: (request: FastifyRequest, version: number | null) => Promise<void>) =>
    app.post(`${base}/reviews/:requestId/${path}`, {
      config,
      schema: { tags, operationId, summary, description: `${description} Send If-Match.`, params: idParams('caseId', 'victimId', 'requestId'), headers: ifMatchHeader, body, response: { 200: rightsSchema, ...problems } },
    }, async (request, reply) => {
      await withIfMatch(request, (version) => run(request, version));
      return answer(request, reply, 200);
    });
  const dated = (name: string) => ({ type: 'object', required: [name], additionalProperties: false, properties: { [name]: DATE } });

  stepRoute('acknowledgement', 'acknowledgeRightToReview', 'Record that the request was acknowledged', 'By those who record requests under the scheme. Meets the acknowledgement clock.', dated('acknowledgedOn'), async (request, version) => {
    const { caseId, victimId, requestId } = params(request);
    await rights.acknowledge(...a(request), caseId, victimId, requestId, { acknowledgedOn: dateParts((request.body as { acknowledgedOn: string }).acknowledgedOn) }, version);
  });
  stepRoute('escalation', 'escalateRightToReview', 'Move a CPS request from local resolution to independent review', 'CPS scheme only. Meets the local resolution clock and opens the independent review clock.', dated('escalatedOn'), async (request, version) => {
    const { caseId, victimId, requestId } = params(request);
    await rights.escalate(...a(request), caseId, victimId, requestId, { escalatedOn: dateParts((request.body as { escalatedOn: string }).escalatedOn) }, version);
  });
  stepRoute('decision', 'decideRightToReview', 'Record the outcome of the review', 'Police scheme: a police supervisor or escalation lead. CPS: a prosecutor, DCP or Head of RASSO at local resolution; a DCP or Head of RASSO at independent review. Overturned reopens the case (Police NFA to Investigation; CPS NFA to Charging referral).', {
    type: 'object', required: ['outcome', 'decidedOn', 'reasons'], additionalProperties: false,
    properties: { outcome: { type: 'string', enum: outcomes }, decidedOn: DATE, reasons: { type: 'string', maxLength: 1000 } },
  }, async (request, version) => {
    const { caseId, victimId, requestId } = params(request);
    const body = request.body as { outcome: string; decidedOn: string; reasons: string };
    await rights.decide(...a(request), caseId, victimId, requestId, { outcome: body.outcome, decidedOn: dateParts(body.decidedOn), reasons: body.reasons }, version);
  });
}
