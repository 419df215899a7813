import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ControllableClock, durationMs, parseInstant, systemClock } from './clock.ts';

test('systemClock tells the real time', () => {
  const before = Date.now();
  const now = systemClock.now().getTime();
  assert.ok(now >= before && now <= Date.now());
});

test('ControllableClock stands still until set or advanced', () => {
  const clock = new ControllableClock('2025-01-05T14:05:00Z');
  assert.equal(clock.now().toISOString(), '2025-01-05T14:05:00.000Z');
  assert.equal(clock.now().toISOString(), '2025-01-05T14:05:00.000Z');
  assert.equal(clock.advance({ hours: 2 }).toISOString(), '2025-01-05T16:05:00.000Z');
  assert.equal(clock.advance({ days: 1, minutes: 30 }).toISOString(), '2025-01-06T16:35:00.000Z');
  assert.equal(clock.advance({ days: -2 }).toISOString(), '2025-01-04T16:35:00.000Z');
  clock.set(new Date('2030-06-01T00:00:00Z'));
  assert.equal(clock.now().toISOString(), '2030-06-01T00:00:00.000Z');
});

test('ControllableClock hands out copies', () => {
  const clock = new ControllableClock('2025-01-05T14:05:00Z');
  clock.now().setUTCFullYear(1999);
  assert.equal(clock.now().toISOString(), '2025-01-05T14:05:00.000Z');
});

test('a day is 24 elapsed hours, even across a clock change', () => {
  const clock = new ControllableClock('2025-03-29T12:00:00Z');
  assert.equal(clock.advance({ days: 1 }).toISOString(), '2025-03-30T12:00:00.000Z');
  assert.equal(durationMs({ days: 1, hours: 1, minutes: 1, seconds: 1, milliseconds: 1 }), 90_061_001);
});

test('bad instants and durations are refused', () => {
  assert.throws(() => new ControllableClock('2025-01-05T14:05:00'), /with a zone/);
  assert.throws(() => new ControllableClock('not a date'), /with a zone/);
  assert.throws(() => parseInstant('2025-02-29T00:00:00Z'), /Not a valid instant/);
  assert.throws(() => new ControllableClock('2025-01-05T14:05:00Z').advance({ hours: Number.NaN }), /finite/);
  assert.equal(parseInstant('2025-01-05T15:05:00+01:00').toISOString(), '2025-01-05T14:05:00.000Z');
});
