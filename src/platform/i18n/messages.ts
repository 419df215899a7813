// User-facing text comes from message catalogues, English first; a Welsh
// catalogue is added beside each en.json with the same keys. The platform's
// catalogue is here; a module with many messages of its own keeps them in
// its folder and registers them when it is loaded.
import en from './en.json' with { type: 'json' };

export type Locale = 'en';
type Catalogue = Record<string, string>;
const catalogues: Record<Locale, Catalogue> = { en: { ...en } };

/** Adds a module's messages; a key already taken with different text is a bug, so it throws. */
export function registerMessages(locale: Locale, messages: Catalogue): void {
  const catalogue = catalogues[locale];
  for (const [key, text] of Object.entries(messages)) {
    if (key in catalogue && catalogue[key] !== text) throw new Error(`Message "${key}" is defined twice in the ${locale} catalogue`);
    catalogue[key] = text;
  }
}

/** Looks up `key` and fills `{name}` placeholders; an unknown key is a bug, so it throws. */
export function translate(key: string, params: Record<string, string | number> = {}, locale: Locale = 'en'): string {
  const template = catalogues[locale][key];
  if (template === undefined) throw new Error(`No message "${key}" in the ${locale} catalogue`);
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole));
}
