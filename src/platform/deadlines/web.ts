// A person's own notifications: what the deadline sweep (and later other
// modules) told them, newest first, with a way to mark them read.
import type { FastifyInstance } from 'fastify';
import { allow } from '../access/policy.ts';
import type { AuthService } from '../auth/service.ts';
import { isId } from '../db/ids.ts';
import { translate } from '../i18n/messages.ts';
import type { Platform } from '../platform.ts';
import { Problem } from '../web/errors.ts';
import { formStrings } from '../web/forms.ts';
import { markNotificationsRead, notificationsFor, NOTIFICATIONS_SHOWN } from './service.ts';

export const paths = {
  notifications: '/notifications',
  read: '/notifications/read',
} as const;

export function registerNotifications(app: FastifyInstance, platform: Platform, auth: AuthService): void {
  // The list is the person's own; it holds case references and deadline
  // steps, never anyone's personal details, so reading it is not journalled.
  app.get(paths.notifications, { config: { policy: allow.signedIn, audit: 'none' } }, async (request, reply) => {
    const notifications = await notificationsFor(platform.db, request.actor!.userId);
    return reply.render('notifications/notifications.njk', {
      pageTitle: translate('notifications.title'),
      notifications,
      unreadIds: notifications.filter((n) => n.readAt === null).map((n) => n.id),
      shownLimit: NOTIFICATIONS_SHOWN,
      readAction: paths.read,
    });
  });

  // One command for one notification or every one on the page: the form
  // names each, so nothing is marked that the person has not seen.
  app.post(paths.read, { config: { policy: allow.signedIn, audit: 'required' } }, async (request, reply) => {
    const ids = [...new Set(formStrings(request.body, 'notification'))];
    if (ids.length === 0 || ids.length > NOTIFICATIONS_SHOWN || !ids.every(isId)) throw new Problem('bad-request');
    const userId = request.actor!.userId;
    await platform.audit.audited(
      request.auditContext,
      (count: number) => ({ action: 'alter', event: 'notification.read', objectType: 'notification', objectId: ids.length === 1 ? ids[0] : undefined, details: { named: ids.length, unread: count } }),
      (tx) => markNotificationsRead(tx, userId, ids, platform.clock.now()),
    );
    await auth.setFlash(request.session!, { type: 'success', text: translate(ids.length === 1 ? 'notifications.flash.read' : 'notifications.flash.allRead') });
    return reply.redirect(paths.notifications, 303);
  });
}
