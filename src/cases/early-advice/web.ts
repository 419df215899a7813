// Pages of early advice on a case: the requests with their contents, the
// CPS's answer, any appeal and the advice; and the forms that make them:
// requesting (police, at Investigation), recording not requesting, accepting
// or rejecting (CPS), appealing a rejection (police, Inspector or above),
// deciding the appeal (DCP or head of RASSO) and giving the advice, with an
// optional action plan. Forms post back to their own address
// (post/redirect/get) with the GOV.UK error summary; a stale form is a conflict.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { allow } from '../../platform/access/policy.ts';
import type { AuthService } from '../../platform/auth/service.ts';
import { registerMessages, translate } from '../../platform/i18n/messages.ts';
import type { Platform } from '../../platform/platform.ts';
import { formatDate, formatDateTime } from '../../platform/time/working-days.ts';
import { formString } from '../../platform/web/forms.ts';
import type { SummaryError } from '../../platform/web/forms.ts';
import { submitForm } from '../../platform/web/submit.ts';
import type { FormOutcome } from '../../platform/web/submit.ts';
import { escapeHtml } from '../../platform/web/lists.ts';
import { stageName } from '../model.ts';
import type { CaseSummary } from '../model.ts';
import { caseFrame, registerCaseSection } from '../sections.ts';
import { itemFields, itemRowsOf, planPaths } from '../action-plans/web.ts';
import { formVersion } from '../web-support.ts';
import type { ItemInput } from '../action-plans/model.ts';
import { registerEarlyAdviceApi } from './api.ts';
import { notRequestedReasons, policeRanks, rejectionReasons, requestFieldNames, requestFields, requestStatuses } from './model.ts';
import type { EarlyAdviceRequest, RequestInput } from './model.ts';
import { createEarlyAdviceService } from './service.ts';
import type { EarlyAdviceService, EarlyAdviceView } from './service.ts';
import messages from './messages.en.json' with { type: 'json' };

export const advicePaths = {
  advice: (caseId: string) => `/cases/${caseId}/early-advice`,
  request: (caseId: string) => `/cases/${caseId}/early-advice/request`,
  notRequested: (caseId: string) => `/cases/${caseId}/early-advice/not-requested`,
  decide: (caseId: string, requestId: string) => `/cases/${caseId}/early-advice/${requestId}/decision`,
  appeal: (caseId: string, requestId: string) => `/cases/${caseId}/early-advice/${requestId}/appeal`,
  appealDecision: (caseId: string, requestId: string) => `/cases/${caseId}/early-advice/${requestId}/appeal-decision`,
  advise: (caseId: string, requestId: string) => `/cases/${caseId}/early-advice/${requestId}/advice`,
};

export function describeAdviceEvent(event: { type: string; data: Readonly<Record<string, unknown>> }): { title: string; text: string } {
  const data = event.data;
  const code = (list: Record<string, string>, value: unknown) => (typeof value === 'string' && Object.hasOwn(list, value) ? list[value]! : 'a reason not on the list');
  switch (event.type) {
    case 'advice.requested':
      return { title: 'Early advice requested', text: typeof data.dueOn === 'string' ? `Response due by ${formatDate(data.dueOn)}` : 'The CPS has 21 days to respond' };
    case 'advice.not-requested':
      return { title: 'Early advice not requested', text: code(notRequestedReasons, data.reasonCode) };
    case 'advice.accepted':
      return { title: 'Early advice request accepted', text: 'Advice will follow' };
    case 'advice.rejected':
      return { title: 'Early advice request rejected', text: code(rejectionReasons, data.reasonCode) };
    case 'advice.appealed':
      return { title: 'Rejection appealed', text: `Appealed by an officer of the rank ${code(policeRanks, data.rank)}` };
    case 'advice.appeal-decided':
      return { title: 'Appeal decided', text: data.upheld ? 'Upheld: the request is accepted' : 'Dismissed: the rejection stands' };
    case 'advice.given':
      return { title: 'Early advice given', text: data.planId ? 'With an action plan' : 'Without an action plan' };
    default:
      return { title: event.type, text: '' };
  }
}

const byLine = (when: string | null, name: string | undefined) => (when ? translate('earlyAdvice.by', { when: formatDateTime(when), name: name ?? '' }) : '');
const paragraphs = (text: string) => text.split(/\n+/).map((line) => `<p class="govuk-body">${escapeHtml(line)}</p>`).join('');

function requestRows(request: EarlyAdviceRequest & { names: Readonly<Record<string, string>> }, caseId: string) {
  const name = (id: string | null) => (id ? request.names[id] : undefined);
  const row = (key: string, value: { text?: string; html?: string }) => ({ key: { text: key }, value });
  return [
    row(translate('earlyAdvice.field.status'), { text: requestStatuses[request.status] }),
    row(translate('earlyAdvice.field.requested'), { text: byLine(request.requestedAt, name(request.requestedBy)) }),
    row(translate('earlyAdvice.field.due'), { text: formatDate(request.dueOn) }),
    row(translate('earlyAdvice.field.urn'), { text: request.urn ?? translate('cases.notYet') }),
    ...requestFieldNames.map((field) => row(requestFields[field], { html: paragraphs(request.contents[field]) })),
    ...(request.decidedAt ? [row(translate('earlyAdvice.field.decided'), { text: byLine(request.decidedAt, name(request.decidedBy)) })] : []),
    ...(request.rejectReason ? [row(translate('earlyAdvice.field.rejection'), { html: `${escapeHtml(rejectionReasons[request.rejectReason])}${paragraphs(request.rejectDetail ?? '')}` })] : []),
    ...(request.appealedAt ? [row(translate('earlyAdvice.field.appeal'), { html: `${escapeHtml(byLine(request.appealedAt, name(request.appealedBy)))}${request.appellantRank ? `, ${escapeHtml(policeRanks[request.appellantRank])}` : ''}${paragraphs(request.appealGrounds ?? '')}` })] : []),
    ...(request.appealDecidedAt ? [row(translate('earlyAdvice.field.appealDecision'), { html: `${escapeHtml(request.appealUpheld ? 'Upheld' : 'Dismissed')}, ${escapeHtml(byLine(request.appealDecidedAt, name(request.appealDecidedBy)))}${paragraphs(request.appealNote ?? '')}` })] : []),
    ...(request.advice ? [row(translate('earlyAdvice.field.advice'), { html: `${escapeHtml(byLine(request.advisedAt, name(request.advisedBy)))}${paragraphs(request.advice)}` })] : []),
    ...(request.planId ? [row(translate('earlyAdvice.field.plan'), { html: `<a class="govuk-link" href="${escapeHtml(planPaths.plans(caseId))}">${escapeHtml(translate('earlyAdvice.planLink'))}</a>` })] : []),
  ];
}

function adviceModel(view: EarlyAdviceView) {
  const { summary } = view;
  const id = summary.id;
  return {
    pageTitle: translate('earlyAdvice.title'),
    ...caseFrame(summary, 'early-advice'),
    backHref: `/cases/${id}`,
    requestHref: view.may.request && summary.stage === 'investigation' ? advicePaths.request(id) : undefined,
    notRequestedHref: view.may.request && summary.stage === 'investigation' ? advicePaths.notRequested(id) : undefined,
    clock: view.responseClock ? `${view.responseClock.title}: due ${formatDate(view.responseClock.dueOn)} (${view.responseClock.status})` : undefined,
    requests: view.requests.map((request) => ({
      heading: `${translate('earlyAdvice.field.requested')} ${formatDate(request.requestedAt.slice(0, 10))}`,
      rows: requestRows(request, id),
      actions: [
        ...(view.may.decide && request.status === 'requested' ? [{ text: translate('earlyAdvice.decide'), href: advicePaths.decide(id, request.id) }] : []),
        ...(view.may.decide && (request.status === 'requested' || request.status === 'accepted') && summary.stage === 'early_advice' ? [{ text: translate('earlyAdvice.advise'), href: advicePaths.advise(id, request.id) }] : []),
        ...(view.may.appeal && request.status === 'rejected' && !request.appealedAt ? [{ text: translate('earlyAdvice.appeal'), href: advicePaths.appeal(id, request.id) }] : []),
        ...(view.may.decideAppeal && request.status === 'appealed' ? [{ text: translate('earlyAdvice.appealDecision'), href: advicePaths.appealDecision(id, request.id) }] : []),
      ],
    })),
    notRequested: view.notRequested.map((r) => ({ key: { text: formatDateTime(r.recordedAt) }, value: { html: `${escapeHtml(notRequestedReasons[r.reason])}, by ${escapeHtml(r.recordedByName)}${paragraphs(r.detail)}` } })),
  };
}

export function registerEarlyAdvice(app: FastifyInstance, platform: Platform, auth: AuthService): void {
  registerMessages('en', messages);
  const advice = createEarlyAdviceService(platform);
  registerCaseSection({
    key: 'early-advice',
    titleKey: 'earlyAdvice.section',
    order: 20,
    href: advicePaths.advice,
    actions: ({ summary, access, side }) => (side === 'police' && (access === 'team' || access === 'supervision') && summary.stage === 'investigation'
      ? [{ text: translate('earlyAdvice.request'), href: advicePaths.request(summary.id) }, { text: translate('earlyAdvice.notRequested'), href: advicePaths.notRequested(summary.id) }]
      : side === 'cps' && (access === 'team' || access === 'supervision') && summary.stage === 'early_advice'
        ? [{ text: translate('earlyAdvice.title'), href: advicePaths.advice(summary.id) }]
        : []),
    eventPrefix: 'advice.',
    describe: describeAdviceEvent,
  });
  registerAdvicePages(app, advice, auth);
  registerEarlyAdviceApi(app, advice, platform);
}

function registerAdvicePages(app: FastifyInstance, advice: EarlyAdviceService, auth: AuthService): void {
  const audited = { config: { policy: allow.signedIn, audit: 'required' as const } };
  const params = (request: FastifyRequest) => request.params as { caseId: string; requestId: string };
  const submit = (request: FastifyRequest, reply: FastifyReply, command: () => Promise<FormOutcome>, showAgain: (errors: SummaryError[], status: number) => Promise<FastifyReply>, conflictField: string) =>
    submitForm(auth, request, reply, { command, showAgain, conflictField, conflictMessage: translate('earlyAdvice.conflict') });
  type FormModel = { title: string; summary: CaseSummary; fields: unknown[]; submitText: string; about?: unknown[]; refusal?: string | undefined };
  const render = (reply: FastifyReply, model: FormModel, errors: SummaryError[], status: number) =>
    reply.code(status).render('action-plans/form.njk', {
      pageTitle: model.title, ...caseFrame(model.summary, 'early-advice'), backHref: advicePaths.advice(model.summary.id), version: model.summary.version,
      errors, fields: model.fields, submitText: model.submitText, about: model.about ?? [], refusal: model.refusal,
    });
  const radios = (name: string, label: string, list: Record<string, string>, chosen: string | undefined, hint?: string) =>
    ({ kind: 'radios', name, label, hint, items: Object.entries(list).map(([value, text]) => ({ value, text, checked: value === chosen })) });
  const textarea = (name: string, label: string, value: string | undefined, hint?: string, rows = 4) => ({ kind: 'textarea', name, label, value: value ?? '', hint, rows });
  const text = (name: string, length = 5000) => (request: FastifyRequest) => formString(request.body, name, { maxLength: length });
  const requestAbout = (request: EarlyAdviceRequest) => [
    { key: { text: translate('earlyAdvice.field.status') }, value: { text: requestStatuses[request.status] } },
    { key: { text: translate('earlyAdvice.field.due') }, value: { text: formatDate(request.dueOn) } },
    ...requestFieldNames.map((field) => ({ key: { text: requestFields[field] }, value: { text: request.contents[field] } })),
    ...(request.rejectReason ? [{ key: { text: translate('earlyAdvice.field.rejection') }, value: { text: `${rejectionReasons[request.rejectReason]}: ${request.rejectDetail ?? ''}` } }] : []),
    ...(request.appealGrounds ? [{ key: { text: translate('earlyAdvice.appeal.grounds') }, value: { text: request.appealGrounds } }] : []),
  ];

  app.get(advicePaths.advice(':caseId'), audited, async (request, reply) => {
    const view = await advice.view(request.actor!, request.auditContext, params(request).caseId);
    return reply.render('early-advice/early-advice.njk', adviceModel(view));
  });

  // Requesting early advice
  const showRequest = async (request: FastifyRequest, reply: FastifyReply, errors: SummaryError[] = [], values: Partial<RequestInput> = {}, status = 200) => {
    const { summary } = await advice.checkMay(request.actor!, request.auditContext, params(request).caseId, 'request');
    return render(reply, {
      title: translate('earlyAdvice.request'), summary, submitText: translate('earlyAdvice.request.submit'),
      refusal: summary.stage === 'investigation' ? undefined : translate('earlyAdvice.notAtInvestigation', { stage: stageName(summary.stage) }),
      fields: [
        { kind: 'heading', label: '', hint: translate('earlyAdvice.request.intro') },
        { kind: 'input', name: 'urn', label: translate('earlyAdvice.request.urn'), value: values.urn ?? '', classes: 'govuk-input--width-20' },
        ...requestFieldNames.map((field) => textarea(field, requestFields[field], values[field], undefined, field === 'summary' ? 8 : 4)),
      ],
    }, errors, status);
  };
  app.get(advicePaths.request(':caseId'), audited, (request, reply) => showRequest(request, reply));
  app.post(advicePaths.request(':caseId'), audited, async (request, reply) => {
    const values = { urn: text('urn', 100)(request), ...Object.fromEntries(requestFieldNames.map((f) => [f, text(f, 20_000)(request)])) } as RequestInput;
    const { caseId } = params(request);
    return submit(request, reply, async () => {
      await advice.request(request.actor!, request.auditContext, caseId, values, formVersion(request.body));
      return { text: translate('earlyAdvice.flash.requested'), to: advicePaths.advice(caseId) };
    }, (errors, status) => showRequest(request, reply, errors, values, status), 'summary');
  });

  // Recording that early advice is not requested
  const showNotRequested = async (request: FastifyRequest, reply: FastifyReply, errors: SummaryError[] = [], values: { reason?: string; detail?: string } = {}, status = 200) => {
    const { summary } = await advice.checkMay(request.actor!, request.auditContext, params(request).caseId, 'request');
    return render(reply, {
      title: translate('earlyAdvice.notRequested'), summary, submitText: translate('earlyAdvice.notRequested.submit'),
      fields: [radios('reason', translate('earlyAdvice.notRequested.reason'), notRequestedReasons, values.reason), textarea('detail', translate('earlyAdvice.notRequested.detail'), values.detail)],
    }, errors, status);
  };
  app.get(advicePaths.notRequested(':caseId'), audited, (request, reply) => showNotRequested(request, reply));
  app.post(advicePaths.notRequested(':caseId'), audited, async (request, reply) => {
    const values = { reason: text('reason', 50)(request), detail: text('detail')(request) };
    const { caseId } = params(request);
    return submit(request, reply, async () => {
      await advice.notRequested(request.actor!, request.auditContext, caseId, values, formVersion(request.body));
      return { text: translate('earlyAdvice.flash.notRequested'), to: advicePaths.advice(caseId) };
    }, (errors, status) => showNotRequested(request, reply, errors, values, status), 'reason');
  });

  // The forms about one request
  const requestForm = <V extends Record<string, unknown>>(
    path: (caseId: string, requestId: string) => string,
    permission: 'decide' | 'appeal' | 'decideAppeal',
    title: string,
    submitKey: string,
    fields: (values: Partial<V>, errors: SummaryError[]) => unknown[],
    read: (request: FastifyRequest) => V,
    run: (request: FastifyRequest, values: V, version: number | null) => Promise<unknown>,
    conflictField: string,
  ) => {
    const show = async (request: FastifyRequest, reply: FastifyReply, errors: SummaryError[] = [], values: Partial<V> = {}, status = 200) => {
      const { caseId, requestId } = params(request);
      const { summary, request: found } = await advice.requestFor(request.actor!, request.auditContext, caseId, requestId, permission);
      return render(reply, { title: translate(title), summary, submitText: translate(submitKey), about: requestAbout(found), fields: fields(values, errors) }, errors, status);
    };
    app.get(path(':caseId', ':requestId'), audited, (request, reply) => show(request, reply));
    app.post(path(':caseId', ':requestId'), audited, async (request, reply) => {
      const values = read(request);
      return submit(request, reply, async () => {
        await run(request, values, formVersion(request.body));
        return { text: translate('earlyAdvice.flash.saved'), to: advicePaths.advice(params(request).caseId) };
      }, (errors, status) => show(request, reply, errors, values, status), conflictField);
    });
  };

  requestForm<{ decision: string; reason: string; detail: string }>(advicePaths.decide, 'decide', 'earlyAdvice.decide', 'actionPlans.submit',
    (v) => [
      radios('decision', translate('earlyAdvice.decide.choice'), { accept: translate('earlyAdvice.decide.accept'), reject: translate('earlyAdvice.decide.reject') }, v.decision),
      radios('reason', translate('earlyAdvice.decide.reason'), rejectionReasons, v.reason, translate('earlyAdvice.decide.reasonHint')),
      textarea('detail', translate('earlyAdvice.decide.detail'), v.detail),
    ],
    (r) => ({ decision: text('decision', 20)(r), reason: text('reason', 50)(r), detail: text('detail')(r) }),
    (r, v, version) => advice.decide(r.actor!, r.auditContext, params(r).caseId, params(r).requestId, v, version), 'decision');

  requestForm<{ rank: string; grounds: string }>(advicePaths.appeal, 'appeal', 'earlyAdvice.appeal', 'earlyAdvice.appeal.submit',
    (v) => [radios('rank', translate('earlyAdvice.appeal.rank'), policeRanks, v.rank, translate('earlyAdvice.appeal.rankHint')), textarea('grounds', translate('earlyAdvice.appeal.grounds'), v.grounds)],
    (r) => ({ rank: text('rank', 50)(r), grounds: text('grounds')(r) }),
    (r, v, version) => advice.appeal(r.actor!, r.auditContext, params(r).caseId, params(r).requestId, v, version), 'rank');

  requestForm<{ upheld: string; note: string }>(advicePaths.appealDecision, 'decideAppeal', 'earlyAdvice.appealDecision', 'actionPlans.submit',
    (v) => [radios('upheld', translate('earlyAdvice.appealDecision.choice'), { yes: translate('earlyAdvice.appealDecision.yes'), no: translate('earlyAdvice.appealDecision.no') }, v.upheld), textarea('note', translate('earlyAdvice.appealDecision.note'), v.note)],
    (r) => ({ upheld: text('upheld', 5)(r), note: text('note')(r) }),
    (r, v, version) => advice.decideAppeal(r.actor!, r.auditContext, params(r).caseId, params(r).requestId, v, version), 'upheld');

  requestForm<{ advice: string; items: ItemInput[] }>(advicePaths.advise, 'decide', 'earlyAdvice.advise', 'earlyAdvice.advise.submit',
    (v, errors) => [
      textarea('advice', translate('earlyAdvice.advise.advice'), v.advice, undefined, 10),
      { kind: 'heading', label: translate('earlyAdvice.advise.plan'), hint: translate('earlyAdvice.advise.planHint') },
      ...itemFields(v.items ?? [], errors),
    ],
    (r) => ({ advice: text('advice', 25_000)(r), items: itemRowsOf(r.body) }),
    (r, v, version) => advice.advise(r.actor!, r.auditContext, params(r).caseId, params(r).requestId, v, version), 'advice');
}
