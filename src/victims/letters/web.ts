// Pages of letters to a victim: the list, making a letter (choose the letter
// and language, preview it, then make it), one letter with its PDF, and
// recording how it was sent. Forms post back to their own address, carry the
// case's version and redirect with a flash.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { allow } from '../../platform/access/policy.ts';
import type { AuthService } from '../../platform/auth/service.ts';
import { registerMessages, translate } from '../../platform/i18n/messages.ts';
import type { Platform } from '../../platform/platform.ts';
import { formatDateTime } from '../../platform/time/working-days.ts';
import { errorMessage, fieldErrors, formString } from '../../platform/web/forms.ts';
import type { SummaryError } from '../../platform/web/forms.ts';
import { Problem } from '../../platform/web/errors.ts';
import { submitForm } from '../../platform/web/submit.ts';
import { escapeHtml } from '../../platform/web/lists.ts';
import { formVersion } from '../../cases/web-support.ts';
import { contactMethodName, languageName, languages } from '../model.ts';
import type { Language } from '../model.ts';
import { registerVictimPart, victimFrame } from '../parts.ts';
import { registerLettersApi, sendPdf } from './api.ts';
import messages from './messages.en.json' with { type: 'json' };
import { MAX_CONTACT_DETAILS, dispatchMethods, dispatchProblem, isLetterKey } from './model.ts';
import type { LetterTemplate, LetterText, LetterView } from './model.ts';
import * as lettersRepository from './repository.ts';
import { createLettersService } from './service.ts';
import type { LetterInput, LettersService } from './service.ts';

registerMessages('en', messages);

export const letterPaths = {
  list: (caseId: string, victimId: string) => `/cases/${caseId}/victims/${victimId}/letters`,
  create: (caseId: string, victimId: string) => `/cases/${caseId}/victims/${victimId}/letters/new`,
  letter: (caseId: string, victimId: string, letterId: string) => `/cases/${caseId}/victims/${victimId}/letters/${letterId}`,
  pdf: (caseId: string, victimId: string, letterId: string) => `/cases/${caseId}/victims/${victimId}/letters/${letterId}/pdf`,
  dispatch: (caseId: string, victimId: string, letterId: string) => `/cases/${caseId}/victims/${victimId}/letters/${letterId}/dispatch`,
};

const templateName = (key: unknown) => (typeof key === 'string' && isLetterKey(key) ? translate(`letters.template.${key}`) : '');
const languageText = (language: unknown) => (language === 'cy' || language === 'en' ? languageName(language) : '');

function describe(event: { type: string; data: Readonly<Record<string, unknown>> }): { title: string; text: string } {
  const text = translate('letters.event.text', { letter: templateName(event.data.template), language: languageText(event.data.language) });
  if (event.type === 'victims.letters.dispatched') {
    const method = typeof event.data.method === 'string' && (dispatchMethods as readonly string[]).includes(event.data.method) ? translate(`letters.method.${event.data.method}`) : '';
    return { title: translate('letters.event.dispatched'), text: translate('letters.event.sentText', { letter: templateName(event.data.template), language: languageText(event.data.language), method }) };
  }
  return { title: translate('letters.event.created'), text };
}

/** The letter's text as HTML, in its own language so screen readers pronounce it. */
export function letterHtml(text: LetterText, language: Language): string {
  const blocks = text.blocks.map((b) => (b.kind === 'h' ? `<h4 class="govuk-heading-s">${escapeHtml(b.text)}</h4>` : `<p class="govuk-body">${escapeHtml(b.text)}</p>`));
  return `<div lang="${language === 'cy' ? 'cy' : 'en-GB'}" class="app-letter"><h3 class="govuk-heading-m">${escapeHtml(text.title)}</h3>${blocks.join('')}</div>`;
}

export function registerLetters(app: FastifyInstance, platform: Platform, auth: AuthService): void {
  const letters = createLettersService(platform);
  registerVictimPart({
    key: 'letters',
    titleKey: 'letters.section',
    order: 30,
    href: letterPaths.list,
    forIsva: false,
    eventPrefix: 'victims.letters.',
    describe,
    overview: async (db, v) => {
      const made = await lettersRepository.lettersOf(db, v.summary.id, v.victim.id);
      return made.length ? [{ key: translate('letters.overview.count'), value: translate('letters.overview.value', { count: made.length, sent: made.filter((l) => l.status === 'dispatched').length }) }] : [];
    },
  });
  registerPages(app, letters, auth);
  registerLettersApi(app, letters);
}

type Values = Partial<Record<'template' | 'language' | 'contactDetails' | 'method', string>>;

function registerPages(app: FastifyInstance, letters: LettersService, auth: AuthService): void {
  const audited = { config: { policy: allow.signedIn, audit: 'required' as const } };
  const params = (request: FastifyRequest) => request.params as { caseId: string; victimId: string; letterId: string };

  app.get(letterPaths.list(':caseId', ':victimId'), audited, async (request, reply) => {
    const { caseId, victimId } = params(request);
    const { v, letters: list, powers } = await letters.letters(request.actor!, request.auditContext, caseId, victimId);
    return reply.render('letters/list.njk', {
      pageTitle: translate('letters.title'),
      ...victimFrame(v, 'letters'),
      backHref: `/cases/${v.summary.id}/victims/${v.victim.id}`,
      createHref: powers.write ? letterPaths.create(v.summary.id, v.victim.id) : null,
      rows: list.map((l) => [
        { html: `<a class="govuk-link" href="${letterPaths.letter(v.summary.id, v.victim.id, l.id)}">${escapeHtml(templateName(l.template))}</a>` },
        { text: languageName(l.language) },
        { text: translate(`letters.status.${l.status}`) },
        { text: formatDateTime(l.createdAt) },
      ]),
    });
  });

  const inputOf = (body: unknown): LetterInput => ({
    template: formString(body, 'template', { maxLength: 50 }),
    language: formString(body, 'language', { maxLength: 10 }),
    contactDetails: formString(body, 'contactDetails', { maxLength: MAX_CONTACT_DETAILS + 50 }),
  });

  const showNew = async (request: FastifyRequest, reply: FastifyReply, options: { errors?: SummaryError[]; values?: Values; preview?: { template: LetterTemplate; language: Language; text: LetterText } | null; status?: number } = {}) => {
    const { caseId, victimId } = params(request);
    const { v, templates, language } = await letters.choices(request.actor!, request.auditContext, caseId, victimId);
    const errors = options.errors ?? [];
    const values = options.values ?? {};
    const chosenLanguage = values.language ?? language;
    return reply.code(options.status ?? 200).render('letters/new.njk', {
      pageTitle: translate('letters.new.title'),
      ...victimFrame(v, 'letters'),
      backHref: letterPaths.list(v.summary.id, v.victim.id),
      errors,
      version: v.summary.version,
      template: {
        fieldset: { legend: { text: translate('letters.new.template'), classes: 'govuk-fieldset__legend--s' } }, idPrefix: 'template', name: 'template',
        items: templates.map((t) => ({ value: t.key, text: translate(`letters.template.${t.key}`), checked: values.template === t.key })),
        errorMessage: errorMessage(errors, 'template'),
      },
      language: {
        fieldset: { legend: { text: translate('letters.new.language'), classes: 'govuk-fieldset__legend--s' } }, hint: { text: translate('letters.new.languageHint') }, idPrefix: 'language', name: 'language',
        items: languages.map((l) => ({ value: l, text: languageName(l), checked: chosenLanguage === l })),
        errorMessage: errorMessage(errors, 'language'),
      },
      contactDetails: {
        label: { text: translate('letters.new.contactDetails'), classes: 'govuk-label--s' }, hint: { text: translate('letters.new.contactDetailsHint') },
        id: 'contactDetails', name: 'contactDetails', value: values.contactDetails ?? '', spellcheck: false, autocomplete: 'off', errorMessage: errorMessage(errors, 'contactDetails'),
      },
      preview: options.preview ? { html: letterHtml(options.preview.text, options.preview.language), template: options.preview.template.key, language: options.preview.language, contactDetails: values.contactDetails ?? '' } : null,
    });
  };

  app.get(letterPaths.create(':caseId', ':victimId'), audited, async (request, reply) => showNew(request, reply));

  app.post(letterPaths.create(':caseId', ':victimId'), audited, async (request, reply) => {
    const { caseId, victimId } = params(request);
    const input = inputOf(request.body);
    const values: Values = input;
    if (formString(request.body, 'action', { maxLength: 20 }) !== 'create') {
      try {
        const preview = await letters.preview(request.actor!, request.auditContext, caseId, victimId, input);
        return await showNew(request, reply, { values, preview });
      } catch (error) {
        if (error instanceof Problem && error.type === 'validation') return showNew(request, reply, { errors: fieldErrors(error.fieldErrors), values, status: 400 });
        throw error;
      }
    }
    return submitForm(auth, request, reply, {
      command: async () => {
        const { id } = await letters.create(request.actor!, request.auditContext, caseId, victimId, input, formVersion(request.body));
        return { text: translate('letters.flash.created'), to: letterPaths.letter(caseId, victimId, id) };
      },
      showAgain: (errors, status) => showNew(request, reply, { errors, values, status }),
      conflictField: 'template',
      conflictMessage: translate('letters.error.conflict'),
    });
  });

  const summaryRows = (letter: LetterView) => [
    { key: { text: translate('letters.field.template') }, value: { text: templateName(letter.template) } },
    { key: { text: translate('letters.field.version') }, value: { text: String(letter.version) } },
    { key: { text: translate('letters.field.language') }, value: { text: languageName(letter.language) } },
    { key: { text: translate('letters.field.status') }, value: { text: translate(`letters.status.${letter.status}`) } },
    { key: { text: translate('letters.field.created') }, value: { text: translate('letters.madeBy', { name: letter.createdBy, date: formatDateTime(letter.createdAt) }) } },
    ...(letter.dispatch ? [
      { key: { text: translate('letters.field.dispatched') }, value: { text: translate('letters.dispatchedBy', { method: translate(`letters.method.${letter.dispatch.method}`), name: letter.dispatch.by, date: formatDateTime(letter.dispatch.at) }) } },
      { key: { text: translate('letters.field.sentTo') }, value: { text: letter.dispatch.sentTo } },
    ] : []),
  ];

  app.get(letterPaths.letter(':caseId', ':victimId', ':letterId'), audited, async (request, reply) => {
    const { caseId, victimId, letterId } = params(request);
    const { v, letter, powers } = await letters.letter(request.actor!, request.auditContext, caseId, victimId, letterId);
    return reply.render('letters/letter.njk', {
      pageTitle: translate('letters.letter.title', { title: templateName(letter.template) }),
      ...victimFrame(v, 'letters'),
      backHref: letterPaths.list(v.summary.id, v.victim.id),
      rows: summaryRows(letter),
      letterHtml: letterHtml(letter.text, letter.language),
      pdfHref: letterPaths.pdf(v.summary.id, v.victim.id, letter.id),
      dispatchHref: powers.write && letter.status === 'draft' && letter.from === v.loaded.side ? letterPaths.dispatch(v.summary.id, v.victim.id, letter.id) : null,
    });
  });

  app.get(letterPaths.pdf(':caseId', ':victimId', ':letterId'), audited, async (request, reply) => {
    const { caseId, victimId, letterId } = params(request);
    const { letter, bytes } = await letters.pdf(request.actor!, request.auditContext, caseId, victimId, letterId);
    return sendPdf(reply, letter.id, bytes);
  });

  const showDispatch = async (request: FastifyRequest, reply: FastifyReply, errors: SummaryError[] = [], values: Values = {}, status = 200) => {
    const { caseId, victimId, letterId } = params(request);
    const { v, letter, plan } = await letters.dispatchChoices(request.actor!, request.auditContext, caseId, victimId, letterId);
    const rules = plan?.rules;
    return reply.code(status).render('letters/dispatch.njk', {
      pageTitle: translate('letters.dispatch.title'),
      ...victimFrame(v, 'letters'),
      backHref: letterPaths.letter(v.summary.id, v.victim.id, letter.id),
      errors,
      version: v.summary.version,
      rows: summaryRows(letter),
      rules: rules ? [
        ...(rules.noPostToHome ? [translate('letters.rule.noPostToHome')] : []),
        ...(rules.noVoicemail ? [translate('letters.rule.noVoicemail')] : []),
        ...(rules.safeAddress ? [translate('letters.rule.safeAddress')] : []),
        ...(rules.safeEmail ? [translate('letters.rule.safeEmail')] : []),
        translate('letters.rule.methods', { methods: rules.methods.map(contactMethodName).join(', ') }),
      ] : null,
      noPlan: rules ? null : translate('letters.dispatch.noPlan'),
      method: {
        fieldset: { legend: { text: translate('letters.dispatch.method'), classes: 'govuk-fieldset__legend--s' } }, hint: { text: translate('letters.dispatch.methodHint') }, idPrefix: 'method', name: 'method',
        items: dispatchMethods.map((m) => {
          const problem = dispatchProblem(m, rules ?? null, v.isva !== null);
          // Unsafe ways stay selectable, so the refusal names the rule; the hint warns first.
          return { value: m, text: translate(`letters.method.${m}`), checked: values.method === m, hint: problem ? { text: problem } : undefined };
        }),
        errorMessage: errorMessage(errors, 'method'),
      },
    });
  };

  app.get(letterPaths.dispatch(':caseId', ':victimId', ':letterId'), audited, async (request, reply) => showDispatch(request, reply));

  app.post(letterPaths.dispatch(':caseId', ':victimId', ':letterId'), audited, async (request, reply) => {
    const { caseId, victimId, letterId } = params(request);
    const values = { method: formString(request.body, 'method', { maxLength: 50 }) };
    return submitForm(auth, request, reply, {
      command: async () => {
        await letters.dispatch(request.actor!, request.auditContext, caseId, victimId, letterId, values, formVersion(request.body));
        return { text: translate('letters.flash.dispatched'), to: letterPaths.letter(caseId, victimId, letterId) };
      },
      showAgain: (errors, status) => showDispatch(request, reply, errors, status === 409 ? {} : values, status),
      conflictField: 'method',
      conflictMessage: translate('letters.error.conflict'),
    });
  });
}
