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
}
