// Post/redirect/get for every form: run the command; on success, flash its
// message and redirect; when the service refuses the input (400) or the record
// has moved on since the form was read (409), show the form again with the
// GOV.UK error summary. Anything else is the error handler's.
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AuthService } from '../auth/service.ts';
import { translate } from '../i18n/messages.ts';
import { Problem } from './errors.ts';
import { fieldErrors } from './forms.ts';
import type { SummaryError } from './forms.ts';

export interface FormOutcome {
  /** The success message shown on the next page. */
  readonly text: string;
  /** Where to go next. */
  readonly to: string;
}

export interface FormSubmission {
  readonly command: () => Promise<FormOutcome>;
  readonly showAgain: (errors: SummaryError[], status: number) => Promise<FastifyReply>;
  /** The field a conflict message points at. */
  readonly conflictField: string;
  readonly conflictMessage?: string | undefined;
}

export async function submitForm(auth: AuthService, request: FastifyRequest, reply: FastifyReply, submission: FormSubmission): Promise<FastifyReply> {
  let outcome: FormOutcome;
  try {
    outcome = await submission.command();
  } catch (error) {
    if (!(error instanceof Problem)) throw error;
    if (error.type === 'validation') return submission.showAgain(fieldErrors(error.fieldErrors), 400);
    if (error.type !== 'conflict') throw error;
    const message = submission.conflictMessage ?? `${translate('error.conflict.title')}. ${translate('error.conflict.body')}`;
    return submission.showAgain(fieldErrors([{ field: submission.conflictField, message }]), 409);
  }
  await auth.setFlash(request.session!, { type: 'success', text: outcome.text });
  return reply.redirect(outcome.to, 303);
}
