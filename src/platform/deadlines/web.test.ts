import { test } from 'node:test';
import assert from 'node:assert/strict';
import { engines } from '../../../test/support/databases.ts';
import { testApp } from '../../../test/support/app.ts';
import type { TestApp } from '../../../test/support/app.ts';
import { newId } from '../db/ids.ts';
import { inTransaction } from '../db/transaction.ts';
import * as repository from './repository.ts';
import { TEST_SUBJECT } from './test-support.ts';

async function notify(t: TestApp, userId: string, text: string, at: string): Promise<string> {
  const id = newId();
  await inTransaction(t.platform.db, (tx) => repository.insertNotifications(tx, [{ id, user_id: userId, kind: 'deadline.escalation', subject_type: TEST_SUBJECT, subject_id: newId(), text, created_at: at, read_at: null }]));
  return id;
}

for (const engine of engines) {
  test(`${engine}: the notifications page shows a person their own notifications, newest first, and marks them read`, async () => {
    const t = await testApp(engine);
    try {
      const force = await t.organisation('NF', 'police_force');
      const me = await t.person({ email: 'oic@nf.example', roles: [[force, 'investigator']] });
      const someoneElse = await t.person({ email: 'other@nf.example', roles: [[force, 'investigator']] });
      const older = await notify(t, me.id, 'REF-1: Action plan 28-day review', '2025-03-01T09:00:00Z');
      const newer = await notify(t, me.id, 'REF-2: Early advice response is overdue', '2025-03-02T09:00:00Z');
      const theirs = await notify(t, someoneElse.id, 'REF-3: Not for you', '2025-03-02T10:00:00Z');
      const agent = await t.signIn(me);

      const page = await agent.get('/notifications');
      assert.equal(page.statusCode, 200);
      assert.ok(page.body.indexOf('REF-2') < page.body.indexOf('REF-1'), 'newest first');
      assert.ok(!page.body.includes('REF-3'));
      assert.ok(page.body.includes('href="/test-subjects/'), 'links to the subject its module names');
      assert.equal(page.body.match(/Mark as read/g)?.length, 2);

      const read = await agent.post('/notifications/read', { notification: older });
      assert.deepEqual([read.statusCode, read.headers.location], [303, '/notifications']);
      const after = await agent.get('/notifications');
      assert.ok(after.body.includes('Notification marked as read'));
      assert.equal(after.body.match(/Mark as read/g)?.length, 1);

      assert.equal((await agent.post('/notifications/read', { notification: theirs })).statusCode, 404);
      assert.equal((await agent.post('/notifications/read', { notification: 'not-an-id' })).statusCode, 400);
      assert.equal((await agent.post('/notifications/read')).statusCode, 400);
      assert.equal((await agent.post('/notifications/read', { notification: [theirs, newer] })).statusCode, 404, 'all or none');
      assert.equal((await agent.request({ method: 'POST', url: '/notifications/read', headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: `notification=${newer}` })).statusCode, 403, 'no CSRF token, no change');

      // "Mark all as read" names every unread notification on the page.
      const third = await notify(t, me.id, 'REF-4: Supervisory review due', '2025-03-03T09:00:00Z');
      const listed = await agent.get('/notifications');
      assert.ok(listed.body.includes('Mark all as read'));
      const all = await agent.post('/notifications/read', { notification: [newer, third] });
      assert.equal(all.statusCode, 303);
      assert.ok((await agent.get('/notifications')).body.includes('Notifications marked as read'));
      const rows = await t.platform.db.selectFrom('notifications').select(['user_id', 'read_at']).execute();
      assert.ok(rows.filter((r) => r.user_id === me.id).every((r) => r.read_at !== null));
      assert.ok(rows.filter((r) => r.user_id === someoneElse.id).every((r) => r.read_at === null));
      const audit = await t.platform.db.selectFrom('audit_events').select('details').where('object_type', '=', 'notification').where('actor_user_id', '=', me.id).orderBy('seq').execute();
      assert.deepEqual(audit.map((a) => JSON.parse(a.details)), [{ event: 'notification.read', named: 1, unread: 1 }, { event: 'notification.read', named: 2, unread: 2 }]);
    } finally {
      await t.close();
    }
  });

  test(`${engine}: with no notifications the page says so`, async () => {
    const t = await testApp(engine);
    try {
      const area = await t.organisation('NA', 'cps_area');
      const agent = await t.signIn(await t.person({ email: 'p@na.example', roles: [[area, 'prosecutor']] }));
      const page = await agent.get('/notifications');
      assert.equal(page.statusCode, 200);
      assert.ok(page.body.includes('You have no notifications.'));
      assert.equal((await t.app.inject({ method: 'GET', url: '/notifications' })).statusCode, 303);
    } finally {
      await t.close();
    }
  });
}
