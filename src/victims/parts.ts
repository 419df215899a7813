// A victim's records are made of parts (communication, letters, rights, court
// support, withdrawal, devices and third-party material). Each registers here
// when its routes are registered: its tab in the victim's sub-navigation,
// whether an ISVA sees it, the lines it adds to the victim's overview, and
// how its journal events (`victims.<part>.…`) read on the timelines.
import { translate } from '../platform/i18n/messages.ts';
import type { Actor } from '../platform/access/policy.ts';
import type { Db } from '../platform/db/transaction.ts';
import { stageName } from '../cases/model.ts';
import { caseFrame } from '../cases/sections.ts';
import type { LoadedVictim } from './victim-commands.ts';
import type { VictimViewer } from './model.ts';

export interface VictimOverviewLine {
  readonly key: string;
  readonly value: string;
}

export interface VictimPart {
  /** Short name used in addresses, e.g. 'communication'. */
  readonly key: string;
  /** Message key of its title in the sub-navigation. */
  readonly titleKey: string;
  /** Where it sits in the sub-navigation (lower first). */
  readonly order: number;
  readonly href: (caseId: string, victimId: string) => string;
  /** Whether the victim's ISVA sees this part (plan, contacts, key dates: yes; evidence: never). */
  readonly forIsva: boolean;
  /** Journal events of this part: types starting with `eventPrefix` (always `victims.<part>.`). */
  readonly eventPrefix?: string;
  readonly describe?: (event: { type: string; data: Readonly<Record<string, unknown>> }) => { title: string; text: string };
  /** Lines for the victim's overview, for this viewer. */
  readonly overview?: (db: Db, v: LoadedVictim) => Promise<readonly VictimOverviewLine[]>;
  /** Whether this actor sees the part's tab at all (e.g. a compartment): shown only when the frame is given the actor. */
  readonly visible?: (actor: Actor, v: LoadedVictim) => boolean;
}

const parts = new Map<string, VictimPart>();

/** Registering the same part again replaces it (tests build several apps in one process). */
export function registerVictimPart(part: VictimPart): void {
  parts.set(part.key, part);
}

/** The parts the viewer may open, in order. */
export function victimParts(viewer: VictimViewer, shownTo?: { actor: Actor; v: LoadedVictim }): VictimPart[] {
  return [...parts.values()].filter((p) => (viewer === 'case' || p.forIsva) && (!p.visible || (shownTo !== undefined && p.visible(shownTo.actor, shownTo.v)))).sort((a, b) => a.order - b.order);
}

/** A timeline line for a victims' event: the part whose prefix it carries describes it. */
export function describeVictimEvent(event: { type: string; data: Readonly<Record<string, unknown>> }): { title: string; text: string } {
  const owner = [...parts.values()].find((p) => p.eventPrefix && p.describe && event.type.startsWith(p.eventPrefix));
  return owner?.describe ? owner.describe(event) : { title: translate('victims.event.other'), text: '' };
}

export const victimPaths = {
  list: (caseId: string) => `/cases/${caseId}/victims`,
  overview: (caseId: string, victimId: string) => `/cases/${caseId}/victims/${victimId}`,
  clients: () => '/victims',
};

/**
 * The header every page of a victim's records shares: the case's reference and
 * stage, the victim's name, and the victim's sub-navigation with `current`
 * marked ('' for the overview). Case workers also get the case's own
 * sub-navigation (`withCase`); an ISVA does not, as the case file is not theirs.
 */
export function victimFrame(v: LoadedVictim, current: string, actor?: Actor) {
  const { summary, victim, viewer } = v;
  const overview = { text: translate('victims.section.overview'), href: victimPaths.overview(summary.id, victim.id), active: current === '' };
  return {
    ...(viewer === 'case' ? caseFrame(summary, 'victims') : { caseReference: summary.policeReference, caseStage: stageName(summary.stage) }),
    victimName: victim.name,
    viewer,
    victimNavigation: [overview, ...victimParts(viewer, actor && { actor, v }).map((p) => ({ text: translate(p.titleKey), href: p.href(summary.id, victim.id), active: p.key === current }))],
  };
}
