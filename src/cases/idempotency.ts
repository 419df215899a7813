// The one way the case file's API creates are made safe to retry: a create
// sent with an Idempotency-Key is made at most once per (person, operation,
// key). A repeat of the same request answers what the first did; the key sent
// with a different request is refused; two sent at once, the second answers
// as the first did once it has committed.
import type { Actor } from '../platform/access/policy.ts';
import type { AuditContext } from '../platform/audit/model.ts';
import type { Tx } from '../platform/db/transaction.ts';
import type { Platform } from '../platform/platform.ts';
import { Problem } from '../platform/web/errors.ts';
import * as repository from './repository.ts';

/** An API client's Idempotency-Key and the hash of the request it came with. */
export interface Idempotency {
  readonly key: string;
  readonly requestHash: string;
}

/** Stores a create's answer in the create's own transaction. */
export type Remember<T> = (tx: Tx, answer: T) => Promise<void>;

export function createIdempotency(platform: Platform) {
  const { db, audit, clock } = platform;

  const replayOf = async <T>(context: AuditContext, actor: Actor, operation: string, idempotency: Idempotency): Promise<T | undefined> => {
    const stored = await repository.findIdempotencyKey(db, actor.userId, operation, idempotency.key);
    if (!stored) return undefined;
    if (stored.request_hash !== idempotency.requestHash) {
      throw new Problem('idempotency-key-reused', 'This Idempotency-Key was sent before with a different request: use a new key for a new request');
    }
    const answer = JSON.parse(stored.response) as T;
    await audit.audited(context, { action: 'consult', event: `${operation}.replayed`, objectType: 'case' }, async () => undefined);
    return answer;
  };

  return {
    /**
     * The answer a create gave before to this key, if it did: call it right
     * after the access check and before rules the create itself changed (a
     * retry after the case has moved on must still answer as the first did).
     */
    async replay<T>(context: AuditContext, actor: Actor, operation: string, idempotency: Idempotency | undefined): Promise<T | undefined> {
      return idempotency ? replayOf<T>(context, actor, operation, idempotency) : undefined;
    },

    /** Runs `create` once per key; `create` must call `remember` with its answer inside its transaction. */
    async once<T>(context: AuditContext, actor: Actor, operation: string, idempotency: Idempotency | undefined, create: (remember: Remember<T>) => Promise<T>): Promise<T> {
      if (!idempotency) return create(async () => undefined);
      const earlier = await replayOf<T>(context, actor, operation, idempotency);
      if (earlier !== undefined) return earlier;
      try {
        return await create(async (tx, answer) => {
          await repository.insertIdempotencyKey(tx, {
            user_id: actor.userId, idempotency_key: idempotency.key, operation, request_hash: idempotency.requestHash, status: 201, response: JSON.stringify(answer), created_at: clock.now().toISOString(),
          });
        });
      } catch (error) {
        const concurrent = await replayOf<T>(context, actor, operation, idempotency).catch(() => undefined);
        if (concurrent !== undefined) return concurrent;
        throw error;
      }
    },
  };
}
