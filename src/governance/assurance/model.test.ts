// Financial quarters, who may do what with a report, the exceptions and the
// suppression of small numbers.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Actor } from '../../platform/access/policy.ts';
import type { Role } from '../../platform/access/roles.ts';
import type { OrganisationKind } from '../../platform/db/tables.ts';
import type { CaseMeasures } from '../../cases/oversight/measures.ts';
import {
  exceptionsOf, isSection, lastCompleteQuarter, mayAssurance, parseQuarterKey, quarterEnd, quarterErrors, quarterKey, quarterName, quarterOf, quarterStart, recentQuarters,
  shownBreakdown, shownCount, shownMedian, shownShare,
} from './model.ts';

test('financial quarters: Q1 is April to June, Q4 January to March of the next calendar year', () => {
  assert.deepEqual(quarterOf('2026-04-01'), { year: 2026, number: 1 });
  assert.deepEqual(quarterOf('2026-06-30'), { year: 2026, number: 1 });
  assert.deepEqual(quarterOf('2026-07-01'), { year: 2026, number: 2 });
  assert.deepEqual(quarterOf('2026-12-31'), { year: 2026, number: 3 });
  assert.deepEqual(quarterOf('2027-03-31'), { year: 2026, number: 4 });
  assert.deepEqual([quarterStart({ year: 2026, number: 2 }), quarterEnd({ year: 2026, number: 2 })], ['2026-07-01', '2026-09-30']);
  assert.deepEqual([quarterStart({ year: 2026, number: 4 }), quarterEnd({ year: 2026, number: 4 })], ['2027-01-01', '2027-03-31']);
  assert.equal(quarterEnd({ year: 2027, number: 3 }), '2027-12-31');
  assert.equal(quarterName({ year: 2026, number: 2 }), 'Q2 2026/27 (July to September 2026)');
  assert.equal(quarterName({ year: 2026, number: 4 }), 'Q4 2026/27 (January to March 2027)');
  assert.equal(quarterKey({ year: 2026, number: 2 }), '2026-27-q2');
  assert.equal(quarterKey({ year: 2099, number: 1 }), '2099-00-q1');
  assert.deepEqual(parseQuarterKey('2026-27-Q2'), { year: 2026, number: 2 });
  assert.equal(parseQuarterKey('2026-28-q2'), null);
  assert.equal(parseQuarterKey('2026-27-q5'), null);
  assert.deepEqual(lastCompleteQuarter('2026-11-22'), { year: 2026, number: 2 });
  assert.deepEqual(lastCompleteQuarter('2026-04-01'), { year: 2025, number: 4 });
  assert.deepEqual(recentQuarters('2026-11-22', 3).map(quarterKey), ['2026-27-q2', '2026-27-q1', '2025-26-q4']);
});

test('a report is for a quarter that has ended', () => {
  assert.deepEqual(quarterErrors('2026-27-q2', '2026-10-01').value, { year: 2026, number: 2 });
  assert.match(quarterErrors('2026-27-q2', '2026-09-30').errors[0]!.message, /has not ended yet/);
  assert.match(quarterErrors('2014-15-q1', '2026-10-01').errors[0]!.message, /Select a quarter/);
  assert.match(quarterErrors('soon', '2026-10-01').errors[0]!.message, /Select a quarter/);
});

function actor(kind: OrganisationKind, roles: Role[], organisationId = 'own', userId = 'me', via: 'session' | 'token' = 'session', scopes?: Actor['scopes']): Actor {
  const membership = { organisationId, organisationCode: 'X', organisationName: 'X', organisationKind: kind, roles };
  return { userId, displayName: 'Me', email: 'me@example', organisation: membership, memberships: [membership], via, scopes };
}

test('who may do what with a report', () => {
  const draft = { organisationId: 'own', draftedBy: 'someone', published: false };
  const published = { ...draft, published: true };
  const byMe = { ...draft, draftedBy: 'me' };
  // The organisation's managers read it at every stage; investigators, prosecutors, ISVAs and panel members never.
  for (const role of ['plan_lead', 'analyst', 'police_supervisor', 'escalation_lead'] as const) assert.ok(mayAssurance(actor('police_force', [role]), 'read', draft), role);
  for (const role of ['dcp', 'head_of_rasso'] as const) assert.ok(mayAssurance(actor('cps_area', [role]), 'read', draft), role);
  for (const role of ['investigator', 'panel_member', 'administrator', 'paralegal'] as const) assert.ok(!mayAssurance(actor('police_force', [role]), 'read', published), role);
  assert.ok(!mayAssurance(actor('cps_area', ['prosecutor']), 'read', published));
  assert.ok(!mayAssurance(actor('isva_service', ['isva']), 'read', published));
  // Another force's managers see nothing; the national plan leads and analysts see what is published.
  assert.ok(!mayAssurance(actor('police_force', ['escalation_lead'], 'other'), 'read', draft));
  assert.ok(!mayAssurance(actor('police_force', ['escalation_lead'], 'other'), 'read', published));
  assert.ok(mayAssurance(actor('national', ['plan_lead'], 'nat'), 'read', published));
  assert.ok(mayAssurance(actor('national', ['analyst'], 'nat'), 'read', published));
  assert.ok(!mayAssurance(actor('national', ['analyst'], 'nat'), 'read', draft));
  assert.ok(!mayAssurance(actor('national', ['administrator'], 'nat'), 'read', published));
  // Drafting for the organisation's plan leads and analysts; signing off for its escalation leads and heads of unit, not the drafter.
  assert.ok(mayAssurance(actor('police_force', ['plan_lead']), 'start'));
  assert.ok(!mayAssurance(actor('national', ['plan_lead'], 'nat'), 'start'));
  assert.ok(!mayAssurance(actor('police_force', ['escalation_lead']), 'draft', draft));
  assert.ok(mayAssurance(actor('police_force', ['escalation_lead']), 'sign-off', draft));
  assert.ok(mayAssurance(actor('cps_area', ['head_of_rasso']), 'sign-off', draft));
  assert.ok(!mayAssurance(actor('police_force', ['plan_lead', 'escalation_lead']), 'sign-off', byMe), 'not the drafter');
  assert.ok(mayAssurance(actor('police_force', ['plan_lead', 'escalation_lead']), 'publish', byMe));
  assert.ok(!mayAssurance(actor('police_force', ['escalation_lead'], 'other'), 'sign-off', draft));
  // An API token needs the permission as a scope.
  assert.ok(!mayAssurance(actor('police_force', ['escalation_lead'], 'own', 'me', 'token', ['assurance.read']), 'sign-off', draft));
  assert.ok(mayAssurance(actor('police_force', ['escalation_lead'], 'own', 'me', 'token', ['assurance.sign-off']), 'sign-off', draft));
});

test('small counts are suppressed, and what would reveal one is withheld', () => {
  assert.deepEqual([0, 1, 4, 5, 1234].map((n) => shownCount(n).text), ['0', 'fewer than 5', 'fewer than 5', '5', '1,234']);
  assert.equal(shownCount(3).value, null);
  // One small cell: the next smallest is withheld so the total cannot give it away.
  assert.deepEqual(shownBreakdown([3, 12, 40]).map((s) => s.text), ['fewer than 5', 'withheld', '40']);
  assert.deepEqual(shownBreakdown([3, 2, 40]).map((s) => s.text), ['fewer than 5', 'fewer than 5', '40']);
  assert.deepEqual(shownBreakdown([0, 12, 40]).map((s) => s.text), ['0', '12', '40']);
  assert.deepEqual(shownBreakdown([3, 0]).map((s) => s.text), ['fewer than 5', '0']);
  assert.deepEqual([shownShare(15, 20).text, shownShare(17, 20).text, shownShare(2, 20).text, shownShare(3, 3).text, shownShare(0, 0).text], ['75%', 'withheld', 'withheld', 'withheld', 'not applicable']);
  assert.deepEqual([shownMedian(21.5, 6).text, shownMedian(12, 4).text, shownMedian(null, 0).text], ['21.5 days', 'withheld', 'not applicable']);
});

test('exceptions: early advice below 80% within its period, any case pending a response past the last review, plan actions overdue', () => {
  const measures = (withinTarget: number, answered: number, over90: number): CaseMeasures => ({
    computedAt: '2026-10-06T09:00:00.000Z',
    period: { start: '2026-07-01', end: '2026-09-30' },
    earlyAdvice: { targetDays: 21, answered, advised: answered, rejected: 0, withinTarget, medianDays: 10 },
    prfi: { asAt: '2026-09-30', thresholds: [28, 56, 90], open: over90, bands: [{ from: 0, to: 27, count: 0 }, { from: 28, to: 55, count: 0 }, { from: 56, to: 89, count: 0 }, { from: 90, to: null, count: over90 }] },
    escalations: [],
    nfa: { police: [], policeTotal: 0, cps: [], cpsTotal: 0 },
  });
  const overdue = [{ id: 'p', title: 'Plan', level: 'force', period: '2026', themes: [], overdue: [{ number: 3, text: 'x', targetOn: '2026-08-31', status: 'no' }] }];
  assert.deepEqual(exceptionsOf(measures(8, 10, 0), []), []);
  assert.deepEqual(exceptionsOf(measures(7, 10, 0), []).map((e) => e.key), ['early-advice-timeliness']);
  assert.deepEqual(exceptionsOf(measures(0, 0, 1), overdue).map((e) => e.key), ['prfi-90-days', 'plan-actions-overdue']);
  assert.ok(isSection('exception.prfi-90-days') && isSection('summary') && !isSection('exception.other') && !isSection('anything'));
});
