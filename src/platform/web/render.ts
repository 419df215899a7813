// Page rendering: the platform shell (navigation, organisation, marking,
// timeout warning) around each page's own view model.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type nunjucks from 'nunjucks';
import { hasPermission } from '../access/policy.ts';
import { IDLE_TIMEOUT_MS } from '../auth/model.ts';
import type { AuthService } from '../auth/service.ts';
import { translate } from '../i18n/messages.ts';
import type { Platform } from '../platform.ts';
import { csrfTokenFor } from './identity.ts';
import './fastify-types.ts';

interface NavigationItem {
  href: string;
  text: string;
  active?: boolean;
}

function navigationFor(request: FastifyRequest): NavigationItem[] {
  const actor = request.actor;
  if (!actor) return [];
  const items: NavigationItem[] = [{ href: '/', text: translate('nav.home') }];
  const { organisationKind } = actor.organisation;
  if (organisationKind === 'police_force' || organisationKind === 'cps_area') items.push({ href: '/cases', text: translate('nav.cases') });
  items.push({ href: '/notifications', text: translate('nav.notifications') });
  if (hasPermission(actor, 'directory.manage')) items.push({ href: '/admin/organisations', text: translate('nav.admin') });
  if (hasPermission(actor, 'audit.read')) items.push({ href: '/audit', text: translate('nav.audit') });
  items.push({ href: '/account', text: translate('nav.account') });
  items.push({ href: '/sign-out', text: translate('nav.signOut') });
  const path = request.url.split('?')[0] ?? '/';
  const current = items.filter((item) => item.href === '/' ? path === '/' : path.startsWith(item.href)).at(-1);
  return items.map((item) => (item === current ? { ...item, active: true } : item));
}

export function registerRendering(app: FastifyInstance, platform: Platform, views: nunjucks.Environment, auth: AuthService): void {
  app.decorateReply('render', async function render(this: FastifyReply, template: string, model: Record<string, unknown> = {}) {
    const request = this.request;
    const actor = request.actor;
    const flash = request.session?.flash ?? null;
    if (flash && request.session) await auth.setFlash(request.session, null);
    const html = views.render(template, {
      ...model,
      flash,
      cspNonce: this.cspNonce?.script,
      csrfToken: csrfTokenFor(request, this, platform.config.secureCookies),
      shell: {
        user: actor ? { displayName: actor.displayName } : null,
        organisation: actor
          ? { name: actor.organisation.organisationName, canSwitch: actor.memberships.length > 1 }
          : null,
        navigation: navigationFor(request),
        idleSeconds: IDLE_TIMEOUT_MS / 1000,
      },
    });
    return this.type('text/html; charset=utf-8').send(html);
  });
}
