// The demonstration's published edition: the JNAP refresh's progress report,
// published once by the national action plan lead (Jo Bradley, when the demo
// people are loaded), so the demo shows an edition beside the plan as it
// moves on. Demo mode only: called inside the demo loader's transaction.
import type { Tx } from '../../platform/db/transaction.ts';
import { progressReport, reportRevision } from './model.ts';
import { readPlanData, writeEdition } from './service.ts';

export const DEMO_PUBLISHER_EMAIL = 'jo.bradley@nrp.example';

/** Publishes the plan's report as it stands; answers the edition's id. */
export async function publishDemoEdition(tx: Tx, planId: string, now: Date): Promise<string> {
  const data = await readPlanData(tx, planId);
  if (!data) throw new Error(`No plan ${planId} to publish`);
  const publisher = await tx.selectFrom('users').select('id').where('email', '=', DEMO_PUBLISHER_EMAIL).executeTakeFirst();
  const report = progressReport(data);
  return (await writeEdition(tx, { report, revision: reportRevision(report), publishedBy: publisher?.id ?? null, now })).id;
}
