// The case file as governance reads it to scrutinise decisions of no further
// action (DOMAIN §6): which decisions were queued for a scrutiny panel in a
// period, and, for one case, what a panel's anonymised pack is made from.
// Governance never reads the case file's tables itself; it calls these.
// There is no actor here: the scrutiny service decides who may ask (panel
// managers selecting cases) and journals what was read. What this answers
// still names people and dates; the pack is made anonymous by the caller
// (src/governance/scrutiny/anonymise.ts), which gets every known identifier
// of the case from `identifiers` below to scrub free text with.
import type { Db, Tx } from '../../platform/db/transaction.ts';
import { addCalendarDays, londonDate } from '../../platform/time/working-days.ts';
import type { PlainDate } from '../../platform/time/working-days.ts';
import * as charging from '../charging/repository.ts';
import { isCaseRole, isOffenceClass, isPersonCategory, isStage } from '../model.ts';
import type { CaseRole, Flags, OffenceClass, PersonCategory, Stage } from '../model.ts';
import * as policeNfa from '../police-nfa/repository.ts';
import * as cases from '../repository.ts';
import { toEvent } from '../service.ts';
import { queuedBetween } from './nfa-review-repository.ts';

type Executor = Db | Tx;

/** The decisions scrutiny panels look at: a police NFA, or a CPS decision not to charge. */
export const nfaDecisionKinds = ['police_nfa', 'cps_nfa'] as const;
export type NfaDecisionKind = (typeof nfaDecisionKinds)[number];
export const isNfaDecisionKind = (value: string): value is NfaDecisionKind => (nfaDecisionKinds as readonly string[]).includes(value);

/** One decision queued for scrutiny: its kind, its outcome (a police outcome code, or the CPS decision) and the day it was made. */
export interface NfaDecision {
  readonly kind: NfaDecisionKind;
  /** A police outcome code ('16') or a CPS decision ('nfa_evidential', 'nfa_public_interest'). */
  readonly outcome: string;
  readonly decidedOn: PlainDate;
  /** The police proposal or the CPS referral the decision was made on. */
  readonly decisionKey: string;
}

/** A case with decisions queued for scrutiny in a period, and what strata are drawn by. */
export interface NfaCase {
  readonly caseId: string;
  readonly offenceClass: OffenceClass;
  readonly flags: Flags;
  /** Oldest first; a CPS decision on several suspects of one referral is one decision. */
  readonly decisions: readonly NfaDecision[];
}

export interface NfaScope {
  readonly forceId: string;
  /** The CPS Area too, for a panel of a force and an Area; null for a force's panel. */
  readonly cpsAreaId: string | null;
  /** Inclusive London dates. */
  readonly from: PlainDate;
  readonly to: PlainDate;
  readonly kinds: readonly NfaDecisionKind[];
}

const flagsOf = (row: { domestic_abuse: number; repeat_suspect: number; vulnerable_victim: number; child_victim: number }): Flags => ({
  domesticAbuse: Number(row.domestic_abuse) === 1,
  repeatSuspect: Number(row.repeat_suspect) === 1,
  vulnerableVictim: Number(row.vulnerable_victim) === 1,
  childVictim: Number(row.child_victim) === 1,
});

/** What a `scrutiny.queued` event says, or null when it is not one of the kinds asked for. */
function decisionOf(data: Record<string, unknown>, decidedOn: PlainDate): NfaDecision | null {
  const { decision, outcomeCode, proposalId, referralId } = data;
  if (decision === 'police_nfa' && typeof proposalId === 'string' && (typeof outcomeCode === 'number' || typeof outcomeCode === 'string')) {
    return { kind: 'police_nfa', outcome: String(outcomeCode), decidedOn, decisionKey: proposalId };
  }
  if ((decision === 'nfa_evidential' || decision === 'nfa_public_interest') && typeof referralId === 'string') {
    return { kind: 'cps_nfa', outcome: decision, decidedOn, decisionKey: referralId };
  }
  return null;
}

/**
 * Every case of the scope's force (and Area) with a decision of the kinds asked
 * for queued for scrutiny in the period, from the journal (so generated and
 * imported cases count as much as those made on the platform).
 */
export async function nfaCasesIn(db: Executor, scope: NfaScope): Promise<NfaCase[]> {
  // The period is in London days; the journal holds UTC instants: read a day either side and keep the London days asked for.
  const rows = await queuedBetween(db, scope.forceId, scope.cpsAreaId, `${addCalendarDays(scope.from, -1)}T00:00:00.000Z`, `${addCalendarDays(scope.to, 2)}T00:00:00.000Z`);
  const found = new Map<string, { row: (typeof rows)[number]; decisions: NfaDecision[] }>();
  for (const row of rows) {
    const on = londonDate(row.occurred_at);
    if (on < scope.from || on > scope.to) continue;
    const decision = decisionOf(toEvent({ ...row, actor_name: null }).data, on);
    if (!decision || !scope.kinds.includes(decision.kind)) continue;
    const entry = found.get(row.case_id) ?? { row, decisions: [] };
    // Several suspects decided on one referral are one decision.
    if (!entry.decisions.some((d) => d.kind === decision.kind && d.decisionKey === decision.decisionKey)) entry.decisions.push(decision);
    found.set(row.case_id, entry);
  }
  return [...found.entries()].map(([caseId, { row, decisions }]) => ({
    caseId,
    offenceClass: isOffenceClass(row.offence_class) ? row.offence_class : 'other_serious_sexual_offence',
    flags: flagsOf(row),
    decisions,
  }));
}

export interface ReviewPerson {
  readonly id: string;
  readonly category: PersonCategory;
  readonly name: string;
  readonly dateOfBirth: PlainDate | null;
}

export interface ReviewTeamMember {
  readonly userId: string;
  readonly name: string;
  readonly role: CaseRole;
  readonly active: boolean;
}

/** A journal event as the pack reads it: its type, London day and data (oldest first). */
export interface ReviewEvent {
  readonly type: string;
  readonly on: PlainDate;
  readonly data: Readonly<Record<string, unknown>>;
}

export interface PoliceNfaRecord {
  readonly proposalId: string;
  readonly status: string;
  readonly outcomeCode: number;
  readonly rationale: string;
  readonly proposedOn: PlainDate;
}

export interface CpsNfaRecord {
  readonly referralId: string | null;
  readonly suspectId: string | null;
  readonly kind: string;
  readonly reasons: string;
  readonly decidedOn: PlainDate;
  readonly superseded: boolean;
}

/** What a scrutiny pack of one case is made from. Identifying: the caller anonymises it. */
export interface NfaReviewRecord {
  readonly caseId: string;
  readonly reportedOn: PlainDate;
  readonly offenceClass: OffenceClass;
  readonly flags: Flags;
  readonly stage: Stage;
  readonly people: readonly ReviewPerson[];
  /** Every allocation, ended ones too. */
  readonly team: readonly ReviewTeamMember[];
  readonly events: readonly ReviewEvent[];
  readonly policeDecisions: readonly PoliceNfaRecord[];
  readonly cpsDecisions: readonly CpsNfaRecord[];
  /**
   * Everything on the case file that says who anyone is: references, people's
   * names and dates of birth, the names of the team and of everyone who
   * recorded something on the journal. Free text is scrubbed of all of it.
   */
  readonly identifiers: { readonly references: readonly string[]; readonly names: readonly string[]; readonly dates: readonly PlainDate[] };
}

/** The record of one case for its scrutiny pack, or undefined when there is no such case. */
export async function nfaReviewRecord(db: Executor, caseId: string): Promise<NfaReviewRecord | undefined> {
  const row = await cases.findCase(db, caseId);
  if (!row) return undefined;
  const [people, team, events, police, cps] = await Promise.all([
    cases.peopleOf(db, caseId), cases.teamOf(db, caseId), cases.eventsOf(db, caseId), policeNfa.decisionsOf(db, caseId), charging.decisionsOf(db, caseId),
  ]);
  const names = new Set<string>([
    ...people.map((p) => p.name), ...team.map((m) => m.display_name),
    ...events.flatMap((e) => (e.actor_name ? [e.actor_name] : [])),
    ...police.flatMap((d) => [d.proposed_by_name, d.signed_off_by_name ?? '']), ...cps.map((d) => d.decided_by_name),
  ].filter((name) => name.trim() !== ''));
  return {
    caseId: row.id,
    reportedOn: row.reported_on,
    offenceClass: isOffenceClass(row.offence_class) ? row.offence_class : 'other_serious_sexual_offence',
    flags: flagsOf(row),
    stage: isStage(row.stage) ? row.stage : 'report',
    people: people.flatMap((p) => (isPersonCategory(p.category) ? [{ id: p.id, category: p.category, name: p.name, dateOfBirth: p.date_of_birth }] : [])),
    team: team.flatMap((m) => (isCaseRole(m.case_role) ? [{ userId: m.user_id, name: m.display_name, role: m.case_role, active: m.ended_at === null }] : [])),
    events: [...events].reverse().map((e) => ({ type: e.type, on: londonDate(e.occurred_at), data: toEvent(e).data })),
    policeDecisions: police.map((d) => ({
      proposalId: d.id, status: d.status, outcomeCode: Number(d.outcome_code), rationale: d.rationale, proposedOn: londonDate(d.proposed_at),
    })),
    cpsDecisions: cps.map((d) => ({ referralId: d.referral_id, suspectId: d.suspect_id, kind: d.kind, reasons: d.reasons, decidedOn: londonDate(d.decided_at), superseded: d.superseded_at !== null })),
    identifiers: {
      references: [row.police_reference, row.cps_urn, row.court_case_number].filter((r): r is string => typeof r === 'string' && r.trim() !== ''),
      names: [...names],
      dates: [row.reported_on, ...people.flatMap((p) => (p.date_of_birth ? [p.date_of_birth] : []))],
    },
  };
}

/** Who the learning from a scrutiny of the case goes to: the officer in the case and the prosecutor allocated now, and the case's crime reference. */
export async function learningAudience(db: Executor, caseId: string): Promise<{ policeReference: string; recipients: { userId: string; role: 'oic' | 'prosecutor' }[] } | undefined> {
  const row = await cases.findCase(db, caseId);
  if (!row) return undefined;
  const team = await cases.teamOf(db, caseId);
  const recipients = team
    .filter((m) => m.ended_at === null && (m.case_role === 'oic' || m.case_role === 'prosecutor'))
    .map((m) => ({ userId: m.user_id, role: m.case_role as 'oic' | 'prosecutor' }));
  return { policeReference: row.police_reference, recipients };
}

/** Everyone who worked on the case or recorded anything on its journal (a member who did may not review it). */
export async function involvedUserIds(db: Executor, caseId: string): Promise<string[]> {
  const [team, events, police, cps] = await Promise.all([cases.teamOf(db, caseId), cases.eventsOf(db, caseId), policeNfa.decisionsOf(db, caseId), charging.decisionsOf(db, caseId)]);
  return [...new Set([
    ...team.map((m) => m.user_id), ...events.flatMap((e) => (e.actor_user_id ? [e.actor_user_id] : [])),
    ...police.flatMap((d) => [d.proposed_by, ...(d.signed_off_by ? [d.signed_off_by] : [])]), ...cps.map((d) => d.decided_by),
  ])];
}

/** A case's crime reference, for the person the learning was sent to (who worked on it). */
export async function caseReference(db: Executor, caseId: string): Promise<string | undefined> {
  return (await cases.findCase(db, caseId))?.police_reference;
}
