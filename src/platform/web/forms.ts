// Reading urlencoded form bodies safely, and shaping field errors for the
// GOV.UK error summary and inline messages.
import type { FieldError } from './errors.ts';

/** A single text field from a form body; arrays, objects and absent fields read as ''. */
export function formString(body: unknown, name: string, options: { trim?: boolean; maxLength?: number } = {}): string {
  const value = (body as Record<string, unknown> | null | undefined)?.[name];
  if (typeof value !== 'string') return '';
  const limited = value.slice(0, options.maxLength ?? 2000);
  return options.trim === false ? limited : limited.trim();
}

/** Every value of a repeated field (checkboxes), ignoring non-strings. */
export function formStrings(body: unknown, name: string): string[] {
  const value = (body as Record<string, unknown> | null | undefined)?.[name];
  const values = Array.isArray(value) ? value : [value];
  return values.filter((v): v is string => typeof v === 'string');
}

export interface SummaryError {
  readonly text: string;
  readonly href: string;
  readonly field: string;
}

/** The GOV.UK error summary list; each field finds its inline message with errorMessage(). */
export function fieldErrors(errors: readonly FieldError[]): SummaryError[] {
  return errors.map((e) => ({ text: e.message, href: `#${e.field}`, field: e.field }));
}

/** For templates: the inline error of one field, in the shape GOV.UK macros take. */
export function errorMessage(errors: readonly SummaryError[] | undefined, field: string): { text: string } | undefined {
  const found = errors?.find((e) => e.field === field);
  return found ? { text: found.text } : undefined;
}
