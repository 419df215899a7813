// Table types of quarterly assurance reports, added to the platform's Tables.

/** One report per organisation and financial quarter. */
export interface AssuranceReportsTable {
  id: string;
  organisation_id: string;
  /** The calendar year the financial year starts in. */
  financial_year: number;
  /** 1 (April to June) to 4 (January to March). */
  quarter: number;
  created_by: string;
  created_at: string;
}

/** The versions of a report: the first drafted, each later one made by reopening the published one before it. */
export interface AssuranceReportVersionsTable {
  id: string;
  report_id: string;
  number: number;
  /** 'draft', 'signed_off', 'published' or 'superseded' (published, then reopened as a later version). */
  status: string;
  /** The figures frozen for this version (JSON of Figures): exact counts, suppressed only when shown. */
  figures: string;
  /** When the figures were computed: their data vintage. */
  computed_at: string;
  drafted_by: string;
  drafted_at: string;
  /** Why a published report was reopened as this version (null for the first). */
  reason: string | null;
  refreshed_by: string | null;
  signed_off_by: string | null;
  signed_off_at: string | null;
  published_by: string | null;
  published_at: string | null;
  superseded_at: string | null;
  updated_at: string;
  version: number;
}

/** The commentary of a version, one row per section (or exception). */
export interface AssuranceCommentaryTable {
  version_id: string;
  section: string;
  text: string;
  updated_by: string;
  updated_at: string;
}

declare module '../../platform/db/tables.ts' {
  interface Tables {
    assurance_reports: AssuranceReportsTable;
    assurance_report_versions: AssuranceReportVersionsTable;
    assurance_commentary: AssuranceCommentaryTable;
  }
}
