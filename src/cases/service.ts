// Commands and queries on the joint case file. Every method starts with one
// default-deny access check (platform/access/case-access.ts): a case the actor
// may not see is "not found", and the refusal is journalled. Every command is
// one transaction that writes the current state, appends a case event and
// writes its audit entry; the case's version makes a concurrent change a
// conflict instead of a silent overwrite. Every read of a case is audited as
// a consultation of the victims' and suspects' data.
import { createHash } from 'node:crypto';
import { mayBreakGlass } from '../platform/access/case-access.ts';
import type { CaseAccess } from '../platform/access/case-access.ts';
import type { Actor } from '../platform/access/policy.ts';
import { isRole } from '../platform/access/roles.ts';
import type { Role } from '../platform/access/roles.ts';
import type { AuditContext } from '../platform/audit/model.ts';
import { isId, newId } from '../platform/db/ids.ts';
import { inTransaction } from '../platform/db/transaction.ts';
import type { Tx } from '../platform/db/transaction.ts';
import type { Platform } from '../platform/platform.ts';
import { deadlinesFor, earliestOpenDue } from '../platform/deadlines/service.ts';
import type { DeadlineWithSteps } from '../platform/deadlines/service.ts';
import { translate } from '../platform/i18n/messages.ts';
import { addCalendarDays, londonDate } from '../platform/time/working-days.ts';
import type { FieldError } from '../platform/web/errors.ts';
import {
  PAGE_SIZE,
  allocatableRoles,
  caseRoleNameInText,
  caseRoles,
  isCaseRole,
  isCaseSort,
  isOffenceClass,
  isPersonCategory,
  isStage,
  mayHoldCaseRole,
  newCaseErrors,
  newPersonErrors,
  normaliseReference,
  reasonErrors,
  manualMoveProblem,
  transitionProblem,
} from './model.ts';
import type {
  CaseEvent,
  CaseFile,
  CasePage,
  CasePerson,
  CaseRole,
  CaseSort,
  CaseSummary,
  NewCaseInput,
  NewPersonInput,
  PersonCategory,
  SortOrder,
  Stage,
  TeamMember,
  ValidNewCase,
} from './model.ts';
import * as repository from './repository.ts';
import { createCaseCommands, invalid } from './case-commands.ts';
import { createIdempotency } from './idempotency.ts';
import type { Idempotency } from './idempotency.ts';
import { CASE_SUBJECT, moveStageDeadlines } from './deadlines.ts';

/** A deadline on the case page: overdue when it is open and its due date has passed in London. */
export interface CaseDeadline extends DeadlineWithSteps {
  readonly overdue: boolean;
}

export function toSummary(row: repository.CaseRow): CaseSummary {
  return {
    id: row.id,
    policeReference: row.police_reference,
    cpsUrn: row.cps_urn,
    courtCaseNumber: row.court_case_number,
    forceId: row.force_id,
    forceName: row.force_name,
    cpsAreaId: row.cps_area_id,
    cpsAreaName: row.cps_area_name,
    stage: isStage(row.stage) ? row.stage : 'report',
    offenceClass: isOffenceClass(row.offence_class) ? row.offence_class : 'other_serious_sexual_offence',
    flags: {
      domesticAbuse: Number(row.domestic_abuse) === 1,
      repeatSuspect: Number(row.repeat_suspect) === 1,
      vulnerableVictim: Number(row.vulnerable_victim) === 1,
      childVictim: Number(row.child_victim) === 1,
    },
    reportedOn: row.reported_on,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    version: Number(row.version),
  };
}

function toTeamMember(row: repository.TeamRow): TeamMember[] {
  if (!isCaseRole(row.case_role)) return [];
  return [{
    id: row.id,
    userId: row.user_id,
    name: row.display_name,
    organisationId: row.organisation_id,
    organisationName: row.organisation_name,
    role: row.case_role,
    allocatedAt: row.allocated_at,
    endedAt: row.ended_at,
  }];
}

export function toEvent(row: repository.EventRow): CaseEvent {
  let data: Record<string, unknown> = {};
  try {
    data = JSON.parse(row.data) as Record<string, unknown>;
  } catch {
    // A journal row is never rewritten; an unreadable payload is shown without detail.
  }
  return { id: row.id, seq: Number(row.seq), type: row.type, occurredAt: row.occurred_at, recordedAt: row.recorded_at, actorUserId: row.actor_user_id, actorName: row.actor_name, data };
}

/** Whoever may create cases: investigators and supervisors acting for a police force. */
export function mayCreateCases(actor: Actor): boolean {
  return actor.organisation.organisationKind === 'police_force' && actor.organisation.roles.some((role) => role === 'investigator' || role === 'police_supervisor');
}

/** The case roles the actor may allocate on this case: police roles in its force, CPS roles in its Area. */
export function rolesActorMayAllocate(actor: Actor, summary: Pick<CaseSummary, 'forceId' | 'cpsAreaId'>): CaseRole[] {
  const { organisationId, roles } = actor.organisation;
  if (organisationId === summary.forceId) return allocatableRoles(roles, 'police');
  if (organisationId === summary.cpsAreaId) return allocatableRoles(roles, 'cps');
  return [];
}

/** Hash of a request body for idempotency: the same key must come with the same request. */
export function requestHash(body: unknown): string {
  const canonical = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(canonical);
    if (value && typeof value === 'object') return Object.fromEntries(Object.keys(value).sort().map((k) => [k, canonical((value as Record<string, unknown>)[k])]));
    return value;
  };
  return createHash('sha256').update(JSON.stringify(canonical(body) ?? null)).digest('hex');
}

/** Everything a new case row needs. */
interface CaseSeed extends ValidNewCase {
  readonly forceId: string;
  readonly cpsUrn?: string | null;
}

export interface OperatorCase {
  readonly policeReference: string;
  readonly cpsUrn?: string;
  readonly forceId: string;
  readonly cpsAreaId: string;
  readonly offenceClass: ValidNewCase['offenceClass'];
  readonly flags?: Partial<ValidNewCase['flags']>;
  readonly reportedOn: string;
  /** Stages after 'crime_recorded' the case has moved through, in order. */
  readonly path?: readonly Stage[];
  /** How many days ago the case reached the last stage of its path (0 if omitted): that stage's deadline starts then. */
  readonly daysAtStage?: number;
  readonly people?: readonly { readonly category: PersonCategory; readonly name: string; readonly dateOfBirth?: string }[];
  readonly team: readonly { readonly userId: string; readonly organisationId: string; readonly role: CaseRole }[];
}

/** Writes a new case at 'Crime recorded' and its first journal event; the caller writes the audit entry in the same transaction. */
async function insertCase(tx: Tx, actorUserId: string | null, seed: CaseSeed, now: string): Promise<string> {
  const id = newId();
  await repository.insertCase(tx, {
    id,
    police_reference: seed.policeReference,
    cps_urn: seed.cpsUrn ?? null,
    court_case_number: null,
    force_id: seed.forceId,
    cps_area_id: seed.cpsAreaId,
    stage: 'crime_recorded',
    offence_class: seed.offenceClass,
    domestic_abuse: seed.flags.domesticAbuse ? 1 : 0,
    repeat_suspect: seed.flags.repeatSuspect ? 1 : 0,
    vulnerable_victim: seed.flags.vulnerableVictim ? 1 : 0,
    child_victim: seed.flags.childVictim ? 1 : 0,
    reported_on: seed.reportedOn,
    created_at: now,
    updated_at: now,
    version: 1,
  });
  await repository.appendEvent(tx, {
    id: newId(), case_id: id, type: 'case.created', occurred_at: now, recorded_at: now, actor_user_id: actorUserId,
    data: JSON.stringify({ stage: 'crime_recorded', offenceClass: seed.offenceClass, policeReference: seed.policeReference }),
  });
  return id;
}

/** Allocates a case role, ending whoever held it; returns the journal event to append. */
async function allocateIn(tx: Tx, caseId: string, member: { userId: string; organisationId: string; role: CaseRole; name: string }, now: string) {
  const current = (await repository.teamOf(tx, caseId)).find((row) => row.ended_at === null && row.case_role === member.role);
  if (current) await repository.endAllocation(tx, current.id, now);
  await repository.insertAllocation(tx, { id: newId(), case_id: caseId, user_id: member.userId, organisation_id: member.organisationId, case_role: member.role, allocated_at: now, ended_at: null });
  return {
    type: 'case.team-allocated',
    data: { role: member.role, userId: member.userId, name: member.name, ...(current ? { replaces: current.user_id, replacesName: current.display_name } : {}) },
  };
}

/**
 * Writes a whole case in the caller's transaction: its team (each member must
 * hold a fitting role in the right organisation), people and the stages it has
 * moved through (each move must be one the stage model allows). For the demo
 * and tests, which journal the seeding themselves.
 */
export async function writeSeededCase(tx: Tx, input: OperatorCase, now: string): Promise<string> {
  const flags = { domesticAbuse: false, repeatSuspect: false, vulnerableVictim: false, childVictim: false, ...input.flags };
  const id = await insertCase(tx, null, { ...input, policeReference: normaliseReference(input.policeReference), flags, cpsUrn: input.cpsUrn ?? null }, now);
  const append = (type: string, data: Record<string, unknown>) =>
    repository.appendEvent(tx, { id: newId(), case_id: id, type, occurred_at: now, recorded_at: now, actor_user_id: null, data: JSON.stringify(data) });
  for (const member of input.team) {
    const held = await repository.rolesIn(tx, member.userId, member.organisationId);
    const side = caseRoles[member.role].side === 'police' ? input.forceId : input.cpsAreaId;
    if (!held || member.organisationId !== side || !mayHoldCaseRole(member.role, held.roles.filter(isRole) as Role[])) {
      throw new Error(`Cannot allocate ${member.userId} as ${member.role} on ${input.policeReference}`);
    }
    const allocation = await allocateIn(tx, id, { ...member, name: held.name }, now);
    await append(allocation.type, allocation.data);
  }
  for (const person of input.people ?? []) {
    const personId = newId();
    await repository.insertPerson(tx, { id: personId, case_id: id, category: person.category, name: person.name, date_of_birth: person.dateOfBirth ?? null, created_at: now });
    await append('case.person-added', { personId, category: person.category });
  }
  let stage: Stage = 'crime_recorded';
  const path = input.path ?? [];
  const today = londonDate(now);
  for (const [i, next] of path.entries()) {
    const problem = transitionProblem(stage, next);
    if (problem) throw new Error(`${input.policeReference}: ${problem}`);
    const startedOn = i === path.length - 1 ? addCalendarDays(today, -(input.daysAtStage ?? 0)) : today;
    await moveStageDeadlines(tx, { id, forceId: input.forceId, cpsAreaId: input.cpsAreaId }, { from: stage, to: next, now: new Date(now), startedOn });
    await append('case.stage-changed', { from: stage, to: next });
    stage = next;
  }
  await repository.setStage(tx, id, stage);
  return id;
}

export function createCasesService(platform: Platform) {
  const { db, audit, clock } = platform;
  const nowIso = () => clock.now().toISOString();

  const { refuse, accessTo, load, command } = createCaseCommands(platform);
  const idempotent = createIdempotency(platform);

  async function checkedNewCase(actor: Actor, input: NewCaseInput): Promise<ValidNewCase> {
    const { value, errors } = newCaseErrors(input, londonDate(clock.now()));
    if (value) {
      const area = isId(value.cpsAreaId) ? await repository.findOrganisation(db, value.cpsAreaId) : undefined;
      if (area?.kind !== 'cps_area') errors.push({ field: 'cpsAreaId', message: 'Select a CPS Area from the list' });
      if (await repository.findCaseByForceReference(db, actor.organisation.organisationId, value.policeReference)) {
        errors.push({ field: 'policeReference', message: 'Your force already has a case with this crime reference' });
      }
    }
    if (errors.length || !value) throw invalid(errors);
    return value;
  }

  /** Creates the case with the actor as its officer in the case, in one transaction; `extra` runs in the same one. */
  async function create(actor: Actor, context: AuditContext, value: ValidNewCase, extra?: (tx: Tx, summary: CaseSummary) => Promise<void>): Promise<CaseSummary> {
    const duplicate = invalid([{ field: 'policeReference', message: 'Your force already has a case with this crime reference' }]);
    const id = await inTransaction(db, async (tx) => {
      const now = nowIso();
      const forceId = actor.organisation.organisationId;
      const caseId = await insertCase(tx, actor.userId, { ...value, forceId }, now);
      await audit.record(tx, context, { action: 'collect', event: 'case.create', objectType: 'case', objectId: caseId, details: { stage: 'crime_recorded', offenceClass: value.offenceClass } });
      const allocation = await allocateIn(tx, caseId, { userId: actor.userId, organisationId: forceId, role: 'oic', name: actor.displayName }, now);
      await repository.appendEvent(tx, { id: newId(), case_id: caseId, type: allocation.type, occurred_at: now, recorded_at: now, actor_user_id: actor.userId, data: JSON.stringify(allocation.data) });
      if (extra) await extra(tx, toSummary((await repository.findCase(tx, caseId))!));
      return caseId;
    }).catch((error: unknown) => {
      throw repository.isUniqueViolation(error) ? duplicate : error;
    });
    return toSummary((await repository.findCase(db, id))!);
  }

  return {
    async cpsAreas(): Promise<{ id: string; name: string }[]> {
      return repository.cpsAreas(db);
    },

    /** Refuses (and journals the refusal) unless the actor may create cases. */
    async checkMayCreate(actor: Actor, context: AuditContext): Promise<void> {
      if (!mayCreateCases(actor)) await refuse(context, 'forbidden', undefined, 'case.create.forbidden');
    },

    async createCase(actor: Actor, context: AuditContext, input: NewCaseInput): Promise<CaseSummary> {
      if (!mayCreateCases(actor)) return refuse(context, 'forbidden', undefined, 'case.create.forbidden');
      return create(actor, context, await checkedNewCase(actor, input));
    },

    /**
     * Creates a case at most once per idempotency key: a repeat of the same
     * request answers what the first did; the key sent with a different
     * request is refused.
     */
    async createCaseOnce<T>(actor: Actor, context: AuditContext, input: NewCaseInput, idempotency: Idempotency, present: (summary: CaseSummary) => T): Promise<T> {
      if (!mayCreateCases(actor)) return refuse(context, 'forbidden', undefined, 'case.create.forbidden');
      return idempotent.once<T>(context, actor, 'cases.create', idempotency, async (remember) => {
        let answer: T | undefined;
        await create(actor, context, await checkedNewCase(actor, input), async (tx, summary) => {
          answer = present(summary);
          await remember(tx, answer);
        });
        return answer!;
      });
    },

    /** The case file: summary, people, team and timeline (newest first). Audited as a consultation. With 'work', only for those who may change it. */
    async caseFile(actor: Actor, context: AuditContext, caseId: string, need: 'see' | 'work' = 'see'): Promise<CaseFile & { access: CaseAccess; deadlines: CaseDeadline[] }> {
      const { row, access } = await load(actor, context, caseId, need);
      const [people, team, events, deadlines] = await Promise.all([
        repository.peopleOf(db, row.id), repository.teamOf(db, row.id), repository.eventsOf(db, row.id), deadlinesFor(db, CASE_SUBJECT, row.id),
      ]);
      const today = londonDate(clock.now());
      const persons: CasePerson[] = people.flatMap((p) => (isPersonCategory(p.category) ? [{ id: p.id, category: p.category, name: p.name, dateOfBirth: p.date_of_birth }] : []));
      await audit.audited(context, {
        action: 'consult',
        event: 'case.view',
        objectType: 'case',
        objectId: row.id,
        subjects: persons.filter((p) => p.category !== 'witness').map((p) => p.id),
        details: { access },
      }, async () => undefined);
      return {
        summary: toSummary(row),
        people: persons,
        team: team.flatMap(toTeamMember),
        events: events.map(toEvent),
        access,
        deadlines: deadlines.map((d) => ({ ...d, overdue: d.status === 'open' && d.dueOn < today })),
      };
    },

    /** The cases on which the actor holds an active allocation, a page at a time, sorted on the server. */
    /** The cases the actor is on the team of, a page at a time; the listing is a consultation, so it is journalled. */
    async myCases(actor: Actor, context: AuditContext, options: { sort?: string; order?: string; page?: number }): Promise<CasePage> {
      const sort: CaseSort = options.sort && isCaseSort(options.sort) ? options.sort : 'updated';
      const order: SortOrder = options.order === 'ascending' || options.order === 'descending' ? options.order : sort === 'updated' ? 'descending' : 'ascending';
      const fetch = (page: number) => repository.casesOfUser(db, actor.userId, sort, order, (page - 1) * PAGE_SIZE, PAGE_SIZE);
      let page = options.page !== undefined && Number.isSafeInteger(options.page) && options.page >= 1 ? options.page : 1;
      let found = await fetch(page);
      const pages = Math.max(1, Math.ceil(found.total / PAGE_SIZE));
      if (page > pages) {
        page = pages;
        found = await fetch(page);
      }
      const due = await earliestOpenDue(db, CASE_SUBJECT, found.rows.map((row) => row.id));
      await audit.audited(context, { action: 'consult', event: 'cases.list', objectType: 'case', details: { page, shown: found.rows.length, total: found.total } }, async () => undefined);
      return { cases: found.rows.map(toSummary), nextDue: due, total: found.total, page, pages, sort, order };
    },

    async addPerson(actor: Actor, context: AuditContext, caseId: string, input: NewPersonInput, version: number | null): Promise<string> {
      const loaded = await load(actor, context, caseId, 'work');
      const { value, errors } = newPersonErrors(input, londonDate(clock.now()));
      if (!value) throw invalid(errors);
      const personId = newId();
      await command(actor, context, loaded, version, async (tx, now) => {
        await repository.insertPerson(tx, { id: personId, case_id: loaded.row.id, category: value.category, name: value.name, date_of_birth: value.dateOfBirth, created_at: now });
        return {
          // The journal holds who was added, not their name: the name is in the case file, under its access rules.
          events: [{ type: 'case.person-added', data: { personId, category: value.category } }],
          audit: { action: 'collect', event: 'case.person.add', subjects: [personId], details: { category: value.category } },
        };
      });
      return personId;
    },

    /** Who the actor may allocate to which case roles; refuses anyone who may allocate none. */
    async allocationChoices(actor: Actor, context: AuditContext, caseId: string): Promise<{ role: CaseRole; people: { id: string; name: string }[] }[]> {
      const { row } = await load(actor, context, caseId, 'work');
      const allocatable = rolesActorMayAllocate(actor, { forceId: row.force_id, cpsAreaId: row.cps_area_id });
      if (allocatable.length === 0) return refuse(context, 'forbidden', caseId, 'case.allocate.forbidden');
      const holders = [...new Set(allocatable.flatMap((role) => caseRoles[role].holders))];
      const people = await repository.peopleWithRoles(db, actor.organisation.organisationId, holders);
      return allocatable.map((role) => ({
        role,
        people: people.filter((person) => mayHoldCaseRole(role, person.roles.filter(isRole))).map(({ id, name }) => ({ id, name })),
      }));
    },

    /** Allocates a case role to a person; whoever held it before is reallocated (their allocation ends). */
    async allocate(actor: Actor, context: AuditContext, caseId: string, input: { role: string; userId: string }, version: number | null): Promise<void> {
      const loaded = await load(actor, context, caseId, 'work');
      const { row } = loaded;
      const allocatable = rolesActorMayAllocate(actor, { forceId: row.force_id, cpsAreaId: row.cps_area_id });
      if (allocatable.length === 0) return refuse(context, 'forbidden', caseId, 'case.allocate.forbidden');
      const errors: FieldError[] = [];
      const role = (allocatable as string[]).includes(input.role) ? (input.role as CaseRole) : undefined;
      if (!role) errors.push({ field: 'role', message: 'Select the role on the case' });
      const organisationId = actor.organisation.organisationId;
      const held = isId(input.userId) ? await repository.rolesIn(db, input.userId, organisationId) : undefined;
      if (!held) errors.push({ field: 'userId', message: `Select someone in ${actor.organisation.organisationName}` });
      else if (role && !mayHoldCaseRole(role, held.roles.filter(isRole) as Role[])) {
        errors.push({ field: 'userId', message: translate('cases.allocate.error.cannotHold', { name: held.name, role: caseRoleNameInText(role) }) });
      }
      if (role && held) {
        const current = (await repository.teamOf(db, row.id)).find((member) => member.ended_at === null && member.case_role === role);
        if (current?.user_id === input.userId) errors.push({ field: 'userId', message: translate('cases.allocate.error.alreadyHolds', { name: held.name, role: caseRoleNameInText(role) }) });
      }
      if (errors.length || !role || !held) throw invalid(errors);
      await command(actor, context, loaded, version, async (tx, now) => {
        const allocation = await allocateIn(tx, row.id, { userId: input.userId, organisationId, role, name: held.name }, now);
        return {
          events: [allocation],
          audit: { action: 'alter', event: 'case.team.allocate', details: { role, userId: input.userId, replaces: (allocation.data.replaces as string | undefined) ?? null } },
        };
      });
    },

    /**
     * Moves the case to another stage, if the stage model allows it from where
     * the case is and the move is not one that a command of its own makes
     * (requesting early advice, a charging decision, police NFA, ...).
     */
    async moveStage(actor: Actor, context: AuditContext, caseId: string, input: { stage: string }, version: number | null): Promise<CaseSummary> {
      const loaded = await load(actor, context, caseId, 'work');
      const problem = transitionProblem(loaded.stage, input.stage) ?? manualMoveProblem(loaded.stage, input.stage as Stage);
      if (problem) throw invalid([{ field: 'stage', message: problem }]);
      const to = input.stage as Stage;
      await command(actor, context, loaded, version, async () => ({
        events: [],
        stage: to,
        audit: { action: 'alter', event: 'case.stage.change', details: { from: loaded.stage, to } },
      }));
      return toSummary((await repository.findCase(db, loaded.row.id))!);
    },

    /** Refuses (and journals the refusal) anyone who may never break glass. */
    async checkMayBreakGlass(actor: Actor, context: AuditContext): Promise<void> {
      if (!mayBreakGlass(actor)) await refuse(context, 'forbidden', undefined, 'case.break-glass.forbidden');
    },

    /**
     * Opens a case the actor is not allocated to, for a reason they record,
     * until `expiresAt` (the end of their session). The answer is the same
     * whether the case does not exist or is not theirs to open.
     */
    async breakGlass(actor: Actor, context: AuditContext, input: { reference: string; reason: string }, expiresAt: string): Promise<string> {
      if (!mayBreakGlass(actor)) return refuse(context, 'forbidden', undefined, 'case.break-glass.forbidden');
      const reference = normaliseReference(input.reference);
      const errors: FieldError[] = reference === '' ? [{ field: 'reference', message: 'Enter the crime reference or URN' }] : [];
      errors.push(...reasonErrors(input.reason));
      if (errors.length) throw invalid(errors);
      const candidates = await repository.findCasesByReference(db, actor.organisation.organisationId, reference);
      const accesses = await Promise.all(candidates.map(async (row) => ({ row, access: await accessTo(actor, row) })));
      const visible = accesses.filter((c) => c.access !== 'none');
      if (visible.length !== 1) {
        await audit.audited(context, { action: 'deny', event: 'case.break-glass.refused', outcome: 'denied', objectType: 'case', details: { matches: visible.length > 1 ? 'several' : 'none' } }, async () => undefined);
        throw invalid([{ field: 'reference', message: visible.length > 1 ? 'More than one case has this reference: enter the case’s URN instead' : 'There is no case with this reference that you can open' }]);
      }
      const { row, access } = visible[0]!;
      if (access !== 'break-glass-needed') return row.id;
      const reason = input.reason.trim();
      await inTransaction(db, async (tx) => {
        const grantId = newId();
        await repository.insertBreakGlass(tx, { id: grantId, case_id: row.id, user_id: actor.userId, reason, granted_at: nowIso(), expires_at: expiresAt, reviewed_at: null });
        await audit.record(tx, context, {
          action: 'consult',
          event: 'case.break-glass',
          objectType: 'case',
          objectId: row.id,
          purpose: reason,
          details: { grant: grantId, expiresAt, flaggedForReview: true },
        });
      });
      return row.id;
    },

    /** For tests: a case with its team, people and the stages it has been through, journalled as by the system. */
    operator: {
      async createCase(context: AuditContext, input: OperatorCase): Promise<string> {
        return inTransaction(db, async (tx) => {
          const id = await writeSeededCase(tx, input, nowIso());
          await audit.record(tx, context, { action: 'collect', event: 'case.create', objectType: 'case', objectId: id, details: { offenceClass: input.offenceClass } });
          return id;
        });
      },
    },
  };
}

export type CasesService = ReturnType<typeof createCasesService>;
