// The JSON API of NFA scrutiny panels: the same service and checks as the
// pages. A panel answers its version as the ETag (member changes and
// selections claim it with If-Match); a pack its own (the findings claim it);
// a member's review and an action theirs. Creates take an Idempotency-Key.
// Themes leave the panel suppressed unless the panel's own view is asked for.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { allow } from '../../platform/access/policy.ts';
import { API_PREFIX, problemResponses } from '../../platform/api/schemas.ts';
import { caseRoleNames, flags, offenceClasses, stageNames } from '../../cases/model.ts';
import { DATE, ID, createHeaders, dateParts, idParams, idempotencyOf, ifMatchHeader, withIfMatch } from '../../cases/api-support.ts';
import { ageBands } from './anonymise.ts';
import type { ScrutinyPack } from './anonymise.ts';
import { MAX_ACTION, MAX_EMAIL, MAX_NAME, MAX_OWNER, MAX_SELECTED, MAX_TEXT, actionStatuses, mythKinds, nfaDecisionKinds, soundAnswers, themeRows, yesNo } from './model.ts';
import type { Answers } from './model.ts';
import type { Action, Findings, Member, PackView, Panel, Review, Round, ScrutinyService } from './service.ts';

const UUID = { type: 'string', format: 'uuid' } as const;
const INSTANT = { type: 'string', format: 'date-time' } as const;
const COUNT = { type: 'integer', minimum: 0 } as const;
const DAY = { type: 'integer', description: 'Days since the offence was reported (day 0)' } as const;
const NULLABLE = <T extends object>(schema: T) => ({ anyOf: [schema, { type: 'null' }] }) as const;
const object = <P extends Record<string, unknown>>(properties: P, description?: string) =>
  ({ type: 'object', required: Object.keys(properties), properties, additionalProperties: false, ...(description ? { description } : {}) }) as const;

const panelProperties = {
  id: UUID, name: { type: 'string' }, forceId: UUID, forceName: { type: 'string' }, cpsAreaId: NULLABLE(UUID), cpsAreaName: { type: ['string', 'null'] },
} as const;

const memberSchema = object({
  id: UUID, userId: UUID, name: { type: 'string' }, organisationId: UUID, organisationName: { type: 'string' },
  organisationKind: { type: 'string', enum: ['police_force', 'cps_area', 'isva_service', 'national'] },
  role: { type: 'string', enum: ['chair', 'member'] }, external: { type: 'boolean', description: 'Sits for an organisation other than the panel’s force and Area' }, addedAt: INSTANT,
});

const stratumSchema = object({ key: { type: 'string', description: 'Decision kind / outcome / domestic abuse (da or -) / vulnerable victim (vv or -)' }, population: COUNT, selected: COUNT });
const roundSchema = object({
  id: UUID, panelId: UUID, from: DATE, to: DATE, kinds: { type: 'array', items: { type: 'string', enum: nfaDecisionKinds } },
  method: { type: 'string', enum: ['all', 'sample'] }, sampleSize: { type: ['integer', 'null'], description: 'The sample size asked for' },
  seed: { type: ['string', 'null'], description: 'The seed the sample was drawn with: the same decisions, size and seed give the same sample' },
  population: COUNT, selected: COUNT, strata: { type: 'array', items: stratumSchema }, createdAt: INSTANT,
});

const actionSchema = object({
  id: UUID, text: { type: 'string' }, owner: { type: 'string' }, dueOn: DATE, status: { type: 'string', enum: actionStatuses },
  packId: NULLABLE(UUID), packLabel: { type: ['string', 'null'] }, overdue: { type: 'boolean' }, version: { type: 'integer', minimum: 1 },
});

const panelDetailSchema = object({
  ...panelProperties, version: { type: 'integer', minimum: 1 },
  members: { type: 'array', items: memberSchema, description: 'Members now, the chair first' },
  rounds: { type: 'array', items: roundSchema, description: 'Newest period first' },
  actions: { type: 'array', items: actionSchema },
});

const answerProperties = {
  sound: { type: 'string', enum: soundAnswers, description: 'Was the decision sound?' },
  soundReasons: { type: 'string', maxLength: MAX_TEXT, description: 'Why: required unless the answer is yes' },
  missedEnquiries: { type: 'string', enum: yesNo, description: 'Were lines of enquiry missed?' },
  missedEnquiriesDetail: { type: 'string', maxLength: MAX_TEXT, description: 'Which: required if yes' },
  communication: { type: 'string', enum: soundAnswers, description: 'Was the victim kept informed adequately?' },
  communicationReasons: { type: 'string', maxLength: MAX_TEXT, description: 'Why: required unless the answer is yes' },
  myths: { type: 'string', enum: yesNo, description: 'Are myths or stereotypes evident?' },
  mythKinds: { type: 'array', maxItems: 50, items: { type: 'string', enum: mythKinds.kinds }, description: 'Which: at least one if yes' },
  mythsDetail: { type: 'string', maxLength: MAX_TEXT },
  observations: { type: 'string', maxLength: MAX_TEXT },
} as const;
const reviewSchema = object({ ...answerProperties, id: UUID, memberUserId: UUID, memberName: { type: 'string' }, updatedAt: INSTANT, version: { type: 'integer', minimum: 1 } });
const findingsSchema = object({
  ...answerProperties, learning: { type: 'string', description: 'The learning points fed back to the officer and the prosecutor' },
  agreedBy: { type: 'string' }, agreedAt: INSTANT, sentTo: { type: 'array', items: { type: 'string', enum: ['oic', 'prosecutor'] }, description: 'Who the learning went to, by case role' },
});
const answerBody = { type: 'object', required: ['sound', 'missedEnquiries', 'communication', 'myths'], properties: answerProperties, additionalProperties: false } as const;

const packSchema = object({
  pseudonym: { type: 'integer', minimum: 1 },
  offenceClass: { type: 'string', enum: offenceClasses },
  flags: { type: 'array', items: { type: 'string', enum: flags } },
  victims: object({ count: COUNT, ageBands: { type: 'array', items: { type: 'string', enum: ageBands }, description: 'Age at the report, in bands' } }),
  suspects: COUNT,
  witnesses: COUNT,
  decisions: {
    type: 'array',
    items: object({
      kind: { type: 'string', enum: nfaDecisionKinds }, outcome: { type: 'string', description: 'A police outcome code, or nfa_evidential / nfa_public_interest' }, day: DAY,
      rationale: { type: ['string', 'null'], description: 'Scrubbed of names, references, dates, addresses and contact details' }, suspects: COUNT,
      jointMeeting: { type: 'string', enum: ['held', 'not_held', 'not_required'] }, victimContactMethod: { type: ['string', 'null'] },
      victimTold: NULLABLE(object({ day: { type: ['integer', 'null'] }, rightToReview: { type: 'boolean' } })), reopened: { type: 'boolean' },
    }),
  },
  daysToDecision: DAY,
  jointMeetingHeld: { type: 'boolean' },
  stages: { type: 'array', items: object({ stage: { type: 'string', enum: stageNames }, day: DAY }) },
  timeline: { type: 'array', items: object({ day: DAY, event: { type: 'string' }, detail: { type: ['string', 'null'], description: 'A code from a fixed list (a stage, a role, a method)' } }) },
  communication: object({
    isvaSupport: { type: 'boolean' }, planAgreed: { type: 'boolean' }, planRevisions: COUNT, frequencyDays: { type: ['integer', 'null'] }, contacts: COUNT, reached: COUNT,
    methods: { type: 'array', items: object({ method: { type: 'string' }, count: COUNT }) }, letters: COUNT, toldOfDecision: { type: 'boolean' },
    rightToReviewInformation: { type: 'boolean' }, reviewRequested: { type: 'boolean' }, withdrawalRecorded: { type: 'boolean' },
  }),
}, 'An anonymised case pack: codes, counts and days since the report; no names, dates, references or contact details');

const packViewSchema = object({
  id: UUID, label: { type: 'string', description: 'The pseudonym, e.g. P-0007: stable within the round' }, panelId: UUID, roundId: UUID, version: { type: 'integer', minimum: 1 },
  pack: packSchema, myReview: NULLABLE(reviewSchema), reviews: { anyOf: [{ type: 'array', items: reviewSchema }, { type: 'null' }], description: 'Every member’s review: for the chair only' },
  findings: NULLABLE(findingsSchema), conflicted: { type: 'boolean', description: 'The caller worked on this case: they may not review it' },
});

const roundDetailSchema = object({
  round: roundSchema,
  packs: {
    type: 'array',
    items: object({
      id: UUID, label: { type: 'string' }, offenceClass: { type: 'string', enum: offenceClasses },
      decisions: { type: 'array', items: object({ kind: { type: 'string', enum: nfaDecisionKinds }, outcome: { type: 'string' } }) },
      reviews: COUNT, reviewedByMe: { type: 'boolean' }, agreed: { type: 'boolean' },
    }),
  },
});

const SHARED = { anyOf: [COUNT, { type: 'string', enum: ['<5', 'withheld'] }] } as const;
const themesSchema = object({
  panelId: UUID,
  view: { type: 'string', enum: ['panel', 'shared'] },
  rows: { type: 'array', items: { type: 'string', enum: themeRows } },
  columns: {
    type: 'array',
    description: 'One per round, oldest first, then one for them all (from and to null)',
    items: object({ from: NULLABLE(DATE), to: NULLABLE(DATE), values: { type: 'object', additionalProperties: SHARED, description: 'Counts by row; in the shared view 1 to 4 are "<5", and a count that would give one away is "withheld"' } }),
  },
});

const learningItem = object({ id: UUID, panelName: { type: 'string' }, from: DATE, to: DATE, role: { type: 'string', enum: caseRoleNames }, sentAt: INSTANT });
const learningSchema = object({
  id: UUID, panelName: { type: 'string' }, from: DATE, to: DATE, caseId: UUID, policeReference: { type: ['string', 'null'] },
  role: { type: 'string', enum: ['oic', 'prosecutor'] }, sentAt: INSTANT, findings: NULLABLE(findingsSchema),
});

const presentPanel = (panel: Panel) => ({ id: panel.id, name: panel.name, forceId: panel.forceId, forceName: panel.forceName, cpsAreaId: panel.cpsAreaId, cpsAreaName: panel.cpsAreaName });
const presentMember = ({ endedAt: _, ...member }: Member) => member;
const presentRound = (round: Round) => round;
const presentAction = (action: Action) => action;
const presentAnswers = (answers: Answers) => Object.fromEntries(Object.keys(answerProperties).map((key) => [key, answers[key as keyof Answers]]));
const presentReview = (review: Review) => ({ ...presentAnswers(review), id: review.id, memberUserId: review.memberUserId, memberName: review.memberName, updatedAt: review.updatedAt, version: review.version });
const presentFindings = (findings: Findings) => ({ ...presentAnswers(findings), learning: findings.learning, agreedBy: findings.agreedBy, agreedAt: findings.agreedAt, sentTo: findings.sentTo });
const presentPack = (view: PackView) => ({
  id: view.id, label: view.label, panelId: view.panel.id, roundId: view.round.id, version: view.version, pack: view.pack as ScrutinyPack,
  myReview: view.mine ? presentReview(view.mine) : null, reviews: view.reviews ? view.reviews.map(presentReview) : null,
  findings: view.findings ? presentFindings(view.findings) : null, conflicted: view.conflicted,
});

type AnswerBody = { sound: string; soundReasons?: string; missedEnquiries: string; missedEnquiriesDetail?: string; communication: string; communicationReasons?: string; myths: string; mythKinds?: string[]; mythsDetail?: string; observations?: string };
const answersOf = (body: AnswerBody) => ({
  sound: body.sound, soundReasons: body.soundReasons ?? '', missedEnquiries: body.missedEnquiries, missedEnquiriesDetail: body.missedEnquiriesDetail ?? '',
  communication: body.communication, communicationReasons: body.communicationReasons ?? '', myths: body.myths, mythKinds: body.mythKinds ?? [], mythsDetail: body.mythsDetail ?? '', observations: body.observations ?? '',
});

export function registerScrutinyApi(app: FastifyInstance, scrutiny: ScrutinyService): void {
  const tags = ['scrutiny'];
  const read = { policy: allow.signedIn, audit: 'none' as const };
  const readAudited = { policy: allow.signedIn, audit: 'required' as const };
  const change = { policy: allow.signedIn, audit: 'required' as const };
  const manage = { policy: allow.withPermission('scrutiny.manage'), audit: 'required' as const };
  const base = `${API_PREFIX}/scrutiny`;
  const ids = (request: FastifyRequest) => request.params as { panelId: string; memberId: string; roundId: string; packId: string; actionId: string; learningId: string };

  const answerPanel = async (request: FastifyRequest, reply: FastifyReply, panelId: string, status: 200 | 201) => {
    const view = await scrutiny.panel(request.actor!, request.auditContext, panelId);
    reply.header('etag', `"${view.panel.version}"`);
    if (status === 201) reply.header('location', `${base}/panels/${view.panel.id}`);
    return reply.code(status).send({
      ...presentPanel(view.panel), version: view.panel.version, members: view.members.map(presentMember), rounds: view.rounds.map(presentRound), actions: view.actions.map(presentAction),
    });
  };
  const answerRound = async (request: FastifyRequest, reply: FastifyReply, panelId: string, roundId: string, status: 200 | 201) => {
    const view = await scrutiny.round(request.actor!, request.auditContext, panelId, roundId);
    if (status === 201) reply.header('location', `${base}/panels/${panelId}/rounds/${roundId}`);
    return reply.code(status).send({
      round: presentRound(view.round),
      packs: view.packs.map((p) => ({ id: p.id, label: p.label, offenceClass: p.pack.offenceClass, decisions: p.pack.decisions.map((d) => ({ kind: d.kind, outcome: d.outcome })), reviews: p.reviews, reviewedByMe: p.reviewedByMe, agreed: p.agreed })),
    });
  };
  const answerPack = async (request: FastifyRequest, reply: FastifyReply, packId: string, status: 200 | 201 = 200) => {
    const view = await scrutiny.pack(request.actor!, request.auditContext, packId);
    reply.header('etag', `"${view.version}"`);
    return reply.code(status).send(presentPack(view));
  };
  const answerAction = async (request: FastifyRequest, reply: FastifyReply, panelId: string, actionId: string, status: 200 | 201) => {
    const { action } = await scrutiny.action(request.actor!, request.auditContext, panelId, actionId);
    reply.header('etag', `"${action.version}"`);
    if (status === 201) reply.header('location', `${base}/panels/${panelId}/actions/${action.id}`);
    return reply.code(status).send(presentAction(action));
  };

  app.get(`${base}/panels`, {
    config: read,
    schema: {
      tags, operationId: 'listScrutinyPanels', summary: 'The scrutiny panels the caller sits on or manages',
      description: 'Members see the panels they sit on; holders of scrutiny.manage (escalation leads, heads of RASSO unit) the panels of their force or CPS Area.',
      response: { 200: object({ panels: { type: 'array', items: object({ ...panelProperties, role: { type: 'string', enum: ['chair', 'member', 'manager'] } }) } }) },
    },
  }, async (request, reply) => {
    const { panels } = await scrutiny.overview(request.actor!);
    return reply.send({ panels: panels.map((p) => ({ ...presentPanel(p), role: p.role })) });
  });

  app.post(`${base}/panels`, {
    config: manage,
    schema: {
      tags, operationId: 'createScrutinyPanel', summary: 'Set up a scrutiny panel for the caller’s force (with a CPS Area, or alone) or CPS Area (with a force)',
      description: 'For holders of scrutiny.manage acting for the force or the CPS Area the panel is for.',
      body: { type: 'object', required: ['name', 'forceId'], additionalProperties: false, properties: { name: { type: 'string', maxLength: MAX_NAME + 1 }, forceId: ID, cpsAreaId: { anyOf: [ID, { type: 'null' }] } } },
      response: { 201: panelDetailSchema, ...problemResponses('validation', 'forbidden') },
    },
  }, async (request, reply) => {
    const body = request.body as { name: string; forceId: string; cpsAreaId?: string | null };
    const id = await scrutiny.createPanel(request.actor!, request.auditContext, { name: body.name, forceId: body.forceId, cpsAreaId: body.cpsAreaId ?? '' });
    return answerPanel(request, reply, id, 201);
  });

  app.get(`${base}/panels/:panelId`, {
    config: read,
    schema: {
      tags, operationId: 'getScrutinyPanel', summary: 'A panel with its members, review rounds and actions',
      description: 'For its members and managers; anyone else is told it does not exist. The ETag is the panel’s version: send it as If-Match to change its members or select cases.',
      params: idParams('panelId'), response: { 200: panelDetailSchema, ...problemResponses('not-found') },
    },
  }, async (request, reply) => answerPanel(request, reply, ids(request).panelId, 200));

  app.post(`${base}/panels/:panelId/members`, {
    config: manage,
    schema: {
      tags, operationId: 'addScrutinyPanelMember', summary: 'Add a member (or the chair) to a panel, by email',
      description: 'Anyone holding the panel member role (an external member whose only role it is, say) may sit, and case workers of the panel’s force or Area. A new chair replaces the old one. Send If-Match with the panel’s ETag.',
      params: idParams('panelId'), headers: ifMatchHeader,
      body: { type: 'object', required: ['email'], additionalProperties: false, properties: { email: { type: 'string', maxLength: MAX_EMAIL }, role: { type: 'string', enum: ['member', 'chair'] } } },
      response: { 201: panelDetailSchema, ...problemResponses('validation', 'not-found', 'forbidden', 'precondition-failed', 'precondition-required') },
    },
  }, async (request, reply) => {
    const body = request.body as { email: string; role?: string };
    const { panelId } = ids(request);
    await withIfMatch(request, (version) => scrutiny.addMember(request.actor!, request.auditContext, panelId, { email: body.email, role: body.role ?? 'member' }, version));
    return answerPanel(request, reply, panelId, 201);
  });

  app.delete(`${base}/panels/:panelId/members/:memberId`, {
    config: manage,
    schema: {
      tags, operationId: 'endScrutinyPanelMembership', summary: 'End a member’s place on a panel',
      description: 'They lose sight of the panel’s packs at once. Send If-Match with the panel’s ETag.',
      params: idParams('panelId', 'memberId'), headers: ifMatchHeader,
      response: { 200: panelDetailSchema, ...problemResponses('not-found', 'forbidden', 'precondition-failed', 'precondition-required') },
    },
  }, async (request, reply) => {
    const { panelId, memberId } = ids(request);
    await withIfMatch(request, (version) => scrutiny.changeMember(request.actor!, request.auditContext, panelId, memberId, 'end', version));
    return answerPanel(request, reply, panelId, 200);
  });

  app.post(`${base}/panels/:panelId/members/:memberId/chair`, {
    config: manage,
    schema: {
      tags, operationId: 'makeScrutinyPanelChair', summary: 'Make a member the panel’s chair',
      description: 'The chair before becomes a member. Send If-Match with the panel’s ETag.',
      params: idParams('panelId', 'memberId'), headers: ifMatchHeader,
      response: { 200: panelDetailSchema, ...problemResponses('validation', 'not-found', 'forbidden', 'precondition-failed', 'precondition-required') },
    },
  }, async (request, reply) => {
    const { panelId, memberId } = ids(request);
    await withIfMatch(request, (version) => scrutiny.changeMember(request.actor!, request.auditContext, panelId, memberId, 'chair', version));
    return answerPanel(request, reply, panelId, 200);
  });

  app.post(`${base}/panels/:panelId/rounds`, {
    config: manage,
    schema: {
      tags, operationId: 'selectScrutinyCases', summary: 'Select the NFA decisions of a period for review and make their anonymised packs',
      description: `Every decision of the kinds asked for (method all, up to ${MAX_SELECTED}), or a stratified random sample: strata by decision kind and outcome, domestic abuse and vulnerable victim; proportional, at least one from each stratum. Give a seed to reproduce a sample, or one is drawn and recorded. Send If-Match with the panel’s ETag, and an Idempotency-Key to make retries safe.`,
      params: idParams('panelId'), headers: createHeaders,
      body: {
        type: 'object', required: ['from', 'to', 'method'], additionalProperties: false,
        properties: {
          from: DATE, to: DATE, kinds: { type: 'array', maxItems: 10, items: { type: 'string', enum: nfaDecisionKinds }, description: 'Default: both' },
          method: { type: 'string', enum: ['all', 'sample'] }, sampleSize: { type: 'integer', minimum: 1, maximum: MAX_SELECTED }, seed: { type: 'string', maxLength: 40 },
        },
      },
      response: { 201: roundDetailSchema, ...problemResponses('validation', 'not-found', 'forbidden', 'precondition-failed', 'precondition-required', 'idempotency-key-reused') },
    },
  }, async (request, reply) => {
    const body = request.body as { from: string; to: string; kinds?: string[]; method: string; sampleSize?: number; seed?: string };
    const { panelId } = ids(request);
    const input = { from: dateParts(body.from), to: dateParts(body.to), kinds: body.kinds ?? [...nfaDecisionKinds], method: body.method, sampleSize: body.sampleSize === undefined ? '' : String(body.sampleSize), seed: body.seed ?? '' };
    const roundId = await withIfMatch(request, (version) => scrutiny.selectCases(request.actor!, request.auditContext, panelId, input, version, idempotencyOf(request, request.body)));
    return answerRound(request, reply, panelId, roundId, 201);
  });

  app.get(`${base}/panels/:panelId/rounds/:roundId`, {
    config: readAudited,
    schema: {
      tags, operationId: 'getScrutinyRound', summary: 'A review round: how its cases were selected, and its packs by pseudonym',
      params: idParams('panelId', 'roundId'), response: { 200: roundDetailSchema, ...problemResponses('not-found') },
    },
  }, async (request, reply) => answerRound(request, reply, ids(request).panelId, ids(request).roundId, 200));

  app.get(`${base}/packs/:packId`, {
    config: readAudited,
    schema: {
      tags, operationId: 'getScrutinyPack', summary: 'An anonymised case pack, with the caller’s review and the panel’s findings',
      description: 'For the panel’s members and managers. The chair sees every member’s review. The ETag is the pack’s version: the chair sends it as If-Match to record the findings.',
      params: idParams('packId'), response: { 200: packViewSchema, ...problemResponses('not-found') },
    },
  }, async (request, reply) => answerPack(request, reply, ids(request).packId));

  app.put(`${base}/packs/:packId/reviews/mine`, {
    config: change,
    schema: {
      tags, operationId: 'putScrutinyReview', summary: 'Record or change the caller’s own review of a pack',
      description: 'For members of the panel who did not work on the case, until the findings are agreed. Changing a review needs If-Match with its version (myReview.version).',
      params: idParams('packId'), headers: ifMatchHeader, body: answerBody,
      response: { 200: reviewSchema, ...problemResponses('validation', 'not-found', 'forbidden', 'precondition-failed', 'precondition-required') },
    },
  }, async (request, reply) => {
    const { packId } = ids(request);
    const version = await withIfMatch(request, (v) => scrutiny.submitReview(request.actor!, request.auditContext, packId, answersOf(request.body as AnswerBody), v));
    const view = await scrutiny.pack(request.actor!, request.auditContext, packId);
    reply.header('etag', `"${version}"`);
    return reply.send(presentReview(view.mine!));
  });

  app.post(`${base}/packs/:packId/findings`, {
    config: change,
    schema: {
      tags, operationId: 'agreeScrutinyFindings', summary: 'Record the panel’s agreed findings on a pack, and send the learning to the officer and prosecutor',
      description: 'For the chair. The learning goes to the officer in the case and the prosecutor as a notification and a learning page. Send If-Match with the pack’s ETag.',
      params: idParams('packId'), headers: ifMatchHeader,
      body: { ...answerBody, required: [...answerBody.required, 'learning'], properties: { ...answerProperties, learning: { type: 'string', maxLength: MAX_TEXT } } },
      response: { 201: packViewSchema, ...problemResponses('validation', 'not-found', 'forbidden', 'precondition-failed', 'precondition-required') },
    },
  }, async (request, reply) => {
    const { packId } = ids(request);
    const body = request.body as AnswerBody & { learning: string };
    await withIfMatch(request, (version) => scrutiny.agreeFindings(request.actor!, request.auditContext, packId, { ...answersOf(body), learning: body.learning }, version));
    return answerPack(request, reply, packId, 201);
  });

  app.post(`${base}/panels/:panelId/actions`, {
    config: change,
    schema: {
      tags, operationId: 'addScrutinyAction', summary: 'Record an action arising from the panel’s reviews',
      description: 'For the chair and the panel’s managers. Send an Idempotency-Key to make retries safe.',
      params: idParams('panelId'), headers: createHeaders,
      body: { type: 'object', required: ['text', 'owner', 'dueOn'], additionalProperties: false, properties: { text: { type: 'string', maxLength: MAX_ACTION }, owner: { type: 'string', maxLength: MAX_OWNER }, dueOn: DATE, packId: { anyOf: [ID, { type: 'null' }] } } },
      response: { 201: actionSchema, ...problemResponses('validation', 'not-found', 'forbidden', 'idempotency-key-reused') },
    },
  }, async (request, reply) => {
    const body = request.body as { text: string; owner: string; dueOn: string; packId?: string | null };
    const { panelId } = ids(request);
    const id = await scrutiny.addAction(request.actor!, request.auditContext, panelId, { text: body.text, owner: body.owner, dueOn: dateParts(body.dueOn), packId: body.packId ?? '' }, idempotencyOf(request, request.body));
    return answerAction(request, reply, panelId, id, 201);
  });

  app.patch(`${base}/panels/:panelId/actions/:actionId`, {
    config: change,
    schema: {
      tags, operationId: 'updateScrutinyAction', summary: 'Change an action’s status, with the note that says why',
      description: 'For the chair and the panel’s managers. Send If-Match with the action’s version.',
      params: idParams('panelId', 'actionId'), headers: ifMatchHeader,
      body: { type: 'object', required: ['status', 'note'], additionalProperties: false, properties: { status: { type: 'string', enum: actionStatuses }, note: { type: 'string', maxLength: MAX_ACTION } } },
      response: { 200: actionSchema, ...problemResponses('validation', 'not-found', 'forbidden', 'precondition-failed', 'precondition-required') },
    },
  }, async (request, reply) => {
    const { panelId, actionId } = ids(request);
    const body = request.body as { status: string; note: string };
    await withIfMatch(request, (version) => scrutiny.updateAction(request.actor!, request.auditContext, panelId, actionId, body, version));
    return answerAction(request, reply, panelId, actionId, 200);
  });

  app.get(`${base}/panels/:panelId/themes`, {
    config: read,
    schema: {
      tags, operationId: 'getScrutinyThemes', summary: 'The themes of a panel’s agreed findings, by round and in all',
      description: 'Counts of unsound decisions, missed lines of enquiry, communication problems and myths and stereotypes by kind. The default view is the one that may leave the panel: small counts suppressed.',
      params: idParams('panelId'),
      querystring: { type: 'object', additionalProperties: false, properties: { view: { type: 'string', enum: ['panel', 'shared'] } } },
      response: { 200: themesSchema, ...problemResponses('validation', 'not-found') },
    },
  }, async (request, reply) => {
    const view = (request.query as { view?: string }).view === 'panel' ? 'panel' : 'shared';
    const themes = await scrutiny.themes(request.actor!, request.auditContext, ids(request).panelId, view === 'shared');
    return reply.send({
      panelId: themes.panel.id, view, rows: [...themeRows],
      columns: themes.columns.map((c) => ({ from: c.round?.from ?? null, to: c.round?.to ?? null, values: c.values })),
    });
  });

  app.get(`${base}/learning`, {
    config: read,
    schema: {
      tags, operationId: 'listScrutinyLearning', summary: 'The learning from scrutiny sent to the caller, newest first',
      response: { 200: object({ learning: { type: 'array', items: learningItem } }) },
    },
  }, async (request, reply) => reply.send({ learning: await scrutiny.learningList(request.actor!) }));

  app.get(`${base}/learning/:learningId`, {
    config: readAudited,
    schema: {
      tags, operationId: 'getScrutinyLearning', summary: 'Learning sent to the caller: the panel’s findings on one of their cases',
      description: 'Only for the officer or prosecutor it was sent to. It names the panel’s agreed findings, never its members’ own notes.',
      params: idParams('learningId'), response: { 200: learningSchema, ...problemResponses('not-found') },
    },
  }, async (request, reply) => {
    const learning = await scrutiny.learning(request.actor!, request.auditContext, ids(request).learningId);
    return reply.send({ ...learning, findings: learning.findings ? presentFindings(learning.findings) : null });
  });
}
