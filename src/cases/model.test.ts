// The stage model's data holds together, and date and reference input follows
// the GOV.UK patterns.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { allocatableRoles, canTransition, closingStages, commandForMove, manualMoveProblem, manualNextStages, newCaseErrors, nextStages, parseDateParts, stageName, stageNames, transitionProblem } from './model.ts';
import type { Stage } from './model.ts';

test('every stage is named, moves only to real stages, and can be reached from "Crime recorded"', () => {
  const reached = new Set<Stage>(['crime_recorded']);
  const queue: Stage[] = ['crime_recorded'];
  while (queue.length) {
    for (const next of nextStages(queue.shift()!)) {
      if (reached.has(next)) continue;
      reached.add(next);
      queue.push(next);
    }
  }
  for (const stage of stageNames) {
    assert.ok(stageName(stage).length > 0);
    for (const next of nextStages(stage)) assert.ok(stageNames.includes(next), `${stage} → ${next}`);
    assert.ok(!canTransition(stage, stage), `${stage} does not move to itself`);
    if (stage !== 'report') assert.ok(reached.has(stage), `${stage} is reachable`);
  }
  assert.deepEqual(stageNames.filter((stage) => nextStages(stage).length === 0).sort(), ['completed', 'out_of_court_disposal']);
});

test('a refused move says where the case is and where it can go', () => {
  assert.equal(transitionProblem('investigation', 'early_advice'), null);
  assert.equal(transitionProblem('investigation', 'charged'), 'A case at ‘Investigation’ cannot move to ‘Charged’. It can move to ‘Early advice’, ‘Charging referral (awaiting CPS decision)’, ‘No further action (police)’');
  assert.equal(transitionProblem('completed', 'investigation'), 'A case at ‘Completed’ is closed and cannot move to another stage');
  assert.equal(transitionProblem('court', 'court'), 'The case is already at the stage ‘Court’');
  assert.equal(transitionProblem('court', 'nonsense'), 'Select the stage the case moves to');
  fc.assert(fc.property(fc.constantFrom(...stageNames), fc.oneof(fc.constantFrom<string>(...stageNames), fc.string()), (from, to) =>
    (transitionProblem(from, to) === null) === ((stageNames as string[]).includes(to) && canTransition(from, to as Stage))));
});

test('dates from the GOV.UK date input', () => {
  const rules = { field: 'reportedOn', label: 'The date it was reported', required: true, notAfter: '2025-06-30' };
  assert.deepEqual(parseDateParts({ day: '3', month: '4', year: '2025' }, rules), { date: '2025-04-03', error: null });
  assert.deepEqual(parseDateParts({ day: '', month: '', year: '' }, rules).error, { field: 'reportedOn-day', message: 'Enter the date it was reported' });
  assert.deepEqual(parseDateParts({ day: '', month: '', year: '' }, { ...rules, required: false }), { date: null, error: null });
  assert.deepEqual(parseDateParts({ day: '3', month: '', year: '' }, rules).error, { field: 'reportedOn-month', message: 'The date it was reported must include a month and year' });
  assert.equal(parseDateParts({ day: '29', month: '2', year: '2025' }, rules).error?.message, 'The date it was reported must be a real date');
  assert.equal(parseDateParts({ day: '1', month: '7', year: '2025' }, rules).error?.message, 'The date it was reported must be today or in the past');
  assert.equal(parseDateParts({ day: '1', month: '7', year: '25' }, rules).error?.field, 'reportedOn-year');
  fc.assert(fc.property(fc.string(), fc.string(), fc.string(), (day, month, year) => {
    const { date, error } = parseDateParts({ day, month, year }, rules);
    return (date === null) !== (error === null) || (date === null && error === null && `${day}${month}${year}`.trim() === '');
  }));
});

test('crime references are permissive but not free text', () => {
  const check = (policeReference: string) => newCaseErrors({ policeReference, cpsAreaId: 'x', offenceClass: 'rape_16_plus', flags: [], reportedOn: { day: '1', month: '1', year: '2025' } }, '2025-06-30');
  for (const good of ['AS/12345/25', '5223001234', '47-000123-24', 'ab 1234']) assert.deepEqual(check(good).errors, [], good);
  for (const bad of ['', 'AB', '<script>', 'AS/12345/25; drop']) assert.equal(check(bad).errors[0]?.field, 'policeReference', bad);
  assert.equal(check(' as/12345/25 ').value?.policeReference, 'AS/12345/25');
});

test('who allocates which case roles', () => {
  assert.deepEqual(allocatableRoles(['police_supervisor'], 'police'), ['oic', 'supervisor']);
  assert.deepEqual(allocatableRoles(['investigator', 'escalation_lead'], 'police'), []);
  assert.deepEqual(allocatableRoles(['head_of_rasso'], 'cps'), ['prosecutor', 'dcp', 'paralegal', 'vlo']);
  assert.deepEqual(allocatableRoles(['police_supervisor'], 'cps'), []);
});

test('moves that record more than the stage are made by their own command, never by the generic form', () => {
  assert.deepEqual(manualNextStages('crime_recorded'), ['initial_response', 'investigation']);
  assert.deepEqual(manualNextStages('investigation'), []);
  assert.deepEqual(manualNextStages('early_advice'), ['investigation']);
  assert.equal(commandForMove('administratively_finalised', 'investigation'), 'Reopen the case');
  assert.equal(commandForMove('early_advice', 'investigation'), null);
  assert.match(manualMoveProblem('investigation', 'police_nfa') ?? '', /use ‘Record a police decision of no further action’/);
  // Every stage a case can reach is reachable by some command or the form, and every closing stage only by a command.
  for (const from of stageNames) {
    for (const to of nextStages(from)) {
      if (closingStages.includes(to)) assert.notEqual(commandForMove(from, to), null, `${from} → ${to} needs its command`);
    }
  }
});
