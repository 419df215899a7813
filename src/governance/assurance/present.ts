// What leaves the platform of a report's figures: every count of cases
// suppressed as model.ts says, the exceptions in words that say no more than
// the figures shown, and each measure with its definition. Pages, the print
// view and the API all show figures through here, so nothing exact escapes
// by one route and not another.
import { translate } from '../../platform/i18n/messages.ts';
import { formatDate } from '../../platform/time/working-days.ts';
import { statusName as planStatusName } from '../../plans/model.ts';
import { EARLY_ADVICE_EXPECTED_SHARE, shownBreakdown, shownCount, shownMedian, shownShare } from './model.ts';
import type { ExceptionKey, Figures, Shown } from './model.ts';

export interface PresentedTheme {
  readonly title: string;
  readonly done: number;
  readonly underway: number;
  readonly notStarted: number;
  readonly total: number;
  readonly updates: number;
}

export interface PresentedPlan {
  readonly id: string;
  readonly title: string;
  readonly level: string;
  readonly period: string;
  readonly themes: readonly PresentedTheme[];
  readonly overdue: readonly { readonly number: number; readonly text: string; readonly targetOn: string; readonly status: string }[];
}

export interface PresentedFigures {
  readonly computedAt: string;
  readonly quarter: Figures['quarter'];
  readonly organisation: Figures['organisation'];
  /** Plans hold no case data: their counts are shown as they are. */
  readonly plans: readonly PresentedPlan[];
  readonly earlyAdvice: { readonly targetDays: number; readonly answered: Shown; readonly withinTarget: Shown; readonly late: Shown; readonly share: Shown; readonly medianDays: Shown };
  readonly prfi: { readonly asAt: string; readonly thresholds: readonly number[]; readonly open: Shown; readonly bands: readonly { readonly from: number; readonly to: number | null; readonly count: Shown }[] };
  readonly escalations: { readonly total: Shown; readonly steps: readonly { readonly ruleKey: string; readonly ruleTitle: string; readonly step: string; readonly label: string; readonly count: Shown }[] };
  readonly nfa: {
    readonly police: { readonly total: Shown; readonly byOutcome: readonly { readonly code: string; readonly name: string; readonly count: Shown }[] };
    readonly cps: { readonly total: Shown; readonly byKind: readonly { readonly code: string; readonly name: string; readonly count: Shown }[] };
  };
  readonly exceptions: readonly { readonly key: ExceptionKey; readonly title: string; readonly detail: string }[];
}

/** A band of days as words: 'Under 28 days', '28 to 55 days', '90 days or more'. */
export function bandName(band: { from: number; to: number | null }): string {
  if (band.from === 0 && band.to !== null) return translate('assurance.prfi.under', { days: band.to + 1 });
  return band.to === null ? translate('assurance.prfi.orMore', { days: band.from }) : translate('assurance.prfi.between', { from: band.from, to: band.to });
}

export function present(figures: Figures): PresentedFigures {
  const { measures } = figures;
  const ea = measures.earlyAdvice;
  const [withinTarget, late] = shownBreakdown([ea.withinTarget, ea.answered - ea.withinTarget]) as [Shown, Shown];
  const bands = shownBreakdown(measures.prfi.bands.map((b) => b.count));
  const steps = shownBreakdown(measures.escalations.map((e) => e.count));
  const police = shownBreakdown(measures.nfa.police.map((n) => n.count));
  const cps = shownBreakdown(measures.nfa.cps.map((n) => n.count));
  const share = shownShare(ea.withinTarget, ea.answered);
  const last = measures.prfi.bands.at(-1);
  const plans = figures.plans.map((plan) => ({
    id: plan.id,
    title: plan.title,
    level: plan.level,
    period: plan.period,
    themes: plan.themes.map((t) => ({ ...t, total: t.done + t.underway + t.notStarted })),
    overdue: plan.overdue,
  }));
  const detail = (key: ExceptionKey): string => {
    switch (key) {
      case 'early-advice-timeliness':
        return translate('assurance.exception.early-advice-timeliness.detail', { days: ea.targetDays, share: share.text, expected: Math.round(EARLY_ADVICE_EXPECTED_SHARE * 100) });
      case 'prfi-90-days':
        return translate('assurance.exception.prfi-90-days.detail', { days: last?.from ?? 90, count: shownCount(last?.count ?? 0).text });
      case 'plan-actions-overdue':
        return translate('assurance.exception.plan-actions-overdue.detail', {
          actions: plans.flatMap((plan) => plan.overdue.map((a) => translate('assurance.exception.plan-actions-overdue.action', { plan: plan.title, number: a.number, target: formatDate(a.targetOn), status: planStatusName(a.status) }))).join('; '),
        });
    }
  };
  return {
    computedAt: figures.computedAt,
    quarter: figures.quarter,
    organisation: figures.organisation,
    plans,
    earlyAdvice: { targetDays: ea.targetDays, answered: shownCount(ea.answered), withinTarget, late, share, medianDays: shownMedian(ea.medianDays, ea.answered) },
    prfi: { asAt: measures.prfi.asAt, thresholds: measures.prfi.thresholds, open: shownCount(measures.prfi.open), bands: measures.prfi.bands.map((b, i) => ({ from: b.from, to: b.to, count: bands[i]! })) },
    escalations: {
      total: shownCount(measures.escalations.reduce((n, e) => n + e.count, 0)),
      steps: measures.escalations.map((e, i) => ({ ruleKey: e.ruleKey, ruleTitle: e.ruleTitle, step: e.step, label: e.label, count: steps[i]! })),
    },
    nfa: {
      police: { total: shownCount(measures.nfa.policeTotal), byOutcome: measures.nfa.police.map((n, i) => ({ code: n.code, name: n.name, count: police[i]! })) },
      cps: { total: shownCount(measures.nfa.cpsTotal), byKind: measures.nfa.cps.map((n, i) => ({ code: n.code, name: n.name, count: cps[i]! })) },
    },
    exceptions: figures.exceptions.map((e) => ({ key: e.key, title: translate(`assurance.exception.${e.key}.title`), detail: detail(e.key) })),
  };
}
