// Environment -> typed configuration. Fails at start-up, naming the variable,
// rather than running with a value it does not understand.
import { resolve } from 'node:path';

export interface Config {
  readonly environment: 'development' | 'test' | 'production';
  readonly host: string;
  readonly port: number;
  /** Public base URL, used for redirects from identity providers and links. */
  readonly baseUrl: string;
  readonly databaseUrl: string | undefined;
  readonly sqlitePath: string;
  /** Secret (32+ bytes, given as hex or as text) that seals TOTP secrets at rest and keys the audit chain. */
  readonly secretKey: Buffer;
  readonly demo: boolean;
  readonly logLevel: string;
  readonly secureCookies: boolean;
  readonly oidc: OidcConfig | undefined;
  readonly jobsEnabled: boolean;
  /** Sign-in attempts allowed per minute from one address. */
  readonly signInRateLimit: number;
}

export interface OidcConfig {
  readonly issuer: string;
  readonly clientId: string;
  readonly clientSecret: string;
  readonly displayName: string;
}

export class ConfigError extends Error {}

const DEMO_SECRET = 'demo-only-secret-key-never-use-in-production-0000';

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const problems: string[] = [];
  const environment = oneOf(env, 'NODE_ENV', ['development', 'test', 'production'] as const, 'development', problems);
  const production = environment === 'production';
  const port = integer(env, 'PORT', 3000, 0, 65535, problems);
  const host = env.HOST ?? '127.0.0.1';
  const baseUrl = (env.BASE_URL ?? `http://localhost:${port}`).replace(/\/$/, '');
  if (!/^https?:\/\/[^/]+$/.test(baseUrl)) problems.push('BASE_URL must be an origin such as https://rasso.example.gov.uk');
  const demo = boolean(env, 'DEMO', !production, problems);
  const secret = env.SECRET_KEY ?? (production ? undefined : DEMO_SECRET);
  if (!secret) problems.push('SECRET_KEY is required in production (for example 64 hex digits from: openssl rand -hex 32)');
  const secretKey = Buffer.from(secret ?? '', /^[0-9a-f]+$/i.test(secret ?? '') ? 'hex' : 'utf8');
  if (secret && secretKey.length < 32) problems.push('SECRET_KEY must be at least 32 bytes');
  const secureCookies = boolean(env, 'SECURE_COOKIES', true, problems);

  if (production) {
    if (demo) problems.push('DEMO must be off in production: demo accounts have published passwords');
    if (secret === DEMO_SECRET) problems.push('SECRET_KEY must not be the demo key in production');
    if (!baseUrl.startsWith('https://')) problems.push('BASE_URL must use https in production');
    if (!secureCookies) problems.push('SECURE_COOKIES cannot be turned off in production');
  }

  const oidc = oidcConfig(env, problems);
  const logLevel = oneOf(env, 'LOG_LEVEL', ['fatal', 'error', 'warn', 'info', 'debug', 'silent'] as const, 'info', problems);
  const jobsEnabled = boolean(env, 'JOBS', true, problems);
  const signInRateLimit = integer(env, 'SIGN_IN_RATE_LIMIT', 30, 1, 100_000, problems);

  if (problems.length > 0) throw new ConfigError(`Configuration is not valid:\n- ${problems.join('\n- ')}`);
  return {
    environment,
    host,
    port,
    baseUrl,
    databaseUrl: env.DATABASE_URL || undefined,
    sqlitePath: resolve(env.SQLITE_PATH ?? 'data/rasso.sqlite'),
    secretKey,
    demo,
    logLevel,
    secureCookies,
    oidc,
    jobsEnabled,
    signInRateLimit,
  };
}

function oidcConfig(env: NodeJS.ProcessEnv, problems: string[]): OidcConfig | undefined {
  const issuer = env.OIDC_ISSUER;
  if (!issuer) return undefined;
  const clientId = env.OIDC_CLIENT_ID;
  const clientSecret = env.OIDC_CLIENT_SECRET;
  if (!clientId) problems.push('OIDC_CLIENT_ID is required when OIDC_ISSUER is set');
  if (!clientSecret) problems.push('OIDC_CLIENT_SECRET is required when OIDC_ISSUER is set');
  return { issuer, clientId: clientId ?? '', clientSecret: clientSecret ?? '', displayName: env.OIDC_NAME ?? 'Microsoft Entra ID' };
}

function oneOf<T extends string>(env: NodeJS.ProcessEnv, name: string, allowed: readonly T[], fallback: T, problems: string[]): T {
  const value = env[name];
  if (value === undefined || value === '') return fallback;
  if ((allowed as readonly string[]).includes(value)) return value as T;
  problems.push(`${name} must be one of ${allowed.join(', ')} (got "${value}")`);
  return fallback;
}

function integer(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number, problems: string[]): number {
  const value = env[name];
  if (value === undefined || value === '') return fallback;
  const parsed = Number(value);
  if (Number.isInteger(parsed) && parsed >= min && parsed <= max) return parsed;
  problems.push(`${name} must be a whole number from ${min} to ${max} (got "${value}")`);
  return fallback;
}

function boolean(env: NodeJS.ProcessEnv, name: string, fallback: boolean, problems: string[]): boolean {
  const value = env[name];
  if (value === undefined || value === '') return fallback;
  if (['true', '1', 'yes', 'on'].includes(value)) return true;
  if (['false', '0', 'no', 'off'].includes(value)) return false;
  problems.push(`${name} must be true or false (got "${value}")`);
  return fallback;
}
