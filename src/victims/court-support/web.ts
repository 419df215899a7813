// Pages of a victim's court support: the Court support part (applications and
// the pre-trial meeting), recording an application, the court's decision on
// one, and the pre-trial meeting's next step. Forms post back to their own
// address, carry the case's version and redirect with a flash.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { allow } from '../../platform/access/policy.ts';
import type { AuthService } from '../../platform/auth/service.ts';
import { registerMessages, translate } from '../../platform/i18n/messages.ts';
import type { Platform } from '../../platform/platform.ts';
import { formatDate } from '../../platform/time/working-days.ts';
import { escapeHtml } from '../../platform/web/lists.ts';
import { Problem } from '../../platform/web/errors.ts';
import { formString } from '../../platform/web/forms.ts';
import type { SummaryError } from '../../platform/web/forms.ts';
import { submitForm } from '../../platform/web/submit.ts';
import { datePartsOf, formVersion } from '../../cases/web-support.ts';
import { registerVictimPart, victimFrame, victimPaths } from '../parts.ts';
import type { LoadedVictim } from '../victim-commands.ts';
import { registerCourtSupportApi } from './api.ts';
import { dateField, input, radios, textarea } from './form-fields.ts';
import type { Values } from './form-fields.ts';
import messages from './messages.en.json' with { type: 'json' };
import { measureName, measureOutcomes, meetingStep, specialMeasures } from './model.ts';
import type { Application, PreTrialMeeting } from './model.ts';
import { createCourtSupportService } from './service.ts';
import type { CourtSupportService } from './service.ts';

registerMessages('en', messages);

export const courtSupportPaths = {
  part: (caseId: string, victimId: string) => `${victimPaths.overview(caseId, victimId)}/court-support`,
  apply: (caseId: string, victimId: string) => `${victimPaths.overview(caseId, victimId)}/court-support/applications/new`,
  decide: (caseId: string, victimId: string, applicationId: string) => `${victimPaths.overview(caseId, victimId)}/court-support/applications/${applicationId}/decision`,
  meeting: (caseId: string, victimId: string) => `${victimPaths.overview(caseId, victimId)}/court-support/pre-trial-meeting`,
};

function describe(event: { type: string; data: Readonly<Record<string, unknown>> }): { title: string; text: string } {
  const { data } = event;
  switch (event.type) {
    case 'victims.court-support.measure-applied':
      return { title: translate('courtSupport.event.applied'), text: typeof data.measure === 'string' ? measureName(data.measure) : '' };
    case 'victims.court-support.measure-decided':
      return { title: translate('courtSupport.event.decided'), text: typeof data.outcome === 'string' && (measureOutcomes as readonly string[]).includes(data.outcome) ? translate(`courtSupport.outcome.${data.outcome}`) : '' };
    case 'victims.court-support.pre-trial-meeting-offered':
      return { title: translate('courtSupport.event.offered'), text: typeof data.on === 'string' ? formatDate(data.on) : '' };
    case 'victims.court-support.pre-trial-meeting-answered':
      return { title: translate('courtSupport.event.answered'), text: translate(data.accepted === true ? 'courtSupport.meeting.accepted' : 'courtSupport.meeting.declined') };
    case 'victims.court-support.pre-trial-meeting-held':
      return { title: translate('courtSupport.event.held'), text: typeof data.on === 'string' ? formatDate(data.on) : '' };
    default:
      return { title: event.type, text: '' };
  }
}

const yesNo = () => [['yes', translate('courtSupport.yes')], ['no', translate('courtSupport.no')]] as const;

function meetingRows(meeting: PreTrialMeeting | null) {
  const row = (key: string, text: string) => ({ key: { text: translate(key) }, value: { text } });
  if (!meeting) return [row('courtSupport.meeting.offeredOn', translate('courtSupport.meeting.notOffered'))];
  const answer = meeting.accepted === null ? 'courtSupport.meeting.awaiting' : meeting.accepted ? 'courtSupport.meeting.accepted' : 'courtSupport.meeting.declined';
  const rows = [row('courtSupport.meeting.offeredOn', formatDate(meeting.offeredOn)), row('courtSupport.meeting.answer', translate(answer))];
  if (meeting.accepted) rows.push(row('courtSupport.meeting.heldOn', meeting.heldOn ? formatDate(meeting.heldOn) : translate('courtSupport.meeting.notHeld')));
  return rows;
}

function applicationRow(v: LoadedVictim, a: Application, mayRecord: boolean) {
  const decideHref = courtSupportPaths.decide(v.summary.id, v.victim.id, a.id);
  const measure = measureName(a.measure);
  return [
    { text: measure },
    { text: translate('courtSupport.appliedText', { date: formatDate(a.appliedOn), by: a.appliedBy }) },
    { text: a.victimView },
    { text: a.outcome && a.decidedOn ? translate('courtSupport.decidedText', { outcome: translate(`courtSupport.outcome.${a.outcome}`), date: formatDate(a.decidedOn) }) : translate('courtSupport.outcome.pending') },
    mayRecord && !a.outcome
      ? { html: `<a class="govuk-link" href="${decideHref}">${escapeHtml(translate('courtSupport.recordDecision'))}<span class="govuk-visually-hidden"> (${escapeHtml(measure)})</span></a>` }
      : { text: '' },
  ];
}

export function registerCourtSupport(app: FastifyInstance, platform: Platform, auth: AuthService): void {
  const service = createCourtSupportService(platform);
  registerVictimPart({
    key: 'court-support',
    titleKey: 'courtSupport.title',
    order: 50,
    href: courtSupportPaths.part,
    // The ISVA sees the pre-trial meeting's date among the key dates, not this part.
    forIsva: false,
    eventPrefix: 'victims.court-support.',
    describe,
  });
  registerPages(app, service, auth);
  registerCourtSupportApi(app, service);
}

type Form = 'apply' | 'decide' | 'meeting';

function registerPages(app: FastifyInstance, service: CourtSupportService, auth: AuthService): void {
  const audited = { config: { policy: allow.signedIn, audit: 'required' as const } };
  const params = (request: FastifyRequest) => request.params as { caseId: string; victimId: string; applicationId?: string };
  const P = { caseId: ':caseId', victimId: ':victimId' };

  app.get(courtSupportPaths.part(P.caseId, P.victimId), audited, async (request, reply) => {
    const { caseId, victimId } = params(request);
    const { v, support, mayRecord } = await service.courtSupport(request.actor!, request.auditContext, caseId, victimId);
    const step = meetingStep(support.meeting);
    return reply.render('court-support/court-support.njk', {
      pageTitle: translate('courtSupport.title'),
      ...victimFrame(v, 'court-support', request.actor!),
      backHref: victimPaths.overview(v.summary.id, v.victim.id),
      applyHref: mayRecord ? courtSupportPaths.apply(v.summary.id, v.victim.id) : null,
      head: ['measure', 'applied', 'victimView', 'outcome', 'action'].map((c) => ({ text: translate(`courtSupport.column.${c}`) })),
      applications: support.applications.map((a) => applicationRow(v, a, mayRecord)),
      meetingRows: meetingRows(support.meeting),
      meetingAction: mayRecord && step !== 'done' ? { text: translate(`courtSupport.meetingForm.${step}`), href: courtSupportPaths.meeting(v.summary.id, v.victim.id) } : null,
    });
  });

  const show = async (form: Form, request: FastifyRequest, reply: FastifyReply, errors: SummaryError[] = [], values: Values = {}, status = 200) => {
    const { caseId, victimId, applicationId } = params(request);
    await service.check(request.actor!, request.auditContext, caseId, victimId);
    const { v, support } = await service.courtSupport(request.actor!, request.auditContext, caseId, victimId);
    const common = { ...victimFrame(v, 'court-support', request.actor!), backHref: courtSupportPaths.part(v.summary.id, v.victim.id), version: v.summary.version, errors, submitText: translate(`courtSupport.${form === 'apply' ? 'apply' : form === 'decide' ? 'decide' : 'meetingForm'}.submit`) };
    if (form === 'apply') {
      return reply.code(status).render('victim-parts/form.njk', {
        ...common, pageTitle: translate('courtSupport.apply.title'), lead: [],
        fields: [
          radios('measure', translate('courtSupport.apply.measure'), specialMeasures.measures.map((m) => [m, measureName(m)] as const), values, errors),
          dateField('appliedOn', translate('courtSupport.label.appliedOn'), values, errors),
          input('appliedBy', translate('courtSupport.apply.appliedBy'), values, errors),
          textarea('victimView', translate('courtSupport.apply.victimView'), values, errors, translate('courtSupport.apply.victimViewHint')),
        ],
      });
    }
    if (form === 'decide') {
      const application = support.applications.find((a) => a.id === applicationId);
      if (!application) throw new Problem('not-found');
      return reply.code(status).render('victim-parts/form.njk', {
        ...common, pageTitle: translate('courtSupport.decide.title'),
        lead: [translate('courtSupport.decide.lead', { measure: measureName(application.measure), date: formatDate(application.appliedOn) })],
        unavailable: application.outcome ? translate('courtSupport.decide.unavailable') : null,
        fields: [
          radios('outcome', translate('courtSupport.decide.outcome'), measureOutcomes.map((o) => [o, translate(`courtSupport.outcome.${o}`)] as const), values, errors),
          dateField('decidedOn', translate('courtSupport.label.decidedOn'), values, errors),
        ],
      });
    }
    const step = meetingStep(support.meeting);
    return reply.code(status).render('victim-parts/form.njk', {
      ...common, pageTitle: translate(`courtSupport.meetingForm.${step}`), lead: [translate('courtSupport.meeting.hint')],
      unavailable: step === 'done' ? translate('courtSupport.meetingForm.unavailable') : null,
      fields: step === 'answer'
        ? [radios('accepted', translate('courtSupport.meetingForm.accepted'), yesNo(), values, errors)]
        : [dateField('on', translate(step === 'offer' ? 'courtSupport.label.offeredOn' : 'courtSupport.label.heldOn'), values, errors)],
    });
  };

  const submit = (form: Form, request: FastifyRequest, reply: FastifyReply, values: Values, conflictField: string, command: () => Promise<void>, flash: string) =>
    submitForm(auth, request, reply, {
      command: async () => {
        await command();
        const { caseId, victimId } = params(request);
        return { text: translate(flash), to: courtSupportPaths.part(caseId, victimId) };
      },
      showAgain: (errors, status) => show(form, request, reply, errors, status === 409 ? {} : values, status),
      conflictField,
      conflictMessage: translate('courtSupport.error.conflict'),
    });

  const applyPath = courtSupportPaths.apply(P.caseId, P.victimId);
  const decidePath = courtSupportPaths.decide(P.caseId, P.victimId, ':applicationId');
  const meetingPath = courtSupportPaths.meeting(P.caseId, P.victimId);
  app.get(applyPath, audited, async (request, reply) => show('apply', request, reply));
  app.get(decidePath, audited, async (request, reply) => show('decide', request, reply));
  app.get(meetingPath, audited, async (request, reply) => show('meeting', request, reply));

  app.post(applyPath, audited, async (request, reply) => {
    const body = request.body;
    const text = (name: string) => formString(body, name, { maxLength: 5000 });
    const values = { measure: text('measure'), appliedOn: datePartsOf(body, 'appliedOn'), appliedBy: text('appliedBy'), victimView: text('victimView') };
    const { caseId, victimId } = params(request);
    return submit('apply', request, reply, values, 'measure', async () => {
      await service.apply(request.actor!, request.auditContext, caseId, victimId, values, formVersion(body));
    }, 'courtSupport.flash.applied');
  });

  app.post(decidePath, audited, async (request, reply) => {
    const body = request.body;
    const values = { outcome: formString(body, 'outcome', { maxLength: 50 }), decidedOn: datePartsOf(body, 'decidedOn') };
    const { caseId, victimId, applicationId } = params(request);
    return submit('decide', request, reply, values, 'outcome', async () => {
      await service.decide(request.actor!, request.auditContext, caseId, victimId, applicationId ?? '', values, formVersion(body));
    }, 'courtSupport.flash.decided');
  });

  app.post(meetingPath, audited, async (request, reply) => {
    const body = request.body;
    const values = { on: datePartsOf(body, 'on'), accepted: formString(body, 'accepted', { maxLength: 10 }) };
    const { caseId, victimId } = params(request);
    return submit('meeting', request, reply, values, 'on-day', async () => {
      await service.meeting(request.actor!, request.auditContext, caseId, victimId, values, formVersion(body));
    }, 'courtSupport.flash.meeting');
  });
}
