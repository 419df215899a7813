// The home page: what a person can do, by role, with empty states for the
// modules still to come.
import type { FastifyInstance } from 'fastify';
import { allow, hasPermission } from '../access/policy.ts';
import type { Actor } from '../access/policy.ts';
import { roles } from '../access/roles.ts';
import type { Role } from '../access/roles.ts';
import { translate } from '../i18n/messages.ts';

interface Card {
  readonly title: string;
  readonly description: string;
  readonly href?: string;
}

const myCases: Card = { title: 'My cases', description: 'Cases you are on the team of: their people, team, stage and timeline.', href: '/cases' };

/** What each role will find on its home page, in the order they use it most. */
const cardsByRole: Partial<Record<Role, Card[]>> = {
  investigator: [myCases],
  police_supervisor: [{ title: 'Team cases and reviews', description: 'Supervisory reviews due and cases waiting on your team. Not available yet.' }],
  escalation_lead: [{ title: 'Escalated to me', description: 'Action plans and early advice that have passed their escalation point. Not available yet.' }],
  prosecutor: [myCases, { title: 'Awaiting my response', description: 'Early advice requests and charging referrals due from you. Not available yet.' }],
  dcp: [{ title: 'Unit work queue', description: 'Second action plans awaiting your review and escalations. Not available yet.' }],
  head_of_rasso: [{ title: 'Escalations', description: 'Cases escalated to the head of the RASSO unit. Not available yet.' }],
  vlo: [{ title: 'Victim communication', description: 'Letters and contacts due to victims. Not available yet.' }],
  paralegal: [{ title: 'Case progression', description: 'Files to check and deadlines to chase. Not available yet.' }],
  isva: [{ title: 'My clients', description: 'Dates and progress of your clients’ cases. Not available yet.' }],
  panel_member: [{ title: 'Scrutiny panels', description: 'Anonymised case packs to review. Not available yet.' }],
  analyst: [{ title: 'Insight', description: 'Linked end-to-end data and measures. Not available yet.' }],
  plan_lead: [{ title: 'Action plans', description: 'National and local action plans and progress reports. Not available yet.' }],
  hub_member: [{ title: 'Knowledge Hub', description: 'Learning, training, forums and best practice. Not available yet.' }],
};

function cardsFor(actor: Actor): Card[] {
  const cards = actor.organisation.roles.flatMap((role) => cardsByRole[role] ?? []);
  if (hasPermission(actor, 'directory.manage')) cards.push({ title: 'Organisations and people', description: 'Add people, give them roles and manage teams.', href: '/admin/organisations' });
  if (hasPermission(actor, 'audit.read')) cards.push({ title: 'Audit journal', description: 'Search who looked at or changed what, and check the journal has not been tampered with.', href: '/audit' });
  return cards;
}

export function registerHomePage(app: FastifyInstance): void {
  app.get('/', { config: { policy: allow.signedIn, audit: 'none' } }, async (request, reply) => {
    const actor = request.actor!;
    const roleNames = actor.organisation.roles.map((role) => roles[role].name);
    return reply.render('home.njk', {
      pageTitle: translate('home.title'),
      welcome: roleNames.length
        ? translate('home.welcome', { name: actor.displayName, role: roleNames.join(', '), organisation: actor.organisation.organisationName })
        : translate('home.noRoles'),
      cards: cardsFor(actor),
    });
  });

  const staticPage = { config: { policy: allow.public, audit: 'none' as const } };
  app.get('/accessibility', staticPage, async (_request, reply) => reply.render('accessibility.njk', { pageTitle: 'Accessibility statement' }));
  app.get('/privacy', staticPage, async (_request, reply) => reply.render('privacy.njk', { pageTitle: 'Privacy notice' }));
}
