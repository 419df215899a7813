// Commands and queries on the victim's rights. The ledger of Victims' Code
// entitlements is read from the journal (the events that make each apply and
// the letters dispatched), the case's deadlines and the proofs recorded here;
// recording a proof meets the entitlement's clock in the same transaction.
// Right-to-review requests open their clocks when received, meet them as they
// are acknowledged, escalated and decided, and an overturned decision reopens
// the case in the same command. Every method starts with loadVictim; none of
// this is the ISVA's, who is told it does not exist.
import type { Actor } from '../../platform/access/policy.ts';
import type { AuditContext } from '../../platform/audit/model.ts';
import { isId, newId } from '../../platform/db/ids.ts';
import type { Db, Tx } from '../../platform/db/transaction.ts';
import { dueDate } from '../../platform/deadlines/model.ts';
import { closeDeadline, deadlinesFor, openDeadline, ruleVersionFor } from '../../platform/deadlines/service.ts';
import type { DeadlineWithSteps } from '../../platform/deadlines/service.ts';
import { translate } from '../../platform/i18n/messages.ts';
import type { CasesTable } from '../../platform/db/tables.ts';
import type { Platform } from '../../platform/platform.ts';
import { londonDate } from '../../platform/time/working-days.ts';
import type { PlainDate } from '../../platform/time/working-days.ts';
import { invalid } from '../../cases/case-commands.ts';
import type { CaseEventDraft } from '../../cases/case-commands.ts';
import type { DateParts } from '../../cases/model.ts';
import { CASE_SUBJECT, registerCaseDeadlines } from '../../cases/deadlines.ts';
import { createIdempotency } from '../../cases/idempotency.ts';
import type { Idempotency } from '../../cases/idempotency.ts';
import * as victims from '../repository.ts';
import { createVictimCommands } from '../victim-commands.ts';
import type { LoadedVictim } from '../victim-commands.ts';
import {
  LETTERS_DISPATCHED, applies, decisionErrors, deliveryErrors, entitlementEventTypes, entitlementTitle, entitlements, isOutcome, lateErrors, ledgerStatus,
  occurrenceFor, occurrences, requestErrors, rightsPowers, ruleOf, schemeRules, schemes, stepDateErrors,
} from './model.ts';
import type { DecisionInput, Delivery, DeliveryInput, LedgerLine, RequestInput, ReviewRequest, ReviewStage, RightsPowers, Scheme } from './model.ts';
import * as repository from './repository.ts';

function parsed(data: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(data);
    return value && typeof value === 'object' ? (value as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

const unclosed = (d: DeadlineWithSteps | undefined) => d !== undefined && (d.status === 'open' || d.status === 'paused');

/** Meets a deadline of the case if it is still running (a clock already met or cancelled stays as it is). */
async function meet(tx: Tx, deadlines: readonly DeadlineWithSteps[], id: string | null, now: string): Promise<boolean> {
  const deadline = deadlines.find((d) => d.id === id);
  if (!unclosed(deadline)) return false;
  await closeDeadline(tx, deadline!.id, { outcome: 'met', now: new Date(now) });
  return true;
}

/** The ledger of a victim: one line per entitlement each time it began to apply, oldest first. */
export async function readLedger(executor: Db | Tx, v: LoadedVictim, today: PlainDate): Promise<LedgerLine[]> {
  const row = v.loaded.row;
  const [rawEvents, deadlines, recorded] = await Promise.all([
    victims.eventsOfTypes(executor, row.id, [...entitlementEventTypes, LETTERS_DISPATCHED]),
    deadlinesFor(executor, CASE_SUBJECT, row.id),
    repository.deliveriesOf(executor, v.victim.id),
  ]);
  const events = rawEvents.map((e) => ({ type: e.type, on: londonDate(e.occurred_at), data: parsed(e.data) }));
  const letters = events.filter((e) => e.type === LETTERS_DISPATCHED && e.data.victimId === v.victim.id);
  const vulnerable = Number(row.vulnerable_victim) === 1;
  const lines: LedgerLine[] = [];
  for (const e of entitlements.items) {
    const days = occurrences(e, events);
    const rules = [e.rule, e.vulnerableRule].filter((r) => r !== null);
    for (const [i, day] of days.entries()) {
      const next = days[i + 1];
      const deadline = deadlines.filter((d) => rules.includes(d.ruleKey) && d.startedOn >= day && (!next || d.startedOn < next)).at(-1);
      let ruleKey = deadline?.ruleKey ?? ruleOf(e, vulnerable);
      let dueOn = deadline?.dueOn ?? null;
      if (!deadline) {
        // No clock was opened for it (the command that made it apply does not open one): the rule in force that day dates it.
        const rule = await ruleVersionFor(executor, ruleKey, [row.force_id, row.cps_area_id], day);
        dueOn = rule ? dueDate(rule.definition, day) : null;
        ruleKey = rule?.key ?? ruleKey;
      }
      const proof = recorded.find((d) => d.entitlement === e.key && d.applies_on === day);
      const letter = e.letterTemplate ? letters.find((l) => l.data.template === e.letterTemplate && occurrenceFor(days, typeof l.data.on === 'string' ? l.data.on : l.on) === day) : undefined;
      let delivery: Delivery | null = null;
      if (proof) delivery = { on: proof.delivered_on, method: proof.method, reference: proof.reference, source: 'recorded', recordedBy: proof.recorded_by_name };
      else if (letter) {
        delivery = {
          on: typeof letter.data.on === 'string' ? letter.data.on : letter.on,
          method: typeof letter.data.method === 'string' ? letter.data.method : 'letter',
          reference: typeof letter.data.letterId === 'string' ? letter.data.letterId : '',
          source: 'letter',
          recordedBy: null,
        };
      }
      lines.push({ entitlement: e.key, title: entitlementTitle(e.key), appliesOn: day, ruleKey, dueOn, deadlineId: deadline?.id ?? null, delivery, status: ledgerStatus(dueOn, delivery?.on ?? null, today) });
    }
  }
  return lines.sort((a, b) => a.appliesOn.localeCompare(b.appliesOn));
}

/** The entitlements that apply now without proof of delivery, each with the day it last began to apply. */
export function awaitingProof(lines: readonly LedgerLine[]): Map<string, PlainDate> {
  const latest = new Map<string, LedgerLine>();
  for (const line of lines) latest.set(line.entitlement, line);
  return new Map([...latest.values()].filter((l) => l.delivery === null).map((l) => [l.entitlement, l.appliesOn]));
}

/**
 * For the letters part, in its dispatch transaction: a letter of this
 * template meets the clock of the entitlement it proves, if one is running.
 */
/**
 * Opens the clock of each Victims' Code entitlement a case command's events
 * start (police NFA signed off, a charge), unless one is already running (the
 * charging part opens the CPS no-charge clock itself). Runs in the command's
 * transaction, as a journal reactor.
 */
export async function openEntitlementClocks(tx: Tx, kase: CasesTable, events: readonly CaseEventDraft[], now: string): Promise<void> {
  const started = entitlements.items.filter((e) => events.some((event) => applies(e, event)));
  if (started.length === 0) return;
  registerCaseDeadlines();
  const existing = await deadlinesFor(tx, CASE_SUBJECT, kase.id);
  for (const e of started) {
    if (existing.some((d) => (d.ruleKey === e.rule || d.ruleKey === e.vulnerableRule) && unclosed(d))) continue;
    await openDeadline(tx, { subjectType: CASE_SUBJECT, subjectId: kase.id, ruleKey: ruleOf(e, Number(kase.vulnerable_victim) === 1), organisationIds: [kase.force_id, kase.cps_area_id], now: new Date(now) });
  }
}

export async function meetEntitlementByLetter(tx: Tx, caseId: string, template: string, now: string): Promise<boolean> {
  const e = entitlements.items.find((item) => item.letterTemplate === template);
  if (!e) return false;
  const rules = [e.rule, e.vulnerableRule];
  const running = (await deadlinesFor(tx, CASE_SUBJECT, caseId)).filter((d) => rules.includes(d.ruleKey) && unclosed(d)).at(-1);
  return running ? meet(tx, [running], running.id, now) : false;
}

function toRequest(row: repository.RequestRow): ReviewRequest {
  return {
    id: row.id,
    scheme: row.scheme === 'cps' ? 'cps' : 'police',
    toldOn: row.told_on,
    receivedOn: row.received_on,
    windowEndsOn: row.window_ends_on,
    late: row.received_on > row.window_ends_on,
    lateReason: row.late_reason,
    stage: row.review_stage === 'independent_review' ? 'independent_review' : row.review_stage === 'local_resolution' ? 'local_resolution' : 'review',
    acknowledgedOn: row.acknowledged_on,
    escalatedOn: row.escalated_on,
    outcome: row.outcome !== null && isOutcome(row.outcome) ? row.outcome : null,
    decidedOn: row.decided_on,
    reasons: row.decision_reasons,
    recordedBy: row.recorded_by_name,
    recordedAt: row.recorded_at,
    decidedBy: row.decided_by_name,
  };
}

export type ReviewStep = 'acknowledge' | 'escalate' | 'decide';

/** Whether a step may be taken on a request now, by someone with these powers. */
export function stepOpen(request: ReviewRequest, step: ReviewStep, powers: RightsPowers): boolean {
  if (request.outcome !== null) return false;
  if (step === 'acknowledge') return request.acknowledgedOn === null && powers.record(request.scheme);
  if (step === 'escalate') return schemeRules[request.scheme].escalatesTo !== null && request.stage === schemeRules[request.scheme].firstStage && powers.record(request.scheme);
  return powers.decide(request.scheme, request.stage);
}

export function createRightsService(platform: Platform) {
  const { db, clock } = platform;
  const commands = createVictimCommands(platform);
  const { loadVictim, refuse, command, consulted } = commands;
  const idempotent = createIdempotency(platform);
  const today = () => londonDate(clock.now());
  const powersOf = (actor: Actor, v: LoadedVictim) => rightsPowers(actor.organisation.roles, v.loaded.side);

  /** The rights are the case team's: an ISVA, even the victim's own, is told they do not exist. */
  async function loadFor(actor: Actor, context: AuditContext, caseId: string, victimId: string, need: 'see' | 'work'): Promise<LoadedVictim> {
    const v = await loadVictim(actor, context, caseId, victimId, need);
    if (v.viewer === 'isva') return refuse(context, 'not-found', caseId, 'victims.rights.not-found');
    return v;
  }

  async function forRequest(actor: Actor, context: AuditContext, caseId: string, victimId: string, requestId: string, step: ReviewStep): Promise<{ v: LoadedVictim; request: ReviewRequest }> {
    const v = await loadFor(actor, context, caseId, victimId, 'work');
    const row = isId(requestId) ? await repository.findRequest(db, v.summary.id, v.victim.id, requestId) : undefined;
    if (!row) return refuse(context, 'not-found', caseId, 'victims.rights.review.not-found');
    const request = toRequest(row);
    const powers = powersOf(actor, v);
    const allowed = step === 'decide' ? powers.decide(request.scheme, request.stage) : powers.record(request.scheme);
    if (!allowed) return refuse(context, 'forbidden', caseId, `victims.rights.review.${step}.forbidden`);
    return { v, request };
  }

  const undecided = (request: ReviewRequest, field: string) => {
    if (request.outcome !== null) throw invalid([{ field, message: translate('victimRights.error.decided') }]);
  };

  return {
    powersOf,

    /** The victim's Victims' Code ledger. Audited as a consultation. */
    async ledger(actor: Actor, context: AuditContext, caseId: string, victimId: string): Promise<LoadedVictim & { lines: LedgerLine[]; powers: RightsPowers }> {
      const v = await loadFor(actor, context, caseId, victimId, 'see');
      const lines = await readLedger(db, v, today());
      await consulted(context, v, 'victims.rights.ledger', { lines: lines.length });
      return { ...v, lines, powers: powersOf(actor, v) };
    },

    /** Refuses (journalled) anyone who may not record proof of delivery for this victim. */
    async checkDelivery(actor: Actor, context: AuditContext, caseId: string, victimId: string): Promise<LoadedVictim> {
      const v = await loadFor(actor, context, caseId, victimId, 'work');
      if (!powersOf(actor, v).recordDelivery) return refuse(context, 'forbidden', caseId, 'victims.rights.delivery.forbidden');
      return v;
    },

    /** Records how and when the victim was given an entitlement; meets its clock. */
    async recordDelivery(actor: Actor, context: AuditContext, caseId: string, victimId: string, input: DeliveryInput, version: number | null, idempotency?: Idempotency): Promise<string> {
      const v = await this.checkDelivery(actor, context, caseId, victimId);
      return (await idempotent.once<{ id: string }>(context, actor, `victims.rights.delivery:${v.victim.id}`, idempotency, async (remember) => {
        const id = newId();
        await command(actor, context, v.loaded, version, async (tx, now) => {
          const lines = await readLedger(tx, v, today());
          const { value, errors } = deliveryErrors(input, { today: today(), applying: awaitingProof(lines) });
          if (!value) throw invalid(errors);
          await repository.insertDelivery(tx, {
            id, case_id: v.summary.id, victim_id: v.victim.id, entitlement: value.entitlement.key, entitlements_version: entitlements.version, applies_on: value.appliesOn,
            delivered_on: value.deliveredOn, method: value.method, reference: value.reference, recorded_by_user_id: actor.userId, recorded_at: now,
          });
          const line = lines.find((l) => l.entitlement === value.entitlement.key && l.appliesOn === value.appliesOn);
          const met = await meet(tx, await deadlinesFor(tx, CASE_SUBJECT, v.summary.id), line?.deadlineId ?? null, now);
          await remember(tx, { id });
          return {
            events: [{ type: 'victims.rights.entitlement-delivered', data: { victimId: v.victim.id, entitlement: value.entitlement.key, on: value.deliveredOn, method: value.method } }],
            audit: { action: 'collect', event: 'victims.rights.delivery', subjects: [v.victim.id], details: { deliveryId: id, entitlement: value.entitlement.key, deadlineMet: met } },
          };
        }, 'entitlement');
        return { id };
      })).id;
    },

    /** The victim's right-to-review requests, newest first. Audited as a consultation. */
    async reviews(actor: Actor, context: AuditContext, caseId: string, victimId: string): Promise<LoadedVictim & { requests: ReviewRequest[]; powers: RightsPowers }> {
      const v = await loadFor(actor, context, caseId, victimId, 'see');
      const requests = (await repository.requestsOf(db, v.summary.id, v.victim.id)).map(toRequest);
      await consulted(context, v, 'victims.rights.reviews', { requests: requests.length });
      return { ...v, requests, powers: powersOf(actor, v) };
    },

    /** Refuses (journalled) anyone who may record a request under neither scheme. */
    async checkRequest(actor: Actor, context: AuditContext, caseId: string, victimId: string): Promise<LoadedVictim> {
      const v = await loadFor(actor, context, caseId, victimId, 'work');
      if (!schemes.some((s) => powersOf(actor, v).record(s))) return refuse(context, 'forbidden', caseId, 'victims.rights.review.request.forbidden');
      return v;
    },

    /** The request form, for those who may record a request: the victim's name is on it, so the read is audited. */
    async requestForm(actor: Actor, context: AuditContext, caseId: string, victimId: string): Promise<LoadedVictim> {
      const v = await this.checkRequest(actor, context, caseId, victimId);
      await consulted(context, v, 'victims.rights.review.request-form');
      return v;
    },

    /** Records a request for review; opens its clocks from the day it was received. */
    async requestReview(actor: Actor, context: AuditContext, caseId: string, victimId: string, input: RequestInput, version: number | null, idempotency?: Idempotency): Promise<string> {
      const v = await this.checkRequest(actor, context, caseId, victimId);
      const powers = powersOf(actor, v);
      return (await idempotent.once<{ id: string }>(context, actor, `victims.rights.review:${v.victim.id}`, idempotency, async (remember) => {
        const id = newId();
        await command(actor, context, v.loaded, version, async (tx, now) => {
          const { value, errors } = requestErrors(input, today());
          if (!value) throw invalid(errors);
          const rules = schemeRules[value.scheme];
          if (!powers.record(value.scheme)) throw invalid([{ field: 'scheme', message: translate(`victimRights.error.schemeRole.${value.scheme}`) }]);
          if (v.loaded.stage !== rules.caseStage) throw invalid([{ field: 'scheme', message: translate(`victimRights.error.caseStage.${value.scheme}`) }]);
          const open = (await repository.requestsOf(tx, v.summary.id, v.victim.id)).some((r) => r.scheme === value.scheme && r.outcome === null);
          if (open) throw invalid([{ field: 'scheme', message: translate('victimRights.error.openRequest') }]);
          const organisationIds = [v.loaded.row.force_id, v.loaded.row.cps_area_id];
          const window = await ruleVersionFor(tx, rules.windowRule, organisationIds, value.toldOn);
          if (!window) throw new Error(`No version of rule ${rules.windowRule} is in force on ${value.toldOn}`);
          const windowEndsOn = dueDate(window.definition, value.toldOn);
          const late = lateErrors(value.receivedOn, windowEndsOn, input.lateReason);
          if (late.errors.length) throw invalid(late.errors);
          registerCaseDeadlines();
          const clock = (ruleKey: string) => openDeadline(tx, { subjectType: CASE_SUBJECT, subjectId: v.summary.id, ruleKey, organisationIds, startedOn: value.receivedOn, now: new Date(now) });
          const acknowledge = rules.acknowledgeRule ? await clock(rules.acknowledgeRule) : null;
          const stage = await clock(rules.stageRules[rules.firstStage]!);
          await repository.insertRequest(tx, {
            id, case_id: v.summary.id, victim_id: v.victim.id, scheme: value.scheme, told_on: value.toldOn, received_on: value.receivedOn, window_ends_on: windowEndsOn,
            late_reason: late.late ? input.lateReason.trim() : null, review_stage: rules.firstStage, acknowledge_deadline_id: acknowledge?.id ?? null, stage_deadline_id: stage.id,
            acknowledged_on: null, escalated_on: null, outcome: null, decided_on: null, decision_reasons: null, recorded_by_user_id: actor.userId, recorded_at: now, decided_by_user_id: null,
          });
          await remember(tx, { id });
          return {
            events: [{ type: 'victims.rights.vrr-requested', data: { victimId: v.victim.id, requestId: id, scheme: value.scheme, receivedOn: value.receivedOn, late: late.late } }],
            audit: { action: 'collect', event: 'victims.rights.review.request', subjects: [v.victim.id], details: { requestId: id, scheme: value.scheme, late: late.late } },
          };
        }, 'scheme');
        return { id };
      })).id;
    },

    /** A request as its step's form shows it; refuses anyone who may not take the step. */
    /** A step's form (acknowledge, escalate, decide): the read is audited. */
    async requestFor(actor: Actor, context: AuditContext, caseId: string, victimId: string, requestId: string, step: ReviewStep) {
      const found = await forRequest(actor, context, caseId, victimId, requestId, step);
      await consulted(context, found.v, `victims.rights.review.${step}-form`);
      return found;
    },

    /** The request was acknowledged to the victim: meets the acknowledgement clock. */
    async acknowledge(actor: Actor, context: AuditContext, caseId: string, victimId: string, requestId: string, input: { acknowledgedOn: DateParts }, version: number | null): Promise<void> {
      const { v, request } = await forRequest(actor, context, caseId, victimId, requestId, 'acknowledge');
      await command(actor, context, v.loaded, version, async (tx, now) => {
        undecided(request, 'acknowledgedOn');
        if (request.acknowledgedOn) throw invalid([{ field: 'acknowledgedOn', message: translate('victimRights.error.acknowledged') }]);
        const { date, errors } = stepDateErrors(input.acknowledgedOn, 'acknowledgedOn', 'victimRights.acknowledge.onLabel', today(), request.receivedOn);
        if (!date) throw invalid(errors);
        const row = (await repository.findRequest(tx, v.summary.id, v.victim.id, request.id))!;
        if (!(await repository.updateOpenRequest(tx, request.id, { acknowledged_on: date }))) throw invalid([{ field: 'acknowledgedOn', message: translate('victimRights.error.decided') }]);
        const met = await meet(tx, await deadlinesFor(tx, CASE_SUBJECT, v.summary.id), row.acknowledge_deadline_id, now);
        return {
          events: [{ type: 'victims.rights.vrr-acknowledged', data: { victimId: v.victim.id, requestId: request.id, on: date } }],
          audit: { action: 'alter', event: 'victims.rights.review.acknowledge', subjects: [v.victim.id], details: { requestId: request.id, deadlineMet: met } },
        };
      }, 'acknowledgedOn');
    },

    /** The victim is still dissatisfied after local resolution (CPS): the request goes to independent review with its own clock. */
    async escalate(actor: Actor, context: AuditContext, caseId: string, victimId: string, requestId: string, input: { escalatedOn: DateParts }, version: number | null): Promise<void> {
      const { v, request } = await forRequest(actor, context, caseId, victimId, requestId, 'escalate');
      const rules = schemeRules[request.scheme];
      await command(actor, context, v.loaded, version, async (tx, now) => {
        undecided(request, 'escalatedOn');
        const next = rules.escalatesTo;
        if (!next || request.stage !== rules.firstStage) throw invalid([{ field: 'escalatedOn', message: translate('victimRights.error.noEscalation') }]);
        const { date, errors } = stepDateErrors(input.escalatedOn, 'escalatedOn', 'victimRights.escalate.onLabel', today(), request.receivedOn);
        if (!date) throw invalid(errors);
        const row = (await repository.findRequest(tx, v.summary.id, v.victim.id, request.id))!;
        const met = await meet(tx, await deadlinesFor(tx, CASE_SUBJECT, v.summary.id), row.stage_deadline_id, now);
        registerCaseDeadlines();
        const clock = await openDeadline(tx, { subjectType: CASE_SUBJECT, subjectId: v.summary.id, ruleKey: rules.stageRules[next]!, organisationIds: [v.loaded.row.force_id, v.loaded.row.cps_area_id], startedOn: date, now: new Date(now) });
        if (!(await repository.updateOpenRequest(tx, request.id, { review_stage: next, escalated_on: date, stage_deadline_id: clock.id }))) throw invalid([{ field: 'escalatedOn', message: translate('victimRights.error.decided') }]);
        return {
          events: [{ type: 'victims.rights.vrr-escalated', data: { victimId: v.victim.id, requestId: request.id, on: date, stage: next } }],
          audit: { action: 'alter', event: 'victims.rights.review.escalate', subjects: [v.victim.id], details: { requestId: request.id, localResolutionMet: met } },
        };
      }, 'escalatedOn');
    },

    /** The review's outcome; an overturned decision reopens the case in the same command. */
    async decide(actor: Actor, context: AuditContext, caseId: string, victimId: string, requestId: string, input: DecisionInput, version: number | null): Promise<void> {
      const { v, request } = await forRequest(actor, context, caseId, victimId, requestId, 'decide');
      const rules = schemeRules[request.scheme];
      await command(actor, context, v.loaded, version, async (tx, now) => {
        undecided(request, 'outcome');
        const { value, errors } = decisionErrors(input, today(), request.escalatedOn ?? request.receivedOn);
        if (!value) throw invalid(errors);
        const overturned = value.outcome === 'overturned';
        if (overturned && v.loaded.stage !== rules.caseStage) throw invalid([{ field: 'outcome', message: translate(`victimRights.error.reopenStage.${request.scheme}`) }]);
        const row = (await repository.findRequest(tx, v.summary.id, v.victim.id, request.id))!;
        if (!(await repository.updateOpenRequest(tx, request.id, { outcome: value.outcome, decided_on: value.decidedOn, decision_reasons: value.reasons, decided_by_user_id: actor.userId }))) {
          throw invalid([{ field: 'outcome', message: translate('victimRights.error.decided') }]);
        }
        const deadlines = await deadlinesFor(tx, CASE_SUBJECT, v.summary.id);
        // A decision answers the request, so an acknowledgement still awaited is met by it.
        const reviewMet = await meet(tx, deadlines, row.stage_deadline_id, now);
        await meet(tx, deadlines, row.acknowledge_deadline_id, now);
        const events: CaseEventDraft[] = [{ type: 'victims.rights.vrr-decided', data: { victimId: v.victim.id, requestId: request.id, outcome: value.outcome, on: value.decidedOn } }];
        return {
          events,
          ...(overturned ? { stage: rules.reopensTo } : {}),
          audit: { action: 'alter', event: 'victims.rights.review.decide', subjects: [v.victim.id], details: { requestId: request.id, scheme: request.scheme, outcome: value.outcome, reviewMet } },
        };
      }, 'outcome');
    },
  };
}

export type RightsService = ReturnType<typeof createRightsService>;
export type { ReviewStage, Scheme };
