// Commands and queries on charging referrals and CPS charging decisions.
// Every method starts with the case file's default-deny access check; every
// command is one case command (version claim, rows, stage move, deadlines,
// journal, audit) in one transaction.
import type { Actor } from '../../platform/access/policy.ts';
import type { Role } from '../../platform/access/roles.ts';
import type { AuditContext } from '../../platform/audit/model.ts';
import { newId } from '../../platform/db/ids.ts';
import type { Tx } from '../../platform/db/transaction.ts';
import { deadlinesFor, openDeadline } from '../../platform/deadlines/service.ts';
import type { Platform } from '../../platform/platform.ts';
import { createIdempotency } from '../idempotency.ts';
import type { Idempotency } from '../idempotency.ts';
import { createCaseCommands, invalid } from '../case-commands.ts';
import type { CaseChange, CaseEventDraft, LoadedCase } from '../case-commands.ts';
import { CASE_SUBJECT, registerCaseDeadlines } from '../deadlines.ts';
import { canTransition } from '../model.ts';
import type { CaseSummary, Stage } from '../model.ts';
import * as cases from '../repository.ts';
import { toSummary } from '../service.ts';
import {
  DECIDERS,
  FINALISE_STAGES,
  NOT_CHARGED,
  REFERRAL_STAGES,
  REFERRERS,
  REOPEN_STAGES,
  TRIAGERS,
  adviceNotRequestedReasons,
  caseOutcome,
  decisionErrors,
  finalisationErrors,
  referralErrors,
  reopeningErrors,
  triageChecklist,
  triageErrors,
} from './model.ts';
import type { ChargedOffence, ChargingFile, DecisionInput, DecisionView, ReferralInput, ReferralView, SuspectDecision, SuspectStatus, TriageInput, TriageItem, TriageResult } from './model.ts';
import * as repository from './repository.ts';

export const VICTIMS_CODE_RULE = 'victims-code.cps-no-charge';
export const VICTIMS_CODE_VULNERABLE_RULE = 'victims-code.cps-no-charge.vulnerable';

/** What the actor may do on their side of the case, by platform role. */
export function chargingPowers(actor: Actor, side: 'police' | 'cps' | null) {
  const holds = (roles: readonly Role[]) => actor.organisation.roles.some((role) => roles.includes(role));
  return {
    refer: side === 'police' && holds(REFERRERS),
    triage: side === 'cps' && holds(TRIAGERS),
    decide: side === 'cps' && holds(DECIDERS),
  };
}

function toReferral(row: repository.ReferralRow, suspects: readonly { referral_id: string; person_id: string }[]): ReferralView {
  let items: TriageItem[] = [];
  try {
    items = row.triage_items ? (JSON.parse(row.triage_items) as TriageItem[]) : [];
  } catch {
    // Rows are written by this module only; an unreadable list shows as none.
  }
  return {
    id: row.id,
    test: row.test === 'threshold' ? 'threshold' : 'full_code',
    fromStage: row.from_stage,
    referredBy: row.referred_by_name,
    referredAt: row.referred_at,
    suspectIds: suspects.filter((s) => s.referral_id === row.id).map((s) => s.person_id),
    notRequested: row.not_requested_reason ? { reason: row.not_requested_reason, detail: row.not_requested_detail ?? '' } : null,
    triage: row.triage_result && row.triaged_at
      ? { result: row.triage_result as TriageResult, items, reasons: row.triage_reasons, by: row.triaged_by_name ?? '', at: row.triaged_at }
      : null,
  };
}

function toDecision(row: repository.DecisionRow): DecisionView {
  let offences: ChargedOffence[] = [];
  try {
    offences = row.offences ? (JSON.parse(row.offences) as ChargedOffence[]) : [];
  } catch {
    // As above.
  }
  return {
    id: row.id,
    referralId: row.referral_id,
    kind: row.kind as DecisionView['kind'],
    suspectId: row.suspect_id,
    offences,
    alternativeOffence: Number(row.alternative_offence) === 1,
    reasonCode: row.reason_code,
    reasons: row.reasons,
    decidedBy: row.decided_by_name,
    decidedAt: row.decided_at,
    superseded: row.superseded_at !== null,
  };
}

/** Reads the charging record of a case (in a transaction, for commands, or not). */
async function readFile(executor: Parameters<typeof repository.referralsOf>[0], caseId: string, stage: Stage): Promise<ChargingFile> {
  const [referralRows, suspectRows, decisionRows, people, events] = await Promise.all([
    repository.referralsOf(executor, caseId),
    repository.referralSuspectsOf(executor, caseId),
    repository.decisionsOf(executor, caseId),
    cases.peopleOf(executor, caseId),
    cases.eventsOf(executor, caseId),
  ]);
  const referrals = referralRows.map((row) => toReferral(row, suspectRows));
  const decisions = decisionRows.map(toDecision);
  const current = referrals[0] ?? null;
  const inForce = (suspectId: string) => decisions.find((d) => d.referralId === current?.id && d.suspectId === suspectId && !d.superseded && d.kind !== 'administratively_finalised' && d.kind !== 'reopened');
  const awaiting = stage === 'charging_referral' && current !== null && current.triage?.result !== 'returned';
  const suspects: SuspectStatus[] = people.filter((p) => p.category === 'suspect').map((p) => {
    const decided = inForce(p.id);
    return {
      id: p.id,
      name: p.name,
      consultations: suspectRows.filter((s) => s.person_id === p.id).length + decisions.filter((d) => d.suspectId === p.id).length,
      awaitingDecision: awaiting && current!.suspectIds.includes(p.id) && !decided,
      decision: decided ? (decided.kind as SuspectDecision) : null,
    };
  });
  return { referrals, current, decisions, suspects, adviceWasRequested: events.some((e) => e.type === 'advice.requested') };
}


export function createChargingService(platform: Platform) {
  const { db, audit, clock } = platform;

  const commands = createCaseCommands(platform);
  const idempotent = createIdempotency(platform);
  const { load, command, refuse } = commands;
  const today = () => clock.now();

  async function loadFor(actor: Actor, context: AuditContext, caseId: string, power: 'refer' | 'triage' | 'decide', event: string): Promise<LoadedCase> {
    const loaded = await load(actor, context, caseId, 'work');
    if (!chargingPowers(actor, loaded.side)[power]) await refuse(context, 'forbidden', caseId, event);
    return loaded;
  }

  /** Opens the Victims' Code clock for telling the victim of a decision not to charge, unless one is already running. */
  async function openVictimsCodeClock(tx: Tx, loaded: LoadedCase): Promise<void> {
    registerCaseDeadlines();
    const open = (await deadlinesFor(tx, CASE_SUBJECT, loaded.row.id)).some((d) => (d.status === 'open' || d.status === 'paused') && d.ruleKey.startsWith(VICTIMS_CODE_RULE));
    if (open) return;
    const vulnerable = Number(loaded.row.vulnerable_victim) === 1;
    await openDeadline(tx, {
      subjectType: CASE_SUBJECT,
      subjectId: loaded.row.id,
      ruleKey: vulnerable ? VICTIMS_CODE_VULNERABLE_RULE : VICTIMS_CODE_RULE,
      organisationIds: [loaded.row.force_id, loaded.row.cps_area_id],
      now: today(),
    });
  }

  return {
    /** The charging record of a case, for anyone who may see the case. Audited as a consultation. */
    async chargingFile(actor: Actor, context: AuditContext, caseId: string): Promise<{ summary: CaseSummary; file: ChargingFile; side: 'police' | 'cps' | null; access: LoadedCase['access'] }> {
      const loaded = await load(actor, context, caseId, 'see');
      const file = await readFile(db, loaded.row.id, loaded.stage);
      await audit.audited(context, {
        action: 'consult', event: 'charging.view', objectType: 'case', objectId: loaded.row.id,
        subjects: file.suspects.map((s) => s.id), details: { access: loaded.access, referrals: file.referrals.length },
      }, async () => undefined);
      return { summary: toSummary(loaded.row), file, side: loaded.side, access: loaded.access };
    },

    /** Refuses (journalled) anyone who may not use this command on the case. */
    async check(actor: Actor, context: AuditContext, caseId: string, power: 'refer' | 'triage' | 'decide'): Promise<void> {
      await loadFor(actor, context, caseId, power, `charging.${power}.forbidden`);
    },

    /** Police refer the case for a charging decision on one or more of its suspects. */
    async refer(actor: Actor, context: AuditContext, caseId: string, input: ReferralInput, version: number | null, idempotency?: Idempotency): Promise<string> {
      const loaded = await loadFor(actor, context, caseId, 'refer', 'charging.refer.forbidden');
      return (await idempotent.once<{ id: string }>(context, actor, `charging.refer:${loaded.row.id}`, idempotency, async (remember) => {
        const referralId = newId();
        await command(actor, context, loaded, version, async (tx, now) => {
          const file = await readFile(tx, loaded.row.id, loaded.stage);
          // A file returned at triage is resubmitted from where it waits.
          const resubmission = loaded.stage === 'charging_referral' && file.current?.triage?.result === 'returned';
          if (!REFERRAL_STAGES.includes(loaded.stage) && !resubmission) {
            throw invalid([{ field: 'test', message: 'A case can be referred for a charging decision only from Investigation, Early advice or Action plan, or when a referral was returned to police' }]);
          }
          const { value, errors } = referralErrors(input, file.suspects.map((s) => s.id), file.adviceWasRequested);
          if (!value) throw invalid(errors);
          await repository.insertReferral(tx, {
            id: referralId, case_id: loaded.row.id, test: value.test, from_stage: loaded.stage, referred_by: actor.userId, referred_at: now,
            not_requested_reason: value.notRequested?.reason ?? null,
            not_requested_version: value.notRequested ? adviceNotRequestedReasons.version : null,
            not_requested_detail: value.notRequested?.detail ?? null,
            triage_result: null, triage_items: null, triage_version: null, triage_reasons: null, triaged_by: null, triaged_at: null,
          }, value.suspectIds);
          await remember(tx, { id: referralId });
          const events: CaseEventDraft[] = [];
          if (value.notRequested) events.push({ type: 'advice.not-requested', data: { reasonCode: value.notRequested.reason, referralId } });
          events.push({ type: 'charging.referred', data: { referralId, test: value.test, suspectIds: value.suspectIds } });
          return {
            events,
            ...(resubmission ? {} : { stage: 'charging_referral' as const }),
            audit: { action: 'collect', event: 'charging.refer', subjects: value.suspectIds, details: { referralId, test: value.test, suspects: value.suspectIds.length, adviceNotRequested: value.notRequested?.reason ?? null } },
          };
        }, 'test');
        return { id: referralId };
      })).id;
    },

    /** The CPS records the file-quality triage of the current referral: accepted for review, or returned to police. */
    async triage(actor: Actor, context: AuditContext, caseId: string, input: TriageInput, version: number | null): Promise<void> {
      const loaded = await loadFor(actor, context, caseId, 'triage', 'charging.triage.forbidden');
      await command(actor, context, loaded, version, async (tx, now) => {
        const file = await readFile(tx, loaded.row.id, loaded.stage);
        const referral = file.current;
        if (loaded.stage !== 'charging_referral' || !referral || referral.triage) {
          throw invalid([{ field: 'result', message: 'There is no referral awaiting triage: the case must be at Charging referral with a referral not yet triaged' }]);
        }
        const { value, errors } = triageErrors(input);
        if (!value) throw invalid(errors);
        if (!(await repository.triageReferral(tx, referral.id, { triage_result: value.result, triage_items: JSON.stringify(value.items), triage_version: triageChecklist.version, triage_reasons: value.reasons, triaged_by: actor.userId, triaged_at: now }))) {
          throw invalid([{ field: 'result', message: 'This referral has already been triaged' }]);
        }
        // A returned file goes back to police. The stage model does not yet
        // allow 'Charging referral' to 'Investigation'; until it does, the
        // case waits at Charging referral, marked returned, for police to refer again.
        const back = value.result === 'returned' && canTransition(loaded.stage, 'investigation');
        return {
          events: [{ type: 'charging.triaged', data: { referralId: referral.id, result: value.result, items: value.items, checklistVersion: triageChecklist.version } }],
          ...(back ? { stage: 'investigation' as const } : {}),
          audit: { action: 'alter', event: 'charging.triage', details: { referralId: referral.id, result: value.result, itemsPresent: value.items.length } },
        };
      }, 'result');
    },

    /** A prosecutor's decision for one suspect on the current referral; the last one moves the case. */
    async decide(actor: Actor, context: AuditContext, caseId: string, input: DecisionInput, version: number | null, idempotency?: Idempotency): Promise<string> {
      const loaded = await loadFor(actor, context, caseId, 'decide', 'charging.decide.forbidden');
      return (await idempotent.once<{ id: string }>(context, actor, `charging.decide:${loaded.row.id}`, idempotency, async (remember) => {
        const decisionId = newId();
        await command(actor, context, loaded, version, async (tx, now): Promise<CaseChange> => {
          const file = await readFile(tx, loaded.row.id, loaded.stage);
          const referral = file.current;
          if (loaded.stage !== 'charging_referral' || !referral) throw invalid([{ field: 'decision', message: 'A charging decision can be made only when the case is at Charging referral' }]);
          if (referral.triage?.result !== 'accepted') throw invalid([{ field: 'decision', message: 'Record the file-quality triage of the referral, accepted for review, before deciding' }]);
          const pending = file.suspects.filter((s) => s.awaitingDecision).map((s) => s.id);
          const { value, errors } = decisionErrors(input, pending);
          if (!value) throw invalid(errors);
          await repository.insertDecision(tx, {
            id: decisionId, case_id: loaded.row.id, referral_id: referral.id, kind: value.decision, suspect_id: value.suspectId,
            offences: value.decision === 'charge' ? JSON.stringify(value.offences) : null,
            alternative_offence: value.alternativeOffence ? 1 : 0, reason_code: null, reasons: value.reasons,
            decided_by: actor.userId, decided_at: now, superseded_at: null,
          });
          await remember(tx, { id: decisionId });
          const events: CaseEventDraft[] = [{
            type: 'charging.decided',
            data: { referralId: referral.id, decision: value.decision, suspectId: value.suspectId, ...(value.decision === 'charge' ? { alternativeOffence: value.alternativeOffence, offenceClasses: value.offences.map((o) => o.offenceClass) } : {}) },
          }];
          const notCharged = NOT_CHARGED.includes(value.decision);
          if (notCharged) {
            events.push({ type: 'scrutiny.queued', data: { decision: value.decision, referralId: referral.id, suspectId: value.suspectId } });
            events.push({ type: 'victim-letter.queued', data: { letter: 'cps-no-charge', referralId: referral.id, suspectId: value.suspectId } });
            // Opened in the decision's transaction; the move to a closing stage leaves it open (it only closes what was open before).
            await openVictimsCodeClock(tx, loaded);
          }
          const last = pending.length === 1;
          const decided = [...file.suspects.filter((s) => s.decision && referral.suspectIds.includes(s.id)).map((s) => s.decision!), value.decision];
          return {
            events,
            ...(last ? { stage: caseOutcome(decided) } : {}),
            audit: { action: 'alter', event: 'charging.decide', subjects: [value.suspectId], details: { referralId: referral.id, decision: value.decision, alternativeOffence: value.alternativeOffence, last } },
          };
        }, 'decision');
        return { id: decisionId };
      })).id;
    },

    /** The CPS closes a case police never answered (an action plan, or no resubmission after advice). */
    async finalise(actor: Actor, context: AuditContext, caseId: string, input: { reason: string; detail: string }, version: number | null): Promise<void> {
      const loaded = await loadFor(actor, context, caseId, 'decide', 'charging.finalise.forbidden');
      if (!FINALISE_STAGES.includes(loaded.stage)) throw invalid([{ field: 'reason', message: 'A case can be administratively finalised only from Early advice, Charging referral or Action plan' }]);
      const { value, errors } = finalisationErrors(input);
      if (!value) throw invalid(errors);
      await command(actor, context, loaded, version, async (tx, now) => {
        const current = (await repository.referralsOf(tx, loaded.row.id))[0];
        const id = newId();
        await repository.insertDecision(tx, {
          id, case_id: loaded.row.id, referral_id: current?.id ?? null, kind: 'administratively_finalised', suspect_id: null, offences: null,
          alternative_offence: 0, reason_code: value.reason, reasons: value.detail, decided_by: actor.userId, decided_at: now, superseded_at: null,
        });
        return {
          events: [{ type: 'charging.administratively-finalised', data: { decisionId: id, reasonCode: value.reason, from: loaded.stage } }],
          stage: 'administratively_finalised',
          audit: { action: 'alter', event: 'charging.finalise', details: { decisionId: id, reasonCode: value.reason } },
        };
      }, 'reason');
    },

    /** The CPS reopens an administratively finalised case (to Investigation) or its own decision not to charge (to Charging referral). */
    async reopen(actor: Actor, context: AuditContext, caseId: string, input: { reason: string }, version: number | null): Promise<void> {
      const loaded = await loadFor(actor, context, caseId, 'decide', 'charging.reopen.forbidden');
      if (!REOPEN_STAGES.includes(loaded.stage)) throw invalid([{ field: 'reason', message: 'Only an administratively finalised case or a CPS decision of no further action can be reopened here' }]);
      const errors = reopeningErrors(input);
      if (errors.length) throw invalid(errors);
      const to: Stage = loaded.stage === 'cps_nfa' ? 'charging_referral' : 'investigation';
      await command(actor, context, loaded, version, async (tx, now) => {
        const current = (await repository.referralsOf(tx, loaded.row.id))[0];
        // The suspects of the referral await a fresh decision.
        if (to === 'charging_referral' && current) await repository.supersedeDecisions(tx, current.id, now);
        const id = newId();
        await repository.insertDecision(tx, {
          id, case_id: loaded.row.id, referral_id: current?.id ?? null, kind: 'reopened', suspect_id: null, offences: null,
          alternative_offence: 0, reason_code: null, reasons: input.reason.trim(), decided_by: actor.userId, decided_at: now, superseded_at: null,
        });
        return {
          events: [{ type: 'charging.reopened', data: { decisionId: id, from: loaded.stage, to } }],
          stage: to,
          audit: { action: 'alter', event: 'charging.reopen', details: { decisionId: id, from: loaded.stage, to } },
        };
      }, 'reason');
    },
  };
}

export type ChargingService = ReturnType<typeof createChargingService>;
