// The access matrix for the victims' records. The matrix cases each have a
// victim; the home ISVA supports the home case's victim, so that ISVA may use
// the routes an ISVA sees (plan, contacts, key dates) and is told everything
// else does not exist, like any stranger. Every victims' part keeps its rows
// in test/access-matrix/victims-<part>.ts and uses `victimRoute` and
// `prepareVictims` from here.
import { newId } from '../../src/platform/db/ids.ts';
import * as victims from '../../src/victims/repository.ts';
import { caseReaders, caseRoute } from './case-matrix.ts';
import type { MatrixCases } from './case-matrix.ts';
import type { MatrixRow, MatrixWorld, OrganisationFixture, Persona } from './access-matrix.ts';
import type { TestApp } from './app.ts';

export const HOME_ISVA: Persona = 'isva@isva_service';
/** Those who may read the home victim's plan, contacts and key dates: the case's readers and the victim's ISVA. */
export const victimReaders: readonly Persona[] = [...caseReaders, HOME_ISVA];

const matrixVictims = new Map<string, string>();
/** The matrix victim an organisation points at (a parameter source for `:victimId`). */
export const victimOf = (organisation: OrganisationFixture) => matrixVictims.get(organisation.id) ?? 'no-victim-made';

/** Points every organisation at its case's victim and makes the home ISVA that victim's ISVA (once per app). */
export async function prepareVictims(t: TestApp, world: MatrixWorld, cases: MatrixCases): Promise<void> {
  const { db } = t.platform;
  for (const [side, caseId] of [[world.home, cases.home], [world.other, cases.other]] as const) {
    const [victim] = await victims.victimsOf(db, caseId);
    if (!victim) throw new Error('The matrix case has no victim');
    for (const organisation of Object.values(side)) matrixVictims.set(organisation.id, victim.id);
    if (side === world.home && (await victims.activeIsvasOf(db, caseId)).length === 0) {
      const isva = world.people.get(HOME_ISVA)!;
      await victims.insertIsva(db, { id: newId(), case_id: caseId, victim_id: victim.id, isva_user_id: isva.id, isva_service_id: world.home.isva_service.id, started_at: new Date().toISOString(), started_by_user_id: world.people.get('investigator@police_force')!.id, ended_at: null });
    }
  }
}

/** A route about one victim of one case: `users` default to the case's readers and the victim's ISVA. */
export function victimRoute(route: string, allowed: number, extra: Partial<MatrixRow> = {}, users: readonly Persona[] = victimReaders): MatrixRow[] {
  return caseRoute(route, allowed, { ...extra, params: { victimId: victimOf, ...extra.params } }, users);
}
