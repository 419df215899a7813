// The directory's JSON API: organisations (list, read, rename) and people
// (read). Renaming needs the ETag from a read in If-Match, so a client can
// never overwrite a change it has not seen.
import type { FastifyInstance } from 'fastify';
import { allow } from '../access/policy.ts';
import { roleNames } from '../access/roles.ts';
import { API_PREFIX, problemResponses } from '../api/schemas.ts';
import { Problem } from '../web/errors.ts';
import { MAX_ORGANISATION_NAME, organisationKinds } from './model.ts';
import type { Organisation, Person } from './model.ts';
import type { DirectoryService } from './service.ts';

const ID_PATTERN = '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$';
const idParams = { type: 'object', required: ['id'], properties: { id: { type: 'string', pattern: ID_PATTERN } }, additionalProperties: false } as const;

const organisationSchema = {
  type: 'object',
  required: ['id', 'code', 'name', 'kind', 'version', 'createdAt', 'updatedAt'],
  properties: {
    id: { type: 'string', format: 'uuid' },
    code: { type: 'string', description: 'Short code, unique across the platform' },
    name: { type: 'string' },
    kind: { type: 'string', enum: [...organisationKinds] },
    version: { type: 'integer', minimum: 1, description: 'Changes with every change to the organisation; the ETag carries it' },
    createdAt: { type: 'string', format: 'date-time' },
    updatedAt: { type: 'string', format: 'date-time' },
  },
  additionalProperties: false,
} as const;

const personSchema = {
  type: 'object',
  required: ['id', 'email', 'name', 'disabled', 'authenticatorSetUp', 'memberships'],
  properties: {
    id: { type: 'string', format: 'uuid' },
    email: { type: 'string', format: 'email' },
    name: { type: 'string' },
    disabled: { type: 'boolean' },
    authenticatorSetUp: { type: 'boolean', description: 'Whether the person has set up their authenticator app' },
    memberships: {
      type: 'array',
      description: 'Their roles in the organisations the caller manages',
      items: {
        type: 'object',
        required: ['organisationId', 'organisationCode', 'organisationName', 'role', 'teamId', 'teamName'],
        properties: {
          organisationId: { type: 'string', format: 'uuid' },
          organisationCode: { type: 'string' },
          organisationName: { type: 'string' },
          role: { type: 'string', enum: roleNames },
          teamId: { type: ['string', 'null'], format: 'uuid' },
          teamName: { type: ['string', 'null'] },
        },
        additionalProperties: false,
      },
    },
  },
  additionalProperties: false,
} as const;

function presentOrganisation(organisation: Organisation) {
  const { id, code, name, kind, version, createdAt, updatedAt } = organisation;
  return { id, code, name, kind, version, createdAt, updatedAt };
}

function presentPerson(person: Person) {
  return {
    id: person.id,
    email: person.email,
    name: person.name,
    disabled: person.disabledAt !== null,
    authenticatorSetUp: person.authenticatorSetUp,
    memberships: person.memberships.map(({ organisationId, organisationCode, organisationName, role, teamId, teamName }) => ({
      organisationId, organisationCode, organisationName, role, teamId, teamName,
    })),
  };
}

export const etagOf = (organisation: Organisation): string => `"${organisation.version}"`;

/** The version a strong If-Match validator names, or null for anything else (weak, `*`, a list). */
export function versionFromIfMatch(header: string): number | null {
  const match = /^"([1-9]\d{0,14})"$/.exec(header.trim());
  return match ? Number(match[1]) : null;
}

export function registerDirectoryApi(app: FastifyInstance, directory: DirectoryService): void {
  const policy = allow.withPermission('directory.manage');
  const tags = ['directory'];

  app.get(`${API_PREFIX}/organisations`, {
    config: { policy, audit: 'none' },
    schema: {
      tags,
      operationId: 'listOrganisations',
      summary: 'The organisations the caller manages',
      description: 'National administrators manage every organisation; other administrators only their own.',
      response: {
        200: {
          type: 'object',
          required: ['organisations'],
          properties: { organisations: { type: 'array', items: organisationSchema } },
          additionalProperties: false,
        },
      },
    },
  }, async (request) => ({ organisations: (await directory.organisations(request.actor!)).map(presentOrganisation) }));

  app.get(`${API_PREFIX}/organisations/:id`, {
    config: { policy, audit: 'none' },
    schema: {
      tags,
      operationId: 'getOrganisation',
      summary: 'One organisation',
      description: 'The ETag response header is the validator to send in If-Match when renaming it.',
      params: idParams,
      response: { 200: organisationSchema, ...problemResponses('not-found') },
    },
  }, async (request, reply) => {
    const { organisation } = await directory.organisation(request.actor!, request.auditContext, (request.params as { id: string }).id);
    reply.header('etag', etagOf(organisation));
    return presentOrganisation(organisation);
  });

  app.patch(`${API_PREFIX}/organisations/:id`, {
    config: { policy, audit: 'required' },
    schema: {
      tags,
      operationId: 'renameOrganisation',
      summary: 'Rename an organisation',
      description: 'Send If-Match with the ETag from the last read. If the organisation has changed since, nothing is changed and the answer is 412.',
      params: idParams,
      headers: { type: 'object', properties: { 'if-match': { type: 'string', maxLength: 100 } } },
      body: {
        type: 'object',
        required: ['name'],
        properties: { name: { type: 'string', minLength: 1, maxLength: MAX_ORGANISATION_NAME } },
        additionalProperties: false,
      },
      response: { 200: organisationSchema, ...problemResponses('not-found', 'precondition-failed', 'precondition-required') },
    },
  }, async (request, reply) => {
    const ifMatch = request.headers['if-match'];
    if (ifMatch === undefined) throw new Problem('precondition-required', 'Send If-Match with the ETag of the organisation as last read');
    const version = versionFromIfMatch(ifMatch);
    if (version === null) throw new Problem('precondition-failed', 'If-Match must be the ETag of the organisation as last read');
    const { name } = request.body as { name: string };
    try {
      const organisation = await directory.renameOrganisation(request.actor!, request.auditContext, (request.params as { id: string }).id, { name, version });
      reply.header('etag', etagOf(organisation));
      return presentOrganisation(organisation);
    } catch (error) {
      if (error instanceof Problem && error.type === 'conflict') throw new Problem('precondition-failed', 'The organisation has changed since the ETag sent in If-Match: read it again');
      throw error;
    }
  });

  app.get(`${API_PREFIX}/people/:id`, {
    config: { policy, audit: 'required' },
    schema: {
      tags,
      operationId: 'getPerson',
      summary: 'One person, with their roles in the organisations the caller manages',
      description: 'Someone with no role in an organisation the caller manages is not found. The read is audited.',
      params: idParams,
      response: { 200: personSchema, ...problemResponses('not-found') },
    },
  }, async (request) => presentPerson(await directory.person(request.actor!, request.auditContext, (request.params as { id: string }).id)));
}
