// Pages of the JOIM: the pairs a JOIM member's organisation meets in, a
// pair's meetings and open actions, a meeting with its attendance, minutes,
// decisions and actions, the pack (a page and a CSV download), an action with
// its history, and "my JOIM actions". Forms post back to their own address,
// carry the version read and redirect with a flash; a form the meeting is not
// ready for sends the person back to the meeting, saying why.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { allow } from '../../platform/access/policy.ts';
import type { AuthService } from '../../platform/auth/service.ts';
import { translate } from '../../platform/i18n/messages.ts';
import type { Platform } from '../../platform/platform.ts';
import { formatDate, formatDateTime } from '../../platform/time/working-days.ts';
import { errorMessage, formString, formStrings } from '../../platform/web/forms.ts';
import type { SummaryError } from '../../platform/web/forms.ts';
import { escapeHtml } from '../../platform/web/lists.ts';
import { submitForm } from '../../platform/web/submit.ts';
import type { DateParts } from '../../cases/model.ts';
import { dateItems, datePartsOf, formVersion } from '../../cases/web-support.ts';
import { registerJoimApi } from './api.ts';
import {
  GUEST_ROWS, JOIM_PERMISSION, MAX_ACTION, MAX_DECISION, MAX_GUEST, MAX_GUESTS, MAX_MINUTES, MAX_NOTE, MAX_PLACE, MAX_REASON, actionStatusName, actionStatuses, meetingStatusName,
  placeLink, timeText,
} from './model.ts';
import type { ActionStatus, GuestInput, JoimAction, MeetingStatus, MeetingSummary } from './model.ts';
import { columnName, htmlRow, packCsv, packSections } from './pack.ts';
import { caseLabel, createJoimService } from './service.ts';
import type { JoimService, MeetingForm } from './service.ts';

export const joimPaths = {
  home: '/joim',
  myActions: '/joim/my-actions',
  pair: (forceId: string, cpsAreaId: string) => `/joim/pairs/${forceId}/${cpsAreaId}`,
  schedule: (forceId: string, cpsAreaId: string) => `/joim/pairs/${forceId}/${cpsAreaId}/meetings/new`,
  meeting: (meetingId: string) => `/joim/meetings/${meetingId}`,
  pack: (meetingId: string) => `/joim/meetings/${meetingId}/pack`,
  packCsv: (meetingId: string) => `/joim/meetings/${meetingId}/pack.csv`,
  details: (meetingId: string) => `/joim/meetings/${meetingId}/details`,
  cancel: (meetingId: string) => `/joim/meetings/${meetingId}/cancel`,
  attendance: (meetingId: string) => `/joim/meetings/${meetingId}/attendance`,
  minutes: (meetingId: string) => `/joim/meetings/${meetingId}/minutes`,
  decision: (meetingId: string) => `/joim/meetings/${meetingId}/decisions/new`,
  action: (meetingId: string) => `/joim/meetings/${meetingId}/actions/new`,
  actionPage: (actionId: string) => `/joim/actions/${actionId}`,
  actionStatus: (actionId: string) => `/joim/actions/${actionId}/status`,
};

const FORCE = ':forceId';
const AREA = ':cpsAreaId';
const MEETING = ':meetingId';
const ACTION = ':actionId';

export function registerJoim(app: FastifyInstance, platform: Platform, auth: AuthService): void {
  const joim = createJoimService(platform);
  registerPages(app, joim, auth);
  registerJoimApi(app, joim);
}

const link = (href: string, text: string) => `<a class="govuk-link" href="${escapeHtml(href)}">${escapeHtml(text)}</a>`;
const tag = (text: string, colour: string) => `<strong class="govuk-tag govuk-tag--${colour}">${escapeHtml(text)}</strong>`;
const meetingColours: Record<MeetingStatus, string> = { scheduled: 'blue', held: 'green', cancelled: 'grey' };
const actionColours: Record<ActionStatus, string> = { open: 'yellow', done: 'green', dropped: 'grey' };

function actionTag(action: JoimAction): string {
  return action.overdue ? tag(translate('joim.actionStatus.overdue'), 'red') : tag(actionStatusName(action.status), actionColours[action.status]);
}

const when = (meeting: Pick<MeetingSummary, 'meetsOn' | 'startsAt'>) => translate('joim.meeting.when', { date: formatDate(meeting.meetsOn), time: timeText(meeting.startsAt) });
const pairName = (forceName: string, areaName: string) => translate('joim.pairName', { force: forceName, area: areaName });

function placeHtml(place: string): { text: string } | { html: string } {
  const href = placeLink(place);
  return href ? { html: `<a class="govuk-link" href="${escapeHtml(href)}" rel="noreferrer noopener">${escapeHtml(translate('joim.meeting.joinLink'))}</a>` } : { text: place };
}

/** Text typed with blank lines between paragraphs, as paragraphs. */
const paragraphs = (text: string | null) => (text ?? '').split(/\n\s*\n/).map((p) => p.trim()).filter(Boolean);

function actionLinks(action: JoimAction): string {
  const parts = [
    ...(action.caseId && action.caseLabel ? [`${escapeHtml(translate('joim.action.aboutCase'))} ${link(`/cases/${action.caseId}`, action.caseLabel)}`] : []),
    ...(action.planId && action.planActionId && action.planActionLabel ? [`${escapeHtml(translate('joim.action.aboutPlan'))} ${link(`/plans/${action.planId}/actions/${action.planActionId}`, action.planActionLabel)}`] : []),
  ];
  return parts.join('<br>') || escapeHtml(translate('joim.pack.none'));
}

function actionRows(actions: readonly JoimAction[], options: { meeting?: boolean } = {}) {
  return actions.map((action) => [
    { text: String(action.number) },
    { html: link(joimPaths.actionPage(action.id), action.text) },
    ...(options.meeting ? [{ text: `${pairName(action.forceName, action.areaName)}, ${formatDate(action.meetsOn)}` }] : []),
    { text: action.ownerName },
    { text: formatDate(action.dueOn) },
    { html: actionTag(action) },
    { html: actionLinks(action) },
  ]);
}

const actionHead = (options: { meeting?: boolean } = {}) =>
  ['number', 'action', ...(options.meeting ? ['meeting'] : []), 'owner', 'due', 'status', 'about'].map((key) => ({ text: translate(`joim.column.${key}`) }));

type Values = Record<string, string | string[] | DateParts | GuestInput[] | undefined>;
const str = (values: Values, name: string) => (typeof values[name] === 'string' ? (values[name] as string) : '');

function registerPages(app: FastifyInstance, joim: JoimService, auth: AuthService): void {
  const member = { config: { policy: allow.withPermission(JOIM_PERMISSION), audit: 'none' as const } };
  const memberAudited = { config: { policy: allow.withPermission(JOIM_PERMISSION), audit: 'required' as const } };
  const signedIn = { config: { policy: allow.signedIn, audit: 'none' as const } };
  const signedInChange = { config: { policy: allow.signedIn, audit: 'required' as const } };
  const params = (request: FastifyRequest) => request.params as { forceId: string; cpsAreaId: string; meetingId: string; actionId: string };

  app.get(joimPaths.home, member, async (request, reply) => {
    const pairs = await joim.pairs(request.actor!, request.auditContext);
    return reply.render('joim/home.njk', {
      pageTitle: translate('joim.title'),
      myActionsHref: joimPaths.myActions,
      head: ['pair', 'next', 'last', 'openActions'].map((key) => ({ text: translate(`joim.column.${key}`) })),
      rows: pairs.map((summary) => [
        { html: link(joimPaths.pair(summary.pair.force.id, summary.pair.area.id), pairName(summary.pair.force.name, summary.pair.area.name)) },
        { text: summary.next ? when(summary.next) : translate('joim.noneScheduled') },
        { text: summary.last ? formatDate(summary.last.meetsOn) : translate('joim.noneHeld') },
        { html: summary.overdueActions ? `${summary.openActions} ${tag(translate('joim.overdueCount', { count: summary.overdueActions }), 'red')}` : String(summary.openActions) },
      ]),
    });
  });

  app.get(joimPaths.myActions, signedIn, async (request, reply) => {
    const actions = await joim.myActions(request.actor!);
    return reply.render('joim/my-actions.njk', {
      pageTitle: translate('joim.myActions.title'),
      head: actionHead({ meeting: true }),
      rows: actionRows(actions, { meeting: true }),
      open: actions.filter((a) => a.status === 'open').length,
      overdue: actions.filter((a) => a.overdue).length,
    });
  });

  app.get(joimPaths.pair(FORCE, AREA), member, async (request, reply) => {
    const { forceId, cpsAreaId } = params(request);
    const view = await joim.pair(request.actor!, request.auditContext, forceId, cpsAreaId);
    const meetingRow = (meeting: MeetingSummary) => [
      { html: link(joimPaths.meeting(meeting.id), formatDate(meeting.meetsOn)) },
      { text: timeText(meeting.startsAt) },
      placeHtml(meeting.place),
      { html: tag(meetingStatusName(meeting.status), meetingColours[meeting.status]) },
    ];
    return reply.render('joim/pair.njk', {
      pageTitle: pairName(view.pair.force.name, view.pair.area.name),
      backHref: joimPaths.home,
      scheduleHref: joimPaths.schedule(view.pair.force.id, view.pair.area.id),
      meetingHead: ['date', 'time', 'place', 'status'].map((key) => ({ text: translate(`joim.column.${key}`) })),
      upcoming: view.upcoming.map(meetingRow),
      past: view.past.map(meetingRow),
      actionHead: actionHead(),
      actions: actionRows(view.openActions),
      overdue: view.openActions.filter((a) => a.overdue).length,
    });
  });

  app.get(joimPaths.meeting(MEETING), member, async (request, reply) => {
    const view = await joim.meeting(request.actor!, request.auditContext, params(request).meetingId);
    const { meeting } = view;
    const row = (key: string, value: { text: string } | { html: string }) => ({ key: { text: translate(`joim.field.${key}`) }, value });
    return reply.render('joim/meeting.njk', {
      pageTitle: translate('joim.meeting.title', { date: formatDate(meeting.meetsOn) }),
      caption: pairName(meeting.forceName, meeting.areaName),
      backHref: joimPaths.pair(meeting.forceId, meeting.cpsAreaId),
      rows: [
        row('when', { text: when(meeting) }),
        row('place', placeHtml(meeting.place)),
        row('status', { html: tag(meetingStatusName(meeting.status), meetingColours[meeting.status]) }),
        ...(meeting.cancelledReason ? [row('cancelledReason', { text: meeting.cancelledReason })] : []),
        ...(meeting.heldRecordedAt ? [row('held', { text: translate('joim.meeting.heldBy', { name: meeting.heldRecordedBy ?? '', at: formatDateTime(meeting.heldRecordedAt) }) })] : []),
      ],
      packHref: joimPaths.pack(meeting.id),
      packCsvHref: joimPaths.packCsv(meeting.id),
      packText: translate(meeting.packFrozenAt ? 'joim.meeting.packFrozen' : 'joim.meeting.packLive', { date: formatDate(meeting.meetsOn), at: meeting.packFrozenAt ? formatDateTime(meeting.packFrozenAt) : '' }),
      buttons: [
        ...(view.may.attendance && meeting.status === 'scheduled' ? [{ text: translate('joim.attendance.holdTitle'), href: joimPaths.attendance(meeting.id) }] : []),
        ...(view.may.details ? [{ text: translate('joim.details.title'), href: joimPaths.details(meeting.id), secondary: true }] : []),
        ...(view.may.cancel ? [{ text: translate('joim.cancel.title'), href: joimPaths.cancel(meeting.id), warning: true }] : []),
      ],
      held: meeting.status === 'held',
      attendees: view.attendees.map((a) => (a.userId ? translate('joim.attendee.person', { name: a.name, organisation: a.organisationName ?? '' }) : translate('joim.attendee.guest', { name: a.name, role: a.guestRole ?? '' }))),
      attendanceHref: view.may.attendance && meeting.status === 'held' ? joimPaths.attendance(meeting.id) : null,
      minutes: paragraphs(meeting.minutes),
      minutesBy: meeting.minutesAt ? translate('joim.minutes.by', { name: meeting.minutesBy ?? '', at: formatDateTime(meeting.minutesAt) }) : null,
      minutesHref: view.may.record ? joimPaths.minutes(meeting.id) : null,
      minutesLinkText: translate(meeting.minutes ? 'joim.minutes.correct' : 'joim.minutes.title'),
      decisions: view.decisions.map((d) => ({ number: d.number, text: d.text, by: translate('joim.decision.by', { name: d.recordedBy, at: formatDateTime(d.recordedAt) }) })),
      decisionHref: view.may.record ? joimPaths.decision(meeting.id) : null,
      actionHead: actionHead(),
      actions: actionRows(view.actions),
      actionHref: view.may.record ? joimPaths.action(meeting.id) : null,
    });
  });

  app.get(joimPaths.pack(MEETING), memberAudited, async (request, reply) => {
    const { meeting, pack, frozen } = await joim.pack(request.actor!, request.auditContext, params(request).meetingId);
    const sections = packSections(pack);
    return reply.render('joim/pack.njk', {
      pageTitle: translate('joim.pack.title', { date: formatDate(meeting.meetsOn) }),
      caption: pairName(meeting.forceName, meeting.areaName),
      backHref: joimPaths.meeting(meeting.id),
      lead: translate(frozen ? 'joim.pack.frozenLead' : 'joim.pack.liveLead', { date: formatDate(pack.on), at: formatDateTime(frozen ? meeting.packFrozenAt ?? pack.generatedAt : pack.generatedAt) }),
      csvHref: joimPaths.packCsv(meeting.id),
      summary: sections.map((s) => ({ key: { text: s.title }, value: { html: `<a class="govuk-link" href="#${s.key}">${s.rows.length}</a>` } })),
      sections: sections.map((s) => ({
        id: s.key,
        title: s.title,
        description: s.description,
        count: s.rows.length,
        head: s.groups.map((group) => ({ text: columnName(group.heading) })),
        rows: s.rows.map((row) => htmlRow(s, row)),
      })),
    });
  });

  app.get(joimPaths.packCsv(MEETING), memberAudited, async (request, reply) => {
    const { meeting, pack } = await joim.pack(request.actor!, request.auditContext, params(request).meetingId);
    return reply
      .header('content-type', 'text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="joim-pack-${meeting.meetsOn}.csv"`)
      .header('cache-control', 'no-store')
      .send(packCsv(pack));
  });

  app.get(joimPaths.actionPage(ACTION), signedIn, async (request, reply) => {
    const { action, updates, member: isMember } = await joim.action(request.actor!, request.auditContext, params(request).actionId);
    const row = (key: string, value: { text: string } | { html: string }) => ({ key: { text: translate(`joim.field.${key}`) }, value });
    return reply.render('joim/action.njk', {
      pageTitle: translate('joim.action.pageTitle', { number: action.number }),
      caption: translate('joim.action.caption', { pair: pairName(action.forceName, action.areaName), date: formatDate(action.meetsOn) }),
      backHref: isMember ? joimPaths.meeting(action.meetingId) : joimPaths.myActions,
      text: action.text,
      rows: [
        row('owner', { text: action.ownerName }),
        row('due', { text: formatDate(action.dueOn) }),
        row('status', { html: actionTag(action) }),
        row('about', { html: actionLinks(action) }),
        row('meeting', isMember ? { html: link(joimPaths.meeting(action.meetingId), formatDate(action.meetsOn)) } : { text: formatDate(action.meetsOn) }),
        row('recordedBy', { text: translate('joim.recordedBy', { name: action.createdBy, at: formatDateTime(action.createdAt) }) }),
      ],
      updateHref: joimPaths.actionStatus(action.id),
      history: updates.map((u) => ({
        title: u.statusFrom === null ? translate('joim.history.agreed') : u.statusFrom === u.statusTo ? translate('joim.history.note') : translate('joim.history.status', { from: actionStatusName(u.statusFrom), to: actionStatusName(u.statusTo) }),
        note: u.note,
        by: translate('joim.recordedBy', { name: u.recordedBy, at: formatDateTime(u.recordedAt) }),
      })),
    });
  });

  // The forms.

  const dateField = (name: string, legend: string, hint: string, values: Values, errors: SummaryError[]) => {
    const error = errors.find((e) => e.field.startsWith(`${name}-`));
    return {
      kind: 'date',
      params: {
        id: name, fieldset: { legend: { text: legend, classes: 'govuk-fieldset__legend--s' } }, hint: { text: hint },
        items: dateItems(name, values[name] as Partial<DateParts> | undefined, errors), errorMessage: error ? { text: error.text } : undefined,
      },
    };
  };
  const textarea = (name: string, label: string, values: Values, errors: SummaryError[], options: { hint?: string; rows?: number } = {}) => ({
    kind: 'textarea',
    params: {
      label: { text: label, classes: 'govuk-label--s' }, ...(options.hint ? { hint: { text: options.hint } } : {}), id: name, name, rows: options.rows ?? 5,
      value: str(values, name), errorMessage: errorMessage(errors, name),
    },
  });
  const input = (name: string, label: string, values: Values, errors: SummaryError[], options: { hint?: string; classes?: string; autocomplete?: string } = {}) => ({
    kind: 'input',
    params: {
      label: { text: label, classes: 'govuk-label--s' }, ...(options.hint ? { hint: { text: options.hint } } : {}), id: name, name, value: str(values, name),
      ...(options.classes ? { classes: options.classes } : {}), autocomplete: options.autocomplete ?? 'off', errorMessage: errorMessage(errors, name),
    },
  });
  const meetingFields = (values: Values, errors: SummaryError[]) => [
    dateField('meetsOn', translate('joim.meeting.dateLabel'), translate('joim.meeting.dateHint'), values, errors),
    input('startsAt', translate('joim.meeting.timeLabel'), values, errors, { hint: translate('joim.meeting.timeHint'), classes: 'govuk-input--width-5' }),
    input('place', translate('joim.meeting.placeLabel'), values, errors, { hint: translate('joim.meeting.placeHint') }),
  ];
  const partsOf = (date: string): DateParts => ({ day: String(Number(date.slice(8, 10))), month: String(Number(date.slice(5, 7))), year: date.slice(0, 4) });

  const render = (reply: FastifyReply, status: number, model: Record<string, unknown>) => reply.code(status).render('joim/form.njk', model);

  /** Shows a form of the meeting (or sends the person back to the meeting when it is not ready for it). */
  const showMeetingForm = async (form: MeetingForm, request: FastifyRequest, reply: FastifyReply, errors: SummaryError[] = [], given?: Values, status = 200) => {
    const actor = request.actor!;
    const context = request.auditContext;
    const { meeting, problem } = await joim.checkForm(actor, context, params(request).meetingId, form);
    if (problem && status === 200) {
      await auth.setFlash(request.session!, { type: 'information', text: problem });
      return reply.redirect(joimPaths.meeting(meeting.id), 303);
    }
    const common = {
      pageTitle: translate(`joim.${form}.title`),
      caption: translate('joim.meeting.caption', { pair: pairName(meeting.forceName, meeting.areaName), date: formatDate(meeting.meetsOn) }),
      backHref: joimPaths.meeting(meeting.id),
      version: meeting.version,
      errors,
      submitText: translate(`joim.${form}.submit`),
    };
    switch (form) {
      case 'details': {
        const values = given ?? { meetsOn: partsOf(meeting.meetsOn), startsAt: meeting.startsAt, place: meeting.place };
        return render(reply, status, { ...common, fields: meetingFields(values, errors) });
      }
      case 'cancel':
        return render(reply, status, { ...common, lead: [when(meeting)], fields: [textarea('reason', translate('joim.cancel.reasonLabel'), given ?? {}, errors)], warning: true });
      case 'minutes':
        return render(reply, status, {
          ...common, pageTitle: translate(meeting.minutes ? 'joim.minutes.correct' : 'joim.minutes.title'),
          fields: [textarea('minutes', translate('joim.minutes.label'), given ?? { minutes: meeting.minutes ?? '' }, errors, { hint: translate('joim.minutes.hint'), rows: 15 })],
        });
      case 'decision':
        return render(reply, status, { ...common, fields: [textarea('text', translate('joim.decision.label'), given ?? {}, errors)] });
      case 'attendance': {
        const choices = await joim.choices(actor, context, meeting.id);
        const chosen = given ? ((given.attendees as string[] | undefined) ?? []) : choices.attendees.flatMap((a) => (a.userId ? [a.userId] : []));
        const guests = (given?.guests as GuestInput[] | undefined) ?? choices.attendees.filter((a) => !a.userId).map((a) => ({ name: a.name, role: a.guestRole ?? '' }));
        const rows = Math.min(MAX_GUESTS, Math.max(GUEST_ROWS, guests.length + 2));
        return render(reply, status, {
          ...common,
          pageTitle: translate(meeting.status === 'scheduled' ? 'joim.attendance.holdTitle' : 'joim.attendance.title'),
          submitText: translate(meeting.status === 'scheduled' ? 'joim.attendance.holdSubmit' : 'joim.attendance.submit'),
          lead: meeting.status === 'scheduled' ? [translate('joim.attendance.holdLead', { date: formatDate(meeting.meetsOn) })] : [],
          fields: [
            {
              kind: 'checkboxes',
              params: {
                idPrefix: 'attendees', name: 'attendees',
                fieldset: { legend: { text: translate('joim.attendance.peopleLegend'), classes: 'govuk-fieldset__legend--s' } },
                hint: { text: translate('joim.attendance.peopleHint') },
                items: choices.people.map((p) => ({ value: p.userId, text: p.name, hint: { text: p.organisationName }, checked: chosen.includes(p.userId) })),
                errorMessage: errorMessage(errors, 'attendees'),
              },
            },
            {
              kind: 'guests',
              legend: translate('joim.attendance.guestsLegend'),
              hint: translate('joim.attendance.guestsHint'),
              rows: Array.from({ length: rows }, (_, i) => {
                const n = i + 1;
                const guest = guests[i] ?? { name: '', role: '' };
                return {
                  legend: translate('joim.attendance.guest', { n }),
                  name: { label: { text: translate('joim.attendance.guestName') }, id: `guests-${n}-name`, name: `guests-${n}-name`, value: guest.name, autocomplete: 'off', errorMessage: errorMessage(errors, `guests-${n}-name`) },
                  role: { label: { text: translate('joim.attendance.guestRole') }, id: `guests-${n}-role`, name: `guests-${n}-role`, value: guest.role, autocomplete: 'off', errorMessage: errorMessage(errors, `guests-${n}-role`) },
                };
              }),
            },
          ],
        });
      }
      default: {
        const [choices, planActions] = await Promise.all([joim.choices(actor, context, meeting.id), joim.planActions(actor, context, meeting.id)]);
        const values = given ?? {};
        const select = (name: string, label: string, hint: string, items: { value: string; text: string }[]) => ({
          kind: 'select',
          params: {
            id: name, name, label: { text: label, classes: 'govuk-label--s' }, hint: { text: hint },
            items: items.map((item) => ({ ...item, selected: str(values, name) === item.value })), errorMessage: errorMessage(errors, name),
          },
        });
        return render(reply, status, {
          ...common,
          fields: [
            textarea('text', translate('joim.action.textLabel'), values, errors, { hint: translate('joim.action.textHint'), rows: 3 }),
            select('ownerUserId', translate('joim.action.ownerLabel'), translate('joim.action.ownerHint'), [
              { value: '', text: translate('joim.action.chooseOwner') },
              ...choices.people.map((p) => ({ value: p.userId, text: translate('joim.attendee.person', { name: p.name, organisation: p.organisationName }) })),
            ]),
            dateField('dueOn', translate('joim.action.dueLabel'), translate('joim.action.dueHint', { date: formatDate(meeting.meetsOn) }), values, errors),
            select('caseId', translate('joim.action.caseLabel'), translate('joim.action.caseHint'), [
              { value: '', text: translate('joim.action.noCase') },
              ...choices.cases.map((kase) => ({ value: kase.caseId, text: caseLabel(kase) })),
            ]),
            select('planActionId', translate('joim.action.planLabel'), translate('joim.action.planHint'), [
              { value: '', text: translate('joim.action.noPlan') },
              ...planActions.map((p) => ({ value: p.actionId, text: `${p.label}: ${p.text.length > 90 ? `${p.text.slice(0, 89)}…` : p.text}` })),
            ]),
          ],
        });
      }
    }
  };

  const readMeetingForm = (form: MeetingForm, body: unknown): Values => {
    const text = (name: string, max: number) => formString(body, name, { maxLength: max + 1 });
    switch (form) {
      case 'details':
        return { meetsOn: datePartsOf(body, 'meetsOn'), startsAt: text('startsAt', 20), place: text('place', MAX_PLACE) };
      case 'cancel':
        return { reason: text('reason', MAX_REASON) };
      case 'minutes':
        return { minutes: text('minutes', MAX_MINUTES) };
      case 'decision':
        return { text: text('text', MAX_DECISION) };
      case 'attendance': {
        const guests = Array.from({ length: MAX_GUESTS + 1 }, (_, i) => ({ name: text(`guests-${i + 1}-name`, MAX_GUEST), role: text(`guests-${i + 1}-role`, MAX_GUEST) }));
        // Rows keep their numbers (an error names its row); the empty ones after the last filled in are dropped.
        const last = guests.findLastIndex((guest) => guest.name !== '' || guest.role !== '');
        return { attendees: formStrings(body, 'attendees').slice(0, 500), guests: guests.slice(0, last + 1) };
      }
      default:
        return { text: text('text', MAX_ACTION), ownerUserId: text('ownerUserId', 60), dueOn: datePartsOf(body, 'dueOn'), caseId: text('caseId', 60), planActionId: text('planActionId', 60) };
    }
  };

  for (const form of ['details', 'cancel', 'attendance', 'minutes', 'decision', 'action'] as const) {
    const path = joimPaths[form](MEETING);
    app.get(path, member, async (request, reply) => showMeetingForm(form, request, reply));
    app.post(path, memberAudited, async (request, reply) => {
      const actor = request.actor!;
      const context = request.auditContext;
      const meetingId = params(request).meetingId;
      const version = formVersion(request.body);
      const values = readMeetingForm(form, request.body);
      const command = async () => {
        switch (form) {
          case 'details':
            return joim.changeDetails(actor, context, meetingId, { meetsOn: values.meetsOn as DateParts, startsAt: str(values, 'startsAt'), place: str(values, 'place') }, version);
          case 'cancel':
            return joim.cancel(actor, context, meetingId, str(values, 'reason'), version);
          case 'attendance':
            return joim.recordAttendance(actor, context, meetingId, { userIds: values.attendees as string[], guests: values.guests as GuestInput[] }, version);
          case 'minutes':
            return joim.recordMinutes(actor, context, meetingId, str(values, 'minutes'), version);
          case 'decision':
            return joim.addDecision(actor, context, meetingId, str(values, 'text'), version);
          default:
            return joim.addAction(actor, context, meetingId, {
              text: str(values, 'text'), ownerUserId: str(values, 'ownerUserId'), dueOn: values.dueOn as DateParts, caseId: str(values, 'caseId'), planActionId: str(values, 'planActionId'),
            }, version);
        }
      };
      return submitForm(auth, request, reply, {
        command: async () => {
          const wasScheduled = form === 'attendance' ? (await joim.checkForm(actor, context, meetingId, form)).meeting.status === 'scheduled' : false;
          await command();
          return { text: translate(wasScheduled ? 'joim.attendance.heldFlash' : `joim.${form}.flash`), to: joimPaths.meeting(meetingId) };
        },
        showAgain: (errors, status) => showMeetingForm(form, request, reply, errors, status === 409 ? undefined : values, status),
        conflictField: { details: 'meetsOn-day', cancel: 'reason', attendance: 'attendees', minutes: 'minutes', decision: 'text', action: 'text' }[form],
        conflictMessage: translate('joim.error.conflict'),
      });
    });
  }

  // Scheduling a meeting of a pair.
  const showSchedule = async (request: FastifyRequest, reply: FastifyReply, errors: SummaryError[] = [], values: Values = {}, status = 200) => {
    const { forceId, cpsAreaId } = params(request);
    const pair = await joim.checkPair(request.actor!, request.auditContext, forceId, cpsAreaId);
    return render(reply, status, {
      pageTitle: translate('joim.schedule.title'),
      caption: pairName(pair.force.name, pair.area.name),
      backHref: joimPaths.pair(pair.force.id, pair.area.id),
      errors,
      submitText: translate('joim.schedule.submit'),
      fields: meetingFields(values, errors),
    });
  };
  app.get(joimPaths.schedule(FORCE, AREA), member, async (request, reply) => showSchedule(request, reply));
  app.post(joimPaths.schedule(FORCE, AREA), memberAudited, async (request, reply) => {
    const body = request.body;
    const { forceId, cpsAreaId } = params(request);
    const values = { meetsOn: datePartsOf(body, 'meetsOn'), startsAt: formString(body, 'startsAt', { maxLength: 21 }), place: formString(body, 'place', { maxLength: MAX_PLACE + 1 }) };
    return submitForm(auth, request, reply, {
      command: async () => {
        const id = await joim.schedule(request.actor!, request.auditContext, forceId, cpsAreaId, values);
        return { text: translate('joim.schedule.flash'), to: joimPaths.meeting(id) };
      },
      showAgain: (errors, status) => showSchedule(request, reply, errors, values, status),
      conflictField: 'meetsOn-day',
    });
  });

  // An action's status: its owner or the pair's JOIM members.
  const showStatus = async (request: FastifyRequest, reply: FastifyReply, errors: SummaryError[] = [], values: Values = {}, status = 200) => {
    const { action } = await joim.action(request.actor!, request.auditContext, params(request).actionId);
    const chosen = str(values, 'status') || action.status;
    return render(reply, status, {
      pageTitle: translate('joim.status.title'),
      caption: translate('joim.action.caption', { pair: pairName(action.forceName, action.areaName), date: formatDate(action.meetsOn) }),
      backHref: joimPaths.actionPage(action.id),
      lead: [translate('joim.status.lead', { number: action.number, text: action.text, date: formatDate(action.dueOn) })],
      version: action.version,
      errors,
      submitText: translate('joim.status.submit'),
      fields: [
        {
          kind: 'radios',
          params: {
            idPrefix: 'status', name: 'status',
            fieldset: { legend: { text: translate('joim.status.legend'), classes: 'govuk-fieldset__legend--s' } },
            hint: { text: translate('joim.status.current', { status: actionStatusName(action.status) }) },
            items: actionStatuses.map((s) => ({ value: s, text: actionStatusName(s), hint: { text: translate(`joim.status.hint.${s}`) }, checked: chosen === s })),
            errorMessage: errorMessage(errors, 'status'),
          },
        },
        textarea('note', translate('joim.status.noteLabel'), values, errors, { hint: translate('joim.status.noteHint'), rows: 4 }),
      ],
    });
  };
  app.get(joimPaths.actionStatus(ACTION), signedIn, async (request, reply) => showStatus(request, reply));
  app.post(joimPaths.actionStatus(ACTION), signedInChange, async (request, reply) => {
    const body = request.body;
    const actionId = params(request).actionId;
    const values = { status: formString(body, 'status', { maxLength: 20 }), note: formString(body, 'note', { maxLength: MAX_NOTE + 1 }) };
    return submitForm(auth, request, reply, {
      command: async () => {
        await joim.changeAction(request.actor!, request.auditContext, actionId, values, formVersion(body));
        return { text: translate('joim.status.flash'), to: joimPaths.actionPage(actionId) };
      },
      showAgain: (errors, status) => showStatus(request, reply, errors, status === 409 ? {} : values, status),
      conflictField: 'status',
      conflictMessage: translate('joim.error.conflict'),
    });
  });

}
