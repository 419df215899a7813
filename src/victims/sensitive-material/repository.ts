// The only SQL of a victim's devices, third-party-material requests and reveals.
import type { Db, Tx } from '../../platform/db/transaction.ts';
import type { VictimDevicesTable, VictimSensitiveRevealsTable, VictimTpmRequestsTable } from './tables.ts';
import './tables.ts';

type Executor = Db | Tx;

export async function insertReveal(db: Executor, row: VictimSensitiveRevealsTable): Promise<void> {
  await db.insertInto('victim_sensitive_reveals').values(row).execute();
}

/** The person's reveal of the compartment for the victim that lasts longest, if one is unexpired at `now`. */
export async function activeReveal(db: Executor, userId: string, victimId: string, compartment: string, now: string): Promise<VictimSensitiveRevealsTable | undefined> {
  return db.selectFrom('victim_sensitive_reveals').selectAll()
    .where('user_id', '=', userId).where('victim_id', '=', victimId).where('compartment', '=', compartment).where('expires_at', '>', now)
    .orderBy('expires_at', 'desc').limit(1).executeTakeFirst();
}

export interface DeviceRow extends VictimDevicesTable {
  recorded_by_name: string;
}

export async function devicesOf(db: Executor, caseId: string, victimId: string): Promise<DeviceRow[]> {
  return db.selectFrom('victim_devices').innerJoin('users', 'users.id', 'victim_devices.recorded_by_user_id')
    .selectAll('victim_devices').select('users.display_name as recorded_by_name')
    .where('victim_devices.case_id', '=', caseId).where('victim_devices.victim_id', '=', victimId)
    .orderBy('victim_devices.recorded_at', 'desc').orderBy('victim_devices.id', 'desc').execute();
}

export async function insertDevice(db: Executor, row: VictimDevicesTable): Promise<void> {
  await db.insertInto('victim_devices').values(row).execute();
}

/** Sets a dated step of a device not yet recorded; false if it already was (or the device is not the victim's). */
export async function setDeviceDate(db: Executor, victimId: string, deviceId: string, column: 'extracted_on' | 'returned_on', on: string): Promise<boolean> {
  const result = await db.updateTable('victim_devices').set({ [column]: on }).where('id', '=', deviceId).where('victim_id', '=', victimId).where(column, 'is', null).executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export interface TpmRow extends VictimTpmRequestsTable {
  recorded_by_name: string;
}

export async function tpmRequestsOf(db: Executor, caseId: string, victimId: string): Promise<TpmRow[]> {
  return db.selectFrom('victim_tpm_requests').innerJoin('users', 'users.id', 'victim_tpm_requests.recorded_by_user_id')
    .selectAll('victim_tpm_requests').select('users.display_name as recorded_by_name')
    .where('victim_tpm_requests.case_id', '=', caseId).where('victim_tpm_requests.victim_id', '=', victimId)
    .orderBy('victim_tpm_requests.recorded_at', 'desc').orderBy('victim_tpm_requests.id', 'desc').execute();
}

export async function insertTpmRequest(db: Executor, row: VictimTpmRequestsTable): Promise<void> {
  await db.insertInto('victim_tpm_requests').values(row).execute();
}

/** Records the outcome of a request still pending; false if it is not. */
export async function setTpmOutcome(db: Executor, victimId: string, requestId: string, outcome: string, on: string): Promise<boolean> {
  const result = await db.updateTable('victim_tpm_requests').set({ outcome, outcome_on: on }).where('id', '=', requestId).where('victim_id', '=', victimId).where('outcome', '=', 'pending').executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}
