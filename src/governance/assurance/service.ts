// Commands and queries of quarterly assurance reports. A report is started
// for the organisation the person acts for and a complete financial quarter;
// its figures (plan status by theme from the organisation's own plans, and
// the case-file measures the cases module gives) are computed then and
// frozen in the draft, until a drafter refreshes them. Every step (start,
// commentary, refresh, sign-off, publish, reopen) begins with the check in
// model.ts, claims the version the person read (a stale one is a conflict,
// never a silent overwrite) and runs as one transaction with its audit entry.
import type { Actor } from '../../platform/access/policy.ts';
import type { AuditContext } from '../../platform/audit/model.ts';
import { isId, newId } from '../../platform/db/ids.ts';
import { inTransaction } from '../../platform/db/transaction.ts';
import type { Db, Tx } from '../../platform/db/transaction.ts';
import { translate } from '../../platform/i18n/messages.ts';
import type { Platform } from '../../platform/platform.ts';
import { londonDate } from '../../platform/time/working-days.ts';
import { Problem } from '../../platform/web/errors.ts';
import { invalid, validVersion } from '../../cases/case-commands.ts';
import { caseMeasures } from '../../cases/oversight/measures.ts';
import { deliveryOf, isStatusScheme } from '../../plans/model.ts';
import * as plans from '../../plans/repository.ts';
import {
  commentaryErrors, exceptionsOf, isSection, isStatus, mayAssurance, parseQuarterKey, quarterEnd, quarterErrors, quarterKey, quarterName, quarterStart, reasonErrors, sectionName, unexplained,
} from './model.ts';
import type { AssuranceAct, Figures, PlanFigures, Quarter, ReportFacts, Section, Status } from './model.ts';
import * as repository from './repository.ts';

export interface ReportSummary {
  readonly id: string;
  readonly organisationId: string;
  readonly organisationName: string;
  readonly organisationKind: 'police_force' | 'cps_area';
  readonly quarter: Quarter;
  readonly quarterKey: string;
  readonly quarterName: string;
}

export interface ListedReport extends ReportSummary {
  /** The version the person would open: the latest they may read. */
  readonly number: number;
  readonly status: Status;
  readonly updatedAt: string;
}

export interface Commentary {
  readonly text: string;
  readonly by: string | null;
  readonly at: string;
}

export interface VersionView {
  readonly id: string;
  readonly number: number;
  readonly status: Status;
  readonly figures: Figures;
  readonly draftedBy: { readonly id: string; readonly name: string | null; readonly at: string };
  readonly reason: string | null;
  readonly refreshedBy: string | null;
  readonly signedOff: { readonly name: string | null; readonly at: string } | null;
  readonly published: { readonly name: string | null; readonly at: string } | null;
  readonly supersededAt: string | null;
  readonly version: number;
}

export interface ReportView {
  readonly report: ReportSummary;
  readonly version: VersionView;
  /** Every version the person may read, oldest first. */
  readonly versions: readonly { readonly number: number; readonly status: Status; readonly publishedAt: string | null }[];
  /** Whether the version shown is the latest the person may read. */
  readonly latest: boolean;
  readonly commentary: ReadonlyMap<string, Commentary>;
  /** What the person may do with it now (the version shown must be the latest, in the right state). */
  readonly may: { readonly draft: boolean; readonly signOff: boolean; readonly publish: boolean; readonly reopen: boolean };
  /** Whether the person may sign off but drafted this version (so someone else must). */
  readonly draftedByViewer: boolean;
}

const facts = (report: repository.ReportRow, version: repository.VersionRow): ReportFacts => ({
  organisationId: report.organisation_id, draftedBy: version.drafted_by, published: version.published_at !== null,
});

function toSummary(row: repository.ReportRow): ReportSummary {
  const quarter: Quarter = { year: Number(row.financial_year), number: Number(row.quarter) as Quarter['number'] };
  return {
    id: row.id,
    organisationId: row.organisation_id,
    organisationName: row.organisation_name,
    organisationKind: row.organisation_kind === 'cps_area' ? 'cps_area' : 'police_force',
    quarter,
    quarterKey: quarterKey(quarter),
    quarterName: quarterName(quarter),
  };
}

function toVersion(row: repository.VersionRow): VersionView {
  return {
    id: row.id,
    number: row.number,
    status: isStatus(row.status) ? row.status : 'draft',
    figures: JSON.parse(row.figures) as Figures,
    draftedBy: { id: row.drafted_by, name: row.drafted_by_name, at: row.drafted_at },
    reason: row.reason,
    refreshedBy: row.refreshed_by_name,
    signedOff: row.signed_off_at ? { name: row.signed_off_by_name, at: row.signed_off_at } : null,
    published: row.published_at ? { name: row.published_by_name, at: row.published_at } : null,
    supersededAt: row.superseded_at,
    version: row.version,
  };
}

/** The organisation's own plans, each by theme as at the quarter's end, and the actions overdue then. */
async function planFigures(db: Db | Tx, organisationId: string, quarter: Quarter): Promise<PlanFigures[]> {
  const start = quarterStart(quarter);
  const end = quarterEnd(quarter);
  const owned = (await plans.listPlans(db)).filter((plan) => plan.owner_organisation_id === organisationId);
  const figures: PlanFigures[] = [];
  for (const plan of owned) {
    const scheme = isStatusScheme(plan.status_scheme) ? plan.status_scheme : 'yes-no-in-progress';
    const [themes, actions, history] = await Promise.all([plans.themesOf(db, plan.id), plans.actionsOf(db, plan.id), repository.planHistorySince(db, plan.id, start)]);
    // A status changed after the quarter's end was, at its end, what the first such change changed it from.
    const statusAtEnd = new Map<string, string>();
    for (const entry of history) if (entry.kind === 'status' && entry.update_on > end && entry.status_from && !statusAtEnd.has(entry.action_id)) statusAtEnd.set(entry.action_id, entry.status_from);
    const inQuarter = history.filter((entry) => entry.update_on <= end);
    const status = (action: plans.ActionRow) => statusAtEnd.get(action.id) ?? action.status;
    figures.push({
      id: plan.id,
      title: plan.title,
      level: plan.level,
      period: plan.period,
      themes: themes.map((theme) => {
        const mine = actions.filter((action) => action.theme_id === theme.id);
        const delivered = mine.map((action) => deliveryOf(scheme, status(action)));
        const ids = new Set(mine.map((action) => action.id));
        return {
          title: theme.title,
          done: delivered.filter((d) => d === 'done').length,
          underway: delivered.filter((d) => d === 'underway').length,
          notStarted: delivered.filter((d) => d === 'not-started').length,
          updates: inQuarter.filter((entry) => ids.has(entry.action_id)).length,
        };
      }),
      overdue: actions
        .filter((action) => action.target_on !== null && action.target_on <= end && deliveryOf(scheme, status(action)) !== 'done')
        .map((action) => ({ number: Number(action.number), text: action.text, targetOn: action.target_on!, status: status(action) })),
    });
  }
  return figures;
}

/** Figures for an organisation's quarter, read now (in the caller's transaction). */
export async function computeFigures(tx: Tx, organisation: Figures['organisation'], quarter: Quarter, now: Date): Promise<Figures> {
  const period = { start: quarterStart(quarter), end: quarterEnd(quarter) };
  const planned = await planFigures(tx, organisation.id, quarter);
  const measures = await caseMeasures(tx, { id: organisation.id, kind: organisation.kind }, period, now);
  return {
    computedAt: now.toISOString(),
    quarter: { key: quarterKey(quarter), ...period },
    organisation,
    plans: planned,
    measures,
    exceptions: exceptionsOf(measures, planned),
  };
}

export interface SeededReport {
  readonly organisation: Figures['organisation'];
  readonly quarter: Quarter;
  readonly draftedBy: string;
  /** Commentary by section, written from the figures computed (the demo's own words). */
  readonly commentary: (figures: Figures) => Readonly<Record<string, string>>;
  readonly signedOffBy?: string;
  readonly publishedBy?: string;
  readonly now: Date;
}

/**
 * Writes a report with its first version in the caller's transaction, at the
 * stage the input reaches (drafted, signed off, published), for the demo,
 * which journals its seeding itself. The same rules hold: a signer is not
 * the drafter, and every exception has commentary before sign-off.
 */
export async function writeSeededReport(tx: Tx, input: SeededReport): Promise<string> {
  const figures = await computeFigures(tx, input.organisation, input.quarter, input.now);
  const commentary = input.commentary(figures);
  if (input.signedOffBy !== undefined) {
    if (input.signedOffBy === input.draftedBy) throw new Error('A report is signed off by someone other than its drafter');
    const missing = unexplained(figures.exceptions, new Map(Object.entries(commentary)));
    if (missing.length) throw new Error(`Exceptions without commentary: ${missing.map((e) => e.key).join(', ')}`);
  }
  const at = input.now.toISOString();
  const reportId = newId();
  const versionId = newId();
  await repository.insertReport(tx, { id: reportId, organisation_id: input.organisation.id, financial_year: input.quarter.year, quarter: input.quarter.number, created_by: input.draftedBy, created_at: at });
  await repository.insertVersion(tx, {
    id: versionId, report_id: reportId, number: 1, status: input.publishedBy ? 'published' : input.signedOffBy ? 'signed_off' : 'draft', figures: JSON.stringify(figures), computed_at: at,
    drafted_by: input.draftedBy, drafted_at: at, reason: null, refreshed_by: null, signed_off_by: input.signedOffBy ?? null, signed_off_at: input.signedOffBy ? at : null,
    published_by: input.publishedBy ?? null, published_at: input.publishedBy ? at : null, superseded_at: null, updated_at: at, version: 1,
  });
  for (const [section, text] of Object.entries(commentary)) {
    if (isSection(section)) await repository.saveCommentary(tx, { version_id: versionId, section, text, updated_by: input.draftedBy, updated_at: at });
  }
  return reportId;
}

export function createAssuranceService(platform: Platform) {
  const { db, audit, clock } = platform;
  const today = () => londonDate(clock.now());

  /** Journals a refusal and throws it. */
  async function refuse(context: AuditContext, type: 'not-found' | 'forbidden', objectId: string | undefined): Promise<never> {
    await audit.audited(context, { action: 'deny', event: `assurance.${type}`, outcome: 'denied', objectType: 'assurance-report', objectId: objectId && isId(objectId) ? objectId : undefined }, async () => undefined);
    throw new Problem(type);
  }

  /** A report and the versions the actor may read: none, and it is not found. */
  async function load(actor: Actor, context: AuditContext, reportId: string) {
    const report = isId(reportId) ? await repository.findReport(db, reportId) : undefined;
    if (!report) return refuse(context, 'not-found', reportId);
    const versions = await repository.versionsOf(db, report.id);
    const readable = versions.filter((version) => mayAssurance(actor, 'read', facts(report, version)));
    if (readable.length === 0) return refuse(context, 'not-found', reportId);
    return { report, versions, readable };
  }

  /**
   * The check every step starts with: the report's latest version, which the
   * actor may `act` on (not found if they may not see it, forbidden if they
   * may see but not act) and which is in one of the states the step needs
   * (otherwise it has moved on: a conflict).
   */
  async function loadFor(actor: Actor, context: AuditContext, reportId: string, act: AssuranceAct, states: readonly Status[]) {
    const { report, versions } = await load(actor, context, reportId);
    const latest = versions.at(-1)!;
    if (!mayAssurance(actor, act, facts(report, latest))) return refuse(context, 'forbidden', report.id);
    if (!states.includes(isStatus(latest.status) ? latest.status : 'draft')) throw new Problem('conflict', translate('assurance.error.state', { status: translate(`assurance.status.${latest.status}`) }));
    return { report, latest };
  }

  /** One change to the latest version: claims its version, then the change's own writes and its audit entry. */
  async function change(
    context: AuditContext,
    report: repository.ReportRow,
    latest: repository.VersionRow,
    expected: number,
    event: string,
    work: (tx: Tx, now: Date) => Promise<{ changes: Parameters<typeof repository.updateVersion>[3]; details?: Record<string, string | number | boolean | null> }>,
  ): Promise<number> {
    return inTransaction(db, async (tx) => {
      const now = clock.now();
      const { changes, details } = await work(tx, now);
      if (!(await repository.updateVersion(tx, latest.id, expected, { ...changes, updated_at: now.toISOString() }))) throw new Problem('conflict');
      await audit.record(tx, context, { action: 'alter', event, objectType: 'assurance-report', objectId: report.id, details: { ...details, versionId: latest.id, number: latest.number, version: expected + 1 } });
      return expected + 1;
    });
  }

    /** A report at the latest version the actor may read, or at version `number`. */
  async function view(actor: Actor, context: AuditContext, reportId: string, number?: number): Promise<ReportView> {
    const { report, versions, readable } = await load(actor, context, reportId);
    const shown = number === undefined ? readable.at(-1)! : readable.find((v) => v.number === number);
    if (!shown) return refuse(context, 'not-found', report.id);
    const commentary = new Map((await repository.commentaryOf(db, shown.id)).map((row) => [row.section, { text: row.text, by: row.updated_by_name, at: row.updated_at }]));
    const latest = shown.id === versions.at(-1)!.id;
    const status = isStatus(shown.status) ? shown.status : 'draft';
    const can = (act: AssuranceAct, state: Status) => latest && status === state && mayAssurance(actor, act, facts(report, shown));
    return {
      report: toSummary(report),
      version: toVersion(shown),
      versions: readable.map((v) => ({ number: v.number, status: isStatus(v.status) ? v.status : 'draft', publishedAt: v.published_at })),
      latest: shown.id === readable.at(-1)!.id,
      commentary,
      may: { draft: can('draft', 'draft'), signOff: can('sign-off', 'draft'), publish: can('publish', 'signed_off'), reopen: can('reopen', 'published') },
      draftedByViewer: latest && status === 'draft' && mayAssurance(actor, 'publish', facts(report, shown)) && shown.drafted_by === actor.userId,
    };
  }

  return {
    /** Whether the actor may start a report for the organisation they act for. */
    mayStart: (actor: Actor) => mayAssurance(actor, 'start'),

    /** Refuses, journalled, someone who may not start a report for the organisation they act for. */
    async checkStart(actor: Actor, context: AuditContext): Promise<void> {
      if (!mayAssurance(actor, 'start')) await refuse(context, 'forbidden', undefined);
    },

    /** The reports the actor may read: their own organisation's, or (national plan leads and analysts) everything published. */
    async list(actor: Actor): Promise<ListedReport[]> {
      const acting = actor.organisation;
      const own = acting.organisationKind === 'police_force' || acting.organisationKind === 'cps_area';
      if (!own && !mayAssurance(actor, 'read', { organisationId: '', draftedBy: '', published: true })) return [];
      const rows = await repository.listReports(db, own ? { organisationId: acting.organisationId } : 'published');
      return rows.map((row) => {
        // Nationally, the latest published version: it stays published until a later one is.
        const number = own ? row.latest_number : row.published_number!;
        const status: Status = own ? (isStatus(row.latest_status) ? row.latest_status : 'draft') : 'published';
        return { ...toSummary(row), number, status, updatedAt: row.latest_updated_at };
      });
    },

    /** Starts a report for the organisation the actor acts for and a complete quarter, with its figures computed now. */
    async start(actor: Actor, context: AuditContext, input: { quarter: string }): Promise<string> {
      if (!mayAssurance(actor, 'start')) return refuse(context, 'forbidden', undefined);
      const { value: quarter, errors } = quarterErrors(input.quarter, today());
      if (!quarter) throw invalid(errors);
      const organisation = actor.organisation;
      if (await repository.findReportFor(db, organisation.organisationId, quarter.year, quarter.number)) {
        throw invalid([{ field: 'quarter', message: translate('assurance.error.exists', { quarter: quarterName(quarter) }) }]);
      }
      const reportId = newId();
      try {
        await inTransaction(db, async (tx) => {
          const now = clock.now();
          const figures = await computeFigures(tx, { id: organisation.organisationId, name: organisation.organisationName, kind: organisation.organisationKind === 'cps_area' ? 'cps_area' : 'police_force' }, quarter, now);
          const at = now.toISOString();
          await repository.insertReport(tx, { id: reportId, organisation_id: organisation.organisationId, financial_year: quarter.year, quarter: quarter.number, created_by: actor.userId, created_at: at });
          const versionId = newId();
          await repository.insertVersion(tx, {
            id: versionId, report_id: reportId, number: 1, status: 'draft', figures: JSON.stringify(figures), computed_at: at, drafted_by: actor.userId, drafted_at: at,
            reason: null, refreshed_by: null, signed_off_by: null, signed_off_at: null, published_by: null, published_at: null, superseded_at: null, updated_at: at, version: 1,
          });
          await audit.record(tx, context, { action: 'collect', event: 'assurance.draft', objectType: 'assurance-report', objectId: reportId, details: { versionId, number: 1, quarter: quarterKey(quarter), exceptions: figures.exceptions.length } });
        });
      } catch (error) {
        // Someone else started the same quarter's report at the same moment.
        if (repository.isUniqueViolation(error)) throw new Problem('conflict', translate('assurance.error.exists', { quarter: quarterName(quarter) }));
        throw error;
      }
      return reportId;
    },

    view,

    /** Checks the actor may take a step on the report now, for showing its form; answers the report as it stands. */
    async check(actor: Actor, context: AuditContext, reportId: string, act: AssuranceAct): Promise<ReportView> {
      const states: Record<AssuranceAct, Status[]> = { read: [], start: [], draft: ['draft'], 'sign-off': ['draft'], publish: ['signed_off'], reopen: ['published'] };
      await loadFor(actor, context, reportId, act, states[act]);
      return view(actor, context, reportId);
    },

    /** Commentary on a section of the draft (or on an exception, which must be explained). */
    async saveCommentary(actor: Actor, context: AuditContext, reportId: string, section: string, text: string, version: number | null): Promise<number> {
      const { report, latest } = await loadFor(actor, context, reportId, 'draft', ['draft']);
      const expected = validVersion(version);
      const figures = JSON.parse(latest.figures) as Figures;
      const known = (s: string): s is Section => ['summary', 'plans', 'early-advice', 'prfi', 'escalations', 'nfa'].includes(s) || figures.exceptions.some((e) => `exception.${e.key}` === s);
      if (!known(section)) throw new Problem('not-found');
      const { value, errors } = commentaryErrors(text, section);
      if (value === null) throw invalid(errors);
      return change(context, report, latest, expected, 'assurance.commentary', async (tx, now) => {
        await repository.saveCommentary(tx, { version_id: latest.id, section, text: value, updated_by: actor.userId, updated_at: now.toISOString() });
        return { changes: {}, details: { section, cleared: value === '' } };
      });
    },

    /** Computes the draft's figures again, now; its commentary stays. */
    async refresh(actor: Actor, context: AuditContext, reportId: string, version: number | null): Promise<number> {
      const { report, latest } = await loadFor(actor, context, reportId, 'draft', ['draft']);
      const expected = validVersion(version);
      const summary = toSummary(report);
      return change(context, report, latest, expected, 'assurance.refresh', async (tx, now) => {
        const figures = await computeFigures(tx, { id: summary.organisationId, name: summary.organisationName, kind: summary.organisationKind }, summary.quarter, now);
        return { changes: { figures: JSON.stringify(figures), computed_at: now.toISOString(), refreshed_by: actor.userId }, details: { exceptions: figures.exceptions.length } };
      });
    },

    /** Someone with sign-off authority, other than its drafter, signs the draft off as it stands; every exception must be explained. */
    async signOff(actor: Actor, context: AuditContext, reportId: string, version: number | null): Promise<number> {
      const { report, latest } = await loadFor(actor, context, reportId, 'sign-off', ['draft']);
      const expected = validVersion(version);
      const figures = JSON.parse(latest.figures) as Figures;
      const commentary = new Map((await repository.commentaryOf(db, latest.id)).map((row) => [row.section, row.text]));
      const missing = unexplained(figures.exceptions, commentary);
      if (missing.length) {
        throw invalid(missing.map((e) => ({ field: `exception-${e.key}`, message: translate('assurance.error.unexplained', { exception: sectionName(`exception.${e.key}`) }) })));
      }
      return change(context, report, latest, expected, 'assurance.sign-off', async (_tx, now) => ({
        changes: { status: 'signed_off', signed_off_by: actor.userId, signed_off_at: now.toISOString() },
      }));
    },

    /** Publishes a signed-off report: read-only from now on, and readable nationally. */
    async publish(actor: Actor, context: AuditContext, reportId: string, version: number | null): Promise<number> {
      const { report, latest } = await loadFor(actor, context, reportId, 'publish', ['signed_off']);
      const expected = validVersion(version);
      return change(context, report, latest, expected, 'assurance.publish', async (tx, now) => {
        // The version this one revises is superseded now, not when it was reopened: until then it was the one in force.
        const superseded = await repository.supersedeEarlier(tx, report.id, latest.number, now.toISOString());
        return { changes: { status: 'published', published_by: actor.userId, published_at: now.toISOString() }, details: { superseded } };
      });
    },

    /**
     * Reopens a published report as its next version, a draft with the same
     * figures and commentary, saying why. The published one stays in force
     * (and readable) until the new one is published.
     */
    async reopen(actor: Actor, context: AuditContext, reportId: string, reason: string, version: number | null): Promise<number> {
      const { report, latest } = await loadFor(actor, context, reportId, 'reopen', ['published']);
      const expected = validVersion(version);
      const { value, errors } = reasonErrors(reason);
      if (value === null) throw invalid(errors);
      const next = latest.number + 1;
      try {
        await change(context, report, latest, expected, 'assurance.reopen', async (tx, now) => {
          const at = now.toISOString();
          const versionId = newId();
          await repository.insertVersion(tx, {
            id: versionId, report_id: report.id, number: next, status: 'draft', figures: latest.figures, computed_at: latest.computed_at, drafted_by: actor.userId, drafted_at: at,
            reason: value, refreshed_by: null, signed_off_by: null, signed_off_at: null, published_by: null, published_at: null, superseded_at: null, updated_at: at, version: 1,
          });
          await repository.copyCommentary(tx, latest.id, versionId);
          return { changes: {}, details: { newVersionId: versionId, newNumber: next } };
        });
      } catch (error) {
        if (repository.isUniqueViolation(error)) throw new Problem('conflict');
        throw error;
      }
      return next;
    },

    /** The quarter a key names, for pages and the API. */
    quarterOf: (key: string) => parseQuarterKey(key),
  };
}

export type AssuranceService = ReturnType<typeof createAssuranceService>;
