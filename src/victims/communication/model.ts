// Keeping in touch with a victim (DOMAIN §3, §5): the communication plan
// agreed by the officer in the case with the victim's ISVA (how often, how,
// by whom, in which language, and the safe-contact rules), the contact log
// shared by police, CPS and ISVA, and who may record what. Pure: validation,
// rules and the safe-contact check; names come from the message catalogue.
import { translate } from '../../platform/i18n/messages.ts';
import type { FieldError } from '../../platform/web/errors.ts';
import { addCalendarDays } from '../../platform/time/working-days.ts';
import type { PlainDate } from '../../platform/time/working-days.ts';
import { parseDateParts } from '../../cases/model.ts';
import type { DateParts } from '../../cases/model.ts';
import { isContactMethod, isLanguage, isUpdater } from '../model.ts';
import type { ContactMethod, Language, SafeContactRules, Updater } from '../model.ts';

export const CONTACT_RULE = 'victims.contact-due';
export const MAX_FREQUENCY_DAYS = 365;
export const MAX_TEXT = 2000;
export const MAX_SAFE_DETAIL = 300;
/** A next contact further ahead than this is a typing mistake, not a plan. */
export const MAX_NEXT_CONTACT_DAYS = 366;

/** Who logged a contact, as shown on the timeline. Names: `victims.communication.role.<key>`. */
export const contactRoles = ['oic', 'supervisor', 'prosecutor', 'dcp', 'paralegal', 'vlo', 'police_supervisor', 'escalation_lead', 'head_of_rasso', 'isva'] as const;
export type ContactRole = (typeof contactRoles)[number];
export const isContactRole = (value: string): value is ContactRole => (contactRoles as readonly string[]).includes(value);
export const contactRoleName = (role: string): string => (isContactRole(role) ? translate(`victims.communication.role.${role}`) : role);

export type ContactSide = 'police' | 'cps' | 'isva';
export const sideName = (side: string): string => translate(`victims.communication.side.${side === 'police' || side === 'cps' ? side : 'isva'}`);

const m = (key: string, params: Record<string, string | number> = {}) => translate(`victims.communication.error.${key}`, params);

function optionalText(field: string, value: string, max: number): FieldError[] {
  return value.trim().length > max ? [{ field, message: m('tooLong', { max }) }] : [];
}

// The communication plan

export interface PlanInput {
  readonly frequencyDays: string;
  readonly methods: readonly string[];
  readonly updaters: readonly string[];
  readonly preferredLanguage: string;
  readonly noVoicemail: boolean;
  readonly noPostToHome: boolean;
  readonly safeAddress: string;
  readonly safePhone: string;
  readonly safeEmail: string;
  readonly otherRules: string;
  readonly agreedOn: DateParts;
  /** The officer records that the victim's current ISVA agreed the plan. */
  readonly agreedWithIsva: boolean;
  readonly changeReason: string;
}

export interface ValidPlan extends SafeContactRules {
  readonly frequencyDays: number;
  readonly updaters: readonly Updater[];
  readonly agreedOn: PlainDate;
  readonly agreedWithIsva: boolean;
  readonly changeReason: string | null;
}

export interface PlanFacts {
  readonly today: PlainDate;
  /** The revision in force now, if any: a change to it needs a reason. */
  readonly currentRevision: number | null;
  /** Whether the victim has an ISVA now (an agreement with "the ISVA" needs one). */
  readonly hasIsva: boolean;
}

const nullable = (text: string) => (text.trim() === '' ? null : text.trim());

export function planErrors(input: PlanInput, facts: PlanFacts): { value: ValidPlan | null; errors: FieldError[] } {
  const errors: FieldError[] = [];
  const frequency = /^\d{1,3}$/.test(input.frequencyDays.trim()) ? Number(input.frequencyDays.trim()) : NaN;
  if (!(frequency >= 1 && frequency <= MAX_FREQUENCY_DAYS)) errors.push({ field: 'frequencyDays', message: m(input.frequencyDays.trim() === '' ? 'frequencyMissing' : 'frequency', { max: MAX_FREQUENCY_DAYS }) });
  const methods = [...new Set(input.methods)];
  if (methods.length === 0 || !methods.every(isContactMethod)) errors.push({ field: 'methods', message: m('methods') });
  const updaters = [...new Set(input.updaters)];
  if (updaters.length === 0 || !updaters.every(isUpdater)) errors.push({ field: 'updaters', message: m('updaters') });
  if (!isLanguage(input.preferredLanguage)) errors.push({ field: 'preferredLanguage', message: m('language') });
  errors.push(...optionalText('safeAddress', input.safeAddress, MAX_SAFE_DETAIL), ...optionalText('safePhone', input.safePhone, MAX_SAFE_DETAIL), ...optionalText('safeEmail', input.safeEmail, MAX_SAFE_DETAIL), ...optionalText('otherRules', input.otherRules, MAX_TEXT));
  const agreed = parseDateParts(input.agreedOn, { field: 'agreedOn', label: translate('victims.communication.plan.agreedOnLabel'), required: true, notAfter: facts.today, notBefore: '2000-01-01' });
  if (agreed.error) errors.push(agreed.error);
  if (input.agreedWithIsva && !facts.hasIsva) errors.push({ field: 'agreedWithIsva', message: m('noIsva') });
  let changeReason: string | null = null;
  if (facts.currentRevision !== null) {
    changeReason = input.changeReason.trim();
    if (changeReason === '') errors.push({ field: 'changeReason', message: m('reason') });
    else errors.push(...optionalText('changeReason', changeReason, MAX_TEXT));
  }
  if (errors.length || !agreed.date || !isLanguage(input.preferredLanguage)) return { value: null, errors };
  return {
    value: {
      frequencyDays: frequency, methods: methods as ContactMethod[], updaters: updaters as Updater[], preferredLanguage: input.preferredLanguage as Language,
      noVoicemail: input.noVoicemail, noPostToHome: input.noPostToHome,
      safeAddress: nullable(input.safeAddress), safePhone: nullable(input.safePhone), safeEmail: nullable(input.safeEmail), otherRules: input.otherRules.trim(),
      agreedOn: agreed.date, agreedWithIsva: input.agreedWithIsva, changeReason,
    },
    errors,
  };
}

// The contact log

export interface ContactInput {
  readonly on: DateParts;
  /** The time in London, 24-hour HH:MM. */
  readonly at: string;
  readonly method: string;
  /** 'yes' or 'no'. */
  readonly reached: string;
  readonly voicemailLeft: boolean;
  readonly postedToHome: boolean;
  readonly summary: string;
  /** Empty for the plan's frequency from the day of the contact. */
  readonly nextContactOn: DateParts;
}

export interface ValidContact {
  readonly contactAt: string;
  readonly on: PlainDate;
  readonly method: ContactMethod;
  readonly reached: boolean;
  readonly voicemailLeft: boolean;
  readonly postedToHome: boolean;
  readonly summary: string;
  readonly nextContactOn: PlainDate;
}

export interface ContactFacts {
  readonly now: Date;
  readonly today: PlainDate;
  /** The plan in force: its frequency sets the next contact by default; its rules are checked. */
  readonly plan: (SafeContactRules & { readonly frequencyDays: number }) | null;
}

/** The UTC instant of a wall-clock time in London on a day (the clock change handled by Intl). */
export function londonInstant(date: PlainDate, time: string): string {
  const [hour, minute] = time.split(':').map(Number) as [number, number];
  const guess = Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10)), hour, minute);
  const parts = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).formatToParts(new Date(guess));
  const shown = Number(parts.find((p) => p.type === 'hour')!.value) * 60 + Number(parts.find((p) => p.type === 'minute')!.value);
  const offset = ((shown - (hour * 60 + minute)) + 1440) % 1440;
  return new Date(guess - (offset > 720 ? offset - 1440 : offset) * 60_000).toISOString();
}

/** What the safe-contact rules forbid about a contact, as field errors (empty when it is safe). */
export function unsafeContactErrors(contact: { method: string; voicemailLeft: boolean; postedToHome: boolean }, rules: SafeContactRules | null): FieldError[] {
  if (!rules) return [];
  const errors: FieldError[] = [];
  if (rules.noVoicemail && contact.method === 'phone' && contact.voicemailLeft) errors.push({ field: 'voicemailLeft', message: m('unsafeVoicemail') });
  if (rules.noPostToHome && contact.method === 'letter' && contact.postedToHome) errors.push({ field: 'postedToHome', message: m('unsafePost') });
  return errors;
}

export function contactErrors(input: ContactInput, facts: ContactFacts): { value: ValidContact | null; errors: FieldError[] } {
  const errors: FieldError[] = [];
  const on = parseDateParts(input.on, { field: 'on', label: translate('victims.communication.contact.onLabel'), required: true, notAfter: facts.today, notBefore: '2000-01-01' });
  if (on.error) errors.push(on.error);
  const time = /^([01]?\d|2[0-3]):([0-5]\d)$/.exec(input.at.trim().replace('.', ':'));
  if (!time) errors.push({ field: 'at', message: m(input.at.trim() === '' ? 'timeMissing' : 'time') });
  const at = time ? `${time[1]!.padStart(2, '0')}:${time[2]}` : null;
  const contactAt = on.date && at ? londonInstant(on.date, at) : null;
  if (contactAt && contactAt > facts.now.toISOString()) errors.push({ field: 'at', message: m('future') });
  if (!isContactMethod(input.method)) errors.push({ field: 'method', message: m('method') });
  if (input.reached !== 'yes' && input.reached !== 'no') errors.push({ field: 'reached', message: m('reached') });
  const summary = input.summary.trim();
  if (summary === '') errors.push({ field: 'summary', message: m('summary') });
  else errors.push(...optionalText('summary', summary, MAX_TEXT));
  // Only a phone call leaves a voicemail, and only a letter goes to the home address.
  const voicemailLeft = input.method === 'phone' && input.voicemailLeft;
  const postedToHome = input.method === 'letter' && input.postedToHome;
  errors.push(...unsafeContactErrors({ method: input.method, voicemailLeft, postedToHome }, facts.plan));
  let nextContactOn: PlainDate | null = null;
  const next = parseDateParts(input.nextContactOn, { field: 'nextContactOn', label: translate('victims.communication.contact.nextLabel'), required: false, notAfter: '9999-12-31' });
  if (next.error) errors.push(next.error);
  else if (next.date) nextContactOn = next.date;
  else if (on.date && facts.plan) nextContactOn = addCalendarDays(on.date, facts.plan.frequencyDays);
  else if (on.date) errors.push({ field: 'nextContactOn-day', message: m('nextNoPlan') });
  if (on.date && nextContactOn && (nextContactOn <= on.date || nextContactOn > addCalendarDays(on.date, MAX_NEXT_CONTACT_DAYS))) {
    errors.push({ field: 'nextContactOn-day', message: m('nextRange', { max: MAX_NEXT_CONTACT_DAYS }) });
  }
  if (errors.length || !on.date || !contactAt || !nextContactOn || !isContactMethod(input.method)) return { value: null, errors };
  return { value: { contactAt, on: on.date, method: input.method, reached: input.reached === 'yes', voicemailLeft, postedToHome, summary, nextContactOn }, errors };
}

// Who may do what

export interface CommunicationPowers {
  /** Record who supports the victim: the OIC, a police supervisor, the VLO or a DCP of the case. */
  readonly recordIsva: boolean;
  /** Agree the plan: the OIC or a police supervisor, or the victim's ISVA. */
  readonly recordPlan: boolean;
  /** Log a contact: anyone who works on the victim's records. */
  readonly logContact: boolean;
}

export interface PowerFacts {
  readonly viewer: 'case' | 'isva';
  readonly side: 'police' | 'cps' | null;
  /** Whether the person may work on the victim's records at all. */
  readonly mayWork: boolean;
  readonly platformRoles: readonly string[];
  /** The case roles the person holds on the case's team now. */
  readonly caseRoles: readonly string[];
}

export function communicationPowers(facts: PowerFacts): CommunicationPowers {
  if (!facts.mayWork) return { recordIsva: false, recordPlan: false, logContact: false };
  if (facts.viewer === 'isva') return { recordIsva: false, recordPlan: true, logContact: true };
  const police = facts.side === 'police' && (facts.caseRoles.includes('oic') || facts.platformRoles.includes('police_supervisor'));
  const cps = facts.side === 'cps' && (facts.caseRoles.includes('vlo') || facts.platformRoles.includes('dcp'));
  return { recordIsva: police || cps, recordPlan: police, logContact: facts.side !== null };
}

/** The role a contact is shown under: the person's role on the case's team, else the role they supervise it by. */
export function contactRoleOf(facts: PowerFacts): ContactRole | null {
  if (facts.viewer === 'isva') return 'isva';
  const order: readonly ContactRole[] = ['oic', 'vlo', 'prosecutor', 'paralegal', 'supervisor', 'dcp'];
  const onTeam = order.find((role) => facts.caseRoles.includes(role));
  if (onTeam) return onTeam;
  const supervising: readonly ContactRole[] = ['police_supervisor', 'escalation_lead', 'dcp', 'head_of_rasso'];
  return supervising.find((role) => facts.platformRoles.includes(role)) ?? null;
}

// What the records look like outside the database.

export interface ContactView {
  readonly id: string;
  readonly contactAt: string;
  readonly method: string;
  readonly reached: boolean;
  readonly voicemailLeft: boolean;
  readonly postedToHome: boolean;
  readonly summary: string;
  readonly nextContactOn: PlainDate;
  readonly byName: string;
  readonly bySide: ContactSide;
  readonly byRole: string;
  readonly recordedAt: string;
}

/** The victim's contact clock now. */
export interface ContactClock {
  readonly nextContactDue: PlainDate | null;
  readonly overdue: boolean;
}
