// Who is asking, and may they: the session cookie or API bearer token is
// resolved to an actor, every route's declared policy is enforced, CSRF
// tokens are checked on every state change, and routes that must audit are
// held to it.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import cookie from '@fastify/cookie';
import type { FastifyInstance, FastifyReply, FastifyRequest, RouteOptions } from 'fastify';
import { decideRoute } from '../access/policy.ts';
import type { AuthService } from '../auth/service.ts';
import type { Platform } from '../platform.ts';
import { Problem } from './errors.ts';
import './fastify-types.ts';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export interface CookieNames {
  readonly session: string;
  readonly csrf: string;
}

export function cookieNames(secure: boolean): CookieNames {
  // The __Host- prefix binds a cookie to this exact origin over HTTPS.
  return secure ? { session: '__Host-rasso-session', csrf: '__Host-rasso-csrf' } : { session: 'rasso-session', csrf: 'rasso-csrf' };
}

export function cookieOptions(secure: boolean) {
  return { path: '/', httpOnly: true, secure, sameSite: 'lax' } as const;
}

export const isApiRequest = (request: FastifyRequest): boolean => request.url.startsWith('/api/');

export async function registerIdentity(app: FastifyInstance, platform: Platform, auth: AuthService): Promise<void> {
  const secure = platform.config.secureCookies;
  const names = cookieNames(secure);
  await app.register(cookie);

  // A route without a policy or an audit declaration is a bug: refuse to start.
  // Checked once all plugins have had their say (a plugin may fill in config).
  const routes: RouteOptions[] = [];
  app.addHook('onRoute', (route) => {
    routes.push(route);
  });
  app.addHook('onReady', async () => {
    const missing = routes.filter((route) => !route.config?.policy || !route.config.audit).map((route) => `${String(route.method)} ${route.url}`);
    if (missing.length > 0) throw new Error(`Routes without an access policy or audit declaration: ${missing.join(', ')}`);
  });

  app.decorateRequest('actor', null);
  app.decorateRequest('session', null);
  app.decorateRequest('auditContext', null as never);
  app.decorateRequest('admitted', false);

  app.addHook('onRequest', async (request, reply) => {
    const bearer = /^Bearer (\S+)$/.exec(request.headers.authorization ?? '')?.[1];
    if (bearer && isApiRequest(request)) {
      request.actor = await auth.actorForToken(bearer);
      if (!request.actor) throw new Problem('unauthenticated', 'The API token is not valid, has expired or has been revoked');
    } else {
      const token = request.cookies[names.session];
      if (token) {
        request.session = await auth.loadSession(token);
        if (request.session) request.actor = await auth.actorForSession(request.session);
        else reply.clearCookie(names.session, cookieOptions(secure));
      }
    }
    const actor = request.actor;
    request.auditContext = {
      userId: actor?.userId ?? request.session?.userId ?? null,
      organisationId: actor?.organisation.organisationId ?? null,
      role: actor?.organisation.roles.join(' ') || null,
      requestId: request.id,
      written: { count: 0 },
    };

    const policy = request.routeOptions.config.policy;
    if (!policy) return; // unmatched routes reach the not-found handler
    const signingIn = request.session !== null && request.session.stage !== 'active';
    const decision = decideRoute(policy, request.actor, signingIn);
    if (decision === 'sign-in') {
      if (isApiRequest(request)) throw new Problem('unauthenticated', 'Send an API token in the Authorization header');
      return reply.redirect(request.method === 'GET' ? `/sign-in?next=${encodeURIComponent(request.url)}` : '/sign-in', 303);
    }
    if (decision === 'forbidden') {
      await platform.audit.audited(request.auditContext, { action: 'deny', event: 'route.forbidden', outcome: 'denied', details: { route: request.routeOptions.url ?? '', method: request.method } }, async () => undefined);
      throw new Problem('forbidden');
    }
    request.admitted = true;
  });

  // CSRF: a state change must carry the token of the session it comes from
  // (or, before sign-in, the token in the pre-session cookie). Tokens are
  // read from the form body or a header, never from the query string.
  app.addHook('preValidation', async (request) => {
    if (SAFE_METHODS.has(request.method)) return;
    if (request.actor?.via === 'token') return; // bearer tokens are not sent by browsers on their own
    const sent = submittedCsrfToken(request);
    const expected = request.session?.csrfToken ?? request.cookies[names.csrf];
    if (!sent || !expected || !equal(sent, expected)) {
      throw new Problem('csrf', 'The request did not carry a valid CSRF token');
    }
  });

  // A route that declares it handles personal data must have written an audit entry.
  app.addHook('onSend', async (request, reply, payload) => {
    // Only a handler that ran can have audited: refusals and sign-in redirects are not its answer.
    if (!request.admitted || request.routeOptions.config.audit !== 'required' || reply.statusCode >= 400) return payload;
    if (request.auditContext.written.count > 0) return payload;
    request.log.error({ route: request.routeOptions.url }, 'route answered without writing its audit entry; response withheld');
    reply.code(503).type('application/problem+json');
    return JSON.stringify({ type: 'urn:rasso:problem:audit-unavailable', title: 'Service unavailable', status: 503 });
  });
}

/** The CSRF token a form or script should send, creating the pre-session cookie for signed-out forms. */
export function csrfTokenFor(request: FastifyRequest, reply: FastifyReply, secure: boolean): string {
  if (request.session) return request.session.csrfToken;
  const names = cookieNames(secure);
  const existing = request.cookies[names.csrf];
  if (existing && /^[A-Za-z0-9_-]{43}$/.test(existing)) return existing;
  const token = randomBytes(32).toString('base64url');
  reply.setCookie(names.csrf, token, cookieOptions(secure));
  request.cookies[names.csrf] = token;
  return token;
}

function submittedCsrfToken(request: FastifyRequest): string | undefined {
  const header = request.headers['x-csrf-token'];
  if (typeof header === 'string') return header;
  const body = request.body as Record<string, unknown> | undefined;
  return typeof body?._csrf === 'string' ? body._csrf : undefined;
}

function equal(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}
