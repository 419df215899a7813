// Organisations, teams and people: the kinds of organisation, what each
// record looks like outside the database, and the rules that codes, names,
// email addresses, roles and temporary passwords must follow.
import { randomInt } from 'node:crypto';
import { isRole, permissions, roleAllowedIn } from '../access/roles.ts';
import type { Permission, Role } from '../access/roles.ts';
import { passwordProblem } from '../auth/password.ts';
import type { OrganisationKind, UsersTable } from '../db/tables.ts';
import { translate } from '../i18n/messages.ts';
import type { FieldError } from '../web/errors.ts';

export const organisationKinds = ['police_force', 'cps_area', 'isva_service', 'national'] as const satisfies readonly OrganisationKind[];

export function isOrganisationKind(value: string): value is OrganisationKind {
  return (organisationKinds as readonly string[]).includes(value);
}

export function kindName(kind: OrganisationKind): string {
  return translate(`directory.kind.${kind}`);
}

/** People are listed this many to a page. */
export const PAGE_SIZE = 50;

export const MAX_ORGANISATION_NAME = 120;
export const MAX_TEAM_NAME = 100;
export const MAX_PERSON_NAME = 100;
export const MAX_EMAIL = 254;
/** Versions are 32-bit integers in the database; a larger one was never read from it. */
export const MAX_VERSION = 2_147_483_647;

export interface Organisation {
  readonly id: string;
  readonly code: string;
  readonly name: string;
  readonly kind: OrganisationKind;
  readonly version: number;
  readonly createdAt: string;
  readonly updatedAt: string;
}

export interface Team {
  readonly id: string;
  readonly name: string;
}

export interface PersonSummary {
  readonly id: string;
  readonly email: string;
  readonly name: string;
  readonly disabled: boolean;
  readonly authenticatorSetUp: boolean;
  readonly roles: readonly Role[];
}

export interface PersonMembership {
  readonly organisationId: string;
  readonly organisationCode: string;
  readonly organisationName: string;
  readonly role: Role;
  readonly teamId: string | null;
  readonly teamName: string | null;
}

export interface Person {
  readonly id: string;
  readonly email: string;
  readonly name: string;
  readonly disabledAt: string | null;
  readonly authenticatorSetUp: boolean;
  readonly version: number;
  /** Only the roles in organisations the viewer manages. */
  readonly memberships: readonly PersonMembership[];
}

export interface PeoplePage {
  readonly people: readonly PersonSummary[];
  readonly total: number;
  readonly page: number;
  readonly pages: number;
}

export interface NewOrganisation {
  readonly code: string;
  readonly name: string;
  readonly kind: string;
}

export interface NewPerson {
  readonly email: string;
  readonly name: string;
  readonly role: string;
  /** A team of the same organisation, or empty for none. */
  readonly teamId: string;
  readonly password: string;
}

/** Codes are short capitals, so people can type them on the command line and in links. */
export function normaliseCode(code: string): string {
  return code.trim().toUpperCase();
}

/** Names are kept as typed, less stray spaces. */
export function normaliseName(name: string): string {
  return name.trim().replace(/\s+/g, ' ');
}

const CODE = /^[A-Z0-9][A-Z0-9-]{1,19}$/;
// A pragmatic check: something, an @, and a domain with a dot. The address is
// proved when the person signs in with it, not by a pattern.
const EMAIL = /^[^\s@]+@[^\s@.]+(\.[^\s@.]+)+$/;
// Line breaks, tabs and other control characters have no place in a name.
const CONTROL = /\p{Cc}/u;

function nameErrors(field: string, value: string, max: number, missingKey: string): FieldError[] {
  if (!value) return [{ field, message: translate(missingKey) }];
  if ([...value].length > max) return [{ field, message: translate('directory.error.tooLong', { max }) }];
  if (CONTROL.test(value)) return [{ field, message: translate('directory.error.controlCharacters') }];
  return [];
}

export function organisationErrors(input: NewOrganisation): FieldError[] {
  const errors: FieldError[] = [];
  if (!input.code) errors.push({ field: 'code', message: translate('directory.error.codeMissing') });
  else if (!CODE.test(input.code)) errors.push({ field: 'code', message: translate('directory.error.codeFormat') });
  errors.push(...organisationNameErrors(input.name));
  if (!isOrganisationKind(input.kind)) errors.push({ field: 'kind', message: translate('directory.error.kindMissing') });
  return errors;
}

export function organisationNameErrors(name: string): FieldError[] {
  return nameErrors('name', name, MAX_ORGANISATION_NAME, 'directory.error.organisationNameMissing');
}

export function teamNameErrors(name: string): FieldError[] {
  return nameErrors('name', name, MAX_TEAM_NAME, 'directory.error.teamNameMissing');
}

export function emailErrors(email: string): FieldError[] {
  if (!email) return [{ field: 'email', message: translate('directory.error.emailMissing') }];
  if (email.length > MAX_EMAIL || !EMAIL.test(email) || CONTROL.test(email)) return [{ field: 'email', message: translate('directory.error.emailFormat') }];
  return [];
}

/** A role must exist and be one that people in this kind of organisation can hold. */
export function roleErrors(role: string, organisation: { name: string; kind: OrganisationKind }): FieldError[] {
  if (!role || !isRole(role)) return [{ field: 'role', message: translate('directory.error.roleMissing') }];
  if (!roleAllowedIn(role, organisation.kind)) return [{ field: 'role', message: translate('directory.error.roleNotAllowed', { organisation: organisation.name }) }];
  return [];
}

export function personErrors(input: NewPerson, organisation: { name: string; kind: OrganisationKind }): FieldError[] {
  const errors = [
    ...nameErrors('name', input.name, MAX_PERSON_NAME, 'directory.error.personNameMissing'),
    ...emailErrors(input.email),
    ...roleErrors(input.role, organisation),
  ];
  if (!input.password) errors.push({ field: 'password', message: translate('directory.error.passwordMissing') });
  else {
    const problem = passwordProblem(input.password, { email: input.email, displayName: input.name });
    if (problem) errors.push({ field: 'password', message: problem });
  }
  return errors;
}

// No 0/o, 1/l/i: the password may be read out over the phone.
const PASSWORD_ALPHABET = 'abcdefghjkmnpqrstuvwxyz23456789';

/** A random temporary password (about 98 bits), in groups that are easy to read out. */
export function generateTemporaryPassword(person: { email: string; displayName: string }): string {
  for (;;) {
    const groups = Array.from({ length: 4 }, () => Array.from({ length: 5 }, () => PASSWORD_ALPHABET[randomInt(PASSWORD_ALPHABET.length)]).join(''));
    const password = groups.join('-');
    if (!passwordProblem(password, person)) return password;
  }
}

/** Whether holding `roles` in an organisation grants `permission` there. */
export function rolesGrant(roles: readonly Role[], permission: Permission): boolean {
  return roles.some((role) => (permissions[permission] as readonly Role[]).includes(role));
}

/**
 * A new person's row. Without an authenticator secret they set one up at
 * first sign-in; with one (the demo, tests) they are enrolled already.
 */
export function newUserRow(person: {
  id: string;
  email: string;
  displayName: string;
  passwordHash: string | null;
  sealedTotpSecret?: string | undefined;
  now: string;
}): UsersTable {
  return {
    id: person.id,
    email: person.email,
    display_name: person.displayName,
    password_hash: person.passwordHash,
    totp_secret: person.sealedTotpSecret ?? null,
    totp_last_step: null,
    mfa_enrolled_at: person.sealedTotpSecret ? person.now : null,
    oidc_issuer: null,
    oidc_subject: null,
    disabled_at: null,
    created_at: person.now,
    updated_at: person.now,
    version: 1,
  };
}
