// Static assets: GOV.UK Frontend, MoJ Frontend and the platform's own files.
import { join } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';
import { allow } from '../access/policy.ts';
import { assetDirectories } from './views.ts';

export async function registerAssets(app: FastifyInstance): Promise<void> {
  await app.register(async (assets) => {
    // Assets are public and hold no personal data; say so for each route the static plugin adds.
    assets.addHook('onRoute', (route) => {
      route.config = { ...route.config, policy: allow.public, audit: 'none' };
    });
    const immutable = { maxAge: '1d', decorateReply: false, index: false, wildcard: true } as const;
    await assets.register(fastifyStatic, { root: assetDirectories.govuk, prefix: '/assets/govuk/', ...immutable });
    await assets.register(fastifyStatic, { root: assetDirectories.moj, prefix: '/assets/moj/', ...immutable });
    await assets.register(fastifyStatic, { root: assetDirectories.platform, prefix: '/assets/platform/', ...immutable });
    // GOV.UK Frontend's compiled stylesheet loads its fonts and images from /assets/.
    for (const folder of ['fonts', 'images']) {
      await assets.register(fastifyStatic, { root: join(assetDirectories.govuk, 'assets', folder), prefix: `/assets/${folder}/`, ...immutable });
    }
  });
}
