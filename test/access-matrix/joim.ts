// Access-matrix rows for the JOIM. Each pair of the matrix (the home force
// and CPS Area, and the other pair) has a meeting held a week ago with an
// action owned by the force's colleague (an investigator, not a persona), and
// one scheduled for a fortnight on. Its JOIM members (police supervisors,
// escalation leads, DCPs and heads of RASSO units of either organisation of
// the pair) may use everything; everyone else (analysts, ISVAs, panel
// members, plan leads, investigators, prosecutors, VLOs, paralegals, hub
// members, administrators) is refused by the route's permission (403), and
// an action, whose owner may also use it, is "not found" to them; members of
// the other pair find nothing of this one (404). Members get as far as the
// command: without the version read it is a conflict (409 on a page, 428 in
// the API), and an empty form or body fails validation (400).
import { newId } from '../../src/platform/db/ids.ts';
import { inTransaction } from '../../src/platform/db/transaction.ts';
import { addCalendarDays, londonDate } from '../../src/platform/time/working-days.ts';
import { joimPack } from '../../src/cases/oversight/joim-pack.ts';
import * as repository from '../../src/governance/joim/repository.ts';
import { notSignedIn, personas, withRole, withoutRole } from '../support/access-matrix.ts';
import type { MatrixRow, MatrixWorld, OrganisationFixture, Persona } from '../support/access-matrix.ts';
import type { TestApp } from '../support/app.ts';

interface PairFixture {
  readonly forceId: string;
  readonly cpsAreaId: string;
  readonly held: string;
  readonly scheduled: string;
  readonly action: string;
}

const pairs = new Map<string, PairFixture>();
const of = (organisation: OrganisationFixture) => pairs.get(organisation.id);
const params = {
  forceId: (o: OrganisationFixture) => of(o)?.forceId ?? 'no-pair-made',
  cpsAreaId: (o: OrganisationFixture) => of(o)?.cpsAreaId ?? 'no-pair-made',
  meetingId: (o: OrganisationFixture) => of(o)?.held ?? 'no-pair-made',
  actionId: (o: OrganisationFixture) => of(o)?.action ?? 'no-pair-made',
};
const scheduled = { ...params, meetingId: (o: OrganisationFixture) => of(o)?.scheduled ?? 'no-pair-made' };

export async function prepare(t: TestApp, world: MatrixWorld): Promise<void> {
  const now = t.clock.now();
  const today = londonDate(now);
  for (const side of [world.home, world.other]) {
    const forceId = side.police_force.id;
    const cpsAreaId = side.cps_area.id;
    const owner = side.police_force.colleague.id;
    const fixture = await inTransaction(t.platform.db, async (tx) => {
      const at = now.toISOString();
      const meeting = (status: string, meetsOn: string, pack: string | null) => ({
        id: newId(), force_id: forceId, cps_area_id: cpsAreaId, meets_on: meetsOn, starts_at: '10:00', place: 'Room 1', status, cancelled_reason: null,
        minutes: null, minutes_by: null, minutes_at: null, held_recorded_by: pack ? owner : null, held_recorded_at: pack ? at : null, pack, pack_frozen_at: pack ? at : null,
        created_by: owner, created_at: at, updated_at: at, version: 1,
      });
      const heldOn = addCalendarDays(today, -7);
      const held = meeting('held', heldOn, JSON.stringify(await joimPack(tx, { forceId, cpsAreaId }, heldOn, now)));
      const later = meeting('scheduled', addCalendarDays(today, 14), null);
      await repository.insertMeeting(tx, held);
      await repository.insertMeeting(tx, later);
      const action = newId();
      await repository.insertAction(tx, {
        id: action, meeting_id: held.id, force_id: forceId, cps_area_id: cpsAreaId, number: 1, text: 'Chase the action plan responses', owner_user_id: owner, due_on: today, status: 'open',
        case_id: null, case_label: null, plan_id: null, plan_action_id: null, plan_action_label: null, created_by: owner, created_at: at, updated_at: at, closed_at: null, version: 1,
      });
      return { forceId, cpsAreaId, held: held.id, scheduled: later.id, action };
    });
    for (const organisation of Object.values(side)) pairs.set(organisation.id, fixture);
  }
}

const members = withRole('police_supervisor', 'escalation_lead', 'dcp', 'head_of_rasso');
const others = withoutRole('police_supervisor', 'escalation_lead', 'dcp', 'head_of_rasso');
const aMember: Persona = 'dcp@cps_area';

/** A route for the pair's JOIM members: `allowed` is what they get. */
function memberRoute(route: string, allowed: number, extra: Partial<MatrixRow> = {}): MatrixRow[] {
  const api = route.includes(' /api/');
  const common = { params, ...extra };
  const about = route.includes(':');
  return [
    { route, as: members, expect: allowed, ...common },
    ...(about ? [
      { route, as: members, relationship: 'other organisation' as const, expect: 404, ...common },
      { route, as: aMember, relationship: 'missing' as const, expect: 404, ...common },
    ] : []),
    { route, as: others, expect: 403, ...common },
    ...(api ? [
      { route, as: members, via: 'token' as const, expect: allowed, ...common },
      { route, as: members, via: 'token' as const, scopes: [], expect: 403, ...common },
      { route, as: notSignedIn, expect: 401, ...common },
    ] : [{ route, as: notSignedIn, expect: 303, location: '/sign-in', ...common }]),
  ] as MatrixRow[];
}

/** An action: the pair's members (and its owner, not a persona) may use it; to anyone else it does not exist. */
function actionRoute(route: string, allowed: number, extra: Partial<MatrixRow> = {}): MatrixRow[] {
  const api = route.includes(' /api/');
  const common = { params, ...extra };
  return [
    { route, as: members, expect: allowed, ...common },
    { route, as: members, relationship: 'other organisation', expect: 404, ...common },
    { route, as: aMember, relationship: 'missing', expect: 404, ...common },
    { route, as: others, expect: 404, ...common },
    ...(api ? [
      { route, as: members, via: 'token' as const, expect: allowed, ...common },
      // A token without the scope acts for no JOIM: the action is not theirs.
      { route, as: members, via: 'token' as const, scopes: [], expect: 404, ...common },
      { route, as: notSignedIn, expect: 401, ...common },
    ] : [{ route, as: notSignedIn, expect: 303, location: '/sign-in', ...common }]),
  ] as MatrixRow[];
}

/** Anyone signed in, about themselves only. */
function ownRoute(route: string): MatrixRow[] {
  const api = route.includes(' /api/');
  return [
    { route, as: personas, expect: 200 },
    ...(api ? [{ route, as: ['investigator@police_force', 'isva@isva_service'] as const, via: 'token' as const, expect: 200 }, { route, as: notSignedIn, expect: 401 }] : [{ route, as: notSignedIn, expect: 303, location: '/sign-in' }]),
  ] as MatrixRow[];
}

const meeting = '/joim/meetings/:meetingId';
const api = '/api/v1/joim';
const invalidMeeting = { meetsOn: '2026-03-10', startsAt: '10:00', place: 'http://insecure.example' };

export const rows: readonly MatrixRow[] = [
  ...memberRoute('GET /joim', 200),
  ...ownRoute('GET /joim/my-actions'),
  ...memberRoute('GET /joim/pairs/:forceId/:cpsAreaId', 200),
  ...memberRoute('GET /joim/pairs/:forceId/:cpsAreaId/meetings/new', 200),
  ...memberRoute('POST /joim/pairs/:forceId/:cpsAreaId/meetings/new', 400),
  ...memberRoute(`GET ${meeting}`, 200),
  ...memberRoute(`GET ${meeting}/pack`, 200),
  ...memberRoute(`GET ${meeting}/pack.csv`, 200),
  ...['details', 'cancel'].flatMap((form) => [
    ...memberRoute(`GET ${meeting}/${form}`, 200, { params: scheduled }),
    ...memberRoute(`POST ${meeting}/${form}`, 409, { params: scheduled }),
  ]),
  ...['attendance', 'minutes', 'decisions/new', 'actions/new'].flatMap((form) => [
    ...memberRoute(`GET ${meeting}/${form}`, 200),
    ...memberRoute(`POST ${meeting}/${form}`, 409),
  ]),
  ...actionRoute('GET /joim/actions/:actionId', 200),
  ...actionRoute('GET /joim/actions/:actionId/status', 200),
  ...actionRoute('POST /joim/actions/:actionId/status', 409),

  ...memberRoute(`GET ${api}/pairs/:forceId/:cpsAreaId/meetings`, 200),
  ...memberRoute(`POST ${api}/pairs/:forceId/:cpsAreaId/meetings`, 400, { json: invalidMeeting }),
  ...memberRoute(`GET ${api}/pairs/:forceId/:cpsAreaId/actions`, 200),
  ...memberRoute(`GET ${api}/meetings/:meetingId`, 200),
  ...memberRoute(`PATCH ${api}/meetings/:meetingId`, 428, { params: scheduled, json: { ...invalidMeeting, place: 'Room 2' } }),
  ...memberRoute(`POST ${api}/meetings/:meetingId/cancellation`, 428, { params: scheduled, json: { reason: 'Moved' } }),
  ...memberRoute(`GET ${api}/meetings/:meetingId/pack`, 200),
  ...memberRoute(`PUT ${api}/meetings/:meetingId/attendance`, 428, { json: { userIds: [], guests: [] } }),
  ...memberRoute(`PUT ${api}/meetings/:meetingId/minutes`, 428, { json: { minutes: 'Minutes.' } }),
  ...memberRoute(`POST ${api}/meetings/:meetingId/decisions`, 400, { json: { text: '' } }),
  ...memberRoute(`POST ${api}/meetings/:meetingId/actions`, 400, { json: { text: '', ownerUserId: '0190d000-0000-7000-8000-000000000000', dueOn: '2026-03-10' } }),
  ...actionRoute(`GET ${api}/actions/:actionId`, 200),
  ...actionRoute(`PATCH ${api}/actions/:actionId`, 428, { json: { status: 'done' } }),
  ...ownRoute(`GET ${api}/my-actions`),
];
