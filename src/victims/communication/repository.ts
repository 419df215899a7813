// The only SQL of victims' communication: the contact log, each victim's
// contact clocks (joined to the deadline engine's rows), and the victims'
// journal events of a case.
import type { Db, Tx } from '../../platform/db/transaction.ts';
import type { VictimContactClocksTable, VictimContactsTable } from './tables.ts';
import './tables.ts';

type Executor = Db | Tx;

export interface ContactRow extends VictimContactsTable {
  by_name: string;
}

/** A victim's contacts, newest first. */
export function contactsOf(db: Executor, victimId: string): Promise<ContactRow[]> {
  return db
    .selectFrom('victim_contacts')
    .innerJoin('users', 'users.id', 'victim_contacts.by_user_id')
    .selectAll('victim_contacts')
    .select('users.display_name as by_name')
    .where('victim_contacts.victim_id', '=', victimId)
    .orderBy('victim_contacts.contact_at', 'desc')
    .orderBy('victim_contacts.id', 'desc')
    .execute();
}

export async function insertContact(db: Executor, row: VictimContactsTable): Promise<void> {
  await db.insertInto('victim_contacts').values(row).execute();
}

export async function insertClock(db: Executor, row: VictimContactClocksTable): Promise<void> {
  await db.insertInto('victim_contact_clocks').values(row).execute();
}

/** The victim's open (or paused) contact deadlines, earliest due first. */
export function openClocksOf(db: Executor, victimId: string): Promise<{ deadline_id: string; due_on: string }[]> {
  return db
    .selectFrom('victim_contact_clocks')
    .innerJoin('deadlines', 'deadlines.id', 'victim_contact_clocks.deadline_id')
    .select(['victim_contact_clocks.deadline_id', 'deadlines.due_on'])
    .where('victim_contact_clocks.victim_id', '=', victimId)
    .where('deadlines.status', 'in', ['open', 'paused'])
    .orderBy('deadlines.due_on')
    .execute();
}

/** The case's victims' journal events (`victims.…`), oldest first. */
export function victimEventsOf(db: Executor, caseId: string): Promise<{ type: string; occurred_at: string; data: string; actor_name: string | null }[]> {
  return db
    .selectFrom('case_events')
    .leftJoin('users', 'users.id', 'case_events.actor_user_id')
    .select(['case_events.type', 'case_events.occurred_at', 'case_events.data', 'users.display_name as actor_name'])
    .where('case_events.case_id', '=', caseId)
    .where('case_events.type', 'like', 'victims.%')
    .orderBy('case_events.seq')
    .execute();
}
