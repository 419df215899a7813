// The case file as scrutiny reads it, on both engines: the decisions queued
// for scrutiny in a period are those of the force (and Area) asked for, on
// London days (a decision at 00:30 in London on 1 July is July's, though UTC
// says 30 June), of the kinds asked for, a CPS decision on several suspects
// of one referral counting once; a case's record holds what its pack needs
// and every identifier to scrub; the learning goes to the officer and the
// prosecutor allocated now.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { engines } from '../../../test/support/databases.ts';
import { newId } from '../../platform/db/ids.ts';
import { appendEvent } from '../repository.ts';
import { scrutinyTestApp } from '../../governance/scrutiny/test-support.ts';
import { involvedUserIds, learningAudience, nfaCasesIn, nfaReviewRecord } from './nfa-review.ts';

for (const engine of engines) {
  test(`${engine}: the NFA decisions of a period, and one case's record for its scrutiny pack`, async () => {
    const { t, w } = await scrutinyTestApp(engine);
    try {
      const db = t.platform.db;
      const june = await w.policeNfa({ decidedOn: '2026-06-30', outcomeCode: '18', reportedOn: '2026-05-02', cpsUrn: '52AS1000126' });
      const cps = await w.cpsNfa({ decidedOn: '2026-06-12', reportedOn: '2026-05-04', people: [{ category: 'victim', name: 'Avery Stone', dateOfBirth: '1999-04-01' }, { category: 'suspect', name: 'Suspect A' }, { category: 'suspect', name: 'Suspect B' }] });
      // A decision recorded at 23:30 UTC on 30 June is 00:30 on 1 July in London.
      const july = await w.policeNfa({ decidedOn: '2026-06-30', outcomeCode: '21', reportedOn: '2026-05-06' });
      await db.updateTable('case_events').set({ occurred_at: '2026-06-30T23:30:00.000Z' }).where('case_id', '=', july).where('type', '=', 'scrutiny.queued').execute();
      // Another force's case, queued the same month, is not this force's.
      const otherCase = newId();
      const now = '2026-06-15T10:00:00.000Z';
      await db.insertInto('cases').values({ id: otherCase, police_reference: 'SW/1/26', cps_urn: null, court_case_number: null, force_id: w.otherForce, cps_area_id: w.otherArea, stage: 'police_nfa', offence_class: 'rape_16_plus', domestic_abuse: 0, repeat_suspect: 0, vulnerable_victim: 0, child_victim: 0, reported_on: '2026-05-01', created_at: now, updated_at: now, version: 1 }).execute();
      await appendEvent(db, { id: newId(), case_id: otherCase, type: 'scrutiny.queued', occurred_at: now, recorded_at: now, actor_user_id: null, data: JSON.stringify({ decision: 'police_nfa', outcomeCode: 18, proposalId: newId() }) });

      const scope = { forceId: w.force, cpsAreaId: w.area, from: '2026-06-01', to: '2026-06-30', kinds: ['police_nfa', 'cps_nfa'] as const };
      const found = await nfaCasesIn(db, scope);
      assert.deepEqual(found.map((f) => f.caseId).sort(), [june, cps].sort());
      const cpsCase = found.find((f) => f.caseId === cps)!;
      assert.deepEqual(cpsCase.decisions.map((d) => [d.kind, d.outcome, d.decidedOn]), [['cps_nfa', 'nfa_evidential', '2026-06-12']], 'two suspects, one decision');
      assert.deepEqual((await nfaCasesIn(db, { ...scope, from: '2026-07-01', to: '2026-07-31' })).map((f) => f.caseId), [july]);
      assert.deepEqual((await nfaCasesIn(db, { ...scope, kinds: ['cps_nfa'] })).map((f) => f.caseId), [cps]);
      assert.equal((await nfaCasesIn(db, { ...scope, cpsAreaId: w.otherArea })).length, 0);
      assert.deepEqual((await nfaCasesIn(db, { ...scope, forceId: w.otherForce, cpsAreaId: null })).map((f) => f.caseId), [otherCase]);

      const record = (await nfaReviewRecord(db, cps))!;
      assert.equal(record.reportedOn, '2026-05-04');
      assert.deepEqual(record.people.map((p) => p.category), ['victim', 'suspect', 'suspect']);
      assert.deepEqual(record.cpsDecisions.map((d) => [d.kind, d.decidedOn, d.reasons]), [
        ['nfa_evidential', '2026-06-12', 'The evidence does not give a realistic prospect of conviction.'],
        ['nfa_evidential', '2026-06-12', 'The evidence does not give a realistic prospect of conviction.'],
      ]);
      assert.ok(record.events.at(0)!.type === 'case.created' && record.events.some((e) => e.type === 'charging.decided'), 'the journal, oldest first');
      for (const name of ['Avery Stone', 'Suspect A', 'Sam Taylor', 'Daniel Okafor']) assert.ok(record.identifiers.names.includes(name), name);
      assert.ok(record.identifiers.dates.includes('1999-04-01'));
      assert.deepEqual((await nfaReviewRecord(db, june))!.identifiers.references, [(await db.selectFrom('cases').select('police_reference').where('id', '=', june).executeTakeFirstOrThrow()).police_reference, '52AS1000126']);
      assert.equal(await nfaReviewRecord(db, newId()), undefined);

      assert.deepEqual((await involvedUserIds(db, june)).sort(), [w.oic.id, w.prosecutor.id, w.supervisor.id].sort());
      const audience = (await learningAudience(db, june))!;
      assert.deepEqual(audience.recipients.map((r) => [r.userId, r.role]).sort(), [[w.oic.id, 'oic'], [w.prosecutor.id, 'prosecutor']].sort());
    } finally {
      await t.close();
    }
  });
}
