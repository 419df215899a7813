// Table types of the JOIM, added to the platform's Tables.
export interface JoimMeetingsTable {
  id: string;
  force_id: string;
  cps_area_id: string;
  /** The meeting date: the pack's ages are counted to it. */
  meets_on: string;
  /** 'HH:MM', London time. */
  starts_at: string;
  /** Where it is held: a room, or a link to join. */
  place: string;
  /** 'scheduled', 'held' or 'cancelled'. */
  status: string;
  cancelled_reason: string | null;
  minutes: string | null;
  minutes_by: string | null;
  minutes_at: string | null;
  held_recorded_by: string | null;
  held_recorded_at: string | null;
  /** The pack as it was when the meeting was recorded as held (JSON), so the minutes refer to what was discussed. */
  pack: string | null;
  pack_frozen_at: string | null;
  created_by: string;
  created_at: string;
  updated_at: string;
  version: number;
}

/** Someone at a held meeting: a person on the platform (of either organisation), or a named guest with their role. */
export interface JoimAttendeesTable {
  id: string;
  meeting_id: string;
  position: number;
  user_id: string | null;
  organisation_id: string | null;
  guest_name: string | null;
  guest_role: string | null;
}

export interface JoimDecisionsTable {
  id: string;
  meeting_id: string;
  number: number;
  text: string;
  recorded_by: string;
  recorded_at: string;
}

export interface JoimActionsTable {
  id: string;
  meeting_id: string;
  /** The pair, kept on the action so a pair's open actions are one indexed read. */
  force_id: string;
  cps_area_id: string;
  number: number;
  text: string;
  owner_user_id: string;
  due_on: string;
  /** 'open', 'done' or 'dropped'. */
  status: string;
  /** A case of the meeting's pack, with its references as the pack gave them. */
  case_id: string | null;
  case_label: string | null;
  /** An action of a plan (src/plans), with its reference as the plan gave it. */
  plan_id: string | null;
  plan_action_id: string | null;
  plan_action_label: string | null;
  created_by: string;
  created_at: string;
  updated_at: string;
  closed_at: string | null;
  version: number;
}

/** An action's own history: every status change and progress note. Never updated or deleted. */
export interface JoimActionUpdatesTable {
  id: string;
  action_id: string;
  status_from: string | null;
  status_to: string;
  note: string | null;
  recorded_by: string;
  recorded_at: string;
}

declare module '../../platform/db/tables.ts' {
  interface Tables {
    joim_meetings: JoimMeetingsTable;
    joim_attendees: JoimAttendeesTable;
    joim_decisions: JoimDecisionsTable;
    joim_actions: JoimActionsTable;
    joim_action_updates: JoimActionUpdatesTable;
  }
}
