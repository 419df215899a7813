// A victim's journey end to end in a real browser, as the people around her
// work: each signs in through the pages in a browser of their own and then
// follows links and buttons, filling in the forms. axe (WCAG 2.2 AA) runs on
// every page each of them reaches, and no page may log a console error or a
// Content Security Policy violation.
//
// The officer records the victim's ISVA and agrees a communication plan with
// them (Welsh, no post to home, no voicemail, a safe email, every 7 days);
// the officer, the CPS Victim Liaison Officer and the ISVA each log a contact
// into one timeline; a missed contact shows as overdue; the case closes as
// police NFA; a Welsh NFA letter is previewed, made, read back from its PDF
// and sent by the safe email after an unsafe post to home is refused; and a
// right-to-review request under the police scheme reopens the case.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { after, before, test } from 'node:test';
import { readPdf } from '../support/pdf.ts';
import type { Browser } from 'playwright-core';
import { browserMissing, launchBrowser } from '../support/browser.ts';
import { button, daysFrom, fillDate, proposeOutcome16, recordWithdrawal, requestEarlyAdvice, runJourney, signOffNoFurtherAction, summaryValue } from '../support/journey.ts';
import type { User } from '../support/journey.ts';
import { engines } from '../support/databases.ts';
import { worldCase } from '../../src/cases/test-support.ts';
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

const link = (user: User, name: string) => user.page.getByRole('link', { name, exact: true });
/** A tab of the case's own sub-navigation. */
const caseTab = (user: User, name: string) => user.page.getByRole('navigation', { name: 'Parts of the case' }).getByRole('link', { name, exact: true });
/** A part of the victim's records, from the victim's sub-navigation. */
const victimTab = (user: User, name: string) => user.page.getByRole('navigation', { name: 'The victim’s records' }).getByRole('link', { name, exact: true });
const group = (user: User, name: string) => user.page.getByRole('group', { name, exact: true });



/** From the home page (or, for those whose home page has no link, the typed address of My cases): the case, its Victims tab and the victim. */
async function openVictim(user: User, baseUrl: string, reference: string, typed = false): Promise<void> {
  if (typed) {
    await user.page.goto(`${baseUrl}/cases`);
    await user.check();
  } else {
    await user.follow(link(user, 'My cases'));
  }
  await user.follow(link(user, reference));
  await user.follow(caseTab(user, 'Victims'));
  await user.follow(link(user, 'Victim One'));
}

/** Logs a contact through the contact form of the victim's Keeping in touch page. */
async function logContact(user: User, on: string, at: string, method: string, summary: string): Promise<void> {
  await user.follow(button(user, 'Log a contact with the victim'));
  await fillDate(user.page, 'on', on);
  await user.page.getByLabel('Time', { exact: true }).fill(at);
  await group(user, 'How you contacted the victim').getByLabel(method, { exact: true }).check();
  await group(user, 'Did you reach the victim?').getByLabel('Yes', { exact: true }).check();
  await user.page.getByLabel('Summary of the contact').fill(summary);
  await user.submit('Log the contact');
  assert.ok(await user.page.getByText('Contact logged').first().isVisible(), await user.page.locator('main').innerText());
}

for (const engine of engines) {
  test(`${engine}: a victim's plan, contacts, a missed contact, a Welsh NFA letter and a right to review that reopens the case, through the pages`, { skip: browserMissing, timeout: 300_000 }, async () => {
    const problems = await runJourney(browser, engine, true, async ({ served, w, signIn }) => {
      const { t } = served;
      const reference = 'AS/20010/26';
      const caseId = await w.cases.operator.createCase(systemContext(), {
        ...worldCase(w.force, w.area, w.oic.id, w.prosecutor.id, reference),
        team: [
          { userId: w.oic.id, organisationId: w.force, role: 'oic' }, { userId: w.supervisor.id, organisationId: w.force, role: 'supervisor' },
          { userId: w.prosecutor.id, organisationId: w.area, role: 'prosecutor' }, { userId: w.vlo.id, organisationId: w.area, role: 'vlo' },
        ],
      });
      const yesterday = daysFrom(t.clock.now(), -1);

      // 1. The officer records the victim's ISVA, then the plan agreed with her.
      const oic = await signIn(w.oic);
      await openVictim(oic, served.baseUrl, reference);
      await oic.follow(victimTab(oic, 'Keeping in touch'));
      await oic.follow(button(oic, 'Record who supports this victim'));
      await oic.page.getByLabel('Isla Grant, Bristol ISVA service').check();
      await oic.submit('Save');
      assert.ok(await oic.page.getByText('Who supports the victim has been recorded').isVisible());
      await oic.follow(button(oic, 'Agree the communication plan'));
      await oic.page.getByLabel('How often the victim is to be updated, in days').fill('7');
      for (const method of ['Phone call', 'Email', 'In person']) await group(oic, 'How the victim agreed to be contacted').getByLabel(method, { exact: true }).check();
      for (const who of ['Officer in the case', 'Victim Liaison Officer (CPS)', 'ISVA']) await group(oic, 'Who updates the victim').getByLabel(who, { exact: true }).check();
      await oic.page.getByLabel('Welsh (Cymraeg)').check();
      await oic.page.getByLabel('Never leave a voicemail').check();
      await oic.page.getByLabel('Never post anything to the victim’s home address').check();
      await oic.page.getByLabel('Safe email address (optional)').fill('safe.contact@example.org');
      await fillDate(oic.page, 'agreedOn', londonDate(t.clock.now()));
      await oic.page.getByLabel('The plan was agreed with Isla Grant, the victim’s ISVA').check();
      await oic.submit('Save the plan');
      assert.ok(await oic.page.getByText('Communication plan saved').isVisible());
      assert.equal((await summaryValue(oic.page, 'Preferred language').innerText()).trim(), 'Welsh (Cymraeg)');
      assert.equal((await summaryValue(oic.page, 'Agreed with the ISVA').innerText()).trim(), 'Isla Grant');
      assert.equal((await summaryValue(oic.page, 'Post to home address').innerText()).trim(), 'Never post to home');

      // 2. Contacts by the officer, the VLO and the ISVA, into one timeline.
      await logContact(oic, yesterday, '10:00', 'Phone call', 'Told her the suspect has been interviewed.');
      const vlo = await signIn(w.vlo);
      await openVictim(vlo, served.baseUrl, reference, true);
      await vlo.follow(victimTab(vlo, 'Keeping in touch'));
      await logContact(vlo, yesterday, '11:00', 'Email', 'Explained what the CPS does next.');
      const isva = await signIn(w.isva);
      await isva.follow(link(isva, 'My clients'));
      await isva.follow(link(isva, 'Victim One'));
      await isva.follow(victimTab(isva, 'Keeping in touch'));
      await logContact(isva, yesterday, '12:00', 'In person', 'Met her at the ISVA service.');
      const titles = (await isva.page.locator('.moj-timeline__title').allInnerTexts()).map((s) => s.trim());
      for (const title of ['Phone call by Sam Taylor (Officer in the case, police)', 'Email by Tom Bennett (Victim Liaison Officer, CPS)', 'In person by Isla Grant (ISVA, ISVA)']) {
        assert.ok(titles.includes(title), `“${title}” is not on the timeline: ${titles.join(' | ')}`);
      }
      const nextDue = daysFrom(new Date(`${yesterday}T12:00:00Z`), 7);
      assert.match(await summaryValue(isva.page, 'Next contact due').innerText(), new RegExp(String(Number(nextDue.slice(8)))));

      // 3. The next contact is missed: it is overdue on the victim's records and in the officer's queue.
      t.clock.advance({ days: 8 });
      await sweepDeadlines(t.platform, t.clock.now());
      const officer = await signIn(w.oic);
      await officer.follow(link(officer, 'Due soon and overdue'));
      const missed = officer.page.locator('main .govuk-table__body .govuk-table__row').filter({ hasText: reference }).filter({ hasText: 'Contact with the victim due' });
      assert.equal(await missed.count(), 1, await officer.page.locator('main').innerText());
      assert.match(await missed.innerText(), /Overdue/);
      await officer.follow(link(officer, 'Home'));
      await openVictim(officer, served.baseUrl, reference);
      assert.match(await summaryValue(officer.page, 'Overdue').innerText(), /contact was due on/);
      await officer.follow(victimTab(officer, 'Keeping in touch'));
      assert.match(await officer.page.locator('.govuk-warning-text').innerText(), /contact was due on/);

      // 4. The case closes as police NFA: the withdrawal with the conversation, outcome 16 proposed, the supervisor signs off.
      // Referred to the CPS before (early advice, through the service), so a joint meeting is needed too.
      await requestEarlyAdvice(t, w, caseId);
      const today = londonDate(t.clock.now());
      await officer.follow(victimTab(officer, 'Withdrawal'));
      await recordWithdrawal(officer, today, 'Yes');
      await officer.follow(caseTab(officer, 'Police NFA'));
      await proposeOutcome16(officer, today);
      const supervisor = await signIn(w.supervisor);
      await supervisor.follow(link(supervisor, 'My cases'));
      await supervisor.follow(link(supervisor, reference));
      await supervisor.follow(caseTab(supervisor, 'Police NFA'));
      await signOffNoFurtherAction(supervisor, today);

      // The officer previews the Welsh NFA letter, makes it and reads its PDF.
      await officer.follow(caseTab(officer, 'Victims'));
      await officer.follow(link(officer, 'Victim One'));
      await officer.follow(victimTab(officer, 'Letters'));
      await officer.follow(button(officer, 'Make a letter').or(link(officer, 'Make a letter')).first());
      await officer.page.getByLabel('Police decision of no further action, with the right to review').check();
      assert.ok(await officer.page.getByLabel('Welsh (Cymraeg)').isChecked(), 'the plan’s preferred language is chosen');
      await officer.page.getByLabel('How can the victim contact you?').fill('0117 496 0000');
      await officer.submit('Preview letter');
      const preview = officer.page.locator('.app-letter[lang="cy"]');
      assert.match(await preview.innerText(), /Eich hawl i ofyn am adolygiad/);
      assert.match(await preview.innerText(), new RegExp(`Cyfeirnod y drosedd: ${reference}`));
      await officer.submit('Make letter');
      assert.ok(await officer.page.getByText('Letter made').first().isVisible());
      const downloading = officer.page.waitForEvent('download');
      await link(officer, 'Download the letter as a PDF').click();
      const download = await downloading;
      const { text } = await readPdf(await readFile((await download.path())!));
      assert.ok(text.includes('Eich hawl i ofyn am adolygiad'), text);
      assert.ok(text.includes('Annwyl Victim One'), text);
      assert.ok(text.replace(/ /g, '').includes(`Cyfeirnody drosedd:${reference}`.replace(/ /g, '')), text);
      assert.ok(!text.includes('Suspect One'), 'a letter to the victim never names the suspect');

      // Posting it home is refused by the plan's rule; the safe email is accepted.
      await officer.follow(button(officer, 'Record how the letter was sent').or(link(officer, 'Record how the letter was sent')).first());
      await officer.page.getByLabel('Post to the home address').check();
      await officer.submit('Record sending');
      const summary = officer.page.locator('.govuk-error-summary');
      assert.match(await summary.innerText(), /There is a problem/);
      assert.match(await summary.innerText(), /cannot be posted to the victim’s home: the communication plan says no post to the home address/);
      await officer.page.getByLabel('Email to the safe email address').check();
      await officer.submit('Record sending');
      assert.ok(await officer.page.getByText('Sending recorded').first().isVisible());
      assert.match(await summaryValue(officer.page, 'Sent to').innerText(), /safe email address/);
      assert.equal((await summaryValue(officer.page, 'Status').innerText()).trim(), 'Sent');

      // 5. The victim asks for a review under the police scheme: recorded, acknowledged, and overturned by the supervisor.
      await officer.follow(victimTab(officer, 'Right to review'));
      await officer.follow(button(officer, 'Record a request for review'));
      await officer.page.getByLabel('Police scheme').check();
      await fillDate(officer.page, 'toldOn', today);
      await fillDate(officer.page, 'receivedOn', today);
      await officer.submit('Record request');
      assert.ok(await officer.page.getByText('Request for review recorded').isVisible());
      await officer.follow(button(officer, 'Acknowledge the request'));
      await fillDate(officer.page, 'acknowledgedOn', today);
      await officer.submit('Record acknowledgement');
      assert.ok(await officer.page.getByText('Right-to-review request acknowledged').or(officer.page.getByText('acknowledg', { exact: false })).first().isVisible());

      await supervisor.follow(caseTab(supervisor, 'Victims'));
      await supervisor.follow(link(supervisor, 'Victim One'));
      await supervisor.follow(victimTab(supervisor, 'Right to review'));
      await supervisor.follow(button(supervisor, 'Record the outcome of the review'));
      await supervisor.page.getByLabel('Decision overturned: case reopened').check();
      await fillDate(supervisor.page, 'decidedOn', today);
      await supervisor.page.getByLabel('Reasons for the decision').fill('The victim’s account was not weighed against the new CCTV.');
      await supervisor.submit('Record outcome');
      assert.ok(await supervisor.page.getByText('Outcome of the review recorded').isVisible());
      await supervisor.follow(caseTab(supervisor, 'Overview'));
      assert.equal((await summaryValue(supervisor.page, 'Stage').first().innerText()).trim(), 'Investigation');
    });
    assert.deepEqual(problems, []);
  });
}
