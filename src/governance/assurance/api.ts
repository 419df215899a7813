// The JSON API of quarterly assurance reports: the same service, checks and
// suppression as the pages. A report answers the version shown as its ETag;
// every step (commentary, refresh, sign-off, publish, reopen) needs If-Match
// with it, so nobody signs off or publishes something other than what they
// read. A report per organisation and quarter: starting one twice is refused.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { allow } from '../../platform/access/policy.ts';
import { API_PREFIX, problemResponses } from '../../platform/api/schemas.ts';
import { DATE, ID, ifMatchHeader, withIfMatch } from '../../cases/api-support.ts';
import { MAX_COMMENTARY, MAX_REASON, exceptionKeys, sections, statuses } from './model.ts';
import { present } from './present.ts';
import type { AssuranceService, ListedReport, ReportView } from './service.ts';

const UUID = { type: 'string', format: 'uuid' } as const;
const INSTANT = { type: 'string', format: 'date-time' } as const;
const NULLABLE_INSTANT = { anyOf: [INSTANT, { type: 'null' }] } as const;
const NULLABLE_TEXT = { type: ['string', 'null'] } as const;
const QUARTER = { type: 'string', pattern: '^\\d{4}-\\d{2}-[qQ][1-4]$', description: 'A financial quarter: 2026-27-q2 is July to September 2026 (Q1 is April to June)' } as const;
const STATUS = { type: 'string', enum: statuses } as const;
const SECTIONS = [...sections, ...exceptionKeys.map((key) => `exception.${key}`)];
const SHOWN = {
  type: 'object', required: ['value', 'text'], additionalProperties: false,
  description: 'A figure as shown: `value` is null when it is suppressed (a count of 1 to 4) or withheld (it would reveal one), and `text` says which',
  properties: { value: { type: ['number', 'null'] }, text: { type: 'string' } },
} as const;
const counted = (extra: Record<string, unknown>) => ({ type: 'object', required: [...Object.keys(extra), 'count'], additionalProperties: false, properties: { ...extra, count: SHOWN } });

const figuresSchema = {
  type: 'object',
  required: ['computedAt', 'plans', 'earlyAdvice', 'prfi', 'escalations', 'nfa', 'exceptions'],
  additionalProperties: false,
  properties: {
    computedAt: { ...INSTANT, description: 'When the figures were computed: their data vintage' },
    plans: {
      type: 'array', description: 'The organisation’s own action plans, actions by theme as delivered at the quarter’s end (plans hold no case data: not suppressed)',
      items: {
        type: 'object', required: ['id', 'title', 'level', 'period', 'themes', 'overdue'], additionalProperties: false,
        properties: {
          id: UUID, title: { type: 'string' }, level: { type: 'string' }, period: { type: 'string' },
          themes: {
            type: 'array',
            items: {
              type: 'object', required: ['title', 'done', 'underway', 'notStarted', 'total', 'updates'], additionalProperties: false,
              properties: { title: { type: 'string' }, done: { type: 'integer' }, underway: { type: 'integer' }, notStarted: { type: 'integer' }, total: { type: 'integer' }, updates: { type: 'integer', description: 'Updates, status changes and evidence dated in the quarter' } },
            },
          },
          overdue: {
            type: 'array',
            items: { type: 'object', required: ['number', 'text', 'targetOn', 'status'], additionalProperties: false, properties: { number: { type: 'integer' }, text: { type: 'string' }, targetOn: DATE, status: { type: 'string' } } },
          },
        },
      },
    },
    earlyAdvice: {
      type: 'object', required: ['targetDays', 'answered', 'withinTarget', 'late', 'share', 'medianDays'], additionalProperties: false,
      description: 'Early advice answered in the quarter (advice given or request rejected), in calendar days from the request or an upheld appeal',
      properties: { targetDays: { type: 'integer' }, answered: SHOWN, withinTarget: SHOWN, late: SHOWN, share: { ...SHOWN, description: 'Whole percentage answered within targetDays' }, medianDays: SHOWN },
    },
    prfi: {
      type: 'object', required: ['asAt', 'thresholds', 'open', 'bands'], additionalProperties: false,
      description: 'Cases at ‘Action plan’ at the end of the quarter’s last day, by days at that stage',
      properties: {
        asAt: DATE, thresholds: { type: 'array', items: { type: 'integer' } }, open: SHOWN,
        bands: { type: 'array', items: counted({ from: { type: 'integer' }, to: { type: ['integer', 'null'] } }) },
      },
    },
    escalations: {
      type: 'object', required: ['total', 'steps'], additionalProperties: false, description: 'Escalation steps of the clocks on the organisation’s cases that fell due in the quarter',
      properties: { total: SHOWN, steps: { type: 'array', items: counted({ ruleKey: { type: 'string' }, ruleTitle: { type: 'string' }, step: { type: 'string' }, label: { type: 'string' } }) } },
    },
    nfa: {
      type: 'object', required: ['police', 'cps'], additionalProperties: false,
      properties: {
        police: { type: 'object', required: ['total', 'byOutcome'], additionalProperties: false, properties: { total: SHOWN, byOutcome: { type: 'array', items: counted({ code: { type: 'string' }, name: { type: 'string' } }) } } },
        cps: { type: 'object', required: ['total', 'byKind'], additionalProperties: false, properties: { total: SHOWN, byKind: { type: 'array', items: counted({ code: { type: 'string' }, name: { type: 'string' } }) } } },
      },
    },
    exceptions: {
      type: 'array', description: 'Figures beyond the thresholds that need commentary before sign-off',
      items: { type: 'object', required: ['key', 'title', 'detail'], additionalProperties: false, properties: { key: { type: 'string', enum: exceptionKeys }, title: { type: 'string' }, detail: { type: 'string' } } },
    },
  },
} as const;

const summaryProperties = {
  id: UUID,
  organisationId: UUID,
  organisationName: { type: 'string' },
  organisationKind: { type: 'string', enum: ['police_force', 'cps_area'] },
  quarter: QUARTER,
  quarterName: { type: 'string' },
} as const;

const listSchema = {
  type: 'object', required: ['reports'], additionalProperties: false,
  properties: {
    reports: {
      type: 'array',
      items: {
        type: 'object', required: [...Object.keys(summaryProperties), 'number', 'status', 'updatedAt'], additionalProperties: false,
        properties: { ...summaryProperties, number: { type: 'integer', minimum: 1, description: 'The version the caller may read' }, status: STATUS, updatedAt: INSTANT },
      },
    },
  },
} as const;

const reportSchema = {
  type: 'object',
  required: [...Object.keys(summaryProperties), 'periodStart', 'periodEnd', 'version', 'versions', 'commentary', 'figures'],
  additionalProperties: false,
  properties: {
    ...summaryProperties,
    periodStart: DATE,
    periodEnd: DATE,
    version: {
      type: 'object', additionalProperties: false,
      required: ['number', 'status', 'draftedBy', 'draftedAt', 'reason', 'signedOffBy', 'signedOffAt', 'publishedBy', 'publishedAt', 'supersededAt', 'etag'],
      properties: {
        number: { type: 'integer', minimum: 1 }, status: STATUS, draftedBy: NULLABLE_TEXT, draftedAt: INSTANT, reason: { ...NULLABLE_TEXT, description: 'Why a published report was reopened as this version' },
        signedOffBy: NULLABLE_TEXT, signedOffAt: NULLABLE_INSTANT, publishedBy: NULLABLE_TEXT, publishedAt: NULLABLE_INSTANT, supersededAt: NULLABLE_INSTANT,
        etag: { type: 'integer', minimum: 1, description: 'This version’s own version, the ETag: send it as If-Match to change it' },
      },
    },
    versions: {
      type: 'array', description: 'Every version the caller may read, oldest first',
      items: { type: 'object', required: ['number', 'status', 'publishedAt'], additionalProperties: false, properties: { number: { type: 'integer', minimum: 1 }, status: STATUS, publishedAt: NULLABLE_INSTANT } },
    },
    commentary: {
      type: 'array',
      items: { type: 'object', required: ['section', 'text', 'by', 'at'], additionalProperties: false, properties: { section: { type: 'string', enum: SECTIONS }, text: { type: 'string' }, by: NULLABLE_TEXT, at: INSTANT } },
    },
    figures: figuresSchema,
  },
} as const;

const summaryOf = (report: ReportView['report'] | ListedReport) => ({
  id: report.id, organisationId: report.organisationId, organisationName: report.organisationName, organisationKind: report.organisationKind, quarter: report.quarterKey, quarterName: report.quarterName,
});

function presentReport(view: ReportView) {
  const { version } = view;
  const { quarter, organisation: _, ...figures } = present(version.figures);
  return {
    ...summaryOf(view.report),
    periodStart: quarter.start,
    periodEnd: quarter.end,
    version: {
      number: version.number, status: version.status, draftedBy: version.draftedBy.name, draftedAt: version.draftedBy.at, reason: version.reason,
      signedOffBy: version.signedOff?.name ?? null, signedOffAt: version.signedOff?.at ?? null, publishedBy: version.published?.name ?? null, publishedAt: version.published?.at ?? null,
      supersededAt: version.supersededAt, etag: version.version,
    },
    versions: view.versions,
    commentary: [...view.commentary].map(([section, c]) => ({ section, text: c.text, by: c.by, at: c.at })),
    figures,
  };
}

export function registerAssuranceApi(app: FastifyInstance, assurance: AssuranceService): void {
  const tags = ['assurance'];
  const base = `${API_PREFIX}/assurance-reports`;
  const read = { policy: allow.withPermission('assurance.read'), audit: 'none' as const };
  const draft = { policy: allow.withPermission('assurance.draft'), audit: 'required' as const };
  const signOff = { policy: allow.withPermission('assurance.sign-off'), audit: 'required' as const };
  const reportParams = { type: 'object', required: ['reportId'], properties: { reportId: ID }, additionalProperties: false } as const;
  const versionParams = { type: 'object', required: ['reportId', 'number'], properties: { reportId: ID, number: { type: 'string', pattern: '^[1-9][0-9]{0,5}$', description: 'The version’s number, from 1' } }, additionalProperties: false } as const;
  const reportId = (request: FastifyRequest) => (request.params as { reportId: string }).reportId;
  const answer = async (request: FastifyRequest, reply: FastifyReply, status: 200 | 201, id = reportId(request), number?: number) => {
    const view = await assurance.view(request.actor!, request.auditContext, id, number);
    reply.header('etag', `"${view.version.version}"`);
    if (status === 201) reply.header('location', `${base}/${view.report.id}/versions/${view.version.number}`);
    return reply.code(status).send(presentReport(view));
  };
  const step = (operationId: string, summary: string, description: string) => ({
    tags, operationId, summary, description, params: reportParams, headers: ifMatchHeader,
    response: { 200: reportSchema, ...problemResponses('validation', 'not-found', 'forbidden', 'precondition-failed', 'precondition-required') },
  });

  app.get(base, {
    config: read,
    schema: {
      tags, operationId: 'listAssuranceReports', summary: 'The quarterly assurance reports the caller may read',
      description: 'A police force’s or CPS Area’s managers: their own organisation’s reports at every stage. The national organisation’s plan leads and analysts: every published report, at its latest published version.',
      response: { 200: listSchema, ...problemResponses('forbidden') },
    },
  }, async (request, reply) => reply.send({ reports: (await assurance.list(request.actor!)).map((item) => ({ ...summaryOf(item), number: item.number, status: item.status, updatedAt: item.updatedAt })) }));

  app.post(base, {
    config: draft,
    schema: {
      tags, operationId: 'startAssuranceReport', summary: 'Start the report of the caller’s organisation for a quarter that has ended',
      description: 'For plan leads and analysts of a police force or CPS Area. The figures are computed now and frozen in the draft. A report per organisation and quarter: a second start is refused (400).',
      body: { type: 'object', required: ['quarter'], additionalProperties: false, properties: { quarter: QUARTER } },
      response: { 201: reportSchema, ...problemResponses('validation', 'forbidden', 'conflict') },
    },
  }, async (request, reply) => {
    const id = await assurance.start(request.actor!, request.auditContext, { quarter: (request.body as { quarter: string }).quarter });
    return answer(request, reply, 201, id);
  });

  app.get(`${base}/:reportId`, {
    config: read,
    schema: {
      tags, operationId: 'getAssuranceReport', summary: 'A report at the latest version the caller may read, with its figures (small counts suppressed), definitions and commentary',
      description: 'The ETag is the version’s own version: send it as If-Match to take the next step.',
      params: reportParams,
      response: { 200: reportSchema, ...problemResponses('validation', 'not-found', 'forbidden') },
    },
  }, async (request, reply) => answer(request, reply, 200));

  app.get(`${base}/:reportId/versions/:number`, {
    config: read,
    schema: {
      tags, operationId: 'getAssuranceReportVersion', summary: 'One version of a report: earlier versions stay readable',
      params: versionParams,
      response: { 200: reportSchema, ...problemResponses('validation', 'not-found', 'forbidden') },
    },
  }, async (request, reply) => answer(request, reply, 200, reportId(request), Number((request.params as { number: string }).number)));

  app.put(`${base}/:reportId/commentary/:section`, {
    config: draft,
    schema: {
      ...step('putAssuranceCommentary', 'Write the commentary of a section of the draft, or of one of its exceptions', 'For plan leads and analysts of the organisation, while the report is a draft. An empty text removes a section’s commentary; an exception’s cannot be empty.'),
      params: { type: 'object', required: ['reportId', 'section'], properties: { reportId: ID, section: { type: 'string', enum: SECTIONS } }, additionalProperties: false },
      body: { type: 'object', required: ['text'], additionalProperties: false, properties: { text: { type: 'string', maxLength: MAX_COMMENTARY } } },
    },
  }, async (request, reply) => {
    const { section } = request.params as { section: string };
    await withIfMatch(request, (version) => assurance.saveCommentary(request.actor!, request.auditContext, reportId(request), section, (request.body as { text: string }).text, version));
    return answer(request, reply, 200);
  });

  app.post(`${base}/:reportId/refresh`, {
    config: draft,
    schema: step('refreshAssuranceReport', 'Compute the draft’s figures again, now', 'For plan leads and analysts of the organisation, while the report is a draft. Commentary is kept.'),
  }, async (request, reply) => {
    await withIfMatch(request, (version) => assurance.refresh(request.actor!, request.auditContext, reportId(request), version));
    return answer(request, reply, 200);
  });

  app.post(`${base}/:reportId/sign-off`, {
    config: signOff,
    schema: step('signOffAssuranceReport', 'Sign the draft off as it stands', 'For escalation leads of a force and heads of the RASSO unit of an Area, never the person who drafted the version. Every exception must have commentary (400 otherwise).'),
  }, async (request, reply) => {
    await withIfMatch(request, (version) => assurance.signOff(request.actor!, request.auditContext, reportId(request), version));
    return answer(request, reply, 200);
  });

  app.post(`${base}/:reportId/publish`, {
    config: signOff,
    schema: step('publishAssuranceReport', 'Publish a signed-off report', 'For escalation leads and heads of the RASSO unit of the organisation. A published version is read-only and readable by the national organisation’s plan leads and analysts.'),
  }, async (request, reply) => {
    await withIfMatch(request, (version) => assurance.publish(request.actor!, request.auditContext, reportId(request), version));
    return answer(request, reply, 200);
  });

  app.post(`${base}/:reportId/reopen`, {
    config: draft,
    schema: {
      ...step('reopenAssuranceReport', 'Reopen a published report as its next version, saying why', 'For plan leads and analysts of the organisation. The new version is a draft with the same figures and commentary; the published one stays readable, and in force until the new one is published.'),
      body: { type: 'object', required: ['reason'], additionalProperties: false, properties: { reason: { type: 'string', maxLength: MAX_REASON } } },
      response: { 201: reportSchema, ...problemResponses('validation', 'not-found', 'forbidden', 'precondition-failed', 'precondition-required') },
    },
  }, async (request, reply) => {
    await withIfMatch(request, (version) => assurance.reopen(request.actor!, request.auditContext, reportId(request), (request.body as { reason: string }).reason, version));
    return answer(request, reply, 201);
  });
}
