import { test } from 'node:test';
import assert from 'node:assert/strict';
import { engines } from '../../../test/support/databases.ts';
import { testApp } from '../../../test/support/app.ts';
import type { TestApp } from '../../../test/support/app.ts';
import type { Actor, Membership } from '../access/policy.ts';
import { isRole } from '../access/roles.ts';
import { systemContext } from '../audit/model.ts';
import { newId } from '../db/ids.ts';
import type { AuditContext } from '../audit/model.ts';
import { Problem } from '../web/errors.ts';
import type { ProblemType } from '../web/errors.ts';
import { PAGE_SIZE } from './model.ts';
import * as repository from './repository.ts';
import { createDirectoryService } from './service.ts';

const GOOD_PASSWORD = 'granite orchard whistle';

/** The actor a person is when acting for `organisationId`, as sign-in would make them. */
async function actorFor(t: TestApp, userId: string, organisationId: string): Promise<Actor> {
  const rows = await repository.membershipsOf(t.platform.db, userId);
  const user = (await repository.findUserById(t.platform.db, userId))!;
  const memberships: Membership[] = [...Map.groupBy(rows, (r) => r.organisation_id)].map(([id, group]) => ({
    organisationId: id,
    organisationCode: group[0]!.organisation_code,
    organisationName: group[0]!.organisation_name,
    organisationKind: group[0]!.organisation_kind,
    roles: group.map((r) => r.role).filter(isRole),
  }));
  return {
    userId,
    displayName: user.display_name,
    email: user.email,
    organisation: memberships.find((m) => m.organisationId === organisationId)!,
    memberships,
    via: 'session',
    scopes: undefined,
  };
}

function context(): AuditContext {
  return { ...systemContext(), role: 'test' };
}

async function rejectsWith(promise: Promise<unknown>, type: ProblemType, field?: string): Promise<void> {
  await assert.rejects(promise, (error: unknown) => {
    assert.ok(error instanceof Problem, `expected a Problem, got ${String(error)}`);
    assert.equal(error.type, type);
    if (field) assert.ok(error.fieldErrors.some((e) => e.field === field), `expected an error on ${field}: ${JSON.stringify(error.fieldErrors)}`);
    return true;
  });
}

/** A national body, two forces and a CPS Area, with an administrator at the national body and at the first force. */
async function world(t: TestApp) {
  const national = await t.organisation('NRP', 'national', 'National RASSO Programme');
  const avon = await t.organisation('AVS', 'police_force', 'Avon and Somerset Police');
  const met = await t.organisation('MPS', 'police_force', 'Metropolitan Police Service');
  const cps = await t.organisation('CPS-SW', 'cps_area', 'CPS South West');
  const nationalAdmin = await t.person({ email: 'alex@nrp.example', name: 'Alex Morgan', roles: [[national, 'administrator']] });
  const avonAdmin = await t.person({ email: 'lee@avs.example', name: 'Lee Harris', roles: [[avon, 'administrator']] });
  const sam = await t.person({ email: 'sam@avs.example', name: 'Sam Taylor', roles: [[avon, 'investigator']] });
  const ruth = await t.person({ email: 'ruth@met.example', name: 'Ruth Adeyemi', roles: [[met, 'investigator']] });
  return {
    national,
    avon,
    met,
    cps,
    sam,
    ruth,
    nationalAdmin: await actorFor(t, nationalAdmin.id, national),
    avonAdmin: await actorFor(t, avonAdmin.id, avon),
  };
}

for (const engine of engines) {
  test(`${engine}: national administrators see every organisation, others only their own`, async () => {
    const t = await testApp(engine);
    try {
      const w = await world(t);
      const directory = createDirectoryService(t.platform);
      assert.deepEqual((await directory.organisations(w.nationalAdmin)).map((o) => o.code).sort(), ['AVS', 'CPS-SW', 'MPS', 'NRP']);
      assert.deepEqual((await directory.organisations(w.avonAdmin)).map((o) => o.code), ['AVS']);
    } finally {
      await t.close();
    }
  });

  test(`${engine}: a person or organisation not yours is not found, and the refusal is journalled`, async () => {
    const t = await testApp(engine);
    try {
      const w = await world(t);
      const directory = createDirectoryService(t.platform);
      await rejectsWith(directory.person(w.avonAdmin, context(), w.ruth.id), 'not-found');
      await rejectsWith(directory.person(w.avonAdmin, context(), w.ruth.id, w.met), 'not-found');
      await rejectsWith(directory.person(w.avonAdmin, context(), w.ruth.id, w.avon), 'not-found');
      await rejectsWith(directory.organisation(w.avonAdmin, context(), w.met), 'not-found');
      await rejectsWith(directory.people(w.avonAdmin, context(), w.met, 1), 'not-found');
      await rejectsWith(directory.disablePerson(w.avonAdmin, context(), w.met, w.ruth.id), 'not-found');
      await rejectsWith(directory.giveRole(w.avonAdmin, context(), w.avon, w.ruth.id, { role: 'investigator', teamId: '' }), 'not-found');
      const denials = await t.platform.db.selectFrom('audit_events').select(['action', 'outcome']).where('action', '=', 'deny').execute();
      assert.equal(denials.length, 7);
      assert.ok(denials.every((d) => d.outcome === 'denied'));
      // The national administrator manages every organisation, so finds her.
      const ruth = await directory.person(w.nationalAdmin, context(), w.ruth.id);
      assert.equal(ruth.name, 'Ruth Adeyemi');
      assert.deepEqual(ruth.memberships.map((m) => m.role), ['investigator']);
      const user = (await repository.findUserById(t.platform.db, w.ruth.id))!;
      assert.equal(user.disabled_at, null, 'nothing was changed by the refused command');
    } finally {
      await t.close();
    }
  });

  test(`${engine}: reading a person's details is journalled as a consultation of that person`, async () => {
    const t = await testApp(engine);
    try {
      const w = await world(t);
      const directory = createDirectoryService(t.platform);
      await directory.person(w.avonAdmin, context(), w.sam.id, w.avon);
      const page = await directory.people(w.avonAdmin, context(), w.avon, 1);
      const consults = await t.platform.db.selectFrom('audit_events').select(['subjects', 'object_id']).where('action', '=', 'consult').orderBy('seq').execute();
      assert.equal(consults.length, 2);
      assert.deepEqual(JSON.parse(consults[0]!.subjects), [w.sam.id]);
      assert.deepEqual(new Set(JSON.parse(consults[1]!.subjects)), new Set(page.people.map((p) => p.id)));
      assert.equal(consults[1]!.object_id, w.avon);
    } finally {
      await t.close();
    }
  });

  test(`${engine}: renaming with a stale version is refused and changes nothing`, async () => {
    const t = await testApp(engine);
    try {
      const w = await world(t);
      const directory = createDirectoryService(t.platform);
      const { organisation } = await directory.organisation(w.avonAdmin, context(), w.avon);
      const renamed = await directory.renameOrganisation(w.avonAdmin, context(), w.avon, { name: 'Avon & Somerset Constabulary', version: organisation.version });
      assert.equal(renamed.version, organisation.version + 1);
      await rejectsWith(directory.renameOrganisation(w.nationalAdmin, context(), w.avon, { name: 'Overwritten', version: organisation.version }), 'conflict');
      await rejectsWith(directory.renameOrganisation(w.nationalAdmin, context(), w.avon, { name: 'Overwritten', version: Number.NaN }), 'conflict');
      const stored = (await repository.findOrganisation(t.platform.db, w.avon))!;
      assert.equal(stored.name, 'Avon & Somerset Constabulary');
      assert.equal(Number(stored.version), organisation.version + 1);
      await rejectsWith(directory.renameOrganisation(w.avonAdmin, context(), w.avon, { name: '   ', version: renamed.version }), 'validation', 'name');
    } finally {
      await t.close();
    }
  });

  test(`${engine}: disabling a person ends their sessions in the same transaction, and enabling lets them back`, async () => {
    const t = await testApp(engine);
    try {
      const w = await world(t);
      const directory = createDirectoryService(t.platform);
      const agent = await t.signIn(w.sam);
      assert.equal((await agent.get('/')).statusCode, 200);
      await directory.disablePerson(w.avonAdmin, context(), w.avon, w.sam.id);
      const live = await t.platform.db.selectFrom('sessions').select('id_hash').where('user_id', '=', w.sam.id).where('revoked_at', 'is', null).execute();
      assert.deepEqual(live, []);
      assert.equal((await agent.get('/')).statusCode, 303, 'the open session no longer works');
      await assert.rejects(t.signIn(w.sam), /Password step failed/);
      const events = await t.platform.db.selectFrom('audit_events').select('details').where('action', '=', 'alter').execute();
      assert.equal(JSON.parse(events.at(-1)!.details).event, 'person.disable');
      assert.equal(JSON.parse(events.at(-1)!.details).sessionsRevoked, 1);

      await directory.enablePerson(w.avonAdmin, context(), w.avon, w.sam.id);
      assert.equal((await (await t.signIn(w.sam)).get('/')).statusCode, 200);
      await rejectsWith(directory.disablePerson(w.avonAdmin, context(), w.avon, w.avonAdmin.userId), 'validation', 'person');
    } finally {
      await t.close();
    }
  });

  test(`${engine}: resetting an authenticator clears it and ends the person's sessions`, async () => {
    const t = await testApp(engine);
    try {
      const w = await world(t);
      const directory = createDirectoryService(t.platform);
      const agent = await t.signIn(w.sam);
      await directory.resetAuthenticator(w.avonAdmin, context(), w.avon, w.sam.id);
      const user = (await repository.findUserById(t.platform.db, w.sam.id))!;
      assert.equal(user.totp_secret, null);
      assert.equal(user.totp_last_step, null);
      assert.equal(user.mfa_enrolled_at, null);
      assert.equal((await agent.get('/')).statusCode, 303);
    } finally {
      await t.close();
    }
  });

  test(`${engine}: a role not allowed in the organisation's kind is refused`, async () => {
    const t = await testApp(engine);
    try {
      const w = await world(t);
      const directory = createDirectoryService(t.platform);
      await rejectsWith(directory.giveRole(w.avonAdmin, context(), w.avon, w.sam.id, { role: 'prosecutor', teamId: '' }), 'validation', 'role');
      await rejectsWith(directory.giveRole(w.avonAdmin, context(), w.avon, w.sam.id, { role: 'no_such_role', teamId: '' }), 'validation', 'role');
      await rejectsWith(directory.giveRole(w.avonAdmin, context(), w.avon, w.sam.id, { role: 'investigator', teamId: '' }), 'validation', 'role');
      await rejectsWith(
        directory.addPerson(w.nationalAdmin, context(), w.cps, { email: 'x@cps.example', name: 'X Person', role: 'investigator', teamId: '', password: GOOD_PASSWORD }),
        'validation',
        'role',
      );
      await directory.giveRole(w.avonAdmin, context(), w.avon, w.sam.id, { role: 'paralegal', teamId: '' });
      const roles = (await repository.membershipsOf(t.platform.db, w.sam.id)).map((m) => m.role).sort();
      assert.deepEqual(roles, ['investigator', 'paralegal']);
    } finally {
      await t.close();
    }
  });

  test(`${engine}: adding a person checks their details and password, and they must set up an authenticator`, async () => {
    const t = await testApp(engine);
    try {
      const w = await world(t);
      const directory = createDirectoryService(t.platform);
      const input = { email: ' Jo.Bloggs@AVS.example ', name: 'Jo  Bloggs', role: 'investigator', teamId: '', password: GOOD_PASSWORD };
      await rejectsWith(directory.addPerson(w.avonAdmin, context(), w.avon, { ...input, email: 'not an email' }), 'validation', 'email');
      await rejectsWith(directory.addPerson(w.avonAdmin, context(), w.avon, { ...input, password: 'password1234' }), 'validation', 'password');
      await rejectsWith(directory.addPerson(w.avonAdmin, context(), w.avon, { ...input, name: '' }), 'validation', 'name');
      await rejectsWith(directory.addPerson(w.avonAdmin, context(), w.avon, { ...input, teamId: 'not-a-team' }), 'validation', 'team');
      const team = await directory.addTeam(w.nationalAdmin, context(), w.met, { name: 'RASSO North' });
      await rejectsWith(directory.addPerson(w.avonAdmin, context(), w.avon, { ...input, teamId: team.id }), 'validation', 'team');
      await rejectsWith(directory.addPerson(w.avonAdmin, context(), w.met, input), 'not-found');

      const id = await directory.addPerson(w.avonAdmin, context(), w.avon, input);
      const user = (await repository.findUserById(t.platform.db, id))!;
      assert.equal(user.email, 'jo.bloggs@avs.example');
      assert.equal(user.display_name, 'Jo Bloggs');
      assert.equal(user.mfa_enrolled_at, null);
      assert.equal(user.totp_secret, null);
      assert.notEqual(user.password_hash, GOOD_PASSWORD);
      await rejectsWith(directory.addPerson(w.avonAdmin, context(), w.avon, { ...input, email: 'jo.bloggs@avs.example' }), 'validation', 'email');
      const collected = await t.platform.db.selectFrom('audit_events').select('subjects').where('action', '=', 'collect').execute();
      assert.ok(collected.some((row) => JSON.parse(row.subjects)[0] === id));
    } finally {
      await t.close();
    }
  });

  test(`${engine}: only national administrators add organisations, and codes are unique`, async () => {
    const t = await testApp(engine);
    try {
      const w = await world(t);
      const directory = createDirectoryService(t.platform);
      const input = { code: 'wmp', name: 'West Midlands Police', kind: 'police_force' };
      await rejectsWith(directory.createOrganisation(w.avonAdmin, context(), input), 'forbidden');
      await rejectsWith(directory.createOrganisation(w.nationalAdmin, context(), { ...input, kind: 'pub' }), 'validation', 'kind');
      await rejectsWith(directory.createOrganisation(w.nationalAdmin, context(), { ...input, code: 'W M P' }), 'validation', 'code');
      const created = await directory.createOrganisation(w.nationalAdmin, context(), input);
      assert.equal(created.code, 'WMP');
      await rejectsWith(directory.createOrganisation(w.nationalAdmin, context(), input), 'validation', 'code');
      await directory.addTeam(w.nationalAdmin, context(), created.id, { name: 'Public Protection Unit' });
      await rejectsWith(directory.addTeam(w.nationalAdmin, context(), created.id, { name: 'Public  Protection Unit ' }), 'validation', 'name');
    } finally {
      await t.close();
    }
  });

  test(`${engine}: roles are removed, but not a person's last role nor an administrator's own`, async () => {
    const t = await testApp(engine);
    try {
      const w = await world(t);
      const directory = createDirectoryService(t.platform);
      await rejectsWith(directory.removeRole(w.avonAdmin, context(), w.avon, w.sam.id, 'investigator'), 'validation', 'role');
      await directory.giveRole(w.avonAdmin, context(), w.avon, w.avonAdmin.userId, { role: 'analyst', teamId: '' });
      await rejectsWith(directory.removeRole(w.avonAdmin, context(), w.avon, w.avonAdmin.userId, 'administrator'), 'validation', 'role');
      await directory.giveRole(w.avonAdmin, context(), w.avon, w.sam.id, { role: 'paralegal', teamId: '' });
      assert.equal(await directory.removeRole(w.avonAdmin, context(), w.avon, w.sam.id, 'investigator'), true);
      assert.equal(await directory.removeRole(w.avonAdmin, context(), w.avon, w.sam.id, 'investigator'), false);
      assert.deepEqual((await repository.membershipsOf(t.platform.db, w.sam.id)).map((m) => m.role), ['paralegal']);
    } finally {
      await t.close();
    }
  });

  test(`${engine}: people are listed ${PAGE_SIZE} to a page, and a page past the end shows the last`, async () => {
    const t = await testApp(engine);
    try {
      const w = await world(t);
      const directory = createDirectoryService(t.platform);
      const now = t.clock.now().toISOString();
      // Straight into the tables: hashing 50 passwords would only slow the test.
      for (let i = 0; i < PAGE_SIZE; i += 1) {
        const id = newId();
        await repository.insertUser(t.platform.db, {
          id, email: `officer${i}@avs.example`, display_name: `Officer ${String(i).padStart(2, '0')}`, password_hash: null, totp_secret: null, totp_last_step: null,
          mfa_enrolled_at: null, oidc_issuer: null, oidc_subject: null, disabled_at: null, created_at: now, updated_at: now, version: 1,
        });
        await repository.insertMembership(t.platform.db, { id: newId(), user_id: id, organisation_id: w.avon, team_id: null, role: 'investigator', created_at: now });
      }
      const first = await directory.people(w.avonAdmin, context(), w.avon, 1);
      assert.equal(first.total, PAGE_SIZE + 2);
      assert.equal(first.pages, 2);
      assert.equal(first.people.length, PAGE_SIZE);
      const second = await directory.people(w.avonAdmin, context(), w.avon, 2);
      assert.equal(second.people.length, 2);
      assert.deepEqual(second.people.map((p) => p.name), ['Officer 49', 'Sam Taylor']);
      const beyond = await directory.people(w.avonAdmin, context(), w.avon, 99);
      assert.equal(beyond.page, 2);
      assert.deepEqual(beyond.people.map((p) => p.id), second.people.map((p) => p.id));
    } finally {
      await t.close();
    }
  });
}
