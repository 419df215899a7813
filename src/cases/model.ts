// The joint case file: the stages a case moves through (DOMAIN §3) as an
// explicit state machine, offence classes, people and team roles, and the
// rules the inputs must follow. Reference data lives here as `as const`
// objects, so a change of policy is a reviewed change of data.
import type { Role } from '../platform/access/roles.ts';
import type { FieldError } from '../platform/web/errors.ts';
import { translate } from '../platform/i18n/messages.ts';
import { isCalendarDate } from '../platform/time/clock.ts';
import type { PlainDate } from '../platform/time/working-days.ts';

/** Each stage and the stages a case may move to from it; its name is the message `cases.stage.<key>`. */
export const stages = {
  report: { next: ['crime_recorded'] },
  crime_recorded: { next: ['initial_response', 'investigation', 'police_nfa'] },
  initial_response: { next: ['investigation', 'police_nfa'] },
  investigation: { next: ['early_advice', 'charging_referral', 'police_nfa'] },
  early_advice: { next: ['investigation', 'action_plan', 'charging_referral', 'police_nfa', 'administratively_finalised'] },
  charging_referral: { next: ['investigation', 'charged', 'action_plan', 'cps_nfa', 'out_of_court_disposal', 'administratively_finalised'] },
  action_plan: { next: ['charging_referral', 'police_nfa', 'administratively_finalised'] },
  administratively_finalised: { next: ['investigation'] },
  // A decision not to proceed may be reopened (after a right-to-review request, say).
  police_nfa: { next: ['investigation'] },
  cps_nfa: { next: ['charging_referral'] },
  out_of_court_disposal: { next: [] },
  charged: { next: ['court'] },
  court: { next: ['completed'] },
  completed: { next: [] },
} as const satisfies Record<string, { next: readonly string[] }>;

export type Stage = keyof typeof stages;
export const stageNames = Object.keys(stages) as Stage[];
export const FIRST_STAGES: readonly Stage[] = ['report', 'crime_recorded'];

export function isStage(value: string): value is Stage {
  return Object.hasOwn(stages, value);
}

export function stageName(stage: Stage): string {
  return translate(`cases.stage.${stage}`);
}

export function nextStages(from: Stage): readonly Stage[] {
  return stages[from].next;
}

export function canTransition(from: Stage, to: Stage): boolean {
  return (stages[from].next as readonly Stage[]).includes(to);
}

/** Why a move is refused, in words a user can act on; null when it is allowed. */
export function transitionProblem(from: Stage, to: string): string | null {
  if (!isStage(to)) return translate('cases.move.selectStage');
  if (canTransition(from, to)) return null;
  if (from === to) return translate('cases.move.alreadyAt', { stage: stageName(from) });
  const allowed = nextStages(from).map((stage) => translate('cases.move.allowedStage', { stage: stageName(stage) }));
  return allowed.length
    ? translate('cases.move.notAllowed', { from: stageName(from), to: stageName(to), allowed: allowed.join(', ') })
    : translate('cases.move.closed', { from: stageName(from) });
}

/**
 * Moves that a command of their own makes, with what that command records:
 * the generic "move stage" form refuses them and says where to go instead.
 * Each command's name is the message `cases.move.command.<command>`.
 */
const movesByCommand: readonly { readonly to: Stage; readonly from?: readonly Stage[]; readonly command: string }[] = [
  { to: 'investigation', from: ['administratively_finalised', 'police_nfa'], command: 'reopen' },
  { to: 'charging_referral', from: ['cps_nfa'], command: 'reopen' },
  { to: 'investigation', from: ['charging_referral'], command: 'triage' },
  { to: 'early_advice', command: 'requestEarlyAdvice' },
  { to: 'action_plan', command: 'issueActionPlan' },
  { to: 'charging_referral', command: 'referForCharging' },
  { to: 'charged', command: 'chargingDecision' },
  { to: 'cps_nfa', command: 'chargingDecision' },
  { to: 'out_of_court_disposal', command: 'chargingDecision' },
  { to: 'administratively_finalised', command: 'administrativelyFinalise' },
  { to: 'police_nfa', command: 'policeNfa' },
  { to: 'court', command: 'firstHearing' },
  { to: 'completed', command: 'courtOutcome' },
];

/** The name of the command that makes this move, if one does; null for moves the generic form may make. */
export function commandForMove(from: Stage, to: Stage): string | null {
  const command = movesByCommand.find((move) => move.to === to && (!move.from || move.from.includes(from)))?.command;
  return command ? translate(`cases.move.command.${command}`) : null;
}

/** The moves the generic "move stage" form may make from a stage. */
export function manualNextStages(from: Stage): Stage[] {
  return nextStages(from).filter((to) => commandForMove(from, to) === null);
}

/** Why the generic form may not make this move, naming the command that does; null when it may. */
export function manualMoveProblem(from: Stage, to: Stage): string | null {
  const command = commandForMove(from, to);
  return command ? translate('cases.move.useCommand', { stage: stageName(to), command }) : null;
}

/** The deadline each stage starts (by rule key): leaving the stage meets it. */
export const stageDeadlineRules: Partial<Record<Stage, string>> = {
  early_advice: 'early-advice.response',
  action_plan: 'action-plan.review',
};

/** Stages that end the case's progress: entering one cancels every deadline still open, except duties whose rule outlives the case's closing. */
export const closingStages: readonly Stage[] = ['police_nfa', 'cps_nfa', 'out_of_court_disposal', 'completed', 'administratively_finalised'];

// The lists below are keys, in the order they are offered; each one's name is
// the message `cases.offence.<key>`, `cases.flag.<key>` or `cases.category.<key>`.
export const offenceClasses = ['rape_16_plus', 'rape_under_13', 'rape_13_to_15', 'assault_by_penetration', 'other_serious_sexual_offence'] as const;

export type OffenceClass = (typeof offenceClasses)[number];

export function isOffenceClass(value: string): value is OffenceClass {
  return (offenceClasses as readonly string[]).includes(value);
}

export function offenceName(offence: OffenceClass): string {
  return translate(`cases.offence.${offence}`);
}

export const flags = ['domesticAbuse', 'repeatSuspect', 'vulnerableVictim', 'childVictim'] as const;
export type Flag = (typeof flags)[number];
export type Flags = Readonly<Record<Flag, boolean>>;

export function flagName(flag: Flag): string {
  return translate(`cases.flag.${flag}`);
}

export const personCategories = ['victim', 'suspect', 'witness'] as const;
export type PersonCategory = (typeof personCategories)[number];

export function isPersonCategory(value: string): value is PersonCategory {
  return (personCategories as readonly string[]).includes(value);
}

export function categoryName(category: PersonCategory): string {
  return translate(`cases.category.${category}`);
}

/**
 * Roles on a case team: each has one holder at a time, is held by someone
 * from the case's force or CPS Area with a fitting platform role, and is
 * allocated by the people named in `allocatedBy` in that organisation. Each
 * role's name is the message `cases.role.<key>` (and, inside a sentence,
 * `cases.roleInText.<key>`).
 */
export const caseRoles = {
  oic: { side: 'police', holders: ['investigator', 'police_supervisor'], allocatedBy: ['police_supervisor'] },
  supervisor: { side: 'police', holders: ['police_supervisor'], allocatedBy: ['police_supervisor'] },
  prosecutor: { side: 'cps', holders: ['prosecutor', 'dcp'], allocatedBy: ['dcp', 'head_of_rasso'] },
  dcp: { side: 'cps', holders: ['dcp'], allocatedBy: ['dcp', 'head_of_rasso'] },
  paralegal: { side: 'cps', holders: ['paralegal'], allocatedBy: ['dcp', 'head_of_rasso'] },
  vlo: { side: 'cps', holders: ['vlo'], allocatedBy: ['dcp', 'head_of_rasso'] },
} as const satisfies Record<string, { side: 'police' | 'cps'; holders: readonly Role[]; allocatedBy: readonly Role[] }>;

export type CaseRole = keyof typeof caseRoles;
export const caseRoleNames = Object.keys(caseRoles) as CaseRole[];

export function isCaseRole(value: string): value is CaseRole {
  return Object.hasOwn(caseRoles, value);
}

/** The role's name as a heading or label, e.g. 'Officer in the case'. */
export function caseRoleName(role: CaseRole): string {
  return translate(`cases.role.${role}`);
}

/** The role's name inside a sentence, e.g. 'is already the officer in the case'. */
export function caseRoleNameInText(role: CaseRole): string {
  return translate(`cases.roleInText.${role}`);
}

/** The case roles a person acting with these roles may allocate on their side of the case. */
export function allocatableRoles(actorRoles: readonly Role[], side: 'police' | 'cps'): CaseRole[] {
  return caseRoleNames.filter((role) => caseRoles[role].side === side && (caseRoles[role].allocatedBy as readonly Role[]).some((r) => actorRoles.includes(r)));
}

export function mayHoldCaseRole(caseRole: CaseRole, platformRoles: readonly Role[]): boolean {
  return (caseRoles[caseRole].holders as readonly Role[]).some((role) => platformRoles.includes(role));
}

/** Case lists are shown this many to a page. */
export const PAGE_SIZE = 25;
export const MAX_VERSION = 2_147_483_647;
export const MAX_NAME = 100;
export const MAX_REASON = 1000;

/** The orders a case list may be sorted in; each one's heading is the message `cases.sort.<key>`. */
export const caseSorts = ['reference', 'stage', 'reported', 'updated'] as const;
export type CaseSort = (typeof caseSorts)[number];

export function isCaseSort(value: string): value is CaseSort {
  return (caseSorts as readonly string[]).includes(value);
}

export function caseSortName(sort: CaseSort): string {
  return translate(`cases.sort.${sort}`);
}

export type SortOrder = 'ascending' | 'descending';

// Forces write crime references in many ways (e.g. 5223001234, AS/12345/25,
// 47-000123-24): letters, digits and a few separators, beginning with a letter or digit.
const POLICE_REFERENCE = /^[A-Z0-9][A-Z0-9/ \-.]{3,39}$/;

export function normaliseReference(text: string): string {
  return text.trim().replace(/\s+/g, ' ').toUpperCase();
}

export function normaliseName(text: string): string {
  return text.trim().replace(/\s+/g, ' ');
}

/** A date as the three boxes of the GOV.UK date input. */
export interface DateParts {
  readonly day: string;
  readonly month: string;
  readonly year: string;
}

export interface DateRules {
  readonly field: string;
  /** What the date is, for messages, e.g. 'The date the offence was reported'. */
  readonly label: string;
  readonly required: boolean;
  /** The latest acceptable date (today, for dates in the past). */
  readonly notAfter: PlainDate;
  readonly notBefore?: PlainDate;
}

/**
 * Reads a GOV.UK date input, with the messages its pattern recommends.
 * Errors name the first box to fix (`field-day`, `field-month`, `field-year`).
 */
export function parseDateParts(parts: DateParts, rules: DateRules): { date: PlainDate | null; error: FieldError | null } {
  const { field, label } = rules;
  const values = { day: parts.day.trim(), month: parts.month.trim(), year: parts.year.trim() };
  const empty = (['day', 'month', 'year'] as const).filter((part) => values[part] === '');
  const fail = (part: 'day' | 'month' | 'year', message: string) => ({ date: null, error: { field: `${field}-${part}`, message } });
  if (empty.length === 3) return rules.required ? fail('day', `Enter ${label.toLowerCase()}`) : { date: null, error: null };
  if (empty.length > 0) return fail(empty[0]!, `${label} must include a ${empty.join(' and ')}`);
  if (!/^\d{1,2}$/.test(values.day)) return fail('day', `${label} must be a real date`);
  if (!/^\d{1,2}$/.test(values.month)) return fail('month', `${label} must be a real date`);
  if (!/^\d{4}$/.test(values.year)) return fail('year', `Year must include 4 numbers`);
  const date = `${values.year}-${values.month.padStart(2, '0')}-${values.day.padStart(2, '0')}`;
  if (!isCalendarDate(date)) return fail('day', `${label} must be a real date`);
  if (date > rules.notAfter) return fail('day', `${label} must be today or in the past`);
  if (rules.notBefore && date < rules.notBefore) return fail('year', `${label} must be after ${rules.notBefore.slice(0, 4)}`);
  return { date, error: null };
}

export interface NewCaseInput {
  readonly policeReference: string;
  readonly cpsAreaId: string;
  readonly offenceClass: string;
  readonly flags: readonly string[];
  readonly reportedOn: DateParts;
}

export interface ValidNewCase {
  readonly policeReference: string;
  readonly cpsAreaId: string;
  readonly offenceClass: OffenceClass;
  readonly flags: Flags;
  readonly reportedOn: PlainDate;
}

/** Checks a new case's fields; the CPS Area is checked against the directory by the service. */
export function newCaseErrors(input: NewCaseInput, today: PlainDate): { value: ValidNewCase | null; errors: FieldError[] } {
  const errors: FieldError[] = [];
  const policeReference = normaliseReference(input.policeReference);
  if (policeReference === '') errors.push({ field: 'policeReference', message: 'Enter the crime reference' });
  else if (!POLICE_REFERENCE.test(policeReference)) errors.push({ field: 'policeReference', message: 'Crime reference must be 4 to 40 letters, numbers, spaces, hyphens, full stops or slashes' });
  if (input.cpsAreaId === '') errors.push({ field: 'cpsAreaId', message: 'Select the CPS Area' });
  if (!isOffenceClass(input.offenceClass)) errors.push({ field: 'offenceClass', message: 'Select the offence' });
  const unknownFlag = input.flags.find((flag) => !(flags as readonly string[]).includes(flag));
  if (unknownFlag !== undefined) errors.push({ field: 'flags', message: 'Select only the flags listed' });
  const reported = parseDateParts(input.reportedOn, { field: 'reportedOn', label: 'The date it was reported', required: true, notAfter: today, notBefore: '1900-01-01' });
  if (reported.error) errors.push(reported.error);
  if (errors.length || !reported.date || !isOffenceClass(input.offenceClass)) return { value: null, errors };
  return {
    value: {
      policeReference,
      cpsAreaId: input.cpsAreaId,
      offenceClass: input.offenceClass,
      flags: Object.fromEntries(flags.map((flag) => [flag, input.flags.includes(flag)])) as Record<Flag, boolean>,
      reportedOn: reported.date,
    },
    errors,
  };
}

export interface NewPersonInput {
  readonly category: string;
  readonly name: string;
  readonly dateOfBirth: DateParts;
}

export interface ValidNewPerson {
  readonly category: PersonCategory;
  readonly name: string;
  readonly dateOfBirth: PlainDate | null;
}

export function newPersonErrors(input: NewPersonInput, today: PlainDate): { value: ValidNewPerson | null; errors: FieldError[] } {
  const errors: FieldError[] = [];
  if (!isPersonCategory(input.category)) errors.push({ field: 'category', message: 'Select whether the person is a victim, suspect or witness' });
  const name = normaliseName(input.name);
  if (name === '') errors.push({ field: 'name', message: 'Enter the person’s name' });
  else if (name.length > MAX_NAME) errors.push({ field: 'name', message: `Name must be ${MAX_NAME} characters or fewer` });
  const born = parseDateParts(input.dateOfBirth, { field: 'dateOfBirth', label: 'Date of birth', required: false, notAfter: today, notBefore: '1900-01-01' });
  if (born.error) errors.push(born.error);
  if (errors.length || !isPersonCategory(input.category)) return { value: null, errors };
  return { value: { category: input.category, name, dateOfBirth: born.date }, errors };
}

export function reasonErrors(reason: string): FieldError[] {
  const text = reason.trim();
  if (text === '') return [{ field: 'reason', message: 'Enter why you need to open this case' }];
  if (text.length < 10) return [{ field: 'reason', message: 'Reason must be at least 10 characters: say why you need to see the case' }];
  if (text.length > MAX_REASON) return [{ field: 'reason', message: `Reason must be ${MAX_REASON} characters or fewer` }];
  return [];
}

// What the case file looks like outside the database.

export interface CaseSummary {
  readonly id: string;
  readonly policeReference: string;
  readonly cpsUrn: string | null;
  readonly courtCaseNumber: string | null;
  readonly forceId: string;
  readonly forceName: string;
  readonly cpsAreaId: string;
  readonly cpsAreaName: string;
  readonly stage: Stage;
  readonly offenceClass: OffenceClass;
  readonly flags: Flags;
  readonly reportedOn: PlainDate;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly version: number;
}

export interface CasePerson {
  readonly id: string;
  readonly category: PersonCategory;
  readonly name: string;
  readonly dateOfBirth: PlainDate | null;
}

export interface TeamMember {
  readonly id: string;
  readonly userId: string;
  readonly name: string;
  readonly organisationId: string;
  readonly organisationName: string;
  readonly role: CaseRole;
  readonly allocatedAt: string;
  readonly endedAt: string | null;
}

export interface CaseEvent {
  readonly id: string;
  readonly seq: number;
  readonly type: string;
  readonly occurredAt: string;
  readonly recordedAt: string;
  readonly actorUserId: string | null;
  readonly actorName: string | null;
  readonly data: Readonly<Record<string, unknown>>;
}

export interface CaseFile {
  readonly summary: CaseSummary;
  readonly people: readonly CasePerson[];
  /** Active allocations first, then ended ones, newest first. */
  readonly team: readonly TeamMember[];
  /** Newest first. */
  readonly events: readonly CaseEvent[];
}

export interface CasePage {
  readonly cases: readonly CaseSummary[];
  /** The due date of each listed case's earliest open deadline, where it has one. */
  readonly nextDue: ReadonlyMap<string, PlainDate>;
  readonly total: number;
  readonly page: number;
  readonly pages: number;
  readonly sort: CaseSort;
  readonly order: SortOrder;
}

/** A one-line description of a journal event for the timeline. */
export function describeEvent(event: Pick<CaseEvent, 'type' | 'data'>): { title: string; text: string } {
  const data = event.data as Record<string, string | undefined>;
  const stage = (value: string | undefined) => (value && isStage(value) ? stageName(value) : translate('cases.event.unknownStage'));
  const role = (value: string | undefined) => (value && isCaseRole(value) ? caseRoleName(value) : translate('cases.event.unknownRole'));
  const name = (value: string | undefined) => value ?? translate('cases.event.someone');
  switch (event.type) {
    case 'case.created':
      return { title: translate('cases.event.created.title'), text: translate('cases.event.created.text', { stage: stage(data.stage) }) };
    case 'case.stage-changed':
      return { title: translate('cases.event.stageChanged.title'), text: translate('cases.event.stageChanged.text', { from: stage(data.from), to: stage(data.to) }) };
    case 'case.person-added':
      return { title: translate('cases.event.personAdded.title'), text: translate(`cases.event.personAdded.${isPersonCategory(data.category ?? '') ? data.category : 'unknown'}`) };
    case 'case.team-allocated':
      return {
        title: translate('cases.event.teamAllocated.title', { role: role(data.role) }),
        text: data.replaces
          ? translate('cases.event.teamAllocated.tookOver', { name: name(data.name), previous: data.replacesName ?? translate('cases.event.previousHolder') })
          : translate('cases.event.teamAllocated.allocated', { name: name(data.name) }),
      };
    case 'scrutiny.queued':
      return { title: translate('cases.event.scrutinyQueued.title'), text: translate('cases.event.scrutinyQueued.text') };
    case 'victim-letter.queued':
      return { title: translate('cases.event.victimLetterQueued.title'), text: translate('cases.event.victimLetterQueued.text') };
    default:
      return { title: event.type, text: '' };
  }
}
