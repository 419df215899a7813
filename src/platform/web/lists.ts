// Helpers for paged, sortable lists shown with GOV.UK components.

/** The page a link asks for; anything else is the first page. */
export function pageNumber(value: unknown): number {
  return typeof value === 'string' && /^[1-9]\d{0,5}$/.test(value) ? Number(value) : 1;
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** A link as HTML, for macros that take `html` (e.g. sortable table headings). */
export const link = (href: string, text: string): string => `<a class="govuk-link" href="${escapeHtml(href)}">${escapeHtml(text)}</a>`;

/** GOV.UK pagination: first, last, the current page and its neighbours, with gaps marked. */
export function pagination(page: number, pages: number, href: (n: number) => string) {
  if (pages <= 1) return undefined;
  const shown = [...new Set([1, page - 1, page, page + 1, pages])].filter((n) => n >= 1 && n <= pages).sort((a, b) => a - b);
  const items: { number?: string; href?: string; current?: boolean; ellipsis?: boolean }[] = [];
  shown.forEach((n, i) => {
    if (i > 0 && n - shown[i - 1]! > 1) items.push({ ellipsis: true });
    items.push({ number: String(n), href: href(n), current: n === page });
  });
  return {
    previous: page > 1 ? { href: href(page - 1) } : undefined,
    next: page < pages ? { href: href(page + 1) } : undefined,
    items,
  };
}
