// Commands and queries on keeping in touch with a victim: who supports them
// (their ISVA), the communication plan and its revisions, and the contact
// log with its clock. Every method starts with the victim's access check; an
// ISVA works only on their own client's plan and contacts. Each change is one
// case command: the rows, the contact clock on the deadline engine, the
// journal event (ids, codes and dates only) and the audit entry.
import type { Actor } from '../../platform/access/policy.ts';
import { mayWorkOnVictims } from '../../platform/access/case-access.ts';
import type { AuditContext } from '../../platform/audit/model.ts';
import { newId } from '../../platform/db/ids.ts';
import type { Db, Tx } from '../../platform/db/transaction.ts';
import { closeDeadline, openDeadline } from '../../platform/deadlines/service.ts';
import { translate } from '../../platform/i18n/messages.ts';
import type { Platform } from '../../platform/platform.ts';
import { addCalendarDays, londonDate } from '../../platform/time/working-days.ts';
import type { PlainDate } from '../../platform/time/working-days.ts';
import { invalid } from '../../cases/case-commands.ts';
import { CASE_SUBJECT, registerCaseDeadlines } from '../../cases/deadlines.ts';
import { createIdempotency } from '../../cases/idempotency.ts';
import type { Idempotency } from '../../cases/idempotency.ts';
import { closingStages } from '../../cases/model.ts';
import type { CommunicationPlan, ContactMethod, Language, SafeContactRules, Updater } from '../model.ts';
import * as victims from '../repository.ts';
import { victimParts } from '../parts.ts';
import { createVictimCommands } from '../victim-commands.ts';
import type { LoadedVictim } from '../victim-commands.ts';
import { CONTACT_RULE, communicationPowers, contactErrors, contactRoleOf, planErrors } from './model.ts';
import type { CommunicationPowers, ContactClock, ContactInput, ContactSide, ContactView, PlanInput, PowerFacts } from './model.ts';
import * as repository from './repository.ts';

const list = <T extends string>(json: string): T[] => {
  try {
    const value: unknown = JSON.parse(json);
    return Array.isArray(value) ? value.filter((v): v is T => typeof v === 'string') : [];
  } catch {
    return [];
  }
};

export function toPlan(row: victims.PlanRow): CommunicationPlan {
  return {
    id: row.id,
    revision: Number(row.revision),
    frequencyDays: Number(row.frequency_days),
    methods: list<ContactMethod>(row.methods),
    updaters: list<Updater>(row.updaters),
    preferredLanguage: row.preferred_language as Language,
    noVoicemail: Number(row.no_voicemail) === 1,
    noPostToHome: Number(row.no_post_to_home) === 1,
    safeAddress: row.safe_address,
    safePhone: row.safe_phone,
    safeEmail: row.safe_email,
    otherRules: row.other_rules,
    agreedOn: row.agreed_on,
    agreedWithIsvaName: row.agreed_with_isva_name,
    changeReason: row.change_reason,
    recordedByName: row.recorded_by_name,
    recordedAt: row.recorded_at,
  };
}

function toContact(row: repository.ContactRow): ContactView {
  return {
    id: row.id,
    contactAt: row.contact_at,
    method: row.method,
    reached: Number(row.reached) === 1,
    voicemailLeft: Number(row.voicemail_left) === 1,
    postedToHome: Number(row.posted_to_home) === 1,
    summary: row.summary,
    nextContactOn: row.next_contact_on,
    byName: row.by_name,
    bySide: row.by_side === 'police' || row.by_side === 'cps' ? row.by_side : 'isva',
    byRole: row.by_role,
    recordedAt: row.recorded_at,
  };
}

/**
 * The safe-contact rules of the victim's plan in force, or null when no plan
 * is agreed. Other parts (letters) call it at the moment they send.
 */
export async function safeContactRules(db: Db | Tx, victimId: string): Promise<SafeContactRules | null> {
  const plan = await currentPlanOf(db, victimId);
  if (!plan) return null;
  const { methods, preferredLanguage, noVoicemail, noPostToHome, safeAddress, safePhone, safeEmail, otherRules } = plan;
  return { methods, preferredLanguage, noVoicemail, noPostToHome, safeAddress, safePhone, safeEmail, otherRules };
}

/** The plan in force, if any. */
export async function currentPlanOf(db: Db | Tx, victimId: string): Promise<CommunicationPlan | null> {
  const row = await victims.currentPlan(db, victimId);
  return row ? toPlan(row) : null;
}

/** When the victim is next to be contacted, and whether that day has passed. */
export async function contactClock(db: Db | Tx, victimId: string, today: PlainDate): Promise<ContactClock> {
  const [first] = await repository.openClocksOf(db, victimId);
  return { nextContactDue: first?.due_on ?? null, overdue: first ? first.due_on < today : false };
}

/** A victims' journal event as read from the case journal. */
export interface VictimEvent {
  readonly type: string;
  readonly occurredAt: string;
  readonly data: Readonly<Record<string, unknown>>;
  readonly actorName: string | null;
}

const translateError = (key: string) => translate(`victims.communication.error.${key}`);

const parsed = (data: string): Record<string, unknown> => {
  try {
    const value: unknown = JSON.parse(data);
    return value && typeof value === 'object' ? (value as Record<string, unknown>) : {};
  } catch {
    return {};
  }
};

export function createCommunicationService(platform: Platform) {
  const { db, clock } = platform;
  const commands = createVictimCommands(platform);
  const idempotent = createIdempotency(platform);
  const today = () => londonDate(clock.now());
  registerCaseDeadlines();

  const teamRoles = ['oic', 'supervisor', 'prosecutor', 'dcp', 'paralegal', 'vlo'] as const;
  async function powerFacts(actor: Actor, v: LoadedVictim): Promise<PowerFacts> {
    const held = await Promise.all(teamRoles.map(async (role) => ((await commands.holdsCaseRole(db, v.summary.id, actor.userId, [role])) ? role : null)));
    return { viewer: v.viewer, side: v.loaded.side, mayWork: mayWorkOnVictims(v.loaded.access), platformRoles: actor.organisation.roles, caseRoles: held.filter((r) => r !== null) };
  }

  /** The access check of a change: the victim loaded for work, then the power the change needs. */
  async function loadFor(actor: Actor, context: AuditContext, caseId: string, victimId: string, power: keyof CommunicationPowers): Promise<{ v: LoadedVictim; facts: PowerFacts }> {
    const v = await commands.loadVictim(actor, context, caseId, victimId, 'work');
    const facts = await powerFacts(actor, v);
    // Who supports the victim is the case team's business: an ISVA is told it is not there.
    if (power === 'recordIsva' && v.viewer === 'isva') return commands.refuse(context, 'not-found', caseId, 'victims.communication.isva.not-found');
    if (!communicationPowers(facts)[power]) return commands.refuse(context, 'forbidden', caseId, `victims.communication.${power}.forbidden`);
    return { v, facts };
  }

  /** Opens the victim's next contact clock, unless the case has closed (its clocks are over). */
  async function openClock(tx: Tx, v: LoadedVictim, dueOn: PlainDate, contactId: string | null, now: string): Promise<void> {
    if (closingStages.includes(v.loaded.stage)) return;
    const deadline = await openDeadline(tx, { subjectType: CASE_SUBJECT, subjectId: v.summary.id, ruleKey: CONTACT_RULE, organisationIds: [v.loaded.row.force_id, v.loaded.row.cps_area_id], startedOn: dueOn, now: new Date(now) });
    await repository.insertClock(tx, { deadline_id: deadline.id, case_id: v.summary.id, victim_id: v.victim.id, contact_id: contactId, due_on: deadline.dueOn, created_at: now });
  }

  /** The victims' journal events of this victim the viewer may read: those of the parts they may open. */
  async function eventsFor(v: LoadedVictim): Promise<VictimEvent[]> {
    const prefixes = v.viewer === 'case' ? ['victims.'] : victimParts(v.viewer).flatMap((p) => (p.eventPrefix ? [p.eventPrefix] : []));
    return (await repository.victimEventsOf(db, v.summary.id))
      .map((e) => ({ type: e.type, occurredAt: e.occurred_at, data: parsed(e.data), actorName: e.actor_name }))
      .filter((e) => e.data.victimId === v.victim.id && prefixes.some((p) => e.type.startsWith(p)));
  }

  return {
    /** The victim's communication records for anyone who may see the victim: plan and history, contacts, timeline events, clock, and what the viewer may do. Audited. */
    async record(actor: Actor, context: AuditContext, caseId: string, victimId: string) {
      const v = await commands.loadVictim(actor, context, caseId, victimId, 'see');
      const [history, contacts, events, clockNow, facts] = await Promise.all([
        victims.planHistory(db, v.victim.id), repository.contactsOf(db, v.victim.id), eventsFor(v), contactClock(db, v.victim.id, today()), powerFacts(actor, v),
      ]);
      await commands.consulted(context, v, 'victims.communication.view', { contacts: contacts.length, revisions: history.length });
      const plans = history.map(toPlan);
      return { v, plan: plans[0] ?? null, history: plans, contacts: contacts.map(toContact), events, clock: clockNow, powers: communicationPowers(facts) };
    },

    /** Runs the access check of a form before it is shown. */
    async check(actor: Actor, context: AuditContext, caseId: string, victimId: string, power: keyof CommunicationPowers): Promise<LoadedVictim> {
      return (await loadFor(actor, context, caseId, victimId, power)).v;
    },

    /** The ISVAs who may be chosen to support a victim. */
    isvaChoices: () => victims.isvaPeople(db),

    /** Records the ISVA now supporting the victim (ending the current support), or that support ended (`isvaUserId` null). */
    async recordIsva(actor: Actor, context: AuditContext, caseId: string, victimId: string, isvaUserId: string | null, version: number | null): Promise<number> {
      const { v } = await loadFor(actor, context, caseId, victimId, 'recordIsva');
      const field = 'isva';
      const result = await commands.command(actor, context, v.loaded, version, async (tx, now) => {
        const current = (await victims.activeIsvasOf(tx, v.summary.id)).find((i) => i.victim_id === v.victim.id);
        if (isvaUserId === null) {
          if (!current) throw invalid([{ field, message: translateError('noIsvaToEnd') }]);
          await victims.endIsvasOf(tx, v.victim.id, now);
          return { events: [{ type: 'victims.isva.ended', data: { victimId: v.victim.id } }], audit: { action: 'alter', event: 'victims.isva.end', subjects: [v.victim.id] } };
        }
        const person = (await victims.isvaPeople(tx)).find((p) => p.user_id === isvaUserId);
        if (!person) throw invalid([{ field, message: translateError('isvaChoice') }]);
        if (current?.isva_user_id === isvaUserId) throw invalid([{ field, message: translateError('isvaAlready') }]);
        const ended = await victims.endIsvasOf(tx, v.victim.id, now);
        await victims.insertIsva(tx, { id: newId(), case_id: v.summary.id, victim_id: v.victim.id, isva_user_id: person.user_id, isva_service_id: person.service_id, started_at: now, started_by_user_id: actor.userId, ended_at: null });
        return {
          events: [
            ...(ended ? [{ type: 'victims.isva.ended', data: { victimId: v.victim.id } }] : []),
            { type: 'victims.isva.assigned', data: { victimId: v.victim.id, isvaUserId: person.user_id, isvaServiceId: person.service_id } },
          ],
          audit: { action: 'alter', event: 'victims.isva.assign', subjects: [v.victim.id], details: { isvaUserId: person.user_id, replaced: ended > 0 } },
        };
      }, field);
      return result.version;
    },

    /** Agrees a revision of the victim's plan; a change to an agreed plan needs a reason. The first plan starts the contact clock. */
    async recordPlan(actor: Actor, context: AuditContext, caseId: string, victimId: string, input: PlanInput, version: number | null): Promise<{ revision: number; version: number }> {
      const { v } = await loadFor(actor, context, caseId, victimId, 'recordPlan');
      let revision = 0;
      const result = await commands.command(actor, context, v.loaded, version, async (tx, now) => {
        const current = await victims.currentPlan(tx, v.victim.id);
        const { value, errors } = planErrors(input, { today: today(), currentRevision: current ? Number(current.revision) : null, hasIsva: v.isva !== null || v.viewer === 'isva' });
        if (!value) throw invalid(errors);
        revision = (current ? Number(current.revision) : 0) + 1;
        // An ISVA recording the plan is the ISVA agreeing it.
        const agreedWith = v.viewer === 'isva' ? actor.userId : value.agreedWithIsva ? v.isva?.userId ?? null : null;
        await victims.insertPlan(tx, {
          id: newId(), case_id: v.summary.id, victim_id: v.victim.id, revision, frequency_days: value.frequencyDays,
          methods: JSON.stringify(value.methods), updaters: JSON.stringify(value.updaters), preferred_language: value.preferredLanguage,
          no_voicemail: value.noVoicemail ? 1 : 0, no_post_to_home: value.noPostToHome ? 1 : 0,
          safe_address: value.safeAddress, safe_phone: value.safePhone, safe_email: value.safeEmail, other_rules: value.otherRules,
          agreed_on: value.agreedOn, agreed_with_isva_user_id: agreedWith, change_reason: value.changeReason,
          recorded_by_user_id: actor.userId, recorded_at: now,
        });
        if ((await repository.openClocksOf(tx, v.victim.id)).length === 0) await openClock(tx, v, addCalendarDays(value.agreedOn, value.frequencyDays), null, now);
        return {
          events: [{ type: 'victims.communication.plan-agreed', data: { victimId: v.victim.id, revision, frequencyDays: value.frequencyDays, language: value.preferredLanguage } }],
          audit: { action: 'collect', event: 'victims.communication.plan', subjects: [v.victim.id], details: { revision, agreedWithIsva: agreedWith !== null } },
        };
      }, 'frequencyDays');
      return { revision, version: result.version };
    },

    /** Logs a contact with the victim: meets the open contact clock and opens the next. Refuses a contact the safe-contact rules forbid. */
    async logContact(actor: Actor, context: AuditContext, caseId: string, victimId: string, input: ContactInput, version: number | null, idempotency?: Idempotency): Promise<{ id: string; version: number }> {
      const { v, facts } = await loadFor(actor, context, caseId, victimId, 'logContact');
      const side: ContactSide = v.viewer === 'isva' ? 'isva' : v.loaded.side ?? 'police';
      const role = contactRoleOf(facts);
      return idempotent.once<{ id: string; version: number }>(context, actor, `victims.communication.contact:${v.victim.id}`, idempotency, async (remember) => {
        const id = newId();
        // The case's version after the change, stored with the answer so a retry answers the same.
        const answer = { id, version: (version ?? 0) + 1 };
        await commands.command(actor, context, v.loaded, version, async (tx, now) => {
          const plan = await victims.currentPlan(tx, v.victim.id);
          const { value, errors } = contactErrors(input, { now: new Date(now), today: today(), plan: plan ? toPlan(plan) : null });
          if (!value) throw invalid(errors);
          await repository.insertContact(tx, {
            id, case_id: v.summary.id, victim_id: v.victim.id, contact_at: value.contactAt, method: value.method, reached: value.reached ? 1 : 0,
            voicemail_left: value.voicemailLeft ? 1 : 0, posted_to_home: value.postedToHome ? 1 : 0, summary: value.summary, next_contact_on: value.nextContactOn,
            by_user_id: actor.userId, by_side: side, by_role: role ?? side, recorded_at: now,
          });
          const open = await repository.openClocksOf(tx, v.victim.id);
          for (const c of open) await closeDeadline(tx, c.deadline_id, { outcome: 'met', now: new Date(now) });
          await openClock(tx, v, value.nextContactOn, id, now);
          await remember(tx, answer);
          return {
            events: [{ type: 'victims.communication.contact-logged', data: { victimId: v.victim.id, contactId: id, method: value.method, reached: value.reached, on: value.on, by: side }, occurredAt: value.contactAt }],
            audit: { action: 'collect', event: 'victims.communication.contact', subjects: [v.victim.id], details: { contactId: id, method: value.method, reached: value.reached, side, clocksMet: open.length } },
          };
        }, 'on-day');
        return answer;
      });
    },
  };
}

export type CommunicationService = ReturnType<typeof createCommunicationService>;
