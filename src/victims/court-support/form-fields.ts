// The GOV.UK form fields of the court support and withdrawal forms, as view
// models for `victim-parts/form.njk` (one GOV.UK macro each), shown again with
// the values sent and the errors found.
import { errorMessage } from '../../platform/web/forms.ts';
import type { SummaryError } from '../../platform/web/forms.ts';
import type { DateParts } from '../../cases/model.ts';
import { dateItems } from '../../cases/web-support.ts';

export type Values = Record<string, string | DateParts | undefined>;
const str = (values: Values, name: string) => (typeof values[name] === 'string' ? (values[name] as string) : '');
const legend = (text: string) => ({ legend: { text, classes: 'govuk-fieldset__legend--s' } });

export function dateField(name: string, text: string, values: Values, errors: SummaryError[]) {
  const error = errors.find((e) => e.field.startsWith(`${name}-`));
  return { kind: 'date', params: { id: name, fieldset: legend(text), items: dateItems(name, (values[name] ?? {}) as Partial<DateParts>, errors), errorMessage: error ? { text: error.text } : undefined } };
}

/** Radios from [value, text] pairs. */
export function radios(name: string, text: string, items: readonly (readonly [string, string])[], values: Values, errors: SummaryError[]) {
  return {
    kind: 'radios',
    params: {
      fieldset: legend(text), idPrefix: name, name, errorMessage: errorMessage(errors, name),
      items: items.map(([value, label]) => ({ value, text: label, checked: str(values, name) === value })),
    },
  };
}

export function textarea(name: string, text: string, values: Values, errors: SummaryError[], hint?: string) {
  return { kind: 'textarea', params: { label: { text, classes: 'govuk-label--s' }, ...(hint ? { hint: { text: hint } } : {}), id: name, name, value: str(values, name), errorMessage: errorMessage(errors, name) } };
}

export function input(name: string, text: string, values: Values, errors: SummaryError[]) {
  return { kind: 'input', params: { label: { text, classes: 'govuk-label--s' }, id: name, name, value: str(values, name), spellcheck: false, autocomplete: 'off', errorMessage: errorMessage(errors, name) } };
}
