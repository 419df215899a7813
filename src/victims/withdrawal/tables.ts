// Table type of a victim's withdrawals of support, added to the platform's Tables.
export interface VictimWithdrawalsTable {
  id: string;
  case_id: string;
  victim_id: string;
  withdrawn_on: string;
  /** The case's stage when the withdrawal was recorded. */
  stage: string;
  /** A key of the reasons list (`withdrawalReasons` in model.ts) of `reasons_version`. */
  reason_code: string;
  reasons_version: number;
  /** Required for the reason 'other'. */
  reason_detail: string | null;
  spoken_to_victim: number;
  spoken_on: string | null;
  spoken_how: string | null;
  spoken_by: string | null;
  isva_involved: number;
  recorded_by_user_id: string;
  recorded_at: string;
  re_engaged_on: string | null;
  re_engaged_how: string | null;
  re_engaged_recorded_by_user_id: string | null;
}

declare module '../../platform/db/tables.ts' {
  interface Tables {
    victim_withdrawals: VictimWithdrawalsTable;
  }
}
