import { describe, expect, it } from 'vitest';
import { reduceInstance, violationsOf, type AssignmentSolution } from '../../../src/core/solver/assignment';
import { improveClusters } from '../../../src/core/solver/cluster';
import { cpmpInstance } from '../../../src/core/solver/cpmp-instances';
import { checkAssignment, evaluate, type SolverInstance } from '../../../src/core/solver/instance';
import { solveHeuristic } from '../../../src/core/solver/heuristic';
import { locate } from '../../../src/core/solver/location';
import { bruteForceLocation, randomInstance } from './brute-force';

/** One short start of location–allocation: a feasible, usually imperfect, starting point. */
function start(inst: SolverInstance): { sites: Int32Array; solution: AssignmentSolution } {
  const located = locate(inst, { seed: 1, starts: 1, kicks: 0 });
  expect(located.solution.violations).toEqual([]);
  return located;
}

/** The first p points as sites, assigned by the heuristic: a feasible start far from the optimum. */
function poorStart(inst: SolverInstance): { sites: Int32Array; solution: AssignmentSolution } {
  const sites = Int32Array.from(inst.groups, (_, g) => g);
  const solution = solveHeuristic(reduceInstance(inst, sites), { seed: 1, starts: 1, kicks: 0 });
  expect(solution.violations).toEqual([]);
  return { sites, solution };
}

function expectConsistent(inst: SolverInstance, result: { sites: Int32Array; solution: AssignmentSolution }): void {
  const assignment = { group: result.solution.assignment, site: result.sites };
  expect(checkAssignment(inst, assignment)).toEqual([]);
  expect(new Set(result.sites).size).toBe(result.sites.length);
  expect(violationsOf(reduceInstance(inst, result.sites), result.solution.assignment)).toEqual([]);
  expect(evaluate(inst, assignment).objective).toBeCloseTo(result.solution.cost, 6);
}

describe('cluster re-optimisation (capacitated p-median)', () => {
  // Every facility fits in one cluster: the last, whole-instance cluster is solved exactly.
  const tiny: [string, SolverInstance][] = [
    ['tight, n 8, p 2', cpmpInstance({ points: 8, p: 2, slack: 0.05, seed: 1 })],
    ['tight, n 8, p 3', cpmpInstance({ points: 8, p: 3, slack: 0.08, seed: 2 })],
    ['tight, n 9, p 3', cpmpInstance({ points: 9, p: 3, slack: 0.03, seed: 5 })],
    ['tight, n 8, p 4', cpmpInstance({ points: 8, p: 4, slack: 0.1, seed: 6 })],
    ['two attributes with lower and upper bands, n 8, p 2', randomInstance(3, { points: 8, groups: 2, tolerance: 0.25, fixedSites: false })],
  ];
  for (const [label, inst] of tiny) {
    it(`reaches the brute-force optimum (${label})`, () => {
      const reference = bruteForceLocation(inst);
      expect(reference.violation).toBe(0);
      const initial = poorStart(inst);
      expect(initial.solution.cost).toBeGreaterThan(reference.cost + 1e-6);
      const result = improveClusters(inst, initial);
      expectConsistent(inst, result);
      expect(result.solution.cost).toBeCloseTo(reference.cost, 6);
    });
  }

  it('never worsens a solution and keeps it within the bands (tight instances, 3 to 6 points per facility)', () => {
    for (const spec of [
      { points: 40, p: 8, slack: 0.05, seed: 21 },
      { points: 60, p: 20, slack: 0.04, seed: 22 },
      { points: 50, p: 10, slack: 0.02, seed: 23 },
    ]) {
      const inst = cpmpInstance(spec);
      const initial = start(inst);
      const result = improveClusters(inst, initial);
      expectConsistent(inst, result);
      expect(result.solution.cost).toBeLessThanOrEqual(initial.solution.cost + 1e-9);
      // Already at a local optimum of the neighbourhood: a second run changes nothing.
      expect(improveClusters(inst, result).solution.cost).toBeCloseTo(result.solution.cost, 9);
    }
  });

  it('lowers the location–allocation cost when capacity allows about three points per facility', () => {
    const inst = cpmpInstance({ points: 60, p: 20, slack: 0.05, seed: 2 });
    const initial = start(inst);
    expect(improveClusters(inst, initial).solution.cost).toBeLessThan(initial.solution.cost - 1e-6);
  });

  it('the same input gives the same result, and the work limit is honoured', () => {
    const inst = cpmpInstance({ points: 60, p: 15, slack: 0.05, seed: 4 });
    const initial = start(inst);
    const a = improveClusters(inst, initial);
    const b = improveClusters(inst, initial);
    expect(Array.from(a.sites)).toEqual(Array.from(b.sites));
    expect(Array.from(a.solution.assignment)).toEqual(Array.from(b.solution.assignment));
    // No work allowed: the start comes back as it was.
    expect(improveClusters(inst, initial, { work: 0 })).toBe(initial);
  });

  it('leaves a solution that misses a band unchanged', () => {
    const inst = cpmpInstance({ points: 12, p: 3, slack: 0.05, seed: 8 });
    const initial = start(inst);
    const broken = { ...initial, solution: { ...initial.solution, violations: [{ group: 'F1', attribute: 'demand', value: 1, lower: -Infinity, upper: 0, by: 1 }] } };
    expect(improveClusters(inst, broken)).toBe(broken);
  });
});
