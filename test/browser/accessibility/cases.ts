// Accessibility fixtures of the case file (src/cases): a case with the member
// as officer in the case and the prosecutor on its team, early advice asked
// for and given with a one-action plan through the forms, so that the pages
// about one request, plan or action have one to show, and unread
// notifications about the case for the notifications page.
import assert from 'node:assert/strict';
import { createCasesService } from '../../../src/cases/service.ts';
import { systemContext } from '../../../src/platform/audit/model.ts';
import { newId } from '../../../src/platform/db/ids.ts';
import { inTransaction } from '../../../src/platform/db/transaction.ts';
import { insertNotifications } from '../../../src/platform/deadlines/repository.ts';
import type { TestPerson } from '../../support/app.ts';
import { ID, idsOnPage, sendForm } from '../../support/accessibility.ts';
import type { AccessibilityBase, ModuleFixtures } from '../../support/accessibility.ts';
import type { ServedApp } from '../../support/browser.ts';

export async function prepare(served: ServedApp, base: AccessibilityBase): Promise<ModuleFixtures> {
  const { t } = served;
  const { member, prosecutor } = base;
  const caseId = await createCasesService(t.platform).operator.createCase(systemContext(), {
    policeReference: 'AS/10001/25', forceId: base.force, cpsAreaId: base.cpsArea, offenceClass: 'rape_16_plus', reportedOn: '2025-03-27', path: ['investigation'],
    people: [{ category: 'victim', name: 'Victim One', dateOfBirth: '1990-05-01' }, { category: 'suspect', name: 'Suspect One' }],
    team: [{ userId: member.id, organisationId: base.force, role: 'oic' }, { userId: prosecutor.id, organisationId: base.cpsArea, role: 'prosecutor' }],
  });
  const { requestId, planId, itemId } = await adviceWithPlan(served, caseId, member, prosecutor);
  await inTransaction(t.platform.db, (tx) => insertNotifications(tx, ['Action plan 28-day review', 'Supervisory review due'].map((label) => (
    { id: newId(), user_id: member.id, kind: 'deadline.escalation', subject_type: 'case', subject_id: caseId, text: `AS/10001/25: ${label}`, created_at: t.clock.now().toISOString(), read_at: null }))));
  return {
    routes: {
      '/cases/:caseId': { params: { caseId } },
      '/cases/:caseId/early-advice': { params: { requestId } },
      '/cases/:caseId/action-plans': { params: { planId, itemId } },
    },
  };
}

/** Requests early advice as the officer and gives it with a one-action plan as the prosecutor, as the forms do; answers the ids made. */
async function adviceWithPlan(served: ServedApp, caseId: string, officer: TestPerson, prosecutor: TestPerson): Promise<{ requestId: string; planId: string; itemId: string }> {
  const { t } = served;
  const police = await t.signIn(officer);
  const fields = ['summary', 'enquiriesDone', 'enquiriesOngoing', 'enquiriesPlanned', 'issues', 'questions', 'keyMaterial', 'disclosableMaterial'];
  await sendForm(police, `/cases/${caseId}/early-advice/request`, { urn: '', ...Object.fromEntries(fields.map((f) => [f, `Fixture text for ${f}.`])) }, 'requesting early advice');
  const cps = await t.signIn(prosecutor);
  const [requestId] = await idsOnPage(cps, `/cases/${caseId}/early-advice`, new RegExp(`/early-advice/${ID}/advice`), 'the prosecutor is offered to give the advice');
  const due = new Date(t.clock.now().getTime() + 28 * 86_400_000);
  await sendForm(cps, `/cases/${caseId}/early-advice/${requestId}/advice`, {
    advice: 'Get the CCTV.', 'items-1-description': 'Obtain the CCTV from the venue.', 'items-1-owner': 'police',
    'items-1-dueOn-day': String(due.getUTCDate()), 'items-1-dueOn-month': String(due.getUTCMonth() + 1), 'items-1-dueOn-year': String(due.getUTCFullYear()),
  }, 'giving early advice');
  const page = await police.get(`/cases/${caseId}/action-plans`);
  const [, planId, itemId] = new RegExp(`/action-plans/${ID}/items/${ID}/respond`).exec(page.body) ?? [];
  assert.ok(requestId && planId && itemId, 'the officer is not offered to respond to the action');
  return { requestId, planId, itemId };
}
