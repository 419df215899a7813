// Accessibility fixtures of publishing plans (src/plans/publishing): Jersey's
// plan owned by the force, with one published edition, and a plan lead of
// the force who sees the publishing and import pages; the member (who may
// only read) sees the report and editions without them.
import { inTransaction } from '../../../src/platform/db/transaction.ts';
import { progressReport, reportRevision } from '../../../src/plans/publishing/model.ts';
import { readPlanData, writeEdition } from '../../../src/plans/publishing/service.ts';
import { writeShippedPlan } from '../../../src/plans/service.ts';
import { shippedPlan } from '../../../src/plans/shipped.ts';
import type { AccessibilityBase, ModuleFixtures } from '../../support/accessibility.ts';
import type { ServedApp } from '../../support/browser.ts';

export async function prepare(served: ServedApp, base: AccessibilityBase): Promise<ModuleFixtures> {
  const { t } = served;
  const planLead = await t.person({ email: 'elise@avs.police.uk', name: 'Elise Renouf', roles: [[base.force, 'plan_lead']] });
  const { planId, editionId } = await inTransaction(t.platform.db, async (tx) => {
    const planId = await writeShippedPlan(tx, shippedPlan('jersey-2022-23'), { ownerOrganisationId: base.force, nextReviewOn: '2030-01-01', now: t.clock.now() });
    const report = progressReport((await readPlanData(tx, planId))!);
    const { id } = await writeEdition(tx, { report, revision: reportRevision(report), publishedBy: planLead.id, now: t.clock.now() });
    return { planId, editionId: id };
  });
  const readers = ['member', 'planLead'];
  return {
    routes: {
      '/plans/:planId/progress-report': { params: { planId }, visitors: readers },
      '/plans/:planId/publish': { params: { planId }, visitors: ['planLead'] },
      '/plans/:planId/editions': { params: { planId, editionId }, visitors: readers },
      '/plans/:planId/export': { params: { planId, format: 'csv' }, visitors: readers },
      '/plans/import': { visitors: ['planLead'] },
    },
    people: { planLead: { person: planLead } },
  };
}
