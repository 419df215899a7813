// Pages of the victim's rights: the Victims' Code ledger with its proof of
// delivery form, and the right-to-review requests with their forms (request,
// acknowledge, move to independent review, decide). Neither is for an ISVA,
// who sees the victim's key dates on the overview instead. Forms post back to
// their own address, carry the case's version and redirect with a flash.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { allow } from '../../platform/access/policy.ts';
import type { AuthService } from '../../platform/auth/service.ts';
import { registerMessages, translate } from '../../platform/i18n/messages.ts';
import type { Platform } from '../../platform/platform.ts';
import { formatDate, formatDateTime } from '../../platform/time/working-days.ts';
import { errorMessage, formString } from '../../platform/web/forms.ts';
import type { SummaryError } from '../../platform/web/forms.ts';
import { escapeHtml } from '../../platform/web/lists.ts';
import { submitForm } from '../../platform/web/submit.ts';
import { registerJournalReactor } from '../../cases/case-commands.ts';
import type { DateParts } from '../../cases/model.ts';
import { dateItems, datePartsOf, formVersion } from '../../cases/web-support.ts';
import { contactMethodName, contactMethods, isContactMethod } from '../model.ts';
import { registerVictimPart, victimFrame } from '../parts.ts';
import { registerRightsApi } from './api.ts';
import messages from './messages.en.json' with { type: 'json' };
import { entitlementTitle, outcomes, schemes } from './model.ts';
import type { LedgerLine, LedgerStatus, ReviewRequest } from './model.ts';
import { awaitingProof, createRightsService, openEntitlementClocks, stepOpen } from './service.ts';
import type { RightsService, ReviewStep } from './service.ts';

registerMessages('en', messages);

const base = (caseId: string, victimId: string) => `/cases/${caseId}/victims/${victimId}/rights`;
export const rightsPaths = {
  ledger: base,
  delivery: (caseId: string, victimId: string) => `${base(caseId, victimId)}/delivery`,
  reviews: (caseId: string, victimId: string) => `${base(caseId, victimId)}/review`,
  request: (caseId: string, victimId: string) => `${base(caseId, victimId)}/review/new`,
  step: (caseId: string, victimId: string, requestId: string, step: ReviewStep) => `${base(caseId, victimId)}/review/${requestId}/${step}`,
};

const tagClass: Readonly<Record<LedgerStatus, string>> = { delivered: 'govuk-tag--green', delivered_late: 'govuk-tag--orange', due: 'govuk-tag--blue', overdue: 'govuk-tag--red' };

function describe(event: { type: string; data: Readonly<Record<string, unknown>> }): { title: string; text: string } {
  const what = typeof event.data.entitlement === 'string' ? entitlementTitle(event.data.entitlement) : '';
  const scheme = typeof event.data.scheme === 'string' && (schemes as readonly string[]).includes(event.data.scheme) ? translate(`victimRights.scheme.${event.data.scheme}`) : '';
  const outcome = typeof event.data.outcome === 'string' && (outcomes as readonly string[]).includes(event.data.outcome) ? translate(`victimRights.outcome.${event.data.outcome}`) : '';
  switch (event.type) {
    case 'victims.rights.entitlement-delivered': return { title: translate('victimRights.event.delivered'), text: what };
    case 'victims.rights.vrr-requested': return { title: translate('victimRights.event.requested'), text: scheme };
    case 'victims.rights.vrr-acknowledged': return { title: translate('victimRights.event.acknowledged'), text: '' };
    case 'victims.rights.vrr-escalated': return { title: translate('victimRights.event.escalated'), text: '' };
    case 'victims.rights.vrr-decided': return { title: translate('victimRights.event.decided'), text: outcome };
    default: return { title: translate('victims.event.other'), text: '' };
  }
}

export function registerVictimRights(app: FastifyInstance, platform: Platform, auth: AuthService): void {
  const rights = createRightsService(platform);
  registerJournalReactor('victims.rights', openEntitlementClocks);
  registerVictimPart({ key: 'rights', titleKey: 'victimRights.ledger.title', order: 50, href: rightsPaths.ledger, forIsva: false, eventPrefix: 'victims.rights.', describe });
  registerVictimPart({ key: 'review', titleKey: 'victimRights.reviews.title', order: 51, href: rightsPaths.reviews, forIsva: false });
  registerPages(app, rights, auth);
  registerRightsApi(app, rights);
}

type Values = Record<string, string | DateParts | undefined>;
const str = (values: Values, name: string) => (typeof values[name] === 'string' ? (values[name] as string) : '');
const legend = (text: string) => ({ legend: { text, classes: 'govuk-fieldset__legend--s' } });

const dateField = (name: string, label: string, values: Values, errors: SummaryError[]) => {
  const error = errors.find((e) => e.field.startsWith(`${name}-`));
  return { kind: 'date', params: { id: name, fieldset: legend(label), items: dateItems(name, values[name] as Partial<DateParts> | undefined, errors), errorMessage: error ? { text: error.text } : undefined } };
};
const radios = (name: string, label: string, items: { value: string; text: string }[], values: Values, errors: SummaryError[], hint?: string) => ({
  kind: 'radios', params: { fieldset: legend(label), idPrefix: name, name, hint: hint ? { text: hint } : undefined, items: items.map((i) => ({ ...i, checked: str(values, name) === i.value })), errorMessage: errorMessage(errors, name) },
});
const textarea = (name: string, label: string, values: Values, errors: SummaryError[], hint?: string) => ({
  kind: 'textarea', params: { label: { text: label, classes: 'govuk-label--s' }, hint: hint ? { text: hint } : undefined, id: name, name, value: str(values, name), errorMessage: errorMessage(errors, name) },
});

function ledgerRow(line: LedgerLine) {
  const d = line.delivery;
  const method = d && isContactMethod(d.method) ? contactMethodName(d.method).toLowerCase() : d?.method ?? '';
  const delivered = d ? translate('victimRights.ledger.deliveredText', { date: formatDate(d.on), method, reference: d.source === 'letter' ? translate('victimRights.ledger.byLetter', { reference: d.reference }) : d.reference }) : translate('victimRights.ledger.notDelivered');
  return [
    { text: line.title },
    { text: formatDate(line.appliesOn) },
    { text: line.dueOn ? formatDate(line.dueOn) : '' },
    { text: delivered },
    { html: `<strong class="govuk-tag ${tagClass[line.status]}">${escapeHtml(translate(`victimRights.status.${line.status}`))}</strong>` },
  ];
}

function requestModel(r: ReviewRequest, actions: { text: string; href: string }[]) {
  const notYet = translate('victimRights.notYet');
  const rows = [
    { key: { text: translate('victimRights.field.told') }, value: { text: formatDate(r.toldOn) } },
    { key: { text: translate('victimRights.field.received') }, value: { text: formatDate(r.receivedOn) } },
    { key: { text: translate('victimRights.field.window') }, value: { text: formatDate(r.windowEndsOn) } },
    ...(r.lateReason ? [{ key: { text: translate('victimRights.field.late') }, value: { text: r.lateReason } }] : []),
    { key: { text: translate('victimRights.field.stage') }, value: { text: translate(`victimRights.stage.${r.stage}`) } },
    { key: { text: translate('victimRights.field.acknowledged') }, value: { text: r.acknowledgedOn ? formatDate(r.acknowledgedOn) : notYet } },
    ...(r.escalatedOn ? [{ key: { text: translate('victimRights.field.escalated') }, value: { text: formatDate(r.escalatedOn) } }] : []),
    { key: { text: translate('victimRights.field.outcome') }, value: { text: r.outcome && r.decidedOn ? `${translate(`victimRights.outcome.${r.outcome}`)}, ${formatDate(r.decidedOn)}` : notYet } },
    ...(r.reasons ? [{ key: { text: translate('victimRights.field.reasons') }, value: { text: r.reasons } }] : []),
    { key: { text: translate('victimRights.field.recordedBy') }, value: { text: `${r.recordedBy}, ${formatDateTime(r.recordedAt)}` } },
    ...(r.decidedBy ? [{ key: { text: translate('victimRights.field.decidedBy') }, value: { text: r.decidedBy } }] : []),
  ];
  return { title: translate('victimRights.reviews.requestTitle', { scheme: translate(`victimRights.scheme.${r.scheme}`), date: formatDate(r.receivedOn) }), rows, actions };
}

const steps: readonly ReviewStep[] = ['acknowledge', 'escalate', 'decide'];

function registerPages(app: FastifyInstance, rights: RightsService, auth: AuthService): void {
  const audited = { config: { policy: allow.signedIn, audit: 'required' as const } };
  const params = (request: FastifyRequest) => request.params as { caseId: string; victimId: string; requestId: string };
  const LEDGER = rightsPaths.ledger(':caseId', ':victimId');

  app.get(LEDGER, audited, async (request, reply) => {
    const { caseId, victimId } = params(request);
    const v = await rights.ledger(request.actor!, request.auditContext, caseId, victimId);
    return reply.render('rights/ledger.njk', {
      pageTitle: translate('victimRights.ledger.title'),
      ...victimFrame(v, 'rights'),
      backHref: `/cases/${v.summary.id}/victims/${v.victim.id}`,
      recordHref: v.powers.recordDelivery && awaitingProof(v.lines).size > 0 ? rightsPaths.delivery(v.summary.id, v.victim.id) : null,
      rows: v.lines.map(ledgerRow),
    });
  });

  app.get(rightsPaths.reviews(':caseId', ':victimId'), audited, async (request, reply) => {
    const { caseId, victimId } = params(request);
    const v = await rights.reviews(request.actor!, request.auditContext, caseId, victimId);
    const mayRequest = schemes.some((s) => v.powers.record(s));
    return reply.render('rights/reviews.njk', {
      pageTitle: translate('victimRights.reviews.title'),
      ...victimFrame(v, 'review'),
      backHref: `/cases/${v.summary.id}/victims/${v.victim.id}`,
      newHref: mayRequest ? rightsPaths.request(v.summary.id, v.victim.id) : null,
      requests: v.requests.map((r) => requestModel(r, steps.filter((s) => stepOpen(r, s, v.powers)).map((s) => ({ text: translate(`victimRights.${s}.title`), href: rightsPaths.step(v.summary.id, v.victim.id, r.id, s) })))),
    });
  });

  type Form = 'delivery' | 'request' | ReviewStep;
  const titleKey = (form: Form) => (form === 'delivery' ? 'victimRights.delivery' : `victimRights.${form}`);

  const formModel = async (form: Form, request: FastifyRequest, values: Values, errors: SummaryError[]) => {
    const { caseId, victimId, requestId } = params(request);
    const actor = request.actor!;
    const context = request.auditContext;
    if (form === 'delivery') {
      const v = await rights.checkDelivery(actor, context, caseId, victimId);
      const { lines } = await rights.ledger(actor, context, caseId, victimId);
      const awaiting = awaitingProof(lines);
      return {
        v, back: rightsPaths.ledger(v.summary.id, v.victim.id), lead: [], unavailable: awaiting.size === 0 ? translate('victimRights.delivery.unavailable') : null,
        fields: [
          radios('entitlement', translate('victimRights.delivery.entitlement'), [...awaiting].map(([key, on]) => ({ value: key, text: `${entitlementTitle(key)} (${formatDate(on)})` })), values, errors),
          dateField('deliveredOn', translate('victimRights.delivery.onLabel'), values, errors),
          radios('method', translate('victimRights.delivery.method'), contactMethods.map((m) => ({ value: m, text: contactMethodName(m) })), values, errors),
          textarea('reference', translate('victimRights.delivery.reference'), values, errors, translate('victimRights.delivery.referenceHint')),
        ],
      };
    }
    if (form === 'request') {
      const v = await rights.requestForm(actor, context, caseId, victimId);
      return {
        v, back: rightsPaths.reviews(v.summary.id, v.victim.id), lead: [], unavailable: null,
        fields: [
          radios('scheme', translate('victimRights.request.scheme'), schemes.map((s) => ({ value: s, text: translate(`victimRights.scheme.${s}`) })), values, errors),
          dateField('toldOn', translate('victimRights.request.toldLabel'), values, errors),
          dateField('receivedOn', translate('victimRights.request.receivedLabel'), values, errors),
          textarea('lateReason', translate('victimRights.request.lateReason'), values, errors, translate('victimRights.request.lateHint')),
        ],
      };
    }
    const { v, request: r } = await rights.requestFor(actor, context, caseId, victimId, requestId, form);
    const unavailable = stepOpen(r, form, rights.powersOf(actor, v)) ? null : translate('victimRights.unavailable');
    const lead = [translate('victimRights.reviews.requestTitle', { scheme: translate(`victimRights.scheme.${r.scheme}`), date: formatDate(r.receivedOn) })];
    const fields = form === 'acknowledge'
      ? [dateField('acknowledgedOn', translate('victimRights.acknowledge.onLabel'), values, errors)]
      : form === 'escalate'
        ? [dateField('escalatedOn', translate('victimRights.escalate.onLabel'), values, errors)]
        : [
          radios('outcome', translate('victimRights.decide.outcome'), outcomes.map((o) => ({ value: o, text: translate(`victimRights.outcome.${o}`) })), values, errors, translate('victimRights.decide.overturnHint')),
          dateField('decidedOn', translate('victimRights.decide.onLabel'), values, errors),
          textarea('reasons', translate('victimRights.decide.reasons'), values, errors),
        ];
    return { v, back: rightsPaths.reviews(v.summary.id, v.victim.id), lead: form === 'escalate' ? [...lead, translate('victimRights.escalate.lead')] : lead, unavailable, fields };
  };

  const show = async (form: Form, request: FastifyRequest, reply: FastifyReply, errors: SummaryError[] = [], values: Values = {}, status = 200) => {
    const { v, back, lead, unavailable, fields } = await formModel(form, request, values, errors);
    return reply.code(status).render('rights/form.njk', {
      pageTitle: translate(`${titleKey(form)}.title`),
      ...victimFrame(v, form === 'delivery' ? 'rights' : 'review'),
      backHref: back, version: v.summary.version, errors, lead, unavailable, fields, submitText: translate(`${titleKey(form)}.submit`),
    });
  };

  const text = (body: unknown, name: string) => formString(body, name, { maxLength: 5000 });
  const valuesOf = (form: Form, body: unknown): Values => {
    switch (form) {
      case 'delivery': return { entitlement: text(body, 'entitlement'), deliveredOn: datePartsOf(body, 'deliveredOn'), method: text(body, 'method'), reference: text(body, 'reference') };
      case 'request': return { scheme: text(body, 'scheme'), toldOn: datePartsOf(body, 'toldOn'), receivedOn: datePartsOf(body, 'receivedOn'), lateReason: text(body, 'lateReason') };
      case 'acknowledge': return { acknowledgedOn: datePartsOf(body, 'acknowledgedOn') };
      case 'escalate': return { escalatedOn: datePartsOf(body, 'escalatedOn') };
      case 'decide': return { outcome: text(body, 'outcome'), decidedOn: datePartsOf(body, 'decidedOn'), reasons: text(body, 'reasons') };
    }
  };
  const conflictField: Readonly<Record<Form, string>> = { delivery: 'entitlement', request: 'scheme', acknowledge: 'acknowledgedOn', escalate: 'escalatedOn', decide: 'outcome' };
  const flash: Readonly<Record<Form, string>> = { delivery: 'victimRights.flash.delivered', request: 'victimRights.flash.requested', acknowledge: 'victimRights.flash.acknowledged', escalate: 'victimRights.flash.escalated', decide: 'victimRights.flash.decided' };

  const run = async (form: Form, request: FastifyRequest, values: Values, version: number | null) => {
    const { caseId, victimId, requestId } = params(request);
    const a = [request.actor!, request.auditContext] as const;
    const s = (name: string) => str(values, name);
    const d = (name: string) => values[name] as DateParts;
    switch (form) {
      case 'delivery': await rights.recordDelivery(...a, caseId, victimId, { entitlement: s('entitlement'), deliveredOn: d('deliveredOn'), method: s('method'), reference: s('reference') }, version); break;
      case 'request': await rights.requestReview(...a, caseId, victimId, { scheme: s('scheme'), toldOn: d('toldOn'), receivedOn: d('receivedOn'), lateReason: s('lateReason') }, version); break;
      case 'acknowledge': await rights.acknowledge(...a, caseId, victimId, requestId, { acknowledgedOn: d('acknowledgedOn') }, version); break;
      case 'escalate': await rights.escalate(...a, caseId, victimId, requestId, { escalatedOn: d('escalatedOn') }, version); break;
      case 'decide': await rights.decide(...a, caseId, victimId, requestId, { outcome: s('outcome'), decidedOn: d('decidedOn'), reasons: s('reasons') }, version); break;
    }
  };

  const routes: [Form, string][] = [
    ['delivery', rightsPaths.delivery(':caseId', ':victimId')],
    ['request', rightsPaths.request(':caseId', ':victimId')],
    ...steps.map((s): [Form, string] => [s, rightsPaths.step(':caseId', ':victimId', ':requestId', s)]),
  ];
  for (const [form, path] of routes) {
    app.get(path, audited, async (request, reply) => show(form, request, reply));
    app.post(path, audited, async (request, reply) => {
      const values = valuesOf(form, request.body);
      const { caseId, victimId } = params(request);
      return submitForm(auth, request, reply, {
        command: async () => {
          await run(form, request, values, formVersion(request.body));
          return { text: translate(flash[form]), to: form === 'delivery' ? rightsPaths.ledger(caseId, victimId) : rightsPaths.reviews(caseId, victimId) };
        },
        showAgain: (errors, status) => show(form, request, reply, errors, status === 409 ? {} : values, status),
        conflictField: conflictField[form],
        conflictMessage: translate('victimRights.error.conflict'),
      });
    });
  }
}
