// Pages of the joint case file: my cases, creating a case, the case page with
// its people, team and timeline, and the forms that change it. Every form
// posts back to its own address and redirects with a flash message when it
// succeeds; when it does not, the page is shown again with the GOV.UK error
// summary. Edit forms carry the case's version, so a change made by someone
// else in the meantime is a conflict, never a silent overwrite.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { CaseAccess } from '../platform/access/case-access.ts';
import { mayBreakGlass, mayWorkOnCase } from '../platform/access/case-access.ts';
import { allow } from '../platform/access/policy.ts';
import type { AuthService } from '../platform/auth/service.ts';
import { translate } from '../platform/i18n/messages.ts';
import type { Platform } from '../platform/platform.ts';
import type { Clock } from '../platform/time/clock.ts';
import { formatDate, formatDateTime, londonDate } from '../platform/time/working-days.ts';
import { submitForm } from '../platform/web/submit.ts';
import type { FormOutcome } from '../platform/web/submit.ts';
import { formString, formStrings } from '../platform/web/forms.ts';
import type { SummaryError } from '../platform/web/forms.ts';
import { registerCasesApi } from './api.ts';
import { registerActionPlans } from './action-plans/web.ts';
import { registerEarlyAdvice } from './early-advice/web.ts';
import { registerInvestigation } from './investigation/web.ts';
import { registerAttribution } from './attribution/web.ts';
import { queueNavigation, registerQueues } from './queues/web.ts';
import { caseRoleName, caseSortName, categoryName, flagName, flags, manualNextStages, offenceClasses, offenceName, personCategories, stageName } from './model.ts';
import { caseActions, caseFrame, describeCaseEvent } from './sections.ts';
import { sideOf } from './case-commands.ts';
import type { CaseFile, CasePage, CaseSort, DateParts, SortOrder } from './model.ts';
import { registerCaseDeadlines } from './deadlines.ts';
import { createCasesService, mayCreateCases, rolesActorMayAllocate } from './service.ts';
import type { CaseDeadline, CasesService } from './service.ts';
import { escapeHtml, link, pageNumber, pagination } from '../platform/web/lists.ts';

import { detailsPaths, registerDetails } from './details/web.ts';
import { mayReviewBreakGlass } from './details/service.ts';
import { registerConferences } from './conferences/web.ts';
import { registerCourt } from './court/web.ts';
import { registerCharging } from './charging/web.ts';
import { registerPoliceNfa } from './police-nfa/web.ts';
import { dateItems, datePartsOf, formVersion } from './web-support.ts';

/** Addresses of the case pages, shared by routes, redirects and links. */
export const casePaths = {
  myCases: (query: { sort?: CaseSort; order?: SortOrder; page?: number } = {}) => {
    const search = new URLSearchParams();
    if (query.sort) search.set('sort', query.sort);
    if (query.order) search.set('order', query.order);
    if (query.page && query.page > 1) search.set('page', String(query.page));
    const text = search.toString();
    return `/cases${text ? `?${text}` : ''}`;
  },
  newCase: '/cases/new',
  breakGlass: '/cases/break-glass',
  case: (id: string) => `/cases/${id}`,
  addPerson: (id: string) => `/cases/${id}/people/new`,
  allocate: (id: string) => `/cases/${id}/team/new`,
  stage: (id: string) => `/cases/${id}/stage`,
};

const CASE = ':caseId';

export function registerCases(app: FastifyInstance, platform: Platform, auth: AuthService): void {
  const cases = createCasesService(platform);
  // Here, so that the web app and the deadline sweep running beside it in the server both know cases.
  registerCaseDeadlines();
  registerCasePages(app, cases, auth, platform.clock);
  registerCasesApi(app, cases);
  registerActionPlans(app, platform, auth);
  registerEarlyAdvice(app, platform, auth);
  registerDetails(app, platform, auth);
  registerConferences(app, platform, auth);
  registerCourt(app, platform, auth);
  registerCharging(app, platform, auth);
  registerPoliceNfa(app, platform, auth);
  registerInvestigation(app, platform, auth);
  registerAttribution(app, platform);
  registerQueues(app, platform);
}

function flagText(file: Pick<CaseFile, 'summary'>): string {
  const set = flags.filter((flag) => file.summary.flags[flag]).map(flagName);
  return set.length ? set.join(', ') : translate('cases.flags.none');
}

const statusColours = { open: 'govuk-tag--blue', paused: 'govuk-tag--yellow', met: 'govuk-tag--green', cancelled: 'govuk-tag--grey' } as const;

const tag = (text: string, colour: string) => `<strong class="govuk-tag ${colour}">${escapeHtml(text)}</strong>`;
const overdueTag = () => tag(translate('cases.deadline.overdue'), 'govuk-tag--red');

/** One row of the case's deadlines: what, when due, its status (and whether overdue), the steps taken. */
function deadlineRow(deadline: CaseDeadline) {
  const status = tag(translate(`cases.deadline.status.${deadline.status}`), statusColours[deadline.status]);
  const steps = deadline.escalations.map((e) => `<li>${escapeHtml(translate('cases.deadline.step', { label: e.label, date: formatDate(londonDate(e.escalatedAt)) }))}</li>`);
  return [
    { text: deadline.title },
    { text: formatDate(deadline.dueOn) },
    { html: deadline.overdue ? `${status} ${overdueTag()}` : status },
    { html: steps.length ? `<ul class="govuk-list">${steps.join('')}</ul>` : escapeHtml(translate('cases.deadline.noSteps')) },
  ];
}

function casePageModel(file: CaseFile & { deadlines: readonly CaseDeadline[] }, access: CaseAccess, allocatable: boolean, side: 'police' | 'cps' | null) {
  const { summary } = file;
  const mayWork = mayWorkOnCase(access);
  return {
    pageTitle: translate('cases.case.title', { reference: summary.policeReference }),
    ...caseFrame(summary, ''),
    actions: mayWork ? caseActions({ summary, access, side }) : [],
    backHref: casePaths.myCases(),
    summary,
    breakGlass: access === 'break-glass',
    summaryRows: [
      { key: { text: translate('cases.field.policeReference') }, value: { text: summary.policeReference } },
      { key: { text: translate('cases.field.cpsUrn') }, value: { text: summary.cpsUrn ?? translate('cases.notYet') } },
      { key: { text: translate('cases.field.courtCaseNumber') }, value: { text: summary.courtCaseNumber ?? translate('cases.notYet') } },
      { key: { text: translate('cases.field.stage') }, value: { text: stageName(summary.stage) } },
      { key: { text: translate('cases.field.offence') }, value: { text: offenceName(summary.offenceClass) } },
      { key: { text: translate('cases.field.flags') }, value: { text: flagText(file) } },
      { key: { text: translate('cases.field.reportedOn') }, value: { text: formatDate(summary.reportedOn) } },
      { key: { text: translate('cases.field.force') }, value: { text: summary.forceName } },
      { key: { text: translate('cases.field.cpsArea') }, value: { text: summary.cpsAreaName } },
    ],
    peopleHead: [{ text: translate('cases.field.name') }, { text: translate('cases.field.category') }, { text: translate('cases.field.dateOfBirth') }],
    peopleRows: file.people.map((p) => [{ text: p.name }, { text: categoryName(p.category) }, { text: p.dateOfBirth ? formatDate(p.dateOfBirth) : translate('cases.notKnown') }]),
    teamHead: [{ text: translate('cases.field.role') }, { text: translate('cases.field.name') }, { text: translate('cases.field.organisation') }, { text: translate('cases.field.allocated') }],
    deadlinesHead: [{ text: translate('cases.deadline.what') }, { text: translate('cases.deadline.due') }, { text: translate('cases.deadline.status') }, { text: translate('cases.deadline.steps') }],
    deadlineRows: file.deadlines.map(deadlineRow),
    teamRows: file.team.filter((m) => m.endedAt === null).map((m) => [{ text: caseRoleName(m.role) }, { text: m.name }, { text: m.organisationName }, { text: formatDateTime(m.allocatedAt) }]),
    timeline: file.events.map((event) => {
      const { title, text } = describeCaseEvent(event);
      return { label: { text: title }, text, datetime: { timestamp: event.occurredAt, type: 'datetime' }, byline: { text: event.actorName ?? translate('cases.byPlatform') } };
    }),
    addPersonHref: mayWork ? casePaths.addPerson(summary.id) : undefined,
    stageHref: mayWork && manualNextStages(summary.stage).length ? casePaths.stage(summary.id) : undefined,
    allocateHref: mayWork && allocatable ? casePaths.allocate(summary.id) : undefined,
  };
}

function registerCasePages(app: FastifyInstance, cases: CasesService, auth: AuthService, clock: Clock): void {
  const plain = { config: { policy: allow.signedIn, audit: 'none' as const } };
  const audited = { config: { policy: allow.signedIn, audit: 'required' as const } };
  const caseIdOf = (request: FastifyRequest) => (request.params as { caseId: string }).caseId;

  const submit = (
    request: FastifyRequest,
    reply: FastifyReply,
    command: () => Promise<FormOutcome>,
    showAgain: (errors: SummaryError[], status: number) => Promise<FastifyReply>,
    conflictField: string,
  ) => submitForm(auth, request, reply, { command, showAgain, conflictField, conflictMessage: translate('cases.error.conflict') });

  // My cases

  app.get('/cases', audited, async (request, reply) => {
    const query = request.query as Record<string, unknown>;
    const actor = request.actor!;
    const found = await cases.myCases(actor, request.auditContext, {
      sort: typeof query.sort === 'string' ? query.sort : undefined,
      order: typeof query.order === 'string' ? query.order : undefined,
      page: pageNumber(query.page),
    });
    return reply.render('cases/my-cases.njk', {
      ...myCasesModel(found, londonDate(clock.now()), mayCreateCases(actor), mayBreakGlass(actor)),
      navigation: queueNavigation(actor, 'my-cases'),
      breakGlassReviewsHref: mayReviewBreakGlass(actor) ? detailsPaths.reviews : undefined,
    });
  });

  // Creating a case

  const showNewCase = async (reply: FastifyReply, errors: SummaryError[] = [], values: { policeReference?: string; cpsAreaId?: string; offenceClass?: string; flags?: string[]; reportedOn?: Partial<DateParts> } = {}, status = 200) => {
    const areas = await cases.cpsAreas();
    return reply.code(status).render('cases/new-case.njk', {
      pageTitle: translate('cases.new.title'),
      backHref: casePaths.myCases(),
      errors,
      values,
      areas: [{ value: '', text: translate('cases.new.chooseArea') }, ...areas.map((a) => ({ value: a.id, text: a.name, selected: a.id === values.cpsAreaId }))],
      offences: offenceClasses.map((value) => ({ value, text: offenceName(value), checked: value === values.offenceClass })),
      flags: flags.map((flag) => ({ value: flag, text: flagName(flag), checked: values.flags?.includes(flag) ?? false })),
      reportedOn: dateItems('reportedOn', values.reportedOn ?? {}, errors),
    });
  };

  app.get(casePaths.newCase, plain, async (request, reply) => {
    await cases.checkMayCreate(request.actor!, request.auditContext);
    return showNewCase(reply);
  });

  app.post(casePaths.newCase, audited, async (request, reply) => {
    const body = request.body;
    const values = {
      policeReference: formString(body, 'policeReference', { maxLength: 100 }),
      cpsAreaId: formString(body, 'cpsAreaId', { maxLength: 100 }),
      offenceClass: formString(body, 'offenceClass', { maxLength: 100 }),
      flags: formStrings(body, 'flags').slice(0, 10),
      reportedOn: datePartsOf(body, 'reportedOn'),
    };
    return submit(request, reply, async () => {
      const created = await cases.createCase(request.actor!, request.auditContext, values);
      return { text: translate('cases.flash.created', { reference: created.policeReference }), to: casePaths.case(created.id) };
    }, (errors, status) => showNewCase(reply, errors, values, status), 'policeReference');
  });

  // Break-glass: declared before the case page so that its address is not read as a case id.

  const showBreakGlass = (reply: FastifyReply, errors: SummaryError[] = [], values: { reference?: string; reason?: string } = {}, status = 200) =>
    reply.code(status).render('cases/break-glass.njk', { pageTitle: translate('cases.breakGlass.title'), backHref: casePaths.myCases(), errors, values });

  app.get(casePaths.breakGlass, plain, async (request, reply) => {
    await cases.checkMayBreakGlass(request.actor!, request.auditContext);
    return showBreakGlass(reply);
  });

  app.post(casePaths.breakGlass, audited, async (request, reply) => {
    const values = { reference: formString(request.body, 'reference', { maxLength: 100 }), reason: formString(request.body, 'reason', { maxLength: 2000 }) };
    return submit(request, reply, async () => {
      const caseId = await cases.breakGlass(request.actor!, request.auditContext, values, request.session!.absoluteExpiresAt);
      return { text: translate('cases.flash.breakGlass'), to: casePaths.case(caseId) };
    }, (errors, status) => showBreakGlass(reply, errors, values, status), 'reference');
  });

  // The case page

  app.get(casePaths.case(CASE), audited, async (request, reply) => {
    const actor = request.actor!;
    const file = await cases.caseFile(actor, request.auditContext, caseIdOf(request));
    const side = sideOf(actor, { force_id: file.summary.forceId, cps_area_id: file.summary.cpsAreaId });
    return reply.render('cases/case.njk', casePageModel(file, file.access, rolesActorMayAllocate(actor, file.summary).length > 0, side));
  });

  // Adding a person

  const showAddPerson = async (request: FastifyRequest, reply: FastifyReply, errors: SummaryError[] = [], values: { category?: string; name?: string; dateOfBirth?: Partial<DateParts> } = {}, status = 200) => {
    const file = await cases.caseFile(request.actor!, request.auditContext, caseIdOf(request), 'work');
    return reply.code(status).render('cases/add-person.njk', {
      pageTitle: translate('cases.addPerson.title'),
      caption: file.summary.policeReference,
      backHref: casePaths.case(file.summary.id),
      version: file.summary.version,
      errors,
      values,
      categories: personCategories.map((value) => ({ value, text: categoryName(value), checked: value === values.category })),
      dateOfBirth: dateItems('dateOfBirth', values.dateOfBirth ?? {}, errors),
    });
  };

  app.get(casePaths.addPerson(CASE), audited, async (request, reply) => showAddPerson(request, reply));

  app.post(casePaths.addPerson(CASE), audited, async (request, reply) => {
    const caseId = caseIdOf(request);
    const values = { category: formString(request.body, 'category', { maxLength: 50 }), name: formString(request.body, 'name', { maxLength: 200 }), dateOfBirth: datePartsOf(request.body, 'dateOfBirth') };
    return submit(request, reply, async () => {
      await cases.addPerson(request.actor!, request.auditContext, caseId, values, formVersion(request.body));
      return { text: translate('cases.flash.personAdded', { name: values.name }), to: casePaths.case(caseId) };
    }, (errors, status) => showAddPerson(request, reply, errors, values, status), 'category');
  });

  // Allocating the team

  const showAllocate = async (request: FastifyRequest, reply: FastifyReply, errors: SummaryError[] = [], values: { role?: string; userId?: string } = {}, status = 200) => {
    const actor = request.actor!;
    const choices = await cases.allocationChoices(actor, request.auditContext, caseIdOf(request));
    const file = await cases.caseFile(actor, request.auditContext, caseIdOf(request));
    const everyone = [...new Map(choices.flatMap((c) => c.people).map((p) => [p.id, p])).values()];
    return reply.code(status).render('cases/allocate.njk', {
      pageTitle: translate('cases.allocate.title'),
      caption: file.summary.policeReference,
      backHref: casePaths.case(file.summary.id),
      version: file.summary.version,
      errors,
      roles: choices.map((c) => {
        const holder = file.team.find((m) => m.endedAt === null && m.role === c.role);
        return { value: c.role, text: caseRoleName(c.role), hint: { text: holder ? translate('cases.allocate.current', { name: holder.name }) : translate('cases.allocate.vacant') }, checked: c.role === values.role };
      }),
      people: [{ value: '', text: translate('cases.allocate.choosePerson') }, ...everyone.map((p) => ({ value: p.id, text: p.name, selected: p.id === values.userId }))],
    });
  };

  app.get(casePaths.allocate(CASE), audited, async (request, reply) => showAllocate(request, reply));

  app.post(casePaths.allocate(CASE), audited, async (request, reply) => {
    const caseId = caseIdOf(request);
    const values = { role: formString(request.body, 'role', { maxLength: 50 }), userId: formString(request.body, 'userId', { maxLength: 100 }) };
    return submit(request, reply, async () => {
      await cases.allocate(request.actor!, request.auditContext, caseId, values, formVersion(request.body));
      return { text: translate('cases.flash.allocated'), to: casePaths.case(caseId) };
    }, (errors, status) => showAllocate(request, reply, errors, values, status), 'role');
  });

  // Moving the stage

  const showStage = async (request: FastifyRequest, reply: FastifyReply, errors: SummaryError[] = [], chosen = '', status = 200) => {
    const file = await cases.caseFile(request.actor!, request.auditContext, caseIdOf(request), 'work');
    return reply.code(status).render('cases/stage.njk', {
      pageTitle: translate('cases.stage.title'),
      caption: file.summary.policeReference,
      backHref: casePaths.case(file.summary.id),
      version: file.summary.version,
      current: stageName(file.summary.stage),
      errors,
      stages: manualNextStages(file.summary.stage).map((stage) => ({ value: stage, text: stageName(stage), checked: stage === chosen })),
    });
  };

  app.get(casePaths.stage(CASE), audited, async (request, reply) => showStage(request, reply));

  app.post(casePaths.stage(CASE), audited, async (request, reply) => {
    const caseId = caseIdOf(request);
    const stage = formString(request.body, 'stage', { maxLength: 50 });
    return submit(request, reply, async () => {
      const moved = await cases.moveStage(request.actor!, request.auditContext, caseId, { stage }, formVersion(request.body));
      return { text: translate('cases.flash.stageMoved', { stage: stageName(moved.stage) }), to: casePaths.case(caseId) };
    }, (errors, status) => showStage(request, reply, errors, status === 409 ? '' : stage, status), 'stage');
  });
}

function myCasesModel(found: CasePage, today: string, mayCreate: boolean, mayOpenOthers: boolean) {
  const nextDue = (caseId: string) => {
    const due = found.nextDue.get(caseId);
    if (!due) return { text: translate('cases.myCases.noDeadline') };
    return due < today ? { html: `${escapeHtml(formatDate(due))} ${overdueTag()}` } : { text: formatDate(due) };
  };
  const header = (sort: CaseSort) => {
    const current = found.sort === sort;
    const order: SortOrder = current && found.order === 'ascending' ? 'descending' : 'ascending';
    return {
      html: link(casePaths.myCases({ sort, order }), caseSortName(sort)),
      attributes: { 'aria-sort': current ? found.order : 'none' },
    };
  };
  return {
    pageTitle: translate('cases.myCases.title'),
    newCaseHref: mayCreate ? casePaths.newCase : undefined,
    breakGlassHref: mayOpenOthers ? casePaths.breakGlass : undefined,
    count: translate(found.total === 1 ? 'cases.myCases.countOne' : 'cases.myCases.count', { count: found.total }),
    head: [header('reference'), header('stage'), { text: translate('cases.field.offence') }, header('reported'), header('updated'), { text: translate('cases.myCases.nextDue') }],
    rows: found.cases.map((c) => [
      { html: link(casePaths.case(c.id), c.policeReference) },
      { text: stageName(c.stage) },
      { text: offenceName(c.offenceClass) },
      { text: formatDate(c.reportedOn) },
      { text: formatDateTime(c.updatedAt) },
      nextDue(c.id),
    ]),
    pagination: pagination(found.page, found.pages, (page) => casePaths.myCases({ sort: found.sort, order: found.order, page })),
  };
}
