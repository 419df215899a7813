// Recurring clean-up of sign-in data: sessions that can never be used again,
// and failed-attempt records older than the lockout window. Neither holds
// anything the audit journal does not already record.
import type { JobRunner } from '../jobs/runner.ts';
import { LOCKOUT_WINDOW_MS } from './model.ts';
import * as repository from './repository.ts';

export const HOUSEKEEPING_JOB = 'auth.housekeeping';

export function registerAuthHousekeeping(runner: JobRunner): void {
  runner.registerRecurring(HOUSEKEEPING_JOB, { everyMinutes: 15 }, async (_job, context) => {
    await context.completeWith(async (tx) => {
      await repository.deleteDeadSessions(tx, context.now.toISOString());
      // Keep a day of attempts: far more than the lockout window, handy when investigating an attack.
      const keepFrom = new Date(context.now.getTime() - Math.max(LOCKOUT_WINDOW_MS, 86_400_000));
      await repository.deleteAttemptsBefore(tx, keepFrom.toISOString());
    });
  });
}
