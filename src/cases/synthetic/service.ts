// Loading synthetic cases: for the demo, load tests and the national-scale
// benchmark. Cases go to the police forces and CPS Areas already in the
// directory, with their people on the teams. Large loads bypass the case
// commands on purpose: thousands of cases per transaction, many rows per
// statement, one audit entry for the whole run (seeding is an operator
// action), and deadlines written as the rows the sweep reads.
import type { AuditContext } from '../../platform/audit/model.ts';
import { inTransaction } from '../../platform/db/transaction.ts';
import type { Db, Tx } from '../../platform/db/transaction.ts';
import { mostSpecific, parseRuleDefinition } from '../../platform/deadlines/model.ts';
import type { RuleVersion } from '../../platform/deadlines/model.ts';
import type { Platform } from '../../platform/platform.ts';
import { londonDate } from '../../platform/time/working-days.ts';
import type { PlainDate } from '../../platform/time/working-days.ts';
import { Problem } from '../../platform/web/errors.ts';
import { registerCaseDeadlines } from '../deadlines.ts';
import { generateCase } from './model.ts';
import type { GeneratorContext, Pairing, Staff, SyntheticCase } from './model.ts';
import * as repository from './repository.ts';

/** Where a demo force's cases go: its own CPS Area. Other forces are paired with Areas in turn. */
const KNOWN_AREAS: Readonly<Record<string, string>> = { AVS: 'CPS-SW', MPS: 'CPS-LS', WMP: 'CPS-WM', SWP: 'CPS-CW' };

/** The forces (with someone to be officer in the case) and their CPS Areas, from the directory. */
export async function pairingsIn(db: Db | Tx): Promise<Pairing[]> {
  const forces = await repository.organisationsOfKind(db, 'police_force');
  const areas = await repository.organisationsOfKind(db, 'cps_area');
  if (areas.length === 0) return [];
  const staff = new Map<string, Staff[]>();
  for (const row of await repository.caseStaff(db)) {
    const key = `${row.organisation_id}/${row.role}`;
    staff.set(key, [...(staff.get(key) ?? []), { id: row.user_id, name: row.display_name }]);
  }
  const holders = (organisationId: string, ...roles: string[]) => roles.flatMap((role) => staff.get(`${organisationId}/${role}`) ?? []);
  return forces.flatMap((force, i) => {
    const area = areas.find((a) => a.code === KNOWN_AREAS[force.code]) ?? areas[i % areas.length]!;
    const investigators = holders(force.id, 'investigator');
    const supervisors = holders(force.id, 'police_supervisor');
    const oics = investigators.length ? investigators : supervisors;
    if (oics.length === 0) return [];
    return [{
      forceId: force.id,
      forceCode: force.code,
      cpsAreaId: area.id,
      investigators: oics,
      supervisors,
      prosecutors: holders(area.id, 'prosecutor', 'dcp'),
      dcps: holders(area.id, 'dcp'),
      vlos: holders(area.id, 'vlo'),
      paralegals: holders(area.id, 'paralegal'),
    }];
  });
}

/** What the generator needs from the database: the pairings and the deadline rules. */
export async function generatorContext(db: Db | Tx, seed: number, today: PlainDate, latest?: string): Promise<GeneratorContext> {
  const pairings = await pairingsIn(db);
  if (pairings.length === 0) {
    throw new Problem('conflict', 'There is no police force with an investigator or police supervisor, and a CPS Area, to give synthetic cases to. Load the demo or add people first.');
  }
  const rules = new Map<string, RuleVersion[]>();
  for (const row of await repository.ruleRows(db)) {
    const rule: RuleVersion = { key: row.key, version: Number(row.version), organisationId: row.organisation_id, effectiveFrom: row.effective_from, definition: parseRuleDefinition(JSON.parse(row.definition), row.key) };
    rules.set(row.key, [...(rules.get(row.key) ?? []), rule]);
  }
  return { seed, today, ...(latest ? { latest } : {}), pairings, rule: (key, organisationIds, onDate) => mostSpecific(rules.get(key) ?? [], organisationIds, onDate) };
}

/** Generates `count` cases from `first` on and writes them in the caller's transaction (small loads: the demo). */
export async function writeSyntheticCases(tx: Tx, context: GeneratorContext, first: number, count: number): Promise<number> {
  registerCaseDeadlines();
  const batch = Array.from({ length: count }, (_, i) => generateCase(context, first + i));
  await repository.insertCases(tx, repository.engineOf(tx), batch);
  return batch.reduce((sum, c) => sum + c.events.length, 0);
}

export interface SeedOptions {
  readonly cases: number;
  /** The same seed (on the same day, with the same directory) gives the same cases. */
  readonly seed: number;
  readonly context: AuditContext;
  /** Cases per transaction (default 5,000). */
  readonly batchSize?: number;
  /** Called after each committed batch with the number of cases loaded so far. */
  readonly onProgress?: (done: number) => void;
}

export interface SeedResult {
  readonly cases: number;
  readonly events: number;
  readonly people: number;
  readonly deadlines: number;
  /** Cases by stage. */
  readonly stages: Readonly<Record<string, number>>;
}

export const MAX_SEED_CASES = 10_000_000;

/** Loads `cases` synthetic cases in large transactions; one audit entry records the run. */
export async function seedSyntheticCases(platform: Platform, options: SeedOptions): Promise<SeedResult> {
  const { db, engine, audit, clock } = platform;
  if (!Number.isSafeInteger(options.cases) || options.cases < 1 || options.cases > MAX_SEED_CASES) {
    throw new Problem('validation', 'Not a number of cases', [{ field: 'cases', message: `Give a whole number of cases from 1 to ${MAX_SEED_CASES.toLocaleString('en-GB')}` }]);
  }
  if (!Number.isSafeInteger(options.seed) || options.seed < 0 || options.seed > 2 ** 31 - 1) {
    throw new Problem('validation', 'Not a seed', [{ field: 'seed', message: 'Give a whole number from 0 to 2147483647' }]);
  }
  registerCaseDeadlines();
  const today = londonDate(clock.now());
  const context = await generatorContext(db, options.seed, today, clock.now().toISOString());
  const probe = generateCase(context, 0);
  if (await repository.caseWithReference(db, probe.row.force_id, probe.row.police_reference)) {
    throw new Problem('conflict', `Cases from seed ${options.seed} are already loaded (${probe.row.police_reference} exists). Use another --seed, or start from an empty database.`);
  }
  const batchSize = options.batchSize ?? 5_000;
  const totals = { cases: 0, events: 0, people: 0, deadlines: 0 };
  const stages: Record<string, number> = {};
  const large = engine === 'sqlite' && options.cases >= 50_000;
  const cacheBefore = large ? await repository.sqliteCacheSize(db, 512 * 1024) : null;
  // While one batch is being written, the next is generated: in slices, yielding between them, so
  // the driver can send the writing batch's statements (PostgreSQL works on them in its own process).
  let writing: Promise<unknown> = Promise.resolve(null);
  const settle = async () => {
    const failure = await writing;
    if (failure) throw failure;
  };
  try {
    for (let first = 0; first < options.cases; first += batchSize) {
      const count = Math.min(batchSize, options.cases - first);
      const batch: SyntheticCase[] = new Array(count);
      for (let i = 0; i < count; i += 1) {
        batch[i] = generateCase(context, first + i);
        if (i % 250 === 249) await new Promise((resolve) => setImmediate(resolve));
      }
      await settle();
      writing = inTransaction(db, async (tx) => {
        // The run is journalled with its first cases, so nothing is ever loaded unjournalled.
        if (first === 0) {
          await audit.record(tx, options.context, {
            action: 'collect',
            event: 'case.synthetic-seed',
            details: { cases: options.cases, seed: options.seed, today, forces: context.pairings.length },
          });
        }
        await repository.insertCases(tx, engine, batch);
      }).then(
        () => {
          for (const c of batch) {
            totals.events += c.events.length;
            totals.people += c.people.length;
            totals.deadlines += c.deadlines.length;
            stages[c.row.stage] = (stages[c.row.stage] ?? 0) + 1;
          }
          totals.cases += count;
          options.onProgress?.(totals.cases);
          return null;
        },
        (error: unknown) => error,
      );
    }
    await settle();
  } finally {
    if (cacheBefore !== null) await repository.restoreSqliteCacheSize(db, cacheBefore);
  }
  if (engine === 'postgres') await repository.analyse(db);
  return { ...totals, stages };
}
