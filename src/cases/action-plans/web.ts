// Pages of the action plans on a case: the plans with their items, PRFI
// review clock and reviews; issuing a plan as a charging decision; the
// police responding to an item; the prosecutor reviewing one; a DCP's review
// of a second plan; and recording a PRFI review. Forms post back to their own
// address (post/redirect/get) with the GOV.UK error summary; a stale form is
// a conflict.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { allow } from '../../platform/access/policy.ts';
import type { AuthService } from '../../platform/auth/service.ts';
import { registerMessages, translate } from '../../platform/i18n/messages.ts';
import type { Platform } from '../../platform/platform.ts';
import { formatDate, formatDateTime, londonDate } from '../../platform/time/working-days.ts';
import { formString } from '../../platform/web/forms.ts';
import type { SummaryError } from '../../platform/web/forms.ts';
import { submitForm } from '../../platform/web/submit.ts';
import type { FormOutcome } from '../../platform/web/submit.ts';
import { escapeHtml } from '../../platform/web/lists.ts';
import { Problem } from '../../platform/web/errors.ts';
import type { CaseSummary, DateParts } from '../model.ts';
import { caseFrame, registerCaseSection } from '../sections.ts';
import { dateItems, datePartsOf, formVersion } from '../web-support.ts';
import { registerActionPlansApi } from './api.ts';
import { ITEM_ROWS, itemOwners, itemStatuses, planSources, planStatuses, reviewDays } from './model.ts';
import type { ActionPlan, ItemInput, PlanItem } from './model.ts';
import { createActionPlansService } from './service.ts';
import type { ActionPlansService, PlansView } from './service.ts';
import messages from './messages.en.json' with { type: 'json' };

export const planPaths = {
  plans: (caseId: string) => `/cases/${caseId}/action-plans`,
  issue: (caseId: string) => `/cases/${caseId}/action-plans/new`,
  dcp: (caseId: string, planId: string) => `/cases/${caseId}/action-plans/${planId}/dcp-review`,
  reviewHeld: (caseId: string, planId: string) => `/cases/${caseId}/action-plans/${planId}/reviews/new`,
  respond: (caseId: string, planId: string, itemId: string) => `/cases/${caseId}/action-plans/${planId}/items/${itemId}/respond`,
  review: (caseId: string, planId: string, itemId: string) => `/cases/${caseId}/action-plans/${planId}/items/${itemId}/review`,
};

/** The item rows of a plan form, as sent. */
export function itemRowsOf(body: unknown): ItemInput[] {
  return Array.from({ length: ITEM_ROWS }, (_, i) => ({
    description: formString(body, `items-${i + 1}-description`, { maxLength: 2000 }),
    owner: formString(body, `items-${i + 1}-owner`, { maxLength: 20 }),
    dueOn: datePartsOf(body, `items-${i + 1}-dueOn`),
  }));
}

/** The form fields of the item rows. */
export function itemFields(rows: readonly ItemInput[], errors: readonly SummaryError[]) {
  return Array.from({ length: ITEM_ROWS }, (_, i) => {
    const row = rows[i];
    const n = i + 1;
    return [
      { kind: 'heading', label: translate('actionPlans.item', { n }) },
      { kind: 'textarea', name: `items-${n}-description`, label: translate('actionPlans.item.description'), value: row?.description ?? '', rows: 2 },
      { kind: 'radios', name: `items-${n}-owner`, label: translate('actionPlans.item.owner'), items: Object.entries(itemOwners).map(([value, text]) => ({ value, text, checked: row?.owner === value })) },
      { kind: 'date', name: `items-${n}-dueOn`, label: translate('actionPlans.item.due'), hint: translate('cases.date.hint'), items: dateItems(`items-${n}-dueOn`, row?.dueOn, errors) },
    ];
  }).flat();
}

const tag = (text: string, colour = '') => `<strong class="govuk-tag ${colour}">${escapeHtml(text)}</strong>`;

function itemRows(view: PlansView, plan: ActionPlan) {
  const caseId = view.summary.id;
  const link = (href: string, text: string, hidden: string) => `<a class="govuk-link" href="${escapeHtml(href)}">${escapeHtml(text)}<span class="govuk-visually-hidden"> ${escapeHtml(hidden)}</span></a>`;
  return plan.items.map((item: PlanItem) => {
    const notes = [
      item.query ? translate('actionPlans.query', { text: item.query }) : null,
      item.response ? translate('actionPlans.response', { text: item.response }) : null,
      item.reviewNote ? translate('actionPlans.reviewNote', { text: item.reviewNote }) : null,
    ].filter((n): n is string => n !== null).map((n) => `<p class="govuk-body-s">${escapeHtml(n)}</p>`).join('');
    const actions: string[] = [];
    const ownerActs = item.owner === 'police' ? view.may.respond : view.may.review;
    if (plan.status === 'issued' && ownerActs && item.status !== 'completed' && item.status !== 'reviewed') actions.push(link(planPaths.respond(caseId, plan.id, item.id), translate('actionPlans.item.respond'), translate('actionPlans.item', { n: item.position })));
    if (plan.status === 'issued' && view.may.review && item.status === 'completed') actions.push(link(planPaths.review(caseId, plan.id, item.id), translate('actionPlans.item.review'), translate('actionPlans.item', { n: item.position })));
    return [
      { html: `${escapeHtml(item.description)}${notes}` },
      { text: itemOwners[item.owner] },
      { text: formatDate(item.dueOn) },
      { html: tag(itemStatuses[item.status], item.status === 'reviewed' ? 'govuk-tag--green' : item.status === 'queried' || item.status === 'returned' ? 'govuk-tag--yellow' : 'govuk-tag--blue') },
      { html: actions.join('<br>') || '' },
    ];
  });
}

function plansModel(view: PlansView) {
  const { summary } = view;
  const clock = view.reviewClock;
  return {
    pageTitle: translate('actionPlans.title'),
    ...caseFrame(summary, 'action-plans'),
    backHref: `/cases/${summary.id}`,
    issueHref: view.may.issue ? planPaths.issue(summary.id) : undefined,
    itemHead: [{ text: translate('actionPlans.item.description') }, { text: translate('actionPlans.item.owner') }, { text: translate('actionPlans.item.due') }, { text: translate('actionPlans.field.status') }, { html: '<span class="govuk-visually-hidden">Actions</span>' }],
    plans: view.plans.map((plan, i) => ({
      heading: `${planSources[plan.source]}: ${plan.issuedAt ? formatDate(londonDate(plan.issuedAt)) : formatDate(londonDate(plan.draftedAt))}`,
      current: i === 0,
      answered: plan.status === 'answered',
      rows: [
        { key: { text: translate('actionPlans.field.status') }, value: { text: planStatuses[plan.status] } },
        { key: { text: translate('actionPlans.field.source') }, value: { text: planSources[plan.source] } },
        ...(plan.issuedAt ? [{ key: { text: translate('actionPlans.field.issued') }, value: { text: formatDateTime(plan.issuedAt) } }] : []),
        ...(plan.secondAfterFullCodeTest ? [{ key: { text: translate('actionPlans.field.secondPlan') }, value: { text: plan.dcpReviewedAt ? formatDateTime(plan.dcpReviewedAt) : planStatuses.awaiting_dcp } }] : []),
        ...(plan.dcpNote ? [{ key: { text: translate('actionPlans.field.dcpNote') }, value: { text: plan.dcpNote } }] : []),
        ...(i === 0 && clock && plan.status === 'issued' ? [
          { key: { text: translate('actionPlans.field.reviewDue') }, value: { text: formatDate(clock.dueOn) } },
          ...(clock.nextStepDueOn ? [{ key: { text: translate('actionPlans.field.nextStep') }, value: { text: formatDate(clock.nextStepDueOn) } }] : []),
        ] : []),
        { key: { text: translate('actionPlans.field.reviews') }, value: { html: plan.reviews.length ? `<ul class="govuk-list">${plan.reviews.map((r) => `<li>${escapeHtml(`${translate('actionPlans.reviewHeld.dayOption', { day: r.day })}, ${formatDate(r.heldOn)} (${r.recordedBy}): ${r.note}`)}</li>`).join('')}</ul>` : escapeHtml(translate('actionPlans.noReviews')) } },
      ],
      items: itemRows(view, plan),
      dcpHref: plan.status === 'awaiting_dcp' && view.may.dcp ? planPaths.dcp(summary.id, plan.id) : undefined,
      reviewHeldHref: (plan.status === 'issued' || plan.status === 'answered') && view.may.review ? planPaths.reviewHeld(summary.id, plan.id) : undefined,
    })),
  };
}

export function registerActionPlans(app: FastifyInstance, platform: Platform, auth: AuthService): void {
  registerMessages('en', messages);
  const plans = createActionPlansService(platform);
  registerCaseSection({
    key: 'action-plans',
    titleKey: 'actionPlans.section',
    order: 30,
    href: planPaths.plans,
    actions: ({ summary, access, side }) => (side === 'cps' && (access === 'team' || access === 'supervision') && summary.stage === 'charging_referral' ? [{ text: translate('actionPlans.issue'), href: planPaths.issue(summary.id) }] : []),
    eventPrefix: 'action-plan.',
    describe: describePlanEvent,
  });
  registerPlanPages(app, plans, auth);
  registerActionPlansApi(app, plans, platform);
}

export function describePlanEvent(event: { type: string; data: Readonly<Record<string, unknown>> }): { title: string; text: string } {
  const data = event.data;
  switch (event.type) {
    case 'action-plan.issued':
      return { title: 'Action plan issued', text: `${Number(data.items) || 0} action(s), from ${data.source === 'early-advice' ? 'early advice' : 'a charging decision'}${data.secondAfterFullCodeTest ? ', approved by a DCP as a second plan after a full-code-test submission' : ''}` };
    case 'action-plan.dcp-reviewed':
      return { title: 'Action plan reviewed by a DCP', text: data.approved ? 'Approved for issue' : 'Returned to the prosecutor' };
    case 'action-plan.item-accepted':
      return { title: 'Action accepted', text: 'The police accepted an action' };
    case 'action-plan.item-queried':
      return { title: 'Action queried', text: 'The police queried an action' };
    case 'action-plan.item-completed':
      return { title: 'Action completed', text: 'An action was completed' };
    case 'action-plan.prosecutor-reviewed':
      return { title: 'Action reviewed', text: data.accepted ? 'The prosecutor accepted the response' : 'The prosecutor returned the action to the police' };
    case 'action-plan.review-held':
      return { title: 'PRFI review held', text: `The ${Number(data.day) || ''}-day review of the action plan` };
    case 'action-plan.answered':
      return { title: 'Action plan answered', text: 'Every action is complete and reviewed' };
    default:
      return { title: event.type, text: '' };
  }
}

function registerPlanPages(app: FastifyInstance, plans: ActionPlansService, auth: AuthService): void {
  const audited = { config: { policy: allow.signedIn, audit: 'required' as const } };
  const params = (request: FastifyRequest) => request.params as { caseId: string; planId?: string; itemId?: string };
  const submit = (request: FastifyRequest, reply: FastifyReply, command: () => Promise<FormOutcome>, showAgain: (errors: SummaryError[], status: number) => Promise<FastifyReply>, conflictField: string) =>
    submitForm(auth, request, reply, { command, showAgain, conflictField, conflictMessage: translate('actionPlans.conflict') });

  type FormModel = { title: string; summary: CaseSummary; fields: unknown[]; submitText: string; about?: unknown[]; refusal?: string };
  const render = (reply: FastifyReply, model: FormModel, errors: SummaryError[], status: number) =>
    reply.code(status).render('action-plans/form.njk', {
      pageTitle: model.title, ...caseFrame(model.summary, 'action-plans'), backHref: planPaths.plans(model.summary.id), version: model.summary.version,
      errors, fields: model.fields, submitText: model.submitText, about: model.about ?? [], refusal: model.refusal,
    });

  app.get(planPaths.plans(':caseId'), audited, async (request, reply) => {
    const view = await plans.plans(request.actor!, request.auditContext, params(request).caseId);
    return reply.render('action-plans/plans.njk', plansModel(view));
  });

  // Issuing a plan as a charging decision
  const showIssue = async (request: FastifyRequest, reply: FastifyReply, errors: SummaryError[] = [], rows: ItemInput[] = [], status = 200) => {
    const summary = await plans.checkMay(request.actor!, request.auditContext, params(request).caseId, 'prosecutor');
    return render(reply, {
      title: translate('actionPlans.issue'), summary, submitText: translate('actionPlans.issue.submit'),
      fields: [{ kind: 'heading', label: '', hint: translate('actionPlans.issue.hint') }, ...itemFields(rows, errors)],
    }, errors, status);
  };
  app.get(planPaths.issue(':caseId'), audited, (request, reply) => showIssue(request, reply));
  app.post(planPaths.issue(':caseId'), audited, async (request, reply) => {
    const rows = itemRowsOf(request.body);
    const { caseId } = params(request);
    return submit(request, reply, async () => {
      const made = await plans.issueFromCharging(request.actor!, request.auditContext, caseId, { items: rows }, formVersion(request.body));
      return { text: translate(made.issued ? 'actionPlans.flash.issued' : 'actionPlans.flash.drafted'), to: planPaths.plans(caseId) };
    }, (errors, status) => showIssue(request, reply, errors, status === 409 ? [] : rows, status), 'items-1-description');
  });

  const planAndItem = async (request: FastifyRequest, role: 'police' | 'prosecutor' | 'dcp' | null) => {
    const { caseId, planId, itemId } = params(request);
    const view = await plans.plans(request.actor!, request.auditContext, caseId);
    if (role) await plans.checkMay(request.actor!, request.auditContext, caseId, role);
    const plan = view.plans.find((p) => p.id === planId);
    const item = itemId === undefined ? undefined : plan?.items.find((i) => i.id === itemId);
    if (!plan || (itemId !== undefined && !item)) throw new Problem('not-found');
    const about = item ? [
      { key: { text: translate('actionPlans.item.description') }, value: { text: item.description } },
      { key: { text: translate('actionPlans.item.owner') }, value: { text: itemOwners[item.owner] } },
      { key: { text: translate('actionPlans.item.due') }, value: { text: formatDate(item.dueOn) } },
      { key: { text: translate('actionPlans.field.status') }, value: { text: itemStatuses[item.status] } },
      ...(item.response ? [{ key: { text: translate('actionPlans.item.respond.text') }, value: { text: item.response } }] : []),
    ] : [];
    return { view, plan, item, about };
  };

  // The owner responding to an item
  const showRespond = async (request: FastifyRequest, reply: FastifyReply, errors: SummaryError[] = [], values: { response?: string; text?: string } = {}, status = 200) => {
    const { view, item, about } = await planAndItem(request, null);
    if (item && !(item.owner === 'police' ? view.may.respond : view.may.review)) await plans.checkMay(request.actor!, request.auditContext, view.summary.id, item.owner === 'police' ? 'police' : 'prosecutor');
    const choices = item?.owner === 'cps' ? ['complete'] : ['accept', 'query', 'complete'];
    return render(reply, {
      title: translate('actionPlans.item.respond'), summary: view.summary, about, submitText: translate('actionPlans.submit'),
      fields: [
        { kind: 'radios', name: 'response', label: translate('actionPlans.item.respond.choice'), items: choices.map((value) => ({ value, text: translate(`actionPlans.item.respond.${value}`), checked: values.response === value })) },
        { kind: 'textarea', name: 'text', label: translate('actionPlans.item.respond.text'), hint: translate('actionPlans.item.respond.textHint'), value: values.text ?? '' },
      ],
    }, errors, status);
  };
  app.get(planPaths.respond(':caseId', ':planId', ':itemId'), audited, (request, reply) => showRespond(request, reply));
  app.post(planPaths.respond(':caseId', ':planId', ':itemId'), audited, async (request, reply) => {
    const { caseId, planId, itemId } = params(request);
    const values = { response: formString(request.body, 'response', { maxLength: 20 }), text: formString(request.body, 'text', { maxLength: 5000 }) };
    return submit(request, reply, async () => {
      await plans.respond(request.actor!, request.auditContext, caseId, planId!, itemId!, values, formVersion(request.body));
      return { text: translate('actionPlans.flash.saved'), to: planPaths.plans(caseId) };
    }, (errors, status) => showRespond(request, reply, errors, values, status), 'response');
  });

  // The prosecutor reviewing a completed item
  const showReview = async (request: FastifyRequest, reply: FastifyReply, errors: SummaryError[] = [], values: { decision?: string; note?: string } = {}, status = 200) => {
    const { view, about } = await planAndItem(request, 'prosecutor');
    return render(reply, {
      title: translate('actionPlans.item.review'), summary: view.summary, about, submitText: translate('actionPlans.submit'),
      fields: [
        { kind: 'radios', name: 'decision', label: translate('actionPlans.item.review.choice'), items: [{ value: 'accept', text: 'Accept the response', checked: values.decision === 'accept' }, { value: 'return', text: 'Return it to the police with a note', checked: values.decision === 'return' }] },
        { kind: 'textarea', name: 'note', label: translate('actionPlans.item.review.note'), hint: translate('actionPlans.item.review.noteHint'), value: values.note ?? '' },
      ],
    }, errors, status);
  };
  app.get(planPaths.review(':caseId', ':planId', ':itemId'), audited, (request, reply) => showReview(request, reply));
  app.post(planPaths.review(':caseId', ':planId', ':itemId'), audited, async (request, reply) => {
    const { caseId, planId, itemId } = params(request);
    const values = { decision: formString(request.body, 'decision', { maxLength: 20 }), note: formString(request.body, 'note', { maxLength: 5000 }) };
    return submit(request, reply, async () => {
      await plans.reviewItem(request.actor!, request.auditContext, caseId, planId!, itemId!, values, formVersion(request.body));
      return { text: translate('actionPlans.flash.saved'), to: planPaths.plans(caseId) };
    }, (errors, status) => showReview(request, reply, errors, values, status), 'decision');
  });

  // A DCP reviewing a second plan
  const showDcp = async (request: FastifyRequest, reply: FastifyReply, errors: SummaryError[] = [], values: { decision?: string; note?: string } = {}, status = 200) => {
    const { view, plan } = await planAndItem(request, 'dcp');
    const about = plan.items.map((i) => ({ key: { text: translate('actionPlans.item', { n: i.position }) }, value: { text: `${i.description} (${itemOwners[i.owner]}, due ${formatDate(i.dueOn)})` } }));
    return render(reply, {
      title: translate('actionPlans.dcp'), summary: view.summary, about, submitText: translate('actionPlans.submit'),
      fields: [
        { kind: 'radios', name: 'decision', label: translate('actionPlans.dcp.choice'), items: [{ value: 'approve', text: translate('actionPlans.dcp.approve'), checked: values.decision === 'approve' }, { value: 'return', text: translate('actionPlans.dcp.return'), checked: values.decision === 'return' }] },
        { kind: 'textarea', name: 'note', label: translate('actionPlans.dcp.note'), hint: translate('actionPlans.dcp.noteHint'), value: values.note ?? '' },
      ],
    }, errors, status);
  };
  app.get(planPaths.dcp(':caseId', ':planId'), audited, (request, reply) => showDcp(request, reply));
  app.post(planPaths.dcp(':caseId', ':planId'), audited, async (request, reply) => {
    const { caseId, planId } = params(request);
    const values = { decision: formString(request.body, 'decision', { maxLength: 20 }), note: formString(request.body, 'note', { maxLength: 5000 }) };
    return submit(request, reply, async () => {
      await plans.dcpReview(request.actor!, request.auditContext, caseId, planId!, values, formVersion(request.body));
      return { text: translate('actionPlans.flash.saved'), to: planPaths.plans(caseId) };
    }, (errors, status) => showDcp(request, reply, errors, values, status), 'decision');
  });

  // Recording a PRFI review
  const showReviewHeld = async (request: FastifyRequest, reply: FastifyReply, errors: SummaryError[] = [], values: { day?: string; heldOn?: DateParts; note?: string } = {}, status = 200) => {
    const { view } = await planAndItem(request, 'prosecutor');
    return render(reply, {
      title: translate('actionPlans.reviewHeld'), summary: view.summary, submitText: translate('actionPlans.submit'),
      fields: [
        { kind: 'radios', name: 'day', label: translate('actionPlans.reviewHeld.day'), items: reviewDays.map((day) => ({ value: String(day), text: translate('actionPlans.reviewHeld.dayOption', { day }), checked: values.day === String(day) })) },
        { kind: 'date', name: 'heldOn', label: translate('actionPlans.reviewHeld.heldOn'), hint: translate('cases.date.hint'), items: dateItems('heldOn', values.heldOn, errors) },
        { kind: 'textarea', name: 'note', label: translate('actionPlans.reviewHeld.note'), value: values.note ?? '' },
      ],
    }, errors, status);
  };
  app.get(planPaths.reviewHeld(':caseId', ':planId'), audited, (request, reply) => showReviewHeld(request, reply));
  app.post(planPaths.reviewHeld(':caseId', ':planId'), audited, async (request, reply) => {
    const { caseId, planId } = params(request);
    const values = { day: formString(request.body, 'day', { maxLength: 5 }), heldOn: datePartsOf(request.body, 'heldOn'), note: formString(request.body, 'note', { maxLength: 5000 }) };
    return submit(request, reply, async () => {
      await plans.recordReview(request.actor!, request.auditContext, caseId, planId!, values, formVersion(request.body));
      return { text: translate('actionPlans.flash.saved'), to: planPaths.plans(caseId) };
    }, (errors, status) => showReviewHeld(request, reply, errors, values, status), 'day');
  });
}
