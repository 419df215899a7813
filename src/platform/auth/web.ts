// Sign-in pages: email and password, then a code from an authenticator app
// (set up on first sign-in), organisation switching, timeout and sign-out.
import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { allow } from '../access/policy.ts';
import { roles } from '../access/roles.ts';
import type { Platform } from '../platform.ts';
import { cookieNames, cookieOptions } from '../web/identity.ts';
import { fieldErrors, formString } from '../web/forms.ts';
import type { FieldError } from '../web/errors.ts';
import type { AuthService } from './service.ts';
import { enrolment } from './totp.ts';

/** Only same-site paths are followed after sign-in, never another origin. */
export function safeNext(value: unknown): string {
  return typeof value === 'string' && /^\/(?![/\\])[^\s]*$/.test(value) && !value.startsWith('/sign-') ? value : '/';
}

export async function registerAuthPages(app: FastifyInstance, platform: Platform, auth: AuthService, oidcEnabled: boolean): Promise<void> {
  const secure = platform.config.secureCookies;
  const names = cookieNames(secure);
  await app.register(rateLimit, { global: false });
  // Per address: generous for a shared office, tight for a script guessing passwords.
  const signInLimit = { rateLimit: { max: platform.config.signInRateLimit, timeWindow: '1 minute' } };

  const setSessionCookie = (reply: FastifyReply, token: string) => reply.setCookie(names.session, token, cookieOptions(secure));

  const showSignIn = (request: FastifyRequest, reply: FastifyReply, errors: FieldError[] = [], values: Record<string, string> = {}) => {
    const query = request.query as Record<string, string | undefined>;
    return reply.code(errors.length ? 400 : 200).render('sign-in.njk', {
      pageTitle: 'Sign in',
      errors: fieldErrors(errors),
      values,
      next: safeNext(query.next ?? values.next),
      timedOut: query.timeout === '1',
      signedOut: query.signedOut === '1',
      oidcEnabled,
      oidcName: platform.config.oidc?.displayName,
    });
  };

  app.get('/sign-in', { config: { policy: allow.public, audit: 'none' } }, async (request, reply) => {
    if (request.actor) return reply.redirect('/', 303);
    return showSignIn(request, reply);
  });

  app.post('/sign-in', { config: { policy: allow.public, audit: 'none', ...signInLimit } }, async (request, reply) => {
    const email = formString(request.body, 'email');
    const password = formString(request.body, 'password', { trim: false });
    const next = safeNext(formString(request.body, 'next'));
    const errors: FieldError[] = [];
    if (!email) errors.push({ field: 'email', message: 'Enter your email address' });
    if (!password) errors.push({ field: 'password', message: 'Enter your password' });
    if (errors.length) return showSignIn(request, reply, errors, { email, next });
    const result = await auth.signInWithPassword(email, password, request.auditContext);
    if (!result.ok) {
      const message = result.reason === 'locked'
        ? 'Too many attempts to sign in. Wait 15 minutes and try again, or ask your administrator for help'
        : 'Enter a correct email address and password';
      return showSignIn(request, reply, [{ field: 'email', message }], { email, next });
    }
    setSessionCookie(reply, result.token);
    const step = result.stage === 'mfa_enrolment' ? '/sign-in/set-up-authenticator' : '/sign-in/code';
    return reply.redirect(`${step}?next=${encodeURIComponent(next)}`, 303);
  });

  const showCode = (request: FastifyRequest, reply: FastifyReply, errors: FieldError[] = []) =>
    reply.code(errors.length ? 400 : 200).render('code.njk', {
      pageTitle: 'Enter the code from your authenticator app',
      errors: fieldErrors(errors),
      next: safeNext((request.query as Record<string, string>).next),
    });

  app.get('/sign-in/code', { config: { policy: allow.signingIn, audit: 'none' } }, async (request, reply) => {
    if (request.session?.stage === 'mfa_enrolment') return reply.redirect('/sign-in/set-up-authenticator', 303);
    if (request.actor) return reply.redirect('/', 303);
    return showCode(request, reply);
  });

  const acceptCode = async (request: FastifyRequest, reply: FastifyReply, onError: (errors: FieldError[]) => Promise<FastifyReply>) => {
    const code = formString(request.body, 'code');
    const session = request.session;
    if (!session || session.stage === 'active') return reply.redirect('/', 303);
    if (!code) return onError([{ field: 'code', message: 'Enter the 6-digit code from your authenticator app' }]);
    const result = await auth.verifyCode(session, code, request.auditContext);
    if (!result.ok) {
      if (result.reason === 'expired') return reply.redirect('/sign-in', 303);
      const message = result.reason === 'locked'
        ? 'Too many attempts to sign in. Wait 15 minutes and try again, or ask your administrator for help'
        : 'The code is not correct or has already been used. Enter the newest code from your authenticator app';
      return onError([{ field: 'code', message }]);
    }
    setSessionCookie(reply, result.token);
    return reply.redirect(safeNext(formString(request.body, 'next')), 303);
  };

  app.post('/sign-in/code', { config: { policy: allow.signingIn, audit: 'none', ...signInLimit } }, async (request, reply) =>
    acceptCode(request, reply, (errors) => showCode(request, reply, errors)));

  const showEnrolment = async (request: FastifyRequest, reply: FastifyReply, errors: FieldError[] = []) => {
    const { secret, email } = await auth.beginEnrolment(request.session!);
    const details = await enrolment(secret, email);
    return reply.code(errors.length ? 400 : 200).render('set-up-authenticator.njk', {
      pageTitle: 'Set up your authenticator app',
      errors: fieldErrors(errors),
      qrSvg: details.qrSvg,
      manualKey: details.manualKey,
      next: safeNext((request.query as Record<string, string>).next),
    });
  };

  app.get('/sign-in/set-up-authenticator', { config: { policy: allow.signingIn, audit: 'none' } }, async (request, reply) => {
    if (request.session?.stage !== 'mfa_enrolment') return reply.redirect('/', 303);
    return showEnrolment(request, reply);
  });

  app.post('/sign-in/set-up-authenticator', { config: { policy: allow.signingIn, audit: 'none', ...signInLimit } }, async (request, reply) => {
    // Only a person still enrolling has a set-up page to come back to.
    if (request.session?.stage !== 'mfa_enrolment') return reply.redirect(request.actor ? '/' : '/sign-in/code', 303);
    return acceptCode(request, reply, (errors) => showEnrolment(request, reply, errors));
  });

  app.get('/sign-out', { config: { policy: allow.signingIn, audit: 'none' } }, async (_request, reply) =>
    reply.render('sign-out.njk', { pageTitle: 'Sign out' }));

  app.post('/sign-out', { config: { policy: allow.signingIn, audit: 'required' } }, async (request, reply) => {
    const everywhere = formString(request.body, 'everywhere') === 'yes';
    if (everywhere) await auth.signOutEverywhere(request.session!.userId, request.auditContext);
    else await auth.signOut(request.session!, request.auditContext);
    reply.clearCookie(names.session, cookieOptions(secure));
    return reply.redirect('/sign-in?signedOut=1', 303);
  });

  app.post('/session/extend', { config: { policy: allow.signedIn, audit: 'none' } }, async (request, reply) => {
    await auth.extendSession(request.session!);
    if ((request.headers.accept ?? '').includes('application/json')) return reply.send({ extended: true });
    // Back to the page the person was on; a missing or malformed Referer means the home page.
    return reply.redirect(safeNext(URL.parse(request.headers.referer ?? '')?.pathname), 303);
  });

  app.get('/account', { config: { policy: allow.signedIn, audit: 'none' } }, async (request, reply) =>
    reply.render('account.njk', {
      pageTitle: 'Your account',
      rows: [
        { key: { text: 'Name' }, value: { text: request.actor!.displayName } },
        { key: { text: 'Email address' }, value: { text: request.actor!.email } },
        ...request.actor!.memberships.map((m) => ({
          key: { text: m.organisationName },
          value: { text: m.roles.map((role) => roles[role].name).join(', ') || 'No role' },
        })),
      ],
    }));

  app.get('/account/organisation', { config: { policy: allow.signedIn, audit: 'none' } }, async (request, reply) =>
    reply.render('organisation.njk', {
      pageTitle: 'Choose an organisation',
      items: request.actor!.memberships.map((m) => ({
        value: m.organisationId,
        text: m.organisationName,
        checked: m.organisationId === request.actor!.organisation.organisationId,
      })),
    }));

  app.post('/account/organisation', { config: { policy: allow.signedIn, audit: 'required' } }, async (request, reply) => {
    const organisationId = formString(request.body, 'organisation');
    if (!(await auth.switchOrganisation(request.session!, organisationId, request.auditContext))) {
      return reply.code(400).render('organisation.njk', {
        pageTitle: 'Choose an organisation',
        errors: fieldErrors([{ field: 'organisation', message: 'Select the organisation you are working for' }]),
        items: request.actor!.memberships.map((m) => ({ value: m.organisationId, text: m.organisationName })),
      });
    }
    return reply.redirect('/', 303);
  });
}
