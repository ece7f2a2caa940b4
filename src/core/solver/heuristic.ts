/**
 * Heuristic for the balanced assignment: regret-ordered greedy construction, then local search with
 * shift moves (one point to another facility) and swap moves (two points exchange facilities),
 * repeated from several seeded starts; the best solution wins. Band violations are penalised so
 * heavily that any reduction of violation beats any saving of drive time: the result is the
 * least-violating solution found, then the cheapest among those. Deterministic for a given seed:
 * the number of starts and kicks, not the clock, bounds the work.
 * With a contiguity graph (one-piece sectors), every solution is repaired into connected groups and
 * the moves that would split a group, or join a point to a group it does not touch, are refused.
 */
import { seededRandom } from '../random.ts';
import { violationCost } from './instance.ts';
import { assignmentCost, facilityCount, violationsOf, type AssignmentProblem, type AssignmentSolution } from './assignment.ts';
import { repairContiguity, staysConnected, touchesGroup, type PointGraph } from './contiguity.ts';

export interface HeuristicOptions {
  seed?: number;
  starts?: number;
  /** Facilities tried per point in swap moves (nearest first). */
  neighbourFacilities?: number;
  /** Perturb-and-descend rounds after each start (iterated local search). */
  kicks?: number;
  /** A solution to improve in addition to the greedy starts (e.g. the current proposal). */
  initial?: Int32Array;
  onProgress?: (fraction: number, bestCost: number) => void;
  shouldStop?: () => boolean;
  /** Point adjacency: when given, every group must stay one connected piece. */
  contiguity?: PointGraph | null;
}

interface Search {
  problem: AssignmentProblem;
  N: number;
  F: number;
  A: number;
  scale: Float64Array;
  lambda: number;
  /** Facilities of each point sorted by cost, allowed ones only. */
  order: Int32Array[];
  graph: PointGraph | null;
}

function prepare(problem: AssignmentProblem, graph: PointGraph | null): Search {
  const N = problem.pointIds.length;
  const F = facilityCount(problem);
  const A = problem.attributes.length;
  const scale = problem.units;
  let maxCost = 0;
  const order: Int32Array[] = [];
  for (let i = 0; i < N; i++) {
    const allowed: number[] = [];
    for (let j = 0; j < F; j++) {
      const c = problem.cost[i * F + j];
      if (Number.isFinite(c)) {
        allowed.push(j);
        maxCost = Math.max(maxCost, Math.abs(c));
      }
    }
    allowed.sort((x, y) => problem.cost[i * F + x] - problem.cost[i * F + y] || x - y);
    order.push(Int32Array.from(allowed));
  }
  // One mean band of violation outweighs every possible saving of cost.
  const lambda = Math.max(1, maxCost) * Math.max(1, N) * 10;
  return { problem, N, F, A, scale, lambda, order, graph };
}

function bandPenalty(s: Search, j: number, a: number, load: number): number {
  const lower = s.problem.lower[j * s.A + a];
  const upper = s.problem.upper[j * s.A + a];
  return load < lower - 1e-9 ? violationCost((lower - load) / s.scale[a]) : load > upper + 1e-9 ? violationCost((load - upper) / s.scale[a]) : 0;
}

/** Change of penalised objective when point i moves from `from` to `to`. */
function shiftDelta(s: Search, load: Float64Array, i: number, from: number, to: number): number {
  const { problem, F, A } = s;
  const delta = problem.cost[i * F + to] - problem.cost[i * F + from];
  let violation = 0;
  for (let a = 0; a < A; a++) {
    const v = problem.values[i * A + a];
    if (v === 0) continue;
    const lf = load[from * A + a];
    const lt = load[to * A + a];
    violation += bandPenalty(s, from, a, lf - v) - bandPenalty(s, from, a, lf) + bandPenalty(s, to, a, lt + v) - bandPenalty(s, to, a, lt);
  }
  return delta + s.lambda * violation;
}

function swapDelta(s: Search, load: Float64Array, i: number, k: number, fi: number, fk: number): number {
  const { problem, F, A } = s;
  const ci = problem.cost[i * F + fk];
  const ck = problem.cost[k * F + fi];
  if (!Number.isFinite(ci) || !Number.isFinite(ck)) return Infinity;
  const delta = ci + ck - problem.cost[i * F + fi] - problem.cost[k * F + fk];
  let violation = 0;
  for (let a = 0; a < A; a++) {
    const d = problem.values[k * A + a] - problem.values[i * A + a];
    if (d === 0) continue;
    const li = load[fi * A + a];
    const lk = load[fk * A + a];
    violation += bandPenalty(s, fi, a, li + d) - bandPenalty(s, fi, a, li) + bandPenalty(s, fk, a, lk - d) - bandPenalty(s, fk, a, lk);
  }
  return delta + s.lambda * violation;
}

function move(s: Search, load: Float64Array, assignment: Int32Array, i: number, to: number): void {
  const from = assignment[i];
  for (let a = 0; a < s.A; a++) {
    const v = s.problem.values[i * s.A + a];
    load[from * s.A + a] -= v;
    load[to * s.A + a] += v;
  }
  assignment[i] = to;
}

function penalised(s: Search, assignment: Int32Array, load: Float64Array): number {
  let violation = 0;
  for (let j = 0; j < s.F; j++) for (let a = 0; a < s.A; a++) violation += bandPenalty(s, j, a, load[j * s.A + a]);
  return assignmentCost(s.problem, assignment) + s.lambda * violation;
}

function computeLoad(s: Search, assignment: Int32Array): Float64Array {
  const load = new Float64Array(s.F * s.A);
  for (let i = 0; i < s.N; i++) for (let a = 0; a < s.A; a++) load[assignment[i] * s.A + a] += s.problem.values[i * s.A + a];
  return load;
}

/** Greedy in regret order (points with the most to lose first), watching the upper bands. */
function construct(s: Search, random: () => number, noise: number): Int32Array {
  const assignment = new Int32Array(s.N).fill(-1);
  const load = new Float64Array(s.F * s.A);
  const regret = (i: number) => {
    const o = s.order[i];
    return o.length < 2 ? Infinity : s.problem.cost[i * s.F + o[1]] - s.problem.cost[i * s.F + o[0]];
  };
  const points = Array.from({ length: s.N }, (_, i) => ({ i, key: regret(i) * (1 + noise * (random() - 0.5)) }));
  points.sort((x, y) => y.key - x.key || x.i - y.i);
  for (const { i } of points) {
    let best = -1;
    let bestValue = Infinity;
    for (const j of s.order[i]) {
      let over = 0;
      for (let a = 0; a < s.A; a++) {
        const after = load[j * s.A + a] + s.problem.values[i * s.A + a];
        const upper = s.problem.upper[j * s.A + a];
        if (after > upper) over += (after - Math.max(upper, load[j * s.A + a])) / s.scale[a];
      }
      const value = s.problem.cost[i * s.F + j] + s.lambda * over;
      if (value < bestValue) {
        bestValue = value;
        best = j;
      }
    }
    assignment[i] = best;
    for (let a = 0; a < s.A; a++) load[best * s.A + a] += s.problem.values[i * s.A + a];
  }
  return assignment;
}

function localSearch(s: Search, assignment: Int32Array, neighbourFacilities: number, shouldStop?: () => boolean): void {
  const load = computeLoad(s, assignment);
  const members: Set<number>[] = Array.from({ length: s.F }, () => new Set<number>());
  for (let i = 0; i < s.N; i++) members[assignment[i]].add(i);
  let improved = true;
  while (improved && !shouldStop?.()) {
    improved = false;
    for (let i = 0; i < s.N; i++) {
      const from = assignment[i];
      let bestTo = -1;
      let bestDelta = -1e-7;
      let leaves: boolean | null = null;
      for (const to of s.order[i]) {
        if (to === from) continue;
        const d = shiftDelta(s, load, i, from, to);
        if (d < bestDelta && s.graph) {
          if (!touchesGroup(s.graph, assignment, i, to)) continue;
          leaves ??= staysConnected(s.graph, assignment, from, [i], [], members[from].size);
          if (!leaves) break;
        }
        if (d < bestDelta) {
          bestDelta = d;
          bestTo = to;
        }
      }
      if (bestTo >= 0) {
        members[from].delete(i);
        members[bestTo].add(i);
        move(s, load, assignment, i, bestTo);
        improved = true;
      }
    }
    for (let i = 0; i < s.N; i++) {
      const fi = assignment[i];
      let best: { k: number; delta: number } | null = null;
      const tried = s.order[i].subarray(0, neighbourFacilities);
      for (const fk of tried) {
        if (fk === fi) continue;
        for (const k of members[fk]) {
          const d = swapDelta(s, load, i, k, fi, fk);
          if (d < (best?.delta ?? -1e-7) && (!s.graph || swapKeepsPieces(s.graph, assignment, members, i, k))) best = { k, delta: d };
        }
      }
      if (best) {
        const fk = assignment[best.k];
        members[fi].delete(i);
        members[fk].delete(best.k);
        members[fk].add(i);
        members[fi].add(best.k);
        move(s, load, assignment, i, fk);
        move(s, load, assignment, best.k, fi);
        improved = true;
      }
    }
  }
}

function swapKeepsPieces(graph: PointGraph, assignment: Int32Array, members: Set<number>[], i: number, k: number): boolean {
  const fi = assignment[i];
  const fk = assignment[k];
  return staysConnected(graph, assignment, fi, [i], [k], members[fi].size) && staysConnected(graph, assignment, fk, [k], [i], members[fk].size);
}

/** With a contiguity graph, puts the points of split groups into neighbouring groups (in place). */
function makeWhole(s: Search, assignment: Int32Array): Int32Array {
  if (s.graph) repairContiguity(s.graph, assignment, s.F, (i, g) => s.problem.cost[i * s.F + g]);
  return assignment;
}

/**
 * Iterated local search: kick a few points to one of their nearest other facilities, descend again,
 * keep the result when it is better. Kicks escape the local optima of shift/swap, which are typically
 * a few percent above the optimum on tight bands.
 */
function iterate(s: Search, assignment: Int32Array, random: () => number, kicks: number, neighbourFacilities: number, shouldStop?: () => boolean): Int32Array {
  let best = assignment;
  let bestValue = penalised(s, best, computeLoad(s, best));
  const kickSize = Math.max(2, Math.min(12, Math.round(s.N * 0.02)));
  for (let kick = 0; kick < kicks && !shouldStop?.(); kick++) {
    const candidate = Int32Array.from(best);
    for (let moveIndex = 0; moveIndex < kickSize; moveIndex++) {
      const i = Math.floor(random() * s.N);
      const options = s.order[i].subarray(0, Math.min(4, s.order[i].length));
      if (options.length > 1) candidate[i] = options[Math.floor(random() * options.length)];
    }
    makeWhole(s, candidate);
    localSearch(s, candidate, neighbourFacilities, shouldStop);
    const value = penalised(s, candidate, computeLoad(s, candidate));
    if (value < bestValue - 1e-9) {
      best = candidate;
      bestValue = value;
    }
  }
  return best;
}

export function solveHeuristic(problem: AssignmentProblem, options: HeuristicOptions = {}): AssignmentSolution {
  const started = Date.now();
  const s = prepare(problem, options.contiguity ?? null);
  if (s.order.some((o) => o.length === 0)) throw new Error('Un point ne peut rejoindre aucun groupe.');
  const random = seededRandom(options.seed ?? 1);
  // Zero greedy starts is allowed when there is a solution to improve (location–allocation rounds).
  const starts = Math.max(options.initial ? 0 : 1, options.starts ?? 3);
  const kicks = options.kicks ?? 30;
  const neighbours = options.neighbourFacilities ?? 6;
  let best: Int32Array | null = null;
  let bestValue = Infinity;
  const consider = (candidate: Int32Array) => {
    const value = penalised(s, candidate, computeLoad(s, candidate));
    if (value < bestValue - 1e-9) {
      bestValue = value;
      best = candidate;
    }
  };
  const total = starts + (options.initial ? 1 : 0);
  let done = 0;
  const improve = (candidate: Int32Array) => {
    makeWhole(s, candidate);
    localSearch(s, candidate, neighbours, options.shouldStop);
    consider(iterate(s, candidate, random, kicks, neighbours, options.shouldStop));
    done++;
    options.onProgress?.(done / total, assignmentCost(problem, best!));
  };
  if (options.initial) improve(Int32Array.from(options.initial));
  for (let start = 0; start < starts; start++) {
    if (options.shouldStop?.() && best) break;
    improve(construct(s, random, start === 0 ? 0 : 0.6));
  }
  const assignment: Int32Array = best!;
  return {
    assignment,
    cost: assignmentCost(problem, assignment),
    violations: violationsOf(problem, assignment),
    method: 'heuristic',
    bound: null,
    gap: null,
    status: 'heuristique',
    seconds: (Date.now() - started) / 1000,
  };
}
