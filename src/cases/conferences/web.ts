// Pages of a case's conferences: the list (with each action's state, and a
// button to mark an open one done) and the form to record one. Forms post
// back to their own address; a stale form is a conflict.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { allow } from '../../platform/access/policy.ts';
import type { AuthService } from '../../platform/auth/service.ts';
import { registerMessages, translate } from '../../platform/i18n/messages.ts';
import type { Platform } from '../../platform/platform.ts';
import { formatDate, formatDateTime } from '../../platform/time/working-days.ts';
import { formString, formStrings } from '../../platform/web/forms.ts';
import type { SummaryError } from '../../platform/web/forms.ts';
import { submitForm } from '../../platform/web/submit.ts';
import type { FormOutcome } from '../../platform/web/submit.ts';
import { caseFrame, registerCaseSection } from '../sections.ts';
import { dateItems, datePartsOf, formVersion } from '../web-support.ts';
import { registerConferencesApi } from './api.ts';
import { MAX_ACTIONS, MAX_OTHERS, conferenceKinds, conferenceStageProblem, describeConferenceEvent, ownerSides } from './model.ts';
import type { ActionInput, ConferenceInput, OtherAttendeeInput } from './model.ts';
import { createConferencesService } from './service.ts';
import type { ConferencesService } from './service.ts';
import messages from './messages.en.json' with { type: 'json' };

export const conferencePaths = {
  list: (caseId: string) => `/cases/${caseId}/conferences`,
  record: (caseId: string) => `/cases/${caseId}/conferences/new`,
  done: (caseId: string, actionId: string) => `/cases/${caseId}/conferences/actions/${actionId}/done`,
};

const CASE = ':caseId';

export function registerConferences(app: FastifyInstance, platform: Platform, auth: AuthService): void {
  registerMessages('en', messages);
  const conferences = createConferencesService(platform);
  registerCaseSection({
    key: 'conferences',
    titleKey: 'conferences.section',
    order: 60,
    href: conferencePaths.list,
    eventPrefix: 'conference.',
    describe: describeConferenceEvent,
    actions: ({ summary, side, access }) => (side && (access === 'team' || access === 'supervision') && conferenceStageProblem(summary.stage) === null ? [{ text: translate('conferences.record'), href: conferencePaths.record(summary.id) }] : []),
  });
  registerConferencePages(app, conferences, auth);
  registerConferencesApi(app, conferences);
}

/** The form's values, as sent. */
function formInput(body: unknown): ConferenceInput {
  const others: OtherAttendeeInput[] = Array.from({ length: MAX_OTHERS }, (_, i) => ({
    name: formString(body, `others-${i + 1}-name`, { maxLength: 200 }),
    organisation: formString(body, `others-${i + 1}-organisation`, { maxLength: 200 }),
    role: formString(body, `others-${i + 1}-role`, { maxLength: 200 }),
  }));
  const actions: ActionInput[] = Array.from({ length: MAX_ACTIONS }, (_, i) => ({
    description: formString(body, `actions-${i + 1}-description`, { maxLength: 1000 }),
    ownerSide: formString(body, `actions-${i + 1}-ownerSide`, { maxLength: 20 }),
    dueOn: datePartsOf(body, `actions-${i + 1}-dueOn`),
  }));
  return {
    kind: formString(body, 'kind', { maxLength: 50 }),
    heldOn: datePartsOf(body, 'heldOn'),
    teamAttendees: formStrings(body, 'teamAttendees').slice(0, 20),
    others,
    decisions: formString(body, 'decisions', { maxLength: 6000 }),
    actions,
  };
}

function registerConferencePages(app: FastifyInstance, conferences: ConferencesService, auth: AuthService): void {
  const audited = { config: { policy: allow.signedIn, audit: 'required' as const } };
  const caseIdOf = (request: FastifyRequest) => (request.params as { caseId: string }).caseId;
  const submit = (request: FastifyRequest, reply: FastifyReply, command: () => Promise<FormOutcome>, showAgain: (errors: SummaryError[], status: number) => Promise<FastifyReply>, conflictField: string) =>
    submitForm(auth, request, reply, { command, showAgain, conflictField, conflictMessage: translate('conferences.conflict') });

  const showList = async (request: FastifyRequest, reply: FastifyReply, errors: SummaryError[] = [], status = 200) => {
    const read = await conferences.conferences(request.actor!, request.auditContext, caseIdOf(request));
    const caseId = read.summary.id;
    return reply.code(status).render('conferences/list.njk', {
      pageTitle: translate('conferences.title'),
      ...caseFrame(read.summary, 'conferences'),
      errors,
      version: read.summary.version,
      recordHref: read.mayRecord ? conferencePaths.record(caseId) : undefined,
      conferences: read.conferences.map((c) => ({
        title: `${conferenceKinds[c.kind]}: ${translate('conferences.heldOnText', { date: formatDate(c.heldOn) })}`,
        rows: [
          { key: { text: translate('conferences.attendees') }, value: { text: c.attendees.map((a) => (a.userId ? `${a.name} (${a.organisation})` : `${a.name} (${a.role}, ${a.organisation})`)).join('; ') } },
          { key: { text: translate('conferences.decisions') }, value: { text: c.decisions } },
          { key: { text: translate('conferences.recorded') }, value: { text: translate('conferences.recordedBy', { name: c.recordedByName, when: formatDateTime(c.recordedAt) }) } },
        ],
        actions: c.actions.map((a, i) => ({
          id: a.id,
          description: a.description,
          owner: ownerSides[a.ownerSide],
          due: formatDate(a.dueOn),
          done: a.doneAt ? translate('conferences.doneBy', { name: a.doneByName ?? '' }) : null,
          doneHref: read.mayMarkDone ? conferencePaths.done(caseId, a.id) : undefined,
          hidden: translate('conferences.markDoneHidden', { n: i + 1 }),
        })),
      })),
    });
  };

  app.get(conferencePaths.list(CASE), audited, async (request, reply) => showList(request, reply));

  const showRecord = async (request: FastifyRequest, reply: FastifyReply, errors: SummaryError[] = [], values?: ConferenceInput, status = 200) => {
    const form = await conferences.recordForm(request.actor!, request.auditContext, caseIdOf(request));
    const chosen = new Set(values?.teamAttendees ?? []);
    return reply.code(status).render('conferences/new.njk', {
      pageTitle: translate('conferences.new.title'),
      ...caseFrame(form.summary, 'conferences'),
      backHref: conferencePaths.list(form.summary.id),
      version: form.summary.version,
      errors,
      values: values ?? {},
      kinds: Object.entries(conferenceKinds).map(([value, text]) => ({ value, text, checked: value === values?.kind })),
      heldOn: dateItems('heldOn', values?.heldOn ?? {}, errors),
      team: form.team.map((m) => ({ value: m.userId, text: m.name, hint: { text: `${m.role}, ${m.organisationName}` }, checked: chosen.has(m.userId) })),
      others: Array.from({ length: MAX_OTHERS }, (_, i) => ({
        legend: translate('conferences.other', { n: i + 1 }),
        fields: (['name', 'organisation', 'role'] as const).map((part) => ({ name: `others-${i + 1}-${part}`, label: translate(`conferences.other.${part}`), value: values?.others[i]?.[part] ?? '' })),
      })),
      actions: Array.from({ length: MAX_ACTIONS }, (_, i) => {
        const action = values?.actions[i];
        return {
          legend: translate('conferences.action', { n: i + 1 }),
          prefix: `actions-${i + 1}`,
          description: action?.description ?? '',
          owners: Object.entries(ownerSides).map(([value, text]) => ({ value, text, checked: value === action?.ownerSide })),
          dueOn: dateItems(`actions-${i + 1}-dueOn`, action?.dueOn ?? {}, errors),
        };
      }),
    });
  };

  app.get(conferencePaths.record(CASE), audited, async (request, reply) => showRecord(request, reply));

  app.post(conferencePaths.record(CASE), audited, async (request, reply) => {
    const caseId = caseIdOf(request);
    const input = formInput(request.body);
    return submit(request, reply, async () => {
      await conferences.record(request.actor!, request.auditContext, caseId, input, formVersion(request.body));
      return { text: translate('conferences.flash.recorded'), to: conferencePaths.list(caseId) };
    }, (errors, status) => showRecord(request, reply, errors, input, status), 'kind');
  });

  app.post(conferencePaths.done(CASE, ':actionId'), audited, async (request, reply) => {
    const caseId = caseIdOf(request);
    const { actionId } = request.params as { actionId: string };
    return submit(request, reply, async () => {
      await conferences.markActionDone(request.actor!, request.auditContext, caseId, actionId, formVersion(request.body));
      return { text: translate('conferences.flash.done'), to: conferencePaths.list(caseId) };
    }, (errors, status) => showList(request, reply, errors, status), `action-${actionId}`);
  });
}
