// Letters to a victim on both engines: the case side only (the victim's ISVA
// is told they do not exist); previews merged from the records and refused
// when a merge field has no value; letters keep the text and template version
// they were made with; English and Welsh PDFs read back with their text,
// title, language and tags; a download audited; unsafe ways of sending
// refused with nothing written; sending journalled as a disclosure.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { engines } from '../../../test/support/databases.ts';
import { readPdf } from '../../../test/support/pdf.ts';
import { newId } from '../../platform/db/ids.ts';
import { problemOf } from '../../cases/test-support.ts';
import '../web.ts';
import * as victims from '../repository.ts';
import type { VictimCommunicationPlansTable } from '../tables.ts';
import { victimTestApp } from '../test-support.ts';
import { parseTemplate, shippedTemplates } from './model.ts';
import { createLettersService } from './service.ts';

for (const engine of engines) {
  test(`${engine}: letters to a victim`, async (s) => {
    const { t, w } = await victimTestApp(engine);
    try {
      t.clock.set('2026-03-10T12:00:00Z');
      const { db } = t.platform;
      const later = parseTemplate({ key: 'hello', version: 2, effectiveFrom: '2026-04-01', from: 'police', fields: ['victimName', 'contactDetails'], title: { en: 'Hello again', cy: 'Helo eto' }, blocks: [{ kind: 'p', en: 'Dear {{victimName}}, call {{contactDetails}}', cy: 'Annwyl {{victimName}}, ffoniwch {{contactDetails}}' }] }, 'test');
      const letters = createLettersService(t.platform, [...shippedTemplates, later]);
      const as = (p: typeof w.oic) => [w.actor(p), w.context(p)] as const;
      const version = async () => (await letters.letters(...as(w.oic), w.caseId, w.victimId)).v.summary.version;
      const plan = async (revision: number, over: Partial<VictimCommunicationPlansTable>) => victims.insertPlan(db, {
        id: newId(), case_id: w.caseId, victim_id: w.victimId, revision, frequency_days: 14, methods: JSON.stringify(['letter']), updaters: JSON.stringify(['oic']), preferred_language: 'en',
        no_voicemail: 0, no_post_to_home: 0, safe_address: null, safe_phone: null, safe_email: null, other_rules: '', agreed_on: '2026-03-01', agreed_with_isva_user_id: null, change_reason: null,
        recorded_by_user_id: w.oic.id, recorded_at: t.clock.now().toISOString(), ...over,
      });
      await w.support(w.victimId);
      const hello = { template: 'hello', language: 'en', contactDetails: '0117 496 0000' };

      await s.test('the ISVA, even the victim’s own, is told letters do not exist', async () => {
        for (const who of [as(w.isva), w.asOtherIsva]) {
          assert.equal((await problemOf(letters.letters(...who, w.caseId, w.victimId))).type, 'not-found');
          assert.equal((await problemOf(letters.preview(...who, w.caseId, w.victimId, hello))).type, 'not-found');
        }
        assert.equal((await problemOf(letters.letters(...as(w.analyst), w.caseId, w.victimId))).type, 'not-found');
      });

      await s.test('the preview merges the records; no merge field may be missing; the other side’s letters are not offered', async () => {
        const { text, template } = await letters.preview(...as(w.oic), w.caseId, w.victimId, hello);
        const all = JSON.stringify(text);
        assert.equal(template.version, 1);
        for (const part of ['10 March 2026', 'Dear Victim One,', 'Crime reference: AS/10001/25', 'Avon and Somerset Police', '0117 496 0000', 'Isla Grant of Bristol ISVA service']) assert.ok(all.includes(part), part);
        assert.ok(!/Suspect One/i.test(all));
        assert.equal((await problemOf(letters.preview(...as(w.oic), w.caseId, w.victimId, { ...hello, contactDetails: '' }))).fieldErrors[0]?.field, 'contactDetails');
        const noDecision = await problemOf(letters.preview(...as(w.oic), w.caseId, w.victimId, { ...hello, template: 'police-nfa' }));
        assert.match(noDecision.fieldErrors.map((e) => e.message).join(), /without the date of the decision/);
        assert.equal((await problemOf(letters.preview(...as(w.oic), w.caseId, w.victimId, { ...hello, template: 'cps-no-charge' }))).fieldErrors[0]?.field, 'template');
        const naming = await problemOf(letters.preview(...as(w.oic), w.caseId, w.victimId, { ...hello, contactDetails: 'me, not Suspect One' }));
        assert.match(naming.fieldErrors[0]!.message, /never name a suspect/);
        assert.equal((await letters.preview(...as(w.supervisor), w.caseId, w.victimId, hello)).template.key, 'hello', 'a police supervisor may');
        assert.deepEqual((await letters.choices(...as(w.prosecutor), w.caseId, w.victimId)).templates.map((t) => t.key), ['cps-no-charge']);
      });

      let helloId = '';
      await s.test('making a letter stores its text and version; a later template version leaves it as it was', async () => {
        const made = await letters.create(...as(w.oic), w.caseId, w.victimId, hello, await version());
        helloId = made.id;
        const event = await db.selectFrom('case_events').select(['type', 'data']).where('case_id', '=', w.caseId).where('type', '=', 'victims.letters.created').executeTakeFirstOrThrow();
        assert.deepEqual(JSON.parse(event.data), { victimId: w.victimId, letterId: made.id, template: 'hello', version: 1, language: 'en' });
        t.clock.set('2026-04-02T12:00:00Z');
        const again = await letters.create(...as(w.oic), w.caseId, w.victimId, hello, await version());
        const { letters: list } = await letters.letters(...as(w.oic), w.caseId, w.victimId);
        assert.deepEqual(list.map((l) => [l.id, l.version, l.text.title]), [[again.id, 2, 'Hello again'], [made.id, 1, 'Your contact in the police investigation']]);
        assert.equal((await problemOf(letters.create(...as(w.oic), w.caseId, w.victimId, hello, 1))).type, 'conflict');
      });

      await s.test('English and Welsh PDFs read back: text with Welsh letters, title, language and tags', async () => {
        const english = await readPdf((await letters.pdf(...as(w.oic), w.caseId, w.victimId, helloId)).bytes);
        assert.match(english.text, /Your contact in the police investigation/);
        assert.match(english.text, /We will not send anything to your home if you have asked us not to/);
        assert.equal(english.title, 'Your contact in the police investigation');
        assert.ok(english.tree && JSON.stringify(english.tree).includes('"H1"'), 'a structure tree with the heading');
        assert.equal(english.marked, true);

        await w.moveAsCommand(w.caseId, 'police_nfa', w.supervisor);
        const cy = { template: 'police-nfa', language: 'cy', contactDetails: 'Gorsaf yr Heddlu, Heol y Tŵr' };
        const welsh = await letters.create(...as(w.oic), w.caseId, w.victimId, cy, await version());
        const { bytes } = await letters.pdf(...as(w.oic), w.caseId, w.victimId, welsh.id);
        const read = await readPdf(bytes);
        assert.match(read.text, /Penderfyniad i beidio â chymryd camau pellach/);
        assert.match(read.text, /erbyn 2 Gorffennaf 2026/, 'three months from the decision on 2 April 2026');
        assert.match(read.text, /Heol y Tŵr/);
        assert.match(read.text, /gynllun Hawl Dioddefwyr i Adolygu/);
        assert.equal(read.title, 'Penderfyniad i beidio â chymryd camau pellach, a’ch hawl i ofyn am adolygiad');
        assert.ok(bytes.includes('/StructTreeRoot') && bytes.includes('/MarkInfo') && bytes.includes('/Lang (cy)'));
        assert.ok(!read.text.includes('Suspect One'));
        const download = await db.selectFrom('audit_events').select(['action', 'details']).where('actor_user_id', '=', w.oic.id).orderBy('seq', 'desc').executeTakeFirstOrThrow();
        assert.equal(download.action, 'consult');
        assert.match(download.details, new RegExp(welsh.id));
        // Without the journal entry there is no PDF.
        const failing = createLettersService({ ...t.platform, audit: { ...t.platform.audit, audited: async () => Promise.reject(new Error('journal unavailable')) } });
        await assert.rejects(failing.pdf(...as(w.oic), w.caseId, w.victimId, welsh.id), /journal unavailable/);
        // The shipped Hello letter (the test's second version is in force by now).
        const shipped = createLettersService(t.platform);
        const helloCy = await shipped.create(...as(w.oic), w.caseId, w.victimId, { ...hello, language: 'cy' }, await version());
        assert.match((await readPdf((await letters.pdf(...as(w.oic), w.caseId, w.victimId, helloCy.id)).bytes)).text, /Ni fyddwn yn anfon dim i’ch tŷ/);
      });

      await s.test('unsafe ways of sending are refused naming the rule, and nothing is written', async () => {
        const before = await db.selectFrom('case_events').select((e) => e.fn.countAll().as('n')).where('case_id', '=', w.caseId).executeTakeFirstOrThrow();
        const refused = async (method: string, rule: RegExp) => {
          const problem = await problemOf(letters.dispatch(...as(w.oic), w.caseId, w.victimId, helloId, { method }, await version()));
          assert.equal(problem.type, 'validation', method);
          assert.match(problem.fieldErrors[0]!.message, rule);
        };
        await refused('post_home', /no agreed communication plan/);
        await plan(1, { no_post_to_home: 1, methods: JSON.stringify(['letter', 'phone']), safe_email: 'safe@example.org' });
        await refused('post_home', /no post to the home address/);
        await refused('post_safe_address', /has no safe address/);
        await refused('email_safe', /has not agreed to contact by email/);
        await refused('through_isva', /has not agreed to contact by through their isva/);
        const after = await db.selectFrom('case_events').select((e) => e.fn.countAll().as('n')).where('case_id', '=', w.caseId).executeTakeFirstOrThrow();
        assert.equal(Number(after.n), Number(before.n));
        assert.equal((await letters.letter(...as(w.oic), w.caseId, w.victimId, helloId)).letter.status, 'draft');
        assert.equal(await db.selectFrom('audit_events').select('id').where('action', '=', 'disclose').executeTakeFirst(), undefined);
        assert.equal((await problemOf(letters.dispatch(...as(w.prosecutor), w.caseId, w.victimId, helloId, { method: 'in_person' }, await version()))).type, 'forbidden', 'a police letter is sent by the police');
      });

      await s.test('a safe way is recorded, journalled for proof of delivery and as a disclosure', async () => {
        await plan(2, { methods: JSON.stringify(['letter']), safe_address: 'c/o Bristol ISVA service' });
        await letters.dispatch(...as(w.oic), w.caseId, w.victimId, helloId, { method: 'post_safe_address' }, await version());
        const event = await db.selectFrom('case_events').select(['data', 'actor_user_id']).where('case_id', '=', w.caseId).where('type', '=', 'victims.letters.dispatched').executeTakeFirstOrThrow();
        assert.deepEqual(JSON.parse(event.data), { victimId: w.victimId, letterId: helloId, template: 'hello', language: 'en', method: 'post_safe_address', on: '2026-04-02' });
        const disclosure = await db.selectFrom('audit_events').select(['subjects', 'details', 'actor_user_id']).where('action', '=', 'disclose').executeTakeFirstOrThrow();
        assert.deepEqual(JSON.parse(disclosure.subjects), [w.victimId]);
        assert.equal(disclosure.actor_user_id, w.oic.id);
        const details = JSON.parse(disclosure.details) as Record<string, unknown>;
        assert.equal(details.recipientCategory, 'victim');
        assert.equal(details.planRevision, 2);
        const { letter } = await letters.letter(...as(w.oic), w.caseId, w.victimId, helloId);
        assert.equal(letter.status, 'dispatched');
        assert.match(letter.dispatch!.sentTo, /safe address in the communication plan \(revision 2\)/);
        assert.ok(!letter.dispatch!.sentTo.includes('ISVA service'), 'the address itself is not copied');
        const twice = await problemOf(letters.dispatch(...as(w.oic), w.caseId, w.victimId, helloId, { method: 'post_safe_address' }, await version()));
        assert.match(twice.fieldErrors[0]!.message, /already been recorded as sent/);
      });
    } finally {
      await t.close();
    }
  });
}
