// The one way every part of the case file (the case itself, early advice,
// action plans, charging, police NFA, conferences, court, investigation
// clocks) loads a case for someone and changes it.
//
// `load` is the default-deny access check each service method starts with:
// a case the actor may not see is "not found", and the refusal is journalled.
// `command` runs a change as one transaction: it claims the version the actor
// read (a concurrent change is a conflict, never a silent overwrite), lets the
// caller write its own rows, moves the stage if asked (refusing moves the
// stage model forbids, opening and closing the stage's deadlines), appends
// the journal events and writes the audit entry. If any part fails, nothing
// is written.
import { actsAsIsva, caseAccess, maySeeCase, maySeeVictims, mayWorkOnCase, mayWorkOnVictims } from '../platform/access/case-access.ts';
import type { CaseAccess } from '../platform/access/case-access.ts';
import type { Actor } from '../platform/access/policy.ts';
import type { AuditContext, AuditEntry } from '../platform/audit/model.ts';
import { isId, newId } from '../platform/db/ids.ts';
import type { CasesTable } from '../platform/db/tables.ts';
import { inTransaction } from '../platform/db/transaction.ts';
import type { Db, Tx } from '../platform/db/transaction.ts';
import type { Platform } from '../platform/platform.ts';
import { Problem } from '../platform/web/errors.ts';
import type { FieldError } from '../platform/web/errors.ts';
import type { PlainDate } from '../platform/time/working-days.ts';
import { CASE_SUBJECT, moveStageDeadlines } from './deadlines.ts';
import { unclosedDeadlineIds } from '../platform/deadlines/service.ts';
import type { StageDeadlineChanges } from './deadlines.ts';
import { MAX_VERSION, isStage, transitionProblem } from './model.ts';
import type { Stage } from './model.ts';
import * as repository from './repository.ts';

/** A case as loaded for one actor, with the access they have to it. */
export interface LoadedCase {
  readonly row: repository.CaseRow;
  readonly access: CaseAccess;
  /** The case's stage now (as read). */
  readonly stage: Stage;
  /** Which side of the case the actor acts for: its force, its CPS Area, or neither. */
  readonly side: 'police' | 'cps' | null;
}

/** A journal event a command appends. */
export interface CaseEventDraft {
  readonly type: string;
  readonly data: Record<string, unknown>;
  /** When it happened, if not now (e.g. the day a meeting was held). */
  readonly occurredAt?: string;
}

/** What a command's work did: its events, its audit entry, and the stage the case moves to, if any. */
export interface CaseChange {
  readonly events: readonly CaseEventDraft[];
  readonly audit: AuditEntry;
  readonly stage?: Stage;
  /** The day the new stage's deadline starts (today in London if omitted). */
  readonly stageStartedOn?: PlainDate;
}

export interface CommandResult {
  /** The case's version after the change: what the next change must claim. */
  readonly version: number;
  readonly deadlines: StageDeadlineChanges | null;
}

/**
 * Work another part does in the same transaction whenever a case command
 * appends journal events: the victims' rights open a Victims' Code clock on
 * the events that start one (police NFA signed off, a charge). Registered by
 * key, so registering again replaces it.
 */
export type JournalReactor = (tx: Tx, kase: CasesTable, events: readonly CaseEventDraft[], now: string) => Promise<void>;
const reactors = new Map<string, JournalReactor>();

export function registerJournalReactor(key: string, reactor: JournalReactor): void {
  reactors.set(key, reactor);
}

export function invalid(errors: readonly FieldError[]): Problem {
  return new Problem('validation', errors.map((e) => e.message).join('. '), errors);
}

/** A version sent back from a form or If-Match: anything that was never read from the database is a conflict. */
export function validVersion(version: number | null): number {
  if (version === null || !Number.isInteger(version) || version < 1 || version > MAX_VERSION) throw new Problem('conflict');
  return version;
}

/** The side of a case the actor acts for now. */
export function sideOf(actor: Actor, row: Pick<CasesTable, 'force_id' | 'cps_area_id'>): 'police' | 'cps' | null {
  const { organisationId, organisationKind } = actor.organisation;
  if (organisationKind === 'police_force' && organisationId === row.force_id) return 'police';
  if (organisationKind === 'cps_area' && organisationId === row.cps_area_id) return 'cps';
  return null;
}

export function createCaseCommands(platform: Platform) {
  const { db, audit, clock } = platform;
  const nowIso = () => clock.now().toISOString();

  /** Journals a refusal and throws it: 'not-found' for what the actor may not know exists. */
  async function refuse(context: AuditContext, type: 'not-found' | 'forbidden', objectId: string | undefined, event = `case.${type}`): Promise<never> {
    // Only a well-formed id goes into the journal: anything else is noise from the address bar.
    await audit.audited(context, { action: 'deny', event, outcome: 'denied', objectType: 'case', objectId: objectId && isId(objectId) ? objectId : undefined }, async () => undefined);
    throw new Problem(type);
  }

  async function accessTo(actor: Actor, row: CasesTable): Promise<CaseAccess> {
    const [activeTeamUserIds, breakGlassGranted, isvaUserIds] = await Promise.all([
      repository.activeTeamUserIds(db, row.id),
      repository.hasBreakGlass(db, row.id, actor.userId, nowIso()),
      actsAsIsva(actor) ? repository.activeIsvaUserIds(db, row.id) : [],
    ]);
    return caseAccess(actor, { forceId: row.force_id, cpsAreaId: row.cps_area_id, activeTeamUserIds, breakGlassGranted, isvaUserIds });
  }

  /**
   * The access check every method starts with: 'see' to read the case, 'work'
   * to change it; 'see-victims' and 'work-victims' for the victims' records,
   * which an ISVA supporting a victim in the case may also use (the victims
   * module then narrows them to the ISVA's own clients).
   */
  async function load(actor: Actor, context: AuditContext, caseId: string, need: 'see' | 'work' | 'see-victims' | 'work-victims'): Promise<LoadedCase> {
    const row = isId(caseId) ? await repository.findCase(db, caseId) : undefined;
    const access = row ? await accessTo(actor, row) : 'none';
    const victims = need === 'see-victims' || need === 'work-victims';
    if (!row || !(victims ? maySeeVictims(access) : maySeeCase(access))) return refuse(context, 'not-found', caseId);
    if (need === 'work' && !mayWorkOnCase(access)) return refuse(context, 'forbidden', caseId);
    if (need === 'work-victims' && !mayWorkOnVictims(access)) return refuse(context, 'forbidden', caseId);
    return { row, access, stage: isStage(row.stage) ? row.stage : 'report', side: sideOf(actor, row) };
  }

  /**
   * One change to a case. `work` writes the command's own rows in the
   * transaction and says what happened; a stage it names must be one the
   * stage model allows from where the case is (otherwise the user is told
   * why, as a validation error on `stageField`).
   */
  async function command(
    actor: Actor,
    context: AuditContext,
    loaded: LoadedCase,
    version: number | null,
    work: (tx: Tx, now: string) => Promise<CaseChange>,
    stageField = 'stage',
  ): Promise<CommandResult> {
    const expected = validVersion(version);
    const { row } = loaded;
    try {
      return await inTransaction(db, async (tx) => {
        const now = nowIso();
        // The deadlines a stage move may meet or cancel: not one this command opens (a Victims' Code clock on a decision not to charge, say).
        const openBefore = await unclosedDeadlineIds(tx, CASE_SUBJECT, row.id);
        const change = await work(tx, now);
        let deadlines: StageDeadlineChanges | null = null;
        const events = [...change.events];
        if (change.stage) {
          const problem = transitionProblem(loaded.stage, change.stage);
          if (problem) throw invalid([{ field: stageField, message: problem }]);
          deadlines = await moveStageDeadlines(tx, { id: row.id, forceId: row.force_id, cpsAreaId: row.cps_area_id }, { from: loaded.stage, to: change.stage, now: new Date(now), startedOn: change.stageStartedOn }, openBefore);
          events.push({ type: 'case.stage-changed', data: { from: loaded.stage, to: change.stage } });
        }
        if (!(await repository.updateCase(tx, row.id, expected, { updated_at: now, ...(change.stage ? { stage: change.stage } : {}) }))) throw new Problem('conflict');
        for (const event of events) {
          await repository.appendEvent(tx, { id: newId(), case_id: row.id, type: event.type, occurred_at: event.occurredAt ?? now, recorded_at: now, actor_user_id: actor.userId, data: JSON.stringify(event.data) });
        }
        for (const react of reactors.values()) await react(tx, row, events, now);
        const stageDetails: Record<string, string | number> = deadlines && change.stage ? { stageFrom: loaded.stage, stageTo: change.stage, deadlinesOpened: deadlines.opened.length, deadlinesMet: deadlines.met.length, deadlinesCancelled: deadlines.cancelled.length } : {};
        await audit.record(tx, context, { ...change.audit, objectType: 'case', objectId: row.id, details: { ...change.audit.details, ...stageDetails, access: loaded.access, version: expected + 1 } });
        return { version: expected + 1, deadlines };
      });
    } catch (error) {
      // Two writers after the same event: the second finds (case, seq) taken.
      if (repository.isUniqueViolation(error)) throw new Problem('conflict');
      throw error;
    }
  }

  /** Whether the actor holds one of these roles on the case's team now. */
  async function holdsCaseRole(executor: Db | Tx, caseId: string, userId: string, roles: readonly string[]): Promise<boolean> {
    return (await repository.teamOf(executor, caseId)).some((m) => m.ended_at === null && m.user_id === userId && roles.includes(m.case_role));
  }

  return { refuse, accessTo, load, command, holdsCaseRole, now: nowIso };
}

export type CaseCommands = ReturnType<typeof createCaseCommands>;
