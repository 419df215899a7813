// The JSON API of action plans: the same service and checks as the pages.
// Reads are for anyone signed in; a plan answers its version as the ETag, an
// action its own. Posting an update needs If-Match with the action's ETag and
// takes an Idempotency-Key; a change of status needs the note that says why.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { allow } from '../platform/access/policy.ts';
import { API_PREFIX, problemResponses } from '../platform/api/schemas.ts';
import { DATE, createHeaders, idParams, idempotencyOf, withIfMatch } from '../cases/api-support.ts';
import { MAX_TEXT, planLevels, statusSchemes } from './model.ts';
import type { ActionReference, ActionSummary, PlanSummary, PlanUpdate } from './model.ts';
import type { ActionView, PlanListItem, PlanView, PlansService } from './service.ts';

const UUID = { type: 'string', format: 'uuid' } as const;
const INSTANT = { type: 'string', format: 'date-time' } as const;
const NULLABLE_DATE = { anyOf: [DATE, { type: 'null' }] } as const;
const STATUS = { type: 'string', enum: [...new Set(Object.values(statusSchemes).flatMap((scheme) => Object.keys(scheme)))] } as const;
const COUNTS = { type: 'array', items: { type: 'object', required: ['status', 'count'], properties: { status: STATUS, count: { type: 'integer', minimum: 0 } }, additionalProperties: false } } as const;

const planProperties = {
  id: UUID,
  title: { type: 'string' },
  level: { type: 'string', enum: planLevels },
  ownerOrganisationId: UUID,
  ownerOrganisationName: { type: 'string' },
  owners: { type: 'array', items: { type: 'string' }, description: 'The bodies that own the plan, as it names them' },
  period: { type: 'string' },
  statusScheme: { type: 'string', enum: Object.keys(statusSchemes), description: 'The statuses its actions take: yes / no / in progress, or red / amber / green / complete' },
  reviewCycleMonths: { type: 'integer', minimum: 1 },
  nextReviewOn: DATE,
  lastReviewedOn: NULLABLE_DATE,
  source: { type: ['string', 'null'], description: 'For a shipped plan: the published report it was structured from' },
  version: { type: 'integer', minimum: 1 },
} as const;
const planFields = Object.keys(planProperties);

const referenceSchema = {
  type: 'object',
  required: ['planId', 'planTitle', 'actionId', 'number', 'text', 'status'],
  properties: { planId: UUID, planTitle: { type: 'string' }, actionId: UUID, number: { type: 'integer' }, text: { type: 'string' }, status: STATUS },
  additionalProperties: false,
} as const;

const actionProperties = {
  id: UUID,
  number: { type: 'integer', minimum: 1 },
  text: { type: 'string' },
  owners: { type: 'array', items: { type: 'object', required: ['label', 'organisationId'], properties: { label: { type: 'string' }, organisationId: { anyOf: [UUID, { type: 'null' }] } }, additionalProperties: false }, description: 'Who the action names as doing it; empty: the plan’s owners' },
  leadName: { type: ['string', 'null'] },
  targetOn: NULLABLE_DATE,
  status: STATUS,
  deliversActionId: { anyOf: [UUID, { type: 'null' }], description: 'The national action this one delivers' },
  latestUpdate: {
    type: ['object', 'null'], required: ['text', 'on', 'label'], additionalProperties: false,
    properties: { text: { type: 'string' }, on: NULLABLE_DATE, label: { type: ['string', 'null'], description: 'For published commentary: the report it appeared in' } },
  },
  version: { type: 'integer', minimum: 1 },
} as const;
const actionSchema = { type: 'object', required: Object.keys(actionProperties), properties: actionProperties, additionalProperties: false } as const;

const listSchema = {
  type: 'object',
  required: ['plans'],
  properties: {
    plans: {
      type: 'array',
      items: { type: 'object', required: [...planFields, 'actions', 'byStatus'], properties: { ...planProperties, actions: { type: 'integer', minimum: 0 }, byStatus: COUNTS }, additionalProperties: false },
    },
  },
  additionalProperties: false,
} as const;

const planSchema = {
  type: 'object',
  required: [...planFields, 'themes'],
  properties: {
    ...planProperties,
    themes: {
      type: 'array',
      description: 'In the plan’s own order',
      items: {
        type: 'object', required: ['id', 'position', 'title', 'description', 'actions'], additionalProperties: false,
        properties: { id: UUID, position: { type: 'integer', minimum: 1 }, title: { type: 'string' }, description: { type: ['string', 'null'] }, actions: { type: 'array', items: actionSchema } },
      },
    },
  },
  additionalProperties: false,
} as const;

const actionDetailSchema = {
  type: 'object',
  required: ['planId', 'themeTitle', 'action', 'updates', 'evidence', 'delivers', 'deliveredBy'],
  properties: {
    planId: UUID,
    themeTitle: { type: 'string' },
    action: actionSchema,
    updates: {
      type: 'array',
      description: 'The action’s full history, newest first: updates, status changes (with their note), evidence and links',
      items: {
        type: 'object', required: ['id', 'kind', 'on', 'label', 'text', 'statusFrom', 'statusTo', 'recordedBy', 'recordedAt'], additionalProperties: false,
        properties: {
          id: UUID, kind: { type: 'string', enum: ['update', 'status', 'evidence', 'link', 'review'] }, on: NULLABLE_DATE, label: { type: ['string', 'null'] }, text: { type: 'string' },
          statusFrom: { anyOf: [STATUS, { type: 'null' }] }, statusTo: { anyOf: [STATUS, { type: 'null' }] }, recordedBy: { type: ['string', 'null'] }, recordedAt: INSTANT,
        },
      },
    },
    evidence: {
      type: 'array',
      items: { type: 'object', required: ['id', 'title', 'url', 'addedBy', 'addedAt'], properties: { id: UUID, title: { type: 'string' }, url: { type: 'string', format: 'uri' }, addedBy: { type: ['string', 'null'] }, addedAt: INSTANT }, additionalProperties: false },
    },
    delivers: { anyOf: [referenceSchema, { type: 'null' }] },
    deliveredBy: { type: 'array', items: referenceSchema },
  },
  additionalProperties: false,
} as const;

const presentPlan = (plan: PlanSummary) => Object.fromEntries(planFields.map((field) => [field, plan[field as keyof PlanSummary]]));
const presentAction = ({ leadUserId: _, ...action }: ActionSummary) => action;
const presentUpdate = ({ link: _, ...update }: PlanUpdate) => update;
const presentReference = (ref: ActionReference) => ref;

function presentDetail(view: ActionView) {
  return {
    planId: view.plan.id, themeTitle: view.theme.title, action: presentAction(view.action), updates: view.updates.map(presentUpdate),
    evidence: view.evidence, delivers: view.delivers ? presentReference(view.delivers) : null, deliveredBy: view.deliveredBy.map(presentReference),
  };
}

export function registerPlansApi(app: FastifyInstance, plans: PlansService): void {
  const tags = ['plans'];
  const read = { policy: allow.signedIn, audit: 'none' as const };
  const change = { policy: allow.withPermission('plans.manage'), audit: 'required' as const };
  const base = `${API_PREFIX}/plans`;
  const ids = (request: FastifyRequest) => request.params as { planId: string; actionId: string };
  const answerAction = async (request: FastifyRequest, reply: FastifyReply, status: 200 | 201) => {
    const { planId, actionId } = ids(request);
    const view = await plans.action(request.actor!, planId, actionId);
    reply.header('etag', `"${view.action.version}"`);
    if (status === 201) reply.header('location', `${base}/${view.plan.id}/actions/${view.action.id}`);
    return reply.code(status).send(presentDetail(view));
  };

  app.get(base, {
    config: read,
    schema: {
      tags, operationId: 'listPlans', summary: 'Every action plan, national and local, with its actions counted by status',
      description: 'For anyone signed in: plans hold no case data.',
      response: { 200: listSchema },
    },
  }, async (_request, reply) => reply.send({ plans: (await plans.list()).map((plan: PlanListItem) => ({ ...presentPlan(plan), actions: plan.actions, byStatus: plan.byStatus })) }));

  app.get(`${base}/:planId`, {
    config: read,
    schema: {
      tags, operationId: 'getPlan', summary: 'A plan with its themes and their actions, each with its latest update',
      description: 'For anyone signed in. The ETag is the plan’s own version; each action carries its own.',
      params: idParams('planId'),
      response: { 200: planSchema, ...problemResponses('not-found') },
    },
  }, async (request, reply) => {
    const view: PlanView = await plans.plan(request.actor!, ids(request).planId);
    reply.header('etag', `"${view.plan.version}"`);
    return reply.send({ ...presentPlan(view.plan), themes: view.themes.map((theme) => ({ ...theme, actions: theme.actions.map(presentAction) })) });
  });

  app.get(`${base}/:planId/actions/:actionId`, {
    config: read,
    schema: {
      tags, operationId: 'getPlanAction', summary: 'An action with its history of updates, its evidence and its links',
      description: 'For anyone signed in. The ETag is the action’s version: send it as If-Match to post an update.',
      params: idParams('planId', 'actionId'),
      response: { 200: actionDetailSchema, ...problemResponses('not-found') },
    },
  }, async (request, reply) => answerAction(request, reply, 200));

  app.post(`${base}/:planId/actions/:actionId/updates`, {
    config: change,
    schema: {
      tags, operationId: 'postPlanActionUpdate', summary: 'Add a dated update to an action, or change its status with a note',
      description: 'For plan leads of the organisation that owns the plan (national plans: the national organisation’s). A `status` different from the action’s changes it, and `text` is then the note saying why. Send If-Match with the action’s ETag, and an Idempotency-Key to make retries safe.',
      params: idParams('planId', 'actionId'),
      headers: createHeaders,
      body: {
        type: 'object', required: ['text'], additionalProperties: false,
        properties: { text: { type: 'string', maxLength: MAX_TEXT, description: 'The update, or the note saying why the status changed' }, status: { ...STATUS, description: 'The new status, in the plan’s scheme' } },
      },
      response: { 201: actionDetailSchema, ...problemResponses('validation', 'not-found', 'forbidden', 'precondition-failed', 'precondition-required', 'idempotency-key-reused') },
    },
  }, async (request, reply) => {
    const body = request.body as { text: string; status?: string };
    const { planId, actionId } = ids(request);
    await withIfMatch(request, (version) => plans.recordUpdate(request.actor!, request.auditContext, planId, actionId, { text: body.text, status: body.status ?? '' }, version, idempotencyOf(request, request.body)));
    return answerAction(request, reply, 201);
  });
}
