// Attribution of a case's days to the parties it waited on. `attributionOf`
// is the service function later reporting uses (no access check: callers are
// platform jobs that aggregate); `timeWithParties` is the audited read for
// someone looking at one case.
import type { Actor } from '../../platform/access/policy.ts';
import type { AuditContext } from '../../platform/audit/model.ts';
import type { Db, Tx } from '../../platform/db/transaction.ts';
import type { Platform } from '../../platform/platform.ts';
import { londonDate } from '../../platform/time/working-days.ts';
import type { PlainDate } from '../../platform/time/working-days.ts';
import { createCaseCommands } from '../case-commands.ts';
import type { CaseSummary } from '../model.ts';
import { toSummary } from '../service.ts';
import { attributeDays } from './model.ts';
import type { Attribution, JournalEntry } from './model.ts';
import * as repository from './repository.ts';

export { attributeDays, parties, partyNames, stageParty } from './model.ts';
export type { Attribution, Party, Period } from './model.ts';

function entries(rows: readonly { type: string; occurred_at: string; data: string }[]): JournalEntry[] {
  return rows.map((row) => {
    let data: Record<string, unknown> = {};
    try {
      data = JSON.parse(row.data) as Record<string, unknown>;
    } catch {
      // An unreadable payload counts by its type alone.
    }
    return { type: row.type, occurredAt: row.occurred_at, data };
  });
}

/** A case's days to `today`, by party; undefined when there is no such case. For reporting. */
export async function attributionOf(db: Db | Tx, caseId: string, today: PlainDate): Promise<Attribution | undefined> {
  const reported = await repository.reportedOn(db, caseId);
  if (reported === undefined) return undefined;
  return attributeDays(entries(await repository.journalOf(db, caseId)), reported, today);
}

export function createAttributionService(platform: Platform) {
  const { db, audit, clock } = platform;
  const { load } = createCaseCommands(platform);
  return {
    /** One case's time with each party, for someone who may see the case. The read is audited. */
    async timeWithParties(actor: Actor, context: AuditContext, caseId: string): Promise<{ summary: CaseSummary; attribution: Attribution }> {
      const loaded = await load(actor, context, caseId, 'see');
      const attribution = (await attributionOf(db, loaded.row.id, londonDate(clock.now())))!;
      await audit.audited(context, { action: 'consult', event: 'case.attribution.view', objectType: 'case', objectId: loaded.row.id }, async () => undefined);
      return { summary: toSummary(loaded.row), attribution };
    },
  };
}

export type AttributionService = ReturnType<typeof createAttributionService>;
