// The report pages on both engines, as the people who use them: a plan lead
// starts a report and writes commentary; the escalation lead is shown what
// stops a sign-off (GOV.UK error summary), signs off and publishes; the
// national analyst then reads it, with small counts suppressed; a stale form
// is a conflict; the print view has no actions; reopening needs a reason.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { engines } from '../../../test/support/databases.ts';
import { readPdf } from '../../../test/support/pdf.ts';
import { QUARTER, assuranceTestApp } from './test-support.ts';

const version = (html: string) => /name="version" value="(\d+)"/.exec(html)?.[1] ?? '';

for (const engine of engines) {
  test(`${engine}: quarterly assurance report pages`, async (s) => {
    const { t, w } = await assuranceTestApp(engine);
    try {
      const lead = await t.signIn(w.forceLead);
      const signer = await t.signIn(w.escalationLead);
      const national = await t.signIn(w.nationalAnalyst);
      const investigator = await t.signIn(w.investigator);
      let reportUrl = '';

      await s.test('a plan lead starts the report for a quarter that has ended', async () => {
        const list = await lead.get('/assurance');
        assert.equal(list.statusCode, 200);
        assert.match(list.body, /Start a report/);
        assert.match(list.body, /Q1 is April to June/);
        const form = await lead.get('/assurance/new');
        assert.equal(form.statusCode, 200);
        assert.match(form.body, /value="2026-27-q2" checked/);
        assert.match(form.body, /Q2 2026\/27 \(July to September 2026\)/);
        const refused = await lead.post('/assurance/new', { quarter: '2026-27-q3' });
        assert.equal(refused.statusCode, 400);
        assert.match(refused.body, /govuk-error-summary/);
        assert.match(refused.body, /href="#quarter">Q3 2026\/27 \(October to December 2026\) has not ended yet/);
        const made = await lead.post('/assurance/new', { quarter: QUARTER });
        assert.equal(made.statusCode, 303);
        reportUrl = String(made.headers.location);
        assert.match(reportUrl, /^\/assurance\/[0-9a-f-]{36}$/);
        assert.equal((await signer.get('/assurance/new')).statusCode, 403, 'escalation leads do not draft');
        assert.equal((await investigator.get('/assurance')).statusCode, 403);
      });

      await s.test('the draft shows each section with captioned tables, definitions, data vintage and suppressed small counts', async () => {
        const page = await lead.get(reportUrl);
        assert.equal(page.statusCode, 200);
        assert.match(page.body, /The draft report was started/);
        for (const text of [
          '<h1 class="govuk-heading-l">Quarterly assurance report: Q2 2026/27 (July to September 2026)</h1>', 'Avon and Somerset Police',
          'Jersey RASSO Action Plan 2022/23', 'Supporting RASSO victims', 'Plan actions past their target date', 'action 3 (target 31 August 2026, status No)',
          'Commentary needed before sign-off', 'Early advice timeliness', 'How this is measured', 'answered on day 21 is within 21 days, on day 22 it is not',
          '16: Evidential difficulties: victim does not support action', 'fewer than 5', 'Refresh the figures', 'Print view',
        ]) assert.ok(page.body.includes(text), text);
        assert.match(page.body, /<caption class="govuk-table__caption govuk-table__caption--s">Police decisions of no further action in the quarter, by outcome code<\/caption>/);
        assert.match(page.body, /Figures computed on 6 October 2026 at 10(:\d\d)?am\./);
        const nfa = page.body.slice(page.body.indexOf('Police decisions of no further action in the quarter'), page.body.indexOf('CPS decisions not to charge in the quarter'));
        assert.match(nfa, /16: Evidential difficulties[^<]*<\/td>\s*<td class="govuk-table__cell govuk-table__cell--numeric">fewer than 5<\/td>/);
        assert.doesNotMatch(nfa, />3</, 'the exact count of 3 is not shown');
        assert.ok(!page.body.includes('Sign off the report'), 'plan leads do not sign off');
      });

      await s.test('commentary: saved with a flash; a stale form is a conflict', async () => {
        const url = `${reportUrl}/commentary/summary`;
        const form = await lead.get(url);
        assert.equal(form.statusCode, 200);
        const stale = version(form.body);
        const saved = await lead.post(url, { version: stale, text: 'A steady quarter for the unit.' });
        assert.deepEqual([saved.statusCode, saved.headers.location], [303, `${reportUrl}#summary`]);
        const again = await lead.post(url, { version: stale, text: 'Overwrite?' });
        assert.equal(again.statusCode, 409);
        assert.match(again.body, /Someone else changed this report/);
        assert.match((await lead.get(reportUrl)).body, /A steady quarter for the unit\./);
        const empty = await lead.post(`${reportUrl}/commentary/exception.plan-actions-overdue`, { version: version((await lead.get(`${reportUrl}/commentary/exception.plan-actions-overdue`)).body), text: '' });
        assert.equal(empty.statusCode, 400);
        assert.match(empty.body, /href="#text">Enter commentary explaining the exception/);
        assert.equal((await lead.get(`${reportUrl}/commentary/nonsense`)).statusCode, 404);
      });

      await s.test('the national analyst cannot see the draft', async () => {
        assert.equal((await national.get(reportUrl)).statusCode, 404);
        assert.doesNotMatch((await national.get('/assurance')).body, /Avon and Somerset Police/);
      });

      await s.test('sign-off shows what stops it, then signs off; publishing follows', async () => {
        const form = await signer.get(`${reportUrl}/sign-off`);
        assert.equal(form.statusCode, 200);
        assert.match(form.body, /Commentary needed before sign-off/);
        const blocked = await signer.post(`${reportUrl}/sign-off`, { version: version(form.body) });
        assert.equal(blocked.statusCode, 400);
        assert.match(blocked.body, /href="#exception-plan-actions-overdue">Add commentary explaining the exception/);
        const exceptionForm = await lead.get(`${reportUrl}/commentary/exception.plan-actions-overdue`);
        assert.equal((await lead.post(`${reportUrl}/commentary/exception.plan-actions-overdue`, { version: version(exceptionForm.body), text: 'Moved to 2027 with the new ISVA contract.' })).statusCode, 303);
        const ready = await signer.get(`${reportUrl}/sign-off`);
        assert.match(ready.body, /explained/);
        assert.equal((await signer.post(`${reportUrl}/sign-off`, { version: version(ready.body) })).statusCode, 303);
        assert.equal((await lead.get(`${reportUrl}/refresh`)).statusCode, 409, 'a signed-off report is not a draft');
        const publish = await signer.get(`${reportUrl}/publish`);
        assert.equal(publish.statusCode, 200);
        const published = await signer.post(`${reportUrl}/publish`, { version: version(publish.body) });
        assert.deepEqual([published.statusCode, published.headers.location], [303, reportUrl]);
        const page = await signer.get(reportUrl);
        assert.match(page.body, /The report was published/);
        assert.match(page.body, /This version is published and can no longer be changed/);
      });

      await s.test('the national analyst reads the published report and its print view', async () => {
        const list = await national.get('/assurance');
        assert.match(list.body, /Avon and Somerset Police/);
        const page = await national.get(reportUrl);
        assert.equal(page.statusCode, 200);
        assert.match(page.body, /Moved to 2027 with the new ISVA contract\./);
        assert.ok(!page.body.includes('Add commentary') && !page.body.includes('Reopen'));
        const print = await national.get(`${reportUrl}/versions/1/print`);
        assert.equal(print.statusCode, 200);
        assert.match(print.body, /This is the print view of the report/);
        for (const action of ['Reopen the report', 'Add commentary', 'Change commentary', 'Print view', 'Download as PDF']) assert.ok(!print.body.includes(action), `no "${action}" in the print view`);
        const pdf = await national.get(`${reportUrl}/versions/1/pdf`);
        assert.equal(pdf.statusCode, 200);
        assert.equal(pdf.headers['content-type'], 'application/pdf');
        assert.match(String(pdf.headers['content-disposition']), /attachment; filename="assurance-avon-and-somerset-police-2026-27-q2-v1\.pdf"/);
        const read = await readPdf(pdf.rawPayload);
        assert.equal(read.title, 'Avon and Somerset Police: Quarterly assurance report: Q2 2026/27 (July to September 2026)');
        assert.equal(read.marked, true, 'a tagged PDF');
        for (const text of ['Moved to 2027 with the new ISVA contract.', 'fewer than 5', 'Police decisions of no further action in the quarter, by outcome code']) assert.ok(read.text.replace(/\s+/g, ' ').includes(text), text);
        assert.equal((await national.get(`${reportUrl}/versions/2`)).statusCode, 404);
        assert.equal((await national.get(`${reportUrl}/versions/nope`)).statusCode, 404);
      });

      await s.test('reopening needs a reason and makes version 2', async () => {
        const form = await lead.get(`${reportUrl}/reopen`);
        assert.equal(form.statusCode, 200);
        const refused = await lead.post(`${reportUrl}/reopen`, { version: version(form.body), reason: '' });
        assert.equal(refused.statusCode, 400);
        assert.match(refused.body, /href="#reason">Enter why the report is being reopened/);
        const reopened = await lead.post(`${reportUrl}/reopen`, { version: version(form.body), reason: 'The summary left out the JOIM’s findings.' });
        assert.equal(reopened.statusCode, 303);
        const page = await lead.get(reportUrl);
        assert.match(page.body, /Version 2 was made: it is a draft/);
        assert.match(page.body, /The summary left out the JOIM’s findings\./);
        const first = await lead.get(`${reportUrl}/versions/1`);
        assert.match(first.body, /You are reading version 1\. A later version is available/);
        assert.equal((await national.get(reportUrl)).statusCode, 200, 'version 1 is still there nationally');
      });
    } finally {
      await t.close();
    }
  });
}
