// The JSON API of police decisions of no further action: the same service and
// access checks as the pages. Reads answer the case's version as the ETag;
// changes need If-Match; a proposal takes an Idempotency-Key.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { allow } from '../../platform/access/policy.ts';
import { API_PREFIX, problemResponses } from '../../platform/api/schemas.ts';
import { stageNames } from '../model.ts';
import { DATE, caseParams, createHeaders, dateParts, idempotencyOf, ifMatchHeader, withIfMatch } from '../api-support.ts';
import { closingCodes, contactMethods, toldMethods } from './model.ts';
import type { NfaFile } from './model.ts';
import type { PoliceNfaService } from './service.ts';

const INSTANT = { type: 'string', format: 'date-time' } as const;
const TEXT = { type: 'string', maxLength: 1000 } as const;

const nfaSchema = {
  type: 'object',
  required: ['caseId', 'stage', 'version', 'everReferred', 'meetingOn', 'withdrawalRecorded', 'decisions'],
  properties: {
    caseId: { type: 'string', format: 'uuid' },
    stage: { type: 'string', enum: stageNames },
    version: { type: 'integer', minimum: 1 },
    everReferred: { type: 'boolean', description: 'The case was referred to the CPS: a joint meeting must come before no further action' },
    meetingOn: { anyOf: [DATE, { type: 'null' }], description: 'The joint meeting before NFA held since the last referral, if any' },
    withdrawalRecorded: { type: 'boolean', description: 'A victim’s withdrawal of support, recorded after someone spoke to them and not followed by re-engagement, is on the victim’s records: outcome 16 may be proposed' },
    decisions: {
      type: 'array',
      description: 'Newest first',
      items: {
        type: 'object',
        required: ['id', 'status', 'outcomeCode', 'rationale', 'proposedBy', 'proposedAt', 'meeting', 'contact', 'signedOffBy', 'signedOffAt', 'victimTold'],
        properties: {
          id: { type: 'string', format: 'uuid' },
          status: { type: 'string', enum: ['proposed', 'signed_off', 'withdrawn'] },
          outcomeCode: { type: 'integer', minimum: 0, maximum: 22 },
          rationale: { type: 'string' },
          proposedBy: { type: 'string' },
          proposedAt: INSTANT,
          meeting: { type: ['object', 'null'], required: ['heldOn', 'attendees'], properties: { heldOn: DATE, attendees: { type: 'string' } }, additionalProperties: false },
          contact: { type: ['object', 'null'], required: ['on', 'method', 'by', 'summary'], properties: { on: DATE, method: { type: 'string' }, by: { type: 'string' }, summary: { type: 'string' } }, additionalProperties: false },
          signedOffBy: { type: ['string', 'null'] },
          signedOffAt: { type: ['string', 'null'], format: 'date-time' },
          victimTold: { type: ['object', 'null'], required: ['on', 'method'], properties: { on: DATE, method: { type: 'string' } }, additionalProperties: false },
        },
        additionalProperties: false,
      },
    },
  },
  additionalProperties: false,
} as const;

function present(summary: { id: string; stage: string; version: number }, file: NfaFile) {
  return {
    caseId: summary.id, stage: summary.stage, version: summary.version, everReferred: file.everReferred, meetingOn: file.meetingOn, withdrawalRecorded: file.withdrawalRecorded,
    decisions: file.decisions.map(({ proposedById: _, ...d }) => d),
  };
}

/** A YYYY-MM-DD date as the date input's parts, so the API and the form share one set of rules. */
export function registerPoliceNfaApi(app: FastifyInstance, nfa: PoliceNfaService): void {
  const tags = ['police-nfa'];
  const config = { policy: allow.signedIn, audit: 'required' as const };
  const base = `${API_PREFIX}/cases/:caseId/police-nfa`;
  const caseIdOf = (request: FastifyRequest) => (request.params as { caseId: string }).caseId;
  const answer = async (request: FastifyRequest, reply: FastifyReply, status: 200 | 201) => {
    const { summary, file } = await nfa.nfaFile(request.actor!, request.auditContext, caseIdOf(request));
    reply.header('etag', `"${summary.version}"`);
    if (status === 201) reply.header('location', `${API_PREFIX}/cases/${summary.id}/police-nfa`);
    return reply.code(status).send(present(summary, file));
  };

  app.get(base, {
    config,
    schema: {
      tags, operationId: 'getPoliceNfa', summary: 'A case’s police decisions of no further action and proposals',
      description: 'For anyone who may see the case; not found for anyone else. The read is audited. The ETag is the case’s version.',
      params: caseParams,
      response: { 200: nfaSchema, ...problemResponses('not-found') },
    },
  }, async (request, reply) => answer(request, reply, 200));

  app.post(`${base}/proposals`, {
    config,
    schema: {
      tags, operationId: 'proposePoliceNfa', summary: 'Propose closing the case with no further action',
      description: 'For police (investigator or supervisor). Only closing outcome codes (not 0 or 1). Where the case was referred to the CPS and no joint meeting is recorded since, give the meeting. Outcome 16 needs the victim’s withdrawal of support recorded first (POST …/victims/{victimId}/withdrawals, with spokenToVictim) and the contact with the victim. Replaces a proposal awaiting sign-off. Send If-Match, and an Idempotency-Key to make retries safe.',
      params: caseParams,
      headers: createHeaders,
      body: {
        type: 'object', required: ['outcomeCode', 'rationale'], additionalProperties: false,
        properties: {
          outcomeCode: { type: 'integer', enum: closingCodes },
          rationale: TEXT,
          meeting: { type: 'object', required: ['heldOn', 'attendees'], properties: { heldOn: DATE, attendees: { type: 'string', maxLength: 500 } }, additionalProperties: false },
          victimContact: { type: 'object', required: ['on', 'method', 'by', 'summary'], properties: { on: DATE, method: { type: 'string', enum: Object.keys(contactMethods) }, by: { type: 'string', maxLength: 100 }, summary: TEXT }, additionalProperties: false },
        },
      },
      response: { 201: nfaSchema, ...problemResponses('validation', 'not-found', 'forbidden', 'precondition-failed', 'precondition-required', 'idempotency-key-reused') },
    },
  }, async (request, reply) => {
    const body = request.body as { outcomeCode: number; rationale: string; meeting?: { heldOn: string; attendees: string }; victimContact?: { on: string; method: string; by: string; summary: string } };
    await withIfMatch(request, (version) => nfa.propose(request.actor!, request.auditContext, caseIdOf(request), {
      outcomeCode: String(body.outcomeCode), rationale: body.rationale,
      meetingHeldOn: dateParts(body.meeting?.heldOn), meetingAttendees: body.meeting?.attendees ?? '',
      contactOn: dateParts(body.victimContact?.on), contactMethod: body.victimContact?.method ?? '', contactBy: body.victimContact?.by ?? '', contactSummary: body.victimContact?.summary ?? '',
    }, version, idempotencyOf(request, request.body)));
    return answer(request, reply, 201);
  });

  app.post(`${base}/sign-off`, {
    config,
    schema: {
      tags, operationId: 'signOffPoliceNfa', summary: 'Sign off the proposal: the case closes with no further action',
      description: 'For a police supervisor other than the proposer. Queues the case for the scrutiny panel and the victim’s letter. Send If-Match.',
      params: caseParams,
      headers: ifMatchHeader,
      body: {
        type: 'object', required: ['victimToldOn', 'victimToldMethod', 'rightToReviewGiven'], additionalProperties: false,
        properties: { victimToldOn: DATE, victimToldMethod: { type: 'string', enum: Object.keys(toldMethods) }, rightToReviewGiven: { type: 'boolean' } },
      },
      response: { 200: nfaSchema, ...problemResponses('validation', 'not-found', 'forbidden', 'precondition-failed', 'precondition-required') },
    },
  }, async (request, reply) => {
    const body = request.body as { victimToldOn: string; victimToldMethod: string; rightToReviewGiven: boolean };
    await withIfMatch(request, (version) => nfa.signOff(request.actor!, request.auditContext, caseIdOf(request), { victimToldOn: dateParts(body.victimToldOn), victimToldMethod: body.victimToldMethod, rightToReviewGiven: body.rightToReviewGiven }, version));
    return answer(request, reply, 200);
  });
}
