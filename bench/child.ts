// What a server under test does in its child process: listen on a free
// loopback port, tell the runner how to reach it, and stop when told.
import type { FastifyInstance } from 'fastify';

export interface Ready<T> {
  readonly port: number;
  readonly details: T;
}

export async function serveForBench<T>(app: FastifyInstance, details: T, cleanUp: () => Promise<void>): Promise<void> {
  if (!process.send) throw new Error('Run by bench/run.ts, not directly');
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  if (address === null || typeof address === 'string') throw new Error('No TCP address');
  process.on('message', (message) => {
    if (message !== 'stop') return;
    app.close().then(cleanUp).then(
      () => process.exit(0),
      (error: unknown) => {
        console.error('The server under test did not stop cleanly:', error);
        process.exit(1);
      },
    );
  });
  process.send({ port: address.port, details } satisfies Ready<T>);
}
