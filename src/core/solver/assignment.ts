/**
 * The assignment problem once every group has its site: a dense point × group cost (drive time to the
 * group's site, plus the stability cost when the point leaves its current group; Infinity where the
 * point may not go) and the per-group bands. The heuristic and the MILP both work on this form;
 * location–allocation and the zone solver rebuild it each time the sites change.
 */
import { attributeUnits, bandMiss, isAllowed, k, m, n, s, violationCost, type SolverInstance, type Violation } from './instance.ts';

export interface AssignmentProblem {
  pointIds: readonly string[];
  groupIds: readonly string[];
  attributes: readonly string[];
  /** n × A row-major. */
  values: Float64Array;
  /** F × A row-major; -Infinity / Infinity when unbounded. */
  lower: Float64Array;
  upper: Float64Array;
  /** n × F row-major; Infinity = forbidden. */
  cost: Float64Array;
  /** Per attribute: the load that counts as one unit of violation (the mean weight of a point). */
  units: Float64Array;
}

export interface AssignmentSolution {
  /** Per point: group index. */
  assignment: Int32Array;
  /** Σ cost of the chosen pairs. */
  cost: number;
  violations: Violation[];
  method: 'heuristic' | 'exact';
  /** Proven lower bound on the cost (exact method only). */
  bound: number | null;
  /** (cost − bound) / cost, or null without a bound. */
  gap: number | null;
  status: string;
  seconds: number;
}

export const facilityCount = (problem: AssignmentProblem): number => problem.groupIds.length;

export function reduceInstance(inst: SolverInstance, sites: Int32Array): AssignmentProblem {
  const N = n(inst);
  const K = k(inst);
  const M = m(inst);
  const S = s(inst);
  const cost = new Float64Array(N * K);
  for (let i = 0; i < N; i++) {
    for (let g = 0; g < K; g++) {
      if (!isAllowed(inst, i, g)) {
        cost[i * K + g] = Infinity;
        continue;
      }
      const moved = inst.current[i] >= 0 && inst.current[i] !== g ? inst.stabilityCost : 0;
      cost[i * K + g] = inst.costs[i * S + sites[g]] + moved;
    }
  }
  const lower = new Float64Array(K * M);
  const upper = new Float64Array(K * M);
  inst.groups.forEach((group, g) => {
    for (let a = 0; a < M; a++) {
      lower[g * M + a] = group.lower[a];
      upper[g * M + a] = group.upper[a];
    }
  });
  return {
    pointIds: inst.points,
    groupIds: inst.groups.map((g) => g.id),
    attributes: inst.attributes,
    values: inst.weights,
    lower,
    upper,
    cost,
    units: attributeUnits(inst),
  };
}

export function assignmentCost(problem: AssignmentProblem, assignment: Int32Array): number {
  const F = facilityCount(problem);
  let total = 0;
  for (let i = 0; i < assignment.length; i++) total += problem.cost[i * F + assignment[i]];
  return total;
}

export function loadsOf(problem: AssignmentProblem, assignment: Int32Array): Float64Array {
  const A = problem.attributes.length;
  const load = new Float64Array(facilityCount(problem) * A);
  for (let i = 0; i < assignment.length; i++) for (let a = 0; a < A; a++) load[assignment[i] * A + a] += problem.values[i * A + a];
  return load;
}

export function violationsOf(problem: AssignmentProblem, assignment: Int32Array): Violation[] {
  const A = problem.attributes.length;
  const load = loadsOf(problem, assignment);
  const violations: Violation[] = [];
  for (let g = 0; g < facilityCount(problem); g++) {
    for (let a = 0; a < A; a++) {
      const value = load[g * A + a];
      const lower = problem.lower[g * A + a];
      const upper = problem.upper[g * A + a];
      const by = bandMiss(value, lower, upper);
      if (by !== 0) violations.push({ group: problem.groupIds[g], attribute: problem.attributes[a], value, lower, upper, by });
    }
  }
  return violations;
}

/** Total violation cost (see `violationCost`): what "least-violating" minimises. */
export function violationAmount(problem: AssignmentProblem, violations: readonly Violation[]): number {
  let total = 0;
  for (const v of violations) total += violationCost(Math.abs(v.by) / problem.units[problem.attributes.indexOf(v.attribute)]);
  return total;
}
