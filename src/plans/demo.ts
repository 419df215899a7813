// The demonstration's action plans: the original JNAP and its refresh, owned
// by the national organisation, and Jersey's 2022/23 plan, owned by the
// States of Jersey Police; and a joint local plan made on the platform by
// Avon and Somerset Police's plan lead with CPS South West, linked to the
// refresh actions it delivers (so the refresh's cascade has something to
// count), one of its actions since withdrawn. The refresh's progress report
// is published once. The local plan is fictional, like every name in the
// demo. Demo mode only: the demo loader calls this inside its own
// transaction and journals the seeding.
import { findUserByEmail } from '../platform/directory/repository.ts';
import type { Tx } from '../platform/db/transaction.ts';
import { addMonths } from '../platform/deadlines/model.ts';
import { addCalendarDays, londonDate } from '../platform/time/working-days.ts';
import * as repository from './repository.ts';
import { writePlanMadeHere, writeShippedPlan } from './service.ts';
import type { MadePlan } from './service.ts';
import { shippedPlan } from './shipped.ts';
import { publishDemoEdition } from './publishing/demo.ts';

/** Writes the shipped plans and the local plan made on the platform; `organisations` maps demo codes to ids. Answers how many plans were written. */
export async function seedDemoPlans(tx: Tx, organisations: ReadonlyMap<string, string>, now: string): Promise<number> {
  const at = new Date(now);
  const today = londonDate(at);
  const national = organisations.get('NRP')!;
  const plans = [
    { key: 'jnap-2021', owner: national, nextReviewOn: addMonths(today, 6) },
    { key: 'jnap-refresh-2022', owner: national, nextReviewOn: addMonths(today, 6) },
    // Jersey's review falls due soon, so the reminder to its plan lead shows in the demo.
    { key: 'jersey-2022-23', owner: organisations.get('SOJP') ?? national, nextReviewOn: addCalendarDays(today, 10) },
  ];
  for (const plan of plans) await writeShippedPlan(tx, shippedPlan(plan.key), { ownerOrganisationId: plan.owner, nextReviewOn: plan.nextReviewOn, now: at });
  // One published edition of the refresh's progress report (src/plans/publishing).
  await publishDemoEdition(tx, (await repository.findPlanByKey(tx, 'jnap-refresh-2022'))!.id, at);
  const force = organisations.get('AVS');
  const lead = await findUserByEmail(tx, 'nadia.hussain@avs.police.example');
  if (!force || !lead) return plans.length;
  const refresh = (await repository.findPlanByKey(tx, 'jnap-refresh-2022'))!;
  const refreshActions = new Map((await repository.actionsOf(tx, refresh.id)).map((action) => [Number(action.number), action.id]));
  const person = async (email: string) => (await findUserByEmail(tx, email))?.id ?? null;
  await writePlanMadeHere(tx, await avonAndSomersetPlan(refreshActions, person, today), { ownerOrganisationId: force, by: lead.id, nextReviewOn: addMonths(today, 4), now: at });
  return plans.length + 1;
}

/** A joint local plan of the kind the refresh asks forces and Areas to keep: fictional, for the demo. */
async function avonAndSomersetPlan(refresh: ReadonlyMap<number, string>, person: (email: string) => Promise<string | null>, today: string): Promise<MadePlan> {
  const [supervisor, superintendent] = [await person('priya.shah@avs.police.example'), await person('mark.ellis@avs.police.example')];
  const year = Number(today.slice(0, 4));
  return {
    level: 'local',
    title: 'Avon and Somerset joint RASSO action plan',
    period: `${year}/${String(year + 1).slice(2)}`,
    owners: ['Avon and Somerset Police', 'CPS South West'],
    statusScheme: 'rag',
    reviewCycleMonths: 6,
    themes: [
      {
        title: 'Building a strong case as early as possible',
        description: 'Early advice, case conferences and cases waiting for further investigation.',
        actions: [
          {
            number: 1, text: 'Hold a joint early advice surgery every month for the Operation Bluestone teams and the CPS South West RASSO Unit.',
            owners: [], leadUserId: supervisor, targetOn: `${year}-09-30`, status: 'red', delivers: refresh.get(6),
            progress: { status: 'amber', note: 'Surgeries running in Bristol since last month; Somerset to follow once a prosecutor is released for them.' },
          },
          {
            number: 2, text: 'Review every case waiting more than 56 days for further investigation at the joint monthly performance meeting.',
            owners: [], leadUserId: superintendent, targetOn: null, status: 'red', delivers: refresh.get(7),
            progress: { status: 'complete', note: 'Standing item at the joint performance meeting; the 56-day list is now part of its pack.' },
          },
        ],
      },
      {
        title: 'Working together to improve our engagement with victims',
        description: null,
        actions: [
          {
            number: 3, text: 'Agree with the Severn Vale ISVA Service one letter telling victims what happens next and who to contact.',
            owners: ['Avon and Somerset Police', 'CPS South West', 'Severn Vale ISVA Service'], leadUserId: null, targetOn: `${year + 1}-03-31`, status: 'red', delivers: refresh.get(15),
          },
          {
            number: 4, text: 'Run a local pilot of victim familiarisation meetings at Bristol Crown Court.',
            owners: [], leadUserId: supervisor, targetOn: null, status: 'amber', delivers: refresh.get(17),
            withdrawn: 'Overtaken by the national pilot of victim familiarisation meetings, which Bristol joined instead.',
          },
        ],
      },
    ],
  };
}
