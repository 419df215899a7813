// OpenID Connect sign-in with an organisation's identity provider (Microsoft
// Entra ID in practice): the authorization code flow with PKCE, state and
// nonce, every check done by openid-client. A person is known by the
// provider's (issuer, subject) pair; on their first sign-in they are linked,
// by a verified email address, to the account an administrator made for them.
// Nobody gets an account by signing in.
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import * as client from 'openid-client';
import type { Config } from '../../config.ts';
import type { AuditContext } from '../audit/model.ts';
import { inTransaction } from '../db/transaction.ts';
import * as directory from '../directory/repository.ts';
import type { UsersTable } from '../db/tables.ts';
import type { Platform } from '../platform.ts';
import { normaliseEmail } from './model.ts';
import type { AuthService } from './service.ts';

export const OIDC_CALLBACK_PATH = '/sign-in/oidc/callback';
const OIDC_SCOPES = 'openid email profile';
/** How long a person has at the provider before the sign-in must start again. */
export const OIDC_TRANSACTION_LIFETIME_MS = 10 * 60 * 1000;
const PROVIDER_TIMEOUT_SECONDS = 10;

/** What the browser carries, sealed, between leaving for the provider and coming back. */
export interface OidcTransaction {
  readonly state: string;
  readonly nonce: string;
  readonly codeVerifier: string;
  readonly next: string;
  /** Milliseconds since the epoch. */
  readonly expiresAt: number;
}

export type OidcFailureReason =
  | 'no-transaction'
  | 'state'
  | 'nonce'
  | 'issuer'
  | 'audience'
  | 'signature'
  | 'expired'
  | 'provider-error'
  | 'token-refused'
  | 'invalid-response'
  | 'provider-unavailable'
  | 'unknown-person'
  | 'disabled'
  | 'conflict';

export type OidcStart =
  | { readonly ok: true; readonly url: URL; readonly transaction: string }
  | { readonly ok: false; readonly reason: 'provider-unavailable' };

export type OidcResult =
  | { readonly ok: true; readonly token: string; readonly next: string }
  | { readonly ok: false; readonly reason: OidcFailureReason };

/**
 * openid-client refuses plain-http providers, rightly. The only exception is a
 * provider on this machine's loopback interface outside production: the
 * provider a developer or the test suite runs locally, whose traffic never
 * leaves the host.
 */
export function allowsInsecureIssuer(issuer: URL, environment: Config['environment']): boolean {
  const loopback = ['127.0.0.1', 'localhost', '[::1]'].includes(issuer.hostname);
  return issuer.protocol === 'http:' && loopback && environment !== 'production';
}

// The transaction is sealed (AES-256-GCM under a key derived from the
// platform's secret for this purpose only): the browser can neither read the
// nonce and PKCE verifier nor forge or alter any of it.
function transactionKey(secretKey: Buffer): Buffer {
  return Buffer.from(hkdfSync('sha256', secretKey, Buffer.alloc(0), 'rasso oidc transaction v1', 32));
}

export function sealTransaction(transaction: OidcTransaction, secretKey: Buffer): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', transactionKey(secretKey), iv);
  const sealed = Buffer.concat([cipher.update(JSON.stringify(transaction), 'utf8'), cipher.final()]);
  return ['v1', iv.toString('base64url'), sealed.toString('base64url'), cipher.getAuthTag().toString('base64url')].join('.');
}

/** The transaction, or null when the value was not sealed by this platform, is malformed or has expired. */
export function unsealTransaction(value: string | undefined, secretKey: Buffer, now: Date): OidcTransaction | null {
  const [version, iv, data, tag, ...rest] = (value ?? '').split('.');
  if (version !== 'v1' || !iv || !data || !tag || rest.length > 0) return null;
  try {
    const decipher = createDecipheriv('aes-256-gcm', transactionKey(secretKey), Buffer.from(iv, 'base64url'));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    const parsed = JSON.parse(Buffer.concat([decipher.update(Buffer.from(data, 'base64url')), decipher.final()]).toString('utf8')) as Partial<OidcTransaction>;
    const { state, nonce, codeVerifier, next, expiresAt } = parsed;
    if (typeof state !== 'string' || typeof nonce !== 'string' || typeof codeVerifier !== 'string' || typeof next !== 'string' || typeof expiresAt !== 'number') return null;
    return expiresAt > now.getTime() ? { state, nonce, codeVerifier, next, expiresAt } : null;
  } catch {
    return null;
  }
}

/** Why openid-client refused a response, for the audit journal (never the claims themselves). */
function failureReason(error: unknown): OidcFailureReason {
  if (error instanceof client.AuthorizationResponseError) return 'provider-error';
  if (error instanceof client.ResponseBodyError) return error.status >= 500 ? 'provider-unavailable' : 'token-refused';
  if (error instanceof TypeError || (error instanceof DOMException && ['TimeoutError', 'AbortError'].includes(error.name))) return 'provider-unavailable';
  if (!(error instanceof client.ClientError)) return 'invalid-response';
  if (error.code === 'OAUTH_RESPONSE_IS_NOT_CONFORM') return 'provider-unavailable';
  const inner = error.cause as { message?: string; cause?: { claim?: unknown } } | undefined;
  if (error.code === 'OAUTH_JWT_TIMESTAMP_CHECK_FAILED') return 'expired';
  const subject = typeof inner?.cause?.claim === 'string' ? `"${inner.cause.claim}"` : (inner?.message ?? '');
  if (/signature/i.test(subject)) return 'signature';
  if (subject.includes('"state"')) return 'state';
  if (subject.includes('"nonce"')) return 'nonce';
  if (subject.includes('"iss"')) return 'issuer';
  if (subject.includes('"aud"') || subject.includes('"azp"')) return 'audience';
  return 'invalid-response';
}

/**
 * The email address the provider vouches for, if any. Entra ID does not send
 * `email_verified`; it sends `xms_edov` (the email's domain is verified by the
 * tenant) when that optional claim is configured.
 */
function verifiedEmail(claims: client.IDToken): string | undefined {
  if (typeof claims.email !== 'string' || claims.email === '') return undefined;
  return claims.email_verified === true || claims.xms_edov === true ? normaliseEmail(claims.email) : undefined;
}

export function createOidcSignIn(platform: Platform, auth: AuthService) {
  const { config, db, audit, clock } = platform;
  const settings = config.oidc;
  if (!settings) throw new Error('OpenID Connect is not configured');
  const redirectUri = `${config.baseUrl}${OIDC_CALLBACK_PATH}`;

  // Discovered on first use and kept; forgotten on failure, so a provider
  // that was down at start-up is found again once it is back.
  let discovered: Promise<client.Configuration> | undefined;
  const provider = (): Promise<client.Configuration> => {
    discovered ??= discover().catch((error: unknown) => {
      discovered = undefined;
      throw error;
    });
    return discovered;
  };

  async function discover(): Promise<client.Configuration> {
    const issuer = new URL(settings!.issuer);
    // ID token signatures are checked against the provider's published keys
    // even though the token comes straight from its token endpoint over TLS:
    // a token is accepted only if the provider itself signed it.
    const execute = [client.enableNonRepudiationChecks];
    if (allowsInsecureIssuer(issuer, config.environment)) execute.push(client.allowInsecureRequests);
    const found = await client.discovery(issuer, settings!.clientId, settings!.clientSecret, undefined, { execute, timeout: PROVIDER_TIMEOUT_SECONDS });
    found.timeout = PROVIDER_TIMEOUT_SECONDS;
    return found;
  }

  async function fail(reason: OidcFailureReason, context: AuditContext, user?: UsersTable, detail?: string): Promise<OidcResult> {
    await audit.audited({ ...context, userId: user?.id ?? context.userId }, {
      action: 'sign-in',
      event: 'sign-in.oidc',
      outcome: 'failure',
      objectType: user ? 'user' : undefined,
      objectId: user?.id,
      subjects: user ? [user.id] : [],
      details: { reason, ...(detail ? { error: detail.slice(0, 100) } : {}) },
    }, async () => undefined);
    return { ok: false, reason };
  }

  /** Links the provider's identity to the person's account, once. */
  async function link(user: UsersTable, issuer: string, subject: string, context: AuditContext): Promise<UsersTable | undefined> {
    const now = clock.now().toISOString();
    return inTransaction(db, async (tx) => {
      if (!(await directory.updateUser(tx, user.id, user.version, { oidc_issuer: issuer, oidc_subject: subject, updated_at: now }))) return undefined;
      await audit.record(tx, { ...context, userId: user.id }, {
        action: 'alter',
        event: 'user.oidc-link',
        objectType: 'user',
        objectId: user.id,
        subjects: [user.id],
        details: { issuer },
      });
      return { ...user, oidc_issuer: issuer, oidc_subject: subject, updated_at: now, version: user.version + 1 };
    });
  }

  return {
    displayName: settings.displayName,

    /** Starts a sign-in: the address to send the browser to, and the sealed transaction it must bring back. */
    async begin(next: string, context: AuditContext): Promise<OidcStart> {
      let configuration: client.Configuration;
      try {
        configuration = await provider();
      } catch {
        await fail('provider-unavailable', context);
        return { ok: false, reason: 'provider-unavailable' };
      }
      const transaction: OidcTransaction = {
        state: client.randomState(),
        nonce: client.randomNonce(),
        codeVerifier: client.randomPKCECodeVerifier(),
        next,
        expiresAt: clock.now().getTime() + OIDC_TRANSACTION_LIFETIME_MS,
      };
      const url = client.buildAuthorizationUrl(configuration, {
        redirect_uri: redirectUri,
        scope: OIDC_SCOPES,
        state: transaction.state,
        nonce: transaction.nonce,
        code_challenge: await client.calculatePKCECodeChallenge(transaction.codeVerifier),
        code_challenge_method: 'S256',
      });
      return { ok: true, url, transaction: sealTransaction(transaction, config.secretKey) };
    },

    /**
     * Finishes a sign-in from the provider's redirect back to `callbackUrl`.
     * Every failure is recorded in the audit journal as a failed sign-in.
     */
    async complete(callbackUrl: URL, sealedTransaction: string | undefined, context: AuditContext): Promise<OidcResult> {
      const transaction = unsealTransaction(sealedTransaction, config.secretKey, clock.now());
      if (!transaction) return fail('no-transaction', context);
      let configuration: client.Configuration;
      let claims: client.IDToken | undefined;
      try {
        configuration = await provider();
        // Checks the state, the issuer of the response, then (at the token
        // endpoint) the PKCE verifier, and the ID token's signature, issuer,
        // audience, nonce and lifetime.
        const tokens = await client.authorizationCodeGrant(configuration, callbackUrl, {
          pkceCodeVerifier: transaction.codeVerifier,
          expectedState: transaction.state,
          expectedNonce: transaction.nonce,
          idTokenExpected: true,
        });
        claims = tokens.claims();
      } catch (error) {
        const reason = failureReason(error);
        const detail = error instanceof client.AuthorizationResponseError || error instanceof client.ResponseBodyError ? error.error : undefined;
        return fail(reason, context, undefined, detail);
      }
      if (!claims) return fail('invalid-response', context);

      const issuer = configuration.serverMetadata().issuer;
      let user = await directory.findUserByOidcIdentity(db, issuer, claims.sub);
      if (!user) {
        const email = verifiedEmail(claims);
        const candidate = email ? await directory.findUserByEmail(db, email) : undefined;
        if (!candidate || candidate.disabled_at || candidate.oidc_subject !== null) return fail('unknown-person', context, candidate);
        user = await link(candidate, issuer, claims.sub, context);
        if (!user) return fail('conflict', context, candidate);
      }
      if (user.disabled_at) return fail('disabled', context, user);
      // No second factor is asked for here: the identity provider is trusted
      // for it (Entra ID enforces multi-factor sign-in through the
      // organisation's Conditional Access policies).
      const token = await auth.signInWithIdentityProvider(user, context);
      return { ok: true, token, next: transaction.next };
    },
  };
}
