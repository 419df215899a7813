// Accessibility fixtures of the JOIM (src/governance/joim): a police
// supervisor of the force sits on its JOIM with the CPS Area. Through the
// forms, as a person would: a meeting held today (attendance, minutes, a
// decision and an action owned by the member) and one scheduled for a
// fortnight on, so that every JOIM page has something to show, the forms of a
// scheduled meeting (details, cancel) have one to change, and the member (the
// action's owner, no JOIM member) sees their own action.
import { addCalendarDays, londonDate } from '../../../src/platform/time/working-days.ts';
import { ID, dateFields, idsOnPage, sendForm } from '../../support/accessibility.ts';
import type { AccessibilityBase, ModuleFixtures } from '../../support/accessibility.ts';
import type { ServedApp } from '../../support/browser.ts';

export async function prepare(served: ServedApp, base: AccessibilityBase): Promise<ModuleFixtures> {
  const { t } = served;
  const chair = await t.person({ email: 'priya@avs.police.uk', name: 'Priya Shah', roles: [[base.force, 'police_supervisor']] });
  const agent = await t.signIn(chair);
  const today = londonDate(t.clock.now());
  const pair = `/joim/pairs/${base.force}/${base.cpsArea}`;
  const schedule = (date: string) => sendForm(agent, `${pair}/meetings/new`, { ...dateFields('meetsOn', date), startsAt: '10:00', place: 'Trinity Road Police Station, Bristol' }, 'scheduling a JOIM meeting');
  const held = await schedule(today);
  await sendForm(agent, `${held}/attendance`, { attendees: [chair.id], 'guests-1-name': 'Claire Whitfield', 'guests-1-role': 'ISVA service manager' }, 'recording the meeting as held');
  await sendForm(agent, `${held}/minutes`, { minutes: 'The pack was discussed.\n\nNo case was past 90 days.' }, 'recording the minutes');
  await sendForm(agent, `${held}/decisions/new`, { text: 'Review the PRFI list weekly.' }, 'recording a decision');
  await sendForm(agent, `${held}/actions/new`, { text: 'Chase the action plan responses', ownerUserId: base.member.id, ...dateFields('dueOn', addCalendarDays(today, 7)), caseId: '', planActionId: '' }, 'adding an action');
  const [actionId] = await idsOnPage(agent, held, new RegExp(`/joim/actions/${ID}`), 'the action is on the meeting’s page');
  const scheduled = await schedule(addCalendarDays(today, 14));
  const meetingId = (url: string) => url.split('/').at(-1)!;
  return {
    people: { joimMember: { person: chair } },
    routes: {
      '/joim': { visitors: ['joimMember'] },
      '/joim/pairs/:forceId/:cpsAreaId': { params: { forceId: base.force, cpsAreaId: base.cpsArea } },
      '/joim/meetings/:meetingId': { params: { meetingId: meetingId(held) } },
      '/joim/meetings/:meetingId/details': { params: { meetingId: meetingId(scheduled) } },
      '/joim/meetings/:meetingId/cancel': { params: { meetingId: meetingId(scheduled) } },
      // The action's owner, who is no JOIM member, sees their own action too.
      '/joim/my-actions': { visitors: ['joimMember', 'member'] },
      '/joim/actions/:actionId': { params: { actionId: actionId! }, visitors: ['joimMember', 'member'] },
    },
  };
}
