// Sign-in pages for OpenID Connect: the button on the sign-in page posts
// here, the browser goes to the identity provider and comes back to the
// callback, which opens a session exactly as the password journey does.
import type { FastifyInstance, FastifyReply } from 'fastify';
import { allow } from '../access/policy.ts';
import { translate } from '../i18n/messages.ts';
import type { Platform } from '../platform.ts';
import { formString } from '../web/forms.ts';
import { cookieNames, cookieOptions } from '../web/identity.ts';
import { OIDC_CALLBACK_PATH, OIDC_TRANSACTION_LIFETIME_MS, createOidcSignIn } from './oidc.ts';
import type { OidcFailureReason } from './oidc.ts';
import type { AuthService } from './service.ts';
import { safeNext } from './web.ts';

function failureMessage(reason: OidcFailureReason): { key: string; status: number } {
  switch (reason) {
    case 'unknown-person':
    case 'disabled':
      return { key: 'oidc.error.noAccount', status: 403 };
    case 'provider-unavailable':
      return { key: 'oidc.error.unavailable', status: 503 };
    default:
      return { key: 'oidc.error.failed', status: 400 };
  }
}

export function registerOidcSignIn(app: FastifyInstance, platform: Platform, auth: AuthService): void {
  if (!platform.config.oidc) return;
  const oidc = createOidcSignIn(platform, auth);
  const secure = platform.config.secureCookies;
  const sessionCookie = cookieNames(secure).session;
  // Named like the platform's other cookies: __Host- bound to this origin over HTTPS.
  const transactionCookie = secure ? '__Host-rasso-oidc' : 'rasso-oidc';
  const signInLimit = { rateLimit: { max: platform.config.signInRateLimit, timeWindow: '1 minute' } };

  const showFailure = (reply: FastifyReply, reason: OidcFailureReason, next = '/') => {
    const { key, status } = failureMessage(reason);
    return reply.code(status).render('sign-in.njk', {
      pageTitle: 'Sign in',
      errors: [{ text: translate(key, { provider: oidc.displayName }) }],
      values: {},
      next: safeNext(next),
      oidcEnabled: true,
      oidcName: oidc.displayName,
    });
  };

  app.post('/sign-in/oidc', { config: { policy: allow.public, audit: 'none', ...signInLimit } }, async (request, reply) => {
    if (request.actor) return reply.redirect('/', 303);
    const next = safeNext(formString(request.body, 'next'));
    const started = await oidc.begin(next, request.auditContext);
    if (!started.ok) return showFailure(reply, started.reason, next);
    // SameSite=Lax still sends the cookie on the provider's top-level redirect back.
    reply.setCookie(transactionCookie, started.transaction, { ...cookieOptions(secure), maxAge: OIDC_TRANSACTION_LIFETIME_MS / 1000 });
    return reply.redirect(started.url.href, 303);
  });

  app.get(OIDC_CALLBACK_PATH, { config: { policy: allow.public, audit: 'none', ...signInLimit } }, async (request, reply) => {
    // The address the provider redirected to, as registered with it: built
    // from the configured base URL, never from the request's Host header.
    const callbackUrl = new URL(request.url, platform.config.baseUrl);
    const result = await oidc.complete(callbackUrl, request.cookies[transactionCookie], request.auditContext);
    reply.clearCookie(transactionCookie, cookieOptions(secure));
    if (!result.ok) return showFailure(reply, result.reason);
    reply.setCookie(sessionCookie, result.token, cookieOptions(secure));
    return reply.redirect(safeNext(result.next), 303);
  });
}
