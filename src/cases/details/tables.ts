// Tables of the case's details part: notes, and the review columns added to break-glass grants.
export interface CaseNotesTable {
  id: string;
  case_id: string;
  kind: string;
  text: string;
  author_user_id: string;
  created_at: string;
}

declare module '../../platform/db/tables.ts' {
  interface Tables {
    case_notes: CaseNotesTable;
  }
  interface CaseBreakGlassTable {
    /** Optional on insert: a grant is made unreviewed. */
    reviewed_by?: string | null;
    review_outcome?: string | null;
  }
}
