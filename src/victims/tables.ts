// Table types of the victims' records, added to the platform's Tables. The
// ISVA link (victim_isvas) is in the platform's own list: the case access
// check reads it.
export interface VictimCommunicationPlansTable {
  id: string;
  case_id: string;
  victim_id: string;
  /** 1 for the first plan agreed, then one more for each agreed change. */
  revision: number;
  /** How often the victim is to be updated, in days. */
  frequency_days: number;
  /** JSON list of contact methods the victim agreed to. */
  methods: string;
  /** JSON list of who updates the victim: 'oic', 'vlo', 'isva'. */
  updaters: string;
  preferred_language: string;
  no_voicemail: number;
  no_post_to_home: number;
  safe_address: string | null;
  safe_phone: string | null;
  safe_email: string | null;
  other_rules: string;
  agreed_on: string;
  agreed_with_isva_user_id: string | null;
  change_reason: string | null;
  recorded_by_user_id: string;
  recorded_at: string;
}

declare module '../platform/db/tables.ts' {
  interface Tables {
    victim_communication_plans: VictimCommunicationPlansTable;
  }
}
