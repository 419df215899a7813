// Commands and queries on a case's details: its references (CPS URN and court
// case number), notes marked fact or opinion, and the supervisors' review of
// break-glass grants in their organisation.
import type { Actor } from '../../platform/access/policy.ts';
import type { Role } from '../../platform/access/roles.ts';
import type { AuditContext } from '../../platform/audit/model.ts';
import { isId, newId } from '../../platform/db/ids.ts';
import { inTransaction } from '../../platform/db/transaction.ts';
import type { Platform } from '../../platform/platform.ts';
import { Problem } from '../../platform/web/errors.ts';
import { createCaseCommands, invalid, validVersion } from '../case-commands.ts';
import { createIdempotency } from '../idempotency.ts';
import type { Idempotency } from '../idempotency.ts';
import type { LoadedCase } from '../case-commands.ts';
import type { CaseSummary } from '../model.ts';
import { toSummary } from '../service.ts';
import {
  breakGlassReviewers,
  detailChanges,
  detailsErrors,
  isBreakGlassOutcome,
  isNoteKind,
  noteErrors,
} from './model.ts';
import type { BreakGlassGrant, BreakGlassOutcome, CaseNote, DetailChange, DetailsInput, ValidDetails } from './model.ts';
import * as repository from './repository.ts';

export { courtCaseNumberError, normaliseCourtCaseNumber } from './model.ts';
export type { CaseNote, DetailChange } from './model.ts';

/** What an API create answers: the new record's id and the case's version after it (the next If-Match). */
export interface Created {
  readonly id: string;
  readonly caseVersion: number;
}

/** The version a create claims: the one the actor sent, or (API without If-Match) the one just read. */
export function claimedVersion(loaded: LoadedCase, version: number | null | undefined): number {
  return version === undefined || version === null ? Number(loaded.row.version) : validVersion(version);
}

/** Whether the actor may review break-glass grants in the organisation they act for now. */
export function mayReviewBreakGlass(actor: Actor): boolean {
  const { organisationKind, roles } = actor.organisation;
  const reviewers: readonly Role[] = organisationKind === 'police_force' ? breakGlassReviewers.police_force : organisationKind === 'cps_area' ? breakGlassReviewers.cps_area : [];
  return roles.some((role) => reviewers.includes(role));
}

export function createDetailsService(platform: Platform) {
  const { db, audit } = platform;
  const commands = createCaseCommands(platform);
  const { load, command, refuse } = commands;
  const { once, replay } = createIdempotency(platform);

  const current = (loaded: LoadedCase): ValidDetails => ({ cpsUrn: loaded.row.cps_urn, courtCaseNumber: loaded.row.court_case_number });

  /**
   * Changes the case's references on a case already loaded for work; the
   * caller has checked the actor may. Nothing changed is no change (no
   * event, same version).
   */
  async function changeReferences(actor: Actor, context: AuditContext, loaded: LoadedCase, after: Partial<ValidDetails>, version: number | null): Promise<{ changes: DetailChange[]; version: number }> {
    const changes = detailChanges(current(loaded), after);
    if (changes.length === 0) return { changes, version: validVersion(version) };
    const urn = changes.find((c) => c.field === 'cpsUrn')?.to;
    if (urn && (await repository.urnTakenElsewhere(db, loaded.row.cps_area_id, urn, loaded.row.id))) {
      throw invalid([{ field: 'cpsUrn', message: 'Another case in this CPS Area already has this URN: check it and enter it again' }]);
    }
    const done = await command(actor, context, loaded, version, async (tx) => {
      await repository.setReferences(tx, loaded.row.id, Object.fromEntries(changes.map((c) => [c.field === 'cpsUrn' ? 'cps_urn' : 'court_case_number', c.to])));
      return {
        events: [{ type: 'case.details-changed', data: { changes: changes.map((c) => ({ field: c.field, from: c.from, to: c.to })) } }],
        audit: { action: 'alter', event: 'case.details.change', details: { fields: changes.map((c) => c.field).join(',') } },
      };
    });
    return { changes, version: done.version };
  }

  return {
    changeReferences,

    /** The case as its details form shows it; for those who may change it. */
    async forEditing(actor: Actor, context: AuditContext, caseId: string): Promise<CaseSummary> {
      const loaded = await load(actor, context, caseId, 'work');
      await audit.audited(context, { action: 'consult', event: 'case.details.view', objectType: 'case', objectId: loaded.row.id, details: { access: loaded.access } }, async () => undefined);
      return toSummary(loaded.row);
    },

    /** Changes the URN and court case number (either side of the case team, or its supervisors). */
    async changeDetails(actor: Actor, context: AuditContext, caseId: string, input: DetailsInput, version: number | null): Promise<{ summary: CaseSummary; changes: DetailChange[] }> {
      const loaded = await load(actor, context, caseId, 'work');
      if (!loaded.side) return refuse(context, 'forbidden', caseId, 'case.details.forbidden');
      const { value, errors } = detailsErrors(input);
      if (!value) throw invalid(errors);
      const { changes } = await changeReferences(actor, context, loaded, value, version);
      const row = (await load(actor, context, caseId, 'see')).row;
      return { summary: toSummary(row), changes };
    },

    /** The case's notes, newest first, with the case; a consultation, so journalled. */
    async notes(actor: Actor, context: AuditContext, caseId: string): Promise<{ summary: CaseSummary; notes: CaseNote[]; mayAdd: boolean }> {
      const loaded = await load(actor, context, caseId, 'see');
      const rows = await repository.notesOf(db, loaded.row.id);
      await audit.audited(context, { action: 'consult', event: 'case.notes.view', objectType: 'case', objectId: loaded.row.id, details: { notes: rows.length, access: loaded.access } }, async () => undefined);
      return {
        summary: toSummary(loaded.row),
        notes: rows.flatMap((r) => (isNoteKind(r.kind) ? [{ id: r.id, kind: r.kind, text: r.text, authorUserId: r.author_user_id, authorName: r.author_name, createdAt: r.created_at }] : [])),
        mayAdd: loaded.side !== null && (loaded.access === 'team' || loaded.access === 'supervision'),
      };
    },

    /** Adds a note (never edited afterwards); the journal records that it was added and its kind, not its text. */
    async addNote(actor: Actor, context: AuditContext, caseId: string, input: { kind: string; text: string }, version: number | null, idempotency?: Idempotency): Promise<Created> {
      const loaded = await load(actor, context, caseId, 'work');
      if (!loaded.side) return refuse(context, 'forbidden', caseId, 'case.note.forbidden');
      const earlier = await replay<Created>(context, actor, 'case-notes.create', idempotency);
      if (earlier) return earlier;
      const { value, errors } = noteErrors(input);
      if (!value) throw invalid(errors);
      const expected = claimedVersion(loaded, version);
      return once(context, actor, 'case-notes.create', idempotency, async (remember) => {
        const noteId = newId();
        await command(actor, context, loaded, expected, async (tx, now) => {
          await repository.insertNote(tx, { id: noteId, case_id: loaded.row.id, kind: value.kind, text: value.text, author_user_id: actor.userId, created_at: now });
          await remember(tx, { id: noteId, caseVersion: expected + 1 });
          return {
            events: [{ type: 'case.note-added', data: { noteId, kind: value.kind } }],
            audit: { action: 'collect', event: 'case.note.add', details: { noteId, kind: value.kind } },
          };
        });
        return { id: noteId, caseVersion: expected + 1 };
      });
    },

    /** Refuses (and journals the refusal) anyone who may not review break-glass grants. */
    async checkMayReview(actor: Actor, context: AuditContext): Promise<void> {
      if (!mayReviewBreakGlass(actor)) await refuse(context, 'forbidden', undefined, 'case.break-glass.review.forbidden');
    },

    /** Unreviewed break-glass grants in the reviewer's organisation, oldest first; the list is a consultation. */
    async unreviewedGrants(actor: Actor, context: AuditContext): Promise<BreakGlassGrant[]> {
      if (!mayReviewBreakGlass(actor)) return refuse(context, 'forbidden', undefined, 'case.break-glass.review.forbidden');
      const rows = await repository.unreviewedGrants(db, actor.organisation.organisationId, 200);
      await audit.audited(context, { action: 'consult', event: 'case.break-glass.reviews.list', objectType: 'case', details: { shown: rows.length } }, async () => undefined);
      return rows.map((r) => ({ id: r.id, caseId: r.case_id, policeReference: r.police_reference, userId: r.user_id, userName: r.user_name, reason: r.reason, grantedAt: r.granted_at, expiresAt: r.expires_at }));
    },

    /** Marks a grant reviewed with its outcome, once; a grant not in the reviewer's organisation is not found. */
    async reviewGrant(actor: Actor, context: AuditContext, grantId: string, input: { outcome: string }): Promise<BreakGlassOutcome> {
      if (!mayReviewBreakGlass(actor)) return refuse(context, 'forbidden', undefined, 'case.break-glass.review.forbidden');
      const grant = isId(grantId) ? await repository.findUnreviewedGrant(db, actor.organisation.organisationId, grantId) : undefined;
      if (!grant) {
        await audit.audited(context, { action: 'deny', event: 'case.break-glass.review.not-found', outcome: 'denied', objectType: 'break-glass-grant', objectId: isId(grantId) ? grantId : undefined }, async () => undefined);
        throw new Problem('not-found');
      }
      const outcome = input.outcome;
      if (!isBreakGlassOutcome(outcome)) throw invalid([{ field: `outcome-${grantId}`, message: 'Select whether the access was appropriate or is referred to professional standards' }]);
      await inTransaction(db, async (tx) => {
        const now = platform.clock.now().toISOString();
        if (!(await repository.reviewGrant(tx, grant.id, { reviewed_at: now, reviewed_by: actor.userId, review_outcome: outcome }))) throw new Problem('conflict');
        await audit.record(tx, context, {
          action: 'alter', event: 'case.break-glass.review', objectType: 'case', objectId: grant.case_id, subjects: [grant.user_id],
          details: { grant: grant.id, outcome },
        });
      });
      return outcome;
    },
  };
}

export type DetailsService = ReturnType<typeof createDetailsService>;
