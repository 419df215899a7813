// Table types of the victim's rights, added to the platform's Tables.
export interface VictimRightsDeliveriesTable {
  id: string;
  case_id: string;
  victim_id: string;
  /** The entitlement's key in the entitlements list of `entitlements_version`. */
  entitlement: string;
  entitlements_version: number;
  /** The day the entitlement began to apply (the journal event's day): which time it applied that this proves. */
  applies_on: string;
  delivered_on: string;
  method: string;
  /** A letter's id, who made the contact, or a few words on how the victim was told. */
  reference: string;
  recorded_by_user_id: string;
  recorded_at: string;
}

export interface VictimReviewRequestsTable {
  id: string;
  case_id: string;
  victim_id: string;
  /** 'police' or 'cps'. */
  scheme: string;
  told_on: string;
  received_on: string;
  /** The last day of the request window under the rule in force when the victim was told. */
  window_ends_on: string;
  /** Why a request after the window is accepted (null when in time). */
  late_reason: string | null;
  /** 'review' (police), 'local_resolution' then 'independent_review' (CPS). */
  review_stage: string;
  /** The clocks this request runs: acknowledgement (police scheme) and the current review stage. */
  acknowledge_deadline_id: string | null;
  stage_deadline_id: string;
  acknowledged_on: string | null;
  escalated_on: string | null;
  /** 'upheld' or 'overturned' once decided. */
  outcome: string | null;
  decided_on: string | null;
  decision_reasons: string | null;
  recorded_by_user_id: string;
  recorded_at: string;
  decided_by_user_id: string | null;
}

declare module '../../platform/db/tables.ts' {
  interface Tables {
    victim_rights_deliveries: VictimRightsDeliveriesTable;
    victim_review_requests: VictimReviewRequestsTable;
  }
}
