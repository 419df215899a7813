// Table type of letters to victims, added to the platform's Tables.
export interface VictimLettersTable {
  id: string;
  case_id: string;
  victim_id: string;
  template_key: string;
  template_version: number;
  /** 'en' or 'cy'. */
  language: string;
  /** The merged text as made (JSON: title and blocks), so later template versions never change it. */
  content: string;
  created_by_user_id: string;
  created_at: string;
  /** 'draft', then 'dispatched'. */
  status: string;
  dispatch_method: string | null;
  /** Which of the victim's addresses or numbers was used, in words (never the address itself). */
  sent_to: string | null;
  /** The communication plan revision the dispatch was checked against, if any. */
  plan_revision: number | null;
  dispatched_by_user_id: string | null;
  dispatched_at: string | null;
}

declare module '../../platform/db/tables.ts' {
  interface Tables {
    victim_letters: VictimLettersTable;
  }
}
