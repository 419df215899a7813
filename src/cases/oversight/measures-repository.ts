// The SQL behind the case-file measures: journal events and clock escalations
// of the cases of one police force or CPS Area. Reads only; the measures are
// worked out in measures.ts.
import type { Db, Tx } from '../../platform/db/transaction.ts';

type Executor = Db | Tx;

/** Which side of a case an organisation is on: a force's cases, or a CPS Area's. */
export type Side = 'force' | 'area';

export interface EventRow {
  case_id: string;
  seq: number;
  type: string;
  occurred_at: string;
  data: string;
}

const caseColumn = (side: Side) => (side === 'force' ? 'cases.force_id' : 'cases.cps_area_id') as 'cases.force_id';

/** Events of these types on the organisation's cases that happened in [from, to) (instants). */
export async function eventsBetween(db: Executor, side: Side, organisationId: string, types: readonly string[], from: string, to: string): Promise<EventRow[]> {
  const rows = await db.selectFrom('case_events').innerJoin('cases', 'cases.id', 'case_events.case_id')
    .select(['case_events.case_id', 'case_events.seq', 'case_events.type', 'case_events.occurred_at', 'case_events.data'])
    .where(caseColumn(side), '=', organisationId).where('case_events.type', 'in', [...types])
    .where('case_events.occurred_at', '>=', from).where('case_events.occurred_at', '<', to)
    .orderBy('case_events.case_id').orderBy('case_events.seq').execute();
  return rows.map((row) => ({ ...row, seq: Number(row.seq) }));
}

/** Events of these types on the organisation's cases that happened before `to`, whose data mentions `mentioning`. */
export async function eventsBefore(db: Executor, side: Side, organisationId: string, types: readonly string[], to: string, mentioning: string): Promise<EventRow[]> {
  const rows = await db.selectFrom('case_events').innerJoin('cases', 'cases.id', 'case_events.case_id')
    .select(['case_events.case_id', 'case_events.seq', 'case_events.type', 'case_events.occurred_at', 'case_events.data'])
    .where(caseColumn(side), '=', organisationId).where('case_events.type', 'in', [...types])
    .where('case_events.occurred_at', '<', to).where('case_events.data', 'like', `%${mentioning}%`)
    .orderBy('case_events.case_id').orderBy('case_events.seq').execute();
  return rows.map((row) => ({ ...row, seq: Number(row.seq) }));
}

/** Events of these types on the given cases (of the organisation) that happened before `to`. */
export async function eventsOfCases(db: Executor, side: Side, organisationId: string, caseIds: readonly string[], types: readonly string[], to: string): Promise<EventRow[]> {
  const rows: EventRow[] = [];
  // In slices, so that a busy quarter stays well inside every engine's limit on parameters.
  for (let start = 0; start < caseIds.length; start += 500) {
    const slice = caseIds.slice(start, start + 500);
    const found = await db.selectFrom('case_events').innerJoin('cases', 'cases.id', 'case_events.case_id')
      .select(['case_events.case_id', 'case_events.seq', 'case_events.type', 'case_events.occurred_at', 'case_events.data'])
      .where(caseColumn(side), '=', organisationId).where('case_events.case_id', 'in', slice).where('case_events.type', 'in', [...types])
      .where('case_events.occurred_at', '<', to)
      .orderBy('case_events.case_id').orderBy('case_events.seq').execute();
    rows.push(...found.map((row) => ({ ...row, seq: Number(row.seq) })));
  }
  return rows;
}

export interface EscalationCountRow {
  rule_key: string;
  rule_version: number;
  step: string;
  count: number;
}

/** Escalation steps the clock took on the organisation's cases whose due date falls in [from, to] (legal dates), by rule version and step. */
export async function escalationsDue(db: Executor, side: Side, organisationId: string, from: string, to: string): Promise<EscalationCountRow[]> {
  const rows = await db.selectFrom('deadline_escalations')
    .innerJoin('deadlines', 'deadlines.id', 'deadline_escalations.deadline_id')
    .innerJoin('cases', 'cases.id', 'deadlines.subject_id')
    .select(['deadlines.rule_key', 'deadlines.rule_version', 'deadline_escalations.step'])
    .select((eb) => eb.fn.countAll<number>().as('count'))
    .where('deadlines.subject_type', '=', 'case').where(caseColumn(side), '=', organisationId)
    .where('deadline_escalations.due_on', '>=', from).where('deadline_escalations.due_on', '<=', to)
    .groupBy(['deadlines.rule_key', 'deadlines.rule_version', 'deadline_escalations.step'])
    .execute();
  return rows.map((row) => ({ ...row, rule_version: Number(row.rule_version), count: Number(row.count) }));
}
