// Access-matrix rows for quarterly assurance reports. Every police force and
// CPS Area in the matrix has three reports: one published, one signed off
// and one draft (drafted and signed off by people who are not personas).
// The organisation's managers (holders of assurance.read there) read all of
// them; the national organisation's plan leads and analysts read the
// published one of any organisation (a national persona's parameters point
// at the force's reports) and nothing of a draft; other forces' and Areas'
// managers get nothing (404); investigators, prosecutors, ISVAs, panel
// members and everyone else without the permission are refused (403).
// Drafters (plan leads and analysts of the organisation) and signers
// (escalation leads, heads of RASSO) get as far as the command: without the
// version read it is a conflict (409 on a page, 428 in the API).
import type { Actor } from '../../src/platform/access/policy.ts';
import type { Role } from '../../src/platform/access/roles.ts';
import type { AuditContext } from '../../src/platform/audit/model.ts';
import { londonDate } from '../../src/platform/time/working-days.ts';
import { quarterKey, recentQuarters } from '../../src/governance/assurance/model.ts';
import { createAssuranceService } from '../../src/governance/assurance/service.ts';
import { notSignedIn, personas, withRole } from '../support/access-matrix.ts';
import type { MatrixRow, MatrixWorld, OrganisationFixture, Persona } from '../support/access-matrix.ts';
import type { TestApp } from '../support/app.ts';

type State = 'published' | 'signedOff' | 'draft';
const reports = new Map<string, Record<State, string>>();
/** Each national organisation's side: the force whose reports its personas' parameters point at. */
const forceOfNational = new Map<string, string>();

/** The report of the organisation in a state; the national organisations point at the force of their side. */
const reportOf = (state: State) => (organisation: OrganisationFixture): string => {
  const id = organisation.kind === 'national' ? forceOfNational.get(organisation.id) ?? '' : organisation.id;
  return reports.get(id)?.[state] ?? 'no-report-made';
};
const params = (state: State) => ({ reportId: reportOf(state), number: () => '1', section: () => 'summary' });

export async function prepare(t: TestApp, world: MatrixWorld): Promise<void> {
  forceOfNational.set(world.home.national.id, world.home.police_force.id);
  forceOfNational.set(world.other.national.id, world.other.police_force.id);
  const assurance = createAssuranceService(t.platform);
  const [draftQuarter, signedQuarter, publishedQuarter] = recentQuarters(londonDate(t.clock.now()), 4).slice(1).map(quarterKey) as [string, string, string];
  for (const organisation of [world.home.police_force, world.home.cps_area, world.other.police_force, world.other.cps_area]) {
    const code = organisation.id.slice(-12);
    const signerRole: Role = organisation.kind === 'police_force' ? 'escalation_lead' : 'head_of_rasso';
    const membership = (roles: Role[]) => ({ organisationId: organisation.id, organisationCode: code, organisationName: code, organisationKind: organisation.kind, roles });
    const make = async (email: string, role: Role): Promise<[Actor, AuditContext]> => {
      const person = await t.person({ email, roles: [[organisation.id, role]] });
      const actor: Actor = { userId: person.id, displayName: email, email, organisation: membership([role]), memberships: [membership([role])], via: 'session', scopes: undefined };
      return [actor, { userId: person.id, organisationId: organisation.id, role, requestId: null, written: { count: 0 } }];
    };
    const drafter = await make(`assurance-drafter@${code}.example`, 'plan_lead');
    const signer = await make(`assurance-signer@${code}.example`, signerRole);
    const published = await assurance.start(...drafter, { quarter: publishedQuarter });
    await assurance.signOff(...signer, published, 1);
    await assurance.publish(...signer, published, 2);
    const signedOff = await assurance.start(...drafter, { quarter: signedQuarter });
    await assurance.signOff(...signer, signedOff, 1);
    const draft = await assurance.start(...drafter, { quarter: draftQuarter });
    reports.set(organisation.id, { published, signedOff, draft });
  }
}

const local = (persona: Persona) => persona.endsWith('@police_force') || persona.endsWith('@cps_area');
const readers = withRole('plan_lead', 'analyst', 'police_supervisor', 'escalation_lead', 'dcp', 'head_of_rasso');
const localReaders = readers.filter(local);
const nationalReaders = readers.filter((persona) => !local(persona));
const notReaders = personas.filter((persona) => !readers.includes(persona));
const drafters = withRole('plan_lead', 'analyst');
const localDrafters = drafters.filter(local);
const nationalDrafters = drafters.filter((persona) => !local(persona));
const notDrafters = personas.filter((persona) => !drafters.includes(persona));
const signers = withRole('escalation_lead', 'head_of_rasso');

const api = (route: string) => route.includes(' /api/');
const signInRow = (route: string, extra: Partial<MatrixRow>): MatrixRow => (api(route) ? { route, as: notSignedIn, expect: 401, ...extra } : { route, as: notSignedIn, expect: 303, location: '/sign-in', ...extra });
/** Tokens with the default scopes do as sessions do; without any scope they are refused. */
const tokenRows = (route: string, as: readonly Persona[], expect: number, extra: Partial<MatrixRow>): MatrixRow[] => (api(route) && as.length ? [
  { route, as, via: 'token', expect, ...extra },
  { route, as, via: 'token', scopes: [], expect: 403, ...extra },
] : []);

/** Reading a report in a state: its organisation's managers; national readers only once published; nobody else. */
function reading(route: string, state: State): MatrixRow[] {
  const extra = { params: params(state) };
  const nationally = state === 'published' ? 200 : 404;
  const missing = !(api(route) && route.includes(':number'));
  return [
    { route, as: localReaders, expect: 200, ...extra },
    { route, as: nationalReaders, expect: nationally, ...extra },
    { route, as: localReaders, relationship: 'other organisation', expect: 404, ...extra },
    { route, as: nationalReaders, relationship: 'other organisation', expect: nationally, ...extra },
    ...(missing ? [{ route, as: 'escalation_lead@police_force' as const, relationship: 'missing' as const, expect: 404, ...extra }] : []),
    { route, as: notReaders, expect: 403, ...extra },
    ...tokenRows(route, localReaders, 200, extra),
    signInRow(route, extra),
  ];
}

/**
 * A step on a report in a state for `holders` of its permission: the
 * organisation's own get `allowed`; national ones `national` (404 when they
 * may not see it, 403 when they may but not act); other organisations' 404.
 */
function step(route: string, state: State, holders: readonly Persona[], allowed: number, national: number, json?: unknown): MatrixRow[] {
  const extra = { params: params(state), ...(json === undefined ? {} : { json }) };
  const own = holders.filter(local);
  const nationals = holders.filter((persona) => !local(persona));
  const missing = !(api(route) && route.includes(':section'));
  return [
    { route, as: own, expect: allowed, ...extra },
    ...(nationals.length ? [{ route, as: nationals, expect: national, ...extra }] : []),
    { route, as: own, relationship: 'other organisation', expect: 404, ...extra },
    ...(missing ? [{ route, as: own[0]!, relationship: 'missing' as const, expect: 404, ...extra }] : []),
    { route, as: personas.filter((persona) => !holders.includes(persona)), expect: 403, ...extra },
    ...tokenRows(route, own, allowed, extra),
    signInRow(route, extra),
  ];
}

const pageStep = (path: string, state: State, holders: readonly Persona[], national: number, json?: unknown) => [
  ...step(`GET ${path}`, state, holders, 200, national),
  ...step(`POST ${path}`, state, holders, 409, national, json),
];

const base = '/api/v1/assurance-reports';

export const rows: readonly MatrixRow[] = [
  { route: 'GET /assurance', as: readers, expect: 200 },
  { route: 'GET /assurance', as: notReaders, expect: 403 },
  signInRow('GET /assurance', {}),
  // Starting a report: for the drafters of a force or Area; national ones are refused by the report's own check.
  ...['GET /assurance/new', 'POST /assurance/new'].flatMap((route): MatrixRow[] => [
    { route, as: localDrafters, expect: route.startsWith('GET') ? 200 : 400 },
    { route, as: [...nationalDrafters, ...notDrafters], expect: 403 },
    signInRow(route, {}),
  ]),
  ...(['published', 'signedOff', 'draft'] as const).flatMap((state) => [
    ...reading('GET /assurance/:reportId', state),
    ...reading('GET /assurance/:reportId/versions/:number', state),
    ...reading(`GET ${base}/:reportId`, state),
    ...reading(`GET ${base}/:reportId/versions/:number`, state),
  ]),
  ...reading('GET /assurance/:reportId/versions/:number/print', 'published'),
  ...reading('GET /assurance/:reportId/versions/:number/print', 'draft'),
  ...reading('GET /assurance/:reportId/versions/:number/pdf', 'published'),
  ...reading('GET /assurance/:reportId/versions/:number/pdf', 'draft'),
  ...pageStep('/assurance/:reportId/commentary/:section', 'draft', drafters, 404),
  ...pageStep('/assurance/:reportId/refresh', 'draft', drafters, 404),
  ...pageStep('/assurance/:reportId/sign-off', 'draft', signers, 404),
  ...pageStep('/assurance/:reportId/publish', 'signedOff', signers, 404),
  ...pageStep('/assurance/:reportId/reopen', 'published', drafters, 403),

  { route: `GET ${base}`, as: readers, expect: 200 },
  ...tokenRows(`GET ${base}`, readers, 200, {}),
  { route: `GET ${base}`, as: notReaders, expect: 403 },
  signInRow(`GET ${base}`, {}),
  // A quarter that has not ended: drafters get as far as validation.
  { route: `POST ${base}`, as: localDrafters, json: { quarter: '2099-00-q1' }, expect: 400 },
  ...tokenRows(`POST ${base}`, localDrafters, 400, { json: { quarter: '2099-00-q1' } }),
  { route: `POST ${base}`, as: [...nationalDrafters, ...notDrafters], json: { quarter: '2099-00-q1' }, expect: 403 },
  signInRow(`POST ${base}`, { json: { quarter: '2099-00-q1' } }),
  ...step(`PUT ${base}/:reportId/commentary/:section`, 'draft', drafters, 428, 404, { text: 'Commentary.' }),
  ...step(`POST ${base}/:reportId/refresh`, 'draft', drafters, 428, 404, {}),
  ...step(`POST ${base}/:reportId/sign-off`, 'draft', signers, 428, 404, {}),
  ...step(`POST ${base}/:reportId/publish`, 'signedOff', signers, 428, 404, {}),
  ...step(`POST ${base}/:reportId/reopen`, 'published', drafters, 428, 403, { reason: 'A correction.' }),
];
