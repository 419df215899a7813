// Pages of the case's details: changing its references, its notes, and the
// supervisors' review of break-glass access. Forms post back to their own
// address; a stale form is a conflict shown with the error summary.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { allow } from '../../platform/access/policy.ts';
import type { AuthService } from '../../platform/auth/service.ts';
import { registerMessages, translate } from '../../platform/i18n/messages.ts';
import type { Platform } from '../../platform/platform.ts';
import { formatDateTime } from '../../platform/time/working-days.ts';
import { formString } from '../../platform/web/forms.ts';
import type { SummaryError } from '../../platform/web/forms.ts';
import { escapeHtml } from '../../platform/web/lists.ts';
import { submitForm } from '../../platform/web/submit.ts';
import type { FormOutcome } from '../../platform/web/submit.ts';
import { caseFrame, registerCaseSection } from '../sections.ts';
import { formVersion } from '../web-support.ts';
import { registerDetailsApi } from './api.ts';
import { breakGlassOutcomes, describeDetailsEvent, noteKinds } from './model.ts';
import { createDetailsService } from './service.ts';
import type { DetailsService } from './service.ts';
import messages from './messages.en.json' with { type: 'json' };

export const detailsPaths = {
  edit: (caseId: string) => `/cases/${caseId}/details`,
  notes: (caseId: string) => `/cases/${caseId}/notes`,
  reviews: '/cases/break-glass/reviews',
};

const CASE = ':caseId';

export function registerDetails(app: FastifyInstance, platform: Platform, auth: AuthService): void {
  registerMessages('en', messages);
  const details = createDetailsService(platform);
  registerCaseSection({
    key: 'notes',
    titleKey: 'details.section.notes',
    order: 90,
    href: detailsPaths.notes,
    actions: ({ summary, side }) => (side ? [{ text: translate('details.edit.action'), href: detailsPaths.edit(summary.id) }] : []),
    // The case file's own events start 'case.' too: those not about notes or references are described as the case file describes them.
    eventPrefix: 'case.',
    describe: describeDetailsEvent,
  });
  registerDetailsPages(app, details, auth);
  registerDetailsApi(app, details);
}

function registerDetailsPages(app: FastifyInstance, details: DetailsService, auth: AuthService): void {
  const audited = { config: { policy: allow.signedIn, audit: 'required' as const } };
  const caseIdOf = (request: FastifyRequest) => (request.params as { caseId: string }).caseId;
  const submit = (request: FastifyRequest, reply: FastifyReply, command: () => Promise<FormOutcome>, showAgain: (errors: SummaryError[], status: number) => Promise<FastifyReply>, conflictField: string) =>
    submitForm(auth, request, reply, { command, showAgain, conflictField, conflictMessage: translate('details.conflict') });

  // Changing the references

  const showEdit = async (request: FastifyRequest, reply: FastifyReply, errors: SummaryError[] = [], values?: { cpsUrn: string; courtCaseNumber: string }, status = 200) => {
    const summary = await details.forEditing(request.actor!, request.auditContext, caseIdOf(request));
    return reply.code(status).render('details/edit.njk', {
      pageTitle: translate('details.edit.title'),
      ...caseFrame(summary, ''),
      backHref: `/cases/${summary.id}`,
      version: summary.version,
      errors,
      values: values ?? { cpsUrn: summary.cpsUrn ?? '', courtCaseNumber: summary.courtCaseNumber ?? '' },
    });
  };

  app.get(detailsPaths.edit(CASE), audited, async (request, reply) => showEdit(request, reply));

  app.post(detailsPaths.edit(CASE), audited, async (request, reply) => {
    const caseId = caseIdOf(request);
    const values = { cpsUrn: formString(request.body, 'cpsUrn', { maxLength: 100 }), courtCaseNumber: formString(request.body, 'courtCaseNumber', { maxLength: 100 }) };
    return submit(request, reply, async () => {
      const { changes } = await details.changeDetails(request.actor!, request.auditContext, caseId, values, formVersion(request.body));
      return { text: translate(changes.length ? 'details.flash.changed' : 'details.flash.unchanged'), to: `/cases/${caseId}` };
    }, (errors, status) => showEdit(request, reply, errors, status === 409 ? undefined : values, status), 'cpsUrn');
  });

  // Notes

  const showNotes = async (request: FastifyRequest, reply: FastifyReply, errors: SummaryError[] = [], values: { kind?: string; text?: string } = {}, status = 200) => {
    const read = await details.notes(request.actor!, request.auditContext, caseIdOf(request));
    return reply.code(status).render('details/notes.njk', {
      pageTitle: translate('details.notes.title'),
      ...caseFrame(read.summary, 'notes'),
      version: read.summary.version,
      mayAdd: read.mayAdd,
      errors,
      values,
      notes: read.notes.map((n) => ({ text: n.text, byline: translate('details.notes.by', { kind: noteKinds[n.kind], name: n.authorName, when: formatDateTime(n.createdAt) }) })),
      kinds: Object.entries(noteKinds).map(([value, text]) => ({ value, text, checked: value === values.kind })),
    });
  };

  app.get(detailsPaths.notes(CASE), audited, async (request, reply) => showNotes(request, reply));

  app.post(detailsPaths.notes(CASE), audited, async (request, reply) => {
    const caseId = caseIdOf(request);
    const values = { kind: formString(request.body, 'kind', { maxLength: 20 }), text: formString(request.body, 'text', { maxLength: 6000 }) };
    return submit(request, reply, async () => {
      await details.addNote(request.actor!, request.auditContext, caseId, values, formVersion(request.body));
      return { text: translate('details.flash.noteAdded'), to: detailsPaths.notes(caseId) };
    }, (errors, status) => showNotes(request, reply, errors, values, status), 'kind');
  });

  // Reviewing break-glass access (declared as a static path, so it is never read as a case id)

  const showReviews = async (request: FastifyRequest, reply: FastifyReply, errors: SummaryError[] = [], status = 200) => {
    const grants = await details.unreviewedGrants(request.actor!, request.auditContext);
    return reply.code(status).render('details/reviews.njk', {
      pageTitle: translate('details.reviews.title'),
      errors,
      grants: grants.map((g) => ({
        id: g.id,
        reference: g.policeReference,
        rows: [
          { key: { text: translate('details.reviews.who') }, value: { text: g.userName } },
          { key: { text: translate('details.reviews.when') }, value: { text: formatDateTime(g.grantedAt) } },
          { key: { text: translate('details.reviews.reason') }, value: { text: g.reason } },
          { key: { text: translate('details.reviews.case') }, value: { html: `<a class="govuk-link" href="/cases/${g.caseId}">${escapeHtml(g.policeReference)}</a>` } },
        ],
        outcomes: Object.entries(breakGlassOutcomes).map(([value, text]) => ({ value, text })),
      })),
    });
  };

  app.get(detailsPaths.reviews, audited, async (request, reply) => showReviews(request, reply));

  app.post(detailsPaths.reviews, audited, async (request, reply) => {
    const grantId = formString(request.body, 'grantId', { maxLength: 100 });
    const outcome = formString(request.body, 'outcome', { maxLength: 100 });
    return submit(request, reply, async () => {
      await details.reviewGrant(request.actor!, request.auditContext, grantId, { outcome });
      return { text: translate('details.flash.reviewed'), to: detailsPaths.reviews };
    }, (errors, status) => showReviews(request, reply, errors, status), `outcome-${grantId}`);
  });
}
