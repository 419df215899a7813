// Access-matrix rows for action plans. Every organisation in the matrix owns
// a plan (Jersey's, loaded for it). Reading plans is for everyone signed in,
// whoever owns them; plans hold no case data. Changing a plan is for plan
// leads of the organisation that owns it: other plan leads are refused (403)
// by the plan's own check, everyone else by the route's permission; a plan
// that is not there is not found. Plan leads get as far as the command:
// without the version read it is a conflict (409 on a page, 428 in the API).
// Making a plan is for plan leads, for their own organisation: an empty form
// gets as far as its checks (400).
import { inTransaction } from '../../src/platform/db/transaction.ts';
import { writeShippedPlan } from '../../src/plans/service.ts';
import { shippedPlan } from '../../src/plans/shipped.ts';
import { notSignedIn, personas, withRole, withoutRole } from '../support/access-matrix.ts';
import type { MatrixRow, MatrixWorld, OrganisationFixture } from '../support/access-matrix.ts';
import type { TestApp } from '../support/app.ts';

const plans = new Map<string, { planId: string; actionId: string; themeId: string }>();
const planOf = (organisation: OrganisationFixture) => plans.get(organisation.id)?.planId ?? 'no-plan-made';
const actionOf = (organisation: OrganisationFixture) => plans.get(organisation.id)?.actionId ?? 'no-plan-made';
const themeOf = (organisation: OrganisationFixture) => plans.get(organisation.id)?.themeId ?? 'no-plan-made';
const params = { planId: planOf, actionId: actionOf, themeId: themeOf };

export async function prepare(t: TestApp, world: MatrixWorld): Promise<void> {
  const now = t.clock.now();
  for (const organisation of [...Object.values(world.home), ...Object.values(world.other)]) {
    await inTransaction(t.platform.db, async (tx) => {
      const planId = await writeShippedPlan(tx, shippedPlan('jersey-2022-23'), { ownerOrganisationId: organisation.id, nextReviewOn: '2030-01-01', now });
      const action = await tx.selectFrom('plan_actions').select(['id', 'theme_id']).where('plan_id', '=', planId).where('number', '=', 1).executeTakeFirstOrThrow();
      plans.set(organisation.id, { planId, actionId: action.id, themeId: action.theme_id });
    });
  }
}

const planLeads = withRole('plan_lead');
const others = withoutRole('plan_lead');

/** A page anyone signed in may read, about one plan (or none). */
function readable(route: string): MatrixRow[] {
  const api = route.includes(' /api/');
  const about = route.includes(':planId');
  return [
    { route, as: personas, expect: 200, params },
    ...(about ? [{ route, as: personas, relationship: 'other organisation' as const, expect: 200, params }, { route, as: 'analyst@national' as const, relationship: 'missing' as const, expect: 404, params }] : []),
    ...(api ? [{ route, as: ['investigator@police_force', 'isva@isva_service'] as const, via: 'token' as const, expect: 200, params }] : []),
    api ? { route, as: notSignedIn, expect: 401, params } : { route, as: notSignedIn, expect: 303, location: '/sign-in', params },
  ] as MatrixRow[];
}

/** A change (or its form) for plan leads of the owning organisation: `allowed` is what they get. */
function change(route: string, allowed: number, extra: Partial<MatrixRow> = {}): MatrixRow[] {
  const api = route.includes(' /api/');
  const common = { ...extra, params };
  return [
    { route, as: planLeads, expect: allowed, ...common },
    { route, as: planLeads, relationship: 'other organisation', expect: 403, ...common },
    { route, as: 'plan_lead@national', relationship: 'missing', expect: 404, ...common },
    { route, as: others, expect: 403, ...common },
    ...(api ? [
      { route, as: planLeads, via: 'token' as const, expect: allowed, ...common },
      { route, as: planLeads, via: 'token' as const, scopes: [], expect: 403, ...common },
      { route, as: notSignedIn, expect: 401, ...common },
    ] : [{ route, as: notSignedIn, expect: 303, location: '/sign-in', ...common }]),
  ];
}

/** Making a plan: plan leads, for the organisation they act for; `allowed` is what they get. */
function making(route: string, allowed: number, extra: Partial<MatrixRow> = {}): MatrixRow[] {
  const api = route.includes(' /api/');
  return [
    { route, as: planLeads, expect: allowed, ...extra },
    { route, as: others, expect: 403, ...extra },
    ...(api ? [
      { route, as: planLeads, via: 'token' as const, expect: allowed, ...extra },
      { route, as: planLeads, via: 'token' as const, scopes: [], expect: 403, ...extra },
      { route, as: notSignedIn, expect: 401, ...extra },
    ] : [{ route, as: notSignedIn, expect: 303, location: '/sign-in', ...extra }]),
  ];
}

const AN_ID = '0190d000-0000-7000-8000-000000000000';

export const rows: readonly MatrixRow[] = [
  ...readable('GET /plans'),
  ...readable('GET /plans/:planId'),
  ...readable('GET /plans/:planId/cascade'),
  ...readable('GET /plans/:planId/actions/:actionId'),
  ...change('GET /plans/:planId/review', 200),
  ...change('POST /plans/:planId/review', 409),
  ...['update', 'status', 'evidence', 'national-action'].flatMap((form) => [
    ...change(`GET /plans/:planId/actions/:actionId/${form}`, 200),
    ...change(`POST /plans/:planId/actions/:actionId/${form}`, 409),
  ]),
  ...making('GET /plans/new', 200),
  ...making('POST /plans/new', 400),
  ...change('GET /plans/:planId/details', 200),
  ...change('POST /plans/:planId/details', 409),
  ...change('GET /plans/:planId/themes', 200),
  ...change('GET /plans/:planId/themes/new', 200),
  ...change('POST /plans/:planId/themes/new', 409),
  ...change('GET /plans/:planId/themes/:themeId', 200),
  ...change('POST /plans/:planId/themes/:themeId', 409),
  ...change('POST /plans/:planId/themes/:themeId/move', 409),
  ...change('GET /plans/:planId/actions/new', 200),
  ...change('POST /plans/:planId/actions/new', 409),
  ...['edit', 'withdraw'].flatMap((form) => [
    ...change(`GET /plans/:planId/actions/:actionId/${form}`, 200),
    ...change(`POST /plans/:planId/actions/:actionId/${form}`, 409),
  ]),
  ...readable('GET /api/v1/plans'),
  ...readable('GET /api/v1/plans/:planId'),
  ...readable('GET /api/v1/plans/:planId/actions/:actionId'),
  ...change('POST /api/v1/plans/:planId/actions/:actionId/updates', 428, { json: { text: 'Training delivered.' } }),
  ...making('POST /api/v1/plans', 400, { json: {} }),
  ...change('PATCH /api/v1/plans/:planId', 428, { json: { title: 'Renamed' } }),
  ...change('POST /api/v1/plans/:planId/themes', 428, { json: { title: 'A new theme' } }),
  ...change('PATCH /api/v1/plans/:planId/themes/:themeId', 428, { json: { title: 'Renamed' } }),
  ...change('PUT /api/v1/plans/:planId/themes/:themeId/position', 428, { json: { position: 1 } }),
  ...change('GET /api/v1/plans/:planId/lead-candidates', 200),
  ...change('POST /api/v1/plans/:planId/actions', 428, { json: { themeId: AN_ID, text: 'A new action.' } }),
  ...change('PATCH /api/v1/plans/:planId/actions/:actionId', 428, { json: { text: 'Reworded.' } }),
  ...change('POST /api/v1/plans/:planId/actions/:actionId/withdrawal', 428, { json: { reason: 'Merged into another action.' } }),
];
