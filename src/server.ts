// The process: configuration, database, application, background jobs,
// listen, graceful shutdown. In demo mode an empty database is given the demo,
// and the way to sign in is printed once the server is listening.
import { buildApp } from './app.ts';
import { openPlatform } from './cli/open-platform.ts';
import { ConfigError, loadConfig } from './config.ts';
import { registerAuthHousekeeping } from './platform/auth/housekeeping.ts';
import { registerDeadlineSweep } from './platform/deadlines/sweep.ts';
import { registerIdempotencyPurge } from './cases/queues/idempotency-purge.ts';
import { demoGuide, demoLoaded, seedDemo } from './platform/demo/service.ts';
import { JobRunner } from './platform/jobs/runner.ts';

async function main(): Promise<void> {
  const config = loadConfig();
  const { platform, close } = await openPlatform(config);
  if (config.environment === 'production' && (await demoLoaded(platform))) {
    await close();
    throw new ConfigError('This database holds the demo accounts, whose passwords are published. Production needs a database without them.');
  }
  const seeded = config.demo ? (await seedDemo(platform)).seeded : false;
  const { app } = await buildApp(platform);
  const jobs = config.jobsEnabled
    ? new JobRunner({ db: platform.db, engine: platform.engine, clock: platform.clock, onError: (error, job) => app.log.error({ err: error, job: job?.kind }, 'job failed') })
    : undefined;
  if (jobs) {
    registerAuthHousekeeping(jobs);
    registerDeadlineSweep(jobs, platform);
    registerIdempotencyPurge(jobs, platform.db);
  }

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    app.log.info({ signal }, 'stopping');
    await app.close();
    await jobs?.stop();
    await close();
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));

  await app.listen({ host: config.host, port: config.port });
  await jobs?.start();
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const url = config.port === port ? config.baseUrl : `http://localhost:${port}`;
  const lines = [`RASSO joint case platform: ${url}`];
  if (seeded) lines.push('The database was empty, so the demo has been loaded.');
  if (config.demo && (await demoLoaded(platform))) lines.push(...demoGuide(url));
  process.stdout.write(`\n${lines.join('\n')}\n\n`);
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError) {
    console.error(error.message);
    process.exit(78);
  }
  console.error(error);
  process.exit(1);
});
