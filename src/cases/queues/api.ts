// The work queues as JSON: the same service, access and audit as the pages.
import type { FastifyInstance } from 'fastify';
import { allow } from '../../platform/access/policy.ts';
import { API_PREFIX, problemResponses } from '../../platform/api/schemas.ts';
import { presentSummary } from '../api.ts';
import { DATE } from '../api-support.ts';
import { caseSorts, flags, offenceClasses, stageNames } from '../model.ts';
import { pageOf, parseTeamFilter, sortOf } from './model.ts';
import type { CaseListing, QueuesService } from './service.ts';

const PAGE = { type: 'string', pattern: '^[1-9][0-9]{0,5}$' } as const;
const pageFields = { total: { type: 'integer', minimum: 0 }, page: { type: 'integer', minimum: 1 }, pages: { type: 'integer', minimum: 1 } } as const;
// The case summary's own schema is the case file API's; here it is described loosely and the presenter whitelists.
const caseItem = { type: 'object', additionalProperties: true, required: ['id', 'policeReference', 'stage', 'version'], properties: { id: { type: 'string', format: 'uuid' }, policeReference: { type: 'string' }, stage: { type: 'string', enum: stageNames }, version: { type: 'integer' }, nextDueOn: { anyOf: [DATE, { type: 'null' }] } } } as const;
const caseListSchema = { type: 'object', required: ['cases', 'total', 'page', 'pages', 'sort', 'order'], properties: { cases: { type: 'array', items: caseItem }, ...pageFields, sort: { type: 'string', enum: [...caseSorts] }, order: { type: 'string', enum: ['ascending', 'descending'] } }, additionalProperties: false } as const;
const sortQuery = { sort: { type: 'string', enum: [...caseSorts] }, order: { type: 'string', enum: ['ascending', 'descending'] }, page: PAGE } as const;
const dueSchema = {
  type: 'object', required: ['deadlines', 'total', 'page', 'pages'], additionalProperties: false,
  properties: {
    ...pageFields,
    deadlines: { type: 'array', items: { type: 'object', required: ['deadlineId', 'title', 'dueOn', 'caseId', 'policeReference', 'stage'], additionalProperties: false, properties: { deadlineId: { type: 'string', format: 'uuid' }, title: { type: 'string' }, dueOn: DATE, caseId: { type: 'string', format: 'uuid' }, policeReference: { type: 'string' }, stage: { type: 'string', enum: stageNames } } } },
  },
} as const;

const presentListing = (found: CaseListing) => ({
  cases: found.items.map((c) => ({ ...presentSummary(c), nextDueOn: found.nextDue.get(c.id) ?? null })),
  total: found.total, page: found.page, pages: found.pages, sort: found.sort, order: found.order,
});

export function registerQueuesApi(app: FastifyInstance, service: QueuesService): void {
  const tags = ['queues'];
  const config = { policy: allow.signedIn, audit: 'required' as const };

  app.get(`${API_PREFIX}/queues/awaiting-response`, {
    config,
    schema: { tags, operationId: 'listAwaitingMyResponse', summary: 'Cases on which the next move is the caller’s side', querystring: { type: 'object', properties: sortQuery, additionalProperties: false }, response: { 200: caseListSchema } },
  }, async (request) => {
    const query = request.query as Record<string, unknown>;
    const chosen = query.sort === undefined ? { sort: 'updated' as const, order: 'ascending' as const } : sortOf(query, 'updated');
    return presentListing(await service.awaitingMyResponse(request.actor!, request.auditContext, { ...chosen, page: pageOf(query.page) }));
  });

  for (const [path, operationId, summary] of [['due-soon', 'listDueSoon', 'Open deadlines on the caller’s cases due in the next 7 days'], ['overdue', 'listOverdue', 'Open deadlines on the caller’s cases that are overdue']] as const) {
    app.get(`${API_PREFIX}/queues/${path}`, {
      config,
      schema: { tags, operationId, summary, querystring: { type: 'object', properties: { page: PAGE }, additionalProperties: false }, response: { 200: dueSchema } },
    }, async (request) => {
      const page = pageOf((request.query as Record<string, unknown>).page);
      const found = await (path === 'overdue' ? service.overdue : service.dueSoon)(request.actor!, request.auditContext, page);
      return { deadlines: found.items.map((d) => ({ ...d })), total: found.total, page: found.page, pages: found.pages };
    });
  }

  app.get(`${API_PREFIX}/queues/escalated`, {
    config,
    schema: {
      tags, operationId: 'listEscalatedToMe', summary: 'Cases the caller has been sent escalations about',
      querystring: { type: 'object', properties: { page: PAGE }, additionalProperties: false },
      response: { 200: { type: 'object', required: ['cases', 'total', 'page', 'pages'], additionalProperties: false, properties: { ...pageFields, cases: { type: 'array', items: { type: 'object', required: ['case', 'lastAt', 'notifications', 'unread'], additionalProperties: false, properties: { case: caseItem, lastAt: { type: 'string' }, notifications: { type: 'integer' }, unread: { type: 'integer' } } } } } } },
    },
  }, async (request) => {
    const found = await service.escalatedToMe(request.actor!, request.auditContext, pageOf((request.query as Record<string, unknown>).page));
    return { cases: found.items.map((e) => ({ case: presentSummary(e.summary), lastAt: e.lastAt, notifications: e.notifications, unread: e.unread })), total: found.total, page: found.page, pages: found.pages };
  });

  app.get(`${API_PREFIX}/queues/unit`, {
    config,
    schema: {
      tags, operationId: 'listUnitCases', summary: 'Every case of the caller’s force or CPS Area, filtered',
      description: 'For police supervisors, escalation leads, DCPs and heads of RASSO unit (403 for anyone else).',
      querystring: {
        type: 'object', additionalProperties: false,
        properties: {
          ...sortQuery,
          stage: { anyOf: [{ type: 'string', enum: stageNames }, { type: 'array', items: { type: 'string', enum: stageNames }, maxItems: stageNames.length }] },
          offence: { type: 'string', enum: [...offenceClasses] },
          flag: { anyOf: [{ type: 'string', enum: [...flags] }, { type: 'array', items: { type: 'string', enum: [...flags] }, maxItems: flags.length }] },
          overdue: { type: 'string', enum: ['yes'] },
          allocatedTo: { type: 'string', format: 'uuid' },
        },
      },
      response: { 200: caseListSchema, ...problemResponses('forbidden') },
    },
  }, async (request) => presentListing(await service.unitView(request.actor!, request.auditContext, parseTeamFilter(request.query as Record<string, unknown>))));
}
