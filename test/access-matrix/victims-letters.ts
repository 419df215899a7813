// Access-matrix rows for letters to a victim. Letters are the case side's:
// every case reader sees them; the victim's own ISVA, like everyone outside
// the case, is told they do not exist (404). Making letters is for the
// police (investigator, supervisor) and the CPS (prosecutor, DCP) on their own
// side's letters; escalation leads and heads of RASSO read only (403). The
// matrix letter is a police letter, so only the police may record its
// sending. Allowed users get as far as validation (400) or the version check
// (409 on a page, 428 in the API without If-Match).
import { newId } from '../../src/platform/db/ids.ts';
import { insertLetter } from '../../src/victims/letters/repository.ts';
import { victimsOf } from '../../src/victims/repository.ts';
import type { MatrixRow, MatrixWorld, OrganisationFixture, Persona } from '../support/access-matrix.ts';
import type { TestApp } from '../support/app.ts';
import { caseReaders } from '../support/case-matrix.ts';
import type { MatrixCases } from '../support/case-matrix.ts';
import { prepareVictims, victimRoute } from '../support/victim-matrix.ts';

const writers: readonly Persona[] = ['investigator@police_force', 'police_supervisor@police_force', 'prosecutor@cps_area', 'dcp@cps_area'];
const policeWriters: readonly Persona[] = ['investigator@police_force', 'police_supervisor@police_force'];

const matrixLetters = new Map<string, string>();
const letterOf = (organisation: OrganisationFixture) => matrixLetters.get(organisation.id) ?? 'no-letter-made';

/** The victims' matrix set-up, then a draft police letter to each matrix case's victim. */
export async function prepare(t: TestApp, world: MatrixWorld, cases: MatrixCases): Promise<void> {
  await prepareVictims(t, world, cases);
  for (const [side, caseId] of [[world.home, cases.home], [world.other, cases.other]] as const) {
    const [victim] = await victimsOf(t.platform.db, caseId);
    if (!victim || matrixLetters.has(side.police_force.id)) continue;
    const id = newId();
    await insertLetter(t.platform.db, {
      id, case_id: caseId, victim_id: victim.id, template_key: 'hello', template_version: 1, language: 'en',
      content: JSON.stringify({ title: 'Your contact in the police investigation', blocks: [{ kind: 'p', text: 'Dear Matrix Victim,' }] }),
      created_by_user_id: world.people.get('investigator@police_force')!.id, created_at: new Date().toISOString(), status: 'draft',
      dispatch_method: null, sent_to: null, plan_revision: null, dispatched_by_user_id: null, dispatched_at: null,
    });
    for (const organisation of Object.values(side)) matrixLetters.set(organisation.id, id);
  }
}

const route = (path: string, allowed: number, users: readonly Persona[] = caseReaders, extra: Partial<MatrixRow> = {}) =>
  victimRoute(path, allowed, { ...extra, params: { letterId: letterOf, ...extra.params } }, users);

const letter = { template: 'hello', language: 'en', contactDetails: '' };

export const rows: MatrixRow[] = [
  ...route('GET /cases/:caseId/victims/:victimId/letters', 200),
  ...route('GET /cases/:caseId/victims/:victimId/letters/new', 200, writers),
  ...route('POST /cases/:caseId/victims/:victimId/letters/new', 400, writers),
  ...route('GET /cases/:caseId/victims/:victimId/letters/:letterId', 200),
  ...route('GET /cases/:caseId/victims/:victimId/letters/:letterId/pdf', 200),
  ...route('GET /cases/:caseId/victims/:victimId/letters/:letterId/dispatch', 200, policeWriters),
  ...route('POST /cases/:caseId/victims/:victimId/letters/:letterId/dispatch', 409, policeWriters),
  ...route('GET /api/v1/cases/:caseId/victims/:victimId/letters', 200),
  ...route('POST /api/v1/cases/:caseId/victims/:victimId/letters/preview', 400, writers, { json: letter }),
  ...route('POST /api/v1/cases/:caseId/victims/:victimId/letters', 428, writers, { json: letter }),
  ...route('GET /api/v1/cases/:caseId/victims/:victimId/letters/:letterId/pdf', 200),
  ...route('POST /api/v1/cases/:caseId/victims/:victimId/letters/:letterId/dispatch', 428, policeWriters, { json: { method: 'in_person' } }),
];
