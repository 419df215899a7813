// The anonymised pack. First the scrubber on its own: every name the case
// file knows (whole, in parts, in capitals), references, dates of birth, the
// victim's safe address, telephone and email, and anything shaped like an
// email, telephone number, postcode, date, reference or street address, is
// replaced, while the words of a rationale stay readable. Then, on both
// engines, identifiers are planted in every source field of two cases (the
// people, their dates of birth, crime reference, URN, court case number, the
// victim's communication plan and contacts, a case note, the police NFA
// rationale and the CPS reasons), the cases are selected for a panel, and
// none of it is found in the packs' pages, the API's JSON or the exports.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { engines } from '../../../test/support/databases.ts';
import { apiClient } from '../../platform/api/test-support.ts';
import { createDetailsService } from '../../cases/details/service.ts';
import { createCommunicationService } from '../../victims/communication/service.ts';
import { victimsOf } from '../../victims/repository.ts';
import { scrubberFor } from './anonymise.ts';
import { scrutinyTestApp, unsoundReview, worldPanel } from './test-support.ts';

const known = {
  names: ['Roxanne Whitfield-Adebayo', 'Declan Mortimer', 'Sam Taylor'],
  references: ['AS/77123/26', '52AS7712326'],
  addresses: ['14 Larkspur Crescent, Bishopston, Bristol BS7 8QX'],
  phones: ['07700 900461'],
  emails: ['roxy.w@example.net'],
};

test('the scrubber replaces every known identifier and everything shaped like one, and leaves the rest readable', () => {
  const scrub = scrubberFor(known);
  const cases: [string, string][] = [
    ['Roxanne Whitfield-Adebayo reported it.', '[name] reported it.'],
    ['ROXANNE WHITFIELD-ADEBAYO and roxanne whitfield-adebayo', '[name] and [name]'],
    ['Roxanne said Mortimer’s car was there; Whitfield and Adebayo agreed.', '[name] said [name]’s car was there; [name] and [name] agreed.'],
    ['DC Taylor spoke to her.', 'DC [name] spoke to her.'],
    ['Crime AS/77123/26, AS 77123 26 and URN 52 AS 77123 26.', 'Crime [reference], [reference] and URN [reference].'],
    ['She lives at 14 Larkspur Crescent, Bishopston.', 'She lives at [address], [address].'],
    ['Call 07700 900461, 07700900461 or +44 7700 900 461.', 'Call [phone], [phone] or [phone].'],
    ['Email roxy.w@example.net or ROXY.W@EXAMPLE.NET.', 'Email [email] or [email].'],
    ['Other emails: j.smith+rasso@mail.example.co.uk', 'Other emails: [email]'],
    ['Postcodes BS7 8QX, bs78qx and SW1A 1AA.', 'Postcodes [postcode], [postcode] and [postcode].'],
    ['Born 14/07/1993, 14.07.93, 1993-07-14, 14 July 1993, 14th of July, July 14, 1993 and July 1993.', 'Born [date], [date], [date], [date], [date], [date] and [date].'],
    ['Landline 0117 496 0321 and (0117) 4960321.', 'Landline [phone] and [phone].'],
    ['Another crime 5223001234 and 47-000123-24.', 'Another crime [number] and [reference].'],
    ['Linked to 52 AB 12345 25, 52AB1234525 and WM 20451 24.', 'Linked to [reference], [reference] and [reference].'],
    ['Moved to Flat 3, 22 Harbour Road near Station Street.', 'Moved to [address], [address] near [address].'],
  ];
  for (const [text, expected] of cases) assert.equal(scrub(text), expected, text);
  const plain = 'The victim was interviewed under ABE on day 3; the CPS advised an action plan under the Sexual Offences Act 2003, section 1. Outcome 16 was not used.';
  assert.equal(scrub(plain), plain, 'ordinary words, days and statutes survive');
});

test('property: emails, telephone numbers, postcodes and dates put anywhere in a sentence never survive', () => {
  const scrub = scrubberFor({ names: [], references: [], addresses: [], phones: [], emails: [] });
  const months = ['January', 'Feb', 'March', 'apr', 'May', 'June', 'Jul', 'August', 'Sept', 'October', 'Nov', 'December'];
  const identifier = fc.oneof(
    fc.tuple(fc.stringMatching(/^[a-z][a-z0-9._]{0,10}[a-z0-9]$/), fc.stringMatching(/^[a-z]{2,10}$/), fc.constantFrom('com', 'org', 'example', 'co.uk')).map(([local, domain, tld]) => `${local}@${domain}.${tld}`),
    fc.tuple(fc.constantFrom('07', '01', '02', '+44 7'), fc.integer({ min: 100, max: 999 }), fc.integer({ min: 100000, max: 999999 }), fc.constantFrom(' ', '', '-')).map(([prefix, a, b, sep]) => `${prefix}${a}${sep}${b}`),
    fc.tuple(fc.constantFrom('BS7', 'SW1A', 'M1', 'CF10', 'LS6', 'B33'), fc.integer({ min: 1, max: 9 }), fc.constantFrom('AA', 'QX', 'DJ', 'ZZ'), fc.constantFrom(' ', '')).map(([area, n, unit, sep]) => `${area}${sep}${n}${unit}`),
    fc.tuple(fc.integer({ min: 1, max: 28 }), fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1950, max: 2030 })).map(([d, m, y]) => `${d}/${m}/${y}`),
    fc.tuple(fc.integer({ min: 1, max: 28 }), fc.constantFrom(...months), fc.integer({ min: 1950, max: 2030 })).map(([d, m, y]) => `${d} ${m} ${y}`),
  );
  fc.assert(fc.property(fc.constantFrom('She said', 'On', 'Contact:', 'Seen at'), identifier, fc.constantFrom('.', ' today.', ', then left.'), (before, id, after) => {
    const scrubbed = scrub(`${before} ${id}${after}`);
    assert.ok(!scrubbed.includes(id), `${id} survived in: ${scrubbed}`);
  }), { numRuns: 500 });
});

for (const engine of engines) {
  test(`${engine}: identifiers planted in every source field of a case are in no pack, page, API answer or export`, async () => {
    const { t, w } = await scrutinyTestApp(engine);
    try {
      const communication = createCommunicationService(t.platform);
      const details = createDetailsService(t.platform);
      const notes = details;
      const version = async (caseId: string) => (await w.cases.caseFile(w.actor(w.oic), w.context(w.oic), caseId)).summary.version;
      const planted = {
        victim: 'Roxanne Whitfield-Adebayo', suspect: 'Declan Mortimer', witness: 'Priyanka Osei',
        victimBorn: '1993-07-14', suspectBorn: '1988-11-02', reference: 'AS/77123/26', urn: '52AS7712326', court: 'T20267001234',
        address: '14 Larkspur Crescent, Bishopston, Bristol BS7 8QX', phone: '07700 900461', email: 'roxy.w@example.net',
      };
      const rationale = [
        `${planted.victim} (DOB 14/07/1993) reported on 3 January 2026 that ${planted.suspect}, born 2 November 1988, attacked her at 14 Larkspur Crescent, BS7 8QX.`,
        `Witness ${planted.witness} (${planted.phone}, priyanka.osei@mail.example) saw them. ROXANNE later moved to Flat 3, 22 Harbour Road, BS1 4DJ.`,
        `Refs ${planted.reference}, URN 52 AS 77123 26, court ${planted.court}, also crime 5223001234. DC Taylor and Daniel Okafor met on 2026-02-02 and again on 04.02.26.`,
        `Mortimer's account (interviewed 9th of January) was a denial; call Roxanne on +44 7700 900461 or 0117 496 0321; email ${planted.email}.`,
      ].join('\n');
      const people = [
        { category: 'victim' as const, name: planted.victim, dateOfBirth: planted.victimBorn },
        { category: 'suspect' as const, name: planted.suspect, dateOfBirth: planted.suspectBorn },
        { category: 'witness' as const, name: planted.witness },
      ];
      const prepare = (urn: string) => async (caseId: string) => {
        const [victim] = await victimsOf(t.platform.db, caseId);
        const on = { day: '03', month: '01', year: '2026' };
        const plan = await communication.recordPlan(w.actor(w.oic), w.context(w.oic), caseId, victim!.id, {
          frequencyDays: '14', methods: ['phone', 'email'], updaters: ['oic'], preferredLanguage: 'en', noVoicemail: true, noPostToHome: true,
          safeAddress: planted.address, safePhone: planted.phone, safeEmail: planted.email, otherRules: `Ask for ${planted.victim} only; never call before 6pm.`,
          agreedOn: on, agreedWithIsva: false, changeReason: '',
        }, await version(caseId));
        await communication.logContact(w.actor(w.oic), w.context(w.oic), caseId, victim!.id, {
          on, at: '08:30', method: 'phone', reached: 'yes', voicemailLeft: false, postedToHome: false,
          summary: `Spoke to ${planted.victim} on ${planted.phone}; she is staying at 14 Larkspur Crescent.`, nextContactOn: { day: '', month: '', year: '' },
        }, plan.version);
        await details.changeDetails(w.actor(w.oic), w.context(w.oic), caseId, { cpsUrn: urn, courtCaseNumber: urn === planted.urn ? planted.court : 'T20267001235' }, await version(caseId));
        await notes.addNote(w.actor(w.oic), w.context(w.oic), caseId, { kind: 'fact', text: `${planted.suspect} lives near ${planted.victim} at BS7 8QX.` }, await version(caseId));
      };
      const policeCase = await w.policeNfa({ reference: planted.reference, reportedOn: '2026-01-03', decidedOn: '2026-02-10', rationale, people, prepare: prepare(planted.urn) });
      const cpsCase = await w.cpsNfa({ reference: 'AS/77124/26', reportedOn: '2026-01-03', decidedOn: '2026-02-12', rationale, people, prepare: prepare('52AS7712426') });
      t.clock.set('2026-04-15T10:00:00Z');
      const panelId = await worldPanel(w);
      const roundId = await w.scrutiny.selectCases(...w.as(w.escalationLead), panelId, {
        from: { day: '1', month: '2', year: '2026' }, to: { day: '28', month: '2', year: '2026' }, kinds: ['police_nfa', 'cps_nfa'], method: 'all', sampleSize: '', seed: '',
      }, 4);
      const packs = await t.platform.db.selectFrom('scrutiny_cases').select(['id', 'case_id', 'pack']).where('round_id', '=', roundId).execute();
      assert.deepEqual(packs.map((p) => p.case_id).sort(), [policeCase, cpsCase].sort());
      // The rationale is there, scrubbed: the panel can still read what the decision rested on.
      const stored = JSON.parse(packs.find((p) => p.case_id === policeCase)!.pack);
      assert.match(stored.decisions[0].rationale, /^\[name\] \(DOB \[date\]\) reported on \[date\] that \[name\], born \[date\], attacked her at \[address\], \[postcode\]\./);
      assert.equal(stored.communication.contacts, 1);
      assert.deepEqual(stored.communication.methods, [{ method: 'phone', count: 1 }]);
      assert.deepEqual(stored.victims.ageBands, ['25_to_34']);

      // Everything the panel (and anyone it shares with) can get.
      for (const pack of packs) {
        await w.scrutiny.submitReview(...w.as(w.external), pack.id, unsoundReview, null);
        await w.scrutiny.agreeFindings(...w.as(w.escalationLead), pack.id, { ...unsoundReview, learning: 'Request CCTV early.' }, 1);
      }
      const externalAgent = await t.signIn(w.external);
      const chairAgent = await t.signIn(w.escalationLead);
      const api = await apiClient(t, { person: w.external, organisationId: w.isvaService });
      const outputs: { where: string; body: string }[] = [];
      const get = async (where: string, answer: Promise<{ statusCode: number; body: string }>) => {
        const response = await answer;
        assert.equal(response.statusCode, 200, `${where}: ${response.body.slice(0, 200)}`);
        // Ids, CSRF tokens and nonces are random: any digits they hold by chance are not a leak.
        outputs.push({ where, body: response.body.replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi, '<id>').replace(/[A-Za-z0-9_+/=-]{22,}/g, '<token>') });
      };
      for (const pack of packs) {
        await get(`pack page ${pack.id}`, externalAgent.get(`/scrutiny/packs/${pack.id}`));
        await get(`pack page for the chair ${pack.id}`, chairAgent.get(`/scrutiny/packs/${pack.id}`));
        await get(`pack API ${pack.id}`, api.get(`/api/v1/scrutiny/packs/${pack.id}`));
      }
      await get('round page', externalAgent.get(`/scrutiny/panels/${panelId}/rounds/${roundId}`));
      await get('round API', api.get(`/api/v1/scrutiny/panels/${panelId}/rounds/${roundId}`));
      await get('panel page', externalAgent.get(`/scrutiny/panels/${panelId}`));
      await get('panel API', api.get(`/api/v1/scrutiny/panels/${panelId}`));
      await get('themes page', externalAgent.get(`/scrutiny/panels/${panelId}/themes`));
      await get('themes export', externalAgent.get(`/scrutiny/panels/${panelId}/themes.csv`));
      await get('themes API', api.get(`/api/v1/scrutiny/panels/${panelId}/themes?view=panel`));
      assert.ok(outputs.some((o) => o.body.includes('[name]')), 'the scrubbed rationale is shown');

      const forbidden = [
        planted.victim, 'Roxanne', 'ROXANNE', 'Whitfield', 'Adebayo', planted.suspect, 'Declan', 'Mortimer', planted.witness, 'Priyanka', 'Osei',
        'Taylor', 'Okafor', 'Priya Shah',
        planted.reference, 'AS/77124/26', '77123', '77124', planted.urn, '52AS7712426', '52 AS', planted.court, 'T20267001235', '5223001234',
        planted.victimBorn, '14/07/1993', '1993', '1988', '2 November', '2026-02-02', '04.02.26', '3 January', '9th of January', '2026-01-03', '2026-02-10', '2026-02-12',
        'Larkspur', 'Bishopston', 'BS7', '8QX', 'Harbour Road', 'Flat 3', 'BS1 4DJ',
        planted.phone, '900461', '900 461', '0117', '496 0321', planted.email, 'roxy.w', 'priyanka.osei', 'mail.example',
      ];
      for (const { where, body } of outputs) {
        for (const identifier of forbidden) assert.ok(!body.includes(identifier), `${where} contains "${identifier}"`);
      }
      // The town too (pages name the test's ISVA service, in Bristol, as the external member's organisation: the packs must not).
      for (const { where, body } of outputs.filter((o) => /^(pack|round) API/.test(o.where))) assert.ok(!body.includes('Bristol'), `${where} contains the victim’s town`);
    } finally {
      await t.close();
    }
  });
}
