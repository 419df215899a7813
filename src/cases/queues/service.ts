// Queries of the work queues. Each listing is a consultation of case data,
// so each is journalled (what was listed, how many), and each shows only
// cases the actor may see: their own allocations, or their organisation's
// cases for those who supervise it.
import type { Actor } from '../../platform/access/policy.ts';
import type { AuditContext } from '../../platform/audit/model.ts';
import { earliestOpenDue, ruleVersion } from '../../platform/deadlines/service.ts';
import type { Platform } from '../../platform/platform.ts';
import { addCalendarDays, londonDate } from '../../platform/time/working-days.ts';
import type { PlainDate } from '../../platform/time/working-days.ts';
import { createCaseCommands } from '../case-commands.ts';
import { CASE_SUBJECT } from '../deadlines.ts';
import { caseRoles, isStage } from '../model.ts';
import type { CaseSort, CaseSummary, SortOrder, Stage } from '../model.ts';
import { toSummary } from '../service.ts';
import { DUE_SOON_DAYS, QUEUE_PAGE_SIZE, sideRoles, stagesWaitingOn, unitViewRoles } from './model.ts';
import type { TeamFilter } from './model.ts';
import * as repository from './repository.ts';

export interface Paged<T> {
  readonly items: readonly T[];
  readonly total: number;
  readonly page: number;
  readonly pages: number;
}

export interface CaseListing extends Paged<CaseSummary> {
  /** Each listed case's earliest open deadline. */
  readonly nextDue: ReadonlyMap<string, PlainDate>;
  readonly sort: CaseSort;
  readonly order: SortOrder;
}

export interface DueItem {
  readonly deadlineId: string;
  readonly title: string;
  readonly dueOn: PlainDate;
  readonly caseId: string;
  readonly policeReference: string;
  readonly stage: Stage;
}

export interface EscalatedItem {
  readonly summary: CaseSummary;
  readonly lastAt: string;
  readonly notifications: number;
  readonly unread: number;
}

/** Whether the actor sees the whole unit's cases, and as which side. */
export function unitSide(actor: Actor): 'police' | 'cps' | null {
  const { organisationKind, roles } = actor.organisation;
  if (!roles.some((r) => unitViewRoles.includes(r))) return null;
  return organisationKind === 'police_force' ? 'police' : organisationKind === 'cps_area' ? 'cps' : null;
}

export function createQueuesService(platform: Platform) {
  const { db, audit, clock } = platform;
  const { refuse } = createCaseCommands(platform);
  const today = () => londonDate(clock.now());

  /** Fetches a page, falling back to the last page when asked for one past the end. */
  async function paged<R>(page: number, fetch: (offset: number) => Promise<{ rows: R[]; total: number }>): Promise<{ rows: R[]; total: number; page: number; pages: number }> {
    let current = Number.isSafeInteger(page) && page >= 1 ? page : 1;
    let found = await fetch((current - 1) * QUEUE_PAGE_SIZE);
    const pages = Math.max(1, Math.ceil(found.total / QUEUE_PAGE_SIZE));
    if (current > pages) {
      current = pages;
      found = await fetch((current - 1) * QUEUE_PAGE_SIZE);
    }
    return { ...found, page: current, pages };
  }

  const journal = (context: AuditContext, queue: string, details: Record<string, string | number | boolean>) =>
    audit.audited(context, { action: 'consult', event: 'cases.queue.list', objectType: 'case', details: { queue, ...details } }, async () => undefined);

  async function listing(rows: repository.QueueCaseRow[], meta: { total: number; page: number; pages: number; sort: CaseSort; order: SortOrder }): Promise<CaseListing> {
    const nextDue = await earliestOpenDue(db, CASE_SUBJECT, rows.map((r) => r.id));
    return { items: rows.map(toSummary), nextDue, ...meta };
  }

  const titles = new Map<string, string>();
  async function titleOf(key: string, version: number): Promise<string> {
    const id = `${key}@${version}`;
    if (!titles.has(id)) titles.set(id, (await ruleVersion(db, key, version))?.definition.title ?? key);
    return titles.get(id)!;
  }

  async function due(actor: Actor, context: AuditContext, queue: 'due-soon' | 'overdue', page: number): Promise<Paged<DueItem>> {
    const now = today();
    const [from, to] = queue === 'overdue' ? [null, addCalendarDays(now, -1)] : [now, addCalendarDays(now, DUE_SOON_DAYS)];
    const found = await paged(page, (offset) => repository.dueOnTeamCases(db, actor.userId, from, to, offset, QUEUE_PAGE_SIZE));
    const items: DueItem[] = [];
    for (const row of found.rows) {
      items.push({ deadlineId: row.deadline_id, title: await titleOf(row.rule_key, Number(row.rule_version)), dueOn: row.due_on, caseId: row.case_id, policeReference: row.police_reference, stage: isStage(row.stage) ? row.stage : 'report' });
    }
    await journal(context, queue, { page: found.page, shown: items.length, total: found.total });
    return { items, total: found.total, page: found.page, pages: found.pages };
  }

  return {
    /** Cases on which the actor holds a role of the side the case's stage waits on, longest untouched first. */
    async awaitingMyResponse(actor: Actor, context: AuditContext, options: { sort: CaseSort; order: SortOrder; page: number }): Promise<CaseListing> {
      const sides = (['police', 'cps'] as const)
        .filter((side) => (side === 'police' ? actor.organisation.organisationKind === 'police_force' : actor.organisation.organisationKind === 'cps_area'))
        .map((side) => ({ roles: sideRoles[side], stages: stagesWaitingOn(side) }));
      const found = await paged(options.page, (offset) => repository.awaiting(db, actor.userId, sides, options.sort, options.order, offset, QUEUE_PAGE_SIZE));
      await journal(context, 'awaiting', { page: found.page, shown: found.rows.length, total: found.total });
      return listing(found.rows, { total: found.total, page: found.page, pages: found.pages, sort: options.sort, order: options.order });
    },

    /** Open deadlines of the actor's cases due from today to a week ahead. */
    dueSoon: (actor: Actor, context: AuditContext, page: number) => due(actor, context, 'due-soon', page),
    /** Open deadlines of the actor's cases whose due date has passed, most overdue first. */
    overdue: (actor: Actor, context: AuditContext, page: number) => due(actor, context, 'overdue', page),

    /** Cases the actor has been told about by an escalation, most recent first. */
    async escalatedToMe(actor: Actor, context: AuditContext, page: number): Promise<Paged<EscalatedItem>> {
      const found = await paged(page, (offset) => repository.escalatedTo(db, actor.userId, actor.organisation.organisationId, offset, QUEUE_PAGE_SIZE));
      const cases = new Map((await repository.casesByIds(db, found.rows.map((r) => r.case_id))).map((row) => [row.id, toSummary(row)]));
      const items = found.rows.flatMap((r) => (cases.has(r.case_id) ? [{ summary: cases.get(r.case_id)!, lastAt: r.last_at, notifications: r.notifications, unread: r.unread }] : []));
      await journal(context, 'escalated', { page: found.page, shown: items.length, total: found.total });
      return { items, total: found.total, page: found.page, pages: found.pages };
    },

    /** Who the unit view may filter by: the organisation's case workers. Refuses anyone without the unit view. */
    async allocationChoices(actor: Actor, context: AuditContext): Promise<{ id: string; name: string }[]> {
      const side = unitSide(actor);
      if (!side) return refuse(context, 'forbidden', undefined, 'cases.queue.team.forbidden');
      const holders = [...new Set(Object.values(caseRoles).filter((r) => r.side === side).flatMap((r) => r.holders))];
      return repository.caseWorkersIn(db, actor.organisation.organisationId, holders);
    },

    /** Every case of the actor's force or Area, filtered, for supervisors, escalation leads, DCPs and heads of unit. */
    async unitView(actor: Actor, context: AuditContext, filter: TeamFilter): Promise<CaseListing> {
      const side = unitSide(actor);
      if (!side) return refuse(context, 'forbidden', undefined, 'cases.queue.team.forbidden');
      const now = today();
      const found = await paged(filter.page, (offset) => repository.unitCases(db, side, actor.organisation.organisationId, filter, now, offset, QUEUE_PAGE_SIZE));
      await journal(context, 'team', {
        page: found.page, shown: found.rows.length, total: found.total,
        stages: filter.stages.join(','), offence: filter.offence ?? '', flags: filter.flags.join(','), overdueOnly: filter.overdueOnly, allocatedTo: filter.allocatedTo ?? '',
      });
      return listing(found.rows, { total: found.total, page: found.page, pages: found.pages, sort: filter.sort, order: filter.order });
    },
  };
}

export type QueuesService = ReturnType<typeof createQueuesService>;
