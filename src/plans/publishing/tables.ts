// Table types of published progress reports, added to the platform's Tables.
export interface PlanPublicationsTable {
  id: string;
  plan_id: string;
  /** 1, 2, 3 … in the order published. */
  edition: number;
  /** The plan's title when published. */
  title: string;
  /** The day it was published (Europe/London). */
  published_on: string;
  published_at: string;
  published_by: string | null;
  /** The report's revision (a digest of its content) that the publisher read. */
  revision: string;
  /** JSON of the progress report as published (ProgressReport in model.ts). */
  snapshot: string;
}

declare module '../../platform/db/tables.ts' {
  interface Tables {
    plan_publications: PlanPublicationsTable;
  }
}
