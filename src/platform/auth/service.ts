// Signing in (password, then a one-time code), sessions and API tokens.
import { newId } from '../db/ids.ts';
import { inTransaction } from '../db/transaction.ts';
import type { Tx } from '../db/transaction.ts';
import type { Actor, Membership } from '../access/policy.ts';
import { isPermission, isRole } from '../access/roles.ts';
import type { Permission } from '../access/roles.ts';
import type { AuditContext } from '../audit/model.ts';
import * as directory from '../directory/repository.ts';
import type { UsersTable } from '../db/tables.ts';
import type { Platform } from '../platform.ts';
import {
  ABSOLUTE_LIMIT_MS,
  IDLE_TIMEOUT_MS,
  LOCKOUT_WINDOW_MS,
  SIGN_IN_STAGE_LIMIT_MS,
  TOUCH_INTERVAL_MS,
  hashToken,
  isLockedOut,
  newSecretToken,
  normaliseEmail,
  subjectKey,
  toSessionState,
} from './model.ts';
import type { Flash, SessionStage, SessionState } from './model.ts';
import { verifyPassword } from './password.ts';
import * as repository from './repository.ts';
import { newTotpSecret, sealSecret, unsealSecret, verifyTotp } from './totp.ts';

export type PasswordSignIn =
  | { readonly ok: true; readonly token: string; readonly stage: SessionStage }
  | { readonly ok: false; readonly reason: 'invalid' | 'locked' };

export type CodeCheck = { readonly ok: true; readonly token: string } | { readonly ok: false; readonly reason: 'invalid' | 'locked' | 'expired' };

export function createAuthService(platform: Platform) {
  const { db, audit, clock, config } = platform;
  const nowIso = () => clock.now().toISOString();

  async function recordAttempt(tx: Tx, email: string, succeeded: boolean): Promise<void> {
    await repository.insertAttempt(tx, { id: newId(), subject_key: subjectKey(email), at: nowIso(), succeeded: succeeded ? 1 : 0 });
  }

  async function lockedOut(email: string): Promise<boolean> {
    const since = new Date(clock.now().getTime() - LOCKOUT_WINDOW_MS).toISOString();
    return isLockedOut(await repository.recentAttempts(db, subjectKey(email), since), clock.now());
  }

  /** Starts a session at `stage`; a partly signed-in session lasts minutes, a full one up to the absolute limit. */
  async function openSession(tx: Tx, user: UsersTable, stage: SessionStage, organisationId: string | null): Promise<string> {
    const token = newSecretToken();
    const now = clock.now();
    const absolute = stage === 'active' ? ABSOLUTE_LIMIT_MS : SIGN_IN_STAGE_LIMIT_MS;
    await repository.insertSession(tx, {
      id_hash: hashToken(token),
      user_id: user.id,
      organisation_id: organisationId,
      stage,
      csrf_token: newSecretToken(),
      flash: null,
      created_at: now.toISOString(),
      last_seen_at: now.toISOString(),
      idle_expires_at: new Date(now.getTime() + Math.min(IDLE_TIMEOUT_MS, absolute)).toISOString(),
      absolute_expires_at: new Date(now.getTime() + absolute).toISOString(),
      revoked_at: null,
    });
    return token;
  }

  async function defaultOrganisation(tx: Tx, userId: string): Promise<string | null> {
    return (await directory.membershipsOf(tx, userId))[0]?.organisation_id ?? null;
  }

  /** Completes sign-in: the half-way session is replaced by a new one (new id), so a planted id is useless. */
  async function promote(tx: Tx, session: SessionState, user: UsersTable, context: AuditContext, method: string): Promise<string> {
    await repository.revokeSession(tx, session.idHash, nowIso());
    const organisationId = await defaultOrganisation(tx, user.id);
    const token = await openSession(tx, user, 'active', organisationId);
    await recordAttempt(tx, user.email, true);
    await audit.record(tx, { ...context, userId: user.id, organisationId }, { action: 'sign-in', event: `sign-in.${method}`, objectType: 'user', objectId: user.id, subjects: [user.id] });
    return token;
  }

  return {
    async signInWithPassword(emailInput: string, password: string, context: AuditContext): Promise<PasswordSignIn> {
      const email = normaliseEmail(emailInput);
      const user = await directory.findUserByEmail(db, email);
      // Always run the hash, so an unknown address takes as long as a known one.
      const passwordOk = await verifyPassword(password, user?.password_hash ?? null);
      const locked = await lockedOut(email);
      const usable = user && !user.disabled_at && passwordOk && !locked;
      return inTransaction(db, async (tx) => {
        // Entries carry the person's organisation, so their own organisation's auditors see them.
        const organisationId = user ? await defaultOrganisation(tx, user.id) : null;
        if (!usable) {
          await recordAttempt(tx, email, false);
          await audit.record(tx, { ...context, userId: user?.id ?? null, organisationId }, {
            action: 'sign-in',
            event: 'sign-in.password',
            outcome: 'failure',
            objectType: user ? 'user' : undefined,
            objectId: user?.id,
            details: { reason: locked ? 'locked' : 'invalid' },
          });
          return { ok: false, reason: locked ? 'locked' : 'invalid' } as const;
        }
        const stage = user.mfa_enrolled_at ? 'mfa_challenge' : 'mfa_enrolment';
        const token = await openSession(tx, user, stage, null);
        await audit.record(tx, { ...context, userId: user.id, organisationId }, { action: 'sign-in', event: 'sign-in.password-accepted', objectType: 'user', objectId: user.id, subjects: [user.id] });
        return { ok: true, token, stage } as const;
      });
    },

    /** The second step: a code from the person's authenticator app. */
    async verifyCode(session: SessionState, code: string, context: AuditContext): Promise<CodeCheck> {
      const user = await directory.findUserById(db, session.userId);
      if (!user || !user.totp_secret || user.disabled_at) return { ok: false, reason: 'expired' };
      if (await lockedOut(user.email)) return { ok: false, reason: 'locked' };
      const secret = unsealSecret(user.totp_secret, config.secretKey);
      const step = verifyTotp(secret, code, clock.now(), user.totp_last_step === null ? null : Number(user.totp_last_step));
      return inTransaction(db, async (tx) => {
        if (step === null) {
          await recordAttempt(tx, user.email, false);
          await audit.record(tx, { ...context, userId: user.id, organisationId: await defaultOrganisation(tx, user.id) }, { action: 'sign-in', event: 'sign-in.code', outcome: 'failure', objectType: 'user', objectId: user.id, subjects: [user.id] });
          return { ok: false, reason: 'invalid' } as const;
        }
        // Remember the step in the same transaction, so a code is never accepted twice.
        const stored = await directory.updateUser(tx, user.id, user.version, {
          totp_last_step: step,
          mfa_enrolled_at: user.mfa_enrolled_at ?? nowIso(),
          updated_at: nowIso(),
        });
        if (!stored) return { ok: false, reason: 'invalid' } as const;
        const method = user.mfa_enrolled_at ? 'code' : 'code-enrolled';
        return { ok: true, token: await promote(tx, session, { ...user, version: user.version + 1 }, context, method) } as const;
      });
    },

    /** A new authenticator secret for a person enrolling; replaced each time the set-up page is shown anew. */
    async beginEnrolment(session: SessionState): Promise<{ secret: string; email: string }> {
      const user = await directory.findUserById(db, session.userId);
      if (!user || session.stage !== 'mfa_enrolment') throw new Error('Not enrolling');
      if (user.totp_secret && !user.mfa_enrolled_at) {
        return { secret: unsealSecret(user.totp_secret, config.secretKey), email: user.email };
      }
      const secret = newTotpSecret();
      await directory.updateUser(db, user.id, user.version, { totp_secret: sealSecret(secret, config.secretKey), updated_at: nowIso() });
      return { secret, email: user.email };
    },

    /** Signs in a person whose identity provider has vouched for them (OpenID Connect). */
    async signInWithIdentityProvider(user: UsersTable, context: AuditContext): Promise<string> {
      return inTransaction(db, async (tx) => {
        const organisationId = await defaultOrganisation(tx, user.id);
        const token = await openSession(tx, user, 'active', organisationId);
        await audit.record(tx, { ...context, userId: user.id, organisationId }, { action: 'sign-in', event: 'sign-in.oidc', objectType: 'user', objectId: user.id, subjects: [user.id] });
        return token;
      });
    },

    /** The live session for a cookie value, or null; records activity at most once a minute. */
    async loadSession(token: string): Promise<SessionState | null> {
      const now = clock.now();
      const row = await repository.findLiveSession(db, hashToken(token), now.toISOString());
      if (!row) return null;
      const session = toSessionState(row);
      if (row.stage === 'active' && now.getTime() - Date.parse(row.last_seen_at) >= TOUCH_INTERVAL_MS) {
        const idle = Math.min(now.getTime() + IDLE_TIMEOUT_MS, Date.parse(row.absolute_expires_at));
        const changes = { last_seen_at: now.toISOString(), idle_expires_at: new Date(idle).toISOString() };
        await repository.updateSession(db, row.id_hash, changes);
        return { ...session, lastSeenAt: changes.last_seen_at, idleExpiresAt: changes.idle_expires_at };
      }
      return session;
    },

    /** Resets the idle clock now (the "Stay signed in" button). */
    async extendSession(session: SessionState): Promise<void> {
      const now = clock.now();
      const idle = Math.min(now.getTime() + IDLE_TIMEOUT_MS, Date.parse(session.absoluteExpiresAt));
      await repository.updateSession(db, session.idHash, { last_seen_at: now.toISOString(), idle_expires_at: new Date(idle).toISOString() });
    },

    async signOut(session: SessionState, context: AuditContext): Promise<void> {
      await inTransaction(db, async (tx) => {
        await repository.revokeSession(tx, session.idHash, nowIso());
        await audit.record(tx, context, { action: 'sign-out', event: 'sign-out', objectType: 'user', objectId: session.userId, subjects: [session.userId] });
      });
    },

    async signOutEverywhere(userId: string, context: AuditContext): Promise<number> {
      return inTransaction(db, async (tx) => {
        const count = await repository.revokeSessionsOf(tx, userId, nowIso());
        await audit.record(tx, context, { action: 'sign-out', event: 'sign-out.everywhere', objectType: 'user', objectId: userId, subjects: [userId], details: { sessions: count } });
        return count;
      });
    },

    async setFlash(session: SessionState, flash: Flash | null): Promise<void> {
      await repository.updateSession(db, session.idHash, { flash: flash ? JSON.stringify(flash) : null });
    },

    async switchOrganisation(session: SessionState, organisationId: string, context: AuditContext): Promise<boolean> {
      const memberships = await directory.membershipsOf(db, session.userId);
      if (!memberships.some((m) => m.organisation_id === organisationId)) return false;
      await inTransaction(db, async (tx) => {
        await repository.updateSession(tx, session.idHash, { organisation_id: organisationId });
        await audit.record(tx, { ...context, organisationId }, { action: 'sign-in', event: 'organisation.switch', objectType: 'organisation', objectId: organisationId });
      });
      return true;
    },

    /** Who the session belongs to, acting for its chosen organisation; null if they no longer may act. */
    async actorForSession(session: SessionState): Promise<Actor | null> {
      if (session.stage !== 'active') return null;
      return actorFor(session.userId, session.organisationId, 'session', undefined);
    },

    /** Creates an API token for an integration; the secret is shown once and only its hash is kept. */
    async createApiToken(input: { userId: string; organisationId: string; name: string; scopes: Permission[]; days: number }, context: AuditContext): Promise<{ id: string; token: string; expiresAt: string }> {
      const token = `rasso_${newSecretToken()}`;
      const id = newId();
      const expiresAt = new Date(clock.now().getTime() + input.days * 86_400_000).toISOString();
      await inTransaction(db, async (tx) => {
        await repository.insertApiToken(tx, {
          id,
          user_id: input.userId,
          organisation_id: input.organisationId,
          name: input.name,
          token_hash: hashToken(token),
          scopes: JSON.stringify(input.scopes),
          created_at: nowIso(),
          expires_at: expiresAt,
          revoked_at: null,
          last_used_at: null,
        });
        await audit.record(tx, context, { action: 'collect', event: 'api-token.create', objectType: 'api_token', objectId: id, subjects: [input.userId], details: { scopes: input.scopes.join(' '), days: input.days } });
      });
      return { id, token, expiresAt };
    },

    async revokeApiToken(id: string, context: AuditContext): Promise<boolean> {
      return inTransaction(db, async (tx) => {
        const revoked = (await repository.revokeApiToken(tx, id, nowIso())) === 1;
        if (revoked) await audit.record(tx, context, { action: 'alter', event: 'api-token.revoke', objectType: 'api_token', objectId: id });
        return revoked;
      });
    },

    listApiTokens: (userId?: string) => repository.listApiTokens(db, userId),

    /** The actor behind an `Authorization: Bearer` token, or null. */
    async actorForToken(token: string): Promise<Actor | null> {
      const row = await repository.findLiveApiToken(db, hashToken(token), nowIso());
      if (!row) return null;
      const scopes = (JSON.parse(row.scopes) as string[]).filter(isPermission);
      return actorFor(row.user_id, row.organisation_id, 'token', scopes);
    },
  };

  async function actorFor(userId: string, organisationId: string | null, via: Actor['via'], scopes: Permission[] | undefined): Promise<Actor | null> {
    const user = await directory.findUserById(db, userId);
    if (!user || user.disabled_at) return null;
    const memberships = groupMemberships(await directory.membershipsOf(db, userId));
    const organisation = memberships.find((m) => m.organisationId === organisationId) ?? memberships[0];
    if (!organisation) return null;
    return { userId, displayName: user.display_name, email: user.email, organisation, memberships, via, scopes };
  }
}

export type AuthService = ReturnType<typeof createAuthService>;

function groupMemberships(rows: directory.MembershipRow[]): Membership[] {
  const byOrganisation = new Map<string, Membership>();
  for (const row of rows) {
    const existing = byOrganisation.get(row.organisation_id);
    const roles = isRole(row.role) ? [row.role] : [];
    byOrganisation.set(row.organisation_id, {
      organisationId: row.organisation_id,
      organisationCode: row.organisation_code,
      organisationName: row.organisation_name,
      organisationKind: row.organisation_kind,
      roles: [...(existing?.roles ?? []), ...roles],
    });
  }
  return [...byOrganisation.values()];
}
