// The demonstration's NFA scrutiny panel: Avon and Somerset Police and CPS
// South West, chaired by the force's escalation lead (Mark Ellis), with the
// force's panel member (Aisha Khan), an external member whose only role is
// 'panel_member' at the Severn Vale ISVA Service (Claire Fenwick) and the
// head of the CPS RASSO unit (Rachel Moore). One round: a stratified sample of
// the demo's NFA decisions of the last six months, drawn with a recorded seed;
// one pack reviewed by the members, with findings agreed by the chair and the
// learning sent to its officer (Sam Taylor) and prosecutor (Daniel Okafor);
// another reviewed by one member so far; one action arising. Demo mode only:
// the demo loader calls this inside its own transaction and journals the seeding.
import { newId } from '../../platform/db/ids.ts';
import type { Tx } from '../../platform/db/transaction.ts';
import { addMonths } from '../../platform/deadlines/model.ts';
import { addCalendarDays, londonDate } from '../../platform/time/working-days.ts';
import { involvedUserIds, learningAudience } from '../../cases/oversight/nfa-review.ts';
import { MAX_SELECTED } from './model.ts';
import type { Answers } from './model.ts';
import * as repository from './repository.ts';
import { prepareRound, writeAction, writeFindings, writeReview, writeRound } from './service.ts';

export const DEMO_PANEL = 'Avon and Somerset and CPS South West NFA scrutiny panel';
/** The seed of the demo's sample: the same demo, on the same day, draws the same cases. */
export const DEMO_SEED = 'demo-avs-cps-sw';

const concerns: Answers = {
  sound: 'partly', soundReasons: 'The rationale relies on the time the victim took to report; the account itself was consistent and detailed.',
  missedEnquiries: 'yes', missedEnquiriesDetail: 'The suspect’s phone was not examined, and the taxi firm’s booking records were not requested.',
  communication: 'partly', communicationReasons: 'The victim was told of the decision by letter without a call first, though the plan asked for calls.',
  myths: 'yes', mythKinds: ['delayed_reporting'], mythsDetail: 'The rationale treats the delay in reporting as weakening the account.',
  observations: 'The first account was taken promptly and an ISVA referral made the same day.',
};

/** Writes the demo's panel, round, reviews, findings and action; `organisations` maps codes to ids and `people` emails to ids. Answers how many packs were made. */
export async function seedDemoScrutiny(tx: Tx, organisations: ReadonlyMap<string, string>, people: ReadonlyMap<string, string>, now: string): Promise<number> {
  const forceId = organisations.get('AVS');
  const areaId = organisations.get('CPS-SW');
  const isva = organisations.get('SVI');
  const person = (email: string) => people.get(email);
  const chair = person('mark.ellis@avs.police.example');
  const aisha = person('aisha.khan@avs.police.example');
  const claire = person('claire.fenwick@severnvale-isva.example');
  const rachel = person('rachel.moore@cps.example');
  if (!forceId || !areaId || !isva || !chair || !aisha || !claire || !rachel) return 0;
  const today = londonDate(now);
  const panelId = newId();
  await repository.insertPanel(tx, { id: panelId, name: DEMO_PANEL, force_id: forceId, cps_area_id: areaId, created_by: chair, created_at: now, updated_at: now, version: 1 });
  for (const [userId, organisationId, role] of [[chair, forceId, 'chair'], [aisha, forceId, 'member'], [claire, isva, 'member'], [rachel, areaId, 'member']] as const) {
    await repository.insertMember(tx, { id: newId(), panel_id: panelId, user_id: userId, organisation_id: organisationId, role, added_by: chair, added_at: now, ended_by: null, ended_at: null });
  }
  const panel = { id: panelId, name: DEMO_PANEL, forceId, cpsAreaId: areaId };
  let prepared;
  try {
    prepared = await prepareRound(tx, panel, { from: addMonths(today, -6), to: addCalendarDays(today, -1), kinds: ['police_nfa', 'cps_nfa'], method: 'sample', sampleSize: Math.min(12, MAX_SELECTED), seed: DEMO_SEED });
  } catch {
    // A demo without NFA decisions in the period (a directory with no such cases) keeps the panel without a round.
    return 0;
  }
  const roundId = await writeRound(tx, panelId, prepared, chair, now);
  const packs = await repository.packsOf(tx, roundId);
  const members = [chair, aisha, claire, rachel];
  // The pack to complete: one where Sam Taylor is the officer and Daniel Okafor the prosecutor now, that no member worked on.
  const sam = person('sam.taylor@avs.police.example');
  const daniel = person('daniel.okafor@cps.example');
  const candidates = [];
  for (const pack of packs) {
    const row = await repository.findPack(tx, pack.id);
    const [audience, involved] = await Promise.all([learningAudience(tx, row!.case_id), involvedUserIds(tx, row!.case_id)]);
    if (members.some((m) => involved.includes(m))) continue;
    const told = audience?.recipients.map((r) => r.userId) ?? [];
    candidates.push({ row: row!, score: (told.includes(sam ?? '') ? 1 : 0) + (told.includes(daniel ?? '') ? 2 : 0) });
  }
  candidates.sort((a, b) => b.score - a.score || a.row.pseudonym - b.row.pseudonym);
  const [done, started] = candidates;
  if (done) {
    await writeReview(tx, done.row.id, claire, concerns, null, now);
    await writeReview(tx, done.row.id, aisha, { ...concerns, sound: 'yes', soundReasons: '', communication: 'partly', observations: '' }, null, now);
    await writeReview(tx, done.row.id, rachel, { ...concerns, myths: 'yes', mythKinds: ['delayed_reporting', 'inconsistent_account'] }, null, now);
    await repository.claimPack(tx, done.row.id, 1);
    await writeFindings(tx, done.row, panel, {
      ...concerns,
      learning: 'Do not treat the time a victim takes to report as weakening their account: say in the rationale how the evidence was weighed. Examine the suspect’s devices and third-party records (here, the taxi bookings) before deciding. Call the victim before the letter, as their communication plan asks.',
    }, chair, now);
    await writeAction(tx, panel, {
      text: 'Briefing for Operation Bluestone teams on delayed reporting and other myths in NFA rationales', owner: 'Avon and Somerset RASSO training lead',
      dueOn: addMonths(today, 2), packId: done.row.id, roundId,
    }, chair, now);
  }
  if (started) await writeReview(tx, started.row.id, claire, { ...concerns, sound: 'yes', soundReasons: '', missedEnquiries: 'no', missedEnquiriesDetail: '', myths: 'no', mythKinds: [], mythsDetail: '' }, null, now);
  return packs.length;
}
