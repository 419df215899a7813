// The victims' records on both engines: who may see a victim. The case team
// and those supervising the case see every victim; an ISVA sees only the
// victims they support, never the case file itself; an ISVA of another
// victim in the same case, or of nobody, is told the victim does not exist,
// and the refusal is journalled. The overview carries the case's key dates
// from its journal, and an ISVA's client list holds only their own clients.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { engines } from '../../test/support/databases.ts';
import { problemOf } from '../cases/test-support.ts';
import { createCasesService } from '../cases/service.ts';
import { createVictimsService } from './service.ts';
import { victimTestApp } from './test-support.ts';

for (const engine of engines) {
  test(`${engine}: who sees a victim's records`, async (s) => {
    const { t, w } = await victimTestApp(engine);
    try {
      t.clock.set('2026-03-10T12:00:00Z');
      const victims = createVictimsService(t.platform);
      const isva = [w.actor(w.isva), w.context(w.isva)] as const;

      await s.test('before anyone supports the victim, an ISVA is told the case does not exist', async () => {
        assert.equal((await problemOf(victims.victimsOfCase(...isva, w.caseId))).type, 'not-found');
        assert.equal((await problemOf(victims.overview(...isva, w.caseId, w.victimId))).type, 'not-found');
        assert.deepEqual(await victims.clients(...isva), []);
      });

      // A second victim in the same case, supported by the other ISVA.
      const cases = createCasesService(t.platform);
      await cases.addPerson(w.actor(w.oic), w.context(w.oic), w.caseId, { category: 'victim', name: 'Second Victim', dateOfBirth: { day: '', month: '', year: '' } }, (await cases.caseFile(w.actor(w.oic), w.context(w.oic), w.caseId)).summary.version);
      const second = (await victims.victimsOfCase(w.actor(w.oic), w.context(w.oic), w.caseId)).victims.find((v) => v.victim.name === 'Second Victim')!.victim.id;
      await w.support(w.victimId);
      await w.support(second, w.otherIsva);

      await s.test('the case team sees every victim and who supports each', async () => {
        const { victims: list, viewer } = await victims.victimsOfCase(w.actor(w.oic), w.context(w.oic), w.caseId);
        assert.equal(viewer, 'case');
        assert.deepEqual(new Map(list.map((v) => [v.victim.id, v.isva?.name])), new Map([[w.victimId, 'Isla Grant'], [second, 'Ola Reed']]));
      });

      await s.test('an ISVA sees only their own client, never the case file', async () => {
        const { victims: list, viewer } = await victims.victimsOfCase(...isva, w.caseId);
        assert.equal(viewer, 'isva');
        assert.deepEqual(list.map((v) => v.victim.id), [w.victimId]);
        const overview = await victims.overview(...isva, w.caseId, w.victimId);
        assert.equal(overview.viewer, 'isva');
        assert.equal((await problemOf(victims.overview(...isva, w.caseId, second))).type, 'not-found');
        assert.equal((await problemOf(w.cases.caseFile(...isva, w.caseId))).type, 'not-found');
        assert.equal((await problemOf(victims.overview(...w.asOtherIsva, w.caseId, w.victimId))).type, 'not-found');
        const denied = await t.platform.db.selectFrom('audit_events').select(['action', 'object_id']).where('actor_user_id', '=', w.otherIsva.id).where('outcome', '=', 'denied').execute();
        assert.ok(denied.some((row) => row.object_id === w.caseId), 'the refusal is journalled');
      });

      await s.test('the overview carries the key dates from the journal, and the read is audited', async () => {
        await w.moveAsCommand(w.caseId, 'charging_referral');
        await w.moveAsCommand(w.caseId, 'charged', w.prosecutor);
        const overview = await victims.overview(...isva, w.caseId, w.victimId);
        assert.deepEqual(overview.keyDates.map((d) => d.on), ['2025-03-27', '2026-03-10']);
        assert.match(overview.keyDates[1]!.text, /Charged/);
        const read = await t.platform.db.selectFrom('audit_events').select(['subjects']).where('actor_user_id', '=', w.isva.id).where('action', '=', 'consult').orderBy('seq', 'desc').executeTakeFirstOrThrow();
        assert.deepEqual(JSON.parse(read.subjects), [w.victimId]);
      });

      await s.test('an ISVA’s clients are their own', async () => {
        assert.deepEqual((await victims.clients(...isva)).map((c) => c.victimId), [w.victimId]);
        assert.deepEqual((await victims.clients(...w.asOtherIsva)).map((c) => c.victimId), [second]);
        assert.deepEqual(await victims.clients(w.actor(w.oic), w.context(w.oic)), []);
      });

      await s.test('a stranger and an analyst are told the victim does not exist', async () => {
        for (const person of [w.otherForceInvestigator, w.analyst, w.otherAreaDcp]) {
          assert.equal((await problemOf(victims.overview(w.actor(person), w.context(person), w.caseId, w.victimId))).type, 'not-found');
        }
      });

      await s.test('a person who is not a victim is not a victim', async () => {
        const suspect = (await w.cases.caseFile(w.actor(w.oic), w.context(w.oic), w.caseId)).people.find((p) => p.category === 'suspect');
        assert.ok(suspect);
        assert.equal((await problemOf(victims.overview(w.actor(w.oic), w.context(w.oic), w.caseId, suspect.id))).type, 'not-found');
      });
    } finally {
      await t.close();
    }
  });
}
