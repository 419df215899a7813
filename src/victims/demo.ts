// Demonstration victims' records on two of the hand-made demo cases: Jess
// Walker (Severn Vale ISVA Service) supports Casey Doyle and Morgan Hale;
// each has an agreed communication plan (Casey's in Welsh, with no post to
// home and no voicemail) and contacts by the officer, the VLO and the ISVA
// in one timeline. Casey's next contact was due six days ago, so it shows as
// overdue. Written with the journal events the commands would write.
import type { Tx } from '../platform/db/transaction.ts';
import { newId } from '../platform/db/ids.ts';
import { openDeadline } from '../platform/deadlines/service.ts';
import { addCalendarDays, londonDate } from '../platform/time/working-days.ts';
import type { PlainDate } from '../platform/time/working-days.ts';
import { CASE_SUBJECT, registerCaseDeadlines } from '../cases/deadlines.ts';
import * as cases from '../cases/repository.ts';
import { CONTACT_RULE } from './communication/model.ts';
import * as communication from './communication/repository.ts';
import type { ContactMethod, Language, Updater } from './model.ts';
import * as repository from './repository.ts';

interface DemoContact {
  readonly daysAgo: number;
  readonly by: string;
  readonly side: 'police' | 'cps' | 'isva';
  readonly role: 'oic' | 'vlo' | 'isva';
  readonly method: ContactMethod;
  readonly summary: string;
}

interface DemoVictim {
  readonly policeReference: string;
  readonly isva: string;
  readonly plan: { readonly daysAgo: number; readonly frequencyDays: number; readonly methods: readonly ContactMethod[]; readonly updaters: readonly Updater[]; readonly language: Language; readonly noVoicemail: boolean; readonly noPostToHome: boolean; readonly safeEmail: string | null; readonly otherRules: string };
  readonly contacts: readonly DemoContact[];
}

const demoVictims: readonly DemoVictim[] = [
  {
    policeReference: 'AS/23187/25',
    isva: 'jess.walker@severnvale-isva.example',
    plan: { daysAgo: 40, frequencyDays: 14, methods: ['phone', 'email', 'through_isva'], updaters: ['oic', 'isva'], language: 'cy', noVoicemail: true, noPostToHome: true, safeEmail: 'c.doyle.safe@example.net', otherRules: 'Call after 6pm on weekdays only. Letters in Welsh, by email.' },
    contacts: [
      { daysAgo: 35, by: 'sam.taylor@avs.police.example', side: 'police', role: 'oic', method: 'phone', summary: 'Explained that early advice has been asked for and what it means.' },
      { daysAgo: 26, by: 'tom.bennett@cps.example', side: 'cps', role: 'vlo', method: 'email', summary: 'Introduced the VLO and how the CPS will keep in touch.' },
      { daysAgo: 20, by: 'jess.walker@severnvale-isva.example', side: 'isva', role: 'isva', method: 'in_person', summary: 'Met at the ISVA office; worried about the wait for advice.' },
    ],
  },
  {
    policeReference: 'AS/23011/25',
    isva: 'jess.walker@severnvale-isva.example',
    plan: { daysAgo: 30, frequencyDays: 7, methods: ['phone', 'text_message'], updaters: ['oic'], language: 'en', noVoicemail: false, noPostToHome: false, safeEmail: null, otherRules: '' },
    contacts: [
      { daysAgo: 10, by: 'jess.walker@severnvale-isva.example', side: 'isva', role: 'isva', method: 'phone', summary: 'Checked in after the interview of the suspect.' },
      { daysAgo: 3, by: 'sam.taylor@avs.police.example', side: 'police', role: 'oic', method: 'phone', summary: 'Update on the investigation plan and the next steps.' },
    ],
  },
];

/** Writes the demo victims' records; `organisations` maps codes to ids and `people` email addresses to ids. */
export async function seedDemoVictims(tx: Tx, organisations: ReadonlyMap<string, string>, people: ReadonlyMap<string, string>, now: string): Promise<number> {
  registerCaseDeadlines();
  const forceId = organisations.get('AVS')!;
  const today = londonDate(now);
  const daysAgo = (days: number): PlainDate => addCalendarDays(today, -days);
  const at = (days: number) => new Date(Date.parse(now) - days * 86_400_000).toISOString();
  let written = 0;
  for (const demo of demoVictims) {
    const kase = await cases.findCaseByForceReference(tx, forceId, demo.policeReference);
    const [victim] = kase ? await repository.victimsOf(tx, kase.id) : [];
    if (!kase || !victim) continue;
    const event = (type: string, data: Record<string, unknown>, actor: string, when: string) =>
      cases.appendEvent(tx, { id: newId(), case_id: kase.id, type, occurred_at: when, recorded_at: when, actor_user_id: actor, data: JSON.stringify(data) });
    const oic = people.get('sam.taylor@avs.police.example')!;
    const isvaId = people.get(demo.isva)!;
    const serviceId = organisations.get('SVI')!;
    const planAt = at(demo.plan.daysAgo);
    await repository.insertIsva(tx, { id: newId(), case_id: kase.id, victim_id: victim.id, isva_user_id: isvaId, isva_service_id: serviceId, started_at: planAt, started_by_user_id: oic, ended_at: null });
    await event('victims.isva.assigned', { victimId: victim.id, isvaUserId: isvaId, isvaServiceId: serviceId }, oic, planAt);
    const { plan } = demo;
    await repository.insertPlan(tx, {
      id: newId(), case_id: kase.id, victim_id: victim.id, revision: 1, frequency_days: plan.frequencyDays, methods: JSON.stringify(plan.methods), updaters: JSON.stringify(plan.updaters),
      preferred_language: plan.language, no_voicemail: plan.noVoicemail ? 1 : 0, no_post_to_home: plan.noPostToHome ? 1 : 0, safe_address: null, safe_phone: null, safe_email: plan.safeEmail,
      other_rules: plan.otherRules, agreed_on: daysAgo(plan.daysAgo), agreed_with_isva_user_id: isvaId, change_reason: null, recorded_by_user_id: oic, recorded_at: planAt,
    });
    await event('victims.communication.plan-agreed', { victimId: victim.id, revision: 1, frequencyDays: plan.frequencyDays, language: plan.language }, oic, planAt);
    for (const contact of demo.contacts) {
      const id = newId();
      const by = people.get(contact.by)!;
      await communication.insertContact(tx, {
        id, case_id: kase.id, victim_id: victim.id, contact_at: at(contact.daysAgo), method: contact.method, reached: 1, voicemail_left: 0, posted_to_home: 0, summary: contact.summary,
        next_contact_on: daysAgo(contact.daysAgo - plan.frequencyDays), by_user_id: by, by_side: contact.side, by_role: contact.role, recorded_at: at(contact.daysAgo),
      });
      await event('victims.communication.contact-logged', { victimId: victim.id, contactId: id, method: contact.method, reached: true, on: daysAgo(contact.daysAgo), by: contact.side }, by, at(contact.daysAgo));
    }
    // The clock of the next contact the latest one set.
    const latest = demo.contacts.at(-1)!;
    const dueOn = daysAgo(latest.daysAgo - plan.frequencyDays);
    const deadline = await openDeadline(tx, { subjectType: CASE_SUBJECT, subjectId: kase.id, ruleKey: CONTACT_RULE, organisationIds: [kase.force_id, kase.cps_area_id], startedOn: dueOn, now: new Date(now) });
    await communication.insertClock(tx, { deadline_id: deadline.id, case_id: kase.id, victim_id: victim.id, contact_id: null, due_on: deadline.dueOn, created_at: now });
    written += 1;
  }
  return written;
}
