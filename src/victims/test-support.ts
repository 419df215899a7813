// For victims' tests: the case world (a force, a CPS Area, people in every
// relationship to a case, and a case with a victim), the case's victim, a
// VLO on the case's team, and a second ISVA who supports nobody in the case.
import type { TestApp, TestPerson } from '../../test/support/app.ts';
import type { Actor } from '../platform/access/policy.ts';
import type { AuditContext } from '../platform/audit/model.ts';
import type { Engine } from '../platform/db/database.ts';
import { newId } from '../platform/db/ids.ts';
import { caseTestApp } from '../cases/test-support.ts';
import type { CaseWorld } from '../cases/test-support.ts';
import * as repository from './repository.ts';

export interface VictimWorld extends CaseWorld {
  /** The victim of the world's case. */
  readonly victimId: string;
  /** An ISVA of the same service who supports nobody in the case. */
  readonly otherIsva: TestPerson;
  /** The other ISVA as an actor, with their audit context. */
  readonly asOtherIsva: readonly [Actor, AuditContext];
  /** Records `isva` (the world's ISVA unless given) as supporting the victim, as of now. */
  support(victimId: string, isva?: TestPerson, caseId?: string): Promise<void>;
}

export async function victimTestApp(engine: Engine): Promise<{ t: TestApp; w: VictimWorld }> {
  const { t, w } = await caseTestApp(engine);
  try {
    const [victim] = await repository.victimsOf(t.platform.db, w.caseId);
    if (!victim) throw new Error('The case world has no victim');
    const otherIsva = await t.person({ email: 'ola@isva.example', name: 'Ola Reed', roles: [[w.isvaService, 'isva']] });
    // The VLO joins the case's team, as a DCP would allocate them.
    const { cases } = w;
    await cases.allocate(w.actor(w.dcp), w.context(w.dcp), w.caseId, { userId: w.vlo.id, role: 'vlo' }, (await cases.caseFile(w.actor(w.dcp), w.context(w.dcp), w.caseId)).summary.version);
    const support = async (victimId: string, isva: TestPerson = w.isva, caseId = w.caseId) => {
      await repository.insertIsva(t.platform.db, { id: newId(), case_id: caseId, victim_id: victimId, isva_user_id: isva.id, isva_service_id: w.isvaService, started_at: t.clock.now().toISOString(), started_by_user_id: w.oic.id, ended_at: null });
    };
    const asOtherIsva = [t.actor(otherIsva), t.auditContext(otherIsva)] as const;
    return { t, w: { ...w, victimId: victim.id, otherIsva, asOtherIsva, support } };
  } catch (error) {
    await t.close();
    throw error;
  }
}
