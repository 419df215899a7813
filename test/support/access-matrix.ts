// The access matrix: who (a persona for every role in every kind of
// organisation it can belong to, or a visitor part-way through signing in,
// or nobody) may use which route on whose objects, and what they get.
//
// Each module adds rows to test/access-matrix.test.ts, one line per
// (route, visitors, relationship, expected status). Route parameters and form
// values written ':name' are filled from the organisation the relationship
// points at, so a row reads like the rule it checks:
//
//   { route: 'GET /admin/organisations/:id', as: withRole('administrator'), relationship: 'other organisation', expect: 404 }
//
// A parameter name the harness does not know fails the run with a message
// saying where to teach it (`parameters` below).
import type { LightMyRequestResponse } from 'fastify';
import { permissions, roleNames, roles } from '../../src/platform/access/roles.ts';
import type { Permission, Role } from '../../src/platform/access/roles.ts';
import { systemContext } from '../../src/platform/audit/model.ts';
import { newId } from '../../src/platform/db/ids.ts';
import type { OrganisationKind } from '../../src/platform/db/tables.ts';
import { cookieHeader, csrfFrom, signInPartWay } from './app.ts';
import { auditHead } from './snapshot.ts';
import type { TestApp, TestPerson } from './app.ts';

export type Persona = `${Role}@${OrganisationKind}`;
/** Someone making a request: a signed-in persona, or a visitor who is not (yet) signed in. */
export type Visitor = Persona | 'anonymous' | 'signing-in' | 'enrolling';
export type Relationship = 'own organisation' | 'other organisation' | 'missing';

export interface MatrixRow {
  /** Method and route pattern as registered, e.g. 'GET /admin/organisations/:id'. */
  readonly route: string;
  readonly as: Visitor | readonly Visitor[];
  /** Whose objects fill the route's parameters and ':name' form values. Default: 'own organisation'. */
  readonly relationship?: Relationship;
  readonly expect: number;
  /** For redirects: where to, up to any query string (or exactly, when the expectation has one). */
  readonly location?: string;
  /** Query string values; ':name' is filled like a parameter. */
  readonly query?: Readonly<Record<string, string>>;
  /** Form fields for a state change (the CSRF token is added); values ':name' are filled like parameters. */
  readonly form?: Readonly<Record<string, string>>;
  /** A JSON body instead of a form (API routes); the CSRF token, if any, goes in its header. */
  readonly json?: unknown;
  /** Extra request headers (e.g. If-Match); values ':name' are filled like parameters. */
  readonly headers?: Readonly<Record<string, string>>;
  /** Parameters this route names differently from the usual (e.g. ':id' meaning a person). */
  readonly params?: Readonly<Record<string, ParameterSource>>;
  /** For routes under /api/: send a bearer token for the persona instead of the session cookie. */
  readonly via?: 'session' | 'token';
  /** Scopes of that token; default: every permission the persona's roles hold. */
  readonly scopes?: readonly Permission[];
}

export const kinds: readonly OrganisationKind[] = ['police_force', 'cps_area', 'isva_service', 'national'];

/** One persona per role and kind of organisation the role exists in. */
export const personas: readonly Persona[] = roleNames.flatMap((role) => roles[role].kinds.map((kind): Persona => `${role}@${kind}`));

export const notSignedIn: readonly Visitor[] = ['anonymous', 'signing-in', 'enrolling'];

export function withRole(...wanted: Role[]): Persona[] {
  return personas.filter((persona) => wanted.includes(roleOf(persona)));
}

export function withoutRole(...unwanted: Role[]): Persona[] {
  return personas.filter((persona) => !unwanted.includes(roleOf(persona)));
}

export function inKind(kind: OrganisationKind, among: readonly Persona[] = personas): Persona[] {
  return among.filter((persona) => kindOf(persona) === kind);
}

const roleOf = (persona: Persona) => persona.split('@')[0] as Role;
const kindOf = (persona: Persona) => persona.split('@')[1] as OrganisationKind;

/** An organisation in the matrix's world, with one of everything a route may point at. */
export interface OrganisationFixture {
  readonly id: string;
  readonly kind: OrganisationKind;
  readonly teamId: string;
  /** Someone else who works there (never one of the personas). */
  readonly colleague: TestPerson;
}

export type ParameterSource = (organisation: OrganisationFixture) => string;

/** How each route parameter is filled from the organisation a row's relationship points at. */
export const parameters = {
  id: (organisation) => organisation.id,
  organisation: (organisation) => organisation.id,
  organisationId: (organisation) => organisation.id,
  team: (organisation) => organisation.teamId,
  teamId: (organisation) => organisation.teamId,
  user: (organisation) => organisation.colleague.id,
  userId: (organisation) => organisation.colleague.id,
  person: (organisation) => organisation.colleague.id,
  personId: (organisation) => organisation.colleague.id,
  /** A role the colleague holds there. */
  role: (organisation) => colleagueRole(organisation.kind),
} satisfies Record<string, ParameterSource>;

export interface MatrixWorld {
  /** Each kind's organisation the personas belong to, and another of the same kind they do not. */
  readonly home: Readonly<Record<OrganisationKind, OrganisationFixture>>;
  readonly other: Readonly<Record<OrganisationKind, OrganisationFixture>>;
  readonly people: ReadonlyMap<Visitor, TestPerson>;
}

export async function buildWorld(t: TestApp): Promise<MatrixWorld> {
  const organisations = async (label: string) => {
    const made = {} as Record<OrganisationKind, OrganisationFixture>;
    for (const kind of kinds) {
      const code = `${label}-${kind}`.toUpperCase();
      const id = await t.organisation(code, kind, `${label} ${kind.replace('_', ' ')}`);
      const teamId = newId();
      await t.database.db.insertInto('teams').values({ id: teamId, organisation_id: id, name: `${code} team`, created_at: t.clock.now().toISOString() }).execute();
      const colleague = await t.person({ email: `colleague@${code.toLowerCase()}.example`, roles: [[id, colleagueRole(kind)]] });
      made[kind] = { id, kind, teamId, colleague };
    }
    return made;
  };
  const home = await organisations('Home');
  const other = await organisations('Other');
  const people = new Map<Visitor, TestPerson>();
  for (const persona of personas) {
    const email = `${persona.replace('@', '.')}@matrix.example`;
    people.set(persona, await t.person({ email, roles: [[home[kindOf(persona)].id, roleOf(persona)]] }));
  }
  people.set('signing-in', await t.person({ email: 'signing-in@matrix.example', roles: [[home.police_force.id, 'investigator']] }));
  people.set('enrolling', await t.person({ email: 'enrolling@matrix.example', roles: [[home.police_force.id, 'investigator']], enrolled: false }));
  return { home, other, people };
}

function colleagueRole(kind: OrganisationKind): Role {
  return kind === 'police_force' ? 'investigator' : kind === 'cps_area' ? 'prosecutor' : kind === 'isva_service' ? 'isva' : 'analyst';
}

/** A visitor's way in: the cookie, CSRF token or bearer token their requests carry. */
interface Credentials {
  readonly cookie?: string;
  readonly csrfToken?: string;
  readonly bearer?: string;
}

async function credentialsFor(t: TestApp, world: MatrixWorld, visitor: Visitor, row: MatrixRow): Promise<Credentials> {
  if (visitor === 'anonymous') {
    const page = await t.app.inject({ method: 'GET', url: '/sign-in' });
    return { cookie: cookieHeader(page), csrfToken: csrfFrom(page.body) };
  }
  const person = world.people.get(visitor)!;
  if (visitor === 'signing-in' || visitor === 'enrolling') return signInPartWay(t, person);
  if (row.via === 'token') {
    // roles.ts picks the token's default scopes here, never a row's expectation.
    const held = roleOf(visitor);
    const scopes = row.scopes ?? (Object.keys(permissions) as Permission[]).filter((p) => (permissions[p] as readonly Role[]).includes(held));
    const { token } = await t.auth.createApiToken(
      { userId: person.id, organisationId: world.home[kindOf(visitor)].id, name: 'access matrix', scopes: [...scopes], days: 1 },
      systemContext(),
    );
    return { bearer: token };
  }
  const agent = await t.signIn(person);
  return { cookie: agent.cookie, csrfToken: agent.csrfToken };
}

function target(world: MatrixWorld, visitor: Visitor, relationship: Relationship): OrganisationFixture | 'missing' {
  if (relationship === 'missing') return 'missing';
  const kind = visitor.includes('@') ? kindOf(visitor as Persona) : 'police_force';
  return relationship === 'own organisation' ? world.home[kind] : world.other[kind];
}

function fill(value: string, organisation: OrganisationFixture | 'missing', row: MatrixRow): string {
  return value.replace(/:([A-Za-z]+)/g, (_match, name: string) => {
    const resolve = row.params?.[name] ?? (parameters as Record<string, ParameterSource | undefined>)[name];
    if (!resolve) throw new Error(`${row.route}: the access matrix does not know how to fill ":${name}"; teach it in parameters (test/support/access-matrix.ts) or give the row params`);
    return organisation === 'missing' ? newId() : resolve(organisation);
  });
}

const SAFE = new Set(['GET', 'HEAD', 'OPTIONS']);

/** The routes the rows mention, as 'METHOD /pattern'. */
export function routesOf(rows: readonly MatrixRow[]): Set<string> {
  return new Set(rows.map((row) => row.route));
}

/**
 * Runs every row for every visitor it names and returns what did not go as
 * the row says (empty when the matrix holds). A visitor's reads, and state
 * changes that should be refused, share one session; a state change that
 * should go through gets a session of its own, so one row's sign-out cannot
 * affect another (if a refusal wrongly goes through, that row fails first).
 */
export async function runMatrix(t: TestApp, world: MatrixWorld, rows: readonly MatrixRow[]): Promise<string[]> {
  const failures: string[] = [];
  const cases = rows.flatMap((row) => [row.as].flat().map((visitor) => ({ row, visitor: visitor as Visitor })));
  // A refusal (an error, or being sent to sign in) changes nothing, so it can share the session too.
  const refused = (row: MatrixRow) => row.expect >= 400 || row.location === '/sign-in';
  const sharing = (row: MatrixRow) => row.via !== 'token' && (SAFE.has(methodOf(row)) || refused(row));
  for (const visitor of new Set(cases.map((c) => c.visitor))) {
    const mine = cases.filter((c) => c.visitor === visitor).map((c) => c.row);
    let shared: Credentials | undefined;
    // Reads first: the fresh sign-ins below move the clock on, and a shared session could time out.
    for (const row of [...mine.filter(sharing), ...mine.filter((row) => !sharing(row))]) {
      const credentials = sharing(row) ? (shared ??= await credentialsFor(t, world, visitor, row)) : await credentialsFor(t, world, visitor, row);
      const failure = await check(t, world, visitor, row, credentials);
      if (failure) failures.push(failure);
    }
  }
  return failures;
}

const methodOf = (row: MatrixRow) => row.route.split(' ')[0]!;

async function check(t: TestApp, world: MatrixWorld, visitor: Visitor, row: MatrixRow, credentials: Credentials): Promise<string | undefined> {
  const [method, pattern] = row.route.split(' ') as [string, string];
  const relationship = row.relationship ?? 'own organisation';
  const organisation = target(world, visitor, relationship);
  const query = new URLSearchParams(Object.entries(row.query ?? {}).map(([name, value]): [string, string] => [name, fill(value, organisation, row)])).toString();
  const url = fill(pattern, organisation, row) + (query ? `?${query}` : '');
  const headers: Record<string, string> = { accept: url.startsWith('/api/') ? 'application/json' : 'text/html' };
  for (const [name, value] of Object.entries(row.headers ?? {})) headers[name] = fill(value, organisation, row);
  if (credentials.cookie) headers.cookie = credentials.cookie;
  if (credentials.bearer) headers.authorization = `Bearer ${credentials.bearer}`;
  let payload: string | undefined;
  if (row.json !== undefined) {
    if (credentials.csrfToken) headers['x-csrf-token'] = credentials.csrfToken;
    headers['content-type'] = 'application/json';
    payload = JSON.stringify(row.json);
  } else if (!SAFE.has(method)) {
    const form = new URLSearchParams();
    if (credentials.csrfToken) form.append('_csrf', credentials.csrfToken);
    for (const [name, value] of Object.entries(row.form ?? {})) form.append(name, fill(value, organisation, row));
    headers['content-type'] = 'application/x-www-form-urlencoded';
    payload = form.toString();
  }
  const before = await auditHead(t.database.db);
  const response: LightMyRequestResponse = await t.app.inject({ method: method as 'GET', url, headers, ...(payload === undefined ? {} : { payload }) });
  const who = `${row.route} as ${visitor}${row.via === 'token' ? ' (API token)' : ''} on ${relationship}`;
  if (response.statusCode !== row.expect) return `${who}: expected ${row.expect}, got ${response.statusCode}`;
  if (row.location !== undefined) {
    const location = String(response.headers.location ?? '');
    const where = row.location.includes('?') ? location : location.split('?')[0];
    if (where !== row.location) return `${who}: expected a redirect to ${row.location}, got one to ${location}`;
  }
  if (response.statusCode === 403) {
    const denials = await t.database.db.selectFrom('audit_events').select(['action', 'actor_user_id']).where('seq', '>', before).where('action', '=', 'deny').execute();
    const personId = world.people.get(visitor)?.id ?? null;
    if (!denials.some((denial) => denial.actor_user_id === personId)) return `${who}: refused with 403 but no 'deny' entry was written to the audit journal`;
  }
  return undefined;
}
