// Hand-written table types. Instants are ISO-8601 UTC text, legal dates are
// 'YYYY-MM-DD' text, flags are 0/1 integers and structured values are JSON
// text, so one code base reads the same values from SQLite and PostgreSQL.
export type OrganisationKind = 'police_force' | 'cps_area' | 'isva_service' | 'national';

export interface OrganisationsTable {
  id: string;
  code: string;
  name: string;
  kind: OrganisationKind;
  created_at: string;
  updated_at: string;
  version: number;
}

export interface TeamsTable {
  id: string;
  organisation_id: string;
  name: string;
  created_at: string;
}

export interface UsersTable {
  id: string;
  email: string;
  display_name: string;
  password_hash: string | null;
  totp_secret: string | null;
  totp_last_step: number | null;
  mfa_enrolled_at: string | null;
  oidc_issuer: string | null;
  oidc_subject: string | null;
  disabled_at: string | null;
  created_at: string;
  updated_at: string;
  version: number;
}

export interface MembershipsTable {
  id: string;
  user_id: string;
  organisation_id: string;
  team_id: string | null;
  role: string;
  created_at: string;
}

export interface SessionsTable {
  id_hash: string;
  user_id: string;
  organisation_id: string | null;
  stage: 'mfa_enrolment' | 'mfa_challenge' | 'active';
  csrf_token: string;
  flash: string | null;
  created_at: string;
  last_seen_at: string;
  idle_expires_at: string;
  absolute_expires_at: string;
  revoked_at: string | null;
}

export interface SignInAttemptsTable {
  id: string;
  subject_key: string;
  at: string;
  succeeded: number;
}

export interface ApiTokensTable {
  id: string;
  user_id: string;
  organisation_id: string;
  name: string;
  token_hash: string;
  scopes: string;
  created_at: string;
  expires_at: string;
  revoked_at: string | null;
  last_used_at: string | null;
}

export interface AuditEventsTable {
  seq: number;
  id: string;
  at: string;
  actor_user_id: string | null;
  actor_organisation_id: string | null;
  actor_role: string | null;
  action: string;
  object_type: string | null;
  object_id: string | null;
  subjects: string;
  purpose: string | null;
  request_id: string | null;
  outcome: string;
  details: string;
  prev_hash: string;
  hash: string;
}

export interface AuditChainHeadTable {
  id: number;
  seq: number;
  hash: string;
}

export interface JobsTable {
  id: string;
  kind: string;
  payload: string;
  unique_key: string | null;
  run_at: string;
  status: 'queued' | 'running' | 'done' | 'failed';
  attempts: number;
  max_attempts: number;
  locked_until: string | null;
  last_error: string | null;
  created_at: string;
  finished_at: string | null;
}

export interface CasesTable {
  id: string;
  police_reference: string;
  cps_urn: string | null;
  court_case_number: string | null;
  force_id: string;
  cps_area_id: string;
  stage: string;
  offence_class: string;
  domestic_abuse: number;
  repeat_suspect: number;
  vulnerable_victim: number;
  child_victim: number;
  reported_on: string;
  created_at: string;
  updated_at: string;
  version: number;
}

export interface CasePeopleTable {
  id: string;
  case_id: string;
  category: string;
  name: string;
  date_of_birth: string | null;
  created_at: string;
}

/** An ISVA supporting a victim in a case: gives the ISVA sight of that victim's records. */
export interface VictimIsvasTable {
  id: string;
  case_id: string;
  victim_id: string;
  isva_user_id: string;
  isva_service_id: string;
  started_at: string;
  started_by_user_id: string;
  ended_at: string | null;
}

export interface CaseTeamTable {
  id: string;
  case_id: string;
  user_id: string;
  organisation_id: string;
  case_role: string;
  allocated_at: string;
  ended_at: string | null;
}

export interface CaseEventsTable {
  id: string;
  case_id: string;
  seq: number;
  type: string;
  occurred_at: string;
  recorded_at: string;
  actor_user_id: string | null;
  data: string;
}

export interface CaseBreakGlassTable {
  id: string;
  case_id: string;
  user_id: string;
  reason: string;
  granted_at: string;
  expires_at: string;
  reviewed_at: string | null;
}

export interface ApiIdempotencyKeysTable {
  user_id: string;
  idempotency_key: string;
  operation: string;
  request_hash: string;
  status: number;
  response: string;
  created_at: string;
}

export interface DeadlineRulesTable {
  key: string;
  version: number;
  organisation_id: string | null;
  effective_from: string;
  definition: string;
  created_at: string;
}

export interface DeadlinesTable {
  id: string;
  subject_type: string;
  subject_id: string;
  rule_key: string;
  rule_version: number;
  started_on: string;
  due_on: string;
  status: 'open' | 'paused' | 'met' | 'cancelled';
  paused_at: string | null;
  paused_reason: string | null;
  paused_days_total: number;
  next_step_due_on: string | null;
  closed_at: string | null;
  closed_reason: string | null;
  created_at: string;
  version: number;
}

export interface DeadlineOrganisationsTable {
  deadline_id: string;
  organisation_id: string;
}

export interface DeadlineEscalationsTable {
  deadline_id: string;
  step: string;
  due_on: string;
  escalated_at: string;
}

export interface NotificationsTable {
  id: string;
  user_id: string;
  kind: string;
  subject_type: string;
  subject_id: string;
  text: string;
  created_at: string;
  read_at: string | null;
}

export interface EmailOutboxTable {
  id: string;
  to_user_id: string;
  subject: string;
  body: string;
  created_at: string;
  sent_at: string | null;
  attempts: number;
}

export interface SchemaMigrationsTable {
  name: string;
  applied_at: string;
}

export interface Tables {
  organisations: OrganisationsTable;
  teams: TeamsTable;
  users: UsersTable;
  memberships: MembershipsTable;
  sessions: SessionsTable;
  sign_in_attempts: SignInAttemptsTable;
  api_tokens: ApiTokensTable;
  audit_events: AuditEventsTable;
  audit_chain_head: AuditChainHeadTable;
  jobs: JobsTable;
  schema_migrations: SchemaMigrationsTable;
  cases: CasesTable;
  case_people: CasePeopleTable;
  case_team: CaseTeamTable;
  victim_isvas: VictimIsvasTable;
  case_events: CaseEventsTable;
  case_break_glass: CaseBreakGlassTable;
  api_idempotency_keys: ApiIdempotencyKeysTable;
  deadline_rules: DeadlineRulesTable;
  deadlines: DeadlinesTable;
  deadline_organisations: DeadlineOrganisationsTable;
  deadline_escalations: DeadlineEscalationsTable;
  notifications: NotificationsTable;
  email_outbox: EmailOutboxTable;
}
