// A real OpenID provider (oidc-provider) on 127.0.0.1 and a random port, for
// sign-in tests: it knows the platform as a client, signs people in when the
// test names them, and can be made to send a doctored ID token, to prove the
// platform refuses one.
import { createSign, generateKeyPairSync, randomBytes } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import Provider from 'oidc-provider';

export interface TestAccount {
  readonly email: string;
  readonly emailVerified?: boolean;
}

export interface TestClient {
  readonly clientId: string;
  readonly clientSecret: string;
  readonly redirectUri: string;
}

/**
 * How to doctor the ID tokens the token endpoint sends: claims changed, then
 * signed again with the provider's own key ('provider'), with a key it never
 * published under the same key id ('stranger'), or left with the signature of
 * the original claims ('original').
 */
export interface IdTokenRewrite {
  readonly claims?: Record<string, unknown>;
  readonly signature?: 'provider' | 'stranger' | 'original';
}

export interface TestProvider {
  readonly issuer: string;
  /**
   * Plays the person's browser at the provider for an authorization request:
   * signs in as `accountId` (or cancels, when null) and returns the address
   * the provider sends the browser back to, without following it.
   */
  authorize(authorizationUrl: string | URL, accountId: string | null): Promise<URL>;
  /** Doctors every ID token from now on (undefined: stop). */
  rewriteIdTokens(rewrite: IdTokenRewrite | undefined): void;
  close(): Promise<void>;
}

interface SigningKey {
  readonly kid: string;
  readonly privateKey: KeyObject;
}

function newSigningKey(kid = randomBytes(8).toString('hex')): SigningKey {
  return { kid, privateKey: generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey };
}

function signJwt(header: Record<string, unknown>, claims: Record<string, unknown>, key: SigningKey): string {
  const input = [{ ...header, alg: 'RS256', kid: key.kid }, claims].map((part) => Buffer.from(JSON.stringify(part)).toString('base64url')).join('.');
  return `${input}.${createSign('RSA-SHA256').update(input).sign(key.privateKey).toString('base64url')}`;
}

function rewriteJwt(jwt: string, rewrite: IdTokenRewrite, own: SigningKey): string {
  const [header, payload, signature] = jwt.split('.') as [string, string, string];
  const claims = { ...JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')), ...rewrite.claims };
  const parsedHeader = JSON.parse(Buffer.from(header, 'base64url').toString('utf8')) as Record<string, unknown>;
  switch (rewrite.signature ?? 'provider') {
    case 'provider':
      return signJwt(parsedHeader, claims, own);
    case 'stranger':
      return signJwt(parsedHeader, claims, newSigningKey(own.kid));
    case 'original':
      return `${header}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.${signature}`;
  }
}

async function readForm(request: IncomingMessage): Promise<URLSearchParams> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}

export async function startTestProvider(options: { clients: readonly TestClient[]; accounts: Record<string, TestAccount> }): Promise<TestProvider> {
  const server: Server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const key = newSigningKey();
  let rewrite: IdTokenRewrite | undefined;

  const provider = new Provider(issuer, {
    clients: options.clients.map((client) => ({
      client_id: client.clientId,
      client_secret: client.clientSecret,
      redirect_uris: [client.redirectUri],
      token_endpoint_auth_method: 'client_secret_post',
    })),
    jwks: { keys: [{ ...key.privateKey.export({ format: 'jwk' }), kid: key.kid, use: 'sig', alg: 'RS256' }] },
    cookies: { keys: [randomBytes(32).toString('hex')] },
    claims: { openid: ['sub'], email: ['email', 'email_verified'] },
    // Entra ID puts the email claim in the ID token itself; so does this provider.
    conformIdTokenClaims: false,
    features: { devInteractions: { enabled: false } },
    ttl: { Interaction: 600, Session: 3600, Grant: 3600, AccessToken: 600, IdToken: 600, AuthorizationCode: 60 },
    interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
    async findAccount(_ctx, id) {
      const account = options.accounts[id];
      if (!account) return undefined;
      return { accountId: id, claims: () => ({ sub: id, email: account.email, email_verified: account.emailVerified ?? true }) };
    },
    // The platform is consented for the whole organisation (as an Entra ID
    // administrator would), so people are never asked to consent themselves.
    async loadExistingGrant(ctx) {
      const { client, session, provider: self } = ctx.oidc;
      const existing = session.grantIdFor(client.clientId);
      if (existing) return self.Grant.find(existing);
      const grant = new self.Grant({ clientId: client.clientId, accountId: session.accountId });
      grant.addOIDCScope('openid email profile');
      await grant.save();
      return grant;
    },
  });
  const providerHandler = provider.callback();

  // The sign-in page: GET shows which prompt is pending, POST answers it.
  const interaction = async (request: IncomingMessage, response: ServerResponse) => {
    const details = await provider.interactionDetails(request, response);
    if (request.method === 'GET') {
      response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ uid: details.uid, prompt: details.prompt.name }));
      return;
    }
    const account = (await readForm(request)).get('account');
    const result = account
      ? { login: { accountId: account } }
      : { error: 'access_denied', error_description: 'The person cancelled signing in' };
    await provider.interactionFinished(request, response, result, { mergeWithLastSubmission: false });
  };

  // Doctors the ID token on its way out of the token endpoint.
  const doctorTokenResponse = (response: ServerResponse, change: IdTokenRewrite) => {
    const end = response.end.bind(response) as (body?: unknown) => ServerResponse;
    response.end = ((body?: unknown) => {
      const text = Buffer.isBuffer(body) ? body.toString('utf8') : typeof body === 'string' ? body : '';
      const json = text ? (JSON.parse(text) as Record<string, unknown>) : {};
      if (typeof json.id_token !== 'string') return end(body);
      const doctored = JSON.stringify({ ...json, id_token: rewriteJwt(json.id_token, change, key) });
      response.setHeader('content-length', Buffer.byteLength(doctored));
      return end(doctored);
    }) as ServerResponse['end'];
  };

  server.on('request', (request: IncomingMessage, response: ServerResponse) => {
    const path = (request.url ?? '/').split('?')[0]!;
    if (path.startsWith('/interaction/')) {
      interaction(request, response).catch((error: unknown) => {
        response.writeHead(400, { 'content-type': 'text/plain' }).end(String(error));
      });
      return;
    }
    if (path === '/token' && rewrite) doctorTokenResponse(response, rewrite);
    providerHandler(request, response);
  });

  return {
    issuer,
    async authorize(authorizationUrl, accountId) {
      const jar = new Map<string, string>();
      const cookie = () => [...jar].map(([name, value]) => `${name}=${value}`).join('; ');
      let url = new URL(authorizationUrl);
      let method = 'GET';
      let body: string | undefined;
      for (let hops = 0; hops < 10; hops += 1) {
        if (url.origin !== issuer) return url;
        const response = await fetch(url, {
          method,
          redirect: 'manual',
          headers: { cookie: cookie(), ...(body ? { 'content-type': 'application/x-www-form-urlencoded' } : {}) },
          body,
        });
        for (const set of response.headers.getSetCookie()) {
          const [pair] = set.split(';');
          const [name, ...value] = pair!.split('=');
          jar.set(name!.trim(), value.join('='));
        }
        const location = response.headers.get('location');
        if (location) {
          [url, method, body] = [new URL(location, url), 'GET', undefined];
          continue;
        }
        const page = await response.text();
        if (response.status !== 200 || !url.pathname.startsWith('/interaction/')) throw new Error(`The provider answered ${response.status}: ${page.slice(0, 300)}`);
        const { prompt } = JSON.parse(page) as { prompt: string };
        if (prompt !== 'login') throw new Error(`Unexpected prompt at the provider: ${prompt}`);
        [url, method, body] = [new URL(`${url.pathname}/login`, url), 'POST', new URLSearchParams(accountId ? { account: accountId } : {}).toString()];
      }
      throw new Error('The provider redirected too many times');
    },
    rewriteIdTokens(change) {
      rewrite = change;
    },
    close() {
      server.closeAllConnections();
      return new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
    },
  };
}
