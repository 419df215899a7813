// Need-to-know access to a case, decided in one place for pages and the API.
// The case team sees its case; police supervisors and escalation leads of the
// case's force and DCPs and heads of RASSO unit of its CPS Area supervise it.
// Other case workers in the same force or Area may open it only by recording
// a reason (break-glass), which is flagged for review. An ISVA supporting a
// victim in the case sees that victim's records (communication plan, contacts,
// key dates and stage), never the case file itself. Everyone else, analysts
// included, sees nothing: not even that the case exists. Digital devices and
// third-party material are compartments within the victim's records: only
// case workers whose role needs them may open them, and only by recording a
// reason each time (an audited reveal).
import type { Actor } from './policy.ts';
import type { Role } from './roles.ts';

/** What the policy needs to know about a case. */
export interface CaseFacts {
  readonly forceId: string;
  readonly cpsAreaId: string;
  /** People allocated to the case now (ended allocations excluded). */
  readonly activeTeamUserIds: readonly string[];
  /** Whether the actor holds an unexpired break-glass grant for the case. */
  readonly breakGlassGranted: boolean;
  /** ISVAs supporting a victim in the case now (only looked up for people acting for an ISVA service). */
  readonly isvaUserIds: readonly string[];
}

export type CaseAccess = 'team' | 'supervision' | 'break-glass' | 'break-glass-needed' | 'isva' | 'none';

const supervisingRoles: readonly Role[] = ['police_supervisor', 'escalation_lead', 'dcp', 'head_of_rasso'];
const caseWorkingRoles: readonly Role[] = ['investigator', 'police_supervisor', 'escalation_lead', 'prosecutor', 'dcp', 'head_of_rasso', 'vlo', 'paralegal'];
/** Roles whose work needs a victim's devices and third-party material: not VLOs, paralegals, ISVAs or analysts. */
const sensitiveMaterialRoles: readonly Role[] = ['investigator', 'police_supervisor', 'escalation_lead', 'prosecutor', 'dcp', 'head_of_rasso'];

/** Whether the organisation the actor acts for now is one of the case's two. */
function actsForCaseOrganisation(actor: Actor, facts: CaseFacts): boolean {
  const { organisationId, organisationKind } = actor.organisation;
  return (organisationKind === 'police_force' && organisationId === facts.forceId)
    || (organisationKind === 'cps_area' && organisationId === facts.cpsAreaId);
}

/** May this person ever record a reason to open another team's case in their organisation? */
export function mayBreakGlass(actor: Actor): boolean {
  const { organisationKind, roles } = actor.organisation;
  return (organisationKind === 'police_force' || organisationKind === 'cps_area') && roles.some((role) => caseWorkingRoles.includes(role));
}

/** Whether the actor acts now as an ISVA of an ISVA service. */
export function actsAsIsva(actor: Actor): boolean {
  return actor.organisation.organisationKind === 'isva_service' && actor.organisation.roles.includes('isva');
}

export function caseAccess(actor: Actor, facts: CaseFacts): CaseAccess {
  if (facts.activeTeamUserIds.includes(actor.userId)) return 'team';
  if (actsAsIsva(actor) && facts.isvaUserIds.includes(actor.userId)) return 'isva';
  if (!actsForCaseOrganisation(actor, facts)) return 'none';
  if (actor.organisation.roles.some((role) => supervisingRoles.includes(role))) return 'supervision';
  if (!mayBreakGlass(actor)) return 'none';
  return facts.breakGlassGranted ? 'break-glass' : 'break-glass-needed';
}

/** Access that lets the person read the case file. */
export function maySeeCase(access: CaseAccess): boolean {
  return access === 'team' || access === 'supervision' || access === 'break-glass';
}

/** Access that lets the person change the case (break-glass is for reading). */
export function mayWorkOnCase(access: CaseAccess): boolean {
  return access === 'team' || access === 'supervision';
}

/** Access that lets the person read a victim's records (an ISVA: only their own clients', checked per victim). */
export function maySeeVictims(access: CaseAccess): boolean {
  return maySeeCase(access) || access === 'isva';
}

/** Access that lets the person record contacts, plans and the like for a victim. */
export function mayWorkOnVictims(access: CaseAccess): boolean {
  return mayWorkOnCase(access) || access === 'isva';
}

/**
 * Whether the person may open a victim's digital-device and third-party-material
 * records at all (each opening still needs a recorded reason).
 */
export function mayOpenSensitiveMaterial(actor: Actor, access: CaseAccess): boolean {
  return (access === 'team' || access === 'supervision') && actor.organisation.roles.some((role) => sensitiveMaterialRoles.includes(role));
}
