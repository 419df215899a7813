// The demo's quarterly assurance reports, loaded with the whole demo: Avon
// and Somerset Police's published for the last complete quarter, computed
// from the demo's cases, and read nationally; CPS South West's a draft that
// its head of the RASSO unit may sign off. Each reports only the plans its
// organisation owns (CPS South West owns none, and its report says so).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { engines } from '../../../test/support/databases.ts';
import { testApp } from '../../../test/support/app.ts';
import type { Actor } from '../../platform/access/policy.ts';
import type { Role } from '../../platform/access/roles.ts';
import { systemContext } from '../../platform/audit/model.ts';
import { seedDemo } from '../../platform/demo/service.ts';
import { londonDate } from '../../platform/time/working-days.ts';
import { caseMeasures } from '../../cases/oversight/measures.ts';
import { lastCompleteQuarter, quarterEnd, quarterKey, quarterStart } from './model.ts';
import { createAssuranceService } from './service.ts';

for (const engine of engines) {
  test(`${engine}: the demo's assurance reports`, async () => {
    const t = await testApp(engine);
    try {
      await seedDemo(t.platform);
      const quarter = lastCompleteQuarter(londonDate(t.clock.now()));
      const organisation = async (code: string) => t.database.db.selectFrom('organisations').selectAll().where('code', '=', code).executeTakeFirstOrThrow();
      const actor = async (email: string, code: string, role: Role): Promise<Actor> => {
        const user = await t.database.db.selectFrom('users').select(['id', 'display_name']).where('email', '=', email).executeTakeFirstOrThrow();
        const org = await organisation(code);
        const membership = { organisationId: org.id, organisationCode: code, organisationName: org.name, organisationKind: org.kind, roles: [role] };
        return { userId: user.id, displayName: user.display_name, email, organisation: membership, memberships: [membership], via: 'session', scopes: undefined };
      };
      const assurance = createAssuranceService(t.platform);
      const analyst = await actor('chris.walsh@nrp.example', 'NRP', 'analyst');
      const nationally = await assurance.list(analyst);
      assert.deepEqual(nationally.map((r) => [r.organisationName, r.quarterKey, r.status]), [['Avon and Somerset Police', quarterKey(quarter), 'published']]);

      const avs = await assurance.view(analyst, systemContext(), nationally[0]!.id);
      const force = await organisation('AVS');
      const owned = await t.database.db.selectFrom('plans').select('id').where('owner_organisation_id', '=', force.id).execute();
      assert.deepEqual(avs.version.figures.plans.map((p) => p.id).sort(), owned.map((p) => p.id).sort(), 'the force’s own plans, and no national one');
      assert.ok(avs.version.signedOff && avs.version.published);
      assert.ok(avs.commentary.get('summary'));
      for (const e of avs.version.figures.exceptions) assert.ok(avs.commentary.get(`exception.${e.key}`), `${e.key} is explained`);
      // Computed from the demo's cases: the same as the case file gives for the quarter.
      const measures = await caseMeasures(t.platform.db, { id: force.id, kind: 'police_force' }, { start: quarterStart(quarter), end: quarterEnd(quarter) }, t.clock.now());
      assert.deepEqual(avs.version.figures.measures.earlyAdvice, measures.earlyAdvice);
      assert.deepEqual(avs.version.figures.measures.nfa, measures.nfa);
      assert.ok(measures.nfa.policeTotal + measures.earlyAdvice.answered + measures.prfi.open > 0, 'the demo’s cases give the report something to show');

      const head = await actor('rachel.moore@cps.example', 'CPS-SW', 'head_of_rasso');
      const [area] = await assurance.list(head);
      assert.deepEqual([area!.organisationName, area!.status], ['CPS South West', 'draft']);
      const draft = await assurance.view(head, systemContext(), area!.id);
      assert.deepEqual([draft.may.signOff, draft.draftedByViewer], [true, false]);
      assert.deepEqual(draft.version.figures.plans, []);
    } finally {
      await t.close();
    }
  });
}
