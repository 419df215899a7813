// The JSON API of action plans: the same service and checks as the pages.
// Reads are for anyone signed in; a plan answers its version as the ETag, an
// action its own. Posting an update needs If-Match with the action's ETag and
// takes an Idempotency-Key; a change of status needs the note that says why.
// Plan leads make plans here too: a plan, its details, its themes (added,
// changed, moved), and its actions (added, changed, withdrawn with a reason).
// A change to the plan's details or shape (themes, which actions it has)
// claims the plan's ETag; a change to one action claims that action's.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { allow } from '../platform/access/policy.ts';
import { API_PREFIX, problemResponses } from '../platform/api/schemas.ts';
import { DATE, ID, createHeaders, dateParts, idParams, idempotencyOf, ifMatchHeader, withCheckedIfMatch, withIfMatch } from '../cases/api-support.ts';
import {
  MAX_ACTION_NUMBER, MAX_DESCRIPTION, MAX_OWNER, MAX_OWNERS, MAX_PERIOD, MAX_REVIEW_CYCLE_MONTHS, MAX_TEXT, MAX_TITLE, changeFields, planLevels, planUpdateKinds, statusSchemes,
} from './model.ts';
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
  required: ['planId', 'planTitle', 'actionId', 'number', 'text', 'status', 'withdrawn'],
  properties: { planId: UUID, planTitle: { type: 'string' }, actionId: UUID, number: { type: 'integer' }, text: { type: 'string' }, status: STATUS, withdrawn: { type: 'boolean' } },
  additionalProperties: false,
} as const;

const updateSchema = {
  type: 'object', required: ['id', 'kind', 'on', 'label', 'text', 'statusFrom', 'statusTo', 'changes', 'actionNumber', 'themeTitle', 'recordedBy', 'recordedAt'], additionalProperties: false,
  properties: {
    id: UUID,
    kind: { type: 'string', enum: planUpdateKinds },
    on: NULLABLE_DATE, label: { type: ['string', 'null'] }, text: { type: 'string', description: 'The update, the note of a status change, a review’s findings, an action’s text when added, or why it was withdrawn' },
    statusFrom: { anyOf: [STATUS, { type: 'null' }] }, statusTo: { anyOf: [STATUS, { type: 'null' }] },
    changes: {
      type: 'array', description: 'For edits: each field changed, as it read before and after (names, not ids; dates YYYY-MM-DD; lists joined by “; ”)',
      items: { type: 'object', required: ['field', 'from', 'to'], properties: { field: { type: 'string', enum: changeFields }, from: { type: ['string', 'null'] }, to: { type: ['string', 'null'] } }, additionalProperties: false },
    },
    actionNumber: { type: ['integer', 'null'], description: 'For an action added, changed or withdrawn: its number' },
    themeTitle: { type: ['string', 'null'], description: 'For a theme added, changed or moved (or an action added): the theme' },
    recordedBy: { type: ['string', 'null'] }, recordedAt: INSTANT,
  },
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
  withdrawnOn: { ...NULLABLE_DATE, description: 'The day the action was withdrawn (it keeps its number, status and history); null while it stands' },
  version: { type: 'integer', minimum: 1 },
} as const;
const actionSchema = { type: 'object', required: Object.keys(actionProperties), properties: actionProperties, additionalProperties: false } as const;

const listSchema = {
  type: 'object',
  required: ['plans'],
  properties: {
    plans: {
      type: 'array',
      items: {
        type: 'object', required: [...planFields, 'actions', 'byStatus', 'withdrawn'], additionalProperties: false,
        properties: { ...planProperties, actions: { type: 'integer', minimum: 0, description: 'Standing actions' }, byStatus: COUNTS, withdrawn: { type: 'integer', minimum: 0, description: 'Actions withdrawn from the plan' } },
      },
    },
  },
  additionalProperties: false,
} as const;

const planSchema = {
  type: 'object',
  required: [...planFields, 'themes', 'history'],
  properties: {
    ...planProperties,
    history: { type: 'array', items: updateSchema, description: 'The plan’s own history, newest first: made, details changed, themes added, changed and moved, actions added and withdrawn, reviews' },
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
      description: 'The action’s full history, newest first: added, updates, status changes (with their note), evidence, links, changes to its details, and its withdrawal (with the reason)',
      items: updateSchema,
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

const OWNERS = { type: 'array', maxItems: MAX_OWNERS, items: { type: 'string', maxLength: MAX_OWNER } } as const;
const detailsProperties = {
  title: { type: 'string', maxLength: MAX_TITLE },
  period: { type: 'string', maxLength: MAX_PERIOD, description: 'The years the plan covers, e.g. 2026/27' },
  owners: { ...OWNERS, description: 'The bodies that own the plan, as it names them (at least one)' },
  statusScheme: { type: 'string', enum: Object.keys(statusSchemes), description: 'Fixed once the plan has actions' },
  reviewCycleMonths: { type: 'integer', minimum: 1, maximum: MAX_REVIEW_CYCLE_MONTHS },
} as const;
const themeProperties = { title: { type: 'string', maxLength: MAX_TITLE }, description: { type: ['string', 'null'], maxLength: MAX_DESCRIPTION } } as const;
const actionInputProperties = {
  themeId: ID,
  text: { type: 'string', maxLength: MAX_TEXT },
  owners: { ...OWNERS, description: 'Who the action names as doing it; empty: the plan’s owners' },
  leadUserId: { anyOf: [ID, { type: 'null' }], description: 'A person of the owning organisation (see lead-candidates), or null for none' },
  targetOn: { anyOf: [DATE, { type: 'null' }] },
} as const;
const themeCreatedSchema = {
  type: 'object', required: ['id', 'planVersion'], additionalProperties: false,
  properties: { id: UUID, planVersion: { type: 'integer', minimum: 1, description: 'The plan’s version after the change: send it as If-Match next' } },
} as const;
const candidatesSchema = {
  type: 'object', required: ['people'], additionalProperties: false,
  properties: { people: { type: 'array', items: { type: 'object', required: ['id', 'name'], properties: { id: UUID, name: { type: 'string' } }, additionalProperties: false } } },
} as const;
const changeProblems = ['validation', 'not-found', 'forbidden', 'precondition-failed', 'precondition-required'] as const;

export function registerPlansApi(app: FastifyInstance, plans: PlansService): void {
  const tags = ['plans'];
  const read = { policy: allow.signedIn, audit: 'none' as const };
  const change = { policy: allow.withPermission('plans.manage'), audit: 'required' as const };
  const base = `${API_PREFIX}/plans`;
  const ids = (request: FastifyRequest) => request.params as { planId: string; actionId: string; themeId: string };
  const answerPlan = async (request: FastifyRequest, reply: FastifyReply, status: 200 | 201, planId = ids(request).planId) => {
    const view: PlanView = await plans.plan(request.actor!, planId);
    reply.header('etag', `"${view.plan.version}"`);
    if (status === 201) reply.header('location', `${base}/${view.plan.id}`);
    return reply.code(status).send({
      ...presentPlan(view.plan), history: view.history.map(presentUpdate), themes: view.themes.map((theme) => ({ ...theme, actions: theme.actions.map(presentAction) })),
    });
  };
  const answerAction = async (request: FastifyRequest, reply: FastifyReply, status: 200 | 201, actionId = ids(request).actionId) => {
    const { planId } = ids(request);
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
  }, async (_request, reply) => reply.send({ plans: (await plans.list()).map((plan: PlanListItem) => ({ ...presentPlan(plan), actions: plan.actions, byStatus: plan.byStatus, withdrawn: plan.withdrawn })) }));

  app.get(`${base}/:planId`, {
    config: read,
    schema: {
      tags, operationId: 'getPlan', summary: 'A plan with its themes and their actions, each with its latest update',
      description: 'For anyone signed in. The ETag is the plan’s own version; each action carries its own.',
      params: idParams('planId'),
      response: { 200: planSchema, ...problemResponses('not-found') },
    },
  }, async (request, reply) => answerPlan(request, reply, 200));

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
  app.post(base, {
    config: change,
    schema: {
      tags, operationId: 'createPlan', summary: 'Make a plan, owned by the organisation the caller acts for',
      description: 'For plan leads. The plan is owned by the organisation the token acts for, at a level it may own: national plans by the national organisation, Area plans by a CPS Area, force plans by a police force, local plans by either. Its review reminder starts on `firstReviewOn`. Send an Idempotency-Key to make retries safe.',
      headers: createHeaders,
      body: {
        type: 'object', required: ['level', 'title', 'period', 'owners', 'statusScheme', 'firstReviewOn'], additionalProperties: false,
        properties: { level: { type: 'string', enum: planLevels }, ...detailsProperties, reviewCycleMonths: { ...detailsProperties.reviewCycleMonths, default: 6 }, firstReviewOn: { ...DATE, description: 'The first review, today or later' } },
      },
      response: { 201: planSchema, ...problemResponses('validation', 'forbidden', 'idempotency-key-reused') },
    },
  }, async (request, reply) => {
    const body = request.body as { level: string; title: string; period: string; owners: string[]; statusScheme: string; reviewCycleMonths?: number; firstReviewOn: string };
    const planId = await plans.createPlan(request.actor!, request.auditContext, {
      level: body.level, title: body.title, period: body.period, owners: body.owners, statusScheme: body.statusScheme,
      reviewCycleMonths: String(body.reviewCycleMonths ?? 6), nextReviewOn: dateParts(body.firstReviewOn),
    }, idempotencyOf(request, request.body));
    return answerPlan(request, reply, 201, planId);
  });

  app.patch(`${base}/:planId`, {
    config: change,
    schema: {
      tags, operationId: 'updatePlan', summary: 'Change a plan’s details',
      description: 'For plan leads of the owning organisation. Send only the fields to change, with If-Match: the plan’s ETag. The level and owner stay; the status scheme changes only while the plan has no actions; a new `nextReviewOn` (today or later) moves the review reminder with it.',
      params: idParams('planId'),
      headers: ifMatchHeader,
      body: { type: 'object', minProperties: 1, additionalProperties: false, properties: { ...detailsProperties, nextReviewOn: DATE } },
      response: { 200: planSchema, ...problemResponses(...changeProblems) },
    },
  }, async (request, reply) => {
    const body = request.body as { title?: string; period?: string; owners?: string[]; statusScheme?: string; reviewCycleMonths?: number; nextReviewOn?: string };
    const { planId } = ids(request);
    await plans.check(request.actor!, request.auditContext, planId);
    const { plan } = await plans.plan(request.actor!, planId);
    await withCheckedIfMatch(request, async (version) => {
      return plans.editPlan(request.actor!, request.auditContext, planId, {
        title: body.title ?? plan.title, period: body.period ?? plan.period, owners: body.owners ?? plan.owners, statusScheme: body.statusScheme ?? plan.statusScheme,
        reviewCycleMonths: String(body.reviewCycleMonths ?? plan.reviewCycleMonths), nextReviewOn: dateParts(body.nextReviewOn ?? plan.nextReviewOn),
      }, version);
    });
    return answerPlan(request, reply, 200);
  });

  app.post(`${base}/:planId/themes`, {
    config: change,
    schema: {
      tags, operationId: 'createPlanTheme', summary: 'Add a theme at the end of a plan',
      description: 'For plan leads of the owning organisation, with If-Match: the plan’s ETag (themes are part of the plan’s shape).',
      params: idParams('planId'),
      headers: ifMatchHeader,
      body: { type: 'object', required: ['title'], additionalProperties: false, properties: themeProperties },
      response: { 201: themeCreatedSchema, ...problemResponses(...changeProblems) },
    },
  }, async (request, reply) => {
    const body = request.body as { title: string; description?: string | null };
    const { planId } = ids(request);
    const made = await withCheckedIfMatch(request, (version) => plans.addTheme(request.actor!, request.auditContext, planId, { title: body.title, description: body.description ?? '' }, version));
    reply.header('etag', `"${made.version}"`);
    return reply.code(201).send({ id: made.themeId, planVersion: made.version });
  });

  app.patch(`${base}/:planId/themes/:themeId`, {
    config: change,
    schema: {
      tags, operationId: 'updatePlanTheme', summary: 'Rename a theme or change its description',
      description: 'For plan leads of the owning organisation, with If-Match: the plan’s ETag. Send only the fields to change; a null description removes it. Answers the plan.',
      params: idParams('planId', 'themeId'),
      headers: ifMatchHeader,
      body: { type: 'object', minProperties: 1, additionalProperties: false, properties: themeProperties },
      response: { 200: planSchema, ...problemResponses(...changeProblems) },
    },
  }, async (request, reply) => {
    const body = request.body as { title?: string; description?: string | null };
    const { planId, themeId } = ids(request);
    await plans.check(request.actor!, request.auditContext, planId);
    const theme = (await plans.plan(request.actor!, planId)).themes.find((t) => t.id === themeId);
    await withCheckedIfMatch(request, async (version) => {
      const input = { title: body.title ?? theme?.title ?? '', description: body.description === undefined ? theme?.description ?? '' : body.description ?? '' };
      return plans.editTheme(request.actor!, request.auditContext, planId, themeId, input, version);
    });
    return answerPlan(request, reply, 200);
  });

  app.put(`${base}/:planId/themes/:themeId/position`, {
    config: change,
    schema: {
      tags, operationId: 'movePlanTheme', summary: 'Move a theme to a place in the plan’s order',
      description: 'For plan leads of the owning organisation, with If-Match: the plan’s ETag. Position 1 is first; the other themes close up. Answers the plan.',
      params: idParams('planId', 'themeId'),
      headers: ifMatchHeader,
      body: { type: 'object', required: ['position'], additionalProperties: false, properties: { position: { type: 'integer', minimum: 1, maximum: 999 } } },
      response: { 200: planSchema, ...problemResponses(...changeProblems) },
    },
  }, async (request, reply) => {
    const { planId, themeId } = ids(request);
    const { position } = request.body as { position: number };
    await withCheckedIfMatch(request, (version) => plans.moveTheme(request.actor!, request.auditContext, planId, themeId, position, version));
    return answerPlan(request, reply, 200);
  });

  app.get(`${base}/:planId/lead-candidates`, {
    config: { policy: allow.withPermission('plans.manage'), audit: 'none' as const },
    schema: {
      tags, operationId: 'listPlanLeadCandidates', summary: 'The people who may lead an action of a plan',
      description: 'For plan leads of the owning organisation: its people who may sign in, for `leadUserId`.',
      params: idParams('planId'),
      response: { 200: candidatesSchema, ...problemResponses('not-found', 'forbidden') },
    },
  }, async (request, reply) => reply.send({ people: await plans.leadCandidates(request.actor!, request.auditContext, ids(request).planId) }));

  app.post(`${base}/:planId/actions`, {
    config: change,
    schema: {
      tags, operationId: 'createPlanAction', summary: 'Add an action to a theme of a plan',
      description: 'For plan leads of the owning organisation, with If-Match: the plan’s ETag (the number must be free in the plan as read). Without `number`, the next free one; numbers are never used twice, not even a withdrawn action’s. Without `status`, the scheme’s first. Send an Idempotency-Key to make retries safe. Answers the action, whose own ETag the next change to it claims.',
      params: idParams('planId'),
      headers: createHeaders,
      body: {
        type: 'object', required: ['themeId', 'text'], additionalProperties: false,
        properties: { ...actionInputProperties, number: { type: 'integer', minimum: 1, maximum: MAX_ACTION_NUMBER }, status: { ...STATUS, description: 'The status it starts with, in the plan’s scheme' } },
      },
      response: { 201: actionDetailSchema, ...problemResponses(...changeProblems, 'idempotency-key-reused') },
    },
  }, async (request, reply) => {
    const body = request.body as { themeId: string; text: string; owners?: string[]; leadUserId?: string | null; targetOn?: string | null; number?: number; status?: string };
    const { planId } = ids(request);
    const made = await withCheckedIfMatch(request, (version) => plans.addAction(request.actor!, request.auditContext, planId, {
      themeId: body.themeId, text: body.text, owners: body.owners ?? [], leadUserId: body.leadUserId ?? '', targetOn: dateParts(body.targetOn ?? undefined),
      number: body.number === undefined ? '' : String(body.number), status: body.status ?? '',
    }, version, idempotencyOf(request, request.body)));
    return answerAction(request, reply, 201, made.actionId);
  });

  app.patch(`${base}/:planId/actions/:actionId`, {
    config: change,
    schema: {
      tags, operationId: 'updatePlanAction', summary: 'Change an action’s text, owners, lead, target date or theme',
      description: 'For plan leads of the owning organisation, with If-Match: the action’s ETag. Send only the fields to change; null clears the lead or the target date. The number stays. A withdrawn action takes no changes.',
      params: idParams('planId', 'actionId'),
      headers: ifMatchHeader,
      body: { type: 'object', minProperties: 1, additionalProperties: false, properties: actionInputProperties },
      response: { 200: actionDetailSchema, ...problemResponses(...changeProblems) },
    },
  }, async (request, reply) => {
    const body = request.body as { themeId?: string; text?: string; owners?: string[]; leadUserId?: string | null; targetOn?: string | null };
    const { planId, actionId } = ids(request);
    await plans.check(request.actor!, request.auditContext, planId, actionId);
    const { theme, action } = await plans.action(request.actor!, planId, actionId);
    await withCheckedIfMatch(request, async (version) => {
      return plans.editAction(request.actor!, request.auditContext, planId, actionId, {
        themeId: body.themeId ?? theme.id, text: body.text ?? action.text, owners: body.owners ?? action.owners.map((o) => o.label),
        leadUserId: body.leadUserId === undefined ? action.leadUserId ?? '' : body.leadUserId ?? '',
        targetOn: dateParts((body.targetOn === undefined ? action.targetOn : body.targetOn) ?? undefined),
      }, version);
    });
    return answerAction(request, reply, 200);
  });

  app.post(`${base}/:planId/actions/:actionId/withdrawal`, {
    config: change,
    schema: {
      tags, operationId: 'withdrawPlanAction', summary: 'Withdraw an action, with the reason',
      description: 'For plan leads of the owning organisation, with If-Match: the action’s ETag. The action is never deleted: it keeps its number, status and history, shows as withdrawn, takes no more changes and no longer counts in the cascade.',
      params: idParams('planId', 'actionId'),
      headers: ifMatchHeader,
      body: { type: 'object', required: ['reason'], additionalProperties: false, properties: { reason: { type: 'string', maxLength: MAX_TEXT } } },
      response: { 200: actionDetailSchema, ...problemResponses(...changeProblems) },
    },
  }, async (request, reply) => {
    const { planId, actionId } = ids(request);
    const { reason } = request.body as { reason: string };
    await withCheckedIfMatch(request, (version) => plans.withdrawAction(request.actor!, request.auditContext, planId, actionId, reason, version));
    return answerAction(request, reply, 200);
  });
}
