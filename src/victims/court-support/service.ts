// Commands and queries on a victim's court support. Every method starts with
// loadVictim; the victim's ISVA is told these records do not exist (they see
// the pre-trial meeting's date among the key dates instead). Each change is
// one case command: the row, its journal event and the audit entry.
import type { Actor } from '../../platform/access/policy.ts';
import type { AuditContext } from '../../platform/audit/model.ts';
import { newId } from '../../platform/db/ids.ts';
import { translate } from '../../platform/i18n/messages.ts';
import type { Db, Tx } from '../../platform/db/transaction.ts';
import type { Platform } from '../../platform/platform.ts';
import { londonDate } from '../../platform/time/working-days.ts';
import { invalid } from '../../cases/case-commands.ts';
import { createIdempotency } from '../../cases/idempotency.ts';
import type { Idempotency } from '../../cases/idempotency.ts';
import { createVictimCommands } from '../victim-commands.ts';
import type { LoadedVictim } from '../victim-commands.ts';
import { applicationErrors, courtSupportPowers, decisionErrors, isMeasureOutcome, meetingErrors, specialMeasures } from './model.ts';
import type { ApplicationInput, CourtSupport, DecisionInput, MeetingInput, PreTrialMeeting } from './model.ts';
import * as repository from './repository.ts';

async function readCourtSupport(db: Db | Tx, caseId: string, victimId: string): Promise<CourtSupport> {
  const [rows, meeting] = await Promise.all([repository.applicationsOf(db, caseId, victimId), repository.meetingOf(db, caseId, victimId)]);
  return {
    applications: rows.map((r) => ({
      id: r.id, measure: r.measure, appliedOn: r.applied_on, appliedBy: r.applied_by, victimView: r.victim_view,
      outcome: r.outcome !== null && isMeasureOutcome(r.outcome) ? r.outcome : null, decidedOn: r.decided_on, recordedBy: r.recorded_by_name, recordedAt: r.recorded_at,
    })),
    meeting: meeting ? toMeeting(meeting) : null,
  };
}

const toMeeting = (row: { offered_on: string; accepted: number | null; held_on: string | null }): PreTrialMeeting => ({
  offeredOn: row.offered_on, accepted: row.accepted === null ? null : Number(row.accepted) === 1, heldOn: row.held_on,
});

export function createCourtSupportService(platform: Platform) {
  const { db, clock } = platform;
  const commands = createVictimCommands(platform);
  const { loadVictim, command, refuse, consulted } = commands;
  const idempotent = createIdempotency(platform);
  const today = () => londonDate(clock.now());

  /** The access check: not for an ISVA (not found); changes only for the CPS side's recorders. */
  async function loadFor(actor: Actor, context: AuditContext, caseId: string, victimId: string, need: 'see' | 'work'): Promise<LoadedVictim> {
    const v = await loadVictim(actor, context, caseId, victimId, need);
    if (v.viewer === 'isva') return refuse(context, 'not-found', caseId, 'court-support.not-found');
    if (need === 'work' && !courtSupportPowers(actor, v.loaded.side).record) return refuse(context, 'forbidden', caseId, 'court-support.forbidden');
    return v;
  }

  return {
    /** A victim's special measures applications and pre-trial meeting. Audited as a consultation. */
    async courtSupport(actor: Actor, context: AuditContext, caseId: string, victimId: string): Promise<{ v: LoadedVictim; support: CourtSupport; mayRecord: boolean }> {
      const v = await loadFor(actor, context, caseId, victimId, 'see');
      const support = await readCourtSupport(db, v.summary.id, v.victim.id);
      await consulted(context, v, 'court-support.view', { applications: support.applications.length });
      return { v, support, mayRecord: courtSupportPowers(actor, v.loaded.side).record && v.loaded.access !== 'break-glass' };
    },

    async check(actor: Actor, context: AuditContext, caseId: string, victimId: string): Promise<void> {
      await loadFor(actor, context, caseId, victimId, 'work');
    },

    /** Records an application for a special measure. */
    async apply(actor: Actor, context: AuditContext, caseId: string, victimId: string, input: ApplicationInput, version: number | null, idempotency?: Idempotency): Promise<string> {
      const v = await loadFor(actor, context, caseId, victimId, 'work');
      return (await idempotent.once<{ id: string }>(context, actor, `court-support.apply:${v.victim.id}`, idempotency, async (remember) => {
        const { value, errors } = applicationErrors(input, today());
        if (!value) throw invalid(errors);
        const id = newId();
        await command(actor, context, v.loaded, version, async (tx, now) => {
          await repository.insertApplication(tx, {
            id, case_id: v.summary.id, victim_id: v.victim.id, measure: value.measure, measures_version: specialMeasures.version, applied_on: value.appliedOn,
            applied_by: value.appliedBy, victim_view: value.victimView, outcome: null, decided_on: null, recorded_by_user_id: actor.userId, recorded_at: now,
          });
          await remember(tx, { id });
          return {
            events: [{ type: 'victims.court-support.measure-applied', data: { victimId: v.victim.id, applicationId: id, measure: value.measure, on: value.appliedOn } }],
            audit: { action: 'collect', event: 'court-support.apply', subjects: [v.victim.id], details: { applicationId: id, measure: value.measure } },
          };
        }, 'measure');
        return { id };
      })).id;
    },

    /** Records the court's decision on an application. */
    async decide(actor: Actor, context: AuditContext, caseId: string, victimId: string, applicationId: string, input: DecisionInput, version: number | null): Promise<void> {
      const v = await loadFor(actor, context, caseId, victimId, 'work');
      const application = (await readCourtSupport(db, v.summary.id, v.victim.id)).applications.find((a) => a.id === applicationId);
      if (!application) return refuse(context, 'not-found', caseId, 'court-support.application-not-found');
      await command(actor, context, v.loaded, version, async (tx) => {
        const { value, errors } = decisionErrors(input, application.appliedOn, today());
        if (!value) throw invalid(errors);
        if (!(await repository.decide(tx, application.id, value.outcome, value.on))) throw invalid([{ field: 'outcome', message: translate('courtSupport.error.decided') }]);
        return {
          events: [{ type: 'victims.court-support.measure-decided', data: { applicationId: application.id, outcome: value.outcome, on: value.on } }],
          audit: { action: 'alter', event: 'court-support.decide', subjects: [v.victim.id], details: { applicationId: application.id, outcome: value.outcome } },
        };
      }, 'outcome');
    },

    /** The pre-trial meeting's next step: offered, the victim's answer, then held. */
    async meeting(actor: Actor, context: AuditContext, caseId: string, victimId: string, input: MeetingInput, version: number | null): Promise<void> {
      const v = await loadFor(actor, context, caseId, victimId, 'work');
      await command(actor, context, v.loaded, version, async (tx, now) => {
        const row = await repository.meetingOf(tx, v.summary.id, v.victim.id);
        const { value, errors } = meetingErrors(row ? toMeeting(row) : null, input, today());
        if (!value) throw invalid(errors);
        const victimId = v.victim.id;
        if (value.step === 'offer') {
          await repository.insertMeeting(tx, { id: newId(), case_id: v.summary.id, victim_id: victimId, offered_on: value.on, accepted: null, held_on: null, recorded_by_user_id: actor.userId, updated_at: now });
        } else {
          await repository.updateMeeting(tx, row!.id, value.step === 'answer' ? { accepted: value.accepted ? 1 : 0, recorded_by_user_id: actor.userId, updated_at: now } : { held_on: value.on, recorded_by_user_id: actor.userId, updated_at: now });
        }
        const event = value.step === 'offer'
          ? { type: 'victims.court-support.pre-trial-meeting-offered', data: { victimId, on: value.on } }
          : value.step === 'answer'
            ? { type: 'victims.court-support.pre-trial-meeting-answered', data: { victimId, accepted: value.accepted } }
            : { type: 'victims.court-support.pre-trial-meeting-held', data: { victimId, on: value.on } };
        return { events: [event], audit: { action: 'alter', event: `court-support.meeting-${value.step}`, subjects: [victimId] } };
      }, 'on-day');
    },
  };
}

export type CourtSupportService = ReturnType<typeof createCourtSupportService>;
