// What the platform adds to Fastify's request, reply and route options.
import type { Actor, RoutePolicy } from '../access/policy.ts';
import type { AuditContext } from '../audit/model.ts';
import type { SessionState } from '../auth/model.ts';

/**
 * 'required': the route reads or changes personal data and must write an
 * audit entry on success (if it does not, the response is withheld).
 * 'none': the route touches no personal data.
 */
export type RouteAudit = 'required' | 'none';

declare module 'fastify' {
  interface FastifyContextConfig {
    policy?: RoutePolicy;
    audit?: RouteAudit;
  }
  interface FastifyRequest {
    actor: Actor | null;
    session: SessionState | null;
    auditContext: AuditContext;
    /** The route's policy let this request through to its handler. */
    admitted: boolean;
  }
  interface FastifyReply {
    render(template: string, model?: Record<string, unknown>): Promise<FastifyReply>;
  }
}
