// The JSON API of charging referrals and CPS decisions: the same service and
// access checks as the pages. Reads answer the case's version as the ETag;
// every change needs If-Match (428 without, 412 when stale); creates take an
// Idempotency-Key so that a retry answers the same and makes nothing new.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { allow } from '../../platform/access/policy.ts';
import { API_PREFIX, problemResponses } from '../../platform/api/schemas.ts';
import { offenceClasses, stageNames } from '../model.ts';
import { ID, caseParams, createHeaders, idempotencyOf, ifMatchHeader, withIfMatch } from '../api-support.ts';
import {
  MAX_OFFENCES,
  MAX_WORDING,
  adviceNotRequestedReasons,
  chargingTests,
  finalisationReasons,
  suspectDecisions,
  triageItems,
  triageResults,
} from './model.ts';
import type { ChargingFile } from './model.ts';
import type { ChargingService } from './service.ts';

const UUID = { type: 'string', format: 'uuid' } as const;
const INSTANT = { type: 'string', format: 'date-time' } as const;
const TEXT = { type: 'string', maxLength: 1000 } as const;

const chargingSchema = {
  type: 'object',
  required: ['caseId', 'stage', 'version', 'adviceWasRequested', 'suspects', 'referrals', 'decisions'],
  properties: {
    caseId: UUID,
    stage: { type: 'string', enum: stageNames },
    version: { type: 'integer', minimum: 1, description: 'The case’s version: the ETag carries it' },
    adviceWasRequested: { type: 'boolean', description: 'Whether police ever asked for early advice on the case (if not, a referral must say why)' },
    suspects: {
      type: 'array',
      items: {
        type: 'object',
        required: ['id', 'name', 'consultations', 'awaitingDecision', 'decision'],
        properties: {
          id: UUID,
          name: { type: 'string' },
          consultations: { type: 'integer', minimum: 0, description: 'Each referral of and each decision on the suspect is one consultation' },
          awaitingDecision: { type: 'boolean' },
          decision: { type: ['string', 'null'], enum: [...Object.keys(suspectDecisions), null] },
        },
        additionalProperties: false,
      },
    },
    referrals: {
      type: 'array',
      description: 'Newest first: the first is the current referral',
      items: {
        type: 'object',
        required: ['id', 'test', 'fromStage', 'referredBy', 'referredAt', 'suspectIds', 'notRequested', 'triage'],
        properties: {
          id: UUID,
          test: { type: 'string', enum: Object.keys(chargingTests) },
          fromStage: { type: 'string' },
          referredBy: { type: 'string' },
          referredAt: INSTANT,
          suspectIds: { type: 'array', items: UUID },
          notRequested: {
            type: ['object', 'null'],
            required: ['reason', 'detail'],
            properties: { reason: { type: 'string' }, detail: { type: 'string' } },
            additionalProperties: false,
          },
          triage: {
            type: ['object', 'null'],
            required: ['result', 'items', 'reasons', 'by', 'at'],
            properties: {
              result: { type: 'string', enum: Object.keys(triageResults) },
              items: { type: 'array', items: { type: 'string', enum: triageItems } },
              reasons: { type: ['string', 'null'] },
              by: { type: 'string' },
              at: INSTANT,
            },
            additionalProperties: false,
          },
        },
        additionalProperties: false,
      },
    },
    decisions: {
      type: 'array',
      description: 'Newest first',
      items: {
        type: 'object',
        required: ['id', 'referralId', 'kind', 'suspectId', 'offences', 'alternativeOffence', 'reasonCode', 'reasons', 'decidedBy', 'decidedAt', 'superseded'],
        properties: {
          id: UUID,
          referralId: { type: ['string', 'null'], format: 'uuid' },
          kind: { type: 'string', enum: [...Object.keys(suspectDecisions), 'administratively_finalised', 'reopened'] },
          suspectId: { type: ['string', 'null'], format: 'uuid' },
          offences: {
            type: 'array',
            items: { type: 'object', required: ['offenceClass', 'wording'], properties: { offenceClass: { type: 'string', enum: [...offenceClasses] }, wording: { type: 'string' } }, additionalProperties: false },
          },
          alternativeOffence: { type: 'boolean', description: 'A charge for an alternative, non-rape offence' },
          reasonCode: { type: ['string', 'null'] },
          reasons: { type: 'string' },
          decidedBy: { type: 'string' },
          decidedAt: INSTANT,
          superseded: { type: 'boolean', description: 'Set aside when a decision of no further action was reopened' },
        },
        additionalProperties: false,
      },
    },
  },
  additionalProperties: false,
} as const;

function present(summary: { id: string; stage: string; version: number }, file: ChargingFile) {
  return {
    caseId: summary.id,
    stage: summary.stage,
    version: summary.version,
    adviceWasRequested: file.adviceWasRequested,
    suspects: file.suspects.map(({ id, name, consultations, awaitingDecision, decision }) => ({ id, name, consultations, awaitingDecision, decision })),
    referrals: file.referrals.map((r) => ({ id: r.id, test: r.test, fromStage: r.fromStage, referredBy: r.referredBy, referredAt: r.referredAt, suspectIds: [...r.suspectIds], notRequested: r.notRequested, triage: r.triage ? { ...r.triage, items: [...r.triage.items] } : null })),
    decisions: file.decisions.map((d) => ({ ...d, offences: d.offences.map((o) => ({ ...o })) })),
  };
}

const etag = (version: number) => `"${version}"`;

export function registerChargingApi(app: FastifyInstance, charging: ChargingService): void {
  const tags = ['charging'];
  const config = { policy: allow.signedIn, audit: 'required' as const };
  const base = `${API_PREFIX}/cases/:caseId/charging`;
  const caseIdOf = (request: FastifyRequest) => (request.params as { caseId: string }).caseId;
  const answer = async (request: FastifyRequest, reply: FastifyReply, status: 200 | 201) => {
    const { summary, file } = await charging.chargingFile(request.actor!, request.auditContext, caseIdOf(request));
    reply.header('etag', etag(summary.version));
    if (status === 201) reply.header('location', `${API_PREFIX}/cases/${summary.id}/charging`);
    return reply.code(status).send(present(summary, file));
  };
  const changed = (summary: string, description: string, operationId: string, body: object, status: 200 | 201) => ({
    config,
    schema: {
      tags, operationId, summary, description,
      params: caseParams,
      headers: status === 201 ? createHeaders : ifMatchHeader,
      body,
      response: { [status]: chargingSchema, ...problemResponses('validation', 'not-found', 'forbidden', 'precondition-failed', 'precondition-required', ...(status === 201 ? ['idempotency-key-reused' as const] : [])) },
    },
  });

  app.get(base, {
    config,
    schema: {
      tags, operationId: 'getCharging', summary: 'A case’s charging referrals, decisions and suspects with their consultations',
      description: 'For anyone who may see the case; not found for anyone else. The read is audited. The ETag is the case’s version.',
      params: caseParams,
      response: { 200: chargingSchema, ...problemResponses('not-found') },
    },
  }, async (request, reply) => answer(request, reply, 200));

  app.post(`${base}/referrals`, changed(
    'Refer the case for a charging decision',
    'For police (officer in the case or supervisor). From Investigation, Early advice or Action plan (or when a referral was returned). If police never asked for early advice, give the reason. Send If-Match, and an Idempotency-Key to make retries safe.',
    'referForCharging',
    {
      type: 'object', required: ['test', 'suspectIds'], additionalProperties: false,
      properties: {
        test: { type: 'string', enum: Object.keys(chargingTests) },
        suspectIds: { type: 'array', items: ID, minItems: 1, maxItems: 50, uniqueItems: true },
        notRequestedReason: { type: 'string', enum: Object.keys(adviceNotRequestedReasons.reasons) },
        notRequestedDetail: TEXT,
      },
    },
    201,
  ), async (request, reply) => {
    const body = request.body as { test: string; suspectIds: string[]; notRequestedReason?: string; notRequestedDetail?: string };
    await withIfMatch(request, (version) => charging.refer(request.actor!, request.auditContext, caseIdOf(request), { test: body.test, suspectIds: body.suspectIds, notRequestedReason: body.notRequestedReason ?? '', notRequestedDetail: body.notRequestedDetail ?? '' }, version, idempotencyOf(request, request.body)));
    return answer(request, reply, 201);
  });

  app.post(`${base}/triage`, changed(
    'Record the file-quality triage of the current referral',
    'For the CPS (paralegal, prosecutor or DCP). A returned file needs reasons. Send If-Match.',
    'triageChargingReferral',
    {
      type: 'object', required: ['items', 'result'], additionalProperties: false,
      properties: { items: { type: 'array', items: { type: 'string', enum: triageItems }, uniqueItems: true }, result: { type: 'string', enum: Object.keys(triageResults) }, reasons: TEXT },
    },
    200,
  ), async (request, reply) => {
    const body = request.body as { items: string[]; result: string; reasons?: string };
    await withIfMatch(request, (version) => charging.triage(request.actor!, request.auditContext, caseIdOf(request), { items: body.items, result: body.result, reasons: body.reasons ?? '' }, version));
    return answer(request, reply, 200);
  });

  app.post(`${base}/decisions`, changed(
    'Record the charging decision for one suspect',
    'For the CPS (prosecutor or DCP), when the current referral was accepted at triage. A charge names its offences. The case moves when the last suspect has a decision. Send If-Match, and an Idempotency-Key to make retries safe.',
    'decideCharging',
    {
      type: 'object', required: ['suspectId', 'decision', 'reasons'], additionalProperties: false,
      properties: {
        suspectId: ID,
        decision: { type: 'string', enum: Object.keys(suspectDecisions) },
        offences: {
          type: 'array', maxItems: MAX_OFFENCES,
          items: { type: 'object', required: ['offenceClass', 'wording'], properties: { offenceClass: { type: 'string', enum: [...offenceClasses] }, wording: { type: 'string', maxLength: MAX_WORDING } }, additionalProperties: false },
        },
        alternativeOffence: { type: 'boolean' },
        reasons: TEXT,
      },
    },
    201,
  ), async (request, reply) => {
    const body = request.body as { suspectId: string; decision: string; offences?: { offenceClass: string; wording: string }[]; alternativeOffence?: boolean; reasons: string };
    await withIfMatch(request, (version) => charging.decide(request.actor!, request.auditContext, caseIdOf(request), { suspectId: body.suspectId, decision: body.decision, offences: body.offences ?? [], alternativeOffence: body.alternativeOffence ?? false, reasons: body.reasons }, version, idempotencyOf(request, request.body)));
    return answer(request, reply, 201);
  });

  app.post(`${base}/administrative-finalisation`, changed(
    'Administratively finalise the case',
    'For the CPS (prosecutor or DCP), from Early advice, Charging referral or Action plan, when police never answered. Send If-Match.',
    'finaliseCaseAdministratively',
    { type: 'object', required: ['reason', 'detail'], additionalProperties: false, properties: { reason: { type: 'string', enum: Object.keys(finalisationReasons.reasons) }, detail: TEXT } },
    200,
  ), async (request, reply) => {
    const body = request.body as { reason: string; detail: string };
    await withIfMatch(request, (version) => charging.finalise(request.actor!, request.auditContext, caseIdOf(request), body, version));
    return answer(request, reply, 200);
  });

  app.post(`${base}/reopening`, changed(
    'Reopen an administratively finalised case or a CPS decision of no further action',
    'For the CPS (prosecutor or DCP). A CPS decision of no further action returns to Charging referral; an administratively finalised case to Investigation. Send If-Match.',
    'reopenChargingDecision',
    { type: 'object', required: ['reason'], additionalProperties: false, properties: { reason: TEXT } },
    200,
  ), async (request, reply) => {
    const body = request.body as { reason: string };
    await withIfMatch(request, (version) => charging.reopen(request.actor!, request.auditContext, caseIdOf(request), body, version));
    return answer(request, reply, 200);
  });
}
