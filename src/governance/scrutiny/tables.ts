// Table types of NFA scrutiny panels, added to the platform's Tables. A pack is
// stored as it was made (anonymised JSON), so what a panel reviewed never
// changes under it and its tables hold nothing that says who anyone is; only
// `scrutiny_cases.case_id` links a pack to its case, and no page shows it.
export interface ScrutinyPanelsTable {
  id: string;
  name: string;
  force_id: string;
  /** Null for a force's own panel. */
  cps_area_id: string | null;
  created_by: string;
  created_at: string;
  updated_at: string;
  version: number;
}

export interface ScrutinyPanelMembersTable {
  id: string;
  panel_id: string;
  user_id: string;
  /** The organisation the person sits for (where they hold the role that lets them). */
  organisation_id: string;
  /** 'chair' or 'member'. */
  role: string;
  added_by: string;
  added_at: string;
  ended_by: string | null;
  ended_at: string | null;
}

/** A review round: the selection of cases for one period, and how it was made. */
export interface ScrutinyRoundsTable {
  id: string;
  panel_id: string;
  period_from: string;
  period_to: string;
  /** JSON list of the decision kinds selected from ('police_nfa', 'cps_nfa'). */
  decision_kinds: string;
  /** 'all' or 'sample'. */
  method: string;
  /** The sample size asked for (null for all). */
  sample_size: number | null;
  /** The seed the sample was drawn with (null for all). */
  seed: string | null;
  population: number;
  selected: number;
  /** JSON list of { key, population, selected }: the strata and how many of each were drawn. */
  strata: string;
  created_by: string;
  created_at: string;
}

/** A case selected in a round, with its pseudonym and its anonymised pack. */
export interface ScrutinyCasesTable {
  id: string;
  round_id: string;
  panel_id: string;
  case_id: string;
  /** 'Case P-0007' is pseudonym 7: numbered in an order drawn at random, unrelated to the case. */
  pseudonym: number;
  stratum: string;
  /** The pack as made at selection (JSON). */
  pack: string;
  version: number;
}

/** The answers of the review form, shared by a member's review and the panel's agreed findings. */
export interface ScrutinyAnswerColumns {
  /** 'yes', 'no' or 'partly'. */
  sound: string;
  sound_reasons: string;
  /** 'yes' or 'no'. */
  missed_enquiries: string;
  missed_enquiries_detail: string;
  communication: string;
  communication_reasons: string;
  myths: string;
  /** JSON list of myth kinds (of `myth_kinds_version`). */
  myth_kinds: string;
  myth_kinds_version: number;
  myths_detail: string;
  observations: string;
}

export interface ScrutinyReviewsTable extends ScrutinyAnswerColumns {
  id: string;
  scrutiny_case_id: string;
  member_user_id: string;
  created_at: string;
  updated_at: string;
  version: number;
}

export interface ScrutinyFindingsTable extends ScrutinyAnswerColumns {
  id: string;
  scrutiny_case_id: string;
  /** The learning points for the officer and the prosecutor. */
  learning: string;
  agreed_by: string;
  agreed_at: string;
}

/** The learning sent to one officer or prosecutor of the case. */
export interface ScrutinyLearningTable {
  id: string;
  scrutiny_case_id: string;
  finding_id: string;
  user_id: string;
  /** 'oic' or 'prosecutor'. */
  case_role: string;
  sent_at: string;
}

export interface ScrutinyActionsTable {
  id: string;
  panel_id: string;
  round_id: string | null;
  scrutiny_case_id: string | null;
  text: string;
  owner: string;
  due_on: string;
  /** 'open', 'in_progress' or 'done'. */
  status: string;
  created_by: string;
  created_at: string;
  updated_by: string;
  updated_at: string;
  version: number;
}

/** An action's history: every change of status, with the note that says why. Never updated or deleted. */
export interface ScrutinyActionUpdatesTable {
  id: string;
  action_id: string;
  status_from: string | null;
  status_to: string;
  note: string;
  by_user_id: string;
  at: string;
}

declare module '../../platform/db/tables.ts' {
  interface Tables {
    scrutiny_panels: ScrutinyPanelsTable;
    scrutiny_panel_members: ScrutinyPanelMembersTable;
    scrutiny_rounds: ScrutinyRoundsTable;
    scrutiny_cases: ScrutinyCasesTable;
    scrutiny_reviews: ScrutinyReviewsTable;
    scrutiny_findings: ScrutinyFindingsTable;
    scrutiny_learning: ScrutinyLearningTable;
    scrutiny_actions: ScrutinyActionsTable;
    scrutiny_action_updates: ScrutinyActionUpdatesTable;
  }
}
