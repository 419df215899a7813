// The SQL behind the JOIM pack: the joint clocks (early advice, action plans)
// of the cases of one police force and CPS Area together, their escalation
// steps, the case teams' officers and prosecutors, and the action-plan events
// of the journal. Reads only; the pack is put together in joim-pack.ts.
import type { Db, Tx } from '../../platform/db/transaction.ts';
import type { DeadlinesTable } from '../../platform/db/tables.ts';

type Executor = Db | Tx;

/** Ids in slices, so that a large pack stays well inside every engine's limit on parameters. */
async function inSlices<T>(ids: readonly string[], read: (slice: string[]) => Promise<T[]>): Promise<T[]> {
  const rows: T[] = [];
  for (let start = 0; start < ids.length; start += 500) rows.push(...(await read(ids.slice(start, start + 500))));
  return rows;
}

export interface ClockRow extends Pick<DeadlinesTable, 'rule_key' | 'rule_version' | 'started_on' | 'due_on' | 'status' | 'paused_days_total' | 'closed_at'> {
  deadline_id: string;
  case_id: string;
  police_reference: string;
  cps_urn: string | null;
  stage: string;
}

/**
 * Deadlines under these rules on cases of the force and the Area, started by
 * `on` and not closed before `closedFrom` (an instant): the caller keeps those
 * still open at the end of `on`.
 */
export async function clocksOfPair(db: Executor, forceId: string, cpsAreaId: string, ruleKeys: readonly string[], on: string, closedFrom: string): Promise<ClockRow[]> {
  const rows = await db.selectFrom('cases')
    .innerJoin('deadlines', (join) => join.onRef('deadlines.subject_id', '=', 'cases.id').on('deadlines.subject_type', '=', 'case'))
    .select([
      'deadlines.id as deadline_id', 'deadlines.rule_key', 'deadlines.rule_version', 'deadlines.started_on', 'deadlines.due_on', 'deadlines.status',
      'deadlines.paused_days_total', 'deadlines.closed_at', 'cases.id as case_id', 'cases.police_reference', 'cases.cps_urn', 'cases.stage',
    ])
    .where('cases.force_id', '=', forceId)
    .where('cases.cps_area_id', '=', cpsAreaId)
    .where('deadlines.rule_key', 'in', [...ruleKeys])
    .where('deadlines.started_on', '<=', on)
    .where((eb) => eb.or([eb('deadlines.status', 'in', ['open', 'paused']), eb('deadlines.closed_at', '>=', closedFrom)]))
    .orderBy('cases.police_reference').orderBy('deadlines.id')
    .execute();
  return rows.map((row) => ({ ...row, rule_version: Number(row.rule_version), paused_days_total: Number(row.paused_days_total) }));
}

export interface EscalationRow {
  deadline_id: string;
  step: string;
  due_on: string;
  escalated_at: string;
}

export async function escalationsOf(db: Executor, deadlineIds: readonly string[]): Promise<EscalationRow[]> {
  return inSlices(deadlineIds, (slice) => db.selectFrom('deadline_escalations').select(['deadline_id', 'step', 'due_on', 'escalated_at']).where('deadline_id', 'in', slice).execute());
}

export interface TeamRow {
  case_id: string;
  case_role: string;
  user_id: string;
  name: string;
}

/** Who holds these roles on the cases now. */
export async function holdersOf(db: Executor, caseIds: readonly string[], roles: readonly string[]): Promise<TeamRow[]> {
  return inSlices(caseIds, (slice) => db.selectFrom('case_team').innerJoin('users', 'users.id', 'case_team.user_id')
    .select(['case_team.case_id', 'case_team.case_role', 'case_team.user_id', 'users.display_name as name'])
    .where('case_team.case_id', 'in', slice).where('case_team.ended_at', 'is', null).where('case_team.case_role', 'in', [...roles])
    .orderBy('case_team.allocated_at')
    .execute());
}

export interface JournalRow {
  case_id: string;
  seq: number;
  type: string;
  occurred_at: string;
  data: string;
}

/** Journal events of these types on the cases that happened before `to` (an instant), oldest first. */
export async function eventsOfCases(db: Executor, caseIds: readonly string[], types: readonly string[], to: string): Promise<JournalRow[]> {
  const rows = await inSlices(caseIds, (slice) => db.selectFrom('case_events')
    .select(['case_id', 'seq', 'type', 'occurred_at', 'data'])
    .where('case_id', 'in', slice).where('type', 'in', [...types]).where('occurred_at', '<', to)
    .execute());
  return rows.map((row) => ({ ...row, seq: Number(row.seq) })).sort((a, b) => (a.case_id === b.case_id ? a.seq - b.seq : a.case_id < b.case_id ? -1 : 1));
}
