import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { enrolment, newTotpSecret, sealSecret, totpCode, unsealSecret, verifyTotp } from './totp.ts';

const at = new Date('2026-03-01T10:00:15Z');

test('a current code verifies once and is then refused (no replay)', () => {
  const secret = newTotpSecret();
  const step = verifyTotp(secret, totpCode(secret, at), at, null);
  assert.notEqual(step, null);
  assert.equal(verifyTotp(secret, totpCode(secret, at), at, step), null);
});

test('a code from the previous 30 seconds is allowed for clock drift, older ones are not', () => {
  const secret = newTotpSecret();
  assert.notEqual(verifyTotp(secret, totpCode(secret, new Date(at.getTime() - 30_000)), at, null), null);
  assert.equal(verifyTotp(secret, totpCode(secret, new Date(at.getTime() - 90_000)), at, null), null);
});

test('malformed and wrong codes are refused', () => {
  const secret = newTotpSecret();
  assert.equal(verifyTotp(secret, 'abcdef', at, null), null);
  assert.equal(verifyTotp(secret, '12345', at, null), null);
  const wrong = String((Number(totpCode(secret, at)) + 1) % 1_000_000).padStart(6, '0');
  assert.equal(verifyTotp(secret, wrong, at, null), null);
});

test('sealed secrets round-trip and resist tampering', () => {
  const key = randomBytes(32);
  const secret = newTotpSecret();
  const sealed = sealSecret(secret, key);
  assert.ok(!sealed.includes(secret));
  assert.equal(unsealSecret(sealed, key), secret);
  assert.throws(() => unsealSecret(sealed, randomBytes(32)));
  const parts = sealed.split('.');
  parts[2] = Buffer.from('tampered').toString('base64url');
  assert.throws(() => unsealSecret(parts.join('.'), key));
});

test('enrolment gives a QR code and a key to type', async () => {
  const secret = newTotpSecret();
  const result = await enrolment(secret, 'sam@example.police.uk');
  assert.match(result.uri, /^otpauth:\/\/totp\//);
  assert.match(result.qrSvg, /^<svg/);
  assert.equal(result.manualKey.replaceAll(' ', ''), secret);
});
