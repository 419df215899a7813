// Accessibility fixtures of action plans (src/plans): the original JNAP,
// owned by the national organisation, and Jersey's 2022/23 plan, owned by a
// force with a plan lead of its own. Through the forms, as that plan lead,
// one of Jersey's actions gets an update, a change of status, evidence and a
// link to a JNAP action, so its page shows a history, evidence and what it
// delivers, and the JNAP's cascade shows a local action delivering it.
import assert from 'node:assert/strict';
import { inTransaction } from '../../../src/platform/db/transaction.ts';
import { addCalendarDays, londonDate } from '../../../src/platform/time/working-days.ts';
import { writeShippedPlan } from '../../../src/plans/service.ts';
import { shippedPlan } from '../../../src/plans/shipped.ts';
import { ID, idsOnPage, sendForm } from '../../support/accessibility.ts';
import type { AccessibilityBase, ModuleFixtures } from '../../support/accessibility.ts';
import type { ServedApp } from '../../support/browser.ts';

export async function prepare(served: ServedApp, base: AccessibilityBase): Promise<ModuleFixtures> {
  const { t } = served;
  const jersey = await t.organisation('SOJP', 'police_force', 'States of Jersey Police');
  const planLead = await t.person({ email: 'marc.le-brun@sojp.example', name: 'Marc Le Brun', roles: [[jersey, 'plan_lead']] });
  const now = t.clock.now();
  const nextReviewOn = addCalendarDays(londonDate(now), 90);
  const [nationalPlan, localPlan] = await inTransaction(t.platform.db, async (tx) => [
    await writeShippedPlan(tx, shippedPlan('jnap-2021'), { ownerOrganisationId: base.national, nextReviewOn, now }),
    await writeShippedPlan(tx, shippedPlan('jersey-2022-23'), { ownerOrganisationId: jersey, nextReviewOn, now }),
  ]);

  const lead = await t.signIn(planLead);
  const [actionId] = await idsOnPage(lead, `/plans/${localPlan}`, new RegExp(`/plans/${localPlan}/actions/${ID}"`), 'Jersey’s plan lists its actions');
  const action = `/plans/${localPlan}/actions/${actionId}`;
  await sendForm(lead, `${action}/update`, { text: 'The joint training for first responders was delivered in March.' }, 'recording an update');
  const statusForm = (await lead.get(`${action}/status`)).body;
  const statuses = [...statusForm.matchAll(/name="status" type="radio" value="([\w-]+)"( checked)?/g)];
  const other = statuses.find(([, , checked]) => !checked)?.[1];
  assert.ok(other, `the status form offers no other status: ${statuses.map((s) => s[0]).join(', ')}`);
  await sendForm(lead, `${action}/status`, { status: other, text: 'Moved on after the board’s review of the training figures.' }, 'changing the status');
  await sendForm(lead, `${action}/evidence`, { title: 'Training attendance report, March', url: 'https://www.gov.je/rasso/training-report' }, 'adding evidence');
  const [nationalAction] = await idsOnPage(lead, `${action}/national-action`, new RegExp(`<option value="${ID}"`), 'the link form offers the JNAP’s actions');
  await sendForm(lead, `${action}/national-action`, { nationalActionId: nationalAction! }, 'linking to a national action');
  const [themeId] = await idsOnPage(lead, `/plans/${localPlan}/themes`, new RegExp(`/plans/${localPlan}/themes/${ID}"`), 'Jersey’s plan lists its themes to change');

  return {
    people: { jerseyPlanLead: { person: planLead } },
    routes: {
      // Everyone signed in reads the plans; the plan lead of the owning force keeps them.
      '/plans': { visitors: ['member', 'jerseyPlanLead'] },
      '/plans/:planId': { params: { planId: localPlan, actionId: actionId! } },
      // Only a national plan has a cascade.
      '/plans/:planId/cascade': { params: { planId: nationalPlan } },
      '/plans/:planId/themes/:themeId': { params: { themeId: themeId! } },
    },
  };
}
