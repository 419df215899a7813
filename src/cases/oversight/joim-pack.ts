// The case file's pack for a RASSO Joint Operational Improvement Meeting
// (DOMAIN §6): for the cases of one police force AND one CPS Area, as at the
// meeting date, the cases at 28, 56 and 90 days of an action plan (PRFI), the
// joint clocks that reached an escalation step (non-responses), the PRFI list
// and the early advice still waiting. The governance module reads the case
// file through `joimPack`, never its tables; it decides who may see the pack.
//
// Everything is counted from the clock engine's own deadlines, so a case is in
// the pack exactly when its clock says so: a deadline is "open at the meeting
// date" when it started by then and was not closed by the end of that day. A
// later date shows later ages. The pack names cases by their references and
// the officer and prosecutor on them: never a victim, suspect or witness.
import type { Db, Tx } from '../../platform/db/transaction.ts';
import { schedule } from '../../platform/deadlines/model.ts';
import type { ScheduledStep } from '../../platform/deadlines/model.ts';
import { requireRule } from '../../platform/deadlines/service.ts';
import type { RuleDefinition } from '../../platform/deadlines/model.ts';
import { addCalendarDays, londonDate } from '../../platform/time/working-days.ts';
import type { PlainDate } from '../../platform/time/working-days.ts';
import { itemsOf } from '../action-plans/repository.ts';
import { reviewDays } from '../action-plans/model.ts';
import type { ReviewDay } from '../action-plans/model.ts';
import { isStage, stageDeadlineRules } from '../model.ts';
import type { Stage } from '../model.ts';
import * as repository from './joim-pack-repository.ts';
import type { ClockRow, JournalRow } from './joim-pack-repository.ts';

export const EARLY_ADVICE_CLOCK = stageDeadlineRules.early_advice!;
export const ACTION_PLAN_CLOCK = stageDeadlineRules.action_plan!;
/** The clocks between police and CPS that a JOIM monitors: a step reached on one is a non-response to escalate. */
export const JOINT_CLOCKS: readonly string[] = [EARLY_ADVICE_CLOCK, ACTION_PLAN_CLOCK];

/** The pack's age bands: at or over 28, 56 and 90 days from the plan's issue (the PRFI reviews). */
export type AgeBand = ReviewDay;

/** The band an age in days falls in: the highest review day it has reached, or null under the first. */
export function ageBand(days: number): AgeBand | null {
  return [...reviewDays].reverse().find((day) => days >= day) ?? null;
}

/** Whole calendar days from one legal date to another. */
export function daysBetween(from: PlainDate, to: PlainDate): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

/** Whether a deadline was still open at the end of a legal date: started by then and not closed by then. */
export function openAt(clock: Pick<ClockRow, 'started_on' | 'closed_at'>, on: PlainDate): boolean {
  return clock.started_on <= on && (clock.closed_at === null || londonDate(clock.closed_at) > on);
}

export interface PackPerson {
  readonly userId: string;
  readonly name: string;
}

/** A case as the pack names it: references, stage and who works it, nothing about the people in it. */
export interface PackCase {
  readonly caseId: string;
  readonly policeReference: string;
  readonly cpsUrn: string | null;
  readonly stage: Stage;
  readonly oic: PackPerson | null;
  readonly prosecutor: PackPerson | null;
}

export interface AgeingRow {
  readonly case: PackCase;
  readonly deadlineId: string;
  /** The day the action plan was issued (its clock started). */
  readonly issuedOn: PlainDate;
  readonly days: number;
  readonly band: AgeBand;
}

export interface EscalationRow {
  readonly case: PackCase;
  readonly deadlineId: string;
  readonly ruleKey: string;
  readonly clock: string;
  readonly startedOn: PlainDate;
  readonly dueOn: PlainDate;
  /** Days past the due date at the meeting date (0 when not yet due). */
  readonly daysOverdue: number;
  /** The latest step reached by the meeting date. */
  readonly step: { readonly step: string; readonly label: string; readonly dueOn: PlainDate };
  /** When the clock took that step and told its audience; null when it falls due by the meeting date but has not been taken yet. */
  readonly escalatedAt: string | null;
}

export interface PrfiRow {
  readonly case: PackCase;
  readonly deadlineId: string;
  readonly issuedOn: PlainDate;
  /** The 28-day review date (the clock's due date). */
  readonly reviewDueOn: PlainDate;
  /** The next step of the clock after the meeting date, if any. */
  readonly nextStep: { readonly label: string; readonly dueOn: PlainDate } | null;
  readonly daysOutstanding: number;
  /** The plan's actions, where the plan is on the platform: how many, how many still outstanding, the earliest due of those and how many are overdue. */
  readonly actions: { readonly total: number; readonly outstanding: number; readonly earliestDueOn: PlainDate | null; readonly overdue: number } | null;
  /** Whether the police accepted, queried or completed any action of the plan by the meeting date, and the last day they did. */
  readonly policeResponded: boolean;
  readonly lastResponseOn: PlainDate | null;
}

export interface EarlyAdviceRow {
  readonly case: PackCase;
  readonly deadlineId: string;
  readonly requestedOn: PlainDate;
  readonly dueOn: PlainDate;
  readonly daysWaiting: number;
  readonly overdue: boolean;
  readonly daysOverdue: number;
  /** The clock was stopped (with a reason) when the pack was made. */
  readonly paused: boolean;
}

export interface JoimPack {
  readonly forceId: string;
  readonly cpsAreaId: string;
  /** The meeting date: every age is counted to it. */
  readonly on: PlainDate;
  readonly generatedAt: string;
  /** At or over 28 days, oldest first. */
  readonly ageing: readonly AgeingRow[];
  readonly escalations: readonly EscalationRow[];
  readonly prfi: readonly PrfiRow[];
  readonly earlyAdvice: readonly EarlyAdviceRow[];
}

const RESPONSES = ['action-plan.item-accepted', 'action-plan.item-queried', 'action-plan.item-completed'] as const;
const OUTSTANDING = new Set(['open', 'accepted', 'queried', 'returned']);

function dataOf(row: JournalRow): Record<string, unknown> {
  try {
    const data: unknown = JSON.parse(row.data);
    return data && typeof data === 'object' ? (data as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

/** Oldest first, then by police reference. */
const byAge = <T extends { readonly case: PackCase }>(age: (row: T) => number) => (a: T, b: T) =>
  age(b) - age(a) || (a.case.policeReference < b.case.policeReference ? -1 : a.case.policeReference > b.case.policeReference ? 1 : 0);

/** The pack for the cases of a force and a CPS Area together, as at `on`, read now. */
export async function joimPack(db: Db | Tx, pair: { readonly forceId: string; readonly cpsAreaId: string }, on: PlainDate, now: Date): Promise<JoimPack> {
  // Rows closed the day before `on` in UTC may still be open at the end of `on` in London: read from there and keep the open ones.
  const clocks = (await repository.clocksOfPair(db, pair.forceId, pair.cpsAreaId, JOINT_CLOCKS, on, addCalendarDays(on, -1))).filter((clock) => openAt(clock, on));
  const caseIds = [...new Set(clocks.map((clock) => clock.case_id))];
  const [team, escalations, journal] = await Promise.all([
    repository.holdersOf(db, caseIds, ['oic', 'prosecutor']),
    repository.escalationsOf(db, clocks.map((clock) => clock.deadline_id)),
    // Instants before D+2 in UTC cover the whole London day `on`; later ones are dropped below.
    repository.eventsOfCases(db, caseIds, ['action-plan.issued', ...RESPONSES], addCalendarDays(on, 2)),
  ]);
  const events = journal.filter((event) => londonDate(event.occurred_at) <= on);
  const holder = (caseId: string, role: string) => {
    const found = team.filter((member) => member.case_id === caseId && member.case_role === role).at(-1);
    return found ? { userId: found.user_id, name: found.name } : null;
  };
  const caseOf = (clock: ClockRow): PackCase => ({
    caseId: clock.case_id,
    policeReference: clock.police_reference,
    cpsUrn: clock.cps_urn,
    stage: isStage(clock.stage) ? clock.stage : 'report',
    oic: holder(clock.case_id, 'oic'),
    prosecutor: holder(clock.case_id, 'prosecutor'),
  });
  const rules = new Map<string, RuleDefinition>();
  const stepsOf = async (clock: ClockRow): Promise<ScheduledStep[]> => {
    const key = `${clock.rule_key}@${clock.rule_version}`;
    if (!rules.has(key)) rules.set(key, (await requireRule(db, clock.rule_key, clock.rule_version)).definition);
    return schedule(rules.get(key)!, clock.started_on, clock.paused_days_total);
  };

  // The plan each PRFI clock belongs to: the latest issued on the case by the meeting date.
  const planOf = new Map<string, string>();
  for (const event of events.filter((e) => e.type === 'action-plan.issued')) {
    const planId = dataOf(event).planId;
    if (typeof planId === 'string') planOf.set(event.case_id, planId);
  }
  const items = await itemsOf(db, [...new Set(planOf.values())]);

  const ageing: AgeingRow[] = [];
  const escalated: EscalationRow[] = [];
  const prfi: PrfiRow[] = [];
  const earlyAdvice: EarlyAdviceRow[] = [];
  for (const clock of clocks) {
    const kase = caseOf(clock);
    const days = daysBetween(clock.started_on, on);
    const steps = await stepsOf(clock);
    const reached = steps.filter((step) => step.dueOn <= on);
    const latest = reached.at(-1);
    if (latest) {
      const taken = escalations.find((e) => e.deadline_id === clock.deadline_id && e.step === latest.step);
      escalated.push({
        case: kase, deadlineId: clock.deadline_id, ruleKey: clock.rule_key, clock: rules.get(`${clock.rule_key}@${clock.rule_version}`)!.title,
        startedOn: clock.started_on, dueOn: clock.due_on, daysOverdue: Math.max(0, daysBetween(clock.due_on, on)),
        step: { step: latest.step, label: latest.label, dueOn: latest.dueOn }, escalatedAt: taken?.escalated_at ?? null,
      });
    }
    if (clock.rule_key === ACTION_PLAN_CLOCK) {
      const band = ageBand(days);
      if (band !== null) ageing.push({ case: kase, deadlineId: clock.deadline_id, issuedOn: clock.started_on, days, band });
      const planId = planOf.get(clock.case_id);
      const planItems = planId ? items.filter((item) => item.plan_id === planId) : [];
      const outstanding = planItems.filter((item) => OUTSTANDING.has(item.status));
      const policeItems = new Set(planItems.filter((item) => item.owner !== 'cps').map((item) => item.id));
      const responses = events.filter((e) => e.case_id === clock.case_id && (RESPONSES as readonly string[]).includes(e.type) && londonDate(e.occurred_at) >= clock.started_on)
        .filter((e) => {
          const data = dataOf(e);
          return (!planId || data.planId === planId) && (planItems.length === 0 || policeItems.has(String(data.itemId)));
        });
      const next = steps.find((step) => step.dueOn > on);
      prfi.push({
        case: kase, deadlineId: clock.deadline_id, issuedOn: clock.started_on, reviewDueOn: clock.due_on,
        nextStep: next ? { label: next.label, dueOn: next.dueOn } : null,
        daysOutstanding: days,
        actions: planItems.length ? {
          total: planItems.length,
          outstanding: outstanding.length,
          earliestDueOn: outstanding.map((item) => item.due_on).sort()[0] ?? null,
          overdue: outstanding.filter((item) => item.due_on < on).length,
        } : null,
        policeResponded: responses.length > 0,
        lastResponseOn: responses.length ? londonDate(responses.at(-1)!.occurred_at) : null,
      });
    } else if (clock.rule_key === EARLY_ADVICE_CLOCK) {
      earlyAdvice.push({
        case: kase, deadlineId: clock.deadline_id, requestedOn: clock.started_on, dueOn: clock.due_on, daysWaiting: days,
        overdue: on > clock.due_on, daysOverdue: Math.max(0, daysBetween(clock.due_on, on)), paused: clock.status === 'paused',
      });
    }
  }
  return {
    forceId: pair.forceId,
    cpsAreaId: pair.cpsAreaId,
    on,
    generatedAt: now.toISOString(),
    ageing: ageing.sort(byAge((row) => row.days)),
    escalations: escalated.sort(byAge((row) => daysBetween(row.step.dueOn, on))),
    prfi: prfi.sort(byAge((row) => row.daysOutstanding)),
    earlyAdvice: earlyAdvice.sort(byAge((row) => row.daysWaiting)),
  };
}
