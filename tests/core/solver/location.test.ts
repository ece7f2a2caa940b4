import { describe, expect, it } from 'vitest';
import { cpmpInstance } from '../../../src/core/solver/cpmp-instances';
import { checkAssignment, evaluate, type SolverInstance } from '../../../src/core/solver/instance';
import { solveLocationExact } from '../../../src/core/solver/exact-location';
import { lagrangianBound } from '../../../src/core/solver/lagrangian';
import { solve } from '../../../src/core/solver/solve';
import { bruteForceAssignment, bruteForceLocation } from './brute-force';

/** Tight instances small enough for the exhaustive reference (every site pair or triple, every assignment). */
const tight = [
  { points: 8, p: 2, slack: 0.05, seed: 1 },
  { points: 8, p: 3, slack: 0.08, seed: 2 },
  { points: 9, p: 2, slack: 0.03, seed: 3 },
  { points: 8, p: 3, slack: 0.05, seed: 4 },
];

describe('tight-capacity p-median', () => {
  for (const spec of tight) {
    it(`heuristic ≥ proven optimum and within 2 %, exact = brute force, Lagrangian bound below it (n ${spec.points}, p ${spec.p}, seed ${spec.seed})`, async () => {
      const inst = cpmpInstance(spec);
      const reference = bruteForceLocation(inst);
      expect(reference.violation).toBe(0);
      const heuristic = await solve(inst, { seed: 1, method: 'heuristic' });
      expect(checkAssignment(inst, { group: heuristic.group, site: heuristic.site })).toEqual([]);
      expect(heuristic.evaluation.violations).toEqual([]);
      expect(heuristic.evaluation.objective).toBeGreaterThanOrEqual(reference.cost - 1e-6);
      expect(heuristic.evaluation.objective).toBeLessThanOrEqual(reference.cost * 1.02 + 1e-6);
      const exact = await solve(inst, { seed: 1, timeLimitSeconds: 20 });
      expect(exact.evaluation.objective).toBeCloseTo(reference.cost, 6);
      expect(exact.bound!).toBeLessThanOrEqual(reference.cost + 1e-6);
      expect(exact.gap).toBeLessThanOrEqual(1e-4);
      const relaxed = lagrangianBound(inst, true, { upperBound: heuristic.evaluation.objective });
      expect(relaxed.integerKnapsack).toBe(true);
      expect(relaxed.bound).toBeLessThanOrEqual(reference.cost + 1e-6);
      // Fixing never removes the optimum's sites: the MILP above found it with the fixing applied.
      expect(relaxed.siteKept!.some((kept) => kept === 1)).toBe(true);
    });
  }

  it('same seed, same result, with the matheuristic too (room in the capacities: assignments solved by HiGHS)', async () => {
    const roomy = cpmpInstance({ points: 60, p: 6, slack: 0, seed: 7, capacity: 120 });
    const first = await solve(roomy, { seed: 3, method: 'heuristic' });
    const second = await solve(roomy, { seed: 3, method: 'heuristic' });
    expect(Array.from(first.site)).toEqual(Array.from(second.site));
    expect(Array.from(first.group)).toEqual(Array.from(second.group));
    const inst = cpmpInstance({ points: 40, p: 6, slack: 0.05, seed: 7 });
    const a = await solve(inst, { seed: 3, method: 'heuristic' });
    const b = await solve(inst, { seed: 3, method: 'heuristic' });
    expect(Array.from(a.site)).toEqual(Array.from(b.site));
    expect(Array.from(a.group)).toEqual(Array.from(b.group));
  });

  it('one time budget for every exact phase: no phase may run past the limit', async () => {
    const inst = cpmpInstance({ points: 60, p: 6, slack: 0.03, seed: 5 });
    const limit = 3;
    const outcome = await solve(inst, { seed: 1, timeLimitSeconds: limit });
    // On a loaded machine the heuristic may use the whole budget: then no exact phase starts.
    if (outcome.seconds.sites < limit / 2) expect(outcome.phases.length).toBeGreaterThan(0);
    for (const phase of outcome.phases) expect(phase.startedAt + phase.limitSeconds).toBeLessThanOrEqual(limit + 1e-9);
    // The assignment MILP on the heuristic's sites is subsumed by the location model: not run.
    expect(outcome.phases.map((p) => p.phase)).not.toContain('affectation (MILP)');
  });

  it('above the size limit of the exact model, still a Lagrangian bound', async () => {
    const inst = cpmpInstance({ points: 30, p: 4, slack: 0.05, seed: 9 });
    const outcome = await solve(inst, { seed: 1, timeLimitSeconds: 5, exactMaxColumns: 100 });
    expect(outcome.phases.map((p) => p.phase)).toEqual(['borne lagrangienne']);
    expect(outcome.bound).not.toBeNull();
    expect(outcome.bound!).toBeLessThanOrEqual(outcome.evaluation.objective + 1e-6);
    expect(outcome.gap).not.toBeNull();
  });

  it('teams of different sizes choosing their bases: a valid Lagrangian bound and a gap', async () => {
    const base = cpmpInstance({ points: 8, p: 3, slack: 0.1, seed: 11 });
    const total = base.weights.reduce((a, b) => a + b, 0);
    // Shares 1 : 2 : 3 of the demand, 15 % over each.
    const inst: SolverInstance = { ...base, groups: base.groups.map((g, index) => ({ ...g, upper: [Math.ceil(((total * (index + 1)) / 6) * 1.15)] })) };
    const outcome = await solve(inst, { seed: 1, timeLimitSeconds: 10 });
    expect(outcome.evaluation.violations).toEqual([]);
    expect(outcome.bound).not.toBeNull();
    expect(outcome.gap).not.toBeNull();
    // The bound is below every solution: check it against all site choices by brute force.
    let optimum = Infinity;
    const S = inst.sites.length;
    for (let a = 0; a < S; a++)
      for (let b = 0; b < S; b++)
        for (let c = 0; c < S; c++) {
          if (a === b || b === c || a === c) continue;
          const r = bruteForceAssignment(inst, Int32Array.from([a, b, c]));
          if (r.violation === 0) optimum = Math.min(optimum, r.cost);
        }
    expect(outcome.evaluation.objective).toBeGreaterThanOrEqual(optimum - 1e-6);
    expect(outcome.bound!).toBeLessThanOrEqual(optimum + 1e-6);
  });
});

describe('Lagrangian branch and bound on the sites', () => {
  // The MILP without any fixing is the independent reference: same optimum, every time.
  const used: string[] = [];
  const cases = [
    { points: 30, p: 3, slack: 0.05, seed: 11 },
    { points: 32, p: 4, slack: 0.08, seed: 12 },
    { points: 36, p: 4, slack: 0, seed: 13, capacity: 120 },
    { points: 40, p: 5, slack: 0.1, seed: 14 },
    { points: 40, p: 5, slack: 0, seed: 15, capacity: 120 },
  ];
  for (const spec of cases) {
    it(`proves the optimum the location MILP finds (n ${spec.points}, p ${spec.p}, seed ${spec.seed}${spec.capacity ? ', capacité 120, coûts entiers' : ''})`, async () => {
      const inst = cpmpInstance(spec);
      const heuristic = await solve(inst, { seed: 1, method: 'heuristic' });
      const milp = await solveLocationExact(inst, { group: heuristic.group, site: heuristic.site }, { timeLimitSeconds: 60, gapLimit: 1e-9 });
      expect(milp?.status).toBe('optimal');
      const milpCost = evaluate(inst, { group: milp!.group!, site: milp!.site! }).objective;
      // A single short start leaves the tree more to do than the default heuristic.
      for (const options of [{}, { starts: 1, kicks: 0 }]) {
        const outcome = await solve(inst, { seed: 1, timeLimitSeconds: 60, ...options });
        expect(outcome.status).toMatch(/^optimal/);
        expect(outcome.evaluation.violations).toEqual([]);
        expect(outcome.evaluation.objective).toBeCloseTo(milpCost, 6);
        expect(outcome.bound!).toBeLessThanOrEqual(milpCost + 1e-6);
        used.push(...outcome.phases.map((p) => p.phase));
      }
    });
  }

  it('the tree took part', () => {
    expect(used).toContain('localisation (arbre lagrangien)');
  });
});
