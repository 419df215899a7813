// Letters to victims (DOMAIN §5): templates kept as versioned data (one JSON
// file per version under templates/, in English and Welsh), the merge fields
// each declares, merging them into a letter's text (refused when a field has
// no value), and the safe-contact rules a dispatch must respect. Pure: the
// service gathers the values and the rules, this decides.
import { readFileSync, readdirSync } from 'node:fs';
import type { Actor } from '../../platform/access/policy.ts';
import type { Role } from '../../platform/access/roles.ts';
import { addMonths } from '../../platform/deadlines/model.ts';
import { translate } from '../../platform/i18n/messages.ts';
import { addWorkingDays, assertPlainDate } from '../../platform/time/working-days.ts';
import type { PlainDate } from '../../platform/time/working-days.ts';
import { isStage } from '../../cases/model.ts';
import type { Stage } from '../../cases/model.ts';
import type { ContactMethod, Language, SafeContactRules } from '../model.ts';

export const letterKeys = ['hello', 'charge', 'police-nfa', 'cps-no-charge'] as const;
export type LetterKey = (typeof letterKeys)[number];
export const isLetterKey = (value: string): value is LetterKey => (letterKeys as readonly string[]).includes(value);

/** Every merge field a template may use. None is ever a suspect's name. */
export const mergeFields = ['date', 'victimName', 'crimeReference', 'senderName', 'senderOrganisation', 'contactDetails', 'decisionDate', 'reviewDeadline', 'isvaName', 'isvaService'] as const;
export type MergeField = (typeof mergeFields)[number];
const isMergeField = (value: unknown): value is MergeField => typeof value === 'string' && (mergeFields as readonly string[]).includes(value);

/** The fields the person making the letter types in; the rest come from the records. */
export const enteredFields: readonly MergeField[] = ['contactDetails'];
export const MAX_CONTACT_DETAILS = 200;

export type LetterSide = 'police' | 'cps';

export interface TemplateBlock {
  readonly kind: 'h' | 'p';
  readonly text: Readonly<Record<Language, string>>;
  /** Shown only when this optional field has a value. */
  readonly if: MergeField | null;
  /** Shown only when this optional field has no value. */
  readonly unless: MergeField | null;
}

export interface LetterTemplate {
  readonly key: LetterKey;
  readonly version: number;
  readonly effectiveFrom: PlainDate;
  /** Who sends it: the force or the CPS Area. */
  readonly from: LetterSide;
  /** The stage whose latest start is the decision date, for letters about a decision. */
  readonly decisionStage: Stage | null;
  /** How long the victim has to ask for a review, from the decision date. */
  readonly reviewWindow: { readonly amount: number; readonly unit: 'months' | 'working-days' } | null;
  readonly fields: readonly MergeField[];
  readonly optionalFields: readonly MergeField[];
  readonly title: Readonly<Record<Language, string>>;
  readonly blocks: readonly TemplateBlock[];
}

const PLACEHOLDER = /\{\{\s*([A-Za-z]+)\s*\}\}/g;

/** Reads one template file's content, refusing anything malformed, including a placeholder it does not declare. */
export function parseTemplate(value: unknown, where: string): LetterTemplate {
  const fail = (message: string): never => {
    throw new Error(`Letter template ${where}: ${message}`);
  };
  if (!value || typeof value !== 'object') fail('not an object');
  const t = value as Record<string, unknown>;
  if (typeof t.key !== 'string' || !isLetterKey(t.key)) fail('unknown key');
  if (!Number.isSafeInteger(t.version) || (t.version as number) < 1) fail('version must be a whole number from 1');
  if (typeof t.effectiveFrom !== 'string') fail('effectiveFrom must be a date');
  assertPlainDate(t.effectiveFrom as string);
  if (t.from !== 'police' && t.from !== 'cps') fail('from must be police or cps');
  if (t.decisionStage !== undefined && (typeof t.decisionStage !== 'string' || !isStage(t.decisionStage))) fail('decisionStage must be a stage');
  const window = t.reviewWindow as { amount?: unknown; unit?: unknown } | undefined;
  if (window !== undefined && (!Number.isSafeInteger(window.amount) || (window.unit !== 'months' && window.unit !== 'working-days'))) fail('reviewWindow must have a whole amount of months or working-days');
  const list = (name: string): MergeField[] => {
    const items = t[name] ?? [];
    if (!Array.isArray(items) || !items.every(isMergeField)) fail(`${name} must list merge fields`);
    return items as MergeField[];
  };
  const fields = list('fields');
  const optionalFields = list('optionalFields');
  const declared = new Set([...fields, ...optionalFields]);
  const texts = (object: unknown, what: string): Record<Language, string> => {
    const o = (object ?? {}) as Record<string, unknown>;
    if (typeof o.en !== 'string' || typeof o.cy !== 'string' || o.en.trim() === '' || o.cy.trim() === '') fail(`${what} needs English and Welsh text`);
    for (const text of [o.en, o.cy] as string[]) {
      for (const [, name] of text.matchAll(PLACEHOLDER)) if (!isMergeField(name) || !declared.has(name)) fail(`${what} uses {{${name}}}, which the template does not declare`);
    }
    return { en: o.en as string, cy: o.cy as string };
  };
  if (!Array.isArray(t.blocks) || t.blocks.length === 0) fail('blocks must be a list');
  const blocks = (t.blocks as unknown[]).map((b, i) => {
    const block = (b ?? {}) as Record<string, unknown>;
    if (block.kind !== 'h' && block.kind !== 'p') fail(`block ${i + 1} must be h or p`);
    const condition = (name: 'if' | 'unless') => {
      const field = block[name];
      if (field === undefined) return null;
      if (!isMergeField(field) || !optionalFields.includes(field)) fail(`block ${i + 1}: ${name} must name an optional field`);
      return field as MergeField;
    };
    return { kind: block.kind as 'h' | 'p', text: texts(block, `block ${i + 1}`), if: condition('if'), unless: condition('unless') };
  });
  return {
    key: t.key as LetterKey, version: t.version as number, effectiveFrom: t.effectiveFrom as string, from: t.from as LetterSide,
    decisionStage: (t.decisionStage as Stage | undefined) ?? null,
    reviewWindow: window ? { amount: window.amount as number, unit: window.unit as 'months' | 'working-days' } : null,
    fields, optionalFields, title: texts(t.title, 'title'), blocks,
  };
}

const TEMPLATES_DIR = new URL('./templates/', import.meta.url);

/** The templates shipped with the platform, every version of every letter. */
export const shippedTemplates: readonly LetterTemplate[] = readdirSync(TEMPLATES_DIR)
  .filter((name) => name.endsWith('.json'))
  .sort()
  .map((name) => parseTemplate(JSON.parse(readFileSync(new URL(name, TEMPLATES_DIR), 'utf8')), name));

/** The version of a letter in force on a day: the latest version already effective. */
export function templateInForce(templates: readonly LetterTemplate[], key: LetterKey, today: PlainDate): LetterTemplate | undefined {
  return templates.filter((t) => t.key === key && t.effectiveFrom <= today).sort((a, b) => b.version - a.version)[0];
}

/** The letters a side sends, each in the version in force today. */
export function templatesFor(templates: readonly LetterTemplate[], side: LetterSide, today: PlainDate): LetterTemplate[] {
  return letterKeys.map((key) => templateInForce(templates, key, today)).filter((t): t is LetterTemplate => t !== undefined && t.from === side);
}

/** The day a review must be asked for by: months on the calendar, or working days (bank holidays skipped). */
export function reviewDeadline(window: NonNullable<LetterTemplate['reviewWindow']>, decidedOn: PlainDate): PlainDate {
  return window.unit === 'months' ? addMonths(decidedOn, window.amount) : addWorkingDays(decidedOn, window.amount);
}

const WELSH_MONTHS = ['Ionawr', 'Chwefror', 'Mawrth', 'Ebrill', 'Mai', 'Mehefin', 'Gorffennaf', 'Awst', 'Medi', 'Hydref', 'Tachwedd', 'Rhagfyr'] as const;
const ENGLISH_MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'] as const;

/** A date as a letter in that language writes it: '5 January 2026', '5 Ionawr 2026'. */
export function letterDate(date: PlainDate, language: Language): string {
  assertPlainDate(date);
  const months = language === 'cy' ? WELSH_MONTHS : ENGLISH_MONTHS;
  return `${Number(date.slice(8, 10))} ${months[Number(date.slice(5, 7)) - 1]} ${date.slice(0, 4)}`;
}

/** A letter's text as made, stored as it is so that later versions of the template never change it. */
export interface LetterText {
  readonly title: string;
  readonly blocks: readonly { readonly kind: 'h' | 'p'; readonly text: string }[];
}

export type MergeValues = Partial<Record<MergeField, string>>;

/**
 * Merges the values into the template in one language. Every declared field
 * must have a value: answers the missing ones (and no letter) otherwise.
 */
export function mergeLetter(template: LetterTemplate, language: Language, values: MergeValues): { letter: LetterText | null; missing: MergeField[] } {
  const has = (field: MergeField) => (values[field] ?? '').trim() !== '';
  const missing = template.fields.filter((field) => !has(field));
  if (missing.length) return { letter: null, missing };
  const fill = (text: string) => text.replace(PLACEHOLDER, (_, name: MergeField) => (values[name] ?? '').trim());
  const blocks = template.blocks
    .filter((b) => (b.if === null || has(b.if)) && (b.unless === null || !has(b.unless)))
    // A block whose optional field has no value is left out rather than shown with a gap.
    .filter((b) => [...b.text[language].matchAll(PLACEHOLDER)].every(([, name]) => has(name as MergeField)))
    .map((b) => ({ kind: b.kind, text: fill(b.text[language]) }));
  return { letter: { title: fill(template.title[language]), blocks }, missing: [] };
}

/** Whether the letter's text names any of these people (suspects): such a letter is never made. */
export function namesAnyone(letter: LetterText, names: readonly string[]): boolean {
  const text = [letter.title, ...letter.blocks.map((b) => b.text)].join('\n').toLocaleLowerCase('en-GB');
  return names.map((n) => n.trim().toLocaleLowerCase('en-GB')).some((name) => name.length >= 3 && text.includes(name));
}

// Sending a letter.

export const dispatchMethods = ['post_safe_address', 'post_home', 'email_safe', 'in_person', 'through_isva'] as const;
export type DispatchMethod = (typeof dispatchMethods)[number];
export const isDispatchMethod = (value: string): value is DispatchMethod => (dispatchMethods as readonly string[]).includes(value);

/** The contact method of the plan each way of sending a letter is. */
const planMethodOf: Readonly<Record<DispatchMethod, ContactMethod>> = {
  post_safe_address: 'letter',
  post_home: 'letter',
  email_safe: 'email',
  in_person: 'in_person',
  through_isva: 'through_isva',
};

/** Who receives the letter: the victim, or their ISVA to pass on. */
export const recipientOf = (method: DispatchMethod): 'victim' | 'isva' => (method === 'through_isva' ? 'isva' : 'victim');

/**
 * Why this way of sending breaks the victim's safe-contact rules, as the
 * message to show (naming the rule), or null when it is safe. Without an
 * agreed plan a letter can only be handed over in person.
 */
export function dispatchProblem(method: DispatchMethod, rules: SafeContactRules | null, hasIsva: boolean): string | null {
  const how = translate(`letters.method.${method}`).toLocaleLowerCase('en-GB');
  if (!rules) return method === 'in_person' ? null : translate('letters.unsafe.noPlan');
  if (method === 'post_home' && rules.noPostToHome) return translate('letters.unsafe.noPostToHome');
  if (method === 'post_safe_address' && !rules.safeAddress) return translate('letters.unsafe.noSafeAddress');
  if (method === 'email_safe' && !rules.safeEmail) return translate('letters.unsafe.noSafeEmail');
  if (method === 'through_isva' && !hasIsva) return translate('letters.unsafe.noIsva');
  if (!rules.methods.includes(planMethodOf[method])) return translate('letters.unsafe.notAgreed', { method: how, planMethod: translate(`victims.method.${planMethodOf[method]}`).toLocaleLowerCase('en-GB') });
  return null;
}

// Who makes and sends letters: the case side of the sender's organisation.

const WRITERS: Readonly<Record<LetterSide, readonly Role[]>> = {
  police: ['investigator', 'police_supervisor', 'paralegal'],
  cps: ['prosecutor', 'dcp', 'vlo', 'paralegal'],
};

/** Whether the actor may make and send letters from their side of the case (the letter's side must be theirs). */
export function letterPowers(actor: Actor, side: LetterSide | null): { write: boolean } {
  return { write: side !== null && actor.organisation.roles.some((role) => WRITERS[side].includes(role)) };
}

// What a letter looks like outside the database.

export type LetterStatus = 'draft' | 'dispatched';

export interface LetterView {
  readonly id: string;
  readonly victimId: string;
  readonly template: LetterKey;
  readonly version: number;
  readonly from: LetterSide;
  readonly language: Language;
  readonly text: LetterText;
  readonly status: LetterStatus;
  readonly createdBy: string;
  readonly createdAt: string;
  readonly dispatch: { readonly method: DispatchMethod; readonly sentTo: string; readonly by: string; readonly at: string } | null;
}
