// Table type of police decisions of no further action, added to the platform's Tables.
export interface PoliceNfaDecisionsTable {
  id: string;
  case_id: string;
  /** 'proposed', then 'signed_off'. */
  status: string;
  outcome_code: number;
  outcome_codes_version: number;
  rationale: string;
  proposed_by: string;
  proposed_at: string;
  /** The joint police–CPS meeting recorded with the proposal, if it was recorded here. */
  meeting_held_on: string | null;
  meeting_attendees: string | null;
  /** Contact with the victim (required for outcome 16). */
  victim_contact_on: string | null;
  victim_contact_method: string | null;
  victim_contact_by: string | null;
  victim_contact_summary: string | null;
  signed_off_by: string | null;
  signed_off_at: string | null;
  /** The day the victim was told of the decision and of their right to review, and how. */
  victim_told_on: string | null;
  victim_told_method: string | null;
}

declare module '../../platform/db/tables.ts' {
  interface Tables {
    police_nfa_decisions: PoliceNfaDecisionsTable;
  }
}
