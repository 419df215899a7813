// The platform's own API operations. `GET /api/v1/me` is the pattern every
// API route follows: a declared policy and audit, a full response schema
// (which is also the whitelist of what leaves the server) and a presenter.
import type { FastifyInstance } from 'fastify';
import { allow, hasPermission } from '../access/policy.ts';
import type { Actor, Membership } from '../access/policy.ts';
import { permissions, roleNames } from '../access/roles.ts';
import type { Permission } from '../access/roles.ts';
import type { OrganisationKind } from '../db/tables.ts';
import type { Platform } from '../platform.ts';
import { API_PREFIX } from './schemas.ts';

const organisationKinds = Object.keys({ police_force: true, cps_area: true, isva_service: true, national: true } satisfies Record<OrganisationKind, true>);
const permissionNames = Object.keys(permissions) as Permission[];

const membershipSchema = {
  type: 'object',
  required: ['id', 'code', 'name', 'kind', 'roles'],
  properties: {
    id: { type: 'string', format: 'uuid' },
    code: { type: 'string' },
    name: { type: 'string' },
    kind: { type: 'string', enum: organisationKinds },
    roles: { type: 'array', items: { type: 'string', enum: roleNames } },
  },
  additionalProperties: false,
} as const;

const meSchema = {
  description: 'The person the token or session acts for',
  type: 'object',
  required: ['id', 'name', 'email', 'authenticatedWith', 'organisation', 'memberships', 'permissions', 'scopes'],
  properties: {
    id: { type: 'string', format: 'uuid' },
    name: { type: 'string' },
    email: { type: 'string', format: 'email' },
    authenticatedWith: { type: 'string', enum: ['session', 'token'] },
    organisation: { ...membershipSchema, description: 'The organisation the caller is acting for, with their roles in it' },
    memberships: { type: 'array', description: 'Every organisation the person belongs to', items: membershipSchema },
    permissions: { type: 'array', description: 'What the caller may do now: their roles here, narrowed by the token’s scopes', items: { type: 'string', enum: permissionNames } },
    scopes: {
      type: ['array', 'null'],
      description: 'The scopes the API token was issued for; null for a signed-in session',
      items: { type: 'string', enum: permissionNames },
    },
  },
  additionalProperties: false,
} as const;

export function registerApi(app: FastifyInstance, platform: Platform): void {
  app.get(`${API_PREFIX}/me`, {
    config: { policy: allow.signedIn, audit: 'required' },
    schema: {
      tags: ['account'],
      operationId: 'getMe',
      summary: 'Who the caller is',
      description: 'The person an API token or session acts for: their organisation, roles and what they may do. The read is audited.',
      response: { 200: meSchema },
    },
  }, async (request) => {
    const actor = request.actor!;
    return platform.audit.audited(
      request.auditContext,
      { action: 'consult', event: 'api.me', objectType: 'user', objectId: actor.userId, subjects: [actor.userId] },
      async () => presentMe(actor),
    );
  });
}

function presentMe(actor: Actor) {
  return {
    id: actor.userId,
    name: actor.displayName,
    email: actor.email,
    authenticatedWith: actor.via,
    organisation: presentMembership(actor.organisation),
    memberships: actor.memberships.map(presentMembership),
    permissions: permissionNames.filter((permission) => hasPermission(actor, permission)),
    scopes: actor.scopes ?? null,
  };
}

function presentMembership(membership: Membership) {
  return {
    id: membership.organisationId,
    code: membership.organisationCode,
    name: membership.organisationName,
    kind: membership.organisationKind,
    roles: membership.roles,
  };
}
