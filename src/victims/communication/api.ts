// The JSON API of a victim's communication: the plan with its history and
// the contact clock, a new revision of the plan, the contact log, logging a
// contact, and recording who supports the victim. The same service and
// access checks as the pages; reads answer the case's version as the ETag;
// changes need If-Match; logging a contact takes an Idempotency-Key.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { allow } from '../../platform/access/policy.ts';
import { API_PREFIX, problemResponses } from '../../platform/api/schemas.ts';
import { DATE, createHeaders, dateParts, idParams, idempotencyOf, ifMatchHeader, versionSchema, withIfMatch } from '../../cases/api-support.ts';
import { contactMethods, languages, updaters } from '../model.ts';
import type { CommunicationPlan } from '../model.ts';
import { MAX_FREQUENCY_DAYS, MAX_SAFE_DETAIL, MAX_TEXT, contactRoles } from './model.ts';
import type { ContactView } from './model.ts';
import type { CommunicationService } from './service.ts';

const UUID = { type: 'string', format: 'uuid' } as const;
const INSTANT = { type: 'string', format: 'date-time' } as const;
const NULLABLE_TEXT = { type: ['string', 'null'] } as const;

const planSchema = {
  type: 'object',
  required: ['revision', 'frequencyDays', 'methods', 'updaters', 'preferredLanguage', 'noVoicemail', 'noPostToHome', 'safeAddress', 'safePhone', 'safeEmail', 'otherRules', 'agreedOn', 'agreedWithIsvaName', 'changeReason', 'recordedByName', 'recordedAt'],
  properties: {
    revision: { type: 'integer', minimum: 1 },
    frequencyDays: { type: 'integer', minimum: 1, maximum: MAX_FREQUENCY_DAYS },
    methods: { type: 'array', items: { type: 'string', enum: contactMethods } },
    updaters: { type: 'array', items: { type: 'string', enum: updaters } },
    preferredLanguage: { type: 'string', enum: languages },
    noVoicemail: { type: 'boolean' },
    noPostToHome: { type: 'boolean' },
    safeAddress: NULLABLE_TEXT,
    safePhone: NULLABLE_TEXT,
    safeEmail: NULLABLE_TEXT,
    otherRules: { type: 'string' },
    agreedOn: DATE,
    agreedWithIsvaName: { type: ['string', 'null'], description: 'The ISVA who agreed the plan, if recorded' },
    changeReason: { type: ['string', 'null'], description: 'Why the plan changed (every revision after the first)' },
    recordedByName: { type: 'string' },
    recordedAt: INSTANT,
  },
  additionalProperties: false,
} as const;

const communicationSchema = {
  type: 'object',
  required: ['caseId', 'victimId', 'version', 'plan', 'history', 'nextContactDue', 'overdue'],
  properties: {
    caseId: UUID,
    victimId: UUID,
    version: { type: 'integer', minimum: 1 },
    plan: { anyOf: [planSchema, { type: 'null' }], description: 'The plan in force, if one is agreed' },
    history: { type: 'array', items: planSchema, description: 'Every revision, newest first' },
    nextContactDue: { anyOf: [DATE, { type: 'null' }] },
    overdue: { type: 'boolean', description: 'The next contact’s day has passed' },
  },
  additionalProperties: false,
} as const;

const contactSchema = {
  type: 'object',
  required: ['id', 'contactAt', 'method', 'reached', 'voicemailLeft', 'postedToHome', 'summary', 'nextContactOn', 'byName', 'bySide', 'byRole', 'recordedAt'],
  properties: {
    id: UUID,
    contactAt: INSTANT,
    method: { type: 'string', enum: contactMethods },
    reached: { type: 'boolean' },
    voicemailLeft: { type: 'boolean' },
    postedToHome: { type: 'boolean' },
    summary: { type: 'string' },
    nextContactOn: DATE,
    byName: { type: 'string' },
    bySide: { type: 'string', enum: ['police', 'cps', 'isva'] },
    byRole: { type: 'string', enum: [...contactRoles, 'police', 'cps'] },
    recordedAt: INSTANT,
  },
  additionalProperties: false,
} as const;

const planBody = {
  type: 'object',
  required: ['frequencyDays', 'methods', 'updaters', 'preferredLanguage', 'noVoicemail', 'noPostToHome', 'agreedOn'],
  additionalProperties: false,
  properties: {
    frequencyDays: { type: 'integer', minimum: 1, maximum: MAX_FREQUENCY_DAYS },
    methods: { type: 'array', minItems: 1, maxItems: contactMethods.length, items: { type: 'string', enum: contactMethods } },
    updaters: { type: 'array', minItems: 1, maxItems: updaters.length, items: { type: 'string', enum: updaters } },
    preferredLanguage: { type: 'string', enum: languages },
    noVoicemail: { type: 'boolean' },
    noPostToHome: { type: 'boolean' },
    safeAddress: { type: 'string', maxLength: MAX_SAFE_DETAIL },
    safePhone: { type: 'string', maxLength: MAX_SAFE_DETAIL },
    safeEmail: { type: 'string', maxLength: MAX_SAFE_DETAIL },
    otherRules: { type: 'string', maxLength: MAX_TEXT },
    agreedOn: DATE,
    agreedWithIsva: { type: 'boolean', description: 'The victim’s current ISVA agreed the plan (an ISVA recording it agrees it)' },
    changeReason: { type: 'string', maxLength: MAX_TEXT, description: 'Required for every revision after the first' },
  },
} as const;

const contactBody = {
  type: 'object',
  required: ['contactAt', 'method', 'reached', 'summary'],
  additionalProperties: false,
  properties: {
    contactAt: { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}$', description: 'When, in London time, YYYY-MM-DDTHH:MM' },
    method: { type: 'string', enum: contactMethods },
    reached: { type: 'boolean' },
    voicemailLeft: { type: 'boolean', description: 'A voicemail was left (phone only); refused where the plan forbids it' },
    postedToHome: { type: 'boolean', description: 'Posted to the home address (letter only); refused where the plan forbids it' },
    summary: { type: 'string', minLength: 1, maxLength: MAX_TEXT },
    nextContactOn: { ...DATE, description: 'When the next contact is due; defaults to the plan’s frequency from the day of the contact' },
  },
} as const;

const presentPlan = ({ id: _, ...plan }: CommunicationPlan) => plan;
const presentContact = (c: ContactView) => c;

export function registerCommunicationApi(app: FastifyInstance, communication: CommunicationService): void {
  const tags = ['victims'];
  const config = { policy: allow.signedIn, audit: 'required' as const };
  const base = `${API_PREFIX}/cases/:caseId/victims/:victimId/communication`;
  const victimParams = idParams('caseId', 'victimId');
  const ids = (request: FastifyRequest) => request.params as { caseId: string; victimId: string };
  const readAccess = 'For the case’s readers and the victim’s own ISVA; not found for anyone else, including the ISVA of another victim. Audited.';

  const read = async (request: FastifyRequest) => {
    const { caseId, victimId } = ids(request);
    return communication.record(request.actor!, request.auditContext, caseId, victimId);
  };

  app.get(base, {
    config,
    schema: { tags, operationId: 'getVictimCommunication', summary: 'A victim’s communication plan, its history and the next contact due', description: `${readAccess} The ETag is the case’s version.`, params: victimParams, response: { 200: communicationSchema, ...problemResponses('not-found') } },
  }, async (request, reply) => {
    const r = await read(request);
    reply.header('etag', `"${r.v.summary.version}"`);
    return { caseId: r.v.summary.id, victimId: r.v.victim.id, version: r.v.summary.version, plan: r.plan ? presentPlan(r.plan) : null, history: r.history.map(presentPlan), nextContactDue: r.clock.nextContactDue, overdue: r.clock.overdue };
  });

  app.put(`${base}/plan`, {
    config,
    schema: {
      tags, operationId: 'agreeVictimCommunicationPlan', summary: 'Agree a new revision of the victim’s communication plan',
      description: 'For the officer in the case or a police supervisor, and the victim’s own ISVA. A change after the first revision needs a reason; every revision is kept. The first plan starts the contact clock. Send If-Match.',
      params: victimParams, headers: ifMatchHeader, body: planBody,
      response: { 200: versionSchema, ...problemResponses('validation', 'not-found', 'forbidden', 'precondition-failed', 'precondition-required') },
    },
  }, async (request) => {
    const body = request.body as { frequencyDays: number; methods: string[]; updaters: string[]; preferredLanguage: string; noVoicemail: boolean; noPostToHome: boolean; safeAddress?: string; safePhone?: string; safeEmail?: string; otherRules?: string; agreedOn: string; agreedWithIsva?: boolean; changeReason?: string };
    const { caseId, victimId } = ids(request);
    const result = await withIfMatch(request, (version) => communication.recordPlan(request.actor!, request.auditContext, caseId, victimId, {
      frequencyDays: String(body.frequencyDays), methods: body.methods, updaters: body.updaters, preferredLanguage: body.preferredLanguage, noVoicemail: body.noVoicemail, noPostToHome: body.noPostToHome,
      safeAddress: body.safeAddress ?? '', safePhone: body.safePhone ?? '', safeEmail: body.safeEmail ?? '', otherRules: body.otherRules ?? '', agreedOn: dateParts(body.agreedOn), agreedWithIsva: body.agreedWithIsva ?? false, changeReason: body.changeReason ?? '',
    }, version));
    return { caseVersion: result.version };
  });

  app.get(`${base}/contacts`, {
    config,
    schema: {
      tags, operationId: 'listVictimContacts', summary: 'The contacts logged with a victim, newest first', description: `${readAccess} The ETag is the case’s version.`, params: victimParams,
      response: { 200: { type: 'object', required: ['caseId', 'victimId', 'version', 'contacts'], properties: { caseId: UUID, victimId: UUID, version: { type: 'integer', minimum: 1 }, contacts: { type: 'array', items: contactSchema } }, additionalProperties: false }, ...problemResponses('not-found') },
    },
  }, async (request, reply) => {
    const r = await read(request);
    reply.header('etag', `"${r.v.summary.version}"`);
    return { caseId: r.v.summary.id, victimId: r.v.victim.id, version: r.v.summary.version, contacts: r.contacts.map(presentContact) };
  });

  app.post(`${base}/contacts`, {
    config,
    schema: {
      tags, operationId: 'logVictimContact', summary: 'Log a contact with the victim',
      description: 'For the case team, those supervising the case and the victim’s own ISVA. Meets the open contact clock and opens the next. A voicemail or a letter to the home address the plan forbids is refused. Send If-Match, and an Idempotency-Key to make retries safe.',
      params: victimParams, headers: createHeaders, body: contactBody,
      response: { 201: { type: 'object', required: ['id', 'caseVersion'], properties: { id: UUID, caseVersion: { type: 'integer', minimum: 1 } }, additionalProperties: false }, ...problemResponses('validation', 'not-found', 'forbidden', 'precondition-failed', 'precondition-required', 'idempotency-key-reused') },
    },
  }, async (request, reply) => {
    const body = request.body as { contactAt: string; method: string; reached: boolean; voicemailLeft?: boolean; postedToHome?: boolean; summary: string; nextContactOn?: string };
    const { caseId, victimId } = ids(request);
    const result = await withIfMatch(request, (version) => communication.logContact(request.actor!, request.auditContext, caseId, victimId, {
      on: dateParts(body.contactAt.slice(0, 10)), at: body.contactAt.slice(11, 16), method: body.method, reached: body.reached ? 'yes' : 'no',
      voicemailLeft: body.voicemailLeft ?? false, postedToHome: body.postedToHome ?? false, summary: body.summary, nextContactOn: dateParts(body.nextContactOn),
    }, version, idempotencyOf(request)));
    return reply.code(201).send({ id: result.id, caseVersion: result.version });
  });

  app.post(`${base}/isva`, {
    config,
    schema: {
      tags, operationId: 'recordVictimIsva', summary: 'Record which ISVA supports the victim, or that support ended',
      description: 'For the officer in the case, a police supervisor, the case’s Victim Liaison Officer or a District Crown Prosecutor. Ends the current support and starts the new one. Send If-Match.',
      params: victimParams, headers: ifMatchHeader,
      body: { type: 'object', required: ['isvaUserId'], additionalProperties: false, properties: { isvaUserId: { anyOf: [UUID, { type: 'null' }], description: 'The ISVA now supporting the victim; null when support has ended' } } },
      response: { 200: versionSchema, ...problemResponses('validation', 'not-found', 'forbidden', 'precondition-failed', 'precondition-required') },
    },
  }, async (request) => {
    const { isvaUserId } = request.body as { isvaUserId: string | null };
    const { caseId, victimId } = ids(request);
    return { caseVersion: await withIfMatch(request, (version) => communication.recordIsva(request.actor!, request.auditContext, caseId, victimId, isvaUserId, version)) };
  });
}
