// Letter templates and their rules, without a database: every shipped
// template is well formed in English and Welsh; merging needs every declared
// field; the version in force is the latest already effective; review
// deadlines count months or working days; and unsafe ways of sending are
// refused naming the rule.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import '../web.ts';
import { dispatchProblem, letterDate, letterKeys, mergeLetter, namesAnyone, parseTemplate, reviewDeadline, shippedTemplates, templateInForce } from './model.ts';
import type { SafeContactRules } from '../model.ts';

const values = { date: '1 March 2026', victimName: 'Victim One', crimeReference: 'AS/10001/25', senderName: 'Olu Officer', senderOrganisation: 'Avon and Somerset Police', contactDetails: '0117 496 0000', decisionDate: '2 March 2026', reviewDeadline: '2 June 2026' };

test('every letter is shipped, well formed, in English and Welsh', () => {
  for (const key of letterKeys) {
    const template = templateInForce(shippedTemplates, key, '2026-06-01');
    assert.ok(template, key);
    for (const language of ['en', 'cy'] as const) {
      const { letter, missing } = mergeLetter(template, language, values);
      assert.deepEqual(missing, []);
      assert.ok(letter && !/\{\{/.test(JSON.stringify(letter)), `${key} ${language} has no unmerged field`);
    }
  }
});

test('a letter is refused while a declared merge field has no value', () => {
  const nfa = templateInForce(shippedTemplates, 'police-nfa', '2026-06-01')!;
  const { letter, missing } = mergeLetter(nfa, 'en', { ...values, decisionDate: '', contactDetails: '  ' });
  assert.equal(letter, null);
  assert.deepEqual(missing.sort(), ['contactDetails', 'decisionDate']);
});

test('optional fields choose the paragraph: an ISVA named, or the offer of one', () => {
  const hello = templateInForce(shippedTemplates, 'hello', '2026-06-01')!;
  const withIsva = JSON.stringify(mergeLetter(hello, 'en', { ...values, isvaName: 'Isla Grant', isvaService: 'Bristol ISVA service' }).letter);
  assert.match(withIsva, /Your Independent Sexual Violence Adviser \(ISVA\) is Isla Grant of Bristol ISVA service/);
  assert.doesNotMatch(withIsva, /would like to be referred/);
  assert.match(JSON.stringify(mergeLetter(hello, 'cy', values).letter), /Os hoffech gael eich atgyfeirio at ISVA/);
});

test('a template may use only the fields it declares, and needs both languages', () => {
  const base = { key: 'hello', version: 9, effectiveFrom: '2027-01-01', from: 'police', fields: ['victimName'], title: { en: 'T', cy: 'T' } };
  assert.throws(() => parseTemplate({ ...base, blocks: [{ kind: 'p', en: 'Dear {{victimName}} at {{safeAddress}}', cy: 'Annwyl {{victimName}}' }] }, 'test'), /does not declare/);
  assert.throws(() => parseTemplate({ ...base, blocks: [{ kind: 'p', en: 'Dear {{victimName}}' }] }, 'test'), /English and Welsh/);
  assert.throws(() => parseTemplate({ ...base, key: 'suspect-details', blocks: [{ kind: 'p', en: 'x', cy: 'x' }] }, 'test'), /unknown key/);
});

test('the version in force is the latest already effective', () => {
  const v1 = templateInForce(shippedTemplates, 'hello', '2026-06-01')!;
  const v2 = parseTemplate({ key: 'hello', version: 2, effectiveFrom: '2027-01-01', from: 'police', fields: ['victimName'], title: { en: 'Hello again', cy: 'Helo eto' }, blocks: [{ kind: 'p', en: 'Dear {{victimName}}', cy: 'Annwyl {{victimName}}' }] }, 'test');
  const templates = [v2, v1];
  assert.equal(templateInForce(templates, 'hello', '2026-12-31')?.version, 1);
  assert.equal(templateInForce(templates, 'hello', '2027-01-01')?.version, 2);
  assert.equal(templateInForce(templates, 'hello', '2025-12-31'), undefined);
});

test('review deadlines: 3 calendar months (police), 10 working days past weekends and bank holidays (CPS)', () => {
  assert.equal(reviewDeadline({ amount: 3, unit: 'months' }, '2026-11-30'), '2027-02-28');
  // Friday 18 December 2026: Christmas Day and Boxing Day (substitute Monday 28th) are skipped.
  assert.equal(reviewDeadline({ amount: 10, unit: 'working-days' }, '2026-12-18'), '2027-01-06');
  assert.equal(letterDate('2026-11-05', 'cy'), '5 Tachwedd 2026');
  assert.equal(letterDate('2026-11-05', 'en'), '5 November 2026');
});

test('a letter naming a suspect is caught', () => {
  const letter = { title: 'T', blocks: [{ kind: 'p' as const, text: 'Call me about suspect one on 0117' }] };
  assert.ok(namesAnyone(letter, ['Suspect One']));
  assert.ok(!namesAnyone(letter, ['Someone Else', '']));
});

test('unsafe ways of sending are refused naming the rule', () => {
  const rules: SafeContactRules = { methods: ['letter'], preferredLanguage: 'en', noVoicemail: true, noPostToHome: true, safeAddress: null, safePhone: null, safeEmail: null, otherRules: '' };
  assert.match(dispatchProblem('post_home', rules, true)!, /no post to the home address/);
  assert.match(dispatchProblem('post_safe_address', rules, true)!, /has no safe address/);
  assert.match(dispatchProblem('email_safe', { ...rules, methods: ['letter', 'email'] }, true)!, /no safe email address/);
  assert.match(dispatchProblem('through_isva', { ...rules, methods: ['through_isva'] }, false)!, /no ISVA supports the victim/);
  assert.match(dispatchProblem('in_person', rules, true)!, /has not agreed to contact by in person/);
  assert.equal(dispatchProblem('post_safe_address', { ...rules, safeAddress: 'c/o ISVA service' }, true), null);
  assert.equal(dispatchProblem('post_home', { ...rules, noPostToHome: false }, true), null);
  assert.match(dispatchProblem('email_safe', null, true)!, /no agreed communication plan/);
  assert.equal(dispatchProblem('in_person', null, true), null);
});
