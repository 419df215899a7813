// A demo-sized directory: every police force in England and Wales, every CPS
// Area, an ISVA service and a national body, each with a few people in the
// roles that organisation can hold. Case data comes with the case module.
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
const CODE_PREFIX = { police_force: 'PF', cps_area: 'CPS', isva_service: 'ISVA', national: 'NAT' } as const satisfies Record<OrganisationKind, string>;

export interface SeededDirectory {
  readonly organisations: number;
  readonly people: number;
  readonly memberships: number;
  /** Who the benchmark signs in as: an investigator in the first force. */
  readonly person: { readonly id: string; readonly organisationId: string; readonly email: string; readonly password: string; readonly totpSecret: string };
}

export async function seedDirectory(platform: Platform): Promise<SeededDirectory> {
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
    }
  });
  if (!person) throw new Error('No investigator was seeded');
  return { organisations: organisations.length, people, memberships, person };
}
