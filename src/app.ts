// Builds the web application: platform layers in order, then each module's routes.
import { randomUUID } from 'node:crypto';
import formbody from '@fastify/formbody';
import Fastify from 'fastify';
import type { FastifyInstance, FastifyServerOptions } from 'fastify';
import { registerCases } from './cases/web.ts';
import { registerPlans } from './plans/web.ts';
import { registerPlanPublishing } from './plans/publishing/web.ts';
import { registerAssurance } from './governance/assurance/web.ts';
import { registerVictims } from './victims/web.ts';
import { registerJoim } from './governance/joim/web.ts';
import { registerScrutiny } from './governance/scrutiny/web.ts';
import { registerApi } from './platform/api/api.ts';
import { registerOpenApi } from './platform/api/openapi.ts';
import { registerAuditApi } from './platform/audit/api.ts';
import { registerAuditPages } from './platform/audit/web.ts';
import { registerOidcSignIn } from './platform/auth/oidc-web.ts';
import { createAuthService } from './platform/auth/service.ts';
import type { AuthService } from './platform/auth/service.ts';
import { registerAuthPages } from './platform/auth/web.ts';
import { registerNotifications } from './platform/deadlines/web.ts';
import { registerDirectory } from './platform/directory/web.ts';
import { registerHomePage } from './platform/home/web.ts';
import type { Platform } from './platform/platform.ts';
import { registerAssets } from './platform/web/assets-routes.ts';
import { registerErrorHandling } from './platform/web/error-handler.ts';
import { registerHealth } from './platform/web/health.ts';
import { registerIdentity } from './platform/web/identity.ts';
import { registerRendering } from './platform/web/render.ts';
import { registerSecurityHeaders } from './platform/web/security.ts';
import { createViews } from './platform/web/views.ts';

export interface App {
  readonly app: FastifyInstance;
  readonly auth: AuthService;
}

/** Where JSON log lines go: any object with write(). */
export interface LogDestination {
  write(line: string): void;
}

export function loggerOptions(level: string, stream?: LogDestination): FastifyServerOptions['logger'] {
  if (level === 'silent') return false;
  return {
    level,
    ...(stream ? { stream } : {}),
    // Logs carry the request id, method, route and status: never cookies,
    // tokens, form bodies or query strings, which may hold personal data.
    redact: { paths: ['req.headers.cookie', 'req.headers.authorization', 'res.headers["set-cookie"]'], remove: true },
    serializers: {
      req: (request: { id: string; method: string; url: string; routeOptions?: { url?: string } }) => ({
        id: request.id,
        method: request.method,
        path: request.url.split('?')[0],
      }),
      res: (reply: { statusCode: number }) => ({ statusCode: reply.statusCode }),
    },
  };
}

/** `logTo` sends the JSON logs somewhere other than stdout (tests read them). */
export async function buildApp(platform: Platform, logTo?: LogDestination): Promise<App> {
  const app = Fastify({
    logger: loggerOptions(platform.config.logLevel, logTo),
    genReqId: () => randomUUID(),
    bodyLimit: 1_048_576,
    trustProxy: platform.config.environment === 'production',
    routerOptions: { ignoreTrailingSlash: false, maxParamLength: 200 },
    ajv: { customOptions: { removeAdditional: false, coerceTypes: false, allErrors: false } },
  });
  const auth = createAuthService(platform);
  const views = createViews();

  // 1. Errors and headers first, so that every later failure is answered safely.
  registerErrorHandling(app);
  await registerSecurityHeaders(app);
  // 2. Bodies: urlencoded forms and JSON only.
  app.removeContentTypeParser('text/plain');
  await app.register(formbody, { bodyLimit: 65_536 });
  // 3. Who is asking, and may they (sessions, tokens, route policies, CSRF, audit).
  //    Before any route: Fastify gives a route only the hooks registered before it.
  await registerIdentity(app, platform, auth);
  registerRendering(app, platform, views, auth);
  // 4. The API description, before any route so that it sees them all.
  await registerOpenApi(app, platform);
  // 5. Routes.
  await registerAssets(app);
  registerHealth(app, platform);
  await registerAuthPages(app, platform, auth, platform.config.oidc !== undefined);
  registerOidcSignIn(app, platform, auth);
  registerHomePage(app);
  registerDirectory(app, platform, auth);
  registerApi(app, platform);
  registerAuditPages(app, platform, auth);
  registerAuditApi(app, platform);
  registerCases(app, platform, auth);
  registerPlans(app, platform, auth);
  registerPlanPublishing(app, platform, auth);
  registerAssurance(app, platform, auth);
  registerVictims(app, platform, auth);
  registerJoim(app, platform, auth);
  registerScrutiny(app, platform, auth);
  registerNotifications(app, platform, auth);

  return { app, auth };
}
