// Access-matrix rows for publishing and exchanging plans. Every organisation
// in the matrix owns a plan (Jersey's) with one published edition. Reports,
// editions, their PDFs and exports are for everyone signed in, whoever owns
// the plan: plans hold no case data. Publishing is for plan leads of the
// owning organisation (other plan leads are refused by the plan's own check,
// everyone else by the route's permission); without the revision read it gets
// as far as the conflict (409 on the page, 428 in the API). Importing is for
// plan leads, for their own organisation: a form without a file gets as far
// as its checks (400), and the API answers anything but a spreadsheet 415.
import { inTransaction } from '../../src/platform/db/transaction.ts';
import { progressReport, reportRevision } from '../../src/plans/publishing/model.ts';
import { readPlanData, writeEdition } from '../../src/plans/publishing/service.ts';
import { writeShippedPlan } from '../../src/plans/service.ts';
import { shippedPlan } from '../../src/plans/shipped.ts';
import { notSignedIn, personas, withRole, withoutRole } from '../support/access-matrix.ts';
import type { MatrixRow, MatrixWorld, OrganisationFixture, Visitor } from '../support/access-matrix.ts';
import type { TestApp } from '../support/app.ts';

const made = new Map<string, { planId: string; editionId: string }>();
const params = {
  planId: (organisation: OrganisationFixture) => made.get(organisation.id)?.planId ?? 'no-plan-made',
  editionId: (organisation: OrganisationFixture) => made.get(organisation.id)?.editionId ?? 'no-plan-made',
  format: () => 'xlsx',
};

export async function prepare(t: TestApp, world: MatrixWorld): Promise<void> {
  const now = t.clock.now();
  for (const organisation of [...Object.values(world.home), ...Object.values(world.other)]) {
    await inTransaction(t.platform.db, async (tx) => {
      const planId = await writeShippedPlan(tx, shippedPlan('jersey-2022-23'), { ownerOrganisationId: organisation.id, nextReviewOn: '2030-01-01', now });
      const report = progressReport((await readPlanData(tx, planId))!);
      const { id } = await writeEdition(tx, { report, revision: reportRevision(report), publishedBy: null, now });
      made.set(organisation.id, { planId, editionId: id });
    });
  }
}

const planLeads = withRole('plan_lead');
const others = withoutRole('plan_lead');
const isApi = (route: string) => route.includes(' /api/');
const refusedSignedOut = (route: string, extra: Partial<MatrixRow> = {}): MatrixRow =>
  isApi(route) ? { route, as: notSignedIn, expect: 401, params, ...extra } : { route, as: notSignedIn, expect: 303, location: '/sign-in', params, ...extra };

/** For everyone signed in, about any organisation's plan; a plan (or edition) that is not there is not found. */
function forEveryone(route: string, extra: Partial<MatrixRow> = {}): MatrixRow[] {
  const tokens: readonly Visitor[] = ['plan_lead@police_force', 'analyst@national', 'isva@isva_service'];
  return [
    { route, as: personas, expect: 200, params, ...extra },
    { route, as: personas, relationship: 'other organisation', expect: 200, params, ...extra },
    { route, as: ['analyst@national', 'plan_lead@cps_area'], relationship: 'missing', expect: 404, params, ...extra },
    ...(isApi(route) ? [{ route, as: tokens, via: 'token' as const, expect: 200, params, ...extra }] : []),
    refusedSignedOut(route, extra),
  ];
}

/** For plan leads of the owning organisation: `allowed` is what they get. */
function forOwnersLeads(route: string, allowed: number): MatrixRow[] {
  return [
    { route, as: planLeads, expect: allowed, params },
    { route, as: planLeads, relationship: 'other organisation', expect: 403, params },
    { route, as: 'plan_lead@national', relationship: 'missing', expect: 404, params },
    { route, as: others, expect: 403, params },
    ...(isApi(route) ? [
      { route, as: planLeads, via: 'token' as const, expect: allowed, params },
      { route, as: planLeads, via: 'token' as const, scopes: [], expect: 403, params },
    ] : []),
    refusedSignedOut(route),
  ];
}

/** For plan leads, about no plan yet (the plan is made for their organisation). */
function forPlanLeads(route: string, allowed: number): MatrixRow[] {
  return [
    { route, as: planLeads, expect: allowed },
    { route, as: others, expect: 403 },
    ...(isApi(route) ? [
      { route, as: planLeads, via: 'token' as const, expect: allowed },
      { route, as: planLeads, via: 'token' as const, scopes: [], expect: 403 },
    ] : []),
    refusedSignedOut(route),
  ];
}

export const rows: readonly MatrixRow[] = [
  ...forEveryone('GET /plans/:planId/progress-report'),
  ...forEveryone('GET /plans/:planId/progress-report/pdf'),
  ...forEveryone('GET /plans/:planId/editions'),
  ...forEveryone('GET /plans/:planId/editions/:editionId'),
  ...forEveryone('GET /plans/:planId/editions/:editionId/pdf'),
  ...forEveryone('GET /plans/:planId/export/:format'),
  ...forOwnersLeads('GET /plans/:planId/publish', 200),
  ...forOwnersLeads('POST /plans/:planId/publish', 409),
  ...forPlanLeads('GET /plans/import', 200),
  ...forPlanLeads('POST /plans/import', 400),

  ...forEveryone('GET /api/v1/plans/:planId/progress-report'),
  ...forEveryone('GET /api/v1/plans/:planId/editions'),
  ...forEveryone('GET /api/v1/plans/:planId/editions/:editionId'),
  ...forEveryone('GET /api/v1/plans/:planId/editions/:editionId/pdf'),
  ...forEveryone('GET /api/v1/plans/:planId/export', { query: { format: 'ods' } }),
  ...forOwnersLeads('POST /api/v1/plans/:planId/editions', 428),
  ...forPlanLeads('POST /api/v1/plans/imports', 415),
];
