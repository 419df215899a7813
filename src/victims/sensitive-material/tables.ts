// Table types of a victim's digital devices and third-party material, and of
// the reveals that open them, added to the platform's Tables.
export interface VictimSensitiveRevealsTable {
  id: string;
  case_id: string;
  victim_id: string;
  user_id: string;
  /** 'devices' or 'third-party-material'. */
  compartment: string;
  /** The reason's category (also in the audit journal). */
  reason_category: string;
  /** The reason in the person's own words: kept here, never in the journal. */
  reason: string;
  revealed_at: string;
  expires_at: string;
}

export interface VictimDevicesTable {
  id: string;
  case_id: string;
  victim_id: string;
  device_type: string;
  description: string;
  owner_role: string;
  line_of_enquiry: string;
  power: string;
  /** Version of the list of powers the power comes from. */
  powers_version: number;
  scope_from: string | null;
  scope_to: string | null;
  /** JSON list of data types agreed. */
  data_types: string;
  accounts: string;
  dpn_version: string | null;
  dpn_given_on: string | null;
  taken_on: string | null;
  extracted_on: string | null;
  returned_on: string | null;
  recorded_by_user_id: string;
  recorded_at: string;
}

export interface VictimTpmRequestsTable {
  id: string;
  case_id: string;
  victim_id: string;
  holder: string;
  rationale: string;
  at_early_advice: number;
  decided_on: string | null;
  requested_on: string | null;
  /** 'pending', 'received', 'refused_by_holder' or 'not_pursued'. */
  outcome: string;
  outcome_on: string | null;
  recorded_by_user_id: string;
  recorded_at: string;
}

declare module '../../platform/db/tables.ts' {
  interface Tables {
    victim_sensitive_reveals: VictimSensitiveRevealsTable;
    victim_devices: VictimDevicesTable;
    victim_tpm_requests: VictimTpmRequestsTable;
  }
}
