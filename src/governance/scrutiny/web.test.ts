// The scrutiny pages on both engines, as the people who use them: a manager
// sets up a panel, adds members and selects cases (GOV.UK error summaries for
// bad input, a conflict on a stale form); an external member reviews a pack
// and is told nothing about any case or victim; the chair agrees the findings
// and the officer opens the learning from their notification; actions, the
// themes report and its suppressed CSV; plan leads and others get nothing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { engines } from '../../../test/support/databases.ts';
import { victimsOf } from '../../victims/repository.ts';
import { scrutinyTestApp } from './test-support.ts';

for (const engine of engines) {
  test(`${engine}: scrutiny pages`, async (s) => {
    const { t, w } = await scrutinyTestApp(engine);
    try {
      const caseIds = [await w.policeNfa({ decidedOn: '2026-02-10' }), await w.cpsNfa({ decidedOn: '2026-02-11' })];
      t.clock.set('2026-04-15T10:00:00Z');
      const lead = await t.signIn(w.escalationLead);
      const external = await t.signIn(w.external);
      const member = await t.signIn(w.panelMember);
      const officer = await t.signIn(w.oic);
      const planLead = await t.signIn(w.planLead);
      let panelUrl = '';
      let packUrl = '';

      await s.test('a manager sets up a panel and chooses its members', async () => {
        const form = await lead.get('/scrutiny/panels/new');
        assert.equal(form.statusCode, 200);
        assert.match(form.body, /cases of Avon and Somerset Police/);
        const bad = await lead.post('/scrutiny/panels/new', { name: '', cpsAreaId: w.area });
        assert.equal(bad.statusCode, 400);
        assert.match(bad.body, /govuk-error-summary/);
        assert.match(bad.body, /href="#name">Enter the panel’s name/);
        const made = await lead.post('/scrutiny/panels/new', { name: 'AVS and CPS-SW NFA panel', cpsAreaId: w.area });
        assert.equal(made.statusCode, 303);
        panelUrl = String(made.headers.location);
        assert.match(panelUrl, /^\/scrutiny\/panels\/[0-9a-f-]{36}$/);
        const panel = await lead.get(panelUrl);
        assert.match(panel.body, /No chair yet/);
        const add = async (email: string, role: string, version: number) => lead.post(`${panelUrl}/members/new`, { email, role, version: String(version) });
        const refused = await add(w.analyst.email, 'member', 1);
        assert.equal(refused.statusCode, 400);
        assert.match(refused.body, /href="#email">No one with that email address can sit on this panel/);
        assert.equal((await add(w.escalationLead.email, 'chair', 1)).statusCode, 303);
        assert.equal((await add(w.panelMember.email, 'member', 2)).statusCode, 303);
        const stale = await add(w.external.email, 'member', 2);
        assert.equal(stale.statusCode, 409);
        assert.match(stale.body, /Someone else changed this/);
        assert.equal((await add(w.external.email, 'member', 3)).statusCode, 303);
        const after = await lead.get(panelUrl);
        assert.match(after.body, /Claire Fenwick/);
        assert.match(after.body, /Bristol ISVA service <strong class="govuk-tag govuk-tag--blue">External<\/strong>/);
        // A member may not manage the panel.
        assert.equal((await member.get(`${panelUrl}/members/new`)).statusCode, 403);
        assert.equal((await member.get(`${panelUrl}/rounds/new`)).statusCode, 403);
      });

      await s.test('selecting cases: errors in the GOV.UK summary, then the round and its packs', async () => {
        const bad = await lead.post(`${panelUrl}/rounds/new`, { version: '4', 'from-day': '31', 'from-month': '2', 'from-year': '2026', 'to-day': '', 'to-month': '', 'to-year': '', kinds: ['police_nfa'], method: 'sample', sampleSize: 'lots' });
        assert.equal(bad.statusCode, 400);
        assert.match(bad.body, /href="#from-day">The start of the period must be a real date/);
        assert.match(bad.body, /href="#to-day">Enter the end of the period/);
        assert.match(bad.body, /href="#sampleSize">Enter a sample size from 1 to 200/);
        assert.match(bad.body, /value="sample" checked/);
        const made = await lead.post(`${panelUrl}/rounds/new`, { version: '4', 'from-day': '1', 'from-month': '2', 'from-year': '2026', 'to-day': '28', 'to-month': '2', 'to-year': '2026', kinds: ['police_nfa', 'cps_nfa'], method: 'all' });
        assert.equal(made.statusCode, 303);
        const round = await external.get(String(made.headers.location));
        assert.equal(round.statusCode, 200);
        assert.match(round.body, /Case P-0001/);
        assert.match(round.body, /Case P-0002/);
        assert.match(round.body, /CPS decision not to charge: Evidential stage not met/);
        packUrl = round.body.match(/href="(\/scrutiny\/packs\/[0-9a-f-]{36})"/)![1]!;
      });

      await s.test('an external member sees the packs of their panel and nothing of any case or victim', async () => {
        const home = await external.get('/scrutiny');
        assert.match(home.body, /AVS and CPS-SW NFA panel/);
        const pack = await external.get(packUrl);
        assert.equal(pack.statusCode, 200);
        assert.match(pack.body, /This pack is anonymised/);
        assert.match(pack.body, /Review this case/);
        assert.ok(!pack.body.includes('Record the panel’s findings'), 'only the chair records findings');
        for (const caseId of caseIds) {
          const [victim] = await victimsOf(t.platform.db, caseId);
          for (const agent of [external, member]) {
            for (const url of [`/cases/${caseId}`, `/cases/${caseId}/police-nfa`, `/cases/${caseId}/charging`, `/cases/${caseId}/victims/${victim!.id}`, `/api/v1/cases/${caseId}`]) {
              assert.equal((await agent.get(url)).statusCode, 404, url);
            }
          }
        }
        // Plan leads, and the officer, get nothing of the packs.
        for (const agent of [planLead, officer]) {
          assert.equal((await agent.get(packUrl)).statusCode, 404);
          assert.equal((await agent.get(panelUrl)).statusCode, 404);
        }
        assert.match((await planLead.get('/scrutiny')).body, /You do not sit on or manage any scrutiny panel/);
      });

      await s.test('a member reviews a pack; errors are shown in the summary', async () => {
        const bad = await external.post(`${packUrl}/review`, { sound: 'no', missedEnquiries: 'yes', communication: 'yes', myths: 'yes' });
        assert.equal(bad.statusCode, 400);
        assert.match(bad.body, /href="#soundReasons">Say why the decision was not, or only partly, sound/);
        assert.match(bad.body, /href="#missedEnquiriesDetail">Say which lines of enquiry were missed/);
        assert.match(bad.body, /href="#mythKinds">Select the myths or stereotypes that are evident/);
        const saved = await external.post(`${packUrl}/review`, {
          sound: 'partly', soundReasons: 'The rationale did not address the forensic results.', missedEnquiries: 'yes', missedEnquiriesDetail: 'Phone data of the suspect.',
          communication: 'yes', myths: 'yes', mythKinds: ['continued_contact'], mythsDetail: '', observations: '',
        });
        assert.deepEqual([saved.statusCode, saved.headers.location], [303, packUrl]);
        const pack = await external.get(packUrl);
        assert.match(pack.body, /Your review was saved/);
        assert.match(pack.body, /Change your review/);
        assert.match(pack.body, /Contact with the suspect afterwards taken to mean it did not happen/);
        const form = await external.get(`${packUrl}/review`);
        assert.match(form.body, /value="partly" checked/);
        assert.match(form.body, /name="version" value="1"/);
        // The other member does not see it.
        assert.ok(!(await member.get(packUrl)).body.includes('Phone data of the suspect'));
      });

      await s.test('the chair agrees the findings; the officer opens the learning from the notification', async () => {
        const form = await lead.get(`${packUrl}/findings`);
        assert.equal(form.statusCode, 200);
        assert.match(form.body, /What members said/);
        assert.match(form.body, /Claire Fenwick/);
        assert.equal((await external.get(`${packUrl}/findings`)).statusCode, 403);
        const version = form.body.match(/name="version" value="(\d+)"/)![1]!;
        const noLearning = await lead.post(`${packUrl}/findings`, { version, sound: 'yes', missedEnquiries: 'no', communication: 'yes', myths: 'no' });
        assert.equal(noLearning.statusCode, 400);
        assert.match(noLearning.body, /href="#learning">Enter the learning for the officer and the prosecutor/);
        const agreed = await lead.post(`${packUrl}/findings`, {
          version, sound: 'partly', soundReasons: 'Forensic results not weighed.', missedEnquiries: 'yes', missedEnquiriesDetail: 'Suspect’s phone data.',
          communication: 'yes', myths: 'yes', mythKinds: ['continued_contact'], learning: 'Weigh the forensic results in the rationale; seek the suspect’s phone data.',
        });
        assert.equal(agreed.statusCode, 303);
        const notifications = await officer.get('/notifications');
        const href = notifications.body.match(/href="(\/scrutiny\/learning\/[0-9a-f-]{36})"/)![1]!;
        assert.match(notifications.body, /Learning from the AVS and CPS-SW NFA panel on case SCR\/000\d\/26/);
        const learning = await officer.get(href);
        assert.equal(learning.statusCode, 200);
        assert.match(learning.body, /where you were the officer in the case/);
        assert.match(learning.body, /Weigh the forensic results in the rationale/);
        assert.match(learning.body, /Forensic results not weighed/);
        assert.ok(!learning.body.includes('Phone data of the suspect.'), 'a member’s own notes never reach the officer');
        assert.ok(!learning.body.includes('Claire Fenwick'), 'nor who the members are');
        assert.match((await officer.get('/scrutiny/learning')).body, /AVS and CPS-SW NFA panel/);
        for (const agent of [lead, external, planLead]) assert.equal((await agent.get(href)).statusCode, 404);
      });

      await s.test('actions and the themes report with its suppressed CSV', async () => {
        assert.equal((await external.get(`${panelUrl}/actions/new`)).statusCode, 403);
        const bad = await lead.post(`${panelUrl}/actions/new`, { text: '', owner: '', 'dueOn-day': '', 'dueOn-month': '', 'dueOn-year': '' });
        assert.equal(bad.statusCode, 400);
        assert.match(bad.body, /href="#text">Enter the action/);
        const made = await lead.post(`${panelUrl}/actions/new`, { text: 'Forensic strategy refresher for the unit', owner: 'AVS RASSO training lead', 'dueOn-day': '30', 'dueOn-month': '6', 'dueOn-year': '2026', packId: packUrl.split('/').at(-1)! });
        assert.equal(made.statusCode, 303);
        const actionUrl = String(made.headers.location);
        assert.match((await external.get(actionUrl)).body, /Forensic strategy refresher/);
        const status = await lead.post(`${actionUrl}/status`, { version: '1', status: 'done', note: '' });
        assert.equal(status.statusCode, 400);
        assert.match(status.body, /href="#note">Enter a note saying why the status changed/);
        assert.equal((await lead.post(`${actionUrl}/status`, { version: '1', status: 'done', note: 'Delivered on 12 June.' })).statusCode, 303);
        assert.match((await lead.get(panelUrl)).body, /govuk-tag--green">Done/);

        const themes = await external.get(`${panelUrl}/themes`);
        assert.equal(themes.statusCode, 200);
        assert.match(themes.body, /Decision partly sound/);
        const shared = await external.get(`${panelUrl}/themes?view=shared`);
        assert.match(shared.body, /&lt;5/);
        const csv = await external.get(`${panelUrl}/themes.csv`);
        assert.equal(csv.statusCode, 200);
        assert.match(String(csv.headers['content-type']), /^text\/csv/);
        assert.match(String(csv.headers['content-disposition']), /attachment; filename="scrutiny-themes-/);
        assert.match(csv.body, /^Finding,1 February 2026 to 28 February 2026,All rounds\r\n/);
        assert.match(csv.body, /\r\nDecision partly sound,<5,<5\r\n/);
        assert.ok(!/,1(,|\r)/.test(csv.body), 'no count from 1 to 4 leaves the panel');
        assert.equal((await planLead.get(`${panelUrl}/themes.csv`)).statusCode, 404);
      });
    } finally {
      await t.close();
    }
  });
}
