// The JSON API of a victim's digital devices and third-party material: the
// same service and checks as the pages. Every read and change needs an
// unexpired reveal (POST one first: 403 without it); reads answer the case's
// version as the ETag; creates take an Idempotency-Key, other changes If-Match.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { allow } from '../../platform/access/policy.ts';
import { API_PREFIX, problemResponses } from '../../platform/api/schemas.ts';
import { DATE, createHeaders, createdSchema, dateParts, idParams, idempotencyOf, ifMatchHeader, versionSchema, withCheckedIfMatch } from '../../cases/api-support.ts';
import { Problem } from '../../platform/web/errors.ts';
import { REASON_MAX, REASON_MIN, compartments, dataTypes, deviceTypes, dpnVersions, holderTypes, ownerRoles, powers, revealCategories, tpmOutcomes } from './model.ts';
import type { Compartment } from './model.ts';
import { revealNeeded } from './service.ts';
import type { SensitiveMaterialService } from './service.ts';

const UUID = { type: 'string', format: 'uuid' } as const;
const INSTANT = { type: 'string', format: 'date-time' } as const;
const OPTIONAL_DATE = { anyOf: [DATE, { type: 'null' }] } as const;
const TEXT = { type: 'string', minLength: 1, maxLength: 2000 } as const;

const deviceSchema = {
  type: 'object', additionalProperties: false,
  required: ['id', 'deviceType', 'description', 'ownerRole', 'lineOfEnquiry', 'power', 'powersVersion', 'scopeFrom', 'scopeTo', 'dataTypes', 'accounts', 'dpnVersion', 'dpnGivenOn', 'takenOn', 'extractedOn', 'returnedOn', 'daysWithout', 'recordedByName', 'recordedAt'],
  properties: {
    id: UUID, deviceType: { type: 'string', enum: deviceTypes }, description: { type: 'string' }, ownerRole: { type: 'string', enum: ownerRoles },
    lineOfEnquiry: { type: 'string' }, power: { type: 'string', enum: powers.keys }, powersVersion: { type: 'integer' },
    scopeFrom: OPTIONAL_DATE, scopeTo: OPTIONAL_DATE, dataTypes: { type: 'array', items: { type: 'string', enum: dataTypes } }, accounts: { type: 'string' },
    dpnVersion: { anyOf: [{ type: 'string', enum: dpnVersions }, { type: 'null' }] }, dpnGivenOn: OPTIONAL_DATE, takenOn: OPTIONAL_DATE, extractedOn: OPTIONAL_DATE, returnedOn: OPTIONAL_DATE,
    daysWithout: { type: ['integer', 'null'], description: 'Calendar days from taken to returned, or to today while kept' },
    recordedByName: { type: 'string' }, recordedAt: INSTANT,
  },
} as const;

const tpmSchema = {
  type: 'object', additionalProperties: false,
  required: ['id', 'holder', 'rationale', 'atEarlyAdvice', 'decidedOn', 'requestedOn', 'outcome', 'outcomeOn', 'recordedByName', 'recordedAt'],
  properties: {
    id: UUID, holder: { type: 'string', enum: holderTypes }, rationale: { type: 'string' }, atEarlyAdvice: { type: 'boolean' }, decidedOn: OPTIONAL_DATE, requestedOn: OPTIONAL_DATE,
    outcome: { type: 'string', enum: tpmOutcomes }, outcomeOn: OPTIONAL_DATE, recordedByName: { type: 'string' }, recordedAt: INSTANT,
  },
} as const;

const listSchema = (items: object) => ({
  type: 'object', additionalProperties: false, required: ['caseId', 'victimId', 'version', 'revealId', 'items'],
  properties: { caseId: UUID, victimId: UUID, version: { type: 'integer', minimum: 1 }, revealId: { ...UUID, description: 'The reveal this read relied on' }, items: { type: 'array', description: 'Newest first', items } },
});

export function registerSensitiveMaterialApi(app: FastifyInstance, service: SensitiveMaterialService): void {
  const tags = ['victims'];
  const config = { policy: allow.signedIn, audit: 'required' as const };
  const base = `${API_PREFIX}/cases/:caseId/victims/:victimId/sensitive-material`;
  const params = (request: FastifyRequest) => request.params as { caseId: string; victimId: string; deviceId?: string; requestId?: string };
  const who = (request: FastifyRequest) => [request.actor!, request.auditContext, params(request).caseId, params(request).victimId] as const;
  const victimParams = idParams('caseId', 'victimId');
  const access = 'For the case team and supervisors whose role needs these records (investigators, prosecutors and their supervisors); forbidden to VLOs, paralegals and break-glass readers; not found for ISVAs and anyone else.';
  const changeProblems = problemResponses('validation', 'not-found', 'forbidden', 'precondition-failed', 'precondition-required');

  app.post(`${base}/reveals`, {
    config,
    schema: {
      tags, operationId: 'revealSensitiveMaterial', summary: 'Record why you open a compartment of the victim’s records',
      description: `${access} The reason is kept; the audit journal records the category and the reveal. The reveal lets this person read and change the compartment until it expires.`,
      params: victimParams,
      body: { type: 'object', required: ['compartment', 'category', 'reason'], additionalProperties: false, properties: { compartment: { type: 'string', enum: compartments }, category: { type: 'string', enum: revealCategories }, reason: { type: 'string', maxLength: REASON_MAX, description: `At least ${REASON_MIN} characters: checked after access, so a stranger learns nothing` } } },
      response: { 201: { type: 'object', required: ['id', 'compartment', 'expiresAt'], additionalProperties: false, properties: { id: UUID, compartment: { type: 'string', enum: compartments }, expiresAt: INSTANT } }, ...problemResponses('validation', 'not-found', 'forbidden') },
    },
  }, async (request, reply) => {
    const body = request.body as { compartment: Compartment; category: string; reason: string };
    return reply.code(201).send(await service.reveal(...who(request), body.compartment, body));
  });

  const reader = (path: string, compartment: Compartment, operationId: string, summary: string, items: object) => {
    app.get(`${base}/${path}`, {
      config,
      schema: { tags, operationId, summary, description: `${access} Needs an unexpired reveal of the compartment (403 without one). Audited with the reveal.`, params: victimParams, response: { 200: listSchema(items), ...problemResponses('not-found', 'forbidden') } },
    }, async (request, reply) => {
      const { v, reveal, items: found } = compartment === 'devices' ? await service.devices(...who(request)) : await service.tpmRequests(...who(request));
      if (!reveal) throw new Problem('forbidden', revealNeeded(compartment));
      reply.header('etag', `"${v.summary.version}"`);
      return { caseId: v.summary.id, victimId: v.victim.id, version: v.summary.version, revealId: reveal.id, items: found };
    });
  };
  reader('devices', 'devices', 'listVictimDevices', 'The victim’s digital devices', deviceSchema);
  reader('third-party-material', 'third-party-material', 'listThirdPartyMaterialRequests', 'The victim’s third-party-material requests', tpmSchema);

  app.post(`${base}/devices`, {
    config,
    schema: {
      tags, operationId: 'recordVictimDevice', summary: 'Record a digital device',
      description: `${access} Needs a reveal of 'devices'. A line of enquiry always; where the power rests on the victim's agreement (consent, PCSCA 2022 s.37), the agreed scope and the Digital Processing Notice too. Send an Idempotency-Key; If-Match is optional.`,
      params: victimParams, headers: createHeaders,
      body: {
        type: 'object', required: ['deviceType', 'description', 'ownerRole', 'lineOfEnquiry', 'power'], additionalProperties: false,
        properties: {
          deviceType: { type: 'string', enum: deviceTypes }, description: { type: 'string', minLength: 1, maxLength: 200 }, ownerRole: { type: 'string', enum: ownerRoles },
          lineOfEnquiry: TEXT, power: { type: 'string', enum: powers.keys }, scopeFrom: DATE, scopeTo: DATE,
          dataTypes: { type: 'array', items: { type: 'string', enum: dataTypes }, uniqueItems: true }, accounts: { type: 'string', maxLength: 500 },
          dpnVersion: { type: 'string', enum: dpnVersions }, dpnGivenOn: DATE, takenOn: DATE,
        },
      },
      response: { 201: createdSchema, ...changeProblems, ...problemResponses('idempotency-key-reused') },
    },
  }, async (request, reply) => {
    const b = request.body as { deviceType: string; description: string; ownerRole: string; lineOfEnquiry: string; power: string; scopeFrom?: string; scopeTo?: string; dataTypes?: string[]; accounts?: string; dpnVersion?: string; dpnGivenOn?: string; takenOn?: string };
    const input = { ...b, scopeFrom: dateParts(b.scopeFrom), scopeTo: dateParts(b.scopeTo), dataTypes: b.dataTypes ?? [], accounts: b.accounts ?? '', dpnVersion: b.dpnVersion ?? '', dpnGivenOn: dateParts(b.dpnGivenOn), takenOn: dateParts(b.takenOn) };
    const made = await withCheckedIfMatch(request, (version) => service.recordDevice(...who(request), input, version, idempotencyOf(request)), false);
    return reply.code(201).header('etag', `"${made.caseVersion}"`).send(made);
  });

  for (const step of ['extraction', 'return'] as const) {
    app.post(`${base}/devices/:deviceId/${step}`, {
      config,
      schema: {
        tags, operationId: step === 'extraction' ? 'recordDeviceExtraction' : 'recordDeviceReturn', summary: step === 'extraction' ? 'Record the day a device was extracted' : 'Record the day a device was returned',
        description: `${access} Needs a reveal of 'devices'. Send If-Match.`,
        params: idParams('caseId', 'victimId', 'deviceId'), headers: ifMatchHeader,
        body: { type: 'object', required: ['on'], additionalProperties: false, properties: { on: DATE } },
        response: { 200: versionSchema, ...changeProblems },
      },
    }, async (request, reply) => {
      const { on } = request.body as { on: string };
      const caseVersion = await withCheckedIfMatch(request, (version) => service.deviceDate(...who(request), params(request).deviceId ?? '', step, dateParts(on), version));
      return reply.header('etag', `"${caseVersion}"`).send({ caseVersion });
    });
  }

  app.post(`${base}/third-party-material`, {
    config,
    schema: {
      tags, operationId: 'requestThirdPartyMaterial', summary: 'Record a request for third-party material',
      description: `${access} Needs a reveal of 'third-party-material'. The necessity and proportionality rationale is required. Send an Idempotency-Key; If-Match is optional.`,
      params: victimParams, headers: createHeaders,
      body: {
        type: 'object', required: ['holder', 'rationale', 'atEarlyAdvice'], additionalProperties: false,
        properties: { holder: { type: 'string', enum: holderTypes }, rationale: TEXT, atEarlyAdvice: { type: 'boolean' }, decidedOn: DATE, requestedOn: DATE },
      },
      response: { 201: createdSchema, ...changeProblems, ...problemResponses('idempotency-key-reused') },
    },
  }, async (request, reply) => {
    const b = request.body as { holder: string; rationale: string; atEarlyAdvice: boolean; decidedOn?: string; requestedOn?: string };
    const input = { holder: b.holder, rationale: b.rationale, atEarlyAdvice: b.atEarlyAdvice ? 'yes' : 'no', decidedOn: dateParts(b.decidedOn), requestedOn: dateParts(b.requestedOn) };
    const made = await withCheckedIfMatch(request, (version) => service.recordTpmRequest(...who(request), input, version, idempotencyOf(request)), false);
    return reply.code(201).header('etag', `"${made.caseVersion}"`).send(made);
  });

  app.post(`${base}/third-party-material/:requestId/outcome`, {
    config,
    schema: {
      tags, operationId: 'recordThirdPartyMaterialOutcome', summary: 'Record the outcome of a third-party-material request',
      description: `${access} Needs a reveal of 'third-party-material'. Send If-Match.`,
      params: idParams('caseId', 'victimId', 'requestId'), headers: ifMatchHeader,
      body: { type: 'object', required: ['outcome', 'on'], additionalProperties: false, properties: { outcome: { type: 'string', enum: tpmOutcomes.filter((o) => o !== 'pending') }, on: DATE } },
      response: { 200: versionSchema, ...changeProblems },
    },
  }, async (request, reply) => {
    const body = request.body as { outcome: string; on: string };
    const caseVersion = await withCheckedIfMatch(request, (version) => service.tpmOutcome(...who(request), params(request).requestId ?? '', { outcome: body.outcome, on: dateParts(body.on) }, version));
    return reply.header('etag', `"${caseVersion}"`).send({ caseVersion });
  });
}
