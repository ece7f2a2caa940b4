/**
 * Cluster re-optimisation for the capacitated p-median (interchangeable groups choosing their
 * sites), in the manner of the matheuristics of Stefanello, de Araújo and Müller (2015): a few
 * neighbouring facilities and the points they serve form a small p-median of their own, solved
 * exactly — sites AND assignment together — and the whole solution keeps the result when it is
 * cheaper. With tight capacities (two or three points per facility) the fast assignment heuristic and
 * the close–open moves leave several per cent: a point can only move where another one makes room,
 * and a site is only worth moving together with its members. Here both happen at once. The cluster
 * models are solved by enumeration with bounds, not by HiGHS: HiGHS needs 30 to 100 ms of CPU even
 * for ten points and two facilities, the enumeration well under a millisecond. Work counters, not
 * the clock, bound the search: same input, same result.
 */
import { assignmentCost, reduceInstance, violationsOf, type AssignmentSolution } from './assignment.ts';
import { seededRandom, weightedIndex } from '../random.ts';
import { solveHeuristic } from './heuristic.ts';
import { k, m, n, s, type SolverInstance } from './instance.ts';

export interface ClusterOptions {
  /** Search nodes and site combinations allowed in all (default: see WORK_PER_KICK_PAIR). */
  work?: number;
  /** Seed of the kicks. */
  seed?: number;
  shouldStop?: () => boolean;
}

/** Facilities per cluster at most, and points per cluster model (its size grows as points²). */
const MAX_FACILITIES = 8;
const MAX_POINTS = 40;
/** Candidate sites per point of a cluster (its cheapest ones), besides the cluster's open sites. */
const SITES_PER_POINT = 2;
/**
 * The work allowed: WORK_PER_KICK_PAIR × p³ (the kicks number about p, each followed by a descent over
 * pairs of the p facilities), so that a few large facilities, which the assignment heuristic already
 * fills well, are settled quickly, and many small ones get the search they need; at most
 * WORK_PER_PAIR per point × facility pair, at least MIN_WORK.
 */
const WORK_PER_KICK_PAIR = 500;
const WORK_PER_PAIR = 2000;
const MIN_WORK = 300_000;
/**
 * Kicks per facility at most; the largest clusters of the descents after a kick (the larger ones
 * cost far more and improve rarely: they run once, on the best solution); the share of the work the
 * kicks may use.
 */
const MAX_KICKS = 3;
const KICK_FACILITIES = 4;
const KICK_SHARE = 0.6;

interface Cluster {
  groups: number[];
  points: number[];
}

/**
 * Mean cost of serving g's members from h's site and h's from g's: how much the two facilities
 * compete for the same points, whatever the cost is (drive time, distance) and without site coordinates.
 */
function affinity(inst: SolverInstance, sites: Int32Array, members: number[][]): Float64Array {
  const K = k(inst);
  const S = s(inst);
  const mean = new Float64Array(K * K);
  for (let g = 0; g < K; g++) {
    for (let h = 0; h < K; h++) {
      let total = 0;
      for (const i of members[g]) total += inst.costs[i * S + sites[h]];
      mean[g * K + h] = members[g].length > 0 ? total / members[g].length : Infinity;
    }
  }
  const both = new Float64Array(K * K);
  for (let g = 0; g < K; g++) for (let h = 0; h < K; h++) both[g * K + h] = mean[g * K + h] + mean[h * K + g];
  return both;
}

/** Facility g and its `size` − 1 nearest neighbours (by affinity), fewer when MAX_POINTS is reached. */
function clusterOf(g: number, size: number, K: number, near: Float64Array, members: number[][]): Cluster {
  const others = Array.from({ length: K }, (_, h) => h)
    .filter((h) => h !== g)
    .sort((a, b) => near[g * K + a] - near[g * K + b] || a - b);
  const groups = [g];
  let points = members[g].length;
  for (const h of others) {
    if (groups.length >= size) break;
    if (groups.length >= 2 && points + members[h].length > MAX_POINTS) break;
    groups.push(h);
    points += members[h].length;
  }
  return { groups, points: groups.flatMap((h) => members[h]).sort((a, b) => a - b) };
}

/** Search nodes and site combinations left to the whole improvement. */
interface Work {
  left: number;
}

/**
 * Re-solves clusters of neighbouring facilities exactly (variable neighbourhood descent on the
 * cluster size: pairs until none improves, then triples, …, up to KICK_FACILITIES; any improvement
 * goes back to pairs); then, while the kicks' share of the work lasts, kicks: a seeded facility
 * closes and reopens at a point served far from its site (drawn ∝ cost², as k-means++), the
 * assignment heuristic repairs the capacities, the descent runs again, and the better solution is
 * kept (iterated local search); last, the descent up to MAX_FACILITIES on the best one. Clusters
 * already solved with the same sites and points are not solved twice, so a kick costs only the
 * clusters it touched. The solution must be within the bands: the clusters keep them.
 */
export function improveClusters(inst: SolverInstance, start: { sites: Int32Array; solution: AssignmentSolution }, options: ClusterOptions = {}): { sites: Int32Array; solution: AssignmentSolution } {
  const N = n(inst);
  const K = k(inst);
  const S = s(inst);
  const M = m(inst);
  const spec = inst.groups[0];
  if (K < 2 || start.solution.violations.length > 0) return start;
  const allowedSite = new Uint8Array(S);
  for (const c of spec.candidates ?? Array.from({ length: S }, (_, j) => j)) allowedSite[c] = 1;
  // Each point's cheapest candidate sites: where a cluster may move its facilities.
  const cheapest: number[][] = [];
  for (let i = 0; i < N; i++) {
    const order: number[] = [];
    for (let c = 0; c < S; c++) if (allowedSite[c] && Number.isFinite(inst.costs[i * S + c])) order.push(c);
    order.sort((a, b) => inst.costs[i * S + a] - inst.costs[i * S + b] || a - b);
    cheapest.push(order.slice(0, SITES_PER_POINT));
  }
  const work: Work = { left: options.work ?? Math.max(MIN_WORK, Math.min(WORK_PER_PAIR * N * K, WORK_PER_KICK_PAIR * K ** 3)) };
  const solved = new Set<string>();
  const stopped = () => work.left <= 0 || (options.shouldStop?.() ?? false);
  const costOf = (sites: Int32Array, assignment: Int32Array) => {
    let total = 0;
    for (let i = 0; i < N; i++) total += inst.costs[i * S + sites[assignment[i]]];
    return total;
  };
  const descend = (sites: Int32Array, assignment: Int32Array, largest: number): void => {
    const members: number[][] = Array.from({ length: K }, () => []);
    const pass = (size: number): boolean => {
      let improved = false;
      for (const list of members) list.length = 0;
      for (let i = 0; i < N; i++) members[assignment[i]].push(i);
      const near = affinity(inst, sites, members);
      for (let g = 0; g < K && !stopped(); g++) {
        const cluster = clusterOf(g, size, K, near, members);
        if (cluster.groups.length < size) continue;
        // A cluster whose facilities and points are as they were when last solved cannot improve.
        const key = `${cluster.groups.map((h) => sites[h]).sort((a, b) => a - b).join(',')}|${cluster.points.join(',')}`;
        if (solved.has(key)) continue;
        solved.add(key);
        const result = solveCluster(inst, cluster, sites, assignment, cheapest, M, work);
        if (!result) continue;
        cluster.groups.forEach((h, index) => (sites[h] = result.sites[index]));
        cluster.points.forEach((i, index) => (assignment[i] = cluster.groups[result.slot[index]]));
        improved = true;
        // The members changed: later clusters of this pass are built from the new ones.
        for (const h of cluster.groups) members[h] = [];
        for (const i of cluster.points) members[assignment[i]].push(i);
        for (const h of cluster.groups) members[h].sort((a, b) => a - b);
      }
      return improved;
    };
    for (let size = 2; size <= Math.min(largest, K) && !stopped(); ) {
      if (pass(size)) size = 2;
      else size++;
    }
  };
  let bestSites = Int32Array.from(start.sites);
  let bestAssignment = Int32Array.from(start.solution.assignment);
  const total = work.left;
  descend(bestSites, bestAssignment, KICK_FACILITIES);
  let bestCost = costOf(bestSites, bestAssignment);
  const random = seededRandom(options.seed ?? 1);
  // The kicks get their share of the work; the large clusters the rest, on the best solution.
  const kicksUntil = total * (1 - KICK_SHARE);
  for (let kick = 0; kick < MAX_KICKS * K && work.left > kicksUntil && !stopped(); kick++) {
    const sites = Int32Array.from(bestSites);
    const open = new Set(sites);
    // Points served far from their site anchor the new one; the anchor's cheapest free site opens.
    const weight = new Float64Array(N);
    let total = 0;
    for (let i = 0; i < N; i++) {
      const d = inst.costs[i * S + sites[bestAssignment[i]]];
      weight[i] = d * d;
      total += weight[i];
    }
    const g = Math.floor(random() * K);
    const anchor = weightedIndex(random, weight, total);
    const site = cheapest[anchor].find((c) => !open.has(c));
    work.left -= N * K;
    if (site === undefined) continue;
    sites[g] = site;
    const repaired = solveHeuristic(reduceInstance(inst, sites), { seed: Math.floor(random() * 2 ** 31), starts: 0, kicks: 1, initial: bestAssignment });
    if (repaired.violations.length > 0) continue;
    const assignment = Int32Array.from(repaired.assignment);
    descend(sites, assignment, KICK_FACILITIES);
    const cost = costOf(sites, assignment);
    if (cost < bestCost - 1e-9) {
      bestSites = sites;
      bestAssignment = assignment;
      bestCost = cost;
    }
  }
  descend(bestSites, bestAssignment, MAX_FACILITIES);
  const problem = reduceInstance(inst, bestSites);
  const cost = assignmentCost(problem, bestAssignment);
  if (cost >= start.solution.cost - 1e-9) return start;
  return { sites: bestSites, solution: { ...start.solution, assignment: bestAssignment, cost, violations: violationsOf(problem, bestAssignment) } };
}

/** Site combinations examined per cluster, and search nodes per cluster: work limits, not the clock. */
const MAX_COMBINATIONS = 20_000;
const MAX_NODES = 200_000;

/**
 * The cluster's p-median, solved by enumeration: every choice of q sites among the candidates, in
 * increasing order of its uncapacitated cost (each point to its cheapest chosen site), stops at the
 * first whose bound reaches the best cost found; each choice's assignment is a depth-first search,
 * heaviest points first, bounded by the cheapest completion and the free capacity left. Returns the
 * new sites (one per facility, in order) and per point its facility's slot, or null when nothing is
 * cheaper than the current solution.
 */
function solveCluster(inst: SolverInstance, cluster: Cluster, sites: Int32Array, assignment: Int32Array, cheapest: number[][], M: number, work: Work): { sites: number[]; slot: Int32Array } | null {
  const S = s(inst);
  const spec = inst.groups[0];
  const inCluster = new Set(cluster.groups);
  const openElsewhere = new Set<number>();
  for (let h = 0; h < sites.length; h++) if (!inCluster.has(h)) openElsewhere.add(sites[h]);
  const q = cluster.groups.length;
  // Each point's cheapest site, then its second ones while the combinations stay few enough.
  const candidateSet = new Set<number>(cluster.groups.map((h) => sites[h]));
  for (let rank = 0; rank < SITES_PER_POINT; rank++) {
    const wider = new Set(candidateSet);
    for (const i of cluster.points) if (rank < cheapest[i].length && !openElsewhere.has(cheapest[i][rank])) wider.add(cheapest[i][rank]);
    if (rank > 0 && binomial(wider.size, q) > MAX_COMBINATIONS) break;
    for (const c of wider) candidateSet.add(c);
  }
  const candidates = [...candidateSet].sort((a, b) => a - b);
  const P = cluster.points.length;
  const C = candidates.length;
  if (q > C) return null;
  const cost = new Float64Array(P * C);
  let current = 0;
  cluster.points.forEach((i, p) => {
    for (let c = 0; c < C; c++) cost[p * C + c] = inst.costs[i * S + candidates[c]];
    current += inst.costs[i * S + sites[assignment[i]]];
  });
  const upper = Float64Array.from({ length: M }, (_, a) => spec.upper[a]);
  const lower = Float64Array.from({ length: M }, (_, a) => spec.lower[a]);
  // Heaviest points first: capacity conflicts show at the top of the tree.
  const order = Array.from({ length: P }, (_, p) => p);
  const heaviness = (p: number) => {
    let h = 0;
    for (let a = 0; a < M; a++) if (Number.isFinite(upper[a]) && upper[a] > 0) h = Math.max(h, inst.weights[cluster.points[p] * M + a] / upper[a]);
    return h;
  };
  order.sort((a, b) => heaviness(b) - heaviness(a) || a - b);
  const weight = new Float64Array(P * M);
  order.forEach((p, t) => {
    for (let a = 0; a < M; a++) weight[t * M + a] = inst.weights[cluster.points[p] * M + a];
  });
  // Weight still to place from depth t on, per attribute.
  const rest = new Float64Array((P + 1) * M);
  for (let t = P - 1; t >= 0; t--) for (let a = 0; a < M; a++) rest[t * M + a] = rest[(t + 1) * M + a] + weight[t * M + a];
  if (binomial(C, q) > MAX_COMBINATIONS) return null;
  const combos = combinations(C, q, cost, P);
  work.left -= combos.length;
  let best = current - 1e-9;
  let bestCombo: Int32Array | null = null;
  const bestSlot = new Int32Array(P);
  const slot = new Int32Array(P);
  const load = new Float64Array(q * M);
  const local = new Float64Array(P * q);
  const choices = new Int32Array(P * q);
  const suffix = new Float64Array(P + 1);
  let nodes = 0;
  const limit = Math.min(MAX_NODES, Math.max(0, work.left));
  const search = (t: number, partial: number, combo: Int32Array): void => {
    if (nodes++ >= limit || partial + suffix[t] >= best) return;
    if (t === P) {
      for (let j = 0; j < q; j++) for (let a = 0; a < M; a++) if (load[j * M + a] < lower[a] - 1e-9) return;
      best = partial;
      bestCombo = combo;
      bestSlot.set(slot);
      return;
    }
    for (let a = 0; a < M; a++) {
      if (!Number.isFinite(upper[a])) continue;
      let free = 0;
      for (let j = 0; j < q; j++) free += upper[a] - load[j * M + a];
      if (free < rest[t * M + a] - 1e-9) return;
    }
    for (let r = 0; r < q; r++) {
      const j = choices[t * q + r];
      let fits = true;
      for (let a = 0; a < M; a++) if (load[j * M + a] + weight[t * M + a] > upper[a] + 1e-9) fits = false;
      if (!fits) continue;
      for (let a = 0; a < M; a++) load[j * M + a] += weight[t * M + a];
      slot[t] = j;
      search(t + 1, partial + local[t * q + j], combo);
      for (let a = 0; a < M; a++) load[j * M + a] -= weight[t * M + a];
    }
  };
  for (const { combo, bound } of combos) {
    if (bound >= best || nodes >= limit) break;
    for (let t = 0; t < P; t++) {
      const p = order[t];
      let min = Infinity;
      for (let j = 0; j < q; j++) {
        local[t * q + j] = cost[p * C + combo[j]];
        min = Math.min(min, local[t * q + j]);
        choices[t * q + j] = j;
      }
      const row = choices.subarray(t * q, t * q + q);
      row.sort((a, b) => local[t * q + a] - local[t * q + b] || a - b);
      suffix[t] = min;
    }
    suffix[P] = 0;
    for (let t = P - 1; t >= 0; t--) suffix[t] += suffix[t + 1];
    load.fill(0);
    search(0, 0, combo);
  }
  work.left -= nodes;
  if (!bestCombo) return null;
  const chosen: Int32Array = bestCombo;
  // Facilities keep their site when it stays open: fewer changes to report, same cost.
  const slotOfJ = new Int32Array(q).fill(-1);
  const freeSlots: number[] = [];
  cluster.groups.forEach((h, sl) => {
    const j = chosen.findIndex((c) => candidates[c] === sites[h]);
    if (j >= 0) slotOfJ[j] = sl;
    else freeSlots.push(sl);
  });
  for (let j = 0; j < q; j++) if (slotOfJ[j] < 0) slotOfJ[j] = freeSlots.shift()!;
  const newSites = new Array<number>(q);
  for (let j = 0; j < q; j++) newSites[slotOfJ[j]] = candidates[chosen[j]];
  const pointSlot = new Int32Array(P);
  order.forEach((p, t) => (pointSlot[p] = slotOfJ[bestSlot[t]]));
  return { sites: newSites, slot: pointSlot };
}

const binomial = (c: number, q: number): number => {
  let count = 1;
  for (let r = 0; r < q; r++) count = (count * (c - r)) / (r + 1);
  return count;
};

/** Every choice of q of the C candidates with its uncapacitated cost, cheapest first. */
function combinations(C: number, q: number, cost: Float64Array, P: number): { combo: Int32Array; bound: number }[] {
  const list: { combo: Int32Array; bound: number }[] = [];
  const combo = new Int32Array(q);
  const visit = (r: number, from: number) => {
    if (r === q) {
      let bound = 0;
      for (let p = 0; p < P; p++) {
        let min = Infinity;
        for (let j = 0; j < q; j++) min = Math.min(min, cost[p * C + combo[j]]);
        bound += min;
      }
      list.push({ combo: Int32Array.from(combo), bound });
      return;
    }
    for (let c = from; c <= C - (q - r); c++) {
      combo[r] = c;
      visit(r + 1, c + 1);
    }
  };
  visit(0, 0);
  return list.sort((a, b) => a.bound - b.bound);
}
