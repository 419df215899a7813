// Access-matrix rows for NFA scrutiny panels. Each pair (home, other) has two
// cases closed by police NFA, selected into a round of the pair's panel. The
// home panel is chaired by the home escalation lead, and every
// 'panel_member' persona sits on it (the ISVA service's and the national one
// as external members); the home head of RASSO unit manages it without
// sitting. One home pack has agreed findings, whose learning went to the home
// officer in the case and prosecutor. What the rows prove:
// - the panel's members and managers see its panel, rounds, packs, actions and
//   themes; everyone else is told none of it exists, and no one sees another
//   pair's panel;
// - members review (the chair agrees findings; the chair and managers record
//   actions); others who see the panel are refused (403);
// - managing (members, selecting cases) is for holders of scrutiny.manage,
//   of the panel's force or Area;
// - learning is for the officer or prosecutor it was sent to, no one else;
// - panel members, external ones included, and plan leads get 404 on every
//   case and victim route of the very cases in their packs.
import { newId } from '../../src/platform/db/ids.ts';
import { inTransaction } from '../../src/platform/db/transaction.ts';
import * as cases from '../../src/cases/repository.ts';
import * as repository from '../../src/governance/scrutiny/repository.ts';
import { prepareRound, writeAction, writeFindings, writeRound } from '../../src/governance/scrutiny/service.ts';
import { unsoundReview } from '../../src/governance/scrutiny/test-support.ts';
import { londonDate, addCalendarDays } from '../../src/platform/time/working-days.ts';
import * as victims from '../../src/victims/repository.ts';
import { notSignedIn, personas, withRole } from '../support/access-matrix.ts';
import type { MatrixRow, MatrixWorld, OrganisationFixture, Persona, Visitor } from '../support/access-matrix.ts';
import { makeSideCases } from '../support/case-matrix.ts';
import type { TestApp } from '../support/app.ts';

interface PairFixture {
  readonly panelId: string;
  readonly roundId: string;
  /** A pack without findings (reviews, findings forms). */
  readonly packId: string;
  readonly actionId: string;
  readonly memberId: string;
  readonly caseId: string;
  readonly victimId: string;
  /** The learning sent to the pair's officer in the case and prosecutor. */
  readonly learning: { readonly oic: string; readonly prosecutor: string };
}

const pairs = new Map<string, PairFixture>();
const of = (pick: (pair: PairFixture) => string) => (organisation: OrganisationFixture) => {
  const pair = pairs.get(organisation.id);
  return pair ? pick(pair) : 'no-panel-made';
};
const params = {
  panelId: of((p) => p.panelId), roundId: of((p) => p.roundId), packId: of((p) => p.packId), actionId: of((p) => p.actionId),
  memberId: of((p) => p.memberId), caseId: of((p) => p.caseId), victimId: of((p) => p.victimId),
};
/** The learning an organisation points at: the prosecutor's for a CPS Area, the officer's for every other. */
const learningOf = (organisation: OrganisationFixture) => {
  const pair = pairs.get(organisation.id);
  return pair ? (organisation.kind === 'cps_area' ? pair.learning.prosecutor : pair.learning.oic) : 'no-learning-made';
};

const chair: Persona = 'escalation_lead@police_force';
const managers: readonly Persona[] = ['escalation_lead@police_force', 'head_of_rasso@cps_area'];
const panelMembers = withRole('panel_member');
const members: readonly Persona[] = [chair, ...panelMembers];
const seers: readonly Persona[] = [...new Set([...managers, ...members])];
const actors: readonly Persona[] = [chair, 'head_of_rasso@cps_area'];
const strangers = personas.filter((p) => !seers.includes(p));

export async function prepare(t: TestApp, world: MatrixWorld): Promise<void> {
  const { db } = t.platform;
  const now = new Date().toISOString();
  const today = londonDate(now);
  // Two cases per pair closed by police NFA today, with the decision queued for scrutiny as the police NFA part queues it.
  const made = [...await makeSideCases(t, world, 'SCRUTINY-A', ['investigation', 'police_nfa']), ...await makeSideCases(t, world, 'SCRUTINY-B', ['investigation', 'police_nfa'])];
  for (const side of made) {
    const proposalId = newId();
    for (const [type, data] of [['police-nfa.decided', { proposalId, outcomeCode: 18, victimToldOn: today, rightToReviewGiven: true }], ['scrutiny.queued', { decision: 'police_nfa', outcomeCode: 18, proposalId }]] as const) {
      await cases.appendEvent(db, { id: newId(), case_id: side.caseId, type, occurred_at: now, recorded_at: now, actor_user_id: side.oicId, data: JSON.stringify(data) });
    }
  }
  for (const [side, seats] of [
    [world.home, [[chair, world.home.police_force.id, 'chair'], ...panelMembers.map((p) => [p, world.home[p.split('@')[1] as keyof MatrixWorld['home']].id, 'member'])]],
    [world.other, [['other-chair', world.other.police_force.id, 'chair'], ['other-member', world.other.cps_area.id, 'member']]],
  ] as const) {
    const sideCases = made.filter((c) => c.side === side);
    const panelId = newId();
    const chairId = side === world.home ? world.people.get(chair)!.id : side.police_force.colleague.id;
    await repository.insertPanel(db, { id: panelId, name: `Matrix panel ${panelId.slice(-4)}`, force_id: side.police_force.id, cps_area_id: side.cps_area.id, created_by: chairId, created_at: now, updated_at: now, version: 1 });
    const memberIds: string[] = [];
    for (const [who, organisationId, role] of seats as readonly (readonly [string, string, string])[]) {
      const userId = who === 'other-chair' ? side.police_force.colleague.id : who === 'other-member' ? side.cps_area.colleague.id : world.people.get(who as Visitor)!.id;
      const id = newId();
      memberIds.push(id);
      await repository.insertMember(db, { id, panel_id: panelId, user_id: userId, organisation_id: organisationId, role, added_by: chairId, added_at: now, ended_by: null, ended_at: null });
    }
    const panel = { id: panelId, name: 'Matrix panel', forceId: side.police_force.id, cpsAreaId: side.cps_area.id };
    const fixture = await inTransaction(db, async (tx) => {
      const prepared = await prepareRound(tx, panel, { from: addCalendarDays(today, -7), to: today, kinds: ['police_nfa'], method: 'all', sampleSize: null, seed: '' });
      const roundId = await writeRound(tx, panelId, prepared, chairId, now);
      const packs = await Promise.all((await repository.packsOf(tx, roundId)).map((p) => repository.findPack(tx, p.id)));
      const agreed = packs.find((p) => p!.case_id === sideCases[0]!.caseId)!;
      const open = packs.find((p) => p!.case_id === sideCases[1]!.caseId)!;
      await writeFindings(tx, agreed, panel, { ...unsoundReview, sound: 'no', missedEnquiries: 'yes', communication: 'partly', myths: 'yes', mythKinds: ['delayed_reporting'], learning: 'Request CCTV early.' }, chairId, now);
      const actionId = await writeAction(tx, panel, { text: 'Matrix action', owner: 'Training lead', dueOn: addCalendarDays(today, 30), packId: open.id, roundId }, chairId, now);
      const learning = await tx.selectFrom('scrutiny_learning').select(['id', 'case_role']).where('scrutiny_case_id', '=', agreed.id).execute();
      const [victim] = await victims.victimsOf(tx, sideCases[1]!.caseId);
      return {
        panelId, roundId, packId: open.id, actionId, memberId: memberIds.at(-1)!, caseId: sideCases[1]!.caseId, victimId: victim!.id,
        learning: { oic: learning.find((l) => l.case_role === 'oic')!.id, prosecutor: learning.find((l) => l.case_role === 'prosecutor')!.id },
      };
    });
    for (const organisation of Object.values(side)) pairs.set(organisation.id, fixture);
  }
}

const api = (route: string) => route.includes(' /api/');
const unsigned = (route: string, extra: Partial<MatrixRow>): MatrixRow => (api(route) ? { route, as: notSignedIn, expect: 401, ...extra } : { route, as: notSignedIn, expect: 303, location: '/sign-in', ...extra });

/**
 * A route about a panel (or its rounds, packs, actions) that anyone signed in
 * may call, the service deciding: `users` get `allowed`, others who see the
 * panel 403, everyone else and every other pair's panel 404.
 */
function panelRoute(route: string, allowed: number, users: readonly Persona[] = seers, extra: Partial<MatrixRow> = {}): MatrixRow[] {
  const common = { ...extra, params };
  const refused = seers.filter((p) => !users.includes(p));
  return [
    { route, as: users, expect: allowed, ...common },
    ...(refused.length ? [{ route, as: refused, expect: 403, ...common }] : []),
    { route, as: strangers, expect: 404, ...common },
    { route, as: personas, relationship: 'other organisation', expect: 404, ...common },
    { route, as: chair, relationship: 'missing', expect: 404, ...common },
    ...(api(route) ? [{ route, as: users.filter((p) => p.startsWith('panel_member') || p === chair), via: 'token' as const, expect: allowed, ...common }] : []),
    unsigned(route, common),
  ];
}

/** A route for holders of scrutiny.manage of the panel's force or Area: everyone else without the permission is refused by the route. */
function manageRoute(route: string, allowed: number, extra: Partial<MatrixRow> = {}): MatrixRow[] {
  const common = { ...extra, params };
  return [
    { route, as: managers, expect: allowed, ...common },
    { route, as: personas.filter((p) => !managers.includes(p)), expect: 403, ...common },
    { route, as: managers, relationship: 'other organisation', expect: 404, ...common },
    { route, as: chair, relationship: 'missing', expect: 404, ...common },
    ...(api(route) ? [{ route, as: managers, via: 'token' as const, expect: allowed, ...common }, { route, as: managers, via: 'token' as const, scopes: [], expect: 403, ...common }] : []),
    unsigned(route, common),
  ];
}

/** A route about no panel in particular, for everyone signed in. */
function everyone(route: string): MatrixRow[] {
  return [{ route, as: personas, expect: 200 }, ...(api(route) ? [{ route, as: ['panel_member@isva_service', 'investigator@police_force'] as const, via: 'token' as const, expect: 200 }] : []), unsigned(route, {})];
}

/** Learning: for the officer in the case and the prosecutor it was sent to, no one else. */
function learningRoute(route: string): MatrixRow[] {
  const recipients: Persona[] = ['investigator@police_force', 'prosecutor@cps_area'];
  const common = { params: { learningId: learningOf } };
  return [
    { route, as: recipients, expect: 200, ...common },
    { route, as: personas.filter((p) => !recipients.includes(p)), expect: 404, ...common },
    { route, as: personas, relationship: 'other organisation', expect: 404, ...common },
    { route, as: 'investigator@police_force', relationship: 'missing', expect: 404, ...common },
    ...(api(route) ? [{ route, as: recipients, via: 'token' as const, expect: 200, ...common }] : []),
    unsigned(route, common),
  ];
}

/** The case and victim routes of a case in the panel's packs: its panel members and plan leads are told it does not exist. */
function caseOfPack(route: string): MatrixRow[] {
  const blind: Persona[] = [...panelMembers, ...withRole('plan_lead')];
  return [
    { route, as: blind, expect: 404, params },
    ...(api(route) ? [{ route, as: blind, via: 'token' as const, expect: 404, params }] : []),
  ];
}

const review = { sound: 'no', missedEnquiries: 'no', communication: 'yes', myths: 'no' };

export const rows: readonly MatrixRow[] = [
  ...everyone('GET /scrutiny'),
  ...manageRoute('GET /scrutiny/panels/new', 200, { params: {} }).filter((row) => !row.relationship),
  ...manageRoute('POST /scrutiny/panels/new', 400, { params: {} }).filter((row) => !row.relationship),
  ...panelRoute('GET /scrutiny/panels/:panelId', 200),
  ...manageRoute('GET /scrutiny/panels/:panelId/members/new', 200),
  ...manageRoute('POST /scrutiny/panels/:panelId/members/new', 409),
  ...manageRoute('POST /scrutiny/panels/:panelId/members/:memberId/end', 409),
  ...manageRoute('POST /scrutiny/panels/:panelId/members/:memberId/chair', 409),
  ...manageRoute('GET /scrutiny/panels/:panelId/rounds/new', 200),
  ...manageRoute('POST /scrutiny/panels/:panelId/rounds/new', 409),
  ...panelRoute('GET /scrutiny/panels/:panelId/rounds/:roundId', 200),
  ...panelRoute('GET /scrutiny/packs/:packId', 200),
  ...panelRoute('GET /scrutiny/packs/:packId/review', 200, members),
  ...panelRoute('POST /scrutiny/packs/:packId/review', 400, members),
  ...panelRoute('GET /scrutiny/packs/:packId/findings', 200, [chair]),
  ...panelRoute('POST /scrutiny/packs/:packId/findings', 409, [chair]),
  ...panelRoute('GET /scrutiny/panels/:panelId/actions/new', 200, actors),
  ...panelRoute('POST /scrutiny/panels/:panelId/actions/new', 400, actors),
  ...panelRoute('GET /scrutiny/panels/:panelId/actions/:actionId', 200),
  ...panelRoute('GET /scrutiny/panels/:panelId/actions/:actionId/status', 200, actors),
  ...panelRoute('POST /scrutiny/panels/:panelId/actions/:actionId/status', 409, actors),
  ...panelRoute('GET /scrutiny/panels/:panelId/themes', 200),
  ...panelRoute('GET /scrutiny/panels/:panelId/themes.csv', 200),
  ...everyone('GET /scrutiny/learning'),
  ...learningRoute('GET /scrutiny/learning/:learningId'),

  ...everyone('GET /api/v1/scrutiny/panels'),
  ...manageRoute('POST /api/v1/scrutiny/panels', 400, { params: {}, json: { name: 'Matrix panel', forceId: '0190d000-0000-7000-8000-000000000000' } }).filter((row) => !row.relationship),
  ...panelRoute('GET /api/v1/scrutiny/panels/:panelId', 200),
  ...manageRoute('POST /api/v1/scrutiny/panels/:panelId/members', 428, { json: { email: 'nobody@matrix.example' } }),
  ...manageRoute('DELETE /api/v1/scrutiny/panels/:panelId/members/:memberId', 428),
  ...manageRoute('POST /api/v1/scrutiny/panels/:panelId/members/:memberId/chair', 428),
  ...manageRoute('POST /api/v1/scrutiny/panels/:panelId/rounds', 428, { json: { from: '2025-01-01', to: '2025-01-31', method: 'all' } }),
  ...panelRoute('GET /api/v1/scrutiny/panels/:panelId/rounds/:roundId', 200),
  ...panelRoute('GET /api/v1/scrutiny/packs/:packId', 200),
  ...panelRoute('PUT /api/v1/scrutiny/packs/:packId/reviews/mine', 400, members, { json: review }),
  ...panelRoute('POST /api/v1/scrutiny/packs/:packId/findings', 428, [chair], { json: { ...review, sound: 'yes', learning: 'None.' } }),
  ...panelRoute('POST /api/v1/scrutiny/panels/:panelId/actions', 400, actors, { json: { text: '', owner: 'Lead', dueOn: '2026-01-31' } }),
  ...panelRoute('PATCH /api/v1/scrutiny/panels/:panelId/actions/:actionId', 428, actors, { json: { status: 'done', note: 'Done.' } }),
  ...panelRoute('GET /api/v1/scrutiny/panels/:panelId/themes', 200),
  ...everyone('GET /api/v1/scrutiny/learning'),
  ...learningRoute('GET /api/v1/scrutiny/learning/:learningId'),

  // The very cases in the packs, and their victims: nothing for panel members or plan leads.
  ...[
    'GET /cases/:caseId', 'GET /cases/:caseId/police-nfa', 'GET /cases/:caseId/charging', 'GET /cases/:caseId/victims', 'GET /cases/:caseId/victims/:victimId',
    'GET /cases/:caseId/victims/:victimId/communication', 'GET /api/v1/cases/:caseId', 'GET /api/v1/cases/:caseId/police-nfa',
    'GET /api/v1/cases/:caseId/victims', 'GET /api/v1/cases/:caseId/victims/:victimId',
  ].flatMap(caseOfPack),
];
