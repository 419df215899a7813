// Accessibility fixtures of the victims' records (src/victims): a case of
// their own, taken through the charging forms to a CPS decision not to
// charge (so the Victims' Code ledger has an entitlement awaiting proof and a
// CPS right-to-review request can be made), with the member as officer in the
// case and the prosecutor on its team. Its victim has an ISVA, an agreed
// communication plan and a contact, a draft police letter, a device and a
// third-party material request (recorded by a police supervisor after saying
// why), a special measures application, a withdrawal and a CPS request for
// review, each made through the forms, so that every page about one of them,
// and every form that acts on one, has one to show.
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { createCasesService } from '../../../src/cases/service.ts';
import { systemContext } from '../../../src/platform/audit/model.ts';
import { addCalendarDays, londonDate } from '../../../src/platform/time/working-days.ts';
import { ID, dateFields, idsOnPage, sendForm } from '../../support/accessibility.ts';
import type { AccessibilityBase, ModuleFixtures } from '../../support/accessibility.ts';
import type { ServedApp } from '../../support/browser.ts';

const VICTIM = '/cases/:caseId/victims/:victimId';

export async function prepare(served: ServedApp, base: AccessibilityBase): Promise<ModuleFixtures> {
  const { t } = served;
  const { member, prosecutor } = base;
  const isvaService = await t.organisation('ISVA-BRS', 'isva_service', 'Bristol ISVA service');
  const isva = await t.person({ email: 'isla.grant@bristolisva.example', name: 'Isla Grant', roles: [[isvaService, 'isva']] });
  // Supervises the case by role, so may open the devices and third-party material, once they say why.
  const supervisor = await t.person({ email: 'ruth.adeyemi@avs.police.uk', name: 'Ruth Adeyemi', roles: [[base.force, 'police_supervisor']] });
  const caseId = await createCasesService(t.platform).operator.createCase(systemContext(), {
    policeReference: 'AS/20002/25', forceId: base.force, cpsAreaId: base.cpsArea, offenceClass: 'rape_16_plus', reportedOn: '2025-02-14', path: ['investigation'],
    people: [{ category: 'victim', name: 'Casey Doyle', dateOfBirth: '1994-08-12' }, { category: 'suspect', name: 'Suspect Two' }],
    team: [{ userId: member.id, organisationId: base.force, role: 'oic' }, { userId: prosecutor.id, organisationId: base.cpsArea, role: 'prosecutor' }],
  });
  const today = londonDate(t.clock.now());
  const yesterday = addCalendarDays(today, -1);
  const police = await t.signIn(member);
  const cps = await t.signIn(prosecutor);
  const caseBase = `/cases/${caseId}`;

  // Referred, triaged and decided not to charge, as the charging forms do: the case is at 'CPS no further action'.
  const [suspectId] = await idsOnPage(police, `${caseBase}/charging/referral`, new RegExp(`name="suspectIds"[^>]*value="${ID}"`), 'the referral offers the suspect');
  await sendForm(police, `${caseBase}/charging/referral`, { test: 'full_code', suspectIds: suspectId!, notRequestedReason: 'straightforward', notRequestedDetail: 'Admissions in interview.' }, 'referring for a charging decision');
  await sendForm(cps, `${caseBase}/charging/triage`, { items: ['mg3_complete', 'evidence_summarised'], result: 'accepted', reasons: '' }, 'triaging the referral');
  await sendForm(cps, `${caseBase}/charging/decision`, { suspectId: suspectId!, decision: 'nfa_evidential', reasons: 'The evidential stage is not met.' }, 'deciding not to charge');

  const [victimId] = await idsOnPage(police, `${caseBase}/victims`, new RegExp(`${caseBase}/victims/${ID}`), 'the case lists its victim');
  const victimBase = `${caseBase}/victims/${victimId}`;

  // Communication: the ISVA, an agreed plan and a contact.
  await sendForm(police, `${victimBase}/communication/isva`, { isva: isva.id }, 'recording the victim’s ISVA');
  await sendForm(police, `${victimBase}/communication/plan`, {
    frequencyDays: '14', methods: ['phone', 'email'], updaters: ['oic', 'isva'], preferredLanguage: 'en', safety: ['noVoicemail'],
    safePhone: '07700 900123', ...dateFields('agreedOn', yesterday), agreedWithIsva: 'yes',
  }, 'agreeing the communication plan');
  await sendForm(police, `${victimBase}/communication/contacts/new`, { ...dateFields('on', yesterday), at: '10:30', method: 'phone', reached: 'yes', summary: 'Explained the charging decision and the right to review.' }, 'logging a contact');

  // A draft police letter: its page, its PDF and the form recording how it was sent.
  const letterAt = await sendForm(police, `${victimBase}/letters/new`, { action: 'create', template: 'hello', language: 'en', contactDetails: '0117 496 0000' }, 'making a letter');
  const letterId = new RegExp(`/letters/${ID}$`).exec(letterAt)?.[1];
  assert.ok(letterId, `making a letter led to ${letterAt}`);

  // The compartments: a device, taken under PACE, and a request to a counselling service.
  const supervising = await t.signIn(supervisor);
  const reveal = async (compartment: string) => {
    const sent = await supervising.post(`${victimBase}/${compartment}/reveal`, { category: 'record_or_update', reason: 'Recording what was seized and requested today' });
    assert.equal(sent.statusCode, 303, `recording why the supervisor opens the ${compartment}: ${sent.statusCode}`);
  };
  await reveal('devices');
  await sendForm(supervising, `${victimBase}/devices/new`, {
    deviceType: 'phone', description: 'The victim’s mobile phone', ownerRole: 'victim', lineOfEnquiry: 'Messages from the suspect on the night.', power: 'pace_s19', dpnVersion: '', ...dateFields('takenOn', yesterday),
  }, 'recording a device');
  const [deviceId] = await idsOnPage(supervising, `${victimBase}/devices`, new RegExp(`/devices/${ID}/extraction`), 'the device can be extracted');
  await reveal('third-party-material');
  await sendForm(supervising, `${victimBase}/third-party-material/new`, {
    holder: 'counselling', rationale: 'Necessary to check for any account of the offence; limited to the months after it.', atEarlyAdvice: 'no', ...dateFields('requestedOn', today),
  }, 'recording a third-party material request');
  const [tpmId] = await idsOnPage(supervising, `${victimBase}/third-party-material`, new RegExp(`/third-party-material/${ID}/outcome`), 'the request awaits its outcome');

  // Court support: an application for screens, awaiting the court's decision.
  await sendForm(cps, `${victimBase}/court-support/applications/new`, { measure: 'screens', ...dateFields('appliedOn', today), appliedBy: 'Dan Okafor', victimView: 'She wants screens so that she does not see the suspect.' }, 'applying for a special measure');
  const [applicationId] = await idsOnPage(cps, `${victimBase}/court-support`, new RegExp(`/court-support/applications/${ID}/decision`), 'the application awaits a decision');

  // A withdrawal of support after a conversation with the victim, not yet followed by re-engagement.
  await sendForm(police, `${victimBase}/withdrawal/new`, {
    ...dateFields('withdrawnOn', today), reason: 'length_of_process', reasonDetail: '', spokenToVictim: 'yes', ...dateFields('spokenOn', today), spokenHow: 'phone', spokenBy: 'DC Sam Jones', isvaInvolved: 'yes',
  }, 'recording a withdrawal');
  const [withdrawalId] = await idsOnPage(police, `${victimBase}/withdrawal`, new RegExp(`/withdrawal/${ID}/re-engagement`), 'the withdrawal can be followed by re-engagement');

  // A CPS request for review, open at local resolution: it may be acknowledged, escalated and decided.
  await sendForm(cps, `${victimBase}/rights/review/new`, { scheme: 'cps', ...dateFields('toldOn', today), ...dateFields('receivedOn', today), lateReason: '' }, 'recording a request for review');
  const [reviewId] = await idsOnPage(cps, `${victimBase}/rights/review`, new RegExp(`/rights/review/${ID}/acknowledge`), 'the request can be acknowledged');

  return {
    people: {
      isva: { person: isva },
      supervisor: {
        person: supervisor,
        // A reveal lasts 20 minutes of the app's clock, which each sign-in moves on: say why again at each one.
        afterSignIn: async (page, baseUrl) => {
          for (const compartment of ['devices', 'third-party-material']) await revealThroughPages(page, `${baseUrl}${victimBase}/${compartment}`);
        },
      },
    },
    routes: {
      // Each version of the victim's records: the officer's, the CPS side's and the ISVA's.
      '/cases/:caseId/victims': { params: { caseId, victimId: victimId! }, visitors: ['member', 'prosecutor', 'isva'] },
      // Without a reveal (the member) and with one (the supervisor).
      [`${VICTIM}/devices`]: { params: { deviceId: deviceId! }, visitors: ['member', 'supervisor'] },
      [`${VICTIM}/third-party-material`]: { params: { requestId: tpmId! }, visitors: ['member', 'supervisor'] },
      // The case side's parts: the police (reading, or recording their side) and the CPS.
      [`${VICTIM}/rights`]: { visitors: ['member', 'prosecutor'] },
      [`${VICTIM}/rights/review`]: { params: { requestId: reviewId! } },
      [`${VICTIM}/letters`]: { params: { letterId }, visitors: ['member', 'prosecutor'] },
      [`${VICTIM}/court-support`]: { params: { applicationId: applicationId! }, visitors: ['member', 'prosecutor'] },
      [`${VICTIM}/withdrawal`]: { params: { withdrawalId: withdrawalId! }, visitors: ['member', 'prosecutor'] },
      // The ISVA's own clients, and the list as someone with none sees it.
      '/victims': { visitors: ['isva', 'member'] },
    },
  };
}

/** Opens a compartment and, if it asks why, says why through its form. */
async function revealThroughPages(page: Page, url: string): Promise<void> {
  await page.goto(url);
  const form = page.locator('main form[action$="/reveal"]');
  if ((await form.count()) === 0) return;
  await form.locator('input[name="category"][value="supervision"]').check();
  await form.locator('textarea[name="reason"]').fill('Supervisory review of the victim’s records');
  const loaded = page.waitForEvent('load');
  await form.locator('button').first().click();
  await loaded;
  assert.equal(await page.locator('main form[action$="/reveal"]').count(), 0, `${url}: the reveal was not accepted`);
}
