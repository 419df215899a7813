// The court part's rules as pure functions: which stage each record needs,
// sentences and their lengths, completion, and the timeline's wording.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { allOutcomesRecorded, courtStages, describeCourtEvent, sentenceErrors, stageProblem } from './model.ts';

test('each court record says when it can be made', () => {
  assert.equal(stageProblem('charged', courtStages.firstHearing, 'The first hearing'), null);
  assert.match(stageProblem('court', courtStages.firstHearing, 'The first hearing') ?? '', /once the case is charged and before it is at court/);
  assert.match(stageProblem('investigation', ['charged', 'court', 'completed'], 'The court case number') ?? '', /once the case is charged$/);
  assert.match(stageProblem('completed', courtStages.atCourt, 'A hearing') ?? '', /while the case is at court/);
  assert.equal(stageProblem('completed', courtStages.sentence, 'A sentence'), null);
  assert.match(stageProblem('charged', courtStages.sentence, 'A sentence') ?? '', /once the case is at court/);
});

test('a sentence has a length in whole months exactly when its kind has one', () => {
  assert.deepEqual(sentenceErrors({ type: 'immediate_custody', months: '96' }).value, { type: 'immediate_custody', months: 96 });
  assert.deepEqual(sentenceErrors({ type: 'fine', months: '' }).value, { type: 'fine', months: null });
  for (const months of ['', '0', '1.5', '-3', '1201', 'ten']) assert.equal(sentenceErrors({ type: 'suspended_sentence', months }).errors[0]?.field, 'months', months);
  assert.equal(sentenceErrors({ type: 'discharge', months: '6' }).errors[0]?.field, 'months');
  assert.equal(sentenceErrors({ type: 'probation', months: '' }).errors[0]?.field, 'sentenceType');
});

test('a case is complete when every defendant, and at least one, has an outcome', () => {
  assert.equal(allOutcomesRecorded([]), false);
  assert.equal(allOutcomesRecorded([{ outcome: 'convicted' }, { outcome: null }]), false);
  assert.equal(allOutcomesRecorded([{ outcome: 'convicted' }, { outcome: 'lie_on_file' }]), true);
});

test('timeline lines name what happened without naming anyone', () => {
  assert.deepEqual(describeCourtEvent({ type: 'court.adjourned', data: { reasonCode: 'defence_not_ready', requestedBy: 'defence' } }), { title: 'Hearing adjourned', text: 'Adjourned: defence not ready, asked for by the defence' });
  assert.deepEqual(describeCourtEvent({ type: 'court.sentenced', data: { sentenceType: 'immediate_custody', months: 96 } }), { title: 'Sentenced', text: 'Immediate custody of 96 months' });
  assert.deepEqual(describeCourtEvent({ type: 'court.outcome-recorded', data: { outcome: 'withdrawn', victimWithdrawal: true } }), { title: 'Outcome at court', text: 'Withdrawn after charge (the victim withdrew support)' });
  assert.equal(describeCourtEvent({ type: 'court.hearing-listed', data: { kind: 'ptph', on: '2025-10-06' } }).text, 'Listed for 6 October 2025');
});
