// A victim's withdrawal of support and any re-engagement (DOMAIN §1, §4, §5):
// inspections found withdrawal recorded without anyone speaking to the
// victim, so whether they were spoken to is always answered, and outcome 16
// (police NFA) needs a withdrawal on record after a conversation with them.
// The reasons are versioned data; names are in the catalogue
// (`withdrawal.reason.<key>`).
import type { Actor } from '../../platform/access/policy.ts';
import type { Role } from '../../platform/access/roles.ts';
import { translate } from '../../platform/i18n/messages.ts';
import type { FieldError } from '../../platform/web/errors.ts';
import type { PlainDate } from '../../platform/time/working-days.ts';
import { MAX_REASON, parseDateParts } from '../../cases/model.ts';
import type { DateParts, Stage } from '../../cases/model.ts';

/** Why victims withdraw (version 1). 'other' needs the detail in words. */
export const withdrawalReasons = {
  version: 1,
  reasons: ['fear_of_suspect', 'length_of_process', 'mental_health', 'not_believed', 'wants_to_move_on', 'pressure_from_others', 'digital_privacy', 'other'],
} as const;
export type WithdrawalReason = (typeof withdrawalReasons.reasons)[number];
export const isWithdrawalReason = (value: string): value is WithdrawalReason => (withdrawalReasons.reasons as readonly string[]).includes(value);
export const reasonName = (reason: string): string => (isWithdrawalReason(reason) ? translate(`withdrawal.reason.${reason}`) : reason);

/** How someone spoke to the victim, or how they came back. */
export const conversationMethods = ['in_person', 'phone', 'video_call'] as const;
export type ConversationMethod = (typeof conversationMethods)[number];
export const isConversationMethod = (value: string): value is ConversationMethod => (conversationMethods as readonly string[]).includes(value);
export const conversationName = (method: string): string => (isConversationMethod(method) ? translate(`withdrawal.method.${method}`) : method);

const POLICE_RECORDERS: readonly Role[] = ['investigator', 'police_supervisor'];
const CPS_RECORDERS: readonly Role[] = ['prosecutor', 'vlo'];

/** Who records a withdrawal: police investigators and supervisors, CPS prosecutors and VLOs, for their side of the case. */
export function withdrawalPowers(actor: Actor, side: 'police' | 'cps' | null): { record: boolean } {
  const roles = actor.organisation.roles;
  return { record: (side === 'police' && roles.some((r) => POLICE_RECORDERS.includes(r))) || (side === 'cps' && roles.some((r) => CPS_RECORDERS.includes(r))) };
}

export const MAX_NAME = 100;

const dateOf = (field: string, parts: DateParts, labelKey: string, today: PlainDate) =>
  parseDateParts(parts, { field, label: translate(labelKey), required: true, notAfter: today, notBefore: '2000-01-01' });

const yesNo = (value: string): boolean | null => (value === 'yes' ? true : value === 'no' ? false : null);

export interface WithdrawalInput {
  readonly withdrawnOn: DateParts;
  readonly reason: string;
  readonly reasonDetail: string;
  /** 'yes' or 'no'. */
  readonly spokenToVictim: string;
  readonly spokenOn: DateParts;
  readonly spokenHow: string;
  readonly spokenBy: string;
  /** 'yes' or 'no'. */
  readonly isvaInvolved: string;
}

export interface ValidWithdrawal {
  readonly withdrawnOn: PlainDate;
  readonly reason: WithdrawalReason;
  readonly reasonDetail: string | null;
  readonly conversation: { readonly on: PlainDate; readonly how: ConversationMethod; readonly by: string } | null;
  readonly isvaInvolved: boolean;
}

export function withdrawalErrors(input: WithdrawalInput, today: PlainDate): { value: ValidWithdrawal | null; errors: FieldError[] } {
  const errors: FieldError[] = [];
  const withdrawn = dateOf('withdrawnOn', input.withdrawnOn, 'withdrawal.label.withdrawnOn', today);
  if (withdrawn.error) errors.push(withdrawn.error);
  if (!isWithdrawalReason(input.reason)) errors.push({ field: 'reason', message: translate('withdrawal.error.reason') });
  const detail = input.reasonDetail.trim();
  if (input.reason === 'other' && detail === '') errors.push({ field: 'reasonDetail', message: translate('withdrawal.error.reasonDetail') });
  if (detail.length > MAX_REASON) errors.push({ field: 'reasonDetail', message: translate('withdrawal.error.reasonDetailLong', { max: MAX_REASON }) });
  const spoken = yesNo(input.spokenToVictim);
  if (spoken === null) errors.push({ field: 'spokenToVictim', message: translate('withdrawal.error.spokenToVictim') });
  let conversation: ValidWithdrawal['conversation'] = null;
  if (spoken) {
    const on = dateOf('spokenOn', input.spokenOn, 'withdrawal.label.spokenOn', today);
    if (on.error) errors.push(on.error);
    if (!isConversationMethod(input.spokenHow)) errors.push({ field: 'spokenHow', message: translate('withdrawal.error.spokenHow') });
    const by = input.spokenBy.trim();
    if (by === '') errors.push({ field: 'spokenBy', message: translate('withdrawal.error.spokenBy') });
    else if (by.length > MAX_NAME) errors.push({ field: 'spokenBy', message: translate('withdrawal.error.spokenByLong', { max: MAX_NAME }) });
    if (on.date && isConversationMethod(input.spokenHow) && by !== '') conversation = { on: on.date, how: input.spokenHow, by };
  }
  const isva = yesNo(input.isvaInvolved);
  if (isva === null) errors.push({ field: 'isvaInvolved', message: translate('withdrawal.error.isvaInvolved') });
  if (errors.length || !withdrawn.date || !isWithdrawalReason(input.reason) || isva === null) return { value: null, errors };
  return { value: { withdrawnOn: withdrawn.date, reason: input.reason, reasonDetail: detail === '' ? null : detail, conversation, isvaInvolved: isva }, errors };
}

export interface ReEngagementInput {
  readonly on: DateParts;
  readonly how: string;
}

/** A re-engagement: not before the withdrawal. */
export function reEngagementErrors(input: ReEngagementInput, withdrawnOn: PlainDate, today: PlainDate): { value: { on: PlainDate; how: ConversationMethod } | null; errors: FieldError[] } {
  const errors: FieldError[] = [];
  const on = dateOf('on', input.on, 'withdrawal.label.reEngagedOn', today);
  if (on.error) errors.push(on.error);
  else if (on.date && on.date < withdrawnOn) errors.push({ field: 'on-day', message: translate('withdrawal.error.reEngagedBeforeWithdrawn') });
  if (!isConversationMethod(input.how)) errors.push({ field: 'how', message: translate('withdrawal.error.reEngagedHow') });
  if (errors.length || !on.date || !isConversationMethod(input.how)) return { value: null, errors };
  return { value: { on: on.date, how: input.how }, errors };
}

export interface Withdrawal {
  readonly id: string;
  readonly withdrawnOn: PlainDate;
  readonly stage: Stage;
  readonly reason: string;
  readonly reasonDetail: string | null;
  readonly conversation: { readonly on: PlainDate; readonly how: string; readonly by: string } | null;
  readonly isvaInvolved: boolean;
  readonly recordedBy: string;
  readonly recordedAt: string;
  readonly reEngaged: { readonly on: PlainDate; readonly how: string } | null;
}

