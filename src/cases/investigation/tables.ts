// The investigation part's tables, added to the platform's Tables.
export interface InvestigationReviewsTable {
  id: string;
  case_id: string;
  reviewed_on: string;
  note: string;
  reviewer_user_id: string;
  created_at: string;
}

export interface InvestigationBailTable {
  id: string;
  case_id: string;
  person_id: string;
  started_on: string;
  until_on: string;
  authority: string;
  ladder_version: number;
  conditions: string;
  deadline_id: string;
  ended_at: string | null;
  created_at: string;
}

export interface InvestigationBailExtensionsTable {
  id: string;
  bail_id: string;
  previous_until_on: string;
  until_on: string;
  authority: string;
  deadline_id: string;
  created_at: string;
}

export interface InvestigationRuiTable {
  id: string;
  case_id: string;
  person_id: string;
  released_on: string;
  last_reviewed_on: string | null;
  deadline_id: string;
  ended_at: string | null;
  created_at: string;
}

declare module '../../platform/db/tables.ts' {
  interface Tables {
    investigation_reviews: InvestigationReviewsTable;
    investigation_bail: InvestigationBailTable;
    investigation_bail_extensions: InvestigationBailExtensionsTable;
    investigation_rui: InvestigationRuiTable;
  }
}
