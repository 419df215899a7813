// Commands and queries on letters to a victim. Letters are the case side's:
// the victim's ISVA is told they do not exist. A letter is previewed, made
// (its merged text stored as it is), downloaded as a PDF (an audited read)
// and sent: the way it is sent is checked against the safe-contact rules of
// the communication plan in force, in the same transaction that records it,
// and the sending is journalled as a disclosure.
import type { Actor } from '../../platform/access/policy.ts';
import type { AuditContext } from '../../platform/audit/model.ts';
import { isId, newId } from '../../platform/db/ids.ts';
import type { Db, Tx } from '../../platform/db/transaction.ts';
import { translate } from '../../platform/i18n/messages.ts';
import type { Platform } from '../../platform/platform.ts';
import { londonDate } from '../../platform/time/working-days.ts';
import { invalid } from '../../cases/case-commands.ts';
import { createIdempotency } from '../../cases/idempotency.ts';
import type { Idempotency } from '../../cases/idempotency.ts';
import { isLanguage } from '../model.ts';
import type { Language, SafeContactRules } from '../model.ts';
import { currentPlanOf } from '../communication/service.ts';
import { meetEntitlementByLetter } from '../rights/service.ts';
import * as victims from '../repository.ts';
import { createVictimCommands } from '../victim-commands.ts';
import type { LoadedVictim } from '../victim-commands.ts';
import {
  MAX_CONTACT_DETAILS, dispatchProblem, isDispatchMethod, isLetterKey, letterDate, letterPowers, mergeLetter, namesAnyone, recipientOf, reviewDeadline, shippedTemplates, templateInForce, templatesFor,
} from './model.ts';
import type { DispatchMethod, LetterSide, LetterTemplate, LetterText, LetterView, MergeValues } from './model.ts';
import { letterPdf } from './pdf.ts';
import * as repository from './repository.ts';

export interface LetterInput {
  readonly template: string;
  readonly language: string;
  readonly contactDetails: string;
}

function toView(row: repository.LetterRow): LetterView {
  const text = JSON.parse(row.content) as LetterText;
  const method = row.dispatch_method;
  return {
    id: row.id, victimId: row.victim_id,
    template: isLetterKey(row.template_key) ? row.template_key : 'hello',
    version: Number(row.template_version),
    from: shippedTemplates.find((t) => t.key === row.template_key)?.from ?? 'police',
    language: isLanguage(row.language) ? row.language : 'en',
    text,
    status: row.status === 'dispatched' ? 'dispatched' : 'draft',
    createdBy: row.created_by_name, createdAt: row.created_at,
    dispatch: method && isDispatchMethod(method) && row.dispatched_at ? { method, sentTo: row.sent_to ?? '', by: row.dispatched_by_name ?? '', at: row.dispatched_at } : null,
  };
}

export function createLettersService(platform: Platform, templates: readonly LetterTemplate[] = shippedTemplates) {
  const { db, clock } = platform;
  const commands = createVictimCommands(platform);
  const { loadVictim, command, refuse, consulted } = commands;
  const idempotent = createIdempotency(platform);
  const today = () => londonDate(clock.now());

  /** The access check: letters are the case side's; the victim's ISVA is told they do not exist. */
  async function loadFor(actor: Actor, context: AuditContext, caseId: string, victimId: string, need: 'see' | 'write'): Promise<LoadedVictim> {
    const v = await loadVictim(actor, context, caseId, victimId, need === 'see' ? 'see' : 'work');
    if (v.viewer !== 'case') return refuse(context, 'not-found', caseId, 'victims.letters.not-found');
    if (need === 'write' && !letterPowers(actor, v.loaded.side).write) return refuse(context, 'forbidden', caseId, 'victims.letters.forbidden');
    return v;
  }

  async function planRules(executor: Db | Tx, victimId: string): Promise<{ rules: SafeContactRules; revision: number } | null> {
    const plan = await currentPlanOf(executor, victimId);
    return plan ? { rules: plan, revision: plan.revision } : null;
  }

  async function findLetter(executor: Db | Tx, context: AuditContext, v: LoadedVictim, letterId: string): Promise<LetterView> {
    const row = isId(letterId) ? await repository.findLetter(executor, v.summary.id, v.victim.id, letterId) : undefined;
    if (!row) return refuse(context, 'not-found', v.summary.id, 'victims.letters.not-found');
    return toView(row);
  }

  /** The day the case last reached the template's decision stage, from its journal. */
  async function decidedOn(executor: Db | Tx, caseId: string, template: LetterTemplate): Promise<string | null> {
    if (!template.decisionStage) return null;
    const moves = await victims.eventsOfTypes(executor, caseId, ['case.stage-changed']);
    const last = moves.filter((e) => (JSON.parse(e.data) as { to?: unknown }).to === template.decisionStage).at(-1);
    return last ? londonDate(last.occurred_at) : null;
  }

  /** The template asked for (the version in force today, on the actor's side) and the letter merged from the records. */
  async function merge(executor: Db | Tx, actor: Actor, v: LoadedVictim, input: LetterInput): Promise<{ template: LetterTemplate; language: Language; text: LetterText }> {
    const side = v.loaded.side as LetterSide;
    const template = isLetterKey(input.template) ? templateInForce(templates, input.template, today()) : undefined;
    const errors = [];
    if (!template || template.from !== side) errors.push({ field: 'template', message: translate('letters.error.template') });
    if (!isLanguage(input.language)) errors.push({ field: 'language', message: translate('letters.error.language') });
    const contactDetails = input.contactDetails.trim();
    if (contactDetails === '' && (!template || template.fields.includes('contactDetails'))) errors.push({ field: 'contactDetails', message: translate('letters.error.contactDetails') });
    if (contactDetails.length > MAX_CONTACT_DETAILS) errors.push({ field: 'contactDetails', message: translate('letters.error.contactDetailsLong', { max: MAX_CONTACT_DETAILS }) });
    if (errors.length || !template || !isLanguage(input.language)) throw invalid(errors);
    const language = input.language;
    const decided = await decidedOn(executor, v.summary.id, template);
    const values: MergeValues = {
      date: letterDate(today(), language),
      victimName: v.victim.name,
      crimeReference: v.summary.policeReference,
      senderName: actor.displayName,
      senderOrganisation: template.from === 'police' ? v.summary.forceName : v.summary.cpsAreaName,
      contactDetails,
      ...(decided ? { decisionDate: letterDate(decided, language) } : {}),
      ...(decided && template.reviewWindow ? { reviewDeadline: letterDate(reviewDeadline(template.reviewWindow, decided), language) } : {}),
      ...(v.isva ? { isvaName: v.isva.name, isvaService: v.isva.serviceName } : {}),
    };
    const { letter, missing } = mergeLetter(template, language, values);
    if (!letter) {
      throw invalid(missing.map((field) => ({ field: 'template', message: translate('letters.error.missing', { field: translate(`letters.field.${field}`) }) })));
    }
    if (namesAnyone(letter, await repository.suspectNames(executor, v.summary.id))) throw invalid([{ field: 'contactDetails', message: translate('letters.error.suspectName') }]);
    return { template, language, text: letter };
  }

  return {
    /** A victim's letters, for the case side. Audited as a consultation. */
    async letters(actor: Actor, context: AuditContext, caseId: string, victimId: string) {
      const v = await loadFor(actor, context, caseId, victimId, 'see');
      const rows = await repository.lettersOf(db, v.summary.id, v.victim.id);
      await consulted(context, v, 'victims.letters.list', { letters: rows.length });
      return { v, letters: rows.map(toView), powers: letterPowers(actor, v.loaded.side) };
    },

    /** What the letter form offers: the letters of the actor's side in force today, and the language the plan prefers. */
    async choices(actor: Actor, context: AuditContext, caseId: string, victimId: string) {
      const v = await loadFor(actor, context, caseId, victimId, 'write');
      const plan = await planRules(db, v.victim.id);
      await consulted(context, v, 'victims.letters.choices');
      return { v, templates: templatesFor(templates, v.loaded.side as LetterSide, today()), language: plan?.rules.preferredLanguage ?? 'en' as Language };
    },

    /** The letter merged as it would be made now, without storing it. Audited as a consultation. */
    async preview(actor: Actor, context: AuditContext, caseId: string, victimId: string, input: LetterInput) {
      const v = await loadFor(actor, context, caseId, victimId, 'write');
      const merged = await merge(db, actor, v, input);
      await consulted(context, v, 'victims.letters.preview', { template: merged.template.key, version: merged.template.version, language: merged.language });
      return { v, ...merged };
    },

    /** Makes a draft letter, storing its merged text. */
    async create(actor: Actor, context: AuditContext, caseId: string, victimId: string, input: LetterInput, version: number | null, idempotency?: Idempotency): Promise<{ id: string; caseVersion: number }> {
      const v = await loadFor(actor, context, caseId, victimId, 'write');
      return idempotent.once<{ id: string; caseVersion: number }>(context, actor, `victims.letters.create:${v.victim.id}`, idempotency, async (remember) => {
        const id = newId();
        const result = await command(actor, context, v.loaded, version, async (tx, now) => {
          const { template, language, text } = await merge(tx, actor, v, input);
          await repository.insertLetter(tx, {
            id, case_id: v.summary.id, victim_id: v.victim.id, template_key: template.key, template_version: template.version, language, content: JSON.stringify(text),
            created_by_user_id: actor.userId, created_at: now, status: 'draft', dispatch_method: null, sent_to: null, plan_revision: null, dispatched_by_user_id: null, dispatched_at: null,
          });
          // The command has claimed `version`, so the case's version after it is the next one.
          await remember(tx, { id, caseVersion: (version ?? 0) + 1 });
          return {
            events: [{ type: 'victims.letters.created', data: { victimId: v.victim.id, letterId: id, template: template.key, version: template.version, language } }],
            audit: { action: 'collect', event: 'victims.letters.create', subjects: [v.victim.id], details: { letterId: id, template: template.key, version: template.version, language } },
          };
        }, 'template');
        return { id, caseVersion: result.version };
      });
    },

    /** One letter, for the case side. Audited as a consultation. */
    async letter(actor: Actor, context: AuditContext, caseId: string, victimId: string, letterId: string) {
      const v = await loadFor(actor, context, caseId, victimId, 'see');
      const letter = await findLetter(db, context, v, letterId);
      await consulted(context, v, 'victims.letters.view', { letterId: letter.id });
      return { v, letter, powers: letterPowers(actor, v.loaded.side), plan: await planRules(db, v.victim.id) };
    },

    /** The letter as a PDF. The read is audited before a byte is made: no audit, no PDF. */
    async pdf(actor: Actor, context: AuditContext, caseId: string, victimId: string, letterId: string): Promise<{ letter: LetterView; bytes: Buffer }> {
      const v = await loadFor(actor, context, caseId, victimId, 'see');
      const letter = await findLetter(db, context, v, letterId);
      await consulted(context, v, 'victims.letters.download', { letterId: letter.id });
      return { letter, bytes: await letterPdf(letter.text, letter.language, translate('letters.pdfCreator')) };
    },

    /**
     * Records a draft letter as sent. The way it is sent is checked against
     * the safe-contact rules of the plan in force, in the transaction that
     * records it: an unsafe way is refused and nothing is written.
     */
    async dispatch(actor: Actor, context: AuditContext, caseId: string, victimId: string, letterId: string, input: { method: string }, version: number | null): Promise<number> {
      const v = await loadFor(actor, context, caseId, victimId, 'write');
      const found = await findLetter(db, context, v, letterId);
      if (found.from !== v.loaded.side) return refuse(context, 'forbidden', caseId, 'victims.letters.forbidden');
      const result = await command(actor, context, v.loaded, version, async (tx, now) => {
        const letter = await findLetter(tx, context, v, letterId);
        if (!isDispatchMethod(input.method)) throw invalid([{ field: 'method', message: translate('letters.error.method') }]);
        const method: DispatchMethod = input.method;
        if (letter.status !== 'draft') throw invalid([{ field: 'method', message: translate('letters.error.alreadySent') }]);
        const plan = await planRules(tx, v.victim.id);
        const problem = dispatchProblem(method, plan?.rules ?? null, v.isva !== null);
        if (problem) throw invalid([{ field: 'method', message: problem }]);
        const sentTo = translate(`letters.sentTo.${method}`, plan ? { revision: plan.revision } : {});
        if (!(await repository.markDispatched(tx, letter.id, { dispatch_method: method, sent_to: sentTo, plan_revision: plan?.revision ?? null, dispatched_by_user_id: actor.userId, dispatched_at: now }))) {
          throw invalid([{ field: 'method', message: translate('letters.error.alreadySent') }]);
        }
        const on = londonDate(now);
        // The letter is the proof the victim was told: it meets the Victims' Code clock it answers.
        await meetEntitlementByLetter(tx, v.summary.id, letter.template, now);
        const recipient = recipientOf(method);
        return {
          events: [{ type: 'victims.letters.dispatched', data: { victimId: v.victim.id, letterId: letter.id, template: letter.template, language: letter.language, method, on } }],
          audit: {
            action: 'disclose', event: 'victims.letters.dispatch', subjects: [v.victim.id],
            details: { letterId: letter.id, template: letter.template, version: letter.version, language: letter.language, method, recipientCategory: recipient, planRevision: plan?.revision ?? null },
          },
        };
      }, 'method');
      return result.version;
    },

    /** The ways a letter may be sent now, each with why it may not (null when it may). */
    async dispatchChoices(actor: Actor, context: AuditContext, caseId: string, victimId: string, letterId: string) {
      const v = await loadFor(actor, context, caseId, victimId, 'write');
      const letter = await findLetter(db, context, v, letterId);
      if (letter.from !== v.loaded.side) return refuse(context, 'forbidden', caseId, 'victims.letters.forbidden');
      const plan = await planRules(db, v.victim.id);
      await consulted(context, v, 'victims.letters.dispatch-choices', { letterId: letter.id });
      return { v, letter, plan };
    },
  };
}

export type LettersService = ReturnType<typeof createLettersService>;
