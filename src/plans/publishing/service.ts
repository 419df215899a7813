// Commands and queries of publishing and exchanging plans. Reading (the
// progress report, published editions, an export) is for everyone signed in:
// plans hold no case data. Publishing is for plan leads of the owning
// organisation and importing for plan leads (the plan is made for their
// organisation); each runs as one transaction with its entry in the plan's
// own history and its audit entry, and refusals are journalled.
import type { Actor } from '../../platform/access/policy.ts';
import type { AuditContext } from '../../platform/audit/model.ts';
import { isId, newId } from '../../platform/db/ids.ts';
import { inTransaction } from '../../platform/db/transaction.ts';
import type { Db, Tx } from '../../platform/db/transaction.ts';
import { addMonths } from '../../platform/deadlines/model.ts';
import { openDeadline } from '../../platform/deadlines/service.ts';
import { isUniqueViolation } from '../../platform/directory/repository.ts';
import { translate } from '../../platform/i18n/messages.ts';
import type { Platform } from '../../platform/platform.ts';
import { londonDate } from '../../platform/time/working-days.ts';
import type { PlainDate } from '../../platform/time/working-days.ts';
import { Problem } from '../../platform/web/errors.ts';
import { invalid } from '../../cases/case-commands.ts';
import { PLAN_SUBJECT, REVIEW_RULE, isPlanLevel, isStatusScheme } from '../model.ts';
import type { ActionOwner, LatestUpdate, PlanLevel, StatusScheme } from '../model.ts';
import * as plansRepository from '../repository.ts';
import { registerPlanDeadlines } from '../service.ts';
import { UnreadableFile, readTable, writeTable } from './files/exchange.ts';
import {
  columns, mayImportPlan, mayPublishPlan, mediaTypes, parsePublishToken, parseSnapshot, planTable, progressReport, publishToken, readPlanTable, reportRevision,
} from './model.ts';
import type { ExchangeFormat, ExchangePlan, FileProblem, ProgressReport } from './model.ts';
import { reportPdf } from './pdf.ts';
import * as repository from './repository.ts';

type Executor = Db | Tx;

/** A plan as publishing and exchanging need it: its fields, and its themes with every action (withdrawn ones too) in order. */
export interface PlanData {
  readonly plan: {
    readonly id: string; readonly title: string; readonly level: PlanLevel; readonly period: string; readonly owners: readonly string[];
    readonly ownerOrganisationId: string; readonly ownerOrganisationName: string; readonly statusScheme: StatusScheme; readonly reviewCycleMonths: number; readonly source: string | null;
  };
  readonly themes: readonly {
    readonly title: string;
    readonly description: string | null;
    readonly actions: readonly {
      readonly number: number; readonly text: string; readonly owners: readonly string[]; readonly leadUserId: string | null; readonly targetOn: PlainDate | null;
      readonly status: string; readonly withdrawnOn: PlainDate | null; readonly latestUpdate: LatestUpdate | null;
    }[];
  }[];
}

const labels = (json: string): string[] => {
  const value: unknown = JSON.parse(json);
  return Array.isArray(value) ? value.map((item: string | ActionOwner) => (typeof item === 'string' ? item : item.label)) : [];
};

/** Reads a plan through the plans repository, in a transaction or not (the demo publishes inside its own). */
export async function readPlanData(db: Executor, planId: string): Promise<PlanData | undefined> {
  const row = isId(planId) ? await plansRepository.findPlan(db, planId) : undefined;
  if (!row) return undefined;
  const [themes, actions, latest] = await Promise.all([plansRepository.themesOf(db, row.id), plansRepository.actionsOf(db, row.id), plansRepository.latestUpdatesOf(db, row.id)]);
  const latestOf = new Map(latest.map((update) => [update.action_id!, update]));
  return {
    plan: {
      id: row.id, title: row.title, level: isPlanLevel(row.level) ? row.level : 'local', period: row.period, owners: labels(row.owners),
      ownerOrganisationId: row.owner_organisation_id, ownerOrganisationName: row.owner_organisation_name,
      statusScheme: isStatusScheme(row.status_scheme) ? row.status_scheme : 'yes-no-in-progress', reviewCycleMonths: Number(row.review_cycle_months), source: row.source,
    },
    themes: themes.map((theme) => ({
      title: theme.title,
      description: theme.description,
      actions: actions.filter((action) => action.theme_id === theme.id).map((action) => {
        const update = latestOf.get(action.id);
        return {
          number: Number(action.number), text: action.text, owners: labels(action.owners), leadUserId: action.lead_user_id, targetOn: action.target_on,
          status: action.status, withdrawnOn: action.withdrawn_on ?? null, latestUpdate: update ? { text: update.text, on: update.update_on, label: update.label } : null,
        };
      }),
    })),
  };
}

export interface Edition {
  readonly id: string;
  readonly planId: string;
  readonly edition: number;
  readonly title: string;
  readonly publishedOn: PlainDate;
  readonly publishedAt: string;
  readonly publishedBy: string | null;
}

const toEdition = (row: Omit<repository.PublicationRow, 'snapshot'>): Edition => ({
  id: row.id, planId: row.plan_id, edition: Number(row.edition), title: row.title, publishedOn: row.published_on, publishedAt: row.published_at, publishedBy: row.published_by_name,
});

/**
 * Writes an edition and its history entry in the caller's transaction;
 * answers its id and number. Given the edition expected, anything else (one
 * published meanwhile) is a conflict.
 */
export async function writeEdition(tx: Tx, input: { report: ProgressReport; revision: string; publishedBy: string | null; now: Date; edition?: number }): Promise<{ id: string; edition: number }> {
  const id = newId();
  const edition = (await repository.lastEdition(tx, input.report.planId)) + 1;
  if (input.edition !== undefined && input.edition !== edition) throw new Problem('conflict');
  const at = input.now.toISOString();
  const on = londonDate(input.now);
  await repository.insertPublication(tx, {
    id, plan_id: input.report.planId, edition, title: input.report.title, published_on: on, published_at: at, published_by: input.publishedBy, revision: input.revision, snapshot: JSON.stringify(input.report),
  });
  await plansRepository.insertUpdates(tx, [{
    id: newId(), plan_id: input.report.planId, action_id: null, kind: 'published', update_on: on, label: null, text: translate('plans.publishing.history.published', { edition }),
    status_from: null, status_to: null, data: JSON.stringify({ publicationId: id, edition, revision: input.revision }), recorded_by: input.publishedBy, recorded_at: at,
  }]);
  return { id, edition };
}

/** What an import answers: the plan it made. */
export type ImportOutcome = { readonly planId: string; readonly themes: number; readonly actions: number };

/** The field a problem with an uploaded file points at: the file upload on the page, the body in the API. */
export const FILE_FIELD = 'file';
const MAX_LISTED = 25;

/** The problems that stopped an import (nothing was written), as a validation problem: the first ones, and how many more. */
function refused(problems: readonly FileProblem[]): Problem {
  const listed = problems.slice(0, MAX_LISTED).map((p) => ({ field: FILE_FIELD, message: p.message }));
  if (problems.length > MAX_LISTED) listed.push({ field: FILE_FIELD, message: translate('plans.publishing.import.error.more', { count: problems.length - MAX_LISTED }) });
  return invalid(listed);
}

export const MAX_UPLOAD_BYTES = 5 * 1024 * 1024;

/** A file name made from a plan's title: letters, digits and hyphens only. */
export const fileNameOf = (title: string, extension: string): string =>
  `${title.normalize('NFKD').replace(/[\u0300-\u036f]/g, '').toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 80) || 'plan'}.${extension}`;

export function createPublishingService(platform: Platform) {
  const { db, audit, clock } = platform;
  registerPlanDeadlines();

  /** Journals a refusal and throws it. */
  async function refuse(context: AuditContext, type: 'not-found' | 'forbidden', objectId: string | undefined): Promise<never> {
    await audit.audited(context, { action: 'deny', event: `plans.publishing.${type}`, outcome: 'denied', objectType: 'plan', objectId: objectId && isId(objectId) ? objectId : undefined }, async () => undefined);
    throw new Problem(type);
  }

  async function load(planId: string): Promise<PlanData> {
    const data = await readPlanData(db, planId);
    if (!data) throw new Problem('not-found');
    return data;
  }

  /** The access check publishing starts with: a plan that is not there is not found; one the actor may not publish is forbidden. */
  async function loadForPublishing(actor: Actor, context: AuditContext, planId: string): Promise<PlanData> {
    const data = await readPlanData(db, planId);
    if (!data) return refuse(context, 'not-found', planId);
    if (!mayPublishPlan(actor, data.plan)) return refuse(context, 'forbidden', planId);
    return data;
  }

  async function findEdition(planId: string, editionId: string): Promise<{ edition: Edition; report: ProgressReport }> {
    const row = isId(planId) && isId(editionId) ? await repository.findPublication(db, planId, editionId) : undefined;
    if (!row) throw new Problem('not-found');
    return { edition: toEdition(row), report: parseSnapshot(row.snapshot) };
  }

  /** The plan as its file carries it (lead email addresses looked up). */
  async function exchangePlan(planId: string): Promise<ExchangePlan> {
    const { plan, themes } = await load(planId);
    const emails = await repository.emailsOf(db, [...new Set(themes.flatMap((theme) => theme.actions.flatMap((action) => (action.leadUserId ? [action.leadUserId] : []))))]);
    return {
      title: plan.title, level: plan.level, period: plan.period, owners: plan.owners, statusScheme: plan.statusScheme, reviewCycleMonths: plan.reviewCycleMonths, source: plan.source,
      themes: themes.map((theme) => ({
        title: theme.title,
        description: theme.description,
        actions: theme.actions.map((action) => ({
          number: action.number, text: action.text, owners: action.owners, leadEmail: action.leadUserId ? emails.get(action.leadUserId) ?? null : null, targetOn: action.targetOn,
          status: action.status, withdrawnOn: action.withdrawnOn, update: action.latestUpdate,
        })),
      })),
    };
  }

  const current = (data: PlanData) => {
    const report = progressReport(data);
    return { report, revision: reportRevision(report) };
  };

  return {
    /** The progress report as the plan stands now, what publishing it needs (the token), and whether the actor may. */
    async report(actor: Actor, planId: string): Promise<{ report: ProgressReport; revision: string; token: string; asAt: PlainDate; mayPublish: boolean; editions: number; nextEdition: number }> {
      const data = await load(planId);
      const last = await repository.lastEdition(db, data.plan.id);
      const { report, revision } = current(data);
      return { report, revision, token: publishToken(revision, last + 1), asAt: londonDate(clock.now()), mayPublish: mayPublishPlan(actor, data.plan), editions: last, nextEdition: last + 1 };
    },

    /** Checks the actor may publish the plan, for showing the form. */
    async checkPublish(actor: Actor, context: AuditContext, planId: string): Promise<void> {
      await loadForPublishing(actor, context, planId);
    },

    /**
     * Publishes the report as it stands, if it is still what the publisher
     * read and the edition they were shown (the token; otherwise a conflict:
     * they look again). Answers the new edition.
     */
    async publish(actor: Actor, context: AuditContext, planId: string, token: string | null): Promise<Edition> {
      const data = await loadForPublishing(actor, context, planId);
      const { report, revision: now } = current(data);
      const read = token === null ? null : parsePublishToken(token);
      if (!read || read.revision !== now) throw new Problem('conflict');
      let made: { id: string; edition: number };
      try {
        made = await inTransaction(db, async (tx) => {
          const written = await writeEdition(tx, { report, revision: now, publishedBy: actor.userId, now: clock.now(), edition: read.edition });
          await audit.record(tx, context, { action: 'disclose', event: 'plans.publish', objectType: 'plan', objectId: data.plan.id, details: { publicationId: written.id, edition: written.edition, revision: now } });
          return written;
        });
      } catch (error) {
        // Two leads publishing at once: the second finds its edition number taken, and looks again.
        if (isUniqueViolation(error)) throw new Problem('conflict');
        throw error;
      }
      return (await findEdition(data.plan.id, made.id)).edition;
    },

    /** A plan's published editions, newest first. */
    async editions(planId: string): Promise<{ plan: PlanData['plan']; editions: Edition[] }> {
      const data = await load(planId);
      return { plan: data.plan, editions: (await repository.publicationsOf(db, data.plan.id)).map(toEdition) };
    },

    /** One published edition, as it was published. */
    edition: findEdition,

    /** The report now, as a PDF. */
    async reportPdf(planId: string): Promise<{ bytes: Buffer; fileName: string }> {
      const { report } = current(await load(planId));
      return { bytes: await reportPdf(report, { asAt: londonDate(clock.now()) }), fileName: fileNameOf(`${report.title} progress report`, 'pdf') };
    },

    /** A published edition as a PDF, made from its snapshot. */
    async editionPdf(planId: string, editionId: string): Promise<{ bytes: Buffer; fileName: string }> {
      const { edition, report } = await findEdition(planId, editionId);
      return { bytes: await reportPdf(report, { edition }), fileName: fileNameOf(`${report.title} progress report edition ${edition.edition}`, 'pdf') };
    },

    /** The plan as a file of the format asked for. */
    async exportPlan(planId: string, format: ExchangeFormat): Promise<{ bytes: Buffer; fileName: string; mediaType: string; title: string }> {
      const plan = await exchangePlan(planId);
      const bytes = writeTable(format, {
        title: plan.title, creator: translate('plans.publishing.report.pdfCreator'), sheetName: translate('plans.publishing.export.sheetName'), rows: planTable(plan),
        widths: columns.map((column) => (['action', 'update', 'themeDescription', 'source'].includes(column.key) ? 60 : ['planTitle', 'theme', 'planOwners', 'actionOwners', 'lead', 'updateAsOf'].includes(column.key) ? 30 : 14)),
      }, clock.now());
      return { bytes, fileName: fileNameOf(plan.title, format), mediaType: mediaTypes[format], title: plan.title };
    },

    /** The plan as its file carries it. */
    exchangePlan,

    /** Whether the actor may import plans at all (plan leads). */
    mayImport: (actor: Actor) => mayImportPlan(actor),

    /** Checks the actor may import, for showing the form: refusals are journalled. */
    async checkImport(actor: Actor, context: AuditContext): Promise<void> {
      if (!mayImportPlan(actor)) await refuse(context, 'forbidden', undefined);
    },

    /**
     * Makes a new plan, owned by the actor's organisation, from a file: every
     * row is checked first, and nothing is written unless all are right
     * (a validation problem says what is wrong where). The plan, its themes, actions
     * and latest updates, its review clock, its history entry and the audit
     * entry are one transaction.
     */
    async importPlan(actor: Actor, context: AuditContext, file: { format: ExchangeFormat; bytes: Uint8Array }): Promise<ImportOutcome> {
      if (!mayImportPlan(actor)) return refuse(context, 'forbidden', undefined);
      if (file.bytes.length > MAX_UPLOAD_BYTES) throw refused([{ message: translate('plans.publishing.import.error.tooBig', { size: '5 MB' }) }]);
      let table: string[][];
      try {
        table = readTable(file.format, file.bytes);
      } catch (error) {
        if (error instanceof UnreadableFile) throw refused([{ message: error.message }]);
        throw error;
      }
      const owner = actor.organisation;
      const leadColumn = columns.findIndex((column) => column.key === 'lead');
      const headings = (table[0] ?? []).map((cell) => cell.trim().toLowerCase());
      const leadAt = headings.indexOf(columns[leadColumn]!.heading.toLowerCase());
      const emails = leadAt < 0 ? [] : [...new Set(table.slice(1).map((row) => (row[leadAt] ?? '').trim().toLowerCase()).filter((email) => email !== '' && email.length <= 320))];
      const leads = await repository.membersByEmail(db, owner.organisationId, emails);
      const { plan, problems } = readPlanTable(table, { leads, ownerKind: owner.organisationKind });
      if (!plan) throw refused(problems);

      return inTransaction(db, async (tx) => {
        const now = clock.now();
        const at = now.toISOString();
        const today = londonDate(now);
        const planId = newId();
        const nextReviewOn = addMonths(today, plan.reviewCycleMonths);
        await plansRepository.insertPlan(tx, {
          id: planId, key: null, level: plan.level, owner_organisation_id: owner.organisationId, title: plan.title, period: plan.period, owners: JSON.stringify(plan.owners),
          status_scheme: plan.statusScheme, review_cycle_months: plan.reviewCycleMonths, next_review_on: nextReviewOn, last_reviewed_on: null, source: plan.source,
          created_at: at, updated_at: at, version: 1,
        });
        // The clock engine first, then the history and the audit entry (the order the sweep locks in).
        const deadline = await openDeadline(tx, { subjectType: PLAN_SUBJECT, subjectId: planId, ruleKey: REVIEW_RULE, organisationIds: [owner.organisationId], startedOn: nextReviewOn, now });
        const themes = plan.themes.map((theme, i) => ({ theme, row: { id: newId(), plan_id: planId, position: i + 1, title: theme.title, description: theme.description } }));
        await plansRepository.insertThemes(tx, themes.map((t) => t.row));
        const actions = themes.flatMap(({ theme, row }) => theme.actions.map((action) => ({ action, id: newId(), themeId: row.id })));
        await plansRepository.insertActions(tx, actions.map(({ action, id, themeId }) => ({
          id, plan_id: planId, theme_id: themeId, number: action.number, text: action.text,
          owners: JSON.stringify(action.owners.map((label): ActionOwner => ({ label, organisationId: null }))),
          lead_user_id: action.leadEmail ? leads.get(action.leadEmail)! : null, target_on: action.targetOn, status: action.status, delivers_action_id: null,
          ...(action.withdrawnOn ? { withdrawn_on: action.withdrawnOn } : {}), created_at: at, updated_at: at, version: 1,
        })));
        await plansRepository.insertUpdates(tx, [
          {
            id: newId(), plan_id: planId, action_id: null, kind: 'plan-created', update_on: today, label: null, text: translate('plans.publishing.history.imported', { format: file.format.toUpperCase() }),
            status_from: null, status_to: null, data: JSON.stringify({ level: plan.level, title: plan.title, imported: file.format, themes: themes.length, actions: actions.length }),
            recorded_by: actor.userId, recorded_at: at,
          },
          // Each action's latest update as the file gives it (a withdrawn action's is why it was withdrawn).
          ...actions.filter(({ action }) => action.update).map(({ action, id }) => ({
            id: newId(), plan_id: planId, action_id: id, kind: action.withdrawnOn ? 'action-withdrawn' : 'update', update_on: action.update!.on, label: action.update!.label,
            text: action.update!.text, status_from: null, status_to: null, data: JSON.stringify({ imported: true, number: action.number }), recorded_by: actor.userId, recorded_at: at,
          })),
        ]);
        await audit.record(tx, context, {
          action: 'collect', event: 'plans.import', objectType: 'plan', objectId: planId,
          details: { format: file.format, level: plan.level, themes: themes.length, actions: actions.length, nextReviewOn, deadlineId: deadline.id },
        });
        return { planId, themes: themes.length, actions: actions.length };
      });
    },
  };
}

export type PublishingService = ReturnType<typeof createPublishingService>;
