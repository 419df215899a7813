// Commands and queries on early advice. Each starts with the case file's
// default-deny access check, then checks the actor acts for the right side:
// the police request (or record not requesting) and appeal a rejection; the
// CPS accepts or rejects, decides appeals and gives the advice. Each change is
// one case command: its rows, the stage move with the 21-day response clock
// (opened entering 'Early advice', met leaving it), the journal events and
// the audit entry commit together. The journal holds ids and codes; the
// request's contents and the advice live in this part's tables.
import type { Actor } from '../../platform/access/policy.ts';
import type { Role } from '../../platform/access/roles.ts';
import type { AuditContext } from '../../platform/audit/model.ts';
import { isId, newId } from '../../platform/db/ids.ts';
import type { Tx } from '../../platform/db/transaction.ts';
import { deadlinesFor, ruleVersionFor } from '../../platform/deadlines/service.ts';
import { dueDate } from '../../platform/deadlines/model.ts';
import type { PlainDate } from '../../platform/time/working-days.ts';
import type { DeadlineWithSteps } from '../../platform/deadlines/service.ts';
import type { Platform } from '../../platform/platform.ts';
import { londonDate } from '../../platform/time/working-days.ts';
import { Problem } from '../../platform/web/errors.ts';
import type { FieldError } from '../../platform/web/errors.ts';
import { createCaseCommands, invalid, validVersion } from '../case-commands.ts';
import type { CaseChange, CaseEventDraft, LoadedCase } from '../case-commands.ts';
import { CASE_SUBJECT } from '../deadlines.ts';
import { stageName } from '../model.ts';
import type { CaseSummary, Stage } from '../model.ts';
import { toSummary } from '../service.ts';
import { actsAs, meetDeadlines, readItems, writePlan } from '../action-plans/service.ts';
import type { Created } from '../action-plans/service.ts';
import { MAX_TEXT, textErrors } from '../action-plans/model.ts';
import type { ItemInput } from '../action-plans/model.ts';
import {
  isNotRequestedReason,
  isPoliceRank,
  isRejectionReason,
  isRequestStatus,
  mayAppealAtRank,
  policeRanks,
  requestErrors,
  requestFieldNames,
} from './model.ts';
import type { EarlyAdviceRequest, NotRequestedRecord, PoliceRank, RejectionReason, RequestInput } from './model.ts';
import * as repository from './repository.ts';
import type { EarlyAdviceRequestsTable } from './tables.ts';

export const RESPONSE_RULE = 'early-advice.response';
/** Who may appeal a rejection (with a declared rank of Inspector or above), and who decides an appeal. */
const appellantRoles: readonly Role[] = ['police_supervisor', 'escalation_lead'];
const appealDeciderRoles: readonly Role[] = ['dcp', 'head_of_rasso'];

export interface EarlyAdviceView {
  readonly summary: CaseSummary;
  /** Newest first. */
  readonly requests: readonly (EarlyAdviceRequest & { readonly names: Readonly<Record<string, string>> })[];
  readonly notRequested: readonly (NotRequestedRecord & { readonly recordedByName: string })[];
  readonly responseClock: DeadlineWithSteps | null;
  readonly may: { readonly request: boolean; readonly decide: boolean; readonly appeal: boolean; readonly decideAppeal: boolean };
}

function toRequest(row: EarlyAdviceRequestsTable): EarlyAdviceRequest | null {
  if (!isRequestStatus(row.status)) return null;
  return {
    id: row.id,
    status: row.status,
    requestedBy: row.requested_by,
    requestedAt: row.requested_at,
    dueOn: row.due_on,
    urn: row.urn,
    contents: {
      summary: row.summary, enquiriesDone: row.enquiries_done, enquiriesOngoing: row.enquiries_ongoing, enquiriesPlanned: row.enquiries_planned,
      issues: row.issues, questions: row.questions, keyMaterial: row.key_material, disclosableMaterial: row.disclosable_material,
    },
    decidedBy: row.decided_by,
    decidedAt: row.decided_at,
    rejectReason: row.reject_reason && isRejectionReason(row.reject_reason) ? row.reject_reason : null,
    rejectDetail: row.reject_detail,
    appealedBy: row.appealed_by,
    appealedAt: row.appealed_at,
    appellantRank: row.appellant_rank && isPoliceRank(row.appellant_rank) ? row.appellant_rank : null,
    appealGrounds: row.appeal_grounds,
    appealDecidedBy: row.appeal_decided_by,
    appealDecidedAt: row.appeal_decided_at,
    appealUpheld: row.appeal_upheld === null ? null : Number(row.appeal_upheld) === 1,
    appealNote: row.appeal_note,
    advice: row.advice,
    advisedBy: row.advised_by,
    advisedAt: row.advised_at,
    planId: row.plan_id,
  };
}

/** The response due date for a clock started on a day: the rule version the stage move will open it under. */
async function responseDue(tx: Tx, loaded: LoadedCase, startedOn: PlainDate): Promise<PlainDate> {
  const rule = await ruleVersionFor(tx, RESPONSE_RULE, [loaded.row.force_id, loaded.row.cps_area_id], startedOn);
  if (!rule) throw new Error(`No version of ${RESPONSE_RULE} is in force on ${startedOn}`);
  return dueDate(rule.definition, startedOn);
}

const holds = (actor: Actor, roles: readonly Role[]) => actor.organisation.roles.some((r) => roles.includes(r));

export function createEarlyAdviceService(platform: Platform) {
  const { db, audit, clock } = platform;
  const { load, command, refuse } = createCaseCommands(platform);
  const today = () => londonDate(clock.now());

  const mayWork = (loaded: LoadedCase) => loaded.access === 'team' || loaded.access === 'supervision';
  const may = {
    request: (actor: Actor, loaded: LoadedCase) => mayWork(loaded) && actsAs(actor, loaded, 'police'),
    decide: (actor: Actor, loaded: LoadedCase) => mayWork(loaded) && actsAs(actor, loaded, 'prosecutor'),
    appeal: (actor: Actor, loaded: LoadedCase) => mayWork(loaded) && loaded.side === 'police' && holds(actor, appellantRoles),
    decideAppeal: (actor: Actor, loaded: LoadedCase) => mayWork(loaded) && loaded.side === 'cps' && holds(actor, appealDeciderRoles),
  };
  type Permission = keyof typeof may;

  async function loadFor(actor: Actor, context: AuditContext, caseId: string, permission: Permission): Promise<LoadedCase> {
    const loaded = await load(actor, context, caseId, 'work');
    if (!may[permission](actor, loaded)) return refuse(context, 'forbidden', caseId, `early-advice.${permission}.forbidden`);
    return loaded;
  }

  async function requestOf(loaded: LoadedCase, requestId: string): Promise<EarlyAdviceRequestsTable> {
    const row = isId(requestId) ? await repository.findRequest(db, loaded.row.id, requestId) : undefined;
    if (!row) throw new Problem('not-found');
    return row;
  }

  const notAt = (loaded: LoadedCase, stage: Stage, field: string, what: string): FieldError[] =>
    loaded.stage === stage ? [] : [{ field, message: `${what} on a case at ‘${stageName(stage)}’: this case is at ‘${stageName(loaded.stage)}’` }];

  return {
    /** The case's early advice: its requests (newest first), records of not asking, and the response clock. Audited as a consultation. */
    async view(actor: Actor, context: AuditContext, caseId: string): Promise<EarlyAdviceView> {
      const loaded = await load(actor, context, caseId, 'see');
      const [requests, notRequested, deadlines] = await Promise.all([repository.requestsOf(db, loaded.row.id), repository.notRequestedOf(db, loaded.row.id), deadlinesFor(db, CASE_SUBJECT, loaded.row.id)]);
      const people = requests.flatMap((r) => [r.requested_by, r.decided_by, r.appealed_by, r.appeal_decided_by, r.advised_by]).filter((id): id is string => id !== null);
      const names = Object.fromEntries(await repository.namesOf(db, people));
      await audit.audited(context, { action: 'consult', event: 'early-advice.view', objectType: 'case', objectId: loaded.row.id, details: { requests: requests.length } }, async () => undefined);
      const clocks = deadlines.filter((d) => d.ruleKey === RESPONSE_RULE);
      return {
        summary: toSummary(loaded.row),
        requests: requests.flatMap((row) => {
          const request = toRequest(row);
          return request ? [{ ...request, names }] : [];
        }),
        notRequested: notRequested.flatMap((r) => (isNotRequestedReason(r.reason) ? [{ id: r.id, reason: r.reason, detail: r.detail, recordedBy: r.recorded_by, recordedAt: r.recorded_at, recordedByName: r.recorded_by_name }] : [])),
        responseClock: clocks.find((d) => d.status === 'open') ?? clocks.at(-1) ?? null,
        may: { request: may.request(actor, loaded), decide: may.decide(actor, loaded), appeal: may.appeal(actor, loaded), decideAppeal: may.decideAppeal(actor, loaded) },
      };
    },

    /** Refuses, journalled, anyone who may not do this on the case; answers the case as loaded. */
    async checkMay(actor: Actor, context: AuditContext, caseId: string, permission: Permission): Promise<{ summary: CaseSummary }> {
      const loaded = await loadFor(actor, context, caseId, permission);
      await audit.audited(context, { action: 'consult', event: 'early-advice.form', objectType: 'case', objectId: loaded.row.id }, async () => undefined);
      return { summary: toSummary(loaded.row) };
    },

    /** The case's version now, for a create sent without If-Match (refused as the load refuses). */
    async currentVersion(actor: Actor, context: AuditContext, caseId: string): Promise<number> {
      return Number((await load(actor, context, caseId, 'work')).row.version);
    },

    /** One request of the case, for a form about it: refused unless the actor may do `permission`. */
    async requestFor(actor: Actor, context: AuditContext, caseId: string, requestId: string, permission: Permission): Promise<{ summary: CaseSummary; request: EarlyAdviceRequest }> {
      const loaded = await loadFor(actor, context, caseId, permission);
      const request = toRequest(await requestOf(loaded, requestId));
      if (!request) throw new Problem('not-found');
      await audit.audited(context, { action: 'consult', event: 'early-advice.form', objectType: 'case', objectId: loaded.row.id, details: { requestId: request.id } }, async () => undefined);
      return { summary: toSummary(loaded.row), request };
    },

    /** The police ask for early advice: the case moves to 'Early advice' and the 21-day response clock opens. */
    async request(actor: Actor, context: AuditContext, caseId: string, input: RequestInput, version: number | null, onWritten?: (tx: Tx, created: Created) => Promise<void>): Promise<Created> {
      const loaded = await loadFor(actor, context, caseId, 'request');
      const { value, errors } = requestErrors(input);
      errors.unshift(...notAt(loaded, 'investigation', 'summary', 'Early advice is requested'));
      if (errors.length || !value) throw invalid(errors);
      const id = newId();
      const done = await command(actor, context, loaded, version, async (tx, now) => {
        const startedOn = londonDate(now);
        const dueOn = await responseDue(tx, loaded, startedOn);
        await repository.insertRequest(tx, {
          id, case_id: loaded.row.id, status: 'requested', requested_by: actor.userId, requested_at: now, due_on: dueOn, urn: value.urn,
          summary: value.contents.summary, enquiries_done: value.contents.enquiriesDone, enquiries_ongoing: value.contents.enquiriesOngoing, enquiries_planned: value.contents.enquiriesPlanned,
          issues: value.contents.issues, questions: value.contents.questions, key_material: value.contents.keyMaterial, disclosable_material: value.contents.disclosableMaterial,
          decided_by: null, decided_at: null, reject_reason: null, reject_detail: null, appealed_by: null, appealed_at: null, appellant_rank: null, appeal_grounds: null,
          appeal_decided_by: null, appeal_decided_at: null, appeal_upheld: null, appeal_note: null, advice: null, advised_by: null, advised_at: null, plan_id: null,
        });
        await onWritten?.(tx, { id, version: validVersion(version) + 1 });
        // The stage move opens the response clock under the same rule version, so its due date is this one.
        return { events: [{ type: 'advice.requested', data: { requestId: id, dueOn } }], stage: 'early_advice', stageStartedOn: startedOn, audit: { action: 'collect', event: 'early-advice.request', details: { requestId: id, dueOn } } };
      }, 'summary');
      return { id, version: done.version };
    },

    /** The police record that they are not asking for early advice, and why. The stage does not move. */
    async notRequested(actor: Actor, context: AuditContext, caseId: string, input: { reason: string; detail: string }, version: number | null, onWritten?: (tx: Tx, created: Created) => Promise<void>): Promise<Created> {
      const loaded = await loadFor(actor, context, caseId, 'request');
      const errors: FieldError[] = [];
      if (!isNotRequestedReason(input.reason)) errors.push({ field: 'reason', message: 'Select why you are not asking for early advice' });
      errors.push(...textErrors(input.detail, 'detail', 'more about why', MAX_TEXT));
      if (errors.length || !isNotRequestedReason(input.reason)) throw invalid(errors);
      const reason = input.reason;
      const id = newId();
      const done = await command(actor, context, loaded, version, async (tx, now) => {
        await repository.insertNotRequested(tx, { id, case_id: loaded.row.id, reason, detail: input.detail.trim(), recorded_by: actor.userId, recorded_at: now });
        await onWritten?.(tx, { id, version: validVersion(version) + 1 });
        return { events: [{ type: 'advice.not-requested', data: { reasonCode: reason } }], audit: { action: 'collect', event: 'early-advice.not-requested', details: { reasonCode: reason } } };
      }, 'reason');
      return { id, version: done.version };
    },

    /** The CPS accepts a request (advice to follow) or rejects it with a reason: a rejection meets the clock and the case goes back to 'Investigation'. */
    async decide(actor: Actor, context: AuditContext, caseId: string, requestId: string, input: { decision: string; reason: string; detail: string }, version: number | null): Promise<number> {
      const loaded = await loadFor(actor, context, caseId, 'decide');
      const row = await requestOf(loaded, requestId);
      const errors: FieldError[] = [];
      if (row.status !== 'requested') errors.push({ field: 'decision', message: 'This request has already been answered' });
      if (input.decision !== 'accept' && input.decision !== 'reject') errors.push({ field: 'decision', message: 'Select whether you accept or reject the request' });
      if (input.decision === 'reject') {
        if (!isRejectionReason(input.reason)) errors.push({ field: 'reason', message: 'Select why you are rejecting the request' });
        errors.push(...textErrors(input.detail, 'detail', 'more about why you are rejecting it'));
      }
      if (errors.length) throw invalid(errors);
      const accepted = input.decision === 'accept';
      const reason = input.reason as RejectionReason;
      return (await command(actor, context, loaded, version, async (tx, now): Promise<CaseChange> => {
        await repository.updateRequest(tx, row.id, accepted
          ? { status: 'accepted', decided_by: actor.userId, decided_at: now }
          : { status: 'rejected', decided_by: actor.userId, decided_at: now, reject_reason: reason, reject_detail: input.detail.trim() });
        return accepted
          ? { events: [{ type: 'advice.accepted', data: { requestId: row.id } }], audit: { action: 'alter', event: 'early-advice.accept', details: { requestId: row.id } } }
          : { events: [{ type: 'advice.rejected', data: { requestId: row.id, reasonCode: reason } }], stage: 'investigation', audit: { action: 'alter', event: 'early-advice.reject', details: { requestId: row.id, reasonCode: reason } } };
      }, 'decision')).version;
    },

    /** A police officer of Inspector rank or above appeals a rejection, recording the rank they declare and their grounds. */
    async appeal(actor: Actor, context: AuditContext, caseId: string, requestId: string, input: { rank: string; grounds: string }, version: number | null): Promise<number> {
      const loaded = await loadFor(actor, context, caseId, 'appeal');
      const row = await requestOf(loaded, requestId);
      const errors: FieldError[] = [];
      if (row.status !== 'rejected' || row.appealed_at !== null) errors.push({ field: 'rank', message: row.appealed_at ? 'This rejection has already been appealed' : 'Only a rejected request can be appealed' });
      if (!isPoliceRank(input.rank)) errors.push({ field: 'rank', message: 'Select your rank' });
      else if (!mayAppealAtRank(input.rank)) errors.push({ field: 'rank', message: `Only an officer of Inspector rank or above can appeal a rejection: ask an Inspector or above to appeal (you declared ${policeRanks[input.rank]})` });
      errors.push(...textErrors(input.grounds, 'grounds', 'the grounds of the appeal'));
      if (errors.length || !isPoliceRank(input.rank)) throw invalid(errors);
      const rank: PoliceRank = input.rank;
      return (await command(actor, context, loaded, version, async (tx, now) => {
        await repository.updateRequest(tx, row.id, { status: 'appealed', appealed_by: actor.userId, appealed_at: now, appellant_rank: rank, appeal_grounds: input.grounds.trim() });
        return { events: [{ type: 'advice.appealed', data: { requestId: row.id, rank } }], audit: { action: 'alter', event: 'early-advice.appeal', details: { requestId: row.id, rank } } };
      }, 'rank')).version;
    },

    /**
     * A DCP or head of RASSO decides an appeal. Upheld: the request is
     * accepted, the case returns to 'Early advice' and a new response clock
     * opens. Dismissed: the rejection stands.
     */
    async decideAppeal(actor: Actor, context: AuditContext, caseId: string, requestId: string, input: { upheld: string; note: string }, version: number | null): Promise<number> {
      const loaded = await loadFor(actor, context, caseId, 'decideAppeal');
      const row = await requestOf(loaded, requestId);
      const errors: FieldError[] = [];
      if (row.status !== 'appealed') errors.push({ field: 'upheld', message: 'This request has no appeal waiting for a decision' });
      if (input.upheld !== 'yes' && input.upheld !== 'no') errors.push({ field: 'upheld', message: 'Select whether you uphold the appeal' });
      errors.push(...textErrors(input.note, 'note', 'the reasons for your decision'));
      const upheld = input.upheld === 'yes';
      if (upheld && errors.length === 0) errors.push(...notAt(loaded, 'investigation', 'upheld', 'An upheld appeal returns the case to early advice: that is done'));
      if (errors.length) throw invalid(errors);
      return (await command(actor, context, loaded, version, async (tx, now) => {
        await repository.updateRequest(tx, row.id, {
          status: upheld ? 'accepted' : 'rejected', appeal_decided_by: actor.userId, appeal_decided_at: now, appeal_upheld: upheld ? 1 : 0, appeal_note: input.note.trim(),
          ...(upheld ? { decided_by: actor.userId, decided_at: now, due_on: await responseDue(tx, loaded, londonDate(now)) } : {}),
        });
        return {
          events: [{ type: 'advice.appeal-decided', data: { requestId: row.id, upheld } }],
          ...(upheld ? { stage: 'early_advice' as Stage } : {}),
          audit: { action: 'alter', event: 'early-advice.appeal-decision', details: { requestId: row.id, upheld } },
        };
      }, 'upheld')).version;
    },

    /**
     * The prosecutor gives the advice, optionally with an action plan. Giving
     * advice meets the response clock. With a plan issued the case moves to
     * 'Action plan'; without one, back to 'Investigation'. A plan that must
     * first be reviewed by a DCP (a second plan after a full-code-test
     * submission) waits, and the case stays at 'Early advice' until then.
     */
    async advise(actor: Actor, context: AuditContext, caseId: string, requestId: string, input: { advice: string; items: readonly ItemInput[] }, version: number | null): Promise<{ version: number; planId: string | null; planIssued: boolean }> {
      const loaded = await loadFor(actor, context, caseId, 'decide');
      const row = await requestOf(loaded, requestId);
      const errors: FieldError[] = [];
      if (row.status !== 'requested' && row.status !== 'accepted') errors.push({ field: 'advice', message: row.status === 'advised' ? 'Advice has already been given on this request' : 'Advice is given on a request that is accepted or waiting' });
      else errors.push(...notAt(loaded, 'early_advice', 'advice', 'Advice is given'));
      errors.push(...textErrors(input.advice, 'advice', 'your advice', 20_000));
      if (errors.length) throw invalid(errors);
      const items = readItems(input.items, today(), false);
      let plan: { planId: string; issued: boolean } | null = null;
      const done = await command(actor, context, loaded, version, async (tx, now) => {
        const events: CaseEventDraft[] = [];
        if (items.length) {
          const written = await writePlan(tx, { caseId: loaded.row.id, source: 'early-advice', items, earlyAdviceId: row.id, draftedBy: actor.userId }, now);
          plan = { planId: written.planId, issued: written.issued };
          events.push(...written.events);
        }
        await repository.updateRequest(tx, row.id, { status: 'advised', advice: input.advice.trim(), advised_by: actor.userId, advised_at: now, plan_id: plan?.planId ?? null, ...(row.decided_at ? {} : { decided_by: actor.userId, decided_at: now }) });
        events.unshift({ type: 'advice.given', data: { requestId: row.id, ...(plan ? { planId: plan.planId } : {}) } });
        const stage: Stage | undefined = !plan ? 'investigation' : plan.issued ? 'action_plan' : undefined;
        // Staying at 'Early advice' while a DCP reviews the plan: the advice is given, so the clock is met now.
        if (!stage) await meetDeadlines(tx, loaded.row.id, RESPONSE_RULE, 'Early advice was given', now);
        return { events, ...(stage ? { stage } : {}), audit: { action: 'collect', event: 'early-advice.advise', details: { requestId: row.id, planId: plan?.planId ?? null, items: items.length } } };
      }, 'advice');
      const made = plan as { planId: string; issued: boolean } | null;
      return { version: done.version, planId: made?.planId ?? null, planIssued: made?.issued ?? false };
    },
  };
}

export type EarlyAdviceService = ReturnType<typeof createEarlyAdviceService>;
export { requestFieldNames };
