// The journal search for integrations: the same filters, scope and audit of
// the read as the auditor's page.
import type { FastifyInstance } from 'fastify';
import { allow } from '../access/policy.ts';
import { API_PREFIX } from '../api/schemas.ts';
import type { Platform } from '../platform.ts';
import { Problem } from '../web/errors.ts';
import { auditActions, readFilters, searchAddress } from './model.ts';
import { PAGE_SIZE, searchJournal } from './service.ts';

const EVENTS_PATH = `${API_PREFIX}/audit/events`;
const MAX_LIMIT = 200;

const id = { type: 'string', format: 'uuid' } as const;
const sequence = { type: 'string', pattern: '^[1-9][0-9]{0,15}$' } as const;
const nullableString = { type: ['string', 'null'] } as const;

const querystring = {
  type: 'object',
  properties: {
    person: { ...id, description: 'Entries by this person (user id)' },
    action: { type: 'string', enum: auditActions, description: 'Entries of this kind' },
    object: { ...id, description: 'Entries about this record' },
    subject: { ...id, description: 'Entries concerning this data subject (person id)' },
    from: { type: 'string', format: 'date', description: 'Entries on or after this day in Europe/London (YYYY-MM-DD)' },
    to: { type: 'string', format: 'date', description: 'Entries on or before this day in Europe/London (YYYY-MM-DD)' },
    before: { ...sequence, description: 'Entries older than this sequence number (from the `older` link)' },
    after: { ...sequence, description: 'Entries newer than this sequence number (from the `newer` link)' },
    limit: { type: 'string', pattern: '^[1-9][0-9]{0,2}$', description: `Entries per page, 1 to ${MAX_LIMIT} (default ${PAGE_SIZE})` },
  },
  additionalProperties: false,
} as const;

const entrySchema = {
  type: 'object',
  required: ['seq', 'id', 'at', 'actor', 'action', 'event', 'objectType', 'objectId', 'subjects', 'purpose', 'requestId', 'outcome', 'details'],
  properties: {
    seq: { type: 'integer', minimum: 1, description: 'Position in the journal' },
    id: id,
    at: { type: 'string', format: 'date-time', description: 'When, in UTC' },
    actor: {
      type: 'object',
      required: ['userId', 'name', 'organisationId', 'organisationName', 'role'],
      properties: {
        userId: { ...nullableString, description: 'Null when the platform itself acted' },
        name: nullableString,
        organisationId: nullableString,
        organisationName: nullableString,
        role: { ...nullableString, description: 'The roles held, separated by spaces' },
      },
      additionalProperties: false,
    },
    action: { type: 'string', description: `One of ${auditActions.join(', ')}` },
    event: { type: 'string', description: 'A short name for what happened, e.g. user.create' },
    objectType: nullableString,
    objectId: nullableString,
    subjects: { type: 'array', items: { type: 'string' }, description: 'Ids of the people whose data this is' },
    purpose: nullableString,
    requestId: nullableString,
    outcome: { type: 'string', enum: ['success', 'failure', 'denied'] },
    details: { type: 'object', additionalProperties: { type: ['string', 'number', 'boolean', 'null'] } },
  },
  additionalProperties: false,
} as const;

const pageSchema = {
  description: 'Entries newest first, with the addresses of the pages either side',
  type: 'object',
  required: ['entries', 'older', 'newer'],
  properties: {
    entries: { type: 'array', items: entrySchema },
    older: { ...nullableString, description: 'The address of the next older page, or null' },
    newer: { ...nullableString, description: 'The address of the next newer page, or null' },
  },
  additionalProperties: false,
} as const;

export function registerAuditApi(app: FastifyInstance, platform: Platform): void {
  app.get(EVENTS_PATH, {
    config: { policy: allow.withPermission('audit.read'), audit: 'required' },
    schema: {
      tags: ['audit'],
      operationId: 'searchAuditEvents',
      summary: 'Search the audit journal',
      description:
        'Journal entries newest first, filtered and paged by sequence number. National auditors see every entry; ' +
        'others see entries made by people acting for their organisation. The search is itself recorded in the journal.',
      querystring,
      response: { 200: pageSchema },
    },
  }, async (request) => {
    const { filters, cursor, errors } = readFilters(request.query);
    const limit = Number((request.query as { limit?: string }).limit ?? PAGE_SIZE);
    if (limit > MAX_LIMIT) errors.push({ field: 'limit', message: `Ask for at most ${MAX_LIMIT} entries` });
    if (errors.length > 0) throw new Problem('validation', 'The search is not valid', errors);
    const page = await searchJournal(platform, request.actor!, filters, cursor, request.auditContext, limit);
    const pageLimit = limit === PAGE_SIZE ? undefined : limit;
    return {
      entries: page.entries, // the response schema is the whitelist of what leaves
      older: page.older ? searchAddress(EVENTS_PATH, filters, { ...page.older, limit: pageLimit }) : null,
      newer: page.newer ? searchAddress(EVENTS_PATH, filters, { ...page.newer, limit: pageLimit }) : null,
    };
  });
}
