// Table types of victims' communication, added to the platform's Tables: the
// contact log (one victim timeline across police, CPS and ISVA) and the
// contact clocks (each victim's "next contact due" deadlines).
export interface VictimContactsTable {
  id: string;
  case_id: string;
  victim_id: string;
  /** When the contact was made (or tried), a UTC instant. */
  contact_at: string;
  method: string;
  /** 1 if the victim was reached. */
  reached: number;
  /** 1 if a voicemail was left (phone calls only). */
  voicemail_left: number;
  /** 1 if something was posted to the victim's home address (letters only). */
  posted_to_home: number;
  summary: string;
  /** The day the next contact is due. */
  next_contact_on: string;
  by_user_id: string;
  /** The side the person acted for: 'police', 'cps' or 'isva'. */
  by_side: string;
  /** Their role in the contact, e.g. 'oic', 'vlo', 'isva' (names in `victims.communication.role.<key>`). */
  by_role: string;
  recorded_at: string;
}

/** One row per "next contact due" deadline opened for a victim, so each victim has their own clock. */
export interface VictimContactClocksTable {
  deadline_id: string;
  case_id: string;
  victim_id: string;
  /** The contact that set the date, or null when a plan set it. */
  contact_id: string | null;
  due_on: string;
  created_at: string;
}

declare module '../../platform/db/tables.ts' {
  interface Tables {
    victim_contacts: VictimContactsTable;
    victim_contact_clocks: VictimContactClocksTable;
  }
}
