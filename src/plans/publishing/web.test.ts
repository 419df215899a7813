// The publishing pages on both engines, as a plan lead and a reader would use
// them: the plan page links to the report, its editions and downloads; the
// report in its themes' tables; publishing through a confirmation page (and
// the conflict when the plan moved on); an edition that does not change; the
// PDFs and spreadsheets as downloads; and importing a plan through a file
// upload posted as a multipart form (without JavaScript), with the GOV.UK
// error summary naming row and column, and the platform's CSRF check on it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { engines } from '../../../test/support/databases.ts';
import { readPdf } from '../../../test/support/pdf.ts';
import type { Agent } from '../../../test/support/app.ts';
import { planTestApp } from '../test-support.ts';
import { readCsv, writeCsv } from './files/csv.ts';

/** A multipart form as a browser sends it: fields, then the file. */
function multipart(fields: Record<string, string>, file?: { name: string; type: string; bytes: Uint8Array }) {
  const form = new FormData();
  for (const [name, value] of Object.entries(fields)) form.append(name, value);
  if (file) form.append('file', new Blob([file.bytes], { type: file.type }), file.name);
  const request = new Request('http://localhost/', { method: 'POST', body: form });
  return { contentType: request.headers.get('content-type')!, body: request.arrayBuffer() };
}

async function upload(agent: Agent, fields: Record<string, string>, file?: { name: string; type: string; bytes: Uint8Array }) {
  const { contentType, body } = multipart(fields, file);
  return agent.request({ method: 'POST', url: '/plans/import', headers: { 'content-type': contentType }, payload: Buffer.from(await body) });
}

const csvFile = (bytes: Uint8Array, name = 'plan.csv') => ({ name, type: 'text/csv', bytes });

for (const engine of engines) {
  test(`${engine}: progress report, publishing, editions and downloads`, async (s) => {
    const { t, w } = await planTestApp(engine);
    try {
      const reader = await t.signIn(w.investigator);
      const lead = await t.signIn(w.forceLead);
      const otherLead = await t.signIn(w.nationalLead);
      const base = `/plans/${w.local}`;

      await s.test('the plan page links to its report, editions and downloads', async () => {
        const page = await reader.get(base);
        assert.equal(page.statusCode, 200);
        for (const href of [`${base}/progress-report`, `${base}/editions`, `${base}/export/csv`, `${base}/export/xlsx`, `${base}/export/ods`]) assert.ok(page.body.includes(`href="${href}"`), href);
        assert.ok((await lead.get('/plans')).body.includes('href="/plans/import"'));
        assert.ok(!(await reader.get('/plans')).body.includes('href="/plans/import"'));
      });

      await s.test('the report: each theme a table of Action | Update | Complete?, headed by the action', async () => {
        const page = await reader.get(`${base}/progress-report`);
        assert.equal(page.statusCode, 200);
        assert.match(page.body, /<h1 class="govuk-heading-l">Progress report<\/h1>/);
        assert.match(page.body, /As at 10 March 2026/);
        assert.match(page.body, /<caption class="govuk-table__caption govuk-visually-hidden">Supporting RASSO victims: actions, updates and whether each is complete<\/caption>/);
        assert.match(page.body, /<th scope="col" class="govuk-table__header">Action<\/th>\s*<th scope="col" class="govuk-table__header">Update<\/th>\s*<th scope="col" class="govuk-table__header">Complete\?<\/th>/);
        assert.match(page.body, /<th scope="row" class="govuk-table__header">1\. Deliver joint police and LOD training/);
        assert.ok(!page.body.includes('Publish this report'), 'no publishing for a reader');
        assert.match((await lead.get(`${base}/progress-report`)).body, new RegExp(`href="${base}/publish"`));
        assert.equal((await reader.get(`${base}/publish`)).statusCode, 403);
        assert.equal((await otherLead.get(`${base}/publish`)).statusCode, 403);
        const pdf = await reader.get(`${base}/progress-report/pdf`);
        assert.deepEqual([pdf.statusCode, pdf.headers['content-type'], pdf.headers['content-disposition']], [200, 'application/pdf', 'attachment; filename="jersey-rasso-action-plan-2022-23-progress-report.pdf"']);
        assert.equal((await readPdf(pdf.rawPayload)).title, 'Jersey RASSO Action Plan 2022/23: progress report');
      });

      let editionUrl = '';
      await s.test('publishing through the confirmation page; a stale one is a conflict', async () => {
        const form = await lead.get(`${base}/publish`);
        assert.equal(form.statusCode, 200);
        assert.match(form.body, /You are publishing edition 1 of the progress report of Jersey RASSO Action Plan 2022\/23, as it stands now: 4 themes, 19 actions\./);
        const revision = /name="revision" value="([0-9a-f]{32}-1)"/.exec(form.body)![1]!;
        // Someone updates an action before the lead presses the button.
        const action = (await w.plans.plan(w.actor(w.forceLead), w.local)).themes[0]!.actions[0]!;
        await w.plans.recordUpdate(w.actor(w.forceLead), w.context(w.forceLead), w.local, action.id, { text: 'Training delivered.', status: 'yes' }, action.version);
        const stale = await lead.post(`${base}/publish`, { revision });
        assert.equal(stale.statusCode, 409);
        assert.match(stale.body, /govuk-error-summary/);
        assert.match(stale.body, /href="#publish">The plan has changed since you opened this page/);
        assert.match(stale.body, /Training delivered\./, 'the report shown again is the plan as it is now');
        const fresh = /name="revision" value="([0-9a-f]{32}-1)"/.exec(stale.body)![1]!;
        const done = await lead.post(`${base}/publish`, { revision: fresh });
        assert.equal(done.statusCode, 303);
        editionUrl = String(done.headers.location);
        assert.match(editionUrl, new RegExp(`^${base}/editions/[0-9a-f-]{36}$`));
        const edition = await lead.get(editionUrl);
        assert.match(edition.body, /Edition 1 of the progress report was published/);
        assert.match(edition.body, /Published on 10 March 2026 by Elise Renouf\./);
      });

      await s.test('an edition reads as published after the plan moves on', async () => {
        const action = (await w.plans.plan(w.actor(w.forceLead), w.local)).themes[0]!.actions[1]!;
        await w.plans.recordUpdate(w.actor(w.forceLead), w.context(w.forceLead), w.local, action.id, { text: 'A later update, after publication.', status: '' }, action.version);
        const edition = await reader.get(editionUrl);
        assert.equal(edition.statusCode, 200);
        assert.match(edition.body, /Training delivered\./);
        assert.ok(!edition.body.includes('A later update, after publication.'));
        assert.match((await reader.get(`${base}/progress-report`)).body, /A later update, after publication\./);
        const list = await reader.get(`${base}/editions`);
        assert.match(list.body, new RegExp(`<a class="govuk-link" href="${editionUrl}">Edition 1</a>`));
        const pdf = await reader.get(`${editionUrl}/pdf`);
        assert.equal(pdf.statusCode, 200);
        const text = (await readPdf(pdf.rawPayload)).text;
        assert.match(text, /Training delivered\./);
        assert.ok(!text.includes('A later update, after publication.'));
        assert.equal((await reader.get(`/plans/${w.jnap}/editions/${editionUrl.split('/').at(-1)}`)).statusCode, 404);
      });

      await s.test('downloads in each format; an unknown one is not found', async () => {
        const csv = await reader.get(`${base}/export/csv`);
        assert.deepEqual([csv.statusCode, csv.headers['content-type'], csv.headers['content-disposition']], [200, 'text/csv', 'attachment; filename="jersey-rasso-action-plan-2022-23.csv"']);
        const xlsx = await reader.get(`${base}/export/xlsx`);
        assert.equal(xlsx.headers['content-type'], 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
        assert.equal(xlsx.rawPayload.subarray(0, 2).toString(), 'PK');
        assert.equal((await reader.get(`${base}/export/ods`)).headers['content-type'], 'application/vnd.oasis.opendocument.spreadsheet');
        assert.equal((await reader.get(`${base}/export/pdf`)).statusCode, 404);
      });
    } finally {
      await t.close();
    }
  });

  test(`${engine}: importing a plan from a spreadsheet`, async (s) => {
    const { t, w } = await planTestApp(engine);
    try {
      const lead = await t.signIn(w.forceLead);
      const reader = await t.signIn(w.investigator);
      const csv = (await reader.get(`/plans/${w.local}/export/csv`)).rawPayload;

      await s.test('the form: a GOV.UK file upload in a multipart form with the CSRF token', async () => {
        const page = await lead.get('/plans/import');
        assert.equal(page.statusCode, 200);
        assert.match(page.body, /<form method="post" enctype="multipart\/form-data" novalidate>/);
        assert.match(page.body, /<input class="govuk-file-upload" id="file" name="file" type="file"/);
        assert.match(page.body, /The plan is made as a new plan owned by States of Jersey Police/);
        assert.equal((await reader.get('/plans/import')).statusCode, 403);
      });

      await s.test('without the CSRF token, or with another’s, the upload is refused', async () => {
        assert.equal((await upload(lead, {}, csvFile(csv))).statusCode, 403);
        assert.equal((await upload(lead, { _csrf: reader.csrfToken }, csvFile(csv))).statusCode, 403);
        assert.equal((await t.platform.db.selectFrom('plans').select('id').execute()).length, 2);
      });

      await s.test('no file, a file of another kind, and a file with problems: the error summary says where', async () => {
        const none = await upload(lead, { _csrf: lead.csrfToken });
        assert.equal(none.statusCode, 400);
        assert.match(none.body, /href="#file">Select a spreadsheet to import/);
        const empty = await upload(lead, { _csrf: lead.csrfToken }, { name: '', type: 'application/octet-stream', bytes: new Uint8Array(0) });
        assert.match(empty.body, /href="#file">Select a spreadsheet to import/);
        const pdf = await upload(lead, { _csrf: lead.csrfToken }, { name: 'plan.pdf', type: 'application/pdf', bytes: Buffer.from('%PDF-1.7') });
        assert.match(pdf.body, /href="#file">The selected file must be a CSV, XLSX or ODS file/);
        const table = readCsv(csv);
        const status = table[0]!.indexOf('Status');
        const bad = writeCsv(table.map((row, i) => (i === 3 ? row.map((cell, c) => (c === status ? 'Sort of' : cell)) : row)));
        const refused = await upload(lead, { _csrf: lead.csrfToken }, csvFile(bad));
        assert.equal(refused.statusCode, 400);
        assert.match(refused.body, /<title>Error: Import a plan from a spreadsheet/);
        assert.match(refused.body, /href="#file">Row 4, column O \(Status\): “Sort of” is not a status of the scheme Yes \/ No \/ In progress: use No, In progress, Yes<\/a>/);
        assert.match(refused.body, /govuk-error-message/);
        const notZip = await upload(lead, { _csrf: lead.csrfToken }, { name: 'plan.xlsx', type: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', bytes: csv });
        assert.match(notZip.body, /href="#file">The selected file is not an Excel workbook \(.xlsx\) that can be read/);
        assert.equal((await t.platform.db.selectFrom('plans').select('id').execute()).length, 2, 'nothing was made');
      });

      await s.test('a good file makes the plan, for the lead’s organisation', async () => {
        const ods = (await reader.get(`/plans/${w.local}/export/ods`)).rawPayload;
        const made = await upload(lead, { _csrf: lead.csrfToken }, { name: 'Jersey plan.ODS', type: '', bytes: ods });
        assert.equal(made.statusCode, 303, made.body.slice(0, 500));
        const location = String(made.headers.location);
        assert.match(location, /^\/plans\/[0-9a-f-]{36}$/);
        const page = await lead.get(location);
        assert.match(page.body, /The plan was imported: 19 actions in 4 themes/);
        assert.match(page.body, /Jersey RASSO Action Plan 2022\/23/);
        assert.match(page.body, /Imported from a spreadsheet \(ODS\)/);
      });
    } finally {
      await t.close();
    }
  });
}
