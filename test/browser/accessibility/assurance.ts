// Accessibility fixtures of quarterly assurance reports
// (src/governance/assurance). A force of its own, whose joint plan has an
// action past its target date and not done, so every report of the force has
// the overdue-actions exception. Through the assurance service, as the
// force's plan lead (drafter) and escalation lead (signer) would, one report
// for each of the last four complete quarters: a draft with commentary on two
// sections and its exception still unexplained (its commentary, refresh and
// sign-off forms, the sign-off checklist showing what is missing); one signed
// off (the publish form); one published (the reopen form); and one published
// and reopened as version 2 (a numbered version that is no longer the
// latest). A national analyst reads the published ones.
import { inTransaction } from '../../../src/platform/db/transaction.ts';
import { addMonths } from '../../../src/platform/deadlines/model.ts';
import { addCalendarDays, londonDate } from '../../../src/platform/time/working-days.ts';
import { writePlanMadeHere } from '../../../src/plans/service.ts';
import { quarterKey, quarterStart, recentQuarters } from '../../../src/governance/assurance/model.ts';
import type { Quarter } from '../../../src/governance/assurance/model.ts';
import { createAssuranceService } from '../../../src/governance/assurance/service.ts';
import type { AccessibilityBase, ModuleFixtures } from '../../support/accessibility.ts';
import type { ServedApp } from '../../support/browser.ts';

const EXCEPTION = 'exception.plan-actions-overdue';

export async function prepare(served: ServedApp, base: AccessibilityBase): Promise<ModuleFixtures> {
  const { t } = served;
  const force = await t.organisation('ASR-DPP', 'police_force', 'Dyfed-Powys Police');
  const drafter = await t.person({ email: 'rhian.pritchard@assurance.dyfed-powys.example', name: 'Rhian Pritchard', roles: [[force, 'plan_lead']] });
  const signer = await t.person({ email: 'carys.bevan@assurance.dyfed-powys.example', name: 'Carys Bevan', roles: [[force, 'escalation_lead']] });
  const nationalReader = await t.person({ email: 'tomasz.nowak@assurance.rasso.example', name: 'Tomasz Nowak', roles: [[base.national, 'analyst']] });
  const now = t.clock.now();
  const today = londonDate(now);
  const [draftQuarter, signedQuarter, publishedQuarter, reopenedQuarter] = recentQuarters(today, 4);
  // Due a month into the oldest quarter and not done: overdue at the end of every quarter reported on.
  const targetOn = addCalendarDays(quarterStart(reopenedQuarter!), 30);
  await inTransaction(t.platform.db, (tx) => writePlanMadeHere(tx, {
    level: 'force', title: 'Dyfed-Powys RASSO improvement plan', period: 'Rolling', owners: ['Dyfed-Powys Police'], statusScheme: 'rag', reviewCycleMonths: 6,
    themes: [{
      title: 'Supporting victims through the investigation',
      description: null,
      actions: [
        { number: 1, text: 'Agree a referral route to the ISVA service for every victim who wants one', owners: ['Dyfed-Powys Police'], leadUserId: drafter.id, targetOn, status: 'amber' },
        { number: 2, text: 'Publish the victims’ update standard to every RASSO officer', owners: ['Dyfed-Powys Police'], leadUserId: null, targetOn: null, status: 'complete' },
      ],
    }],
  }, { ownerOrganisationId: force, by: drafter.id, nextReviewOn: addMonths(today, 6), now }));

  const assurance = createAssuranceService(t.platform);
  const drafting = [t.actor(drafter), t.auditContext(drafter)] as const;
  const signing = [t.actor(signer), t.auditContext(signer)] as const;
  /** A report of the quarter with its sections' commentary (and the exception's, if `explained`); answers its id and version. */
  const draft = async (quarter: Quarter, explained: boolean) => {
    const reportId = await assurance.start(...drafting, { quarter: quarterKey(quarter) });
    let version = await assurance.saveCommentary(...drafting, reportId, 'summary', 'Steady progress on the plan; one action is behind its target date.', 1);
    version = await assurance.saveCommentary(...drafting, reportId, 'plans', 'The ISVA referral route is agreed in principle and waits for the service’s capacity review.', version);
    if (explained) version = await assurance.saveCommentary(...drafting, reportId, EXCEPTION, 'The referral route slipped while the ISVA service reviewed its capacity; the board agreed a new date.', version);
    return { reportId, version };
  };
  const signedOff = async (quarter: Quarter) => {
    const { reportId, version } = await draft(quarter, true);
    return { reportId, version: await assurance.signOff(...signing, reportId, version) };
  };
  const published = async (quarter: Quarter) => {
    const { reportId, version } = await signedOff(quarter);
    return { reportId, version: await assurance.publish(...signing, reportId, version) };
  };

  const drafted = await draft(draftQuarter!, false);
  const signed = await signedOff(signedQuarter!);
  const inForce = await published(publishedQuarter!);
  const revised = await published(reopenedQuarter!);
  await assurance.reopen(...drafting, revised.reportId, 'The early advice figures were corrected after the CPS Area’s data review.', revised.version);

  return {
    people: { assuranceDrafter: { person: drafter }, assuranceSigner: { person: signer }, assuranceNationalReader: { person: nationalReader } },
    routes: {
      // The force's managers read their own reports; national analysts read what is published.
      '/assurance': { visitors: ['assuranceDrafter', 'assuranceSigner', 'assuranceNationalReader'] },
      '/assurance/new': { visitors: ['assuranceDrafter'] },
      '/assurance/:reportId': { params: { reportId: drafted.reportId }, visitors: ['assuranceDrafter', 'assuranceSigner'] },
      '/assurance/:reportId/commentary/:section': { params: { section: EXCEPTION }, visitors: ['assuranceDrafter'] },
      '/assurance/:reportId/refresh': { visitors: ['assuranceDrafter'] },
      '/assurance/:reportId/sign-off': { visitors: ['assuranceSigner'] },
      '/assurance/:reportId/publish': { params: { reportId: signed.reportId }, visitors: ['assuranceSigner'] },
      '/assurance/:reportId/reopen': { params: { reportId: inForce.reportId }, visitors: ['assuranceDrafter'] },
      // Version 1, published and still in force while version 2 is drafted: no longer the latest for the force, the latest nationally.
      '/assurance/:reportId/versions/:number': { params: { reportId: revised.reportId, number: '1' }, visitors: ['assuranceDrafter', 'assuranceSigner', 'assuranceNationalReader'] },
      // The draft version 2, printed.
      '/assurance/:reportId/versions/:number/print': { params: { number: '2' }, visitors: ['assuranceDrafter', 'assuranceSigner'] },
    },
  };
}
