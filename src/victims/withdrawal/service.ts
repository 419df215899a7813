// Commands and queries on a victim's withdrawals of support. Every method
// starts with loadVictim; the victim's ISVA is told these records do not
// exist. Each change is one case command: the row, its journal event (codes
// and dates only) and the audit entry.
import type { Actor } from '../../platform/access/policy.ts';
import type { AuditContext } from '../../platform/audit/model.ts';
import { newId } from '../../platform/db/ids.ts';
import type { Db, Tx } from '../../platform/db/transaction.ts';
import { translate } from '../../platform/i18n/messages.ts';
import type { Platform } from '../../platform/platform.ts';
import { londonDate } from '../../platform/time/working-days.ts';
import { invalid } from '../../cases/case-commands.ts';
import { createIdempotency } from '../../cases/idempotency.ts';
import type { Idempotency } from '../../cases/idempotency.ts';
import { isStage } from '../../cases/model.ts';
import { createVictimCommands } from '../victim-commands.ts';
import type { LoadedVictim } from '../victim-commands.ts';
import { reEngagementErrors, withdrawalErrors, withdrawalPowers, withdrawalReasons } from './model.ts';
import type { ReEngagementInput, Withdrawal, WithdrawalInput } from './model.ts';
import * as repository from './repository.ts';

async function readWithdrawals(db: Db | Tx, caseId: string, victimId: string): Promise<Withdrawal[]> {
  return (await repository.withdrawalsOf(db, caseId, victimId)).map((r) => ({
    id: r.id, withdrawnOn: r.withdrawn_on, stage: isStage(r.stage) ? r.stage : 'report', reason: r.reason_code, reasonDetail: r.reason_detail,
    conversation: Number(r.spoken_to_victim) === 1 && r.spoken_on ? { on: r.spoken_on, how: r.spoken_how ?? '', by: r.spoken_by ?? '' } : null,
    isvaInvolved: Number(r.isva_involved) === 1, recordedBy: r.recorded_by_name, recordedAt: r.recorded_at,
    reEngaged: r.re_engaged_on ? { on: r.re_engaged_on, how: r.re_engaged_how ?? '' } : null,
  }));
}

export function createWithdrawalService(platform: Platform) {
  const { db, clock } = platform;
  const { loadVictim, command, refuse, consulted } = createVictimCommands(platform);
  const idempotent = createIdempotency(platform);
  const today = () => londonDate(clock.now());

  /** The access check: not for an ISVA (not found); changes only for those who record withdrawals on their side. */
  async function loadFor(actor: Actor, context: AuditContext, caseId: string, victimId: string, need: 'see' | 'work'): Promise<LoadedVictim> {
    const v = await loadVictim(actor, context, caseId, victimId, need);
    if (v.viewer === 'isva') return refuse(context, 'not-found', caseId, 'withdrawal.not-found');
    if (need === 'work' && !withdrawalPowers(actor, v.loaded.side).record) return refuse(context, 'forbidden', caseId, 'withdrawal.forbidden');
    return v;
  }

  return {
    /** A victim's withdrawals, newest first. Audited as a consultation. */
    async withdrawals(actor: Actor, context: AuditContext, caseId: string, victimId: string): Promise<{ v: LoadedVictim; withdrawals: Withdrawal[]; mayRecord: boolean }> {
      const v = await loadFor(actor, context, caseId, victimId, 'see');
      const withdrawals = await readWithdrawals(db, v.summary.id, v.victim.id);
      await consulted(context, v, 'withdrawal.view', { withdrawals: withdrawals.length });
      return { v, withdrawals, mayRecord: withdrawalPowers(actor, v.loaded.side).record && v.loaded.access !== 'break-glass' };
    },

    async check(actor: Actor, context: AuditContext, caseId: string, victimId: string): Promise<void> {
      await loadFor(actor, context, caseId, victimId, 'work');
    },

    /** Records that the victim withdrew support, at the case's stage now. */
    async record(actor: Actor, context: AuditContext, caseId: string, victimId: string, input: WithdrawalInput, version: number | null, idempotency?: Idempotency): Promise<string> {
      const v = await loadFor(actor, context, caseId, victimId, 'work');
      return (await idempotent.once<{ id: string }>(context, actor, `withdrawal.record:${v.victim.id}`, idempotency, async (remember) => {
        const { value, errors } = withdrawalErrors(input, today());
        if (!value) throw invalid(errors);
        const id = newId();
        await command(actor, context, v.loaded, version, async (tx, now) => {
          await repository.insertWithdrawal(tx, {
            id, case_id: v.summary.id, victim_id: v.victim.id, withdrawn_on: value.withdrawnOn, stage: v.loaded.stage, reason_code: value.reason, reasons_version: withdrawalReasons.version,
            reason_detail: value.reasonDetail, spoken_to_victim: value.conversation ? 1 : 0, spoken_on: value.conversation?.on ?? null, spoken_how: value.conversation?.how ?? null, spoken_by: value.conversation?.by ?? null,
            isva_involved: value.isvaInvolved ? 1 : 0, recorded_by_user_id: actor.userId, recorded_at: now, re_engaged_on: null, re_engaged_how: null, re_engaged_recorded_by_user_id: null,
          });
          await remember(tx, { id });
          return {
            events: [{
              type: 'victims.withdrawal.recorded',
              data: { victimId: v.victim.id, withdrawalId: id, stage: v.loaded.stage, reasonCode: value.reason, reasonsVersion: withdrawalReasons.version, spokenToVictim: value.conversation !== null, isvaInvolved: value.isvaInvolved, on: value.withdrawnOn },
            }],
            audit: { action: 'collect', event: 'withdrawal.record', subjects: [v.victim.id], details: { withdrawalId: id, reasonCode: value.reason, spokenToVictim: value.conversation !== null } },
          };
        }, 'withdrawnOn-day');
        return { id };
      })).id;
    },

    /** Records that the victim re-engaged after a withdrawal. */
    async reEngage(actor: Actor, context: AuditContext, caseId: string, victimId: string, withdrawalId: string, input: ReEngagementInput, version: number | null): Promise<void> {
      const v = await loadFor(actor, context, caseId, victimId, 'work');
      const withdrawal = (await readWithdrawals(db, v.summary.id, v.victim.id)).find((w) => w.id === withdrawalId);
      if (!withdrawal) return refuse(context, 'not-found', caseId, 'withdrawal.not-found');
      await command(actor, context, v.loaded, version, async (tx) => {
        const { value, errors } = reEngagementErrors(input, withdrawal.withdrawnOn, today());
        if (!value) throw invalid(errors);
        if (!(await repository.reEngage(tx, withdrawal.id, { re_engaged_on: value.on, re_engaged_how: value.how, re_engaged_recorded_by_user_id: actor.userId }))) {
          throw invalid([{ field: 'on-day', message: translate('withdrawal.error.alreadyReEngaged') }]);
        }
        return {
          events: [{ type: 'victims.withdrawal.re-engaged', data: { victimId: v.victim.id, withdrawalId: withdrawal.id, on: value.on } }],
          audit: { action: 'alter', event: 'withdrawal.re-engage', subjects: [v.victim.id], details: { withdrawalId: withdrawal.id } },
        };
      }, 'on-day');
    },
  };
}

export type WithdrawalService = ReturnType<typeof createWithdrawalService>;
