// Pages of the case at court: what has happened there (hearings, defendants'
// outcomes and sentences), and one form for each thing the CPS side records.
// Forms post back to their own address; a stale form is a conflict.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { allow } from '../../platform/access/policy.ts';
import type { AuthService } from '../../platform/auth/service.ts';
import { registerMessages, translate } from '../../platform/i18n/messages.ts';
import type { Platform } from '../../platform/platform.ts';
import { formatDate } from '../../platform/time/working-days.ts';
import { formString, formStrings } from '../../platform/web/forms.ts';
import type { SummaryError } from '../../platform/web/forms.ts';
import { submitForm } from '../../platform/web/submit.ts';
import type { Stage } from '../model.ts';
import { caseFrame, registerCaseSection } from '../sections.ts';
import { dateItems, datePartsOf, formVersion } from '../web-support.ts';
import { registerCourtApi } from './api.ts';
import { adjournmentReasons, convictions, courts, describeCourtEvent, hearingKinds, outcomes, requesters, sentenceTypes } from './model.ts';
import type { CourtRecord, Hearing } from './model.ts';
import { createCourtService } from './service.ts';
import type { CourtService } from './service.ts';
import messages from './messages.en.json' with { type: 'json' };

export const courtForms = ['first-hearing', 'hearing', 'held', 'adjourn', 'crown-court', 'court-case-number', 'outcome', 'sentence'] as const;
export type CourtForm = (typeof courtForms)[number];

/** The stages at which each form is offered (the service enforces the same rules). */
const formStages: Record<CourtForm, readonly Stage[]> = {
  'first-hearing': ['charged'],
  'hearing': ['court'],
  'held': ['court'],
  'adjourn': ['court'],
  'crown-court': ['court'],
  'court-case-number': ['charged', 'court', 'completed'],
  'outcome': ['court'],
  'sentence': ['court', 'completed'],
};

export const courtPaths = {
  page: (caseId: string) => `/cases/${caseId}/court`,
  form: (caseId: string, form: CourtForm) => `/cases/${caseId}/court/${form}`,
};

const CASE = ':caseId';

const options = (entries: Record<string, string>, chosen: string) => Object.entries(entries).map(([value, text]) => ({ value, text, checked: value === chosen }));

const hearingText = (h: Hearing) => `${hearingKinds[h.kind]}, ${courts[h.court]}, ${formatDate(h.listedOn)}`;

export function registerCourt(app: FastifyInstance, platform: Platform, auth: AuthService): void {
  registerMessages('en', messages);
  const court = createCourtService(platform);
  registerCaseSection({
    key: 'court',
    titleKey: 'court.section',
    order: 70,
    href: courtPaths.page,
    eventPrefix: 'court.',
    describe: describeCourtEvent,
    // The overview knows the viewer's side, not their roles: the court forms refuse anyone on the CPS side who does not record court events.
    actions: ({ summary, side }) => {
      if (side !== 'cps') return [];
      if (summary.stage === 'charged') return [{ text: translate('court.form.first-hearing'), href: courtPaths.form(summary.id, 'first-hearing') }];
      if (summary.stage === 'court') return (['hearing', 'outcome'] as const).map((form) => ({ text: translate(`court.form.${form}`), href: courtPaths.form(summary.id, form) }));
      return [];
    },
  });
  registerCourtPages(app, court, auth);
  registerCourtApi(app, court);
}

function courtPageModel(summary: Parameters<typeof caseFrame>[0] & { id: string; courtCaseNumber: string | null }, record: CourtRecord, mayRecord: boolean) {
  const forms = mayRecord ? courtForms.filter((form) => formStages[form].includes(summary.stage)) : [];
  return {
    pageTitle: translate('court.title'),
    ...caseFrame(summary, 'court'),
    summaryRows: [
      { key: { text: translate('court.caseNumber') }, value: { text: summary.courtCaseNumber ?? translate('court.notYet') } },
      { key: { text: translate('court.sentToCrown') }, value: { text: record.sentToCrownCourtOn ? formatDate(record.sentToCrownCourtOn) : translate('court.notYet') } },
    ],
    forms: forms.map((form) => ({ text: translate(`court.form.${form}`), href: courtPaths.form(summary.id, form) })),
    hearingsHead: ['court.hearing.kind', 'court.hearing.court', 'court.hearing.date', 'court.hearing.status'].map((key) => ({ text: translate(key) })),
    hearingRows: record.hearings.map((h) => [
      { text: hearingKinds[h.kind] },
      { text: courts[h.court] },
      { text: formatDate(h.listedOn) },
      {
        text: h.status === 'held' && h.heldOn ? translate('court.status.held', { date: formatDate(h.heldOn) })
          : h.status === 'adjourned' ? translate('court.status.adjourned', {
            reason: h.adjournmentReason ? adjournmentReasons.reasons[h.adjournmentReason] : '',
            by: h.adjournmentRequestedBy ? requesters[h.adjournmentRequestedBy].toLowerCase() : '',
          })
            : translate('court.status.listed'),
      },
    ]),
    defendantsHead: ['court.defendant', 'court.outcome', 'court.sentence'].map((key) => ({ text: translate(key) })),
    defendantRows: record.defendants.map((d) => [
      { text: d.name },
      { text: d.outcome && d.outcomeOn ? `${translate('court.outcome.on', { outcome: outcomes[d.outcome], date: formatDate(d.outcomeOn) })}${d.victimWithdrawal ? ` (${translate('court.outcome.victimWithdrawal')})` : ''}` : translate('court.outcome.none') },
      {
        text: d.sentenceType && d.sentencedOn
          ? d.sentenceMonths !== null
            ? translate('court.sentence.months', { type: sentenceTypes[d.sentenceType], months: d.sentenceMonths, date: formatDate(d.sentencedOn) })
            : translate('court.sentence.plain', { type: sentenceTypes[d.sentenceType], date: formatDate(d.sentencedOn) })
          : translate('court.sentence.none'),
      },
    ]),
  };
}

function registerCourtPages(app: FastifyInstance, court: CourtService, auth: AuthService): void {
  const audited = { config: { policy: allow.signedIn, audit: 'required' as const } };
  const caseIdOf = (request: FastifyRequest) => (request.params as { caseId: string }).caseId;

  app.get(courtPaths.page(CASE), audited, async (request, reply) => {
    const read = await court.court(request.actor!, request.auditContext, caseIdOf(request));
    return reply.render('court/court.njk', courtPageModel(read.summary, read.record, read.mayRecord));
  });

  const showForm = async (form: CourtForm, request: FastifyRequest, reply: FastifyReply, errors: SummaryError[] = [], status = 200) => {
    const { summary, record } = await court.forRecording(request.actor!, request.auditContext, caseIdOf(request));
    const body = status === 200 || status === 409 ? {} : request.body;
    const chosen = (name: string) => formString(body, name, { maxLength: 100 });
    const listed = record.hearings.filter((h) => h.status === 'listed');
    const defendants = form === 'outcome'
      ? record.defendants.filter((d) => d.outcome === null)
      : record.defendants.filter((d) => d.outcome !== null && convictions.includes(d.outcome) && d.sentenceType === null);
    const empty = (form === 'held' || form === 'adjourn') && listed.length === 0 ? { text: translate('court.field.noListed'), field: 'hearingId' }
      : (form === 'outcome' || form === 'sentence') && defendants.length === 0 ? { text: translate('court.field.noDefendants'), field: 'suspectId' }
        : null;
    return reply.code(status).render('court/form.njk', {
      pageTitle: translate(`court.form.${form}`),
      ...caseFrame(summary, 'court'),
      backHref: courtPaths.page(summary.id),
      form,
      version: summary.version,
      errors,
      empty: empty?.text,
      emptyField: empty?.field,
      values: { courtCaseNumber: status === 200 ? summary.courtCaseNumber ?? '' : chosen('courtCaseNumber'), months: chosen('months') },
      reasonsHint: translate('court.field.reasonHint', { version: adjournmentReasons.version }),
      choices: {
        kind: options(Object.fromEntries(Object.entries(hearingKinds).filter(([key]) => key !== 'first_hearing')), chosen('kind')),
        court: options(courts, chosen('court')),
        hearingId: listed.map((h) => ({ value: h.id, text: hearingText(h), checked: h.id === chosen('hearingId') })),
        reasonCode: options(adjournmentReasons.reasons, chosen('reasonCode')),
        requestedBy: options(requesters, chosen('requestedBy')),
        suspectId: defendants.map((d) => ({ value: d.suspectId, text: d.name, checked: d.suspectId === chosen('suspectId') })),
        outcome: options(outcomes, chosen('outcome')),
        victimWithdrawal: [{ value: 'yes', text: translate('court.field.victimWithdrawal'), checked: chosen('victimWithdrawal') === 'yes' }],
        sentenceType: options(sentenceTypes, chosen('sentenceType')),
      },
      dates: Object.fromEntries(['heldOn', 'listedOn', 'relistOn', 'sentOn', 'outcomeOn', 'sentencedOn'].map((name) => [name, dateItems(name, datePartsOf(body, name), errors)])),
    });
  };

  /** Runs one form's command; answers the flash text. */
  const commands: Record<CourtForm, (request: FastifyRequest, caseId: string, version: number | null) => Promise<string>> = {
    'first-hearing': async (r, caseId, v) => { await court.recordFirstHearing(r.actor!, r.auditContext, caseId, { heldOn: datePartsOf(r.body, 'heldOn') }, v); return translate('court.flash.saved'); },
    'hearing': async (r, caseId, v) => {
      await court.listHearing(r.actor!, r.auditContext, caseId, { kind: formString(r.body, 'kind', { maxLength: 50 }), court: formString(r.body, 'court', { maxLength: 50 }), listedOn: datePartsOf(r.body, 'listedOn') }, v);
      return translate('court.flash.saved');
    },
    'held': async (r, caseId, v) => { await court.holdHearing(r.actor!, r.auditContext, caseId, formString(r.body, 'hearingId', { maxLength: 100 }), { heldOn: datePartsOf(r.body, 'heldOn') }, v); return translate('court.flash.saved'); },
    'adjourn': async (r, caseId, v) => {
      await court.adjournHearing(r.actor!, r.auditContext, caseId, formString(r.body, 'hearingId', { maxLength: 100 }), {
        reasonCode: formString(r.body, 'reasonCode', { maxLength: 50 }), requestedBy: formString(r.body, 'requestedBy', { maxLength: 50 }), relistOn: datePartsOf(r.body, 'relistOn'),
      }, v);
      return translate('court.flash.saved');
    },
    'crown-court': async (r, caseId, v) => { await court.sendToCrownCourt(r.actor!, r.auditContext, caseId, { sentOn: datePartsOf(r.body, 'sentOn') }, v); return translate('court.flash.saved'); },
    'court-case-number': async (r, caseId, v) => { await court.recordCourtCaseNumber(r.actor!, r.auditContext, caseId, { courtCaseNumber: formString(r.body, 'courtCaseNumber', { maxLength: 100 }) }, v); return translate('court.flash.saved'); },
    'outcome': async (r, caseId, v) => {
      const done = await court.recordOutcome(r.actor!, r.auditContext, caseId, {
        suspectId: formString(r.body, 'suspectId', { maxLength: 100 }), outcome: formString(r.body, 'outcome', { maxLength: 50 }),
        outcomeOn: datePartsOf(r.body, 'outcomeOn'), victimWithdrawal: formStrings(r.body, 'victimWithdrawal').includes('yes'),
      }, v);
      return translate(done.completed ? 'court.flash.completed' : 'court.flash.saved');
    },
    'sentence': async (r, caseId, v) => {
      await court.recordSentence(r.actor!, r.auditContext, caseId, {
        suspectId: formString(r.body, 'suspectId', { maxLength: 100 }), sentenceType: formString(r.body, 'sentenceType', { maxLength: 50 }), months: formString(r.body, 'months', { maxLength: 10 }), sentencedOn: datePartsOf(r.body, 'sentencedOn'),
      }, v);
      return translate('court.flash.saved');
    },
  };

  const firstField: Record<CourtForm, string> = {
    'first-hearing': 'heldOn-day', 'hearing': 'kind', 'held': 'hearingId', 'adjourn': 'hearingId', 'crown-court': 'sentOn-day', 'court-case-number': 'courtCaseNumber', 'outcome': 'suspectId', 'sentence': 'suspectId',
  };

  for (const form of courtForms) {
    app.get(courtPaths.form(CASE, form), audited, async (request, reply) => showForm(form, request, reply));
    app.post(courtPaths.form(CASE, form), audited, async (request, reply) => {
      const caseId = caseIdOf(request);
      return submitForm(auth, request, reply, {
        command: async () => ({ text: await commands[form](request, caseId, formVersion(request.body)), to: courtPaths.page(caseId) }),
        showAgain: (errors, status) => showForm(form, request, reply, errors, status),
        conflictField: firstField[form],
        conflictMessage: translate('court.conflict'),
      });
    });
  }
}
