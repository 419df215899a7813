// Pages of the victims' records: the Victims section of a case (its victims
// and who supports them), each victim's overview with the sub-navigation of
// the victim's parts, and an ISVA's own client list. Each part registers its
// own pages here.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { allow } from '../platform/access/policy.ts';
import type { AuthService } from '../platform/auth/service.ts';
import { registerMessages, translate } from '../platform/i18n/messages.ts';
import type { Platform } from '../platform/platform.ts';
import { formatDate, formatDateTime } from '../platform/time/working-days.ts';
import { escapeHtml } from '../platform/web/lists.ts';
import { stageName } from '../cases/model.ts';
import { caseFrame, registerCaseSection } from '../cases/sections.ts';
import { registerVictimsApi } from './api.ts';
import { registerCommunication } from './communication/web.ts';
import { registerSensitiveMaterial } from './sensitive-material/web.ts';
import { registerCourtSupport } from './court-support/web.ts';
import { registerWithdrawal } from './withdrawal/web.ts';
import { registerVictimRights } from './rights/web.ts';
import { registerLetters } from './letters/web.ts';
import messages from './messages.en.json' with { type: 'json' };
import { describeVictimEvent, victimFrame, victimPaths } from './parts.ts';
import { createVictimsService } from './service.ts';

registerMessages('en', messages);

/** The parts of a victim's records, each registering its pages and API. */
const parts: ((app: FastifyInstance, platform: Platform, auth: AuthService) => void)[] = [
  registerCommunication,
  registerSensitiveMaterial,
  registerCourtSupport,
  registerWithdrawal,
  registerVictimRights,
  registerLetters,
];

const CASE = ':caseId';
const VICTIM = ':victimId';

export function registerVictims(app: FastifyInstance, platform: Platform, auth: AuthService): void {
  const victims = createVictimsService(platform);
  registerCaseSection({
    key: 'victims',
    titleKey: 'victims.section.title',
    order: 15,
    href: victimPaths.list,
    eventPrefix: 'victims.',
    describe: describeVictimEvent,
  });

  const audited = { config: { policy: allow.signedIn, audit: 'required' as const } };
  const params = (request: FastifyRequest) => request.params as { caseId: string; victimId: string };

  app.get(victimPaths.list(CASE), audited, async (request, reply) => {
    const { summary, viewer, victims: list } = await victims.victimsOfCase(request.actor!, request.auditContext, params(request).caseId);
    return reply.render('victims/victims.njk', {
      pageTitle: translate('victims.section.title'),
      ...(viewer === 'case' ? caseFrame(summary, 'victims') : { caseReference: summary.policeReference, caseStage: stageName(summary.stage) }),
      viewer,
      backHref: viewer === 'case' ? `/cases/${summary.id}` : victimPaths.clients(),
      rows: list.map(({ victim, isva }) => [
        { html: `<a class="govuk-link" href="${victimPaths.overview(summary.id, victim.id)}">${escapeHtml(victim.name)}</a>` },
        { text: isva ? translate('victims.isvaOf', { name: isva.name, service: isva.serviceName }) : translate('victims.noIsva') },
      ]),
    });
  });

  app.get(victimPaths.overview(CASE, VICTIM), audited, async (request, reply) => {
    const { caseId, victimId } = params(request);
    const v = await victims.overview(request.actor!, request.auditContext, caseId, victimId);
    return reply.render('victims/victim.njk', {
      pageTitle: translate('victims.overview.title', { name: v.victim.name }),
      ...victimFrame(v, '', request.actor!),
      backHref: v.viewer === 'case' ? victimPaths.list(v.summary.id) : victimPaths.clients(),
      rows: [
        { key: { text: translate('victims.field.stage') }, value: { text: stageName(v.summary.stage) } },
        { key: { text: translate('victims.field.isva') }, value: { text: v.isva ? translate('victims.isvaSince', { name: v.isva.name, service: v.isva.serviceName, date: formatDateTime(v.isva.startedAt) }) : translate('victims.noIsva') } },
      ],
      keyDates: v.keyDates.map((d) => [{ text: formatDate(d.on) }, { text: d.text }]),
      parts: v.lines.map((l) => ({ title: translate(l.titleKey), rows: l.lines.map((line) => ({ key: { text: line.key }, value: { text: line.value } })) })),
    });
  });

  app.get(victimPaths.clients(), audited, async (request, reply) => {
    const clients = await victims.clients(request.actor!, request.auditContext);
    return reply.render('victims/clients.njk', {
      pageTitle: translate('victims.clients.title'),
      rows: clients.map((c) => [
        { html: `<a class="govuk-link" href="${victimPaths.overview(c.caseId, c.victimId)}">${escapeHtml(c.victimName)}</a>` },
        { text: c.policeReference },
        { text: stageName(c.stage) },
        { text: formatDate(c.since) },
      ]),
    });
  });

  registerVictimsApi(app, victims);
  for (const registerPart of parts) registerPart(app, platform, auth);
}
