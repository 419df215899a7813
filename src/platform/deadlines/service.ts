// Commands and queries on deadlines. Every command takes the caller's
// transaction, so a deadline opens, pauses or closes if and only if the event
// that causes it commits. Within a transaction, change deadlines before
// recording the audit entry (as `audit.audited` does): the sweep locks
// deadlines before the audit journal, and one order everywhere cannot deadlock.
import type { Kysely } from 'kysely';
import { newId } from '../db/ids.ts';
import type { Db, Tx } from '../db/transaction.ts';
import { addCalendarDays, assertPlainDate, londonDate } from '../time/working-days.ts';
import type { PlainDate } from '../time/working-days.ts';
import { Problem } from '../web/errors.ts';
import {
  dueDate,
  isRuleKey,
  mostSpecific,
  nextStepDue,
  parseRuleDefinition,
  pausedDays,
  schedule,
} from './model.ts';
import type { ClosingOutcome, Deadline, Escalation, RuleDefinition, RuleVersion } from './model.ts';
import * as repository from './repository.ts';
import type { DeadlineRow, DeadlineScope, RuleRow } from './repository.ts';
import shipped from './rules.json' with { type: 'json' };

// Subjects: what a deadline is about, and who to tell

/** What a module tells the clock engine about the things its deadlines are about. */
export interface SubjectType {
  /** The ids of the people who hold these case roles ('oic', 'supervisor', …) on the subject. */
  audience(tx: Tx, subjectId: string, roles: readonly string[]): Promise<readonly string[]>;
  /** A reference safe for notifications and email (e.g. a crime reference): never a victim's identity. */
  describe(tx: Tx, subjectId: string): Promise<string>;
  /** Where a notification about the subject links to, if anywhere. */
  path?(subjectId: string): string;
}

const subjectTypes = new Map<string, SubjectType>();

/** Registers (or replaces) how deadlines about `type` find their audience and reference. */
export function registerSubjectType(type: string, subject: SubjectType): void {
  if (!isRuleKey(type.replaceAll('_', '-'))) throw new Error(`Not a subject type name: ${JSON.stringify(type)}`);
  subjectTypes.set(type, subject);
}

export function subjectType(type: string): SubjectType | undefined {
  return subjectTypes.get(type);
}

export function registeredSubjectTypes(): string[] {
  return [...subjectTypes.keys()];
}

// Rules

function toRuleVersion(row: RuleRow): RuleVersion {
  return {
    key: row.key,
    version: Number(row.version),
    organisationId: row.organisation_id,
    effectiveFrom: row.effective_from,
    definition: parseRuleDefinition(JSON.parse(row.definition), row.key),
  };
}

/** Inserts the versions of the shipped rules (rules.json) that the database lacks. */
export async function loadShippedRules(db: Kysely<any>, now: Date): Promise<number> {
  let added = 0;
  for (const rule of shipped.rules) {
    const definition = parseRuleDefinition(rule.definition, rule.key);
    const inserted = await repository.insertRuleVersion(db as Db, {
      key: rule.key,
      version: rule.version,
      organisation_id: null,
      effective_from: assertPlainDate(rule.effectiveFrom),
      definition: JSON.stringify(definition),
      created_at: now.toISOString(),
    });
    if (inserted) added += 1;
  }
  return added;
}

export interface PublishRuleInput {
  readonly key: string;
  /** For an organisation's own version (a force's or CPS Area's configuration); omit for the national rule. */
  readonly organisationId?: string | undefined;
  readonly effectiveFrom: PlainDate;
  readonly definition: unknown;
  readonly now: Date;
}

/** Publishes a new version of a rule; deadlines already open keep the version they were opened under. */
export async function publishRuleVersion(tx: Tx, input: PublishRuleInput): Promise<RuleVersion> {
  if (!isRuleKey(input.key)) throw new Problem('validation', 'Not a rule key', [{ field: 'key', message: 'Enter a rule key' }]);
  const definition = parseRuleDefinition(input.definition, input.key);
  const version = (await repository.latestRuleVersionNumber(tx, input.key)) + 1;
  const row: RuleRow = {
    key: input.key,
    version,
    organisation_id: input.organisationId ?? null,
    effective_from: assertPlainDate(input.effectiveFrom),
    definition: JSON.stringify(definition),
    created_at: input.now.toISOString(),
  };
  if (!(await repository.insertRuleVersion(tx, row))) throw new Problem('conflict', `Version ${version} of ${input.key} was published at the same time`);
  return toRuleVersion(row);
}

/** The version of a rule in force on a date for a subject of these organisations. */
export async function ruleVersionFor(db: Db | Tx, key: string, organisationIds: readonly string[], onDate: PlainDate): Promise<RuleVersion | undefined> {
  const candidates = (await repository.candidateRuleVersions(db, key, organisationIds)).map(toRuleVersion);
  return mostSpecific(candidates, organisationIds, onDate);
}

export async function ruleVersion(db: Db | Tx, key: string, version: number): Promise<RuleVersion | undefined> {
  const row = await repository.findRuleVersion(db, key, version);
  return row ? toRuleVersion(row) : undefined;
}

export async function ruleHistory(db: Db | Tx, key: string): Promise<RuleVersion[]> {
  return (await repository.ruleHistory(db, key)).map(toRuleVersion);
}

// Deadlines

function toDeadline(row: DeadlineRow, organisationIds: readonly string[]): Deadline {
  return {
    id: row.id,
    subjectType: row.subject_type,
    subjectId: row.subject_id,
    ruleKey: row.rule_key,
    ruleVersion: Number(row.rule_version),
    organisationIds,
    startedOn: row.started_on,
    dueOn: row.due_on,
    status: row.status,
    pausedAt: row.paused_at,
    pausedReason: row.paused_reason,
    pausedDaysTotal: Number(row.paused_days_total),
    nextStepDueOn: row.next_step_due_on,
    closedAt: row.closed_at,
    closedReason: row.closed_reason,
    createdAt: row.created_at,
    version: Number(row.version),
  };
}

async function withOrganisations(db: Db | Tx, rows: readonly DeadlineRow[]): Promise<Deadline[]> {
  const organisations = await repository.organisationsOf(db, rows.map((r) => r.id));
  return rows.map((row) => toDeadline(row, organisations.get(row.id) ?? []));
}

export interface OpenDeadlineInput {
  readonly subjectType: string;
  readonly subjectId: string;
  readonly ruleKey: string;
  /** The organisations the subject belongs to (a case's force and CPS Area): they choose any local rule and scope work queues. */
  readonly organisationIds: readonly string[];
  /** The legal date the clock starts (the event's date); defaults to today in London. */
  readonly startedOn?: PlainDate | undefined;
  readonly now: Date;
}

/** The deadline row a rule gives for a subject started on a date: the one way a deadline is made. */
export function newDeadlineRow(rule: RuleVersion, input: { id: string; subjectType: string; subjectId: string; startedOn: PlainDate; createdAt: string }): DeadlineRow {
  return {
    id: input.id,
    subject_type: input.subjectType,
    subject_id: input.subjectId,
    rule_key: rule.key,
    rule_version: rule.version,
    started_on: input.startedOn,
    due_on: dueDate(rule.definition, input.startedOn),
    status: 'open',
    paused_at: null,
    paused_reason: null,
    paused_days_total: 0,
    next_step_due_on: nextStepDue(schedule(rule.definition, input.startedOn), new Set()),
    closed_at: null,
    closed_reason: null,
    created_at: input.createdAt,
    version: 1,
  };
}

/** Opens a deadline under the rule version in force on its start date for its organisations. */
export async function openDeadline(tx: Tx, input: OpenDeadlineInput): Promise<Deadline> {
  if (!subjectTypes.has(input.subjectType)) throw new Error(`No subject type ${input.subjectType} is registered with the clock engine`);
  const startedOn = assertPlainDate(input.startedOn ?? londonDate(input.now));
  const organisationIds = [...new Set(input.organisationIds)];
  const rule = await ruleVersionFor(tx, input.ruleKey, organisationIds, startedOn);
  if (!rule) throw new Error(`No version of deadline rule ${input.ruleKey} is in force on ${startedOn}`);
  const row = newDeadlineRow(rule, { id: newId(), subjectType: input.subjectType, subjectId: input.subjectId, startedOn, createdAt: input.now.toISOString() });
  await repository.insertDeadlines(tx, [row], organisationIds.map((organisation_id) => ({ deadline_id: row.id, organisation_id })));
  return toDeadline(row, organisationIds);
}

async function existing(tx: Tx, id: string): Promise<DeadlineRow> {
  const row = await repository.findDeadline(tx, id);
  if (!row) throw new Problem('not-found', 'No such deadline');
  return row;
}

async function reread(tx: Tx, id: string): Promise<Deadline> {
  return (await withOrganisations(tx, [await existing(tx, id)]))[0]!;
}

function cleanReason(reason: string | undefined, required: boolean): string | null {
  const text = (reason ?? '').trim();
  if (required && text === '') throw new Problem('validation', 'A reason is required', [{ field: 'reason', message: 'Enter the reason' }]);
  if (text.length > 500) throw new Problem('validation', 'The reason is too long', [{ field: 'reason', message: 'The reason must be 500 characters or fewer' }]);
  return text === '' ? null : text;
}

/** Closes an open or paused deadline as met or cancelled; it will never escalate again. */
export async function closeDeadline(tx: Tx, id: string, closing: { outcome: ClosingOutcome; reason?: string | undefined; now: Date }): Promise<Deadline> {
  if (closing.outcome !== 'met' && closing.outcome !== 'cancelled') throw new Error(`Not a closing outcome: ${String(closing.outcome)}`);
  const reason = cleanReason(closing.reason, false);
  await existing(tx, id);
  if (!(await repository.closeDeadline(tx, id, closing.outcome, closing.now.toISOString(), reason))) {
    throw new Problem('conflict', 'This deadline is already closed');
  }
  return reread(tx, id);
}

/** Stops the clock with a reason, where the deadline's rule allows it. */
export async function pauseDeadline(tx: Tx, id: string, pause: { reason: string; now: Date }): Promise<Deadline> {
  const reason = cleanReason(pause.reason, true)!;
  const row = await existing(tx, id);
  const rule = await requireRule(tx, row.rule_key, Number(row.rule_version));
  if (!rule.definition.pausable) throw new Problem('conflict', `${rule.definition.title} cannot be paused`);
  if (!(await repository.pauseDeadline(tx, id, pause.now.toISOString(), reason))) throw new Problem('conflict', 'Only an open deadline can be paused');
  return reread(tx, id);
}

/** Restarts the clock: the due date and every step still to come move on by the time it stood still. */
export async function resumeDeadline(tx: Tx, id: string, resume: { now: Date }): Promise<Deadline> {
  const row = await existing(tx, id);
  if (row.status !== 'paused' || row.paused_at === null) throw new Problem('conflict', 'Only a paused deadline can be resumed');
  const rule = await requireRule(tx, row.rule_key, Number(row.rule_version));
  const total = Number(row.paused_days_total) + pausedDays(rule.definition, londonDate(row.paused_at), londonDate(resume.now));
  const taken = new Set((await repository.escalationsOf(tx, [id])).map((e) => e.step));
  const changed = await repository.resumeDeadline(tx, id, row.paused_at, {
    due_on: dueDate(rule.definition, row.started_on, total),
    paused_days_total: total,
    next_step_due_on: nextStepDue(schedule(rule.definition, row.started_on, total), taken),
  });
  if (!changed) throw new Problem('conflict', 'This deadline was changed at the same time');
  return reread(tx, id);
}

export async function requireRule(db: Db | Tx, key: string, version: number): Promise<RuleVersion> {
  const rule = await ruleVersion(db, key, version);
  if (!rule) throw new Error(`Deadline rule ${key} version ${version} does not exist`);
  return rule;
}

export interface DeadlineWithSteps extends Deadline {
  readonly title: string;
  /** The steps taken, each with its rule's label. */
  readonly escalations: readonly (Escalation & { readonly label: string })[];
}

/** Every deadline of a subject, earliest due first, with its rule's title and the steps taken. */
export async function deadlinesFor(db: Db | Tx, subjectTypeName: string, subjectId: string): Promise<DeadlineWithSteps[]> {
  const deadlines = await withOrganisations(db, await repository.deadlinesOfSubject(db, subjectTypeName, subjectId));
  const escalations = await repository.escalationsOf(db, deadlines.map((d) => d.id));
  const rules = new Map<string, RuleDefinition>();
  const result: DeadlineWithSteps[] = [];
  for (const deadline of deadlines) {
    const key = `${deadline.ruleKey}@${deadline.ruleVersion}`;
    if (!rules.has(key)) rules.set(key, (await requireRule(db, deadline.ruleKey, deadline.ruleVersion)).definition);
    result.push({
      ...deadline,
      title: rules.get(key)!.title,
      escalations: escalations.filter((e) => e.deadline_id === deadline.id).map((e) => ({
        step: e.step,
        label: rules.get(key)!.steps.find((s) => s.step === e.step)?.label ?? e.step,
        dueOn: e.due_on,
        escalatedAt: e.escalated_at,
      })),
    });
  }
  return result;
}

/** The ids of a subject's open and paused deadlines: one indexed read, without their rules or steps. */
export async function unclosedDeadlineIds(db: Db | Tx, subjectTypeName: string, subjectId: string): Promise<Set<string>> {
  return new Set(await repository.unclosedIdsOf(db, subjectTypeName, subjectId));
}

/** The earliest due date of each subject's open deadlines (subjects with none are absent): one query for a page of subjects. */
export async function earliestOpenDue(db: Db | Tx, subjectTypeName: string, subjectIds: readonly string[]): Promise<Map<string, PlainDate>> {
  if (subjectIds.length === 0) return new Map();
  const rows = await repository.earliestOpenDue(db, subjectTypeName, subjectIds);
  return new Map(rows.map((row) => [row.subject_id, row.due_on]));
}

export interface QueueQuery extends DeadlineScope {
  /** Today in London; the caller passes londonDate(clock.now()). */
  readonly today: PlainDate;
  readonly limit?: number | undefined;
}

const QUEUE_LIMIT = 200;

/** Open deadlines due from today to `withinDays` days ahead, earliest first: a "due soon" work queue. */
export async function dueSoon(db: Db | Tx, query: QueueQuery & { readonly withinDays: number }): Promise<Deadline[]> {
  if (!Number.isSafeInteger(query.withinDays) || query.withinDays < 0) throw new Error(`withinDays must be a whole number of 0 or more, got ${query.withinDays}`);
  const rows = await repository.openDueBetween(db, query, assertPlainDate(query.today), addCalendarDays(query.today, query.withinDays), query.limit ?? QUEUE_LIMIT);
  return withOrganisations(db, rows);
}

/** Open deadlines whose due date has passed, most overdue first. */
export async function overdue(db: Db | Tx, query: QueueQuery): Promise<Deadline[]> {
  const rows = await repository.openDueBetween(db, query, null, addCalendarDays(assertPlainDate(query.today), -1), query.limit ?? QUEUE_LIMIT);
  return withOrganisations(db, rows);
}

// Notifications

export interface Notification {
  readonly id: string;
  readonly kind: string;
  readonly subjectType: string;
  readonly subjectId: string;
  readonly text: string;
  readonly createdAt: string;
  readonly readAt: string | null;
  /** Where to see the subject, when its module gives one. */
  readonly href: string | undefined;
}

export const NOTIFICATIONS_SHOWN = 100;

/** A person's own notifications, newest first. */
export async function notificationsFor(db: Db | Tx, userId: string, limit = NOTIFICATIONS_SHOWN): Promise<Notification[]> {
  const rows = await repository.notificationsOf(db, userId, limit);
  return rows.map((row) => ({
    id: row.id,
    kind: row.kind,
    subjectType: row.subject_type,
    subjectId: row.subject_id,
    text: row.text,
    createdAt: row.created_at,
    readAt: row.read_at,
    href: subjectTypes.get(row.subject_type)?.path?.(row.subject_id),
  }));
}

/** How many of a person's notifications are unread: one indexed query. */
export function unreadCount(db: Db | Tx, userId: string): Promise<number> {
  return repository.countUnread(db, userId);
}

/**
 * Marks some of a person's own notifications read, all or none: if any id is
 * not one of theirs, it does not exist for them. Returns how many were unread.
 */
export async function markNotificationsRead(tx: Tx, userId: string, notificationIds: readonly string[], now: Date): Promise<number> {
  const ids = [...new Set(notificationIds)];
  if (ids.length === 0) throw new Problem('bad-request', 'No notification named');
  if ((await repository.countOwnNotifications(tx, userId, ids)) !== ids.length) throw new Problem('not-found');
  return repository.markRead(tx, userId, ids, now.toISOString());
}
