// Loading the demonstration and helping people sign in to it. Everything here
// refuses to run unless the platform is in demo mode.
import type { Config } from '../../config.ts';
import { roles } from '../access/roles.ts';
import { systemContext } from '../audit/model.ts';
import type { AuditContext } from '../audit/model.ts';
import { normaliseEmail } from '../auth/model.ts';
import { hashPassword } from '../auth/password.ts';
import { sealSecret, totpCode, unsealSecret } from '../auth/totp.ts';
import * as directory from '../directory/repository.ts';
import { newId } from '../db/ids.ts';
import { inTransaction } from '../db/transaction.ts';
import type { Platform } from '../platform.ts';
import { Problem } from '../web/errors.ts';
import { DEMO_PASSWORD, demoOrganisations, demoPeople, demoTotpSecret, featuredDemoEmails } from './data.ts';
import { emptyEverything } from './repository.ts';
import { loadShippedRules } from '../deadlines/service.ts';
import { newUserRow } from '../directory/model.ts';
import { seedDemoCases } from '../../cases/demo.ts';
import { seedDemoVictims } from '../../victims/demo.ts';
import { seedDemoPlans } from '../../plans/demo.ts';
import { seedDemoJoim } from '../../governance/joim/demo.ts';
import { seedDemoAssurance } from '../../governance/assurance/demo.ts';
import { seedDemoScrutiny } from '../../governance/scrutiny/demo.ts';

function requireDemo(config: Config): void {
  if (!config.demo) throw new Problem('forbidden', 'This is for demo mode only, and DEMO is off');
}

export interface SeedResult {
  /** False when the database already held organisations and nothing was done. */
  readonly seeded: boolean;
  readonly organisations: number;
  readonly people: number;
}

/**
 * Loads the demo into an empty database, in one transaction. With `reset`,
 * first removes everything (including the audit journal) and starts again.
 */
export async function seedDemo(platform: Platform, options: { reset?: boolean } = {}, context: AuditContext = systemContext()): Promise<SeedResult> {
  requireDemo(platform.config);
  const { db, engine, audit, clock, config } = platform;
  const nothing = { seeded: false, organisations: 0, people: 0 };
  if (!options.reset && (await directory.countOrganisations(db)) > 0) return nothing;
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  return inTransaction(db, async (tx) => {
    if (options.reset) {
      await emptyEverything(tx, engine);
      // Starting over empties every table, the reference data the migrations loaded with them.
      await loadShippedRules(tx, clock.now());
    } else if ((await directory.countOrganisations(tx)) > 0) return nothing;
    const now = clock.now().toISOString();
    const organisationIds = new Map<string, string>();
    const teamIds = new Map<string, string>();
    for (const organisation of demoOrganisations) {
      const id = newId();
      organisationIds.set(organisation.code, id);
      await directory.insertOrganisation(tx, { id, code: organisation.code, name: organisation.name, kind: organisation.kind, created_at: now, updated_at: now, version: 1 });
      for (const team of organisation.teams) {
        const teamId = newId();
        teamIds.set(`${organisation.code}/${team}`, teamId);
        await directory.insertTeam(tx, { id: teamId, organisation_id: id, name: team, created_at: now });
      }
    }
    const userIds = new Map<string, string>();
    for (const person of demoPeople) {
      const id = newId();
      userIds.set(person.email, id);
      await directory.insertUser(tx, newUserRow({
        id,
        email: person.email,
        displayName: person.name,
        passwordHash,
        sealedTotpSecret: sealSecret(demoTotpSecret(person.email), config.secretKey),
        now,
      }));
      for (const [code, role, team] of person.roles) {
        await directory.insertMembership(tx, {
          id: newId(),
          user_id: id,
          organisation_id: organisationIds.get(code)!,
          team_id: team ? teamIds.get(`${code}/${team}`)! : null,
          role,
          created_at: now,
        });
      }
    }
    const cases = await seedDemoCases(tx, organisationIds, userIds, now);
    await seedDemoPlans(tx, organisationIds, now);
    await seedDemoVictims(tx, organisationIds, userIds, now);
    await seedDemoJoim(tx, organisationIds, userIds, now);
    await seedDemoScrutiny(tx, organisationIds, userIds, now);
    // After the cases and plans: the reports are computed from them.
    await seedDemoAssurance(tx, organisationIds, userIds, now);
    const result = { seeded: true, organisations: demoOrganisations.length, people: demoPeople.length };
    await audit.record(tx, context, { action: 'collect', event: 'demo.seed', details: { reset: options.reset === true, organisations: result.organisations, people: result.people, cases } });
    return result;
  });
}

/** Whether the demo accounts are in this database (it may hold other data instead). */
export async function demoLoaded(platform: Platform): Promise<boolean> {
  return (await directory.findUserByEmail(platform.db, featuredDemoEmails[0])) !== undefined;
}

/** The code a demo account's authenticator app shows now, and for how many more seconds. */
export async function demoCode(platform: Platform, email: string): Promise<{ code: string; secondsLeft: number }> {
  requireDemo(platform.config);
  const address = normaliseEmail(email);
  const user = await directory.findUserByEmail(platform.db, address);
  if (!user) throw new Problem('not-found', `There is no account with the email address ${address}`);
  if (!user.totp_secret) throw new Problem('not-found', `${address} has no authenticator set up: sign in with the password to set one up`);
  const now = platform.clock.now();
  return { code: totpCode(unsealSecret(user.totp_secret, platform.config.secretKey), now), secondsLeft: 30 - (Math.floor(now.getTime() / 1000) % 30) };
}

export interface DemoAccount {
  readonly email: string;
  readonly name: string;
  readonly roles: string;
  readonly authenticatorKey: string;
}

export function demoAccounts(config: Config): DemoAccount[] {
  requireDemo(config);
  const names = new Map(demoOrganisations.map((o) => [o.code, o.name]));
  return demoPeople.map((person) => ({
    email: person.email,
    name: person.name,
    roles: person.roles.map(([code, role]) => `${roles[role].name}, ${names.get(code)}`).join('; '),
    authenticatorKey: demoTotpSecret(person.email),
  }));
}

/** What to print when the server starts in demo mode: where it is and how to sign in. */
export function demoGuide(url: string): string[] {
  const featured = demoPeople.filter((p) => (featuredDemoEmails as readonly string[]).includes(p.email));
  const width = Math.max(...featured.map((p) => p.email.length));
  return [
    `Demo mode. Sign in at ${url} as one of these, with the password: ${DEMO_PASSWORD}`,
    ...featured.map((p) => `  ${p.email.padEnd(width)}  ${p.note}`),
    'Every demo account, with its key for an authenticator app:  npm run rasso -- demo accounts',
    `The 6-digit code to enter after the password:              npm run rasso -- demo code --email ${featured[0]!.email}`,
  ];
}
