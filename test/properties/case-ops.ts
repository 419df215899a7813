// Random commands on a case, for the property tests of the case file: the
// case file's own commands (add a person, allocate a role, the manual stage
// move, break glass) and the kernel (`createCaseCommands`) asked to move to
// any stage at all, each claiming a version it read.
import fc from 'fast-check';
import { createCaseCommands } from '../../src/cases/case-commands.ts';
import type { CaseCommands } from '../../src/cases/case-commands.ts';
import { stageNames } from '../../src/cases/model.ts';
import type { Stage } from '../../src/cases/model.ts';
import type { CaseWorld } from '../../src/cases/test-support.ts';
import { newId } from '../../src/platform/db/ids.ts';
import type { Platform } from '../../src/platform/platform.ts';
import { Problem } from '../../src/platform/web/errors.ts';
import type { ProblemType } from '../../src/platform/web/errors.ts';

export const KERNEL_EVENT = 'test.kernel-command';

export type Op =
  | { readonly kind: 'add-person'; readonly valid: boolean; readonly category: 'victim' | 'suspect' | 'witness' }
  | { readonly kind: 'allocate'; readonly by: 'supervisor' | 'dcp'; readonly role: 'oic' | 'supervisor' | 'prosecutor' | 'dcp'; readonly to: 'oic' | 'colleague' | 'supervisor' | 'prosecutor' | 'dcp' }
  | { readonly kind: 'move'; readonly to: Stage }
  | { readonly kind: 'kernel'; readonly by: 'oic' | 'prosecutor' | 'colleague'; readonly to: Stage | null }
  | { readonly kind: 'break-glass' };

export const opArb: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ kind: fc.constant('add-person' as const), valid: fc.boolean(), category: fc.constantFrom('victim' as const, 'suspect' as const, 'witness' as const) }),
  fc.oneof(
    fc.record({ kind: fc.constant('allocate' as const), by: fc.constant('supervisor' as const), role: fc.constantFrom('oic' as const, 'supervisor' as const), to: fc.constantFrom('oic' as const, 'colleague' as const, 'supervisor' as const) }),
    fc.record({ kind: fc.constant('allocate' as const), by: fc.constant('dcp' as const), role: fc.constantFrom('prosecutor' as const, 'dcp' as const), to: fc.constantFrom('prosecutor' as const, 'dcp' as const) }),
  ),
  fc.record({ kind: fc.constant('move' as const), to: fc.constantFrom(...stageNames) }),
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('kernel' as const), by: fc.constantFrom('oic' as const, 'prosecutor' as const, 'colleague' as const), to: fc.option(fc.constantFrom(...stageNames), { nil: null }) }) },
  fc.record({ kind: fc.constant('break-glass' as const) }),
);

/** What a command that succeeded changed, to find again afterwards. */
export type Acknowledged =
  | { readonly kind: 'add-person'; readonly personId: string }
  | { readonly kind: 'allocate'; readonly role: string; readonly userId: string }
  | { readonly kind: 'move'; readonly to: Stage }
  | { readonly kind: 'kernel'; readonly token: string; readonly to: Stage | null }
  | { readonly kind: 'break-glass' };

export type Outcome = { readonly ok: true; readonly change: Acknowledged } | { readonly ok: false; readonly problem: ProblemType };

/**
 * With `bySupervisors`, the police supervisor and the DCP (who may work on
 * every case of their force or Area) stand in for the officer in the case and
 * the prosecutor, so that reallocating the team never takes away the access
 * of whoever issues the next command.
 */
export function caseOps(platform: Platform, w: CaseWorld, options: { bySupervisors?: boolean } = {}) {
  const kernel: CaseCommands = createCaseCommands(platform);
  const people = { oic: w.oic, colleague: w.colleague, supervisor: w.supervisor, prosecutor: w.prosecutor, dcp: w.dcp };
  const worker = (who: 'oic' | 'prosecutor' | 'colleague') => (options.bySupervisors ? (who === 'prosecutor' ? w.dcp : who === 'oic' ? w.supervisor : people[who]) : people[who]);

  /** Runs one command claiming `version`; a Problem is an outcome, anything else is thrown. */
  async function run(caseId: string, op: Op, version: number): Promise<Outcome> {
    try {
      return { ok: true, change: await perform(caseId, op, version) };
    } catch (error) {
      if (error instanceof Problem) return { ok: false, problem: error.type };
      throw error;
    }
  }

  async function perform(caseId: string, op: Op, version: number): Promise<Acknowledged> {
    switch (op.kind) {
      case 'add-person': {
        const name = op.valid ? 'Someone Added' : ' ';
        const by = worker('oic');
        const personId = await w.cases.addPerson(w.actor(by), w.context(by), caseId, { category: op.category, name, dateOfBirth: { day: '', month: '', year: '' } }, version);
        return { kind: 'add-person', personId };
      }
      case 'allocate': {
        const by = people[op.by];
        const userId = people[op.to].id;
        await w.cases.allocate(w.actor(by), w.context(by), caseId, { role: op.role, userId }, version);
        return { kind: 'allocate', role: op.role, userId };
      }
      case 'move': {
        const by = worker('oic');
        await w.cases.moveStage(w.actor(by), w.context(by), caseId, { stage: op.to }, version);
        return { kind: 'move', to: op.to };
      }
      case 'kernel': {
        const by = worker(op.by);
        const loaded = await kernel.load(w.actor(by), w.context(by), caseId, 'work');
        const token = newId();
        await kernel.command(w.actor(by), w.context(by), loaded, version, async () => ({
          events: [{ type: KERNEL_EVENT, data: { token } }],
          ...(op.to ? { stage: op.to } : {}),
          audit: { action: 'alter', event: 'test.kernel-command', details: { token } },
        }));
        return { kind: 'kernel', token, to: op.to };
      }
      case 'break-glass': {
        const row = await platform.db.selectFrom('cases').select('police_reference').where('id', '=', caseId).executeTakeFirstOrThrow();
        await w.cases.breakGlass(w.actor(w.colleague), w.context(w.colleague), { reference: row.police_reference, reason: 'Covering for the officer in the case while on leave' }, new Date(platform.clock.now().getTime() + 3_600_000).toISOString());
        return { kind: 'break-glass' };
      }
    }
  }

  async function version(caseId: string): Promise<number> {
    const row = await platform.db.selectFrom('cases').select('version').where('id', '=', caseId).executeTakeFirstOrThrow();
    return Number(row.version);
  }

  return { run, version };
}

/** Whether an op changes the case (and so claims its version) when it succeeds. */
export function changesCase(op: Op): boolean {
  return op.kind !== 'break-glass';
}
