// "Whose court is the ball in": every calendar day of a case's life, from the
// day it was reported to today, attributed to the party the case was waiting
// on at the end of that day (Europe/London), from the case's journal alone.
// The rules are data: a stage says whose move it is; early advice is the
// CPS's until the advice is given or the request rejected, then the police's;
// a period marked as waiting on the victim belongs to the victim (and the
// support around them) unless the case is closed.
import { addCalendarDays, londonDate } from '../../platform/time/working-days.ts';
import type { PlainDate } from '../../platform/time/working-days.ts';
import { isStage } from '../model.ts';
import type { Stage } from '../model.ts';

export const parties = {
  police: 'Police',
  cps: 'CPS',
  court: 'Court',
  victim: 'Waiting on the victim',
  closed: 'Closed',
} as const;
export type Party = keyof typeof parties;
export const partyNames = Object.keys(parties) as Party[];

/** Whose move it is at each stage (version 1 of the rules). */
export const stageParty = {
  report: 'police',
  crime_recorded: 'police',
  initial_response: 'police',
  investigation: 'police',
  early_advice: 'cps',
  charging_referral: 'cps',
  action_plan: 'police',
  administratively_finalised: 'closed',
  police_nfa: 'closed',
  cps_nfa: 'closed',
  out_of_court_disposal: 'closed',
  charged: 'court',
  court: 'court',
  completed: 'closed',
} as const satisfies Record<Stage, Party>;

/** Events that hand early advice back to the police while the case is still at that stage. */
export const earlyAdviceAnswered: readonly string[] = ['advice.given', 'advice.rejected'];
export const ATTRIBUTION_RULES_VERSION = 1;

export interface JournalEntry {
  readonly type: string;
  readonly occurredAt: string;
  readonly data: Readonly<Record<string, unknown>>;
}

export interface Period {
  readonly party: Party;
  readonly from: PlainDate;
  /** The last day of the period (inclusive). */
  readonly to: PlainDate;
  readonly days: number;
}

export interface Attribution {
  readonly from: PlainDate;
  readonly to: PlainDate;
  /** Calendar days from the day of report to `to`, both counted. */
  readonly ageDays: number;
  readonly totals: Readonly<Record<Party, number>>;
  readonly periods: readonly Period[];
  readonly rulesVersion: number;
}

interface State {
  stage: Stage;
  adviceAnswered: boolean;
  awaitingVictim: boolean;
}

function apply(state: State, event: JournalEntry): void {
  const data = event.data as { to?: unknown; stage?: unknown };
  if (event.type === 'case.created' && typeof data.stage === 'string' && isStage(data.stage)) state.stage = data.stage;
  if (event.type === 'case.stage-changed' && typeof data.to === 'string' && isStage(data.to)) {
    state.stage = data.to;
    if (data.to === 'early_advice') state.adviceAnswered = false;
  }
  if (earlyAdviceAnswered.includes(event.type)) state.adviceAnswered = true;
  if (event.type === 'advice.requested') state.adviceAnswered = false;
  if (event.type === 'investigation.awaiting-victim') state.awaitingVictim = true;
  if (event.type === 'investigation.victim-re-engaged') state.awaitingVictim = false;
}

function partyOf(state: State): Party {
  const party: Party = stageParty[state.stage];
  if (party === 'closed') return 'closed';
  if (state.awaitingVictim) return 'victim';
  if (state.stage === 'early_advice' && state.adviceAnswered) return 'police';
  return party;
}

function daysBetween(from: PlainDate, to: PlainDate): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

/**
 * Attributes each day from `reportedOn` to `today` (both counted) to a party.
 * A day belongs to whoever the case waited on at its end in London, so an
 * event at 23:30 UTC on 30 June in summer counts from 1 July. Events before
 * the report count from the day of report; events after today are ignored.
 * `events` may be in any order: they are taken by when they happened, then
 * as given.
 */
export function attributeDays(events: readonly JournalEntry[], reportedOn: PlainDate, today: PlainDate): Attribution {
  const empty = Object.fromEntries(partyNames.map((p) => [p, 0])) as Record<Party, number>;
  if (today < reportedOn) return { from: reportedOn, to: today, ageDays: 0, totals: empty, periods: [], rulesVersion: ATTRIBUTION_RULES_VERSION };
  const dated = events
    .map((event, index) => ({ event, index, day: londonDate(event.occurredAt) }))
    .filter((e) => e.day <= today)
    .sort((a, b) => (a.event.occurredAt < b.event.occurredAt ? -1 : a.event.occurredAt > b.event.occurredAt ? 1 : a.index - b.index));
  const state: State = { stage: 'report', adviceAnswered: false, awaitingVictim: false };
  const totals = { ...empty };
  const periods: { party: Party; from: PlainDate; to: PlainDate; days: number }[] = [];
  let next = 0;
  // Walk change points rather than single days: a case may be years old.
  let day = reportedOn;
  while (day <= today) {
    while (next < dated.length && dated[next]!.day <= day) apply(state, dated[next++]!.event);
    const party = partyOf(state);
    // The state holds until the day before the next event's day.
    const until = next < dated.length && dated[next]!.day <= today ? addCalendarDays(dated[next]!.day, -1) : today;
    const last = until < day ? day : until;
    const days = daysBetween(day, last) + 1;
    totals[party] += days;
    const previous = periods.at(-1);
    if (previous && previous.party === party) {
      previous.to = last;
      previous.days += days;
    } else {
      periods.push({ party, from: day, to: last, days });
    }
    day = addCalendarDays(last, 1);
  }
  return { from: reportedOn, to: today, ageDays: daysBetween(reportedOn, today) + 1, totals, periods, rulesVersion: ATTRIBUTION_RULES_VERSION };
}
