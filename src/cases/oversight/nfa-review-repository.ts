// The SQL behind the NFA scrutiny read (nfa-review.ts): the decisions queued
// for scrutiny on the cases of one force (and CPS Area) in a period. Reads only.
import type { CaseEventsTable } from '../../platform/db/tables.ts';
import type { Db, Tx } from '../../platform/db/transaction.ts';

type Executor = Db | Tx;

export interface QueuedRow extends CaseEventsTable {
  offence_class: string;
  domestic_abuse: number;
  repeat_suspect: number;
  vulnerable_victim: number;
  child_victim: number;
}

/**
 * `scrutiny.queued` events of the force's cases (in the CPS Area too, when one
 * is named) that happened in [from, to) (instants), oldest first. The force's
 * cases come first through its index; their journals through (case, seq).
 */
export async function queuedBetween(db: Executor, forceId: string, cpsAreaId: string | null, from: string, to: string): Promise<QueuedRow[]> {
  let query = db.selectFrom('case_events').innerJoin('cases', 'cases.id', 'case_events.case_id')
    .selectAll('case_events')
    .select(['cases.offence_class', 'cases.domestic_abuse', 'cases.repeat_suspect', 'cases.vulnerable_victim', 'cases.child_victim'])
    .where('cases.force_id', '=', forceId)
    .where('case_events.type', '=', 'scrutiny.queued')
    .where('case_events.occurred_at', '>=', from).where('case_events.occurred_at', '<', to);
  if (cpsAreaId) query = query.where('cases.cps_area_id', '=', cpsAreaId);
  const rows = await query.orderBy('case_events.occurred_at').orderBy('case_events.case_id').orderBy('case_events.seq').execute();
  return rows.map((row) => ({ ...row, seq: Number(row.seq) }));
}
