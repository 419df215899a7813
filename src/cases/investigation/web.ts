// Pages of the investigation part: the investigation page (supervisory
// review schedule, suspects' arrest, interview, bail and release under
// investigation, waiting on the victim), the forms that record them, and the
// case's deadlines page with pause and resume. Every form posts back to its
// own address and redirects with a flash message; errors are shown with the
// GOV.UK error summary, and a stale form is a conflict.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { allow } from '../../platform/access/policy.ts';
import type { AuthService } from '../../platform/auth/service.ts';
import { registerMessages, translate } from '../../platform/i18n/messages.ts';
import type { Platform } from '../../platform/platform.ts';
import { formatDate, formatDateTime, londonDate } from '../../platform/time/working-days.ts';
import { formString } from '../../platform/web/forms.ts';
import type { SummaryError } from '../../platform/web/forms.ts';
import { errorMessage } from '../../platform/web/forms.ts';
import { submitForm } from '../../platform/web/submit.ts';
import type { FormOutcome } from '../../platform/web/submit.ts';
import type { DateParts } from '../model.ts';
import { caseFrame, registerCaseSection } from '../sections.ts';
import { datePartsOf, formVersion } from '../web-support.ts';
import { registerInvestigationApi } from './api.ts';
import messages from './messages.en.json' with { type: 'json' };
import { awaitingVictimReasons, bailAuthorities, describeInvestigationEvent, isAwaitingVictimReason } from './model.ts';
import { createInvestigationService } from './service.ts';
import type { CaseClock, InvestigationService, InvestigationView } from './service.ts';

export const investigationPaths = {
  page: (id: string) => `/cases/${id}/investigation`,
  startReviews: (id: string) => `/cases/${id}/investigation/reviews/start`,
  review: (id: string) => `/cases/${id}/investigation/reviews/new`,
  bail: (id: string) => `/cases/${id}/investigation/bail/new`,
  extendBail: (id: string) => `/cases/${id}/investigation/bail/extend`,
  rui: (id: string) => `/cases/${id}/investigation/rui/new`,
  ruiReview: (id: string) => `/cases/${id}/investigation/rui/review`,
  arrest: (id: string) => `/cases/${id}/investigation/arrest`,
  interview: (id: string) => `/cases/${id}/investigation/interview`,
  victim: (id: string) => `/cases/${id}/investigation/victim`,
  deadlines: (id: string) => `/cases/${id}/deadlines`,
  pause: (id: string) => `/cases/${id}/deadlines/pause`,
  resume: (id: string) => `/cases/${id}/deadlines/resume`,
};

const CASE = ':caseId';

export function registerInvestigation(app: FastifyInstance, platform: Platform, auth: AuthService): void {
  registerMessages('en', messages);
  const service = createInvestigationService(platform);
  registerCaseSection({
    key: 'investigation',
    titleKey: 'investigation.section',
    order: 10,
    href: investigationPaths.page,
    eventPrefix: 'investigation.',
    describe: describeInvestigationEvent,
    actions: ({ summary, side }) => (side === 'police' && summary.stage === 'investigation' ? [{ text: translate('investigation.reviews.record'), href: investigationPaths.review(summary.id) }] : []),
  });
  registerCaseSection({ key: 'deadlines', titleKey: 'investigation.deadlinesSection', order: 5, href: investigationPaths.deadlines });
  registerPages(app, service, auth);
  registerInvestigationApi(app, service);
}

function dateField(name: string, legend: string, parts: Partial<DateParts>, errors: readonly SummaryError[]) {
  const wrong = errors.find((e) => e.field.startsWith(`${name}-`));
  return {
    type: 'date',
    params: {
      id: name,
      namePrefix: name,
      fieldset: { legend: { text: legend, classes: 'govuk-fieldset__legend--s' } },
      errorMessage: wrong ? { text: wrong.text } : undefined,
      items: (['day', 'month', 'year'] as const).map((part) => ({
        name: part,
        id: `${name}-${part}`,
        label: translate(`cases.date.${part}`),
        value: parts[part] ?? '',
        classes: `govuk-input--width-${part === 'year' ? 4 : 2}${wrong ? ' govuk-input--error' : ''}`,
        inputmode: 'numeric',
      })),
    },
  };
}

function radiosField(name: string, legend: string, items: { value: string; text: string; hint?: string }[], chosen: string | undefined, errors: readonly SummaryError[]) {
  return {
    type: 'radios',
    params: {
      idPrefix: name,
      name,
      fieldset: { legend: { text: legend, classes: 'govuk-fieldset__legend--s' } },
      items: items.map((i) => ({ value: i.value, text: i.text, hint: i.hint ? { text: i.hint } : undefined, checked: i.value === chosen })),
      errorMessage: errorMessage(errors, name),
    },
  };
}

function textareaField(name: string, label: string, value: string | undefined, errors: readonly SummaryError[]) {
  return { type: 'textarea', params: { id: name, name, label: { text: label, classes: 'govuk-label--s' }, value: value ?? '', errorMessage: errorMessage(errors, name) } };
}

const statusTag = (status: CaseClock['status'], overdue: boolean) =>
  `<strong class="govuk-tag ${{ open: 'govuk-tag--blue', paused: 'govuk-tag--yellow', met: 'govuk-tag--green', cancelled: 'govuk-tag--grey' }[status]}">${translate(`investigation.status.${status}`)}</strong>${overdue ? ` <strong class="govuk-tag govuk-tag--red">${translate('investigation.deadlines.overdue')}</strong>` : ''}`;

function investigationModel(view: InvestigationView) {
  const id = view.summary.id;
  const police = view.mayWork && view.side === 'police' && !['police_nfa', 'cps_nfa', 'out_of_court_disposal', 'completed', 'administratively_finalised'].includes(view.summary.stage);
  const next = view.nextReview;
  const reviewActions = [
    ...(police && !next ? [{ text: translate('investigation.reviews.start'), href: investigationPaths.startReviews(id) }] : []),
    ...(police && view.maySupervise ? [{ text: translate('investigation.reviews.record'), href: investigationPaths.review(id) }] : []),
  ];
  const hasSuspects = view.suspects.length > 0;
  const suspectActions = police && hasSuspects
    ? [
        { text: translate('investigation.arrest'), href: investigationPaths.arrest(id) },
        { text: translate('investigation.interview'), href: investigationPaths.interview(id) },
        { text: translate('investigation.bail.set'), href: investigationPaths.bail(id) },
        ...(view.suspects.some((s) => s.bail) ? [{ text: translate('investigation.bail.extend'), href: investigationPaths.extendBail(id) }] : []),
        { text: translate('investigation.rui.release'), href: investigationPaths.rui(id) },
        ...(view.suspects.some((s) => s.rui) ? [{ text: translate('investigation.rui.review'), href: investigationPaths.ruiReview(id) }] : []),
      ]
    : [];
  const detail = (s: InvestigationView['suspects'][number]) => {
    if (s.bail) {
      return `${translate('investigation.bail.summary', { from: formatDate(s.bail.startedOn), until: formatDate(s.bail.until), authority: bailAuthorities[s.bail.authority], next: formatDate(s.bail.next.until), needed: bailAuthorities[s.bail.next.authority] })} ${translate('investigation.bail.conditions', { conditions: s.bail.conditions })}`;
    }
    if (s.rui) return translate('investigation.rui.summary', { from: formatDate(s.rui.releasedOn), due: s.rui.nextReviewDue ? formatDate(s.rui.nextReviewDue) : '—' });
    return '';
  };
  const waiting = view.awaitingVictim;
  return {
    pageTitle: translate('investigation.title'),
    ...caseFrame(view.summary, 'investigation'),
    backHref: `/cases/${id}`,
    reviewSchedule: next
      ? translate(next.overdue ? 'investigation.reviews.nextOverdue' : 'investigation.reviews.next', { date: formatDate(next.dueOn) })
      : translate('investigation.reviews.notStarted'),
    reviewHead: [{ text: translate('investigation.reviews.date') }, { text: translate('investigation.reviews.by') }, { text: translate('investigation.reviews.note') }],
    reviewRows: view.reviews.map((r) => [{ text: formatDate(r.reviewedOn) }, { text: r.reviewerName }, { text: r.note }]),
    reviewActions,
    suspectHead: [{ text: translate('investigation.suspect.name') }, { text: translate('investigation.suspect.status') }, { text: translate('investigation.suspect.arrested') }, { text: translate('investigation.suspect.interviewed') }, { text: translate('investigation.suspect.details') }],
    suspectRows: view.suspects.map((s) => [
      { text: s.name },
      { text: translate(`investigation.status.${s.status}`) },
      { text: s.arrestedOn ? formatDate(s.arrestedOn) : translate('investigation.notRecorded') },
      { text: s.interviewedOn ? formatDate(s.interviewedOn) : translate('investigation.notRecorded') },
      { text: detail(s) },
    ]),
    suspectActions,
    victimText: waiting
      ? translate('investigation.victim.waiting', { date: formatDate(londonDate(waiting.since)), reason: isAwaitingVictimReason(waiting.reasonCode) ? awaitingVictimReasons[waiting.reasonCode] : '' })
      : translate('investigation.victim.notWaiting'),
    victimAction: view.mayWork && view.side ? { text: translate(waiting ? 'investigation.victim.reengaged' : 'investigation.victim.mark'), href: investigationPaths.victim(id) } : undefined,
  };
}

function registerPages(app: FastifyInstance, service: InvestigationService, auth: AuthService): void {
  const audited = { config: { policy: allow.signedIn, audit: 'required' as const } };
  const caseIdOf = (request: FastifyRequest) => (request.params as { caseId: string }).caseId;
  const submit = (request: FastifyRequest, reply: FastifyReply, command: () => Promise<FormOutcome>, showAgain: (errors: SummaryError[], status: number) => Promise<FastifyReply>, conflictField: string) =>
    submitForm(auth, request, reply, { command, showAgain, conflictField, conflictMessage: translate('investigation.error.conflict') });

  app.get(investigationPaths.page(CASE), audited, async (request, reply) => {
    const view = await service.investigation(request.actor!, request.auditContext, caseIdOf(request));
    return reply.render('investigation/investigation.njk', investigationModel(view));
  });

  /**
   * One form page: `fields` builds its fields from the investigation as it is
   * now and the values sent; `run` records it and answers the flash message.
   */
  const form = (
    path: (id: string) => string,
    options: {
      title: string;
      body?: string;
      submit?: string;
      conflictField: string;
      fields: (view: InvestigationView, values: Record<string, unknown>, errors: SummaryError[]) => object[] | null;
      read: (body: unknown) => Record<string, unknown>;
      run: (request: FastifyRequest, caseId: string, values: Record<string, unknown>, version: number | null) => Promise<string>;
    },
  ) => {
    const show = async (request: FastifyRequest, reply: FastifyReply, errors: SummaryError[] = [], values: Record<string, unknown> = {}, status = 200) => {
      const view = await service.investigation(request.actor!, request.auditContext, caseIdOf(request), 'work');
      const fields = options.fields(view, values, errors);
      return reply.code(status).render('investigation/form.njk', {
        pageTitle: translate(options.title),
        ...caseFrame(view.summary, 'investigation'),
        body: options.body ? translate(options.body) : undefined,
        backHref: investigationPaths.page(view.summary.id),
        version: view.summary.version,
        errors,
        empty: fields === null,
        fields: fields ?? [],
        submitText: translate(options.submit ?? 'investigation.save'),
      });
    };
    app.get(path(CASE), audited, async (request, reply) => show(request, reply));
    app.post(path(CASE), audited, async (request, reply) => {
      const caseId = caseIdOf(request);
      const values = options.read(request.body);
      return submit(request, reply, async () => ({ text: await options.run(request, caseId, values, formVersion(request.body)), to: investigationPaths.page(caseId) }),
        (errors, status) => show(request, reply, errors, status === 409 ? {} : values, status), options.conflictField);
    });
  };

  const suspectsField = (view: InvestigationView, values: Record<string, unknown>, errors: SummaryError[]) =>
    radiosField('personId', translate('investigation.field.suspect'), view.suspects.map((s) => ({ value: s.personId, text: s.name, hint: translate(`investigation.status.${s.status}`) })), values.personId as string | undefined, errors);

  form(investigationPaths.startReviews, {
    title: 'investigation.reviews.start', body: 'investigation.reviews.startBody', submit: 'investigation.confirm', conflictField: 'start',
    fields: () => [],
    read: () => ({}),
    run: async (request, caseId, _values, version) => {
      await service.startReviews(request.actor!, request.auditContext, caseId, version);
      const view = await service.investigation(request.actor!, request.auditContext, caseId);
      return translate('investigation.flash.started', { date: view.nextReview ? formatDate(view.nextReview.dueOn) : '' });
    },
  });

  form(investigationPaths.review, {
    title: 'investigation.reviews.record', conflictField: 'reviewedOn-day',
    fields: (_view, values, errors) => [
      dateField('reviewedOn', translate('investigation.reviews.dateLabel'), (values.reviewedOn as DateParts | undefined) ?? {}, errors),
      textareaField('note', translate('investigation.reviews.noteLabel'), values.note as string | undefined, errors),
    ],
    read: (body) => ({ reviewedOn: datePartsOf(body, 'reviewedOn'), note: formString(body, 'note', { maxLength: 5000 }) }),
    run: async (request, caseId, values, version) => {
      const due = await service.recordReview(request.actor!, request.auditContext, caseId, values as { reviewedOn: DateParts; note: string }, version);
      return translate('investigation.flash.reviewed', { date: formatDate(due) });
    },
  });

  form(investigationPaths.bail, {
    title: 'investigation.bail.set', conflictField: 'personId',
    fields: (view, values, errors) => (view.suspects.length === 0 ? null : [
      suspectsField(view, values, errors),
      dateField('startedOn', translate('investigation.field.startedOn'), (values.startedOn as DateParts | undefined) ?? {}, errors),
      textareaField('conditions', translate('investigation.field.conditions'), values.conditions as string | undefined, errors),
    ]),
    read: (body) => ({ personId: formString(body, 'personId', { maxLength: 100 }), startedOn: datePartsOf(body, 'startedOn'), conditions: formString(body, 'conditions', { maxLength: 5000 }) }),
    run: async (request, caseId, values, version) => {
      const until = await service.setBail(request.actor!, request.auditContext, caseId, values as { personId: string; startedOn: DateParts; conditions: string }, version);
      return translate('investigation.flash.bailed', { date: formatDate(until) });
    },
  });

  form(investigationPaths.extendBail, {
    title: 'investigation.bail.extend', conflictField: 'authority',
    fields: (view, values, errors) => {
      const bailed = view.suspects.filter((s) => s.bail);
      if (bailed.length === 0) return null;
      return [
        radiosField('bailId', translate('investigation.field.bail'), bailed.map((s) => ({ value: s.bail!.id, text: s.name, hint: translate('investigation.bail.summary', { from: formatDate(s.bail!.startedOn), until: formatDate(s.bail!.until), authority: bailAuthorities[s.bail!.authority], next: formatDate(s.bail!.next.until), needed: bailAuthorities[s.bail!.next.authority] }) })), (values.bailId as string | undefined) ?? (bailed.length === 1 ? bailed[0]!.bail!.id : undefined), errors),
        radiosField('authority', translate('investigation.field.authority'), Object.entries(bailAuthorities).map(([value, text]) => ({ value, text })), values.authority as string | undefined, errors),
      ];
    },
    read: (body) => ({ bailId: formString(body, 'bailId', { maxLength: 100 }), authority: formString(body, 'authority', { maxLength: 50 }) }),
    run: async (request, caseId, values, version) => {
      const until = await service.extendBail(request.actor!, request.auditContext, caseId, values as { bailId: string; authority: string }, version);
      return translate('investigation.flash.extended', { date: formatDate(until) });
    },
  });

  const suspectDated = (path: (id: string) => string, title: string, run: (request: FastifyRequest, caseId: string, input: { personId: string; on: DateParts }, version: number | null) => Promise<string>) =>
    form(path, {
      title, conflictField: 'personId',
      fields: (view, values, errors) => (view.suspects.length === 0 ? null : [
        suspectsField(view, values, errors),
        dateField('on', translate('investigation.field.on'), (values.on as DateParts | undefined) ?? {}, errors),
      ]),
      read: (body) => ({ personId: formString(body, 'personId', { maxLength: 100 }), on: datePartsOf(body, 'on') }),
      run: (request, caseId, values, version) => run(request, caseId, values as { personId: string; on: DateParts }, version),
    });

  suspectDated(investigationPaths.arrest, 'investigation.arrest', async (request, caseId, input, version) => {
    await service.recordSuspectEvent(request.actor!, request.auditContext, caseId, 'arrested', input, version);
    return translate('investigation.flash.arrested');
  });
  suspectDated(investigationPaths.interview, 'investigation.interview', async (request, caseId, input, version) => {
    await service.recordSuspectEvent(request.actor!, request.auditContext, caseId, 'interviewed', input, version);
    return translate('investigation.flash.interviewed');
  });
  suspectDated(investigationPaths.rui, 'investigation.rui.release', async (request, caseId, input, version) => {
    const due = await service.releaseUnderInvestigation(request.actor!, request.auditContext, caseId, input, version);
    return translate('investigation.flash.released', { date: formatDate(due) });
  });

  form(investigationPaths.ruiReview, {
    title: 'investigation.rui.review', conflictField: 'on-day',
    fields: (view, values, errors) => {
      const released = view.suspects.filter((s) => s.rui);
      if (released.length === 0) return null;
      return [
        radiosField('ruiId', translate('investigation.field.rui'), released.map((s) => ({ value: s.rui!.id, text: s.name, hint: translate('investigation.rui.summary', { from: formatDate(s.rui!.releasedOn), due: s.rui!.nextReviewDue ? formatDate(s.rui!.nextReviewDue) : '—' }) })), (values.ruiId as string | undefined) ?? (released.length === 1 ? released[0]!.rui!.id : undefined), errors),
        dateField('on', translate('investigation.field.on'), (values.on as DateParts | undefined) ?? {}, errors),
      ];
    },
    read: (body) => ({ ruiId: formString(body, 'ruiId', { maxLength: 100 }), on: datePartsOf(body, 'on') }),
    run: async (request, caseId, values, version) => {
      const due = await service.reviewRui(request.actor!, request.auditContext, caseId, values as { ruiId: string; on: DateParts }, version);
      return translate('investigation.flash.ruiReviewed', { date: formatDate(due) });
    },
  });

  form(investigationPaths.victim, {
    title: 'investigation.victim.heading', conflictField: 'reasonCode',
    fields: (view, values, errors) => (view.awaitingVictim
      ? [{ type: 'radios', params: { idPrefix: 'reasonCode', name: 'waiting', fieldset: { legend: { text: translate('investigation.victim.reengaged'), classes: 'govuk-fieldset__legend--s' } }, hint: { text: translate('investigation.victim.reengagedBody') }, items: [{ value: 'no', text: translate('investigation.confirm'), checked: true }], errorMessage: errorMessage(errors, 'reasonCode') } }]
      : [radiosField('reasonCode', translate('investigation.field.reason'), Object.entries(awaitingVictimReasons).map(([value, text]) => ({ value, text })), values.reasonCode as string | undefined, errors)]),
    read: (body) => ({ waiting: formString(body, 'waiting', { maxLength: 5 }) !== 'no', reasonCode: formString(body, 'reasonCode', { maxLength: 50 }) }),
    run: async (request, caseId, values, version) => {
      await service.setAwaitingVictim(request.actor!, request.auditContext, caseId, values as { waiting: boolean; reasonCode: string }, version);
      return translate(values.waiting ? 'investigation.flash.waiting' : 'investigation.flash.reengaged');
    },
  });

  // The case's deadlines, with pause and resume

  const showDeadlines = async (request: FastifyRequest, reply: FastifyReply, errors: SummaryError[] = [], failed: { deadlineId?: string; reason?: string } = {}, status = 200) => {
    const found = await service.deadlines(request.actor!, request.auditContext, caseIdOf(request));
    const id = found.summary.id;
    return reply.code(status).render('investigation/deadlines.njk', {
      pageTitle: translate('investigation.deadlines.title'),
      ...caseFrame(found.summary, 'deadlines'),
      backHref: `/cases/${id}`,
      errors,
      version: found.summary.version,
      pauseAction: investigationPaths.pause(id),
      resumeAction: investigationPaths.resume(id),
      clocks: found.clocks.map((c) => {
        const rows = [
          { key: { text: translate('investigation.suspect.status') }, value: { html: statusTag(c.status, c.overdue) } },
          { key: { text: translate('investigation.deadlines.started', { date: '' }).trim() }, value: { text: formatDate(c.startedOn) } },
          { key: { text: translate('investigation.deadlines.due', { date: '' }).trim() }, value: { text: formatDate(c.dueOn) } },
          ...(c.status === 'paused' && c.pausedAt ? [{ key: { text: translate('investigation.status.paused') }, value: { text: translate('investigation.deadlines.pausedSince', { date: formatDateTime(c.pausedAt), reason: c.pausedReason ?? '' }) } }] : []),
          ...(c.closedAt ? [{ key: { text: translate('investigation.deadlines.closed', { date: '' }).trim() }, value: { text: `${formatDateTime(c.closedAt)}${c.closedReason ? `: ${c.closedReason}` : ''}` } }] : []),
          {
            key: { text: translate('investigation.deadlines.steps') },
            value: { text: c.escalations.length ? c.escalations.map((e) => translate('investigation.deadlines.step', { label: e.label, due: formatDate(e.dueOn), taken: formatDateTime(e.escalatedAt) })).join('; ') : translate('investigation.deadlines.noSteps') },
          },
        ];
        const mine = failed.deadlineId === c.id;
        return {
          id: c.id,
          title: c.title,
          rows,
          pauseForm: found.mayWork && c.pausable && c.status === 'open'
            ? { id: mine ? 'reason' : `reason-${c.id}`, name: 'reason', label: { text: translate('investigation.deadlines.pauseReason') }, rows: 2, value: mine ? failed.reason ?? '' : '', errorMessage: mine ? errorMessage(errors, 'reason') : undefined }
            : undefined,
          resumeForm: found.mayWork && c.status === 'paused',
        };
      }),
    });
  };

  app.get(investigationPaths.deadlines(CASE), audited, async (request, reply) => showDeadlines(request, reply));

  app.post(investigationPaths.pause(CASE), audited, async (request, reply) => {
    const caseId = caseIdOf(request);
    const values = { deadlineId: formString(request.body, 'deadlineId', { maxLength: 100 }), reason: formString(request.body, 'reason', { maxLength: 2000 }) };
    return submit(request, reply, async () => {
      await service.pause(request.actor!, request.auditContext, caseId, values.deadlineId, values.reason, formVersion(request.body));
      return { text: translate('investigation.flash.paused'), to: investigationPaths.deadlines(caseId) };
    }, (errors, status) => showDeadlines(request, reply, errors, values, status), 'reason');
  });

  app.post(investigationPaths.resume(CASE), audited, async (request, reply) => {
    const caseId = caseIdOf(request);
    const deadlineId = formString(request.body, 'deadlineId', { maxLength: 100 });
    return submit(request, reply, async () => {
      await service.resume(request.actor!, request.auditContext, caseId, deadlineId, formVersion(request.body));
      return { text: translate('investigation.flash.resumed'), to: investigationPaths.deadlines(caseId) };
    }, (errors, status) => showDeadlines(request, reply, errors, { deadlineId }, status), 'resume');
  });
}
