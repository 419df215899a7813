// Sign-in and session rules.
import { createHash, randomBytes } from 'node:crypto';
import type { SessionsTable } from '../db/tables.ts';

export const IDLE_TIMEOUT_MS = 15 * 60 * 1000;
export const ABSOLUTE_LIMIT_MS = 10 * 60 * 60 * 1000;
/** Sessions record activity at most this often, to spare the database a write per request. */
export const TOUCH_INTERVAL_MS = 60 * 1000;
export const LOCKOUT_FAILURES = 5;
export const LOCKOUT_WINDOW_MS = 15 * 60 * 1000;
export const SIGN_IN_STAGE_LIMIT_MS = 10 * 60 * 1000;

export type SessionStage = SessionsTable['stage'];

export interface SessionState {
  readonly idHash: string;
  readonly userId: string;
  readonly organisationId: string | null;
  readonly stage: SessionStage;
  readonly csrfToken: string;
  readonly flash: Flash | null;
  readonly lastSeenAt: string;
  readonly idleExpiresAt: string;
  readonly absoluteExpiresAt: string;
}

export interface Flash {
  readonly type: 'success' | 'information';
  readonly text: string;
}

export function newSecretToken(): string {
  return randomBytes(32).toString('base64url');
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** Failed attempts are counted per email address, known or not, so lockout does not reveal who has an account. */
export function subjectKey(email: string): string {
  return `email:${hashToken(normaliseEmail(email))}`;
}

export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase();
}

export function isLockedOut(attempts: readonly { at: string; succeeded: number }[], now: Date): boolean {
  const windowStart = now.getTime() - LOCKOUT_WINDOW_MS;
  let failures = 0;
  for (const attempt of attempts) {
    if (Date.parse(attempt.at) < windowStart) continue;
    failures = attempt.succeeded ? 0 : failures + 1;
  }
  return failures >= LOCKOUT_FAILURES;
}

export function toSessionState(row: SessionsTable): SessionState {
  return {
    idHash: row.id_hash,
    userId: row.user_id,
    organisationId: row.organisation_id,
    stage: row.stage,
    csrfToken: row.csrf_token,
    flash: row.flash ? (JSON.parse(row.flash) as Flash) : null,
    lastSeenAt: row.last_seen_at,
    idleExpiresAt: row.idle_expires_at,
    absoluteExpiresAt: row.absolute_expires_at,
  };
}
