// Need-to-know access to a case, decided in one place for pages and the API.
// The case team sees its case; police supervisors and escalation leads of the
// case's force and DCPs and heads of RASSO unit of its CPS Area supervise it.
// Other case workers in the same force or Area may open it only by recording
// a reason (break-glass), which is flagged for review. Everyone else, ISVAs
// and analysts included, sees nothing: not even that the case exists.
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
}

export type CaseAccess = 'team' | 'supervision' | 'break-glass' | 'break-glass-needed' | 'none';

const supervisingRoles: readonly Role[] = ['police_supervisor', 'escalation_lead', 'dcp', 'head_of_rasso'];
const caseWorkingRoles: readonly Role[] = ['investigator', 'police_supervisor', 'escalation_lead', 'prosecutor', 'dcp', 'head_of_rasso', 'vlo', 'paralegal'];

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

export function caseAccess(actor: Actor, facts: CaseFacts): CaseAccess {
  if (facts.activeTeamUserIds.includes(actor.userId)) return 'team';
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
