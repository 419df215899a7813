// The JSON API of the victims' records shared by every part: the victims of a
// case, a victim's overview, and an ISVA's clients. The same service and
// access checks as the pages; reads answer the case's version as the ETag.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { allow } from '../platform/access/policy.ts';
import { API_PREFIX, problemResponses } from '../platform/api/schemas.ts';
import { stageNames } from '../cases/model.ts';
import { DATE, caseParams, idParams } from '../cases/api-support.ts';
import type { VictimIsva } from './model.ts';
import type { VictimsService } from './service.ts';

const UUID = { type: 'string', format: 'uuid' } as const;
const INSTANT = { type: 'string', format: 'date-time' } as const;

const isvaSchema = {
  anyOf: [
    { type: 'object', required: ['userId', 'name', 'serviceId', 'serviceName', 'since'], properties: { userId: UUID, name: { type: 'string' }, serviceId: UUID, serviceName: { type: 'string' }, since: INSTANT }, additionalProperties: false },
    { type: 'null' },
  ],
  description: 'The ISVA supporting the victim now, if any',
} as const;

const victimSchema = {
  type: 'object',
  required: ['id', 'name', 'isva'],
  properties: { id: UUID, name: { type: 'string' }, isva: isvaSchema },
  additionalProperties: false,
} as const;

const overviewSchema = {
  type: 'object',
  required: ['caseId', 'policeReference', 'stage', 'version', 'victim', 'keyDates'],
  properties: {
    caseId: UUID,
    policeReference: { type: 'string' },
    stage: { type: 'string', enum: stageNames },
    version: { type: 'integer', minimum: 1 },
    victim: victimSchema,
    keyDates: { type: 'array', description: 'Oldest first', items: { type: 'object', required: ['on', 'text'], properties: { on: DATE, text: { type: 'string' } }, additionalProperties: false } },
  },
  additionalProperties: false,
} as const;

const presentIsva = (isva: VictimIsva | null) => (isva ? { userId: isva.userId, name: isva.name, serviceId: isva.serviceId, serviceName: isva.serviceName, since: isva.startedAt } : null);

export function registerVictimsApi(app: FastifyInstance, victims: VictimsService): void {
  const tags = ['victims'];
  const config = { policy: allow.signedIn, audit: 'required' as const };
  const params = (request: FastifyRequest) => request.params as { caseId: string; victimId: string };

  app.get(`${API_PREFIX}/cases/:caseId/victims`, {
    config,
    schema: {
      tags, operationId: 'listVictims', summary: 'The victims of a case and who supports them',
      description: 'For anyone who may see the case, and for an ISVA supporting a victim in it (who gets only their own clients). Not found for anyone else. Audited.',
      params: caseParams,
      response: { 200: { type: 'object', required: ['caseId', 'version', 'victims'], properties: { caseId: UUID, version: { type: 'integer', minimum: 1 }, victims: { type: 'array', items: victimSchema } }, additionalProperties: false }, ...problemResponses('not-found') },
    },
  }, async (request, reply) => {
    const { summary, victims: list } = await victims.victimsOfCase(request.actor!, request.auditContext, params(request).caseId);
    reply.header('etag', `"${summary.version}"`);
    return { caseId: summary.id, version: summary.version, victims: list.map(({ victim, isva }) => ({ id: victim.id, name: victim.name, isva: presentIsva(isva) })) };
  });

  app.get(`${API_PREFIX}/cases/:caseId/victims/:victimId`, {
    config,
    schema: {
      tags, operationId: 'getVictim', summary: 'A victim’s overview: the case’s stage and key dates, and their ISVA',
      description: 'For anyone who may see the case, and for the victim’s own ISVA. Not found for anyone else, including the ISVA of another victim in the case. Audited. The ETag is the case’s version.',
      params: idParams('caseId', 'victimId'),
      response: { 200: overviewSchema, ...problemResponses('not-found') },
    },
  }, async (request, reply) => {
    const { caseId, victimId } = params(request);
    const v = await victims.overview(request.actor!, request.auditContext, caseId, victimId);
    reply.header('etag', `"${v.summary.version}"`);
    return {
      caseId: v.summary.id, policeReference: v.summary.policeReference, stage: v.summary.stage, version: v.summary.version,
      victim: { id: v.victim.id, name: v.victim.name, isva: presentIsva(v.isva) },
      keyDates: v.keyDates,
    };
  });

  app.get(`${API_PREFIX}/victims`, {
    config,
    schema: {
      tags, operationId: 'listClients', summary: 'The victims an ISVA supports now',
      description: 'For an ISVA: their own clients, newest first. Anyone else gets an empty list. Audited.',
      response: {
        200: {
          type: 'object', required: ['clients'], additionalProperties: false,
          properties: { clients: { type: 'array', items: { type: 'object', required: ['caseId', 'victimId', 'victimName', 'policeReference', 'stage', 'since'], properties: { caseId: UUID, victimId: UUID, victimName: { type: 'string' }, policeReference: { type: 'string' }, stage: { type: 'string', enum: stageNames }, since: INSTANT }, additionalProperties: false } } },
        },
      },
    },
  }, async (request) => ({ clients: await victims.clients(request.actor!, request.auditContext) }));
}
