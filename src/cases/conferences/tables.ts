// Tables of the conferences part: conferences, who attended, and the actions agreed.
export interface CaseConferencesTable {
  id: string;
  case_id: string;
  kind: string;
  held_on: string;
  decisions: string;
  recorded_by: string;
  recorded_at: string;
}

export interface CaseConferenceAttendeesTable {
  id: string;
  conference_id: string;
  /** Someone on the case team; null for someone else, named below. */
  user_id: string | null;
  name: string | null;
  organisation: string | null;
  role: string | null;
  position: number;
}

export interface CaseConferenceActionsTable {
  id: string;
  conference_id: string;
  case_id: string;
  description: string;
  owner_side: string;
  due_on: string;
  position: number;
  done_at: string | null;
  done_by: string | null;
}

declare module '../../platform/db/tables.ts' {
  interface Tables {
    case_conferences: CaseConferencesTable;
    case_conference_attendees: CaseConferenceAttendeesTable;
    case_conference_actions: CaseConferenceActionsTable;
  }
}
