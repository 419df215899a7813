// Commands and queries on a victim's digital devices and third-party
// material. Every method starts with the victim's access check, then the
// compartment's: an ISVA is told these records do not exist, and case workers
// whose role does not need them (VLOs, paralegals, break-glass readers) are
// refused. Those who may open them must hold an unexpired reveal (their
// recorded reason) for every read and change; each read is audited with the
// reveal it relied on, and each change is one case command.
import type { Actor } from '../../platform/access/policy.ts';
import type { AuditContext } from '../../platform/audit/model.ts';
import { newId } from '../../platform/db/ids.ts';
import { inTransaction } from '../../platform/db/transaction.ts';
import type { Platform } from '../../platform/platform.ts';
import { londonDate } from '../../platform/time/working-days.ts';
import { Problem } from '../../platform/web/errors.ts';
import type { DateParts } from '../../cases/model.ts';
import { invalid } from '../../cases/case-commands.ts';
import { createIdempotency } from '../../cases/idempotency.ts';
import type { Idempotency } from '../../cases/idempotency.ts';
import { createVictimCommands } from '../victim-commands.ts';
import type { LoadedVictim } from '../victim-commands.ts';
import { REVEAL_MINUTES, daysWithout, deviceDateErrors, deviceErrors, powers, revealErrors, tpmErrors, tpmOutcomeErrors } from './model.ts';
import type { Compartment, Device, DeviceInput, Reveal, RevealInput, TpmInput, TpmOutcome, TpmRequest } from './model.ts';
import * as repository from './repository.ts';

const PREFIX = 'victims.sensitive-material';

/** What a client is told when it reads or changes a compartment without an unexpired reveal. */
export function revealNeeded(compartment: Compartment): string {
  const what = compartment === 'devices' ? 'digital device records' : 'third-party material records';
  return `Record why you need to open the victim’s ${what} first: POST a reveal (compartment '${compartment}', with a reason) to the victim’s sensitive-material/reveals. A reveal lasts ${REVEAL_MINUTES} minutes.`;
}

function toDevice(row: repository.DeviceRow, today: string): Device {
  return {
    id: row.id, deviceType: row.device_type as Device['deviceType'], description: row.description, ownerRole: row.owner_role as Device['ownerRole'],
    lineOfEnquiry: row.line_of_enquiry, power: row.power as Device['power'], powersVersion: Number(row.powers_version),
    scopeFrom: row.scope_from, scopeTo: row.scope_to, dataTypes: JSON.parse(row.data_types) as Device['dataTypes'], accounts: row.accounts,
    dpnVersion: row.dpn_version as Device['dpnVersion'], dpnGivenOn: row.dpn_given_on, takenOn: row.taken_on, extractedOn: row.extracted_on, returnedOn: row.returned_on,
    daysWithout: daysWithout(row.taken_on, row.returned_on, today), recordedByName: row.recorded_by_name, recordedAt: row.recorded_at,
  };
}

function toTpm(row: repository.TpmRow): TpmRequest {
  return {
    id: row.id, holder: row.holder as TpmRequest['holder'], rationale: row.rationale, atEarlyAdvice: Number(row.at_early_advice) === 1, decidedOn: row.decided_on,
    requestedOn: row.requested_on, outcome: row.outcome as TpmOutcome, outcomeOn: row.outcome_on, recordedByName: row.recorded_by_name, recordedAt: row.recorded_at,
  };
}

const toReveal = (row: { id: string; compartment: string; expires_at: string }): Reveal => ({ id: row.id, compartment: row.compartment as Compartment, expiresAt: row.expires_at });

export function createSensitiveMaterialService(platform: Platform) {
  const { db, audit, clock } = platform;
  const commands = createVictimCommands(platform);
  const { loadVictim, refuse, command, consulted, mayOpenSensitive } = commands;
  const { once } = createIdempotency(platform);
  const today = () => londonDate(clock.now());

  /** The access check of every method: the victim, then the compartment's permission. */
  async function open(actor: Actor, context: AuditContext, caseId: string, victimId: string, need: 'see' | 'work'): Promise<LoadedVictim> {
    const v = await loadVictim(actor, context, caseId, victimId, need);
    // An ISVA is never told these records exist; other case workers without the permission are refused.
    if (v.viewer === 'isva') return refuse(context, 'not-found', caseId, `${PREFIX}.not-found`);
    if (!mayOpenSensitive(actor, v)) return refuse(context, 'forbidden', caseId, `${PREFIX}.forbidden`);
    return v;
  }

  async function currentReveal(actor: Actor, v: LoadedVictim, compartment: Compartment): Promise<Reveal | null> {
    const row = await repository.activeReveal(db, actor.userId, v.victim.id, compartment, clock.now().toISOString());
    return row ? toReveal(row) : null;
  }

  /** Journals a read or change tried without a reveal. */
  async function deniedWithoutReveal(context: AuditContext, v: LoadedVictim, compartment: Compartment): Promise<void> {
    await audit.audited(context, { action: 'deny', event: `${PREFIX}.reveal-needed`, outcome: 'denied', objectType: 'case', objectId: v.summary.id, subjects: [v.victim.id], details: { compartment } }, async () => undefined);
  }

  /** Opens a compartment for a change: the access check, the permission, and an unexpired reveal (403 without one). */
  async function openForChange(actor: Actor, context: AuditContext, caseId: string, victimId: string, compartment: Compartment): Promise<{ v: LoadedVictim; reveal: Reveal }> {
    const v = await open(actor, context, caseId, victimId, 'work');
    const reveal = await currentReveal(actor, v, compartment);
    if (!reveal) {
      await deniedWithoutReveal(context, v, compartment);
      throw new Problem('forbidden', revealNeeded(compartment));
    }
    return { v, reveal };
  }

  /** A read: without a reveal, the refusal is journalled and nothing is read; with one, the read is audited with it. */
  async function read<T>(actor: Actor, context: AuditContext, caseId: string, victimId: string, compartment: Compartment, items: (v: LoadedVictim) => Promise<T[]>): Promise<{ v: LoadedVictim; reveal: Reveal | null; items: T[] }> {
    const v = await open(actor, context, caseId, victimId, 'see');
    const reveal = await currentReveal(actor, v, compartment);
    if (!reveal) {
      await deniedWithoutReveal(context, v, compartment);
      return { v, reveal: null, items: [] };
    }
    const found = await items(v);
    await consulted(context, v, `${PREFIX}.${compartment}`, { compartment, revealId: reveal.id, count: found.length });
    return { v, reveal, items: found };
  }

  const created = (id: string, caseVersion: number) => ({ id, caseVersion });

  return {
    /** Whether the actor may open the compartments of this victim at all (for the page's own checks). */
    open,

    /** Records why the actor opens a compartment of the victim's records now: audited with its category, lasting REVEAL_MINUTES. */
    async reveal(actor: Actor, context: AuditContext, caseId: string, victimId: string, compartment: Compartment, input: RevealInput): Promise<Reveal> {
      const v = await open(actor, context, caseId, victimId, 'see');
      const { value, errors } = revealErrors(input);
      if (!value) throw invalid(errors);
      const now = clock.now();
      const row = {
        id: newId(), case_id: v.summary.id, victim_id: v.victim.id, user_id: actor.userId, compartment, reason_category: value.category, reason: value.reason,
        revealed_at: now.toISOString(), expires_at: new Date(now.getTime() + REVEAL_MINUTES * 60_000).toISOString(),
      };
      await inTransaction(db, async (tx) => {
        await repository.insertReveal(tx, row);
        await audit.record(tx, context, {
          action: 'consult', event: `${PREFIX}.reveal`, purpose: value.category, objectType: 'case', objectId: v.summary.id, subjects: [v.victim.id],
          details: { access: v.loaded.access, compartment, reasonCategory: value.category, revealId: row.id, expiresAt: row.expires_at },
        });
      });
      return toReveal(row);
    },

    /** The victim's devices, newest first, for someone holding a reveal of them (otherwise `reveal` is null and nothing is read). */
    async devices(actor: Actor, context: AuditContext, caseId: string, victimId: string) {
      return read(actor, context, caseId, victimId, 'devices', async (v) => (await repository.devicesOf(db, v.summary.id, v.victim.id)).map((row) => toDevice(row, today())));
    },

    async tpmRequests(actor: Actor, context: AuditContext, caseId: string, victimId: string) {
      return read(actor, context, caseId, victimId, 'third-party-material', async (v) => (await repository.tpmRequestsOf(db, v.summary.id, v.victim.id)).map(toTpm));
    },

    async recordDevice(actor: Actor, context: AuditContext, caseId: string, victimId: string, input: DeviceInput, version: number | null, idempotency?: Idempotency): Promise<{ id: string; caseVersion: number }> {
      const { v, reveal } = await openForChange(actor, context, caseId, victimId, 'devices');
      const { value, errors } = deviceErrors(input, today());
      if (!value) throw invalid(errors);
      return once(context, actor, `${PREFIX}.device:${v.victim.id}`, idempotency, async (remember) => {
        const id = newId();
        const result = await command(actor, context, v.loaded, version ?? v.summary.version, async (tx, now) => {
          await repository.insertDevice(tx, {
            id, case_id: v.summary.id, victim_id: v.victim.id, device_type: value.deviceType, description: value.description, owner_role: value.ownerRole,
            line_of_enquiry: value.lineOfEnquiry, power: value.power, powers_version: powers.version, scope_from: value.scopeFrom, scope_to: value.scopeTo,
            data_types: JSON.stringify(value.dataTypes), accounts: value.accounts, dpn_version: value.dpnVersion, dpn_given_on: value.dpnGivenOn, taken_on: value.takenOn,
            extracted_on: null, returned_on: null, recorded_by_user_id: actor.userId, recorded_at: now,
          });
          const answer = created(id, (version ?? v.summary.version) + 1);
          await remember(tx, answer);
          return {
            events: [{ type: `${PREFIX}.device-recorded`, data: { victimId: v.victim.id, deviceId: id, power: value.power, dpnVersion: value.dpnVersion } }],
            audit: { action: 'collect', event: `${PREFIX}.device-record`, subjects: [v.victim.id], details: { deviceId: id, revealId: reveal.id, power: value.power } },
          };
        }, 'deviceType');
        return created(id, result.version);
      });
    },

    /** Records the day a device was extracted, or returned to its owner (with the days the owner was without it). */
    async deviceDate(actor: Actor, context: AuditContext, caseId: string, victimId: string, deviceId: string, step: 'extraction' | 'return', on: DateParts, version: number | null): Promise<number> {
      const { v, reveal } = await openForChange(actor, context, caseId, victimId, 'devices');
      const device = (await repository.devicesOf(db, v.summary.id, v.victim.id)).find((d) => d.id === deviceId);
      if (!device) throw new Problem('not-found');
      const already = step === 'extraction' ? device.extracted_on : device.returned_on;
      if (already) throw invalid([{ field: 'on-day', message: step === 'extraction' ? 'The extraction of this device is already recorded' : 'The return of this device is already recorded' }]);
      const { value, errors } = deviceDateErrors(on, step === 'extraction' ? 'The date of the extraction' : 'The date the device was returned', today(), device.taken_on);
      if (!value) throw invalid(errors);
      const result = await command(actor, context, v.loaded, version, async (tx) => {
        if (!(await repository.setDeviceDate(tx, v.victim.id, deviceId, step === 'extraction' ? 'extracted_on' : 'returned_on', value))) throw new Problem('conflict');
        const event = step === 'extraction'
          ? { type: `${PREFIX}.device-extracted`, data: { deviceId, on: value } }
          : { type: `${PREFIX}.device-returned`, data: { deviceId, on: value, daysWithout: daysWithout(device.taken_on, value, value) } };
        return { events: [event], audit: { action: 'alter', event: `${PREFIX}.device-${step}`, subjects: [v.victim.id], details: { deviceId, revealId: reveal.id, on: value } } };
      }, 'on-day');
      return result.version;
    },

    async recordTpmRequest(actor: Actor, context: AuditContext, caseId: string, victimId: string, input: TpmInput, version: number | null, idempotency?: Idempotency): Promise<{ id: string; caseVersion: number }> {
      const { v, reveal } = await openForChange(actor, context, caseId, victimId, 'third-party-material');
      const { value, errors } = tpmErrors(input, today());
      if (!value) throw invalid(errors);
      return once(context, actor, `${PREFIX}.tpm:${v.victim.id}`, idempotency, async (remember) => {
        const id = newId();
        const result = await command(actor, context, v.loaded, version ?? v.summary.version, async (tx, now) => {
          await repository.insertTpmRequest(tx, {
            id, case_id: v.summary.id, victim_id: v.victim.id, holder: value.holder, rationale: value.rationale, at_early_advice: value.atEarlyAdvice ? 1 : 0,
            decided_on: value.decidedOn, requested_on: value.requestedOn, outcome: 'pending', outcome_on: null, recorded_by_user_id: actor.userId, recorded_at: now,
          });
          await remember(tx, created(id, (version ?? v.summary.version) + 1));
          return {
            events: [{ type: `${PREFIX}.tpm-requested`, data: { victimId: v.victim.id, requestId: id, holder: value.holder, atEarlyAdvice: value.atEarlyAdvice } }],
            audit: { action: 'collect', event: `${PREFIX}.tpm-request`, subjects: [v.victim.id], details: { requestId: id, revealId: reveal.id, holder: value.holder } },
          };
        }, 'holder');
        return created(id, result.version);
      });
    },

    async tpmOutcome(actor: Actor, context: AuditContext, caseId: string, victimId: string, requestId: string, input: { outcome: string; on: DateParts }, version: number | null): Promise<number> {
      const { v, reveal } = await openForChange(actor, context, caseId, victimId, 'third-party-material');
      const request = (await repository.tpmRequestsOf(db, v.summary.id, v.victim.id)).find((r) => r.id === requestId);
      if (!request) throw new Problem('not-found');
      if (request.outcome !== 'pending') throw invalid([{ field: 'outcome', message: 'The outcome of this request is already recorded' }]);
      const { value, errors } = tpmOutcomeErrors(input, today(), request.requested_on);
      if (!value) throw invalid(errors);
      const result = await command(actor, context, v.loaded, version, async (tx) => {
        if (!(await repository.setTpmOutcome(tx, v.victim.id, requestId, value.outcome, value.on))) throw new Problem('conflict');
        return {
          events: [{ type: `${PREFIX}.tpm-outcome`, data: { requestId, outcome: value.outcome, on: value.on } }],
          audit: { action: 'alter', event: `${PREFIX}.tpm-outcome`, subjects: [v.victim.id], details: { requestId, revealId: reveal.id, outcome: value.outcome } },
        };
      }, 'outcome');
      return result.version;
    },
  };
}

export type SensitiveMaterialService = ReturnType<typeof createSensitiveMaterialService>;
