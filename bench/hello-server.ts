// The baseline: bare Fastify answering a small string, in its own process
// like the platform, so both are measured the same way.
import Fastify from 'fastify';
import { serveForBench } from './child.ts';

const app = Fastify({ logger: false });
app.get('/', async () => 'hello world');
await serveForBench(app, {}, async () => undefined);
