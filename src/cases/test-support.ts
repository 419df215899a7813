// For case tests: a force and a CPS Area with people in every relationship to
// a case, and a case in them with an officer in the case and a prosecutor.
import assert from 'node:assert/strict';
import { testAppWith } from '../../test/support/app.ts';
import type { TestApp, TestPerson } from '../../test/support/app.ts';
import type { Engine } from '../platform/db/database.ts';
import type { Actor } from '../platform/access/policy.ts';
import type { Role } from '../platform/access/roles.ts';
import { systemContext } from '../platform/audit/model.ts';
import type { AuditContext } from '../platform/audit/model.ts';
import { Problem } from '../platform/web/errors.ts';
import { createCaseCommands } from './case-commands.ts';
import type { DateParts, Stage } from './model.ts';
import { createCasesService } from './service.ts';
import type { CasesService, OperatorCase } from './service.ts';

export interface CaseWorld {
  readonly cases: CasesService;
  readonly force: string;
  readonly area: string;
  readonly otherForce: string;
  readonly otherArea: string;
  readonly isvaService: string;
  /** On the case's team: officer in the case and prosecutor. */
  readonly oic: TestPerson;
  readonly prosecutor: TestPerson;
  /** Supervise the case by role in its force or Area. */
  readonly supervisor: TestPerson;
  readonly dcp: TestPerson;
  /** Case workers in the same force or Area, not on the team: may break glass. */
  readonly colleague: TestPerson;
  readonly vlo: TestPerson;
  /** Never see the case. */
  readonly otherForceInvestigator: TestPerson;
  readonly otherAreaDcp: TestPerson;
  readonly isva: TestPerson;
  readonly analyst: TestPerson;
  /** A case in the force and Area with the officer and prosecutor on its team, a victim and a suspect. */
  readonly caseId: string;
  actor(person: TestPerson): Actor;
  context(person: TestPerson): AuditContext;
  /**
   * Moves a case as the command that makes the move would (requesting early
   * advice, a charging decision, ...), recording only the stage: for tests of
   * what any stage move does. Answers the case's new version.
   */
  moveAsCommand(caseId: string, stage: Stage, by?: TestPerson): Promise<number>;
}

export async function caseWorld(t: TestApp): Promise<CaseWorld> {
  const force = await t.organisation('AVS', 'police_force', 'Avon and Somerset Police');
  const area = await t.organisation('CPS-SW', 'cps_area', 'CPS South West');
  const otherForce = await t.organisation('SWP', 'police_force', 'South Wales Police');
  const otherArea = await t.organisation('CPS-WW', 'cps_area', 'CPS Wales');
  const isvaService = await t.organisation('ISVA-B', 'isva_service', 'Bristol ISVA service');
  const person = (email: string, name: string, organisationId: string, role: Role) => t.person({ email, name, roles: [[organisationId, role]] });
  const oic = await person('sam@avs.example', 'Sam Taylor', force, 'investigator');
  const supervisor = await person('priya@avs.example', 'Priya Shah', force, 'police_supervisor');
  const colleague = await person('kim@avs.example', 'Kim Lee', force, 'investigator');
  const prosecutor = await person('daniel@cps.example', 'Daniel Okafor', area, 'prosecutor');
  const dcp = await person('helen@cps.example', 'Helen Price', area, 'dcp');
  const vlo = await person('tom@cps.example', 'Tom Bennett', area, 'vlo');
  const otherForceInvestigator = await person('gareth@swp.example', 'Gareth Jones', otherForce, 'investigator');
  const otherAreaDcp = await person('carys@cpsw.example', 'Carys Evans', otherArea, 'dcp');
  const isva = await person('isla@isva.example', 'Isla Grant', isvaService, 'isva');
  const analyst = await person('ana@avs.example', 'Ana Lytic', force, 'analyst');
  const cases = createCasesService(t.platform);
  const caseId = await cases.operator.createCase(systemContext(), worldCase(force, area, oic.id, prosecutor.id));

  const actor = (p: TestPerson) => t.actor(p);
  const context = (p: TestPerson) => t.auditContext(p);
  const commands = createCaseCommands(t.platform);
  const moveAsCommand = async (id: string, stage: Stage, by: TestPerson = oic) => {
    const loaded = await commands.load(actor(by), context(by), id, 'work');
    const done = await commands.command(actor(by), context(by), loaded, Number(loaded.row.version), async () => ({ events: [], stage, audit: { action: 'alter', event: 'case.stage.change' } }));
    return done.version;
  };
  return { cases, force, area, otherForce, otherArea, isvaService, oic, prosecutor, supervisor, dcp, colleague, vlo, otherForceInvestigator, otherAreaDcp, isva, analyst, caseId, actor, context, moveAsCommand };
}

export function worldCase(force: string, area: string, oicId: string, prosecutorId: string, policeReference = 'AS/10001/25'): OperatorCase {
  return {
    policeReference,
    forceId: force,
    cpsAreaId: area,
    offenceClass: 'rape_16_plus',
    flags: { domesticAbuse: true },
    reportedOn: '2025-03-27',
    path: ['investigation'],
    people: [{ category: 'victim', name: 'Victim One', dateOfBirth: '1990-05-01' }, { category: 'suspect', name: 'Suspect One' }],
    team: [{ userId: oicId, organisationId: force, role: 'oic' }, { userId: prosecutorId, organisationId: area, role: 'prosecutor' }],
  };
}

/** A test app with the case world in it; the app is closed if building the world fails. */
export function caseTestApp(engine: Engine): Promise<{ t: TestApp; w: CaseWorld }> {
  return testAppWith(engine, caseWorld);
}

/** The problem a command was refused with (fails the test if it was not refused with one). */
export async function problemOf(work: Promise<unknown>): Promise<Problem> {
  try {
    await work;
  } catch (error) {
    if (error instanceof Problem) return error;
    throw error;
  }
  assert.fail('expected a refusal');
}

/**
 * Asserts a command is refused with a problem of `type`; with `about`, that
 * the problem names that field (a string) or says something matching it.
 */
export async function rejects(work: Promise<unknown>, type: string, about?: string | RegExp): Promise<Problem> {
  const problem = await problemOf(work);
  assert.equal(problem.type, type, problem.message);
  if (typeof about === 'string') assert.ok(problem.fieldErrors.some((e) => e.field === about), `expected an error on ${about}: ${problem.message}`);
  if (about instanceof RegExp) assert.match(problem.message, about);
  return problem;
}

/** A YYYY-MM-DD date as a date input's parts. */
export const dateInput = (date: string): DateParts => ({ year: date.slice(0, 4), month: date.slice(5, 7), day: date.slice(8, 10) });
