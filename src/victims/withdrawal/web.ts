// Pages of a victim's withdrawals of support: the Withdrawal part, recording
// a withdrawal (always answering whether someone spoke to the victim), and
// recording the victim's re-engagement after one. Forms post back to their
// own address, carry the case's version and redirect with a flash.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { allow } from '../../platform/access/policy.ts';
import type { AuthService } from '../../platform/auth/service.ts';
import { registerMessages, translate } from '../../platform/i18n/messages.ts';
import type { Platform } from '../../platform/platform.ts';
import { formatDate, formatDateTime } from '../../platform/time/working-days.ts';
import { Problem } from '../../platform/web/errors.ts';
import { formString } from '../../platform/web/forms.ts';
import type { SummaryError } from '../../platform/web/forms.ts';
import { submitForm } from '../../platform/web/submit.ts';
import { stageName } from '../../cases/model.ts';
import { datePartsOf, formVersion } from '../../cases/web-support.ts';
import { dateField, input, radios, textarea } from '../court-support/form-fields.ts';
import type { Values } from '../court-support/form-fields.ts';
import { registerVictimPart, victimFrame, victimPaths } from '../parts.ts';
import type { LoadedVictim } from '../victim-commands.ts';
import { registerWithdrawalApi } from './api.ts';
import messages from './messages.en.json' with { type: 'json' };
import { conversationMethods, conversationName, reasonName, withdrawalReasons } from './model.ts';
import type { Withdrawal } from './model.ts';
import { createWithdrawalService } from './service.ts';
import type { WithdrawalService } from './service.ts';

registerMessages('en', messages);

export const withdrawalPaths = {
  part: (caseId: string, victimId: string) => `${victimPaths.overview(caseId, victimId)}/withdrawal`,
  record: (caseId: string, victimId: string) => `${victimPaths.overview(caseId, victimId)}/withdrawal/new`,
  reEngage: (caseId: string, victimId: string, withdrawalId: string) => `${victimPaths.overview(caseId, victimId)}/withdrawal/${withdrawalId}/re-engagement`,
};

function describe(event: { type: string; data: Readonly<Record<string, unknown>> }): { title: string; text: string } {
  const { data } = event;
  if (event.type === 'victims.withdrawal.recorded') {
    const reason = typeof data.reasonCode === 'string' ? reasonName(data.reasonCode) : '';
    return { title: translate('withdrawal.event.recorded'), text: translate(data.spokenToVictim === true ? 'withdrawal.event.spoken' : 'withdrawal.event.notSpoken', { reason }) };
  }
  if (event.type === 'victims.withdrawal.re-engaged') return { title: translate('withdrawal.event.reEngaged'), text: typeof data.on === 'string' ? formatDate(data.on) : '' };
  return { title: event.type, text: '' };
}

const yesNo = () => [['yes', translate('withdrawal.yes')], ['no', translate('withdrawal.no')]] as const;
const methods = () => conversationMethods.map((m) => [m, conversationName(m)] as const);

function withdrawalModel(v: LoadedVictim, w: Withdrawal, mayRecord: boolean) {
  const row = (key: string, text: string) => ({ key: { text: translate(`withdrawal.field.${key}`) }, value: { text } });
  const reason = reasonName(w.reason) + (w.reasonDetail ? `: ${w.reasonDetail}` : '');
  return {
    title: translate('withdrawal.heading', { date: formatDate(w.withdrawnOn) }),
    rows: [
      row('stage', stageName(w.stage)),
      row('reason', reason),
      row('spokenTo', w.conversation ? translate('withdrawal.spokenText', { date: formatDate(w.conversation.on), how: conversationName(w.conversation.how).toLowerCase(), by: w.conversation.by }) : translate('withdrawal.notSpoken')),
      row('isva', translate(w.isvaInvolved ? 'withdrawal.yes' : 'withdrawal.no')),
      row('recordedBy', `${w.recordedBy}, ${formatDateTime(w.recordedAt)}`),
      row('reEngaged', w.reEngaged ? translate('withdrawal.reEngagedText', { date: formatDate(w.reEngaged.on), how: conversationName(w.reEngaged.how).toLowerCase() }) : translate('withdrawal.notReEngaged')),
    ],
    reEngageHref: mayRecord && !w.reEngaged ? withdrawalPaths.reEngage(v.summary.id, v.victim.id, w.id) : null,
  };
}

export function registerWithdrawal(app: FastifyInstance, platform: Platform, auth: AuthService): void {
  const service = createWithdrawalService(platform);
  registerVictimPart({ key: 'withdrawal', titleKey: 'withdrawal.title', order: 60, href: withdrawalPaths.part, forIsva: false, eventPrefix: 'victims.withdrawal.', describe });
  registerPages(app, service, auth);
  registerWithdrawalApi(app, service);
}

type Form = 'record' | 'reEngage';

function registerPages(app: FastifyInstance, service: WithdrawalService, auth: AuthService): void {
  const audited = { config: { policy: allow.signedIn, audit: 'required' as const } };
  const params = (request: FastifyRequest) => request.params as { caseId: string; victimId: string; withdrawalId?: string };

  app.get(withdrawalPaths.part(':caseId', ':victimId'), audited, async (request, reply) => {
    const { caseId, victimId } = params(request);
    const { v, withdrawals, mayRecord } = await service.withdrawals(request.actor!, request.auditContext, caseId, victimId);
    return reply.render('withdrawal/withdrawal.njk', {
      pageTitle: translate('withdrawal.title'),
      ...victimFrame(v, 'withdrawal', request.actor!),
      backHref: victimPaths.overview(v.summary.id, v.victim.id),
      recordHref: mayRecord ? withdrawalPaths.record(v.summary.id, v.victim.id) : null,
      withdrawals: withdrawals.map((w) => withdrawalModel(v, w, mayRecord)),
    });
  });

  const show = async (form: Form, request: FastifyRequest, reply: FastifyReply, errors: SummaryError[] = [], values: Values = {}, status = 200) => {
    const { caseId, victimId, withdrawalId } = params(request);
    await service.check(request.actor!, request.auditContext, caseId, victimId);
    const { v, withdrawals } = await service.withdrawals(request.actor!, request.auditContext, caseId, victimId);
    const common = { ...victimFrame(v, 'withdrawal', request.actor!), backHref: withdrawalPaths.part(v.summary.id, v.victim.id), version: v.summary.version, errors, submitText: translate(`withdrawal.${form}.submit`), pageTitle: translate(`withdrawal.${form}.title`) };
    if (form === 'record') {
      return reply.code(status).render('victim-parts/form.njk', {
        ...common, lead: [translate('withdrawal.record.lead', { stage: stageName(v.summary.stage) })],
        fields: [
          dateField('withdrawnOn', translate('withdrawal.label.withdrawnOn'), values, errors),
          radios('reason', translate('withdrawal.record.reason'), withdrawalReasons.reasons.map((r) => [r, reasonName(r)] as const), values, errors),
          textarea('reasonDetail', translate('withdrawal.record.reasonDetail'), values, errors, translate('withdrawal.record.reasonDetailHint')),
          radios('spokenToVictim', translate('withdrawal.record.spokenToVictim'), yesNo(), values, errors),
          dateField('spokenOn', translate('withdrawal.label.spokenOn'), values, errors),
          radios('spokenHow', translate('withdrawal.record.spokenHow'), methods(), values, errors),
          input('spokenBy', translate('withdrawal.record.spokenBy'), values, errors),
          radios('isvaInvolved', translate('withdrawal.record.isvaInvolved'), yesNo(), values, errors),
        ],
      });
    }
    const withdrawal = withdrawals.find((w) => w.id === withdrawalId);
    if (!withdrawal) throw new Problem('not-found');
    return reply.code(status).render('victim-parts/form.njk', {
      ...common, lead: [translate('withdrawal.reEngage.lead', { date: formatDate(withdrawal.withdrawnOn), reason: reasonName(withdrawal.reason) })],
      unavailable: withdrawal.reEngaged ? translate('withdrawal.reEngage.unavailable') : null,
      fields: [dateField('on', translate('withdrawal.label.reEngagedOn'), values, errors), radios('how', translate('withdrawal.reEngage.how'), methods(), values, errors)],
    });
  };

  const submit = (form: Form, request: FastifyRequest, reply: FastifyReply, values: Values, conflictField: string, command: () => Promise<void>, flash: string) =>
    submitForm(auth, request, reply, {
      command: async () => {
        await command();
        const { caseId, victimId } = params(request);
        return { text: translate(flash), to: withdrawalPaths.part(caseId, victimId) };
      },
      showAgain: (errors, status) => show(form, request, reply, errors, status === 409 ? {} : values, status),
      conflictField,
      conflictMessage: translate('withdrawal.error.conflict'),
    });

  const recordPath = withdrawalPaths.record(':caseId', ':victimId');
  const reEngagePath = withdrawalPaths.reEngage(':caseId', ':victimId', ':withdrawalId');
  app.get(recordPath, audited, async (request, reply) => show('record', request, reply));
  app.get(reEngagePath, audited, async (request, reply) => show('reEngage', request, reply));

  app.post(recordPath, audited, async (request, reply) => {
    const body = request.body;
    const text = (name: string) => formString(body, name, { maxLength: 5000 });
    const values = {
      withdrawnOn: datePartsOf(body, 'withdrawnOn'), reason: text('reason'), reasonDetail: text('reasonDetail'), spokenToVictim: text('spokenToVictim'),
      spokenOn: datePartsOf(body, 'spokenOn'), spokenHow: text('spokenHow'), spokenBy: text('spokenBy'), isvaInvolved: text('isvaInvolved'),
    };
    const { caseId, victimId } = params(request);
    return submit('record', request, reply, values, 'withdrawnOn-day', async () => {
      await service.record(request.actor!, request.auditContext, caseId, victimId, values, formVersion(body));
    }, 'withdrawal.flash.recorded');
  });

  app.post(reEngagePath, audited, async (request, reply) => {
    const body = request.body;
    const values = { on: datePartsOf(body, 'on'), how: formString(body, 'how', { maxLength: 50 }) };
    const { caseId, victimId, withdrawalId } = params(request);
    return submit('reEngage', request, reply, values, 'on-day', async () => {
      await service.reEngage(request.actor!, request.auditContext, caseId, victimId, withdrawalId ?? '', values, formVersion(body));
    }, 'withdrawal.flash.reEngaged');
  });
}
