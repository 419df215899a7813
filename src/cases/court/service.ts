// Commands and queries on the case at court. The CPS side (prosecutors,
// paralegals and DCPs with the case in hand) records court events; everyone
// who may see the case sees them. Recording the first hearing moves the case
// from Charged to Court; recording the final outcome of the last defendant
// without one moves it to Completed.
import type { Actor } from '../../platform/access/policy.ts';
import type { Role } from '../../platform/access/roles.ts';
import type { AuditContext } from '../../platform/audit/model.ts';
import { isId, newId } from '../../platform/db/ids.ts';
import type { Platform } from '../../platform/platform.ts';
import { londonDate } from '../../platform/time/working-days.ts';
import { Problem } from '../../platform/web/errors.ts';
import type { FieldError } from '../../platform/web/errors.ts';
import { createCaseCommands, invalid } from '../case-commands.ts';
import type { CaseEventDraft, LoadedCase } from '../case-commands.ts';
import type { CaseSummary, DateParts, Stage } from '../model.ts';
import { toSummary } from '../service.ts';
import { claimedVersion, courtCaseNumberError, createDetailsService, normaliseCourtCaseNumber } from '../details/service.ts';
import type { Created } from '../details/service.ts';
import { createIdempotency } from '../idempotency.ts';
import type { Idempotency } from '../idempotency.ts';
import {
  adjournmentReasons,
  allOutcomesRecorded,
  convictions,
  courtDate,
  courtStages,
  isAdjournmentReason,
  isCourt,
  isHearingKind,
  isOutcome,
  isRequester,
  isSentenceType,
  mayBeVictimWithdrawal,
  sentenceErrors,
  stageProblem,
} from './model.ts';
import type { CourtRecord, Defendant, Hearing } from './model.ts';
import * as repository from './repository.ts';

export { describeCourtEvent } from './model.ts';
export type { CourtRecord } from './model.ts';

/** Who records court events: the CPS side's prosecutors, paralegals and DCPs. */
const courtRoles: readonly Role[] = ['prosecutor', 'paralegal', 'dcp'];

export function mayRecordCourt(actor: Actor, loaded: Pick<LoadedCase, 'side' | 'access'>): boolean {
  return loaded.side === 'cps' && (loaded.access === 'team' || loaded.access === 'supervision') && actor.organisation.roles.some((role) => courtRoles.includes(role));
}

const dayStart = (day: string) => `${day}T00:00:00.000Z`;

export function createCourtService(platform: Platform) {
  const { db, audit, clock } = platform;
  const { load, command, refuse } = createCaseCommands(platform);
  const { once, replay } = createIdempotency(platform);
  const details = createDetailsService(platform);
  const today = () => londonDate(clock.now());

  /** Loads the case for a court command: refuses anyone but the CPS side's court roles, and the wrong stage. */
  async function loadForCourt(actor: Actor, context: AuditContext, caseId: string, stages: readonly Stage[], what: string, field: string): Promise<LoadedCase> {
    const loaded = await allowedToRecord(actor, context, caseId);
    const problem = stageProblem(loaded.stage, stages, what);
    if (problem) throw invalid([{ field, message: problem }]);
    return loaded;
  }

  async function allowedToRecord(actor: Actor, context: AuditContext, caseId: string): Promise<LoadedCase> {
    const loaded = await load(actor, context, caseId, 'work');
    if (!mayRecordCourt(actor, loaded)) return refuse(context, 'forbidden', caseId, 'court.record.forbidden');
    return loaded;
  }

  /** A create retried with its Idempotency-Key answers as it first did, whatever the case's stage now. */
  async function replayed(actor: Actor, context: AuditContext, caseId: string, operation: string, idempotency: Idempotency | undefined): Promise<Created | undefined> {
    if (!idempotency) return undefined;
    await allowedToRecord(actor, context, caseId);
    return replay<Created>(context, actor, operation, idempotency);
  }

  async function defendantsOf(caseId: string): Promise<Defendant[]> {
    const [suspects, charged, outcomes] = await Promise.all([repository.suspectsOf(db, caseId), repository.chargedSuspectIds(db, caseId), repository.outcomesOf(db, caseId)]);
    // Where the charging decisions name who was charged, only they are defendants; otherwise every suspect is.
    const defendants = charged.length ? suspects.filter((s) => charged.includes(s.id)) : suspects;
    return defendants.map((s) => {
      const o = outcomes.find((row) => row.suspect_id === s.id);
      return {
        suspectId: s.id,
        name: s.name,
        outcome: o && isOutcome(o.outcome) ? o.outcome : null,
        outcomeOn: o?.outcome_on ?? null,
        victimWithdrawal: Number(o?.victim_withdrawal ?? 0) === 1,
        sentenceType: o?.sentence_type && isSentenceType(o.sentence_type) ? o.sentence_type : null,
        sentenceMonths: o?.sentence_months === null || o?.sentence_months === undefined ? null : Number(o.sentence_months),
        sentencedOn: o?.sentenced_on ?? null,
      };
    });
  }

  async function recordOf(caseId: string): Promise<CourtRecord> {
    const [sent, hearings, defendants] = await Promise.all([repository.sentToCrownCourtOn(db, caseId), repository.hearingsOf(db, caseId), defendantsOf(caseId)]);
    return {
      sentToCrownCourtOn: sent,
      hearings: hearings.flatMap((h): Hearing[] => (isHearingKind(h.kind) && isCourt(h.court) ? [{
        id: h.id, kind: h.kind, court: h.court, listedOn: h.listed_on, status: h.status as Hearing['status'], heldOn: h.held_on,
        adjournmentReason: h.adjournment_reason && isAdjournmentReason(h.adjournment_reason) ? h.adjournment_reason : null,
        adjournmentRequestedBy: h.adjournment_requested_by && isRequester(h.adjournment_requested_by) ? h.adjournment_requested_by : null,
      }] : [])),
      defendants,
    };
  }

  const listingEvents = (hearingId: string, kind: string, on: string): CaseEventDraft[] => [
    { type: 'court.hearing-listed', data: { hearingId, kind, on } },
    ...(kind === 'trial' ? [{ type: 'court.trial-listed', data: { hearingId, on } }] : []),
  ];

  async function findListed(loaded: LoadedCase, hearingId: string) {
    if (!isId(hearingId)) throw invalid([{ field: 'hearingId', message: 'Select the hearing' }]);
    const hearing = await repository.findHearing(db, loaded.row.id, hearingId);
    if (!hearing) throw new Problem('not-found');
    if (hearing.status !== 'listed') throw invalid([{ field: 'hearingId', message: 'This hearing has already been held or adjourned' }]);
    return hearing;
  }

  return {
    /** The case at court, for everyone who may see the case; a consultation, so journalled. */
    async court(actor: Actor, context: AuditContext, caseId: string): Promise<{ summary: CaseSummary; record: CourtRecord; mayRecord: boolean }> {
      const loaded = await load(actor, context, caseId, 'see');
      const record = await recordOf(loaded.row.id);
      await audit.audited(context, { action: 'consult', event: 'court.view', objectType: 'case', objectId: loaded.row.id, subjects: record.defendants.map((d) => d.suspectId), details: { access: loaded.access } }, async () => undefined);
      return { summary: toSummary(loaded.row), record, mayRecord: mayRecordCourt(actor, loaded) };
    },

    /** What a court form needs; refuses anyone who may not record court events. */
    async forRecording(actor: Actor, context: AuditContext, caseId: string): Promise<{ summary: CaseSummary; record: CourtRecord }> {
      const loaded = await load(actor, context, caseId, 'work');
      if (!mayRecordCourt(actor, loaded)) return refuse(context, 'forbidden', caseId, 'court.record.forbidden');
      const record = await recordOf(loaded.row.id);
      await audit.audited(context, { action: 'consult', event: 'court.form', objectType: 'case', objectId: loaded.row.id, subjects: record.defendants.map((d) => d.suspectId), details: { access: loaded.access } }, async () => undefined);
      return { summary: toSummary(loaded.row), record };
    },

    /** The first hearing at the magistrates' court, held on a day: the case moves from Charged to Court. */
    async recordFirstHearing(actor: Actor, context: AuditContext, caseId: string, input: { heldOn: DateParts }, version: number | null, idempotency?: Idempotency): Promise<Created> {
      const earlier = await replayed(actor, context, caseId, 'court.first-hearing', idempotency);
      if (earlier) return earlier;
      const loaded = await loadForCourt(actor, context, caseId, courtStages.firstHearing, 'The first hearing', 'heldOn-day');
      const held = courtDate(input.heldOn, 'heldOn', 'The date of the first hearing', today());
      if (!held.date) throw invalid([held.error!]);
      const on = held.date;
      const expected = claimedVersion(loaded, version);
      return once(context, actor, 'court.first-hearing', idempotency, async (remember) => {
        const hearingId = newId();
        await command(actor, context, loaded, expected, async (tx, now) => {
          await repository.insertHearing(tx, { id: hearingId, case_id: loaded.row.id, kind: 'first_hearing', court: 'magistrates', listed_on: on, status: 'held', held_on: on, adjournment_reason: null, adjournment_reasons_version: null, adjournment_requested_by: null, recorded_by: actor.userId, recorded_at: now });
          await remember(tx, { id: hearingId, caseVersion: expected + 1 });
          return {
            events: [{ type: 'court.hearing-held', data: { hearingId, kind: 'first_hearing', on }, occurredAt: dayStart(on) }],
            stage: 'court',
            stageStartedOn: on,
            audit: { action: 'collect', event: 'court.first-hearing', details: { hearingId, on } },
          };
        }, 'heldOn-day');
        return { id: hearingId, caseVersion: expected + 1 };
      });
    },

    /** Lists a hearing (plea and trial preparation, mention, trial, sentence) for a day. */
    async listHearing(actor: Actor, context: AuditContext, caseId: string, input: { kind: string; court: string; listedOn: DateParts }, version: number | null, idempotency?: Idempotency): Promise<Created> {
      const earlier = await replayed(actor, context, caseId, 'court.hearing', idempotency);
      if (earlier) return earlier;
      const loaded = await loadForCourt(actor, context, caseId, courtStages.atCourt, 'A hearing', 'kind');
      const errors: FieldError[] = [];
      if (!isHearingKind(input.kind) || input.kind === 'first_hearing') errors.push({ field: 'kind', message: 'Select the kind of hearing' });
      if (!isCourt(input.court)) errors.push({ field: 'court', message: 'Select the court' });
      const listed = courtDate(input.listedOn, 'listedOn', 'The date of the hearing', today(), true);
      if (listed.error) errors.push(listed.error);
      if (errors.length || !listed.date) throw invalid(errors);
      const on = listed.date;
      const expected = claimedVersion(loaded, version);
      return once(context, actor, 'court.hearing', idempotency, async (remember) => {
        const hearingId = newId();
        await command(actor, context, loaded, expected, async (tx, now) => {
          await repository.insertHearing(tx, { id: hearingId, case_id: loaded.row.id, kind: input.kind, court: input.court, listed_on: on, status: 'listed', held_on: null, adjournment_reason: null, adjournment_reasons_version: null, adjournment_requested_by: null, recorded_by: actor.userId, recorded_at: now });
          await remember(tx, { id: hearingId, caseVersion: expected + 1 });
          return { events: listingEvents(hearingId, input.kind, on), audit: { action: 'collect', event: 'court.hearing.list', details: { hearingId, kind: input.kind, court: input.court, on } } };
        });
        return { id: hearingId, caseVersion: expected + 1 };
      });
    },

    /** Records that a listed hearing was held on a day. */
    async holdHearing(actor: Actor, context: AuditContext, caseId: string, hearingId: string, input: { heldOn: DateParts }, version: number | null): Promise<number> {
      const loaded = await loadForCourt(actor, context, caseId, courtStages.atCourt, 'A hearing', 'heldOn-day');
      const hearing = await findListed(loaded, hearingId);
      const held = courtDate(input.heldOn, 'heldOn', 'The date the hearing was held', today());
      if (!held.date) throw invalid([held.error!]);
      const on = held.date;
      const done = await command(actor, context, loaded, version, async (tx) => {
        if (!(await repository.closeHearing(tx, hearing.id, { status: 'held', held_on: on }))) throw new Problem('conflict');
        return {
          events: [{ type: 'court.hearing-held', data: { hearingId: hearing.id, kind: hearing.kind, on }, occurredAt: dayStart(on) }],
          audit: { action: 'alter', event: 'court.hearing.held', details: { hearingId: hearing.id, kind: hearing.kind, on } },
        };
      }, 'heldOn-day');
      return done.version;
    },

    /** Adjourns a listed hearing for a reason from the current list, saying who asked; optionally lists it again. */
    async adjournHearing(actor: Actor, context: AuditContext, caseId: string, hearingId: string, input: { reasonCode: string; requestedBy: string; relistOn: DateParts }, version: number | null): Promise<number> {
      const loaded = await loadForCourt(actor, context, caseId, courtStages.atCourt, 'An adjournment', 'reasonCode');
      const hearing = await findListed(loaded, hearingId);
      const errors: FieldError[] = [];
      if (!isAdjournmentReason(input.reasonCode)) errors.push({ field: 'reasonCode', message: 'Select why the hearing was adjourned' });
      if (!isRequester(input.requestedBy)) errors.push({ field: 'requestedBy', message: 'Select who asked for the adjournment' });
      const relist = [input.relistOn.day, input.relistOn.month, input.relistOn.year].every((p) => p.trim() === '')
        ? { date: null, error: null }
        : courtDate(input.relistOn, 'relistOn', 'The new date of the hearing', today(), true);
      if (relist.error) errors.push(relist.error);
      if (errors.length) throw invalid(errors);
      const relistOn = relist.date;
      const done = await command(actor, context, loaded, version, async (tx, now) => {
        if (!(await repository.closeHearing(tx, hearing.id, { status: 'adjourned', adjournment_reason: input.reasonCode, adjournment_reasons_version: adjournmentReasons.version, adjournment_requested_by: input.requestedBy }))) throw new Problem('conflict');
        const events: CaseEventDraft[] = [{ type: 'court.adjourned', data: { hearingId: hearing.id, reasonCode: input.reasonCode, reasonsVersion: adjournmentReasons.version, requestedBy: input.requestedBy } }];
        let relistedId: string | null = null;
        if (relistOn) {
          relistedId = newId();
          await repository.insertHearing(tx, { id: relistedId, case_id: loaded.row.id, kind: hearing.kind, court: hearing.court, listed_on: relistOn, status: 'listed', held_on: null, adjournment_reason: null, adjournment_reasons_version: null, adjournment_requested_by: null, recorded_by: actor.userId, recorded_at: now });
          events.push(...listingEvents(relistedId, hearing.kind, relistOn));
        }
        return { events, audit: { action: 'alter', event: 'court.hearing.adjourn', details: { hearingId: hearing.id, reasonCode: input.reasonCode, requestedBy: input.requestedBy, relistedId } } };
      }, 'reasonCode');
      return done.version;
    },

    /** Records that the case was sent to the Crown Court (once). */
    async sendToCrownCourt(actor: Actor, context: AuditContext, caseId: string, input: { sentOn: DateParts }, version: number | null): Promise<number> {
      const loaded = await loadForCourt(actor, context, caseId, courtStages.atCourt, 'Sending to the Crown Court', 'sentOn-day');
      if (await repository.sentToCrownCourtOn(db, loaded.row.id)) throw invalid([{ field: 'sentOn-day', message: 'The case has already been sent to the Crown Court' }]);
      const sent = courtDate(input.sentOn, 'sentOn', 'The date it was sent', today());
      if (!sent.date) throw invalid([sent.error!]);
      const on = sent.date;
      const done = await command(actor, context, loaded, version, async (tx) => {
        await repository.recordSending(tx, loaded.row.id, on);
        return { events: [{ type: 'court.sent-to-crown-court', data: { on }, occurredAt: dayStart(on) }], audit: { action: 'alter', event: 'court.sent-to-crown-court', details: { on } } };
      }, 'sentOn-day');
      return done.version;
    },

    /** Records the court case number (format checked); journalled as a change to the case's details. */
    async recordCourtCaseNumber(actor: Actor, context: AuditContext, caseId: string, input: { courtCaseNumber: string }, version: number | null): Promise<number> {
      const loaded = await loadForCourt(actor, context, caseId, ['charged', 'court', 'completed'], 'The court case number', 'courtCaseNumber');
      const number = normaliseCourtCaseNumber(input.courtCaseNumber);
      const error = number === '' ? { field: 'courtCaseNumber', message: 'Enter the court case number' } : courtCaseNumberError(number);
      if (error) throw invalid([error]);
      return (await details.changeReferences(actor, context, loaded, { courtCaseNumber: number }, version)).version;
    },

    /**
     * Records a defendant's final outcome (once). When every defendant then
     * has one, the case moves to Completed in the same transaction.
     */
    async recordOutcome(actor: Actor, context: AuditContext, caseId: string, input: { suspectId: string; outcome: string; outcomeOn: DateParts; victimWithdrawal: boolean }, version: number | null, idempotency?: Idempotency): Promise<Created & { completed: boolean }> {
      const earlier = await replayed(actor, context, caseId, 'court.outcome', idempotency);
      if (earlier) return { ...earlier, completed: allOutcomesRecorded(await defendantsOf(caseId)) };
      const loaded = await loadForCourt(actor, context, caseId, courtStages.atCourt, 'An outcome', 'suspectId');
      const defendants = await defendantsOf(loaded.row.id);
      const errors: FieldError[] = [];
      const defendant = defendants.find((d) => d.suspectId === input.suspectId);
      if (!defendant) errors.push({ field: 'suspectId', message: 'Select the defendant' });
      else if (defendant.outcome) errors.push({ field: 'suspectId', message: `An outcome is already recorded for ${defendant.name}` });
      if (!isOutcome(input.outcome)) errors.push({ field: 'outcome', message: 'Select the outcome' });
      else if (input.victimWithdrawal && !mayBeVictimWithdrawal.includes(input.outcome)) errors.push({ field: 'victimWithdrawal', message: 'Only a discontinuance or withdrawal can be because the victim withdrew support' });
      const decided = courtDate(input.outcomeOn, 'outcomeOn', 'The date of the outcome', today());
      if (decided.error) errors.push(decided.error);
      if (errors.length || !decided.date || !defendant || !isOutcome(input.outcome)) throw invalid(errors);
      const on = decided.date;
      const outcome = input.outcome;
      const completes = allOutcomesRecorded(defendants.map((d) => (d.suspectId === defendant.suspectId ? { outcome } : d)));
      const expected = claimedVersion(loaded, version);
      const created = await once<Created>(context, actor, 'court.outcome', idempotency, async (remember) => {
        const outcomeId = newId();
        await command(actor, context, loaded, expected, async (tx, now) => {
          await repository.insertOutcome(tx, { id: outcomeId, case_id: loaded.row.id, suspect_id: defendant.suspectId, outcome, victim_withdrawal: input.victimWithdrawal ? 1 : 0, outcome_on: on, sentence_type: null, sentence_months: null, sentenced_on: null, recorded_by: actor.userId, recorded_at: now });
          await remember(tx, { id: outcomeId, caseVersion: expected + 1 });
          return {
            events: [{ type: 'court.outcome-recorded', data: { suspectId: defendant.suspectId, outcome, victimWithdrawal: input.victimWithdrawal, on }, occurredAt: dayStart(on) }],
            ...(completes ? { stage: 'completed' as const, stageStartedOn: on } : {}),
            audit: { action: 'collect', event: 'court.outcome.record', subjects: [defendant.suspectId], details: { outcome, victimWithdrawal: input.victimWithdrawal, completes } },
          };
        }, 'outcome');
        return { id: outcomeId, caseVersion: expected + 1 };
      });
      return { ...created, completed: completes };
    },

    /** Records the sentence of a defendant who pleaded guilty or was convicted (once). */
    async recordSentence(actor: Actor, context: AuditContext, caseId: string, input: { suspectId: string; sentenceType: string; months: string; sentencedOn: DateParts }, version: number | null): Promise<number> {
      const loaded = await loadForCourt(actor, context, caseId, courtStages.sentence, 'A sentence', 'suspectId');
      const defendants = await defendantsOf(loaded.row.id);
      const defendant = defendants.find((d) => d.suspectId === input.suspectId);
      const errors: FieldError[] = [];
      if (!defendant) errors.push({ field: 'suspectId', message: 'Select the defendant' });
      else if (!defendant.outcome || !convictions.includes(defendant.outcome)) errors.push({ field: 'suspectId', message: `${defendant.name} has no guilty plea or conviction recorded to sentence` });
      else if (defendant.sentenceType) errors.push({ field: 'suspectId', message: `A sentence is already recorded for ${defendant.name}` });
      const sentence = sentenceErrors({ type: input.sentenceType, months: input.months });
      errors.push(...sentence.errors);
      const sentenced = courtDate(input.sentencedOn, 'sentencedOn', 'The date of sentence', today());
      if (sentenced.error) errors.push(sentenced.error);
      else if (sentenced.date && defendant?.outcomeOn && sentenced.date < defendant.outcomeOn) errors.push({ field: 'sentencedOn-day', message: 'The date of sentence must be on or after the date of the plea or conviction' });
      if (errors.length || !defendant || !sentence.value || !sentenced.date) throw invalid(errors);
      const value = sentence.value;
      const on = sentenced.date;
      const outcomeRow = (await repository.outcomesOf(db, loaded.row.id)).find((o) => o.suspect_id === defendant.suspectId)!;
      const done = await command(actor, context, loaded, version, async (tx) => {
        if (!(await repository.recordSentence(tx, outcomeRow.id, { sentence_type: value.type, sentence_months: value.months, sentenced_on: on }))) throw new Problem('conflict');
        return {
          events: [{ type: 'court.sentenced', data: { suspectId: defendant.suspectId, sentenceType: value.type, months: value.months, on }, occurredAt: dayStart(on) }],
          audit: { action: 'collect', event: 'court.sentence.record', subjects: [defendant.suspectId], details: { sentenceType: value.type, months: value.months } },
        };
      }, 'sentenceType');
      return done.version;
    },
  };
}

export type CourtService = ReturnType<typeof createCourtService>;
