// Pages of a victim's communication: the part's page (plan, history, next
// contact and the one timeline across police, CPS and ISVA), the plan form,
// the contact form and the form recording who supports the victim. Forms
// post back to their own address, carry the case's version and redirect
// with a flash. The victim's ISVA sees this part (never the case file).
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { allow } from '../../platform/access/policy.ts';
import type { AuthService } from '../../platform/auth/service.ts';
import { registerMessages, translate } from '../../platform/i18n/messages.ts';
import type { Platform } from '../../platform/platform.ts';
import { formatDate, formatDateTime, londonDate } from '../../platform/time/working-days.ts';
import { errorMessage, formString, formStrings } from '../../platform/web/forms.ts';
import type { SummaryError } from '../../platform/web/forms.ts';
import { submitForm } from '../../platform/web/submit.ts';
import type { DateParts } from '../../cases/model.ts';
import { dateItems, datePartsOf, formVersion } from '../../cases/web-support.ts';
import { contactMethodName, contactMethods, isContactMethod, isLanguage, languageName, languages, updaterName, updaters } from '../model.ts';
import type { CommunicationPlan } from '../model.ts';
import { describeVictimEvent, registerVictimPart, victimFrame, victimPaths } from '../parts.ts';
import type { LoadedVictim } from '../victim-commands.ts';
import { registerCommunicationApi } from './api.ts';
import messages from './messages.en.json' with { type: 'json' };
import { contactRoleName, sideName } from './model.ts';
import type { ContactView, PlanInput } from './model.ts';
import { contactClock, createCommunicationService, currentPlanOf } from './service.ts';
import type { CommunicationService, VictimEvent } from './service.ts';

registerMessages('en', messages);

const base = (caseId: string, victimId: string) => `${victimPaths.overview(caseId, victimId)}/communication`;
export const communicationPaths = {
  page: base,
  plan: (caseId: string, victimId: string) => `${base(caseId, victimId)}/plan`,
  contact: (caseId: string, victimId: string) => `${base(caseId, victimId)}/contacts/new`,
  isva: (caseId: string, victimId: string) => `${base(caseId, victimId)}/isva`,
};

const CASE = ':caseId';
const VICTIM = ':victimId';
const T = (key: string, params: Record<string, string | number> = {}) => translate(`victims.communication.${key}`, params);

/** How this part's journal events (and the ISVA support events it records) read on a timeline. */
export function describe(event: { type: string; data: Readonly<Record<string, unknown>> }): { title: string; text: string } {
  const { data } = event;
  switch (event.type) {
    case 'victims.communication.plan-agreed':
      return { title: T('event.planAgreed'), text: T('event.planText', { revision: Number(data.revision), days: Number(data.frequencyDays), language: typeof data.language === 'string' && isLanguage(data.language) ? languageName(data.language) : '' }) };
    case 'victims.communication.contact-logged':
      return {
        title: T('event.contact'),
        text: T('event.contactText', { method: typeof data.method === 'string' && isContactMethod(data.method) ? contactMethodName(data.method) : '', side: sideName(String(data.by)), reached: T(data.reached === true ? 'event.reached' : 'event.notReached') }),
      };
    case 'victims.isva.assigned':
      return { title: T('event.isvaAssigned'), text: '' };
    case 'victims.isva.ended':
      return { title: T('event.isvaEnded'), text: '' };
    default:
      return { title: translate('victims.event.other'), text: '' };
  }
}


function planRows(p: CommunicationPlan) {
  const row = (key: string, text: string) => ({ key: { text: T(`field.${key}`) }, value: { text } });
  return [
    row('frequency', T('plan.everyDays', { days: p.frequencyDays })),
    row('methods', p.methods.map(contactMethodName).join(', ')),
    row('updaters', p.updaters.map(updaterName).join(', ')),
    row('language', languageName(p.preferredLanguage)),
    row('noVoicemail', p.noVoicemail ? T('voicemailForbidden') : T('allowed')),
    row('noPostToHome', p.noPostToHome ? T('postForbidden') : T('allowed')),
    row('safeAddress', p.safeAddress ?? T('plan.none.value')),
    row('safePhone', p.safePhone ?? T('plan.none.value')),
    row('safeEmail', p.safeEmail ?? T('plan.none.value')),
    row('otherRules', p.otherRules || T('plan.none.value')),
    row('agreedOn', formatDate(p.agreedOn)),
    row('agreedWith', p.agreedWithIsvaName ?? T('notAgreedWithIsva')),
    ...(p.changeReason ? [row('changeReason', p.changeReason)] : []),
    row('recordedBy', `${p.recordedByName}, ${formatDateTime(p.recordedAt)}`),
  ];
}

function contactItem(c: ContactView) {
  const method = isContactMethod(c.method) ? contactMethodName(c.method) : c.method;
  const notes = [T(c.reached ? 'contact.reachedText' : 'contact.notReachedText'), ...(c.voicemailLeft ? [T('contact.voicemailText')] : []), ...(c.postedToHome ? [T('contact.postedText')] : []), T('contact.nextText', { date: formatDate(c.nextContactOn) })];
  return {
    at: c.contactAt,
    item: {
      label: { text: T('contact.title', { method, name: c.byName, role: contactRoleName(c.byRole), side: sideName(c.bySide) }) },
      text: `${c.summary}\n\n${notes.join(' ')}`,
      datetime: { timestamp: c.contactAt, type: 'datetime' },
      byline: { text: c.byName },
    },
  };
}

function eventItem(e: VictimEvent) {
  const { title, text } = e.type.startsWith('victims.isva.') ? describe(e) : describeVictimEvent(e);
  return { at: e.occurredAt, item: { label: { text: title }, text, datetime: { timestamp: e.occurredAt, type: 'datetime' }, byline: { text: e.actorName ?? translate('cases.byPlatform') } } };
}

export function registerCommunication(app: FastifyInstance, platform: Platform, auth: AuthService): void {
  const communication = createCommunicationService(platform);
  const { clock } = platform;
  registerVictimPart({
    key: 'communication',
    titleKey: 'victims.communication.title',
    order: 10,
    href: communicationPaths.page,
    forIsva: true,
    eventPrefix: 'victims.communication.',
    describe,
    overview: async (db, v: LoadedVictim) => {
      const [plan, clockNow] = await Promise.all([currentPlanOf(db, v.victim.id), contactClock(db, v.victim.id, londonDate(clock.now()))]);
      return [
        { key: T('field.plan'), value: plan ? T('plan.revision', { revision: plan.revision, date: formatDate(plan.agreedOn) }) : T('plan.none') },
        { key: T('field.nextContact'), value: clockNow.nextContactDue ? formatDate(clockNow.nextContactDue) : T('noNextContact') },
        ...(clockNow.overdue && clockNow.nextContactDue ? [{ key: T('field.overdue'), value: T('overdueSince', { date: formatDate(clockNow.nextContactDue) }) }] : []),
      ];
    },
  });
  registerPages(app, communication, auth);
  registerCommunicationApi(app, communication);
}

type Values = Record<string, string | string[] | DateParts | undefined>;
const str = (values: Values, name: string) => (typeof values[name] === 'string' ? (values[name] as string) : '');
const strs = (values: Values, name: string) => (Array.isArray(values[name]) ? (values[name] as string[]) : []);

const legend = (text: string) => ({ legend: { text, classes: 'govuk-fieldset__legend--s' } });
const choices = (kind: 'radios' | 'checkboxes', name: string, label: string, items: { value: string; text: string; hint?: string }[], values: Values, errors: SummaryError[], hint?: string) => ({
  kind,
  params: {
    fieldset: legend(label), idPrefix: name, name, hint: hint ? { text: hint } : undefined,
    items: items.map((i) => ({ value: i.value, text: i.text, hint: i.hint ? { text: i.hint } : undefined, checked: kind === 'radios' ? str(values, name) === i.value : strs(values, name).includes(i.value) })),
    errorMessage: errorMessage(errors, name),
  },
});
const input = (name: string, label: string, values: Values, errors: SummaryError[], extra: Record<string, unknown> = {}) => ({
  kind: 'input', params: { label: { text: label, classes: 'govuk-label--s' }, id: name, name, value: str(values, name), spellcheck: false, autocomplete: 'off', errorMessage: errorMessage(errors, name), ...extra },
});
const textarea = (name: string, label: string, values: Values, errors: SummaryError[], hint?: string) => ({
  kind: 'textarea', params: { label: { text: label, classes: 'govuk-label--s' }, hint: hint ? { text: hint } : undefined, id: name, name, value: str(values, name), errorMessage: errorMessage(errors, name) },
});
function dateField(name: string, label: string, values: Values, errors: SummaryError[], hint?: string) {
  const error = errors.find((e) => e.field.startsWith(`${name}-`));
  return { kind: 'date', params: { id: name, fieldset: legend(label), hint: hint ? { text: hint } : undefined, items: dateItems(name, (values[name] ?? {}) as Partial<DateParts>, errors), errorMessage: error ? { text: error.text } : undefined } };
}
const dateValues = (date: string): DateParts => ({ day: String(Number(date.slice(8, 10))), month: String(Number(date.slice(5, 7))), year: date.slice(0, 4) });

type Form = 'plan' | 'contact' | 'isva';
const powerOf = { plan: 'recordPlan', contact: 'logContact', isva: 'recordIsva' } as const;

function registerPages(app: FastifyInstance, communication: CommunicationService, auth: AuthService): void {
  const audited = { config: { policy: allow.signedIn, audit: 'required' as const } };
  const params = (request: FastifyRequest) => request.params as { caseId: string; victimId: string };

  app.get(communicationPaths.page(CASE, VICTIM), audited, async (request, reply) => {
    const { caseId, victimId } = params(request);
    const r = await communication.record(request.actor!, request.auditContext, caseId, victimId);
    const { v } = r;
    const ids = [v.summary.id, v.victim.id] as const;
    const timeline = [...r.contacts.map(contactItem), ...r.events.filter((e) => e.type !== 'victims.communication.contact-logged').map(eventItem)]
      .sort((a, b) => (a.at < b.at ? 1 : a.at > b.at ? -1 : 0))
      .map((entry) => entry.item);
    return reply.render('communication/communication.njk', {
      pageTitle: T('title'),
      ...victimFrame(v, 'communication'),
      backHref: victimPaths.overview(...ids),
      overdueText: r.clock.overdue && r.clock.nextContactDue ? T('overdueSince', { date: formatDate(r.clock.nextContactDue) }) : null,
      clockRows: [
        { key: { text: translate('victims.field.isva') }, value: { text: v.isva ? translate('victims.isvaOf', { name: v.isva.name, service: v.isva.serviceName }) : translate('victims.noIsva') } },
        { key: { text: T('field.nextContact') }, value: { text: r.clock.nextContactDue ? formatDate(r.clock.nextContactDue) : T('noNextContact') } },
      ],
      actions: [
        ...(r.powers.logContact ? [{ text: T('contact.log'), href: communicationPaths.contact(...ids) }] : []),
        ...(r.powers.recordPlan ? [{ text: T(r.plan ? 'plan.change' : 'plan.record'), href: communicationPaths.plan(...ids), classes: 'govuk-button--secondary' }] : []),
        ...(r.powers.recordIsva ? [{ text: T('isva.title'), href: communicationPaths.isva(...ids), classes: 'govuk-button--secondary' }] : []),
      ],
      plan: r.plan ? { title: T('plan.revision', { revision: r.plan.revision, date: formatDate(r.plan.agreedOn) }), rows: planRows(r.plan) } : null,
      history: r.history.slice(1).map((p) => ({ title: T('plan.revision', { revision: p.revision, date: formatDate(p.agreedOn) }), rows: planRows(p) })),
      timeline,
    });
  });

  const fieldsFor = async (form: Form, v: LoadedVictim, plan: CommunicationPlan | null, values: Values, errors: SummaryError[]) => {
    if (form === 'isva') {
      const people = await communication.isvaChoices();
      return {
        lead: [v.isva ? T('isva.current', { name: v.isva.name, service: v.isva.serviceName }) : T('isva.none')],
        fields: [choices('radios', 'isva', T('isva.choose'), [
          ...people.map((p) => ({ value: p.user_id, text: T('isva.person', { name: p.name, service: p.service_name }) })),
          ...(v.isva ? [{ value: 'none', text: T('isva.ended') }] : []),
        ], values, errors)],
      };
    }
    if (form === 'contact') {
      const rules = plan ? [plan.noVoicemail ? T('voicemailForbidden') : '', plan.noPostToHome ? T('postForbidden') : '', plan.otherRules].filter((x) => x !== '') : [];
      return {
        lead: rules.length ? [T('contact.rules', { rules: rules.join('; ') })] : [],
        fields: [
          dateField('on', T('contact.on'), values, errors),
          input('at', T('contact.at'), values, errors, { hint: { text: T('contact.atHint') }, classes: 'govuk-input--width-5' }),
          choices('radios', 'method', T('contact.method'), contactMethods.map((m) => ({ value: m, text: contactMethodName(m) })), values, errors),
          choices('checkboxes', 'voicemailLeft', contactMethodName('phone'), [{ value: 'yes', text: T('contact.voicemailLeft') }], values, errors),
          choices('checkboxes', 'postedToHome', contactMethodName('letter'), [{ value: 'yes', text: T('contact.postedToHome') }], values, errors),
          choices('radios', 'reached', T('contact.reached'), [{ value: 'yes', text: T('contact.reachedYes') }, { value: 'no', text: T('contact.reachedNo') }], values, errors),
          textarea('summary', T('contact.summary'), values, errors, T('contact.summaryHint')),
          dateField('nextContactOn', T('contact.next'), values, errors, T('contact.nextHint')),
        ],
      };
    }
    const isIsva = v.viewer === 'isva';
    return {
      lead: isIsva ? [T('plan.isvaRecording')] : v.isva ? [] : [T('plan.noIsvaYet')],
      fields: [
        input('frequencyDays', T('plan.frequency'), values, errors, { hint: { text: T('plan.frequencyHint') }, classes: 'govuk-input--width-3', inputmode: 'numeric' }),
        choices('checkboxes', 'methods', T('plan.methods'), contactMethods.map((m) => ({ value: m, text: contactMethodName(m) })), values, errors),
        choices('checkboxes', 'updaters', T('plan.updaters'), updaters.map((u) => ({ value: u, text: updaterName(u) })), values, errors),
        choices('radios', 'preferredLanguage', T('plan.language'), languages.map((l) => ({ value: l, text: languageName(l) })), values, errors),
        choices('checkboxes', 'safety', T('plan.safety'), [{ value: 'noVoicemail', text: T('plan.noVoicemail') }, { value: 'noPostToHome', text: T('plan.noPostToHome') }], values, errors),
        input('safeAddress', T('plan.safeAddress'), values, errors),
        input('safePhone', T('plan.safePhone'), values, errors, { type: 'tel', classes: 'govuk-input--width-20' }),
        input('safeEmail', T('plan.safeEmail'), values, errors, { type: 'email' }),
        textarea('otherRules', T('plan.otherRules'), values, errors),
        dateField('agreedOn', T('plan.agreedOn'), values, errors),
        ...(!isIsva && v.isva ? [choices('checkboxes', 'agreedWithIsva', T('plan.agreedWithIsva'), [{ value: 'yes', text: T('plan.agreedWithIsvaItem', { name: v.isva.name }) }], values, errors)] : []),
        ...(plan ? [textarea('changeReason', T('plan.changeReason'), values, errors)] : []),
      ],
    };
  };

  /** What the plan form shows first: the plan in force, to change. */
  const planValues = (plan: CommunicationPlan | null): Values => (plan ? {
    frequencyDays: String(plan.frequencyDays), methods: [...plan.methods], updaters: [...plan.updaters], preferredLanguage: plan.preferredLanguage,
    safety: [...(plan.noVoicemail ? ['noVoicemail'] : []), ...(plan.noPostToHome ? ['noPostToHome'] : [])],
    safeAddress: plan.safeAddress ?? '', safePhone: plan.safePhone ?? '', safeEmail: plan.safeEmail ?? '', otherRules: plan.otherRules, agreedOn: dateValues(plan.agreedOn),
  } : {});

  const show = async (form: Form, request: FastifyRequest, reply: FastifyReply, errors: SummaryError[] = [], values: Values | null = null, status = 200) => {
    const { caseId, victimId } = params(request);
    await communication.check(request.actor!, request.auditContext, caseId, victimId, powerOf[form]);
    const { v, plan } = await communication.record(request.actor!, request.auditContext, caseId, victimId);
    const titles = { plan: plan ? 'plan.change' : 'plan.record', contact: 'contact.log', isva: 'isva.title' } as const;
    return reply.code(status).render('communication/form.njk', {
      pageTitle: T(titles[form]),
      ...victimFrame(v, 'communication'),
      backHref: communicationPaths.page(v.summary.id, v.victim.id),
      version: v.summary.version,
      errors,
      submitText: T(`${form}.submit`),
      ...(await fieldsFor(form, v, plan, values ?? (form === 'plan' ? planValues(plan) : {}), errors)),
    });
  };

  const submit = (form: Form, request: FastifyRequest, reply: FastifyReply, values: Values, conflictField: string, command: () => Promise<unknown>) =>
    submitForm(auth, request, reply, {
      command: async () => {
        await command();
        const { caseId, victimId } = params(request);
        return { text: T(`flash.${form}`), to: communicationPaths.page(caseId, victimId) };
      },
      showAgain: (errors, status) => show(form, request, reply, errors, status === 409 ? null : values, status),
      conflictField,
      conflictMessage: T('error.conflict'),
    });

  for (const form of ['plan', 'contact', 'isva'] as const) {
    app.get(communicationPaths[form](CASE, VICTIM), audited, async (request, reply) => show(form, request, reply));
  }

  app.post(communicationPaths.plan(CASE, VICTIM), audited, async (request, reply) => {
    const body = request.body;
    const text = (name: string, max = 2100) => formString(body, name, { maxLength: max });
    const safety = formStrings(body, 'safety');
    const values = {
      frequencyDays: text('frequencyDays', 10), methods: formStrings(body, 'methods'), updaters: formStrings(body, 'updaters'), preferredLanguage: text('preferredLanguage', 10),
      safety, safeAddress: text('safeAddress'), safePhone: text('safePhone'), safeEmail: text('safeEmail'), otherRules: text('otherRules'),
      agreedOn: datePartsOf(body, 'agreedOn'), agreedWithIsva: formStrings(body, 'agreedWithIsva'), changeReason: text('changeReason'),
    };
    const input: PlanInput = { ...values, noVoicemail: safety.includes('noVoicemail'), noPostToHome: safety.includes('noPostToHome'), agreedWithIsva: values.agreedWithIsva.includes('yes') };
    const { caseId, victimId } = params(request);
    return submit('plan', request, reply, values, 'frequencyDays', () => communication.recordPlan(request.actor!, request.auditContext, caseId, victimId, input, formVersion(body)));
  });

  app.post(communicationPaths.contact(CASE, VICTIM), audited, async (request, reply) => {
    const body = request.body;
    const values = {
      on: datePartsOf(body, 'on'), at: formString(body, 'at', { maxLength: 10 }), method: formString(body, 'method', { maxLength: 50 }), reached: formString(body, 'reached', { maxLength: 10 }),
      voicemailLeft: formStrings(body, 'voicemailLeft'), postedToHome: formStrings(body, 'postedToHome'), summary: formString(body, 'summary', { maxLength: 2100 }), nextContactOn: datePartsOf(body, 'nextContactOn'),
    };
    const { caseId, victimId } = params(request);
    return submit('contact', request, reply, values, 'on-day', () => communication.logContact(request.actor!, request.auditContext, caseId, victimId, {
      ...values, voicemailLeft: values.voicemailLeft.includes('yes'), postedToHome: values.postedToHome.includes('yes'),
    }, formVersion(body)));
  });

  app.post(communicationPaths.isva(CASE, VICTIM), audited, async (request, reply) => {
    const body = request.body;
    const isva = formString(body, 'isva', { maxLength: 50 });
    const { caseId, victimId } = params(request);
    return submit('isva', request, reply, { isva }, 'isva', () => communication.recordIsva(request.actor!, request.auditContext, caseId, victimId, isva === 'none' ? null : isva, formVersion(body)));
  });
}

