// A process that runs one deadline sweep and nothing else, for
// sweep-restarts.test.ts to kill with SIGKILL part-way. It says "ready" once
// its database is open and "done" when the sweep has finished.
import { sweepDeadlines } from '../../src/platform/deadlines/sweep.ts';
import { ControllableClock } from '../../src/platform/time/clock.ts';
import { openAt, platformOn } from './support.ts';
import type { DatabaseLocation } from './support.ts';

const { location, now, batchSize } = JSON.parse(process.env.SWEEP_CHILD ?? '{}') as { location: DatabaseLocation; now: string; batchSize: number };
const database = await openAt(location);
const platform = platformOn(database, new ControllableClock(now));
process.stdout.write('ready\n');
const result = await sweepDeadlines(platform, new Date(now), batchSize);
process.stdout.write(`done ${JSON.stringify(result)}\n`);
await database.close();
