// The access and change journal required by the Data Protection Act 2018
// s.62 for law-enforcement processing: every consultation, collection,
// alteration, disclosure, combination and erasure of personal data, every
// sign-in event and every denial.
import { createHmac } from 'node:crypto';

export const auditActions = [
  'consult',
  'collect',
  'alter',
  'disclose',
  'combine',
  'erase',
  'sign-in',
  'sign-out',
  'deny',
] as const;
export type AuditAction = (typeof auditActions)[number];

export type AuditOutcome = 'success' | 'failure' | 'denied';

/** What happened, as a service describes it. */
export interface AuditEntry {
  readonly action: AuditAction;
  /** A short name for the event, e.g. "user.create" or "sign-in.password". */
  readonly event: string;
  readonly objectType?: string | undefined;
  readonly objectId?: string | undefined;
  /** Ids of the people whose data this is (data subjects). */
  readonly subjects?: readonly string[] | undefined;
  readonly purpose?: string | undefined;
  readonly outcome?: AuditOutcome | undefined;
  /** Non-sensitive detail: never passwords, codes or free text about victims. */
  readonly details?: Readonly<Record<string, string | number | boolean | null>> | undefined;
}

/** Who is acting and in which request; carried from the web layer into services. */
export interface AuditContext {
  readonly userId: string | null;
  readonly organisationId: string | null;
  readonly role: string | null;
  readonly requestId: string | null;
  /**
   * Counts entries written for this request, so routes that must audit can
   * prove they did. An object, so copies made with a different actor
   * ({ ...context, userId }) still count towards the same request.
   */
  readonly written: { count: number };
}

export function systemContext(requestId: string | null = null): AuditContext {
  return { userId: null, organisationId: null, role: 'system', requestId, written: { count: 0 } };
}

/** A journal row before it is chained. */
export interface AuditRecord {
  readonly seq: number;
  readonly id: string;
  readonly at: string;
  readonly actor_user_id: string | null;
  readonly actor_organisation_id: string | null;
  readonly actor_role: string | null;
  readonly action: string;
  readonly object_type: string | null;
  readonly object_id: string | null;
  readonly subjects: string;
  readonly purpose: string | null;
  readonly request_id: string | null;
  readonly outcome: string;
  readonly details: string;
}

export const GENESIS_HASH = '0'.repeat(64);

/**
 * The chain link: an HMAC over the previous link and every field of the row,
 * keyed with the platform's secret, so a person who can edit the table but
 * does not hold the key cannot forge a consistent chain.
 */
export function chainHash(key: Buffer, prevHash: string, record: AuditRecord): string {
  const fields = [
    record.seq,
    record.id,
    record.at,
    record.actor_user_id,
    record.actor_organisation_id,
    record.actor_role,
    record.action,
    record.object_type,
    record.object_id,
    record.subjects,
    record.purpose,
    record.request_id,
    record.outcome,
    record.details,
  ];
  return createHmac('sha256', key).update(prevHash).update(JSON.stringify(fields)).digest('hex');
}
