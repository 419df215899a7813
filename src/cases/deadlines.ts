// The case file on the clock engine: who a case's deadlines tell and what
// they call it, and the deadlines a stage move opens, meets or cancels in the
// transaction that moves the stage.
import type { Tx } from '../platform/db/transaction.ts';
import { closeDeadline, deadlinesFor, openDeadline, registerSubjectType, requireRule } from '../platform/deadlines/service.ts';
import type { SubjectType } from '../platform/deadlines/service.ts';
import { translate } from '../platform/i18n/messages.ts';
import type { PlainDate } from '../platform/time/working-days.ts';
import { caseRoleNames, closingStages, stageDeadlineRules, stageName } from './model.ts';
import type { Stage } from './model.ts';
import * as repository from './repository.ts';

export const CASE_SUBJECT = 'case';

/** Escalation audiences held by role in the case's organisations rather than on its team. */
const forceRoles = ['escalation_lead'];
const areaRoles = ['head_of_rasso'];

const caseSubject: SubjectType = {
  audience: (tx, caseId, roles) =>
    repository.caseAudience(
      tx,
      caseId,
      roles.filter((role) => (caseRoleNames as readonly string[]).includes(role)),
      roles.filter((role) => forceRoles.includes(role)),
      roles.filter((role) => areaRoles.includes(role)),
    ),
  // A notification or email names the case by its references, never by anyone in it.
  describe: async (tx, caseId) => {
    const row = await repository.findCase(tx, caseId);
    if (!row) return 'A case no longer on the platform';
    return row.cps_urn ? `${row.police_reference} (URN ${row.cps_urn})` : row.police_reference;
  },
  path: (caseId) => `/cases/${caseId}`,
};

/** Tells the clock engine about cases. Registering again changes nothing. */
export function registerCaseDeadlines(): void {
  registerSubjectType(CASE_SUBJECT, caseSubject);
}

export interface StageDeadlineChanges {
  readonly opened: string[];
  readonly met: string[];
  readonly cancelled: string[];
}

/**
 * Opens, meets and cancels the case's deadlines for a move from one stage to
 * another, in the caller's transaction (before its audit entry). A deadline
 * opened starts on `startedOn` (today in London unless given).
 */
export async function moveStageDeadlines(
  tx: Tx,
  kase: { readonly id: string; readonly forceId: string; readonly cpsAreaId: string },
  move: { readonly from: Stage; readonly to: Stage; readonly now: Date; readonly startedOn?: PlainDate | undefined },
  /** Only these deadlines may be met or cancelled (those open before the command began), so that one the same command opened survives. */
  among?: ReadonlySet<string>,
): Promise<StageDeadlineChanges> {
  // Cases may be written before the web app is built (the demo loader), so the engine must know them here too.
  registerCaseDeadlines();
  const changes: StageDeadlineChanges = { opened: [], met: [], cancelled: [] };
  const open = (await deadlinesFor(tx, CASE_SUBJECT, kase.id)).filter((d) => (d.status === 'open' || d.status === 'paused') && (!among || among.has(d.id)));
  const reason = translate('cases.move.deadlineReason', { stage: stageName(move.to) });
  if (closingStages.includes(move.to)) {
    for (const deadline of open) {
      if ((await requireRule(tx, deadline.ruleKey, deadline.ruleVersion)).definition.outlivesClosing) continue;
      await closeDeadline(tx, deadline.id, { outcome: 'cancelled', reason, now: move.now });
      changes.cancelled.push(deadline.ruleKey);
    }
    return changes;
  }
  const leaving = stageDeadlineRules[move.from];
  for (const deadline of open.filter((d) => d.ruleKey === leaving)) {
    await closeDeadline(tx, deadline.id, { outcome: 'met', reason, now: move.now });
    changes.met.push(deadline.ruleKey);
  }
  const entering = stageDeadlineRules[move.to];
  if (entering) {
    await openDeadline(tx, {
      subjectType: CASE_SUBJECT,
      subjectId: kase.id,
      ruleKey: entering,
      organisationIds: [kase.forceId, kase.cpsAreaId],
      startedOn: move.startedOn,
      now: move.now,
    });
    changes.opened.push(entering);
  }
  return changes;
}
