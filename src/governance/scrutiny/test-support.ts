// For scrutiny tests: the case world (a force and CPS Area with an officer,
// supervisor, prosecutor and DCP), the people of a panel (an escalation lead
// and a head of RASSO unit who manage panels, a force panel member, an
// external member whose only role is 'panel_member' at an ISVA service), people
// who must see nothing (a plan lead, an analyst, another force's escalation
// lead), and ways to make cases closed by police NFA and by the CPS through the
// case file's own services, on the day asked.
import { testAppWith } from '../../../test/support/app.ts';
import type { TestApp, TestPerson } from '../../../test/support/app.ts';
import type { Actor } from '../../platform/access/policy.ts';
import type { Role } from '../../platform/access/roles.ts';
import type { AuditContext } from '../../platform/audit/model.ts';
import { systemContext } from '../../platform/audit/model.ts';
import type { Engine } from '../../platform/db/database.ts';
import { createChargingService } from '../../cases/charging/service.ts';
import type { Flags, OffenceClass, PersonCategory } from '../../cases/model.ts';
import { createPoliceNfaService } from '../../cases/police-nfa/service.ts';
import { caseWorld } from '../../cases/test-support.ts';
import type { CaseWorld } from '../../cases/test-support.ts';
import { newId } from '../../platform/db/ids.ts';
import { inTransaction } from '../../platform/db/transaction.ts';
import { addCalendarDays, londonDate } from '../../platform/time/working-days.ts';
import { appendEvent } from '../../cases/repository.ts';
import { createCasesService } from '../../cases/service.ts';
import type { Answers } from './model.ts';
import * as repository from './repository.ts';
import { createScrutinyService, prepareRound, writeFindings, writeRound } from './service.ts';
import type { ScrutinyService } from './service.ts';

export interface ScrutinyWorld extends CaseWorld {
  readonly scrutiny: ScrutinyService;
  readonly escalationLead: TestPerson;
  readonly headOfRasso: TestPerson;
  readonly panelMember: TestPerson;
  /** An ISVA service manager whose only role is 'panel_member', at the world's ISVA service. */
  readonly external: TestPerson;
  readonly planLead: TestPerson;
  readonly otherLead: TestPerson;
  /** The actor and audit context of anyone in the world, acting for their first organisation (or the one given). */
  as(person: TestPerson, organisationId?: string): readonly [Actor, AuditContext];
  /** A case of the world's force and Area closed by police NFA on `decidedOn` (signed off by the supervisor). */
  policeNfa(options?: NfaOptions & { outcomeCode?: string }): Promise<string>;
  /** A case of the world's force and Area where the CPS decided not to charge every suspect on `decidedOn`. */
  cpsNfa(options?: NfaOptions & { decision?: 'nfa_evidential' | 'nfa_public_interest' }): Promise<string>;
}

export interface NfaOptions {
  readonly reference?: string;
  readonly decidedOn?: string;
  readonly reportedOn?: string;
  readonly offenceClass?: OffenceClass;
  readonly flags?: Partial<Flags>;
  readonly rationale?: string;
  readonly people?: readonly { category: PersonCategory; name: string; dateOfBirth?: string }[];
  readonly cpsUrn?: string;
  /** Runs on the new case (at Investigation, on the day it was reported) before the decision. */
  readonly prepare?: (caseId: string) => Promise<void>;
}

export async function scrutinyWorld(t: TestApp): Promise<ScrutinyWorld> {
  const w = await caseWorld(t);
  const person = (email: string, name: string, organisationId: string, role: Role) => t.person({ email, name, roles: [[organisationId, role]] });
  const escalationLead = await person('mark@avs.example', 'Mark Ellis', w.force, 'escalation_lead');
  const headOfRasso = await person('rachel@cps.example', 'Rachel Moore', w.area, 'head_of_rasso');
  const panelMember = await person('aisha@avs.example', 'Aisha Khan', w.force, 'panel_member');
  const external = await person('claire@isva.example', 'Claire Fenwick', w.isvaService, 'panel_member');
  const planLead = await person('nadia@avs.example', 'Nadia Hussain', w.force, 'plan_lead');
  const otherLead = await person('owen@swp.example', 'Owen Price', w.otherForce, 'escalation_lead');
  const as = (p: TestPerson, organisationId?: string) => [t.actor(p, organisationId), t.auditContext(p, organisationId)] as const;

  const nfa = createPoliceNfaService(t.platform);
  const charging = createChargingService(t.platform);
  const version = async (caseId: string) => (await w.cases.caseFile(w.actor(w.oic), w.context(w.oic), caseId)).summary.version;
  let made = 0;
  const createCase = async (options: NfaOptions) => {
    made += 1;
    t.clock.set(`${options.reportedOn ?? '2026-01-05'}T09:00:00Z`);
    const caseId = await w.cases.operator.createCase(systemContext(), {
      policeReference: options.reference ?? `SCR/${String(made).padStart(4, '0')}/26`, ...(options.cpsUrn ? { cpsUrn: options.cpsUrn } : {}),
      forceId: w.force, cpsAreaId: w.area, offenceClass: options.offenceClass ?? 'rape_16_plus', flags: options.flags ?? {}, reportedOn: options.reportedOn ?? '2026-01-05',
      path: ['investigation'],
      people: options.people ?? [{ category: 'victim', name: `Victim ${made}` }, { category: 'suspect', name: `Suspect ${made}` }],
      team: [{ userId: w.oic.id, organisationId: w.force, role: 'oic' }, { userId: w.prosecutor.id, organisationId: w.area, role: 'prosecutor' }],
    });
    await options.prepare?.(caseId);
    return caseId;
  };
  const parts = (date: string) => ({ year: date.slice(0, 4), month: date.slice(5, 7), day: date.slice(8, 10) });
  const noDate = { day: '', month: '', year: '' };

  const policeNfa = async (options: NfaOptions & { outcomeCode?: string } = {}) => {
    const caseId = await createCase(options);
    const decidedOn = options.decidedOn ?? '2026-02-10';
    t.clock.set(`${decidedOn}T10:00:00Z`);
    await nfa.propose(w.actor(w.oic), w.context(w.oic), caseId, {
      outcomeCode: options.outcomeCode ?? '18', rationale: options.rationale ?? 'All lines of enquiry were followed; no suspect could be identified.',
      meetingHeldOn: noDate, meetingAttendees: '', contactOn: noDate, contactMethod: '', contactBy: '', contactSummary: '',
    }, await version(caseId));
    t.clock.set(`${decidedOn}T15:00:00Z`);
    await nfa.signOff(w.actor(w.supervisor), w.context(w.supervisor), caseId, { victimToldOn: parts(decidedOn), victimToldMethod: 'meeting', rightToReviewGiven: true }, await version(caseId));
    return caseId;
  };

  const cpsNfa = async (options: NfaOptions & { decision?: 'nfa_evidential' | 'nfa_public_interest' } = {}) => {
    const caseId = await createCase(options);
    const decidedOn = options.decidedOn ?? '2026-02-10';
    t.clock.set(`${decidedOn}T09:00:00Z`);
    const suspects = (await charging.chargingFile(w.actor(w.oic), w.context(w.oic), caseId)).file.suspects.map((s) => s.id);
    await charging.refer(w.actor(w.oic), w.context(w.oic), caseId, { test: 'full_code', suspectIds: suspects, notRequestedReason: 'straightforward', notRequestedDetail: 'The file is ready for a decision.' }, await version(caseId));
    await charging.triage(w.actor(w.prosecutor), w.context(w.prosecutor), caseId, { items: ['mg3_complete'], result: 'accepted', reasons: '' }, await version(caseId));
    t.clock.set(`${decidedOn}T14:00:00Z`);
    for (const suspectId of suspects) {
      await charging.decide(w.actor(w.prosecutor), w.context(w.prosecutor), caseId, {
        suspectId, decision: options.decision ?? 'nfa_evidential', offences: [], alternativeOffence: false, reasons: options.rationale ?? 'The evidence does not give a realistic prospect of conviction.',
      }, await version(caseId));
    }
    return caseId;
  };

  return { ...w, scrutiny: createScrutinyService(t.platform), escalationLead, headOfRasso, panelMember, external, planLead, otherLead, as, policeNfa, cpsNfa };
}

/** A test app with the scrutiny world in it; the app is closed if building the world fails. */
export function scrutinyTestApp(engine: Engine): Promise<{ t: TestApp; w: ScrutinyWorld }> {
  return testAppWith(engine, scrutinyWorld);
}

/** A panel of the world's force and Area chaired by the escalation lead, with the force member and the external member. Answers its id. */
export async function worldPanel(w: ScrutinyWorld, name = 'Avon and Somerset RASSO scrutiny panel'): Promise<string> {
  const panelId = await w.scrutiny.createPanel(...w.as(w.escalationLead), { name, forceId: w.force, cpsAreaId: w.area });
  let version = 1;
  for (const [person, role] of [[w.escalationLead, 'chair'], [w.panelMember, 'member'], [w.external, 'member']] as const) {
    version = (await w.scrutiny.addMember(...w.as(w.escalationLead), panelId, { email: person.email, role }, version)).version;
  }
  return panelId;
}

/** The review answers of a decision found sound, with nothing missed. */
export const soundReview: Answers = {
  sound: 'yes', soundReasons: '', missedEnquiries: 'no', missedEnquiriesDetail: '', communication: 'yes', communicationReasons: '',
  myths: 'no', mythKinds: [], mythsDetail: '', observations: '',
};

/** The review answers of a decision found unsound, with missed enquiries, poor communication and myths. */
export const unsoundReview: Answers = {
  sound: 'no', soundReasons: 'The rationale rests on the delay in reporting.', missedEnquiries: 'yes', missedEnquiriesDetail: 'CCTV from the taxi rank was never requested.',
  communication: 'partly', communicationReasons: 'The victim heard of the decision by letter only.', myths: 'yes', mythKinds: ['delayed_reporting', 'intoxication'],
  mythsDetail: 'The rationale says the victim waited a week and had been drinking.', observations: 'A good early account was taken.',
};

/**
 * For the API description's examples: a case of the force and Area closed by
 * police NFA today (the decision queued for scrutiny, as the police NFA part
 * queues it), a panel chaired by `chairId` (who must be able to sit for the
 * force), a round selecting the case, and findings whose learning went to
 * the case's officer `oicId`.
 */
export async function scrutinyExample(t: TestApp, options: { force: string; area: string; chairId: string; oicId: string }): Promise<{ panelId: string; roundId: string; packId: string; learningId: string }> {
  const { db } = t.platform;
  const now = t.clock.now().toISOString();
  const today = londonDate(now);
  const caseId = await createCasesService(t.platform).operator.createCase(systemContext(), {
    policeReference: 'AS/10099/25', forceId: options.force, cpsAreaId: options.area, offenceClass: 'rape_16_plus', reportedOn: addCalendarDays(today, -60),
    path: ['investigation', 'police_nfa'], people: [{ category: 'victim', name: 'Victim Two' }], team: [{ userId: options.oicId, organisationId: options.force, role: 'oic' }],
  });
  const proposalId = newId();
  for (const [type, data] of [['police-nfa.decided', { proposalId, outcomeCode: 18, victimToldOn: today, rightToReviewGiven: true }], ['scrutiny.queued', { decision: 'police_nfa', outcomeCode: 18, proposalId }]] as const) {
    await appendEvent(db, { id: newId(), case_id: caseId, type, occurred_at: now, recorded_at: now, actor_user_id: options.oicId, data: JSON.stringify(data) });
  }
  return inTransaction(db, async (tx) => {
    const panelId = newId();
    await repository.insertPanel(tx, { id: panelId, name: 'Example panel', force_id: options.force, cps_area_id: options.area, created_by: options.chairId, created_at: now, updated_at: now, version: 1 });
    await repository.insertMember(tx, { id: newId(), panel_id: panelId, user_id: options.chairId, organisation_id: options.force, role: 'chair', added_by: options.chairId, added_at: now, ended_by: null, ended_at: null });
    const panel = { id: panelId, name: 'Example panel', forceId: options.force, cpsAreaId: options.area };
    const prepared = await prepareRound(tx, panel, { from: today, to: today, kinds: ['police_nfa'], method: 'all', sampleSize: null, seed: '' });
    const roundId = await writeRound(tx, panelId, prepared, options.chairId, now);
    const pack = (await repository.findPack(tx, (await repository.packsOf(tx, roundId))[0]!.id))!;
    await writeFindings(tx, pack, panel, { ...unsoundReview, learning: 'Request CCTV early.' }, options.chairId, now);
    const learning = await tx.selectFrom('scrutiny_learning').select('id').where('scrutiny_case_id', '=', pack.id).executeTakeFirstOrThrow();
    return { panelId, roundId, packId: pack.id, learningId: learning.id };
  });
}
