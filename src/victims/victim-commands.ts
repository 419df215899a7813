// The one way every victims' part (communication, letters, rights, court
// support, withdrawal, devices and third-party material) loads a victim for
// someone and changes their records. `loadVictim` is the default-deny check:
// the case must be one the actor may see (or, for an ISVA, a case in which
// they support a victim), the victim must be in it, and an ISVA must be that
// victim's own ISVA; anything else is "not found" and journalled. Changes run
// through the case command (one transaction: the part's rows, the journal
// events, the deadlines and the audit entry, claiming the case's version).
import { mayOpenSensitiveMaterial } from '../platform/access/case-access.ts';
import type { Actor } from '../platform/access/policy.ts';
import type { AuditContext } from '../platform/audit/model.ts';
import { isId } from '../platform/db/ids.ts';
import type { Platform } from '../platform/platform.ts';
import { createCaseCommands } from '../cases/case-commands.ts';
import type { LoadedCase } from '../cases/case-commands.ts';
import { toSummary } from '../cases/service.ts';
import type { CaseSummary } from '../cases/model.ts';
import type { Victim, VictimIsva, VictimViewer } from './model.ts';
import * as repository from './repository.ts';

/** A victim as loaded for one actor. */
export interface LoadedVictim {
  readonly loaded: LoadedCase;
  readonly summary: CaseSummary;
  readonly victim: Victim;
  /** The ISVA supporting the victim now, if any. */
  readonly isva: VictimIsva | null;
  readonly viewer: VictimViewer;
}

function toVictim(row: repository.VictimRow): Victim {
  return { id: row.id, caseId: row.case_id, name: row.name, dateOfBirth: row.date_of_birth };
}

function toIsva(row: repository.IsvaRow): VictimIsva {
  return { id: row.id, userId: row.isva_user_id, name: row.isva_name, serviceId: row.isva_service_id, serviceName: row.service_name, startedAt: row.started_at };
}

export function createVictimCommands(platform: Platform) {
  const { db, audit } = platform;
  const caseCommands = createCaseCommands(platform);
  const { load, refuse } = caseCommands;

  /** The victims of the case the actor may see with the ISVA of each: all of them, or an ISVA's own clients only. */
  async function loadVictims(actor: Actor, context: AuditContext, caseId: string): Promise<{ loaded: LoadedCase; summary: CaseSummary; viewer: VictimViewer; victims: { victim: Victim; isva: VictimIsva | null }[] }> {
    const loaded = await load(actor, context, caseId, 'see-victims');
    const [rows, isvas] = await Promise.all([repository.victimsOf(db, loaded.row.id), repository.activeIsvasOf(db, loaded.row.id)]);
    const viewer: VictimViewer = loaded.access === 'isva' ? 'isva' : 'case';
    const victims = rows
      .map((row) => {
        const isva = isvas.find((i) => i.victim_id === row.id);
        return { victim: toVictim(row), isva: isva ? toIsva(isva) : null };
      })
      .filter(({ isva }) => viewer === 'case' || isva?.userId === actor.userId);
    return { loaded, summary: toSummary(loaded.row), viewer, victims };
  }

  /** The access check every victims' method starts with: 'see' to read a victim's records, 'work' to change them. */
  async function loadVictim(actor: Actor, context: AuditContext, caseId: string, victimId: string, need: 'see' | 'work'): Promise<LoadedVictim> {
    const loaded = await load(actor, context, caseId, need === 'see' ? 'see-victims' : 'work-victims');
    const row = isId(victimId) ? await repository.findVictim(db, loaded.row.id, victimId) : undefined;
    const isvaRow = row ? (await repository.activeIsvasOf(db, loaded.row.id)).find((i) => i.victim_id === row.id) : undefined;
    // An ISVA of another victim in the same case is told this one does not exist.
    if (!row || (loaded.access === 'isva' && isvaRow?.isva_user_id !== actor.userId)) return refuse(context, 'not-found', caseId, 'victims.not-found');
    return { loaded, summary: toSummary(loaded.row), victim: toVictim(row), isva: isvaRow ? toIsva(isvaRow) : null, viewer: loaded.access === 'isva' ? 'isva' : 'case' };
  }

  /** Journals a read of a victim's records (fails closed: no audit, no answer). */
  async function consulted(context: AuditContext, v: LoadedVictim, event: string, details: Record<string, string | number | boolean> = {}): Promise<void> {
    await audit.audited(context, { action: 'consult', event, objectType: 'case', objectId: v.summary.id, subjects: [v.victim.id], details: { access: v.loaded.access, ...details } }, async () => undefined);
  }

  /** Whether the actor may open this victim's devices and third-party material at all (each opening needs a reason too). */
  function mayOpenSensitive(actor: Actor, v: LoadedVictim): boolean {
    return mayOpenSensitiveMaterial(actor, v.loaded.access);
  }

  return { ...caseCommands, loadVictims, loadVictim, consulted, mayOpenSensitive };
}

export type VictimCommands = ReturnType<typeof createVictimCommands>;
