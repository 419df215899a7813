// The generator on its own: every case follows the stage machine, its journal
// is in order and of a sensible length, the same seed gives the same cases,
// and a few thousand cases come out near the published figures (DOMAIN §10).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mostSpecific, parseRuleDefinition } from '../../platform/deadlines/model.ts';
import shipped from '../../platform/deadlines/rules.json' with { type: 'json' };
import { stages } from '../model.ts';
import { calibration, generateCase, stagePath } from './model.ts';
import type { GeneratorContext, Pairing, SyntheticCase } from './model.ts';
import { createProgress, progressLine } from './progress.ts';

const rules = shipped.rules.map((r) => ({ key: r.key, version: r.version, organisationId: null, effectiveFrom: r.effectiveFrom, definition: parseRuleDefinition(r.definition, r.key) }));
const staff = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => ({ id: `${prefix}-${i}`, name: `${prefix} ${i}` }));
const pairing = (code: string): Pairing => ({
  forceId: `force-${code}`, forceCode: code, cpsAreaId: `area-${code}`,
  investigators: staff(`${code}-investigator`, 3), supervisors: staff(`${code}-supervisor`, 1), prosecutors: staff(`${code}-prosecutor`, 2),
  dcps: staff(`${code}-dcp`, 1), vlos: staff(`${code}-vlo`, 1), paralegals: staff(`${code}-paralegal`, 1),
});
const TODAY = '2026-06-15';
const context = (seed: number): GeneratorContext => ({
  seed, today: TODAY, pairings: [pairing('AVS'), pairing('MPS')],
  rule: (key, organisationIds, onDate) => mostSpecific(rules.filter((r) => r.key === key), organisationIds, onDate),
});

const SAMPLE = 4_000;
const sample: SyntheticCase[] = Array.from({ length: SAMPLE }, (_, i) => generateCase(context(7), i));
const data = (event: { data: string }) => JSON.parse(event.data) as Record<string, string>;
const median = (values: number[]) => values.sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const days = (from: string, to: string) => (Date.parse(to) - Date.parse(from)) / 86_400_000;
const firstSuspect = (c: SyntheticCase) => c.people.find((p) => p.category === 'suspect')?.id;

test('every case walks a legal path through the stage machine to the stage it is at', () => {
  const reached = new Set<string>();
  for (const c of sample) {
    const { path, problem } = stagePath(c.events);
    assert.equal(problem, null, `${c.row.police_reference}: ${problem}`);
    assert.equal(path.at(-1), c.row.stage, c.row.police_reference);
    assert.equal(c.events[0]!.type, 'case.created');
    for (const stage of path) reached.add(stage);
  }
  // Every stage but 'report' (cases start at 'Crime recorded') is on some case's path.
  assert.deepEqual([...reached].sort(), Object.keys(stages).filter((s) => s !== 'report').sort());
});

test('journals are in order, within bounds, in the past, and name only ids and codes', () => {
  const names = new Set(sample.flatMap((c) => c.people.map((p) => p.name)));
  for (const c of sample) {
    assert.ok(c.events.length >= 4 && c.events.length <= 200, `${c.events.length} events`);
    c.events.forEach((event, i) => {
      assert.equal(event.seq, i + 1);
      assert.equal(event.case_id, c.row.id);
      if (i > 0) assert.ok(event.occurred_at > c.events[i - 1]!.occurred_at, 'events are strictly in time order');
      assert.ok(event.occurred_at.slice(0, 10) <= TODAY, 'nothing happens after today');
    });
    for (const person of c.people) assert.ok(!c.events.some((e) => e.data.includes(person.name)), 'the journal never holds the name of a victim, suspect or witness');
    assert.equal(c.row.version, c.events.length);
    assert.equal(c.row.updated_at, c.events.at(-1)!.occurred_at);
    assert.equal(c.people.filter((p) => p.category === 'victim').length, 1);
    assert.ok(c.team.some((m) => m.case_role === 'oic'));
  }
  assert.ok(names.size > 100, 'names vary');
  const average = sample.reduce((sum, c) => sum + c.events.length, 0) / SAMPLE;
  assert.ok(average >= 15 && average <= 26, `about 20 events a case on average (${average.toFixed(1)})`);
});

test('ids and crime references are unique, and ids sort in the order they were made', () => {
  const ids = sample.flatMap((c) => [c.row.id, ...c.events.map((e) => e.id), ...c.people.map((p) => p.id), ...c.team.map((m) => m.id), ...c.deadlines.map((d) => d.id)]);
  assert.equal(new Set(ids).size, ids.length);
  assert.ok(ids.every((id) => /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/.test(id)), 'UUID v7 shaped');
  const caseIds = sample.map((c) => c.row.id);
  assert.deepEqual([...caseIds].sort(), caseIds);
  assert.equal(new Set(sample.map((c) => `${c.row.force_id}/${c.row.police_reference}`)).size, SAMPLE);
});

test('the same seed gives the same cases; another seed gives others', () => {
  for (const index of [0, 1, 999, 3_999]) assert.deepEqual(generateCase(context(7), index), sample[index]);
  const other = generateCase(context(8), 0);
  assert.notEqual(other.row.id, sample[0]!.row.id);
  assert.notEqual(other.row.police_reference, sample[0]!.row.police_reference);
});

test('live cases have their deadlines open, some overdue; closed cases have none', () => {
  let overdue = 0;
  for (const c of sample) {
    const closed = ['police_nfa', 'cps_nfa', 'out_of_court_disposal', 'completed', 'administratively_finalised', 'charged', 'court'].includes(c.row.stage);
    if (closed) assert.equal(c.deadlines.length, 0, c.row.stage);
    if (c.row.stage === 'early_advice') assert.ok(c.deadlines.some((d) => d.rule_key === 'early-advice.response'));
    if (c.row.stage === 'action_plan') assert.ok(c.deadlines.some((d) => d.rule_key === 'action-plan.review'));
    for (const d of c.deadlines) {
      assert.equal(d.status, 'open');
      assert.equal(d.subject_id, c.row.id);
      assert.ok(d.next_step_due_on, 'the sweep has a step to take');
      assert.deepEqual(c.deadlineOrganisations.filter((o) => o.deadline_id === d.id).map((o) => o.organisation_id), [c.row.force_id, c.row.cps_area_id]);
      if (d.due_on < TODAY) overdue += 1;
    }
  }
  assert.ok(overdue > 0, 'some deadlines are overdue');
});

test('a few thousand cases come out near the published figures', () => {
  const outcomes = new Map<string, number>();
  const court = new Map<string, number>();
  const toCharge: number[] = [];
  const chargeToCompletion: number[] = [];
  const adviceDays: number[] = [];
  let consultations = 0;
  let referred = 0;
  for (const c of sample) {
    let charged: string | undefined;
    let requested: string | undefined;
    let consulted = 0;
    for (const event of c.events) {
      const d = data(event);
      if (event.type === 'police-nfa.decided') outcomes.set(d.outcomeCode!, (outcomes.get(d.outcomeCode!) ?? 0) + 1);
      if (event.type === 'charging.decided' && d.decision === 'charge') {
        charged = event.occurred_at;
        toCharge.push(days(c.row.reported_on, charged));
      }
      if (event.type === 'court.outcome-recorded') {
        const outcome = (d as Record<string, unknown>).victimWithdrawal === true ? 'victim_withdrew' : d.outcome!;
        court.set(outcome, (court.get(outcome) ?? 0) + 1);
        chargeToCompletion.push(days(charged!, event.occurred_at));
      }
      if (event.type === 'advice.requested') requested = event.occurred_at;
      if (event.type === 'advice.given') adviceDays.push(days(requested!, event.occurred_at));
      // A consultation ends in advice, a charging decision or an action plan from a charging review.
      if (event.type === 'advice.given' || (event.type === 'charging.decided' && d.suspectId === undefined) || (event.type === 'charging.decided' && d.suspectId === firstSuspect(c)) || (event.type === 'action-plan.issued' && d.source === 'charging-decision')) consulted += 1;
    }
    if (consulted) {
      consultations += consulted;
      referred += 1;
    }
  }
  const share = (map: Map<string, number>, keys: readonly string[]) => keys.reduce((sum, k) => sum + (map.get(k) ?? 0), 0) / [...map.values()].reduce((a, b) => a + b, 0);
  const within = (value: number, low: number, high: number, what: string) => assert.ok(value >= low && value <= high, `${what}: ${value.toFixed(3)} not in ${low}–${high}`);
  const closedByPolice = sample.filter((c) => c.row.stage === 'police_nfa').length / SAMPLE;
  within(closedByPolice, 0.65, 0.85, 'most cases end in a police decision of no further action');
  within(share(outcomes, ['16']), 0.35, 0.5, 'outcome 16');
  within(share(outcomes, calibration.victimWithdrewOutcomes), 0.52, 0.68, 'closed because the victim withdrew');
  within(sample.filter((c) => ['charged', 'court', 'completed'].includes(c.row.stage)).length / SAMPLE, 0.015, 0.07, 'charged');
  within(median(toCharge), 380, 600, 'median days from report to charge');
  within(median(chargeToCompletion), 320, 480, 'median days from charge to completion');
  // About a hundred completions in the sample: the bounds allow three standard errors either side.
  within(share(court, calibration.convictions), 0.5, 0.8, 'conviction rate of completions');
  within(share(court, ['victim_withdrew']), 0.08, 0.32, 'victim withdrawal after charge');
  within(median(adviceDays), 17, 25, 'median days to answer early advice');
  within(consultations / referred, 1.7, 3, 'consultations per referred case');
});

test('progress: a line every few seconds off a terminal, one line rewritten on a terminal', () => {
  let clock = 0;
  const written: string[] = [];
  const plain = createProgress({ total: 1_000, label: 'Synthetic cases', write: (text) => written.push(text), tty: false, everyMs: 5_000, now: () => clock });
  // Reports every 2 s: a line at 6 s (5 s since the start), none at 8 or 10 s (under 5 s since), then the last.
  for (const done of [100, 200, 300, 400, 500]) {
    clock += 2_000;
    plain.update(done);
  }
  clock += 6_000;
  plain.update(1_000); // all done: the last line is finish()'s, so it is not written twice
  plain.finish(1_000);
  assert.deepEqual(written, [
    'Synthetic cases: 300 of 1,000 (30%), 50 a second, about 14s left\n',
    'Synthetic cases: 1,000 of 1,000 (100%), 63 a second, took 16s\n',
  ]);
  const screen: string[] = [];
  clock = 0;
  const tty = createProgress({ total: 10, label: 'Cases', write: (text) => screen.push(text), tty: true, now: () => clock });
  clock = 1_000;
  tty.update(5);
  tty.finish(10);
  assert.equal(screen[0], '\rCases: 5 of 10 (50%), 5 a second, about 1s left\x1b[K');
  assert.ok(screen[1]!.startsWith('\rCases: 10 of 10 (100%)') && screen[1]!.endsWith('\n'));
  assert.equal(progressLine('Cases', 0, 10, 0), 'Cases: 0 of 10 (0%), 0 a second, about unknown left');
});

test('nothing is recorded after the instant the cases are made', () => {
  const latest = `${TODAY}T09:30:00.000Z`;
  let today = 0;
  for (let index = 0; index < 2_000; index += 1) {
    const c = generateCase({ ...context(7), latest }, index);
    for (const event of c.events) {
      assert.ok(event.occurred_at <= latest, `${event.type} at ${event.occurred_at}`);
      if (event.occurred_at.startsWith(TODAY)) today += 1;
    }
    assert.ok(c.row.updated_at <= latest);
  }
  assert.ok(today > 0, 'some cases had something happen today');
});
