// Accessibility fixtures of the directory (src/platform/directory): the
// administrator's pages about the force, a team in it and the member.
import { newId } from '../../../src/platform/db/ids.ts';
import type { AccessibilityBase, ModuleFixtures } from '../../support/accessibility.ts';
import type { ServedApp } from '../../support/browser.ts';

export async function prepare(served: ServedApp, base: AccessibilityBase): Promise<ModuleFixtures> {
  const { t } = served;
  // A team, so that the organisation's page is checked with its list of teams.
  await t.database.db.insertInto('teams').values({ id: newId(), organisation_id: base.force, name: 'Operation Bluestone', created_at: t.clock.now().toISOString() }).execute();
  return {
    routes: {
      '/admin/organisations': { params: { organisationId: base.force, personId: base.member.id } },
      // Which role to remove: without it the page is no page.
      '/admin/organisations/:organisationId/people/:personId/roles/remove': { query: '?role=investigator' },
    },
  };
}
