// For API tests: an integration's view of the platform, calling with an API
// token issued to a person exactly as `rasso token create` issues one.
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import type { Permission } from '../access/roles.ts';
import { systemContext } from '../audit/model.ts';
import type { AuthService } from '../auth/service.ts';

export interface ApiClient {
  /** The token's id, to revoke it. */
  readonly tokenId: string;
  readonly token: string;
  get(url: string): Promise<LightMyRequestResponse>;
  /** Any request, with the token's Authorization header added. */
  request(options: InjectOptions): Promise<LightMyRequestResponse>;
}

export interface ApiGrant {
  readonly person: { readonly id: string };
  /** The organisation the token acts for: one the person belongs to. */
  readonly organisationId: string;
  readonly scopes?: Permission[];
  readonly days?: number;
}

export async function apiClient(t: { readonly app: FastifyInstance; readonly auth: AuthService }, grant: ApiGrant): Promise<ApiClient> {
  const { id, token } = await t.auth.createApiToken(
    { userId: grant.person.id, organisationId: grant.organisationId, name: 'test integration', scopes: grant.scopes ?? [], days: grant.days ?? 1 },
    systemContext(),
  );
  const authorization = `Bearer ${token}`;
  const request = (options: InjectOptions) => t.app.inject({ ...options, headers: { ...options.headers, authorization } });
  return { tokenId: id, token, request, get: (url) => request({ method: 'GET', url }) };
}
