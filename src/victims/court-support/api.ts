// The JSON API of a victim's court support: the same service and access
// checks as the pages (the victim's ISVA is told it does not exist). Reads
// answer the case's version as the ETag; changes need If-Match; an
// application takes an Idempotency-Key.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { allow } from '../../platform/access/policy.ts';
import { API_PREFIX, problemResponses } from '../../platform/api/schemas.ts';
import { DATE, createHeaders, dateParts, idParams, idempotencyOf, ifMatchHeader, withIfMatch } from '../../cases/api-support.ts';
import { measureOutcomes, specialMeasures } from './model.ts';
import type { CourtSupportService } from './service.ts';

const UUID = { type: 'string', format: 'uuid' } as const;
const NULLABLE_DATE = { anyOf: [DATE, { type: 'null' }] } as const;

const courtSupportSchema = {
  type: 'object',
  required: ['caseId', 'victimId', 'version', 'measuresVersion', 'applications', 'preTrialMeeting'],
  properties: {
    caseId: UUID,
    victimId: UUID,
    version: { type: 'integer', minimum: 1 },
    measuresVersion: { type: 'integer', minimum: 1, description: 'The version of the special measures list in force' },
    applications: {
      type: 'array',
      description: 'Newest first',
      items: {
        type: 'object',
        required: ['id', 'measure', 'appliedOn', 'appliedBy', 'victimView', 'outcome', 'decidedOn', 'recordedBy', 'recordedAt'],
        properties: {
          id: UUID,
          measure: { type: 'string', description: 'A key of the special measures list' },
          appliedOn: DATE,
          appliedBy: { type: 'string', description: 'The prosecutor who made the application' },
          victimView: { type: 'string' },
          outcome: { anyOf: [{ type: 'string', enum: measureOutcomes }, { type: 'null' }], description: 'Null until the court decides' },
          decidedOn: NULLABLE_DATE,
          recordedBy: { type: 'string' },
          recordedAt: { type: 'string', format: 'date-time' },
        },
        additionalProperties: false,
      },
    },
    preTrialMeeting: {
      anyOf: [
        { type: 'object', required: ['offeredOn', 'accepted', 'heldOn'], properties: { offeredOn: DATE, accepted: { type: ['boolean', 'null'], description: 'Null until the victim answers' }, heldOn: NULLABLE_DATE }, additionalProperties: false },
        { type: 'null' },
      ],
      description: 'Null until the meeting is offered',
    },
  },
  additionalProperties: false,
} as const;

export function registerCourtSupportApi(app: FastifyInstance, service: CourtSupportService): void {
  const tags = ['victims'];
  const config = { policy: allow.signedIn, audit: 'required' as const };
  const base = `${API_PREFIX}/cases/:caseId/victims/:victimId/court-support`;
  const params = (request: FastifyRequest) => request.params as { caseId: string; victimId: string; applicationId?: string };
  const who = 'For the CPS side of the case (prosecutor, DCP, paralegal, VLO); the police see it; the victim’s ISVA and strangers are told it does not exist.';
  const answer = async (request: FastifyRequest, reply: FastifyReply, status: 200 | 201) => {
    const { caseId, victimId } = params(request);
    const { v, support } = await service.courtSupport(request.actor!, request.auditContext, caseId, victimId);
    reply.header('etag', `"${v.summary.version}"`);
    if (status === 201) reply.header('location', `${API_PREFIX}/cases/${v.summary.id}/victims/${v.victim.id}/court-support`);
    return reply.code(status).send({ caseId: v.summary.id, victimId: v.victim.id, version: v.summary.version, measuresVersion: specialMeasures.version, applications: support.applications, preTrialMeeting: support.meeting });
  };
  const changeResponses = problemResponses('validation', 'not-found', 'forbidden', 'precondition-failed', 'precondition-required');

  app.get(base, {
    config,
    schema: {
      tags, operationId: 'getCourtSupport', summary: 'A victim’s special measures applications and pre-trial meeting',
      description: `${who} The read is audited. The ETag is the case’s version.`,
      params: idParams('caseId', 'victimId'),
      response: { 200: courtSupportSchema, ...problemResponses('not-found') },
    },
  }, async (request, reply) => answer(request, reply, 200));

  app.post(`${base}/applications`, {
    config,
    schema: {
      tags, operationId: 'applyForSpecialMeasure', summary: 'Record a special measures application',
      description: `${who} Send If-Match, and an Idempotency-Key to make retries safe.`,
      params: idParams('caseId', 'victimId'),
      headers: createHeaders,
      body: {
        type: 'object', required: ['measure', 'appliedOn', 'appliedBy', 'victimView'], additionalProperties: false,
        properties: { measure: { type: 'string', enum: specialMeasures.measures }, appliedOn: DATE, appliedBy: { type: 'string', maxLength: 100 }, victimView: { type: 'string', maxLength: 1000 } },
      },
      response: { 201: courtSupportSchema, ...changeResponses, ...problemResponses('idempotency-key-reused') },
    },
  }, async (request, reply) => {
    const body = request.body as { measure: string; appliedOn: string; appliedBy: string; victimView: string };
    const { caseId, victimId } = params(request);
    await withIfMatch(request, (version) => service.apply(request.actor!, request.auditContext, caseId, victimId, { ...body, appliedOn: dateParts(body.appliedOn) }, version, idempotencyOf(request, request.body)));
    return answer(request, reply, 201);
  });

  app.post(`${base}/applications/:applicationId/decision`, {
    config,
    schema: {
      tags, operationId: 'decideSpecialMeasure', summary: 'Record the court’s decision on a special measures application',
      description: `${who} Once per application. Send If-Match.`,
      params: idParams('caseId', 'victimId', 'applicationId'),
      headers: ifMatchHeader,
      body: { type: 'object', required: ['outcome', 'decidedOn'], additionalProperties: false, properties: { outcome: { type: 'string', enum: measureOutcomes }, decidedOn: DATE } },
      response: { 200: courtSupportSchema, ...changeResponses },
    },
  }, async (request, reply) => {
    const body = request.body as { outcome: string; decidedOn: string };
    const { caseId, victimId, applicationId } = params(request);
    await withIfMatch(request, (version) => service.decide(request.actor!, request.auditContext, caseId, victimId, applicationId ?? '', { outcome: body.outcome, decidedOn: dateParts(body.decidedOn) }, version));
    return answer(request, reply, 200);
  });

  app.post(`${base}/pre-trial-meeting`, {
    config,
    schema: {
      tags, operationId: 'recordPreTrialMeeting', summary: 'The pre-trial meeting’s next step: offered, the victim’s answer, held',
      description: `${who} First the day it was offered (on), then whether the victim accepted (accepted), then, if accepted, the day it was held (on). Send If-Match.`,
      params: idParams('caseId', 'victimId'),
      headers: ifMatchHeader,
      body: { type: 'object', additionalProperties: false, properties: { on: DATE, accepted: { type: 'boolean' } } },
      response: { 200: courtSupportSchema, ...changeResponses },
    },
  }, async (request, reply) => {
    const body = request.body as { on?: string; accepted?: boolean };
    const { caseId, victimId } = params(request);
    const accepted = body.accepted === undefined ? '' : body.accepted ? 'yes' : 'no';
    await withIfMatch(request, (version) => service.meeting(request.actor!, request.auditContext, caseId, victimId, { on: dateParts(body.on), accepted }, version));
    return answer(request, reply, 200);
  });
}
