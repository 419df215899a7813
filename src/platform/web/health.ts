// Liveness, readiness and Prometheus metrics. None of these carry personal data.
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import client from 'prom-client';
import { allow } from '../access/policy.ts';
import type { Platform } from '../platform.ts';

export function registerHealth(app: FastifyInstance, platform: Platform): void {
  const registry = new client.Registry();
  client.collectDefaultMetrics({ register: registry });
  const duration = new client.Histogram({
    name: 'http_request_duration_seconds',
    help: 'Time to answer HTTP requests, by route pattern and status',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });
  app.addHook('onResponse', async (request, reply) => {
    // The route pattern, never the URL itself, so no identifier becomes a label.
    duration.observe({ method: request.method, route: request.routeOptions.url ?? 'unmatched', status: String(reply.statusCode) }, reply.elapsedTime / 1000);
  });

  const open = { config: { policy: allow.public, audit: 'none' as const } };
  app.get('/health', open, async () => ({ status: 'ok' }));
  app.get('/ready', open, async (_request, reply) => {
    try {
      await sql`select 1`.execute(platform.db);
      return { status: 'ready', database: platform.engine };
    } catch {
      return reply.code(503).send({ status: 'not ready', database: platform.engine });
    }
  });
  app.get('/metrics', open, async (_request, reply) => reply.type(registry.contentType).send(await registry.metrics()));
}
