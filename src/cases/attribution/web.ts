// The case's "Time with each party" page and its JSON twin: the days since
// report attributed to the police, the CPS, the court, the victim or closed,
// as a table with a native progress bar per party (no JavaScript), and the
// periods in order.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { allow } from '../../platform/access/policy.ts';
import { API_PREFIX, problemResponses } from '../../platform/api/schemas.ts';
import { registerMessages, translate } from '../../platform/i18n/messages.ts';
import type { Platform } from '../../platform/platform.ts';
import { formatDate } from '../../platform/time/working-days.ts';
import { DATE, caseParams } from '../api-support.ts';
import { caseFrame, registerCaseSection } from '../sections.ts';
import messages from './messages.en.json' with { type: 'json' };
import { createAttributionService, parties, partyNames } from './service.ts';
import type { Attribution } from './service.ts';

export const attributionPath = (caseId: string) => `/cases/${caseId}/time-with-parties`;

const share = (days: number, age: number) => `${age === 0 ? 0 : Math.round((days / age) * 1000) / 10}%`;

export function presentAttribution(caseId: string, a: Attribution) {
  return {
    caseId, from: a.from, to: a.to, ageDays: a.ageDays, rulesVersion: a.rulesVersion,
    totals: Object.fromEntries(partyNames.map((p) => [p, a.totals[p]])),
    periods: a.periods.map(({ party, from, to, days }) => ({ party, from, to, days })),
  };
}

export function registerAttribution(app: FastifyInstance, platform: Platform): void {
  registerMessages('en', messages);
  const service = createAttributionService(platform);
  registerCaseSection({ key: 'time-with-parties', titleKey: 'attribution.section', order: 90, href: attributionPath });
  const config = { policy: allow.signedIn, audit: 'required' as const };
  const caseIdOf = (request: FastifyRequest) => (request.params as { caseId: string }).caseId;

  app.get(attributionPath(':caseId'), { config }, async (request, reply) => {
    const { summary, attribution: a } = await service.timeWithParties(request.actor!, request.auditContext, caseIdOf(request));
    return reply.render('attribution/attribution.njk', {
      pageTitle: translate('attribution.title'),
      ...caseFrame(summary, 'time-with-parties'),
      backHref: `/cases/${summary.id}`,
      intro: translate('attribution.intro', { reported: formatDate(summary.reportedOn), age: a.ageDays }),
      age: Math.max(a.ageDays, 1),
      totals: partyNames.map((p) => ({ party: parties[p], days: a.totals[p], share: share(a.totals[p], a.ageDays), barLabel: translate('attribution.barLabel', { party: parties[p], share: share(a.totals[p], a.ageDays) }) })),
      periodHead: [{ text: translate('attribution.party') }, { text: translate('attribution.from') }, { text: translate('attribution.to') }, { text: translate('attribution.days'), format: 'numeric' }],
      periodRows: a.periods.map((p) => [{ text: parties[p.party] }, { text: formatDate(p.from) }, { text: formatDate(p.to) }, { text: String(p.days), format: 'numeric' }]),
    });
  });

  app.get(`${API_PREFIX}/cases/:caseId/attribution`, {
    config,
    schema: {
      tags: ['attribution'],
      operationId: 'getCaseAttribution',
      summary: 'A case’s days since report, attributed to the party it waited on',
      description: 'Each calendar day (Europe/London) from the day of report to today counts for the party the case waited on at its end. Totals always add up to ageDays. The read is audited.',
      params: caseParams,
      response: {
        200: {
          type: 'object',
          required: ['caseId', 'from', 'to', 'ageDays', 'rulesVersion', 'totals', 'periods'],
          properties: {
            caseId: { type: 'string', format: 'uuid' },
            from: DATE,
            to: DATE,
            ageDays: { type: 'integer', minimum: 0 },
            rulesVersion: { type: 'integer' },
            totals: { type: 'object', required: partyNames, properties: Object.fromEntries(partyNames.map((p) => [p, { type: 'integer', minimum: 0, description: parties[p] }])), additionalProperties: false },
            periods: {
              type: 'array',
              items: { type: 'object', required: ['party', 'from', 'to', 'days'], properties: { party: { type: 'string', enum: partyNames }, from: DATE, to: DATE, days: { type: 'integer', minimum: 1 } }, additionalProperties: false },
            },
          },
          additionalProperties: false,
        },
        ...problemResponses('not-found'),
      },
    },
  }, async (request) => {
    const { summary, attribution } = await service.timeWithParties(request.actor!, request.auditContext, caseIdOf(request));
    return presentAttribution(summary.id, attribution);
  });
}
