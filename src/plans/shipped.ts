// The plans shipped with the platform, structured from the published
// progress reports (DOMAIN §7): the original JNAP, the JNAP refresh and
// Jersey's 2022/23 local plan. Each file says which seed and section it comes
// from. They are reference data: the demo loads them, and a deployment may.
import jnap from './data/jnap-2021.json' with { type: 'json' };
import refresh from './data/jnap-refresh-2022.json' with { type: 'json' };
import jersey from './data/jersey-2022-23.json' with { type: 'json' };
import { isPlanLevel, isStatusOf, isStatusScheme } from './model.ts';
import type { PlanLevel, StatusScheme } from './model.ts';

export interface ShippedAction {
  readonly number: number;
  readonly text: string;
  /** Who the action names as doing it; empty: the plan's owners. */
  readonly owners: readonly string[];
  readonly targetOn?: string;
  readonly targetSource?: string;
  readonly state: string;
  /** 'stated': the report gives the state; 'commentary': read from its commentary. */
  readonly stateBasis: 'stated' | 'commentary';
  readonly update: string;
}

export interface ShippedTheme {
  readonly title: string;
  readonly description: string | null;
  readonly actions: readonly ShippedAction[];
}

export interface ShippedPlan {
  readonly key: string;
  readonly source: { readonly seed: string; readonly section: string; readonly context?: string; readonly note: string };
  readonly level: PlanLevel;
  readonly title: string;
  readonly period: string;
  readonly owners: readonly string[];
  readonly statusScheme: StatusScheme;
  readonly reviewCycleMonths: number;
  /** Which report the shipped commentary was published in. */
  readonly updateLabel: string;
  readonly themes: readonly ShippedTheme[];
}

/** What is wrong with a shipped plan's shape (empty when nothing is). */
export function shippedPlanProblems(plan: ShippedPlan): string[] {
  const problems: string[] = [];
  if (!isPlanLevel(plan.level)) problems.push(`${plan.key}: level ${plan.level}`);
  if (!isStatusScheme(plan.statusScheme)) return [...problems, `${plan.key}: status scheme ${plan.statusScheme}`];
  const actions = plan.themes.flatMap((theme) => theme.actions);
  actions.forEach((action, i) => {
    if (action.number !== i + 1) problems.push(`${plan.key}: action ${i + 1} is numbered ${action.number}`);
    if (!isStatusOf(plan.statusScheme, action.state)) problems.push(`${plan.key}: action ${action.number} has state ${action.state}`);
    if (action.text.trim() === '' || action.update.trim() === '') problems.push(`${plan.key}: action ${action.number} lacks text or update`);
    if (action.stateBasis !== 'stated' && action.stateBasis !== 'commentary') problems.push(`${plan.key}: action ${action.number} has no state basis`);
    if (action.targetOn !== undefined && (!/^\d{4}-\d{2}-\d{2}$/.test(action.targetOn) || !action.targetSource)) problems.push(`${plan.key}: action ${action.number} target`);
  });
  for (const theme of plan.themes) if (theme.title.trim() === '' || theme.actions.length === 0) problems.push(`${plan.key}: theme ${theme.title} is empty`);
  return problems;
}

export const shippedPlans = [jnap, refresh, jersey] as readonly ShippedPlan[];

export function shippedPlan(key: string): ShippedPlan {
  const plan = shippedPlans.find((p) => p.key === key);
  if (!plan) throw new Error(`No shipped plan ${key}`);
  return plan;
}
