// Table types of charging referrals and decisions, added to the platform's Tables.
export interface ChargingReferralsTable {
  id: string;
  case_id: string;
  test: string;
  from_stage: string;
  referred_by: string;
  referred_at: string;
  /** Why early advice was not asked for (a reason code of `adviceNotRequestedReasons`), and its version. */
  not_requested_reason: string | null;
  not_requested_version: number | null;
  not_requested_detail: string | null;
  triage_result: string | null;
  /** The checklist items found present, as a JSON array of item keys. */
  triage_items: string | null;
  triage_version: number | null;
  triage_reasons: string | null;
  triaged_by: string | null;
  triaged_at: string | null;
}

export interface ChargingReferralSuspectsTable {
  referral_id: string;
  person_id: string;
  case_id: string;
}

export interface ChargingDecisionsTable {
  id: string;
  case_id: string;
  referral_id: string | null;
  /** A suspect decision, 'administratively_finalised' or 'reopened'. */
  kind: string;
  suspect_id: string | null;
  /** The offences charged, as a JSON array of { offenceClass, wording }. */
  offences: string | null;
  alternative_offence: number;
  reason_code: string | null;
  reasons: string;
  decided_by: string;
  decided_at: string;
  /** When a reopening set this decision aside. */
  superseded_at: string | null;
}

declare module '../../platform/db/tables.ts' {
  interface Tables {
    charging_referrals: ChargingReferralsTable;
    charging_referral_suspects: ChargingReferralSuspectsTable;
    charging_decisions: ChargingDecisionsTable;
  }
}
