// The case page is made of sections: the overview (the case file itself)
// and one page for each part of the case's progress (early advice, action
// plans, charging, police NFA, conferences, court, investigation). Each part
// registers its section here when its routes are registered, with the
// actions it offers from the case page and how it describes its own journal
// events on the timeline. The case page and every section page share one
// header and sub-navigation built from this list.
import type { CaseAccess } from '../platform/access/case-access.ts';
import { translate } from '../platform/i18n/messages.ts';
import { describeEvent, stageName } from './model.ts';
import type { CaseEvent, CaseSummary } from './model.ts';

/** What a section knows when it offers actions on the case page. */
export interface SectionContext {
  readonly summary: CaseSummary;
  readonly access: CaseAccess;
  /** The side of the case the viewer acts for now. */
  readonly side: 'police' | 'cps' | null;
}

export interface CaseAction {
  readonly text: string;
  readonly href: string;
}

export interface CaseSection {
  /** Short name used in addresses, e.g. 'early-advice'. */
  readonly key: string;
  /** Message key of its title in the sub-navigation. */
  readonly titleKey: string;
  /** Where it sits in the sub-navigation (lower first). */
  readonly order: number;
  readonly href: (caseId: string) => string;
  /** The buttons this part offers on the case overview for the case as it is now. */
  readonly actions?: (context: SectionContext) => readonly CaseAction[];
  /** Journal events of this part: types starting with `eventPrefix`. */
  readonly eventPrefix?: string;
  /** A one-line description of one of its events, for the timeline. */
  readonly describe?: (event: Pick<CaseEvent, 'type' | 'data'>) => { title: string; text: string };
}

const sections = new Map<string, CaseSection>();

/** Registering the same section again replaces it (tests build several apps in one process). */
export function registerCaseSection(section: CaseSection): void {
  sections.set(section.key, section);
}

export function caseSections(): CaseSection[] {
  return [...sections.values()].sort((a, b) => a.order - b.order);
}

/** A timeline line for any journal event: the part whose prefix it carries describes it, or the case file does. */
export function describeCaseEvent(event: Pick<CaseEvent, 'type' | 'data'>): { title: string; text: string } {
  const owner = caseSections().find((s) => s.eventPrefix && s.describe && event.type.startsWith(s.eventPrefix));
  return owner?.describe ? owner.describe(event) : describeEvent(event);
}

/** The actions every registered part offers for the case as it is now. */
export function caseActions(context: SectionContext): CaseAction[] {
  return caseSections().flatMap((s) => s.actions?.(context) ?? []);
}

/**
 * The header every case page shares: the crime reference as caption, the
 * stage, and the sub-navigation with `current` marked. The overview is ''.
 */
export function caseFrame(summary: Pick<CaseSummary, 'id' | 'policeReference' | 'stage'>, current: string) {
  const overview = { text: translate('cases.section.overview'), href: `/cases/${summary.id}`, active: current === '' };
  return {
    caseReference: summary.policeReference,
    caseStage: stageName(summary.stage),
    caseNavigation: [overview, ...caseSections().map((s) => ({ text: translate(s.titleKey), href: s.href(summary.id), active: s.key === current }))],
  };
}
