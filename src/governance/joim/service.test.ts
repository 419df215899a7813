// The JOIM through its service, on both engines: only the pair's JOIM members
// (supervisors, escalation leads, DCPs, heads of unit of the force or the
// Area) see its meetings, packs and actions, and everyone else is told they do
// not exist, journalled; meetings are scheduled, moved, cancelled and held
// with their rules; holding a meeting freezes its pack; minutes, decisions and
// actions belong to a held meeting; an action's owner, case and plan action
// are checked; its clock reminds and escalates through the deadline engine
// and is met, cancelled or reopened with its status; its owner may update it;
// a stale version is a conflict that writes nothing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { engines } from '../../../test/support/databases.ts';
import type { TestPerson } from '../../../test/support/app.ts';
import { inTransaction } from '../../platform/db/transaction.ts';
import { deadlinesFor } from '../../platform/deadlines/service.ts';
import { sweepDeadlines } from '../../platform/deadlines/sweep.ts';
import { rejects } from '../../cases/test-support.ts';
import { writeShippedPlan } from '../../plans/service.ts';
import { shippedPlan } from '../../plans/shipped.ts';
import { ACTION_SUBJECT, mayJoim } from './model.ts';
import { PLANTED_NAMES, joimTestApp } from './test-support.ts';

const parts = (date: string) => ({ day: date.slice(8, 10), month: date.slice(5, 7), year: date.slice(0, 4) });
const meetingInput = (date: string, place = 'Trinity Road Police Station, Bristol') => ({ meetsOn: parts(date), startsAt: '10:00', place });
const MISSING = '0190d000-0000-7000-8000-000000000000';

for (const engine of engines) {
  test(`${engine}: the JOIM`, async (s) => {
    const { t, w } = await joimTestApp(engine);
    try {
      const db = t.platform.db;
      const as = (p: TestPerson) => [w.actor(p), w.context(p)] as const;
      const denials = async (event: string) => (await db.selectFrom('audit_events').select('details').where('action', '=', 'deny').execute()).filter((row) => JSON.parse(row.details).event === event).length;
      const meetingVersion = async (id: string) => (await w.joim.meeting(...as(w.supervisor), id)).meeting.version;
      const members = [w.supervisor, w.escalationLead, w.dcp, w.headOfRasso];
      const outsiders = [w.investigator, w.prosecutor, w.analyst, w.planLead, w.panelMember, w.isva, w.otherSupervisor, w.otherDcp];
      const [national, jersey] = await inTransaction(db, async (tx) => [
        await writeShippedPlan(tx, shippedPlan('jnap-refresh-2022'), { ownerOrganisationId: w.national, nextReviewOn: '2030-01-01', now: t.clock.now() }),
        await writeShippedPlan(tx, shippedPlan('jersey-2022-23'), { ownerOrganisationId: w.otherForce, nextReviewOn: '2030-01-01', now: t.clock.now() }),
      ]);
      const planAction = async (planId: string, number: number) => (await db.selectFrom('plan_actions').select('id').where('plan_id', '=', planId).where('number', '=', number).executeTakeFirstOrThrow()).id;

      await w.makeCase('AS/100/26', ['investigation', 'charging_referral', 'action_plan'], 60, { cpsUrn: '52AS10026' });
      await w.makeCase('AS/101/26', ['investigation', 'early_advice'], 25);
      await w.makeCase('SW/102/26', ['investigation', 'charging_referral', 'action_plan'], 60, { forceId: w.otherForce });
      let meetingId = '';

      await s.test('only the pair’s JOIM members see it; everyone else is told it does not exist, journalled', async () => {
        for (const member of members) {
          assert.equal(mayJoim(w.actor(member), { forceId: w.force, cpsAreaId: w.area }), true);
          const view = await w.joim.pair(...as(member), w.force, w.area);
          assert.deepEqual([view.pair.force.name, view.pair.area.name], ['Avon and Somerset Police', 'CPS South West']);
        }
        for (const person of outsiders) {
          const before = await denials('joim.not-found');
          await rejects(w.joim.pair(...as(person), w.force, w.area), 'not-found');
          await rejects(w.joim.schedule(...as(person), w.force, w.area, meetingInput('2026-03-24')), 'not-found');
          assert.equal(await denials('joim.not-found'), before + 2);
        }
        // Not a pair: an Area as the force, or something that does not exist.
        await rejects(w.joim.pair(...as(w.supervisor), w.area, w.force), 'not-found');
        await rejects(w.joim.pair(...as(w.supervisor), MISSING, w.area), 'not-found');
        // A pair the member's organisation is not in.
        await rejects(w.joim.pair(...as(w.supervisor), w.otherForce, w.area), 'not-found');
        await rejects(w.joim.pairs(...as(w.investigator)), 'forbidden');
        const pairs = await w.joim.pairs(...as(w.dcp));
        assert.deepEqual(pairs.map((p) => p.pair.force.name), ['Avon and Somerset Police', 'South Wales Police'], 'the forces the Area shares cases with');
      });

      await s.test('a meeting is scheduled with a date, a time and a place or an https link', async () => {
        const refused = await rejects(w.joim.schedule(...as(w.supervisor), w.force, w.area, { meetsOn: parts('2026-02-30'), startsAt: '25:00', place: 'http://teams.example/joim' }), 'validation');
        assert.deepEqual(refused.fieldErrors.map((e) => e.field), ['meetsOn-day', 'startsAt', 'place']);
        await rejects(w.joim.schedule(...as(w.supervisor), w.force, w.area, { meetsOn: parts('2029-01-01'), startsAt: '10:00', place: 'Room 1' }), 'validation', 'meetsOn-day');
        await rejects(w.joim.schedule(...as(w.supervisor), w.force, w.area, { meetsOn: parts('2026-03-24'), startsAt: '', place: ' ' }), 'validation', 'place');
        meetingId = await w.joim.schedule(...as(w.dcp), w.force, w.area, { meetsOn: parts('2026-03-24'), startsAt: '9.30', place: 'https://teams.example/l/meetup-join/abc' });
        const online = await w.joim.meeting(...as(w.escalationLead), meetingId);
        assert.deepEqual([online.meeting.status, online.meeting.startsAt, online.meeting.version, online.may.details, online.may.attendance], ['scheduled', '09:30', 1, true, false]);
        // A retried request with the same key schedules once.
        const key = { key: 'k-1', requestHash: 'same' };
        const once = await w.joim.schedule(...as(w.supervisor), w.force, w.area, meetingInput('2026-02-24'), key);
        assert.equal(await w.joim.schedule(...as(w.supervisor), w.force, w.area, meetingInput('2026-02-24'), key), once);
        const view = await w.joim.pair(...as(w.headOfRasso), w.force, w.area);
        assert.deepEqual([view.upcoming.map((m) => m.meetsOn), view.past.map((m) => m.meetsOn)], [['2026-03-24'], ['2026-02-24']]);
        await rejects(w.joim.meeting(...as(w.otherDcp), meetingId), 'not-found');
        await rejects(w.joim.meeting(...as(w.investigator), meetingId), 'not-found');
      });

      await s.test('a scheduled meeting is moved or cancelled; a stale version is a conflict; the live pack counts to the meeting date', async () => {
        const live = await w.joim.pack(...as(w.supervisor), meetingId);
        assert.equal(live.frozen, false);
        assert.deepEqual(live.pack.ageing.map((row) => [row.case.policeReference, row.days, row.band]), [['AS/100/26', 74, 56]]);
        assert.deepEqual(live.pack.earlyAdvice.map((row) => [row.case.policeReference, row.daysWaiting, row.overdue]), [['AS/101/26', 39, true]]);
        assert.ok(!JSON.stringify(live.pack).includes('SW/102/26'), 'a case of another force is not in the pack');
        assert.ok(PLANTED_NAMES.every((name) => !JSON.stringify(live.pack).includes(name)));
        const views = (await db.selectFrom('audit_events').select('details').where('action', '=', 'consult').execute()).filter((row) => JSON.parse(row.details).event === 'joim.pack.view');
        assert.equal(views.length, 1, 'reading the pack is journalled');

        const moved = await w.joim.changeDetails(...as(w.supervisor), meetingId, meetingInput('2026-04-07'), 1);
        assert.equal(moved, 2);
        await rejects(w.joim.changeDetails(...as(w.dcp), meetingId, meetingInput('2026-04-08'), 1), 'conflict');
        assert.equal((await w.joim.meeting(...as(w.dcp), meetingId)).meeting.meetsOn, '2026-04-07', 'the stale change wrote nothing');
        const later = await w.joim.pack(...as(w.supervisor), meetingId);
        assert.deepEqual(later.pack.ageing.map((row) => [row.days, row.band]), [[88, 56]], 'a later date shows later ages');

        const spare = await w.joim.schedule(...as(w.supervisor), w.force, w.area, meetingInput('2026-05-05'));
        await rejects(w.joim.cancel(...as(w.supervisor), spare, '  ', 1), 'validation', 'reason');
        assert.equal(await w.joim.cancel(...as(w.supervisor), spare, 'Clashes with the Crown Court training day', 1), 2);
        await rejects(w.joim.changeDetails(...as(w.supervisor), spare, meetingInput('2026-05-06'), 2), 'validation', 'meetsOn-day');
        await rejects(w.joim.recordAttendance(...as(w.supervisor), spare, { userIds: [w.supervisor.id], guests: [] }, 2), 'validation', 'attendees');
      });

      await s.test('a meeting is held on or after its date: attendance is recorded and the pack frozen', async () => {
        const version = await meetingVersion(meetingId);
        await rejects(w.joim.recordAttendance(...as(w.supervisor), meetingId, { userIds: [w.supervisor.id], guests: [] }, version), 'validation', 'attendees');
        t.clock.set('2026-04-07T15:00:00Z');
        await rejects(w.joim.recordMinutes(...as(w.supervisor), meetingId, 'Too soon.', version), 'validation', 'minutes');
        await rejects(w.joim.recordAttendance(...as(w.supervisor), meetingId, { userIds: [], guests: [] }, version), 'validation', 'attendees');
        await rejects(w.joim.recordAttendance(...as(w.supervisor), meetingId, { userIds: [w.otherDcp.id], guests: [] }, version), 'validation', 'attendees');
        const guests = await rejects(w.joim.recordAttendance(...as(w.supervisor), meetingId, { userIds: [w.supervisor.id], guests: [{ name: 'Claire Whitfield', role: '' }, { name: '', role: '' }] }, version), 'validation');
        assert.deepEqual(guests.fieldErrors.map((e) => [e.field, e.message]), [['guests-1-role', 'Enter the role of guest 1']]);
        const held = await w.joim.recordAttendance(...as(w.supervisor), meetingId, {
          userIds: [w.supervisor.id, w.dcp.id, w.investigator.id], guests: [{ name: 'Claire Whitfield', role: 'ISVA service manager, Severn Vale ISVA Service' }],
        }, version);
        assert.equal(held, version + 1);
        const view = await w.joim.meeting(...as(w.dcp), meetingId);
        assert.equal(view.meeting.status, 'held');
        assert.deepEqual(view.attendees.map((a) => [a.name, a.organisationName ?? a.guestRole]), [
          ['Priya Shah', 'Avon and Somerset Police'], ['Helen Price', 'CPS South West'], ['Sam Taylor', 'Avon and Somerset Police'], ['Claire Whitfield', 'ISVA service manager, Severn Vale ISVA Service'],
        ]);
        assert.deepEqual([view.may.details, view.may.cancel, view.may.attendance, view.may.record], [false, false, true, true]);
        // The case file moves on; the frozen pack does not.
        await w.makeCase('AS/103/26', ['investigation', 'charging_referral', 'action_plan'], 80);
        t.clock.set('2026-04-20T09:00:00Z');
        const frozen = await w.joim.pack(...as(w.headOfRasso), meetingId);
        assert.equal(frozen.frozen, true);
        assert.deepEqual(frozen.pack.ageing.map((row) => [row.case.policeReference, row.days]), [['AS/100/26', 88]]);
        assert.equal(frozen.pack.generatedAt, '2026-04-07T15:00:00.000Z');
        // Attendance may still be corrected; it does not touch the pack.
        await w.joim.recordAttendance(...as(w.dcp), meetingId, { userIds: [w.supervisor.id, w.dcp.id], guests: [] }, held);
        assert.equal((await w.joim.meeting(...as(w.dcp), meetingId)).attendees.length, 2);
        assert.equal((await w.joim.pack(...as(w.dcp), meetingId)).pack.generatedAt, '2026-04-07T15:00:00.000Z');
      });

      let actionId = '';
      await s.test('minutes, decisions and actions of a held meeting; an action’s owner, case and plan action are checked', async () => {
        let version = await meetingVersion(meetingId);
        version = await w.joim.recordMinutes(...as(w.supervisor), meetingId, 'PRFI cases over 56 days were reviewed.\n\nEarly advice waits discussed.', version);
        const decided = await w.joim.addDecision(...as(w.dcp), meetingId, 'Every PRFI case over 56 days goes to the Det Supt and head of unit each week.', version);
        version = decided.version;
        const frozen = (await w.joim.pack(...as(w.supervisor), meetingId)).pack;
        const kase = frozen.ageing[0]!.case;
        const input = { text: 'Chase the response to the action plan', ownerUserId: w.investigator.id, dueOn: parts('2026-04-21'), caseId: kase.caseId, planActionId: '' };
        await rejects(w.joim.addAction(...as(w.supervisor), meetingId, { ...input, ownerUserId: w.otherSupervisor.id }, version), 'validation', 'ownerUserId');
        const late = await w.makeCase('AS/104/26', ['investigation'], 0);
        await rejects(w.joim.addAction(...as(w.supervisor), meetingId, { ...input, caseId: late }, version), 'validation', 'caseId');
        await rejects(w.joim.addAction(...as(w.supervisor), meetingId, { ...input, planActionId: await planAction(jersey, 1) }, version), 'validation', 'planActionId');
        await rejects(w.joim.addAction(...as(w.supervisor), meetingId, { ...input, dueOn: parts('2026-04-01') }, version), 'validation', 'dueOn-day');
        await rejects(w.joim.addAction(...as(w.supervisor), meetingId, input, version - 1), 'conflict');
        const made = await w.joim.addAction(...as(w.supervisor), meetingId, input, version);
        actionId = made.id;
        const second = await w.joim.addAction(...as(w.dcp), meetingId, { text: 'Agree joint escalation for PRFI cases', ownerUserId: w.dcp.id, dueOn: parts('2026-05-29'), caseId: '', planActionId: await planAction(national, 7) }, made.version);
        const view = await w.joim.meeting(...as(w.supervisor), meetingId);
        assert.deepEqual(view.decisions.map((d) => d.number), [1]);
        assert.deepEqual(view.actions.map((a) => [a.number, a.ownerName, a.caseLabel, a.planActionLabel]), [
          [1, 'Sam Taylor', 'AS/100/26 (URN 52AS10026)', null], [2, 'Helen Price', null, 'Police-CPS Joint National Action Plan refresh, action 7'],
        ]);
        assert.equal(view.meeting.version, second.version);
        const clocks = await deadlinesFor(db, ACTION_SUBJECT, actionId);
        assert.deepEqual(clocks.map((d) => [d.ruleKey, d.status, d.dueOn]), [['joim.action', 'open', '2026-04-21']]);
      });

      await s.test('an action reminds and escalates through the clock; its owner updates it; the clock follows its status', async () => {
        const notified = async (person: TestPerson) => db.selectFrom('notifications').select('text').where('user_id', '=', person.id).where('subject_type', '=', ACTION_SUBJECT).execute();
        await sweepDeadlines(t.platform, new Date('2026-04-19T07:00:00Z'));
        assert.deepEqual((await notified(w.investigator)).map((n) => n.text.includes('A JOIM action of yours is due in 3 days')), [true]);
        await sweepDeadlines(t.platform, new Date('2026-04-22T07:00:00Z'));
        assert.equal((await notified(w.investigator)).length, 2);
        assert.equal((await notified(w.supervisor)).length, 1, 'the overdue notice goes to whoever recorded it too');
        assert.ok((await notified(w.supervisor))[0]!.text.includes('JOIM action 1 of Avon and Somerset Police and CPS South West'), 'named by its meeting, never by its case');
        await sweepDeadlines(t.platform, new Date('2026-05-06T07:00:00Z'));
        assert.equal((await notified(w.escalationLead)).length + (await notified(w.headOfRasso)).length, 2, 'two weeks overdue: the senior leads');

        t.clock.set('2026-04-23T09:00:00Z');
        const mine = await w.joim.myActions(w.actor(w.investigator));
        assert.deepEqual(mine.map((a) => [a.number, a.overdue]), [[1, true]]);
        assert.deepEqual((await w.joim.openActions(...as(w.escalationLead), w.force, w.area)).map((a) => [a.number, a.overdue]), [[1, true], [2, false]]);
        // The owner, who is no JOIM member, may see and update their action; another officer may not.
        const own = await w.joim.action(...as(w.investigator), actionId);
        assert.equal(own.member, false);
        await rejects(w.joim.action(...as(w.prosecutor), actionId), 'not-found');
        await rejects(w.joim.changeAction(...as(w.prosecutor), actionId, { status: 'done', note: '' }, own.action.version), 'not-found');
        await rejects(w.joim.changeAction(...as(w.investigator), actionId, { status: 'open', note: '' }, own.action.version), 'validation', 'note');
        await rejects(w.joim.changeAction(...as(w.investigator), actionId, { status: 'dropped', note: '' }, own.action.version), 'validation', 'note');
        let version = await w.joim.changeAction(...as(w.investigator), actionId, { status: 'open', note: 'Response drafted; with the supervisor.' }, own.action.version);
        await rejects(w.joim.changeAction(...as(w.investigator), actionId, { status: 'done', note: '' }, own.action.version), 'conflict');
        version = await w.joim.changeAction(...as(w.investigator), actionId, { status: 'done', note: 'Response sent to the prosecutor.' }, version);
        const clockOf = async () => (await deadlinesFor(db, ACTION_SUBJECT, actionId)).map((d) => d.status);
        assert.deepEqual(await clockOf(), ['met']);
        version = await w.joim.changeAction(...as(w.supervisor), actionId, { status: 'open', note: 'The prosecutor asked for more.' }, version);
        assert.deepEqual((await clockOf()).sort(), ['met', 'open']);
        await w.joim.changeAction(...as(w.supervisor), actionId, { status: 'dropped', note: 'Superseded by the weekly PRFI review.' }, version);
        assert.deepEqual((await clockOf()).sort(), ['cancelled', 'met']);
        const history = (await w.joim.action(...as(w.supervisor), actionId)).updates;
        assert.deepEqual(history.map((u) => [u.statusFrom, u.statusTo]), [['open', 'dropped'], ['done', 'open'], ['open', 'done'], ['open', 'open'], [null, 'open']]);
        assert.deepEqual((await w.joim.myActions(w.actor(w.investigator))).map((a) => [a.status, a.overdue]), [['dropped', false]]);
      });
    } finally {
      await t.close();
    }
  });
}
