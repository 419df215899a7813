// Commands and queries of the JOIM. Every method starts with the access check
// in model.ts (`mayJoim`): a pair, meeting or action the actor may not see is
// "not found", journalled. Every change claims the version the person read (a
// stale one is a conflict, never a silent overwrite) and runs as one
// transaction with its audit entry; an action's clock (rule joim.action)
// opens and closes in the same transaction. The case file is read only
// through the cases module's `joimPack`; plan actions through the plans
// service.
import type { Actor } from '../../platform/access/policy.ts';
import { hasPermission } from '../../platform/access/policy.ts';
import type { AuditContext } from '../../platform/audit/model.ts';
import { isId, newId } from '../../platform/db/ids.ts';
import { inTransaction } from '../../platform/db/transaction.ts';
import type { Tx } from '../../platform/db/transaction.ts';
import { closeDeadline, deadlinesFor, openDeadline, registerSubjectType } from '../../platform/deadlines/service.ts';
import { translate } from '../../platform/i18n/messages.ts';
import type { Platform } from '../../platform/platform.ts';
import { formatDate, londonDate } from '../../platform/time/working-days.ts';
import type { PlainDate } from '../../platform/time/working-days.ts';
import { Problem } from '../../platform/web/errors.ts';
import { invalid, validVersion } from '../../cases/case-commands.ts';
import { createIdempotency } from '../../cases/idempotency.ts';
import type { Idempotency } from '../../cases/idempotency.ts';
import { joimPack } from '../../cases/oversight/joim-pack.ts';
import type { JoimPack, PackCase } from '../../cases/oversight/joim-pack.ts';
import { createPlansService } from '../../plans/service.ts';
import {
  ACTION_RULE, ACTION_SUBJECT, JOIM_PERMISSION, actionErrors, attendanceErrors, decisionErrors, isActionStatus, isMeetingStatus, isOverdue, mayJoim, meetingErrors,
  minutesErrors, reasonErrors, statusErrors,
} from './model.ts';
import type {
  ActionInput, ActionUpdate, AttendanceInput, Attendee, Decision, JoimAction, JoimPair, MeetingInput, MeetingSummary, OrganisationRef, Pair, PersonChoice, StatusInput,
} from './model.ts';
import * as repository from './repository.ts';

/** The roles whose holders are offered as attendees and owners besides the officers and prosecutors of the pack's cases. */
const MEMBER_ROLES = ['police_supervisor', 'escalation_lead', 'dcp', 'head_of_rasso'] as const;
const MY_ACTIONS_SHOWN = 200;

/** Tells the clock engine who a JOIM action's reminders go to and what it calls the action. Registering again changes nothing. */
export function registerJoimDeadlines(): void {
  registerSubjectType(ACTION_SUBJECT, {
    audience: async (tx, actionId, roles) => {
      const action = await repository.findAction(tx, actionId);
      if (!action) return [];
      const ids = [
        ...(roles.includes('owner') ? [action.owner_user_id] : []),
        ...(roles.includes('recorder') ? [action.created_by] : []),
        ...(roles.includes('joim_leads') ? await repository.seniorLeadsOf(tx, action.force_id, action.cps_area_id) : []),
      ];
      return repository.activeUsers(tx, [...new Set(ids)]);
    },
    // A notification names the action by its meeting, never by the case it is about.
    describe: async (tx, actionId) => {
      const action = await repository.findAction(tx, actionId);
      return action
        ? translate('joim.deadline.describe', { number: action.number, force: action.force_name, area: action.area_name, date: formatDate(action.meets_on) })
        : translate('joim.deadline.gone');
    },
    path: (actionId) => `/joim/actions/${actionId}`,
  });
}

const orgRef = (row: repository.OrganisationRow): OrganisationRef => ({ id: row.id, name: row.name });

function toMeeting(row: repository.MeetingRow): MeetingSummary {
  return {
    id: row.id,
    forceId: row.force_id,
    cpsAreaId: row.cps_area_id,
    forceName: row.force_name,
    areaName: row.area_name,
    meetsOn: row.meets_on,
    startsAt: row.starts_at,
    place: row.place,
    status: isMeetingStatus(row.status) ? row.status : 'scheduled',
    cancelledReason: row.cancelled_reason,
    minutes: row.minutes,
    minutesBy: row.minutes_by_name,
    minutesAt: row.minutes_at,
    heldRecordedBy: row.held_recorded_by_name,
    heldRecordedAt: row.held_recorded_at,
    packFrozenAt: row.pack_frozen_at,
    version: Number(row.version),
  };
}

function toAction(row: repository.ActionRow, today: PlainDate): JoimAction {
  const status = isActionStatus(row.status) ? row.status : 'open';
  return {
    id: row.id,
    meetingId: row.meeting_id,
    meetsOn: row.meets_on,
    forceId: row.force_id,
    cpsAreaId: row.cps_area_id,
    forceName: row.force_name,
    areaName: row.area_name,
    number: Number(row.number),
    text: row.text,
    ownerUserId: row.owner_user_id,
    ownerName: row.owner_name,
    dueOn: row.due_on,
    status,
    overdue: isOverdue({ status, dueOn: row.due_on }, today),
    caseId: row.case_id,
    caseLabel: row.case_label,
    planId: row.plan_id,
    planActionId: row.plan_action_id,
    planActionLabel: row.plan_action_label,
    createdBy: row.created_by_name,
    createdAt: row.created_at,
    closedAt: row.closed_at,
    version: Number(row.version),
  };
}

function toUpdate(row: repository.ActionUpdateRow): ActionUpdate {
  return {
    id: row.id,
    statusFrom: row.status_from && isActionStatus(row.status_from) ? row.status_from : null,
    statusTo: isActionStatus(row.status_to) ? row.status_to : 'open',
    note: row.note,
    recordedBy: row.recorded_by_name,
    recordedAt: row.recorded_at,
  };
}

const toAttendee = (row: repository.AttendeeRow): Attendee => (row.user_id
  ? { userId: row.user_id, name: row.user_name ?? '', organisationName: row.organisation_name, guestRole: null }
  : { userId: null, name: row.guest_name ?? '', organisationName: null, guestRole: row.guest_role });

const toDecision = (row: repository.DecisionRow): Decision => ({ id: row.id, number: Number(row.number), text: row.text, recordedBy: row.recorded_by_name, recordedAt: row.recorded_at });

const toPerson = (row: repository.PersonRow): PersonChoice => ({ userId: row.user_id, name: row.name, organisationId: row.organisation_id, organisationName: row.organisation_name });

/** The cases a pack names, once each, by police reference. */
export function casesOfPack(pack: JoimPack): PackCase[] {
  const found = new Map<string, PackCase>();
  for (const row of [...pack.ageing, ...pack.escalations, ...pack.prfi, ...pack.earlyAdvice]) found.set(row.case.caseId, row.case);
  return [...found.values()].sort((a, b) => (a.policeReference < b.policeReference ? -1 : a.policeReference > b.policeReference ? 1 : 0));
}

/** How the pack names a case: its police reference, and its CPS URN when it has one. */
export const caseLabel = (kase: Pick<PackCase, 'policeReference' | 'cpsUrn'>): string =>
  (kase.cpsUrn ? translate('joim.caseLabel', { reference: kase.policeReference, urn: kase.cpsUrn }) : kase.policeReference);

export interface PairSummary {
  readonly pair: Pair;
  readonly next: MeetingSummary | null;
  readonly last: MeetingSummary | null;
  readonly openActions: number;
  readonly overdueActions: number;
}

export interface PairView {
  readonly pair: Pair;
  readonly upcoming: readonly MeetingSummary[];
  readonly past: readonly MeetingSummary[];
  readonly openActions: readonly JoimAction[];
}

export interface MeetingView {
  readonly meeting: MeetingSummary;
  readonly pair: Pair;
  readonly attendees: readonly Attendee[];
  readonly decisions: readonly Decision[];
  readonly actions: readonly JoimAction[];
  /** What may be done with the meeting as it is now. */
  readonly may: { readonly details: boolean; readonly cancel: boolean; readonly attendance: boolean; readonly record: boolean };
}

export interface PackView {
  readonly meeting: MeetingSummary;
  readonly pack: JoimPack;
  /** True once the meeting was held: the pack is then what was discussed, not what the case file says now. */
  readonly frozen: boolean;
}

export interface ActionView {
  readonly action: JoimAction;
  readonly updates: readonly ActionUpdate[];
  /** Whether the actor sits on the pair's JOIM (not only owns the action): they may follow it to its meeting. */
  readonly member: boolean;
}

/** What each of the meeting's forms needs the meeting to be, and what the person is told when it is not. */
export type MeetingForm = 'details' | 'cancel' | 'attendance' | 'minutes' | 'decision' | 'action';

export function createJoimService(platform: Platform) {
  const { db, audit, clock } = platform;
  const plans = createPlansService(platform);
  const idempotent = createIdempotency(platform);
  registerJoimDeadlines();
  const today = () => londonDate(clock.now());

  /** Journals a refusal and throws it: 'not-found' for what the actor may not know exists. */
  async function refuse(context: AuditContext, type: 'not-found' | 'forbidden', objectType: string, objectId: string | undefined): Promise<never> {
    await audit.audited(context, { action: 'deny', event: `joim.${type}`, outcome: 'denied', objectType, objectId: objectId && isId(objectId) ? objectId : undefined }, async () => undefined);
    throw new Problem(type);
  }

  async function pairOf(forceId: string, cpsAreaId: string): Promise<Pair | undefined> {
    if (!isId(forceId) || !isId(cpsAreaId)) return undefined;
    const [force, area] = await Promise.all([repository.findOrganisation(db, forceId), repository.findOrganisation(db, cpsAreaId)]);
    return force?.kind === 'police_force' && area?.kind === 'cps_area' ? { force: orgRef(force), area: orgRef(area) } : undefined;
  }

  const pairIds = (pair: Pair): JoimPair => ({ forceId: pair.force.id, cpsAreaId: pair.area.id });

  async function loadPair(actor: Actor, context: AuditContext, forceId: string, cpsAreaId: string): Promise<Pair> {
    const pair = await pairOf(forceId, cpsAreaId);
    if (!pair || !mayJoim(actor, pairIds(pair))) return refuse(context, 'not-found', 'joim-pair', pair ? cpsAreaId : undefined);
    return pair;
  }

  async function loadMeeting(actor: Actor, context: AuditContext, meetingId: string): Promise<repository.MeetingRow> {
    const row = isId(meetingId) ? await repository.findMeeting(db, meetingId) : undefined;
    if (!row || !mayJoim(actor, { forceId: row.force_id, cpsAreaId: row.cps_area_id })) return refuse(context, 'not-found', 'joim-meeting', meetingId);
    return row;
  }

  async function loadAction(actor: Actor, context: AuditContext, actionId: string): Promise<repository.ActionRow> {
    const row = isId(actionId) ? await repository.findAction(db, actionId) : undefined;
    if (!row || !mayJoim(actor, { forceId: row.force_id, cpsAreaId: row.cps_area_id, ownerUserId: row.owner_user_id })) return refuse(context, 'not-found', 'joim-action', actionId);
    return row;
  }

  /** Why a form cannot be used on the meeting as it is now, or null when it can. */
  function formProblem(meeting: MeetingSummary, form: MeetingForm): string | null {
    switch (form) {
      case 'details':
      case 'cancel':
        return meeting.status === 'scheduled' ? null : translate(`joim.problem.${meeting.status}`);
      case 'attendance':
        if (meeting.status === 'cancelled') return translate('joim.problem.cancelled');
        return meeting.status === 'scheduled' && meeting.meetsOn > today() ? translate('joim.problem.notYet', { date: formatDate(meeting.meetsOn) }) : null;
      default:
        return meeting.status === 'held' ? null : translate(meeting.status === 'cancelled' ? 'joim.problem.cancelled' : 'joim.problem.notHeld');
    }
  }

  const formField: Record<MeetingForm, string> = { details: 'meetsOn-day', cancel: 'reason', attendance: 'attendees', minutes: 'minutes', decision: 'text', action: 'text' } as const;

  /** One change to a meeting: claims its version, lets `work` write its rows, writes the audit entry; answers the new version. */
  async function changeMeeting(
    context: AuditContext,
    meeting: MeetingSummary,
    form: MeetingForm,
    expected: number,
    work: (tx: Tx, now: Date) => Promise<{ changes: Parameters<typeof repository.updateMeeting>[3]; event: string; action?: 'alter' | 'collect'; details: Record<string, string | number | boolean | null> }>,
  ): Promise<number> {
    const problem = formProblem(meeting, form);
    if (problem) throw invalid([{ field: formField[form], message: problem }]);
    return inTransaction(db, async (tx) => {
      const now = clock.now();
      const { changes, event, action, details } = await work(tx, now);
      if (!(await repository.updateMeeting(tx, meeting.id, expected, { ...changes, updated_at: now.toISOString() }))) throw new Problem('conflict');
      await audit.record(tx, context, { action: action ?? 'alter', event, objectType: 'joim-meeting', objectId: meeting.id, details: { ...details, version: expected + 1 } });
      return expected + 1;
    });
  }

  /** People of the pair who may be chosen: its JOIM members, the officers and prosecutors of the pack's cases, and anyone already chosen. */
  async function choicesFor(meeting: repository.MeetingRow, pack: JoimPack | null, alsoUserIds: readonly string[]): Promise<PersonChoice[]> {
    const organisations = [meeting.force_id, meeting.cps_area_id];
    const workers = pack ? casesOfPack(pack).flatMap((kase) => [kase.oic?.userId, kase.prosecutor?.userId]).filter((id): id is string => typeof id === 'string') : [];
    const [members, others] = await Promise.all([
      repository.peopleIn(db, organisations, MEMBER_ROLES),
      repository.peopleIn(db, organisations, undefined, [...new Set([...workers, ...alsoUserIds])]),
    ]);
    const seen = new Set<string>();
    return [...members, ...others].map(toPerson)
      .filter((p) => !seen.has(p.userId) && Boolean(seen.add(p.userId)))
      .sort((a, b) => a.organisationName.localeCompare(b.organisationName) || a.name.localeCompare(b.name));
  }

  const frozenPack = (row: repository.MeetingRow): JoimPack | null => (row.pack ? (JSON.parse(row.pack) as JoimPack) : null);

  /** The plans whose actions a JOIM action may name: the national plans and those of the pair's organisations. */
  async function planActionChoices(actor: Actor, pair: JoimPair): Promise<{ planId: string; actionId: string; label: string; text: string }[]> {
    const offered = (await plans.list()).filter((plan) => plan.level === 'national' || plan.ownerOrganisationId === pair.forceId || plan.ownerOrganisationId === pair.cpsAreaId);
    const choices: { planId: string; actionId: string; label: string; text: string }[] = [];
    for (const plan of offered) {
      const view = await plans.plan(actor, plan.id);
      for (const action of view.themes.flatMap((theme) => theme.actions)) {
        choices.push({ planId: plan.id, actionId: action.id, label: translate('joim.planActionLabel', { plan: plan.title, number: action.number }), text: action.text });
      }
    }
    return choices;
  }

  async function openActionClock(tx: Tx, action: { id: string; forceId: string; cpsAreaId: string; dueOn: PlainDate }, now: Date): Promise<void> {
    await openDeadline(tx, { subjectType: ACTION_SUBJECT, subjectId: action.id, ruleKey: ACTION_RULE, organisationIds: [action.forceId, action.cpsAreaId], startedOn: action.dueOn, now });
  }

  return {
    /** Whether the actor sits on any JOIM (for the home page and navigation). */
    mayUse: (actor: Actor) => hasPermission(actor, JOIM_PERMISSION),

    /** The pairs the actor's organisation is in: each counterpart it shares cases with or has met, with its next and last meetings and open actions. */
    async pairs(actor: Actor, context: AuditContext): Promise<PairSummary[]> {
      const { organisationId, organisationKind } = actor.organisation;
      if (!hasPermission(actor, JOIM_PERMISSION) || (organisationKind !== 'police_force' && organisationKind !== 'cps_area')) return refuse(context, 'forbidden', 'joim-pair', undefined);
      const side = organisationKind === 'police_force' ? 'police' : 'cps';
      const mine = await repository.findOrganisation(db, organisationId);
      const [counterparts, meetings] = await Promise.all([repository.counterpartsOf(db, organisationId, side), repository.meetingsOf(db, organisationId)]);
      const now = today();
      const summaries: PairSummary[] = [];
      for (const other of counterparts) {
        const pair: Pair = side === 'police' ? { force: orgRef(mine!), area: orgRef(other) } : { force: orgRef(other), area: orgRef(mine!) };
        const ofPair = meetings.filter((m) => m.force_id === pair.force.id && m.cps_area_id === pair.area.id).map(toMeeting);
        const open = (await repository.actionsOfPair(db, pair.force.id, pair.area.id, 'open')).map((row) => toAction(row, now));
        summaries.push({
          pair,
          next: ofPair.find((m) => m.status === 'scheduled' && m.meetsOn >= now) ?? null,
          last: ofPair.filter((m) => m.status === 'held').at(-1) ?? null,
          openActions: open.length,
          overdueActions: open.filter((a) => a.overdue).length,
        });
      }
      return summaries;
    },

    /** A pair's meetings, upcoming (soonest first) and past, and its open actions. */
    async pair(actor: Actor, context: AuditContext, forceId: string, cpsAreaId: string): Promise<PairView> {
      const pair = await loadPair(actor, context, forceId, cpsAreaId);
      const now = today();
      const [meetings, open] = await Promise.all([repository.meetingsOfPair(db, pair.force.id, pair.area.id), repository.actionsOfPair(db, pair.force.id, pair.area.id, 'open')]);
      const all = meetings.map(toMeeting);
      const upcoming = (m: MeetingSummary) => m.status === 'scheduled' && m.meetsOn >= now;
      return { pair, upcoming: all.filter(upcoming).reverse(), past: all.filter((m) => !upcoming(m)), openActions: open.map((row) => toAction(row, now)) };
    },

    /** Checks the actor may see the pair (for showing the form to schedule a meeting). */
    async checkPair(actor: Actor, context: AuditContext, forceId: string, cpsAreaId: string): Promise<Pair> {
      return loadPair(actor, context, forceId, cpsAreaId);
    },

    /** Schedules a meeting of the pair; answers its id. */
    async schedule(actor: Actor, context: AuditContext, forceId: string, cpsAreaId: string, input: MeetingInput, idempotency?: Idempotency): Promise<string> {
      const pair = await loadPair(actor, context, forceId, cpsAreaId);
      return (await idempotent.once<{ id: string }>(context, actor, `joim.schedule:${pair.force.id}:${pair.area.id}`, idempotency, async (remember) => {
        const { value, errors } = meetingErrors(input, today());
        if (!value) throw invalid(errors);
        return inTransaction(db, async (tx) => {
          const now = clock.now().toISOString();
          const id = newId();
          await repository.insertMeeting(tx, {
            id, force_id: pair.force.id, cps_area_id: pair.area.id, meets_on: value.meetsOn, starts_at: value.startsAt, place: value.place, status: 'scheduled',
            cancelled_reason: null, minutes: null, minutes_by: null, minutes_at: null, held_recorded_by: null, held_recorded_at: null, pack: null, pack_frozen_at: null,
            created_by: actor.userId, created_at: now, updated_at: now, version: 1,
          });
          await remember(tx, { id });
          await audit.record(tx, context, { action: 'collect', event: 'joim.meeting.schedule', objectType: 'joim-meeting', objectId: id, details: { forceId: pair.force.id, cpsAreaId: pair.area.id, meetsOn: value.meetsOn } });
          return { id };
        });
      })).id;
    },

    /** A meeting with who attended, its decisions and actions, and what may be done with it now. */
    async meeting(actor: Actor, context: AuditContext, meetingId: string): Promise<MeetingView> {
      const row = await loadMeeting(actor, context, meetingId);
      const meeting = toMeeting(row);
      const now = today();
      const [attendees, decisions, actions] = await Promise.all([repository.attendeesOf(db, row.id), repository.decisionsOf(db, row.id), repository.actionsOfMeeting(db, row.id)]);
      return {
        meeting,
        pair: { force: { id: row.force_id, name: row.force_name }, area: { id: row.cps_area_id, name: row.area_name } },
        attendees: attendees.map(toAttendee),
        decisions: decisions.map(toDecision),
        actions: actions.map((a) => toAction(a, now)),
        may: {
          details: formProblem(meeting, 'details') === null,
          cancel: formProblem(meeting, 'cancel') === null,
          attendance: formProblem(meeting, 'attendance') === null,
          record: formProblem(meeting, 'minutes') === null,
        },
      };
    },

    /** Checks the actor may use a form of the meeting; answers the meeting and why the form cannot be used now (null when it can). */
    async checkForm(actor: Actor, context: AuditContext, meetingId: string, form: MeetingForm): Promise<{ meeting: MeetingSummary; problem: string | null }> {
      const meeting = toMeeting(await loadMeeting(actor, context, meetingId));
      return { meeting, problem: formProblem(meeting, form) };
    },

    /**
     * The meeting's pack: as frozen when the meeting was held, or else made
     * now from the case file as at the meeting date. Reading it is journalled.
     */
    async pack(actor: Actor, context: AuditContext, meetingId: string): Promise<PackView> {
      const row = await loadMeeting(actor, context, meetingId);
      const frozen = frozenPack(row);
      const pack = frozen ?? (await joimPack(db, { forceId: row.force_id, cpsAreaId: row.cps_area_id }, row.meets_on, clock.now()));
      await audit.audited(context, {
        action: 'consult', event: 'joim.pack.view', objectType: 'joim-meeting', objectId: row.id,
        details: { on: pack.on, frozen: frozen !== null, cases: casesOfPack(pack).length },
      }, async () => undefined);
      return { meeting: toMeeting(row), pack, frozen: frozen !== null };
    },

    /** Changes a scheduled meeting's date, time or place. */
    async changeDetails(actor: Actor, context: AuditContext, meetingId: string, input: MeetingInput, version: number | null): Promise<number> {
      const meeting = toMeeting(await loadMeeting(actor, context, meetingId));
      const expected = validVersion(version);
      const { value, errors } = meetingErrors(input, today());
      if (!value) throw invalid(errors);
      return changeMeeting(context, meeting, 'details', expected, async () => ({
        changes: { meets_on: value.meetsOn, starts_at: value.startsAt, place: value.place },
        event: 'joim.meeting.details',
        details: { meetsOn: value.meetsOn, movedFrom: meeting.meetsOn },
      }));
    },

    /** Cancels a scheduled meeting, saying why. */
    async cancel(actor: Actor, context: AuditContext, meetingId: string, reason: string, version: number | null): Promise<number> {
      const meeting = toMeeting(await loadMeeting(actor, context, meetingId));
      const expected = validVersion(version);
      const errors = reasonErrors(reason);
      if (errors.length) throw invalid(errors);
      return changeMeeting(context, meeting, 'cancel', expected, async () => ({ changes: { status: 'cancelled', cancelled_reason: reason.trim() }, event: 'joim.meeting.cancel', details: {} }));
    },

    /**
     * Records who attended. The first time, on or after the meeting date, the
     * meeting is held: its pack is made as at the meeting date and frozen
     * with it, so the minutes refer to what was discussed.
     */
    async recordAttendance(actor: Actor, context: AuditContext, meetingId: string, input: AttendanceInput, version: number | null): Promise<number> {
      const row = await loadMeeting(actor, context, meetingId);
      const meeting = toMeeting(row);
      const expected = validVersion(version);
      const { guests, errors } = attendanceErrors(input);
      const userIds = [...new Set(input.userIds)];
      const people = userIds.every(isId) ? await repository.peopleIn(db, [row.force_id, row.cps_area_id], undefined, userIds) : [];
      if (errors.length === 0 && new Set(people.map((p) => p.user_id)).size !== userIds.length) errors.push({ field: 'attendees', message: translate('joim.error.attendee') });
      if (errors.length) throw invalid(errors);
      const holding = meeting.status === 'scheduled';
      return changeMeeting(context, meeting, 'attendance', expected, async (tx, now) => {
        const organisationOf = new Map<string, string>();
        // Someone in both organisations is recorded for the one the meeting lists first: the force.
        for (const person of people) if (!organisationOf.has(person.user_id) || person.organisation_id === row.force_id) organisationOf.set(person.user_id, person.organisation_id);
        await repository.replaceAttendees(tx, row.id, [
          ...userIds.map((userId, i) => ({ id: newId(), meeting_id: row.id, position: i + 1, user_id: userId, organisation_id: organisationOf.get(userId)!, guest_name: null, guest_role: null })),
          ...guests.map((guest, i) => ({ id: newId(), meeting_id: row.id, position: userIds.length + i + 1, user_id: null, organisation_id: null, guest_name: guest.name, guest_role: guest.role })),
        ]);
        const pack = holding ? await joimPack(tx, { forceId: row.force_id, cpsAreaId: row.cps_area_id }, row.meets_on, now) : null;
        return {
          changes: pack ? { status: 'held', held_recorded_by: actor.userId, held_recorded_at: now.toISOString(), pack: JSON.stringify(pack), pack_frozen_at: now.toISOString() } : {},
          event: holding ? 'joim.meeting.held' : 'joim.meeting.attendance',
          action: 'collect',
          details: { people: userIds.length, guests: guests.length, ...(pack ? { packCases: casesOfPack(pack).length } : {}) },
        };
      });
    },

    /** Records (or corrects) the minutes of a held meeting. */
    async recordMinutes(actor: Actor, context: AuditContext, meetingId: string, minutes: string, version: number | null): Promise<number> {
      const meeting = toMeeting(await loadMeeting(actor, context, meetingId));
      const expected = validVersion(version);
      const errors = minutesErrors(minutes);
      if (errors.length) throw invalid(errors);
      return changeMeeting(context, meeting, 'minutes', expected, async (_tx, now) => ({
        changes: { minutes: minutes.trim(), minutes_by: actor.userId, minutes_at: now.toISOString() },
        event: 'joim.meeting.minutes',
        details: { corrected: meeting.minutes !== null },
      }));
    },

    /** Records a decision of a held meeting; answers its id and the meeting's new version. */
    async addDecision(actor: Actor, context: AuditContext, meetingId: string, decision: string, version: number | null): Promise<{ id: string; version: number }> {
      const meeting = toMeeting(await loadMeeting(actor, context, meetingId));
      const expected = validVersion(version);
      const errors = decisionErrors(decision);
      if (errors.length) throw invalid(errors);
      const id = newId();
      const next = await changeMeeting(context, meeting, 'decision', expected, async (tx, now) => {
        const number = await repository.nextNumber(tx, 'joim_decisions', meeting.id);
        await repository.insertDecision(tx, { id, meeting_id: meeting.id, number, text: decision.trim(), recorded_by: actor.userId, recorded_at: now.toISOString() });
        return { changes: {}, event: 'joim.decision.add', action: 'collect', details: { decisionId: id, number } };
      });
      return { id, version: next };
    },

    /** People who may be chosen as attendees or owners for a meeting, and the cases of its pack an action may name. */
    async choices(actor: Actor, context: AuditContext, meetingId: string): Promise<{ people: PersonChoice[]; cases: PackCase[]; attendees: Attendee[] }> {
      const row = await loadMeeting(actor, context, meetingId);
      const attendees = (await repository.attendeesOf(db, row.id)).map(toAttendee);
      // Before the meeting is held, the people of the pack it will freeze.
      const pack = frozenPack(row) ?? (row.status === 'scheduled' ? await joimPack(db, { forceId: row.force_id, cpsAreaId: row.cps_area_id }, row.meets_on, clock.now()) : null);
      return {
        people: await choicesFor(row, pack, attendees.flatMap((a) => (a.userId ? [a.userId] : []))),
        cases: row.pack && pack ? casesOfPack(pack) : [],
        attendees,
      };
    },

    /** The plan actions a JOIM action of the meeting may name. */
    async planActions(actor: Actor, context: AuditContext, meetingId: string) {
      const row = await loadMeeting(actor, context, meetingId);
      return planActionChoices(actor, { forceId: row.force_id, cpsAreaId: row.cps_area_id });
    },

    /**
     * Agrees an action at a held meeting: an owner of either organisation, a
     * due date, and optionally a case of the meeting's pack and an action of a
     * plan. Its clock opens on the due date (reminders and overdue notices).
     */
    async addAction(actor: Actor, context: AuditContext, meetingId: string, input: ActionInput, version: number | null, idempotency?: Idempotency): Promise<{ id: string; version: number }> {
      const row = await loadMeeting(actor, context, meetingId);
      const meeting = toMeeting(row);
      return idempotent.once<{ id: string; version: number }>(context, actor, `joim.action:${row.id}`, idempotency, async (remember) => {
        const expected = validVersion(version);
        const { value, errors } = actionErrors(input, meeting.meetsOn);
        const ownerId = input.ownerUserId.trim();
        const owner = isId(ownerId) ? (await repository.peopleIn(db, [row.force_id, row.cps_area_id], undefined, [ownerId]))[0] : undefined;
        if (ownerId !== '' && !owner) errors.push({ field: 'ownerUserId', message: translate('joim.error.ownerNotInPair') });
        const pack = frozenPack(row);
        const caseId = input.caseId.trim();
        const kase = caseId === '' ? null : pack ? casesOfPack(pack).find((c) => c.caseId === caseId) ?? undefined : undefined;
        if (kase === undefined) errors.push({ field: 'caseId', message: translate('joim.error.caseNotInPack') });
        const planActionId = input.planActionId.trim();
        const planAction = planActionId === '' ? null : (await planActionChoices(actor, { forceId: row.force_id, cpsAreaId: row.cps_area_id })).find((c) => c.actionId === planActionId) ?? undefined;
        if (planAction === undefined) errors.push({ field: 'planActionId', message: translate('joim.error.planAction') });
        if (errors.length || !value || !owner) throw invalid(errors);
        const id = newId();
        const next = await changeMeeting(context, meeting, 'action', expected, async (tx, now) => {
          const number = await repository.nextNumber(tx, 'joim_actions', row.id);
          await repository.insertAction(tx, {
            id, meeting_id: row.id, force_id: row.force_id, cps_area_id: row.cps_area_id, number, text: value.text, owner_user_id: owner.user_id, due_on: value.dueOn, status: 'open',
            case_id: kase?.caseId ?? null, case_label: kase ? caseLabel(kase) : null,
            plan_id: planAction?.planId ?? null, plan_action_id: planAction?.actionId ?? null, plan_action_label: planAction?.label ?? null,
            created_by: actor.userId, created_at: now.toISOString(), updated_at: now.toISOString(), closed_at: null, version: 1,
          });
          await repository.insertActionUpdate(tx, { id: newId(), action_id: id, status_from: null, status_to: 'open', note: null, recorded_by: actor.userId, recorded_at: now.toISOString() });
          await openActionClock(tx, { id, forceId: row.force_id, cpsAreaId: row.cps_area_id, dueOn: value.dueOn }, now);
          await remember(tx, { id, version: expected + 1 });
          return { changes: {}, event: 'joim.action.add', action: 'collect', details: { actionId: id, number, ownerUserId: owner.user_id, dueOn: value.dueOn, caseId: kase?.caseId ?? null, planActionId: planAction?.actionId ?? null } };
        });
        return { id, version: next };
      });
    },

    /** An action with its history, for its JOIM members and its owner. */
    async action(actor: Actor, context: AuditContext, actionId: string): Promise<ActionView> {
      const row = await loadAction(actor, context, actionId);
      return {
        action: toAction(row, today()),
        updates: (await repository.updatesOfAction(db, row.id)).map(toUpdate),
        member: mayJoim(actor, { forceId: row.force_id, cpsAreaId: row.cps_area_id }),
      };
    },

    /**
     * Marks an action done, drops it (with the reason), opens it again (saying
     * why), or adds a progress note. Its clock is met, cancelled or reopened
     * in the same transaction.
     */
    async changeAction(actor: Actor, context: AuditContext, actionId: string, input: StatusInput, version: number | null): Promise<number> {
      const row = await loadAction(actor, context, actionId);
      const action = toAction(row, today());
      const expected = validVersion(version);
      const { value, errors } = statusErrors(input, action.status);
      if (!value) throw invalid(errors);
      const changing = value.status !== action.status;
      return inTransaction(db, async (tx) => {
        const now = clock.now();
        const closing = changing && value.status !== 'open';
        if (!(await repository.updateAction(tx, row.id, expected, {
          updated_at: now.toISOString(), ...(changing ? { status: value.status, closed_at: closing ? now.toISOString() : null } : {}),
        }))) throw new Problem('conflict');
        // The clock engine first, then the audit entry (the order the sweep locks in).
        if (changing) {
          for (const deadline of await deadlinesFor(tx, ACTION_SUBJECT, row.id)) {
            if (deadline.status === 'open' || deadline.status === 'paused') {
              await closeDeadline(tx, deadline.id, { outcome: value.status === 'done' ? 'met' : 'cancelled', reason: translate(`joim.deadline.${value.status}`), now });
            }
          }
          if (value.status === 'open') await openActionClock(tx, { id: row.id, forceId: row.force_id, cpsAreaId: row.cps_area_id, dueOn: row.due_on }, now);
        }
        await repository.insertActionUpdate(tx, { id: newId(), action_id: row.id, status_from: action.status, status_to: value.status, note: value.note, recorded_by: actor.userId, recorded_at: now.toISOString() });
        await audit.record(tx, context, {
          action: 'alter', event: changing ? 'joim.action.status' : 'joim.action.note', objectType: 'joim-action', objectId: row.id,
          details: { meetingId: row.meeting_id, statusFrom: action.status, statusTo: value.status, owner: actor.userId === row.owner_user_id, version: expected + 1 },
        });
        return expected + 1;
      });
    },

    /** A pair's open actions, earliest due first (overdue ones are marked). */
    async openActions(actor: Actor, context: AuditContext, forceId: string, cpsAreaId: string): Promise<JoimAction[]> {
      const pair = await loadPair(actor, context, forceId, cpsAreaId);
      const now = today();
      return (await repository.actionsOfPair(db, pair.force.id, pair.area.id, 'open')).map((row) => toAction(row, now));
    },

    /** The actor's own JOIM actions, whatever meeting set them: open ones first. */
    async myActions(actor: Actor): Promise<JoimAction[]> {
      const now = today();
      return (await repository.actionsOwnedBy(db, actor.userId, MY_ACTIONS_SHOWN)).map((row) => toAction(row, now));
    },
  };
}

export type JoimService = ReturnType<typeof createJoimService>;
