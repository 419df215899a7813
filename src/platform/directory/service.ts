// Managing organisations, teams and people. Every command checks, before
// anything else, that the organisation is the actor's to manage: one that is
// not is "not found", so its existence is not disclosed. Every command is one
// transaction with its audit entry; reading people's details is audited as a
// consultation.
import { canManageOrganisation, hasPermission } from '../access/policy.ts';
import type { Actor } from '../access/policy.ts';
import { isRole } from '../access/roles.ts';
import type { Role } from '../access/roles.ts';
import { systemContext } from '../audit/model.ts';
import { isId } from '../db/ids.ts';
import type { AuditContext, AuditEntry } from '../audit/model.ts';
import { normaliseEmail } from '../auth/model.ts';
import { hashPassword } from '../auth/password.ts';
import * as sessions from '../auth/repository.ts';
import { newId } from '../db/ids.ts';
import type { OrganisationsTable, UsersTable } from '../db/tables.ts';
import { inTransaction } from '../db/transaction.ts';
import { translate } from '../i18n/messages.ts';
import type { Platform } from '../platform.ts';
import { Problem } from '../web/errors.ts';
import type { FieldError } from '../web/errors.ts';
import {
  MAX_VERSION,
  PAGE_SIZE,
  generateTemporaryPassword,
  newUserRow,
  normaliseCode,
  normaliseName,
  organisationErrors,
  organisationNameErrors,
  personErrors,
  roleErrors,
  teamNameErrors,
} from './model.ts';
import type { NewOrganisation, NewPerson, Organisation, PeoplePage, Person, PersonMembership, Team } from './model.ts';
import * as repository from './repository.ts';

function invalid(errors: readonly FieldError[]): Problem {
  return new Problem('validation', errors.map((e) => e.message).join('. '), errors);
}

function toOrganisation(row: OrganisationsTable): Organisation {
  return { id: row.id, code: row.code, name: row.name, kind: row.kind, version: Number(row.version), createdAt: row.created_at, updatedAt: row.updated_at };
}

function toMemberships(rows: repository.MembershipRow[]): PersonMembership[] {
  return rows.flatMap((row) =>
    isRole(row.role)
      ? [{ organisationId: row.organisation_id, organisationCode: row.organisation_code, organisationName: row.organisation_name, role: row.role, teamId: row.team_id, teamName: row.team_name }]
      : []);
}

function toPerson(user: UsersTable, memberships: PersonMembership[]): Person {
  return {
    id: user.id,
    email: user.email,
    name: user.display_name,
    disabledAt: user.disabled_at,
    authenticatorSetUp: user.mfa_enrolled_at !== null,
    version: Number(user.version),
    memberships,
  };
}

/** Only national administrators add organisations. */
export function mayCreateOrganisations(actor: Actor): boolean {
  return hasPermission(actor, 'directory.manage') && actor.organisation.organisationKind === 'national';
}

/** Who runs the `rasso` command: the operator of the server, who already holds its database. */
export function operatorContext(): AuditContext {
  return { ...systemContext(), role: 'operator' };
}

export function createDirectoryService(platform: Platform) {
  const { db, audit, clock } = platform;
  const nowIso = () => clock.now().toISOString();

  /** Records the refusal, then reports it: a denial is journalled like any other access. */
  async function refuse(context: AuditContext, type: 'not-found' | 'forbidden', objectType: string, objectId: string | undefined): Promise<never> {
    // Only a well-formed id goes into the journal: anything else is noise from the address bar.
    const entry: AuditEntry = { action: 'deny', event: `directory.${type}`, outcome: 'denied', objectType, objectId: objectId && isId(objectId) ? objectId : undefined };
    await audit.audited(context, entry, async () => undefined);
    throw new Problem(type);
  }

  async function manageable(actor: Actor, context: AuditContext, organisationId: string): Promise<OrganisationsTable> {
    const organisation = isId(organisationId) && canManageOrganisation(actor, organisationId) ? await repository.findOrganisation(db, organisationId) : undefined;
    return organisation ?? refuse(context, 'not-found', 'organisation', organisationId);
  }

  /** A person with a role in an organisation the actor manages. */
  async function member(actor: Actor, context: AuditContext, organisationId: string, personId: string) {
    const organisation = await manageable(actor, context, organisationId);
    const user = isId(personId) ? await repository.findUserById(db, personId) : undefined;
    const memberships = user ? await repository.membershipsOf(db, user.id) : [];
    if (!user || !memberships.some((m) => m.organisation_id === organisation.id)) return refuse(context, 'not-found', 'user', personId);
    return { organisation, user, memberships };
  }

  /** Turns a duplicate caught by the database (two people adding the same thing at once) into a field error. */
  async function unique<T>(error: FieldError, work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (failure) {
      if (repository.isUniqueViolation(failure)) throw invalid([error]);
      throw failure;
    }
  }

  async function createPersonIn(context: AuditContext, organisation: OrganisationsTable, input: NewPerson): Promise<string> {
    const person = { ...input, email: normaliseEmail(input.email), name: normaliseName(input.name) };
    const errors = personErrors(person, organisation);
    const team = isId(person.teamId) ? await repository.findTeam(db, person.teamId) : undefined;
    if (person.teamId && team?.organisation_id !== organisation.id) errors.push({ field: 'team', message: translate('directory.error.teamUnknown') });
    if (errors.length) throw invalid(errors);
    const emailTaken = { field: 'email', message: translate('directory.error.emailTaken') };
    const passwordHash = await hashPassword(person.password);
    const id = newId();
    await unique(emailTaken, () => inTransaction(db, async (tx) => {
      if (await repository.findUserByEmail(tx, person.email)) throw invalid([emailTaken]);
      const now = nowIso();
      await repository.insertUser(tx, newUserRow({ id, email: person.email, displayName: person.name, passwordHash, now }));
      await repository.insertMembership(tx, { id: newId(), user_id: id, organisation_id: organisation.id, team_id: team?.id ?? null, role: person.role, created_at: now });
      await audit.record(tx, context, {
        action: 'collect',
        event: 'person.create',
        objectType: 'user',
        objectId: id,
        subjects: [id],
        details: { organisation: organisation.code, role: person.role },
      });
    }));
    return id;
  }

  /** Changes a person's account in one transaction with its audit entry; a concurrent change makes it a conflict. */
  async function changeAccount(context: AuditContext, user: UsersTable, changes: Partial<UsersTable>, revokeSessions: boolean, entry: AuditEntry): Promise<void> {
    await inTransaction(db, async (tx) => {
      const now = nowIso();
      if (!(await repository.updateUser(tx, user.id, Number(user.version), { ...changes, updated_at: now }))) throw new Problem('conflict');
      const revoked = revokeSessions ? await sessions.revokeSessionsOf(tx, user.id, now) : 0;
      await audit.record(tx, context, { ...entry, details: { ...entry.details, sessionsRevoked: revoked } });
    });
  }

  /** A request that changes nothing (a repeated click) is journalled all the same, as asked and not needed. */
  async function unchanged(context: AuditContext, entry: AuditEntry): Promise<void> {
    await audit.audited(context, { ...entry, details: { ...entry.details, changed: false } }, async () => undefined);
  }

  function notYourself(actor: Actor, personId: string): void {
    if (actor.userId === personId) throw invalid([{ field: 'person', message: translate('directory.error.self') }]);
  }

  return {
    /** National administrators see every organisation; others only the one they act for. */
    async organisations(actor: Actor): Promise<Organisation[]> {
      if (!hasPermission(actor, 'directory.manage')) return [];
      if (actor.organisation.organisationKind === 'national') return (await repository.listOrganisations(db)).map(toOrganisation);
      const own = await repository.findOrganisation(db, actor.organisation.organisationId);
      return own ? [toOrganisation(own)] : [];
    },

    async organisation(actor: Actor, context: AuditContext, organisationId: string): Promise<{ organisation: Organisation; teams: Team[] }> {
      const organisation = await manageable(actor, context, organisationId);
      const teams = await repository.teamsOf(db, organisation.id);
      return { organisation: toOrganisation(organisation), teams: teams.map((t) => ({ id: t.id, name: t.name })) };
    },

    /** One page of the people with a role in the organisation: a consultation of their details. */
    async people(actor: Actor, context: AuditContext, organisationId: string, requestedPage: number): Promise<PeoplePage> {
      const organisation = await manageable(actor, context, organisationId);
      const fetch = (page: number) => repository.peopleIn(db, organisation.id, (page - 1) * PAGE_SIZE, PAGE_SIZE);
      let page = Number.isSafeInteger(requestedPage) && requestedPage >= 1 ? requestedPage : 1;
      let found = await fetch(page);
      const pages = Math.max(1, Math.ceil(found.total / PAGE_SIZE));
      if (page > pages) {
        page = pages;
        found = await fetch(page);
      }
      const people = found.rows.map((row) => ({
        id: row.id,
        email: row.email,
        name: row.display_name,
        disabled: row.disabled_at !== null,
        authenticatorSetUp: row.mfa_enrolled_at !== null,
        roles: row.roles.filter(isRole),
      }));
      await audit.audited(context, {
        action: 'consult',
        event: 'person.list',
        objectType: 'organisation',
        objectId: organisation.id,
        subjects: people.map((p) => p.id),
        details: { page },
      }, async () => undefined);
      return { people, total: found.total, page, pages };
    },

    /**
     * A person's details and their roles in the organisations the actor
     * manages. With an organisation, the person must have a role there; without
     * one, in any organisation the actor manages.
     */
    async person(actor: Actor, context: AuditContext, personId: string, organisationId?: string): Promise<Person> {
      const user = organisationId !== undefined
        ? (await member(actor, context, organisationId, personId)).user
        : isId(personId) ? await repository.findUserById(db, personId) : undefined;
      const visible = user ? toMemberships(await repository.membershipsOf(db, user.id)).filter((m) => canManageOrganisation(actor, m.organisationId)) : [];
      if (!user || visible.length === 0) return refuse(context, 'not-found', 'user', personId);
      await audit.audited(context, { action: 'consult', event: 'person.view', objectType: 'user', objectId: user.id, subjects: [user.id] }, async () => undefined);
      return toPerson(user, visible);
    },

    /** Refuses (and journals the refusal) unless the actor may add organisations. */
    async checkMayCreateOrganisations(actor: Actor, context: AuditContext): Promise<void> {
      if (!mayCreateOrganisations(actor)) await refuse(context, 'forbidden', 'organisation', undefined);
    },

    async createOrganisation(actor: Actor, context: AuditContext, input: NewOrganisation): Promise<Organisation> {
      if (!mayCreateOrganisations(actor)) return refuse(context, 'forbidden', 'organisation', undefined);
      const fields = { code: normaliseCode(input.code), name: normaliseName(input.name), kind: input.kind };
      const errors = organisationErrors(fields);
      if (errors.length) throw invalid(errors);
      const codeTaken = { field: 'code', message: translate('directory.error.codeTaken') };
      return unique(codeTaken, () => inTransaction(db, async (tx) => {
        if (await repository.findOrganisationByCode(tx, fields.code)) throw invalid([codeTaken]);
        const now = nowIso();
        const row: OrganisationsTable = { id: newId(), code: fields.code, name: fields.name, kind: fields.kind as OrganisationsTable['kind'], created_at: now, updated_at: now, version: 1 };
        await repository.insertOrganisation(tx, row);
        await audit.record(tx, context, { action: 'collect', event: 'organisation.create', objectType: 'organisation', objectId: row.id, details: { code: row.code, kind: row.kind } });
        return toOrganisation(row);
      }));
    },

    /** Renames an organisation if nobody has changed it since `version` was read; otherwise a conflict. */
    async renameOrganisation(actor: Actor, context: AuditContext, organisationId: string, input: { name: string; version: number }): Promise<Organisation> {
      const organisation = await manageable(actor, context, organisationId);
      const name = normaliseName(input.name);
      const errors = organisationNameErrors(name);
      if (errors.length) throw invalid(errors);
      // A form or request without a version it read cannot prove it saw the latest change.
      if (!Number.isInteger(input.version) || input.version < 1 || input.version > MAX_VERSION) throw new Problem('conflict');
      return inTransaction(db, async (tx) => {
        const updatedAt = nowIso();
        if (!(await repository.updateOrganisation(tx, organisation.id, input.version, { name, updated_at: updatedAt }))) throw new Problem('conflict');
        await audit.record(tx, context, { action: 'alter', event: 'organisation.rename', objectType: 'organisation', objectId: organisation.id, details: { version: input.version + 1 } });
        return toOrganisation({ ...organisation, name, updated_at: updatedAt, version: input.version + 1 });
      });
    },

    async addTeam(actor: Actor, context: AuditContext, organisationId: string, input: { name: string }): Promise<Team> {
      const organisation = await manageable(actor, context, organisationId);
      const name = normaliseName(input.name);
      const errors = teamNameErrors(name);
      if (errors.length) throw invalid(errors);
      const nameTaken = { field: 'name', message: translate('directory.error.teamNameTaken') };
      return unique(nameTaken, () => inTransaction(db, async (tx) => {
        if (await repository.findTeamByName(tx, organisation.id, name)) throw invalid([nameTaken]);
        const team = { id: newId(), organisation_id: organisation.id, name, created_at: nowIso() };
        await repository.insertTeam(tx, team);
        await audit.record(tx, context, { action: 'collect', event: 'team.create', objectType: 'team', objectId: team.id, details: { organisation: organisation.code } });
        return { id: team.id, name };
      }));
    },

    /** Adds a person with a temporary password chosen by the administrator; they set up their authenticator at first sign-in. */
    async addPerson(actor: Actor, context: AuditContext, organisationId: string, input: NewPerson): Promise<string> {
      const organisation = await manageable(actor, context, organisationId);
      return createPersonIn(context, organisation, input);
    },

    async giveRole(actor: Actor, context: AuditContext, organisationId: string, personId: string, input: { role: string; teamId: string }): Promise<void> {
      const { organisation, memberships } = await member(actor, context, organisationId, personId);
      const errors = roleErrors(input.role, organisation);
      const team = isId(input.teamId) ? await repository.findTeam(db, input.teamId) : undefined;
      if (input.teamId && team?.organisation_id !== organisation.id) errors.push({ field: 'team', message: translate('directory.error.teamUnknown') });
      const held = { field: 'role', message: translate('directory.error.roleHeld') };
      if (memberships.some((m) => m.organisation_id === organisation.id && m.role === input.role)) errors.push(held);
      if (errors.length) throw invalid(errors);
      await unique(held, () => inTransaction(db, async (tx) => {
        await repository.insertMembership(tx, { id: newId(), user_id: personId, organisation_id: organisation.id, team_id: team?.id ?? null, role: input.role, created_at: nowIso() });
        await audit.record(tx, context, { action: 'alter', event: 'person.role.give', objectType: 'user', objectId: personId, subjects: [personId], details: { organisation: organisation.code, role: input.role } });
      }));
    },

    /** Removes a role; returns false if the person no longer had it. */
    async removeRole(actor: Actor, context: AuditContext, organisationId: string, personId: string, role: string): Promise<boolean> {
      const { organisation, memberships } = await member(actor, context, organisationId, personId);
      const entry: AuditEntry = { action: 'alter', event: 'person.role.remove', objectType: 'user', objectId: personId, subjects: [personId], details: { organisation: organisation.code, role } };
      if (!memberships.some((m) => m.organisation_id === organisation.id && m.role === role)) {
        await unchanged(context, entry);
        return false;
      }
      if (actor.userId === personId && role === 'administrator' && actor.organisation.organisationId === organisation.id) {
        throw invalid([{ field: 'role', message: translate('directory.error.ownAdministratorRole') }]);
      }
      if (memberships.length === 1) throw invalid([{ field: 'role', message: translate('directory.error.lastRole') }]);
      return inTransaction(db, async (tx) => {
        const removed = (await repository.deleteMembership(tx, personId, organisation.id, role)) === 1;
        await audit.record(tx, context, removed ? entry : { ...entry, details: { ...entry.details, changed: false } });
        return removed;
      });
    },

    /** Stops a person signing in, and ends the sessions they have open now. */
    async disablePerson(actor: Actor, context: AuditContext, organisationId: string, personId: string): Promise<void> {
      const { user } = await member(actor, context, organisationId, personId);
      notYourself(actor, personId);
      const entry: AuditEntry = { action: 'alter', event: 'person.disable', objectType: 'user', objectId: user.id, subjects: [user.id] };
      if (user.disabled_at) return unchanged(context, entry);
      await changeAccount(context, user, { disabled_at: nowIso() }, true, entry);
    },

    async enablePerson(actor: Actor, context: AuditContext, organisationId: string, personId: string): Promise<void> {
      const { user } = await member(actor, context, organisationId, personId);
      const entry: AuditEntry = { action: 'alter', event: 'person.enable', objectType: 'user', objectId: user.id, subjects: [user.id] };
      if (!user.disabled_at) return unchanged(context, entry);
      await changeAccount(context, user, { disabled_at: null }, false, entry);
    },

    /** For a lost or replaced phone: the person sets up their authenticator again at their next sign-in. */
    async resetAuthenticator(actor: Actor, context: AuditContext, organisationId: string, personId: string): Promise<void> {
      const { user } = await member(actor, context, organisationId, personId);
      notYourself(actor, personId);
      await changeAccount(context, user, { totp_secret: null, totp_last_step: null, mfa_enrolled_at: null }, true, {
        action: 'alter',
        event: 'person.authenticator.reset',
        objectType: 'user',
        objectId: user.id,
        subjects: [user.id],
      });
    },

    /** What the command line may do: its operator already holds the server, so no organisation check applies. */
    operator: {
      async people(context: AuditContext, organisationCode?: string): Promise<repository.PersonWithMemberships[]> {
        const organisation = organisationCode ? await repository.findOrganisationByCode(db, normaliseCode(organisationCode)) : undefined;
        if (organisationCode && !organisation) throw new Problem('not-found', `There is no organisation with the code ${normaliseCode(organisationCode)}`);
        return audit.audited(context, (people) => ({
          action: 'consult',
          event: 'person.list',
          objectType: organisation ? 'organisation' : undefined,
          objectId: organisation?.id,
          subjects: people.map((p) => p.id),
        }), (tx) => repository.listPeople(tx, organisation?.id));
      },

      /** Adds a person with a generated temporary password, returned once. */
      async createPerson(context: AuditContext, input: { email: string; name: string; organisationCode: string; role: string }): Promise<{ id: string; password: string }> {
        const organisation = await repository.findOrganisationByCode(db, normaliseCode(input.organisationCode));
        if (!organisation) throw new Problem('not-found', `There is no organisation with the code ${normaliseCode(input.organisationCode)}`);
        const password = generateTemporaryPassword({ email: input.email, displayName: input.name });
        const id = await createPersonIn(context, organisation, { email: input.email, name: input.name, role: input.role, teamId: '', password });
        return { id, password };
      },

      /** A person's roles in one organisation, found by email address and code. */
      async membership(email: string, organisationCode: string): Promise<{ userId: string; organisationId: string; roles: Role[] }> {
        const user = await repository.findUserByEmail(db, normaliseEmail(email));
        if (!user) throw new Problem('not-found', `There is nobody with the email address ${normaliseEmail(email)}`);
        const code = normaliseCode(organisationCode);
        const memberships = (await repository.membershipsOf(db, user.id)).filter((m) => m.organisation_code === code);
        if (memberships.length === 0) throw new Problem('not-found', `${user.email} has no role in an organisation with the code ${code}`);
        return { userId: user.id, organisationId: memberships[0]!.organisation_id, roles: memberships.map((m) => m.role).filter(isRole) };
      },
    },
  };
}

export type DirectoryService = ReturnType<typeof createDirectoryService>;
