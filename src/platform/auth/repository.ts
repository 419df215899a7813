// SQL for sessions, sign-in attempts and API tokens.
import type { Db, Tx } from '../db/transaction.ts';
import type { ApiTokensTable, SessionsTable } from '../db/tables.ts';

type Executor = Db | Tx;

export async function insertSession(db: Executor, session: SessionsTable): Promise<void> {
  await db.insertInto('sessions').values(session).execute();
}

export async function findLiveSession(db: Executor, idHash: string, nowIso: string): Promise<SessionsTable | undefined> {
  return db
    .selectFrom('sessions')
    .selectAll()
    .where('id_hash', '=', idHash)
    .where('revoked_at', 'is', null)
    .where('idle_expires_at', '>', nowIso)
    .where('absolute_expires_at', '>', nowIso)
    .executeTakeFirst();
}

export async function updateSession(db: Executor, idHash: string, changes: Partial<Omit<SessionsTable, 'id_hash'>>): Promise<void> {
  await db.updateTable('sessions').set(changes).where('id_hash', '=', idHash).execute();
}

export async function revokeSession(db: Executor, idHash: string, nowIso: string): Promise<void> {
  await db.updateTable('sessions').set({ revoked_at: nowIso }).where('id_hash', '=', idHash).where('revoked_at', 'is', null).execute();
}

export async function revokeSessionsOf(db: Executor, userId: string, nowIso: string): Promise<number> {
  const result = await db.updateTable('sessions').set({ revoked_at: nowIso }).where('user_id', '=', userId).where('revoked_at', 'is', null).executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/** Removes sessions that can never be used again. */
export async function deleteDeadSessions(db: Executor, nowIso: string): Promise<number> {
  const result = await db
    .deleteFrom('sessions')
    .where((eb) => eb.or([eb('absolute_expires_at', '<=', nowIso), eb('idle_expires_at', '<=', nowIso), eb('revoked_at', 'is not', null)]))
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}

export async function recentAttempts(db: Executor, subjectKey: string, sinceIso: string): Promise<{ at: string; succeeded: number }[]> {
  return db
    .selectFrom('sign_in_attempts')
    .select(['at', 'succeeded'])
    .where('subject_key', '=', subjectKey)
    .where('at', '>=', sinceIso)
    .orderBy('at')
    .execute();
}

export async function insertAttempt(db: Executor, attempt: { id: string; subject_key: string; at: string; succeeded: number }): Promise<void> {
  await db.insertInto('sign_in_attempts').values(attempt).execute();
}

export async function insertApiToken(db: Executor, token: ApiTokensTable): Promise<void> {
  await db.insertInto('api_tokens').values(token).execute();
}

export async function findLiveApiToken(db: Executor, tokenHash: string, nowIso: string): Promise<ApiTokensTable | undefined> {
  return db
    .selectFrom('api_tokens')
    .selectAll()
    .where('token_hash', '=', tokenHash)
    .where('revoked_at', 'is', null)
    .where('expires_at', '>', nowIso)
    .executeTakeFirst();
}

export async function listApiTokens(db: Executor, userId?: string): Promise<ApiTokensTable[]> {
  let query = db.selectFrom('api_tokens').selectAll();
  if (userId) query = query.where('user_id', '=', userId);
  return query.orderBy('created_at', 'desc').execute();
}

export async function revokeApiToken(db: Executor, id: string, nowIso: string): Promise<number> {
  const result = await db.updateTable('api_tokens').set({ revoked_at: nowIso }).where('id', '=', id).where('revoked_at', 'is', null).executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/** Forgets sign-in attempts too old to count towards a lockout. */
export async function deleteAttemptsBefore(db: Executor, beforeIso: string): Promise<number> {
  const result = await db.deleteFrom('sign_in_attempts').where('at', '<', beforeIso).executeTakeFirst();
  return Number(result.numDeletedRows);
}
