// Pages of publishing and exchanging plans: the progress report in the
// published reports' own layout (and as a PDF), publishing it as an edition
// (a confirmation page that carries the revision read), the editions and each
// one as published (and as a PDF), a plan downloaded as CSV, XLSX or ODS, and
// a plan imported from such a file (a GOV.UK file upload that works without
// JavaScript). Registered from app.ts; the plan page links here.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { allow } from '../../platform/access/policy.ts';
import type { AuthService } from '../../platform/auth/service.ts';
import { translate } from '../../platform/i18n/messages.ts';
import type { Platform } from '../../platform/platform.ts';
import { formatDate } from '../../platform/time/working-days.ts';
import { errorMessage, formString } from '../../platform/web/forms.ts';
import type { SummaryError } from '../../platform/web/forms.ts';
import { escapeHtml } from '../../platform/web/lists.ts';
import { submitForm } from '../../platform/web/submit.ts';
import { Problem } from '../../platform/web/errors.ts';
import { registerPublishingApi, sendFile } from './api.ts';
import { columns, exchangeFormats, formatOfFileName, formatOfMediaType, isExchangeFormat } from './model.ts';
import type { ExchangeFormat, ProgressReport } from './model.ts';
import { actionText, updateText } from './pdf.ts';
import { FILE_FIELD, MAX_UPLOAD_BYTES, createPublishingService } from './service.ts';
import type { PublishingService } from './service.ts';
import { isUploadedFile, withUploads } from './upload.ts';

export const publishingPaths = {
  plan: (planId: string) => `/plans/${planId}`,
  report: (planId: string) => `/plans/${planId}/progress-report`,
  reportPdf: (planId: string) => `/plans/${planId}/progress-report/pdf`,
  publish: (planId: string) => `/plans/${planId}/publish`,
  editions: (planId: string) => `/plans/${planId}/editions`,
  edition: (planId: string, editionId: string) => `/plans/${planId}/editions/${editionId}`,
  editionPdf: (planId: string, editionId: string) => `/plans/${planId}/editions/${editionId}/pdf`,
  export: (planId: string, format: string) => `/plans/${planId}/export/${format}`,
  import: '/plans/import',
};

/** The size an upload may be, as the page says it (the request may be a little larger: the form around the file). */
const UPLOAD_SIZE_TEXT = '5 MB';
const UPLOAD_LIMIT = MAX_UPLOAD_BYTES + 256 * 1024;

export function registerPlanPublishing(app: FastifyInstance, platform: Platform, auth: AuthService): void {
  const publishing = createPublishingService(platform);
  registerPages(app, publishing, auth);
  withUploads(app, UPLOAD_LIMIT, (scope) => {
    registerImportPages(scope, publishing, auth);
    registerPublishingApi(app, scope, publishing);
  });
}

/** The report's themes as GOV.UK tables: Action (number and text, the row's header) | Update | Complete?. */
export function reportTables(report: ProgressReport) {
  return {
    head: [{ text: translate('plans.publishing.report.column.action') }, { text: translate('plans.publishing.report.column.update') }, { text: report.statusHeading }],
    facts: [
      ['period', report.period],
      ['owners', report.owners.join(', ') || report.ownerOrganisationName],
      ['level', report.levelName],
      ...(report.source ? [['source', report.source]] : []),
    ].map(([key, value]) => ({ key: { text: translate(`plans.publishing.report.${key}`) }, value: { text: value } })),
    themes: report.themes.map((theme) => ({
      title: theme.title,
      description: theme.description,
      caption: translate('plans.publishing.report.themeCaption', { theme: theme.title }),
      rows: theme.actions.map((action) => {
        const [text, when] = updateText(action).split('\n');
        return [
          { text: actionText(action) },
          { html: escapeHtml(text!) + (when ? `<span class="govuk-!-display-block govuk-body-s govuk-!-margin-top-1 govuk-!-margin-bottom-0">${escapeHtml(when)}</span>` : '') },
          { html: `<strong>${escapeHtml(action.statusName)}</strong>` },
        ];
      }),
    })),
  };
}

function registerPages(app: FastifyInstance, publishing: PublishingService, auth: AuthService): void {
  const read = { config: { policy: allow.signedIn, audit: 'none' as const } };
  const lead = { config: { policy: allow.withPermission('plans.manage'), audit: 'none' as const } };
  const change = { config: { policy: allow.withPermission('plans.manage'), audit: 'required' as const } };
  const ids = (request: FastifyRequest) => request.params as { planId: string; editionId?: string; format?: string };
  const exports = (planId: string) => exchangeFormats.map((format) => ({ href: publishingPaths.export(planId, format), text: translate(`plans.publishing.export.${format}`) }));

  app.get(publishingPaths.report(':planId'), read, async (request, reply) => {
    const { report, asAt, mayPublish, editions } = await publishing.report(request.actor!, ids(request).planId);
    return reply.render('plan-publishing/report.njk', {
      pageTitle: translate('plans.publishing.report.title'),
      caption: report.title,
      backHref: publishingPaths.plan(report.planId),
      occasion: translate('plans.publishing.report.asAt', { date: formatDate(asAt) }),
      intro: translate('plans.publishing.report.current'),
      ...reportTables(report),
      pdfHref: publishingPaths.reportPdf(report.planId),
      publishHref: mayPublish ? publishingPaths.publish(report.planId) : null,
      editionsHref: publishingPaths.editions(report.planId),
      editionsText: translate('plans.publishing.editions.link', { count: editions }),
      exports: exports(report.planId),
    });
  });

  app.get(publishingPaths.reportPdf(':planId'), read, async (request, reply) => {
    const pdf = await publishing.reportPdf(ids(request).planId);
    return sendFile(reply, { ...pdf, mediaType: 'application/pdf' });
  });

  const showPublish = async (request: FastifyRequest, reply: FastifyReply, errors: SummaryError[] = [], status = 200) => {
    const { planId } = ids(request);
    await publishing.checkPublish(request.actor!, request.auditContext, planId);
    const { report, token, nextEdition } = await publishing.report(request.actor!, planId);
    const actions = report.themes.reduce((n, theme) => n + theme.actions.length, 0);
    return reply.code(status).render('plan-publishing/publish.njk', {
      pageTitle: translate('plans.publishing.publish.title'),
      caption: report.title,
      backHref: publishingPaths.report(report.planId),
      errors,
      lead: translate('plans.publishing.publish.lead', {
        edition: nextEdition, plan: report.title, count: translate('plans.publishing.report.themeCount', { themes: report.themes.length, actions }),
      }),
      permanent: translate('plans.publishing.publish.permanent'),
      revision: token,
      submitText: translate('plans.publishing.publish.submit', { edition: nextEdition }),
      ...reportTables(report),
    });
  };

  app.get(publishingPaths.publish(':planId'), lead, async (request, reply) => showPublish(request, reply));
  app.post(publishingPaths.publish(':planId'), change, async (request, reply) =>
    submitForm(auth, request, reply, {
      command: async () => {
        const edition = await publishing.publish(request.actor!, request.auditContext, ids(request).planId, formString(request.body, 'revision', { maxLength: 64 }) || null);
        return { text: translate('plans.publishing.publish.flash', { edition: edition.edition }), to: publishingPaths.edition(edition.planId, edition.id) };
      },
      showAgain: (errors, status) => showPublish(request, reply, errors, status),
      conflictField: 'publish',
      conflictMessage: translate('plans.publishing.publish.conflict'),
    }));

  app.get(publishingPaths.editions(':planId'), read, async (request, reply) => {
    const { plan, editions } = await publishing.editions(ids(request).planId);
    return reply.render('plan-publishing/editions.njk', {
      pageTitle: translate('plans.publishing.editions.title'),
      caption: plan.title,
      backHref: publishingPaths.plan(plan.id),
      reportHref: publishingPaths.report(plan.id),
      head: ['edition', 'published', 'by', 'pdf'].map((key) => ({ text: translate(`plans.publishing.editions.column.${key}`) })),
      rows: editions.map((edition) => [
        { html: `<a class="govuk-link" href="${publishingPaths.edition(plan.id, edition.id)}">${escapeHtml(translate('plans.publishing.editions.editionName', { edition: edition.edition }))}</a>` },
        { text: formatDate(edition.publishedOn) },
        { text: edition.publishedBy ?? translate('plans.publishing.editions.unknownPublisher') },
        { html: `<a class="govuk-link" href="${publishingPaths.editionPdf(plan.id, edition.id)}">${escapeHtml(translate('plans.publishing.editions.pdfLink', { edition: edition.edition }))}</a>` },
      ]),
    });
  });

  app.get(publishingPaths.edition(':planId', ':editionId'), read, async (request, reply) => {
    const { planId, editionId } = ids(request);
    const { edition, report } = await publishing.edition(planId, editionId!);
    return reply.render('plan-publishing/report.njk', {
      pageTitle: translate('plans.publishing.edition.title', { edition: edition.edition }),
      caption: report.title,
      backHref: publishingPaths.editions(edition.planId),
      occasion: translate('plans.publishing.edition.published', { date: formatDate(edition.publishedOn), name: edition.publishedBy ?? translate('plans.publishing.editions.unknownPublisher') }),
      intro: translate('plans.publishing.edition.frozen', { date: formatDate(edition.publishedOn) }),
      currentHref: publishingPaths.plan(edition.planId),
      ...reportTables(report),
      pdfHref: publishingPaths.editionPdf(edition.planId, edition.id),
      exports: [],
    });
  });

  app.get(publishingPaths.editionPdf(':planId', ':editionId'), read, async (request, reply) => {
    const { planId, editionId } = ids(request);
    return sendFile(reply, { ...(await publishing.editionPdf(planId, editionId!)), mediaType: 'application/pdf' });
  });

  app.get(publishingPaths.export(':planId', ':format'), read, async (request, reply) => {
    const { planId, format = '' } = ids(request);
    if (!isExchangeFormat(format)) throw new Problem('not-found');
    return sendFile(reply, await publishing.exportPlan(planId, format));
  });
}

function registerImportPages(app: FastifyInstance, publishing: PublishingService, auth: AuthService): void {
  const lead = { config: { policy: allow.withPermission('plans.manage'), audit: 'none' as const } };
  const change = { config: { policy: allow.withPermission('plans.manage'), audit: 'required' as const }, bodyLimit: UPLOAD_LIMIT };

  const show = async (request: FastifyRequest, reply: FastifyReply, errors: SummaryError[] = [], status = 200) => {
    await publishing.checkImport(request.actor!, request.auditContext);
    return reply.code(status).render('plan-publishing/import.njk', {
      pageTitle: translate('plans.publishing.import.title'),
      backHref: '/plans',
      errors,
      lead: translate('plans.publishing.import.lead', { organisation: request.actor!.organisation.organisationName }),
      columns: columns.map((column) => column.heading),
      upload: {
        id: FILE_FIELD, name: FILE_FIELD,
        label: { text: translate('plans.publishing.import.file'), classes: 'govuk-label--m' },
        hint: { text: translate('plans.publishing.import.fileHint', { size: UPLOAD_SIZE_TEXT }) },
        attributes: { accept: '.csv,.xlsx,.ods,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet,application/vnd.oasis.opendocument.spreadsheet' },
        errorMessage: errors.length ? errorMessage(errors.length === 1 ? errors : [{ field: FILE_FIELD, href: '', text: translate('plans.publishing.import.error.inline') }], FILE_FIELD) : undefined,
      },
    });
  };

  app.get(publishingPaths.import, lead, async (request, reply) => show(request, reply));
  app.post(publishingPaths.import, change, async (request, reply) =>
    submitForm(auth, request, reply, {
      command: async () => {
        const file = (request.body as Record<string, unknown> | undefined)?.[FILE_FIELD];
        const refuse = (key: string) => new Problem('validation', translate(key), [{ field: FILE_FIELD, message: translate(key, { size: UPLOAD_SIZE_TEXT }) }]);
        // The access check comes before anything is said about the file.
        await publishing.checkImport(request.actor!, request.auditContext);
        if (!isUploadedFile(file) || (file.name === '' && file.bytes.length === 0)) throw refuse('plans.publishing.import.error.noFile');
        const format: ExchangeFormat | null = formatOfFileName(file.name) ?? (file.name === '' ? formatOfMediaType(file.type) : null);
        if (!format) throw refuse('plans.publishing.import.error.fileType');
        const made = await publishing.importPlan(request.actor!, request.auditContext, { format, bytes: file.bytes });
        return { text: translate('plans.publishing.import.flash', { actions: made.actions, themes: made.themes }), to: publishingPaths.plan(made.planId) };
      },
      showAgain: (errors, status) => show(request, reply, errors, status),
      conflictField: FILE_FIELD,
    }));
}
