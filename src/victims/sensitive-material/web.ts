// Pages of a victim's digital devices and third-party material: two tabs of
// the victim's records, shown only to those who may open them. Each page asks
// for the person's reason (the reveal form) until they hold an unexpired
// reveal; forms post back to their own address, carry the case's version and
// redirect with a flash.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { mayOpenSensitiveMaterial } from '../../platform/access/case-access.ts';
import { allow } from '../../platform/access/policy.ts';
import type { AuthService } from '../../platform/auth/service.ts';
import { registerMessages, translate } from '../../platform/i18n/messages.ts';
import type { Platform } from '../../platform/platform.ts';
import { formatDate, formatDateTime } from '../../platform/time/working-days.ts';
import { errorMessage, formString, formStrings } from '../../platform/web/forms.ts';
import type { SummaryError } from '../../platform/web/forms.ts';
import { Problem } from '../../platform/web/errors.ts';
import { submitForm } from '../../platform/web/submit.ts';
import type { DateParts } from '../../cases/model.ts';
import { dateItems, datePartsOf, formVersion } from '../../cases/web-support.ts';
import { registerVictimPart, victimFrame } from '../parts.ts';
import type { LoadedVictim } from '../victim-commands.ts';
import { registerSensitiveMaterialApi } from './api.ts';
import messages from './messages.en.json' with { type: 'json' };
import { REASON_MAX, REASON_MIN, REVEAL_MINUTES, dataTypes, deviceTypes, dpnVersions, holderTypes, ownerRoles, powers, revealCategories, tpmOutcomes } from './model.ts';
import type { Compartment, Device, Reveal, TpmRequest } from './model.ts';
import { createSensitiveMaterialService } from './service.ts';
import type { SensitiveMaterialService } from './service.ts';

registerMessages('en', messages);

const base = (caseId: string, victimId: string) => `/cases/${caseId}/victims/${victimId}`;
export const sensitivePaths = {
  devices: (c: string, v: string) => `${base(c, v)}/devices`,
  tpm: (c: string, v: string) => `${base(c, v)}/third-party-material`,
  reveal: (c: string, v: string, compartment: Compartment) => `${base(c, v)}/${compartment}/reveal`,
  newDevice: (c: string, v: string) => `${base(c, v)}/devices/new`,
  deviceStep: (c: string, v: string, deviceId: string, step: 'extraction' | 'return') => `${base(c, v)}/devices/${deviceId}/${step}`,
  newTpm: (c: string, v: string) => `${base(c, v)}/third-party-material/new`,
  tpmOutcome: (c: string, v: string, requestId: string) => `${base(c, v)}/third-party-material/${requestId}/outcome`,
};

const name = (group: string, key: string) => translate(`sensitive.${group}.${key}`);
const dateOrNone = (on: string | null) => (on ? formatDate(on) : translate('sensitive.notRecorded'));

/** Timeline lines: codes and dates only, as the journal holds nothing else. */
function describe(event: { type: string; data: Readonly<Record<string, unknown>> }): { title: string; text: string } {
  const { data } = event;
  const code = (group: string, value: unknown, list: readonly string[]) => (typeof value === 'string' && list.includes(value) ? name(group, value) : '');
  const on = typeof data.on === 'string' ? formatDate(data.on) : '';
  switch (event.type) {
    case 'victims.sensitive-material.device-recorded':
      return { title: translate('sensitive.event.deviceRecorded'), text: code('power', data.power, powers.keys) };
    case 'victims.sensitive-material.device-extracted':
      return { title: translate('sensitive.event.deviceExtracted'), text: on };
    case 'victims.sensitive-material.device-returned':
      return { title: translate('sensitive.event.deviceReturned'), text: typeof data.daysWithout === 'number' ? translate('sensitive.event.daysWithout', { days: data.daysWithout }) : on };
    case 'victims.sensitive-material.tpm-requested':
      return { title: translate('sensitive.event.tpmRequested'), text: code('holder', data.holder, holderTypes) };
    case 'victims.sensitive-material.tpm-outcome':
      return { title: translate('sensitive.event.tpmOutcome'), text: code('outcome', data.outcome, tpmOutcomes) };
    default:
      return { title: event.type, text: '' };
  }
}

export function registerSensitiveMaterial(app: FastifyInstance, platform: Platform, auth: AuthService): void {
  const service = createSensitiveMaterialService(platform);
  const visible = (actor: Parameters<typeof mayOpenSensitiveMaterial>[0], v: LoadedVictim) => mayOpenSensitiveMaterial(actor, v.loaded.access);
  registerVictimPart({ key: 'devices', titleKey: 'sensitive.devices.tab', order: 80, href: sensitivePaths.devices, forIsva: false, visible, eventPrefix: 'victims.sensitive-material.', describe });
  registerVictimPart({ key: 'third-party-material', titleKey: 'sensitive.tpm.tab', order: 81, href: sensitivePaths.tpm, forIsva: false, visible });
  registerPages(app, service, auth);
  registerSensitiveMaterialApi(app, service);
}

type Values = Record<string, string | string[] | DateParts | undefined>;
const str = (values: Values, field: string) => (typeof values[field] === 'string' ? (values[field] as string) : '');
const legend = (text: string) => ({ legend: { text, classes: 'govuk-fieldset__legend--s' } });
const choices = (group: string, list: readonly string[]) => list.map((key) => [key, name(group, key)] as const);

const radios = (field: string, label: string, items: readonly (readonly [string, string])[], values: Values, errors: SummaryError[]) => ({
  kind: 'radios', params: { fieldset: legend(label), idPrefix: field, name: field, items: items.map(([value, text]) => ({ value, text, checked: str(values, field) === value })), errorMessage: errorMessage(errors, field) },
});
const textarea = (field: string, label: string, values: Values, errors: SummaryError[], hint?: string) => ({
  kind: 'textarea', params: { label: { text: label, classes: 'govuk-label--s' }, hint: hint ? { text: hint } : undefined, id: field, name: field, value: str(values, field), errorMessage: errorMessage(errors, field) },
});
function dateField(field: string, label: string, values: Values, errors: SummaryError[]) {
  const error = errors.find((e) => e.field.startsWith(`${field}-`));
  return { kind: 'date', params: { id: field, fieldset: legend(label), items: dateItems(field, values[field] as Partial<DateParts> | undefined, errors), errorMessage: error ? { text: error.text } : undefined } };
}

function deviceCard(d: Device, caseId: string, victimId: string) {
  const row = (key: string, text: string) => ({ key: { text: translate(`sensitive.field.${key}`) }, value: { text } });
  const days = d.daysWithout === null ? translate('sensitive.notRecorded') : translate(d.returnedOn ? 'sensitive.days' : 'sensitive.daysKept', { days: d.daysWithout });
  return {
    title: `${name('deviceType', d.deviceType)}: ${d.description}`,
    actions: [
      ...(d.extractedOn ? [] : [{ text: translate('sensitive.devices.extraction'), href: sensitivePaths.deviceStep(caseId, victimId, d.id, 'extraction') }]),
      ...(d.returnedOn ? [] : [{ text: translate('sensitive.devices.return'), href: sensitivePaths.deviceStep(caseId, victimId, d.id, 'return') }]),
    ],
    rows: [
      row('ownerRole', name('ownerRole', d.ownerRole)),
      row('lineOfEnquiry', d.lineOfEnquiry),
      row('power', name('power', d.power)),
      row('scope', d.scopeFrom && d.scopeTo ? translate('sensitive.scopeText', { from: formatDate(d.scopeFrom), to: formatDate(d.scopeTo) }) : translate('sensitive.notRecorded')),
      row('dataTypes', d.dataTypes.length ? d.dataTypes.map((t) => name('dataType', t)).join(', ') : translate('sensitive.none')),
      row('accounts', d.accounts || translate('sensitive.none')),
      row('dpnVersion', d.dpnVersion ? `${name('dpn', d.dpnVersion)}, ${dateOrNone(d.dpnGivenOn)}` : translate('sensitive.dpn.none')),
      row('takenOn', dateOrNone(d.takenOn)),
      row('extractedOn', dateOrNone(d.extractedOn)),
      row('returnedOn', dateOrNone(d.returnedOn)),
      row('daysWithout', days),
      row('recordedBy', `${d.recordedByName}, ${formatDateTime(d.recordedAt)}`),
    ],
  };
}

function tpmCard(r: TpmRequest, caseId: string, victimId: string) {
  const row = (key: string, text: string) => ({ key: { text: translate(`sensitive.field.${key}`) }, value: { text } });
  return {
    title: translate('sensitive.tpm.request', { holder: name('holder', r.holder) }),
    actions: r.outcome === 'pending' ? [{ text: translate('sensitive.tpm.outcome'), href: sensitivePaths.tpmOutcome(caseId, victimId, r.id) }] : [],
    rows: [
      row('rationale', r.rationale),
      row('atEarlyAdvice', r.atEarlyAdvice ? translate('sensitive.earlyAdviceOn', { date: dateOrNone(r.decidedOn) }) : translate('sensitive.no')),
      row('requestedOn', dateOrNone(r.requestedOn)),
      row('outcome', r.outcomeOn ? translate('sensitive.outcomeText', { outcome: name('outcome', r.outcome), date: formatDate(r.outcomeOn) }) : name('outcome', r.outcome)),
      row('recordedBy', `${r.recordedByName}, ${formatDateTime(r.recordedAt)}`),
    ],
  };
}

function registerPages(app: FastifyInstance, service: SensitiveMaterialService, auth: AuthService): void {
  const audited = { config: { policy: allow.signedIn, audit: 'required' as const } };
  const params = (request: FastifyRequest) => request.params as { caseId: string; victimId: string; deviceId?: string; requestId?: string };
  const P = { c: ':caseId', v: ':victimId' };
  const read = (compartment: Compartment, request: FastifyRequest) => {
    const { caseId, victimId } = params(request);
    return compartment === 'devices' ? service.devices(request.actor!, request.auditContext, caseId, victimId) : service.tpmRequests(request.actor!, request.auditContext, caseId, victimId);
  };
  const tabOf = (compartment: Compartment, v: LoadedVictim) => (compartment === 'devices' ? sensitivePaths.devices : sensitivePaths.tpm)(v.summary.id, v.victim.id);

  /** The reveal form, in place of any page of the compartment. */
  const showReveal = (request: FastifyRequest, reply: FastifyReply, v: LoadedVictim, compartment: Compartment, errors: SummaryError[] = [], values: Values = {}, status = 200) =>
    reply.code(status).render('sensitive-material/compartment.njk', {
      pageTitle: translate(`sensitive.reveal.${compartment}.title`),
      ...victimFrame(v, compartment, request.actor!),
      backHref: `/cases/${v.summary.id}/victims/${v.victim.id}`,
      errors,
      reveal: {
        action: sensitivePaths.reveal(v.summary.id, v.victim.id, compartment),
        lead: translate('sensitive.reveal.lead', { minutes: REVEAL_MINUTES }),
        category: radios('category', translate('sensitive.reveal.category'), choices('category', revealCategories), values, errors).params,
        reason: textarea('reason', translate('sensitive.reveal.reason'), values, errors, translate('sensitive.reveal.reasonHint', { min: REASON_MIN, max: REASON_MAX })).params,
      },
    });

  const openUntil = (reveal: Reveal) => translate('sensitive.reveal.openUntil', { time: formatDateTime(reveal.expiresAt) });

  for (const compartment of ['devices', 'third-party-material'] as const) {
    const devices = compartment === 'devices';
    app.get(devices ? sensitivePaths.devices(P.c, P.v) : sensitivePaths.tpm(P.c, P.v), audited, async (request, reply) => {
      const { v, reveal, items } = await read(compartment, request);
      if (!reveal) return showReveal(request, reply, v, compartment);
      const { id: caseId } = v.summary;
      return reply.render('sensitive-material/compartment.njk', {
        pageTitle: translate(devices ? 'sensitive.devices.title' : 'sensitive.tpm.title'),
        ...victimFrame(v, compartment, request.actor!),
        backHref: `/cases/${caseId}/victims/${v.victim.id}`,
        openUntil: openUntil(reveal),
        newText: translate(devices ? 'sensitive.devices.new' : 'sensitive.tpm.new'),
        newHref: devices ? sensitivePaths.newDevice(caseId, v.victim.id) : sensitivePaths.newTpm(caseId, v.victim.id),
        noneText: translate(devices ? 'sensitive.devices.none' : 'sensitive.tpm.none'),
        records: devices ? (items as Device[]).map((d) => deviceCard(d, caseId, v.victim.id)) : (items as TpmRequest[]).map((r) => tpmCard(r, caseId, v.victim.id)),
      });
    });

    app.post(sensitivePaths.reveal(P.c, P.v, compartment), audited, async (request, reply) => {
      const { caseId, victimId } = params(request);
      const values = { category: formString(request.body, 'category', { maxLength: 50 }), reason: formString(request.body, 'reason', { maxLength: REASON_MAX + 100 }) };
      return submitForm(auth, request, reply, {
        command: async () => {
          const reveal = await service.reveal(request.actor!, request.auditContext, caseId, victimId, compartment, values);
          return { text: translate('sensitive.reveal.flash', { time: formatDateTime(reveal.expiresAt) }), to: (devices ? sensitivePaths.devices : sensitivePaths.tpm)(caseId, victimId) };
        },
        showAgain: async (errors, status) => showReveal(request, reply, await service.open(request.actor!, request.auditContext, caseId, victimId, 'see'), compartment, errors, values, status),
        conflictField: 'reason',
      });
    });
  }

  /**
   * A form page of a compartment: shown with the reveal form instead while
   * the person holds no reveal; on submit, the command, then back to the tab.
   */
  const formPage = <T>(compartment: Compartment, path: string, options: {
    title: string;
    fields: (items: T[], request: FastifyRequest, values: Values, errors: SummaryError[]) => { lead?: string[]; fields: unknown[] } | null;
    values: (body: unknown) => Values;
    command: (request: FastifyRequest, values: Values, version: number | null) => Promise<unknown>;
    flash: string;
    conflictField: string;
  }) => {
    const show = async (request: FastifyRequest, reply: FastifyReply, errors: SummaryError[] = [], values: Values = {}, status = 200) => {
      const { v, reveal, items } = await read(compartment, request);
      if (!reveal) return showReveal(request, reply, v, compartment);
      const form = options.fields(items as T[], request, values, errors);
      if (!form) throw new Problem('not-found');
      return reply.code(status).render('sensitive-material/form.njk', {
        pageTitle: translate(options.title), ...victimFrame(v, compartment, request.actor!), backHref: tabOf(compartment, v),
        version: v.summary.version, errors, submitText: translate('sensitive.submit'), lead: form.lead ?? [], fields: form.fields,
      });
    };
    app.get(path, audited, async (request, reply) => show(request, reply));
    app.post(path, audited, async (request, reply) => {
      const values = options.values(request.body);
      const { caseId, victimId } = params(request);
      return submitForm(auth, request, reply, {
        command: async () => {
          await options.command(request, values, formVersion(request.body));
          return { text: translate(options.flash), to: (compartment === 'devices' ? sensitivePaths.devices : sensitivePaths.tpm)(caseId, victimId) };
        },
        showAgain: (errors, status) => show(request, reply, errors, status === 409 ? {} : values, status),
        conflictField: options.conflictField,
        conflictMessage: translate('sensitive.error.conflict'),
      });
    });
  };

  const text = (body: unknown, field: string) => formString(body, field, { maxLength: 5000 });
  const ids = (request: FastifyRequest) => [request.actor!, request.auditContext, params(request).caseId, params(request).victimId] as const;

  formPage<Device>('devices', sensitivePaths.newDevice(P.c, P.v), {
    title: 'sensitive.devices.newTitle',
    fields: (_items, _request, values, errors) => ({
      fields: [
        radios('deviceType', translate('sensitive.field.deviceType'), choices('deviceType', deviceTypes), values, errors),
        { kind: 'input', params: { label: { text: translate('sensitive.field.description'), classes: 'govuk-label--s' }, hint: { text: translate('sensitive.field.descriptionHint') }, id: 'description', name: 'description', value: str(values, 'description'), autocomplete: 'off', spellcheck: false, errorMessage: errorMessage(errors, 'description') } },
        radios('ownerRole', translate('sensitive.field.ownerRole'), choices('ownerRole', ownerRoles), { ownerRole: 'victim', ...values }, errors),
        textarea('lineOfEnquiry', translate('sensitive.field.lineOfEnquiry'), values, errors),
        radios('power', translate('sensitive.field.power'), choices('power', powers.keys), values, errors),
        dateField('scopeFrom', translate('sensitive.field.scopeFrom'), values, errors),
        dateField('scopeTo', translate('sensitive.field.scopeTo'), values, errors),
        { kind: 'checkboxes', params: { fieldset: legend(translate('sensitive.field.dataTypes')), idPrefix: 'dataTypes', name: 'dataTypes', items: dataTypes.map((key) => ({ value: key, text: name('dataType', key), checked: ((values.dataTypes as string[] | undefined) ?? []).includes(key) })), errorMessage: errorMessage(errors, 'dataTypes') } },
        textarea('accounts', translate('sensitive.field.accounts'), values, errors),
        radios('dpnVersion', translate('sensitive.field.dpnVersion'), [...choices('dpn', dpnVersions), ['', translate('sensitive.dpn.none')]], values, errors),
        dateField('dpnGivenOn', translate('sensitive.field.dpnGivenOn'), values, errors),
        dateField('takenOn', translate('sensitive.field.takenOn'), values, errors),
      ],
    }),
    values: (body) => ({
      deviceType: text(body, 'deviceType'), description: text(body, 'description'), ownerRole: text(body, 'ownerRole'), lineOfEnquiry: text(body, 'lineOfEnquiry'), power: text(body, 'power'),
      scopeFrom: datePartsOf(body, 'scopeFrom'), scopeTo: datePartsOf(body, 'scopeTo'), dataTypes: formStrings(body, 'dataTypes'), accounts: text(body, 'accounts'),
      dpnVersion: text(body, 'dpnVersion'), dpnGivenOn: datePartsOf(body, 'dpnGivenOn'), takenOn: datePartsOf(body, 'takenOn'),
    }),
    command: (request, values, version) => service.recordDevice(...ids(request), {
      deviceType: str(values, 'deviceType'), description: str(values, 'description'), ownerRole: str(values, 'ownerRole'), lineOfEnquiry: str(values, 'lineOfEnquiry'), power: str(values, 'power'),
      scopeFrom: values.scopeFrom as DateParts, scopeTo: values.scopeTo as DateParts, dataTypes: values.dataTypes as string[], accounts: str(values, 'accounts'),
      dpnVersion: str(values, 'dpnVersion'), dpnGivenOn: values.dpnGivenOn as DateParts, takenOn: values.takenOn as DateParts,
    }, version),
    flash: 'sensitive.devices.flash.recorded',
    conflictField: 'deviceType',
  });

  for (const step of ['extraction', 'return'] as const) {
    formPage<Device>('devices', sensitivePaths.deviceStep(P.c, P.v, ':deviceId', step), {
      title: `sensitive.devices.${step}Title`,
      fields: (items, request, values, errors) => {
        const device = items.find((d) => d.id === params(request).deviceId);
        return device ? { lead: [`${name('deviceType', device.deviceType)}: ${device.description}`], fields: [dateField('on', translate('sensitive.field.on'), values, errors)] } : null;
      },
      values: (body) => ({ on: datePartsOf(body, 'on') }),
      command: (request, values, version) => service.deviceDate(...ids(request), params(request).deviceId ?? '', step, values.on as DateParts, version),
      flash: `sensitive.devices.flash.${step}`,
      conflictField: 'on-day',
    });
  }

  formPage<TpmRequest>('third-party-material', sensitivePaths.newTpm(P.c, P.v), {
    title: 'sensitive.tpm.newTitle',
    fields: (_items, _request, values, errors) => ({
      fields: [
        radios('holder', translate('sensitive.field.holder'), choices('holder', holderTypes), values, errors),
        textarea('rationale', translate('sensitive.field.rationale'), values, errors),
        radios('atEarlyAdvice', translate('sensitive.field.atEarlyAdvice'), [['yes', translate('sensitive.yes')], ['no', translate('sensitive.no')]], values, errors),
        dateField('decidedOn', translate('sensitive.field.decidedOn'), values, errors),
        dateField('requestedOn', translate('sensitive.field.requestedOn'), values, errors),
      ],
    }),
    values: (body) => ({ holder: text(body, 'holder'), rationale: text(body, 'rationale'), atEarlyAdvice: text(body, 'atEarlyAdvice'), decidedOn: datePartsOf(body, 'decidedOn'), requestedOn: datePartsOf(body, 'requestedOn') }),
    command: (request, values, version) => service.recordTpmRequest(...ids(request), {
      holder: str(values, 'holder'), rationale: str(values, 'rationale'), atEarlyAdvice: str(values, 'atEarlyAdvice'), decidedOn: values.decidedOn as DateParts, requestedOn: values.requestedOn as DateParts,
    }, version),
    flash: 'sensitive.tpm.flash.recorded',
    conflictField: 'holder',
  });

  formPage<TpmRequest>('third-party-material', sensitivePaths.tpmOutcome(P.c, P.v, ':requestId'), {
    title: 'sensitive.tpm.outcomeTitle',
    fields: (items, request, values, errors) => {
      const found = items.find((r) => r.id === params(request).requestId);
      return found ? {
        lead: [translate('sensitive.tpm.request', { holder: name('holder', found.holder) })],
        fields: [radios('outcome', translate('sensitive.field.outcome'), choices('outcome', tpmOutcomes.filter((o) => o !== 'pending')), values, errors), dateField('on', translate('sensitive.field.outcomeOn'), values, errors)],
      } : null;
    },
    values: (body) => ({ outcome: text(body, 'outcome'), on: datePartsOf(body, 'on') }),
    command: (request, values, version) => service.tpmOutcome(...ids(request), params(request).requestId ?? '', { outcome: str(values, 'outcome'), on: values.on as DateParts }, version),
    flash: 'sensitive.tpm.flash.outcome',
    conflictField: 'outcome',
  });
}
