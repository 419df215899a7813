// Pages of police decisions of no further action: the Police NFA section of a
// case, the officer's proposal and the supervisor's sign-off. Forms post back
// to their own address, carry the case's version and redirect with a flash.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { mayWorkOnCase } from '../../platform/access/case-access.ts';
import { allow } from '../../platform/access/policy.ts';
import type { AuthService } from '../../platform/auth/service.ts';
import { registerMessages, translate } from '../../platform/i18n/messages.ts';
import type { Platform } from '../../platform/platform.ts';
import { formatDate, formatDateTime } from '../../platform/time/working-days.ts';
import { errorMessage, formString, formStrings } from '../../platform/web/forms.ts';
import type { SummaryError } from '../../platform/web/forms.ts';
import { submitForm } from '../../platform/web/submit.ts';
import { canTransition } from '../model.ts';
import type { CaseSummary, DateParts } from '../model.ts';
import { caseFrame, registerCaseSection } from '../sections.ts';
import { dateItems, datePartsOf, formVersion } from '../web-support.ts';
import { registerPoliceNfaApi } from './api.ts';
import messages from './messages.en.json' with { type: 'json' };
import { closingCodes, contactMethods, outcomeName, toldMethods } from './model.ts';
import type { NfaFile, NfaView } from './model.ts';
import { createPoliceNfaService, nfaPowers } from './service.ts';
import type { PoliceNfaService } from './service.ts';

registerMessages('en', messages);

export const policeNfaPaths = {
  section: (id: string) => `/cases/${id}/police-nfa`,
  propose: (id: string) => `/cases/${id}/police-nfa/proposal`,
  signOff: (id: string) => `/cases/${id}/police-nfa/sign-off`,
};

const CASE = ':caseId';

function describe(event: { type: string; data: Readonly<Record<string, unknown>> }): { title: string; text: string } {
  const code = typeof event.data.outcomeCode === 'number' ? translate('policeNfa.event.outcome', { outcome: outcomeName(event.data.outcomeCode) }) : '';
  switch (event.type) {
    case 'police-nfa.proposed':
      return { title: translate('policeNfa.event.proposed'), text: code };
    case 'police-nfa.signed-off':
      return { title: translate('policeNfa.event.signedOff'), text: code };
    case 'police-nfa.decided':
      return { title: translate('policeNfa.event.decided'), text: code };
    case 'police-nfa.victim-contact-recorded':
      return { title: translate('policeNfa.event.contact'), text: typeof event.data.method === 'string' && Object.hasOwn(contactMethods, event.data.method) ? contactMethods[event.data.method as keyof typeof contactMethods] : '' };
    default:
      return { title: event.type, text: '' };
  }
}

export function registerPoliceNfa(app: FastifyInstance, platform: Platform, auth: AuthService): void {
  const nfa = createPoliceNfaService(platform);
  registerCaseSection({
    key: 'police-nfa',
    titleKey: 'policeNfa.section',
    order: 60,
    href: policeNfaPaths.section,
    eventPrefix: 'police-nfa.',
    describe,
    actions: ({ summary, side }) => (side === 'police' && canTransition(summary.stage, 'police_nfa') ? [{ text: translate('policeNfa.propose.title'), href: policeNfaPaths.propose(summary.id) }] : []),
  });
  registerPages(app, nfa, auth);
  registerPoliceNfaApi(app, nfa);
}

type Values = Record<string, string | string[] | DateParts | undefined>;
const str = (values: Values, name: string) => (typeof values[name] === 'string' ? (values[name] as string) : '');

function dateField(name: string, legend: string, values: Values, errors: SummaryError[]) {
  const parts = (values[name] ?? {}) as Partial<DateParts>;
  const error = errors.find((e) => e.field.startsWith(`${name}-`));
  return {
    kind: 'date',
    params: {
      id: name,
      fieldset: { legend: { text: legend, classes: 'govuk-fieldset__legend--s' } },
      items: dateItems(name, parts, errors),
      errorMessage: error ? { text: error.text } : undefined,
    },
  };
}
const radios = (name: string, legend: string, items: Record<string, string>, values: Values, errors: SummaryError[]) => ({
  kind: 'radios',
  params: { fieldset: { legend: { text: legend, classes: 'govuk-fieldset__legend--s' } }, idPrefix: name, name, items: Object.entries(items).map(([value, text]) => ({ value, text, checked: str(values, name) === value })), errorMessage: errorMessage(errors, name) },
});
const textarea = (name: string, label: string, values: Values, errors: SummaryError[]) => ({
  kind: 'textarea', params: { label: { text: label, classes: 'govuk-label--s' }, id: name, name, value: str(values, name), errorMessage: errorMessage(errors, name) },
});
const input = (name: string, label: string, values: Values, errors: SummaryError[]) => ({
  kind: 'input', params: { label: { text: label, classes: 'govuk-label--s' }, id: name, name, value: str(values, name), spellcheck: false, autocomplete: 'off', errorMessage: errorMessage(errors, name) },
});

function decisionModel(d: NfaView) {
  const rows = [
    { key: { text: translate('policeNfa.field.status') }, value: { text: translate(`policeNfa.status.${d.status}`) } },
    { key: { text: translate('policeNfa.field.rationale') }, value: { text: d.rationale } },
    { key: { text: translate('policeNfa.field.proposedBy') }, value: { text: `${d.proposedBy}, ${formatDateTime(d.proposedAt)}` } },
  ];
  if (d.meeting) rows.push({ key: { text: translate('policeNfa.field.meeting') }, value: { text: translate('policeNfa.meetingText', { date: formatDate(d.meeting.heldOn), attendees: d.meeting.attendees }) } });
  if (d.contact) {
    const method = Object.hasOwn(contactMethods, d.contact.method) ? contactMethods[d.contact.method as keyof typeof contactMethods] : d.contact.method;
    rows.push({ key: { text: translate('policeNfa.field.contact') }, value: { text: translate('policeNfa.contactText', { date: formatDate(d.contact.on), method: method.toLowerCase(), by: d.contact.by, summary: d.contact.summary }) } });
  }
  if (d.signedOffBy && d.signedOffAt) rows.push({ key: { text: translate('policeNfa.field.signedOffBy') }, value: { text: `${d.signedOffBy}, ${formatDateTime(d.signedOffAt)}` } });
  if (d.victimTold) {
    const method = Object.hasOwn(toldMethods, d.victimTold.method) ? toldMethods[d.victimTold.method as keyof typeof toldMethods] : d.victimTold.method;
    rows.push({ key: { text: translate('policeNfa.field.victimTold') }, value: { text: `${formatDate(d.victimTold.on)}, ${method.toLowerCase()}` } });
  }
  return { title: outcomeName(d.outcomeCode), rows };
}

function registerPages(app: FastifyInstance, nfa: PoliceNfaService, auth: AuthService): void {
  const audited = { config: { policy: allow.signedIn, audit: 'required' as const } };
  const caseIdOf = (request: FastifyRequest) => (request.params as { caseId: string }).caseId;

  app.get(policeNfaPaths.section(CASE), audited, async (request, reply) => {
    const actor = request.actor!;
    const { summary, file, side, access } = await nfa.nfaFile(actor, request.auditContext, caseIdOf(request));
    const powers = nfaPowers(actor, side);
    const open = mayWorkOnCase(access) && canTransition(summary.stage, 'police_nfa');
    const actions = [
      ...(open && powers.propose ? [{ text: translate('policeNfa.propose.title'), href: policeNfaPaths.propose(summary.id) }] : []),
      ...(open && powers.signOff && file.pending && file.pending.proposedById !== actor.userId ? [{ text: translate('policeNfa.signOff.title'), href: policeNfaPaths.signOff(summary.id) }] : []),
    ];
    return reply.render('police-nfa/police-nfa.njk', {
      pageTitle: translate('policeNfa.title'),
      ...caseFrame(summary, 'police-nfa'),
      backHref: `/cases/${summary.id}`,
      actions,
      meetingText: file.meetingOn ? translate('policeNfa.meetingHeld', { date: formatDate(file.meetingOn) }) : file.everReferred ? translate('policeNfa.meetingNeeded') : null,
      decisions: file.decisions.map(decisionModel),
    });
  });

  const fieldsFor = (form: 'propose' | 'signOff', summary: CaseSummary, file: NfaFile, values: Values, errors: SummaryError[]) => {
    const stageOk = canTransition(summary.stage, 'police_nfa');
    if (form === 'propose') {
      const meetingNeeded = file.everReferred && !file.meetingOn;
      return {
        unavailable: stageOk ? null : translate('policeNfa.propose.unavailable'),
        lead: file.meetingOn ? [translate('policeNfa.meetingHeld', { date: formatDate(file.meetingOn) })] : meetingNeeded ? [translate('policeNfa.meetingNeeded')] : [],
        fields: [
          {
            kind: 'select',
            params: {
              label: { text: translate('policeNfa.propose.outcome'), classes: 'govuk-label--s' }, hint: { text: translate('policeNfa.propose.outcomeHint') }, id: 'outcomeCode', name: 'outcomeCode',
              items: [{ value: '', text: translate('policeNfa.propose.chooseOutcome') }, ...closingCodes.map((code) => ({ value: String(code), text: outcomeName(code), selected: str(values, 'outcomeCode') === String(code) }))],
              errorMessage: errorMessage(errors, 'outcomeCode'),
            },
          },
          textarea('rationale', translate('policeNfa.propose.rationale'), values, errors),
          ...(meetingNeeded ? [dateField('meetingHeldOn', translate('policeNfa.propose.meetingHeldOn'), values, errors), textarea('meetingAttendees', translate('policeNfa.propose.meetingAttendees'), values, errors)] : []),
          dateField('contactOn', translate('policeNfa.propose.contactOn'), values, errors),
          radios('contactMethod', translate('policeNfa.propose.contactMethod'), contactMethods, values, errors),
          input('contactBy', translate('policeNfa.propose.contactBy'), values, errors),
          textarea('contactSummary', translate('policeNfa.propose.contactSummary'), values, errors),
        ],
      };
    }
    const pending = file.pending;
    return {
      unavailable: stageOk && pending ? null : translate('policeNfa.signOff.unavailable'),
      lead: pending ? [translate('policeNfa.signOff.proposal', { outcome: outcomeName(pending.outcomeCode), name: pending.proposedBy }), pending.rationale] : [],
      fields: [
        dateField('victimToldOn', translate('policeNfa.signOff.victimToldOn'), values, errors),
        radios('victimToldMethod', translate('policeNfa.signOff.victimToldMethod'), toldMethods, values, errors),
        {
          kind: 'checkboxes',
          params: {
            fieldset: { legend: { text: translate('policeNfa.signOff.rightToReview'), classes: 'govuk-fieldset__legend--s' } }, idPrefix: 'rightToReviewGiven', name: 'rightToReviewGiven',
            items: [{ value: 'yes', text: translate('policeNfa.signOff.rightToReviewGiven'), checked: str(values, 'rightToReviewGiven') === 'yes' }],
            errorMessage: errorMessage(errors, 'rightToReviewGiven'),
          },
        },
      ],
    };
  };

  const show = async (form: 'propose' | 'signOff', request: FastifyRequest, reply: FastifyReply, errors: SummaryError[] = [], values: Values = {}, status = 200) => {
    const actor = request.actor!;
    await nfa.check(actor, request.auditContext, caseIdOf(request), form);
    const { summary, file } = await nfa.nfaFile(actor, request.auditContext, caseIdOf(request));
    return reply.code(status).render('police-nfa/form.njk', {
      pageTitle: translate(`policeNfa.${form}.title`),
      ...caseFrame(summary, 'police-nfa'),
      backHref: policeNfaPaths.section(summary.id),
      version: summary.version,
      errors,
      submitText: translate(`policeNfa.${form}.submit`),
      ...fieldsFor(form, summary, file, values, errors),
    });
  };

  const submit = (form: 'propose' | 'signOff', request: FastifyRequest, reply: FastifyReply, values: Values, conflictField: string, command: () => Promise<void>, flash: string) =>
    submitForm(auth, request, reply, {
      command: async () => {
        await command();
        return { text: translate(flash), to: policeNfaPaths.section(caseIdOf(request)) };
      },
      showAgain: (errors, status) => show(form, request, reply, errors, status === 409 ? {} : values, status),
      conflictField,
      conflictMessage: translate('policeNfa.error.conflict'),
    });

  app.get(policeNfaPaths.propose(CASE), audited, async (request, reply) => show('propose', request, reply));
  app.get(policeNfaPaths.signOff(CASE), audited, async (request, reply) => show('signOff', request, reply));

  app.post(policeNfaPaths.propose(CASE), audited, async (request, reply) => {
    const body = request.body;
    const text = (name: string) => formString(body, name, { maxLength: 5000 });
    const values = {
      outcomeCode: text('outcomeCode'), rationale: text('rationale'), meetingHeldOn: datePartsOf(body, 'meetingHeldOn'), meetingAttendees: text('meetingAttendees'),
      contactOn: datePartsOf(body, 'contactOn'), contactMethod: text('contactMethod'), contactBy: text('contactBy'), contactSummary: text('contactSummary'),
    };
    return submit('propose', request, reply, values, 'outcomeCode', async () => {
      await nfa.propose(request.actor!, request.auditContext, caseIdOf(request), values, formVersion(body));
    }, 'policeNfa.flash.proposed');
  });

  app.post(policeNfaPaths.signOff(CASE), audited, async (request, reply) => {
    const body = request.body;
    const values = { victimToldOn: datePartsOf(body, 'victimToldOn'), victimToldMethod: formString(body, 'victimToldMethod', { maxLength: 50 }), rightToReviewGiven: formStrings(body, 'rightToReviewGiven').includes('yes') ? 'yes' : '' };
    return submit('signOff', request, reply, values, 'victimToldOn', async () => {
      await nfa.signOff(request.actor!, request.auditContext, caseIdOf(request), { ...values, rightToReviewGiven: values.rightToReviewGiven === 'yes' }, formVersion(body));
    }, 'policeNfa.flash.signedOff');
  });
}
