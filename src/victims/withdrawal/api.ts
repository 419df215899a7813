// The JSON API of a victim's withdrawals of support: the same service and
// access checks as the pages (the victim's ISVA is told it does not exist).
// Reads answer the case's version as the ETag; changes need If-Match; a
// withdrawal takes an Idempotency-Key.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { allow } from '../../platform/access/policy.ts';
import { API_PREFIX, problemResponses } from '../../platform/api/schemas.ts';
import { stageNames } from '../../cases/model.ts';
import { DATE, createHeaders, dateParts, idParams, idempotencyOf, ifMatchHeader, withIfMatch } from '../../cases/api-support.ts';
import { conversationMethods, withdrawalReasons } from './model.ts';
import type { WithdrawalService } from './service.ts';

const UUID = { type: 'string', format: 'uuid' } as const;
const CONVERSATION = { type: 'string', enum: conversationMethods } as const;

const withdrawalsSchema = {
  type: 'object',
  required: ['caseId', 'victimId', 'version', 'reasonsVersion', 'withdrawals'],
  properties: {
    caseId: UUID,
    victimId: UUID,
    version: { type: 'integer', minimum: 1 },
    reasonsVersion: { type: 'integer', minimum: 1, description: 'The version of the withdrawal reasons list in force' },
    withdrawals: {
      type: 'array',
      description: 'Newest first',
      items: {
        type: 'object',
        required: ['id', 'withdrawnOn', 'stage', 'reason', 'reasonDetail', 'conversation', 'isvaInvolved', 'recordedBy', 'recordedAt', 'reEngaged'],
        properties: {
          id: UUID,
          withdrawnOn: DATE,
          stage: { type: 'string', enum: stageNames, description: 'The case’s stage when the withdrawal was recorded' },
          reason: { type: 'string', description: 'A key of the withdrawal reasons list' },
          reasonDetail: { type: ['string', 'null'] },
          conversation: { type: ['object', 'null'], required: ['on', 'how', 'by'], properties: { on: DATE, how: { type: 'string' }, by: { type: 'string' } }, additionalProperties: false, description: 'Null when nobody spoke to the victim' },
          isvaInvolved: { type: 'boolean' },
          recordedBy: { type: 'string' },
          recordedAt: { type: 'string', format: 'date-time' },
          reEngaged: { type: ['object', 'null'], required: ['on', 'how'], properties: { on: DATE, how: { type: 'string' } }, additionalProperties: false },
        },
        additionalProperties: false,
      },
    },
  },
  additionalProperties: false,
} as const;

export function registerWithdrawalApi(app: FastifyInstance, service: WithdrawalService): void {
  const tags = ['victims'];
  const config = { policy: allow.signedIn, audit: 'required' as const };
  const base = `${API_PREFIX}/cases/:caseId/victims/:victimId/withdrawals`;
  const params = (request: FastifyRequest) => request.params as { caseId: string; victimId: string; withdrawalId?: string };
  const who = 'Recorded by police investigators and supervisors and by CPS prosecutors and VLOs; others who may see the case read it; the victim’s ISVA and strangers are told it does not exist.';
  const answer = async (request: FastifyRequest, reply: FastifyReply, status: 200 | 201) => {
    const { caseId, victimId } = params(request);
    const { v, withdrawals } = await service.withdrawals(request.actor!, request.auditContext, caseId, victimId);
    reply.header('etag', `"${v.summary.version}"`);
    if (status === 201) reply.header('location', `${API_PREFIX}/cases/${v.summary.id}/victims/${v.victim.id}/withdrawals`);
    return reply.code(status).send({ caseId: v.summary.id, victimId: v.victim.id, version: v.summary.version, reasonsVersion: withdrawalReasons.version, withdrawals });
  };
  const changeResponses = problemResponses('validation', 'not-found', 'forbidden', 'precondition-failed', 'precondition-required');

  app.get(base, {
    config,
    schema: {
      tags, operationId: 'getWithdrawals', summary: 'A victim’s withdrawals of support and re-engagements',
      description: `${who} The read is audited. The ETag is the case’s version.`,
      params: idParams('caseId', 'victimId'),
      response: { 200: withdrawalsSchema, ...problemResponses('not-found') },
    },
  }, async (request, reply) => answer(request, reply, 200));

  app.post(base, {
    config,
    schema: {
      tags, operationId: 'recordWithdrawal', summary: 'Record that a victim withdrew support',
      description: `${who} Whether someone spoke to the victim is always answered; when they did, give the conversation. The case’s stage now is recorded with it. Outcome 16 (police NFA) needs a withdrawal recorded with spokenToVictim true. Send If-Match, and an Idempotency-Key to make retries safe.`,
      params: idParams('caseId', 'victimId'),
      headers: createHeaders,
      body: {
        type: 'object', required: ['withdrawnOn', 'reason', 'spokenToVictim', 'isvaInvolved'], additionalProperties: false,
        properties: {
          withdrawnOn: DATE,
          reason: { type: 'string', enum: withdrawalReasons.reasons },
          reasonDetail: { type: 'string', maxLength: 1000, description: 'Required for the reason other' },
          spokenToVictim: { type: 'boolean' },
          conversation: { type: 'object', required: ['on', 'how', 'by'], properties: { on: DATE, how: CONVERSATION, by: { type: 'string', maxLength: 100 } }, additionalProperties: false, description: 'Required when spokenToVictim is true' },
          isvaInvolved: { type: 'boolean' },
        },
      },
      response: { 201: withdrawalsSchema, ...changeResponses, ...problemResponses('idempotency-key-reused') },
    },
  }, async (request, reply) => {
    const body = request.body as { withdrawnOn: string; reason: string; reasonDetail?: string; spokenToVictim: boolean; conversation?: { on: string; how: string; by: string }; isvaInvolved: boolean };
    const { caseId, victimId } = params(request);
    await withIfMatch(request, (version) => service.record(request.actor!, request.auditContext, caseId, victimId, {
      withdrawnOn: dateParts(body.withdrawnOn), reason: body.reason, reasonDetail: body.reasonDetail ?? '', spokenToVictim: body.spokenToVictim ? 'yes' : 'no',
      spokenOn: dateParts(body.conversation?.on), spokenHow: body.conversation?.how ?? '', spokenBy: body.conversation?.by ?? '', isvaInvolved: body.isvaInvolved ? 'yes' : 'no',
    }, version, idempotencyOf(request, request.body)));
    return answer(request, reply, 201);
  });

  app.post(`${base}/:withdrawalId/re-engagement`, {
    config,
    schema: {
      tags, operationId: 'recordReEngagement', summary: 'Record that the victim re-engaged after a withdrawal',
      description: `${who} Once per withdrawal. Send If-Match.`,
      params: idParams('caseId', 'victimId', 'withdrawalId'),
      headers: ifMatchHeader,
      body: { type: 'object', required: ['on', 'how'], additionalProperties: false, properties: { on: DATE, how: CONVERSATION } },
      response: { 200: withdrawalsSchema, ...changeResponses },
    },
  }, async (request, reply) => {
    const body = request.body as { on: string; how: string };
    const { caseId, victimId, withdrawalId } = params(request);
    await withIfMatch(request, (version) => service.reEngage(request.actor!, request.auditContext, caseId, victimId, withdrawalId ?? '', { on: dateParts(body.on), how: body.how }, version));
    return answer(request, reply, 200);
  });
}
