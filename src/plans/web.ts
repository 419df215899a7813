// Pages of action plans: the list of plans, a plan in its own layout (themes,
// numbered actions, latest update, complete?), an action with its history and
// evidence, the cascade of a national plan into local ones, and the forms of
// plan leads: keeping a plan (an update, a change of status with its note,
// evidence, a link to a national action, a review) and making one (a new plan,
// its details, its themes and their order, adding an action, changing it,
// withdrawing it). Forms post back to their own address, carry the version
// read and redirect with a flash.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { allow } from '../platform/access/policy.ts';
import type { Actor } from '../platform/access/policy.ts';
import type { AuthService } from '../platform/auth/service.ts';
import { translate } from '../platform/i18n/messages.ts';
import type { Platform } from '../platform/platform.ts';
import { formatDate, formatDateTime } from '../platform/time/working-days.ts';
import { Problem } from '../platform/web/errors.ts';
import { errorMessage, formString } from '../platform/web/forms.ts';
import type { SummaryError } from '../platform/web/forms.ts';
import { submitForm } from '../platform/web/submit.ts';
import type { DateParts } from '../cases/model.ts';
import { dateItems, datePartsOf, formVersion } from '../cases/web-support.ts';
import { registerPlansApi } from './api.ts';
import { MAX_DESCRIPTION, MAX_OWNER, MAX_OWNERS, MAX_TEXT, MAX_TITLE, levelName, ownerLabels, statusName, statusSchemes, statusesOf } from './model.ts';
import type { ActionReference, ActionSummary, Change, LatestUpdate, PlanSummary, PlanUpdate } from './model.ts';
import { createPlansService } from './service.ts';
import type { ActionView, PlansService } from './service.ts';

export const planPaths = {
  list: '/plans',
  create: '/plans/new',
  plan: (planId: string) => `/plans/${planId}`,
  details: (planId: string) => `/plans/${planId}/details`,
  themes: (planId: string) => `/plans/${planId}/themes`,
  newTheme: (planId: string) => `/plans/${planId}/themes/new`,
  theme: (planId: string, themeId: string) => `/plans/${planId}/themes/${themeId}`,
  moveTheme: (planId: string, themeId: string) => `/plans/${planId}/themes/${themeId}/move`,
  newAction: (planId: string) => `/plans/${planId}/actions/new`,
  editAction: (planId: string, actionId: string) => `/plans/${planId}/actions/${actionId}/edit`,
  withdraw: (planId: string, actionId: string) => `/plans/${planId}/actions/${actionId}/withdraw`,
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
const THEME = ':themeId';

export function registerPlans(app: FastifyInstance, platform: Platform, auth: AuthService): void {
  const plans = createPlansService(platform);
  registerPages(app, plans, auth);
  registerMakingPages(app, plans, auth);
  registerPlansApi(app, plans);
}

const latestText = (latest: LatestUpdate | null) => (latest ? latest.text : translate('plans.noUpdate'));
const whenText = (on: string | null, label: string | null) => (on ? formatDate(on) : label ?? '');
const referenceText = (ref: ActionReference) => translate('plans.reference', { plan: ref.planTitle, number: ref.number });

function statusTag(status: string, withdrawn = false) {
  if (withdrawn) return `<strong class="govuk-tag govuk-tag--grey">${escapeHtml(translate('plans.withdrawn'))}</strong>`;
  const colour: Record<string, string> = { yes: 'green', complete: 'green', in_progress: 'yellow', no: 'grey', red: 'red', amber: 'orange', green: 'turquoise' };
  return `<strong class="govuk-tag govuk-tag--${colour[status] ?? 'grey'}">${escapeHtml(statusName(status))}</strong>`;
}

const schemeName = (scheme: string) => (Object.hasOwn(statusSchemes, scheme) ? translate(`plans.scheme.${scheme}`) : scheme);

/** A changed field's value as a person reads it. */
function changeValue(field: Change['field'], value: string | null): string {
  if (value === null || value === '') return translate('plans.history.nothing');
  switch (field) {
    case 'nextReviewOn':
    case 'targetOn':
      return formatDate(value);
    case 'reviewCycleMonths':
      return translate('plans.reviewCycle', { months: value });
    case 'statusScheme':
      return schemeName(value);
    default:
      return value;
  }
}

const changeLines = (changes: readonly Change[]) =>
  changes.map((c) => translate('plans.history.change', { field: translate(`plans.change.${c.field}`), to: changeValue(c.field, c.to), from: changeValue(c.field, c.from) }));

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
  let lines = changeLines(update.changes);
  switch (update.kind) {
    case 'plan-created':
      title = translate('plans.history.planCreated');
      break;
    case 'plan-edited':
      title = translate('plans.history.planEdited');
      break;
    case 'theme-added':
      title = translate('plans.history.themeAdded', { title: update.themeTitle ?? '' });
      break;
    case 'theme-edited':
      title = translate('plans.history.themeEdited', { title: update.themeTitle ?? '' });
      break;
    case 'theme-moved':
      title = translate('plans.history.themeMoved', { title: update.themeTitle ?? '' });
      break;
    case 'action-added':
      title = translate('plans.history.actionAdded', { number: update.actionNumber ?? '' });
      lines = [translate('plans.history.actionAddedIn', { theme: update.themeTitle ?? '', status: statusName(update.statusTo ?? '') })];
      break;
    case 'action-edited':
      title = translate('plans.history.actionEdited');
      break;
    case 'action-withdrawn':
      title = translate('plans.history.actionWithdrawn', { number: update.actionNumber ?? '' });
      break;
    case 'published':
      title = translate('plans.history.published');
      break;
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
  return { title, when: whenText(update.on, update.label), text, lines, by };
}

function actionRows(view: ActionView) {
  const { plan, action } = view;
  const row = (key: string, value: { text?: string; html?: string }) => ({ key: { text: translate(`plans.field.${key}`) }, value });
  return [
    row('plan', { html: `<a class="govuk-link" href="${planPaths.plan(plan.id)}">${escapeHtml(plan.title)}</a>` }),
    row('theme', { text: view.theme.title }),
    row(plan.statusScheme === 'rag' ? 'status' : 'complete', { html: statusTag(action.status, action.withdrawnOn !== null) }),
    ...(action.withdrawnOn ? [row('statusWhenWithdrawn', { text: statusName(action.status) })] : []),
    row('actionOwners', { text: action.owners.map((o) => o.label).join(', ') || plan.owners.join(', ') || plan.ownerOrganisationName }),
    row('lead', { text: action.leadName ?? translate('plans.noLead') }),
    row('target', { text: action.targetOn ? formatDate(action.targetOn) : translate('plans.noTarget') }),
    ...(plan.level === 'national' ? [] : [row('delivers', view.delivers
      ? { html: `<a class="govuk-link" href="${planPaths.action(view.delivers.planId, view.delivers.actionId)}">${escapeHtml(referenceText(view.delivers))}</a>` }
      : { text: translate('plans.notLinked') })]),
    ...(view.deliveredBy.length ? [row('deliveredBy', { html: `<ul class="govuk-list">${view.deliveredBy.map((ref) => `<li><a class="govuk-link" href="${planPaths.action(ref.planId, ref.actionId)}">${escapeHtml(referenceText(ref))}</a> (${escapeHtml(ref.withdrawn ? translate('plans.withdrawn') : statusName(ref.status))})</li>`).join('')}</ul>` })] : []),
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

  app.get(planPaths.list, read, async (request, reply) => {
    const list = await plans.list();
    return reply.render('plans/list.njk', {
      pageTitle: translate('plans.title'),
      createHref: plans.mayCreate(request.actor!) ? planPaths.create : null,
      head: ['plan', 'level', 'owner', 'period', 'progress', 'nextReview'].map((key) => ({ text: translate(`plans.column.${key}`) })),
      rows: list.map((plan) => [
        { html: `<a class="govuk-link" href="${planPaths.plan(plan.id)}">${escapeHtml(plan.title)}</a>` },
        { text: levelName(plan.level) },
        { text: plan.ownerOrganisationName },
        { text: plan.period },
        { text: [translate('plans.actionCount', { count: plan.actions }), ...plan.byStatus.map((s) => `${statusName(s.status)}: ${s.count}`), ...(plan.withdrawn ? [translate('plans.withdrawnCount', { count: plan.withdrawn })] : [])].join('; ') },
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
      planId: plan.id,
      backHref: planPaths.list,
      rows: planRows(plan),
      reviewHref: view.mayChange ? planPaths.review(plan.id) : null,
      manage: view.mayChange ? [
        { text: translate('plans.addAction.button'), href: planPaths.newAction(plan.id) },
        { text: translate('plans.manage.button'), href: planPaths.themes(plan.id) },
        { text: translate('plans.details.title'), href: planPaths.details(plan.id) },
      ] : [],
      cascadeHref: plan.level === 'national' ? planPaths.cascade(plan.id) : null,
      head: [{ text: translate('plans.column.number') }, { text: translate('plans.column.action') }, { text: translate('plans.column.latest') }, { text: statusHeading }],
      themes: view.themes.map((theme) => ({
        title: theme.title,
        description: theme.description,
        rows: theme.actions.map((action: ActionSummary) => [
          { text: String(action.number) },
          { html: `<a class="govuk-link" href="${planPaths.action(plan.id, action.id)}">${escapeHtml(action.text)}</a>` },
          { text: action.withdrawnOn ? `${translate('plans.withdrawnOn', { date: formatDate(action.withdrawnOn) })}: ${latestText(action.latestUpdate)}` : latestText(action.latestUpdate) },
          { html: statusTag(action.status, action.withdrawnOn !== null) },
        ]),
      })),
      history: view.history.map(historyEntry),
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
        { html: `<a class="govuk-link" href="${planPaths.action(plan.id, row.action.id)}">${escapeHtml(row.action.text)}</a>` + (row.action.withdrawnOn ? ` ${statusTag(row.action.status, true)}` : '') + (row.linked.length
          ? `<ul class="govuk-list govuk-body-s">${row.linked.map((ref) => `<li><a class="govuk-link" href="${planPaths.action(ref.planId, ref.actionId)}">${escapeHtml(referenceText(ref))}</a>${ref.withdrawn ? ` ${escapeHtml(translate('plans.cascade.withdrawnMark'))}` : ''}</li>`).join('')}</ul>` : '') },
        { text: String(row.linked.length - row.withdrawn) },
        { text: [...row.byStatus.map((s) => `${statusName(s.status)}: ${s.count}`), ...(row.withdrawn ? [translate('plans.cascade.withdrawnNotCounted', { count: row.withdrawn })] : [])].join('; ') || translate('plans.cascade.none') },
        { text: String(row.delivered) },
      ]),
    });
  });

  app.get(planPaths.action(PLAN, ACTION), read, async (request, reply) => {
    const { planId, actionId } = ids(request);
    const view = await plans.action(request.actor!, planId, actionId!);
    const { plan, action } = view;
    const actions = view.mayChange && !action.withdrawnOn ? [
      { text: translate('plans.update.title'), href: planPaths.update(plan.id, action.id) },
      { text: translate('plans.status.title'), href: planPaths.status(plan.id, action.id) },
      { text: translate('plans.evidence.title'), href: planPaths.evidence(plan.id, action.id) },
      ...(plan.level === 'national' ? [] : [{ text: translate('plans.link.title'), href: planPaths.link(plan.id, action.id) }]),
      { text: translate('plans.action.edit'), href: planPaths.editAction(plan.id, action.id) },
    ] : [];
    const withdrawal = action.withdrawnOn ? view.updates.find((u) => u.kind === 'action-withdrawn') : undefined;
    return reply.render('plans/action.njk', {
      pageTitle: translate('plans.action.title', { number: action.number }),
      caption: plan.title,
      backHref: planPaths.plan(plan.id),
      text: action.text,
      rows: actionRows(view),
      actions,
      withdrawHref: view.mayChange && !action.withdrawnOn ? planPaths.withdraw(plan.id, action.id) : null,
      withdrawn: action.withdrawnOn ? translate('plans.withdrawnBanner', { date: formatDate(action.withdrawnOn), reason: withdrawal?.text ?? '' }) : null,
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
    app.get(path, lead, async (request, reply) => {
      const { planId, actionId } = ids(request);
      await plans.check(request.actor!, request.auditContext, planId, actionId);
      // A withdrawn action takes no more changes: its page says so.
      if ((await plans.action(request.actor!, planId, actionId!)).action.withdrawnOn) return reply.redirect(planPaths.action(planId, actionId!), 303);
      return show(form, request, reply);
    });
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

/** A form's page: its fields are GOV.UK macros' parameters, built here so the template only calls them. */
interface FormPage {
  readonly pageTitle: string;
  readonly caption: string;
  readonly backHref: string;
  readonly version: number | null;
  readonly lead?: readonly string[];
  readonly warning?: string;
  readonly fields: readonly { kind: string; params: Record<string, unknown> }[];
  readonly submitText: string;
  readonly submitClasses?: string;
  /** Instead of a form: where to go first (adding an action to a plan with no themes). */
  readonly next?: { readonly text: string; readonly href: string };
}

/** The fields of the plan leads' making forms, each one GOV.UK component. */
const field = {
  input: (name: string, label: string, values: Values, errors: SummaryError[], extra: Record<string, unknown> = {}) => ({
    kind: 'input', params: { label: { text: label, classes: 'govuk-label--s' }, id: name, name, value: str(values, name), errorMessage: errorMessage(errors, name), ...extra },
  }),
  textarea: (name: string, label: string, values: Values, errors: SummaryError[], extra: Record<string, unknown> = {}) => ({
    kind: 'textarea', params: { label: { text: label, classes: 'govuk-label--s' }, id: name, name, value: str(values, name), errorMessage: errorMessage(errors, name), ...extra },
  }),
  /** A textarea that says how much may be written (and counts down, with JavaScript). */
  counted: (name: string, label: string, maxlength: number, values: Values, errors: SummaryError[], extra: Record<string, unknown> = {}) => ({
    kind: 'characterCount', params: { label: { text: label, classes: 'govuk-label--s' }, id: name, name, maxlength, value: str(values, name), errorMessage: errorMessage(errors, name), ...extra },
  }),
  radios: (name: string, legend: string, items: readonly { value: string; text: string; hint?: string }[], chosen: string, errors: SummaryError[], extra: Record<string, unknown> = {}) => ({
    kind: 'radios',
    params: {
      fieldset: { legend: { text: legend, classes: 'govuk-fieldset__legend--s' } }, idPrefix: name, name,
      items: items.map((item) => ({ value: item.value, text: item.text, ...(item.hint ? { hint: { text: item.hint } } : {}), checked: chosen === item.value })),
      errorMessage: errorMessage(errors, name), ...extra,
    },
  }),
  date: (name: string, legend: string, hint: string, values: Values, errors: SummaryError[]) => {
    const dateError = errors.find((e) => e.field.startsWith(`${name}-`));
    return {
      kind: 'date',
      params: {
        id: name, fieldset: { legend: { text: legend, classes: 'govuk-fieldset__legend--s' } }, hint: { text: hint },
        items: dateItems(name, (values[name] ?? {}) as Partial<DateParts>, errors), errorMessage: dateError ? { text: dateError.text } : undefined,
      },
    };
  },
};

/** A plain date as the date input's three boxes. */
const partsOf = (date: string | null): DateParts => {
  const [year = '', month = '', day = ''] = (date ?? '').split('-');
  return { day: day.replace(/^0/, ''), month: month.replace(/^0/, ''), year };
};

/**
 * The pages that make a plan and keep its shape: a new plan, its details,
 * its themes (added, changed, moved up or down) and its actions (added,
 * changed, withdrawn with a reason). Each is a plain form: no JavaScript.
 */
function registerMakingPages(app: FastifyInstance, plans: PlansService, auth: AuthService): void {
  const lead = { config: { policy: allow.withPermission('plans.manage'), audit: 'none' as const } };
  const change = { config: { policy: allow.withPermission('plans.manage'), audit: 'required' as const } };
  const ids = (request: FastifyRequest) => request.params as { planId: string; actionId?: string; themeId?: string };

  const render = (reply: FastifyReply, status: number, errors: SummaryError[], page: FormPage) => reply.code(status).render('plans/form.njk', { ...page, errors });

  /** Post/redirect/get with the plans' conflict message; `show` draws the form again with what was sent. */
  const submit = (request: FastifyRequest, reply: FastifyReply, conflictField: string, command: () => Promise<{ text: string; to: string }>, show: (errors: SummaryError[], status: number) => Promise<FastifyReply>) =>
    submitForm(auth, request, reply, { command, showAgain: show, conflictField, conflictMessage: translate('plans.error.conflict') });

  // A new plan, owned by the organisation the lead acts for.
  const planFields = (values: Values, errors: SummaryError[], schemeFixed: string | null, reviewLegend: string) => [
    field.input('title', translate('plans.details.titleLabel'), values, errors, { hint: { text: translate('plans.details.titleHint') } }),
    field.input('period', translate('plans.details.period'), values, errors, { hint: { text: translate('plans.details.periodHint') }, classes: 'govuk-input--width-10' }),
    field.textarea('owners', translate('plans.details.owners'), values, errors, { hint: { text: translate('plans.details.ownersHint') }, rows: 3, spellcheck: false }),
    ...(schemeFixed === null
      ? [field.radios('statusScheme', translate('plans.details.scheme'), Object.keys(statusSchemes).map((scheme) => ({ value: scheme, text: schemeName(scheme), hint: translate(`plans.scheme.${scheme}.hint`) })), str(values, 'statusScheme'), errors)]
      : [{ kind: 'hidden', params: { name: 'statusScheme', value: schemeFixed } }, { kind: 'inset', params: { text: translate('plans.details.schemeFixed', { scheme: schemeName(schemeFixed) }) } }]),
    field.input('reviewCycleMonths', translate('plans.details.reviewCycle'), values, errors, {
      hint: { text: translate('plans.details.reviewCycleHint') }, classes: 'govuk-input--width-2', inputmode: 'numeric', suffix: { text: translate('plans.details.months') },
    }),
    field.date('nextReviewOn', reviewLegend, translate('plans.details.nextReviewHint'), values, errors),
  ];
  const planValues = (body: unknown): Values => ({
    level: formString(body, 'level', { maxLength: 20 }),
    title: formString(body, 'title', { maxLength: MAX_TITLE + 1 }),
    period: formString(body, 'period', { maxLength: 200 }),
    owners: formString(body, 'owners', { maxLength: (MAX_OWNER + 2) * (MAX_OWNERS + 1) }),
    statusScheme: formString(body, 'statusScheme', { maxLength: 40 }),
    reviewCycleMonths: formString(body, 'reviewCycleMonths', { maxLength: 10 }),
    nextReviewOn: datePartsOf(body, 'nextReviewOn'),
  });
  const planInput = (values: Values) => ({
    title: str(values, 'title'), period: str(values, 'period'), owners: ownerLabels(str(values, 'owners')), statusScheme: str(values, 'statusScheme'),
    reviewCycleMonths: str(values, 'reviewCycleMonths'), nextReviewOn: values.nextReviewOn as DateParts,
  });

  const showCreate = (request: FastifyRequest, reply: FastifyReply, errors: SummaryError[] = [], values: Values = { reviewCycleMonths: '6' }, status = 200) => {
    const actor = request.actor!;
    const levels = plans.levelsFor(actor);
    const level = levels.length === 1
      ? [{ kind: 'hidden', params: { name: 'level', value: levels[0]! } }]
      : [field.radios('level', translate('plans.create.levelLegend'), levels.map((l) => ({ value: l, text: levelName(l), hint: translate(`plans.create.levelHint.${l}`) })), str(values, 'level'), errors)];
    return render(reply, status, errors, {
      pageTitle: translate('plans.create.title'),
      caption: actor.organisation.organisationName,
      backHref: planPaths.list,
      version: null,
      lead: [translate('plans.create.lead', { organisation: actor.organisation.organisationName }), ...(levels.length === 1 ? [translate('plans.create.levelFixed', { level: levelName(levels[0]!).toLowerCase() })] : [])],
      fields: [...level, ...planFields(values, errors, null, translate('plans.details.firstReview'))],
      submitText: translate('plans.create.submit'),
    });
  };
  app.get(planPaths.create, lead, async (request, reply) => showCreate(request, reply));
  app.post(planPaths.create, change, async (request, reply) => {
    const values = planValues(request.body);
    return submit(request, reply, 'title', async () => {
      const planId = await plans.createPlan(request.actor!, request.auditContext, { ...planInput(values), level: str(values, 'level') });
      return { text: translate('plans.create.flash'), to: planPaths.plan(planId) };
    }, (errors, status) => showCreate(request, reply, errors, values, status));
  });

  // The plan's details.
  const showDetails = async (request: FastifyRequest, reply: FastifyReply, errors: SummaryError[] = [], sent?: Values, status = 200) => {
    const { planId } = ids(request);
    await plans.check(request.actor!, request.auditContext, planId);
    const view = await plans.plan(request.actor!, planId);
    const { plan } = view;
    const hasActions = view.themes.some((theme) => theme.actions.length > 0);
    const values = sent ?? {
      title: plan.title, period: plan.period, owners: plan.owners.join('\n'), statusScheme: plan.statusScheme,
      reviewCycleMonths: String(plan.reviewCycleMonths), nextReviewOn: partsOf(plan.nextReviewOn),
    };
    return render(reply, status, errors, {
      pageTitle: translate('plans.details.title'),
      caption: plan.title,
      backHref: planPaths.plan(plan.id),
      version: plan.version,
      fields: planFields(values, errors, hasActions ? plan.statusScheme : null, translate('plans.details.nextReview')),
      submitText: translate('plans.details.submit'),
    });
  };
  app.get(planPaths.details(PLAN), lead, async (request, reply) => showDetails(request, reply));
  app.post(planPaths.details(PLAN), change, async (request, reply) => {
    const { planId } = ids(request);
    const values = planValues(request.body);
    return submit(request, reply, 'title', async () => {
      await plans.editPlan(request.actor!, request.auditContext, planId, planInput(values), formVersion(request.body));
      return { text: translate('plans.details.flash'), to: planPaths.plan(planId) };
    }, (errors, status) => showDetails(request, reply, errors, status === 409 ? undefined : values, status));
  });

  // The themes: their order, each one's title and description.
  const showThemes = async (request: FastifyRequest, reply: FastifyReply, errors: SummaryError[] = [], status = 200) => {
    const { planId } = ids(request);
    await plans.check(request.actor!, request.auditContext, planId);
    const view = await plans.plan(request.actor!, planId);
    const { plan } = view;
    return reply.code(status).render('plans/themes.njk', {
      pageTitle: translate('plans.themes.title'),
      caption: plan.title,
      backHref: planPaths.plan(plan.id),
      errors,
      version: plan.version,
      addHref: planPaths.newTheme(plan.id),
      themes: view.themes.map((theme, i) => ({
        id: theme.id,
        position: i + 1,
        title: theme.title,
        description: theme.description,
        actions: theme.actions.length,
        changeHref: planPaths.theme(plan.id, theme.id),
        moveAction: planPaths.moveTheme(plan.id, theme.id),
        up: i > 0 ? i : null,
        down: i < view.themes.length - 1 ? i + 2 : null,
      })),
    });
  };
  app.get(planPaths.themes(PLAN), lead, async (request, reply) => showThemes(request, reply));
  app.post(planPaths.moveTheme(PLAN, THEME), change, async (request, reply) => {
    const { planId, themeId } = ids(request);
    const position = formString(request.body, 'position', { maxLength: 4 });
    return submit(request, reply, 'themes', async () => {
      await plans.moveTheme(request.actor!, request.auditContext, planId, themeId!, /^\d{1,3}$/.test(position) ? Number(position) : 0, formVersion(request.body));
      return { text: translate('plans.themes.moveFlash'), to: planPaths.themes(planId) };
    }, (errors, status) => showThemes(request, reply, errors.map((e) => ({ ...e, href: '#themes', field: 'themes' })), status));
  });

  const themeFields = (values: Values, errors: SummaryError[]) => [
    field.input('title', translate('plans.theme.titleLabel'), values, errors, { hint: { text: translate('plans.theme.titleHint') } }),
    field.counted('description', translate('plans.theme.description'), MAX_DESCRIPTION, values, errors, { hint: { text: translate('plans.theme.descriptionHint') }, rows: 3 }),
  ];
  const themeValues = (body: unknown): Values => ({ title: formString(body, 'title', { maxLength: MAX_TITLE + 1 }), description: formString(body, 'description', { maxLength: MAX_DESCRIPTION + 1 }) });
  const themeInput = (values: Values) => ({ title: str(values, 'title'), description: str(values, 'description') });

  const showNewTheme = async (request: FastifyRequest, reply: FastifyReply, errors: SummaryError[] = [], values: Values = {}, status = 200) => {
    const { planId } = ids(request);
    await plans.check(request.actor!, request.auditContext, planId);
    const { plan } = await plans.plan(request.actor!, planId);
    return render(reply, status, errors, {
      pageTitle: translate('plans.theme.new'), caption: plan.title, backHref: planPaths.themes(plan.id), version: plan.version,
      fields: themeFields(values, errors), submitText: translate('plans.theme.newSubmit'),
    });
  };
  app.get(planPaths.newTheme(PLAN), lead, async (request, reply) => showNewTheme(request, reply));
  app.post(planPaths.newTheme(PLAN), change, async (request, reply) => {
    const { planId } = ids(request);
    const values = themeValues(request.body);
    return submit(request, reply, 'title', async () => {
      await plans.addTheme(request.actor!, request.auditContext, planId, themeInput(values), formVersion(request.body));
      return { text: translate('plans.theme.newFlash'), to: planPaths.themes(planId) };
    }, (errors, status) => showNewTheme(request, reply, errors, values, status));
  });

  const showTheme = async (request: FastifyRequest, reply: FastifyReply, errors: SummaryError[] = [], sent?: Values, status = 200) => {
    const { planId, themeId } = ids(request);
    await plans.check(request.actor!, request.auditContext, planId);
    const view = await plans.plan(request.actor!, planId);
    const theme = view.themes.find((t) => t.id === themeId);
    if (!theme) throw new Problem('not-found');
    return render(reply, status, errors, {
      pageTitle: translate('plans.theme.edit'), caption: view.plan.title, backHref: planPaths.themes(view.plan.id), version: view.plan.version,
      fields: themeFields(sent ?? { title: theme.title, description: theme.description ?? '' }, errors), submitText: translate('plans.theme.editSubmit'),
    });
  };
  app.get(planPaths.theme(PLAN, THEME), lead, async (request, reply) => showTheme(request, reply));
  app.post(planPaths.theme(PLAN, THEME), change, async (request, reply) => {
    const { planId, themeId } = ids(request);
    const values = themeValues(request.body);
    return submit(request, reply, 'title', async () => {
      await plans.editTheme(request.actor!, request.auditContext, planId, themeId!, themeInput(values), formVersion(request.body));
      return { text: translate('plans.theme.editFlash'), to: planPaths.themes(planId) };
    }, (errors, status) => showTheme(request, reply, errors, status === 409 ? undefined : values, status));
  });

  // Actions: added to a theme, changed, withdrawn.
  const actionValues = (body: unknown, adding: boolean): Values => ({
    themeId: formString(body, 'themeId', { maxLength: 60 }),
    text: formString(body, 'text', { maxLength: MAX_TEXT + 1 }),
    owners: formString(body, 'owners', { maxLength: (MAX_OWNER + 2) * (MAX_OWNERS + 1) }),
    leadUserId: formString(body, 'leadUserId', { maxLength: 60 }),
    targetOn: datePartsOf(body, 'targetOn'),
    ...(adding ? { number: formString(body, 'number', { maxLength: 10 }), status: formString(body, 'status', { maxLength: 50 }) } : {}),
  });
  const actionInput = (values: Values) => ({
    themeId: str(values, 'themeId'), text: str(values, 'text'), owners: ownerLabels(str(values, 'owners')), leadUserId: str(values, 'leadUserId'), targetOn: values.targetOn as DateParts,
  });
  const actionFields = (plan: PlanSummary, themes: readonly { id: string; title: string }[], leads: readonly { id: string; name: string }[], values: Values, errors: SummaryError[], numbering: { next: number } | null) => [
    field.radios('themeId', translate('plans.action.themeLegend'), themes.map((t) => ({ value: t.id, text: t.title })), str(values, 'themeId'), errors),
    ...(numbering ? [field.input('number', translate('plans.action.number'), values, errors, { hint: { text: translate('plans.action.numberHint', { next: numbering.next }) }, classes: 'govuk-input--width-3', inputmode: 'numeric' })] : []),
    field.counted('text', translate('plans.action.text'), MAX_TEXT, values, errors, { hint: { text: translate('plans.action.textHint') }, rows: 4 }),
    field.textarea('owners', translate('plans.action.owners'), values, errors, { hint: { text: translate('plans.action.ownersHint', { owners: plan.owners.join(', ') || plan.ownerOrganisationName }) }, rows: 2, spellcheck: false }),
    {
      kind: 'select',
      params: {
        label: { text: translate('plans.action.lead'), classes: 'govuk-label--s' }, hint: { text: translate('plans.action.leadHint', { organisation: plan.ownerOrganisationName }) }, id: 'leadUserId', name: 'leadUserId',
        items: [{ value: '', text: translate('plans.action.noLead'), selected: str(values, 'leadUserId') === '' }, ...leads.map((p) => ({ value: p.id, text: p.name, selected: str(values, 'leadUserId') === p.id }))],
        errorMessage: errorMessage(errors, 'leadUserId'),
      },
    },
    field.date('targetOn', translate('plans.action.target'), translate('plans.action.targetHint'), values, errors),
    ...(numbering ? [field.radios('status', translate('plans.action.statusLegend'), statusesOf(plan.statusScheme).map((status) => ({ value: status, text: statusName(status) })), str(values, 'status') || statusesOf(plan.statusScheme)[0]!, errors)] : []),
  ];

  const showNewAction = async (request: FastifyRequest, reply: FastifyReply, errors: SummaryError[] = [], values: Values = {}, status = 200) => {
    const { planId } = ids(request);
    const leads = await plans.leadCandidates(request.actor!, request.auditContext, planId);
    const view = await plans.plan(request.actor!, planId);
    const { plan } = view;
    const numbers = view.themes.flatMap((t) => t.actions.map((a) => a.number));
    const next = Math.max(0, ...numbers) + 1;
    const page = { pageTitle: translate('plans.addAction.title'), caption: plan.title, backHref: planPaths.plan(plan.id), version: plan.version, submitText: translate('plans.addAction.submit') };
    if (view.themes.length === 0) {
      return render(reply, status, errors, { ...page, lead: [translate('plans.addAction.noThemes')], fields: [], next: { text: translate('plans.theme.new'), href: planPaths.newTheme(plan.id) } });
    }
    const chosen = { ...values, themeId: values.themeId ?? (view.themes.length === 1 ? view.themes[0]!.id : '') };
    return render(reply, status, errors, { ...page, fields: actionFields(plan, view.themes, leads, chosen, errors, { next }) });
  };
  app.get(planPaths.newAction(PLAN), lead, async (request, reply) => showNewAction(request, reply));
  app.post(planPaths.newAction(PLAN), change, async (request, reply) => {
    const { planId } = ids(request);
    const values = actionValues(request.body, true);
    return submit(request, reply, 'themeId', async () => {
      const { actionId } = await plans.addAction(request.actor!, request.auditContext, planId, { ...actionInput(values), number: str(values, 'number'), status: str(values, 'status') }, formVersion(request.body));
      const added = await plans.action(request.actor!, planId, actionId);
      return { text: translate('plans.addAction.flash', { number: added.action.number }), to: planPaths.action(planId, actionId) };
    }, (errors, status) => showNewAction(request, reply, errors, status === 409 ? { ...values, number: '' } : values, status));
  });

  const showEditAction = async (request: FastifyRequest, reply: FastifyReply, errors: SummaryError[] = [], sent?: Values, status = 200) => {
    const { planId, actionId } = ids(request);
    const leads = await plans.leadCandidates(request.actor!, request.auditContext, planId, actionId);
    const [view, planView] = await Promise.all([plans.action(request.actor!, planId, actionId!), plans.plan(request.actor!, planId)]);
    const { plan, action } = view;
    if (action.withdrawnOn && status === 200) return reply.redirect(planPaths.action(plan.id, action.id), 303);
    const values = sent ?? {
      themeId: view.theme.id, text: action.text, owners: action.owners.map((o) => o.label).join('\n'), leadUserId: action.leadUserId ?? '', targetOn: partsOf(action.targetOn),
    };
    return render(reply, status, errors, {
      pageTitle: translate('plans.editAction.title'), caption: translate('plans.formCaption', { plan: plan.title, number: action.number }),
      backHref: planPaths.action(plan.id, action.id), version: action.version,
      fields: actionFields(plan, planView.themes, leads, values, errors, null), submitText: translate('plans.editAction.submit'),
    });
  };
  app.get(planPaths.editAction(PLAN, ACTION), lead, async (request, reply) => showEditAction(request, reply));
  app.post(planPaths.editAction(PLAN, ACTION), change, async (request, reply) => {
    const { planId, actionId } = ids(request);
    const values = actionValues(request.body, false);
    return submit(request, reply, 'text', async () => {
      await plans.editAction(request.actor!, request.auditContext, planId, actionId!, actionInput(values), formVersion(request.body));
      return { text: translate('plans.editAction.flash'), to: planPaths.action(planId, actionId!) };
    }, (errors, status) => showEditAction(request, reply, errors, status === 409 ? undefined : values, status));
  });

  const showWithdraw = async (request: FastifyRequest, reply: FastifyReply, errors: SummaryError[] = [], values: Values = {}, status = 200) => {
    const { planId, actionId } = ids(request);
    await plans.check(request.actor!, request.auditContext, planId, actionId);
    const { plan, action } = await plans.action(request.actor!, planId, actionId!);
    if (action.withdrawnOn && status === 200) return reply.redirect(planPaths.action(plan.id, action.id), 303);
    return render(reply, status, errors, {
      pageTitle: translate('plans.withdraw.title'), caption: translate('plans.formCaption', { plan: plan.title, number: action.number }),
      backHref: planPaths.action(plan.id, action.id), version: action.version, lead: [action.text], warning: translate('plans.withdraw.warning'),
      fields: [field.counted('reason', translate('plans.withdraw.reason'), MAX_TEXT, values, errors, { hint: { text: translate('plans.withdraw.reasonHint') }, rows: 4 })],
      submitText: translate('plans.withdraw.submit', { number: action.number }), submitClasses: 'govuk-button--warning',
    });
  };
  app.get(planPaths.withdraw(PLAN, ACTION), lead, async (request, reply) => showWithdraw(request, reply));
  app.post(planPaths.withdraw(PLAN, ACTION), change, async (request, reply) => {
    const { planId, actionId } = ids(request);
    const values = { reason: formString(request.body, 'reason', { maxLength: MAX_TEXT + 1 }) };
    return submit(request, reply, 'reason', async () => {
      await plans.withdrawAction(request.actor!, request.auditContext, planId, actionId!, values.reason, formVersion(request.body));
      const { action } = await plans.action(request.actor!, planId, actionId!);
      return { text: translate('plans.withdraw.flash', { number: action.number }), to: planPaths.action(planId, actionId!) };
    }, (errors, status) => showWithdraw(request, reply, errors, values, status));
  });
}
