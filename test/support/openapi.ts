// Reading the platform's OpenAPI document in tests: its operations, Ajv
// validators for its schemas (JSON Schema 2020-12, as OpenAPI 3.1 uses), and
// a caller that sends requests through an API client and fails unless the
// request and the answer are what the document describes.
import assert from 'node:assert/strict';
import { Ajv2020 } from 'ajv/dist/2020.js';
import type { ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsPlugin from 'ajv-formats';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import type { ApiClient } from '../../src/platform/api/test-support.ts';
import { API_PREFIX } from '../../src/platform/api/schemas.ts';

// ajv-formats is CommonJS with a default export that TypeScript sees as the module.
const addFormats = addFormatsPlugin as unknown as (ajv: Ajv2020) => Ajv2020;

export interface Operation {
  readonly method: string;
  readonly path: string;
  readonly operationId?: string;
  readonly security?: readonly Record<string, string[]>[];
  readonly parameters?: readonly { name: string; in: string }[];
  readonly requestBody?: { readonly content?: Record<string, { schema: unknown }> };
  readonly responses: Record<string, { description: string; content?: Record<string, { schema: unknown }> }>;
}

export interface Document {
  readonly security?: readonly Record<string, string[]>[];
  readonly components: { schemas: Record<string, unknown>; securitySchemes: Record<string, unknown> };
  readonly paths: Record<string, Record<string, Omit<Operation, 'method' | 'path'>>>;
}

export function operationsOf(document: Document): Operation[] {
  return Object.entries(document.paths).flatMap(([path, item]) => Object.entries(item).map(([method, operation]) => ({ ...operation, method: method.toUpperCase(), path })));
}

/** Compiles the document's schemas with Ajv as JSON Schema 2020-12, which OpenAPI 3.1 uses. */
export function schemaValidator(document: Document) {
  const ajv = new Ajv2020({ strict: true, strictRequired: false, allowUnionTypes: true, allErrors: true });
  addFormats(ajv);
  ajv.addVocabulary(['example', 'discriminator', 'xml', 'externalDocs']);
  // `#/components/schemas/X` means the document's component: give each its own id.
  const componentId = (name: string) => `https://rasso.invalid/openapi/components/schemas/${name}`;
  const localised = (schema: unknown): unknown =>
    JSON.parse(JSON.stringify(schema), (key, value: unknown) =>
      key === '$ref' && typeof value === 'string' && value.startsWith('#/components/schemas/') ? componentId(value.slice('#/components/schemas/'.length)) : value,
    );
  for (const [name, schema] of Object.entries(document.components.schemas)) ajv.addSchema(localised(schema) as object, componentId(name));
  const compiled = new Map<unknown, ValidateFunction>();
  return (schema: unknown): ValidateFunction => {
    let validate = compiled.get(schema);
    if (!validate) {
      validate = ajv.compile(localised(schema) as object);
      compiled.set(schema, validate);
    }
    return validate;
  };
}

export function urlFor(path: string, params: Record<string, string>, query: Record<string, string> = {}): string {
  const url = path.replace(/\{([^}]+)\}/g, (_whole, name: string) => {
    const value = params[name];
    if (value === undefined) throw new Error(`No value for path parameter ${name} of ${path}`);
    return encodeURIComponent(value);
  });
  const search = new URLSearchParams(query).toString();
  return search ? `${url}?${search}` : url;
}

export function pathParameters(path: string): string[] {
  return [...path.matchAll(/\{([^}]+)\}/g)].map((match) => match[1]!);
}

/** Fails unless the response's status, media type and body are what the operation documents. */
export function assertDocumented(operation: Operation, response: LightMyRequestResponse, validatorFor: (schema: unknown) => ValidateFunction): void {
  const name = `${operation.method} ${operation.path} → ${response.statusCode}`;
  const status = String(response.statusCode);
  const documented = operation.responses[status] ?? operation.responses[`${status[0]}XX`] ?? operation.responses.default;
  assert.ok(documented, `${name}: the status is not documented (documented: ${Object.keys(operation.responses).join(', ')})`);
  const mediaType = String(response.headers['content-type'] ?? '').split(';')[0]!.trim();
  const media = documented.content?.[mediaType];
  assert.ok(media, `${name}: answered ${mediaType || 'no content type'}, documented ${Object.keys(documented.content ?? {}).join(', ') || 'no content'}`);
  // A file (a letter as PDF, say) is checked for its documented type and a body; JSON against its schema.
  if (!mediaType.endsWith('json')) {
    assert.ok(response.rawPayload.length > 0, `${name}: answered an empty ${mediaType}`);
    return;
  }
  const validate = validatorFor(media.schema);
  const body: unknown = JSON.parse(response.body);
  assert.ok(validate(body), `${name}: the body does not match its schema: ${JSON.stringify(validate.errors)}\n${response.body.slice(0, 500)}`);
}

/**
 * Reads the app's OpenAPI document; answers a check that fails unless a
 * response is one the operation `method path` (a documented path template)
 * documents, with a body that matches.
 */
export async function documentedBy(app: FastifyInstance): Promise<(method: string, path: string, response: LightMyRequestResponse) => void> {
  const document = (await app.inject({ method: 'GET', url: `${API_PREFIX}/openapi.json` })).json<Document>();
  const validatorFor = schemaValidator(document);
  const operations = operationsOf(document);
  return (method, path, response) => {
    const operation = operations.find((o) => o.method === method && o.path === path);
    assert.ok(operation, `${method} ${path} is not in the OpenAPI document`);
    assertDocumented(operation, response, validatorFor);
  };
}

/**
 * Calls the API as an integration would, by operation: the path template as
 * documented (e.g. `/api/v1/cases/{caseId}`), its parameters and body. The
 * request body must match the operation's schema, and the answer must be one
 * the operation documents, with a body that matches.
 */
export async function contractCaller(fetchDocument: () => Promise<LightMyRequestResponse>) {
  const document = (await fetchDocument()).json<Document>();
  const validatorFor = schemaValidator(document);
  const operations = operationsOf(document);
  return async function call(
    client: ApiClient,
    method: string,
    path: string,
    options: { params?: Record<string, string>; query?: Record<string, string>; body?: unknown; headers?: Record<string, string> } = {},
  ): Promise<LightMyRequestResponse> {
    const fullPath = path.startsWith(API_PREFIX) ? path : `${API_PREFIX}${path}`;
    const operation = operations.find((o) => o.method === method.toUpperCase() && o.path === fullPath);
    assert.ok(operation, `${method} ${fullPath} is not in the OpenAPI document`);
    if (options.body !== undefined) {
      const schema = operation.requestBody?.content?.['application/json']?.schema;
      assert.ok(schema, `${method} ${fullPath} documents no JSON request body`);
      const validate = validatorFor(schema);
      assert.ok(validate(options.body), `${method} ${fullPath}: the request does not match its schema: ${JSON.stringify(validate.errors)}`);
    }
    const response = await client.request({
      method: operation.method as 'GET',
      url: urlFor(fullPath, options.params ?? {}, options.query ?? {}),
      headers: { ...(options.body !== undefined ? { 'content-type': 'application/json' } : {}), ...options.headers },
      ...(options.body !== undefined ? { payload: JSON.stringify(options.body) } : {}),
    });
    assertDocumented(operation, response, validatorFor);
    return response;
  };
}
