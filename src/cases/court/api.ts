// The court part's JSON API: the case at court, and one operation for each
// thing the CPS side records there. Creates take an Idempotency-Key (If-Match
// optional); changes require If-Match. The same service and checks as the pages.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { allow } from '../../platform/access/policy.ts';
import { API_PREFIX, problemResponses } from '../../platform/api/schemas.ts';
import { DATE, ID, caseParams, createHeaders, createdSchema, dateParts, idParams, idempotencyOf, ifMatchHeader, versionSchema, withCheckedIfMatch } from '../api-support.ts';
import { adjournmentReasons, courts, hearingKinds, outcomes, requesters, sentenceTypes } from './model.ts';
import type { CourtService } from './service.ts';

const hearingParams = idParams('caseId', 'hearingId');
const changeProblems = problemResponses('validation', 'not-found', 'forbidden', 'precondition-failed', 'precondition-required');
const createProblems = problemResponses('validation', 'not-found', 'forbidden', 'precondition-failed', 'idempotency-key-reused');

const courtSchema = {
  type: 'object', required: ['courtCaseNumber', 'sentToCrownCourtOn', 'hearings', 'defendants'], additionalProperties: false,
  properties: {
    courtCaseNumber: { type: ['string', 'null'] },
    sentToCrownCourtOn: { anyOf: [DATE, { type: 'null' }] },
    hearings: {
      type: 'array',
      items: {
        type: 'object', required: ['id', 'kind', 'court', 'listedOn', 'status', 'heldOn', 'adjournmentReason', 'adjournmentRequestedBy'], additionalProperties: false,
        properties: {
          id: { type: 'string', format: 'uuid' }, kind: { type: 'string', enum: Object.keys(hearingKinds) }, court: { type: 'string', enum: Object.keys(courts) }, listedOn: DATE,
          status: { type: 'string', enum: ['listed', 'held', 'adjourned'] }, heldOn: { anyOf: [DATE, { type: 'null' }] },
          adjournmentReason: { type: ['string', 'null'], enum: [...Object.keys(adjournmentReasons.reasons), null] }, adjournmentRequestedBy: { type: ['string', 'null'], enum: [...Object.keys(requesters), null] },
        },
      },
    },
    defendants: {
      type: 'array',
      items: {
        type: 'object', required: ['suspectId', 'name', 'outcome', 'outcomeOn', 'victimWithdrawal', 'sentenceType', 'sentenceMonths', 'sentencedOn'], additionalProperties: false,
        properties: {
          suspectId: { type: 'string', format: 'uuid' }, name: { type: 'string' }, outcome: { type: ['string', 'null'], enum: [...Object.keys(outcomes), null] }, outcomeOn: { anyOf: [DATE, { type: 'null' }] },
          victimWithdrawal: { type: 'boolean' }, sentenceType: { type: ['string', 'null'], enum: [...Object.keys(sentenceTypes), null] }, sentenceMonths: { type: ['integer', 'null'] }, sentencedOn: { anyOf: [DATE, { type: 'null' }] },
        },
      },
    },
  },
} as const;

const body = (required: readonly string[], properties: Record<string, unknown>) => ({ type: 'object', required, properties, additionalProperties: false });

export function registerCourtApi(app: FastifyInstance, court: CourtService): void {
  const tags = ['cases'];
  const config = { policy: allow.signedIn, audit: 'required' as const };
  const ids = (request: FastifyRequest) => request.params as { caseId: string; hearingId: string };
  const base = `${API_PREFIX}/cases/:caseId/court`;
  const who = 'For prosecutors, paralegals and DCPs of the case’s CPS Area on the case team or supervising it.';

  app.get(base, {
    config,
    schema: { tags, operationId: 'getCaseCourt', summary: 'The case at court: hearings, defendants’ outcomes and sentences', params: caseParams, response: { 200: courtSchema, ...problemResponses('not-found') } },
  }, async (request, reply) => {
    const read = await court.court(request.actor!, request.auditContext, ids(request).caseId);
    reply.header('etag', `"${read.summary.version}"`);
    return { courtCaseNumber: read.summary.courtCaseNumber, sentToCrownCourtOn: read.record.sentToCrownCourtOn, hearings: read.record.hearings, defendants: read.record.defendants };
  });

  const created = (request: FastifyRequest, reply: import('fastify').FastifyReply, result: { id: string; caseVersion: number }) =>
    reply.code(201).header('etag', `"${result.caseVersion}"`).header('location', `${API_PREFIX}/cases/${ids(request).caseId}/court`).send({ id: result.id, caseVersion: result.caseVersion });
  const changed = (reply: import('fastify').FastifyReply, version: number) => {
    reply.header('etag', `"${version}"`);
    return { caseVersion: version };
  };

  app.post(`${base}/first-hearing`, {
    config,
    schema: {
      tags, operationId: 'recordFirstHearing', summary: 'Record the first hearing at the magistrates’ court: the case moves from Charged to Court', description: who,
      params: caseParams, headers: createHeaders, body: body(['heldOn'], { heldOn: DATE }), response: { 201: createdSchema, ...createProblems },
    },
  }, async (request, reply) => created(request, reply, await withCheckedIfMatch(request, (v) => court.recordFirstHearing(request.actor!, request.auditContext, ids(request).caseId, { heldOn: dateParts((request.body as { heldOn: string }).heldOn) }, v, idempotencyOf(request)), false)));

  app.post(`${base}/hearings`, {
    config,
    schema: {
      tags, operationId: 'listHearing', summary: 'List a hearing', description: who,
      params: caseParams, headers: createHeaders,
      body: body(['kind', 'court', 'listedOn'], { kind: { type: 'string', enum: Object.keys(hearingKinds).filter((k) => k !== 'first_hearing') }, court: { type: 'string', enum: Object.keys(courts) }, listedOn: DATE }),
      response: { 201: createdSchema, ...createProblems },
    },
  }, async (request, reply) => {
    const b = request.body as { kind: string; court: string; listedOn: string };
    return created(request, reply, await withCheckedIfMatch(request, (v) => court.listHearing(request.actor!, request.auditContext, ids(request).caseId, { kind: b.kind, court: b.court, listedOn: dateParts(b.listedOn) }, v, idempotencyOf(request)), false));
  });

  app.post(`${base}/hearings/:hearingId/held`, {
    config,
    schema: { tags, operationId: 'recordHearingHeld', summary: 'Record a listed hearing as held', description: who, params: hearingParams, headers: ifMatchHeader, body: body(['heldOn'], { heldOn: DATE }), response: { 200: versionSchema, ...changeProblems } },
  }, async (request, reply) => changed(reply, await withCheckedIfMatch(request, (v) => court.holdHearing(request.actor!, request.auditContext, ids(request).caseId, ids(request).hearingId, { heldOn: dateParts((request.body as { heldOn: string }).heldOn) }, v))));

  app.post(`${base}/hearings/:hearingId/adjournment`, {
    config,
    schema: {
      tags, operationId: 'adjournHearing', summary: 'Record that a listed hearing was adjourned', description: `${who} Reasons are from list version ${adjournmentReasons.version}; relistOn lists it again.`,
      params: hearingParams, headers: ifMatchHeader,
      body: body(['reasonCode', 'requestedBy'], { reasonCode: { type: 'string', enum: Object.keys(adjournmentReasons.reasons) }, requestedBy: { type: 'string', enum: Object.keys(requesters) }, relistOn: DATE }),
      response: { 200: versionSchema, ...changeProblems },
    },
  }, async (request, reply) => {
    const b = request.body as { reasonCode: string; requestedBy: string; relistOn?: string };
    return changed(reply, await withCheckedIfMatch(request, (v) => court.adjournHearing(request.actor!, request.auditContext, ids(request).caseId, ids(request).hearingId, { reasonCode: b.reasonCode, requestedBy: b.requestedBy, relistOn: dateParts(b.relistOn) }, v)));
  });

  app.post(`${base}/crown-court`, {
    config,
    schema: { tags, operationId: 'recordSendingToCrownCourt', summary: 'Record that the case was sent to the Crown Court', description: who, params: caseParams, headers: ifMatchHeader, body: body(['sentOn'], { sentOn: DATE }), response: { 200: versionSchema, ...changeProblems } },
  }, async (request, reply) => changed(reply, await withCheckedIfMatch(request, (v) => court.sendToCrownCourt(request.actor!, request.auditContext, ids(request).caseId, { sentOn: dateParts((request.body as { sentOn: string }).sentOn) }, v))));

  app.put(`${base}/case-number`, {
    config,
    schema: {
      tags, operationId: 'recordCourtCaseNumber', summary: 'Record the court case number', description: `${who} 4 to 30 letters, numbers or slashes; spaces are dropped.`,
      params: caseParams, headers: ifMatchHeader, body: body(['courtCaseNumber'], { courtCaseNumber: { type: 'string', maxLength: 40 } }), response: { 200: versionSchema, ...changeProblems },
    },
  }, async (request, reply) => changed(reply, await withCheckedIfMatch(request, (v) => court.recordCourtCaseNumber(request.actor!, request.auditContext, ids(request).caseId, request.body as { courtCaseNumber: string }, v))));

  app.post(`${base}/outcomes`, {
    config,
    schema: {
      tags, operationId: 'recordCourtOutcome', summary: 'Record a defendant’s final outcome', description: `${who} When every defendant has an outcome, the case moves to Completed. victimWithdrawal only with a discontinuance or withdrawal.`,
      params: caseParams, headers: createHeaders,
      body: body(['suspectId', 'outcome', 'outcomeOn'], { suspectId: ID, outcome: { type: 'string', enum: Object.keys(outcomes) }, outcomeOn: DATE, victimWithdrawal: { type: 'boolean' } }),
      response: { 201: createdSchema, ...createProblems },
    },
  }, async (request, reply) => {
    const b = request.body as { suspectId: string; outcome: string; outcomeOn: string; victimWithdrawal?: boolean };
    return created(request, reply, await withCheckedIfMatch(request, (v) => court.recordOutcome(request.actor!, request.auditContext, ids(request).caseId, { suspectId: b.suspectId, outcome: b.outcome, outcomeOn: dateParts(b.outcomeOn), victimWithdrawal: b.victimWithdrawal ?? false }, v, idempotencyOf(request)), false));
  });

  app.post(`${base}/sentences`, {
    config,
    schema: {
      tags, operationId: 'recordSentence', summary: 'Record the sentence of a defendant who pleaded guilty or was convicted', description: `${who} months is required for custody, suspended sentences, community and hospital orders, and absent otherwise.`,
      params: caseParams, headers: ifMatchHeader,
      body: body(['suspectId', 'sentenceType', 'sentencedOn'], { suspectId: ID, sentenceType: { type: 'string', enum: Object.keys(sentenceTypes) }, months: { type: 'integer', minimum: 1, maximum: 1200 }, sentencedOn: DATE }),
      response: { 200: versionSchema, ...changeProblems },
    },
  }, async (request, reply) => {
    const b = request.body as { suspectId: string; sentenceType: string; months?: number; sentencedOn: string };
    return changed(reply, await withCheckedIfMatch(request, (v) => court.recordSentence(request.actor!, request.auditContext, ids(request).caseId, { suspectId: b.suspectId, sentenceType: b.sentenceType, months: b.months === undefined ? '' : String(b.months), sentencedOn: dateParts(b.sentencedOn) }, v)));
  });
}
