// Commands and queries of NFA scrutiny panels. Every method starts with the
// access check in model.ts (`mayScrutiny`): a panel, pack or learning record
// the person may not see is "not found", one they may see but not change is
// "forbidden", and both refusals are journalled. Every change is one
// transaction: the rows, the version the person read (a stale one is a
// conflict, never a silent overwrite) and the audit entry. The case file is
// read only through src/cases/oversight/nfa-review.ts, and only when cases are
// selected (to make their anonymised packs) and when findings are agreed (to
// find the officer and prosecutor the learning goes to).
import { randomInt } from 'node:crypto';
import { hasPermission } from '../../platform/access/policy.ts';
import type { Actor } from '../../platform/access/policy.ts';
import type { AuditContext } from '../../platform/audit/model.ts';
import { isId, newId } from '../../platform/db/ids.ts';
import type { OrganisationKind } from '../../platform/db/tables.ts';
import { inTransaction } from '../../platform/db/transaction.ts';
import type { Db, Tx } from '../../platform/db/transaction.ts';
import { insertNotifications } from '../../platform/deadlines/repository.ts';
import { registerSubjectType } from '../../platform/deadlines/service.ts';
import { translate } from '../../platform/i18n/messages.ts';
import type { Platform } from '../../platform/platform.ts';
import { londonDate } from '../../platform/time/working-days.ts';
import type { PlainDate } from '../../platform/time/working-days.ts';
import { Problem } from '../../platform/web/errors.ts';
import { invalid, validVersion } from '../../cases/case-commands.ts';
import { createIdempotency } from '../../cases/idempotency.ts';
import type { Idempotency } from '../../cases/idempotency.ts';
import { caseReference, involvedUserIds, learningAudience, nfaCasesIn, nfaReviewRecord } from '../../cases/oversight/nfa-review.ts';
import { safeContactRules } from '../../victims/communication/service.ts';
import { buildPack } from './anonymise.ts';
import type { ScrutinyPack } from './anonymise.ts';
import {
  LEARNING_SUBJECT, MAX_SELECTED, actionErrors, actionUpdateErrors, answerErrors, countThemes, findingsErrors, isMythKind, isNfaDecisionKind, maySit, mayScrutiny,
  memberErrors, memberKind, mythKinds, panelErrors, pseudonymLabel, roundErrors, suppress, themeValues,
} from './model.ts';
import type {
  ActionInput, ActionStatus, Answers, AnswersInput, MemberInput, MythKind, NfaDecisionKind, PanelFacts, PanelInput, RoundInput, ScrutinyNeed, SelectionMethod, Shared, SoundAnswer, ThemeCounts, ValidRound, YesNo,
} from './model.ts';
import * as repository from './repository.ts';
import { drawSample, newSeed, stratumOf, takeAll } from './sample.ts';
import type { Stratum } from './sample.ts';
import type { ScrutinyAnswerColumns } from './tables.ts';

type Executor = Db | Tx;

/** Tells the notifications page where a learning notification leads. Registering again changes nothing. */
export function registerLearningSubject(): void {
  registerSubjectType(LEARNING_SUBJECT, {
    // Learning is never the subject of a deadline: no one to remind, nothing to describe.
    audience: async () => [],
    describe: async () => translate('scrutiny.learning.title'),
    path: (learningId) => `/scrutiny/learning/${learningId}`,
  });
}

export interface Panel {
  readonly id: string;
  readonly name: string;
  readonly forceId: string;
  readonly forceName: string;
  readonly cpsAreaId: string | null;
  readonly cpsAreaName: string | null;
  readonly version: number;
}

export interface Member {
  readonly id: string;
  readonly userId: string;
  readonly name: string;
  readonly organisationId: string;
  readonly organisationName: string;
  readonly organisationKind: OrganisationKind;
  readonly role: 'chair' | 'member';
  /** Sits for an organisation other than the panel's force and Area (an ISVA service, an independent member). */
  readonly external: boolean;
  readonly addedAt: string;
  readonly endedAt: string | null;
}

export interface Powers {
  readonly manage: boolean;
  readonly act: boolean;
  readonly chair: boolean;
  readonly member: boolean;
}

export interface Round {
  readonly id: string;
  readonly panelId: string;
  readonly from: PlainDate;
  readonly to: PlainDate;
  readonly kinds: readonly NfaDecisionKind[];
  readonly method: SelectionMethod;
  readonly sampleSize: number | null;
  readonly seed: string | null;
  readonly population: number;
  readonly selected: number;
  readonly strata: readonly Stratum[];
  readonly createdAt: string;
}

export interface PackItem {
  readonly id: string;
  readonly pseudonym: number;
  readonly label: string;
  readonly stratum: string;
  readonly pack: ScrutinyPack;
  readonly reviews: number;
  readonly reviewedByMe: boolean;
  readonly agreed: boolean;
}

export interface Review extends Answers {
  readonly id: string;
  readonly memberUserId: string;
  readonly memberName: string;
  readonly updatedAt: string;
  readonly version: number;
}

export interface Findings extends Answers {
  readonly learning: string;
  readonly agreedBy: string;
  readonly agreedAt: string;
  /** The case roles the learning was sent to (never who: the panel does not learn who worked on the case). */
  readonly sentTo: readonly ('oic' | 'prosecutor')[];
}

export interface Action {
  readonly id: string;
  readonly text: string;
  readonly owner: string;
  readonly dueOn: PlainDate;
  readonly status: ActionStatus;
  readonly packId: string | null;
  readonly packLabel: string | null;
  readonly overdue: boolean;
  readonly version: number;
}

export interface ActionUpdate {
  readonly from: ActionStatus | null;
  readonly to: ActionStatus;
  readonly note: string;
  readonly by: string;
  readonly at: string;
}

export interface PanelView {
  readonly panel: Panel;
  /** Members now. */
  readonly members: readonly Member[];
  readonly rounds: readonly Round[];
  readonly actions: readonly Action[];
  readonly powers: Powers;
}

export interface PackView {
  readonly panel: Panel;
  readonly round: Round;
  readonly id: string;
  readonly label: string;
  readonly pack: ScrutinyPack;
  readonly version: number;
  /** The reviewer's own review, if any. */
  readonly mine: Review | null;
  /** Every member's review: for the chair only. */
  readonly reviews: readonly Review[] | null;
  readonly findings: Findings | null;
  /** The person worked on this case: they may not review it or agree its findings. */
  readonly conflicted: boolean;
  readonly powers: Powers;
}

export interface ThemesView {
  readonly panel: Panel;
  readonly columns: readonly { readonly round: Round | null; readonly values: Readonly<Record<string, number | Shared>> }[];
  readonly shared: boolean;
}

export interface Learning {
  readonly id: string;
  readonly panelName: string;
  readonly from: PlainDate;
  readonly to: PlainDate;
  readonly caseId: string;
  readonly policeReference: string | null;
  readonly role: 'oic' | 'prosecutor';
  readonly sentAt: string;
  readonly findings: Findings | null;
}

const parseList = (json: string): string[] => {
  const value: unknown = JSON.parse(json);
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
};

function toPanel(row: repository.PanelRow): Panel {
  return { id: row.id, name: row.name, forceId: row.force_id, forceName: row.force_name, cpsAreaId: row.cps_area_id, cpsAreaName: row.cps_area_name, version: Number(row.version) };
}

function toMember(panel: Pick<Panel, 'forceId' | 'cpsAreaId'>, row: repository.MemberRow): Member {
  return {
    id: row.id, userId: row.user_id, name: row.display_name, organisationId: row.organisation_id, organisationName: row.organisation_name, organisationKind: row.organisation_kind,
    role: row.role === 'chair' ? 'chair' : 'member', external: memberKind(panel, row.organisation_id, row.organisation_kind).external, addedAt: row.added_at, endedAt: row.ended_at,
  };
}

const factsOf = (panel: Pick<Panel, 'forceId' | 'cpsAreaId'>, members: readonly Member[]): PanelFacts => ({
  forceId: panel.forceId, cpsAreaId: panel.cpsAreaId, members: members.filter((m) => m.endedAt === null).map((m) => ({ userId: m.userId, organisationId: m.organisationId, role: m.role })),
});

function toRound(row: repository.RoundRow): Round {
  const strata = JSON.parse(row.strata) as Stratum[];
  return {
    id: row.id, panelId: row.panel_id, from: row.period_from, to: row.period_to, kinds: parseList(row.decision_kinds).filter(isNfaDecisionKind),
    method: row.method === 'sample' ? 'sample' : 'all', sampleSize: row.sample_size === null ? null : Number(row.sample_size), seed: row.seed,
    population: Number(row.population), selected: Number(row.selected), strata: Array.isArray(strata) ? strata : [], createdAt: row.created_at,
  };
}

function toAnswers(row: ScrutinyAnswerColumns): Answers {
  return {
    sound: row.sound as SoundAnswer, soundReasons: row.sound_reasons,
    missedEnquiries: row.missed_enquiries as YesNo, missedEnquiriesDetail: row.missed_enquiries_detail,
    communication: row.communication as SoundAnswer, communicationReasons: row.communication_reasons,
    myths: row.myths as YesNo, mythKinds: parseList(row.myth_kinds).filter(isMythKind) as MythKind[], mythsDetail: row.myths_detail,
    observations: row.observations,
  };
}

function answerColumns(answers: Answers): ScrutinyAnswerColumns {
  return {
    sound: answers.sound, sound_reasons: answers.soundReasons, missed_enquiries: answers.missedEnquiries, missed_enquiries_detail: answers.missedEnquiriesDetail,
    communication: answers.communication, communication_reasons: answers.communicationReasons, myths: answers.myths,
    myth_kinds: JSON.stringify(answers.mythKinds), myth_kinds_version: mythKinds.version, myths_detail: answers.mythsDetail, observations: answers.observations,
  };
}

const toReview = (row: repository.ReviewRow): Review => ({ ...toAnswers(row), id: row.id, memberUserId: row.member_user_id, memberName: row.member_name, updatedAt: row.updated_at, version: Number(row.version) });

const parsePack = (json: string): ScrutinyPack => JSON.parse(json) as ScrutinyPack;

// Preparing and writing a round: shared by the service and the demo, each in its own transaction.

export interface PreparedRound {
  readonly value: ValidRound;
  readonly seed: string | null;
  readonly population: number;
  readonly strata: readonly Stratum[];
  readonly items: readonly { readonly caseId: string; readonly stratum: string; readonly pseudonym: number; readonly pack: ScrutinyPack; readonly victimIds: readonly string[] }[];
}

/** Pseudonyms 1..n in an order drawn at random (not seeded: nothing about the case, or the seed, leads back to it). */
function shuffledNumbers(n: number): number[] {
  const numbers = Array.from({ length: n }, (_, i) => i + 1);
  for (let i = n - 1; i > 0; i -= 1) {
    const j = randomInt(i + 1);
    [numbers[i], numbers[j]] = [numbers[j]!, numbers[i]!];
  }
  return numbers;
}

/**
 * Selects the period's cases for a panel (all, or the stratified sample) and
 * makes each one's anonymised pack: reads the case file through
 * nfa-review.ts and the victims' safe contact details (to scrub them).
 */
export async function prepareRound(executor: Executor, panel: Pick<Panel, 'forceId' | 'cpsAreaId'>, value: ValidRound): Promise<PreparedRound> {
  const found = await nfaCasesIn(executor, { forceId: panel.forceId, cpsAreaId: panel.cpsAreaId, from: value.from, to: value.to, kinds: value.kinds });
  if (found.length === 0) throw invalid([{ field: 'from-day', message: translate('scrutiny.error.noDecisions') }]);
  const candidates = found.map((f) => ({ caseId: f.caseId, stratum: stratumOf(f) }));
  const seed = value.method === 'sample' ? value.seed || newSeed() : null;
  const drawn = seed !== null ? drawSample(candidates, value.sampleSize ?? 1, seed) : takeAll(candidates);
  if (drawn.selected.length > MAX_SELECTED) throw invalid([{ field: 'method', message: translate('scrutiny.error.tooMany', { count: drawn.selected.length, max: MAX_SELECTED }) }]);
  const numbers = shuffledNumbers(drawn.selected.length);
  const byCase = new Map(found.map((f) => [f.caseId, f]));
  const items = [];
  for (const [i, candidate] of drawn.selected.entries()) {
    const record = await nfaReviewRecord(executor, candidate.caseId);
    if (!record) continue;
    const victimIds = record.people.filter((p) => p.category === 'victim').map((p) => p.id);
    const contact = (await Promise.all(victimIds.map((id) => safeContactRules(executor, id)))).filter((rules) => rules !== null);
    const pack = buildPack(record, byCase.get(candidate.caseId)!.decisions, numbers[i]!, {
      addresses: contact.flatMap((c) => (c.safeAddress ? [c.safeAddress] : [])),
      phones: contact.flatMap((c) => (c.safePhone ? [c.safePhone] : [])),
      emails: contact.flatMap((c) => (c.safeEmail ? [c.safeEmail] : [])),
    });
    items.push({ caseId: candidate.caseId, stratum: candidate.stratum, pseudonym: numbers[i]!, pack, victimIds });
  }
  return { value, seed, population: found.length, strata: drawn.strata, items };
}

/** Writes a prepared round and its packs in the caller's transaction; answers the round's id. */
export async function writeRound(tx: Tx, panelId: string, prepared: PreparedRound, by: string, now: string): Promise<string> {
  const id = newId();
  const { value } = prepared;
  await repository.insertRound(tx, {
    id, panel_id: panelId, period_from: value.from, period_to: value.to, decision_kinds: JSON.stringify(value.kinds), method: value.method,
    sample_size: value.sampleSize, seed: prepared.seed, population: prepared.population, selected: prepared.items.length, strata: JSON.stringify(prepared.strata),
    created_by: by, created_at: now,
  });
  // In pseudonym order, so nothing about a pack's place on the list or its id follows the case.
  const ordered = [...prepared.items].sort((a, b) => a.pseudonym - b.pseudonym);
  await repository.insertCases(tx, ordered.map((item) => ({
    id: newId(), round_id: id, panel_id: panelId, case_id: item.caseId, pseudonym: item.pseudonym, stratum: item.stratum, pack: JSON.stringify(item.pack), version: 1,
  })));
  return id;
}

/** Writes (or rewrites) a member's review in the caller's transaction; answers its version. */
export async function writeReview(tx: Tx, packId: string, memberUserId: string, answers: Answers, version: number | null, now: string): Promise<number> {
  const existing = (await repository.reviewsOf(tx, packId)).find((r) => r.member_user_id === memberUserId);
  if (existing) {
    if (version === null || !(await repository.updateReview(tx, existing.id, version, { ...answerColumns(answers), updated_at: now }))) throw new Problem('conflict');
    return version + 1;
  }
  if (version !== null) throw new Problem('conflict');
  await repository.insertReview(tx, { id: newId(), scrutiny_case_id: packId, member_user_id: memberUserId, ...answerColumns(answers), created_at: now, updated_at: now, version: 1 });
  return 1;
}

/**
 * Writes the panel's agreed findings and sends the learning to the officer in
 * the case and the prosecutor (a learning record and a notification each), in
 * the caller's transaction. Answers how many were told.
 */
export async function writeFindings(tx: Tx, pack: { id: string; case_id: string }, panel: Pick<Panel, 'name'>, findings: Answers & { learning: string }, by: string, now: string): Promise<number> {
  if (await repository.findingsOf(tx, pack.id)) throw invalid([{ field: 'sound', message: translate('scrutiny.error.alreadyAgreed') }]);
  const findingId = newId();
  await repository.insertFindings(tx, { id: findingId, scrutiny_case_id: pack.id, ...answerColumns(findings), learning: findings.learning, agreed_by: by, agreed_at: now });
  const audience = await learningAudience(tx, pack.case_id);
  if (!audience) return 0;
  // One record per person: an officer who is also the prosecutor (never in practice) is told once.
  const recipients = audience.recipients.filter((r, i) => audience.recipients.findIndex((o) => o.userId === r.userId) === i);
  const learning = recipients.map((r) => ({ id: newId(), scrutiny_case_id: pack.id, finding_id: findingId, user_id: r.userId, case_role: r.role, sent_at: now }));
  await repository.insertLearning(tx, learning);
  await insertNotifications(tx, learning.map((l) => ({
    id: newId(), user_id: l.user_id, kind: 'scrutiny.learning', subject_type: LEARNING_SUBJECT, subject_id: l.id,
    text: translate('scrutiny.learning.notification', { panel: panel.name, reference: audience.policeReference }), created_at: now, read_at: null,
  })));
  return learning.length;
}

/** Writes an action and the first entry of its history in the caller's transaction; answers its id. */
export async function writeAction(tx: Tx, panel: { id: string }, input: { text: string; owner: string; dueOn: PlainDate; packId: string | null; roundId: string | null }, by: string, now: string): Promise<string> {
  const id = newId();
  await repository.insertAction(tx, {
    id, panel_id: panel.id, round_id: input.roundId, scrutiny_case_id: input.packId, text: input.text, owner: input.owner, due_on: input.dueOn, status: 'open',
    created_by: by, created_at: now, updated_by: by, updated_at: now, version: 1,
  });
  await repository.insertActionUpdate(tx, { id: newId(), action_id: id, status_from: null, status_to: 'open', note: translate('scrutiny.action.recorded'), by_user_id: by, at: now });
  return id;
}

export function createScrutinyService(platform: Platform) {
  const { db, audit, clock } = platform;
  const idempotent = createIdempotency(platform);
  registerLearningSubject();
  const today = () => londonDate(clock.now());
  const nowIso = () => clock.now().toISOString();

  /** Journals a refusal and throws it: 'not-found' for what the person may not know exists. */
  async function refuse(context: AuditContext, type: 'not-found' | 'forbidden', objectType: string, objectId: string | undefined, event = `scrutiny.${type}`): Promise<never> {
    await audit.audited(context, { action: 'deny', event, outcome: 'denied', objectType, objectId: objectId && isId(objectId) ? objectId : undefined }, async () => undefined);
    throw new Problem(type);
  }

  const powersOf = (actor: Actor, facts: PanelFacts): Powers => {
    const may = (need: ScrutinyNeed) => mayScrutiny(actor, { kind: 'panel', panel: facts }, need);
    return { manage: may('manage'), act: may('act'), chair: may('agree'), member: may('review') };
  };

  /** The access check every panel method starts with. */
  async function loadPanel(actor: Actor, context: AuditContext, panelId: string, need: ScrutinyNeed): Promise<{ panel: Panel; members: Member[]; facts: PanelFacts; powers: Powers }> {
    const row = isId(panelId) ? await repository.findPanel(db, panelId) : undefined;
    if (!row) return refuse(context, 'not-found', 'scrutiny-panel', panelId);
    const panel = toPanel(row);
    const members = (await repository.membersOf(db, [panel.id])).map((m) => toMember(panel, m));
    const facts = factsOf(panel, members);
    if (!mayScrutiny(actor, { kind: 'panel', panel: facts }, 'see')) return refuse(context, 'not-found', 'scrutiny-panel', panelId);
    if (!mayScrutiny(actor, { kind: 'panel', panel: facts }, need)) return refuse(context, 'forbidden', 'scrutiny-panel', panelId);
    return { panel, members, facts, powers: powersOf(actor, facts) };
  }

  /** The access check every pack method starts with: the pack's panel decides. */
  async function loadPack(actor: Actor, context: AuditContext, packId: string, need: ScrutinyNeed) {
    const row = isId(packId) ? await repository.findPack(db, packId) : undefined;
    if (!row) return refuse(context, 'not-found', 'scrutiny-pack', packId);
    const loaded = await loadPanel(actor, context, row.panel_id, need);
    return { ...loaded, row };
  }

  /** A member (or chair) who worked on the case may not sit in judgement of it. */
  async function refuseIfInvolved(actor: Actor, context: AuditContext, row: { id: string; case_id: string }): Promise<void> {
    if ((await involvedUserIds(db, row.case_id)).includes(actor.userId)) await refuse(context, 'forbidden', 'scrutiny-pack', row.id, 'scrutiny.conflict-of-interest');
  }

  async function roundOf(context: AuditContext, panelId: string, roundId: string): Promise<Round> {
    const row = isId(roundId) ? await repository.findRound(db, panelId, roundId) : undefined;
    if (!row) return refuse(context, 'not-found', 'scrutiny-round', roundId);
    return toRound(row);
  }

  const actionOf = (row: repository.ActionRow): Action => ({
    id: row.id, text: row.text, owner: row.owner, dueOn: row.due_on, status: row.status as ActionStatus, packId: row.scrutiny_case_id,
    packLabel: row.pseudonym === null ? null : pseudonymLabel(row.pseudonym), overdue: row.status !== 'done' && row.due_on < today(), version: Number(row.version),
  });

  return {
    /** The panels the person sits on or manages, whether they may set one up, and how much learning has been sent to them. */
    async overview(actor: Actor): Promise<{ panels: (Panel & { role: 'chair' | 'member' | 'manager' })[]; mayCreate: boolean; learning: number }> {
      const manager = hasPermission(actor, 'scrutiny.manage');
      const rows = await repository.panelsFor(db, actor.userId, manager ? actor.organisation.organisationId : null);
      const members = await repository.membersOf(db, rows.map((r) => r.id));
      const panels = rows.map(toPanel).flatMap((panel) => {
        const facts = factsOf(panel, members.filter((m) => m.panel_id === panel.id).map((m) => toMember(panel, m)));
        if (!mayScrutiny(actor, { kind: 'panel', panel: facts }, 'see')) return [];
        const seat = facts.members.find((m) => m.userId === actor.userId && m.organisationId === actor.organisation.organisationId);
        return [{ ...panel, role: seat && mayScrutiny(actor, { kind: 'panel', panel: facts }, 'review') ? seat.role : ('manager' as const) }];
      });
      const { organisationKind } = actor.organisation;
      return { panels, mayCreate: manager && (organisationKind === 'police_force' || organisationKind === 'cps_area'), learning: (await repository.learningOf(db, actor.userId)).length };
    },

    /** What a new panel's form offers: the actor's own force or Area, fixed, and the other side to choose from. */
    async panelChoices(actor: Actor): Promise<{ side: 'force' | 'area'; own: { id: string; name: string }; others: { id: string; name: string }[] }> {
      const { organisationId, organisationName, organisationKind } = actor.organisation;
      if (!hasPermission(actor, 'scrutiny.manage') || (organisationKind !== 'police_force' && organisationKind !== 'cps_area')) throw new Problem('forbidden');
      const side = organisationKind === 'police_force' ? 'force' : 'area';
      return { side, own: { id: organisationId, name: organisationName }, others: await repository.organisationsOfKind(db, side === 'force' ? 'cps_area' : 'police_force') };
    },

    /** Sets up a panel for the actor's own force (with a CPS Area, or alone) or Area (with a force). */
    async createPanel(actor: Actor, context: AuditContext, input: PanelInput): Promise<string> {
      const errors = panelErrors(input);
      if (errors.length) throw invalid(errors);
      const [force, area] = await Promise.all([
        isId(input.forceId) ? repository.findOrganisation(db, input.forceId) : undefined,
        input.cpsAreaId === '' ? null : isId(input.cpsAreaId) ? repository.findOrganisation(db, input.cpsAreaId) : undefined,
      ]);
      if (force?.kind !== 'police_force') throw invalid([{ field: 'forceId', message: translate('scrutiny.error.force') }]);
      if (area === undefined || (area !== null && area.kind !== 'cps_area')) throw invalid([{ field: 'cpsAreaId', message: translate('scrutiny.error.area') }]);
      if (!mayScrutiny(actor, { kind: 'panel', panel: { forceId: force.id, cpsAreaId: area?.id ?? null, members: [] } }, 'manage')) await refuse(context, 'forbidden', 'scrutiny-panel', undefined);
      const id = newId();
      await inTransaction(db, async (tx) => {
        const now = nowIso();
        await repository.insertPanel(tx, { id, name: input.name.trim(), force_id: force.id, cps_area_id: area?.id ?? null, created_by: actor.userId, created_at: now, updated_at: now, version: 1 });
        await audit.record(tx, context, { action: 'collect', event: 'scrutiny.panel.create', objectType: 'scrutiny-panel', objectId: id, details: { forceId: force.id, cpsAreaId: area?.id ?? null } });
      });
      return id;
    },

    /** A panel: its members, review rounds and actions, and what the person may do. */
    async panel(actor: Actor, context: AuditContext, panelId: string): Promise<PanelView> {
      const { panel, members, powers } = await loadPanel(actor, context, panelId, 'see');
      const [rounds, actions] = await Promise.all([repository.roundsOf(db, panel.id), repository.actionsOf(db, panel.id)]);
      return { panel, members: members.filter((m) => m.endedAt === null), rounds: rounds.map(toRound), actions: actions.map(actionOf), powers };
    },

    /** Refuses (journalled) anyone who may not do this with the panel: for showing a form. */
    async check(actor: Actor, context: AuditContext, panelId: string, need: ScrutinyNeed): Promise<{ panel: Panel; members: Member[]; powers: Powers }> {
      return loadPanel(actor, context, panelId, need);
    },

    /** Adds a person to the panel, found by email: anyone holding 'panel_member', or a case worker of the panel's force or Area. */
    async addMember(actor: Actor, context: AuditContext, panelId: string, input: MemberInput, version: number | null): Promise<{ id: string; version: number }> {
      const { panel, members } = await loadPanel(actor, context, panelId, 'manage');
      const expected = validVersion(version);
      const { value, errors } = memberErrors(input);
      if (!value) throw invalid(errors);
      const person = await repository.personByEmail(db, value.email);
      const organisations = [...new Set(person?.memberships.map((m) => m.organisationId) ?? [])];
      const rolesIn = (organisationId: string) => person!.memberships.filter((m) => m.organisationId === organisationId).map((m) => m.role);
      const eligible = organisations.filter((organisationId) => maySit(panel, organisationId, rolesIn(organisationId)));
      // Staff sit for the panel's own force or Area where they can; others for the organisation that gave them the panel role.
      const seat = eligible.find((o) => o === panel.forceId || o === panel.cpsAreaId) ?? eligible[0];
      if (!person || !seat) throw invalid([{ field: 'email', message: translate('scrutiny.error.notEligible') }]);
      if (members.some((m) => m.endedAt === null && m.userId === person.id)) throw invalid([{ field: 'email', message: translate('scrutiny.error.alreadyMember', { name: person.name }) }]);
      const id = newId();
      await inTransaction(db, async (tx) => {
        const now = nowIso();
        if (!(await repository.claimPanel(tx, panel.id, expected, now))) throw new Problem('conflict');
        if (value.role === 'chair') await repository.unseatChair(tx, panel.id);
        await repository.insertMember(tx, { id, panel_id: panel.id, user_id: person.id, organisation_id: seat, role: value.role, added_by: actor.userId, added_at: now, ended_by: null, ended_at: null });
        await audit.record(tx, context, { action: 'alter', event: 'scrutiny.member.add', objectType: 'scrutiny-panel', objectId: panel.id, details: { memberId: id, userId: person.id, organisationId: seat, role: value.role, version: expected + 1 } });
      });
      return { id, version: expected + 1 };
    },

    /** Ends a membership, or makes a member the chair (the chair before becomes a member). */
    async changeMember(actor: Actor, context: AuditContext, panelId: string, memberId: string, change: 'end' | 'chair', version: number | null): Promise<number> {
      const { panel, members } = await loadPanel(actor, context, panelId, 'manage');
      const member = members.find((m) => m.id === memberId && m.endedAt === null);
      if (!member) return refuse(context, 'not-found', 'scrutiny-member', memberId);
      const expected = validVersion(version);
      if (change === 'chair' && member.role === 'chair') throw invalid([{ field: 'member', message: translate('scrutiny.error.alreadyChair', { name: member.name }) }]);
      return inTransaction(db, async (tx) => {
        const now = nowIso();
        if (!(await repository.claimPanel(tx, panel.id, expected, now))) throw new Problem('conflict');
        if (change === 'end') await repository.endMember(tx, member.id, actor.userId, now);
        else {
          await repository.unseatChair(tx, panel.id);
          await repository.setMemberRole(tx, panel.id, member.id, 'chair');
        }
        await audit.record(tx, context, { action: 'alter', event: change === 'end' ? 'scrutiny.member.end' : 'scrutiny.member.chair', objectType: 'scrutiny-panel', objectId: panel.id, details: { memberId: member.id, userId: member.userId, version: expected + 1 } });
        return expected + 1;
      });
    },

    /**
     * Selects the cases of a period (every NFA decision of the kinds asked for,
     * or a stratified random sample drawn with a recorded seed), makes their
     * anonymised packs and records the round. Claims the panel's version.
     */
    async selectCases(actor: Actor, context: AuditContext, panelId: string, input: RoundInput, version: number | null, idempotency?: Idempotency): Promise<string> {
      const { panel } = await loadPanel(actor, context, panelId, 'manage');
      return (await idempotent.once<{ id: string }>(context, actor, `scrutiny.select:${panel.id}`, idempotency, async (remember) => {
        const expected = validVersion(version);
        const { value, errors } = roundErrors(input, today());
        if (!value) throw invalid(errors);
        const overlap = await repository.overlappingRound(db, panel.id, value.from, value.to);
        if (overlap) throw invalid([{ field: 'from-day', message: translate('scrutiny.error.overlap', { from: overlap.period_from, to: overlap.period_to }) }]);
        const prepared = await prepareRound(db, panel, value);
        const id = await inTransaction(db, async (tx) => {
          const now = nowIso();
          if (!(await repository.claimPanel(tx, panel.id, expected, now))) throw new Problem('conflict');
          if (await repository.overlappingRound(tx, panel.id, value.from, value.to)) throw new Problem('conflict');
          const roundId = await writeRound(tx, panel.id, prepared, actor.userId, now);
          await remember(tx, { id: roundId });
          await audit.record(tx, context, {
            action: 'disclose', event: 'scrutiny.select', objectType: 'scrutiny-round', objectId: roundId, purpose: 'nfa-scrutiny',
            subjects: prepared.items.flatMap((item) => item.victimIds),
            details: { panelId: panel.id, method: value.method, population: prepared.population, selected: prepared.items.length, seed: prepared.seed, from: value.from, to: value.to, version: expected + 1 },
          });
          return roundId;
        });
        return { id };
      })).id;
    },

    /** A round: how its cases were selected, and its packs with where each review stands. */
    async round(actor: Actor, context: AuditContext, panelId: string, roundId: string): Promise<{ panel: Panel; round: Round; packs: PackItem[]; powers: Powers }> {
      const { panel, powers } = await loadPanel(actor, context, panelId, 'see');
      const round = await roundOf(context, panel.id, roundId);
      const rows = await repository.packsOf(db, round.id);
      const mine = await repository.reviewedBy(db, actor.userId, rows.map((r) => r.id));
      await audit.audited(context, { action: 'consult', event: 'scrutiny.round.view', objectType: 'scrutiny-round', objectId: round.id, details: { panelId: panel.id, packs: rows.length } }, async () => undefined);
      return {
        panel, round, powers,
        packs: rows.map((r) => ({ id: r.id, pseudonym: r.pseudonym, label: pseudonymLabel(r.pseudonym), stratum: r.stratum, pack: parsePack(r.pack), reviews: r.reviews, reviewedByMe: mine.has(r.id), agreed: r.agreed_at !== null })),
      };
    },

    /** A pack as the panel reviews it; the chair sees every member's review. Audited as a consultation. */
    async pack(actor: Actor, context: AuditContext, packId: string): Promise<PackView> {
      const { panel, powers, row } = await loadPack(actor, context, packId, 'see');
      const [roundRow, reviews, findings, recipients, involved] = await Promise.all([
        repository.findRound(db, panel.id, row.round_id), repository.reviewsOf(db, row.id), repository.findingsOf(db, row.id), repository.learningRecipients(db, row.id),
        powers.member ? involvedUserIds(db, row.case_id) : Promise.resolve([] as string[]),
      ]);
      const all = reviews.map(toReview);
      await audit.audited(context, { action: 'consult', event: 'scrutiny.pack.view', objectType: 'scrutiny-pack', objectId: row.id, details: { panelId: panel.id, chair: powers.chair } }, async () => undefined);
      return {
        panel, round: toRound(roundRow!), id: row.id, label: pseudonymLabel(Number(row.pseudonym)), pack: parsePack(row.pack), version: Number(row.version),
        mine: all.find((r) => r.memberUserId === actor.userId) ?? null,
        reviews: powers.chair ? all : null,
        findings: findings ? { ...toAnswers(findings), learning: findings.learning, agreedBy: findings.agreed_by_name, agreedAt: findings.agreed_at, sentTo: recipients.map((r) => (r.case_role === 'prosecutor' ? 'prosecutor' : 'oic')) } : null,
        conflicted: involved.includes(actor.userId),
        powers,
      };
    },

    /** Checks a member may review the pack now (for showing the form): not one they worked on, nor one whose findings are agreed. */
    async checkReview(actor: Actor, context: AuditContext, packId: string, need: 'review' | 'agree'): Promise<void> {
      const { row } = await loadPack(actor, context, packId, need);
      await refuseIfInvolved(actor, context, row);
    },

    /** A member records (or changes) their own review of a pack, until the panel's findings are agreed. Answers the review's version. */
    async submitReview(actor: Actor, context: AuditContext, packId: string, input: AnswersInput, version: number | null): Promise<number> {
      const { panel, row } = await loadPack(actor, context, packId, 'review');
      await refuseIfInvolved(actor, context, row);
      if (await repository.findingsOf(db, row.id)) throw invalid([{ field: 'sound', message: translate('scrutiny.error.reviewClosed') }]);
      const { value, errors } = answerErrors(input);
      if (!value) throw invalid(errors);
      return inTransaction(db, async (tx) => {
        const now = nowIso();
        const next = await writeReview(tx, row.id, actor.userId, value, version, now);
        await audit.record(tx, context, {
          action: next === 1 ? 'collect' : 'alter', event: 'scrutiny.review', objectType: 'scrutiny-pack', objectId: row.id,
          details: { panelId: panel.id, sound: value.sound, missedEnquiries: value.missedEnquiries, communication: value.communication, myths: value.myths, version: next },
        });
        return next;
      });
    },

    /** The chair records the panel's agreed findings; the learning goes to the case's officer and prosecutor. */
    async agreeFindings(actor: Actor, context: AuditContext, packId: string, input: AnswersInput & { learning: string }, version: number | null): Promise<number> {
      const { panel, row } = await loadPack(actor, context, packId, 'agree');
      await refuseIfInvolved(actor, context, row);
      const expected = validVersion(version);
      const { value, errors } = findingsErrors(input);
      if (!value) throw invalid(errors);
      return inTransaction(db, async (tx) => {
        const now = nowIso();
        if (!(await repository.claimPack(tx, row.id, expected))) throw new Problem('conflict');
        const told = await writeFindings(tx, row, panel, value, actor.userId, now);
        await audit.record(tx, context, {
          action: 'disclose', event: 'scrutiny.findings', objectType: 'scrutiny-pack', objectId: row.id,
          details: { panelId: panel.id, sound: value.sound, missedEnquiries: value.missedEnquiries, communication: value.communication, myths: value.myths, learningSent: told, version: expected + 1 },
        });
        return expected + 1;
      });
    },

    /** The packs of the panel an action may arise from, newest round first. */
    async packChoices(panelId: string): Promise<{ id: string; label: string; period: { from: PlainDate; to: PlainDate } }[]> {
      const rounds = await repository.roundsOf(db, panelId);
      const lists = await Promise.all(rounds.map(async (r) => (await repository.packsOf(db, r.id)).map((p) => ({ id: p.id, label: pseudonymLabel(p.pseudonym), period: { from: r.period_from, to: r.period_to } }))));
      return lists.flat();
    },

    /** Records an action arising from the panel's work (from one pack, or the round as a whole). */
    async addAction(actor: Actor, context: AuditContext, panelId: string, input: ActionInput, idempotency?: Idempotency): Promise<string> {
      const { panel } = await loadPanel(actor, context, panelId, 'act');
      return (await idempotent.once<{ id: string }>(context, actor, `scrutiny.action:${panel.id}`, idempotency, async (remember) => {
        const { value, errors } = actionErrors(input, today());
        if (!value) throw invalid(errors);
        const pack = value.packId === null ? null : isId(value.packId) ? await repository.findPack(db, value.packId) : undefined;
        if (pack === undefined || (pack && pack.panel_id !== panel.id)) throw invalid([{ field: 'packId', message: translate('scrutiny.error.actionPack') }]);
        const id = await inTransaction(db, async (tx) => {
          const now = nowIso();
          const actionId = await writeAction(tx, panel, { ...value, roundId: pack?.round_id ?? null }, actor.userId, now);
          await remember(tx, { id: actionId });
          await audit.record(tx, context, { action: 'collect', event: 'scrutiny.action.add', objectType: 'scrutiny-action', objectId: actionId, details: { panelId: panel.id, packId: pack?.id ?? null, dueOn: value.dueOn } });
          return actionId;
        });
        return { id };
      })).id;
    },

    /** An action with its history. */
    async action(actor: Actor, context: AuditContext, panelId: string, actionId: string): Promise<{ panel: Panel; action: Action; history: ActionUpdate[]; powers: Powers }> {
      const { panel, powers } = await loadPanel(actor, context, panelId, 'see');
      const row = isId(actionId) ? await repository.findAction(db, panel.id, actionId) : undefined;
      if (!row) return refuse(context, 'not-found', 'scrutiny-action', actionId);
      const history = (await repository.actionUpdatesOf(db, row.id)).map((u) => ({ from: u.status_from as ActionStatus | null, to: u.status_to as ActionStatus, note: u.note, by: u.by_name, at: u.at }));
      return { panel, action: actionOf(row), history, powers };
    },

    /** Changes an action's status, with the note that says why. Answers the action's new version. */
    async updateAction(actor: Actor, context: AuditContext, panelId: string, actionId: string, input: { status: string; note: string }, version: number | null): Promise<number> {
      const { panel } = await loadPanel(actor, context, panelId, 'act');
      const row = isId(actionId) ? await repository.findAction(db, panel.id, actionId) : undefined;
      if (!row) return refuse(context, 'not-found', 'scrutiny-action', actionId);
      const expected = validVersion(version);
      const { value, errors } = actionUpdateErrors(input, row.status);
      if (!value) throw invalid(errors);
      return inTransaction(db, async (tx) => {
        const now = nowIso();
        if (!(await repository.updateAction(tx, row.id, expected, { status: value.status, updated_by: actor.userId, updated_at: now }))) throw new Problem('conflict');
        await repository.insertActionUpdate(tx, { id: newId(), action_id: row.id, status_from: row.status, status_to: value.status, note: value.note, by_user_id: actor.userId, at: now });
        await audit.record(tx, context, { action: 'alter', event: 'scrutiny.action.status', objectType: 'scrutiny-action', objectId: row.id, details: { panelId: panel.id, from: row.status, to: value.status, version: expected + 1 } });
        return expected + 1;
      });
    },

    /**
     * The themes of the panel's agreed findings, one column per round and one
     * for them all. `shared` is the report as it may leave the panel: small
     * counts suppressed.
     */
    async themes(actor: Actor, context: AuditContext, panelId: string, shared: boolean): Promise<ThemesView> {
      const { panel } = await loadPanel(actor, context, panelId, 'see');
      const [rounds, findings] = await Promise.all([repository.roundsOf(db, panel.id), repository.panelFindings(db, panel.id)]);
      const counts = (rows: typeof findings): ThemeCounts => countThemes(rows.map(toAnswers));
      const present = (values: Record<string, number>) => (shared ? suppress(values) : values);
      const ordered = rounds.map(toRound).sort((a, b) => a.from.localeCompare(b.from));
      return {
        panel,
        shared,
        columns: [
          ...ordered.map((round) => ({ round, values: present(themeValues(counts(findings.filter((f) => f.round_id === round.id)))) })),
          { round: null, values: present(themeValues(counts(findings))) },
        ],
      };
    },

    /** The learning sent to the person, newest first. */
    async learningList(actor: Actor): Promise<{ id: string; panelName: string; from: PlainDate; to: PlainDate; role: string; sentAt: string }[]> {
      return (await repository.learningOf(db, actor.userId)).map((l) => ({ id: l.id, panelName: l.panel_name, from: l.period_from, to: l.period_to, role: l.case_role, sentAt: l.sent_at }));
    },

    /** One piece of learning, for the officer or prosecutor it was sent to only: the panel's findings, never its members' notes. Audited. */
    async learning(actor: Actor, context: AuditContext, learningId: string): Promise<Learning> {
      const row = isId(learningId) ? await repository.findLearning(db, learningId) : undefined;
      if (!row || !mayScrutiny(actor, { kind: 'learning', recipientUserId: row.user_id }, 'see')) return refuse(context, 'not-found', 'scrutiny-learning', learningId);
      const [findings, reference, recipients] = await Promise.all([repository.findingsOf(db, row.scrutiny_case_id), caseReference(db, row.case_id), repository.learningRecipients(db, row.scrutiny_case_id)]);
      await audit.audited(context, { action: 'consult', event: 'scrutiny.learning.view', objectType: 'scrutiny-learning', objectId: row.id, details: { caseId: row.case_id } }, async () => undefined);
      return {
        id: row.id, panelName: row.panel_name, from: row.period_from, to: row.period_to, caseId: row.case_id, policeReference: reference ?? null,
        role: row.case_role === 'prosecutor' ? 'prosecutor' : 'oic', sentAt: row.sent_at,
        findings: findings ? { ...toAnswers(findings), learning: findings.learning, agreedBy: findings.agreed_by_name, agreedAt: findings.agreed_at, sentTo: recipients.map((r) => (r.case_role === 'prosecutor' ? 'prosecutor' : 'oic')) } : null,
      };
    },
  };
}

export type ScrutinyService = ReturnType<typeof createScrutinyService>;
