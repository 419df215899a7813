// The auditor's pages: search the journal (each search is itself recorded as
// a consultation) and check that the journal has not been tampered with.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { allow, auditScope } from '../access/policy.ts';
import type { Actor } from '../access/policy.ts';
import { isRole, roles } from '../access/roles.ts';
import type { AuthService } from '../auth/service.ts';
import { translate } from '../i18n/messages.ts';
import type { Platform } from '../platform.ts';
import { formatDateTime } from '../time/working-days.ts';
import { fieldErrors, formString } from '../web/forms.ts';
import type { SummaryError } from '../web/forms.ts';
import { isId } from '../db/ids.ts';
import { auditActions, checkDateOrder, isAuditAction, readDateParts, readFilters, searchAddress } from './model.ts';
import type { AuditFilters, DateParts, FilterError } from './model.ts';
import { checkJournal, findPersonId, searchJournal } from './service.ts';
import type { JournalEntry, JournalPage, VerifyResult } from './service.ts';

const auditPolicy = allow.withPermission('audit.read');
const FIELD_ORDER = ['person', 'action', 'object', 'subject', 'from', 'to'];
const PROBLEMS_SHOWN = 20;

/** What the search form shows, as typed (or as read back from the address). */
interface FormValues {
  readonly person: string;
  readonly action: string;
  readonly object: string;
  readonly subject: string;
  readonly from: DateParts;
  readonly to: DateParts;
}

export function registerAuditPages(app: FastifyInstance, platform: Platform, auth: AuthService): void {
  app.get('/audit', { config: { policy: auditPolicy, audit: 'required' } }, async (request, reply) => {
    const { filters, cursor, errors } = readFilters(request.query);
    if (errors.length > 0) return showSearch(request, reply, valuesFromQuery(request.query), errors);
    const page = await searchJournal(platform, request.actor!, filters, cursor, request.auditContext);
    return showSearch(request, reply, valuesFromFilters(filters), [], { filters, page });
  });

  // Turns the form into a search address. An email address is looked up here
  // and only the person's id goes into the address; the search itself is
  // recorded when that address is read.
  app.post('/audit', { config: { policy: auditPolicy, audit: 'none' } }, async (request, reply) => {
    const values = valuesFromForm(request.body);
    const { filters, errors } = await filtersFromForm(platform, request.actor!, values);
    if (errors.length > 0) return showSearch(request, reply, values, errors);
    return reply.redirect(searchAddress('/audit', filters), 303);
  });

  app.post('/audit/verify', { config: { policy: auditPolicy, audit: 'required' } }, async (request, reply) => {
    const result = await checkJournal(platform, request.auditContext);
    await auth.setFlash(request.session!, { type: result.ok ? 'success' : 'information', text: verificationReport(result) });
    return reply.redirect('/audit', 303);
  });
}

function verificationReport(result: VerifyResult): string {
  const count = (n: number, one: string, many: string) => translate(n === 1 ? one : many, { count: n.toLocaleString('en-GB') });
  const entries = count(result.checked, 'audit.verify.oneEntry', 'audit.verify.manyEntries');
  if (result.ok) return translate('audit.verify.intact', { entries });
  const shown = result.problems.slice(0, PROBLEMS_SHOWN);
  const more = result.problems.length - shown.length;
  return translate('audit.verify.broken', {
    entries,
    found: count(result.problems.length, 'audit.verify.oneProblem', 'audit.verify.manyProblems'),
    list: [...shown, ...(more > 0 ? [translate('audit.verify.more', { count: more })] : [])].join('; '),
  });
}

async function filtersFromForm(platform: Platform, actor: Actor, values: FormValues): Promise<{ filters: AuditFilters; errors: FilterError[] }> {
  const errors: FilterError[] = [];
  let person: string | undefined;
  if (isId(values.person)) person = values.person.toLowerCase();
  else if (values.person.includes('@')) {
    person = await findPersonId(platform, actor, values.person);
    if (!person) errors.push({ field: 'person', message: translate(auditScope(actor) === 'all' ? 'audit.error.personUnknownAll' : 'audit.error.personUnknown') });
  } else if (values.person !== '') errors.push({ field: 'person', message: translate('audit.error.personForm') });

  const dates: Record<'from' | 'to', string | undefined> = { from: undefined, to: undefined };
  for (const name of ['from', 'to'] as const) {
    const { date, error } = readDateParts(values[name], translate(`audit.${name}`));
    if (error) errors.push({ field: name, message: error });
    dates[name] = date;
  }
  // The rest is checked exactly as a search address is.
  const read = readFilters({ action: values.action, object: values.object, subject: values.subject });
  errors.push(...read.errors);
  const filters: AuditFilters = { ...read.filters, person, ...dates };
  checkDateOrder(filters, errors);
  errors.sort((a, b) => FIELD_ORDER.indexOf(a.field) - FIELD_ORDER.indexOf(b.field));
  return { filters, errors };
}

function showSearch(
  request: FastifyRequest,
  reply: FastifyReply,
  values: FormValues,
  errors: FilterError[],
  results?: { filters: AuditFilters; page: JournalPage },
): Promise<FastifyReply> {
  const scope = auditScope(request.actor!);
  return reply.code(errors.length > 0 ? 400 : 200).render('audit-search.njk', {
    pageTitle: translate('audit.title'),
    scopeText: scope === 'all' ? translate('audit.scopeAll') : translate('audit.scopeOwn', { organisation: request.actor!.organisation.organisationName }),
    errors: summaryErrors(errors),
    values,
    dateItems: { from: dateItems(values.from, errors.some((e) => e.field === 'from')), to: dateItems(values.to, errors.some((e) => e.field === 'to')) },
    actionItems: [
      { value: '', text: translate('audit.anyAction') },
      ...auditActions.map((action) => ({ value: action, text: translate(`audit.action.${action}`), selected: action === values.action })),
    ],
    results: results && {
      head: ['time', 'person', 'action', 'object', 'subjects', 'outcome'].map((column) => ({ text: translate(`audit.column.${column}`) })),
      rows: results.page.entries.map(tableRow),
      pagination: {
        ...(results.page.newer ? { previous: { href: searchAddress('/audit', results.filters, results.page.newer), text: translate('audit.newer') } } : {}),
        ...(results.page.older ? { next: { href: searchAddress('/audit', results.filters, results.page.older), text: translate('audit.older') } } : {}),
      },
      paged: Boolean(results.page.newer ?? results.page.older),
    },
  });
}

function dateItems(parts: DateParts, hasError: boolean) {
  const error = hasError ? ' govuk-input--error' : '';
  return [
    { name: 'day', classes: `govuk-input--width-2${error}`, value: parts.day },
    { name: 'month', classes: `govuk-input--width-2${error}`, value: parts.month },
    { name: 'year', classes: `govuk-input--width-4${error}`, value: parts.year },
  ];
}

function summaryErrors(errors: FilterError[]): SummaryError[] {
  // Date inputs are reached through their first box; a bad page number (no field of its own) through the form's heading.
  return fieldErrors(errors).map((error) => {
    if (error.field === 'from' || error.field === 'to') return { ...error, href: `#${error.field}-day` };
    if (!FIELD_ORDER.includes(error.field)) return { ...error, href: '#filters' };
    return error;
  });
}

function tableRow(entry: JournalEntry): { text: string }[] {
  const actor = entry.actor;
  const roleNames = (actor.role ?? '').split(' ').filter(Boolean).map((role) => (isRole(role) ? roles[role].name : role)).join(', ');
  const who = actor.userId === null
    ? translate('audit.platform')
    : `${actor.name ?? actor.userId}${actor.organisationName ? `, ${actor.organisationName}` : ''}${roleNames ? ` (${roleNames})` : ''}`;
  const what = `${isAuditAction(entry.action) ? translate(`audit.action.${entry.action}`) : entry.action}: ${entry.event}`;
  const object = [entry.objectType, entry.objectId].filter(Boolean).join(' ');
  const outcome = ['success', 'failure', 'denied'].includes(entry.outcome) ? translate(`audit.outcome.${entry.outcome}`) : entry.outcome;
  return [
    { text: formatDateTime(entry.at) },
    { text: who },
    { text: what },
    { text: object },
    { text: entry.subjects.join(', ') },
    { text: outcome },
  ];
}

function valuesFromForm(body: unknown): FormValues {
  const parts = (name: string): DateParts => ({
    day: formString(body, `${name}-day`, { maxLength: 10 }),
    month: formString(body, `${name}-month`, { maxLength: 10 }),
    year: formString(body, `${name}-year`, { maxLength: 10 }),
  });
  return {
    person: formString(body, 'person', { maxLength: 320 }),
    action: formString(body, 'action', { maxLength: 20 }),
    object: formString(body, 'object', { maxLength: 100 }),
    subject: formString(body, 'subject', { maxLength: 100 }),
    from: parts('from'),
    to: parts('to'),
  };
}

function valuesFromQuery(query: unknown): FormValues {
  const date = (value: string): DateParts => {
    const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
    return match ? { day: String(Number(match[3])), month: String(Number(match[2])), year: match[1]! } : { day: '', month: '', year: '' };
  };
  return {
    person: formString(query, 'person', { maxLength: 100 }),
    action: formString(query, 'action', { maxLength: 20 }),
    object: formString(query, 'object', { maxLength: 100 }),
    subject: formString(query, 'subject', { maxLength: 100 }),
    from: date(formString(query, 'from')),
    to: date(formString(query, 'to')),
  };
}

function valuesFromFilters(filters: AuditFilters): FormValues {
  return valuesFromQuery(Object.fromEntries(Object.entries(filters).filter(([, value]) => value !== undefined)));
}
