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
const awaiting: Card = { title: 'Awaiting my response', description: 'Cases where the next move is yours: early advice, charging referrals and action plans.', href: '/cases/queues/awaiting-response' };
const overdue: Card = { title: 'Due soon and overdue', description: 'Deadlines on your cases in the next 7 days, and those already missed.', href: '/cases/queues/overdue' };
const escalated: Card = { title: 'Escalated to me', description: 'Cases whose deadlines have been escalated to you.', href: '/cases/queues/escalated' };
const unit: Card = { title: 'Unit cases', description: 'Every case of your force or CPS Area, filtered by stage, offence, flags and who holds it.', href: '/cases/queues/unit' };

/** What each role will find on its home page, in the order they use it most. */
const cardsByRole: Partial<Record<Role, Card[]>> = {
  investigator: [myCases, awaiting, overdue],
  police_supervisor: [unit, escalated, myCases],
  escalation_lead: [escalated, unit],
  prosecutor: [myCases, awaiting, overdue],
  dcp: [unit, escalated, myCases],
  head_of_rasso: [escalated, unit],
  vlo: [{ title: 'Victim communication', description: 'Letters and contacts due to victims. Not available yet.' }],
  paralegal: [myCases, overdue],
  isva: [{ title: 'My clients', description: 'The victims you support: their communication plans, contacts, key dates and the stage of their cases.', href: '/victims' }],
  panel_member: [{ title: 'Scrutiny panels', description: 'Anonymised packs of decisions of no further action to review, and the panel’s findings, actions and themes.', href: '/scrutiny' }],
  analyst: [{ title: 'Insight', description: 'Linked end-to-end data and measures. Not available yet.' }],
  plan_lead: [{ title: 'Action plans', description: 'National and local action plans: record updates, status changes, evidence and reviews, and see how local plans deliver the national one.', href: '/plans' }],
  hub_member: [{ title: 'Knowledge Hub', description: 'Learning, training, forums and best practice. Not available yet.' }],
};

function cardsFor(actor: Actor): Card[] {
  // Someone with several roles sees each card once.
  const cards = [...new Set(actor.organisation.roles.flatMap((role) => cardsByRole[role] ?? []))];
  if (hasPermission(actor, 'directory.manage')) cards.push({ title: 'Organisations and people', description: 'Add people, give them roles and manage teams.', href: '/admin/organisations' });
  if (hasPermission(actor, 'assurance.read')) cards.push({ title: 'Quarterly assurance reports', description: 'Each force’s and CPS Area’s quarterly report on its action plans and case measures: drafted, signed off and published.', href: '/assurance' });
  if (hasPermission(actor, 'audit.read')) cards.push({ title: 'Audit journal', description: 'Search who looked at or changed what, and check the journal has not been tampered with.', href: '/audit' });
  if (hasPermission(actor, 'scrutiny.manage')) cards.push({ title: 'NFA scrutiny panels', description: 'Set up your force’s or CPS Area’s scrutiny panels, choose their members and select decisions of no further action for them to review.', href: '/scrutiny' });
  if (hasPermission(actor, 'governance.joim')) cards.push({ title: 'JOIM', description: 'Joint Operational Improvement Meetings with your police or CPS partner: the pack of cases at 28, 56 and 90 days, minutes, decisions and actions.', href: '/joim' });
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
