// Table types of court support (special measures and the pre-trial meeting), added to the platform's Tables.
export interface VictimSpecialMeasuresTable {
  id: string;
  case_id: string;
  victim_id: string;
  /** A key of the special measures list (`specialMeasures` in model.ts) of `measures_version`. */
  measure: string;
  measures_version: number;
  applied_on: string;
  /** The prosecutor who made the application. */
  applied_by: string;
  /** What the victim said they want. */
  victim_view: string;
  /** 'granted', 'refused' or 'withdrawn' once decided. */
  outcome: string | null;
  decided_on: string | null;
  recorded_by_user_id: string;
  recorded_at: string;
}

export interface VictimPreTrialMeetingsTable {
  id: string;
  case_id: string;
  victim_id: string;
  offered_on: string;
  /** null until the victim answers; 1 accepted, 0 declined. */
  accepted: number | null;
  held_on: string | null;
  recorded_by_user_id: string;
  updated_at: string;
}

declare module '../../platform/db/tables.ts' {
  interface Tables {
    victim_special_measures: VictimSpecialMeasuresTable;
    victim_pre_trial_meetings: VictimPreTrialMeetingsTable;
  }
}
