// Demonstration cases: Avon and Somerset Police and CPS South West cases at
// different stages, with the demo officer, supervisor, prosecutor, DCP, VLO
// and paralegal on their teams, and the deadlines their stages started. Every
// name is fictional. Demo mode only: the demo loader calls this inside its own
// transaction and journals the seeding.
import type { Tx } from '../platform/db/transaction.ts';
import { londonDate } from '../platform/time/working-days.ts';
import type { OperatorCase } from './service.ts';
import { writeSeededCase } from './service.ts';
import { generatorContext, writeSyntheticCases } from './synthetic/service.ts';

/** Generated cases besides the hand-made ones, spread over the demo forces and CPS Areas (seed 1). */
export const DEMO_SYNTHETIC_CASES = 2_000;

type DemoCase = Omit<OperatorCase, 'forceId' | 'cpsAreaId' | 'team'> & {
  readonly team: readonly (readonly [email: string, role: OperatorCase['team'][number]['role']])[];
};

const police = (email: string) => email.endsWith('.police.example');

export const demoCases: readonly DemoCase[] = [
  {
    policeReference: 'AS/23302/25', offenceClass: 'other_serious_sexual_offence', reportedOn: '2025-10-28',
    people: [{ category: 'victim', name: 'Jordan Avery' }],
    team: [['sam.taylor@avs.police.example', 'oic']],
  },
  {
    policeReference: 'AS/23011/25', offenceClass: 'rape_16_plus', reportedOn: '2025-09-14', flags: { domesticAbuse: true },
    path: ['initial_response', 'investigation'],
    people: [{ category: 'victim', name: 'Morgan Hale', dateOfBirth: '1994-02-11' }, { category: 'suspect', name: 'Ryan Cole', dateOfBirth: '1990-07-30' }],
    team: [['sam.taylor@avs.police.example', 'oic'], ['priya.shah@avs.police.example', 'supervisor']],
  },
  {
    policeReference: 'AS/23187/25', cpsUrn: '52AS2318725', offenceClass: 'assault_by_penetration', reportedOn: '2025-08-02', flags: { vulnerableVictim: true },
    // Early advice asked for 30 days ago: its 21-day response is overdue and has been escalated.
    path: ['investigation', 'early_advice'], daysAtStage: 30,
    people: [{ category: 'victim', name: 'Casey Doyle' }, { category: 'suspect', name: 'Lewis Price' }, { category: 'witness', name: 'Alex Rowe' }],
    team: [['sam.taylor@avs.police.example', 'oic'], ['priya.shah@avs.police.example', 'supervisor'], ['daniel.okafor@cps.example', 'prosecutor'], ['tom.bennett@cps.example', 'vlo']],
  },
  {
    policeReference: 'AS/22950/25', cpsUrn: '52AS2295025', offenceClass: 'rape_13_to_15', reportedOn: '2025-05-19', flags: { childVictim: true, vulnerableVictim: true },
    path: ['initial_response', 'investigation', 'charging_referral'],
    people: [{ category: 'victim', name: 'Riley Shaw', dateOfBirth: '2011-03-08' }, { category: 'suspect', name: 'Dean Marsh' }],
    team: [['sam.taylor@avs.police.example', 'oic'], ['daniel.okafor@cps.example', 'prosecutor'], ['helen.price@cps.example', 'dcp'], ['grace.hughes@cps.example', 'paralegal']],
  },
  {
    policeReference: 'AS/22468/25', cpsUrn: '52AS2246825', offenceClass: 'rape_16_plus', reportedOn: '2025-03-03', flags: { repeatSuspect: true },
    // An action plan agreed 20 days ago: its 28-day review is coming up.
    path: ['investigation', 'charging_referral', 'action_plan'], daysAtStage: 20,
    people: [{ category: 'victim', name: 'Taylor Quinn' }, { category: 'suspect', name: 'Shane Booth' }],
    team: [['sam.taylor@avs.police.example', 'oic'], ['priya.shah@avs.police.example', 'supervisor'], ['daniel.okafor@cps.example', 'prosecutor']],
  },
  {
    policeReference: 'AS/21873/24', cpsUrn: '52AS2187324', offenceClass: 'rape_under_13', reportedOn: '2024-11-21', flags: { childVictim: true },
    path: ['investigation', 'early_advice', 'charging_referral', 'charged', 'court'],
    people: [{ category: 'victim', name: 'Sam Ellery', dateOfBirth: '2014-09-02' }, { category: 'suspect', name: 'Gary Tate' }],
    team: [['sam.taylor@avs.police.example', 'oic'], ['daniel.okafor@cps.example', 'prosecutor'], ['helen.price@cps.example', 'dcp'], ['tom.bennett@cps.example', 'vlo']],
  },
];

/** Writes the demo cases and the generated ones; `organisations` maps codes to ids and `people` email addresses to ids. */
export async function seedDemoCases(tx: Tx, organisations: ReadonlyMap<string, string>, people: ReadonlyMap<string, string>, now: string): Promise<number> {
  const forceId = organisations.get('AVS')!;
  const cpsAreaId = organisations.get('CPS-SW')!;
  for (const demo of demoCases) {
    await writeSeededCase(tx, {
      ...demo,
      forceId,
      cpsAreaId,
      team: demo.team.map(([email, role]) => ({ userId: people.get(email)!, organisationId: police(email) ? forceId : cpsAreaId, role })),
    }, now);
  }
  await writeSyntheticCases(tx, await generatorContext(tx, 1, londonDate(now), now), 0, DEMO_SYNTHETIC_CASES);
  return demoCases.length + DEMO_SYNTHETIC_CASES;
}
