// Accessibility fixtures of NFA scrutiny panels (src/governance/scrutiny).
// Two cases of the force closed by police NFA a day ago (the member as officer
// in the case, the prosecutor as prosecutor), the decisions queued for
// scrutiny as the police NFA part queues them. Through the forms, as people
// would: the force's escalation lead sets up a panel with the Area, chairs it
// and adds an external member (an ISVA service manager whose only role is
// 'panel_member'), selects the cases, and records an action; the external
// member reviews both packs; the chair agrees the findings on one, so the
// member (its officer) has learning to open, and the other still has its
// review and findings forms to show.
import { systemContext } from '../../../src/platform/audit/model.ts';
import { newId } from '../../../src/platform/db/ids.ts';
import { addCalendarDays, londonDate } from '../../../src/platform/time/working-days.ts';
import { appendEvent } from '../../../src/cases/repository.ts';
import { createCasesService } from '../../../src/cases/service.ts';
import { ID, dateFields, idsOnPage, sendForm } from '../../support/accessibility.ts';
import type { AccessibilityBase, ModuleFixtures } from '../../support/accessibility.ts';
import type { ServedApp } from '../../support/browser.ts';

const review = {
  sound: 'partly', soundReasons: 'The rationale does not weigh the forensic results.', missedEnquiries: 'yes', missedEnquiriesDetail: 'The suspect’s phone was not examined.',
  communication: 'yes', communicationReasons: '', myths: 'yes', mythKinds: ['delayed_reporting'], mythsDetail: 'Delay treated as weakening the account.', observations: '',
};

export async function prepare(served: ServedApp, base: AccessibilityBase): Promise<ModuleFixtures> {
  const { t } = served;
  const db = t.platform.db;
  const isvaService = await t.organisation('SCR-SVI', 'isva_service', 'Severn Vale ISVA Service');
  const lead = await t.person({ email: 'mark@scrutiny.avs.police.uk', name: 'Mark Ellis', roles: [[base.force, 'escalation_lead']] });
  const external = await t.person({ email: 'claire@scrutiny-isva.org.uk', name: 'Claire Fenwick', roles: [[isvaService, 'panel_member']] });
  const today = londonDate(t.clock.now());
  const yesterday = new Date(t.clock.now().getTime() - 86_400_000).toISOString();
  for (const reference of ['AS/91001/26', 'AS/91002/26']) {
    const caseId = await createCasesService(t.platform).operator.createCase(systemContext(), {
      policeReference: reference, forceId: base.force, cpsAreaId: base.cpsArea, offenceClass: 'rape_16_plus', reportedOn: addCalendarDays(today, -40),
      path: ['investigation', 'police_nfa'], people: [{ category: 'victim', name: 'Victim A' }, { category: 'suspect', name: 'Suspect A' }],
      team: [{ userId: base.member.id, organisationId: base.force, role: 'oic' }, { userId: base.prosecutor.id, organisationId: base.cpsArea, role: 'prosecutor' }],
    });
    const proposalId = newId();
    for (const [type, data] of [['police-nfa.decided', { proposalId, outcomeCode: 18, victimToldOn: londonDate(yesterday), rightToReviewGiven: true }], ['scrutiny.queued', { decision: 'police_nfa', outcomeCode: 18, proposalId }]] as const) {
      await appendEvent(db, { id: newId(), case_id: caseId, type, occurred_at: yesterday, recorded_at: yesterday, actor_user_id: base.member.id, data: JSON.stringify(data) });
    }
  }
  const chair = await t.signIn(lead);
  const panelUrl = await sendForm(chair, '/scrutiny/panels/new', { name: 'Accessibility scrutiny panel', cpsAreaId: base.cpsArea }, 'setting up a panel');
  await sendForm(chair, `${panelUrl}/members/new`, { email: lead.email, role: 'chair' }, 'adding the chair');
  await sendForm(chair, `${panelUrl}/members/new`, { email: external.email, role: 'member' }, 'adding the external member');
  const roundUrl = await sendForm(chair, `${panelUrl}/rounds/new`, { ...dateFields('from', addCalendarDays(today, -7)), ...dateFields('to', today), kinds: ['police_nfa', 'cps_nfa'], method: 'all' }, 'selecting the cases');
  const [agreed, open] = await idsOnPage(chair, roundUrl, new RegExp(`/scrutiny/packs/${ID}`), 'the packs are on the round’s page');
  const member = await t.signIn(external);
  for (const pack of [agreed!, open!]) await sendForm(member, `/scrutiny/packs/${pack}/review`, review, 'reviewing a pack');
  await sendForm(chair, `/scrutiny/packs/${agreed}/findings`, { ...review, learning: 'Weigh the forensic results; examine the suspect’s phone.' }, 'agreeing the findings');
  const actionUrl = await sendForm(chair, `${panelUrl}/actions/new`, { text: 'Forensic strategy briefing', owner: 'RASSO training lead', ...dateFields('dueOn', addCalendarDays(today, 30)), packId: agreed! }, 'recording an action');
  const [learningId] = await idsOnPage(await t.signIn(base.member), '/scrutiny/learning', new RegExp(`/scrutiny/learning/${ID}`), 'the officer’s learning is listed');
  const panelId = panelUrl.split('/').at(-1)!;
  return {
    people: { scrutinyLead: { person: lead }, scrutinyMember: { person: external } },
    routes: {
      '/scrutiny': { visitors: ['scrutinyLead', 'scrutinyMember', 'member'] },
      '/scrutiny/panels/new': { visitors: ['scrutinyLead'] },
      '/scrutiny/panels/:panelId': { params: { panelId }, visitors: ['scrutinyLead', 'scrutinyMember'] },
      '/scrutiny/panels/:panelId/members/new': { visitors: ['scrutinyLead'] },
      '/scrutiny/panels/:panelId/rounds/new': { visitors: ['scrutinyLead'] },
      '/scrutiny/panels/:panelId/rounds/:roundId': { params: { roundId: roundUrl.split('/').at(-1)! } },
      '/scrutiny/panels/:panelId/actions/new': { visitors: ['scrutinyLead'] },
      '/scrutiny/panels/:panelId/actions/:actionId': { params: { actionId: actionUrl.split('/').at(-1)! } },
      '/scrutiny/panels/:panelId/actions/:actionId/status': { visitors: ['scrutinyLead'] },
      // The agreed pack shows the findings and the reviews; the open one its forms.
      '/scrutiny/packs/:packId': { params: { packId: agreed! }, visitors: ['scrutinyLead', 'scrutinyMember'] },
      '/scrutiny/packs/:packId/review': { params: { packId: open! }, visitors: ['scrutinyMember'] },
      '/scrutiny/packs/:packId/findings': { params: { packId: open! }, visitors: ['scrutinyLead'] },
      '/scrutiny/learning': { visitors: ['member'] },
      '/scrutiny/learning/:learningId': { params: { learningId: learningId! }, visitors: ['member'] },
    },
  };
}
