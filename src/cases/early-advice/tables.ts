// The early-advice tables, added to the platform's table types.
export interface EarlyAdviceRequestsTable {
  id: string;
  case_id: string;
  status: string;
  requested_by: string;
  requested_at: string;
  due_on: string;
  urn: string | null;
  summary: string;
  enquiries_done: string;
  enquiries_ongoing: string;
  enquiries_planned: string;
  issues: string;
  questions: string;
  key_material: string;
  disclosable_material: string;
  decided_by: string | null;
  decided_at: string | null;
  reject_reason: string | null;
  reject_detail: string | null;
  appealed_by: string | null;
  appealed_at: string | null;
  appellant_rank: string | null;
  appeal_grounds: string | null;
  appeal_decided_by: string | null;
  appeal_decided_at: string | null;
  appeal_upheld: number | null;
  appeal_note: string | null;
  advice: string | null;
  advised_by: string | null;
  advised_at: string | null;
  plan_id: string | null;
}

export interface EarlyAdviceNotRequestedTable {
  id: string;
  case_id: string;
  reason: string;
  detail: string;
  recorded_by: string;
  recorded_at: string;
}

declare module '../../platform/db/tables.ts' {
  interface Tables {
    early_advice_requests: EarlyAdviceRequestsTable;
    early_advice_not_requested: EarlyAdviceNotRequestedTable;
  }
}
