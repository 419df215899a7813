// Commands and queries on police decisions of no further action: the officer
// proposes, a police supervisor other than the proposer signs off, and the
// sign-off moves the case to 'No further action (police)', queues it for the
// scrutiny panel and the victim's letter. Every command is one case command.
import type { Actor } from '../../platform/access/policy.ts';
import type { AuditContext } from '../../platform/audit/model.ts';
import { newId } from '../../platform/db/ids.ts';
import type { Db, Tx } from '../../platform/db/transaction.ts';
import type { Platform } from '../../platform/platform.ts';
import { londonDate } from '../../platform/time/working-days.ts';
import { createCaseCommands, invalid } from '../case-commands.ts';
import type { CaseEventDraft, LoadedCase } from '../case-commands.ts';
import { canTransition } from '../model.ts';
import type { CaseSummary } from '../model.ts';
import * as cases from '../repository.ts';
import { toSummary } from '../service.ts';
import { createIdempotency } from '../idempotency.ts';
import type { Idempotency } from '../idempotency.ts';
import { PROPOSERS, SIGNERS, outcomeCodes, proposalErrors, signOffErrors, withdrawalStands } from './model.ts';
import type { NfaFile, NfaView, ProposalInput, SignOffInput } from './model.ts';
import * as repository from './repository.ts';

export function nfaPowers(actor: Actor, side: 'police' | 'cps' | null) {
  const roles = actor.organisation.roles;
  return {
    propose: side === 'police' && roles.some((role) => PROPOSERS.includes(role)),
    signOff: side === 'police' && roles.some((role) => SIGNERS.includes(role)),
  };
}

function toView(row: repository.NfaRow): NfaView {
  return {
    id: row.id,
    status: row.status === 'signed_off' ? 'signed_off' : row.status === 'withdrawn' ? 'withdrawn' : 'proposed',
    outcomeCode: Number(row.outcome_code),
    rationale: row.rationale,
    proposedBy: row.proposed_by_name,
    proposedById: row.proposed_by,
    proposedAt: row.proposed_at,
    meeting: row.meeting_held_on ? { heldOn: row.meeting_held_on, attendees: row.meeting_attendees ?? '' } : null,
    contact: row.victim_contact_on ? { on: row.victim_contact_on, method: row.victim_contact_method ?? '', by: row.victim_contact_by ?? '', summary: row.victim_contact_summary ?? '' } : null,
    signedOffBy: row.signed_off_by_name,
    signedOffAt: row.signed_off_at,
    victimTold: row.victim_told_on ? { on: row.victim_told_on, method: row.victim_told_method ?? '' } : null,
  };
}

function parsed(data: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(data);
    return value && typeof value === 'object' ? (value as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

/**
 * The police NFA record of a case and what the journal says about it: whether
 * the case was ever referred to the CPS, and the joint meeting held since the
 * last referral (recorded here or by the conferences part), and whether a
 * victim's withdrawal of support stands (recorded by the victims' records).
 */
async function readFile(executor: Db | Tx, caseId: string): Promise<NfaFile> {
  const [rows, events] = await Promise.all([repository.decisionsOf(executor, caseId), cases.eventsOf(executor, caseId)]);
  const decisions = rows.map(toView);
  const lastReferral = Math.max(0, ...events.filter((e) => e.type === 'charging.referred' || e.type === 'advice.requested').map((e) => Number(e.seq)));
  const meeting = events.find((e) => {
    if (e.type !== 'conference.recorded' || Number(e.seq) < lastReferral) return false;
    try {
      return (JSON.parse(e.data) as { kind?: string }).kind === 'pre_nfa_meeting';
    } catch {
      return false;
    }
  });
  let meetingOn: string | null = null;
  if (meeting) {
    const heldOn = (JSON.parse(meeting.data) as { heldOn?: unknown }).heldOn;
    meetingOn = typeof heldOn === 'string' ? heldOn : londonDate(meeting.occurred_at);
  }
  // The journal comes newest first; a re-engagement must follow its withdrawal.
  const withdrawals = events.filter((e) => e.type.startsWith('victims.withdrawal.')).reverse().map((e) => ({ type: e.type, data: parsed(e.data) }));
  return { decisions, pending: decisions.find((d) => d.status === 'proposed') ?? null, everReferred: lastReferral > 0, meetingOn, withdrawalRecorded: withdrawalStands(withdrawals) };
}

export function createPoliceNfaService(platform: Platform) {
  const { db, audit, clock } = platform;
  const { load, command, refuse } = createCaseCommands(platform);
  const idempotent = createIdempotency(platform);
  const today = () => londonDate(clock.now());

  async function loadFor(actor: Actor, context: AuditContext, caseId: string, power: 'propose' | 'signOff'): Promise<LoadedCase> {
    const loaded = await load(actor, context, caseId, 'work');
    if (!nfaPowers(actor, loaded.side)[power]) await refuse(context, 'forbidden', caseId, power === 'propose' ? 'police-nfa.propose.forbidden' : 'police-nfa.sign-off.forbidden');
    return loaded;
  }

  const stageProblem = (loaded: LoadedCase) =>
    canTransition(loaded.stage, 'police_nfa') ? null : 'A police decision of no further action cannot be made at this stage: the case is already closed, charged or awaiting a CPS decision';

  return {
    /** The police NFA record of a case, for anyone who may see the case. Audited as a consultation. */
    async nfaFile(actor: Actor, context: AuditContext, caseId: string): Promise<{ summary: CaseSummary; file: NfaFile; side: 'police' | 'cps' | null; access: LoadedCase['access'] }> {
      const loaded = await load(actor, context, caseId, 'see');
      const file = await readFile(db, loaded.row.id);
      await audit.audited(context, { action: 'consult', event: 'police-nfa.view', objectType: 'case', objectId: loaded.row.id, details: { access: loaded.access, decisions: file.decisions.length } }, async () => undefined);
      return { summary: toSummary(loaded.row), file, side: loaded.side, access: loaded.access };
    },

    async check(actor: Actor, context: AuditContext, caseId: string, power: 'propose' | 'signOff'): Promise<void> {
      await loadFor(actor, context, caseId, power);
    },

    /** The officer proposes to close the case with no further action; a proposal awaiting sign-off is replaced. */
    async propose(actor: Actor, context: AuditContext, caseId: string, input: ProposalInput, version: number | null, idempotency?: Idempotency): Promise<string> {
      const loaded = await loadFor(actor, context, caseId, 'propose');
      return (await idempotent.once<{ id: string }>(context, actor, `police-nfa.propose:${loaded.row.id}`, idempotency, async (remember) => {
        const problem = stageProblem(loaded);
        if (problem) throw invalid([{ field: 'outcomeCode', message: problem }]);
        const id = newId();
        await command(actor, context, loaded, version, async (tx, now) => {
          const file = await readFile(tx, loaded.row.id);
          const { value, errors } = proposalErrors(input, { today: today(), everReferred: file.everReferred, meetingRecorded: file.meetingOn !== null, withdrawalRecorded: file.withdrawalRecorded });
          if (!value) throw invalid(errors);
          await repository.withdrawProposals(tx, loaded.row.id);
          await repository.insertDecision(tx, {
            id, case_id: loaded.row.id, status: 'proposed', outcome_code: value.outcomeCode, outcome_codes_version: outcomeCodes.version, rationale: value.rationale,
            proposed_by: actor.userId, proposed_at: now,
            meeting_held_on: value.meeting?.heldOn ?? null, meeting_attendees: value.meeting?.attendees ?? null,
            victim_contact_on: value.contact?.on ?? null, victim_contact_method: value.contact?.method ?? null, victim_contact_by: value.contact?.by ?? null, victim_contact_summary: value.contact?.summary ?? null,
            signed_off_by: null, signed_off_at: null, victim_told_on: null, victim_told_method: null,
          });
          await remember(tx, { id });
          const events: CaseEventDraft[] = [];
          // The meeting is journalled as the conferences part journals it, so both read the same.
          if (value.meeting) events.push({ type: 'conference.recorded', data: { conferenceId: id, kind: 'pre_nfa_meeting', heldOn: value.meeting.heldOn }, occurredAt: `${value.meeting.heldOn}T12:00:00.000Z` });
          if (value.contact) events.push({ type: 'police-nfa.victim-contact-recorded', data: { proposalId: id, method: value.contact.method, on: value.contact.on } });
          events.push({ type: 'police-nfa.proposed', data: { proposalId: id, outcomeCode: value.outcomeCode } });
          return {
            events,
            audit: { action: 'collect', event: 'police-nfa.propose', details: { proposalId: id, outcomeCode: value.outcomeCode, meetingRecordedHere: value.meeting !== null, victimContact: value.contact !== null } },
          };
        }, 'outcomeCode');
        return { id };
      })).id;
    },

    /** A police supervisor other than the proposer signs off the proposal: the case closes as police NFA. */
    async signOff(actor: Actor, context: AuditContext, caseId: string, input: SignOffInput, version: number | null): Promise<void> {
      const loaded = await loadFor(actor, context, caseId, 'signOff');
      const problem = stageProblem(loaded);
      if (problem) throw invalid([{ field: 'victimToldOn', message: problem }]);
      await command(actor, context, loaded, version, async (tx, now) => {
        const file = await readFile(tx, loaded.row.id);
        const proposal = file.pending;
        if (!proposal) throw invalid([{ field: 'victimToldOn', message: 'There is no proposal of no further action awaiting sign-off' }]);
        if (proposal.proposedById === actor.userId) throw invalid([{ field: 'victimToldOn', message: 'A supervisor other than the officer who proposed it must sign off the decision' }]);
        // A referral since the proposal needs its own meeting first.
        if (file.everReferred && file.meetingOn === null) throw invalid([{ field: 'victimToldOn', message: 'The case was referred to the CPS: record a joint meeting with the prosecutor, in a new proposal, before no further action' }]);
        const { value, errors } = signOffErrors(input, today());
        if (!value) throw invalid(errors);
        if (!(await repository.signOff(tx, proposal.id, { signed_off_by: actor.userId, signed_off_at: now, victim_told_on: value.toldOn, victim_told_method: value.method }))) {
          throw invalid([{ field: 'victimToldOn', message: 'This proposal is no longer awaiting sign-off' }]);
        }
        const code = proposal.outcomeCode;
        return {
          events: [
            { type: 'police-nfa.signed-off', data: { proposalId: proposal.id, outcomeCode: code } },
            { type: 'police-nfa.decided', data: { proposalId: proposal.id, outcomeCode: code, victimToldOn: value.toldOn, rightToReviewGiven: true } },
            { type: 'scrutiny.queued', data: { decision: 'police_nfa', outcomeCode: code, proposalId: proposal.id } },
            { type: 'victim-letter.queued', data: { letter: 'police-nfa-right-to-review', proposalId: proposal.id } },
          ],
          stage: 'police_nfa',
          audit: { action: 'alter', event: 'police-nfa.sign-off', details: { proposalId: proposal.id, outcomeCode: code } },
        };
      }, 'victimToldOn');
    },
  };
}

export type PoliceNfaService = ReturnType<typeof createPoliceNfaService>;
