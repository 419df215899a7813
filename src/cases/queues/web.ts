// The work queue pages beside "My cases": awaiting my response, due in the
// next 7 days, overdue, escalated to me, and the unit view (with the MoJ
// filter as a plain GET form, so it works without JavaScript). Sorting and
// paging happen on the server; every listing is journalled.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { allow } from '../../platform/access/policy.ts';
import type { Actor } from '../../platform/access/policy.ts';
import { registerMessages, translate } from '../../platform/i18n/messages.ts';
import type { Platform } from '../../platform/platform.ts';
import { formatDate, formatDateTime, londonDate } from '../../platform/time/working-days.ts';
import { escapeHtml, link, pagination } from '../../platform/web/lists.ts';
import { caseSortName, flagName, flags, offenceClasses, offenceName, stageName, stageNames } from '../model.ts';
import type { CaseSort, SortOrder } from '../model.ts';
import { registerQueuesApi } from './api.ts';
import messages from './messages.en.json' with { type: 'json' };
import { pageOf, parseTeamFilter, queueKeys, sortOf, teamQuery } from './model.ts';
import type { QueueKey, TeamFilter } from './model.ts';
import { createQueuesService, unitSide } from './service.ts';
import type { CaseListing, QueuesService } from './service.ts';

export const queuePaths: Record<QueueKey, string> = {
  awaiting: '/cases/queues/awaiting-response',
  'due-soon': '/cases/queues/due-soon',
  overdue: '/cases/queues/overdue',
  escalated: '/cases/queues/escalated',
  team: '/cases/queues/unit',
};

export function registerQueues(app: FastifyInstance, platform: Platform): void {
  registerMessages('en', messages);
  const service = createQueuesService(platform);
  registerQueuePages(app, service, platform);
  registerQueuesApi(app, service);
}

const overdueTag = () => `<strong class="govuk-tag govuk-tag--red">${escapeHtml(translate('queues.overdueTag'))}</strong>`;

/** The sub-navigation shared by My cases and every queue: the unit view only for those who may see it. */
export function queueNavigation(actor: Actor, current: QueueKey | 'my-cases') {
  return [
    { text: translate('queues.myCases'), href: '/cases', active: current === 'my-cases' },
    ...queueKeys.filter((key) => key !== 'team' || unitSide(actor)).map((key) => ({ text: translate(`queues.${key}.title`), href: queuePaths[key], active: key === current })),
  ];
}

function caseRows(found: CaseListing, today: string, href: (sort: CaseSort, order: SortOrder) => string) {
  const header = (sort: CaseSort) => {
    const current = found.sort === sort;
    const order: SortOrder = current && found.order === 'ascending' ? 'descending' : 'ascending';
    return { html: link(href(sort, order), caseSortName(sort)), attributes: { 'aria-sort': current ? found.order : 'none' } };
  };
  const nextDue = (id: string) => {
    const due = found.nextDue.get(id);
    if (!due) return { text: translate('queues.noDeadline') };
    return due < today ? { html: `${escapeHtml(formatDate(due))} ${overdueTag()}` } : { text: formatDate(due) };
  };
  return {
    head: [header('reference'), header('stage'), { text: translate('queues.field.offence') }, header('reported'), header('updated'), { text: translate('queues.field.nextDue') }],
    rows: found.items.map((c) => [
      { html: link(`/cases/${c.id}`, c.policeReference) },
      { text: stageName(c.stage) },
      { text: offenceName(c.offenceClass) },
      { text: formatDate(c.reportedOn) },
      { text: formatDateTime(c.updatedAt) },
      nextDue(c.id),
    ]),
  };
}

const countText = (total: number) => translate('queues.count', { count: total });

function filterModel(filter: TeamFilter, people: readonly { id: string; name: string }[]) {
  const without = (change: Partial<TeamFilter>) => `${queuePaths.team}?${teamQuery({ ...filter, page: 1, ...change })}`;
  const categories = [
    filter.stages.length ? { heading: { text: translate('queues.filter.stage') }, items: filter.stages.map((s) => ({ text: stageName(s), href: without({ stages: filter.stages.filter((x) => x !== s) }) })) } : null,
    filter.offence ? { heading: { text: translate('queues.filter.offence') }, items: [{ text: offenceName(filter.offence), href: without({ offence: null }) }] } : null,
    filter.flags.length ? { heading: { text: translate('queues.filter.flags') }, items: filter.flags.map((f) => ({ text: flagName(f), href: without({ flags: filter.flags.filter((x) => x !== f) }) })) } : null,
    filter.overdueOnly ? { heading: { text: translate('queues.filter.overdue') }, items: [{ text: translate('queues.filter.overdueOnly'), href: without({ overdueOnly: false }) }] } : null,
    filter.allocatedTo ? { heading: { text: translate('queues.filter.allocatedTo') }, items: [{ text: people.find((p) => p.id === filter.allocatedTo)?.name ?? translate('queues.filter.allocatedTo'), href: without({ allocatedTo: null }) }] } : null,
  ].filter((c) => c !== null);
  return {
    sort: filter.sort,
    order: filter.order,
    selected: categories.length ? { heading: { text: translate('queues.filter.selected') }, clearLink: { text: translate('queues.filter.clear'), href: queuePaths.team }, categories } : undefined,
    stages: stageNames.map((s) => ({ value: s, text: stageName(s), checked: filter.stages.includes(s) })),
    offences: [{ value: '', text: translate('queues.filter.anyOffence') }, ...offenceClasses.map((value) => ({ value, text: offenceName(value), selected: value === filter.offence }))],
    flags: flags.map((f) => ({ value: f, text: flagName(f), checked: filter.flags.includes(f) })),
    overdue: [{ value: 'yes', text: translate('queues.filter.overdueOnly'), checked: filter.overdueOnly }],
    people: [{ value: '', text: translate('queues.filter.anyone') }, ...people.map((p) => ({ value: p.id, text: p.name, selected: p.id === filter.allocatedTo }))],
  };
}

function registerQueuePages(app: FastifyInstance, service: QueuesService, platform: Platform): void {
  const audited = { config: { policy: allow.signedIn, audit: 'required' as const } };
  const query = (request: FastifyRequest) => request.query as Record<string, unknown>;
  const today = () => londonDate(platform.clock.now());
  const frame = (actor: Actor, key: QueueKey) => ({ pageTitle: translate(`queues.${key}.title`), navigation: queueNavigation(actor, key) });

  app.get(queuePaths.awaiting, audited, async (request, reply) => {
    const actor = request.actor!;
    const { sort, order } = sortOf(query(request), 'updated');
    // Longest untouched first unless asked otherwise.
    const chosen = query(request).sort === undefined ? { sort: 'updated' as const, order: 'ascending' as const } : { sort, order };
    const found = await service.awaitingMyResponse(actor, request.auditContext, { ...chosen, page: pageOf(query(request).page) });
    const href = (s: CaseSort, o: SortOrder, page = 1) => `${queuePaths.awaiting}?${new URLSearchParams({ sort: s, order: o, ...(page > 1 ? { page: String(page) } : {}) })}`;
    return reply.render('queues/queue.njk', {
      ...frame(actor, 'awaiting'), intro: translate('queues.awaiting.intro'), count: countText(found.total),
      ...caseRows(found, today(), href),
      pagination: pagination(found.page, found.pages, (n) => href(found.sort, found.order, n)),
    });
  });

  for (const key of ['due-soon', 'overdue'] as const) {
    app.get(queuePaths[key], audited, async (request, reply) => {
      const actor = request.actor!;
      const found = await (key === 'overdue' ? service.overdue : service.dueSoon)(actor, request.auditContext, pageOf(query(request).page));
      const now = today();
      return reply.render('queues/queue.njk', {
        ...frame(actor, key), intro: translate(`queues.${key}.intro`), count: countText(found.total),
        head: [{ text: translate('queues.field.due') }, { text: translate('queues.field.deadline') }, { text: translate('queues.field.reference') }, { text: translate('queues.field.stage') }],
        rows: found.items.map((d) => [
          { html: d.dueOn < now ? `${escapeHtml(formatDate(d.dueOn))} ${overdueTag()}` : escapeHtml(formatDate(d.dueOn)) },
          { text: d.title },
          { html: link(`/cases/${d.caseId}/deadlines`, d.policeReference) },
          { text: stageName(d.stage) },
        ]),
        pagination: pagination(found.page, found.pages, (n) => `${queuePaths[key]}?page=${n}`),
      });
    });
  }

  app.get(queuePaths.escalated, audited, async (request, reply) => {
    const actor = request.actor!;
    const found = await service.escalatedToMe(actor, request.auditContext, pageOf(query(request).page));
    return reply.render('queues/queue.njk', {
      ...frame(actor, 'escalated'), intro: translate('queues.escalated.intro'), count: countText(found.total),
      head: [{ text: translate('queues.field.reference') }, { text: translate('queues.field.stage') }, { text: translate('queues.field.lastEscalation') }, { text: translate('queues.field.escalations'), format: 'numeric' }, { text: translate('queues.field.unread'), format: 'numeric' }],
      rows: found.items.map((e) => [
        { html: link(`/cases/${e.summary.id}/deadlines`, e.summary.policeReference) },
        { text: stageName(e.summary.stage) },
        { text: formatDateTime(e.lastAt) },
        { text: String(e.notifications), format: 'numeric' },
        { text: String(e.unread), format: 'numeric' },
      ]),
      pagination: pagination(found.page, found.pages, (n) => `${queuePaths.escalated}?page=${n}`),
    });
  });

  app.get(queuePaths.team, audited, async (request, reply) => {
    const actor = request.actor!;
    const filter = parseTeamFilter(query(request));
    const people = await service.allocationChoices(actor, request.auditContext);
    const found = await service.unitView(actor, request.auditContext, filter);
    const href = (sort: CaseSort, order: SortOrder, page = 1) => `${queuePaths.team}?${teamQuery({ ...filter, sort, order, page })}`;
    return reply.render('queues/queue.njk', {
      ...frame(actor, 'team'), intro: translate('queues.team.intro', { organisation: actor.organisation.organisationName }), count: countText(found.total),
      filterAction: queuePaths.team,
      filter: filterModel(filter, people),
      ...caseRows(found, today(), href),
      pagination: pagination(found.page, found.pages, (n) => href(found.sort, found.order, n)),
    });
  });
}
