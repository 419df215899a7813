// Pages of charging referrals and CPS decisions: the Charging section of a
// case and its forms (refer, triage, decide, finalise, reopen). Every form
// posts back to its own address, carries the case's version and redirects
// with a flash message; refusals are shown with the GOV.UK error summary.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { mayWorkOnCase } from '../../platform/access/case-access.ts';
import { allow } from '../../platform/access/policy.ts';
import type { AuthService } from '../../platform/auth/service.ts';
import { registerMessages, translate } from '../../platform/i18n/messages.ts';
import type { Platform } from '../../platform/platform.ts';
import { formatDate, formatDateTime, londonDate } from '../../platform/time/working-days.ts';
import { errorMessage, formString, formStrings } from '../../platform/web/forms.ts';
import type { SummaryError } from '../../platform/web/forms.ts';
import { submitForm } from '../../platform/web/submit.ts';
import type { FormOutcome } from '../../platform/web/submit.ts';
import { isOffenceClass, isStage, offenceClasses, offenceName, stageName } from '../model.ts';
import type { CaseSummary } from '../model.ts';
import { caseFrame, registerCaseSection } from '../sections.ts';
import { formVersion } from '../web-support.ts';
import { registerChargingApi } from './api.ts';
import messages from './messages.en.json' with { type: 'json' };
import {
  FINALISE_STAGES,
  REFERRAL_STAGES,
  REOPEN_STAGES,
  adviceNotRequestedReasons,
  chargingTests,
  finalisationReasons,
  suspectDecisions,
  triageChecklist,
  triageResults,
} from './model.ts';
import type { ChargingFile, DecisionView, ReferralView } from './model.ts';
import { chargingPowers, createChargingService } from './service.ts';
import type { ChargingService } from './service.ts';

registerMessages('en', messages);

export const chargingPaths = {
  section: (id: string) => `/cases/${id}/charging`,
  refer: (id: string) => `/cases/${id}/charging/referral`,
  triage: (id: string) => `/cases/${id}/charging/triage`,
  decide: (id: string) => `/cases/${id}/charging/decision`,
  finalise: (id: string) => `/cases/${id}/charging/finalise`,
  reopen: (id: string) => `/cases/${id}/charging/reopen`,
  /** Built by the action plans part. */
  actionPlan: (id: string) => `/cases/${id}/action-plans/new`,
};

const CASE = ':caseId';

function describe(event: { type: string; data: Readonly<Record<string, unknown>> }): { title: string; text: string } {
  const data = event.data as Record<string, string | boolean | undefined>;
  const name = <T extends Record<string, string>>(list: T, key: unknown) => (typeof key === 'string' && Object.hasOwn(list, key) ? list[key as keyof T]! : '');
  switch (event.type) {
    case 'charging.referred':
      return { title: translate('charging.event.referred'), text: translate('charging.event.referredText', { test: name(chargingTests, data.test) }) };
    case 'charging.triaged':
      return { title: translate('charging.event.triaged'), text: name(triageResults, data.result) };
    case 'charging.decided':
      return { title: translate('charging.event.decided'), text: `${name(suspectDecisions, data.decision)}${data.alternativeOffence ? ` (${translate('charging.decision.alternative').toLowerCase()})` : ''}` };
    case 'charging.reopened':
      return { title: translate('charging.event.reopened'), text: translate('charging.event.reopenedText', { stage: typeof data.to === 'string' && isStage(data.to) ? stageName(data.to) : '' }) };
    case 'charging.administratively-finalised':
      return { title: translate('charging.event.finalised'), text: name(finalisationReasons.reasons, data.reasonCode) };
    default:
      return { title: event.type, text: '' };
  }
}

export function registerCharging(app: FastifyInstance, platform: Platform, auth: AuthService): void {
  const charging = createChargingService(platform);
  registerCaseSection({
    key: 'charging',
    titleKey: 'charging.section',
    order: 40,
    href: chargingPaths.section,
    eventPrefix: 'charging.',
    describe,
    actions: ({ summary, side }) => {
      const id = summary.id;
      if (side === 'police' && REFERRAL_STAGES.includes(summary.stage)) return [{ text: translate('charging.refer.title'), href: chargingPaths.refer(id) }];
      if (side !== 'cps') return [];
      return [
        ...(summary.stage === 'charging_referral' ? [{ text: translate('charging.decide.title'), href: chargingPaths.section(id) }] : []),
        ...(FINALISE_STAGES.includes(summary.stage) && summary.stage !== 'charging_referral' ? [{ text: translate('charging.finalise.title'), href: chargingPaths.finalise(id) }] : []),
        ...(REOPEN_STAGES.includes(summary.stage) ? [{ text: translate('charging.reopen.title'), href: chargingPaths.reopen(id) }] : []),
      ];
    },
  });
  registerChargingPages(app, charging, auth);
  registerChargingApi(app, charging);
}

function sectionModel(summary: CaseSummary, file: ChargingFile, powers: ReturnType<typeof chargingPowers>, mayWork: boolean) {
  const id = summary.id;
  const names = new Map(file.suspects.map((s) => [s.id, s.name]));
  const current = file.current;
  const actions: { text: string; href: string; classes?: string }[] = [];
  if (mayWork) {
    const resubmit = summary.stage === 'charging_referral' && current?.triage?.result === 'returned';
    if (powers.refer && (REFERRAL_STAGES.includes(summary.stage) || resubmit)) actions.push({ text: translate('charging.refer.title'), href: chargingPaths.refer(id) });
    if (powers.triage && summary.stage === 'charging_referral' && current && !current.triage) actions.push({ text: translate('charging.triage.title'), href: chargingPaths.triage(id) });
    if (powers.decide && file.suspects.some((s) => s.awaitingDecision) && current?.triage?.result === 'accepted') {
      actions.push({ text: translate('charging.decide.title'), href: chargingPaths.decide(id) });
    }
    if (powers.decide && summary.stage === 'charging_referral') actions.push({ text: translate('charging.decide.actionPlan'), href: chargingPaths.actionPlan(id), classes: 'govuk-button--secondary' });
    if (powers.decide && FINALISE_STAGES.includes(summary.stage)) actions.push({ text: translate('charging.finalise.title'), href: chargingPaths.finalise(id), classes: 'govuk-button--secondary' });
    if (powers.decide && REOPEN_STAGES.includes(summary.stage)) actions.push({ text: translate('charging.reopen.title'), href: chargingPaths.reopen(id) });
  }
  const referralRows = (r: ReferralView) => [
    { key: { text: translate('charging.field.test') }, value: { text: chargingTests[r.test] } },
    { key: { text: translate('charging.field.referredBy') }, value: { text: `${r.referredBy}, ${formatDateTime(r.referredAt)}` } },
    { key: { text: translate('charging.field.suspects') }, value: { text: r.suspectIds.map((s) => names.get(s) ?? '').join(', ') } },
    ...(r.notRequested ? [{ key: { text: translate('charging.field.adviceNotRequested') }, value: { text: `${(adviceNotRequestedReasons.reasons as Record<string, string>)[r.notRequested.reason] ?? r.notRequested.reason}. ${r.notRequested.detail}` } }] : []),
    {
      key: { text: translate('charging.field.triage') },
      value: {
        text: r.triage
          ? `${translate('charging.triage.summary', { result: triageResults[r.triage.result], name: r.triage.by, date: formatDate(londonDate(r.triage.at)), items: r.triage.items.map((i) => triageChecklist.items[i]).join('; ') || translate('charging.triage.none') })}${r.triage.reasons ? `. ${r.triage.reasons}` : ''}`
          : translate('charging.triage.notYet'),
      },
    },
  ];
  const decisionText = (d: DecisionView) => {
    if (d.kind === 'administratively_finalised') return translate('charging.decision.finalised');
    if (d.kind === 'reopened') return translate('charging.decision.reopened');
    return suspectDecisions[d.kind];
  };
  const decisionDetails = (d: DecisionView) => {
    const offences = d.offences.map((o) => `${isOffenceClass(o.offenceClass) ? offenceName(o.offenceClass) : o.offenceClass}: ${o.wording}`).join('; ');
    const reason = d.kind === 'administratively_finalised' && d.reasonCode ? `${(finalisationReasons.reasons as Record<string, string>)[d.reasonCode] ?? d.reasonCode}. ` : '';
    return [offences, d.alternativeOffence ? translate('charging.decision.alternative') : '', `${reason}${d.reasons}`, d.superseded ? translate('charging.decision.superseded') : ''].filter(Boolean).join('. ');
  };
  return {
    pageTitle: translate('charging.title'),
    ...caseFrame(summary, 'charging'),
    backHref: `/cases/${id}`,
    actions,
    suspectHead: [{ text: translate('charging.field.suspect') }, { text: translate('charging.field.consultations'), format: 'numeric' }, { text: translate('charging.field.status') }],
    suspectRows: file.suspects.map((s) => [
      { text: s.name },
      { text: String(s.consultations), format: 'numeric' },
      { text: s.decision ? suspectDecisions[s.decision] : s.awaitingDecision ? translate('charging.status.awaiting') : translate('charging.status.notReferred') },
    ]),
    referrals: file.referrals.map((r) => ({ title: translate('charging.referral.title', { date: formatDate(londonDate(r.referredAt)) }), rows: referralRows(r) })),
    decisionHead: [{ text: translate('charging.field.suspect') }, { text: translate('charging.field.decision') }, { text: translate('charging.field.details') }, { text: translate('charging.field.by') }, { text: translate('charging.field.when') }],
    decisionRows: file.decisions.map((d) => [
      { text: d.suspectId ? names.get(d.suspectId) ?? '' : '' },
      { text: decisionText(d) },
      { text: decisionDetails(d) },
      { text: d.decidedBy },
      { text: formatDateTime(d.decidedAt) },
    ]),
  };
}

type Values = Record<string, string | string[] | undefined>;

const radios = (name: string, legend: string, items: Record<string, string>, values: Values, errors: SummaryError[], hint?: string) => ({
  kind: 'radios',
  params: {
    fieldset: { legend: { text: legend, classes: 'govuk-fieldset__legend--s' } },
    ...(hint ? { hint: { text: hint } } : {}),
    idPrefix: name, name,
    items: Object.entries(items).map(([value, text]) => ({ value, text, checked: values[name] === value })),
    errorMessage: errorMessage(errors, name),
  },
});
const checkboxes = (name: string, legend: string, items: Record<string, string>, values: Values, errors: SummaryError[]) => ({
  kind: 'checkboxes',
  params: {
    fieldset: { legend: { text: legend, classes: 'govuk-fieldset__legend--s' } },
    idPrefix: name, name,
    items: Object.entries(items).map(([value, text]) => ({ value, text, checked: ([] as string[]).concat(values[name] ?? []).includes(value) })),
    errorMessage: errorMessage(errors, name),
  },
});
const textarea = (name: string, label: string, values: Values, errors: SummaryError[], hint?: string) => ({
  kind: 'textarea',
  params: { label: { text: label, classes: 'govuk-label--s' }, ...(hint ? { hint: { text: hint } } : {}), id: name, name, value: values[name] ?? '', errorMessage: errorMessage(errors, name) },
});

type Form = 'refer' | 'triage' | 'decide' | 'finalise' | 'reopen';
const power = { refer: 'refer', triage: 'triage', decide: 'decide', finalise: 'decide', reopen: 'decide' } as const;

function registerChargingPages(app: FastifyInstance, charging: ChargingService, auth: AuthService): void {
  const audited = { config: { policy: allow.signedIn, audit: 'required' as const } };
  const caseIdOf = (request: FastifyRequest) => (request.params as { caseId: string }).caseId;

  app.get(chargingPaths.section(CASE), audited, async (request, reply) => {
    const actor = request.actor!;
    const { summary, file, side, access } = await charging.chargingFile(actor, request.auditContext, caseIdOf(request));
    return reply.render('charging/charging.njk', sectionModel(summary, file, chargingPowers(actor, side), mayWorkOnCase(access)));
  });

  /** The fields of each form, and why it cannot be used now (if it cannot). */
  function formFor(form: Form, summary: CaseSummary, file: ChargingFile, values: Values, errors: SummaryError[]) {
    const stage = summary.stage;
    const current = file.current;
    switch (form) {
      case 'refer': {
        const resubmit = stage === 'charging_referral' && current?.triage?.result === 'returned';
        const unavailable = !REFERRAL_STAGES.includes(stage) && !resubmit ? translate('charging.refer.unavailable')
          // A referral is about suspects: with none on the case there is nothing to choose, so say what to do first.
          : file.suspects.length === 0 ? translate('charging.refer.noSuspects') : null;
        return {
          unavailable,
          fields: [
            radios('test', translate('charging.refer.test'), chargingTests, values, errors),
            checkboxes('suspectIds', translate('charging.refer.suspects'), Object.fromEntries(file.suspects.map((s) => [s.id, s.name])), values, errors),
            ...(file.adviceWasRequested ? [] : [
              radios('notRequestedReason', translate('charging.refer.notRequested'), adviceNotRequestedReasons.reasons, values, errors, translate('charging.refer.notRequestedHint')),
              textarea('notRequestedDetail', translate('charging.refer.notRequestedDetail'), values, errors),
            ]),
          ],
        };
      }
      case 'triage':
        return {
          unavailable: stage === 'charging_referral' && current && !current.triage ? null : translate('charging.triage.unavailable'),
          fields: [
            checkboxes('items', translate('charging.triage.items'), triageChecklist.items, values, errors),
            radios('result', translate('charging.triage.result'), triageResults, values, errors),
            textarea('reasons', translate('charging.triage.reasons'), values, errors),
          ],
        };
      case 'decide': {
        const pending = file.suspects.filter((s) => s.awaitingDecision);
        return {
          unavailable: pending.length && current?.triage?.result === 'accepted' ? null : translate('charging.decide.unavailable'),
          fields: [
            radios('suspectId', translate('charging.decide.suspect'), Object.fromEntries(pending.map((s) => [s.id, `${s.name} (${translate('charging.field.consultations').toLowerCase()}: ${s.consultations})`])), values, errors),
            radios('decision', translate('charging.decide.decision'), suspectDecisions, values, errors),
            {
              kind: 'select',
              params: {
                label: { text: translate('charging.decide.offenceClass'), classes: 'govuk-label--s' }, id: 'offenceClass', name: 'offenceClass',
                items: [{ value: '', text: translate('charging.decide.chooseOffence') }, ...offenceClasses.map((value) => ({ value, text: offenceName(value), selected: values.offenceClass === value }))],
                errorMessage: errorMessage(errors, 'offenceClass'),
              },
            },
            textarea('wording', translate('charging.decide.wording'), values, errors, translate('charging.decide.wordingHint')),
            checkboxes('alternativeOffence', translate('charging.decision.alternative'), { yes: translate('charging.decide.alternative') }, values, errors),
            textarea('reasons', translate('charging.decide.reasons'), values, errors),
          ],
        };
      }
      case 'finalise':
        return {
          unavailable: FINALISE_STAGES.includes(stage) ? null : translate('charging.finalise.unavailable'),
          fields: [radios('reason', translate('charging.finalise.reason'), finalisationReasons.reasons, values, errors), textarea('detail', translate('charging.finalise.detail'), values, errors)],
        };
      case 'reopen':
        return {
          unavailable: REOPEN_STAGES.includes(stage) ? null : translate('charging.reopen.unavailable'),
          fields: [textarea('reason', translate('charging.reopen.reason'), values, errors, translate('charging.reopen.hint'))],
        };
    }
  }

  const show = async (form: Form, request: FastifyRequest, reply: FastifyReply, errors: SummaryError[] = [], values: Values = {}, status = 200) => {
    const actor = request.actor!;
    await charging.check(actor, request.auditContext, caseIdOf(request), power[form]);
    const { summary, file } = await charging.chargingFile(actor, request.auditContext, caseIdOf(request));
    const { unavailable, fields } = formFor(form, summary, file, values, errors);
    return reply.code(status).render('charging/form.njk', {
      pageTitle: translate(`charging.${form}.title`),
      ...caseFrame(summary, 'charging'),
      backHref: chargingPaths.section(summary.id),
      version: summary.version,
      errors,
      lead: [],
      unavailable,
      fields,
      submitText: translate(`charging.${form}.submit`),
    });
  };

  const submit = (request: FastifyRequest, reply: FastifyReply, form: Form, values: Values, conflictField: string, command: () => Promise<FormOutcome>) =>
    submitForm(auth, request, reply, {
      command,
      showAgain: (errors, status) => show(form, request, reply, errors, status === 409 ? {} : values, status),
      conflictField,
      conflictMessage: translate('charging.error.conflict'),
    });

  const text = (body: unknown, name: string) => formString(body, name, { maxLength: 5000 });
  const done = (caseId: string, key: string): FormOutcome => ({ text: translate(key), to: chargingPaths.section(caseId) });

  for (const form of ['refer', 'triage', 'decide', 'finalise', 'reopen'] as const) {
    app.get(chargingPaths[form](CASE), audited, async (request, reply) => show(form, request, reply));
  }

  app.post(chargingPaths.refer(CASE), audited, async (request, reply) => {
    const caseId = caseIdOf(request);
    const body = request.body;
    const values = { test: text(body, 'test'), suspectIds: formStrings(body, 'suspectIds').slice(0, 50), notRequestedReason: text(body, 'notRequestedReason'), notRequestedDetail: text(body, 'notRequestedDetail') };
    return submit(request, reply, 'refer', values, 'test', async () => {
      await charging.refer(request.actor!, request.auditContext, caseId, values, formVersion(body));
      return done(caseId, 'charging.flash.referred');
    });
  });

  app.post(chargingPaths.triage(CASE), audited, async (request, reply) => {
    const caseId = caseIdOf(request);
    const body = request.body;
    const values = { items: formStrings(body, 'items').slice(0, 50), result: text(body, 'result'), reasons: text(body, 'reasons') };
    return submit(request, reply, 'triage', values, 'result', async () => {
      await charging.triage(request.actor!, request.auditContext, caseId, values, formVersion(body));
      return done(caseId, 'charging.flash.triaged');
    });
  });

  app.post(chargingPaths.decide(CASE), audited, async (request, reply) => {
    const caseId = caseIdOf(request);
    const body = request.body;
    const values = { suspectId: text(body, 'suspectId'), decision: text(body, 'decision'), offenceClass: text(body, 'offenceClass'), wording: text(body, 'wording'), alternativeOffence: formStrings(body, 'alternativeOffence').slice(0, 1), reasons: text(body, 'reasons') };
    return submit(request, reply, 'decide', values, 'decision', async () => {
      const offences = values.decision === 'charge' && (values.offenceClass || values.wording) ? [{ offenceClass: values.offenceClass, wording: values.wording }] : [];
      await charging.decide(request.actor!, request.auditContext, caseId, { suspectId: values.suspectId, decision: values.decision, offences, alternativeOffence: values.alternativeOffence.includes('yes'), reasons: values.reasons }, formVersion(body));
      return done(caseId, 'charging.flash.decided');
    });
  });

  app.post(chargingPaths.finalise(CASE), audited, async (request, reply) => {
    const caseId = caseIdOf(request);
    const body = request.body;
    const values = { reason: text(body, 'reason'), detail: text(body, 'detail') };
    return submit(request, reply, 'finalise', values, 'reason', async () => {
      await charging.finalise(request.actor!, request.auditContext, caseId, values, formVersion(body));
      return done(caseId, 'charging.flash.finalised');
    });
  });

  app.post(chargingPaths.reopen(CASE), audited, async (request, reply) => {
    const caseId = caseIdOf(request);
    const body = request.body;
    const values = { reason: text(body, 'reason') };
    return submit(request, reply, 'reopen', values, 'reason', async () => {
      await charging.reopen(request.actor!, request.auditContext, caseId, values, formVersion(body));
      return done(caseId, 'charging.flash.reopened');
    });
  });
}
