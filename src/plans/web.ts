// Pages of action plans: the list of plans, a plan in its own layout (themes,
// numbered actions, latest update, complete?), an action with its history and
// evidence, the cascade of a national plan into local ones, and the forms of
// plan leads (an update, a change of status with its note, evidence, a link to
// a national action, a review). Forms post back to their own address, carry
// the version read and redirect with a flash.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { allow } from '../platform/access/policy.ts';
import type { Actor } from '../platform/access/policy.ts';
import type { AuthService } from '../platform/auth/service.ts';
import { translate } from '../platform/i18n/messages.ts';
import type { Platform } from '../platform/platform.ts';
import { formatDate, formatDateTime } from '../platform/time/working-days.ts';
import { errorMessage, formString } from '../platform/web/forms.ts';
import type { SummaryError } from '../platform/web/forms.ts';
import { submitForm } from '../platform/web/submit.ts';
import type { DateParts } from '../cases/model.ts';
import { dateItems, datePartsOf, formVersion } from '../cases/web-support.ts';
import { registerPlansApi } from './api.ts';
import { MAX_TEXT, levelName, statusName, statusesOf } from './model.ts';
import type { ActionReference, ActionSummary, LatestUpdate, PlanSummary, PlanUpdate } from './model.ts';
import { createPlansService } from './service.ts';
import type { ActionView, PlansService } from './service.ts';

export const planPaths = {
  list: '/plans',
  plan: (planId: string) => `/plans/${planId}`,
  cascade: (planId: string) => `/plans/${planId}/cascade`,
  review: (planId: string) => `/plans/${planId}/review`,
  action: (planId: string, actionId: string) => `/plans/${planId}/actions/${actionId}`,
  update: (planId: string, actionId: string) => `/plans/${planId}/actions/${actionId}/update`,
  status: (planId: string, actionId: string) => `/plans/${planId}/actions/${actionId}/status`,
  evidence: (planId: string, actionId: string) => `/plans/${planId}/actions/${actionId}/evidence`,
  link: (planId: string, actionId: string) => `/plans/${planId}/actions/${actionId}/national-action`,
};

const PLAN = ':planId';
const ACTION = ':actionId';

export function registerPlans(app: FastifyInstance, platform: Platform, auth: AuthService): void {
  const plans = createPlansService(platform);
  registerPages(app, plans, auth);
  registerPlansApi(app, plans);
}

const latestText = (latest: LatestUpdate | null) => (latest ? latest.text : translate('plans.noUpdate'));
const whenText = (on: string | null, label: string | null) => (on ? formatDate(on) : label ?? '');
const referenceText = (ref: ActionReference) => translate('plans.reference', { plan: ref.planTitle, number: ref.number });

function statusTag(status: string) {
  const colour: Record<string, string> = { yes: 'green', complete: 'green', in_progress: 'yellow', no: 'grey', red: 'red', amber: 'orange', green: 'turquoise' };
  return `<strong class="govuk-tag govuk-tag--${colour[status] ?? 'grey'}">${escapeHtml(statusName(status))}</strong>`;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

function planRows(plan: PlanSummary) {
  const row = (key: string, text: string) => ({ key: { text: translate(`plans.field.${key}`) }, value: { text } });
  return [
    row('level', levelName(plan.level)),
    row('owner', plan.ownerOrganisationName),
    row('owners', plan.owners.join(', ') || plan.ownerOrganisationName),
    row('period', plan.period),
    row('reviewCycle', translate('plans.reviewCycle', { months: plan.reviewCycleMonths })),
    row('nextReview', formatDate(plan.nextReviewOn)),
    row('lastReviewed', plan.lastReviewedOn ? formatDate(plan.lastReviewedOn) : translate('plans.notReviewed')),
    ...(plan.source ? [row('source', plan.source)] : []),
  ];
}

function historyEntry(update: PlanUpdate) {
  const by = update.recordedBy ? translate('plans.history.by', { name: update.recordedBy, at: formatDateTime(update.recordedAt) }) : null;
  let title: string;
  let text = update.text;
  switch (update.kind) {
    case 'status':
      title = translate('plans.history.status', { from: statusName(update.statusFrom ?? ''), to: statusName(update.statusTo ?? '') });
      break;
    case 'evidence':
      title = translate('plans.history.evidence');
      break;
    case 'link':
      title = translate('plans.history.link');
      text = update.link ? translate('plans.reference', { plan: update.link.planTitle, number: update.link.number }) : translate('plans.history.unlinked');
      break;
    case 'review':
      title = translate('plans.history.review');
      break;
    default:
      title = translate('plans.history.update');
  }
  return { title, when: whenText(update.on, update.label), text, by };
}

function actionRows(view: ActionView) {
  const { plan, action } = view;
  const row = (key: string, value: { text?: string; html?: string }) => ({ key: { text: translate(`plans.field.${key}`) }, value });
  return [
    row('plan', { html: `<a class="govuk-link" href="${planPaths.plan(plan.id)}">${escapeHtml(plan.title)}</a>` }),
    row('theme', { text: view.theme.title }),
    row(plan.statusScheme === 'rag' ? 'status' : 'complete', { html: statusTag(action.status) }),
    row('actionOwners', { text: action.owners.map((o) => o.label).join(', ') || plan.owners.join(', ') || plan.ownerOrganisationName }),
    row('lead', { text: action.leadName ?? translate('plans.noLead') }),
    row('target', { text: action.targetOn ? formatDate(action.targetOn) : translate('plans.noTarget') }),
    ...(plan.level === 'national' ? [] : [row('delivers', view.delivers
      ? { html: `<a class="govuk-link" href="${planPaths.action(view.delivers.planId, view.delivers.actionId)}">${escapeHtml(referenceText(view.delivers))}</a>` }
      : { text: translate('plans.notLinked') })]),
    ...(view.deliveredBy.length ? [row('deliveredBy', { html: `<ul class="govuk-list">${view.deliveredBy.map((ref) => `<li><a class="govuk-link" href="${planPaths.action(ref.planId, ref.actionId)}">${escapeHtml(referenceText(ref))}</a> (${escapeHtml(statusName(ref.status))})</li>`).join('')}</ul>` })] : []),
  ];
}

type Values = Record<string, string | DateParts | undefined>;
const str = (values: Values, name: string) => (typeof values[name] === 'string' ? (values[name] as string) : '');

type Form = 'update' | 'status' | 'evidence' | 'link' | 'review';

function registerPages(app: FastifyInstance, plans: PlansService, auth: AuthService): void {
  const read = { config: { policy: allow.signedIn, audit: 'none' as const } };
  const lead = { config: { policy: allow.withPermission('plans.manage'), audit: 'none' as const } };
  const change = { config: { policy: allow.withPermission('plans.manage'), audit: 'required' as const } };
  const ids = (request: FastifyRequest) => request.params as { planId: string; actionId?: string };

  app.get(planPaths.list, read, async (_request, reply) => {
    const list = await plans.list();
    return reply.render('plans/list.njk', {
      pageTitle: translate('plans.title'),
      head: ['plan', 'level', 'owner', 'period', 'progress', 'nextReview'].map((key) => ({ text: translate(`plans.column.${key}`) })),
      rows: list.map((plan) => [
        { html: `<a class="govuk-link" href="${planPaths.plan(plan.id)}">${escapeHtml(plan.title)}</a>` },
        { text: levelName(plan.level) },
        { text: plan.ownerOrganisationName },
        { text: plan.period },
        { text: [translate('plans.actionCount', { count: plan.actions }), ...plan.byStatus.map((s) => `${statusName(s.status)}: ${s.count}`)].join('; ') },
        { text: formatDate(plan.nextReviewOn) },
      ]),
    });
  });

  app.get(planPaths.plan(PLAN), read, async (request, reply) => {
    const view = await plans.plan(request.actor!, ids(request).planId);
    const { plan } = view;
    const statusHeading = translate(plan.statusScheme === 'rag' ? 'plans.column.status' : 'plans.column.complete');
    return reply.render('plans/plan.njk', {
      pageTitle: plan.title,
      backHref: planPaths.list,
      rows: planRows(plan),
      reviewHref: view.mayChange ? planPaths.review(plan.id) : null,
      cascadeHref: plan.level === 'national' ? planPaths.cascade(plan.id) : null,
      head: [{ text: translate('plans.column.number') }, { text: translate('plans.column.action') }, { text: translate('plans.column.latest') }, { text: statusHeading }],
      themes: view.themes.map((theme) => ({
        title: theme.title,
        description: theme.description,
        rows: theme.actions.map((action: ActionSummary) => [
          { text: String(action.number) },
          { html: `<a class="govuk-link" href="${planPaths.action(plan.id, action.id)}">${escapeHtml(action.text)}</a>` },
          { text: latestText(action.latestUpdate) },
          { html: statusTag(action.status) },
        ]),
      })),
      reviews: view.reviews.map(historyEntry),
    });
  });

  app.get(planPaths.cascade(PLAN), read, async (request, reply) => {
    const { plan, rows } = await plans.cascade(ids(request).planId);
    return reply.render('plans/cascade.njk', {
      pageTitle: translate('plans.cascade.title'),
      planTitle: plan.title,
      backHref: planPaths.plan(plan.id),
      linkedAny: rows.some((row) => row.linked.length > 0),
      head: ['number', 'action', 'linked', 'byStatus', 'delivered'].map((key) => ({ text: translate(`plans.cascade.column.${key}`) })),
      rows: rows.map((row) => [
        { text: String(row.action.number) },
        { html: `<a class="govuk-link" href="${planPaths.action(plan.id, row.action.id)}">${escapeHtml(row.action.text)}</a>` + (row.linked.length
          ? `<ul class="govuk-list govuk-body-s">${row.linked.map((ref) => `<li><a class="govuk-link" href="${planPaths.action(ref.planId, ref.actionId)}">${escapeHtml(referenceText(ref))}</a></li>`).join('')}</ul>` : '') },
        { text: String(row.linked.length) },
        { text: row.byStatus.map((s) => `${statusName(s.status)}: ${s.count}`).join('; ') || translate('plans.cascade.none') },
        { text: String(row.delivered) },
      ]),
    });
  });

  app.get(planPaths.action(PLAN, ACTION), read, async (request, reply) => {
    const { planId, actionId } = ids(request);
    const view = await plans.action(request.actor!, planId, actionId!);
    const { plan, action } = view;
    const actions = view.mayChange ? [
      { text: translate('plans.update.title'), href: planPaths.update(plan.id, action.id) },
      { text: translate('plans.status.title'), href: planPaths.status(plan.id, action.id) },
      { text: translate('plans.evidence.title'), href: planPaths.evidence(plan.id, action.id) },
      ...(plan.level === 'national' ? [] : [{ text: translate('plans.link.title'), href: planPaths.link(plan.id, action.id) }]),
    ] : [];
    return reply.render('plans/action.njk', {
      pageTitle: translate('plans.action.title', { number: action.number }),
      caption: plan.title,
      backHref: planPaths.plan(plan.id),
      text: action.text,
      rows: actionRows(view),
      actions,
      evidence: view.evidence.map((e) => ({ title: e.title, url: e.url, by: e.addedBy ? translate('plans.history.by', { name: e.addedBy, at: formatDateTime(e.addedAt) }) : null })),
      history: view.updates.map(historyEntry),
    });
  });

  const fieldsFor = async (form: Form, actor: Actor, planId: string, actionId: string | undefined, values: Values, errors: SummaryError[]) => {
    const textarea = (label: string, hint?: string) => ({
      kind: 'textarea', params: { label: { text: label, classes: 'govuk-label--s' }, ...(hint ? { hint: { text: hint } } : {}), id: 'text', name: 'text', value: str(values, 'text'), errorMessage: errorMessage(errors, 'text') },
    });
    if (form === 'review') {
      const view = await plans.plan(actor, planId);
      const parts = (values.reviewedOn ?? {}) as Partial<DateParts>;
      const dateError = errors.find((e) => e.field.startsWith('reviewedOn-'));
      return {
        caption: view.plan.title,
        version: view.plan.version,
        lead: [translate('plans.review.lead', { months: view.plan.reviewCycleMonths, date: formatDate(view.plan.nextReviewOn) })],
        backHref: planPaths.plan(planId),
        fields: [
          { kind: 'date', params: { id: 'reviewedOn', fieldset: { legend: { text: translate('plans.review.reviewedOn'), classes: 'govuk-fieldset__legend--s' } }, hint: { text: translate('plans.review.reviewedOnHint') }, items: dateItems('reviewedOn', parts, errors), errorMessage: dateError ? { text: dateError.text } : undefined } },
          textarea(translate('plans.review.text')),
        ],
      };
    }
    const view = await plans.action(actor, planId, actionId!);
    const { plan, action } = view;
    const common = {
      caption: translate('plans.formCaption', { plan: plan.title, number: action.number }),
      version: action.version,
      lead: [action.text],
      backHref: planPaths.action(plan.id, action.id),
    };
    switch (form) {
      case 'update':
        return { ...common, fields: [textarea(translate('plans.update.text'), translate('plans.update.hint'))] };
      case 'status':
        return {
          ...common,
          fields: [
            {
              kind: 'radios',
              params: {
                fieldset: { legend: { text: translate('plans.status.legend'), classes: 'govuk-fieldset__legend--s' } }, idPrefix: 'status', name: 'status',
                hint: { text: translate('plans.status.current', { status: statusName(action.status) }) },
                items: statusesOf(plan.statusScheme).map((status) => ({ value: status, text: statusName(status), checked: (str(values, 'status') || action.status) === status })),
                errorMessage: errorMessage(errors, 'status'),
              },
            },
            textarea(translate('plans.status.note'), translate('plans.status.noteHint')),
          ],
        };
      case 'evidence':
        return {
          ...common,
          fields: [
            { kind: 'input', params: { label: { text: translate('plans.evidence.titleLabel'), classes: 'govuk-label--s' }, id: 'title', name: 'title', value: str(values, 'title'), errorMessage: errorMessage(errors, 'title') } },
            { kind: 'input', params: { label: { text: translate('plans.evidence.url'), classes: 'govuk-label--s' }, hint: { text: translate('plans.evidence.urlHint') }, id: 'url', name: 'url', type: 'url', spellcheck: false, autocomplete: 'off', value: str(values, 'url'), errorMessage: errorMessage(errors, 'url') } },
          ],
        };
      default: {
        const choices = await plans.nationalActions(plan.id);
        const chosen = values.nationalActionId === undefined ? action.deliversActionId ?? '' : str(values, 'nationalActionId');
        return {
          ...common,
          fields: [{
            kind: 'select',
            params: {
              label: { text: translate('plans.link.label'), classes: 'govuk-label--s' }, hint: { text: translate('plans.link.hint') }, id: 'nationalActionId', name: 'nationalActionId',
              items: [{ value: '', text: translate('plans.link.none'), selected: chosen === '' }, ...choices.map((ref) => ({ value: ref.actionId, text: `${referenceText(ref)}: ${ref.text.length > 90 ? `${ref.text.slice(0, 89)}…` : ref.text}`, selected: chosen === ref.actionId }))],
              errorMessage: errorMessage(errors, 'nationalActionId'),
            },
          }],
        };
      }
    }
  };

  const show = async (form: Form, request: FastifyRequest, reply: FastifyReply, errors: SummaryError[] = [], values: Values = {}, status = 200) => {
    const { planId, actionId } = ids(request);
    await plans.check(request.actor!, request.auditContext, planId, actionId);
    return reply.code(status).render('plans/form.njk', {
      pageTitle: translate(`plans.${form}.title`),
      errors,
      submitText: translate(`plans.${form}.submit`),
      ...(await fieldsFor(form, request.actor!, planId, actionId, values, errors)),
    });
  };

  const submit = (form: Form, request: FastifyRequest, reply: FastifyReply, values: Values, conflictField: string, command: () => Promise<unknown>) =>
    submitForm(auth, request, reply, {
      command: async () => {
        await command();
        const { planId, actionId } = ids(request);
        return { text: translate(`plans.${form}.flash`), to: actionId ? planPaths.action(planId, actionId) : planPaths.plan(planId) };
      },
      showAgain: (errors, status) => show(form, request, reply, errors, status === 409 ? {} : values, status),
      conflictField,
      conflictMessage: translate('plans.error.conflict'),
    });

  for (const form of ['update', 'status', 'evidence', 'link'] as const) {
    const path = planPaths[form](PLAN, ACTION);
    app.get(path, lead, async (request, reply) => show(form, request, reply));
    app.post(path, change, async (request, reply) => {
      const body = request.body;
      const { planId, actionId } = ids(request);
      const actor = request.actor!;
      const context = request.auditContext;
      const version = formVersion(body);
      const text = (name: string) => formString(body, name, { maxLength: MAX_TEXT + 1 });
      switch (form) {
        case 'update': {
          const values = { text: text('text') };
          return submit(form, request, reply, values, 'text', () => plans.recordUpdate(actor, context, planId, actionId!, { text: values.text, status: '' }, version));
        }
        case 'status': {
          const values = { status: formString(body, 'status', { maxLength: 50 }), text: text('text') };
          return submit(form, request, reply, values, 'status', () => plans.recordUpdate(actor, context, planId, actionId!, values, version));
        }
        case 'evidence': {
          const values = { title: text('title'), url: text('url') };
          return submit(form, request, reply, values, 'title', () => plans.addEvidence(actor, context, planId, actionId!, values, version));
        }
        default: {
          const values = { nationalActionId: formString(body, 'nationalActionId', { maxLength: 60 }) };
          return submit(form, request, reply, values, 'nationalActionId', () => plans.linkNational(actor, context, planId, actionId!, values.nationalActionId, version));
        }
      }
    });
  }

  app.get(planPaths.review(PLAN), lead, async (request, reply) => show('review', request, reply));
  app.post(planPaths.review(PLAN), change, async (request, reply) => {
    const body = request.body;
    const values = { reviewedOn: datePartsOf(body, 'reviewedOn'), text: formString(body, 'text', { maxLength: MAX_TEXT + 1 }) };
    return submit('review', request, reply, values, 'reviewedOn-day', () => plans.recordReview(request.actor!, request.auditContext, ids(request).planId, values, formVersion(body)));
  });
}
