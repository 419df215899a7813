// The joint case file end to end in a real browser, as its users work: each
// person signs in through the pages in a browser of their own and then only
// follows links and buttons from their case, filling in the forms. axe
// (WCAG 2.2 AA) runs on every page each of them reaches, and no page may log
// a console error or a Content Security Policy violation.
//
// 1. Early advice with an action plan, the plan answered and reviewed, a
//    full-code-test referral, triage and a charge: with JavaScript, and
//    again with JavaScript switched off to show every form works without it.
// 2. A case referred to the CPS before closes as police NFA (outcome 16).
// 3. An action plan nobody answers: the sweep escalates it at 28 and 56 days,
//    the officer and the supervisor are told, and the case page shows both.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { browserMissing, launchBrowser } from '../support/browser.ts';
import { button, daysFrom, fillDate, proposeOutcome16, recordWithdrawal, requestEarlyAdvice, runJourney, signOffNoFurtherAction, summaryValue } from '../support/journey.ts';
import type { Journey, User } from '../support/journey.ts';
import { engines } from '../support/databases.ts';
import { worldCase } from '../../src/cases/test-support.ts';
import { createEarlyAdviceService } from '../../src/cases/early-advice/service.ts';
import { sweepDeadlines } from '../../src/platform/deadlines/sweep.ts';
import { systemContext } from '../../src/platform/audit/model.ts';
import { londonDate } from '../../src/platform/time/working-days.ts';

let browser: Browser | undefined;
before(async () => {
  if (!browserMissing) browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
});

const journey = (engine: (typeof engines)[number], javaScriptEnabled: boolean, body: (j: Journey) => Promise<void>) => runJourney(browser, engine, javaScriptEnabled, body);

/** From the home page: My cases, then the case by its reference. */
async function openCase(user: User, reference: string): Promise<void> {
  await user.follow(user.page.getByRole('link', { name: 'My cases', exact: true }));
  await user.follow(user.page.getByRole('link', { name: reference, exact: true }));
  assert.ok(await user.page.getByRole('heading', { level: 1, name: reference }).isVisible());
}

const tab = (user: User, name: string) => user.page.locator('.moj-sub-navigation').getByRole('link', { name, exact: true });



async function timelineTitles(page: Page): Promise<string[]> {
  return (await page.locator('.moj-timeline__title').allInnerTexts()).map((text) => text.trim());
}

/** Journey 1: early advice with a plan of two actions, answered and reviewed, then a referral, triage and a charge. */
async function adviceToCharge(j: Journey): Promise<void> {
  const { w, served } = j;
  const reference = 'AS/20001/26';
  await w.cases.operator.createCase(systemContext(), worldCase(w.force, w.area, w.oic.id, w.prosecutor.id, reference));
  const oic = await j.signIn(w.oic);
  const prosecutor = await j.signIn(w.prosecutor);

  // The officer opens the case at Investigation and requests early advice.
  await openCase(oic, reference);
  assert.equal((await summaryValue(oic.page, 'Stage').innerText()).trim(), 'Investigation');
  await oic.follow(button(oic, 'Request early advice'));
  await oic.page.getByLabel('CPS unique reference number (URN), if known').fill('52AB2000126');
  const request = {
    'Summary of the facts': 'The victim reports a rape by an acquaintance after a party.',
    'Lines of enquiry completed': 'ABE interview; suspect interviewed under caution.',
    'Lines of enquiry ongoing, with timescales': 'Phone download, four weeks.',
    'Lines of enquiry planned, with timescales': 'House-to-house enquiries, two weeks.',
    'Issues, including the suspect’s account': 'The suspect says the victim consented.',
    'Questions for the prosecutor': 'Is the CCTV from the venue needed before a charging decision?',
    'Key material (ABE interview, suspect interview)': 'ABE interview; suspect interview.',
    'Potentially disclosable material': 'Counselling notes have been requested.',
  };
  for (const [label, text] of Object.entries(request)) await oic.page.getByLabel(label, { exact: true }).fill(text);
  await oic.submit('Send the request');
  assert.equal(new URL(oic.page.url()).pathname.endsWith('/early-advice'), true);
  assert.ok(await oic.page.getByText('Early advice requested').first().isVisible());

  // The prosecutor accepts the request and gives advice with an action plan of two actions.
  await openCase(prosecutor, reference);
  assert.equal((await summaryValue(prosecutor.page, 'Stage').innerText()).trim(), 'Early advice');
  await prosecutor.follow(button(prosecutor, 'Early advice'));
  await prosecutor.follow(button(prosecutor, 'Accept or reject the request'));
  await prosecutor.page.getByLabel('Accept it: advice will follow').check();
  await prosecutor.submit('Save');
  await prosecutor.follow(button(prosecutor, 'Give early advice'));
  await prosecutor.page.getByLabel('Your advice').fill('Gather the CCTV and the taxi driver’s account, then refer for a full code test decision.');
  const now = served.t.clock.now();
  const actions = ['Obtain the CCTV from the venue.', 'Take a statement from the taxi driver.'];
  for (const [index, description] of actions.entries()) {
    const n = index + 1;
    await prosecutor.page.locator(`#items-${n}-description`).fill(description);
    await prosecutor.page.locator(`input[name="items-${n}-owner"][value="police"]`).check();
    await fillDate(prosecutor.page, `items-${n}-dueOn`, daysFrom(now, 21 + index * 7));
  }
  await prosecutor.submit('Give the advice');
  assert.ok(await prosecutor.page.getByText('Early advice given').or(prosecutor.page.getByText('Early advice updated')).first().isVisible());

  // The officer answers both actions from the case's action plans.
  await oic.follow(tab(oic, 'Overview'));
  assert.equal((await summaryValue(oic.page, 'Stage').innerText()).trim(), 'Action plan: pending further information (PRFI)');
  await oic.follow(tab(oic, 'Action plans'));
  for (const n of [1, 2]) {
    await oic.follow(oic.page.getByRole('link', { name: `Respond to this action Action ${n}`, exact: true }));
    await oic.page.getByLabel('Complete it').check();
    await oic.page.getByLabel('Your query or response').fill(n === 1 ? 'CCTV obtained and exhibited.' : 'Statement taken from the taxi driver.');
    await oic.submit('Save');
  }

  // The prosecutor reviews both: the plan is answered.
  await prosecutor.follow(tab(prosecutor, 'Action plans'));
  for (const n of [1, 2]) {
    await prosecutor.follow(prosecutor.page.getByRole('link', { name: `Review this action Action ${n}`, exact: true }));
    await prosecutor.page.getByLabel('Accept the response').check();
    await prosecutor.submit('Save');
  }
  assert.ok(await prosecutor.page.getByText('Every action is complete and reviewed').isVisible());
  assert.equal((await summaryValue(prosecutor.page, 'Status').first().innerText()).trim(), 'Answered');

  // The officer refers the case for a full code test decision.
  await oic.follow(tab(oic, 'Overview'));
  await oic.follow(button(oic, 'Refer for a charging decision'));
  await oic.page.getByLabel('Full Code Test').check();
  await oic.page.getByLabel('Suspect One').check();
  await oic.submit('Refer the case');
  assert.ok(await oic.page.getByText('The case was referred for a charging decision').isVisible());

  // The prosecutor records the triage and charges the suspect.
  await prosecutor.follow(tab(prosecutor, 'Overview'));
  await prosecutor.follow(button(prosecutor, 'Record the charging decision'));
  await prosecutor.follow(button(prosecutor, 'Record the file-quality triage'));
  for (const item of ['MG3 (report to the prosecutor) complete and signed by a supervisor', 'Key evidence summarised, including the victim’s account and the suspect’s interview']) {
    await prosecutor.page.getByLabel(item).check();
  }
  await prosecutor.page.getByLabel('Accepted for review').check();
  await prosecutor.submit('Record the triage');
  await prosecutor.follow(button(prosecutor, 'Record the charging decision'));
  await prosecutor.page.getByRole('radio', { name: /^Suspect One/ }).check();
  await prosecutor.page.getByLabel('Charge', { exact: true }).check();
  await prosecutor.page.getByLabel('Offence charged', { exact: true }).selectOption({ label: 'Rape of a person aged 16 or over' });
  await prosecutor.page.getByLabel('Wording of the offence charged').fill('Rape contrary to section 1(1) of the Sexual Offences Act 2003');
  await prosecutor.page.getByLabel('Reasons for the decision').fill('The full code test is met.');
  await prosecutor.submit('Record the decision');
  assert.ok(await prosecutor.page.getByText('The charging decision was recorded').isVisible());

  // The case is charged, and its timeline tells the story.
  await prosecutor.follow(tab(prosecutor, 'Overview'));
  assert.equal((await summaryValue(prosecutor.page, 'Stage').innerText()).trim(), 'Charged');
  const titles = await timelineTitles(prosecutor.page);
  for (const title of [
    'Early advice requested', 'Early advice request accepted', 'Action plan issued', 'Early advice given', 'Action completed', 'Action reviewed',
    'Action plan answered', 'Referred for a charging decision', 'File-quality triage recorded', 'Charging decision',
  ]) assert.ok(titles.includes(title), `“${title}” is not on the timeline: ${titles.join(' | ')}`);
  assert.equal(titles.filter((t) => t === 'Action completed').length, 2);
  assert.equal(titles.filter((t) => t === 'Action reviewed').length, 2);
  // Newest first: the charge comes before the request.
  assert.ok(titles.indexOf('Charging decision') < titles.indexOf('Early advice requested'), titles.join(' | '));
}

for (const engine of engines) {
  test(`${engine}: early advice, an action plan answered and reviewed, a referral and a charge, through the pages`, { skip: browserMissing, timeout: 300_000 }, async (t) => {
    let visited: string[] = [];
    const problems = await journey(engine, true, async (j) => {
      await adviceToCharge(j);
      visited = j.visited;
    });
    t.diagnostic(`checked ${visited.length} pages:\n${visited.join('\n')}`);
    assert.deepEqual(problems, []);
  });

  test(`${engine}: the same journey's forms work with JavaScript switched off`, { skip: browserMissing, timeout: 300_000 }, async () => {
    const problems = await journey(engine, false, adviceToCharge);
    assert.deepEqual(problems, []);
  });

  test(`${engine}: a case referred to the CPS before closes as police NFA after a joint meeting, through the pages`, { skip: browserMissing, timeout: 300_000 }, async () => {
    const problems = await journey(engine, true, async (j) => {
      const { w, served } = j;
      const reference = 'AS/20002/26';
      const caseId = await w.cases.operator.createCase(systemContext(), {
        ...worldCase(w.force, w.area, w.oic.id, w.prosecutor.id, reference),
        team: [{ userId: w.oic.id, organisationId: w.force, role: 'oic' }, { userId: w.supervisor.id, organisationId: w.force, role: 'supervisor' }, { userId: w.prosecutor.id, organisationId: w.area, role: 'prosecutor' }],
      });
      // Referred to the CPS before: the officer asked for early advice.
      await requestEarlyAdvice(served.t, w, caseId);
      const today = londonDate(served.t.clock.now());

      // Outcome 16 needs the victim's withdrawal on her records first, with the conversation with her.
      const oic = await j.signIn(w.oic);
      await openCase(oic, reference);
      await oic.follow(tab(oic, 'Victims'));
      await oic.follow(oic.page.getByRole('link', { name: 'Victim One', exact: true }));
      await oic.follow(tab(oic, 'Withdrawal'));
      await recordWithdrawal(oic, today, 'No');

      // The officer proposes outcome 16, with the joint meeting and the contact with the victim.
      await oic.follow(tab(oic, 'Police NFA'));
      await proposeOutcome16(oic, today);

      // The supervisor signs it off.
      const supervisor = await j.signIn(w.supervisor);
      await openCase(supervisor, reference);
      await supervisor.follow(tab(supervisor, 'Police NFA'));
      await signOffNoFurtherAction(supervisor, today);

      await supervisor.follow(tab(supervisor, 'Overview'));
      assert.equal((await summaryValue(supervisor.page, 'Stage').innerText()).trim(), 'No further action (police)');
      const titles = await timelineTitles(supervisor.page);
      for (const title of ['Contact with the victim recorded', 'No further action proposed', 'No further action signed off', 'Police decision of no further action']) {
        assert.ok(titles.includes(title), `“${title}” is not on the timeline: ${titles.join(' | ')}`);
      }
      // The scrutiny panel and the victim's letter are queued (however the timeline words them).
      assert.ok(titles.some((title) => /scrutiny/i.test(title)), `no scrutiny event on the timeline: ${titles.join(' | ')}`);
      assert.ok(titles.some((title) => /letter/i.test(title)), `no victim-letter event on the timeline: ${titles.join(' | ')}`);
    });
    assert.deepEqual(problems, []);
  });

  test(`${engine}: an unanswered action plan is escalated at 28 and 56 days, to the officer and then the supervisor`, { skip: browserMissing, timeout: 300_000 }, async () => {
    const problems = await journey(engine, true, async (j) => {
      const { w, served } = j;
      const { t } = served;
      const reference = 'AS/20003/26';
      const caseId = await w.cases.operator.createCase(systemContext(), {
        ...worldCase(w.force, w.area, w.oic.id, w.prosecutor.id, reference),
        team: [{ userId: w.oic.id, organisationId: w.force, role: 'oic' }, { userId: w.supervisor.id, organisationId: w.force, role: 'supervisor' }, { userId: w.prosecutor.id, organisationId: w.area, role: 'prosecutor' }],
      });
      // Early advice with an action plan, made through the services.
      const requested = await requestEarlyAdvice(t, w, caseId);
      const due = daysFrom(t.clock.now(), 14).split('-');
      await createEarlyAdviceService(t.platform).advise(w.actor(w.prosecutor), w.context(w.prosecutor), caseId, requested.id, {
        advice: 'Get the CCTV.', items: [{ description: 'Obtain the CCTV from the venue.', owner: 'police', dueOn: { year: due[0]!, month: due[1]!, day: due[2]! } }],
      }, requested.version);

      const steps = (page: Page) => page.locator('.govuk-table__row').filter({ hasText: 'Action plan review' }).locator('.govuk-table__cell').nth(3);
      const notifications = (page: Page) => page.locator('main .govuk-table__body .govuk-table__row');

      // 28 days on: the review step tells the officer and the prosecutor.
      t.clock.advance({ days: 28 });
      const first = await sweepDeadlines(t.platform, t.clock.now());
      assert.ok(first.escalations >= 1, JSON.stringify(first));
      const oic = await j.signIn(w.oic);
      // Nothing in the pages links to the notifications yet: the officer goes there by its address.
      await oic.page.goto(`${served.baseUrl}/notifications`);
      await oic.check();
      const told = notifications(oic.page).filter({ hasText: `${reference}: Action plan 28-day review` });
      assert.equal(await told.count(), 1, await notifications(oic.page).allInnerTexts().then((rows) => rows.join('\n')));
      await oic.follow(told.getByRole('link'));
      assert.equal(new URL(oic.page.url()).pathname, `/cases/${caseId}`);
      assert.match(await steps(oic.page).innerText(), /Action plan 28-day review/);
      assert.doesNotMatch(await steps(oic.page).innerText(), /56 days/);
      await oic.follow(oic.page.getByRole('link', { name: 'Home', exact: true }));

      // 56 days on: the escalation tells the supervisor.
      t.clock.advance({ days: 28 });
      const second = await sweepDeadlines(t.platform, t.clock.now());
      assert.ok(second.escalations >= 1, JSON.stringify(second));
      const supervisor = await j.signIn(w.supervisor);
      await supervisor.page.goto(`${served.baseUrl}/notifications`);
      await supervisor.check();
      const escalated = notifications(supervisor.page).filter({ hasText: `${reference}: Action plan unanswered at 56 days` });
      assert.equal(await escalated.count(), 1, await notifications(supervisor.page).allInnerTexts().then((rows) => rows.join('\n')));
      assert.equal(await notifications(supervisor.page).filter({ hasText: '28-day review' }).count(), 0, 'the 28-day step is for the officer and prosecutor only');
      await supervisor.follow(escalated.getByRole('link'));
      const both = await steps(supervisor.page).innerText();
      assert.match(both, /Action plan 28-day review/);
      assert.match(both, /Action plan unanswered at 56 days/);

      // The officer, signed in again after the idle timeout, sees the plan is still open.
      const again = await j.signIn(w.oic);
      await openCase(again, reference);
      assert.match(await steps(again.page).innerText(), /unanswered at 56 days/);
      await again.follow(tab(again, 'Action plans'));
      assert.equal((await summaryValue(again.page, 'Status').first().innerText()).trim(), 'Issued');
    });
    assert.deepEqual(problems, []);
  });
}
