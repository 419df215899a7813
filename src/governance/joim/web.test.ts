// The JOIM pages on both engines: a member finds the pair, schedules a meeting
// (GOV.UK error summary for a bad date and time), is sent back from a form the
// meeting is not ready for, records it as held with a guest, reads the pack
// (references and staff only, never the people in a case) and downloads it as
// CSV, records minutes, a decision and an action; a stale form is a conflict;
// the action's owner, who is no member, finds it in "My JOIM actions" and
// marks it done; people without the permission are refused, and members of
// another force see nothing of this pair.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { engines } from '../../../test/support/databases.ts';
import { csvField } from './pack.ts';
import { PLANTED_NAMES, joimTestApp } from './test-support.ts';

test('CSV fields are quoted when they must be, and never run as formulas', () => {
  assert.deepEqual(['AS/1/26', 'Shah, Priya', 'He said "no"', '=HYPERLINK("x")', '-1', '@SUM(A1)', 'line\nbreak'].map(csvField), [
    'AS/1/26', '"Shah, Priya"', '"He said ""no"""', `"'=HYPERLINK(""x"")"`, "'-1", "'@SUM(A1)", '"line\nbreak"',
  ]);
});

for (const engine of engines) {
  test(`${engine}: JOIM pages`, async (s) => {
    const { t, w } = await joimTestApp(engine);
    try {
      await w.makeCase('AS/200/26', ['investigation', 'charging_referral', 'action_plan'], 57, { cpsUrn: '52AS20026' });
      await w.makeCase('AS/201/26', ['investigation', 'early_advice'], 30);
      const supervisor = await t.signIn(w.supervisor);
      const dcp = await t.signIn(w.dcp);
      const investigator = await t.signIn(w.investigator);
      const otherSupervisor = await t.signIn(w.otherSupervisor);
      const pairUrl = `/joim/pairs/${w.force}/${w.area}`;
      let meetingUrl = '';

      await s.test('a member finds the pair and schedules a meeting; the error summary names what is wrong', async () => {
        const home = await supervisor.get('/joim');
        assert.equal(home.statusCode, 200);
        assert.ok(home.body.includes(`href="${pairUrl}"`), 'the pair is listed');
        assert.match(home.body, /Avon and Somerset Police and CPS South West/);
        const pair = await supervisor.get(pairUrl);
        assert.equal(pair.statusCode, 200);
        assert.match(pair.body, /No meeting is scheduled/);
        const form = await supervisor.get(`${pairUrl}/meetings/new`);
        assert.equal(form.statusCode, 200);
        const refused = await supervisor.post(`${pairUrl}/meetings/new`, { 'meetsOn-day': '31', 'meetsOn-month': '4', 'meetsOn-year': '2026', startsAt: 'ten', place: '' });
        assert.equal(refused.statusCode, 400);
        assert.match(refused.body, /govuk-error-summary/);
        assert.match(refused.body, /href="#meetsOn-day">The date of the meeting must be a real date/);
        assert.match(refused.body, /href="#startsAt">Enter the start time on the 24-hour clock, like 14:30/);
        assert.match(refused.body, /href="#place">Enter where the meeting is held/);
        assert.match(refused.body, /value="ten"/, 'what was typed is shown again');
        const made = await supervisor.post(`${pairUrl}/meetings/new`, { 'meetsOn-day': '12', 'meetsOn-month': '3', 'meetsOn-year': '2026', startsAt: '14:30', place: 'https://teams.example/l/joim' });
        assert.equal(made.statusCode, 303);
        meetingUrl = String(made.headers.location);
        assert.match(meetingUrl, /^\/joim\/meetings\/[0-9a-f-]{36}$/);
        const page = await supervisor.get(meetingUrl);
        assert.match(page.body, /The meeting was scheduled/);
        assert.match(page.body, /12 March 2026 at 2:30pm/);
        assert.match(page.body, /href="https:\/\/teams.example\/l\/joim" rel="noreferrer noopener">Join the meeting online/);
      });

      await s.test('people without the permission are refused; members of another force find nothing', async () => {
        for (const url of ['/joim', pairUrl, meetingUrl, `${meetingUrl}/pack`, `${meetingUrl}/pack.csv`]) assert.equal((await investigator.get(url)).statusCode, 403, url);
        assert.equal((await otherSupervisor.get('/joim')).statusCode, 200);
        for (const url of [pairUrl, meetingUrl, `${meetingUrl}/pack`, `${meetingUrl}/attendance`]) assert.equal((await otherSupervisor.get(url)).statusCode, 404, url);
        assert.equal((await otherSupervisor.post(`${meetingUrl}/cancel`, { version: '1', reason: 'Not mine to cancel.' })).statusCode, 404);
        assert.equal((await supervisor.get('/joim/meetings/not-an-id')).statusCode, 404);
      });

      await s.test('a form the meeting is not ready for sends the person back; a stale form is a conflict', async () => {
        const early = await supervisor.get(`${meetingUrl}/attendance`);
        assert.deepEqual([early.statusCode, early.headers.location], [303, meetingUrl]);
        assert.match((await supervisor.get(meetingUrl)).body, /The meeting is on 12 March 2026: record it as held on or after that day/);
        assert.equal((await supervisor.get(`${meetingUrl}/minutes`)).statusCode, 303);
        const details = await dcp.get(`${meetingUrl}/details`);
        assert.match(details.body, /name="startsAt"[^>]*value="14:30"/);
        assert.equal((await dcp.post(`${meetingUrl}/details`, { version: '1', 'meetsOn-day': '10', 'meetsOn-month': '3', 'meetsOn-year': '2026', startsAt: '10:00', place: 'Kenneth Steele House, Bristol' })).statusCode, 303);
        const stale = await supervisor.post(`${meetingUrl}/details`, { version: '1', 'meetsOn-day': '11', 'meetsOn-month': '3', 'meetsOn-year': '2026', startsAt: '10:00', place: 'Room 2' });
        assert.equal(stale.statusCode, 409);
        assert.match(stale.body, /Someone else changed this while you were working on it/);
        assert.match(stale.body, /value="Kenneth Steele House, Bristol"/, 'the form shows the meeting as it is now');
      });

      await s.test('the meeting is recorded as held with a guest; the pack is frozen and names no one in a case', async () => {
        const form = await supervisor.get(`${meetingUrl}/attendance`);
        assert.equal(form.statusCode, 200);
        assert.match(form.body, /Record the meeting as held/);
        assert.ok(form.body.includes(`value="${w.investigator.id}"`), 'the officer on a pack case is offered');
        assert.ok(form.body.includes(`value="${w.escalationLead.id}"`), 'JOIM members are offered');
        assert.ok(!form.body.includes(`value="${w.analyst.id}"`), 'others are not');
        const bad = await supervisor.post(`${meetingUrl}/attendance`, { version: '2', attendees: [w.supervisor.id], 'guests-1-name': 'Claire Whitfield', 'guests-1-role': '' });
        assert.equal(bad.statusCode, 400);
        assert.match(bad.body, /href="#guests-1-role">Enter the role of guest 1/);
        assert.match(bad.body, /value="Claire Whitfield"/);
        const held = await supervisor.post(`${meetingUrl}/attendance`, { version: '2', attendees: [w.supervisor.id, w.dcp.id], 'guests-1-name': 'Claire Whitfield', 'guests-1-role': 'ISVA service manager' });
        assert.deepEqual([held.statusCode, held.headers.location], [303, meetingUrl]);
        const page = await supervisor.get(meetingUrl);
        assert.match(page.body, /The meeting was recorded as held and its pack frozen/);
        assert.match(page.body, /Claire Whitfield, ISVA service manager \(guest\)/);
        assert.match(page.body, /The pack was frozen on/);

        const pack = await dcp.get(`${meetingUrl}/pack`);
        assert.equal(pack.statusCode, 200);
        for (const text of ['Action plans at 56 to 89 days', 'AS/200/26', '52AS20026', 'Early advice waiting', 'AS/201/26', 'Overdue by 9 days', 'Sam Taylor', 'Daniel Okafor', 'Frozen on']) assert.ok(pack.body.includes(text), text);
        for (const name of PLANTED_NAMES) assert.ok(!pack.body.includes(name), `${name} is not in the pack`);
        const csv = await dcp.get(`${meetingUrl}/pack.csv`);
        assert.equal(csv.statusCode, 200);
        assert.match(String(csv.headers['content-type']), /^text\/csv; charset=utf-8/);
        assert.equal(csv.headers['content-disposition'], 'attachment; filename="joim-pack-2026-03-10.csv"');
        const lines = csv.body.replace(/^\uFEFF/, '').trim().split('\r\n');
        assert.match(lines[0]!, /^Section,Police reference,CPS URN,Stage,Officer in the case,Prosecutor,/);
        assert.ok(lines.some((line) => line.startsWith('Action plans at 56 to 89 days,AS/200/26,52AS20026,Action plan: pending further information (PRFI),Sam Taylor,Daniel Okafor,2026-01-12,57')), lines.join('\n'));
        assert.ok(lines.some((line) => line.startsWith('Early advice waiting,AS/201/26,')));
        for (const name of PLANTED_NAMES) assert.ok(!csv.body.includes(name));
      });

      let actionUrl = '';
      await s.test('minutes, a decision and an action, with their errors', async () => {
        const noMinutes = await supervisor.post(`${meetingUrl}/minutes`, { version: '3', minutes: ' ' });
        assert.equal(noMinutes.statusCode, 400);
        assert.match(noMinutes.body, /href="#minutes">Enter the minutes/);
        assert.equal((await supervisor.post(`${meetingUrl}/minutes`, { version: '3', minutes: 'AS/200/26 discussed.\n\nEarly advice backlog noted.' })).statusCode, 303);
        assert.equal((await dcp.post(`${meetingUrl}/decisions/new`, { version: '4', text: 'PRFI cases over 56 days reviewed weekly.' })).statusCode, 303);
        const form = await supervisor.get(`${meetingUrl}/actions/new`);
        assert.equal(form.statusCode, 200);
        assert.match(form.body, /AS\/200\/26 \(URN 52AS20026\)/);
        const caseId = /<option value="([0-9a-f-]{36})">AS\/200\/26/.exec(form.body)![1]!;
        const noOwner = await supervisor.post(`${meetingUrl}/actions/new`, { version: '5', text: 'Chase the PRFI response', ownerUserId: '', 'dueOn-day': '1', 'dueOn-month': '3', 'dueOn-year': '2026', caseId, planActionId: '' });
        assert.equal(noOwner.statusCode, 400);
        assert.match(noOwner.body, /href="#ownerUserId">Choose the owner of the action/);
        assert.match(noOwner.body, /href="#dueOn-day">The date it is due must be on or after the meeting/);
        assert.equal((await supervisor.post(`${meetingUrl}/actions/new`, { version: '5', text: 'Chase the PRFI response', ownerUserId: w.investigator.id, 'dueOn-day': '13', 'dueOn-month': '3', 'dueOn-year': '2026', caseId, planActionId: '' })).statusCode, 303);
        const page = await supervisor.get(meetingUrl);
        assert.match(page.body, /Early advice backlog noted\./);
        assert.match(page.body, /PRFI cases over 56 days reviewed weekly\./);
        actionUrl = /href="(\/joim\/actions\/[0-9a-f-]{36})">Chase the PRFI response/.exec(page.body)![1]!;
        assert.ok(page.body.includes(`href="/cases/${caseId}">AS/200/26 (URN 52AS20026)`));
      });

      await s.test('the owner finds the action in My JOIM actions and marks it done; others may not see it', async () => {
        t.clock.set('2026-03-16T09:00:00Z');
        // Days later: everyone signs in again.
        const [investigator, supervisor, otherSupervisor] = [await t.signIn(w.investigator), await t.signIn(w.supervisor), await t.signIn(w.otherSupervisor)];
        const mine = await investigator.get('/joim/my-actions');
        assert.equal(mine.statusCode, 200);
        assert.match(mine.body, /Chase the PRFI response/);
        assert.match(mine.body, /govuk-tag--red">Overdue/);
        assert.match(mine.body, /1 of your JOIM actions are overdue/);
        assert.equal((await investigator.get(actionUrl)).statusCode, 200);
        assert.equal((await otherSupervisor.get(actionUrl)).statusCode, 404);
        assert.equal((await (await t.signIn(w.prosecutor)).get(`${actionUrl}/status`)).statusCode, 404);
        const version = /name="version" value="(\d+)"/.exec((await investigator.get(`${actionUrl}/status`)).body)![1]!;
        const dropped = await investigator.post(`${actionUrl}/status`, { version, status: 'dropped', note: '' });
        assert.equal(dropped.statusCode, 400);
        assert.match(dropped.body, /href="#note">Enter why the action is dropped/);
        assert.match(dropped.body, /value="dropped" checked/);
        const done = await investigator.post(`${actionUrl}/status`, { version, status: 'done', note: 'Response sent on 14 March.' });
        assert.deepEqual([done.statusCode, done.headers.location], [303, actionUrl]);
        const page = await investigator.get(actionUrl);
        assert.match(page.body, /Status changed from Open to Done/);
        assert.match(page.body, /Response sent on 14 March\./);
        assert.ok(!page.body.includes(`href="${meetingUrl}"`), 'the owner is not sent to a meeting they may not see');
        const stale = await supervisor.post(`${actionUrl}/status`, { version, status: 'open', note: 'Again.' });
        assert.equal(stale.statusCode, 409);
      });
    } finally {
      await t.close();
    }
  });
}
