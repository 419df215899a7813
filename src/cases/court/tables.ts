// Tables of the court part: the case at court, its hearings, and each defendant's outcome and sentence.
export interface CaseCourtTable {
  case_id: string;
  sent_to_crown_court_on: string | null;
}

export interface CaseHearingsTable {
  id: string;
  case_id: string;
  kind: string;
  court: string;
  listed_on: string;
  /** listed, held or adjourned */
  status: string;
  held_on: string | null;
  adjournment_reason: string | null;
  adjournment_reasons_version: number | null;
  adjournment_requested_by: string | null;
  recorded_by: string;
  recorded_at: string;
}

export interface CaseCourtOutcomesTable {
  id: string;
  case_id: string;
  suspect_id: string;
  outcome: string;
  victim_withdrawal: number;
  outcome_on: string;
  sentence_type: string | null;
  sentence_months: number | null;
  sentenced_on: string | null;
  recorded_by: string;
  recorded_at: string;
}

declare module '../../platform/db/tables.ts' {
  interface Tables {
    case_court: CaseCourtTable;
    case_hearings: CaseHearingsTable;
    case_court_outcomes: CaseCourtOutcomesTable;
  }
}
