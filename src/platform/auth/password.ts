// Passwords: Argon2id hashes (Node's own implementation) in PHC string form,
// and the NCSC's advice for choosing them: long passphrases, a deny-list of
// common passwords, no composition rules and no forced expiry.
import { argon2, randomBytes, timingSafeEqual } from 'node:crypto';
import { promisify } from 'node:util';
import { dictionary } from '@zxcvbn-ts/language-common';

const argon2Async = promisify(argon2);

// OWASP's recommended minimum for Argon2id: 19 MiB, 2 passes, 1 lane.
const PARAMETERS = { memory: 19_456, passes: 2, parallelism: 1, tagLength: 32 } as const;

export const MIN_LENGTH = 12;
export const MAX_LENGTH = 256;

const commonPasswords = new Set(dictionary['passwords-common'] as string[]);

async function derive(password: string, salt: Buffer, p: { memory: number; passes: number; parallelism: number; tagLength: number }): Promise<Buffer> {
  return argon2Async('argon2id', { message: password, nonce: salt, ...p });
}

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const hash = await derive(password, salt, PARAMETERS);
  const { memory, passes, parallelism } = PARAMETERS;
  return `$argon2id$v=19$m=${memory},t=${passes},p=${parallelism}$${salt.toString('base64url')}$${hash.toString('base64url')}`;
}

const PHC = /^\$argon2id\$v=19\$m=(\d+),t=(\d+),p=(\d+)\$([A-Za-z0-9_-]+)\$([A-Za-z0-9_-]+)$/;

// A fixed hash to check against when the account does not exist, so that the
// response takes as long as for a real account (no user enumeration by timing).
const DUMMY_HASH = '$argon2id$v=19$m=19456,t=2,p=1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA';

export async function verifyPassword(password: string, stored: string | null): Promise<boolean> {
  const match = PHC.exec(stored ?? DUMMY_HASH);
  if (!match) return false;
  const [, memory, passes, parallelism, salt, expected] = match;
  const expectedBytes = Buffer.from(expected!, 'base64url');
  const actual = await derive(password, Buffer.from(salt!, 'base64url'), {
    memory: Number(memory),
    passes: Number(passes),
    parallelism: Number(parallelism),
    tagLength: expectedBytes.length,
  });
  return stored !== null && timingSafeEqual(actual, expectedBytes);
}

/** Returns the reason a new password is not acceptable, or null if it is. */
export function passwordProblem(password: string, context: { email: string; displayName: string }): string | null {
  const length = [...password].length;
  if (length < MIN_LENGTH) return `Enter a password of at least ${MIN_LENGTH} characters. Three random words make a strong one`;
  if (length > MAX_LENGTH) return `Enter a password of ${MAX_LENGTH} characters or fewer`;
  const lowered = password.toLowerCase();
  if (commonPasswords.has(lowered) || new Set(lowered).size < 4) {
    return 'This password is too common and easy to guess. Choose another, such as three random words';
  }
  const localPart = context.email.toLowerCase().split('@')[0] ?? '';
  const names = context.displayName.toLowerCase().split(/\s+/).filter((n) => n.length >= 3);
  if ((localPart.length >= 3 && lowered.includes(localPart)) || names.some((n) => lowered.includes(n))) {
    return 'Your password must not contain your name or email address';
  }
  return null;
}
