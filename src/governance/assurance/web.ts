// Pages of quarterly assurance reports: the list, starting a report for a
// quarter, a report (any version the person may read) and its print view,
// and the forms of its lifecycle: commentary on a section or exception,
// refreshing the figures, signing off, publishing and reopening as a new
// version. Forms post back to their own address, carry the version read and
// redirect with a flash. Every table has a caption; nothing needs JavaScript.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { allow } from '../../platform/access/policy.ts';
import type { AuthService } from '../../platform/auth/service.ts';
import { translate } from '../../platform/i18n/messages.ts';
import type { Platform } from '../../platform/platform.ts';
import { formatDateTime, londonDate } from '../../platform/time/working-days.ts';
import { Problem } from '../../platform/web/errors.ts';
import { errorMessage, formString } from '../../platform/web/forms.ts';
import type { SummaryError } from '../../platform/web/forms.ts';
import { escapeHtml } from '../../platform/web/lists.ts';
import { submitForm } from '../../platform/web/submit.ts';
import { formVersion } from '../../cases/web-support.ts';
import { registerAssuranceApi } from './api.ts';
export { assurancePaths } from './report-model.ts';
import { assurancePaths, reportModel, statusTag } from './report-model.ts';
import { reportPdf } from './pdf.ts';
import { MAX_COMMENTARY, MAX_REASON, isSection, quarterKey, quarterName, recentQuarters, sectionName } from './model.ts';
import { present } from './present.ts';
import { createAssuranceService } from './service.ts';
import type { AssuranceService } from './service.ts';

const REPORT = ':reportId';

export function registerAssurance(app: FastifyInstance, platform: Platform, auth: AuthService): void {
  const assurance = createAssuranceService(platform);
  registerPages(app, platform, assurance, auth);
  registerAssuranceApi(app, assurance);
}

type Form = 'commentary' | 'refresh' | 'sign-off' | 'publish' | 'reopen';

function registerPages(app: FastifyInstance, platform: Platform, assurance: AssuranceService, auth: AuthService): void {
  const read = { config: { policy: allow.withPermission('assurance.read'), audit: 'none' as const } };
  const draftForm = { config: { policy: allow.withPermission('assurance.draft'), audit: 'none' as const } };
  const draftChange = { config: { policy: allow.withPermission('assurance.draft'), audit: 'required' as const } };
  const signForm = { config: { policy: allow.withPermission('assurance.sign-off'), audit: 'none' as const } };
  const signChange = { config: { policy: allow.withPermission('assurance.sign-off'), audit: 'required' as const } };
  const reportIdOf = (request: FastifyRequest) => (request.params as { reportId: string }).reportId;
  const numberOf = (request: FastifyRequest) => {
    const text = (request.params as { number: string }).number;
    if (!/^[1-9]\d{0,5}$/.test(text)) throw new Problem('not-found');
    return Number(text);
  };

  app.get(assurancePaths.list, read, async (request, reply) => {
    const actor = request.actor!;
    const list = await assurance.list(actor);
    const national = actor.organisation.organisationKind === 'national';
    return reply.render('assurance/list.njk', {
      pageTitle: translate('assurance.title'),
      intro: [translate(national ? 'assurance.nationalIntro' : 'assurance.intro'), translate('assurance.quarters')],
      startHref: assurance.mayStart(actor) ? assurancePaths.start : null,
      head: ['organisation', 'quarter', 'version', 'status', 'updated'].map((key) => ({ text: translate(`assurance.column.${key}`) })),
      rows: list.map((item) => [
        { html: `<a class="govuk-link" href="${assurancePaths.version(item.id, item.number)}">${escapeHtml(item.organisationName)}</a>` },
        { text: item.quarterName },
        { text: String(item.number), format: 'numeric' },
        { html: statusTag(item.status) },
        { text: formatDateTime(item.updatedAt) },
      ]),
    });
  });

  const showStart = async (request: FastifyRequest, reply: FastifyReply, errors: SummaryError[] = [], chosen = '', status = 200) => {
    const actor = request.actor!;
    await assurance.checkStart(actor, request.auditContext);
    const quarters = recentQuarters(londonDate(platform.clock.now()), 8);
    const selected = chosen || (quarters[0] ? quarterKey(quarters[0]) : '');
    return reply.code(status).render('assurance/form.njk', {
      pageTitle: translate('assurance.start.title'),
      caption: actor.organisation.organisationName,
      backHref: assurancePaths.list,
      errors,
      lead: [translate('assurance.start.lead', { organisation: actor.organisation.organisationName }), translate('assurance.quarters')],
      fields: [{
        kind: 'radios',
        params: {
          fieldset: { legend: { text: translate('assurance.start.legend'), classes: 'govuk-fieldset__legend--s' } }, idPrefix: 'quarter', name: 'quarter',
          hint: { text: translate('assurance.start.hint') },
          items: quarters.map((q) => ({ value: quarterKey(q), text: quarterName(q), checked: quarterKey(q) === selected })),
          errorMessage: errorMessage(errors, 'quarter'),
        },
      }],
      submitText: translate('assurance.start.submit'),
    });
  };

  app.get(assurancePaths.start, draftForm, async (request, reply) => showStart(request, reply));
  app.post(assurancePaths.start, draftChange, async (request, reply) => {
    const chosen = formString(request.body, 'quarter', { maxLength: 20 });
    return submitForm(auth, request, reply, {
      command: async () => {
        const reportId = await assurance.start(request.actor!, request.auditContext, { quarter: chosen });
        return { text: translate('assurance.start.flash'), to: assurancePaths.report(reportId) };
      },
      showAgain: (errors, status) => showStart(request, reply, errors, chosen, status),
      conflictField: 'quarter',
      conflictMessage: translate('assurance.error.conflict'),
    });
  });

  const showReport = async (request: FastifyRequest, reply: FastifyReply, number: number | undefined, print: boolean) => {
    const view = await assurance.view(request.actor!, request.auditContext, reportIdOf(request), number);
    return reply.render('assurance/report.njk', reportModel(view, { print }));
  };
  app.get(assurancePaths.report(REPORT), read, async (request, reply) => showReport(request, reply, undefined, false));
  app.get(assurancePaths.version(REPORT, ':number'), read, async (request, reply) => showReport(request, reply, numberOf(request), false));
  app.get(assurancePaths.print(REPORT, ':number'), read, async (request, reply) => showReport(request, reply, numberOf(request), true));
  app.get(assurancePaths.pdf(REPORT, ':number'), read, async (request, reply) => {
    const { bytes, fileName } = await reportPdf(await assurance.view(request.actor!, request.auditContext, reportIdOf(request), numberOf(request)));
    return reply.header('content-type', 'application/pdf').header('content-disposition', `attachment; filename="${fileName}"`).header('cache-control', 'no-store').send(bytes);
  });

  const acts: Record<Form, 'draft' | 'sign-off' | 'publish' | 'reopen'> = { commentary: 'draft', refresh: 'draft', 'sign-off': 'sign-off', publish: 'publish', reopen: 'reopen' };

  const showForm = async (form: Form, request: FastifyRequest, reply: FastifyReply, errors: SummaryError[] = [], values: Record<string, string> = {}, status = 200) => {
    const reportId = reportIdOf(request);
    const view = await assurance.check(request.actor!, request.auditContext, reportId, acts[form]);
    const { report, version } = view;
    const at = formatDateTime(version.figures.computedAt);
    const common = { caption: `${report.organisationName}: ${report.quarterName}`, backHref: assurancePaths.report(report.id), errors, version: version.version };
    const textarea = (name: string, label: string, hint: string, value: string, max: number) => ({
      kind: 'textarea',
      params: { label: { text: label, classes: 'govuk-label--s' }, hint: { text: hint }, id: name, name, value, rows: 8, errorMessage: errorMessage(errors, name), attributes: { maxlength: String(max) } },
    });
    switch (form) {
      case 'commentary': {
        const section = (request.params as { section: string }).section;
        const exceptions = version.figures.exceptions.map((e) => `exception.${e.key}`);
        if (!isSection(section) || (section.startsWith('exception.') && !exceptions.includes(section))) throw new Problem('not-found');
        const exception = present(version.figures).exceptions.find((e) => `exception.${e.key}` === section);
        return reply.code(status).render('assurance/form.njk', {
          ...common,
          pageTitle: translate('assurance.commentary.title', { section: sectionName(section) }),
          lead: exception ? [exception.detail] : [],
          fields: [textarea('text', translate('assurance.commentary.label'), translate(exception ? 'assurance.commentary.exceptionHint' : 'assurance.commentary.hint'), values.text ?? view.commentary.get(section)?.text ?? '', MAX_COMMENTARY)],
          submitText: translate('assurance.commentary.submit'),
        });
      }
      case 'refresh':
        return reply.code(status).render('assurance/form.njk', { ...common, pageTitle: translate('assurance.refresh.title'), lead: [translate('assurance.refresh.lead', { at })], fields: [], submitText: translate('assurance.refresh.submit') });
      case 'sign-off': {
        const exceptions = present(version.figures).exceptions;
        return reply.code(status).render('assurance/form.njk', {
          ...common,
          pageTitle: translate('assurance.signOff.title'),
          lead: [translate('assurance.signOff.lead', { number: version.number, at })],
          checklist: exceptions.length ? {
            heading: translate('assurance.signOff.exceptions'),
            items: exceptions.map((e) => {
              const written = view.commentary.get(`exception.${e.key}`);
              return { id: `exception-${e.key}`, title: e.title, done: Boolean(written), doneText: translate('assurance.signOff.explained'), missingText: translate('assurance.commentary.required') };
            }),
          } : null,
          fields: [],
          submitText: translate('assurance.signOff.submit'),
        });
      }
      case 'publish':
        return reply.code(status).render('assurance/form.njk', { ...common, pageTitle: translate('assurance.publish.title'), lead: [translate('assurance.publish.lead', { number: version.number })], fields: [], submitText: translate('assurance.publish.submit') });
      case 'reopen':
        return reply.code(status).render('assurance/form.njk', {
          ...common,
          pageTitle: translate('assurance.reopen.title'),
          lead: [translate('assurance.reopen.lead', { number: version.number, next: version.number + 1 })],
          fields: [textarea('reason', translate('assurance.reopen.reason'), translate('assurance.reopen.reasonHint'), values.reason ?? '', MAX_REASON)],
          submitText: translate('assurance.reopen.submit'),
        });
    }
  };

  const submit = (form: Form, request: FastifyRequest, reply: FastifyReply, values: Record<string, string>, conflictField: string, command: () => Promise<{ flash: string; to?: string }>) =>
    submitForm(auth, request, reply, {
      command: async () => {
        const done = await command();
        return { text: done.flash, to: done.to ?? assurancePaths.report(reportIdOf(request)) };
      },
      showAgain: (errors, status) => showForm(form, request, reply, errors, status === 409 ? {} : values, status),
      conflictField,
      conflictMessage: translate('assurance.error.conflict'),
    });

  const commentaryPath = assurancePaths.commentary(REPORT, ':section');
  app.get(commentaryPath, draftForm, async (request, reply) => showForm('commentary', request, reply));
  app.post(commentaryPath, draftChange, async (request, reply) => {
    const values = { text: formString(request.body, 'text', { maxLength: MAX_COMMENTARY + 1 }) };
    const section = (request.params as { section: string }).section;
    return submit('commentary', request, reply, values, 'text', async () => {
      await assurance.saveCommentary(request.actor!, request.auditContext, reportIdOf(request), section, values.text, formVersion(request.body));
      return { flash: translate('assurance.commentary.flash'), to: `${assurancePaths.report(reportIdOf(request))}#${section.startsWith('exception.') ? 'exceptions' : section}` };
    });
  });

  app.get(assurancePaths.refresh(REPORT), draftForm, async (request, reply) => showForm('refresh', request, reply));
  app.post(assurancePaths.refresh(REPORT), draftChange, async (request, reply) => submit('refresh', request, reply, {}, 'confirm', async () => {
    await assurance.refresh(request.actor!, request.auditContext, reportIdOf(request), formVersion(request.body));
    return { flash: translate('assurance.refresh.flash') };
  }));

  app.get(assurancePaths.signOff(REPORT), signForm, async (request, reply) => showForm('sign-off', request, reply));
  app.post(assurancePaths.signOff(REPORT), signChange, async (request, reply) => submit('sign-off', request, reply, {}, 'confirm', async () => {
    await assurance.signOff(request.actor!, request.auditContext, reportIdOf(request), formVersion(request.body));
    return { flash: translate('assurance.signOff.flash') };
  }));

  app.get(assurancePaths.publish(REPORT), signForm, async (request, reply) => showForm('publish', request, reply));
  app.post(assurancePaths.publish(REPORT), signChange, async (request, reply) => submit('publish', request, reply, {}, 'confirm', async () => {
    await assurance.publish(request.actor!, request.auditContext, reportIdOf(request), formVersion(request.body));
    return { flash: translate('assurance.publish.flash') };
  }));

  app.get(assurancePaths.reopen(REPORT), draftForm, async (request, reply) => showForm('reopen', request, reply));
  app.post(assurancePaths.reopen(REPORT), draftChange, async (request, reply) => {
    const values = { reason: formString(request.body, 'reason', { maxLength: MAX_REASON + 1 }) };
    return submit('reopen', request, reply, values, 'reason', async () => {
      const next = await assurance.reopen(request.actor!, request.auditContext, reportIdOf(request), values.reason, formVersion(request.body));
      return { flash: translate('assurance.reopen.flash', { number: next }) };
    });
  });
}

