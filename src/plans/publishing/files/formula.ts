// Spreadsheet programs take a value that starts with =, +, -, @ (or a tab or
// carriage return) for a formula. A CSV file is written with an apostrophe
// before such a value, as the OWASP advice on CSV injection has it, and
// programs that open it keep the apostrophe as text; so every reader takes
// one leading apostrophe off such a value again. A value that already starts
// with apostrophes before one of those characters gets one more on writing,
// in every format, so that it reads back as it was.
const FORMULA = /^'*[=+\-@\t\r]/;
const ESCAPED = /^'+[=+\-@\t\r]/;

/** For CSV: an apostrophe before anything a spreadsheet would take for a formula. */
export const neutraliseFormula = (text: string): string => (FORMULA.test(text) ? `'${text}` : text);

/** For typed cells (XLSX, ODS), which are never formulas: only the apostrophe that reading would take off. */
export const protectApostrophe = (text: string): string => (ESCAPED.test(text) ? `'${text}` : text);

/** On reading, in any format: the apostrophe writing put there. */
export const restoreFormula = (text: string): string => (ESCAPED.test(text) ? text.slice(1) : text);
