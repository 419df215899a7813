// The stratified random sample on its own: the same population, size and seed
// give the same sample whatever order the cases come in; another seed gives
// another; every stratum with cases gives at least one and never more than it
// holds; the rest is shared in proportion to the strata's sizes; asking for
// more than there are takes them all.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { allocate, drawSample, stratumOf, takeAll } from './sample.ts';
import type { Candidate } from './sample.ts';

const population = (sizes: Record<string, number>): Candidate[] =>
  Object.entries(sizes).flatMap(([stratum, n]) => Array.from({ length: n }, (_, i) => ({ caseId: `${stratum}:${String(i).padStart(4, '0')}`, stratum })));

const shuffled = <T>(list: readonly T[], seed: number): T[] => {
  const copy = [...list];
  let state = seed;
  for (let i = copy.length - 1; i > 0; i -= 1) {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    const j = state % (i + 1);
    [copy[i], copy[j]] = [copy[j]!, copy[i]!];
  }
  return copy;
};

test('a sample is reproducible from its seed, whatever order the cases are read in', () => {
  const cases = population({ 'police_nfa/16/da/vv': 40, 'police_nfa/18/-/-': 25, 'cps_nfa/nfa_evidential/da/-': 12, 'police_nfa/14/-/vv': 3 });
  const first = drawSample(cases, 20, 'a1b2c3d4e5f6');
  const again = drawSample(shuffled(cases, 7), 20, 'a1b2c3d4e5f6');
  assert.deepEqual(again.selected.map((c) => c.caseId).sort(), first.selected.map((c) => c.caseId).sort());
  assert.deepEqual(again.strata, first.strata);
  const other = drawSample(cases, 20, 'another-seed');
  assert.notDeepEqual(other.selected.map((c) => c.caseId).sort(), first.selected.map((c) => c.caseId).sort(), 'another seed draws another sample');
  assert.deepEqual(other.strata, first.strata, 'but from the strata in the same numbers');
});

test('the sample size is shared in proportion, with at least one from every stratum', () => {
  const { strata, selected } = drawSample(population({ a: 60, b: 30, c: 9, d: 1 }), 20, 'seed');
  assert.deepEqual(strata.map((s) => [s.key, s.population, s.selected]), [['a', 60, 12], ['b', 30, 6], ['c', 9, 1], ['d', 1, 1]]);
  assert.equal(selected.length, 20);
  for (const s of strata) assert.equal(selected.filter((c) => c.stratum === s.key).length, s.selected);
  // Fewer asked for than there are strata: one from each.
  assert.deepEqual([...allocate(new Map([['a', 50], ['b', 5], ['c', 2]]), 2)].sort(), [['a', 1], ['b', 1], ['c', 1]]);
  // More asked for than there are: every case.
  assert.equal(drawSample(population({ a: 3, b: 2 }), 50, 'seed').selected.length, 5);
  assert.deepEqual(takeAll(population({ a: 3, b: 2 })).strata.map((s) => [s.key, s.selected]), [['a', 3], ['b', 2]]);
});

test('property: for any population, size and seed the allocation holds its rules and the draw is reproducible', () => {
  fc.assert(fc.property(
    fc.dictionary(fc.constantFrom('p/16/da/vv', 'p/16/-/-', 'p/18/-/vv', 'p/14/da/-', 'c/ev/-/-', 'c/pi/da/vv'), fc.integer({ min: 1, max: 80 }), { minKeys: 1 }),
    fc.integer({ min: 1, max: 120 }),
    fc.string({ minLength: 1, maxLength: 12 }),
    fc.integer({ min: 1, max: 1000 }),
    (sizes, size, seed, order) => {
      const cases = population(sizes);
      const total = cases.length;
      const strataCount = Object.keys(sizes).length;
      const { selected, strata } = drawSample(cases, size, seed);
      const expected = size >= total ? total : Math.max(size, strataCount);
      assert.equal(selected.length, expected);
      // Strata lifted to one case take their extra from the others: no stratum is further from its quota than that.
      const lifted = strata.filter((s) => (expected * s.population) / total < 1).length;
      for (const s of strata) {
        assert.ok(s.selected >= 1 && s.selected <= s.population, `${s.key}: ${s.selected} of ${s.population}`);
        if (size < total && s.selected > 1) assert.ok(Math.abs(s.selected - (expected * s.population) / total) < 1 + lifted, `${s.key}: ${s.selected} for a quota of ${(expected * s.population) / total}`);
      }
      assert.equal(new Set(selected.map((c) => c.caseId)).size, selected.length, 'no case twice');
      const again = drawSample(shuffled(cases, order), size, seed);
      assert.deepEqual(again.selected.map((c) => c.caseId).sort(), selected.map((c) => c.caseId).sort());
    },
  ), { numRuns: 200 });
});

test('a case’s stratum is its latest decision’s kind and outcome, with the domestic abuse and vulnerable victim flags', () => {
  const flags = { domesticAbuse: true, repeatSuspect: false, vulnerableVictim: false, childVictim: false };
  assert.equal(stratumOf({ caseId: 'x', offenceClass: 'rape_16_plus', flags, decisions: [
    { kind: 'police_nfa', outcome: '18', decidedOn: '2026-01-02', decisionKey: 'p1' },
    { kind: 'cps_nfa', outcome: 'nfa_public_interest', decidedOn: '2026-02-02', decisionKey: 'r1' },
  ] }), 'cps_nfa/nfa_public_interest/da/-');
});
