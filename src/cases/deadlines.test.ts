// A case's deadlines on both engines, through the service and the pages:
// stage moves (made by whichever command makes them) open, meet and cancel them in the move's transaction (a move
// that fails leaves none); the sweep tells the people the rule names, by
// their part on the case or their role in its force or CPS Area, once per
// step; a closed case's deadlines tell nobody anything more.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { engines } from '../../test/support/databases.ts';
import { testApp } from '../../test/support/app.ts';
import type { TestPerson } from '../../test/support/app.ts';
import { systemContext } from '../platform/audit/model.ts';
import { deadlinesFor } from '../platform/deadlines/service.ts';
import { sweepDeadlines } from '../platform/deadlines/sweep.ts';
import { addCalendarDays, formatDate } from '../platform/time/working-days.ts';
import { Problem } from '../platform/web/errors.ts';
import { createCaseCommands } from './case-commands.ts';
import { CASE_SUBJECT } from './deadlines.ts';
import type { Stage } from './model.ts';
import { caseWorld, worldCase } from './test-support.ts';
import type { CaseWorld } from './test-support.ts';

const START = '2026-01-12T12:00:00Z';
const TODAY = '2026-01-12';

for (const engine of engines) {
  test(`${engine}: a case's deadlines`, async (s) => {
    const t = await testApp(engine);
    let w: CaseWorld;
    let people: { escalationLead: TestPerson; headOfRasso: TestPerson; otherForceLead: TestPerson };
    try {
      t.clock.set(START);
      w = await caseWorld(t);
      people = {
        escalationLead: await t.person({ email: 'mark@avs.example', name: 'Mark Ellis', roles: [[w.force, 'escalation_lead']] }),
        headOfRasso: await t.person({ email: 'rachel@cps.example', name: 'Rachel Moore', roles: [[w.area, 'head_of_rasso']] }),
        otherForceLead: await t.person({ email: 'owen@swp.example', name: 'Owen Price', roles: [[w.otherForce, 'escalation_lead']] }),
      };
    } catch (error) {
      await t.close();
      throw error;
    }
    const oic = () => [w.actor(w.oic), w.context(w.oic)] as const;
    /** A case with the whole team on it: OIC, supervisor, prosecutor and DCP. */
    const teamCase = (reference: string) =>
      w.cases.operator.createCase(systemContext(), {
        ...worldCase(w.force, w.area, w.oic.id, w.prosecutor.id, reference),
        team: [
          { userId: w.oic.id, organisationId: w.force, role: 'oic' },
          { userId: w.supervisor.id, organisationId: w.force, role: 'supervisor' },
          { userId: w.prosecutor.id, organisationId: w.area, role: 'prosecutor' },
          { userId: w.dcp.id, organisationId: w.area, role: 'dcp' },
        ],
      });
    const move = (caseId: string, stage: Stage) => w.moveAsCommand(caseId, stage);
    const deadlines = (caseId: string) => deadlinesFor(t.platform.db, CASE_SUBJECT, caseId);
    const sweep = () => sweepDeadlines(t.platform, t.clock.now());
    /** Who has been told about the case, one entry per notification, sorted. */
    const told = async (caseId: string) => {
      const rows = await t.database.db.selectFrom('notifications').select('user_id').where('subject_type', '=', CASE_SUBJECT).where('subject_id', '=', caseId).execute();
      return rows.map((r) => r.user_id).sort();
    };
    const sorted = (...ids: string[]) => [...ids].sort();

    try {
      await s.test('early advice opens its response deadline under the case’s force and Area; moving on meets it', async () => {
        const caseId = await teamCase('AS/20001/26');
        await move(caseId, 'early_advice');
        const [opened, ...others] = await deadlines(caseId);
        assert.equal(others.length, 0);
        assert.equal(opened!.ruleKey, 'early-advice.response');
        assert.equal(opened!.status, 'open');
        assert.equal(opened!.startedOn, TODAY);
        assert.equal(opened!.dueOn, addCalendarDays(TODAY, 21));
        assert.deepEqual([...opened!.organisationIds].sort(), [w.force, w.area].sort());
        const audits = await t.database.db.selectFrom('audit_events').select('details').where('action', '=', 'alter').where('object_id', '=', caseId).execute();
        assert.equal(audits.length, 1);
        assert.match(audits[0]!.details, /case\.stage\.change/);
        assert.match(audits[0]!.details, /"deadlinesOpened":1/);

        await move(caseId, 'charging_referral');
        const [met] = await deadlines(caseId);
        assert.equal(met!.status, 'met');
        assert.equal(met!.nextStepDueOn, null, 'a met deadline escalates no more');
      });

      await s.test('an action plan opens its review; the sweep tells the rule’s audience at 28, 56 and 90 days, each once', async () => {
        t.clock.set(START);
        const caseId = await teamCase('AS/20002/26');
        await move(caseId, 'early_advice');
        await move(caseId, 'charging_referral');
        await move(caseId, 'action_plan');
        const review = (await deadlines(caseId)).find((d) => d.ruleKey === 'action-plan.review')!;
        assert.equal(review.status, 'open');
        assert.equal(review.dueOn, addCalendarDays(TODAY, 28));

        t.clock.advance({ days: 27 });
        await sweep();
        assert.deepEqual(await told(caseId), [], 'nothing before the review is due');

        t.clock.advance({ days: 1 });
        await sweep();
        await sweep();
        assert.deepEqual(await told(caseId), sorted(w.oic.id, w.prosecutor.id), 'at 28 days the officer and prosecutor, once each');
        const text = await t.database.db.selectFrom('notifications').select('text').where('subject_id', '=', caseId).executeTakeFirstOrThrow();
        assert.match(text.text, /AS\/20002\/26/);
        assert.doesNotMatch(text.text, /Victim One|Suspect One/, 'a notification never names the people in the case');

        t.clock.advance({ days: 28 });
        await sweep();
        await sweep();
        assert.deepEqual(await told(caseId), sorted(w.oic.id, w.prosecutor.id, w.supervisor.id, w.dcp.id), 'at 56 days the supervisor and DCP as well');

        t.clock.advance({ days: 34 });
        await sweep();
        assert.deepEqual(
          await told(caseId),
          sorted(w.oic.id, w.prosecutor.id, w.supervisor.id, w.dcp.id, people.escalationLead.id, people.headOfRasso.id),
          'at 90 days the force’s escalation lead and the Area’s head of RASSO, and nobody from another force',
        );
        const [withSteps] = (await deadlines(caseId)).filter((d) => d.ruleKey === 'action-plan.review');
        assert.deepEqual(withSteps!.escalations.map((e) => e.step), ['review', 'escalate', 'senior-escalation']);
      });

      await s.test('closing the case cancels its open deadlines, and the sweep tells nobody anything more', async () => {
        t.clock.set(START);
        const caseId = await teamCase('AS/20003/26');
        await move(caseId, 'charging_referral');
        await move(caseId, 'action_plan');
        t.clock.advance({ days: 28 });
        await sweep();
        assert.deepEqual(await told(caseId), sorted(w.oic.id, w.prosecutor.id));
        await move(caseId, 'police_nfa');
        const [cancelled] = await deadlines(caseId);
        assert.equal(cancelled!.status, 'cancelled');
        t.clock.advance({ days: 100 });
        await sweep();
        assert.deepEqual(await told(caseId), sorted(w.oic.id, w.prosecutor.id), 'no escalation after the case closed');
      });

      await s.test('a stage move that fails (a stale version) leaves no deadline behind', async () => {
        t.clock.set(START);
        const caseId = await teamCase('AS/20004/26');
        const commands = createCaseCommands(t.platform);
        const loaded = await commands.load(...oic(), caseId, 'work');
        await w.cases.addPerson(...oic(), caseId, { category: 'witness', name: 'A Witness', dateOfBirth: { day: '', month: '', year: '' } }, Number(loaded.row.version));
        await assert.rejects(
          commands.command(...oic(), loaded, Number(loaded.row.version), async () => ({ events: [], stage: 'early_advice', audit: { action: 'alter', event: 'case.stage.change' } })),
          (error: unknown) => error instanceof Problem && error.type === 'conflict',
        );
        assert.deepEqual(await deadlines(caseId), []);
        assert.equal((await w.cases.caseFile(...oic(), caseId)).summary.stage, 'investigation');
      });

      await s.test('the case page and my cases show the deadlines, with overdue ones marked', async () => {
        t.clock.set(START);
        const caseId = await teamCase('AS/20005/26');
        let agent = await t.signIn(w.oic);
        await move(caseId, 'early_advice');
        const page = await agent.get(`/cases/${caseId}`);
        assert.equal(page.statusCode, 200);
        const due = formatDate(addCalendarDays(TODAY, 21));
        assert.match(page.body, new RegExp(`Early advice response</td>\\s*<td[^>]*>${due}</td>\\s*<td[^>]*><strong class="govuk-tag govuk-tag--blue">Open</strong></td>`));
        assert.doesNotMatch(page.body, /Overdue/);
        const mine = await agent.get('/cases');
        assert.match(mine.body, /Next deadline/);
        assert.match(mine.body, new RegExp(due));

        // A month on: the response is overdue and has been escalated.
        t.clock.advance({ days: 30 });
        await sweep();
        agent = await t.signIn(w.oic);
        const late = await agent.get(`/cases/${caseId}`);
        assert.match(late.body, /Open<\/strong> <strong class="govuk-tag govuk-tag--red">Overdue<\/strong>/);
        assert.match(late.body, /Early advice response is overdue \(/);
        assert.match((await agent.get('/cases')).body, new RegExp(`${due} <strong class="govuk-tag govuk-tag--red">Overdue</strong>`));

        await move(caseId, 'charging_referral');
        const met = await agent.get(`/cases/${caseId}`);
        assert.match(met.body, /govuk-tag--green">Met<\/strong>/);
        assert.doesNotMatch(met.body, /Overdue/);
      });
    } finally {
      await t.close();
    }
  });
}
