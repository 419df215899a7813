// Queries every victims' page shares: the victims of a case, a victim's
// overview (ISVA, key dates, and each part's lines), and an ISVA's clients.
import type { Actor } from '../platform/access/policy.ts';
import { actsAsIsva } from '../platform/access/case-access.ts';
import type { AuditContext } from '../platform/audit/model.ts';
import { translate } from '../platform/i18n/messages.ts';
import type { Platform } from '../platform/platform.ts';
import { londonDate } from '../platform/time/working-days.ts';
import { isStage } from '../cases/model.ts';
import type { Stage } from '../cases/model.ts';
import { keyDateEvents } from './model.ts';
import type { KeyDate } from './model.ts';
import { victimParts } from './parts.ts';
import type { VictimOverviewLine } from './parts.ts';
import * as repository from './repository.ts';
import { createVictimCommands } from './victim-commands.ts';
import type { LoadedVictim } from './victim-commands.ts';

export interface Client {
  readonly caseId: string;
  readonly victimId: string;
  readonly victimName: string;
  readonly policeReference: string;
  readonly stage: Stage;
  readonly since: string;
}

function parsed(data: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(data);
    return value && typeof value === 'object' ? (value as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

export function createVictimsService(platform: Platform) {
  const { db, audit } = platform;
  const commands = createVictimCommands(platform);

  /** Dated milestones of the case from its journal, oldest first: what an ISVA and the victim are told. */
  async function keyDates(caseId: string, reportedOn: string, victimId: string): Promise<KeyDate[]> {
    const events = await repository.eventsOfTypes(db, caseId, Object.keys(keyDateEvents));
    const dates: KeyDate[] = [{ on: reportedOn, text: translate('victims.keyDate.reported') }];
    for (const event of events) {
      const data = parsed(event.data);
      // Another victim's milestone (their pre-trial meeting, say) is not this victim's.
      if (typeof data.victimId === 'string' && data.victimId !== victimId) continue;
      const text = keyDateEvents[event.type]?.(data) ?? null;
      if (text) dates.push({ on: typeof data.on === 'string' ? data.on : londonDate(event.occurred_at), text });
    }
    return dates;
  }

  return {
    commands,

    async victimsOfCase(actor: Actor, context: AuditContext, caseId: string) {
      const result = await commands.loadVictims(actor, context, caseId);
      await audit.audited(context, { action: 'consult', event: 'victims.list', objectType: 'case', objectId: result.summary.id, subjects: result.victims.map((v) => v.victim.id), details: { access: result.loaded.access } }, async () => undefined);
      return result;
    },

    /** A victim's overview: who supports them, the case's key dates, and a line or two from each part the viewer may open. */
    async overview(actor: Actor, context: AuditContext, caseId: string, victimId: string): Promise<LoadedVictim & { keyDates: KeyDate[]; lines: { part: string; titleKey: string; lines: readonly VictimOverviewLine[] }[] }> {
      const v = await commands.loadVictim(actor, context, caseId, victimId, 'see');
      const [dates, lines] = await Promise.all([
        keyDates(v.summary.id, v.summary.reportedOn, v.victim.id),
        Promise.all(victimParts(v.viewer).filter((p) => p.overview).map(async (p) => ({ part: p.key, titleKey: p.titleKey, lines: await p.overview!(db, v) }))),
      ]);
      await commands.consulted(context, v, 'victims.overview');
      return { ...v, keyDates: dates, lines: lines.filter((l) => l.lines.length > 0) };
    },

    /** The victims an ISVA supports now (nobody else has clients). */
    async clients(actor: Actor, context: AuditContext): Promise<Client[]> {
      const rows = actsAsIsva(actor) ? await repository.clientsOf(db, actor.userId) : [];
      await audit.audited(context, { action: 'consult', event: 'victims.clients', objectType: 'user', objectId: actor.userId, subjects: rows.map((r) => r.victim_id), details: { count: rows.length } }, async () => undefined);
      return rows.map((r) => ({ caseId: r.case_id, victimId: r.victim_id, victimName: r.victim_name, policeReference: r.police_reference, stage: isStage(r.stage) ? r.stage : 'report', since: r.started_at }));
    },
  };
}

export type VictimsService = ReturnType<typeof createVictimsService>;
