// Publishing and exchanging plans on both engines. Export then import of each
// shipped plan in CSV, XLSX and ODS gives an identical plan (compared field by
// field, ids and times aside), and so does a plan with everything a file
// carries (a lead, a target date, a withdrawn action, a dated update, Welsh
// letters, quotes, commas, line breaks and a would-be formula). A bad file
// answers what is wrong where and writes nothing. A published edition is the
// report as it was: later updates do not change it, and only plan leads of
// the owner publish, the revision they read.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { engines } from '../../../test/support/databases.ts';
import { readPdf } from '../../../test/support/pdf.ts';
import { snapshot } from '../../../test/support/snapshot.ts';
import { inTransaction } from '../../platform/db/transaction.ts';
import { Problem } from '../../platform/web/errors.ts';
import { writeShippedPlan } from '../service.ts';
import { shippedPlan, shippedPlans } from '../shipped.ts';
import { planTestApp } from '../test-support.ts';
import type { PlanWorld } from '../test-support.ts';
import { readCsv, writeCsv } from './files/csv.ts';
import { exchangeFormats } from './model.ts';
import { createPublishingService, readPlanData } from './service.ts';
import type { PlanData } from './service.ts';
import type { TestApp } from '../../../test/support/app.ts';

/** A plan as its file must rebuild it: everything but its id. */
const comparable = (data: PlanData | undefined) => {
  assert.ok(data);
  const { id: _, ...plan } = data.plan;
  return { plan, themes: data.themes };
};

async function problemOf(promise: Promise<unknown>): Promise<Problem> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof Problem) return error;
    throw error;
  }
  throw new Error('expected a problem');
}

/** Who imports a plan: a plan lead of the organisation that owns the original. */
const importerOf = (w: PlanWorld, ownerId: string) => (ownerId === w.national ? w.nationalLead : w.forceLead);

async function shippedPlanIds(t: TestApp, w: PlanWorld): Promise<Map<string, string>> {
  const refresh = await inTransaction(t.platform.db, (tx) => writeShippedPlan(tx, shippedPlan('jnap-refresh-2022'), { ownerOrganisationId: w.national, nextReviewOn: '2026-09-01', now: t.clock.now() }));
  return new Map([['jnap-2021', w.jnap], ['jnap-refresh-2022', refresh], ['jersey-2022-23', w.local]]);
}

for (const engine of engines) {
  test(`${engine}: export then import gives an identical plan, in CSV, XLSX and ODS`, async (s) => {
    const { t, w } = await planTestApp(engine);
    try {
      const publishing = createPublishingService(t.platform);
      const ids = await shippedPlanIds(t, w);
      assert.equal(ids.size, shippedPlans.length, 'every shipped plan');

      for (const [key, planId] of ids) {
        await s.test(key, async () => {
          const original = await readPlanData(t.platform.db, planId);
          const importer = importerOf(w, original!.plan.ownerOrganisationId);
          const count = shippedPlan(key).themes.reduce((n, theme) => n + theme.actions.length, 0);
          for (const format of exchangeFormats) {
            const file = await publishing.exportPlan(planId, format);
            const made = await publishing.importPlan(w.actor(importer), w.context(importer), { format, bytes: file.bytes });
            assert.equal(made.actions, count, `${format}: every action`);
            assert.deepEqual(comparable(await readPlanData(t.platform.db, made.planId)), comparable(original), `${format}: the same plan`);
            // And the imported plan exports to the very same file (bar the time a workbook says it was made).
            if (format === 'csv') assert.deepEqual((await publishing.exportPlan(made.planId, format)).bytes, file.bytes);
          }
        });
      }

      await s.test('a plan with everything a file carries', async () => {
        const db = t.platform.db;
        const actions = await db.selectFrom('plan_actions').select(['id', 'number']).where('plan_id', '=', w.local).orderBy('number').execute();
        const [first, second, third] = actions;
        await db.updateTable('plan_actions').set({ lead_user_id: w.forceLead.id, target_on: '2027-03-31', owners: JSON.stringify([{ label: 'SoJP, Public Protection Unit', organisationId: null }, { label: 'LOD', organisationId: null }]) }).where('id', '=', first!.id).execute();
        await db.updateTable('plan_actions').set({ withdrawn_on: '2026-02-01' }).where('id', '=', second!.id).execute();
        await db.updateTable('plan_actions').set({ text: '=SUM(A1:A2) is not a formula; "quoted", with commas,\nand a second line' }).where('id', '=', third!.id).execute();
        await db.updateTable('plan_themes').set({ description: 'Cefnogi dioddefwyr: ŵ, ŷ, â, ê, î, ô, û — “a’r” dyfyniadau' }).where('plan_id', '=', w.local).where('position', '=', 1).execute();
        const lead = w.forceLead;
        const version = (await w.plans.action(w.actor(lead), w.local, third!.id)).action.version;
        await w.plans.recordUpdate(w.actor(lead), w.context(lead), w.local, third!.id, { text: 'Diweddariad: hyfforddiant wedi’i drefnu.\n\n  Two lines, spaced.', status: 'yes' }, version);
        const original = await readPlanData(db, w.local);
        assert.equal(original!.themes[0]!.actions[1]!.withdrawnOn, '2026-02-01');
        assert.equal(original!.themes[0]!.actions[2]!.latestUpdate!.on, '2026-03-10');
        for (const format of exchangeFormats) {
          const file = await publishing.exportPlan(w.local, format);
          const made = await publishing.importPlan(w.actor(lead), w.context(lead), { format, bytes: file.bytes });
          assert.deepEqual(comparable(await readPlanData(db, made.planId)), comparable(original), format);
        }
        const csv = (await publishing.exportPlan(w.local, 'csv')).bytes;
        assert.deepEqual([...csv.subarray(0, 3)], [0xef, 0xbb, 0xbf], 'UTF-8 with a byte order mark');
        assert.match(csv.toString('utf8'), /"'=SUM\(A1:A2\) is not a formula; ""quoted"", with commas,\nand a second line"/);
      });

      await s.test('the import is journalled, with the plan made, its review clock and its history', async () => {
        const lead = w.forceLead;
        const file = await publishing.exportPlan(w.local, 'xlsx');
        const made = await publishing.importPlan(w.actor(lead), w.context(lead), { format: 'xlsx', bytes: file.bytes });
        const db = t.platform.db;
        const plan = await db.selectFrom('plans').selectAll().where('id', '=', made.planId).executeTakeFirstOrThrow();
        assert.deepEqual([plan.owner_organisation_id, plan.key, plan.next_review_on], [w.force, null, '2026-09-10']);
        const audit = await db.selectFrom('audit_events').select(['action', 'object_id', 'details']).where('object_id', '=', made.planId).execute();
        assert.deepEqual(audit.map((a) => a.action), ['collect']);
        assert.match(audit[0]!.details, /"format":"xlsx"/);
        const deadline = await db.selectFrom('deadlines').select(['rule_key', 'status']).where('subject_id', '=', made.planId).executeTakeFirstOrThrow();
        assert.deepEqual([deadline.rule_key, deadline.status], ['plans.review', 'open']);
        const history = await db.selectFrom('plan_updates').select(['kind', 'text']).where('plan_id', '=', made.planId).where('action_id', 'is', null).execute();
        assert.deepEqual(history, [{ kind: 'plan-created', text: 'Imported from a spreadsheet (XLSX)' }]);
      });
    } finally {
      await t.close();
    }
  });

  test(`${engine}: a bad file answers what is wrong where, and writes nothing`, async (s) => {
    const { t, w } = await planTestApp(engine);
    try {
      const publishing = createPublishingService(t.platform);
      const lead = w.forceLead;
      const good = (await publishing.exportPlan(w.local, 'csv')).bytes.toString('utf8');
      const before = await snapshot(t.platform.db, engine);
      const refused = async (format: 'csv' | 'xlsx' | 'ods', bytes: Uint8Array | string) => {
        const problem = await problemOf(publishing.importPlan(w.actor(lead), w.context(lead), { format, bytes: typeof bytes === 'string' ? Buffer.from(bytes) : bytes }));
        assert.equal(problem.type, 'validation');
        assert.ok(problem.fieldErrors.every((e) => e.field === 'file'));
        return problem.fieldErrors.map((e) => e.message);
      };
      // The file as a table, edited cell by cell and written back as CSV (rows counted as a spreadsheet does: headings on row 1).
      const table = readCsv(Buffer.from(good));
      const lines = good.split('\r\n');
      const at = (heading: string) => table[0]!.indexOf(heading);
      const edit = (row: number | 'every', heading: string, value: string) =>
        writeCsv(table.map((cells, i) => ((row === 'every' ? i > 0 : i === row - 1) ? cells.map((cell, c) => (c === at(heading) ? value : cell)) : cells)));

      await s.test('wrong columns', async () => {
        assert.deepEqual(await refused('csv', good.replace('Plan title', 'Plan name').replace(',Status,', ',State,')), [
          'Column A (“Plan name”) is not a column of a plan: remove it or correct its heading',
          'Column O (“State”) is not a column of a plan: remove it or correct its heading',
          'The file has no column for: Plan title, Status',
        ]);
        assert.deepEqual(await refused('csv', good.replace(',Theme,', ',Action,')), ['Column K repeats the column “Action”', 'The file has no column for: Theme']);
      });
      await s.test('a bad status, a duplicate number, a bad date and more', async () => {
        assert.equal(table[1]![at('Status')], 'In progress', 'the status of row 2');
        assert.deepEqual(await refused('csv', edit(2, 'Status', 'Done')), ['Row 2, column O (Status): “Done” is not a status of the scheme Yes / No / In progress: use No, In progress, Yes']);
        assert.deepEqual(await refused('csv', edit(3, 'Action number', '1')), ['Row 3, column J (Action number): action 1 is already on row 2']);
        assert.deepEqual(await refused('csv', edit(2, 'Target date', '31/02/2027')), ['Row 2, column N (Target date): “31/02/2027” must be a real date, like 2026-03-31']);
        assert.match((await refused('csv', edit(2, 'Lead (email)', 'nobody@example.org')))[0]!, /^Row 2, column M \(Lead \(email\)\): nobody@example.org is not the email address of anyone in your organisation/);
        assert.deepEqual(await refused('csv', edit(4, 'Plan title', 'Another plan')), ['Row 4, column A (Plan title): differs from row 2; every row is about the same plan, so leave it blank or the same']);
        assert.equal((await refused('csv', edit(2, 'Plan level', 'National'))).length, 19, 'row 2 is not held, and every other row differs from it');
        assert.deepEqual(await refused('csv', edit('every', 'Plan level', 'National')), ['Row 2, column B (Plan level): “National” plans are not held by your organisation: use Police force or Local']);
        assert.deepEqual(await refused('csv', edit(2, 'Action', '')), ['Row 2, column K (Action): enter a value']);
        assert.deepEqual(await refused('csv', edit('every', 'Review cycle (months)', 'six')), ['Row 2, column F (Review cycle (months)): “six” must be a whole number of months from 1 to 36']);
      });
      await s.test('every problem at once, up to a limit', async () => {
        const rows = table.map((cells, i) => (i === 0 ? cells : cells.map((cell, c) => (c === at('Status') ? 'Maybe' : cell))));
        const few = await refused('csv', writeCsv(rows));
        assert.equal(few.length, 19, 'one for each action');
        assert.ok(few.every((m) => m.includes('“Maybe” is not a status')));
        const many = await refused('csv', writeCsv(rows.map((cells, i) => (i === 0 ? cells : cells.map((cell, c) => (c === at('Target date') ? 'soon' : cell))))));
        assert.equal(many.length, 26);
        assert.equal(many.at(-1), 'And 13 more problems: fix these and upload the file again to see the rest');
      });
      await s.test('an empty file, a file of headings only, not a zip, a broken zip, not UTF-8, an unclosed quote', async () => {
        assert.deepEqual(await refused('csv', ''), ['The selected file is empty']);
        assert.deepEqual(await refused('csv', '\uFEFF\r\n,,,\r\n'), ['The selected file is empty']);
        assert.deepEqual(await refused('csv', lines[0]!), ['The file has a header row but no actions']);
        assert.deepEqual(await refused('xlsx', good), ['The selected file is not an Excel workbook (.xlsx) that can be read: save it again from your spreadsheet program']);
        assert.deepEqual(await refused('ods', good), ['The selected file is not an OpenDocument spreadsheet (.ods) that can be read: save it again from your spreadsheet program']);
        const xlsx = (await publishing.exportPlan(w.local, 'xlsx')).bytes;
        assert.deepEqual(await refused('xlsx', xlsx.subarray(0, xlsx.length - 100)), ['The selected file is not an Excel workbook (.xlsx) that can be read: save it again from your spreadsheet program']);
        assert.deepEqual(await refused('ods', xlsx), ['The selected file is not an OpenDocument spreadsheet (.ods) that can be read: save it again from your spreadsheet program']);
        assert.deepEqual(await refused('csv', xlsx), ['The selected file is a spreadsheet workbook, not a CSV file: upload it with its own .xlsx or .ods name, or save it as CSV']);
        assert.match((await refused('csv', Buffer.from('Plan title\r\ncaf\xe9', 'latin1')))[0]!, /not UTF-8 text/);
        assert.deepEqual(await refused('csv', `${lines[0]}\r\n"unclosed,1`), ['The file is not valid CSV: a quoted value starting on row 2 is never closed']);
      });
      await s.test('nothing was written', async () => {
        assert.deepEqual(await snapshot(t.platform.db, engine), before);
      });
      await s.test('someone who is not a plan lead may not import, and the refusal is journalled', async () => {
        const problem = await problemOf(publishing.importPlan(w.actor(w.investigator), w.context(w.investigator), { format: 'csv', bytes: Buffer.from(good) }));
        assert.equal(problem.type, 'forbidden');
        const denial = await t.platform.db.selectFrom('audit_events').select(['action', 'actor_user_id']).orderBy('seq', 'desc').executeTakeFirstOrThrow();
        assert.deepEqual(denial, { action: 'deny', actor_user_id: w.investigator.id });
      });
    } finally {
      await t.close();
    }
  });

  test(`${engine}: publishing a progress report`, async (s) => {
    const { t, w } = await planTestApp(engine);
    try {
      const publishing = createPublishingService(t.platform);
      const lead = w.forceLead;

      await s.test('the report is the plan in its published layout', async () => {
        const { report, revision, token, mayPublish, nextEdition } = await publishing.report(w.actor(lead), w.local);
        assert.equal(mayPublish, true);
        assert.equal(nextEdition, 1);
        assert.match(revision, /^[0-9a-f]{32}$/);
        assert.equal(token, `${revision}-1`);
        assert.deepEqual(report.themes.map((theme) => theme.title), shippedPlan('jersey-2022-23').themes.map((theme) => theme.title));
        assert.equal(report.statusHeading, 'Complete?');
        const first = report.themes[0]!.actions[0]!;
        assert.deepEqual([first.number, first.status, first.statusName], [1, 'in_progress', 'In progress']);
        assert.equal(first.update?.text, shippedPlan('jersey-2022-23').themes[0]!.actions[0]!.update);
        assert.equal((await publishing.report(w.actor(w.investigator), w.local)).mayPublish, false);
      });

      await s.test('only plan leads of the owner publish, and refusals are journalled', async () => {
        const { token } = await publishing.report(w.actor(lead), w.local);
        for (const person of [w.nationalLead, w.investigator, w.nationalAdministrator]) {
          assert.equal((await problemOf(publishing.publish(w.actor(person), w.context(person), w.local, token))).type, 'forbidden');
        }
        const denials = await t.platform.db.selectFrom('audit_events').select('actor_user_id').where('action', '=', 'deny').execute();
        assert.ok([w.nationalLead, w.investigator, w.nationalAdministrator].every((p) => denials.some((d) => d.actor_user_id === p.id)));
        assert.equal((await problemOf(publishing.publish(w.actor(lead), w.context(lead), '01890000-0000-7000-8000-000000000000', token))).type, 'not-found');
      });

      await s.test('an edition is the report as published, and never changes', async () => {
        const { report, revision, token } = await publishing.report(w.actor(lead), w.local);
        // Pressed twice at once: one edition, and the second press is told to look again.
        const presses = await Promise.allSettled([1, 2].map(() => publishing.publish(w.actor(lead), w.context(lead), w.local, token)));
        const published = presses.filter((p) => p.status === 'fulfilled').map((p) => p.value);
        assert.equal(published.length, 1, JSON.stringify(presses.map((p) => p.status === 'rejected' ? String(p.reason) : 'published')));
        assert.ok(presses.some((p) => p.status === 'rejected' && p.reason instanceof Problem && p.reason.type === 'conflict'));
        assert.equal((await problemOf(publishing.publish(w.actor(lead), w.context(lead), w.local, token))).type, 'conflict', 'and again later');
        const edition = published[0]!;
        assert.deepEqual([edition.edition, edition.publishedOn, edition.publishedBy], [1, '2026-03-10', 'Elise Renouf']);
        const db = t.platform.db;
        const journal = await db.selectFrom('audit_events').select(['action', 'details']).where('object_id', '=', w.local).orderBy('seq', 'desc').executeTakeFirstOrThrow();
        assert.equal(journal.action, 'disclose');
        assert.match(journal.details, new RegExp(edition.id));
        const history = await db.selectFrom('plan_updates').select(['kind', 'text', 'recorded_by']).where('plan_id', '=', w.local).where('kind', '=', 'published').execute();
        assert.deepEqual(history, [{ kind: 'published', text: 'Edition 1 of the progress report published', recorded_by: lead.id }]);

        // The plan moves on: the edition does not.
        const action = report.themes[0]!.actions[0]!;
        const actionId = (await db.selectFrom('plan_actions').select('id').where('plan_id', '=', w.local).where('number', '=', action.number).executeTakeFirstOrThrow()).id;
        const version = (await w.plans.action(w.actor(lead), w.local, actionId)).action.version;
        await w.plans.recordUpdate(w.actor(lead), w.context(lead), w.local, actionId, { text: 'Training delivered in October.', status: 'yes' }, version);
        const stored = await publishing.edition(w.local, edition.id);
        assert.deepEqual(stored.report, report);
        const now = await publishing.report(w.actor(lead), w.local);
        assert.notEqual(now.revision, revision);
        assert.equal(now.report.themes[0]!.actions[0]!.statusName, 'Yes');

        // Publishing what was read before the change is refused: the lead looks again.
        assert.equal((await problemOf(publishing.publish(w.actor(lead), w.context(lead), w.local, `${revision}-2`))).type, 'conflict');
        assert.equal((await problemOf(publishing.publish(w.actor(lead), w.context(lead), w.local, null))).type, 'conflict');
        assert.equal((await problemOf(publishing.publish(w.actor(lead), w.context(lead), w.local, `${now.revision}-1`))).type, 'conflict', 'edition 1 is taken');
        const second = await publishing.publish(w.actor(lead), w.context(lead), w.local, now.token);
        assert.equal(second.edition, 2);
        const { editions } = await publishing.editions(w.local);
        assert.deepEqual(editions.map((e) => e.edition), [2, 1]);
        assert.equal((await publishing.edition(w.local, edition.id)).report.themes[0]!.actions[0]!.statusName, 'In progress');
        assert.equal((await problemOf(publishing.edition(w.jnap, edition.id))).type, 'not-found');
      });

      await s.test('the PDF of an edition reads back: title, language, tags, every action', async () => {
        const [latest] = (await publishing.editions(w.local)).editions;
        const { bytes, fileName } = await publishing.editionPdf(w.local, latest!.id);
        assert.equal(fileName, 'jersey-rasso-action-plan-2022-23-progress-report-edition-2.pdf');
        const pdf = await readPdf(bytes);
        assert.equal(pdf.title, 'Jersey RASSO Action Plan 2022/23: progress report: edition 2');
        assert.equal(pdf.marked, true);
        assert.ok(bytes.includes('/Lang (en-GB)'));
        const tree = JSON.stringify(pdf.tree);
        for (const role of ['"H1"', '"H2"', '"Table"', '"TR"', '"TH"', '"TD"']) assert.ok(tree.includes(role), role);
        assert.match(pdf.text, /Published on 10 March 2026 by Elise Renouf/);
        for (const action of shippedPlan('jersey-2022-23').themes.flatMap((theme) => theme.actions)) {
          assert.ok(pdf.text.includes(`${action.number}. ${action.text.slice(0, 20)}`), `action ${action.number}`);
        }
      });
    } finally {
      await t.close();
    }
  });
}
