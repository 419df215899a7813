// Time-based one-time passwords (RFC 6238) for multi-factor sign-in. Secrets
// are sealed at rest with AES-256-GCM under the platform's secret key; a code
// is accepted once only, by remembering the last time step used.
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { Secret, TOTP } from 'otpauth';
import QRCode from 'qrcode';

const PERIOD_SECONDS = 30;
const ISSUER = 'RASSO joint case platform';

function sealingKey(secretKey: Buffer): Buffer {
  return createHash('sha256').update('totp-seal:').update(secretKey).digest();
}

export function sealSecret(base32: string, secretKey: Buffer): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', sealingKey(secretKey), iv);
  const sealed = Buffer.concat([cipher.update(base32, 'utf8'), cipher.final()]);
  return ['v1', iv.toString('base64url'), sealed.toString('base64url'), cipher.getAuthTag().toString('base64url')].join('.');
}

export function unsealSecret(sealed: string, secretKey: Buffer): string {
  const [version, iv, data, tag] = sealed.split('.');
  if (version !== 'v1' || !iv || !data || !tag) throw new Error('Unrecognised sealed secret');
  const decipher = createDecipheriv('aes-256-gcm', sealingKey(secretKey), Buffer.from(iv, 'base64url'));
  decipher.setAuthTag(Buffer.from(tag, 'base64url'));
  return Buffer.concat([decipher.update(Buffer.from(data, 'base64url')), decipher.final()]).toString('utf8');
}

export function newTotpSecret(): string {
  return new Secret({ size: 20 }).base32;
}

function totpFor(base32: string, label: string): TOTP {
  return new TOTP({ issuer: ISSUER, label, algorithm: 'SHA1', digits: 6, period: PERIOD_SECONDS, secret: Secret.fromBase32(base32) });
}

/** The code an authenticator app shows at `at` (used by tests and the demo guide). */
export function totpCode(base32: string, at: Date): string {
  return totpFor(base32, 'code').generate({ timestamp: at.getTime() });
}

/**
 * Checks a code, allowing one step of clock drift either way. Returns the time
 * step the code belongs to, or null when the code is wrong or that step (or
 * an earlier one) was already used.
 */
export function verifyTotp(base32: string, code: string, at: Date, lastUsedStep: number | null): number | null {
  const cleaned = code.replace(/[\s-]/g, '');
  if (!/^\d{6}$/.test(cleaned)) return null;
  const delta = totpFor(base32, 'verify').validate({ token: cleaned, timestamp: at.getTime(), window: 1 });
  if (delta === null) return null;
  const step = Math.floor(at.getTime() / 1000 / PERIOD_SECONDS) + delta;
  if (lastUsedStep !== null && step <= lastUsedStep) return null;
  return step;
}

export interface Enrolment {
  readonly uri: string;
  readonly qrSvg: string;
  /** The secret in groups of four, for typing into an app by hand. */
  readonly manualKey: string;
}

export async function enrolment(base32: string, email: string): Promise<Enrolment> {
  const uri = totpFor(base32, email).toString();
  const qrSvg = await QRCode.toString(uri, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 });
  return { uri, qrSvg, manualKey: base32.replace(/(.{4})/g, '$1 ').trim() };
}
