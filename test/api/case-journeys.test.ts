// The joint case file's journeys through the JSON API alone, as a police
// force's and a CPS Area's integrations would make them: each person calls
// with an API token of their own, reads the case's ETag and sends it back in
// If-Match, and sends an Idempotency-Key with each create so a retry is safe.
// Every request and every answer is checked against the OpenAPI document.
//
// 1. Early advice with an action plan of two actions, the plan answered and
//    reviewed, a full-code-test referral, triage and a charge.
// 2. A case referred to the CPS before, closed as police NFA (outcome 16)
//    after a joint meeting and a contact with the victim, signed off by a
//    supervisor: queued for the scrutiny panel and the victim's letter.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { LightMyRequestResponse } from 'fastify';
import { engines } from '../support/databases.ts';
import { contractCaller } from '../support/openapi.ts';
import { apiClient } from '../../src/platform/api/test-support.ts';
import type { ApiClient } from '../../src/platform/api/test-support.ts';
import { API_PREFIX } from '../../src/platform/api/schemas.ts';
import { systemContext } from '../../src/platform/audit/model.ts';
import { londonDate } from '../../src/platform/time/working-days.ts';
import { caseTestApp, worldCase } from '../../src/cases/test-support.ts';

const contents = {
  summary: 'The victim reports a rape by an acquaintance after a party.',
  enquiriesDone: 'ABE interview; suspect interviewed under caution.',
  enquiriesOngoing: 'Phone download, four weeks.',
  enquiriesPlanned: 'House-to-house enquiries, two weeks.',
  issues: 'The suspect says the victim consented.',
  questions: 'Is the CCTV from the venue needed before a charging decision?',
  keyMaterial: 'ABE interview; suspect interview.',
  disclosableMaterial: 'Counselling notes have been requested.',
};

const etagOf = (response: LightMyRequestResponse): string => {
  const etag = response.headers.etag;
  assert.ok(typeof etag === 'string' && /^"\d+"$/.test(etag), `no strong ETag on ${response.statusCode}: ${String(etag)}`);
  return etag;
};

function expectStatus(response: LightMyRequestResponse, status: number): LightMyRequestResponse {
  assert.equal(response.statusCode, status, response.body.slice(0, 500));
  return response;
}

/** A date some days from the clock's today in London, as YYYY-MM-DD. */
const daysFrom = (now: Date, days: number) => londonDate(new Date(now.getTime() + days * 86_400_000));

for (const engine of engines) {
  test(`${engine}: through the API alone, early advice with an action plan leads to a charge`, async () => {
    const { t, w } = await caseTestApp(engine);
    try {
      const call = await contractCaller(() => t.app.inject({ method: 'GET', url: `${API_PREFIX}/openapi.json` }));
      // Case work needs no permission scope: a token acts with the roles its person holds in its organisation.
      const oic = await apiClient(t, { person: w.oic, organisationId: w.force, scopes: [] });
      const prosecutor = await apiClient(t, { person: w.prosecutor, organisationId: w.area, scopes: [] });
      const caseId = await w.cases.operator.createCase(systemContext(), worldCase(w.force, w.area, w.oic.id, w.prosecutor.id, 'API/J1/26'));
      const params = { caseId };
      const withMatch = (client: ApiClient, method: string, path: string, etag: string, body: unknown, extra: Record<string, string> = {}) =>
        call(client, method, path, { params, body, headers: { 'if-match': etag, ...extra } });

      // The investigator reads the case and requests early advice: retried once with the same key, made once.
      const opened = expectStatus(await call(oic, 'GET', '/cases/{caseId}', { params }), 200);
      assert.equal(opened.json().case.stage, 'investigation');
      const asked = { urn: '52AB1234526', contents };
      const requested = expectStatus(await withMatch(oic, 'POST', '/cases/{caseId}/early-advice/requests', etagOf(opened), asked, { 'idempotency-key': 'j1-advice-request' }), 201);
      const retried = expectStatus(await withMatch(oic, 'POST', '/cases/{caseId}/early-advice/requests', etagOf(opened), asked, { 'idempotency-key': 'j1-advice-request' }), 201);
      assert.equal(retried.json().id, requested.json().id, 'a retry with the same Idempotency-Key answers the first request');
      const requestId: string = requested.json().id;

      // The prosecutor accepts the request, then gives advice with an action plan of two police actions.
      const advice = expectStatus(await call(prosecutor, 'GET', '/cases/{caseId}/early-advice', { params }), 200);
      assert.equal(advice.json().requests.length, 1);
      assert.equal(advice.json().requests[0].status, 'requested');
      expectStatus(await call(prosecutor, 'POST', '/cases/{caseId}/early-advice/{requestId}/decision', { params: { caseId, requestId }, body: { decision: 'accept' } }), 428);
      const accepted = expectStatus(await call(prosecutor, 'POST', '/cases/{caseId}/early-advice/{requestId}/decision', { params: { caseId, requestId }, body: { decision: 'accept' }, headers: { 'if-match': etagOf(advice) } }), 200);
      expectStatus(await call(prosecutor, 'POST', '/cases/{caseId}/early-advice/{requestId}/advice', {
        params: { caseId, requestId }, body: { advice: 'Stale.' }, headers: { 'if-match': etagOf(advice) },
      }), 412);
      const items = [
        { description: 'Obtain the CCTV from the venue.', owner: 'police', dueOn: daysFrom(t.clock.now(), 21) },
        { description: 'Take a statement from the taxi driver.', owner: 'police', dueOn: daysFrom(t.clock.now(), 28) },
      ];
      expectStatus(await call(prosecutor, 'POST', '/cases/{caseId}/early-advice/{requestId}/advice', {
        params: { caseId, requestId }, body: { advice: 'Gather the CCTV and the taxi driver’s account, then refer for a full code test decision.', items }, headers: { 'if-match': etagOf(accepted) },
      }), 200);

      // The investigator completes both actions.
      let plans = expectStatus(await call(oic, 'GET', '/cases/{caseId}/action-plans', { params }), 200);
      assert.equal(plans.json().plans.length, 1);
      const plan = plans.json().plans[0];
      assert.equal(plan.source, 'early-advice');
      assert.equal(plan.status, 'issued');
      assert.deepEqual(plan.items.map((i: { description: string }) => i.description), items.map((i) => i.description));
      let etag = etagOf(plans);
      for (const item of plan.items as { id: string }[]) {
        const done = expectStatus(await call(oic, 'POST', '/cases/{caseId}/action-plans/{planId}/items/{itemId}/response', {
          params: { caseId, planId: plan.id, itemId: item.id }, body: { response: 'complete', text: 'Done: see the attached statement.' }, headers: { 'if-match': etag },
        }), 200);
        etag = etagOf(done);
      }

      // The prosecutor reviews both: the plan is answered.
      plans = expectStatus(await call(prosecutor, 'GET', '/cases/{caseId}/action-plans', { params }), 200);
      assert.deepEqual(plans.json().plans[0].items.map((i: { status: string }) => i.status), ['completed', 'completed']);
      etag = etagOf(plans);
      for (const item of plan.items as { id: string }[]) {
        const reviewed = expectStatus(await call(prosecutor, 'POST', '/cases/{caseId}/action-plans/{planId}/items/{itemId}/review', {
          params: { caseId, planId: plan.id, itemId: item.id }, body: { decision: 'accept' }, headers: { 'if-match': etag },
        }), 200);
        etag = etagOf(reviewed);
      }
      plans = expectStatus(await call(oic, 'GET', '/cases/{caseId}/action-plans', { params }), 200);
      assert.equal(plans.json().plans[0].status, 'answered');
      assert.ok(plans.json().plans[0].answeredAt);

      // The investigator refers the suspect for a full code test decision.
      let charging = expectStatus(await call(oic, 'GET', '/cases/{caseId}/charging', { params }), 200);
      assert.equal(charging.json().adviceWasRequested, true);
      const suspectIds: string[] = charging.json().suspects.map((s: { id: string }) => s.id);
      assert.equal(suspectIds.length, 1);
      const referral = { test: 'full_code', suspectIds };
      const referred = expectStatus(await withMatch(oic, 'POST', '/cases/{caseId}/charging/referrals', etagOf(charging), referral, { 'idempotency-key': 'j1-referral' }), 201);
      assert.equal(referred.json().stage, 'charging_referral');
      const again = expectStatus(await withMatch(oic, 'POST', '/cases/{caseId}/charging/referrals', etagOf(charging), referral, { 'idempotency-key': 'j1-referral' }), 201);
      assert.equal(again.json().referrals.length, 1, 'a retried referral makes no second referral');

      // The prosecutor triages the file and charges the suspect.
      charging = expectStatus(await call(prosecutor, 'GET', '/cases/{caseId}/charging', { params }), 200);
      const triaged = expectStatus(await withMatch(prosecutor, 'POST', '/cases/{caseId}/charging/triage', etagOf(charging), {
        items: ['mg3_complete', 'evidence_summarised', 'disclosure_schedules', 'victim_views'], result: 'accepted',
      }), 200);
      assert.equal(triaged.json().referrals[0].triage.result, 'accepted');
      const decision = {
        suspectId: suspectIds[0]!, decision: 'charge', reasons: 'The full code test is met.',
        offences: [{ offenceClass: 'rape_16_plus', wording: 'Rape contrary to section 1(1) of the Sexual Offences Act 2003' }],
      };
      const decided = expectStatus(await withMatch(prosecutor, 'POST', '/cases/{caseId}/charging/decisions', etagOf(triaged), decision, { 'idempotency-key': 'j1-decision' }), 201);
      assert.equal(decided.json().stage, 'charged');
      assert.equal(decided.json().suspects[0].decision, 'charge');

      // The final state, read back as either side would.
      const final = expectStatus(await call(oic, 'GET', '/cases/{caseId}', { params }), 200);
      assert.equal(final.json().case.stage, 'charged');
      const types: string[] = final.json().events.map((e: { type: string }) => e.type);
      const expected = [
        'advice.requested', 'advice.accepted', 'action-plan.issued', 'advice.given',
        'action-plan.item-completed', 'action-plan.item-completed', 'action-plan.prosecutor-reviewed', 'action-plan.prosecutor-reviewed', 'action-plan.answered',
        'charging.referred', 'charging.triaged', 'charging.decided',
      ];
      assert.deepEqual(types.filter((type) => expected.includes(type)).sort(), [...expected].sort(), types.join(', '));
      // In order: each command's events come after the one before it.
      const first = (type: string) => types.indexOf(type);
      const order = ['advice.requested', 'advice.accepted', 'advice.given', 'action-plan.answered', 'charging.referred', 'charging.triaged', 'charging.decided'];
      const ascending = order.map(first);
      const newestFirst = [...ascending].sort((a, b) => b - a);
      const oldestFirst = [...ascending].sort((a, b) => a - b);
      assert.ok(JSON.stringify(ascending) === JSON.stringify(oldestFirst) || JSON.stringify(ascending) === JSON.stringify(newestFirst), `events out of order: ${types.join(', ')}`);
      const moves = final.json().events.filter((e: { type: string }) => e.type === 'case.stage-changed').map((e: { data: { from: string; to: string } }) => `${e.data.from}→${e.data.to}`);
      for (const move of ['investigation→early_advice', 'early_advice→action_plan', 'action_plan→charging_referral', 'charging_referral→charged']) assert.ok(moves.includes(move), `${move} missing from ${moves.join(', ')}`);
    } finally {
      await t.close();
    }
  });

  test(`${engine}: through the API alone, a case referred to the CPS before closes as police NFA`, async () => {
    const { t, w } = await caseTestApp(engine);
    try {
      const call = await contractCaller(() => t.app.inject({ method: 'GET', url: `${API_PREFIX}/openapi.json` }));
      const oic = await apiClient(t, { person: w.oic, organisationId: w.force, scopes: [] });
      const supervisor = await apiClient(t, { person: w.supervisor, organisationId: w.force, scopes: [] });
      const caseId = await w.cases.operator.createCase(systemContext(), worldCase(w.force, w.area, w.oic.id, w.prosecutor.id, 'API/J2/26'));
      const params = { caseId };

      // Referred to the CPS before: the investigator asked for early advice.
      const opened = expectStatus(await call(oic, 'GET', '/cases/{caseId}', { params }), 200);
      expectStatus(await call(oic, 'POST', '/cases/{caseId}/early-advice/requests', { params, body: { contents }, headers: { 'if-match': etagOf(opened), 'idempotency-key': 'j2-advice' } }), 201);

      let nfa = expectStatus(await call(oic, 'GET', '/cases/{caseId}/police-nfa', { params }), 200);
      assert.equal(nfa.json().everReferred, true);
      assert.equal(nfa.json().meetingOn, null);
      const today = londonDate(t.clock.now());
      // Outcome 16 needs the victim's withdrawal on her records first, with the conversation with her.
      const victims = expectStatus(await call(oic, 'GET', '/cases/{caseId}/victims', { params }), 200);
      const victimId = victims.json().victims[0].id;
      const withdrawal = { withdrawnOn: today, reason: 'wants_to_move_on', spokenToVictim: true, conversation: { on: today, how: 'in_person', by: 'DC Sam Taylor' }, isvaInvolved: false };
      const withdrew = expectStatus(await call(oic, 'POST', '/cases/{caseId}/victims/{victimId}/withdrawals', { params: { caseId, victimId }, body: withdrawal, headers: { 'if-match': etagOf(victims), 'idempotency-key': 'j2-withdrawal' } }), 201);
      assert.equal(withdrew.json().withdrawals[0].stage, 'early_advice');
      nfa = expectStatus(await call(oic, 'GET', '/cases/{caseId}/police-nfa', { params }), 200);
      assert.equal(nfa.json().withdrawalRecorded, true);
      const proposal = {
        outcomeCode: 16,
        rationale: 'The victim has told us she does not support further action; the evidence cannot go further without her.',
        meeting: { heldOn: today, attendees: 'Officer in the case and the RASSO prosecutor' },
        victimContact: { on: today, method: 'in_person', by: 'DC Sam Taylor', summary: 'The victim does not want the investigation to continue.' },
      };
      // Without the meeting the proposal is refused: the case was referred to the CPS.
      const { meeting: _meeting, ...withoutMeeting } = proposal;
      expectStatus(await call(oic, 'POST', '/cases/{caseId}/police-nfa/proposals', { params, body: withoutMeeting, headers: { 'if-match': etagOf(nfa) } }), 400);
      const proposed = expectStatus(await call(oic, 'POST', '/cases/{caseId}/police-nfa/proposals', { params, body: proposal, headers: { 'if-match': etagOf(nfa), 'idempotency-key': 'j2-proposal' } }), 201);
      assert.equal(proposed.json().meetingOn, today);
      assert.equal(proposed.json().decisions[0].status, 'proposed');
      assert.equal(proposed.json().decisions[0].outcomeCode, 16);

      // The supervisor signs it off.
      nfa = expectStatus(await call(supervisor, 'GET', '/cases/{caseId}/police-nfa', { params }), 200);
      expectStatus(await call(supervisor, 'POST', '/cases/{caseId}/police-nfa/sign-off', { params, body: { victimToldOn: today, victimToldMethod: 'meeting', rightToReviewGiven: true } }), 428);
      const signed = expectStatus(await call(supervisor, 'POST', '/cases/{caseId}/police-nfa/sign-off', {
        params, body: { victimToldOn: today, victimToldMethod: 'meeting', rightToReviewGiven: true }, headers: { 'if-match': etagOf(nfa) },
      }), 200);
      assert.equal(signed.json().stage, 'police_nfa');
      assert.equal(signed.json().decisions[0].status, 'signed_off');

      const final = expectStatus(await call(supervisor, 'GET', '/cases/{caseId}', { params }), 200);
      assert.equal(final.json().case.stage, 'police_nfa');
      const events: { type: string; data: Record<string, unknown> }[] = final.json().events;
      const find = (type: string) => events.find((e) => e.type === type);
      assert.equal(find('conference.recorded')?.data.kind, 'pre_nfa_meeting');
      assert.ok(find('police-nfa.victim-contact-recorded'));
      assert.equal(find('police-nfa.proposed')?.data.outcomeCode, 16);
      assert.equal(find('police-nfa.signed-off')?.data.outcomeCode, 16);
      assert.equal(find('police-nfa.decided')?.data.outcomeCode, 16);
      assert.equal(find('scrutiny.queued')?.data.decision, 'police_nfa');
      assert.equal(find('victim-letter.queued')?.data.letter, 'police-nfa-right-to-review');
      assert.ok(events.some((e) => e.type === 'case.stage-changed' && e.data.to === 'police_nfa'));
    } finally {
      await t.close();
    }
  });
}
