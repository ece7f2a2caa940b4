/** Exhaustive reference solutions for small instances: the optimum the solvers are checked against. */
import { reduceInstance, violationAmount, violationsOf } from '../../../src/core/solver/assignment';
import { isAllowed, type SolverInstance } from '../../../src/core/solver/instance';
import { seededRandom } from '../../../src/core/random';

export interface BruteForce {
  /** Least total violation, then least cost among the assignments with that violation. */
  violation: number;
  cost: number;
}

/** `accept` restricts the search (e.g. to one-piece groups). */
export function bruteForceAssignment(inst: SolverInstance, sites: Int32Array, accept: (assignment: Int32Array) => boolean = () => true): BruteForce {
  const problem = reduceInstance(inst, sites);
  const N = inst.points.length;
  const K = inst.groups.length;
  const assignment = new Int32Array(N);
  let best: BruteForce = { violation: Infinity, cost: Infinity };
  const visit = (i: number) => {
    if (i === N) {
      if (!accept(assignment)) return;
      let cost = 0;
      for (let p = 0; p < N; p++) cost += problem.cost[p * K + assignment[p]];
      const violation = violationAmount(problem, violationsOf(problem, assignment));
      if (violation < best.violation - 1e-9 || (violation <= best.violation + 1e-9 && cost < best.cost)) best = { violation, cost };
      return;
    }
    for (let g = 0; g < K; g++) {
      if (!isAllowed(inst, i, g)) continue;
      assignment[i] = g;
      visit(i + 1);
    }
  };
  visit(0);
  return best;
}

/** Best over every choice of distinct sites for the groups without a fixed one. */
export function bruteForceLocation(inst: SolverInstance): BruteForce {
  const K = inst.groups.length;
  const S = inst.sites.length;
  const sites = new Int32Array(K);
  let best: BruteForce = { violation: Infinity, cost: Infinity };
  const visit = (g: number, from: number) => {
    if (g === K) {
      const result = bruteForceAssignment(inst, sites);
      if (result.violation < best.violation - 1e-9 || (result.violation <= best.violation + 1e-9 && result.cost < best.cost)) best = result;
      return;
    }
    // Groups are interchangeable here (same bounds): increasing site indices avoid permutations.
    for (let j = from; j < S; j++) {
      sites[g] = j;
      visit(g + 1, j + 1);
    }
  };
  visit(0, 0);
  return best;
}

/** Random planar instance: costs are distances × 60 (seconds-like), 2 attributes, bands ± tolerance. */
export function randomInstance(seed: number, options: { points: number; groups: number; tolerance: number; fixedSites: boolean; stability?: number; lockFirst?: boolean; allowedRule?: boolean }): SolverInstance {
  const random = seededRandom(seed);
  const N = options.points;
  const K = options.groups;
  const xy = Array.from({ length: N }, () => [random() * 100, random() * 100]);
  const siteXy = options.fixedSites ? Array.from({ length: K }, () => [random() * 100, random() * 100]) : xy;
  const S = siteXy.length;
  const costs = new Float64Array(N * S);
  for (let i = 0; i < N; i++) for (let j = 0; j < S; j++) costs[i * S + j] = Math.round(Math.hypot(xy[i][0] - siteXy[j][0], xy[i][1] - siteXy[j][1]) * 60);
  const weights = new Float64Array(N * 2);
  let pcs = 0;
  for (let i = 0; i < N; i++) {
    weights[2 * i] = 1;
    weights[2 * i + 1] = 20 + Math.floor(random() * 80);
    pcs += weights[2 * i + 1];
  }
  const band = (total: number) => [(total / K) * (1 - options.tolerance), (total / K) * (1 + options.tolerance)];
  const [l0, u0] = band(N);
  const [l1, u1] = band(pcs);
  const locked = new Int32Array(N).fill(-1);
  if (options.lockFirst) locked[0] = K - 1;
  let allowed: Uint8Array | null = null;
  if (options.allowedRule) {
    // Points on the left half may not join the last group.
    allowed = new Uint8Array(N * K).fill(1);
    for (let i = 0; i < N; i++) if (xy[i][0] < 50) allowed[i * K + K - 1] = 0;
  }
  return {
    points: xy.map((_, i) => `p${i}`),
    attributes: ['establishments', 'pcs'],
    weights,
    groups: Array.from({ length: K }, (_, g) => ({ id: `g${g}`, label: `G${g}`, lower: [l0, l1], upper: [u0, u1], site: options.fixedSites ? g : null, candidates: null })),
    sites: siteXy.map((_, j) => `s${j}`),
    costs,
    allowed,
    locked,
    current: options.stability ? Int32Array.from(xy, (_, i) => i % K) : new Int32Array(N).fill(-1),
    stabilityCost: options.stability ?? 0,
  };
}
