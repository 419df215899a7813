// Synthetic cases for demonstrations, load tests and benchmarks: whole case
// files (people, team, journal, open deadlines) whose shape follows the
// published figures in DOMAIN §10 roughly. Everything here is pure: a case is
// a function of the seed, its number and the organisations it may belong to,
// so the same seed gives the same cases. Every name is made up from short
// lists, and no case is about anyone real.
import type { CaseEventsTable, CasePeopleTable, CasesTable, CaseTeamTable, DeadlineOrganisationsTable, DeadlinesTable } from '../../platform/db/tables.ts';
import type { RuleVersion } from '../../platform/deadlines/model.ts';
import { newDeadlineRow } from '../../platform/deadlines/service.ts';
import type { PlainDate } from '../../platform/time/working-days.ts';
import { canTransition, stageDeadlineRules } from '../model.ts';
import type { CaseRole, OffenceClass, PersonCategory, Stage } from '../model.ts';

/** The calibration targets, as data: change a figure here and every generated case follows. */
export const calibration = {
  /** Cases are reported over this many days before today. */
  historyDays: 6 * 365,
  offenceClasses: { rape_16_plus: 56, assault_by_penetration: 15, other_serious_sexual_offence: 14, rape_13_to_15: 8, rape_under_13: 7 } satisfies Record<OffenceClass, number>,
  domesticAbuse: 0.33,
  repeatSuspect: 0.1,
  vulnerableVictim: 0.3,
  initialResponse: 0.85,
  /** No suspect is ever identified (outcome 18 or 14). */
  noSuspect: 0.08,
  /** The police involve the CPS at all (early advice or a charging referral). */
  referred: 0.14,
  /** Of referred cases, those that start with early advice. */
  earlyAdvice: 0.55,
  /** Police outcome codes of a police decision of no further action where a suspect is known. */
  policeNfaOutcomes: { 16: 47, 15: 22, 14: 15, 21: 8, 10: 4, 17: 2, 13: 2 } as Record<string, number>,
  /** Codes that mean the victim withdrew support. */
  victimWithdrewOutcomes: ['14', '16'] as readonly string[],
  /** Days from report to a police decision of no further action (median, log-normal spread). */
  policeNfaDays: { median: 170, sigma: 0.75 },
  /** Days from report to the first referral to the CPS. */
  referralDays: { median: 320, sigma: 0.55 },
  /** Early advice answered after about 21 days. */
  earlyAdviceResponseDays: { mean: 21, sd: 9 },
  /** What follows early advice: an action plan, back to investigation, straight to a charging referral, police NFA. */
  afterAdvice: { action_plan: 50, investigation: 30, charging_referral: 12, police_nfa: 8 },
  /** How police answer an action plan: answered (re-referred), police NFA, never (administratively finalised at 90 days). */
  actionPlanAnswer: { answered: 85, police_nfa: 9, never: 6 },
  actionPlanAnswerDays: { median: 55, sigma: 0.55 },
  /** One charging consultation's decision. */
  chargingDecision: { action_plan: 58, charge: 26, cps_nfa: 11, out_of_court_disposal: 2, administratively_finalised: 3 },
  chargingDecisionDays: { median: 32, sigma: 0.6 },
  /** About 1 in 10 rape charges is for an alternative, non-rape offence. */
  alternativeOffence: 0.1,
  /** Days from charge to completion at court. */
  completionDays: { median: 440, sigma: 0.35 },
  /** Outcomes as the court part records them; 'victim_withdrew' is recorded as 'withdrawn' with victimWithdrawal. */
  // Withdrawals end sooner than trials, so fewer are drawn than the 20% of completions they come to.
  courtOutcomes: { victim_withdrew: 16, guilty_plea: 33, convicted: 35, acquitted: 13, discontinued: 3 },
  convictions: ['guilty_plea', 'convicted'] as readonly string[],
  /** Files returned to police at triage for want of quality. */
  returnedAtTriage: 0.05,
  supervisoryReviewDays: 28,
  /** Supervisory reviews recorded in one stretch of investigation (the journal keeps the recent ones). */
  supervisoryReviewsRecorded: 5,
  bail: 0.4,
} as const;

// Randomness: a small, fast generator (mulberry32), seeded per case from the run's seed.

export type Random = () => number;

export function random(seed: number): Random {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The generator of case `index` in run `seed`: independent of every other case. */
export function caseRandom(seed: number, index: number): Random {
  let h = Math.imul(seed ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(index + 1, 0xc2b2ae35);
  h = Math.imul(h ^ (h >>> 16), 0x7feb352d);
  h = Math.imul(h ^ (h >>> 15), 0x846ca68b);
  return random(h ^ (h >>> 16));
}

const between = (r: Random, low: number, high: number): number => low + Math.floor(r() * (high - low + 1));
const chance = (r: Random, p: number): boolean => r() < p;

function normal(r: Random): number {
  const u = Math.max(r(), 1e-12);
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * r());
}

function logNormal(r: Random, spread: { median: number; sigma: number }): number {
  return Math.max(1, Math.round(spread.median * Math.exp(spread.sigma * normal(r))));
}

function weighted<K extends string>(r: Random, weights: Readonly<Record<K, number>>): K {
  const entries = Object.entries(weights) as [K, number][];
  let left = r() * entries.reduce((sum, [, w]) => sum + w, 0);
  for (const [key, weight] of entries) {
    left -= weight;
    if (left < 0) return key;
  }
  return entries[entries.length - 1]![0];
}

function pick<T>(r: Random, items: readonly T[]): T {
  return items[Math.floor(r() * items.length)]!;
}

// Names: small lists, combined.

const FIRST_NAMES = ['Alex', 'Bailey', 'Casey', 'Charlie', 'Dana', 'Devon', 'Eden', 'Ellis', 'Finley', 'Frankie', 'Harper', 'Hayden', 'Jamie', 'Jesse', 'Jordan', 'Kai', 'Kit', 'Logan', 'Morgan', 'Nico', 'Parker', 'Quinn', 'Reese', 'Riley', 'Robin', 'Rowan', 'Sam', 'Sasha', 'Skyler', 'Taylor'];
const SURNAMES = ['Abbott', 'Ahmed', 'Bell', 'Brennan', 'Carter', 'Chowdhury', 'Davies', 'Evans', 'Fletcher', 'Green', 'Hall', 'Hughes', 'Iqbal', 'Jenkins', 'Kaur', 'Lewis', 'Mensah', 'Murphy', 'Nowak', 'Owens', 'Patel', 'Price', 'Reid', 'Roberts', 'Shah', 'Singh', 'Thomas', 'Walsh', 'Williams', 'Wright'];

function personName(r: Random): string {
  return `${pick(r, FIRST_NAMES)} ${pick(r, SURNAMES)}`;
}

// Where the cases go.

export interface Staff {
  readonly id: string;
  readonly name: string;
}

/** A police force, the CPS Area its cases go to, and who may hold each case role in them. */
export interface Pairing {
  readonly forceId: string;
  readonly forceCode: string;
  readonly cpsAreaId: string;
  readonly investigators: readonly Staff[];
  readonly supervisors: readonly Staff[];
  readonly prosecutors: readonly Staff[];
  readonly dcps: readonly Staff[];
  readonly vlos: readonly Staff[];
  readonly paralegals: readonly Staff[];
}

export interface GeneratorContext {
  readonly seed: number;
  /** Today in London: nothing happens after it. */
  readonly today: PlainDate;
  /** The instant now (ISO): nothing is recorded after it, so a case's latest events are never in the future. Default: the end of today. */
  readonly latest?: string;
  readonly pairings: readonly Pairing[];
  /** The deadline rule version in force for these organisations on a date (see `mostSpecific`). */
  readonly rule: (key: string, organisationIds: readonly string[], onDate: PlainDate) => RuleVersion | undefined;
}

export interface SyntheticCase {
  readonly row: CasesTable;
  readonly people: CasePeopleTable[];
  readonly team: CaseTeamTable[];
  readonly events: CaseEventsTable[];
  readonly deadlines: DeadlinesTable[];
  readonly deadlineOrganisations: DeadlineOrganisationsTable[];
}

/** The most rows of one case (events, people, team, deadlines): ids are numbered within it. */
export const MAX_ROWS_PER_CASE = 1024;

const DAY = 86_400_000;
const dayOf = (date: PlainDate): number => Math.floor(Date.parse(`${date}T00:00:00Z`) / DAY);
const dateOf = (day: number): PlainDate => new Date(day * DAY).toISOString().slice(0, 10);

const hex = (value: number, digits: number) => value.toString(16).padStart(digits, '0');
let lastMs = -1;
let lastTime = '';

/**
 * UUID v7-shaped ids that sort in the order they are made (so bulk inserts
 * append to every index on them) and depend only on the seed, the day and the
 * case: the millisecond and sub-millisecond fields count up from the start of
 * `today`, and the 62 random bits come from the case's generator.
 */
export function syntheticId(base: number, counter: number, r: Random): string {
  const ms = base + Math.floor(counter / 4096);
  if (ms !== lastMs) {
    const time = hex(ms, 12);
    lastMs = ms;
    lastTime = `${time.slice(0, 8)}-${time.slice(8)}-7`;
  }
  const a = Math.floor(r() * 2 ** 30);
  return `${lastTime}${hex(counter % 4096, 3)}-${hex(0x8000 | (a & 0x3fff), 4)}-${hex(a >>> 14, 4)}${hex(Math.floor(r() * 2 ** 32), 8)}`;
}

/** Everything one case's story needs while it is being told. */
class Story {
  readonly events: CaseEventsTable[] = [];
  stage: Stage = 'crime_recorded';
  /** The day the case reached its stage. */
  enteredStage: number;
  /** The day the story has reached (days since 1970-01-01). */
  day: number;
  #rows = 0;
  #last = 0;
  readonly #base: number;
  readonly #index: number;
  readonly #latest: number;
  readonly r: Random;
  readonly caseId: string;
  readonly today: number;

  constructor(r: Random, caseId: string, today: number, start: number, base: number, index: number, latest: number) {
    this.#latest = latest;
    this.r = r;
    this.caseId = caseId;
    this.today = today;
    this.day = start;
    this.enteredStage = start;
    this.#base = base;
    this.#index = index;
  }

  id(): string {
    this.#rows += 1;
    if (this.#rows >= MAX_ROWS_PER_CASE) throw new Error('A synthetic case has too many rows');
    return syntheticId(this.#base, this.#index * MAX_ROWS_PER_CASE + this.#rows, this.r);
  }

  /** Moves the story on by `days`; false when that would be after today (the case is still live). */
  wait(days: number): boolean {
    if (this.day + days > this.today) return false;
    this.day += days;
    return true;
  }

  /** An instant in working hours on the story's day, after everything before it, and never after `latest`. */
  instant(): string {
    const working = (8 * 60 + Math.floor(this.r() * 600)) * 60_000 + Math.floor(this.r() * 60_000);
    const dayStart = this.day * DAY;
    // Today's events fall between midnight and now, in the same proportion as a working day.
    const at = dayStart + 18 * 3_600_000 <= this.#latest ? dayStart + working : dayStart + Math.floor((working / DAY) * Math.max(0, this.#latest - dayStart));
    const step = this.#last + 60_000 <= this.#latest ? 60_000 : 1;
    this.#last = at > this.#last ? at : this.#last + step;
    return new Date(this.#last).toISOString();
  }

  record(type: string, data: Record<string, unknown>, actor: string | null): void {
    const at = this.instant();
    this.events.push({ id: this.id(), case_id: this.caseId, seq: this.events.length + 1, type, occurred_at: at, recorded_at: at, actor_user_id: actor, data: JSON.stringify(data) });
  }

  move(to: Stage, actor: string | null): void {
    if (!canTransition(this.stage, to)) throw new Error(`Synthetic case cannot move from ${this.stage} to ${to}`);
    this.record('case.stage-changed', { from: this.stage, to }, actor);
    this.stage = to;
    this.enteredStage = this.day;
  }
}

const NFA_REASONS = ['nfa_evidential', 'nfa_public_interest'] as const;
/** Keys of the victims' withdrawal reasons list (version 1). */
const WITHDRAWAL_REASONS = ['fear_of_suspect', 'length_of_process', 'mental_health', 'not_believed', 'wants_to_move_on', 'pressure_from_others', 'digital_privacy'] as const;

/** Generates case number `index` of the run. */
export function generateCase(context: GeneratorContext, index: number): SyntheticCase {
  const c = calibration;
  const r = caseRandom(context.seed, index);
  const today = dayOf(context.today);
  const base = Date.parse(`${context.today}T00:00:00Z`);
  const pairing = context.pairings[index % context.pairings.length]!;
  const caseId = syntheticId(base, index * MAX_ROWS_PER_CASE, r);
  // Recent years report more: a gentle slope over the history.
  const ago = Math.min(c.historyDays - 1, Math.floor(c.historyDays * (chance(r, 0.6) ? r() : 1 - Math.sqrt(r()))));
  const reported = today - ago;
  const latest = context.latest ? Date.parse(context.latest) : base + DAY - 1;
  const story = new Story(r, caseId, today, reported, base, index, latest);

  const oic = pick(r, pairing.investigators);
  const supervisor = pairing.supervisors.length && chance(r, 0.85) ? pick(r, pairing.supervisors) : undefined;
  const offence = weighted(r, c.offenceClasses);
  const childVictim = offence === 'rape_under_13' || offence === 'rape_13_to_15' || chance(r, 0.04);
  const yy = dateOf(reported).slice(2, 4);
  const policeReference = `${pairing.forceCode.toUpperCase()}/S${context.seed}/${index + 1}/${yy}`;

  const team: CaseTeamTable[] = [];
  const allocate = (member: Staff, role: CaseRole, organisationId: string) => {
    const at = story.instant();
    team.push({ id: story.id(), case_id: caseId, user_id: member.id, organisation_id: organisationId, case_role: role, allocated_at: at, ended_at: null });
    story.record('case.team-allocated', { role, userId: member.id, name: member.name }, null);
  };
  const people: CasePeopleTable[] = [];
  const addPerson = (category: PersonCategory, dateOfBirth: PlainDate | null) => {
    const personId = story.id();
    people.push({ id: personId, case_id: caseId, category, name: personName(r), date_of_birth: dateOfBirth, created_at: story.instant() });
    story.record('case.person-added', { personId, category }, oic.id);
    return personId;
  };
  const birthDate = (minAge: number, maxAge: number) => dateOf(reported - between(r, minAge * 365, maxAge * 365));

  story.record('case.created', { stage: 'crime_recorded', offenceClass: offence, policeReference }, oic.id);
  allocate(oic, 'oic', pairing.forceId);
  if (supervisor) allocate(supervisor, 'supervisor', pairing.forceId);
  const victimId = addPerson('victim', offence === 'rape_under_13' ? birthDate(5, 12) : offence === 'rape_13_to_15' ? birthDate(13, 15) : chance(r, 0.7) ? birthDate(16, 60) : null);
  const noSuspect = chance(r, c.noSuspect);
  const suspects: string[] = [];
  if (!noSuspect) {
    const count = chance(r, 0.12) ? (chance(r, 0.2) ? 3 : 2) : 1;
    for (let n = 0; n < count; n += 1) suspects.push(addPerson('suspect', chance(r, 0.5) ? birthDate(17, 70) : null));
  }
  const witnesses = chance(r, 0.45) ? (chance(r, 0.3) ? 2 : 1) : 0;
  for (let n = 0; n < witnesses; n += 1) addPerson('witness', null);

  let cpsUrn: string | null = null;
  let courtCaseNumber: string | null = null;
  const deadlines: DeadlinesTable[] = [];
  const deadlineOrganisations: DeadlineOrganisationsTable[] = [];
  const organisations = [pairing.forceId, pairing.cpsAreaId];
  const openDeadline = (key: string, startedOn: number) => {
    const rule = context.rule(key, organisations, dateOf(startedOn));
    if (!rule) return;
    const row = newDeadlineRow(rule, { id: story.id(), subjectType: 'case', subjectId: caseId, startedOn: dateOf(startedOn), createdAt: new Date(startedOn * DAY + 9 * 3_600_000).toISOString() });
    deadlines.push(row);
    for (const organisation_id of organisations) deadlineOrganisations.push({ deadline_id: row.id, organisation_id });
  };

  // The story. Each step waits; a wait past today leaves the case live where it is.
  let prosecutor: Staff | undefined;
  let dcp: Staff | undefined;
  const cps = () => {
    if (!prosecutor && pairing.prosecutors.length) {
      prosecutor = pick(r, pairing.prosecutors);
      cpsUrn = `${String(10 + (index % 89)).padStart(2, '0')}S${context.seed % 10}${String(index + 1).padStart(7, '0')}${yy}`;
      allocate(prosecutor, 'prosecutor', pairing.cpsAreaId);
      if (pairing.dcps.length && chance(r, 0.5)) {
        dcp = pick(r, pairing.dcps);
        allocate(dcp, 'dcp', pairing.cpsAreaId);
      }
    }
    return prosecutor?.id ?? null;
  };

  let lastReview = reported;
  let bailFrom: number | undefined;
  let bailId: string | undefined;
  /** Supervisory reviews every four weeks or so, up to `until` (or today). */
  const reviewsUntil = (until: number) => {
    let held = 0;
    while (held < c.supervisoryReviewsRecorded && lastReview + c.supervisoryReviewDays <= Math.min(until, today) && supervisor) {
      held += 1;
      const next = lastReview + c.supervisoryReviewDays + between(r, -3, 10);
      if (next > Math.min(until, today)) break;
      story.day = Math.max(story.day, next);
      lastReview = next;
      story.record('investigation.supervisory-review', { reviewId: story.id(), reviewedOn: dateOf(next), dueNext: dateOf(next + c.supervisoryReviewDays) }, supervisor.id);
    }
  };

  const policeNfa = (outcomeCode: string, referred: boolean): void => {
    if (referred) story.record('conference.recorded', { conferenceId: story.id(), kind: 'pre_nfa_meeting', heldOn: dateOf(story.day) }, oic.id);
    const proposalId = story.id();
    // Outcome 16 needs the victim's withdrawal on record, after someone spoke to them, as the platform requires.
    if (outcomeCode === '16') {
      story.record('victims.withdrawal.recorded', { victimId, withdrawalId: story.id(), stage: story.stage, reasonCode: pick(r, WITHDRAWAL_REASONS), reasonsVersion: 1, spokenToVictim: true, isvaInvolved: chance(r, 0.6), on: dateOf(story.day) }, oic.id);
    }
    if (c.victimWithdrewOutcomes.includes(outcomeCode)) story.record('police-nfa.victim-contact-recorded', { proposalId, method: pick(r, ['in_person', 'phone', 'video_call', 'through_isva']), on: dateOf(story.day) }, oic.id);
    story.record('police-nfa.proposed', { proposalId, outcomeCode }, oic.id);
    if (!story.wait(between(r, 1, 14))) return;
    const decider = supervisor?.id ?? oic.id;
    story.record('police-nfa.signed-off', { proposalId, outcomeCode }, decider);
    story.record('police-nfa.decided', { proposalId, outcomeCode, victimToldOn: dateOf(story.day), rightToReviewGiven: true }, decider);
    story.move('police_nfa', decider);
    story.record('scrutiny.queued', { decision: 'police_nfa', outcomeCode, proposalId }, null);
    story.record('victim-letter.queued', { letter: 'police-nfa-right-to-review', proposalId }, null);
  };

  const court = (charged: string): void => {
    if (!story.wait(between(r, 1, 28))) return;
    courtCaseNumber = `T${dateOf(story.day).slice(0, 4)}${String(index + 1).padStart(7, '0')}`;
    const first = story.id();
    story.record('court.hearing-listed', { hearingId: first, kind: 'first_hearing', on: dateOf(story.day) }, prosecutor?.id ?? null);
    story.record('court.hearing-held', { hearingId: first, kind: 'first_hearing', on: dateOf(story.day) }, prosecutor?.id ?? null);
    story.move('court', prosecutor?.id ?? null);
    story.record('court.sent-to-crown-court', { on: dateOf(story.day) }, prosecutor?.id ?? null);
    if (pairing.vlos.length && chance(r, 0.6)) allocate(pick(r, pairing.vlos), 'vlo', pairing.cpsAreaId);
    const total = logNormal(r, c.completionDays);
    const outcome = weighted(r, c.courtOutcomes);
    const end = story.day + (outcome === 'victim_withdrew' ? Math.round(total * (0.3 + 0.6 * r())) : total);
    if (!story.wait(between(r, 30, 90))) return;
    const trialOn = Math.max(end, story.day + 30);
    const trialId = story.id();
    story.record('court.hearing-listed', { hearingId: trialId, kind: 'trial', on: dateOf(trialOn) }, prosecutor?.id ?? null);
    story.record('court.trial-listed', { hearingId: trialId, on: dateOf(trialOn) }, prosecutor?.id ?? null);
    if (chance(r, 0.35)) {
      const mid = story.day + Math.floor((end - story.day) / 2);
      if (!story.wait(Math.max(1, mid - story.day))) return;
      const hearingId = story.id();
      story.record('court.hearing-held', { hearingId, kind: 'mention', on: dateOf(story.day) }, prosecutor?.id ?? null);
      story.record('court.adjourned', { hearingId, reasonCode: pick(r, ['no_court_time', 'defence_not_ready', 'prosecution_not_ready', 'witness_unavailable']), reasonsVersion: 1, requestedBy: pick(r, ['prosecution', 'defence', 'court']) }, prosecutor?.id ?? null);
    }
    if (!story.wait(Math.max(1, end - story.day))) return;
    const withdrew = outcome === 'victim_withdrew';
    story.record('court.outcome-recorded', { suspectId: charged, outcome: withdrew ? 'withdrawn' : outcome, victimWithdrawal: withdrew, on: dateOf(story.day) }, prosecutor?.id ?? null);
    story.move('completed', prosecutor?.id ?? null);
    if (c.convictions.includes(outcome) && story.wait(between(r, 0, 42))) {
      story.record('court.sentenced', { suspectId: charged, sentenceType: pick(r, ['immediate_custody', 'immediate_custody', 'suspended_sentence', 'community_order']), on: dateOf(story.day) }, prosecutor?.id ?? null);
    }
  };

  /** An action plan from the CPS and the police answer; returns what happens next, or null if the story stopped. */
  const actionPlan = (source: 'early-advice' | 'charging-decision', secondAfterFullCodeTest: boolean, planId = story.id()): 'answered' | 'stopped' | 'closed' => {
    const items = between(r, 2, 9);
    story.record('action-plan.issued', { planId, source, items, secondAfterFullCodeTest }, prosecutor?.id ?? null);
    story.move('action_plan', prosecutor?.id ?? null);
    const issued = story.day;
    if (dcp && chance(r, 0.5)) story.record('action-plan.dcp-reviewed', { planId, approved: true }, dcp.id);
    if (prosecutor && chance(r, 0.3)) story.record('action-plan.prosecutor-reviewed', { planId }, prosecutor.id);
    const answer = weighted(r, c.actionPlanAnswer);
    const days = answer === 'never' ? between(r, 91, 110) : logNormal(r, c.actionPlanAnswerDays);
    for (const review of [28, 56, 90]) {
      if (review >= days) break;
      if (!story.wait(issued + review - story.day)) return 'stopped';
      story.record('action-plan.review-held', { planId, day: review }, prosecutor?.id ?? null);
    }
    if (!story.wait(issued + days - story.day)) return 'stopped';
    if (answer === 'never') {
      story.record('charging.administratively-finalised', { decisionId: story.id(), reasonCode: 'action_plan_unanswered', from: story.stage }, prosecutor?.id ?? null);
      story.move('administratively_finalised', prosecutor?.id ?? null);
      return 'closed';
    }
    if (answer === 'police_nfa') {
      policeNfa(weighted(r, c.policeNfaOutcomes), true);
      return 'closed';
    }
    for (let item = 0; item < items; item += 1) story.record('action-plan.item-completed', { planId, itemId: story.id() }, oic.id);
    story.record('action-plan.answered', { planId }, oic.id);
    return 'answered';
  };

  /** Charging consultations until a decision; the loop through action plans is where consultations per suspect come from. */
  const charging = (): void => {
    let rounds = 0;
    while (rounds < 6) {
      rounds += 1;
      const referralId = story.id();
      story.record('charging.referred', { referralId, test: chance(r, 0.9) ? 'full_code' : 'threshold', suspectIds: suspects }, oic.id);
      story.move('charging_referral', oic.id);
      const prosecutorId = cps();
      if (!story.wait(between(r, 1, 7))) return;
      if (chance(r, c.returnedAtTriage)) {
        story.record('charging.triaged', { referralId, result: 'returned' }, prosecutorId);
        story.move('investigation', prosecutorId);
        if (!story.wait(logNormal(r, { median: 45, sigma: 0.5 }))) return;
        continue;
      }
      story.record('charging.triaged', { referralId, result: 'accepted' }, prosecutorId);
      if (!story.wait(logNormal(r, c.chargingDecisionDays))) return;
      const decision = rounds === 6 ? 'cps_nfa' : weighted(r, c.chargingDecision);
      if (decision === 'action_plan') {
        const next = actionPlan('charging-decision', rounds > 1);
        if (next !== 'answered') return;
        continue;
      }
      if (decision === 'administratively_finalised') {
        story.record('charging.administratively-finalised', { decisionId: story.id(), reasonCode: 'no_resubmission_after_return', from: story.stage }, prosecutorId);
        story.move('administratively_finalised', prosecutorId);
        return;
      }
      if (decision === 'charge') {
        const suspectId = suspects[0]!;
        const alternative = chance(r, c.alternativeOffence);
        story.record('charging.decided', { referralId, decision: 'charge', suspectId, alternativeOffence: alternative, offenceClasses: [alternative ? 'other_serious_sexual_offence' : offence] }, prosecutorId);
        story.move('charged', prosecutorId);
        if (pairing.paralegals.length && chance(r, 0.5)) allocate(pick(r, pairing.paralegals), 'paralegal', pairing.cpsAreaId);
        court(suspectId);
        return;
      }
      const kind = decision === 'cps_nfa' ? pick(r, NFA_REASONS) : decision;
      for (const suspectId of suspects) story.record('charging.decided', { referralId, decision: kind, suspectId }, prosecutorId);
      if (decision === 'cps_nfa') {
        for (const suspectId of suspects) {
          story.record('scrutiny.queued', { decision: kind, referralId, suspectId }, null);
          story.record('victim-letter.queued', { letter: 'cps-no-charge', referralId, suspectId }, null);
        }
      }
      story.move(decision, prosecutorId);
      return;
    }
  };

  const tell = (): void => {
    if (chance(r, c.initialResponse)) {
      if (!story.wait(between(r, 0, 3))) return;
      story.move('initial_response', oic.id);
    }
    if (!story.wait(between(r, 1, 21))) return;
    story.move('investigation', oic.id);
    lastReview = story.day;
    if (noSuspect) {
      const decideOn = story.day + logNormal(r, { median: 60, sigma: 0.6 });
      reviewsUntil(decideOn);
      if (!story.wait(Math.max(0, decideOn - story.day))) return;
      policeNfa(chance(r, 0.7) ? '18' : '14', false);
      return;
    }
    if (!story.wait(between(r, 1, 45))) return;
    for (const personId of suspects) story.record('investigation.suspect-arrested', { personId }, oic.id);
    for (const personId of suspects) story.record('investigation.suspect-interviewed', { personId }, oic.id);
    const mainSuspect = suspects[0]!;
    if (chance(r, c.bail)) {
      bailFrom = story.day;
      bailId = story.id();
      story.record('investigation.bail-set', { bailId, personId: mainSuspect, until: dateOf(story.day + 91), authority: 'inspector' }, supervisor?.id ?? oic.id);
    } else story.record('investigation.released-under-investigation', { ruiId: story.id(), personId: mainSuspect, reviewDue: dateOf(story.day + 90) }, oic.id);

    const referred = chance(r, c.referred);
    const decideOn = story.day - 1 + (referred ? logNormal(r, c.referralDays) : logNormal(r, c.policeNfaDays));
    reviewsUntil(decideOn);
    if (bailFrom !== undefined && decideOn - bailFrom > 85 && bailFrom + 85 <= today) {
      story.day = Math.max(story.day, bailFrom + 85);
      story.record('investigation.bail-extended', { bailId, personId: suspects[0], until: dateOf(bailFrom + 182), authority: 'superintendent' }, supervisor?.id ?? oic.id);
    }
    if (!story.wait(Math.max(0, decideOn - story.day))) return;
    if (!referred) {
      policeNfa(weighted(r, c.policeNfaOutcomes), false);
      return;
    }
    if (!chance(r, c.earlyAdvice)) {
      story.record('advice.not-requested', { reasonCode: pick(r, ['charging_file_ready', 'charging_file_ready', 'advice_not_needed']) }, oic.id);
      charging();
      return;
    }
    const requestId = story.id();
    const requested = story.day;
    story.record('advice.requested', { requestId, dueOn: dateOf(requested + 21) }, oic.id);
    story.move('early_advice', oic.id);
    const prosecutorId = cps();
    if (!story.wait(between(r, 1, 5))) return;
    story.record('advice.accepted', { requestId }, prosecutorId);
    const respond = Math.max(3, Math.round(c.earlyAdviceResponseDays.mean + c.earlyAdviceResponseDays.sd * normal(r)));
    if (!story.wait(Math.max(0, requested + respond - story.day))) return;
    const next = weighted(r, c.afterAdvice);
    const planId = next === 'action_plan' ? story.id() : undefined;
    story.record('advice.given', { requestId, ...(planId ? { planId } : {}) }, prosecutorId);
    if (next === 'action_plan') {
      if (actionPlan('early-advice', false, planId) === 'answered') charging();
      return;
    }
    if (next === 'investigation') {
      story.move('investigation', oic.id);
      if (!story.wait(logNormal(r, { median: 60, sigma: 0.6 }))) return;
      if (chance(r, 0.6)) charging();
      else policeNfa(weighted(r, c.policeNfaOutcomes), true);
      return;
    }
    if (next === 'charging_referral') {
      charging();
      return;
    }
    policeNfa(weighted(r, c.policeNfaOutcomes), true);
  };
  tell();

  // A stage with a clock of its own (early advice, an action plan) has it open until the case leaves the stage.
  const stageRule = stageDeadlineRules[story.stage];
  if (stageRule) openDeadline(stageRule, story.enteredStage);
  // A live investigation has its supervisory review (and any bail) on the clock.
  if (story.stage === 'investigation' || story.stage === 'initial_response' || story.stage === 'crime_recorded') {
    if (supervisor) openDeadline('supervisory-review', lastReview);
    if (bailFrom !== undefined && story.stage === 'investigation' && bailFrom + 182 > today - 60) openDeadline('pre-charge-bail', bailFrom);
  }

  const last = story.events.at(-1)!;
  const first = story.events[0]!;
  return {
    row: {
      id: caseId,
      police_reference: policeReference,
      cps_urn: cpsUrn,
      court_case_number: courtCaseNumber,
      force_id: pairing.forceId,
      cps_area_id: pairing.cpsAreaId,
      stage: story.stage,
      offence_class: offence,
      domestic_abuse: chance(r, c.domesticAbuse) ? 1 : 0,
      repeat_suspect: chance(r, c.repeatSuspect) ? 1 : 0,
      vulnerable_victim: childVictim || chance(r, c.vulnerableVictim) ? 1 : 0,
      child_victim: childVictim ? 1 : 0,
      reported_on: dateOf(reported),
      created_at: first.occurred_at,
      updated_at: last.occurred_at,
      version: story.events.length,
    },
    people,
    team,
    events: story.events,
    deadlines,
    deadlineOrganisations,
  };
}

/** The stages a case's stage-changed events walk through, from 'crime_recorded'; an error names the first illegal move. */
export function stagePath(events: readonly Pick<CaseEventsTable, 'type' | 'data'>[]): { path: Stage[]; problem: string | null } {
  const path: Stage[] = ['crime_recorded'];
  for (const event of events) {
    if (event.type !== 'case.stage-changed') continue;
    const { from, to } = JSON.parse(event.data) as { from: Stage; to: Stage };
    const at = path.at(-1)!;
    if (from !== at) return { path, problem: `moved from ${from} while at ${at}` };
    if (!canTransition(from, to)) return { path, problem: `illegal move from ${from} to ${to}` };
    path.push(to);
  }
  return { path, problem: null };
}
