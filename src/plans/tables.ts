// Table types of action plans, added to the platform's Tables.
export interface PlansTable {
  id: string;
  /** The shipped plan this row was loaded from (e.g. 'jnap-2021'), or null for a plan made on the platform. */
  key: string | null;
  /** 'national', 'area', 'force' or 'local'. */
  level: string;
  owner_organisation_id: string;
  title: string;
  period: string;
  /** JSON list of the bodies that own the plan, as the plan names them. */
  owners: string;
  /** 'yes-no-in-progress' or 'rag'. */
  status_scheme: string;
  review_cycle_months: number;
  next_review_on: string;
  last_reviewed_on: string | null;
  /** Where a shipped plan comes from (seed and section). */
  source: string | null;
  created_at: string;
  updated_at: string;
  version: number;
}

export interface PlanThemesTable {
  id: string;
  plan_id: string;
  position: number;
  title: string;
  description: string | null;
}

export interface PlanActionsTable {
  id: string;
  plan_id: string;
  theme_id: string;
  number: number;
  text: string;
  /** JSON list of { label, organisationId } the action names as doing it; empty: the plan's owners. */
  owners: string;
  lead_user_id: string | null;
  target_on: string | null;
  /** A status of the plan's scheme. */
  status: string;
  /** The national action this (local) action delivers. */
  delivers_action_id: string | null;
  /** The day the action was withdrawn (migration 0016); null while it stands. Withdrawn actions are never deleted. */
  withdrawn_on?: string | null;
  created_at: string;
  updated_at: string;
  version: number;
}

/** The plan's own history: updates, status changes, evidence, links and reviews. Never updated or deleted. */
export interface PlanUpdatesTable {
  id: string;
  plan_id: string;
  /** Null for a record about the whole plan (a review). */
  action_id: string | null;
  /**
   * 'update', 'status', 'evidence', 'link', 'review'; and for plans kept on the platform 'plan-created',
   * 'plan-edited', 'theme-added', 'theme-edited', 'theme-moved', 'action-added', 'action-edited', 'action-withdrawn'.
   */
  kind: string;
  /** The day the update speaks for; null for shipped commentary dated only by its report. */
  update_on: string | null;
  /** For shipped commentary: which report it was published in. */
  label: string | null;
  text: string;
  status_from: string | null;
  status_to: string | null;
  /** JSON of kind-specific facts (the evidence id, the linked action, the review dates). */
  data: string;
  recorded_by: string | null;
  recorded_at: string;
}

export interface PlanEvidenceTable {
  id: string;
  action_id: string;
  title: string;
  url: string;
  added_by: string | null;
  added_at: string;
}

declare module '../platform/db/tables.ts' {
  interface Tables {
    plans: PlansTable;
    plan_themes: PlanThemesTable;
    plan_actions: PlanActionsTable;
    plan_updates: PlanUpdatesTable;
    plan_evidence: PlanEvidenceTable;
  }
}
