// The anonymised case pack a scrutiny panel reviews, made from the case file's
// record of one case (src/cases/oversight/nfa-review.ts). What goes in is
// chosen, never copied wholesale: codes from fixed lists (offence, flags,
// stages, outcomes, methods), counts, and days since the report (day 0); no
// name, date, reference, address or contact detail. The only free text (the
// decision's rationale or reasons) is scrubbed of every identifier the
// platform knows for the case (people's names, the team's, references,
// dates of birth, the victims' safe addresses, telephone numbers and email
// addresses) and of anything shaped like an email address, telephone number,
// postcode, date, reference or street address.
import { translate } from '../../platform/i18n/messages.ts';
import type { PlainDate } from '../../platform/time/working-days.ts';
import { caseRoleNames, flags as flagNames, isStage, personCategories } from '../../cases/model.ts';
import type { Flag, OffenceClass, Stage } from '../../cases/model.ts';
import type { NfaDecision, NfaDecisionKind, NfaReviewRecord, ReviewEvent } from '../../cases/oversight/nfa-review.ts';

// What the pack holds.

export interface PackDecision {
  readonly kind: NfaDecisionKind;
  /** A police outcome code ('16'), or the CPS decision ('nfa_evidential', 'nfa_public_interest'). */
  readonly outcome: string;
  /** Days from the report. */
  readonly day: number;
  /** The rationale (police) or reasons (CPS), scrubbed; null when none was recorded on the platform. */
  readonly rationale: string | null;
  /** CPS decisions: how many suspects the decision was for. */
  readonly suspects: number;
  /** Police NFA on a case ever referred to the CPS: whether the joint meeting was held first. */
  readonly jointMeeting: 'held' | 'not_held' | 'not_required';
  /** Police outcome 16: how the officer spoke to the victim before proposing it. */
  readonly victimContactMethod: string | null;
  /** When the victim was told of the decision (days from the report), and whether with their right to review. */
  readonly victimTold: { readonly day: number | null; readonly rightToReview: boolean } | null;
  /** The decision was later reopened. */
  readonly reopened: boolean;
}

export interface PackEvent {
  readonly day: number;
  /** A key of `timelineEvents`; its words are `scrutiny.event.<event>`. */
  readonly event: string;
  /** A code from a fixed list (a stage, a role, a method, an outcome), or null. */
  readonly detail: string | null;
}

export interface PackCommunication {
  readonly isvaSupport: boolean;
  readonly planAgreed: boolean;
  readonly planRevisions: number;
  readonly frequencyDays: number | null;
  readonly contacts: number;
  readonly reached: number;
  readonly methods: readonly { readonly method: string; readonly count: number }[];
  readonly letters: number;
  readonly toldOfDecision: boolean;
  readonly rightToReviewInformation: boolean;
  readonly reviewRequested: boolean;
  readonly withdrawalRecorded: boolean;
}

export interface ScrutinyPack {
  readonly pseudonym: number;
  readonly offenceClass: OffenceClass;
  readonly flags: readonly Flag[];
  readonly victims: { readonly count: number; readonly ageBands: readonly string[] };
  readonly suspects: number;
  readonly witnesses: number;
  readonly decisions: readonly PackDecision[];
  /** Days from the report to the (latest) decision reviewed. */
  readonly daysToDecision: number;
  readonly jointMeetingHeld: boolean;
  readonly stages: readonly { readonly stage: Stage; readonly day: number }[];
  readonly timeline: readonly PackEvent[];
  readonly communication: PackCommunication;
}

/** Ages at the report, in bands (none finer than the law's own lines at 13 and 16). */
export const ageBands = ['under_13', '13_to_15', '16_to_17', '18_to_24', '25_to_34', '35_to_44', '45_to_54', '55_plus'] as const;

/** Ways of speaking to or reaching a victim, across the parts that record them. Names: `scrutiny.method.<key>`. */
export const contactMethods = ['phone', 'text_message', 'email', 'letter', 'in_person', 'video_call', 'through_isva', 'meeting'] as const;

const oneOf = (list: readonly string[]) => (value: unknown): string | null => (typeof value === 'string' && list.includes(value) ? value : null);

/**
 * The journal events a pack's timeline shows, each with the one code it may
 * carry. Anything else on the journal (and every other field of these) stays out.
 */
export const timelineEvents: Readonly<Record<string, { readonly event: string; readonly detail?: (data: Readonly<Record<string, unknown>>) => string | null }>> = {
  'case.created': { event: 'created' },
  'case.stage-changed': { event: 'stage', detail: (d) => (typeof d.to === 'string' && isStage(d.to) ? d.to : null) },
  'case.team-allocated': { event: 'allocated', detail: (d) => oneOf(caseRoleNames)(d.role) },
  'case.person-added': { event: 'personAdded', detail: (d) => oneOf(personCategories)(d.category) },
  'advice.requested': { event: 'adviceRequested' },
  'advice.not-requested': { event: 'adviceNotRequested' },
  'advice.rejected': { event: 'adviceRejected' },
  'advice.given': { event: 'adviceGiven' },
  'action-plan.issued': { event: 'actionPlanIssued' },
  'action-plan.review-held': { event: 'actionPlanReview', detail: (d) => oneOf(['28', '56', '90'])(String(d.day)) },
  'action-plan.answered': { event: 'actionPlanAnswered' },
  'charging.referred': { event: 'referred', detail: (d) => oneOf(['full_code', 'threshold'])(d.test) },
  'charging.triaged': { event: 'triaged', detail: (d) => oneOf(['accepted', 'returned'])(d.result) },
  'charging.decided': { event: 'chargingDecision', detail: (d) => oneOf(['charge', 'nfa_evidential', 'nfa_public_interest', 'out_of_court_disposal'])(d.decision) },
  'charging.administratively-finalised': { event: 'finalised' },
  'charging.reopened': { event: 'reopened' },
  'conference.recorded': { event: 'conference', detail: (d) => oneOf(['early_case_planning', 'case_management_panel', 'pre_nfa_meeting'])(d.kind) },
  'investigation.suspect-arrested': { event: 'arrested' },
  'investigation.suspect-interviewed': { event: 'interviewed' },
  'investigation.supervisory-review': { event: 'supervisoryReview' },
  'investigation.bail-set': { event: 'bail' },
  'investigation.released-under-investigation': { event: 'rui' },
  'investigation.awaiting-victim': { event: 'awaitingVictim' },
  'investigation.victim-re-engaged': { event: 'victimReEngaged' },
  'police-nfa.victim-contact-recorded': { event: 'nfaVictimContact', detail: (d) => oneOf(contactMethods)(d.method) },
  'police-nfa.proposed': { event: 'nfaProposed', detail: (d) => (/^\d{1,2}$/.test(String(d.outcomeCode)) ? String(d.outcomeCode) : null) },
  'police-nfa.signed-off': { event: 'nfaSignedOff' },
  'police-nfa.decided': { event: 'nfaDecided' },
  'victims.isva.assigned': { event: 'isvaAssigned' },
  'victims.communication.plan-agreed': { event: 'planAgreed' },
  'victims.communication.contact-logged': { event: 'contact', detail: (d) => oneOf(contactMethods)(d.method) },
  'victims.letters.dispatched': { event: 'letter' },
  'victims.rights.entitlement-delivered': { event: 'entitlement' },
  'victims.rights.vrr-requested': { event: 'reviewRequested' },
  'victims.rights.vrr-decided': { event: 'reviewDecided' },
  'victims.withdrawal.recorded': { event: 'withdrawal' },
  'victims.withdrawal.re-engaged': { event: 'reEngaged' },
};

// Scrubbing free text.

/** What the platform knows that says who anyone in a case is. */
export interface KnownIdentifiers {
  readonly names: readonly string[];
  readonly references: readonly string[];
  /** Victims' safe addresses, telephone numbers and email addresses, from their communication plans. */
  readonly addresses: readonly string[];
  readonly phones: readonly string[];
  readonly emails: readonly string[];
}

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const MONTH = '(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)';
const STREET = '(?:Road|Rd|Street|St|Avenue|Ave|Lane|Ln|Close|Drive|Dr|Way|Court|Ct|Place|Pl|Crescent|Cres|Gardens|Gdns|Terrace|Grove|Hill|Park|Square|Sq|Row|Walk|Mews|Rise|View|Green|Parade|Boulevard|Wharf|Yard)';

/** Patterns of identifiers, in the order they are scrubbed (emails before the names inside them, dates before the numbers inside them). */
const patterns: readonly { readonly pattern: RegExp; readonly token: string }[] = [
  { pattern: /[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/g, token: 'email' },
  { pattern: new RegExp(`\\b\\d{4}-\\d{1,2}-\\d{1,2}\\b|\\b\\d{1,2}[/.-]\\d{1,2}[/.-](?:\\d{4}|\\d{2})\\b`, 'g'), token: 'date' },
  { pattern: new RegExp(`\\b\\d{1,2}(?:st|nd|rd|th)?(?:\\s+of)?\\s+${MONTH}\\b\\.?(?:,?\\s+\\d{4})?`, 'gi'), token: 'date' },
  { pattern: new RegExp(`\\b${MONTH}\\.?\\s+\\d{1,2}(?:st|nd|rd|th)?(?:,?\\s+\\d{4})?\\b|\\b${MONTH}\\.?,?\\s+\\d{4}\\b`, 'gi'), token: 'date' },
  { pattern: /\b(?:GIR ?0AA|[A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2})\b/gi, token: 'postcode' },
  { pattern: /(?:\+\s?44\s?(?:\(0\)\s?)?|\(?\b0)\d{2,5}\)?[\s-]?\d{3,4}[\s-]?\d{3,4}\b/g, token: 'phone' },
  // A CPS URN however it is spaced (52AB1234525, 52 AB 12345 25), and crime references of letters, number and year (AS 12345 25).
  { pattern: /\b\d{2}[\s/]?[A-Z]{2}[\s/]?\d{5}[\s/]?\d{2}\b/gi, token: 'reference' },
  { pattern: /\b[A-Z]{1,4}[\s/-]\d{3,8}[\s/-]\d{2,4}\b/g, token: 'reference' },
  { pattern: /\b(?=[A-Z0-9/-]*\d)[A-Z0-9]{1,8}(?:[/-][A-Z0-9]{1,10}){2,}\b/gi, token: 'reference' },
  { pattern: /\b(?=(?:[A-Z]*\d){2})(?=\d*[A-Z])[A-Z0-9]{5,}\b/gi, token: 'reference' },
  { pattern: /\b\d(?:[\s-]?\d){6,}\b/g, token: 'number' },
  { pattern: /\b(?:flat|apartment|apt|unit)\s+\d+[A-Z]?\b/gi, token: 'address' },
  { pattern: new RegExp(`\\b\\d{1,4}[A-Za-z]?,?\\s+(?:[A-Z][A-Za-z'’-]+\\s+){0,3}${STREET}\\b\\.?`, 'g'), token: 'address' },
  { pattern: /\b(?:[A-Z][a-z'’-]+\s+){1,3}(?:Road|Street|Avenue|Lane|Close|Drive|Crescent|Gardens|Terrace|Grove|Mews|Parade)\b/g, token: 'address' },
];

/** A known value (an address line) as a pattern: its words in order, with any spacing or punctuation between them. */
function loose(value: string): RegExp | null {
  const chunks = value.split(/[^A-Za-z0-9]+/).filter((c) => c !== '');
  if (chunks.length === 0) return null;
  return new RegExp(`(?<![A-Za-z0-9])${chunks.map(escape).join('[^A-Za-z0-9]{0,3}')}(?![A-Za-z0-9])`, 'gi');
}

/** A telephone number as a pattern of its digits (without a leading 0 or +44), with anything but digits between them. */
function digitsOf(phone: string): RegExp | null {
  const digits = phone.replace(/\D/g, '').replace(/^(?:44|0)/, '');
  if (digits.length < 6) return null;
  return new RegExp(`(?:\\+?44|0)?[^0-9A-Za-z]{0,3}${digits.split('').join('[^0-9A-Za-z]{0,2}')}(?!\\d)`, 'g');
}

/** The scrubber for one case: replaces every known identifier, and everything shaped like one, with a token such as [name]. */
export function scrubberFor(known: KnownIdentifiers): (text: string) => string {
  const token = (kind: string) => translate(`scrutiny.redacted.${kind}`);
  const exact: { pattern: RegExp; token: string }[] = [];
  for (const email of known.emails) if (email.trim()) exact.push({ pattern: new RegExp(escape(email.trim()), 'gi'), token: 'email' });
  for (const phone of known.phones) {
    const pattern = digitsOf(phone);
    if (pattern) exact.push({ pattern, token: 'phone' });
  }
  // An address line by line (a house and street, a town, a postcode), the longest lines first.
  const lines = known.addresses.flatMap((address) => address.split(/[,\n]+/)).map((line) => line.trim()).filter((line) => line.length >= 3).sort((a, b) => b.length - a.length);
  for (const line of lines) {
    const pattern = loose(line);
    if (pattern) exact.push({ pattern, token: 'address' });
  }
  // A reference character by character: people write 52AS1234525 as 52 AS 12345 25, and AS/123/25 as AS 123 25.
  const compact = (reference: string) => reference.replace(/[^A-Za-z0-9]/g, '');
  for (const reference of [...known.references].sort((a, b) => compact(b).length - compact(a).length)) {
    const chars = compact(reference).split('');
    if (chars.length >= 4) exact.push({ pattern: new RegExp(`(?<![A-Za-z0-9])${chars.map(escape).join('[^A-Za-z0-9]{0,2}')}(?![A-Za-z0-9])`, 'gi'), token: 'reference' });
  }
  // Whole names in any case, then each part of a name as written with a capital (a surname alone, a first name alone).
  const names = [...new Set(known.names.map((n) => n.trim()).filter((n) => n.length >= 2))].sort((a, b) => b.length - a.length);
  const parts = [...new Set(names.flatMap((n) => n.split(/[\s,]+/).flatMap((part) => [part, ...part.split('-')])).map((p) => p.replace(/^[^\p{L}]+|[^\p{L}]+$/gu, '')).filter((p) => p.length >= 2))].sort((a, b) => b.length - a.length);
  const nameRules = [
    ...names.map((name) => ({ pattern: new RegExp(`(?<!\\p{L})${escape(name).replace(/\s+/g, '\\s+')}(?!\\p{L})`, 'giu'), token: 'name' })),
    ...parts.map((part) => ({ pattern: new RegExp(`(?<!\\p{L})${escape(part[0]!.toUpperCase() + part.slice(1))}(?!\\p{L})`, 'gu'), token: 'name' })),
    ...parts.map((part) => ({ pattern: new RegExp(`(?<!\\p{L})${escape(part.toUpperCase())}(?!\\p{L})`, 'gu'), token: 'name' })),
  ];
  const rules = [...exact, ...patterns, ...nameRules];
  return (text) => rules.reduce((scrubbed, rule) => scrubbed.replace(rule.pattern, token(rule.token)), text);
}

// Making the pack.

/** Whole days from `from` to `to` (both London days). */
export function daysBetween(from: PlainDate, to: PlainDate): number {
  return Math.round((Date.UTC(+to.slice(0, 4), +to.slice(5, 7) - 1, +to.slice(8, 10)) - Date.UTC(+from.slice(0, 4), +from.slice(5, 7) - 1, +from.slice(8, 10))) / 86_400_000);
}

function ageBand(dateOfBirth: PlainDate, on: PlainDate): string {
  let age = Number(on.slice(0, 4)) - Number(dateOfBirth.slice(0, 4));
  if (on.slice(5) < dateOfBirth.slice(5)) age -= 1;
  const limits = [13, 16, 18, 25, 35, 45, 55];
  const index = limits.findIndex((limit) => age < limit);
  return ageBands[index === -1 ? ageBands.length - 1 : index]!;
}

const isDate = (value: unknown): value is PlainDate => typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value);

function communicationOf(events: readonly ReviewEvent[], decisions: readonly PackDecision[]): PackCommunication {
  const of = (type: string) => events.filter((e) => e.type === type);
  const contacts = of('victims.communication.contact-logged');
  const methods = new Map<string, number>();
  for (const contact of contacts) {
    const method = oneOf(contactMethods)(contact.data.method);
    if (method) methods.set(method, (methods.get(method) ?? 0) + 1);
  }
  const plans = of('victims.communication.plan-agreed');
  const frequency = plans.at(-1)?.data.frequencyDays;
  const told = decisions.some((d) => d.victimTold !== null);
  return {
    isvaSupport: of('victims.isva.assigned').length > 0,
    planAgreed: plans.length > 0,
    planRevisions: plans.length,
    frequencyDays: typeof frequency === 'number' && Number.isInteger(frequency) ? frequency : null,
    contacts: contacts.length,
    reached: contacts.filter((c) => c.data.reached === true).length,
    methods: contactMethods.filter((m) => methods.has(m)).map((method) => ({ method, count: methods.get(method)! })),
    letters: of('victims.letters.dispatched').length,
    toldOfDecision: told,
    rightToReviewInformation: decisions.some((d) => d.victimTold?.rightToReview === true),
    reviewRequested: of('victims.rights.vrr-requested').length > 0,
    withdrawalRecorded: of('victims.withdrawal.recorded').length > 0,
  };
}

/**
 * The anonymised pack of one case for the decisions selected (those of the
 * period). `known` adds what the case file does not hold (the victims' safe
 * contact details) to the identifiers it does.
 */
export function buildPack(record: NfaReviewRecord, selected: readonly NfaDecision[], pseudonym: number, extra: Pick<KnownIdentifiers, 'addresses' | 'phones' | 'emails'>): ScrutinyPack {
  const scrub = scrubberFor({ ...extra, names: record.identifiers.names, references: record.identifiers.references });
  const day = (on: PlainDate) => daysBetween(record.reportedOn, on);
  const { events } = record;
  const seqOf = (type: string, match: (data: Readonly<Record<string, unknown>>) => boolean) => events.findIndex((e) => e.type === type && match(e.data));
  const referrals = events.flatMap((e, i) => (e.type === 'charging.referred' || e.type === 'advice.requested' ? [i] : []));
  const suspects = record.people.filter((p) => p.category === 'suspect');

  const decisions: PackDecision[] = selected.map((decision) => {
    if (decision.kind === 'police_nfa') {
      const at = seqOf('police-nfa.decided', (d) => d.proposalId === decision.decisionKey);
      const decided = at >= 0 ? events[at]!.data : {};
      const proposed = seqOf('police-nfa.proposed', (d) => d.proposalId === decision.decisionKey);
      const referredBefore = referrals.some((i) => i < (proposed >= 0 ? proposed : at));
      const lastReferral = Math.max(-1, ...referrals.filter((i) => i < (proposed >= 0 ? proposed : at)));
      const met = events.some((e, i) => i > lastReferral && i <= (at >= 0 ? at : events.length) && e.type === 'conference.recorded' && e.data.kind === 'pre_nfa_meeting');
      const contact = events.find((e) => e.type === 'police-nfa.victim-contact-recorded' && e.data.proposalId === decision.decisionKey);
      const row = record.policeDecisions.find((d) => d.proposalId === decision.decisionKey);
      const toldOn = decided.victimToldOn;
      return {
        kind: 'police_nfa', outcome: decision.outcome, day: day(decision.decidedOn),
        rationale: row ? scrub(row.rationale) : null, suspects: suspects.length,
        jointMeeting: referredBefore ? (met ? 'held' : 'not_held') : 'not_required',
        victimContactMethod: contact ? oneOf(contactMethods)(contact.data.method) : null,
        victimTold: isDate(toldOn) ? { day: day(toldOn), rightToReview: decided.rightToReviewGiven === true } : null,
        reopened: events.some((e, i) => i > at && e.type === 'case.stage-changed' && e.data.from === 'police_nfa'),
      };
    }
    const decided = events.filter((e) => e.type === 'charging.decided' && e.data.referralId === decision.decisionKey && e.data.decision === decision.outcome);
    const rows = record.cpsDecisions.filter((d) => d.referralId === decision.decisionKey && d.kind === decision.outcome);
    const reasons = [...new Set(rows.map((r) => r.reasons.trim()).filter((r) => r !== ''))];
    const last = events.findLastIndex((e) => e.type === 'charging.decided' && e.data.referralId === decision.decisionKey);
    // The CPS tells the victim by the no-charge letter or the Victims' Code entitlement: both carry the right to review.
    const told = events.find((e, i) => i > last && ((e.type === 'victims.rights.entitlement-delivered' && e.data.entitlement === 'cps-no-charge') || (e.type === 'victims.letters.dispatched' && e.data.template === 'cps-no-charge')));
    return {
      kind: 'cps_nfa', outcome: decision.outcome, day: day(decision.decidedOn),
      rationale: reasons.length ? scrub(reasons.join('\n\n')) : null, suspects: Math.max(1, decided.length),
      jointMeeting: 'not_required', victimContactMethod: null,
      victimTold: told ? { day: day(told.on), rightToReview: true } : null,
      reopened: events.some((e, i) => i > last && e.type === 'charging.reopened'),
    };
  });

  const stages: { stage: Stage; day: number }[] = [];
  const timeline: PackEvent[] = [];
  for (const event of events) {
    const shown = timelineEvents[event.type];
    if (event.type === 'case.created') stages.push({ stage: isStage(String(event.data.stage)) ? (event.data.stage as Stage) : 'crime_recorded', day: day(event.on) });
    if (event.type === 'case.stage-changed' && typeof event.data.to === 'string' && isStage(event.data.to)) stages.push({ stage: event.data.to, day: day(event.on) });
    if (shown) timeline.push({ day: day(event.on), event: shown.event, detail: shown.detail ? shown.detail(event.data) : null });
  }
  const victims = record.people.filter((p) => p.category === 'victim');
  return {
    pseudonym,
    offenceClass: record.offenceClass,
    flags: flagNames.filter((flag) => record.flags[flag]),
    victims: { count: victims.length, ageBands: victims.flatMap((v) => (v.dateOfBirth ? [ageBand(v.dateOfBirth, record.reportedOn)] : [])) },
    suspects: suspects.length,
    witnesses: record.people.filter((p) => p.category === 'witness').length,
    decisions,
    daysToDecision: Math.max(...decisions.map((d) => d.day)),
    jointMeetingHeld: events.some((e) => e.type === 'conference.recorded' && e.data.kind === 'pre_nfa_meeting'),
    stages,
    timeline,
    communication: communicationOf(events, decisions),
  };
}
