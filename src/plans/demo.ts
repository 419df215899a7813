// The demonstration's action plans: the original JNAP and its refresh, owned
// by the national organisation, and Jersey's 2022/23 plan, owned by the
// States of Jersey Police. Demo mode only: the demo loader calls this inside
// its own transaction and journals the seeding.
import type { Tx } from '../platform/db/transaction.ts';
import { addMonths } from '../platform/deadlines/model.ts';
import { addCalendarDays, londonDate } from '../platform/time/working-days.ts';
import { writeShippedPlan } from './service.ts';
import { shippedPlan } from './shipped.ts';

/** Writes the shipped plans; `organisations` maps demo codes to ids. Answers how many plans were written. */
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
  return plans.length;
}
