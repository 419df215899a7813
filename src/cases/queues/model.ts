// Work queues: which cases wait on the actor, which clocks are due soon or
// overdue on the cases they work, which were escalated to them, and the
// whole-unit view for supervisors and DCPs with its filter. Whose move a stage
// is comes from the attribution rules, so the queues and the "time with each
// party" measure agree.
import type { Role } from '../../platform/access/roles.ts';
import { stageParty } from '../attribution/service.ts';
import { caseSorts, flags, isCaseSort, isOffenceClass, isStage, stageNames } from '../model.ts';
import type { CaseRole, CaseSort, Flag, OffenceClass, SortOrder, Stage } from '../model.ts';

export const QUEUE_PAGE_SIZE = 25;
export const DUE_SOON_DAYS = 7;

export const queueKeys = ['awaiting', 'due-soon', 'overdue', 'escalated', 'team'] as const;
export type QueueKey = (typeof queueKeys)[number];

/** The case roles that answer for each side when a stage waits on it. */
export const sideRoles = {
  police: ['oic', 'supervisor'],
  cps: ['prosecutor', 'dcp', 'paralegal'],
} as const satisfies Record<'police' | 'cps', readonly CaseRole[]>;

/** The stages at which the next move is each side's. */
export const stagesWaitingOn = (side: 'police' | 'cps'): Stage[] => stageNames.filter((stage) => stageParty[stage] === side);

/** Who sees the whole unit's cases: supervisors and escalation leads in a force, DCPs and heads of unit in an Area. */
export const unitViewRoles: readonly Role[] = ['police_supervisor', 'escalation_lead', 'dcp', 'head_of_rasso'];

export interface TeamFilter {
  readonly stages: readonly Stage[];
  readonly offence: OffenceClass | null;
  readonly flags: readonly Flag[];
  readonly overdueOnly: boolean;
  readonly allocatedTo: string | null;
  readonly sort: CaseSort;
  readonly order: SortOrder;
  readonly page: number;
}

const list = (value: unknown): string[] => (Array.isArray(value) ? value : value === undefined ? [] : [value]).filter((v): v is string => typeof v === 'string').slice(0, 20);
const one = (value: unknown): string => (typeof value === 'string' ? value : Array.isArray(value) && typeof value[0] === 'string' ? value[0] : '');
const ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function pageOf(value: unknown): number {
  const text = one(value);
  return /^[1-9]\d{0,5}$/.test(text) ? Number(text) : 1;
}

export function sortOf(query: Record<string, unknown>, fallback: CaseSort): { sort: CaseSort; order: SortOrder } {
  const sortText = one(query.sort);
  const sort = isCaseSort(sortText) ? sortText : fallback;
  const orderText = one(query.order);
  const order: SortOrder = orderText === 'ascending' || orderText === 'descending' ? orderText : sort === 'updated' ? 'descending' : 'ascending';
  return { sort, order };
}

/** Reads the unit view's filter from a query string: anything unknown is dropped, never an error. */
export function parseTeamFilter(query: Record<string, unknown>): TeamFilter {
  const offence = one(query.offence);
  const allocated = one(query.allocatedTo);
  return {
    stages: [...new Set(list(query.stage).filter(isStage))],
    offence: isOffenceClass(offence) ? offence : null,
    flags: [...new Set(list(query.flag).filter((f): f is Flag => (flags as readonly string[]).includes(f)))],
    overdueOnly: one(query.overdue) === 'yes',
    allocatedTo: ID.test(allocated) ? allocated.toLowerCase() : null,
    ...sortOf(query, 'updated'),
    page: pageOf(query.page),
  };
}

/** The filter as a query string (for links that keep it: sorting, pages, removing one filter). */
export function teamQuery(filter: Partial<TeamFilter>): string {
  const search = new URLSearchParams();
  for (const stage of filter.stages ?? []) search.append('stage', stage);
  if (filter.offence) search.set('offence', filter.offence);
  for (const flag of filter.flags ?? []) search.append('flag', flag);
  if (filter.overdueOnly) search.set('overdue', 'yes');
  if (filter.allocatedTo) search.set('allocatedTo', filter.allocatedTo);
  if (filter.sort) search.set('sort', filter.sort);
  if (filter.order) search.set('order', filter.order);
  if (filter.page && filter.page > 1) search.set('page', String(filter.page));
  return search.toString();
}

export { caseSorts };
