import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigError, loadConfig } from './config.ts';

const productionBase = {
  NODE_ENV: 'production',
  SECRET_KEY: 'a'.repeat(64),
  BASE_URL: 'https://rasso.example.gov.uk',
  DEMO: 'false',
};

test('development defaults: SQLite, demo on, secure cookies', () => {
  const config = loadConfig({});
  assert.equal(config.environment, 'development');
  assert.equal(config.databaseUrl, undefined);
  assert.match(config.sqlitePath, /data\/rasso\.sqlite$/);
  assert.equal(config.demo, true);
  assert.equal(config.secureCookies, true);
  assert.equal(config.port, 3000);
});

test('a production configuration that is safe is accepted', () => {
  const config = loadConfig(productionBase);
  assert.equal(config.demo, false);
  assert.equal(config.secretKey.length, 32);
});

test('production refuses demo mode, the demo key, plain HTTP and insecure cookies, naming each', () => {
  const error = (() => {
    try {
      loadConfig({ NODE_ENV: 'production', DEMO: 'true', BASE_URL: 'http://rasso.example', SECURE_COOKIES: 'false' });
    } catch (e) {
      return e;
    }
    return undefined;
  })();
  assert.ok(error instanceof ConfigError);
  for (const name of ['SECRET_KEY', 'DEMO', 'BASE_URL', 'SECURE_COOKIES']) assert.match(error.message, new RegExp(name));
  assert.throws(() => loadConfig({ ...productionBase, SECRET_KEY: 'demo-only-secret-key-never-use-in-production-0000' }), /demo key/);
});

test('bad values fail fast with the variable named', () => {
  assert.throws(() => loadConfig({ PORT: 'eighty' }), /PORT must be a whole number/);
  assert.throws(() => loadConfig({ NODE_ENV: 'staging' }), /NODE_ENV must be one of/);
  assert.throws(() => loadConfig({ DEMO: 'maybe' }), /DEMO must be true or false/);
  assert.throws(() => loadConfig({ SECRET_KEY: 'short' }), /at least 32 bytes/);
  assert.throws(() => loadConfig({ OIDC_ISSUER: 'https://login.example/tenant/v2.0' }), /OIDC_CLIENT_ID is required/);
});
