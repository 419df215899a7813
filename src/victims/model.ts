// The victims' records (DOMAIN §3, §5): who each victim is in a case, the ISVA
// supporting them, and the vocabulary every victims' part shares: how a
// victim may be contacted, who updates them, the language they want, and the
// safe-contact rules every contact and letter must respect. Names are in the
// message catalogue (`victims.method.<key>`, `victims.updater.<key>`, ...).
import { translate } from '../platform/i18n/messages.ts';
import type { PlainDate } from '../platform/time/working-days.ts';

/** A victim in a case: a person of the case file in the victim category. */
export interface Victim {
  readonly id: string;
  readonly caseId: string;
  readonly name: string;
  readonly dateOfBirth: PlainDate | null;
}

/** The ISVA supporting a victim now. */
export interface VictimIsva {
  readonly id: string;
  readonly userId: string;
  readonly name: string;
  readonly serviceId: string;
  readonly serviceName: string;
  readonly startedAt: string;
}

/**
 * How the viewer sees a victim's records: 'case' for the case team and those
 * supervising it (break-glass readers included), 'isva' for the victim's own
 * ISVA, who sees the plan, contacts, key dates and stage and nothing else.
 */
export type VictimViewer = 'case' | 'isva';

/** Ways of reaching a victim. */
export const contactMethods = ['phone', 'text_message', 'email', 'letter', 'in_person', 'video_call', 'through_isva'] as const;
export type ContactMethod = (typeof contactMethods)[number];
export const isContactMethod = (value: string): value is ContactMethod => (contactMethods as readonly string[]).includes(value);
export const contactMethodName = (method: ContactMethod): string => translate(`victims.method.${method}`);

/** Who may be named in a communication plan as updating the victim. */
export const updaters = ['oic', 'vlo', 'isva'] as const;
export type Updater = (typeof updaters)[number];
export const isUpdater = (value: string): value is Updater => (updaters as readonly string[]).includes(value);
export const updaterName = (updater: Updater): string => translate(`victims.updater.${updater}`);

/** Languages letters and contacts can be in (forces and the CPS in Wales work bilingually). */
export const languages = ['en', 'cy'] as const;
export type Language = (typeof languages)[number];
export const isLanguage = (value: string): value is Language => (languages as readonly string[]).includes(value);
export const languageName = (language: Language): string => translate(`victims.language.${language}`);

/** What a communication plan says about reaching the victim safely. */
export interface SafeContactRules {
  readonly methods: readonly ContactMethod[];
  readonly preferredLanguage: Language;
  /** Never leave a voicemail. */
  readonly noVoicemail: boolean;
  /** Never post anything to the victim's home address. */
  readonly noPostToHome: boolean;
  readonly safeAddress: string | null;
  readonly safePhone: string | null;
  readonly safeEmail: string | null;
  /** Anything else agreed, in words. */
  readonly otherRules: string;
}

/** One agreed revision of a victim's communication plan. */
export interface CommunicationPlan extends SafeContactRules {
  readonly id: string;
  readonly revision: number;
  readonly frequencyDays: number;
  readonly updaters: readonly Updater[];
  readonly agreedOn: PlainDate;
  readonly agreedWithIsvaName: string | null;
  readonly changeReason: string | null;
  readonly recordedByName: string;
  readonly recordedAt: string;
}

/** A dated milestone of the case an ISVA may know: never evidence, never who the suspect is. */
export interface KeyDate {
  readonly on: PlainDate;
  readonly text: string;
}

/** Journal events that carry a date an ISVA and victim are told of, and how they read. */
export const keyDateEvents: Readonly<Record<string, (data: Readonly<Record<string, unknown>>) => string | null>> = {
  'case.stage-changed': (data) => (typeof data.to === 'string' && ['charged', 'police_nfa', 'cps_nfa', 'completed', 'court'].includes(data.to) ? translate(`victims.keyDate.stage.${data.to}`) : null),
  'court.hearing-listed': (data) => translate(typeof data.kind === 'string' && data.kind === 'trial' ? 'victims.keyDate.trialListed' : 'victims.keyDate.hearingListed'),
  'court.hearing-held': () => translate('victims.keyDate.hearingHeld'),
  'victims.court-support.pre-trial-meeting-held': () => translate('courtSupport.keyDate.meetingHeld'),
};
