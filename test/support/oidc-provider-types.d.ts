// The small part of `oidc-provider` (which ships no types) that the tests'
// OpenID provider uses.
declare module 'oidc-provider' {
  import type { IncomingMessage, ServerResponse } from 'node:http';

  export interface Grant {
    addOIDCScope(scope: string): void;
    save(): Promise<string>;
  }

  export interface GrantConstructor {
    new (properties: { clientId: string; accountId: string }): Grant;
    find(id: string): Promise<Grant | undefined>;
  }

  /** The request context the provider hands to configuration hooks. */
  export interface KoaContextWithOIDC {
    readonly oidc: {
      readonly client: { readonly clientId: string };
      readonly session: { readonly accountId: string; grantIdFor(clientId: string): string | undefined };
      readonly provider: Provider;
    };
  }

  export interface Account {
    readonly accountId: string;
    claims(): Promise<Record<string, unknown>> | Record<string, unknown>;
  }

  export interface Interaction {
    readonly uid: string;
    readonly prompt: { readonly name: string };
  }

  export interface Configuration {
    readonly clients: readonly Record<string, unknown>[];
    readonly jwks: { readonly keys: readonly Record<string, unknown>[] };
    readonly cookies: { readonly keys: readonly string[] };
    readonly claims: Record<string, readonly string[]>;
    readonly conformIdTokenClaims: boolean;
    readonly features: Record<string, { readonly enabled: boolean }>;
    readonly ttl: Record<string, number>;
    readonly interactions: { url(ctx: KoaContextWithOIDC, interaction: Interaction): string };
    findAccount(ctx: KoaContextWithOIDC, id: string): Promise<Account | undefined>;
    loadExistingGrant(ctx: KoaContextWithOIDC): Promise<Grant | undefined>;
  }

  export default class Provider {
    constructor(issuer: string, configuration: Configuration);
    readonly Grant: GrantConstructor;
    callback(): (req: IncomingMessage, res: ServerResponse) => void;
    interactionDetails(req: IncomingMessage, res: ServerResponse): Promise<Interaction>;
    interactionFinished(req: IncomingMessage, res: ServerResponse, result: Record<string, unknown>, options?: { mergeWithLastSubmission?: boolean }): Promise<void>;
  }
}
