// A reproducible stratified random sample of the decisions of a period. Each
// decision falls in a stratum (its kind and outcome, and whether the case is
// domestic-abuse related and the victim vulnerable). The sample size is shared
// between strata in proportion to their size (largest remainders), with at
// least one from every stratum that has any. Within a stratum, cases are
// taken in the order of a keyed hash of the seed and the case: the same
// population, size and seed give the same sample, whatever order the cases
// were read in, and a different seed gives an unrelated one.
import { createHash, randomBytes } from 'node:crypto';
import type { NfaCase } from '../../cases/oversight/nfa-review.ts';

export interface Candidate {
  readonly caseId: string;
  readonly stratum: string;
}

export interface Stratum {
  readonly key: string;
  readonly population: number;
  readonly selected: number;
}

/**
 * A case's stratum, from its latest decision in the period: e.g.
 * 'police_nfa/16/da/vv' (outcome 16, domestic abuse, vulnerable victim) or
 * 'cps_nfa/nfa_evidential/-/-'.
 */
export function stratumOf(found: NfaCase): string {
  const latest = found.decisions.at(-1)!;
  return [latest.kind, latest.outcome, found.flags.domesticAbuse ? 'da' : '-', found.flags.vulnerableVictim ? 'vv' : '-'].join('/');
}

/** The parts of a stratum key, for describing it. */
export function stratumParts(key: string): { kind: string; outcome: string; domesticAbuse: boolean; vulnerableVictim: boolean } {
  const [kind = '', outcome = '', da = '-', vv = '-'] = key.split('/');
  return { kind, outcome, domesticAbuse: da === 'da', vulnerableVictim: vv === 'vv' };
}

/** A seed for a sample when none is asked for: short enough to read out and type again. */
export function newSeed(): string {
  return randomBytes(6).toString('hex');
}

/** How many to draw from each stratum: proportional, at least one from each, never more than it holds; in all max(size, number of strata). */
export function allocate(populations: ReadonlyMap<string, number>, size: number): Map<string, number> {
  const strata = [...populations.entries()].filter(([, n]) => n > 0).sort(([a], [b]) => a.localeCompare(b));
  const total = strata.reduce((sum, [, n]) => sum + n, 0);
  const allocation = new Map<string, number>();
  if (size >= total) {
    for (const [key, n] of strata) allocation.set(key, n);
    return allocation;
  }
  const target = Math.max(size, strata.length);
  const quota = new Map(strata.map(([key, n]) => [key, (target * n) / total]));
  for (const [key, n] of strata) allocation.set(key, Math.min(n, Math.max(1, Math.floor(quota.get(key)!))));
  const sum = () => [...allocation.values()].reduce((a, b) => a + b, 0);
  // Ties go to the larger stratum, then in key order, so the allocation never depends on reading order.
  const order = (pick: (key: string) => number) => (a: [string, number], b: [string, number]) => pick(b[0]) - pick(a[0]) || b[1] - a[1] || a[0].localeCompare(b[0]);
  while (sum() < target) {
    const [key] = strata.filter(([k, n]) => allocation.get(k)! < n).sort(order((k) => quota.get(k)! - allocation.get(k)!))[0]!;
    allocation.set(key, allocation.get(key)! + 1);
  }
  while (sum() > target) {
    const candidates = strata.filter(([k]) => allocation.get(k)! > 1);
    if (candidates.length === 0) break;
    const [key] = candidates.sort(order((k) => allocation.get(k)! - quota.get(k)!))[0]!;
    allocation.set(key, allocation.get(key)! - 1);
  }
  return allocation;
}

/** Where a case falls in the seed's random order. */
const rank = (seed: string, caseId: string) => createHash('sha256').update(`${seed}\u0000${caseId}`).digest('hex');

/** Draws the sample: answers the cases chosen (in rank order within each stratum) and every stratum with how many it held and gave. */
export function drawSample(candidates: readonly Candidate[], size: number, seed: string): { selected: Candidate[]; strata: Stratum[] } {
  const byStratum = new Map<string, Candidate[]>();
  for (const candidate of candidates) byStratum.set(candidate.stratum, [...(byStratum.get(candidate.stratum) ?? []), candidate]);
  const allocation = allocate(new Map([...byStratum].map(([key, list]) => [key, list.length])), size);
  const selected: Candidate[] = [];
  const strata: Stratum[] = [];
  for (const key of [...byStratum.keys()].sort()) {
    const ranked = byStratum.get(key)!.map((c) => ({ c, r: rank(seed, c.caseId) })).sort((a, b) => (a.r < b.r ? -1 : a.r > b.r ? 1 : 0)).map(({ c }) => c);
    const take = allocation.get(key) ?? 0;
    selected.push(...ranked.slice(0, take));
    strata.push({ key, population: ranked.length, selected: take });
  }
  return { selected, strata };
}

/** Every case, with the strata they fall in (the method 'all'). */
export function takeAll(candidates: readonly Candidate[]): { selected: Candidate[]; strata: Stratum[] } {
  const { selected, strata } = drawSample(candidates, candidates.length, 'all');
  return { selected, strata };
}
