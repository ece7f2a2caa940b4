import { describe, expect, it } from 'vitest';
import { reduceInstance } from '../../../src/core/solver/assignment';
import { cpmpInstance, type CpmpSpec } from '../../../src/core/solver/cpmp-instances';
import { solveHeuristic } from '../../../src/core/solver/heuristic';
import { lagrangianBound } from '../../../src/core/solver/lagrangian';
import { lagrangianTree } from '../../../src/core/solver/lagrangian-bb';
import { bruteForceAssignment, bruteForceLocation } from './brute-force';

/**
 * The tree on its own, against the exhaustive optimum: started from a poor incumbent (the first p
 * points as sites), it must end on the optimum, with every leaf it leaves to the caller bounded
 * below its own best assignment, and the fixing must keep the optimum.
 */
const cases: CpmpSpec[] = [
  // Integer costs and tight capacities (2 to 8 % above the demand) where the root bound stays
  // below the optimum: the tree branches, and some leaves are left to the caller.
  { points: 9, p: 3, slack: 0, seed: 26, capacity: 30 },
  { points: 9, p: 3, slack: 0, seed: 28, capacity: 27 },
  { points: 9, p: 3, slack: 0, seed: 51, capacity: 39 },
  { points: 9, p: 3, slack: 0, seed: 52, capacity: 35 },
  { points: 8, p: 3, slack: 0.05, seed: 24 },
  { points: 9, p: 3, slack: 0.1, seed: 25 },
];

describe('Lagrangian tree against brute force', () => {
  for (const spec of cases) {
    const integral = spec.capacity !== undefined;
    it(`optimum from a poor incumbent (n ${spec.points}, p ${spec.p}, seed ${spec.seed}${integral ? ', coûts entiers' : ''})`, () => {
      const inst = cpmpInstance(spec);
      const reference = bruteForceLocation(inst);
      expect(reference.violation).toBe(0);
      const sites = Int32Array.from({ length: spec.p }, (_, g) => g);
      const start = solveHeuristic(reduceInstance(inst, sites), { seed: 1, starts: 1, kicks: 0 });
      expect(start.violations).toEqual([]);
      const gapLimit = 1e-9;
      const upperBound = integral ? start.cost - 1 + 1e-6 : start.cost;
      const root = lagrangianBound(inst, true, { upperBound });
      expect(root.bound).toBeLessThanOrEqual(reference.cost + 1e-6);
      const tree = lagrangianTree(inst, {
        cost: start.cost,
        sites,
        group: start.assignment,
        multipliers: root.multipliers!,
        siteKept: root.siteKept!,
        pairKept: root.pairKept!,
        integral,
        gapLimit,
        deadline: performance.now() + 60_000,
      });
      expect(tree.nodes).toBeGreaterThan(1);
      expect(tree.proven).toBe(true);
      expect(tree.cost).toBeGreaterThanOrEqual(reference.cost - 1e-6);
      expect(tree.bound).toBeLessThanOrEqual(reference.cost + 1e-6);
      let best = tree.cost;
      for (const leaf of tree.leaves) {
        const solved = bruteForceAssignment(inst, leaf.sites);
        if (solved.violation === 0) {
          expect(leaf.bound).toBeLessThanOrEqual(solved.cost + 1e-6);
          best = Math.min(best, solved.cost);
        }
      }
      // With its leaves settled, the tree ends on the optimum (or the incumbent was it).
      expect(best).toBeCloseTo(reference.cost, 6);
    });
  }
});
