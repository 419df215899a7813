// The pieces every part's pages share: a GOV.UK date input's three boxes as
// sent and as shown again (with the wrong ones marked), and the case version
// a form sends back in its hidden field.
import { translate } from '../platform/i18n/messages.ts';
import { formString } from '../platform/web/forms.ts';
import type { SummaryError } from '../platform/web/forms.ts';
import type { DateParts } from './model.ts';

/** The three boxes of a GOV.UK date input, as sent. */
export const datePartsOf = (body: unknown, name: string): DateParts => ({
  day: formString(body, `${name}-day`, { maxLength: 10 }),
  month: formString(body, `${name}-month`, { maxLength: 10 }),
  year: formString(body, `${name}-year`, { maxLength: 10 }),
});

/** The GOV.UK date input's three boxes (named `<name>-day` and so on), with all three marked when an error names one. */
export function dateItems(name: string, parts: Partial<DateParts> | undefined, errors: readonly SummaryError[]) {
  const wrong = errors.some((e) => e.field.startsWith(`${name}-`));
  return (['day', 'month', 'year'] as const).map((part) => ({
    id: `${name}-${part}`, name: `${name}-${part}`, label: translate(`cases.date.${part}`), value: parts?.[part] ?? '',
    classes: `govuk-input--width-${part === 'year' ? 4 : 2}${wrong ? ' govuk-input--error' : ''}`, inputmode: 'numeric',
  }));
}

/** The case version sent back in a form's hidden field, or null for anything that is not one. */
export const formVersion = (body: unknown): number | null => {
  const text = formString(body, 'version', { maxLength: 12 });
  return /^\d+$/.test(text) ? Number(text) : null;
};
