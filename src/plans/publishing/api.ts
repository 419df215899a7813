// The JSON API of publishing and exchanging plans: the same service and
// checks as the pages. The progress report answers its revision as the ETag;
// publishing needs it as If-Match (428 without, 412 when the plan has moved
// on since), so nobody publishes what they have not read. Exports answer the
// file; an import takes the raw file as its body (text/csv, .xlsx or .ods)
// and answers every problem with the file in the problem's `errors`.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { allow } from '../../platform/access/policy.ts';
import { API_PREFIX, problemResponses } from '../../platform/api/schemas.ts';
import { translate } from '../../platform/i18n/messages.ts';
import { Problem } from '../../platform/web/errors.ts';
import { DATE, idParams } from '../../cases/api-support.ts';
import { planLevels, statusSchemes } from '../model.ts';
import { exchangeFormats, formatOfMediaType, mediaTypes } from './model.ts';
import type { ProgressReport } from './model.ts';
import type { Edition, PublishingService } from './service.ts';

const UUID = { type: 'string', format: 'uuid' } as const;
const STATUS = { type: 'string', enum: [...new Set(Object.values(statusSchemes).flatMap((scheme) => Object.keys(scheme)))] } as const;
const NULLABLE_DATE = { anyOf: [DATE, { type: 'null' }] } as const;
const FILE = { type: 'string', format: 'binary' } as const;

const reportSchema = {
  type: 'object',
  description: 'The plan in its progress reports’ layout: each theme with its actions, their latest update and their status',
  required: ['planId', 'title', 'level', 'levelName', 'period', 'owners', 'ownerOrganisationName', 'statusScheme', 'statusHeading', 'source', 'themes'],
  properties: {
    planId: UUID,
    title: { type: 'string' },
    level: { type: 'string', enum: planLevels },
    levelName: { type: 'string' },
    period: { type: 'string' },
    owners: { type: 'array', items: { type: 'string' } },
    ownerOrganisationName: { type: 'string' },
    statusScheme: { type: 'string', enum: Object.keys(statusSchemes) },
    statusHeading: { type: 'string', description: 'The heading of the status column: “Complete?” or “Status”' },
    source: { type: ['string', 'null'] },
    themes: {
      type: 'array',
      items: {
        type: 'object', required: ['title', 'description', 'actions'], additionalProperties: false,
        properties: {
          title: { type: 'string' },
          description: { type: ['string', 'null'] },
          actions: {
            type: 'array',
            items: {
              type: 'object', required: ['number', 'text', 'update', 'status', 'statusName', 'withdrawnOn'], additionalProperties: false,
              properties: {
                number: { type: 'integer', minimum: 1 },
                text: { type: 'string' },
                update: {
                  type: ['object', 'null'], required: ['text', 'on', 'label'], additionalProperties: false,
                  properties: { text: { type: 'string' }, on: NULLABLE_DATE, label: { type: ['string', 'null'], description: 'For published commentary: the report it appeared in' } },
                },
                status: STATUS,
                statusName: { type: 'string', description: 'The status as the report shows it (“Withdrawn” for a withdrawn action)' },
                withdrawnOn: NULLABLE_DATE,
              },
            },
          },
        },
      },
    },
  },
  additionalProperties: false,
} as const;

const editionProperties = {
  id: UUID,
  planId: UUID,
  edition: { type: 'integer', minimum: 1 },
  title: { type: 'string', description: 'The plan’s title when published' },
  publishedOn: DATE,
  publishedAt: { type: 'string', format: 'date-time' },
  publishedBy: { type: ['string', 'null'] },
} as const;
const editionSchema = { type: 'object', required: Object.keys(editionProperties), properties: editionProperties, additionalProperties: false } as const;
const editionWithReport = { type: 'object', required: [...Object.keys(editionProperties), 'report'], properties: { ...editionProperties, report: reportSchema }, additionalProperties: false } as const;

/** A download, named by the plan's title, not kept by caches. */
export function sendFile(reply: FastifyReply, file: { bytes: Buffer; fileName: string; mediaType: string }): FastifyReply {
  return reply
    .header('content-type', file.mediaType)
    .header('content-disposition', `attachment; filename="${file.fileName}"`)
    .header('cache-control', 'no-store')
    .send(file.bytes);
}

const presentEdition = (edition: Edition) => ({ ...edition });
const files = (description: string) => ({ description, content: Object.fromEntries(exchangeFormats.map((format) => [mediaTypes[format], { schema: FILE }])) });

/** Registers the reads on `app`, and the import on `scope`, which reads spreadsheet bodies. */
export function registerPublishingApi(app: FastifyInstance, scope: FastifyInstance, publishing: PublishingService): void {
  const tags = ['plans'];
  const read = { policy: allow.signedIn, audit: 'none' as const };
  const change = { policy: allow.withPermission('plans.manage'), audit: 'required' as const };
  const base = `${API_PREFIX}/plans`;
  const ids = (request: FastifyRequest) => request.params as { planId: string; editionId: string };

  app.get(`${base}/:planId/progress-report`, {
    config: read,
    schema: {
      tags, operationId: 'getPlanProgressReport', summary: 'A plan’s progress report as it stands now',
      description: 'For anyone signed in. The ETag names the report’s content and the edition it would be: send it as If-Match to publish this report as that edition.',
      params: idParams('planId'),
      response: { 200: reportSchema, ...problemResponses('not-found') },
    },
  }, async (request, reply) => {
    const { report, token } = await publishing.report(request.actor!, ids(request).planId);
    reply.header('etag', `"${token}"`);
    return reply.send(report satisfies ProgressReport);
  });

  app.get(`${base}/:planId/editions`, {
    config: read,
    schema: {
      tags, operationId: 'listPlanEditions', summary: 'The published editions of a plan’s progress report, newest first',
      params: idParams('planId'),
      response: { 200: { type: 'object', required: ['editions'], properties: { editions: { type: 'array', items: editionSchema } }, additionalProperties: false }, ...problemResponses('not-found') },
    },
  }, async (request, reply) => reply.send({ editions: (await publishing.editions(ids(request).planId)).editions.map(presentEdition) }));

  app.post(`${base}/:planId/editions`, {
    config: change,
    schema: {
      tags, operationId: 'publishPlanEdition', summary: 'Publish the progress report as it stands as the next edition',
      description: 'For plan leads of the organisation that owns the plan. Send If-Match with the ETag of the progress report as read: if the plan has changed since, nothing is published (412). A published edition never changes.',
      params: idParams('planId'),
      headers: { type: 'object', properties: { 'if-match': { type: 'string', maxLength: 100 } } },
      response: { 201: editionWithReport, ...problemResponses('not-found', 'forbidden', 'precondition-failed', 'precondition-required') },
    },
  }, async (request, reply) => {
    const header = request.headers['if-match'];
    const revision = typeof header === 'string' ? /^"([^"]{1,64})"$/.exec(header.trim())?.[1] ?? '' : null;
    let edition: Edition;
    try {
      edition = await publishing.publish(request.actor!, request.auditContext, ids(request).planId, revision);
    } catch (error) {
      if (error instanceof Problem && error.type === 'conflict') {
        throw revision === null
          ? new Problem('precondition-required', 'Send If-Match with the ETag of the progress report as last read')
          : new Problem('precondition-failed', 'The plan has changed since the ETag sent in If-Match: read the progress report again');
      }
      throw error;
    }
    const { report } = await publishing.edition(edition.planId, edition.id);
    reply.header('location', `${base}/${edition.planId}/editions/${edition.id}`);
    return reply.code(201).send({ ...presentEdition(edition), report });
  });

  app.get(`${base}/:planId/editions/:editionId`, {
    config: read,
    schema: {
      tags, operationId: 'getPlanEdition', summary: 'A published edition of a plan’s progress report, as it was published',
      params: idParams('planId', 'editionId'),
      response: { 200: editionWithReport, ...problemResponses('not-found') },
    },
  }, async (request, reply) => {
    const { planId, editionId } = ids(request);
    const { edition, report } = await publishing.edition(planId, editionId);
    return reply.send({ ...presentEdition(edition), report });
  });

  app.get(`${base}/:planId/editions/:editionId/pdf`, {
    config: read,
    schema: {
      tags, operationId: 'getPlanEditionPdf', summary: 'A published edition as an accessible (tagged) PDF',
      params: idParams('planId', 'editionId'),
      response: { 200: { description: 'The edition as a PDF', content: { 'application/pdf': { schema: FILE } } }, ...problemResponses('not-found') },
    },
  }, async (request, reply) => {
    const { planId, editionId } = ids(request);
    return sendFile(reply, { ...(await publishing.editionPdf(planId, editionId)), mediaType: 'application/pdf' });
  });

  app.get(`${base}/:planId/export`, {
    config: read,
    schema: {
      tags, operationId: 'exportPlan', summary: 'A plan as a spreadsheet: CSV, XLSX or ODS',
      description: 'One row per action, with every column an import needs to rebuild the plan (the plan’s fields repeated on each row).',
      params: idParams('planId'),
      querystring: { type: 'object', required: ['format'], properties: { format: { type: 'string', enum: exchangeFormats } }, additionalProperties: false },
      response: { 200: files('The plan as a file of the format asked for'), ...problemResponses('not-found') },
    },
  }, async (request, reply) => {
    const { format } = request.query as { format: (typeof exchangeFormats)[number] };
    return sendFile(reply, await publishing.exportPlan(ids(request).planId, format));
  });

  scope.post(`${base}/imports`, {
    config: change,
    bodyLimit: 6 * 1024 * 1024,
    schema: {
      tags, operationId: 'importPlan', summary: 'Make a new plan from a spreadsheet',
      description: 'For plan leads: the plan is owned by the organisation the token acts for. Send the file itself as the body, with its media type. Every row is checked first; if any is wrong, nothing is made and the problem’s `errors` say which row and column.',
      body: { content: Object.fromEntries(exchangeFormats.map((format) => [mediaTypes[format], { schema: { description: `A ${format.toUpperCase()} file, as an export writes it` } }])) },
      response: {
        201: {
          type: 'object', required: ['id', 'themes', 'actions'], additionalProperties: false,
          properties: { id: UUID, themes: { type: 'integer', minimum: 1 }, actions: { type: 'integer', minimum: 1 } },
        },
        ...problemResponses('validation', 'forbidden', 'unsupported-media-type'),
      },
    },
  }, async (request, reply) => {
    const format = formatOfMediaType(request.headers['content-type']);
    if (!format || !Buffer.isBuffer(request.body)) {
      await publishing.checkImport(request.actor!, request.auditContext);
      throw new Problem('unsupported-media-type', translate('plans.publishing.import.error.mediaType'));
    }
    const made = await publishing.importPlan(request.actor!, request.auditContext, { format, bytes: request.body });
    reply.header('location', `${base}/${made.planId}`);
    return reply.code(201).send({ id: made.planId, themes: made.themes, actions: made.actions });
  });
}
