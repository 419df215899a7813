// Measures of the joint case file for one police force or CPS Area over a
// period (a quarter of the quarterly assurance report, DOMAIN §6, §9): early
// advice timeliness, cases pending a response to an action plan (PRFI) by
// age at the period's end, escalations the clock took, and decisions of no
// further action. Other modules (governance) read the case file through
// `caseMeasures`, never its tables. The figures are read from the case
// journal, so they count every case the same way however it came onto the
// platform (commands, the demo, synthetic loads), and from the clock's own
// escalation record. Counts here are exact: suppressing small numbers is the
// job of whoever shows them.
import type { Db, Tx } from '../../platform/db/transaction.ts';
import { ruleVersion, ruleVersionFor } from '../../platform/deadlines/service.ts';
import { addCalendarDays, londonDate } from '../../platform/time/working-days.ts';
import type { PlainDate } from '../../platform/time/working-days.ts';
import { reviewDays } from '../action-plans/model.ts';
import { NOT_CHARGED, suspectDecisions } from '../charging/model.ts';
import type { SuspectDecision } from '../charging/model.ts';
import { outcomeName } from '../police-nfa/model.ts';
import * as repository from './measures-repository.ts';
import type { EventRow, Side } from './measures-repository.ts';

export const EARLY_ADVICE_RULE = 'early-advice.response';
export const ACTION_PLAN_RULE = 'action-plan.review';
/** Used only where a rule's period is not in calendar days. */
export const DEFAULT_EARLY_ADVICE_DAYS = 21;

/** A period of whole days in London, both ends included. */
export interface MeasurePeriod {
  readonly start: PlainDate;
  readonly end: PlainDate;
}

export interface MeasureOrganisation {
  readonly id: string;
  readonly kind: 'police_force' | 'cps_area';
}

export interface EarlyAdviceTimeliness {
  /** The response period of the rule in force at the period's end, in calendar days. */
  readonly targetDays: number;
  /** Answers given in the period: advice, or a rejection of the request. */
  readonly answered: number;
  readonly advised: number;
  readonly rejected: number;
  readonly withinTarget: number;
  /** Median calendar days from request (or upheld appeal) to answer; null when nothing was answered. */
  readonly medianDays: number | null;
}

export interface AgeBand {
  /** Days since the case entered 'Action plan', from and to (null: no upper end). */
  readonly from: number;
  readonly to: number | null;
  readonly count: number;
}

export interface PrfiAgeing {
  /** The last day of the period: ages are counted to it. */
  readonly asAt: PlainDate;
  /** The review days of the action-plan clock (28, 56 and 90 by default). */
  readonly thresholds: readonly number[];
  readonly open: number;
  /** Under the first threshold, between each, and at or over the last. */
  readonly bands: readonly AgeBand[];
}

export interface EscalationCount {
  readonly ruleKey: string;
  readonly ruleTitle: string;
  readonly step: string;
  readonly label: string;
  readonly count: number;
}

export interface NfaCount {
  readonly code: string;
  readonly name: string;
  readonly count: number;
}

export interface NfaDecisions {
  /** Police decisions of no further action, by Home Office outcome code, lowest code first. */
  readonly police: readonly NfaCount[];
  readonly policeTotal: number;
  /** CPS decisions not to charge a suspect, by kind (each suspect counts once per decision). */
  readonly cps: readonly NfaCount[];
  readonly cpsTotal: number;
}

export interface CaseMeasures {
  /** When the figures were read: their data vintage. */
  readonly computedAt: string;
  readonly period: MeasurePeriod;
  readonly earlyAdvice: EarlyAdviceTimeliness;
  readonly prfi: PrfiAgeing;
  readonly escalations: readonly EscalationCount[];
  readonly nfa: NfaDecisions;
}

/** The instant a London day begins (midnight in London, in UTC), as the journal writes instants. */
export function londonDayStart(date: PlainDate): string {
  const midnightUtc = Date.parse(`${date}T00:00:00Z`);
  // In summer time London's midnight is 23:00 UTC the evening before.
  for (const candidate of [midnightUtc - 3_600_000, midnightUtc]) {
    if (londonDate(new Date(candidate)) === date) return new Date(candidate).toISOString();
  }
  return new Date(midnightUtc).toISOString();
}

const daysFrom = (from: PlainDate, to: PlainDate) => Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);

function parse(row: EventRow): Record<string, unknown> {
  try {
    const data: unknown = JSON.parse(row.data);
    return data && typeof data === 'object' ? (data as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/**
 * Early advice answered in the period. Each answer (advice given, or the
 * request rejected) is measured in calendar days from the start of the clock
 * it answers: the request, or an appeal upheld against a rejection, which
 * restarts the clock. Answered on day 21 is within 21 days; day 22 is not.
 */
export function earlyAdviceFrom(answers: readonly EventRow[], starts: readonly EventRow[], targetDays: number): EarlyAdviceTimeliness {
  const days: number[] = [];
  let advised = 0;
  let rejected = 0;
  for (const answer of answers) {
    const requestId = parse(answer).requestId;
    const start = starts
      .filter((s) => s.case_id === answer.case_id && s.seq < answer.seq && parse(s).requestId === requestId)
      .filter((s) => s.type === 'advice.requested' || (s.type === 'advice.appeal-decided' && parse(s).upheld === true))
      .at(-1);
    if (!start) continue;
    days.push(daysFrom(londonDate(start.occurred_at), londonDate(answer.occurred_at)));
    if (answer.type === 'advice.given') advised += 1;
    else rejected += 1;
  }
  return { targetDays, answered: days.length, advised, rejected, withinTarget: days.filter((d) => d <= targetDays).length, medianDays: median(days) };
}

/**
 * Cases at 'Action plan' (pending a response to further investigation) at the
 * end of `asAt`, by calendar days since they entered the stage, from their
 * stage changes (oldest first, grouped by case).
 */
export function prfiFrom(stageChanges: readonly EventRow[], asAt: PlainDate, thresholds: readonly number[]): PrfiAgeing {
  const entered = new Map<string, PlainDate | null>();
  for (const event of stageChanges) {
    const { from, to } = parse(event);
    if (to === 'action_plan') entered.set(event.case_id, londonDate(event.occurred_at));
    else if (from === 'action_plan') entered.set(event.case_id, null);
  }
  const ages = [...entered.values()].filter((on): on is PlainDate => on !== null).map((on) => daysFrom(on, asAt));
  const edges = [0, ...thresholds];
  const bands = edges.map((from, i) => {
    const to = i + 1 < edges.length ? edges[i + 1]! - 1 : null;
    return { from, to, count: ages.filter((age) => age >= from && (to === null || age <= to)).length };
  });
  return { asAt, thresholds: [...thresholds], open: ages.length, bands };
}

/** Decisions of no further action made in the period, police by outcome code and CPS by kind. */
export function nfaFrom(police: readonly EventRow[], charging: readonly EventRow[]): NfaDecisions {
  const byCode = new Map<number, number>();
  for (const event of police) {
    const code = Number(parse(event).outcomeCode);
    if (Number.isInteger(code)) byCode.set(code, (byCode.get(code) ?? 0) + 1);
  }
  const byKind = new Map<SuspectDecision, number>(NOT_CHARGED.map((kind) => [kind, 0]));
  for (const event of charging) {
    const decision = parse(event).decision as SuspectDecision;
    if (byKind.has(decision)) byKind.set(decision, byKind.get(decision)! + 1);
  }
  const policeCounts = [...byCode].sort(([a], [b]) => a - b).map(([code, count]) => ({ code: String(code), name: outcomeName(code), count }));
  const cpsCounts = [...byKind].map(([kind, count]) => ({ code: kind, name: suspectDecisions[kind], count }));
  return {
    police: policeCounts,
    policeTotal: policeCounts.reduce((n, c) => n + c.count, 0),
    cps: cpsCounts,
    cpsTotal: cpsCounts.reduce((n, c) => n + c.count, 0),
  };
}

async function targetDaysFor(db: Db | Tx, organisationId: string, on: PlainDate): Promise<number> {
  const rule = await ruleVersionFor(db, EARLY_ADVICE_RULE, [organisationId], on);
  return rule?.definition.due.unit === 'calendar-days' ? rule.definition.due.amount : DEFAULT_EARLY_ADVICE_DAYS;
}

async function reviewDaysFor(db: Db | Tx, organisationId: string, on: PlainDate): Promise<number[]> {
  const rule = await ruleVersionFor(db, ACTION_PLAN_RULE, [organisationId], on);
  const days = (rule?.definition.steps ?? []).filter((s) => s.from === 'start' && s.after.unit === 'calendar-days' && s.after.amount > 0).map((s) => s.after.amount);
  return days.length ? [...new Set(days)].sort((a, b) => a - b) : [...reviewDays];
}

async function escalationsIn(db: Db | Tx, side: Side, organisationId: string, period: MeasurePeriod): Promise<EscalationCount[]> {
  const rows = await repository.escalationsDue(db, side, organisationId, period.start, period.end);
  const counts = new Map<string, EscalationCount>();
  for (const row of rows.sort((a, b) => a.rule_version - b.rule_version)) {
    const rule = await ruleVersion(db, row.rule_key, row.rule_version);
    const key = `${row.rule_key}/${row.step}`;
    const before = counts.get(key)?.count ?? 0;
    counts.set(key, {
      ruleKey: row.rule_key,
      ruleTitle: rule?.definition.title ?? row.rule_key,
      step: row.step,
      label: rule?.definition.steps.find((s) => s.step === row.step)?.label ?? row.step,
      count: before + row.count,
    });
  }
  return [...counts.values()].sort((a, b) => (a.ruleTitle === b.ruleTitle ? 0 : a.ruleTitle < b.ruleTitle ? -1 : 1));
}

/** The case-file measures of a police force's or CPS Area's cases over a period, read now. */
export async function caseMeasures(db: Db | Tx, organisation: MeasureOrganisation, period: MeasurePeriod, now: Date): Promise<CaseMeasures> {
  const side: Side = organisation.kind === 'police_force' ? 'force' : 'area';
  const from = londonDayStart(period.start);
  const to = londonDayStart(addCalendarDays(period.end, 1));
  const [targetDays, thresholds] = await Promise.all([targetDaysFor(db, organisation.id, period.end), reviewDaysFor(db, organisation.id, period.end)]);

  const answers = await repository.eventsBetween(db, side, organisation.id, ['advice.given', 'advice.rejected'], from, to);
  const starts = await repository.eventsOfCases(db, side, organisation.id, [...new Set(answers.map((a) => a.case_id))], ['advice.requested', 'advice.appeal-decided'], to);
  const stageChanges = await repository.eventsBefore(db, side, organisation.id, ['case.stage-changed'], to, 'action_plan');
  const police = await repository.eventsBetween(db, side, organisation.id, ['police-nfa.decided'], from, to);
  const charging = await repository.eventsBetween(db, side, organisation.id, ['charging.decided'], from, to);
  return {
    computedAt: now.toISOString(),
    period,
    earlyAdvice: earlyAdviceFrom(answers, starts, targetDays),
    prfi: prfiFrom(stageChanges, period.end, thresholds),
    escalations: await escalationsIn(db, side, organisation.id, period),
    nfa: nfaFrom(police, charging),
  };
}
