// User-facing text comes from message catalogues, English first; a Welsh
// catalogue is added beside en.json with the same keys.
import en from './en.json' with { type: 'json' };

export type Locale = 'en';
type Catalogue = Record<string, string>;
const catalogues: Record<Locale, Catalogue> = { en };

/** Looks up `key` and fills `{name}` placeholders; an unknown key is a bug, so it throws. */
export function translate(key: string, params: Record<string, string | number> = {}, locale: Locale = 'en'): string {
  const template = catalogues[locale][key];
  if (template === undefined) throw new Error(`No message "${key}" in the ${locale} catalogue`);
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole));
}
