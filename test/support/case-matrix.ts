// The access matrix for the joint case file. Two cases are made, one in the
// home force and CPS Area (with the home investigator as officer in the case
// and the home prosecutor as prosecutor) and one in the other pair; every
// part of the case file (early advice, action plans, charging, ...) keeps its
// rows in test/access-matrix/<part>.ts, exporting `rows` and, if its routes
// need objects of their own, `prepare` to make them on the matrix cases.
// This file gathers them, so a part adds rows without touching the others.
import { readdirSync } from 'node:fs';
import { systemContext } from '../../src/platform/audit/model.ts';
import { createCasesService } from '../../src/cases/service.ts';
import type { Stage } from '../../src/cases/model.ts';
import { notSignedIn, personas } from './access-matrix.ts';
import type { MatrixRow, MatrixWorld, OrganisationFixture, Persona } from './access-matrix.ts';
import type { TestApp } from './app.ts';

export interface MatrixCases {
  /** The case of the home force and Area. */
  readonly home: string;
  /** The case of the other force and Area. */
  readonly other: string;
}

export interface CaseMatrixPart {
  readonly rows: readonly MatrixRow[];
  /** Makes what the part's routes need on the matrix cases, before the rows run. */
  readonly prepare?: (t: TestApp, world: MatrixWorld, cases: MatrixCases) => Promise<void>;
}

// Each organisation points at a case: the home ones at the home case, the
// others at the other. Who may see a case is need-to-know, so the same
// persona is allowed on one case and told the other does not exist.
const matrixCases = new Map<string, string>();
/** The matrix case an organisation points at (a parameter source for `:caseId`). */
export const caseOf = (organisation: OrganisationFixture) => matrixCases.get(organisation.id) ?? 'no-case-made';

/** One of a pair's matrix cases: the pair's organisations, the case, its officer in the case and its prosecutor. */
export interface SideCase {
  readonly side: MatrixWorld['home'];
  readonly caseId: string;
  readonly oicId: string;
  readonly prosecutorId: string;
}

/**
 * Makes a case in each pair (home, then other), at the end of `path`, with a
 * victim, an officer in the case and a prosecutor; answers them in that order.
 */
export async function makeSideCases(t: TestApp, world: MatrixWorld, reference: string, path: readonly Stage[]): Promise<SideCase[]> {
  const cases = createCasesService(t.platform);
  const made: SideCase[] = [];
  for (const [side, suffix, oicId, prosecutorId] of [
    [world.home, 'HOME', world.people.get('investigator@police_force')!.id, world.people.get('prosecutor@cps_area')!.id],
    [world.other, 'OTHER', world.other.police_force.colleague.id, world.other.cps_area.colleague.id],
  ] as const) {
    const caseId = await cases.operator.createCase(systemContext(), {
      policeReference: `${reference}/${suffix}`,
      forceId: side.police_force.id,
      cpsAreaId: side.cps_area.id,
      offenceClass: 'rape_16_plus',
      reportedOn: '2025-01-06',
      path,
      people: [{ category: 'victim', name: 'Matrix Victim' }],
      team: [{ userId: oicId, organisationId: side.police_force.id, role: 'oic' }, { userId: prosecutorId, organisationId: side.cps_area.id, role: 'prosecutor' }],
    });
    made.push({ side, caseId, oicId, prosecutorId });
  }
  return made;
}

/** Makes the two matrix cases (at 'Investigation'); answers their ids. */
export async function makeMatrixCases(t: TestApp, world: MatrixWorld): Promise<MatrixCases> {
  for (const { side, caseId } of await makeSideCases(t, world, 'MATRIX', ['investigation'])) {
    for (const organisation of Object.values(side)) matrixCases.set(organisation.id, caseId);
  }
  return { home: caseOf(world.home.police_force), other: caseOf(world.other.police_force) };
}

export const caseTeam: readonly Persona[] = ['investigator@police_force', 'prosecutor@cps_area'];
export const caseSupervisors: readonly Persona[] = ['police_supervisor@police_force', 'escalation_lead@police_force', 'dcp@cps_area', 'head_of_rasso@cps_area'];
export const caseReaders = [...caseTeam, ...caseSupervisors];
export const caseStrangers = personas.filter((persona) => !caseReaders.includes(persona));
export const caseAllocators: readonly Persona[] = ['police_supervisor@police_force', 'dcp@cps_area', 'head_of_rasso@cps_area'];
export const caseCreators: readonly Persona[] = ['investigator@police_force', 'police_supervisor@police_force'];
export const breakGlassers = personas.filter((persona) => /^(investigator|police_supervisor|escalation_lead|paralegal)@police_force$|^(prosecutor|dcp|head_of_rasso|vlo|paralegal)@cps_area$/.test(persona));

/**
 * A route about one case: `allowed` for those who may use it, 403 for others
 * who may see the case, 404 for everyone else and for every other case.
 * `users` may include people who are not case readers (a victim's ISVA on
 * the victims' records).
 */
export function caseRoute(route: string, allowed: number, extra: Partial<MatrixRow> = {}, users: readonly Persona[] = caseReaders): MatrixRow[] {
  const api = route.includes(' /api/');
  // The case is always the matrix case; a part's extra parameters (a plan, an item) are added to it.
  const common = { ...extra, params: { caseId: caseOf, ...extra.params } };
  const refused = caseReaders.filter((persona) => !users.includes(persona));
  return [
    { route, as: users, expect: allowed, ...common },
    ...(refused.length ? [{ route, as: refused, expect: 403, ...common }] : []),
    { route, as: caseStrangers.filter((persona) => !users.includes(persona)), expect: 404, ...common },
    { route, as: personas, relationship: 'other organisation', expect: 404, ...common },
    { route, as: 'investigator@police_force', relationship: 'missing', expect: 404, ...common },
    api ? { route, as: notSignedIn, expect: 401, ...common } : { route, as: notSignedIn, expect: 303, location: '/sign-in', ...common },
  ];
}

/** A route for some personas only, about no case in particular. */
export function casePersonas(route: string, allowed: number, users: readonly Persona[], extra: Partial<MatrixRow> = {}): MatrixRow[] {
  const api = route.includes(' /api/');
  return [
    { route, as: users, expect: allowed, ...extra },
    ...(users.length === personas.length ? [] : [{ route, as: personas.filter((persona) => !users.includes(persona)), expect: 403, ...extra }]),
    api ? { route, as: notSignedIn, expect: 401, ...extra } : { route, as: notSignedIn, expect: 303, location: '/sign-in', ...extra },
  ];
}

const caseFileRows: MatrixRow[] = [
  ...casePersonas('GET /cases', 200, personas),
  ...casePersonas('GET /cases/new', 200, caseCreators),
  ...casePersonas('POST /cases/new', 400, caseCreators),
  ...casePersonas('GET /cases/break-glass', 200, breakGlassers),
  ...casePersonas('POST /cases/break-glass', 400, breakGlassers),
  ...caseRoute('GET /cases/:caseId', 200),
  ...caseRoute('GET /cases/:caseId/people/new', 200),
  ...caseRoute('POST /cases/:caseId/people/new', 400),
  ...caseRoute('GET /cases/:caseId/team/new', 200, {}, caseAllocators),
  ...caseRoute('POST /cases/:caseId/team/new', 400, {}, caseAllocators),
  ...caseRoute('GET /cases/:caseId/stage', 200),
  ...caseRoute('POST /cases/:caseId/stage', 400),
  ...casePersonas('GET /api/v1/cases', 200, personas),
  { route: 'GET /api/v1/cases', as: ['investigator@police_force', 'isva@isva_service'], via: 'token', expect: 200 },
  // A valid request naming no real CPS Area: creators get as far as validation.
  ...casePersonas('POST /api/v1/cases', 400, caseCreators, { json: { policeReference: 'MATRIX/NEW', cpsAreaId: '0190d000-0000-7000-8000-000000000000', offenceClass: 'rape_16_plus', reportedOn: '2025-01-06' } }),
  ...caseRoute('GET /api/v1/cases/:caseId', 200),
  { route: 'GET /api/v1/cases/:caseId', as: caseTeam, via: 'token', params: { caseId: caseOf }, expect: 200 },
  { route: 'GET /api/v1/cases/:caseId', as: ['isva@isva_service', 'analyst@national'], via: 'token', params: { caseId: caseOf }, expect: 404 },
  // A move with a command of its own: the team gets as far as validation.
  ...caseRoute('PATCH /api/v1/cases/:caseId/stage', 400, { json: { stage: 'early_advice' } }),
];


const partsFolder = new URL('../access-matrix/', import.meta.url);

/**
 * The case file's own rows, then every part's, in the order of their file
 * names. Loaded on demand, not when this file is, so that parts may import
 * the helpers above.
 */
export async function caseMatrixParts(): Promise<CaseMatrixPart[]> {
  const parts = await Promise.all(
    readdirSync(partsFolder).filter((name) => name.endsWith('.ts')).sort().map(async (name) => (await import(new URL(name, partsFolder).href)) as CaseMatrixPart),
  );
  return [{ rows: caseFileRows }, ...parts];
}
