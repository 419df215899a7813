// A file that cannot be read as a table at all (not a zip, not UTF-8, a
// quote never closed): what is wrong, in words a person can act on.
import { translate } from '../../../platform/i18n/messages.ts';

export class UnreadableFile extends Error {
  constructor(key: string, params: Record<string, string | number> = {}) {
    super(translate(`plans.publishing.import.error.${key}`, params));
    this.name = 'UnreadableFile';
  }
}
