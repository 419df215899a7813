// The access and change journal required by the Data Protection Act 2018
// s.62 for law-enforcement processing: every consultation, collection,
// alteration, disclosure, combination and erasure of personal data, every
// sign-in event and every denial.
import { createHmac } from 'node:crypto';
import { isId } from '../db/ids.ts';
import { translate } from '../i18n/messages.ts';
import { isCalendarDate } from '../time/clock.ts';
import { addCalendarDays, londonDate } from '../time/working-days.ts';
import type { PlainDate } from '../time/working-days.ts';

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

// Searching the journal. A search lives in its address (so it can be bookmarked
// and paged), and an address may hold only ids, actions and dates: never an
// email address, a name or free text about a person.

/** A search of the journal; every value is an id, an action or a legal date. */
export interface AuditFilters {
  /** The acting person's user id. */
  readonly person?: string | undefined;
  readonly action?: AuditAction | undefined;
  readonly object?: string | undefined;
  /** A data subject's id. */
  readonly subject?: string | undefined;
  readonly from?: PlainDate | undefined;
  /** Inclusive: the whole of this day in London. */
  readonly to?: PlainDate | undefined;
}

/** Where a page of results starts: entries before or after a sequence number (keyset pagination). */
export interface AuditCursor {
  readonly before?: number | undefined;
  readonly after?: number | undefined;
}

export interface FilterError {
  readonly field: string;
  readonly message: string;
}

const PLAIN_DATE = /^\d{4}-\d{2}-\d{2}$/;
const SEQ = /^[1-9]\d{0,15}$/;

export function isAuditAction(value: string): value is AuditAction {
  return (auditActions as readonly string[]).includes(value);
}

/** Reads a search from an address's query; anything malformed is an error, never silently dropped. */
export function readFilters(query: unknown): { filters: AuditFilters; cursor: AuditCursor; errors: FilterError[] } {
  const values = (query ?? {}) as Record<string, unknown>;
  const errors: FilterError[] = [];
  const text = (name: string): string | undefined => {
    const value = values[name];
    if (value === undefined || value === '') return undefined;
    if (typeof value === 'string') return value;
    errors.push({ field: name, message: translate('audit.error.repeated') });
    return undefined;
  };
  const id = (name: 'person' | 'object' | 'subject'): string | undefined => {
    const value = text(name);
    if (value === undefined || isId(value)) return value?.toLowerCase();
    errors.push({ field: name, message: translate(`audit.error.${name}`) });
    return undefined;
  };
  const date = (name: 'from' | 'to'): PlainDate | undefined => {
    const value = text(name);
    if (value === undefined || (PLAIN_DATE.test(value) && isCalendarDate(value))) return value;
    errors.push({ field: name, message: translate('audit.error.dateReal', { label: translate(`audit.${name}`) }) });
    return undefined;
  };
  const seq = (name: 'before' | 'after'): number | undefined => {
    const value = text(name);
    if (value === undefined) return undefined;
    if (SEQ.test(value)) return Number(value);
    errors.push({ field: name, message: translate('audit.error.page') });
    return undefined;
  };

  const action = text('action');
  if (action !== undefined && !isAuditAction(action)) errors.push({ field: 'action', message: translate('audit.error.action') });
  const filters: AuditFilters = {
    person: id('person'),
    action: action !== undefined && isAuditAction(action) ? action : undefined,
    object: id('object'),
    subject: id('subject'),
    from: date('from'),
    to: date('to'),
  };
  checkDateOrder(filters, errors);
  const cursor: AuditCursor = { before: seq('before'), after: seq('after') };
  if (cursor.before !== undefined && cursor.after !== undefined) errors.push({ field: 'before', message: translate('audit.error.page') });
  return { filters, cursor, errors };
}

/** The three boxes of a GOV.UK date input, as typed. */
export interface DateParts {
  readonly day: string;
  readonly month: string;
  readonly year: string;
}

/** A GOV.UK date input's value: empty, a real date, or an error saying what is wrong. */
export function readDateParts(parts: DateParts, label: string): { date?: PlainDate; error?: string } {
  const given = { day: parts.day.trim(), month: parts.month.trim(), year: parts.year.trim() };
  const missing = (['day', 'month', 'year'] as const).filter((part) => given[part] === '');
  if (missing.length === 3) return {};
  if (missing.length > 0) {
    return { error: translate('audit.error.dateMissing', { label, parts: missing.map((part) => translate(`audit.date.${part}`)).join(translate('audit.date.and')) }) };
  }
  if (!/^\d{1,2}$/.test(given.day) || !/^\d{1,2}$/.test(given.month) || !/^\d{4}$/.test(given.year)) {
    return { error: translate('audit.error.dateReal', { label }) };
  }
  const date = `${given.year}-${given.month.padStart(2, '0')}-${given.day.padStart(2, '0')}`;
  return isCalendarDate(date) ? { date } : { error: translate('audit.error.dateReal', { label }) };
}

export function checkDateOrder(filters: AuditFilters, errors: FilterError[]): void {
  if (filters.from && filters.to && filters.to < filters.from) errors.push({ field: 'to', message: translate('audit.error.dateOrder') });
}

/** The address of a search (and a page of it); only filters that are set appear. */
export function searchAddress(path: string, filters: AuditFilters, page: AuditCursor & { readonly limit?: number | undefined } = {}): string {
  const query = new URLSearchParams();
  for (const [name, value] of Object.entries({ ...filters, ...page })) {
    if (value !== undefined && value !== '') query.set(name, String(value));
  }
  const text = query.toString();
  return text ? `${path}?${text}` : path;
}

const HOUR_MS = 3_600_000;

/**
 * The instant a London day begins, as ISO-8601 UTC. Midnight in London is
 * midnight UTC in winter and 23:00 UTC the day before in summer; the clocks
 * change at 01:00 UTC, so every London day has exactly one midnight.
 */
export function londonDayStart(date: PlainDate): string {
  const utcMidnight = Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10)));
  const summer = londonDate(new Date(utcMidnight - HOUR_MS)) === date;
  return new Date(summer ? utcMidnight - HOUR_MS : utcMidnight).toISOString();
}

/** The half-open range of instants [from, until) a search's dates cover. */
export function instantRange(filters: AuditFilters): { from?: string; until?: string } {
  return {
    ...(filters.from ? { from: londonDayStart(filters.from) } : {}),
    ...(filters.to ? { until: londonDayStart(addCalendarDays(filters.to, 1)) } : {}),
  };
}
