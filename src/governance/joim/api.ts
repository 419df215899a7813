// The JOIM's JSON API: the same service and checks as the pages. A pair's
// meetings and open actions, scheduling a meeting (Idempotency-Key), a
// meeting (its ETag is its version: send it as If-Match to change the
// meeting, record attendance or minutes), its pack, decisions and actions
// (If-Match optional: without it they are added to the meeting as it is), an
// action (its own ETag, for a status change) and the caller's own actions.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { allow } from '../../platform/access/policy.ts';
import { API_PREFIX, problemResponses } from '../../platform/api/schemas.ts';
import { DATE, createHeaders, dateParts, idParams, idempotencyOf, ifMatchHeader, versionForCreate, withIfMatch } from '../../cases/api-support.ts';
import { stageNames } from '../../cases/model.ts';
import { reviewDays } from '../../cases/action-plans/model.ts';
import type { JoimPack } from '../../cases/oversight/joim-pack.ts';
import { JOIM_PERMISSION, MAX_ACTION, MAX_DECISION, MAX_GUEST, MAX_GUESTS, MAX_MINUTES, MAX_NOTE, MAX_PLACE, MAX_REASON, actionStatuses, meetingStatuses } from './model.ts';
import type { JoimAction, MeetingSummary } from './model.ts';
import type { ActionView, JoimService, MeetingView } from './service.ts';

const UUID = { type: 'string', format: 'uuid' } as const;
const INSTANT = { type: 'string', format: 'date-time' } as const;
const NULLABLE_TEXT = { type: ['string', 'null'] } as const;
const NULLABLE_DATE = { anyOf: [DATE, { type: 'null' }] } as const;
const NULLABLE_INSTANT = { anyOf: [INSTANT, { type: 'null' }] } as const;
const NULLABLE_UUID = { anyOf: [UUID, { type: 'null' }] } as const;
const COUNT = { type: 'integer', minimum: 0 } as const;
const TIME = { type: 'string', pattern: '^([01]?\\d|2[0-3])[:.][0-5]\\d$', description: 'A time of day, 24-hour clock, e.g. 14:30' } as const;

const object = <P extends Record<string, unknown>>(properties: P, description?: string) =>
  ({ type: 'object', required: Object.keys(properties), properties, additionalProperties: false, ...(description ? { description } : {}) }) as const;

const meetingProperties = {
  id: UUID, forceId: UUID, cpsAreaId: UUID, forceName: { type: 'string' }, areaName: { type: 'string' },
  meetsOn: { ...DATE, description: 'The meeting date: the pack’s ages are counted to it' },
  startsAt: { type: 'string', description: 'HH:MM, London time' },
  place: { type: 'string', description: 'A room, or a link to join' },
  status: { type: 'string', enum: meetingStatuses },
  cancelledReason: NULLABLE_TEXT, minutes: NULLABLE_TEXT, minutesBy: NULLABLE_TEXT, minutesAt: NULLABLE_INSTANT,
  heldRecordedBy: NULLABLE_TEXT, heldRecordedAt: NULLABLE_INSTANT,
  packFrozenAt: { ...NULLABLE_INSTANT, description: 'When the pack was frozen, as the meeting was recorded as held' },
  version: { type: 'integer', minimum: 1 },
} as const;
const meetingSchema = object(meetingProperties);
const meetingFields = Object.keys(meetingProperties);

const actionProperties = {
  id: UUID, meetingId: UUID, meetsOn: DATE, forceId: UUID, cpsAreaId: UUID, forceName: { type: 'string' }, areaName: { type: 'string' },
  number: { type: 'integer', minimum: 1 }, text: { type: 'string' }, ownerUserId: UUID, ownerName: { type: 'string' }, dueOn: DATE,
  status: { type: 'string', enum: actionStatuses },
  overdue: { type: 'boolean', description: 'Open after its due date' },
  caseId: { ...NULLABLE_UUID, description: 'A case of the meeting’s pack' }, caseLabel: NULLABLE_TEXT,
  planId: NULLABLE_UUID, planActionId: { ...NULLABLE_UUID, description: 'An action of a plan (see /plans)' }, planActionLabel: NULLABLE_TEXT,
  createdBy: { type: 'string' }, createdAt: INSTANT, closedAt: NULLABLE_INSTANT, version: { type: 'integer', minimum: 1 },
} as const;
const actionSchema = object(actionProperties);
const actionFields = Object.keys(actionProperties);

const meetingDetailSchema = object({
  meeting: meetingSchema,
  attendees: { type: 'array', items: object({ userId: NULLABLE_UUID, name: { type: 'string' }, organisationName: NULLABLE_TEXT, guestRole: { ...NULLABLE_TEXT, description: 'For a named guest: the role they came in' } }) },
  decisions: { type: 'array', items: object({ id: UUID, number: { type: 'integer', minimum: 1 }, text: { type: 'string' }, recordedBy: { type: 'string' }, recordedAt: INSTANT }) },
  actions: { type: 'array', items: actionSchema },
});

const actionDetailSchema = object({
  action: actionSchema,
  updates: {
    type: 'array',
    description: 'The action’s history, newest first: agreed, status changes and progress notes',
    items: object({ id: UUID, statusFrom: { anyOf: [{ type: 'string', enum: actionStatuses }, { type: 'null' }] }, statusTo: { type: 'string', enum: actionStatuses }, note: NULLABLE_TEXT, recordedBy: { type: 'string' }, recordedAt: INSTANT }),
  },
});

const personSchema = { anyOf: [object({ userId: UUID, name: { type: 'string' } }), { type: 'null' }] } as const;
const packCaseSchema = object({ caseId: UUID, policeReference: { type: 'string' }, cpsUrn: NULLABLE_TEXT, stage: { type: 'string', enum: stageNames }, oic: personSchema, prosecutor: personSchema }, 'A case by its references, stage and who works it: never anyone in it');
const packSchema = object({
  meetingId: UUID,
  frozen: { type: 'boolean', description: 'True once the meeting was held: the pack is then what was discussed' },
  forceId: UUID, cpsAreaId: UUID, on: DATE, generatedAt: INSTANT,
  ageing: { type: 'array', items: object({ case: packCaseSchema, deadlineId: UUID, issuedOn: DATE, days: COUNT, band: { type: 'integer', enum: [...reviewDays] } }) },
  escalations: {
    type: 'array',
    items: object({
      case: packCaseSchema, deadlineId: UUID, ruleKey: { type: 'string' }, clock: { type: 'string' }, startedOn: DATE, dueOn: DATE, daysOverdue: COUNT,
      step: object({ step: { type: 'string' }, label: { type: 'string' }, dueOn: DATE }), escalatedAt: { ...NULLABLE_INSTANT, description: 'Null when the step falls due by the meeting but has not been taken yet' },
    }),
  },
  prfi: {
    type: 'array',
    items: object({
      case: packCaseSchema, deadlineId: UUID, issuedOn: DATE, reviewDueOn: DATE, nextStep: { anyOf: [object({ label: { type: 'string' }, dueOn: DATE }), { type: 'null' }] },
      daysOutstanding: COUNT, actions: { anyOf: [object({ total: COUNT, outstanding: COUNT, earliestDueOn: NULLABLE_DATE, overdue: COUNT }), { type: 'null' }] },
      policeResponded: { type: 'boolean' }, lastResponseOn: NULLABLE_DATE,
    }),
  },
  earlyAdvice: { type: 'array', items: object({ case: packCaseSchema, deadlineId: UUID, requestedOn: DATE, dueOn: DATE, daysWaiting: COUNT, overdue: { type: 'boolean' }, daysOverdue: COUNT, paused: { type: 'boolean' } }) },
});

const meetingBody = {
  type: 'object', required: ['meetsOn', 'startsAt', 'place'], additionalProperties: false,
  properties: { meetsOn: DATE, startsAt: TIME, place: { type: 'string', maxLength: MAX_PLACE, description: 'A room, or an https link to join' } },
} as const;

const pick = <T extends object>(value: T, fields: readonly string[]) => Object.fromEntries(fields.map((field) => [field, value[field as keyof T]]));
const presentMeeting = (meeting: MeetingSummary) => pick(meeting, meetingFields);
const presentAction = (action: JoimAction) => pick(action, actionFields);
const presentDetail = (view: MeetingView) => ({ meeting: presentMeeting(view.meeting), attendees: view.attendees, decisions: view.decisions, actions: view.actions.map(presentAction) });
const presentActionDetail = (view: ActionView) => ({ action: presentAction(view.action), updates: view.updates });

export function registerJoimApi(app: FastifyInstance, joim: JoimService): void {
  const tags = ['joim'];
  const read = { policy: allow.withPermission(JOIM_PERMISSION), audit: 'none' as const };
  const readAudited = { policy: allow.withPermission(JOIM_PERMISSION), audit: 'required' as const };
  const change = { policy: allow.withPermission(JOIM_PERMISSION), audit: 'required' as const };
  const base = `${API_PREFIX}/joim`;
  const ids = (request: FastifyRequest) => request.params as { forceId: string; cpsAreaId: string; meetingId: string; actionId: string };
  const who = 'For police supervisors, escalation leads, DCPs and heads of RASSO units acting for the force or the CPS Area.';

  const answerMeeting = async (request: FastifyRequest, reply: FastifyReply, meetingId: string, status: 200 | 201) => {
    const view = await joim.meeting(request.actor!, request.auditContext, meetingId);
    reply.header('etag', `"${view.meeting.version}"`);
    if (status === 201) reply.header('location', `${base}/meetings/${view.meeting.id}`);
    return reply.code(status).send(presentDetail(view));
  };
  const answerAction = async (request: FastifyRequest, reply: FastifyReply, actionId: string, status: 200 | 201) => {
    const view = await joim.action(request.actor!, request.auditContext, actionId);
    reply.header('etag', `"${view.action.version}"`);
    if (status === 201) reply.header('location', `${base}/actions/${view.action.id}`);
    return reply.code(status).send(presentActionDetail(view));
  };
  const meetingVersion = (request: FastifyRequest) => versionForCreate(request, async () => (await joim.meeting(request.actor!, request.auditContext, ids(request).meetingId)).meeting.version);

  app.get(`${base}/pairs/:forceId/:cpsAreaId/meetings`, {
    config: read,
    schema: {
      tags, operationId: 'listJoimMeetings', summary: 'A force and CPS Area’s JOIM meetings: upcoming (soonest first) and past', description: who,
      params: idParams('forceId', 'cpsAreaId'),
      response: { 200: object({ upcoming: { type: 'array', items: meetingSchema }, past: { type: 'array', items: meetingSchema } }), ...problemResponses('not-found', 'forbidden') },
    },
  }, async (request, reply) => {
    const view = await joim.pair(request.actor!, request.auditContext, ids(request).forceId, ids(request).cpsAreaId);
    return reply.send({ upcoming: view.upcoming.map(presentMeeting), past: view.past.map(presentMeeting) });
  });

  app.post(`${base}/pairs/:forceId/:cpsAreaId/meetings`, {
    config: change,
    schema: {
      tags, operationId: 'scheduleJoimMeeting', summary: 'Schedule a JOIM meeting of a force and a CPS Area', description: `${who} Send an Idempotency-Key to make retries safe.`,
      params: idParams('forceId', 'cpsAreaId'), headers: createHeaders, body: meetingBody,
      response: { 201: meetingDetailSchema, ...problemResponses('validation', 'not-found', 'forbidden', 'idempotency-key-reused') },
    },
  }, async (request, reply) => {
    const body = request.body as { meetsOn: string; startsAt: string; place: string };
    const id = await joim.schedule(request.actor!, request.auditContext, ids(request).forceId, ids(request).cpsAreaId, { meetsOn: dateParts(body.meetsOn), startsAt: body.startsAt, place: body.place }, idempotencyOf(request));
    return answerMeeting(request, reply, id, 201);
  });

  app.get(`${base}/pairs/:forceId/:cpsAreaId/actions`, {
    config: read,
    schema: {
      tags, operationId: 'listJoimOpenActions', summary: 'A force and CPS Area’s open JOIM actions, earliest due first', description: who,
      params: idParams('forceId', 'cpsAreaId'),
      response: { 200: object({ actions: { type: 'array', items: actionSchema } }), ...problemResponses('not-found', 'forbidden') },
    },
  }, async (request, reply) => reply.send({ actions: (await joim.openActions(request.actor!, request.auditContext, ids(request).forceId, ids(request).cpsAreaId)).map(presentAction) }));

  app.get(`${base}/meetings/:meetingId`, {
    config: read,
    schema: {
      tags, operationId: 'getJoimMeeting', summary: 'A JOIM meeting with who attended, its decisions and actions', description: `${who} The ETag is the meeting’s version.`,
      params: idParams('meetingId'),
      response: { 200: meetingDetailSchema, ...problemResponses('not-found', 'forbidden') },
    },
  }, async (request, reply) => answerMeeting(request, reply, ids(request).meetingId, 200));

  app.patch(`${base}/meetings/:meetingId`, {
    config: change,
    schema: {
      tags, operationId: 'changeJoimMeeting', summary: 'Change a scheduled meeting’s date, time or place', description: `${who} Send If-Match with the meeting’s ETag.`,
      params: idParams('meetingId'), headers: ifMatchHeader, body: meetingBody,
      response: { 200: meetingDetailSchema, ...problemResponses('validation', 'not-found', 'forbidden', 'precondition-failed', 'precondition-required') },
    },
  }, async (request, reply) => {
    const body = request.body as { meetsOn: string; startsAt: string; place: string };
    await withIfMatch(request, (version) => joim.changeDetails(request.actor!, request.auditContext, ids(request).meetingId, { meetsOn: dateParts(body.meetsOn), startsAt: body.startsAt, place: body.place }, version));
    return answerMeeting(request, reply, ids(request).meetingId, 200);
  });

  app.post(`${base}/meetings/:meetingId/cancellation`, {
    config: change,
    schema: {
      tags, operationId: 'cancelJoimMeeting', summary: 'Cancel a scheduled meeting, saying why', description: `${who} Send If-Match with the meeting’s ETag.`,
      params: idParams('meetingId'), headers: ifMatchHeader,
      body: { type: 'object', required: ['reason'], additionalProperties: false, properties: { reason: { type: 'string', maxLength: MAX_REASON } } },
      response: { 200: meetingDetailSchema, ...problemResponses('validation', 'not-found', 'forbidden', 'precondition-failed', 'precondition-required') },
    },
  }, async (request, reply) => {
    await withIfMatch(request, (version) => joim.cancel(request.actor!, request.auditContext, ids(request).meetingId, (request.body as { reason: string }).reason, version));
    return answerMeeting(request, reply, ids(request).meetingId, 200);
  });

  app.get(`${base}/meetings/:meetingId/pack`, {
    config: readAudited,
    schema: {
      tags, operationId: 'getJoimPack', summary: 'The meeting’s pack: cases at 28/56/90 days, escalations and non-responses, the PRFI list and early advice waiting',
      description: `${who} Made from the case file as at the meeting date, or as frozen when the meeting was held. Cases are named by their references only. Reading it is journalled.`,
      params: idParams('meetingId'),
      response: { 200: packSchema, ...problemResponses('not-found', 'forbidden') },
    },
  }, async (request, reply) => {
    const view = await joim.pack(request.actor!, request.auditContext, ids(request).meetingId);
    const pack: JoimPack = view.pack;
    return reply.send({ meetingId: view.meeting.id, frozen: view.frozen, ...pack });
  });

  app.put(`${base}/meetings/:meetingId/attendance`, {
    config: change,
    schema: {
      tags, operationId: 'recordJoimAttendance', summary: 'Record who attended; the first time, the meeting is held and its pack frozen',
      description: `${who} People of either organisation by id, and named guests with their role. Send If-Match with the meeting’s ETag.`,
      params: idParams('meetingId'), headers: ifMatchHeader,
      body: {
        type: 'object', required: ['userIds', 'guests'], additionalProperties: false,
        properties: {
          userIds: { type: 'array', maxItems: 500, items: UUID },
          guests: { type: 'array', maxItems: MAX_GUESTS, items: { type: 'object', required: ['name', 'role'], additionalProperties: false, properties: { name: { type: 'string', maxLength: MAX_GUEST }, role: { type: 'string', maxLength: MAX_GUEST } } } },
        },
      },
      response: { 200: meetingDetailSchema, ...problemResponses('validation', 'not-found', 'forbidden', 'precondition-failed', 'precondition-required') },
    },
  }, async (request, reply) => {
    const body = request.body as { userIds: string[]; guests: { name: string; role: string }[] };
    await withIfMatch(request, (version) => joim.recordAttendance(request.actor!, request.auditContext, ids(request).meetingId, { userIds: body.userIds, guests: body.guests }, version));
    return answerMeeting(request, reply, ids(request).meetingId, 200);
  });

  app.put(`${base}/meetings/:meetingId/minutes`, {
    config: change,
    schema: {
      tags, operationId: 'recordJoimMinutes', summary: 'Record or correct the minutes of a held meeting', description: `${who} Send If-Match with the meeting’s ETag.`,
      params: idParams('meetingId'), headers: ifMatchHeader,
      body: { type: 'object', required: ['minutes'], additionalProperties: false, properties: { minutes: { type: 'string', maxLength: MAX_MINUTES } } },
      response: { 200: meetingDetailSchema, ...problemResponses('validation', 'not-found', 'forbidden', 'precondition-failed', 'precondition-required') },
    },
  }, async (request, reply) => {
    await withIfMatch(request, (version) => joim.recordMinutes(request.actor!, request.auditContext, ids(request).meetingId, (request.body as { minutes: string }).minutes, version));
    return answerMeeting(request, reply, ids(request).meetingId, 200);
  });

  app.post(`${base}/meetings/:meetingId/decisions`, {
    config: change,
    schema: {
      tags, operationId: 'addJoimDecision', summary: 'Record a decision of a held meeting', description: `${who} If-Match (the meeting’s ETag) is optional.`,
      params: idParams('meetingId'), headers: createHeaders,
      body: { type: 'object', required: ['text'], additionalProperties: false, properties: { text: { type: 'string', maxLength: MAX_DECISION } } },
      response: { 201: meetingDetailSchema, ...problemResponses('validation', 'not-found', 'forbidden', 'precondition-failed', 'precondition-required') },
    },
  }, async (request, reply) => {
    const version = await meetingVersion(request);
    await withIfMatch(request, () => joim.addDecision(request.actor!, request.auditContext, ids(request).meetingId, (request.body as { text: string }).text, version));
    return answerMeeting(request, reply, ids(request).meetingId, 201);
  });

  app.post(`${base}/meetings/:meetingId/actions`, {
    config: change,
    schema: {
      tags, operationId: 'addJoimAction', summary: 'Agree an action at a held meeting',
      description: `${who} The owner is a person of either organisation; a case must be one of the meeting’s pack; a plan action one of the national plans or the organisations’ own. If-Match (the meeting’s ETag) is optional; send an Idempotency-Key to make retries safe.`,
      params: idParams('meetingId'), headers: createHeaders,
      body: {
        type: 'object', required: ['text', 'ownerUserId', 'dueOn'], additionalProperties: false,
        properties: { text: { type: 'string', maxLength: MAX_ACTION }, ownerUserId: UUID, dueOn: DATE, caseId: UUID, planActionId: UUID },
      },
      response: { 201: actionDetailSchema, ...problemResponses('validation', 'not-found', 'forbidden', 'precondition-failed', 'precondition-required', 'idempotency-key-reused') },
    },
  }, async (request, reply) => {
    const body = request.body as { text: string; ownerUserId: string; dueOn: string; caseId?: string; planActionId?: string };
    const version = await meetingVersion(request);
    const made = await withIfMatch(request, () => joim.addAction(request.actor!, request.auditContext, ids(request).meetingId, {
      text: body.text, ownerUserId: body.ownerUserId, dueOn: dateParts(body.dueOn), caseId: body.caseId ?? '', planActionId: body.planActionId ?? '',
    }, version, idempotencyOf(request)));
    return answerAction(request, reply, made.id, 201);
  });

  app.get(`${base}/actions/:actionId`, {
    config: { policy: allow.signedIn, audit: 'none' as const },
    schema: {
      tags, operationId: 'getJoimAction', summary: 'A JOIM action with its history', description: 'For the pair’s JOIM members and the action’s owner. The ETag is the action’s version.',
      params: idParams('actionId'),
      response: { 200: actionDetailSchema, ...problemResponses('not-found') },
    },
  }, async (request, reply) => answerAction(request, reply, ids(request).actionId, 200));

  app.patch(`${base}/actions/:actionId`, {
    config: { policy: allow.signedIn, audit: 'required' as const },
    schema: {
      tags, operationId: 'changeJoimAction', summary: 'Mark an action done, drop it (with the reason), open it again or add a progress note',
      description: 'For the pair’s JOIM members and the action’s owner. Dropping needs a note saying why; so does opening it again. Send If-Match with the action’s ETag.',
      params: idParams('actionId'), headers: ifMatchHeader,
      body: { type: 'object', required: ['status'], additionalProperties: false, properties: { status: { type: 'string', enum: actionStatuses }, note: { type: 'string', maxLength: MAX_NOTE } } },
      response: { 200: actionDetailSchema, ...problemResponses('validation', 'not-found', 'precondition-failed', 'precondition-required') },
    },
  }, async (request, reply) => {
    const body = request.body as { status: string; note?: string };
    await withIfMatch(request, (version) => joim.changeAction(request.actor!, request.auditContext, ids(request).actionId, { status: body.status, note: body.note ?? '' }, version));
    return answerAction(request, reply, ids(request).actionId, 200);
  });

  app.get(`${base}/my-actions`, {
    config: { policy: allow.signedIn, audit: 'none' as const },
    schema: {
      tags, operationId: 'listMyJoimActions', summary: 'The caller’s own JOIM actions: open ones first, earliest due first', description: 'For anyone signed in: only their own actions.',
      response: { 200: object({ actions: { type: 'array', items: actionSchema } }) },
    },
  }, async (request, reply) => reply.send({ actions: (await joim.myActions(request.actor!)).map(presentAction) }));
}
