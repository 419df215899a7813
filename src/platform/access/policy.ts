// The one place that decides who may see or do what. Default deny: a route
// with no policy does not start, and an object that is not yours is "not
// found", so its existence is not disclosed. Web pages and the API call the
// same functions.
import type { OrganisationKind } from '../db/tables.ts';
import { permissions } from './roles.ts';
import type { Permission, Role } from './roles.ts';

export interface Membership {
  readonly organisationId: string;
  readonly organisationCode: string;
  readonly organisationName: string;
  readonly organisationKind: OrganisationKind;
  readonly roles: readonly Role[];
}

/** Who is asking: a signed-in person, or an integration using an API token. */
export interface Actor {
  readonly userId: string;
  readonly displayName: string;
  readonly email: string;
  /** The organisation the person is acting for now (organisation switcher). */
  readonly organisation: Membership;
  readonly memberships: readonly Membership[];
  readonly via: 'session' | 'token';
  /** For API tokens: the permissions the token was issued for. */
  readonly scopes: readonly Permission[] | undefined;
}

/** What a route requires before its handler runs. */
export type RoutePolicy =
  | { readonly kind: 'public' }
  | { readonly kind: 'signing-in' }
  | { readonly kind: 'signed-in' }
  | { readonly kind: 'permission'; readonly permission: Permission };

export const allow = {
  public: { kind: 'public' },
  signingIn: { kind: 'signing-in' },
  signedIn: { kind: 'signed-in' },
  withPermission: (permission: Permission): RoutePolicy => ({ kind: 'permission', permission }),
} as const satisfies Record<string, RoutePolicy | ((p: Permission) => RoutePolicy)>;

export type Decision = 'allow' | 'sign-in' | 'forbidden';

export function hasPermission(actor: Actor, permission: Permission): boolean {
  const holders: readonly Role[] = permissions[permission];
  const byRole = actor.organisation.roles.some((role) => holders.includes(role));
  const byScope = actor.via === 'session' || (actor.scopes ?? []).includes(permission);
  return byRole && byScope;
}

/** Decides a route policy for the actor (null: nobody signed in). */
export function decideRoute(policy: RoutePolicy, actor: Actor | null, signingIn: boolean): Decision {
  switch (policy.kind) {
    case 'public':
      return 'allow';
    case 'signing-in':
      return signingIn || actor ? 'allow' : 'sign-in';
    case 'signed-in':
      return actor ? 'allow' : 'sign-in';
    case 'permission':
      if (!actor) return 'sign-in';
      return hasPermission(actor, policy.permission) ? 'allow' : 'forbidden';
  }
}

/** National administrators manage every organisation; others their own. */
export function canManageOrganisation(actor: Actor, organisationId: string): boolean {
  if (!hasPermission(actor, 'directory.manage')) return false;
  return actor.organisation.organisationKind === 'national' || actor.organisation.organisationId === organisationId;
}

/** Auditors read the journal of their own organisation; national ones read all of it. */
export function auditScope(actor: Actor): { organisationId: string } | 'all' | 'none' {
  if (!hasPermission(actor, 'audit.read')) return 'none';
  return actor.organisation.organisationKind === 'national' ? 'all' : { organisationId: actor.organisation.organisationId };
}
