// The app with every optional part switched on, so that suites which take
// their routes from the app itself (route policy, access matrix, CSRF,
// fuzzing) see every route it can have: OpenID Connect sign-in is
// configured against a real provider on the loopback address.
import type { Engine } from '../../src/platform/db/database.ts';
import { testAppWithRoutes } from './app.ts';
import type { RegisteredRoute, TestApp, TestAppOptions } from './app.ts';
import { startTestProvider } from './oidc-provider.ts';

const BASE_URL = 'https://rasso.test';
const CLIENT = { clientId: 'rasso', clientSecret: 'full-app-client-secret', redirectUri: `${BASE_URL}/sign-in/oidc/callback` };

export interface FullTestApp {
  readonly t: TestApp;
  readonly routes: RegisteredRoute[];
  close(): Promise<void>;
}

export async function fullTestApp(engine: Engine, options: TestAppOptions = {}): Promise<FullTestApp> {
  const provider = await startTestProvider({ clients: [CLIENT], accounts: {} });
  try {
    const { t, routes } = await testAppWithRoutes(engine, {
      OIDC_ISSUER: provider.issuer,
      OIDC_CLIENT_ID: CLIENT.clientId,
      OIDC_CLIENT_SECRET: CLIENT.clientSecret,
      OIDC_NAME: 'Test ID',
      BASE_URL,
    }, options);
    return {
      t,
      routes,
      async close() {
        await t.close();
        await provider.close();
      },
    };
  } catch (error) {
    await provider.close();
    throw error;
  }
}
