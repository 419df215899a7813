// The shipped plans are the published ones: 24 original JNAP actions, 20
// refresh actions and 19 Jersey actions, numbered without gaps, each with a
// theme, a state of its scheme and its commentary; and, where the seed
// documents are at hand, every number is found in the seed, in order.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { shippedPlanProblems, shippedPlans, shippedPlan } from './shipped.ts';
import type { ShippedPlan } from './shipped.ts';

const SEEDS = fileURLToPath(new URL('../../../shared/seeds/', import.meta.url));

test('the shipped plans have the published number of actions, numbered from 1 without gaps, each with a theme, a state and commentary', () => {
  assert.deepEqual(shippedPlans.map((plan) => [plan.key, plan.themes.flatMap((theme) => theme.actions).length]), [['jnap-2021', 24], ['jnap-refresh-2022', 20], ['jersey-2022-23', 19]]);
  for (const plan of shippedPlans) {
    assert.deepEqual(shippedPlanProblems(plan), [], plan.key);
    assert.match(plan.source.seed, /^00[34]$/);
    assert.ok(plan.source.section.length > 10, `${plan.key} says which section it comes from`);
  }
  assert.deepEqual(shippedPlan('jnap-2021').themes.map((theme) => theme.actions.length), [5, 8, 2, 4, 5]);
  assert.deepEqual(shippedPlan('jnap-refresh-2022').themes.map((theme) => theme.actions.length), [5, 8, 4, 3]);
  assert.deepEqual(shippedPlan('jersey-2022-23').themes.map((theme) => theme.actions.length), [5, 6, 4, 4]);
  // The states as the plans themselves give them.
  const states = (plan: ShippedPlan) => plan.themes.flatMap((theme) => theme.actions).map((action) => action.state);
  assert.deepEqual(states(shippedPlan('jersey-2022-23')).join(' '), 'in_progress in_progress no yes no yes yes yes yes yes no yes yes yes yes yes yes no yes');
  assert.equal(shippedPlan('jnap-2021').themes[4]!.actions[0]!.stateBasis, 'stated');
});

test('the problems of a malformed plan are found', () => {
  const plan = shippedPlan('jersey-2022-23');
  const [first, ...rest] = plan.themes;
  const broken: ShippedPlan = { ...plan, themes: [{ ...first!, actions: [{ ...first!.actions[0]!, number: 2, state: 'done' }, ...first!.actions.slice(1)] }, ...rest] };
  assert.deepEqual(shippedPlanProblems(broken), ['jersey-2022-23: action 1 is numbered 2', 'jersey-2022-23: action 2 has state done']);
});

/** The lines of a seed, each without a leading 'Completed' mark or spaces. */
function seedLines(text: string): string[] {
  return text.split('\n').map((line) => line.replace(/^\s*(Completed\s+)?/, ''));
}

/** Finds each number, in order, at the start of a line after the one before; answers those not found. */
function missingInOrder(lines: readonly string[], numbers: readonly number[]): number[] {
  let from = 0;
  const missing: number[] = [];
  for (const n of numbers) {
    // The number, then anything but a digit, or text that begins with a hyphenated figure ("1" then "12-month programme").
    const at = lines.findIndex((line, i) => i >= from && line.startsWith(String(n)) && /^(\D|\d+-|$)/.test(line.slice(String(n).length)));
    if (at < 0) missing.push(n);
    else from = at + 1;
  }
  return missing;
}

test('every action number is in its seed, in order', (t) => {
  if (!existsSync(SEEDS)) {
    t.skip(`the seed documents are not at ${SEEDS}: the check against them is skipped`);
    return;
  }
  const seed = (prefix: string) => readFileSync(`${SEEDS}${readdirSync(SEEDS).find((name) => name.startsWith(`${prefix}_`))!}`, 'utf8');
  const report = seed('003');
  const split = report.indexOf('Actions 1 – 24 directly below');
  assert.ok(split > 0, 'the final report names where the original actions begin');
  const numbers = (plan: ShippedPlan) => plan.themes.flatMap((theme) => theme.actions.map((action) => action.number));
  assert.deepEqual(missingInOrder(seedLines(report.slice(0, split)), numbers(shippedPlan('jnap-refresh-2022'))), []);
  assert.deepEqual(missingInOrder(seedLines(report.slice(split)), numbers(shippedPlan('jnap-2021'))), []);
  // Jersey's actions 1 and 4 lost their numbers in the source (the plan's note says so).
  const jersey = shippedPlan('jersey-2022-23');
  assert.match(jersey.source.note, /Actions 1 and 4 have lost their numbers/);
  assert.deepEqual(missingInOrder(seedLines(seed('004')), numbers(jersey).filter((n) => n !== 1 && n !== 4)), []);
  // The theme titles are the seed's own.
  for (const plan of [shippedPlan('jnap-2021'), shippedPlan('jnap-refresh-2022')]) {
    for (const theme of plan.themes) assert.ok(report.toLowerCase().includes(theme.title.toLowerCase().replace(' and ', ' ')) || report.toLowerCase().includes(theme.title.toLowerCase()), `${plan.key}: theme ${theme.title}`);
  }
});
