// The JSON API of letters to a victim: the same service and access checks as
// the pages (the case side only; the victim's ISVA is told they do not exist).
// Reads answer the case's version as the ETag; making a letter takes an
// Idempotency-Key and If-Match, recording its sending If-Match.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { allow } from '../../platform/access/policy.ts';
import { API_PREFIX, problemResponses } from '../../platform/api/schemas.ts';
import { createHeaders, createdSchema, idParams, idempotencyOf, ifMatchHeader, versionSchema, withIfMatch } from '../../cases/api-support.ts';
import { languages } from '../model.ts';
import { MAX_CONTACT_DETAILS, dispatchMethods, letterKeys } from './model.ts';
import type { LetterText, LetterView } from './model.ts';
import type { LettersService } from './service.ts';

const UUID = { type: 'string', format: 'uuid' } as const;
const INSTANT = { type: 'string', format: 'date-time' } as const;

const textSchema = {
  title: { type: 'string' },
  blocks: {
    type: 'array', description: 'The letter’s headings (h) and paragraphs (p), in order',
    items: { type: 'object', required: ['kind', 'text'], properties: { kind: { type: 'string', enum: ['h', 'p'] }, text: { type: 'string' } }, additionalProperties: false },
  },
} as const;

const letterSchema = {
  type: 'object',
  required: ['id', 'template', 'version', 'language', 'title', 'blocks', 'status', 'createdBy', 'createdAt', 'dispatch'],
  properties: {
    id: UUID,
    template: { type: 'string', enum: letterKeys },
    version: { type: 'integer', minimum: 1, description: 'The template version the letter was made from' },
    language: { type: 'string', enum: languages },
    ...textSchema,
    status: { type: 'string', enum: ['draft', 'dispatched'] },
    createdBy: { type: 'string' },
    createdAt: INSTANT,
    dispatch: {
      anyOf: [
        { type: 'object', required: ['method', 'sentTo', 'by', 'at'], properties: { method: { type: 'string', enum: dispatchMethods }, sentTo: { type: 'string', description: 'Which of the victim’s addresses or numbers was used, in words' }, by: { type: 'string' }, at: INSTANT }, additionalProperties: false },
        { type: 'null' },
      ],
    },
  },
  additionalProperties: false,
} as const;

const letterInput = {
  type: 'object', required: ['template', 'language', 'contactDetails'], additionalProperties: false,
  properties: {
    template: { type: 'string', enum: letterKeys },
    language: { type: 'string', enum: languages },
    contactDetails: { type: 'string', maxLength: MAX_CONTACT_DETAILS, description: 'How the victim can contact the sender, as the letter will say it' },
  },
} as const;

const present = (l: LetterView) => ({
  id: l.id, template: l.template, version: l.version, language: l.language, title: l.text.title, blocks: l.text.blocks, status: l.status, createdBy: l.createdBy, createdAt: l.createdAt, dispatch: l.dispatch,
});

/** A letter's PDF as a download named by the letter's id (never the victim's name), never cached. */
export function sendPdf(reply: FastifyReply, letterId: string, bytes: Buffer): FastifyReply {
  return reply
    .header('content-type', 'application/pdf')
    .header('content-disposition', `attachment; filename="letter-${letterId}.pdf"`)
    .header('cache-control', 'no-store')
    .send(bytes);
}

export function registerLettersApi(app: FastifyInstance, letters: LettersService): void {
  const tags = ['victims'];
  const config = { policy: allow.signedIn, audit: 'required' as const };
  const base = `${API_PREFIX}/cases/:caseId/victims/:victimId/letters`;
  const params = (request: FastifyRequest) => request.params as { caseId: string; victimId: string; letterId: string };
  const asInput = (body: unknown) => body as { template: string; language: string; contactDetails: string };

  app.get(base, {
    config,
    schema: {
      tags, operationId: 'listVictimLetters', summary: 'A victim’s letters, newest first',
      description: 'For the case side (not the victim’s ISVA, who is told the victim does not exist). Audited. The ETag is the case’s version.',
      params: idParams('caseId', 'victimId'),
      response: {
        200: { type: 'object', required: ['caseId', 'victimId', 'version', 'letters'], properties: { caseId: UUID, victimId: UUID, version: { type: 'integer', minimum: 1 }, letters: { type: 'array', items: letterSchema } }, additionalProperties: false },
        ...problemResponses('not-found'),
      },
    },
  }, async (request, reply) => {
    const { caseId, victimId } = params(request);
    const { v, letters: list } = await letters.letters(request.actor!, request.auditContext, caseId, victimId);
    reply.header('etag', `"${v.summary.version}"`);
    return { caseId: v.summary.id, victimId: v.victim.id, version: v.summary.version, letters: list.map(present) };
  });

  app.post(`${base}/preview`, {
    config,
    schema: {
      tags, operationId: 'previewVictimLetter', summary: 'The letter as it would be made now, without making it',
      description: 'For those who make letters on their side of the case: the police (investigator, supervisor, paralegal) for hello, charge and police no-further-action letters; the CPS (prosecutor, DCP, VLO, paralegal) for the no-charge letter. The version of the template in force today, merged with the case’s records. Refused (400) when a merge field has no value. Audited.',
      params: idParams('caseId', 'victimId'),
      body: letterInput,
      response: {
        200: { type: 'object', required: ['template', 'version', 'language', 'title', 'blocks'], properties: { template: { type: 'string', enum: letterKeys }, version: { type: 'integer', minimum: 1 }, language: { type: 'string', enum: languages }, ...textSchema }, additionalProperties: false },
        ...problemResponses('validation', 'not-found', 'forbidden'),
      },
    },
  }, async (request) => {
    const { caseId, victimId } = params(request);
    const { template, language, text } = await letters.preview(request.actor!, request.auditContext, caseId, victimId, asInput(request.body));
    return { template: template.key, version: template.version, language, ...(text satisfies LetterText) };
  });

  app.post(base, {
    config,
    schema: {
      tags, operationId: 'createVictimLetter', summary: 'Make a letter (a draft until it is sent)',
      description: 'As the preview, stored with its merged text so later template versions never change it. Send If-Match with the case’s ETag, and an Idempotency-Key to make retries safe.',
      params: idParams('caseId', 'victimId'),
      headers: createHeaders,
      body: letterInput,
      response: { 201: createdSchema, ...problemResponses('validation', 'not-found', 'forbidden', 'precondition-failed', 'precondition-required', 'idempotency-key-reused') },
    },
  }, async (request, reply) => {
    const { caseId, victimId } = params(request);
    const created = await withIfMatch(request, (version) => letters.create(request.actor!, request.auditContext, caseId, victimId, asInput(request.body), version, idempotencyOf(request)));
    reply.header('etag', `"${created.caseVersion}"`);
    reply.header('location', `${API_PREFIX}/cases/${caseId}/victims/${victimId}/letters/${created.id}/pdf`);
    return reply.code(201).send(created);
  });

  app.get(`${base}/:letterId/pdf`, {
    config,
    schema: {
      tags, operationId: 'getVictimLetterPdf', summary: 'A letter as an accessible PDF (tagged, with its language and title)',
      description: 'For the case side. A download named by the letter’s id, never cached. The download is audited; without the audit entry there is no PDF.',
      params: idParams('caseId', 'victimId', 'letterId'),
      response: {
        200: { description: 'The letter as a PDF', content: { 'application/pdf': { schema: { type: 'string', format: 'binary' } } } },
        ...problemResponses('not-found'),
      },
    },
  }, async (request, reply) => {
    const { caseId, victimId, letterId } = params(request);
    const { letter, bytes } = await letters.pdf(request.actor!, request.auditContext, caseId, victimId, letterId);
    return sendPdf(reply, letter.id, bytes);
  });

  app.post(`${base}/:letterId/dispatch`, {
    config,
    schema: {
      tags, operationId: 'dispatchVictimLetter', summary: 'Record how a letter was sent',
      description: 'For those who make letters on the letter’s side of the case. Checked against the safe-contact rules of the communication plan in force: posting home when the plan says no post to home, posting to a safe address or emailing when the plan has none, sending through an ISVA when there is none, or a way the victim did not agree to, is refused (400) naming the rule, and nothing is recorded. Without a plan a letter can only be handed over in person. Journalled as a disclosure. Send If-Match.',
      params: idParams('caseId', 'victimId', 'letterId'),
      headers: ifMatchHeader,
      body: { type: 'object', required: ['method'], additionalProperties: false, properties: { method: { type: 'string', enum: dispatchMethods } } },
      response: { 200: versionSchema, ...problemResponses('validation', 'not-found', 'forbidden', 'precondition-failed', 'precondition-required') },
    },
  }, async (request, reply) => {
    const { caseId, victimId, letterId } = params(request);
    const version = await withIfMatch(request, (v) => letters.dispatch(request.actor!, request.auditContext, caseId, victimId, letterId, request.body as { method: string }, v));
    reply.header('etag', `"${version}"`);
    return { caseVersion: version };
  });
}
