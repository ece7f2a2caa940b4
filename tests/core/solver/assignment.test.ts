import { describe, expect, it } from 'vitest';
import { reduceInstance, violationAmount } from '../../../src/core/solver/assignment';
import { solveExact } from '../../../src/core/solver/exact';
import { solveHeuristic } from '../../../src/core/solver/heuristic';
import { checkAssignment } from '../../../src/core/solver/instance';
import { solve } from '../../../src/core/solver/solve';
import { bruteForceAssignment, bruteForceLocation, randomInstance } from './brute-force';

const cases = [
  { seed: 1, points: 9, groups: 3, tolerance: 0.2 },
  { seed: 2, points: 10, groups: 3, tolerance: 0.15, stability: 600 },
  { seed: 3, points: 9, groups: 3, tolerance: 0.25, lockFirst: true },
  { seed: 4, points: 10, groups: 2, tolerance: 0.05, allowedRule: true },
  { seed: 5, points: 8, groups: 4, tolerance: 0.3, stability: 300, lockFirst: true },
  { seed: 6, points: 10, groups: 3, tolerance: 0.1 },
];

describe('balanced assignment, fixed sites', () => {
  for (const c of cases) {
    it(`exact matches brute force and the heuristic is never better (seed ${c.seed})`, async () => {
      const inst = randomInstance(c.seed, { ...c, fixedSites: true });
      const sites = Int32Array.from(inst.groups, (_, g) => g);
      const problem = reduceInstance(inst, sites);
      const reference = bruteForceAssignment(inst, sites);
      const heuristic = solveHeuristic(problem, { seed: 7 });
      const exact = await solveExact(problem, { initial: heuristic.assignment, timeLimitSeconds: 10, gapLimit: 0 });
      expect(exact).not.toBeNull();
      expect(checkAssignment(inst, { group: exact!.assignment, site: sites })).toEqual([]);
      expect(checkAssignment(inst, { group: heuristic.assignment, site: sites })).toEqual([]);
      expect(violationAmount(problem, exact!.violations)).toBeCloseTo(reference.violation, 6);
      expect(exact!.cost).toBeCloseTo(reference.cost, 6);
      expect(exact!.status).toBe('optimal');
      const heuristicViolation = violationAmount(problem, heuristic.violations);
      expect(heuristicViolation).toBeGreaterThanOrEqual(reference.violation - 1e-9);
      if (Math.abs(heuristicViolation - reference.violation) < 1e-9) expect(heuristic.cost).toBeGreaterThanOrEqual(reference.cost - 1e-6);
    });
  }

  it('reports each violated band instead of failing when the bands cannot be met', async () => {
    const inst = randomInstance(11, { points: 8, groups: 3, tolerance: 0, fixedSites: true });
    const outcome = await solve(inst, { seed: 1 });
    const reference = bruteForceAssignment(inst, Int32Array.from([0, 1, 2]));
    expect(reference.violation).toBeGreaterThan(0);
    expect(outcome.evaluation.violations.length).toBeGreaterThan(0);
    for (const v of outcome.evaluation.violations) {
      expect(['g0', 'g1', 'g2']).toContain(v.group);
      expect(v.by === v.value - v.upper || v.by === v.value - v.lower).toBe(true);
    }
    expect(violationAmount(reduceInstance(inst, outcome.site), outcome.evaluation.violations)).toBeCloseTo(reference.violation, 6);
  });

  it('gives the same result for the same seed', async () => {
    const inst = randomInstance(21, { points: 60, groups: 5, tolerance: 0.1, fixedSites: true });
    const a = await solve(inst, { seed: 3, method: 'heuristic' });
    const b = await solve(inst, { seed: 3, method: 'heuristic' });
    expect([...a.group]).toEqual([...b.group]);
    const c = await solve(inst, { seed: 3 });
    const d = await solve(inst, { seed: 3 });
    expect([...c.group]).toEqual([...d.group]);
    expect(c.bound).not.toBeNull();
    expect(c.evaluation.objective).toBeLessThanOrEqual(a.evaluation.objective + 1e-6);
  });
});

describe('sites chosen by the solver', () => {
  for (const seed of [31, 32, 33]) {
    it(`location–allocation is never better than the exhaustive optimum, the p-median MILP matches it (seed ${seed})`, async () => {
      const inst = randomInstance(seed, { points: 9, groups: 3, tolerance: 0.35, fixedSites: false });
      const reference = bruteForceLocation(inst);
      const heuristic = await solve(inst, { seed: 1, method: 'heuristic' });
      expect(checkAssignment(inst, { group: heuristic.group, site: heuristic.site })).toEqual([]);
      const violation = violationAmount(reduceInstance(inst, heuristic.site), heuristic.evaluation.violations);
      expect(violation).toBeGreaterThanOrEqual(reference.violation - 1e-9);
      if (Math.abs(violation - reference.violation) < 1e-9) expect(heuristic.evaluation.objective).toBeGreaterThanOrEqual(reference.cost - 1e-6);
      // A small instance is no excuse for a poor answer: within 10 % of the optimum.
      expect(heuristic.evaluation.objective).toBeLessThanOrEqual(reference.cost * 1.1 + 1e-6);
      expect(new Set(heuristic.site).size).toBe(3);
      expect(heuristic.bound).toBeNull();
      expect(reference.violation).toBe(0);
      const exact = await solve(inst, { seed: 1 });
      expect(exact.method).toBe('localisation exacte');
      expect(exact.evaluation.objective).toBeCloseTo(reference.cost, 6);
      expect(exact.gap).toBeLessThanOrEqual(1e-4);
      expect(exact.bound!).toBeLessThanOrEqual(reference.cost + 1e-6);
    });
  }
});
