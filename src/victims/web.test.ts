// The victims' pages through HTTP on both engines: the case team reaches a
// victim from the case's Victims tab; an ISVA reaches their client from My
// clients and sees the victim's records without the case's own navigation,
// while the case file itself stays "not found" to them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { engines } from '../../test/support/databases.ts';
import { victimTestApp } from './test-support.ts';

for (const engine of engines) {
  test(`${engine}: the victims' pages`, async (s) => {
    const { t, w } = await victimTestApp(engine);
    try {
      await w.support(w.victimId);
      const victimPage = `/cases/${w.caseId}/victims/${w.victimId}`;

      await s.test('the case team finds the victim from the Victims tab', async () => {
        const oic = await t.signIn(w.oic);
        const casePage = await oic.get(`/cases/${w.caseId}`);
        assert.match(casePage.body, new RegExp(`href="/cases/${w.caseId}/victims"`));
        const list = await oic.get(`/cases/${w.caseId}/victims`);
        assert.equal(list.statusCode, 200);
        assert.match(list.body, new RegExp(`href="${victimPage}"`));
        assert.match(list.body, /Isla Grant, Bristol ISVA service/);
        const overview = await oic.get(victimPage);
        assert.equal(overview.statusCode, 200);
        assert.match(overview.body, /Parts of the case/, 'case workers keep the case’s navigation');
        assert.match(overview.body, /Reported to the police/);
      });

      await s.test('an ISVA reaches their client from My clients, without the case file', async () => {
        const isva = await t.signIn(w.isva);
        const home = await isva.get('/');
        assert.match(home.body, /href="\/victims"/);
        const clients = await isva.get('/victims');
        assert.equal(clients.statusCode, 200);
        assert.match(clients.body, new RegExp(`href="${victimPage}"`));
        const overview = await isva.get(victimPage);
        assert.equal(overview.statusCode, 200);
        assert.doesNotMatch(overview.body, /Parts of the case/);
        assert.doesNotMatch(overview.body, new RegExp(`href="/cases/${w.caseId}"`), 'no link into the case file');
        assert.equal((await isva.get(`/cases/${w.caseId}`)).statusCode, 404);
      });

      await s.test('another ISVA is told the victim does not exist', async () => {
        const other = await t.signIn(w.otherIsva);
        assert.equal((await other.get(victimPage)).statusCode, 404);
        assert.doesNotMatch((await other.get('/victims')).body, new RegExp(victimPage));
      });
    } finally {
      await t.close();
    }
  });
}
