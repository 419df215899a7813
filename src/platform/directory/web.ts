// Admin pages for organisations, teams and people. Every form posts back to
// its own address and redirects with a flash message when it succeeds; when
// it does not, the page is shown again with the GOV.UK error summary.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { allow } from '../access/policy.ts';
import { isRole, roleAllowedIn, roleNames, roles } from '../access/roles.ts';
import type { AuthService } from '../auth/service.ts';
import type { OrganisationKind } from '../db/tables.ts';
import { translate } from '../i18n/messages.ts';
import type { Platform } from '../platform.ts';
import { Problem } from '../web/errors.ts';
import { submitForm } from '../web/submit.ts';
import type { FormOutcome } from '../web/submit.ts';
import { formString } from '../web/forms.ts';
import type { SummaryError } from '../web/forms.ts';
import { registerDirectoryApi } from './api.ts';
import { kindName, organisationKinds } from './model.ts';
import type { Organisation, PeoplePage, Person, Team } from './model.ts';
import { createDirectoryService, mayCreateOrganisations } from './service.ts';
import type { DirectoryService } from './service.ts';
import { link, pageNumber, pagination } from '../web/lists.ts';

/** Addresses of the admin pages, shared by routes, redirects and links. */
export const paths = {
  organisations: '/admin/organisations',
  newOrganisation: '/admin/organisations/new',
  organisation: (id: string, page = 1) => `/admin/organisations/${id}${page > 1 ? `?page=${page}` : ''}`,
  rename: (id: string) => `/admin/organisations/${id}/name`,
  newTeam: (id: string) => `/admin/organisations/${id}/teams/new`,
  newPerson: (id: string) => `/admin/organisations/${id}/people/new`,
  person: (id: string, personId: string) => `/admin/organisations/${id}/people/${personId}`,
  giveRole: (id: string, personId: string) => `/admin/organisations/${id}/people/${personId}/roles/new`,
  removeRole: (id: string, personId: string, role?: string) =>
    `/admin/organisations/${id}/people/${personId}/roles/remove${role ? `?role=${encodeURIComponent(role)}` : ''}`,
  disable: (id: string, personId: string) => `/admin/organisations/${id}/people/${personId}/disable`,
  enable: (id: string, personId: string) => `/admin/organisations/${id}/people/${personId}/enable`,
  resetAuthenticator: (id: string, personId: string) => `/admin/organisations/${id}/people/${personId}/reset-authenticator`,
};

const ORG = ':organisationId';
const PERSON = ':personId';

/** Registers the directory's admin pages and its JSON API. */
export function registerDirectory(app: FastifyInstance, platform: Platform, auth: AuthService): void {
  const directory = createDirectoryService(platform);
  registerDirectoryPages(app, directory, auth);
  registerDirectoryApi(app, directory);
}

/** The roles that fit an organisation of this kind, as radio items. */
function roleItems(kind: OrganisationKind, exclude: readonly string[], checked: string) {
  return roleNames
    .filter((role) => roleAllowedIn(role, kind) && !exclude.includes(role))
    .map((role) => ({ value: role, text: roles[role].name, checked: role === checked }));
}

const roleName = (role: string) => (isRole(role) ? roles[role].name : role);

function teamItems(teams: readonly Team[], selected: string) {
  return [{ value: '', text: translate('directory.field.noTeam') }, ...teams.map((t) => ({ value: t.id, text: t.name, selected: t.id === selected }))];
}

function personStatus(person: { disabled: boolean; authenticatorSetUp: boolean }): string {
  if (person.disabled) return translate('directory.status.disabled');
  return person.authenticatorSetUp ? translate('directory.status.active') : translate('directory.status.notSetUp');
}

function registerDirectoryPages(app: FastifyInstance, directory: DirectoryService, auth: AuthService): void {
  const policy = allow.withPermission('directory.manage');
  const plain = { config: { policy, audit: 'none' as const } };
  const audited = { config: { policy, audit: 'required' as const } };

  const params = (request: FastifyRequest) => request.params as { organisationId: string; personId: string };
  const done = async (request: FastifyRequest, reply: FastifyReply, text: string, to: string) => {
    await auth.setFlash(request.session!, { type: 'success', text });
    return reply.redirect(to, 303);
  };
  const submit = (
    request: FastifyRequest,
    reply: FastifyReply,
    command: () => Promise<FormOutcome>,
    showAgain: (errors: SummaryError[], status: number) => Promise<FastifyReply>,
    conflictField = 'name',
  ) => submitForm(auth, request, reply, { command, showAgain, conflictField });

  // Organisations

  app.get(paths.organisations, plain, async (request, reply) => {
    const actor = request.actor!;
    const organisations = await directory.organisations(actor);
    return reply.render('directory/organisations.njk', {
      pageTitle: translate('directory.organisations.title'),
      addHref: mayCreateOrganisations(actor) ? paths.newOrganisation : undefined,
      head: [{ text: translate('directory.field.name') }, { text: translate('directory.field.code') }, { text: translate('directory.field.kind') }],
      rows: organisations.map((o) => [{ html: link(paths.organisation(o.id), o.name) }, { text: o.code }, { text: kindName(o.kind) }]),
    });
  });

  const showNewOrganisation = (reply: FastifyReply, errors: SummaryError[] = [], values: Record<string, string> = {}, status = 200) =>
    reply.code(status).render('directory/organisation-new.njk', {
      pageTitle: translate('directory.newOrganisation.title'),
      backHref: paths.organisations,
      errors,
      values,
      kinds: organisationKinds.map((kind) => ({ value: kind, text: kindName(kind), checked: kind === values.kind })),
    });

  app.get(paths.newOrganisation, plain, async (request, reply) => {
    await directory.checkMayCreateOrganisations(request.actor!, request.auditContext);
    return showNewOrganisation(reply);
  });

  app.post(paths.newOrganisation, audited, async (request, reply) => {
    const values = { code: formString(request.body, 'code'), name: formString(request.body, 'name'), kind: formString(request.body, 'kind') };
    return submit(request, reply, async () => {
      const organisation = await directory.createOrganisation(request.actor!, request.auditContext, values);
      return { text: translate('directory.flash.added', { name: organisation.name }), to: paths.organisation(organisation.id) };
    }, (errors, status) => showNewOrganisation(reply, errors, values, status));
  });

  app.get(paths.organisation(ORG), audited, async (request, reply) => {
    const { organisationId } = params(request);
    const { organisation, teams } = await directory.organisation(request.actor!, request.auditContext, organisationId);
    const people = await directory.people(request.actor!, request.auditContext, organisationId, pageNumber((request.query as Record<string, unknown>).page));
    return reply.render('directory/organisation.njk', organisationPage(organisation, teams, people));
  });

  const showRename = (reply: FastifyReply, organisation: Organisation, errors: SummaryError[] = [], name = organisation.name, status = 200) =>
    reply.code(status).render('directory/organisation-name.njk', {
      pageTitle: translate('directory.rename.title'),
      backHref: paths.organisation(organisation.id),
      organisation,
      name,
      errors,
    });

  app.get(paths.rename(ORG), plain, async (request, reply) => {
    const { organisation } = await directory.organisation(request.actor!, request.auditContext, params(request).organisationId);
    return showRename(reply, organisation);
  });

  app.post(paths.rename(ORG), audited, async (request, reply) => {
    const { organisationId } = params(request);
    const name = formString(request.body, 'name');
    const version = Number(formString(request.body, 'version'));
    return submit(request, reply, async () => {
      await directory.renameOrganisation(request.actor!, request.auditContext, organisationId, { name, version });
      return { text: translate('directory.flash.renamed'), to: paths.organisation(organisationId) };
    }, async (errors, status) => {
      // After a conflict the form starts again from the record as it now stands.
      const { organisation } = await directory.organisation(request.actor!, request.auditContext, organisationId);
      return showRename(reply, organisation, errors, status === 409 ? organisation.name : name, status);
    });
  });

  // Teams

  const showNewTeam = (reply: FastifyReply, organisation: Organisation, errors: SummaryError[] = [], name = '', status = 200) =>
    reply.code(status).render('directory/team-new.njk', {
      pageTitle: translate('directory.newTeam.title'),
      backHref: paths.organisation(organisation.id),
      organisation,
      name,
      errors,
    });

  app.get(paths.newTeam(ORG), plain, async (request, reply) => {
    const { organisation } = await directory.organisation(request.actor!, request.auditContext, params(request).organisationId);
    return showNewTeam(reply, organisation);
  });

  app.post(paths.newTeam(ORG), audited, async (request, reply) => {
    const { organisationId } = params(request);
    const name = formString(request.body, 'name');
    return submit(request, reply, async () => {
      const team = await directory.addTeam(request.actor!, request.auditContext, organisationId, { name });
      return { text: translate('directory.flash.added', { name: team.name }), to: paths.organisation(organisationId) };
    }, async (errors, status) => {
      const { organisation } = await directory.organisation(request.actor!, request.auditContext, organisationId);
      return showNewTeam(reply, organisation, errors, name, status);
    });
  });

  // People

  const showNewPerson = async (request: FastifyRequest, reply: FastifyReply, errors: SummaryError[] = [], values: Record<string, string> = {}, status = 200) => {
    const { organisation, teams } = await directory.organisation(request.actor!, request.auditContext, params(request).organisationId);
    return reply.code(status).render('directory/person-new.njk', {
      pageTitle: translate('directory.newPerson.title'),
      backHref: paths.organisation(organisation.id),
      organisation,
      errors,
      values,
      roleLegend: translate('directory.field.role', { organisation: organisation.name }),
      roles: roleItems(organisation.kind, [], values.role ?? ''),
      teams: teams.length ? teamItems(teams, values.team ?? '') : undefined,
    });
  };

  app.get(paths.newPerson(ORG), plain, async (request, reply) => showNewPerson(request, reply));

  app.post(paths.newPerson(ORG), audited, async (request, reply) => {
    const { organisationId } = params(request);
    const values = { name: formString(request.body, 'name'), email: formString(request.body, 'email'), role: formString(request.body, 'role'), team: formString(request.body, 'team') };
    const password = formString(request.body, 'password', { trim: false, maxLength: 300 });
    // When the form is shown again the password is left out: the administrator types it again.
    return submit(request, reply, async () => {
      const id = await directory.addPerson(request.actor!, request.auditContext, organisationId, { ...values, teamId: values.team, password });
      return { text: translate('directory.flash.personAdded', { name: values.name }), to: paths.person(organisationId, id) };
    }, (errors, status) => showNewPerson(request, reply, errors, values, status));
  });

  app.get(paths.person(ORG, PERSON), audited, async (request, reply) => {
    const { organisationId, personId } = params(request);
    const { organisation } = await directory.organisation(request.actor!, request.auditContext, organisationId);
    const person = await directory.person(request.actor!, request.auditContext, personId, organisationId);
    return reply.render('directory/person.njk', personPage(organisation, person, request.actor!.userId === person.id));
  });

  const showGiveRole = async (request: FastifyRequest, reply: FastifyReply, errors: SummaryError[] = [], values: Record<string, string> = {}, status = 200) => {
    const { organisationId, personId } = params(request);
    const { organisation, teams } = await directory.organisation(request.actor!, request.auditContext, organisationId);
    const person = await directory.person(request.actor!, request.auditContext, personId, organisationId);
    const held = person.memberships.filter((m) => m.organisationId === organisationId).map((m) => m.role);
    const items = roleItems(organisation.kind, held, values.role ?? '');
    return reply.code(status).render('directory/role-new.njk', {
      pageTitle: translate('directory.giveRole.title', { name: person.name }),
      backHref: paths.person(organisationId, personId),
      errors,
      roles: items,
      noneLeft: items.length === 0 ? translate('directory.giveRole.noneLeft', { name: person.name, organisation: organisation.name }) : undefined,
      teams: teams.length ? teamItems(teams, values.team ?? '') : undefined,
    });
  };

  app.get(paths.giveRole(ORG, PERSON), audited, async (request, reply) => showGiveRole(request, reply));

  app.post(paths.giveRole(ORG, PERSON), audited, async (request, reply) => {
    const { organisationId, personId } = params(request);
    const values = { role: formString(request.body, 'role'), team: formString(request.body, 'team') };
    return submit(request, reply, async () => {
      await directory.giveRole(request.actor!, request.auditContext, organisationId, personId, { role: values.role, teamId: values.team });
      return { text: translate('directory.flash.roleGiven', { role: roleName(values.role) }), to: paths.person(organisationId, personId) };
    }, (errors, status) => showGiveRole(request, reply, errors, values, status));
  });

  // Confirmations: removing a role, disabling an account, resetting an authenticator.

  interface Confirmation {
    readonly title: (person: Person, detail: string) => string;
    readonly warning: string;
    readonly button: string;
    readonly action: (organisationId: string, personId: string) => string;
    readonly run: (request: FastifyRequest, organisationId: string, personId: string, detail: string) => Promise<string>;
    /** A form field naming what is confirmed (the role to remove). */
    readonly field?: string;
  }

  const confirmations: Confirmation[] = [
    {
      title: (person, role) => translate('directory.removeRole.title', { role: roleName(role), name: person.name }),
      warning: translate('directory.removeRole.warning'),
      button: translate('directory.removeRole.button'),
      action: (o, p) => paths.removeRole(o, p),
      field: 'role',
      run: async (request, o, p, role) => {
        const removed = await directory.removeRole(request.actor!, request.auditContext, o, p, role);
        return translate(removed ? 'directory.flash.roleRemoved' : 'directory.flash.roleNotHeld', { role: roleName(role) });
      },
    },
    {
      title: (person) => translate('directory.disable.title', { name: person.name }),
      warning: translate('directory.disable.warning'),
      button: translate('directory.disable.button'),
      action: paths.disable,
      run: async (request, o, p) => {
        await directory.disablePerson(request.actor!, request.auditContext, o, p);
        return translate('directory.flash.disabled');
      },
    },
    {
      title: (person) => translate('directory.reset.title', { name: person.name }),
      warning: translate('directory.reset.warning'),
      button: translate('directory.reset.button'),
      action: paths.resetAuthenticator,
      run: async (request, o, p) => {
        await directory.resetAuthenticator(request.actor!, request.auditContext, o, p);
        return translate('directory.flash.reset');
      },
    },
  ];

  for (const confirmation of confirmations) {
    const personOf = (request: FastifyRequest) => {
      const { organisationId, personId } = params(request);
      return directory.person(request.actor!, request.auditContext, personId, organisationId);
    };
    const showConfirm = async (request: FastifyRequest, reply: FastifyReply, person: Person, detail: string, errors: SummaryError[] = [], status = 200) => {
      const { organisationId, personId } = params(request);
      return reply.code(status).render('directory/confirm.njk', {
        pageTitle: confirmation.title(person, detail),
        backHref: paths.person(organisationId, personId),
        // The page has one control, so every error points at its button.
        errors: errors.map((e) => ({ ...e, href: '#confirm' })),
        warning: confirmation.warning,
        button: confirmation.button,
        action: confirmation.action(organisationId, personId),
        hidden: confirmation.field ? { name: confirmation.field, value: detail } : undefined,
      });
    };
    const detailOf = (source: unknown) => (confirmation.field ? formString(source, confirmation.field, { maxLength: 100 }) : '');

    app.get(confirmation.action(ORG, PERSON), audited, async (request, reply) => {
      const detail = detailOf(request.query);
      const person = await personOf(request);
      // A role to remove must be one the person holds here; anything else is not a page.
      const holds = person.memberships.some((m) => m.organisationId === params(request).organisationId && m.role === detail);
      if (confirmation.field && !holds) throw new Problem('not-found');
      return showConfirm(request, reply, person, detail);
    });

    app.post(confirmation.action(ORG, PERSON), audited, async (request, reply) => {
      const { organisationId, personId } = params(request);
      const detail = detailOf(request.body);
      return submit(request, reply, async () => ({
        text: await confirmation.run(request, organisationId, personId, detail),
        to: paths.person(organisationId, personId),
      }), async (errors, status) => showConfirm(request, reply, await personOf(request), detail, errors, status), 'person');
    });
  }

  app.post(paths.enable(ORG, PERSON), audited, async (request, reply) => {
    const { organisationId, personId } = params(request);
    await directory.enablePerson(request.actor!, request.auditContext, organisationId, personId);
    return done(request, reply, translate('directory.flash.enabled'), paths.person(organisationId, personId));
  });
}

function organisationPage(organisation: Organisation, teams: readonly Team[], people: PeoplePage) {
  return {
    pageTitle: organisation.name,
    backHref: paths.organisations,
    organisation,
    caption: kindName(organisation.kind),
    summary: [
      {
        key: { text: translate('directory.field.name') },
        value: { text: organisation.name },
        actions: { items: [{ href: paths.rename(organisation.id), text: translate('directory.change'), visuallyHiddenText: translate('directory.field.name').toLowerCase() }] },
      },
      { key: { text: translate('directory.field.code') }, value: { text: organisation.code } },
      { key: { text: translate('directory.field.kind') }, value: { text: kindName(organisation.kind) } },
    ],
    teams,
    addTeamHref: paths.newTeam(organisation.id),
    addPersonHref: paths.newPerson(organisation.id),
    peopleCount: translate('directory.organisation.peopleCount', { count: people.total }),
    peopleHead: [
      { text: translate('directory.field.personName') },
      { text: translate('directory.field.email') },
      { text: translate('directory.column.roles') },
      { text: translate('directory.column.status') },
    ],
    peopleRows: people.people.map((person) => [
      { html: link(paths.person(organisation.id, person.id), person.name) },
      { text: person.email },
      { text: person.roles.map((role) => roles[role].name).join(', ') },
      { text: personStatus(person) },
    ]),
    pagination: pagination(people.page, people.pages, (n) => paths.organisation(organisation.id, n)),
  };
}

function personPage(organisation: Organisation, person: Person, self: boolean) {
  const here = person.memberships.filter((m) => m.organisationId === organisation.id);
  const elsewhere = Map.groupBy(person.memberships.filter((m) => m.organisationId !== organisation.id), (m) => m.organisationName);
  return {
    pageTitle: person.name,
    backHref: paths.organisation(organisation.id),
    caption: organisation.name,
    person,
    summary: [
      { key: { text: translate('directory.field.email') }, value: { text: person.email } },
      { key: { text: translate('directory.column.status') }, value: { text: personStatus({ disabled: person.disabledAt !== null, authenticatorSetUp: person.authenticatorSetUp }) } },
    ],
    rolesHeading: translate('directory.person.rolesHere', { organisation: organisation.name }),
    roles: here.map((m) => ({
      key: { text: roles[m.role].name },
      value: { text: m.teamName ?? translate('directory.field.noTeam') },
      actions: self && m.role === 'administrator'
        ? undefined
        : { items: [{ href: paths.removeRole(organisation.id, person.id, m.role), text: translate('directory.person.remove'), visuallyHiddenText: roles[m.role].name }] },
    })),
    giveRoleHref: paths.giveRole(organisation.id, person.id),
    elsewhere: [...elsewhere].map(([name, memberships]) => ({
      key: { text: name },
      value: { text: memberships.map((m) => roles[m.role].name).join(', ') },
    })),
    self,
    disabled: person.disabledAt !== null,
    disableHref: paths.disable(organisation.id, person.id),
    enableAction: paths.enable(organisation.id, person.id),
    resetHref: paths.resetAuthenticator(organisation.id, person.id),
  };
}
