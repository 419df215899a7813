// For JOIM tests: Avon and Somerset Police and CPS South West (the pair), a
// force and an Area outside it, and people in every relationship to the
// pair's JOIM (its members on both sides, case workers and others without the
// permission, and managers of organisations outside the pair); cases made at
// a stage some days ago, with a victim and a suspect whose names must never
// reach a pack.
import { testAppWith } from '../../../test/support/app.ts';
import type { TestApp, TestPerson } from '../../../test/support/app.ts';
import type { Actor } from '../../platform/access/policy.ts';
import type { Role } from '../../platform/access/roles.ts';
import { systemContext } from '../../platform/audit/model.ts';
import type { AuditContext } from '../../platform/audit/model.ts';
import type { Engine } from '../../platform/db/database.ts';
import type { Stage } from '../../cases/model.ts';
import { createCasesService } from '../../cases/service.ts';
import { createJoimService } from './service.ts';
import type { JoimService } from './service.ts';

export interface JoimWorld {
  readonly joim: JoimService;
  readonly force: string;
  readonly area: string;
  readonly otherForce: string;
  readonly otherArea: string;
  readonly national: string;
  readonly isvaService: string;
  /** The pair's JOIM members. */
  readonly supervisor: TestPerson;
  readonly escalationLead: TestPerson;
  readonly dcp: TestPerson;
  readonly headOfRasso: TestPerson;
  /** Case workers of the pair without the permission. */
  readonly investigator: TestPerson;
  readonly prosecutor: TestPerson;
  readonly analyst: TestPerson;
  readonly planLead: TestPerson;
  readonly panelMember: TestPerson;
  readonly isva: TestPerson;
  /** Managers of organisations outside the pair. */
  readonly otherSupervisor: TestPerson;
  readonly otherDcp: TestPerson;
  actor(person: TestPerson): Actor;
  context(person: TestPerson): AuditContext;
  /** A case of a force and an Area, at the end of `path` for `days` days, with the investigator and prosecutor on it (when they may be). */
  makeCase(reference: string, path: readonly Stage[], days: number, organisations?: { forceId?: string; cpsAreaId?: string; cpsUrn?: string }): Promise<string>;
}

/** Names planted in every case: none may appear in a pack. */
export const PLANTED_NAMES = ['Imogen Fairweather', 'Barnaby Quillfeather'] as const;

export async function joimWorld(t: TestApp): Promise<JoimWorld> {
  const force = await t.organisation('AVS', 'police_force', 'Avon and Somerset Police');
  const area = await t.organisation('CPS-SW', 'cps_area', 'CPS South West');
  const otherForce = await t.organisation('SWP', 'police_force', 'South Wales Police');
  const otherArea = await t.organisation('CPS-CW', 'cps_area', 'CPS Cymru-Wales');
  const national = await t.organisation('NRP', 'national', 'National RASSO Programme');
  const isvaService = await t.organisation('SVI', 'isva_service', 'Severn Vale ISVA Service');
  const person = (email: string, name: string, organisationId: string, role: Role) => t.person({ email, name, roles: [[organisationId, role]] });
  const supervisor = await person('priya@avs.example', 'Priya Shah', force, 'police_supervisor');
  const escalationLead = await person('mark@avs.example', 'Mark Ellis', force, 'escalation_lead');
  const dcp = await person('helen@cps.example', 'Helen Price', area, 'dcp');
  const headOfRasso = await person('rachel@cps.example', 'Rachel Moore', area, 'head_of_rasso');
  const investigator = await person('sam@avs.example', 'Sam Taylor', force, 'investigator');
  const prosecutor = await person('daniel@cps.example', 'Daniel Okafor', area, 'prosecutor');
  const analyst = await person('ana@avs.example', 'Ana Lytic', force, 'analyst');
  const planLead = await person('nadia@avs.example', 'Nadia Hussain', force, 'plan_lead');
  const panelMember = await person('aisha@avs.example', 'Aisha Khan', force, 'panel_member');
  const isva = await person('jess@svi.example', 'Jess Walker', isvaService, 'isva');
  const otherSupervisor = await person('gareth@swp.example', 'Gareth Jones', otherForce, 'police_supervisor');
  const otherDcp = await person('rhian@cpscw.example', 'Rhian Evans', otherArea, 'dcp');
  // Case workers for cases outside the pair.
  const otherInvestigator = await person('owen@swp.example', 'Owen Davies', otherForce, 'investigator');
  const otherProsecutor = await person('carys@cpscw.example', 'Carys Lloyd', otherArea, 'prosecutor');

  const cases = createCasesService(t.platform);
  const makeCase: JoimWorld['makeCase'] = async (reference, path, days, where = {}) => {
    const forceId = where.forceId ?? force;
    const cpsAreaId = where.cpsAreaId ?? area;
    return cases.operator.createCase(systemContext(), {
      policeReference: reference,
      ...(where.cpsUrn ? { cpsUrn: where.cpsUrn } : {}),
      forceId,
      cpsAreaId,
      offenceClass: 'rape_16_plus',
      reportedOn: '2025-01-06',
      path,
      daysAtStage: days,
      people: [{ category: 'victim', name: PLANTED_NAMES[0], dateOfBirth: '1991-04-17' }, { category: 'suspect', name: PLANTED_NAMES[1] }],
      team: [
        { userId: forceId === force ? investigator.id : otherInvestigator.id, organisationId: forceId, role: 'oic' },
        { userId: cpsAreaId === area ? prosecutor.id : otherProsecutor.id, organisationId: cpsAreaId, role: 'prosecutor' },
      ],
    });
  };
  return {
    joim: createJoimService(t.platform), force, area, otherForce, otherArea, national, isvaService,
    supervisor, escalationLead, dcp, headOfRasso, investigator, prosecutor, analyst, planLead, panelMember, isva, otherSupervisor, otherDcp,
    actor: (p) => t.actor(p), context: (p) => t.auditContext(p), makeCase,
  };
}

/** A test app with the JOIM world in it, its clock at `start`; the app is closed if building the world fails. */
export function joimTestApp(engine: Engine, start = '2026-03-10T12:00:00Z'): Promise<{ t: TestApp; w: JoimWorld }> {
  return testAppWith(engine, (t) => {
    t.clock.set(start);
    return joimWorld(t);
  });
}
