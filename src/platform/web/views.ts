// Nunjucks, set up once: GOV.UK Frontend and MoJ Frontend templates, the
// platform layout and each module's own views folder. Templates only call
// macros; view models are built in TypeScript.
import { readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import nunjucks from 'nunjucks';
import { translate } from '../i18n/messages.ts';
import { errorMessage } from './forms.ts';
import { formatDate, formatDateTime } from '../time/working-days.ts';

const require = createRequire(import.meta.url);
const SRC = fileURLToPath(new URL('../../', import.meta.url));

export const assetDirectories = {
  govuk: join(dirname(require.resolve('govuk-frontend/package.json')), 'dist/govuk'),
  moj: join(dirname(require.resolve('@ministryofjustice/frontend/package.json')), 'moj'),
  platform: join(SRC, 'platform/web/assets'),
};

/** The platform layout first, then every other folder named `views` under src/, then the design systems. */
function viewDirectories(): string[] {
  const found = readdirSync(SRC, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isDirectory() && entry.name === 'views')
    .map((entry) => join(entry.parentPath, entry.name))
    .sort();
  const layout = join(SRC, 'platform/web/views');
  return [layout, ...found.filter((dir) => dir !== layout), dirname(assetDirectories.govuk), dirname(assetDirectories.moj)];
}

export function createViews(): nunjucks.Environment {
  const env = new nunjucks.Environment(
    new nunjucks.FileSystemLoader(viewDirectories()),
    { autoescape: true, trimBlocks: true, lstripBlocks: true },
  );
  env.addGlobal('t', translate);
  env.addGlobal('errorMessage', errorMessage);
  env.addFilter('govukDate', (value: string | Date | null | undefined) => (value ? formatDate(value) : ''));
  env.addFilter('govukDateTime', (value: string | Date | null | undefined) => (value ? formatDateTime(value) : ''));
  // MoJ Frontend's own filters (mojDate and friends), used by its timeline.
  const mojFilters = require('@ministryofjustice/frontend/moj/filters/all.js') as () => Record<string, (...args: unknown[]) => unknown>;
  for (const [name, filter] of Object.entries(mojFilters())) env.addFilter(name, filter);
  return env;
}
