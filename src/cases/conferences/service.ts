// Commands and queries on a case's conferences: recording one (with who
// attended, the decisions and the actions agreed) and marking an action done.
// Either side of the case team, or its supervisors, may record; everyone who
// may see the case may read them. The police NFA part asks `hasPreNfaMeeting`.
import type { Actor } from '../../platform/access/policy.ts';
import type { AuditContext } from '../../platform/audit/model.ts';
import { isId, newId } from '../../platform/db/ids.ts';
import type { Db, Tx } from '../../platform/db/transaction.ts';
import type { Platform } from '../../platform/platform.ts';
import { londonDate } from '../../platform/time/working-days.ts';
import { Problem } from '../../platform/web/errors.ts';
import { createCaseCommands, invalid } from '../case-commands.ts';
import type { LoadedCase } from '../case-commands.ts';
import { caseRoleName, isCaseRole } from '../model.ts';
import type { CaseSummary } from '../model.ts';
import * as caseRepository from '../repository.ts';
import { toSummary } from '../service.ts';
import { claimedVersion } from '../details/service.ts';
import type { Created } from '../details/service.ts';
import { createIdempotency } from '../idempotency.ts';
import type { Idempotency } from '../idempotency.ts';
import { conferenceErrors, conferenceStageProblem, isConferenceKind, isOwnerSide } from './model.ts';
import type { Conference, ConferenceInput } from './model.ts';
import * as repository from './repository.ts';

export { conferenceKinds, describeConferenceEvent } from './model.ts';
export type { Conference } from './model.ts';

/** Whether the case has a recorded meeting between investigator and prosecutor before a police NFA. */
export async function hasPreNfaMeeting(executor: Db | Tx, caseId: string): Promise<boolean> {
  return repository.hasConference(executor, caseId, 'pre_nfa_meeting');
}

export interface TeamChoice {
  readonly userId: string;
  readonly name: string;
  readonly role: string;
  readonly organisationName: string;
}

export function createConferencesService(platform: Platform) {
  const { db, audit, clock } = platform;
  const { load, command, refuse } = createCaseCommands(platform);
  const { once, replay } = createIdempotency(platform);

  const mayRecord = (loaded: LoadedCase) => loaded.side !== null && (loaded.access === 'team' || loaded.access === 'supervision');

  async function teamChoices(caseId: string): Promise<TeamChoice[]> {
    const team = await caseRepository.teamOf(db, caseId);
    return team.filter((m) => m.ended_at === null && isCaseRole(m.case_role)).map((m) => ({
      userId: m.user_id, name: m.display_name, role: isCaseRole(m.case_role) ? caseRoleName(m.case_role) : m.case_role, organisationName: m.organisation_name,
    }));
  }

  async function conferencesOf(caseId: string): Promise<Conference[]> {
    const [rows, attendees, actions] = await Promise.all([repository.conferencesOf(db, caseId), repository.attendeesOf(db, caseId), repository.actionsOf(db, caseId)]);
    return rows.flatMap((row) => {
      if (!isConferenceKind(row.kind)) return [];
      return [{
        id: row.id,
        kind: row.kind,
        heldOn: row.held_on,
        decisions: row.decisions,
        recordedByName: row.recorded_by_name,
        recordedAt: row.recorded_at,
        attendees: attendees.filter((a) => a.conference_id === row.id).map((a) => ({
          userId: a.user_id,
          name: a.user_id ? a.user_name ?? '' : a.name ?? '',
          organisation: a.user_id ? a.user_organisation ?? '' : a.organisation ?? '',
          role: a.user_id ? 'Case team' : a.role ?? '',
        })),
        actions: actions.filter((a) => a.conference_id === row.id && isOwnerSide(a.owner_side)).map((a) => ({
          id: a.id, description: a.description, ownerSide: a.owner_side as 'police' | 'cps', dueOn: a.due_on, doneAt: a.done_at, doneByName: a.done_by_name,
        })),
      }];
    });
  }

  return {
    /** The case's conferences, most recently held first; the read is a consultation, so journalled. */
    async conferences(actor: Actor, context: AuditContext, caseId: string): Promise<{ summary: CaseSummary; conferences: Conference[]; mayRecord: boolean; mayMarkDone: boolean }> {
      const loaded = await load(actor, context, caseId, 'see');
      const conferences = await conferencesOf(loaded.row.id);
      await audit.audited(context, { action: 'consult', event: 'conference.list', objectType: 'case', objectId: loaded.row.id, details: { conferences: conferences.length, access: loaded.access } }, async () => undefined);
      return { summary: toSummary(loaded.row), conferences, mayRecord: mayRecord(loaded) && conferenceStageProblem(loaded.stage) === null, mayMarkDone: mayRecord(loaded) };
    },

    /** What the record form needs: the case and who is on its team now. Refuses those who may not record. */
    async recordForm(actor: Actor, context: AuditContext, caseId: string): Promise<{ summary: CaseSummary; team: TeamChoice[] }> {
      const loaded = await load(actor, context, caseId, 'work');
      if (!mayRecord(loaded)) return refuse(context, 'forbidden', caseId, 'conference.record.forbidden');
      const team = await teamChoices(loaded.row.id);
      await audit.audited(context, { action: 'consult', event: 'conference.form', objectType: 'case', objectId: loaded.row.id, details: { access: loaded.access } }, async () => undefined);
      return { summary: toSummary(loaded.row), team };
    },

    /** Records a conference held on a day; the journal's event happened that day and names no one. */
    async record(actor: Actor, context: AuditContext, caseId: string, input: ConferenceInput, version: number | null, idempotency?: Idempotency): Promise<Created> {
      const loaded = await load(actor, context, caseId, 'work');
      if (!mayRecord(loaded)) return refuse(context, 'forbidden', caseId, 'conference.record.forbidden');
      const earlier = await replay<Created>(context, actor, 'conferences.create', idempotency);
      if (earlier) return earlier;
      const stageProblem = conferenceStageProblem(loaded.stage);
      if (stageProblem) throw invalid([{ field: 'kind', message: stageProblem }]);
      const team = new Set((await teamChoices(loaded.row.id)).map((m) => m.userId));
      const { value, errors } = conferenceErrors(input, team, londonDate(clock.now()));
      if (!value) throw invalid(errors);
      const expected = claimedVersion(loaded, version);
      return once(context, actor, 'conferences.create', idempotency, async (remember) => {
        const conferenceId = newId();
        await command(actor, context, loaded, expected, async (tx, now) => {
          await repository.insertConference(tx, { id: conferenceId, case_id: loaded.row.id, kind: value.kind, held_on: value.heldOn, decisions: value.decisions, recorded_by: actor.userId, recorded_at: now });
          let position = 0;
          for (const userId of value.teamAttendees) {
            await repository.insertAttendee(tx, { id: newId(), conference_id: conferenceId, user_id: userId, name: null, organisation: null, role: null, position: position++ });
          }
          for (const other of value.others) {
            await repository.insertAttendee(tx, { id: newId(), conference_id: conferenceId, user_id: null, name: other.name, organisation: other.organisation, role: other.role, position: position++ });
          }
          for (const [i, action] of value.actions.entries()) {
            await repository.insertAction(tx, { id: newId(), conference_id: conferenceId, case_id: loaded.row.id, description: action.description, owner_side: action.ownerSide, due_on: action.dueOn, position: i, done_at: null, done_by: null });
          }
          await remember(tx, { id: conferenceId, caseVersion: expected + 1 });
          return {
            events: [{ type: 'conference.recorded', data: { conferenceId, kind: value.kind, heldOn: value.heldOn, actions: value.actions.length }, occurredAt: `${value.heldOn}T00:00:00.000Z` }],
            audit: { action: 'collect', event: 'conference.record', details: { conferenceId, kind: value.kind, heldOn: value.heldOn, attendees: value.teamAttendees.length + value.others.length, actions: value.actions.length } },
          };
        });
        return { id: conferenceId, caseVersion: expected + 1 };
      });
    },

    /** Marks an action agreed at a conference done (once). */
    async markActionDone(actor: Actor, context: AuditContext, caseId: string, actionId: string, version: number | null): Promise<number> {
      const loaded = await load(actor, context, caseId, 'work');
      if (!mayRecord(loaded)) return refuse(context, 'forbidden', caseId, 'conference.action.forbidden');
      const action = isId(actionId) ? await repository.findAction(db, loaded.row.id, actionId) : undefined;
      if (!action) throw new Problem('not-found');
      if (action.done_at !== null) throw invalid([{ field: `action-${action.id}`, message: 'This action is already marked as done' }]);
      const done = await command(actor, context, loaded, version, async (tx, now) => {
        if (!(await repository.markActionDone(tx, action.id, now, actor.userId))) throw new Problem('conflict');
        return {
          events: [{ type: 'conference.action-done', data: { conferenceId: action.conference_id, actionId: action.id, ownerSide: action.owner_side } }],
          audit: { action: 'alter', event: 'conference.action.done', details: { conferenceId: action.conference_id, actionId: action.id } },
        };
      });
      return done.version;
    },
  };
}

export type ConferencesService = ReturnType<typeof createConferencesService>;
