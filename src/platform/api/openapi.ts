// The API description: an OpenAPI 3.1 document generated from the schemas of
// the routes under /api/v1, served at /api/v1/openapi.json. Pages and assets
// are left out. The problems every operation can answer because of its policy
// (401, 403, 400, 503) are added from the route's declared config, so no route
// has to repeat them and the document cannot forget them.
import swagger from '@fastify/swagger';
import type { SwaggerTransform } from '@fastify/swagger';
import type { FastifyInstance } from 'fastify';
import { allow } from '../access/policy.ts';
import type { Platform } from '../platform.ts';
import type { ProblemType } from '../web/errors.ts';
import { API_PREFIX, problemResponses, problemSchema } from './schemas.ts';

const METHODS_WITH_BODY = new Set(['POST', 'PUT', 'PATCH']);
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** Registers the generator; must run before any route is added, so that it sees them all. */
export async function registerOpenApi(app: FastifyInstance, platform: Platform): Promise<void> {
  app.addSchema(problemSchema);
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'RASSO platform API',
        version: '1.0.0',
        description:
          'JSON API of the joint police and CPS platform for rape and serious sexual offence cases. ' +
          'Integrations authenticate with an API token (`rasso token create`) sent as `Authorization: Bearer <token>`; ' +
          'a token acts for one person in one organisation, limited to its scopes. Every read of personal data is audited. ' +
          'Errors are `application/problem+json` (RFC 9457).',
      },
      servers: [{ url: platform.config.baseUrl }],
      components: {
        securitySchemes: {
          bearer: { type: 'http', scheme: 'bearer', description: 'An API token, issued with `rasso token create`' },
        },
      },
      security: [{ bearer: [] }],
    },
    // Shared schemas keep their own names as components (`Problem`, not `def-0`).
    refResolver: { buildLocalReference: (json, _baseUri, _fragment, i) => (typeof json.$id === 'string' ? json.$id : `def-${i}`) },
    transform: describeOperation,
  });

  app.get(`${API_PREFIX}/openapi.json`, {
    config: { policy: allow.public, audit: 'none' },
    schema: {
      tags: ['platform'],
      operationId: 'getOpenApi',
      summary: 'This API description',
      response: {
        200: {
          description: 'The OpenAPI 3.1 document',
          type: 'object',
          required: ['openapi', 'info', 'paths'],
          properties: { openapi: { type: 'string', const: '3.1.0' } },
          additionalProperties: true,
        },
      },
    },
  }, async () => app.swagger());
}

const describeOperation: SwaggerTransform = ({ schema, url, route }) => {
  if (!url.startsWith(`${API_PREFIX}/`)) return { schema: { ...schema, hide: true }, url };
  const policy = route.config?.policy;
  const methods = [route.method].flat();
  const implied: ProblemType[] = [];
  if (schema?.params || schema?.querystring || schema?.headers || schema?.body) implied.push('validation');
  if (methods.some((method) => METHODS_WITH_BODY.has(method))) implied.push('bad-request', 'too-large', 'unsupported-media-type');
  if (policy?.kind !== 'public') implied.push('unauthenticated');
  if (policy?.kind === 'permission') implied.push('forbidden');
  if (methods.some((method) => !SAFE_METHODS.has(method))) implied.push('csrf');
  if (route.config?.audit === 'required') implied.push('audit-unavailable');
  const response = { ...problemResponses(...implied), ...(schema?.response as object | undefined) };
  return {
    url,
    schema: { ...schema, response, ...(policy?.kind === 'public' ? { security: [] } : {}) },
  };
};
