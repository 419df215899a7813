// Every failure becomes a GOV.UK error page or a problem+json body. Unknown
// errors are logged with the request id and shown as a plain apology.
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { translate } from '../i18n/messages.ts';
import { Problem, problems, problemTypeOf } from './errors.ts';
import type { ProblemType } from './errors.ts';
import { isApiRequest } from './identity.ts';

export function registerErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler(async (error: FastifyError, request, reply) => {
    const type = problemTypeOf(error);
    if (type === 'internal') request.log.error({ err: error }, 'request failed');
    else request.log.info({ problem: type }, 'request refused');
    return sendProblem(request, reply, type, error instanceof Problem ? error : undefined, error);
  });
  app.setNotFoundHandler(async (request, reply) => sendProblem(request, reply, 'not-found'));
}

async function sendProblem(request: FastifyRequest, reply: FastifyReply, type: ProblemType, problem?: Problem, error?: FastifyError): Promise<FastifyReply> {
  const { status, title, body } = problems[type];
  if (type === 'too-many-requests' && error && 'headers' in error) reply.headers((error as { headers?: Record<string, string> }).headers ?? {});
  reply.code(status);
  if (type === 'unauthenticated') reply.header('www-authenticate', 'Bearer');
  if (isApiRequest(request) || !acceptsHtml(request)) {
    return reply.type('application/problem+json').send({
      type: `urn:rasso:problem:${type}`,
      title: translate(title),
      status,
      detail: problem?.detail ?? (type === 'validation' ? validationDetail(error) : translate(body)),
      instance: `urn:rasso:request:${request.id}`,
      ...(problem?.fieldErrors.length ? { errors: problem.fieldErrors } : {}),
    });
  }
  try {
    return await reply.render('error.njk', { pageTitle: translate(title), title: translate(title), body: translate(body), requestId: request.id });
  } catch (renderError) {
    request.log.error({ err: renderError }, 'error page could not be rendered');
    return reply.type('text/plain; charset=utf-8').send(`${translate(title)}\n\nReference: ${request.id}`);
  }
}

function acceptsHtml(request: FastifyRequest): boolean {
  const accept = request.headers.accept ?? '';
  return accept === '' || accept.includes('text/html') || accept.includes('*/*');
}

function validationDetail(error?: FastifyError): string {
  return error?.message?.slice(0, 300) ?? 'The request is not valid';
}
