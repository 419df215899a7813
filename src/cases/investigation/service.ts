// Commands and queries of the investigation part. Each starts with the case
// file's default-deny check (`load`) and changes the case through `command`:
// one transaction that writes this part's rows, opens, meets or cancels its
// clocks, appends the journal events and writes the audit entry.
import type { Actor } from '../../platform/access/policy.ts';
import type { AuditContext } from '../../platform/audit/model.ts';
import { isId, newId } from '../../platform/db/ids.ts';
import type { Db, Tx } from '../../platform/db/transaction.ts';
import { dueDate } from '../../platform/deadlines/model.ts';
import { closeDeadline, deadlinesFor, openDeadline, pauseDeadline, resumeDeadline, ruleVersionFor } from '../../platform/deadlines/service.ts';
import type { DeadlineWithSteps } from '../../platform/deadlines/service.ts';
import type { Platform } from '../../platform/platform.ts';
import { londonDate } from '../../platform/time/working-days.ts';
import type { PlainDate } from '../../platform/time/working-days.ts';
import { Problem } from '../../platform/web/errors.ts';
import { createCaseCommands, invalid } from '../case-commands.ts';
import type { LoadedCase } from '../case-commands.ts';
import { CASE_SUBJECT } from '../deadlines.ts';
import { closingStages } from '../model.ts';
import type { CaseSummary, DateParts } from '../model.ts';
import { toSummary } from '../service.ts';
import {
  BAIL_RULE,
  RUI_REVIEW_RULE,
  SUPERVISORY_REVIEW_RULE,
  authorityNeeded,
  bailLadders,
  authoritySuffices,
  bailErrors,
  eventDateErrors,
  isAwaitingVictimReason,
  isBailAuthority,
  ladderOn,
  reviewErrors,
} from './model.ts';
import type { BailAuthority, BailLadder, ReviewRecord, SuspectState } from './model.ts';
import * as repository from './repository.ts';

/** A deadline of the case as its pages and API show it. */
export interface CaseClock extends DeadlineWithSteps {
  readonly overdue: boolean;
  readonly pausable: boolean;
}

export interface InvestigationView {
  readonly summary: CaseSummary;
  readonly side: 'police' | 'cps' | null;
  readonly mayWork: boolean;
  readonly maySupervise: boolean;
  readonly reviews: readonly ReviewRecord[];
  /** The supervisory review open now, if the schedule has started. */
  readonly nextReview: CaseClock | null;
  readonly suspects: readonly SuspectState[];
  readonly awaitingVictim: { readonly since: string; readonly reasonCode: string } | null;
}

const supervisingRoles = ['police_supervisor', 'escalation_lead'];
/** Midday UTC is the same day in London all year: the instant a dated event is journalled at. */
const onDay = (date: PlainDate) => `${date}T12:00:00.000Z`;

export function createInvestigationService(platform: Platform) {
  const { db, audit, clock } = platform;
  const commands = createCaseCommands(platform);
  const { load, command, refuse } = commands;
  const today = () => londonDate(clock.now());
  const organisationsOf = (loaded: LoadedCase) => [loaded.row.force_id, loaded.row.cps_area_id];

  async function policeWork(actor: Actor, context: AuditContext, caseId: string, event: string): Promise<LoadedCase> {
    const loaded = await load(actor, context, caseId, 'work');
    if (loaded.side !== 'police') return refuse(context, 'forbidden', caseId, event);
    if (closingStages.includes(loaded.stage)) throw invalid([{ field: 'case', message: 'The case is closed: reopen it before recording investigation work' }]);
    return loaded;
  }

  async function maySupervise(actor: Actor, loaded: LoadedCase): Promise<boolean> {
    if (loaded.side !== 'police') return false;
    if (actor.organisation.roles.some((r) => supervisingRoles.includes(r))) return true;
    return commands.holdsCaseRole(db, loaded.row.id, actor.userId, ['supervisor']);
  }

  async function clocksOf(executor: Db | Tx, caseId: string): Promise<CaseClock[]> {
    const now = today();
    const deadlines = await deadlinesFor(executor, CASE_SUBJECT, caseId);
    const result: CaseClock[] = [];
    for (const d of deadlines) {
      const rule = await ruleVersionFor(executor, d.ruleKey, d.organisationIds, d.startedOn);
      result.push({ ...d, overdue: d.status === 'open' && d.dueOn < now, pausable: rule?.definition.pausable ?? false });
    }
    return result;
  }

  async function openClock(tx: Tx, loaded: LoadedCase, ruleKey: string, startedOn: PlainDate, now: string) {
    return openDeadline(tx, { subjectType: CASE_SUBJECT, subjectId: loaded.row.id, ruleKey, organisationIds: organisationsOf(loaded), startedOn, now: new Date(now) });
  }

  async function closeIfOpen(tx: Tx, deadlineId: string, outcome: 'met' | 'cancelled', reason: string, now: string): Promise<void> {
    try {
      await closeDeadline(tx, deadlineId, { outcome, reason, now: new Date(now) });
    } catch (error) {
      // Already closed (a stage move cancelled it, say): nothing more to close.
      if (!(error instanceof Problem && error.type === 'conflict')) throw error;
    }
  }

  async function suspect(caseId: string, personId: string): Promise<{ id: string; name: string }> {
    const found = isId(personId) ? (await repository.suspectsOf(db, caseId)).find((p) => p.id === personId) : undefined;
    if (!found) throw invalid([{ field: 'personId', message: 'Select a suspect named on the case' }]);
    return found;
  }

  /** The suspects' bail and releases as they stand, read in one go. */
  async function suspectStates(executor: Db | Tx, loaded: LoadedCase, clocks: readonly CaseClock[]): Promise<SuspectState[]> {
    const caseId = loaded.row.id;
    const [suspects, bails, ruis, events] = await Promise.all([
      repository.suspectsOf(executor, caseId), repository.currentBail(executor, caseId), repository.currentRui(executor, caseId), repository.investigationEvents(executor, caseId),
    ]);
    const extensions = await repository.extensionsOf(executor, bails.map((b) => b.id));
    const live = (deadlineId: string) => clocks.find((c) => c.id === deadlineId && (c.status === 'open' || c.status === 'paused'));
    const states: SuspectState[] = [];
    for (const person of suspects) {
      const dated = (type: string) => {
        const last = events.filter((e) => e.type === type && (JSON.parse(e.data) as { personId?: string }).personId === person.id).at(-1);
        return last ? londonDate(last.occurred_at) : null;
      };
      const bailRow = bails.find((b) => b.person_id === person.id && live(b.deadline_id));
      const ruiRow = ruis.find((r) => r.person_id === person.id && live(r.deadline_id));
      let bail: SuspectState['bail'] = null;
      if (bailRow && isBailAuthority(bailRow.authority)) {
        const ladder = ladderOn(bailRow.started_on) ?? ladderOn(today())!;
        const rule = await ruleVersionFor(executor, BAIL_RULE, organisationsOf(loaded), bailRow.until_on);
        const nextUntil = rule ? dueDate(rule.definition, bailRow.until_on) : bailRow.until_on;
        bail = {
          id: bailRow.id,
          startedOn: bailRow.started_on,
          until: bailRow.until_on,
          authority: bailRow.authority,
          conditions: bailRow.conditions,
          next: { until: nextUntil, authority: authorityNeeded(ladder, bailRow.started_on, nextUntil) },
          extensions: extensions.filter((e) => e.bail_id === bailRow.id).flatMap((e) => (isBailAuthority(e.authority) ? [{ previousUntil: e.previous_until_on, until: e.until_on, authority: e.authority, at: e.created_at }] : [])),
        };
      }
      const rui = ruiRow ? { id: ruiRow.id, releasedOn: ruiRow.released_on, lastReviewedOn: ruiRow.last_reviewed_on, nextReviewDue: live(ruiRow.deadline_id)?.dueOn ?? null } : null;
      const arrestedOn = dated('investigation.suspect-arrested');
      states.push({
        personId: person.id,
        name: person.name,
        status: bail ? 'on-bail' : rui ? 'released-under-investigation' : arrestedOn ? 'arrested' : 'not-arrested',
        arrestedOn,
        interviewedOn: dated('investigation.suspect-interviewed'),
        bail,
        rui,
      });
    }
    return states;
  }

  async function awaitingVictimNow(executor: Db | Tx, caseId: string): Promise<{ since: string; reasonCode: string } | null> {
    const last = (await repository.investigationEvents(executor, caseId)).filter((e) => e.type === 'investigation.awaiting-victim' || e.type === 'investigation.victim-re-engaged').at(-1);
    if (!last || last.type !== 'investigation.awaiting-victim') return null;
    return { since: last.occurred_at, reasonCode: String((JSON.parse(last.data) as { reasonCode?: string }).reasonCode ?? '') };
  }

  const consult = (context: AuditContext, event: string, caseId: string, details: Record<string, string | number> = {}) =>
    audit.audited(context, { action: 'consult', event, objectType: 'case', objectId: caseId, details }, async () => undefined);

  return {
    /** The investigation page: reviews and their schedule, suspects' bail and releases, waiting on the victim. Audited. */
    async investigation(actor: Actor, context: AuditContext, caseId: string, need: 'see' | 'work' = 'see'): Promise<InvestigationView> {
      const loaded = await load(actor, context, caseId, need);
      const clocks = await clocksOf(db, loaded.row.id);
      const [reviews, suspects, awaitingVictim, supervises] = await Promise.all([
        repository.reviewsOf(db, loaded.row.id), suspectStates(db, loaded, clocks), awaitingVictimNow(db, loaded.row.id), maySupervise(actor, loaded),
      ]);
      await consult(context, 'investigation.view', loaded.row.id);
      const mayWork = loaded.access === 'team' || loaded.access === 'supervision';
      return {
        summary: toSummary(loaded.row),
        side: loaded.side,
        mayWork,
        maySupervise: mayWork && supervises,
        reviews: reviews.map((r) => ({ id: r.id, reviewedOn: r.reviewed_on, note: r.note, reviewerName: r.reviewer_name })),
        nextReview: clocks.find((c) => c.ruleKey === SUPERVISORY_REVIEW_RULE && (c.status === 'open' || c.status === 'paused')) ?? null,
        suspects,
        awaitingVictim,
      };
    },

    /** The case's deadlines with their steps, for the deadlines page and API. Audited. */
    async deadlines(actor: Actor, context: AuditContext, caseId: string): Promise<{ summary: CaseSummary; mayWork: boolean; clocks: CaseClock[] }> {
      const loaded = await load(actor, context, caseId, 'see');
      const clocks = await clocksOf(db, loaded.row.id);
      await consult(context, 'case.deadlines.view', loaded.row.id, { deadlines: clocks.length });
      return { summary: toSummary(loaded.row), mayWork: loaded.access === 'team' || loaded.access === 'supervision', clocks };
    },

    /** Opens the first supervisory review of the schedule, due by the rule in force (14 days by default). */
    async startReviews(actor: Actor, context: AuditContext, caseId: string, version: number | null): Promise<number> {
      const loaded = await policeWork(actor, context, caseId, 'investigation.review.forbidden');
      const done = await command(actor, context, loaded, version, async (tx, now) => {
        if ((await clocksOf(tx, loaded.row.id)).some((c) => c.ruleKey === SUPERVISORY_REVIEW_RULE && (c.status === 'open' || c.status === 'paused'))) {
          throw invalid([{ field: 'start', message: 'Supervisory reviews have already started: record a review instead' }]);
        }
        const opened = await openClock(tx, loaded, SUPERVISORY_REVIEW_RULE, londonDate(now), now);
        return {
          events: [{ type: 'investigation.supervisory-reviews-started', data: { deadlineId: opened.id, dueNext: opened.dueOn } }],
          audit: { action: 'alter', event: 'investigation.reviews.start', details: { dueNext: opened.dueOn } },
        };
      }, 'start');
      return done.version;
    },

    /** A supervisor records a review: it meets the review due and opens the next one from the review's date. */
    async recordReview(actor: Actor, context: AuditContext, caseId: string, input: { reviewedOn: DateParts; note: string }, version: number | null): Promise<PlainDate> {
      const loaded = await policeWork(actor, context, caseId, 'investigation.review.forbidden');
      if (!(await maySupervise(actor, loaded))) return refuse(context, 'forbidden', caseId, 'investigation.review.forbidden');
      const { value, errors } = reviewErrors(input, today());
      if (!value) throw invalid(errors);
      let dueNext = '';
      await command(actor, context, loaded, version, async (tx, now) => {
        const reviewId = newId();
        await repository.insertReview(tx, { id: reviewId, case_id: loaded.row.id, reviewed_on: value.reviewedOn, note: value.note, reviewer_user_id: actor.userId, created_at: now });
        for (const open of (await clocksOf(tx, loaded.row.id)).filter((c) => c.ruleKey === SUPERVISORY_REVIEW_RULE && (c.status === 'open' || c.status === 'paused'))) {
          await closeDeadline(tx, open.id, { outcome: 'met', reason: 'Supervisory review recorded', now: new Date(now) });
        }
        const next = await openClock(tx, loaded, SUPERVISORY_REVIEW_RULE, value.reviewedOn, now);
        dueNext = next.dueOn;
        return {
          events: [{ type: 'investigation.supervisory-review', data: { reviewId, reviewedOn: value.reviewedOn, dueNext }, occurredAt: onDay(value.reviewedOn) }],
          audit: { action: 'collect', event: 'investigation.review.record', details: { reviewId, dueNext } },
        };
      }, 'reviewedOn');
      return dueNext;
    },

    /** Bails a suspect from a date with conditions: the bail clock opens under the rule in force (3 months), authorised by an inspector. */
    async setBail(actor: Actor, context: AuditContext, caseId: string, input: { personId: string; startedOn: DateParts; conditions: string }, version: number | null): Promise<PlainDate> {
      const loaded = await policeWork(actor, context, caseId, 'investigation.bail.forbidden');
      const { value, errors } = bailErrors(input, today());
      if (!value) throw invalid(errors);
      await suspect(loaded.row.id, value.personId);
      const ladder = ladderOn(value.startedOn);
      if (!ladder) throw invalid([{ field: 'startedOn-day', message: 'Pre-charge bail set before 28 October 2022 cannot be recorded here' }]);
      let until = '';
      await command(actor, context, loaded, version, async (tx, now) => {
        const clocks = await clocksOf(tx, loaded.row.id);
        const states = await suspectStates(tx, loaded, clocks);
        const state = states.find((s) => s.personId === value.personId)!;
        if (state.bail) throw invalid([{ field: 'personId', message: 'The suspect is already on bail: extend it instead' }]);
        if (state.rui) {
          const rui = (await repository.currentRui(tx, loaded.row.id)).find((r) => r.id === state.rui!.id)!;
          await repository.endRui(tx, rui.id, now);
          await closeIfOpen(tx, rui.deadline_id, 'cancelled', 'The suspect was bailed', now);
        }
        const opened = await openClock(tx, loaded, BAIL_RULE, value.startedOn, now);
        until = opened.dueOn;
        const authority: BailAuthority = authorityNeeded(ladder, value.startedOn, until);
        const bailId = newId();
        await repository.insertBail(tx, {
          id: bailId, case_id: loaded.row.id, person_id: value.personId, started_on: value.startedOn, until_on: until, authority, ladder_version: ladder.version,
          conditions: value.conditions, deadline_id: opened.id, ended_at: null, created_at: now,
        });
        return {
          events: [{ type: 'investigation.bail-set', data: { bailId, personId: value.personId, until, authority }, occurredAt: onDay(value.startedOn) }],
          audit: { action: 'collect', event: 'investigation.bail.set', subjects: [value.personId], details: { bailId, until, authority } },
        };
      }, 'personId');
      return until;
    },

    /**
     * Extends a suspect's bail by one period of the rule from its current end:
     * the bail clock is met and the next opens. The authority named must be at
     * least the one the ladder requires for the bail's new total length.
     */
    async extendBail(actor: Actor, context: AuditContext, caseId: string, input: { bailId: string; authority: string }, version: number | null): Promise<PlainDate> {
      const loaded = await policeWork(actor, context, caseId, 'investigation.bail.forbidden');
      if (!isBailAuthority(input.authority)) throw invalid([{ field: 'authority', message: 'Select who authorised the extension' }]);
      const authority = input.authority;
      let until = '';
      await command(actor, context, loaded, version, async (tx, now) => {
        const bail = (await repository.currentBail(tx, loaded.row.id)).find((b) => b.id === input.bailId);
        const state = bail && (await suspectStates(tx, loaded, await clocksOf(tx, loaded.row.id))).find((s) => s.bail?.id === bail.id);
        if (!bail || !state) throw invalid([{ field: 'authority', message: 'This bail has ended: it cannot be extended' }]);
        const ladder = bailLadderOf(bail.ladder_version);
        await closeDeadline(tx, bail.deadline_id, { outcome: 'met', reason: 'Bail extended', now: new Date(now) });
        const opened = await openClock(tx, loaded, BAIL_RULE, bail.until_on, now);
        until = opened.dueOn;
        const needed = authorityNeeded(ladder, bail.started_on, until);
        if (!authoritySuffices(ladder, authority, needed)) {
          throw invalid([{ field: 'authority', message: `Bail until ${until} must be authorised by ${needed === 'magistrates_court' ? 'a magistrates’ court' : `a ${needed.replaceAll('_', ' ')} or above`}` }]);
        }
        await repository.insertExtension(tx, { id: newId(), bail_id: bail.id, previous_until_on: bail.until_on, until_on: until, authority, deadline_id: opened.id, created_at: now });
        await repository.extendBail(tx, bail.id, until, authority);
        await repository.setBailDeadline(tx, bail.id, opened.id);
        return {
          events: [{ type: 'investigation.bail-extended', data: { bailId: bail.id, personId: bail.person_id, until, authority } }],
          audit: { action: 'alter', event: 'investigation.bail.extend', subjects: [bail.person_id], details: { bailId: bail.id, until, authority } },
        };
      }, 'authority');
      return until;
    },

    /** Releases a suspect under investigation (ending any bail): RUI reviews fall due by the rule in force. */
    async releaseUnderInvestigation(actor: Actor, context: AuditContext, caseId: string, input: { personId: string; on: DateParts }, version: number | null): Promise<PlainDate> {
      const loaded = await policeWork(actor, context, caseId, 'investigation.rui.forbidden');
      const { value, errors } = eventDateErrors(input, 'The date of release', today());
      if (!value) throw invalid(errors);
      await suspect(loaded.row.id, value.personId);
      let reviewDue = '';
      await command(actor, context, loaded, version, async (tx, now) => {
        const state = (await suspectStates(tx, loaded, await clocksOf(tx, loaded.row.id))).find((s) => s.personId === value.personId)!;
        if (state.rui) throw invalid([{ field: 'personId', message: 'The suspect is already released under investigation' }]);
        if (state.bail) {
          const bail = (await repository.currentBail(tx, loaded.row.id)).find((b) => b.id === state.bail!.id)!;
          await repository.endBail(tx, bail.id, now);
          await closeIfOpen(tx, bail.deadline_id, 'met', 'Released under investigation', now);
        }
        const opened = await openClock(tx, loaded, RUI_REVIEW_RULE, value.on, now);
        reviewDue = opened.dueOn;
        const ruiId = newId();
        await repository.insertRui(tx, { id: ruiId, case_id: loaded.row.id, person_id: value.personId, released_on: value.on, last_reviewed_on: null, deadline_id: opened.id, ended_at: null, created_at: now });
        return {
          events: [{ type: 'investigation.released-under-investigation', data: { ruiId, personId: value.personId, reviewDue }, occurredAt: onDay(value.on) }],
          audit: { action: 'alter', event: 'investigation.rui.release', subjects: [value.personId], details: { ruiId, reviewDue } },
        };
      }, 'personId');
      return reviewDue;
    },

    /** Records a review of a release under investigation: the review due is met and the next opens from the review's date. */
    async reviewRui(actor: Actor, context: AuditContext, caseId: string, input: { ruiId: string; on: DateParts }, version: number | null): Promise<PlainDate> {
      const loaded = await policeWork(actor, context, caseId, 'investigation.rui.forbidden');
      const { value, errors } = eventDateErrors({ personId: 'x', on: input.on }, 'The date of the review', today());
      if (!value) throw invalid(errors);
      let reviewDue = '';
      await command(actor, context, loaded, version, async (tx, now) => {
        const rui = (await repository.currentRui(tx, loaded.row.id)).find((r) => r.id === input.ruiId);
        if (!rui) throw invalid([{ field: 'on-day', message: 'This release under investigation has ended' }]);
        if (value.on < rui.released_on) throw invalid([{ field: 'on-day', message: 'The date of the review must be on or after the date of release' }]);
        await closeIfOpen(tx, rui.deadline_id, 'met', 'Released-under-investigation review recorded', now);
        const opened = await openClock(tx, loaded, RUI_REVIEW_RULE, value.on, now);
        reviewDue = opened.dueOn;
        await repository.reviewRui(tx, rui.id, value.on, opened.id);
        return {
          events: [{ type: 'investigation.rui-reviewed', data: { ruiId: rui.id, personId: rui.person_id, reviewDue }, occurredAt: onDay(value.on) }],
          audit: { action: 'alter', event: 'investigation.rui.review', subjects: [rui.person_id], details: { ruiId: rui.id, reviewDue } },
        };
      }, 'on-day');
      return reviewDue;
    },

    /** Records that a suspect was arrested or interviewed on a day. */
    async recordSuspectEvent(actor: Actor, context: AuditContext, caseId: string, kind: 'arrested' | 'interviewed', input: { personId: string; on: DateParts }, version: number | null): Promise<void> {
      const loaded = await policeWork(actor, context, caseId, `investigation.suspect-${kind}.forbidden`);
      const { value, errors } = eventDateErrors(input, kind === 'arrested' ? 'The date of arrest' : 'The date of interview', today());
      if (!value) throw invalid(errors);
      await suspect(loaded.row.id, value.personId);
      await command(actor, context, loaded, version, async () => ({
        events: [{ type: `investigation.suspect-${kind}`, data: { personId: value.personId, on: value.on }, occurredAt: onDay(value.on) }],
        audit: { action: 'collect', event: `investigation.suspect.${kind}`, subjects: [value.personId], details: { on: value.on } },
      }), 'personId');
    },

    /** Marks the case as waiting on the victim (with a reason code), or the victim as re-engaged. */
    async setAwaitingVictim(actor: Actor, context: AuditContext, caseId: string, input: { waiting: boolean; reasonCode?: string }, version: number | null): Promise<void> {
      const loaded = await load(actor, context, caseId, 'work');
      if (loaded.side === null) return refuse(context, 'forbidden', caseId, 'investigation.victim.forbidden');
      if (closingStages.includes(loaded.stage)) throw invalid([{ field: 'reasonCode', message: 'The case is closed' }]);
      const reasonCode = input.reasonCode ?? '';
      if (input.waiting && !isAwaitingVictimReason(reasonCode)) throw invalid([{ field: 'reasonCode', message: 'Select why the case is waiting on the victim' }]);
      await command(actor, context, loaded, version, async (tx) => {
        const now = await awaitingVictimNow(tx, loaded.row.id);
        if (input.waiting && now) throw invalid([{ field: 'reasonCode', message: 'The case is already waiting on the victim' }]);
        if (!input.waiting && !now) throw invalid([{ field: 'reasonCode', message: 'The case is not waiting on the victim' }]);
        return input.waiting
          ? { events: [{ type: 'investigation.awaiting-victim', data: { reasonCode } }], audit: { action: 'alter', event: 'investigation.victim.awaiting', details: { reasonCode } } }
          : { events: [{ type: 'investigation.victim-re-engaged', data: {} }], audit: { action: 'alter', event: 'investigation.victim.re-engaged' } };
      }, 'reasonCode');
    },

    /** Stops one of the case's clocks with a reason, where its rule allows it. */
    async pause(actor: Actor, context: AuditContext, caseId: string, deadlineId: string, reason: string, version: number | null): Promise<number> {
      const loaded = await load(actor, context, caseId, 'work');
      const chosen = (await clocksOf(db, loaded.row.id)).find((c) => c.id === deadlineId);
      if (!chosen) throw invalid([{ field: 'reason', message: 'Choose a deadline of this case to pause' }]);
      if (reason.trim() === '') throw invalid([{ field: 'reason', message: 'Enter why the clock should stop' }]);
      if (reason.trim().length > 500) throw invalid([{ field: 'reason', message: 'The reason must be 500 characters or fewer' }]);
      const done = await command(actor, context, loaded, version, async (tx, now) => {
        const clock = (await clocksOf(tx, loaded.row.id)).find((c) => c.id === deadlineId);
        if (!clock) throw new Problem('not-found');
        if (!clock.pausable) throw invalid([{ field: 'reason', message: `${clock.title} cannot be paused` }]);
        if (clock.status !== 'open') throw invalid([{ field: 'reason', message: 'Only an open deadline can be paused' }]);
        await pauseDeadline(tx, clock.id, { reason, now: new Date(now) });
        return {
          events: [{ type: 'investigation.deadline-paused', data: { deadlineId: clock.id, ruleKey: clock.ruleKey } }],
          audit: { action: 'alter', event: 'case.deadline.pause', details: { deadlineId: clock.id, ruleKey: clock.ruleKey } },
        };
      }, 'reason');
      return done.version;
    },

    /** Restarts a paused clock: its due date moves on by the time it stood still. */
    async resume(actor: Actor, context: AuditContext, caseId: string, deadlineId: string, version: number | null): Promise<number> {
      const loaded = await load(actor, context, caseId, 'work');
      if (!(await clocksOf(db, loaded.row.id)).some((c) => c.id === deadlineId)) throw invalid([{ field: 'resume', message: 'Choose a deadline of this case to resume' }]);
      const done = await command(actor, context, loaded, version, async (tx, now) => {
        const clock = (await clocksOf(tx, loaded.row.id)).find((c) => c.id === deadlineId);
        if (!clock) throw new Problem('not-found');
        if (clock.status !== 'paused') throw invalid([{ field: 'resume', message: 'Only a paused deadline can be resumed' }]);
        const resumed = await resumeDeadline(tx, clock.id, { now: new Date(now) });
        return {
          events: [{ type: 'investigation.deadline-resumed', data: { deadlineId: clock.id, ruleKey: clock.ruleKey, dueOn: resumed.dueOn } }],
          audit: { action: 'alter', event: 'case.deadline.resume', details: { deadlineId: clock.id, ruleKey: clock.ruleKey, dueOn: resumed.dueOn } },
        };
      }, 'resume');
      return done.version;
    },
  };
}

/** A bail keeps the ladder it was set under. */
function bailLadderOf(version: number): BailLadder {
  return bailLadders.find((l) => l.version === version) ?? ladderOn('9999-12-31')!;
}

export type InvestigationService = ReturnType<typeof createInvestigationService>;
