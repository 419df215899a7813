// The demonstration's quarterly assurance reports for the last complete
// quarter, computed from the demo's cases (hand-made and synthetic) and
// plans: Avon and Somerset Police's, drafted by its plan lead, signed off by
// its escalation lead and published; CPS South West's, drafted by its plan
// lead and waiting for the head of the RASSO unit to sign it off. Each holds
// the plans its organisation owns (the joint local plan is the force's; an
// organisation that owns none is told so). The
// commentary is the demo's own, written to fit whatever the figures show.
// Demo mode only: the demo loader calls this inside its own transaction and
// journals the seeding.
import type { Tx } from '../../platform/db/transaction.ts';
import { londonDate } from '../../platform/time/working-days.ts';
import { lastCompleteQuarter } from './model.ts';
import type { ExceptionKey, Figures } from './model.ts';
import { writeSeededReport } from './service.ts';

const exceptionCommentary: Record<ExceptionKey, (figures: Figures) => string> = {
  'early-advice-timeliness': (f) => f.organisation.kind === 'cps_area'
    ? 'Two prosecutors were on long-term leave for most of the quarter and requests were shared across the unit. A duty lawyer now triages every request on the day it arrives, and the DCP reviews any request at day 14 that has no advice drafted.'
    : 'The delays were on the CPS side; the force raised them at the JOIM, and the CPS has put a duty lawyer in place to triage requests on arrival.',
  'prfi-90-days': () => 'Each case pending a response for 90 days or more was reviewed at the JOIM. The Detective Superintendent has agreed dates with the CPS for the oldest, and administrative finalisation is being considered where the outstanding actions cannot be answered.',
  'plan-actions-overdue': () => 'The overdue actions have new dates agreed by the RASSO board and are tracked in the plan.',
};

function commentary(figures: Figures, summary: string): Record<string, string> {
  return {
    summary,
    plans: figures.plans.length ? 'Progress on our local plan is shown by theme below; the plan is reviewed jointly with our CPS or police partner every six months.' : 'The organisation delivers the national joint action plan and holds no local plan of its own on the platform.',
    prfi: 'Every case pending a response was reviewed at the monthly JOIM, and non-responses were escalated through the ladder.',
    ...Object.fromEntries(figures.exceptions.map((e) => [`exception.${e.key}`, exceptionCommentary[e.key](figures)])),
  };
}

/** Writes the two reports; `organisations` maps demo codes to ids and `people` email addresses to ids. Answers how many were written. */
export async function seedDemoAssurance(tx: Tx, organisations: ReadonlyMap<string, string>, people: ReadonlyMap<string, string>, now: string): Promise<number> {
  const at = new Date(now);
  const quarter = lastCompleteQuarter(londonDate(at));
  const nadia = people.get('nadia.hussain@avs.police.example')!;
  await writeSeededReport(tx, {
    organisation: { id: organisations.get('AVS')!, name: 'Avon and Somerset Police', kind: 'police_force' },
    quarter,
    draftedBy: nadia,
    signedOffBy: people.get('mark.ellis@avs.police.example')!,
    publishedBy: people.get('mark.ellis@avs.police.example')!,
    commentary: (figures) => commentary(figures, 'Operation Bluestone continued to embed joint case progression with CPS South West. The figures below are computed from the joint case file; the JOIM reviewed them before sign-off.'),
    now: at,
  });
  await writeSeededReport(tx, {
    organisation: { id: organisations.get('CPS-SW')!, name: 'CPS South West', kind: 'cps_area' },
    quarter,
    draftedBy: nadia,
    commentary: (figures) => commentary(figures, 'A draft for the Area Performance Review: the RASSO unit’s figures for the quarter, with the head of the RASSO unit to sign off.'),
    now: at,
  });
  return 2;
}
