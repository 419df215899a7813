import { test } from 'node:test';
import assert from 'node:assert/strict';
import { hashPassword, passwordProblem, verifyPassword } from './password.ts';

const person = { email: 'sam.jones@force.police.uk', displayName: 'Sam Jones' };

test('a hashed password verifies, and a wrong one does not', async () => {
  const hash = await hashPassword('correct horse battery staple');
  assert.match(hash, /^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
  assert.equal(await verifyPassword('correct horse battery staple', hash), true);
  assert.equal(await verifyPassword('correct horse battery stapler', hash), false);
});

test('two hashes of one password differ (random salt)', async () => {
  assert.notEqual(await hashPassword('plum velvet harbour'), await hashPassword('plum velvet harbour'));
});

test('an account with no password never verifies', async () => {
  assert.equal(await verifyPassword('anything at all here', null), false);
});

test('password rules follow NCSC advice', () => {
  assert.match(passwordProblem('short', person) ?? '', /at least 12/);
  assert.match(passwordProblem('passwordpassword', person) ?? '', /too common/);
  assert.match(passwordProblem('aaaaaaaaaaaaaaa', person) ?? '', /too common/);
  assert.match(passwordProblem('sam.jones is here', person) ?? '', /name or email/);
  assert.match(passwordProblem('my name is jones ok', person) ?? '', /name or email/);
  assert.equal(passwordProblem('plum velvet harbour', person), null);
  assert.equal(passwordProblem('no uppercase or digits needed at all', person), null);
});
