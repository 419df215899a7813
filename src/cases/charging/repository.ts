// The only SQL of charging referrals and decisions.
import type { Db, Tx } from '../../platform/db/transaction.ts';
import type { ChargingDecisionsTable, ChargingReferralsTable } from './tables.ts';
import './tables.ts';

type Executor = Db | Tx;

export interface ReferralRow extends ChargingReferralsTable {
  referred_by_name: string;
  triaged_by_name: string | null;
}

export interface DecisionRow extends ChargingDecisionsTable {
  decided_by_name: string;
}

/** A case's referrals, newest first. */
export async function referralsOf(db: Executor, caseId: string): Promise<ReferralRow[]> {
  return db
    .selectFrom('charging_referrals')
    .innerJoin('users as referrer', 'referrer.id', 'charging_referrals.referred_by')
    .leftJoin('users as triager', 'triager.id', 'charging_referrals.triaged_by')
    .selectAll('charging_referrals')
    .select(['referrer.display_name as referred_by_name', 'triager.display_name as triaged_by_name'])
    .where('charging_referrals.case_id', '=', caseId)
    .orderBy('charging_referrals.referred_at', 'desc')
    .orderBy('charging_referrals.id', 'desc')
    .execute();
}

/** The suspects of each referral of a case. */
export async function referralSuspectsOf(db: Executor, caseId: string): Promise<{ referral_id: string; person_id: string }[]> {
  return db.selectFrom('charging_referral_suspects').select(['referral_id', 'person_id']).where('case_id', '=', caseId).execute();
}

export async function insertReferral(db: Executor, row: ChargingReferralsTable, suspectIds: readonly string[]): Promise<void> {
  await db.insertInto('charging_referrals').values(row).execute();
  await db.insertInto('charging_referral_suspects').values(suspectIds.map((person_id) => ({ referral_id: row.id, person_id, case_id: row.case_id }))).execute();
}

/** Records the triage of a referral not yet triaged; false if someone triaged it first. */
export async function triageReferral(db: Executor, id: string, triage: Pick<ChargingReferralsTable, 'triage_result' | 'triage_items' | 'triage_version' | 'triage_reasons' | 'triaged_by' | 'triaged_at'>): Promise<boolean> {
  const result = await db.updateTable('charging_referrals').set(triage).where('id', '=', id).where('triage_result', 'is', null).executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** A case's decisions, newest first. */
export async function decisionsOf(db: Executor, caseId: string): Promise<DecisionRow[]> {
  return db
    .selectFrom('charging_decisions')
    .innerJoin('users', 'users.id', 'charging_decisions.decided_by')
    .selectAll('charging_decisions')
    .select('users.display_name as decided_by_name')
    .where('charging_decisions.case_id', '=', caseId)
    .orderBy('charging_decisions.decided_at', 'desc')
    .orderBy('charging_decisions.id', 'desc')
    .execute();
}

export async function insertDecision(db: Executor, row: ChargingDecisionsTable): Promise<void> {
  await db.insertInto('charging_decisions').values(row).execute();
}

/** Sets aside a referral's suspect decisions still in force (a reopening). */
export async function supersedeDecisions(db: Executor, referralId: string, at: string): Promise<void> {
  await db.updateTable('charging_decisions').set({ superseded_at: at }).where('referral_id', '=', referralId).where('superseded_at', 'is', null).execute();
}
