// A national directory: every police force in England and Wales, every CPS
// Area, an ISVA service and a national body, each with a few people in the
// roles that organisation can hold. For a case load, each force and Area also
// gets the workforce that carries it (an officer holds about 50 cases over
// the years, a prosecutor about 100), so that one person's lists are the size
// a real person's are. Case data comes with the case module.
import { roleAllowedIn, roleNames } from '../src/platform/access/roles.ts';
import { hashPassword } from '../src/platform/auth/password.ts';
import { newTotpSecret, sealSecret } from '../src/platform/auth/totp.ts';
import { newId } from '../src/platform/db/ids.ts';
import type { OrganisationKind } from '../src/platform/db/tables.ts';
import { inTransaction } from '../src/platform/db/transaction.ts';
import * as directory from '../src/platform/directory/repository.ts';
import type { Platform } from '../src/platform/platform.ts';
import { newUserRow } from '../src/platform/directory/model.ts';

const POLICE_FORCES = 43;
const CPS_AREAS = 14;
const PEOPLE_PER_ORGANISATION = 10;
const PASSWORD = 'bench marigold tramline sextant';
const CASES_PER_OFFICER = 50;
const OFFICERS_PER_SUPERVISOR = 8;
/** About a third of cases reach a prosecutor. */
const REFERRED_SHARE = 0.33;
const CASES_PER_PROSECUTOR = 100;
const CODE_PREFIX = { police_force: 'PF', cps_area: 'CPS', isva_service: 'ISVA', national: 'NAT' } as const satisfies Record<OrganisationKind, string>;

export interface SeededDirectory {
  readonly organisations: number;
  readonly people: number;
  readonly memberships: number;
  /** Who the benchmark signs in as: an investigator in the first force. */
  readonly person: { readonly id: string; readonly organisationId: string; readonly email: string; readonly password: string; readonly totpSecret: string };
}

/** How many more people in each case-holding role a force and an Area need for `cases` cases. */
function workforceFor(cases: number): { police_force: [string, number][]; cps_area: [string, number][] } {
  const officers = Math.ceil(cases / POLICE_FORCES / CASES_PER_OFFICER);
  const prosecutors = Math.ceil((cases * REFERRED_SHARE) / CPS_AREAS / CASES_PER_PROSECUTOR);
  return {
    police_force: [['investigator', officers], ['police_supervisor', Math.ceil(officers / OFFICERS_PER_SUPERVISOR)]],
    cps_area: [['prosecutor', prosecutors], ['dcp', Math.ceil(prosecutors / OFFICERS_PER_SUPERVISOR)], ['paralegal', Math.ceil(prosecutors / 4)], ['vlo', Math.ceil(prosecutors / 4)]],
  };
}

export async function seedDirectory(platform: Platform, options: { readonly cases?: number } = {}): Promise<SeededDirectory> {
  const workforce = workforceFor(options.cases ?? 0);
  const now = platform.clock.now().toISOString();
  const passwordHash = await hashPassword(PASSWORD); // one hash for all: Argon2id is slow on purpose
  const organisations: { id: string; kind: OrganisationKind }[] = [
    ...Array.from({ length: POLICE_FORCES }, () => ({ id: newId(), kind: 'police_force' as const })),
    ...Array.from({ length: CPS_AREAS }, () => ({ id: newId(), kind: 'cps_area' as const })),
    { id: newId(), kind: 'isva_service' },
    { id: newId(), kind: 'national' },
  ];
  const totpSecret = newTotpSecret();
  let people = 0;
  let memberships = 0;
  let person: SeededDirectory['person'] | undefined;
  await inTransaction(platform.db, async (tx) => {
    for (const [index, organisation] of organisations.entries()) {
      const code = `${CODE_PREFIX[organisation.kind]}${index}`;
      await directory.insertOrganisation(tx, { id: organisation.id, code, name: `Bench organisation ${code}`, kind: organisation.kind, created_at: now, updated_at: now, version: 1 });
      const roles = roleNames.filter((role) => roleAllowedIn(role, organisation.kind));
      for (let n = 0; n < PEOPLE_PER_ORGANISATION; n += 1) {
        const id = newId();
        const email = `person-${n}@${code.toLowerCase()}.bench.example.uk`;
        await directory.insertUser(tx, newUserRow({
          id,
          email,
          displayName: `Person ${n} of ${code}`,
          passwordHash,
          sealedTotpSecret: sealSecret(totpSecret, platform.config.secretKey),
          now,
        }));
        await directory.insertMembership(tx, { id: newId(), user_id: id, organisation_id: organisation.id, team_id: null, role: roles[n % roles.length]!, created_at: now });
        people += 1;
        memberships += 1;
        if (!person && roles[n % roles.length] === 'investigator') person = { id, organisationId: organisation.id, email, password: PASSWORD, totpSecret };
      }
      const extra = organisation.kind === 'police_force' || organisation.kind === 'cps_area' ? workforce[organisation.kind] : [];
      for (const [role, count] of extra) {
        for (let n = 0; n < count; n += 1) {
          const id = newId();
          // The workforce cannot sign in: no password, no authenticator.
          await directory.insertUser(tx, newUserRow({ id, email: `${role}-${n}@${code.toLowerCase()}.bench.example.uk`, displayName: `${role} ${n} of ${code}`, passwordHash: null, now }));
          await directory.insertMembership(tx, { id: newId(), user_id: id, organisation_id: organisation.id, team_id: null, role, created_at: now });
          people += 1;
          memberships += 1;
        }
      }
    }
  });
  if (!person) throw new Error('No investigator was seeded');
  return { organisations: organisations.length, people, memberships, person };
}
