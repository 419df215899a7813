// The demonstration's JOIM: Avon and Somerset Police and CPS South West. One
// meeting three weeks or so ago, held, with its pack frozen from the demo's real case
// file, who attended (and a guest), minutes, decisions and actions (one about
// a case in its pack, one delivering a JNAP refresh action, one done); and the
// next meeting in a fortnight, whose pack lists the cases overdue now. Demo
// mode only: the demo loader calls this inside its own transaction and
// journals the seeding.
import { newId } from '../../platform/db/ids.ts';
import type { Tx } from '../../platform/db/transaction.ts';
import { closeDeadline, deadlinesFor, openDeadline } from '../../platform/deadlines/service.ts';
import { translate } from '../../platform/i18n/messages.ts';
import { addCalendarDays, londonDate } from '../../platform/time/working-days.ts';
import type { PlainDate } from '../../platform/time/working-days.ts';
import { joimPack } from '../../cases/oversight/joim-pack.ts';
import { ACTION_RULE, ACTION_SUBJECT } from './model.ts';
import * as repository from './repository.ts';
import { caseLabel, casesOfPack, registerJoimDeadlines } from './service.ts';
import type { JoimActionsTable } from './tables.ts';

/** The Tuesday on or before a date: the pair meets on Tuesdays. */
function tuesdayOnOrBefore(date: PlainDate): PlainDate {
  const weekday = new Date(`${date}T12:00:00Z`).getUTCDay();
  return addCalendarDays(date, -((weekday - 2 + 7) % 7));
}

const MINUTES = [
  'Attendance as recorded. The meeting went through the pack, frozen at the start of the meeting, section by section.',
  'Action plans: the cases at 56 and 90 days were taken one by one. Officers in the case had been asked to bring a date for each outstanding response; most had not, which is why the decision below was made. Cases approaching 90 days are to be considered for senior escalation before the next meeting rather than at it.',
  'Early advice: the requests waiting were discussed with the unit’s allocation. AS/23187/25 (a vulnerable victim) has no prosecutor’s answer yet; the DCP will answer it within the 21 days or agree a date with the officer in the case.',
  'Good practice: the ISVA service reported that victims whose cases are in PRFI are now told at each 28-day review what is outstanding, which they value. To be shared at the next scrutiny panel.',
];

const DECISIONS = [
  'Every action plan past 56 days comes to the JOIM with the name of the officer responsible and a date for the police response; without one it goes to the Det Supt and the head of the RASSO unit the same week.',
  'Early advice requests past 21 days are listed in the weekly unit meeting of the RASSO unit until answered.',
];

/** Writes the demo JOIM; `organisations` maps demo codes to ids and `people` email addresses to ids. Answers how many meetings were written. */
export async function seedDemoJoim(tx: Tx, organisations: ReadonlyMap<string, string>, people: ReadonlyMap<string, string>, now: string): Promise<number> {
  registerJoimDeadlines();
  const forceId = organisations.get('AVS')!;
  const cpsAreaId = organisations.get('CPS-SW')!;
  const person = (email: string) => people.get(email)!;
  const priya = person('priya.shah@avs.police.example');
  const mark = person('mark.ellis@avs.police.example');
  const helen = person('helen.price@cps.example');
  const rachel = person('rachel.moore@cps.example');
  const at = new Date(now);
  const today = londonDate(at);

  // Three to four weeks ago: after the demo's oldest early advice request was made, so its case is in the pack.
  const pastOn = tuesdayOnOrBefore(addCalendarDays(today, -21));
  const heldAt = new Date(`${pastOn}T15:30:00Z`);
  const pack = await joimPack(tx, { forceId, cpsAreaId }, pastOn, heldAt);
  const past = newId();
  const iso = (date: Date) => date.toISOString();
  await repository.insertMeeting(tx, {
    id: past, force_id: forceId, cps_area_id: cpsAreaId, meets_on: pastOn, starts_at: '14:00', place: 'Kenneth Steele House, Bristol', status: 'held', cancelled_reason: null,
    minutes: MINUTES.join('\n\n'), minutes_by: priya, minutes_at: iso(new Date(`${addCalendarDays(pastOn, 1)}T10:00:00Z`)),
    held_recorded_by: priya, held_recorded_at: iso(heldAt), pack: JSON.stringify(pack), pack_frozen_at: iso(heldAt),
    created_by: priya, created_at: iso(new Date(`${addCalendarDays(pastOn, -14)}T09:00:00Z`)), updated_at: iso(heldAt), version: 3 + DECISIONS.length + 3, // scheduled, held, minutes, each decision and action
  });
  await repository.replaceAttendees(tx, past, [
    ...[[priya, forceId], [mark, forceId], [helen, cpsAreaId], [rachel, cpsAreaId]].map(([userId, organisationId], i) => ({
      id: newId(), meeting_id: past, position: i + 1, user_id: userId!, organisation_id: organisationId!, guest_name: null, guest_role: null,
    })),
    { id: newId(), meeting_id: past, position: 5, user_id: null, organisation_id: null, guest_name: 'Claire Whitfield', guest_role: 'ISVA service manager, Severn Vale ISVA Service' },
  ]);
  for (const [i, text] of DECISIONS.entries()) {
    await repository.insertDecision(tx, { id: newId(), meeting_id: past, number: i + 1, text, recorded_by: i === 0 ? rachel : priya, recorded_at: iso(heldAt) });
  }

  // The actions: one about the oldest early advice in the pack, one delivering the JNAP refresh's PRFI action, one already done.
  const waiting = casesOfPack(pack).find((kase) => kase.policeReference === 'AS/23187/25') ?? casesOfPack(pack)[0] ?? null;
  const jnap = await repository.shippedPlanAction(tx, 'jnap-refresh-2022', 7);
  const actions: (Omit<JoimActionsTable, 'id' | 'meeting_id' | 'force_id' | 'cps_area_id' | 'number' | 'created_at' | 'updated_at' | 'version'> & { note?: string })[] = [
    {
      text: waiting ? `Answer the early advice request on ${waiting.policeReference}, or agree a date for the advice with the officer in the case.` : 'Answer the early advice requests waiting past 21 days.',
      owner_user_id: helen, due_on: addCalendarDays(pastOn, 7), status: 'open',
      case_id: waiting?.caseId ?? null, case_label: waiting ? caseLabel(waiting) : null, plan_id: null, plan_action_id: null, plan_action_label: null, created_by: priya, closed_at: null,
    },
    {
      text: 'Bring every action plan past 56 days to the next JOIM with the officer responsible and a date for the police response.',
      owner_user_id: mark, due_on: addCalendarDays(today, 10), status: 'open', case_id: null, case_label: null,
      plan_id: jnap?.plan_id ?? null, plan_action_id: jnap?.id ?? null, plan_action_label: jnap ? `${jnap.plan_title}, action 7` : null, created_by: rachel, closed_at: null,
    },
    {
      text: 'Check that every case with an open action plan has a supervisor allocated on the platform.',
      owner_user_id: priya, due_on: addCalendarDays(pastOn, 14), status: 'done', case_id: null, case_label: null, plan_id: null, plan_action_id: null, plan_action_label: null,
      created_by: priya, closed_at: iso(new Date(`${addCalendarDays(pastOn, 9)}T11:00:00Z`)), note: 'Done: four cases had no supervisor; all now allocated.',
    },
  ];
  for (const [i, { note, ...action }] of actions.entries()) {
    const id = newId();
    await repository.insertAction(tx, { ...action, id, meeting_id: past, force_id: forceId, cps_area_id: cpsAreaId, number: i + 1, created_at: iso(heldAt), updated_at: action.closed_at ?? iso(heldAt), version: action.status === 'open' ? 1 : 2 });
    await repository.insertActionUpdate(tx, { id: newId(), action_id: id, status_from: null, status_to: 'open', note: null, recorded_by: action.created_by, recorded_at: iso(heldAt) });
    await openDeadline(tx, { subjectType: ACTION_SUBJECT, subjectId: id, ruleKey: ACTION_RULE, organisationIds: [forceId, cpsAreaId], startedOn: action.due_on, now: heldAt });
    if (action.status === 'done') {
      await repository.insertActionUpdate(tx, { id: newId(), action_id: id, status_from: 'open', status_to: 'done', note: note ?? null, recorded_by: action.owner_user_id, recorded_at: action.closed_at! });
      for (const deadline of await deadlinesFor(tx, ACTION_SUBJECT, id)) await closeDeadline(tx, deadline.id, { outcome: 'met', reason: translate('joim.deadline.done'), now: new Date(action.closed_at!) });
    }
  }

  // The next meeting: its pack is made from the case file when it is read.
  const nextOn = tuesdayOnOrBefore(addCalendarDays(today, 16));
  await repository.insertMeeting(tx, {
    id: newId(), force_id: forceId, cps_area_id: cpsAreaId, meets_on: nextOn, starts_at: '14:00', place: 'Kenneth Steele House, Bristol', status: 'scheduled', cancelled_reason: null,
    minutes: null, minutes_by: null, minutes_at: null, held_recorded_by: null, held_recorded_at: null, pack: null, pack_frozen_at: null,
    created_by: priya, created_at: iso(heldAt), updated_at: iso(heldAt), version: 1,
  });
  return 2;
}
