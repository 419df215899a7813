// The details part and conferences on both engines: URN rules (lenient on
// spaces and slashes, stored normalised, unique in the Area), If-Match style
// conflicts, notes (added, never edited; the journal holds no text),
// break-glass review by the right supervisors only, once; conferences
// recorded by either side with their actions, and refused on closed cases.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { engines } from '../../../test/support/databases.ts';
import { systemContext } from '../../platform/audit/model.ts';
import { caseTestApp, dateInput, problemOf, worldCase } from '../test-support.ts';
import { createConferencesService, hasPreNfaMeeting } from '../conferences/service.ts';
import { createDetailsService } from './service.ts';
import { detailsErrors } from './model.ts';

const noDate = { day: '', month: '', year: '' };

test('URNs: two numbers, two letters, seven numbers; spaces and slashes forgiven', () => {
  assert.deepEqual(detailsErrors({ cpsUrn: '52 ab 12345/25', courtCaseNumber: '' }).value, { cpsUrn: '52AB1234525', courtCaseNumber: null });
  for (const bad of ['52AB12345', 'AB521234525', '52AB12345256', '52A11234525']) assert.equal(detailsErrors({ cpsUrn: bad, courtCaseNumber: '' }).errors[0]?.field, 'cpsUrn', bad);
});

for (const engine of engines) {
  test(`${engine}: case details, notes, break-glass review and conferences`, async (s) => {
    const { t, w } = await caseTestApp(engine);
    try {
      const details = createDetailsService(t.platform);
      const conferences = createConferencesService(t.platform);
      const as = (p: typeof w.oic) => [w.actor(p), w.context(p)] as const;
      const version = async (id = w.caseId) => Number((await t.database.db.selectFrom('cases').select('version').where('id', '=', id).executeTakeFirstOrThrow()).version);
      const events = async (type: string) => (await t.database.db.selectFrom('case_events').select('data').where('case_id', '=', w.caseId).where('type', '=', type).execute()).map((e) => JSON.parse(e.data) as Record<string, unknown>);

      await s.test('the URN is stored normalised and journalled old and new; a stale version is a conflict', async () => {
        const v = await version();
        const changed = await details.changeDetails(...as(w.prosecutor), w.caseId, { cpsUrn: '52/AB/12345/25', courtCaseNumber: '' }, v);
        assert.equal(changed.summary.cpsUrn, '52AB1234525');
        assert.deepEqual((await events('case.details-changed'))[0], { changes: [{ field: 'cpsUrn', from: null, to: '52AB1234525' }] });
        assert.equal((await problemOf(details.changeDetails(...as(w.oic), w.caseId, { cpsUrn: '52AB1234526', courtCaseNumber: '' }, v))).type, 'conflict');
        assert.equal((await problemOf(details.changeDetails(...as(w.oic), w.caseId, { cpsUrn: 'nonsense', courtCaseNumber: '' }, await version()))).type, 'validation');
        assert.equal((await problemOf(details.changeDetails(...as(w.otherForceInvestigator), w.caseId, { cpsUrn: '', courtCaseNumber: '' }, await version()))).type, 'not-found');
      });

      await s.test('another case of the Area may not take the same URN', async () => {
        const other = await w.cases.operator.createCase(systemContext(), worldCase(w.force, w.area, w.oic.id, w.prosecutor.id, 'AS/20002/25'));
        const problem = await problemOf(details.changeDetails(...as(w.oic), other, { cpsUrn: '52AB1234525', courtCaseNumber: '' }, await version(other)));
        assert.equal(problem.fieldErrors[0]?.field, 'cpsUrn');
      });

      await s.test('notes are added with their kind; the journal holds no text', async () => {
        assert.deepEqual((await problemOf(details.addNote(...as(w.oic), w.caseId, { kind: 'rumour', text: ' ' }, await version()))).fieldErrors.map((e) => e.field), ['kind', 'text']);
        await details.addNote(...as(w.oic), w.caseId, { kind: 'opinion', text: 'The account is consistent with the first account.' }, await version());
        const read = await details.notes(...as(w.dcp), w.caseId);
        assert.deepEqual(read.notes.map((n) => [n.kind, n.authorName]), [['opinion', 'Sam Taylor']]);
        const [added] = await events('case.note-added');
        assert.deepEqual(Object.keys(added!).sort(), ['kind', 'noteId']);
      });

      await s.test('break-glass grants are reviewed once, by supervisors of the grantee’s organisation', async () => {
        await w.cases.breakGlass(...as(w.colleague), { reference: 'AS/10001/25', reason: 'Covering for the officer on leave this week' }, '2099-01-01T00:00:00.000Z');
        assert.equal((await problemOf(details.unreviewedGrants(...as(w.oic)))).type, 'forbidden');
        assert.deepEqual(await details.unreviewedGrants(...as(w.dcp)), [], 'the Area’s reviewers do not see the force’s grants');
        const [grant] = await details.unreviewedGrants(...as(w.supervisor));
        assert.equal(grant?.userName, 'Kim Lee');
        assert.equal((await problemOf(details.reviewGrant(...as(w.dcp), grant!.id, { outcome: 'appropriate' }))).type, 'not-found');
        assert.equal((await problemOf(details.reviewGrant(...as(w.supervisor), grant!.id, { outcome: 'fine' }))).type, 'validation');
        await details.reviewGrant(...as(w.supervisor), grant!.id, { outcome: 'refer_to_professional_standards' });
        assert.deepEqual(await details.unreviewedGrants(...as(w.supervisor)), []);
        assert.equal((await problemOf(details.reviewGrant(...as(w.supervisor), grant!.id, { outcome: 'appropriate' }))).type, 'not-found');
        const audit = await t.database.db.selectFrom('audit_events').select('details').where('actor_user_id', '=', w.supervisor.id).where('action', '=', 'alter').execute();
        assert.equal(audit.filter((a) => a.details.includes('refer_to_professional_standards')).length, 1, 'the review is audited');
      });

      await s.test('conferences: either side records, attendees and actions are kept, actions are marked done once', async () => {
        const bad = await problemOf(conferences.record(...as(w.oic), w.caseId, { kind: 'pre_nfa_meeting', heldOn: noDate, teamAttendees: [w.isva.id], others: [], decisions: '', actions: [{ description: 'Chase phone download', ownerSide: '', dueOn: noDate }] }, await version()));
        assert.deepEqual(bad.fieldErrors.map((e) => e.field), ['heldOn-day', 'teamAttendees', 'decisions', 'actions-1-ownerSide', 'actions-1-dueOn-day']);
        assert.equal(await hasPreNfaMeeting(t.database.db, w.caseId), false);
        const made = await conferences.record(...as(w.prosecutor), w.caseId, {
          kind: 'pre_nfa_meeting', heldOn: dateInput('2025-05-01'), teamAttendees: [w.oic.id, w.prosecutor.id],
          others: [{ name: 'Ravi Patel', organisation: 'Bristol ISVA service', role: 'ISVA' }, { name: '', organisation: '', role: '' }],
          decisions: 'Further enquiries before any decision.', actions: [{ description: 'Obtain the phone download', ownerSide: 'police', dueOn: dateInput('2025-05-15') }],
        }, await version());
        assert.equal(await hasPreNfaMeeting(t.database.db, w.caseId), true);
        const [recorded] = await events('conference.recorded');
        assert.deepEqual(recorded, { conferenceId: made.id, kind: 'pre_nfa_meeting', heldOn: '2025-05-01', actions: 1 });
        const read = (await conferences.conferences(...as(w.supervisor), w.caseId)).conferences[0]!;
        assert.deepEqual(read.attendees.map((a) => a.name), ['Sam Taylor', 'Daniel Okafor', 'Ravi Patel']);
        const action = read.actions[0]!;
        await conferences.markActionDone(...as(w.oic), w.caseId, action.id, await version());
        assert.equal((await problemOf(conferences.markActionDone(...as(w.oic), w.caseId, action.id, await version()))).type, 'validation');
        assert.notEqual((await conferences.conferences(...as(w.oic), w.caseId)).conferences[0]!.actions[0]!.doneAt, null);
      });

      await s.test('no conference on a closed case', async () => {
        await w.moveAsCommand(w.caseId, 'police_nfa');
        const closed = await problemOf(conferences.record(...as(w.oic), w.caseId, { kind: 'case_management_panel', heldOn: dateInput('2025-05-01'), teamAttendees: [w.oic.id], others: [], decisions: 'Close.', actions: [] }, await version()));
        assert.match(closed.fieldErrors[0]!.message, /closed/);
      });
    } finally {
      await t.close();
    }
  });
}
