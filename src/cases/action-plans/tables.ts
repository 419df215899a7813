// The action-plan tables, added to the platform's table types.
export interface ActionPlansTable {
  id: string;
  case_id: string;
  source: string;
  status: string;
  second_after_full_code_test: number;
  early_advice_id: string | null;
  drafted_by: string;
  drafted_at: string;
  dcp_reviewed_by: string | null;
  dcp_reviewed_at: string | null;
  dcp_note: string | null;
  issued_at: string | null;
  answered_at: string | null;
}

export interface ActionPlanItemsTable {
  id: string;
  plan_id: string;
  position: number;
  description: string;
  owner: string;
  due_on: string;
  status: string;
  query: string | null;
  response: string | null;
  review_note: string | null;
  updated_by: string | null;
  updated_at: string | null;
}

export interface ActionPlanReviewsTable {
  id: string;
  plan_id: string;
  day: number;
  held_on: string;
  note: string;
  recorded_by: string;
  recorded_at: string;
}

declare module '../../platform/db/tables.ts' {
  interface Tables {
    action_plans: ActionPlansTable;
    action_plan_items: ActionPlanItemsTable;
    action_plan_reviews: ActionPlanReviewsTable;
  }
}
