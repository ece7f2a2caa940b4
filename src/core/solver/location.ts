/**
 * Sites chosen by the solver (team bases among candidate lycées, or zone centres): location–
 * allocation in the manner of Cooper. Seeded k-means++-style opening of sites, then alternate
 * "assign every point under the bands with the heuristic" and "move each group's site to the
 * candidate that minimises its members' total cost", until no site moves; then close–open moves
 * (see swapSearch); several seeded starts, the least-violating then cheapest wins. Groups with a
 * fixed site keep it.
 */
import { seededRandom, shuffled, weightedIndex } from '../random.ts';
import { reduceInstance, violationAmount, type AssignmentSolution } from './assignment.ts';
import { solveHeuristic } from './heuristic.ts';
import { k, n, s, type SolverInstance } from './instance.ts';

export interface LocateOptions {
  seed?: number;
  starts?: number;
  /** A group's site must be one of its own members (zone centres). */
  siteFromMembers?: boolean;
  /** Kicks of the final polishing run of the heuristic. */
  kicks?: number;
  /**
   * Polish every start (default), or only the start that ends cheapest before polishing: many
   * cheap starts then cost little more than a few polished ones.
   */
  polish?: 'each' | 'best';
  shouldStop?: () => boolean;
  onProgress?: (fraction: number) => void;
}

export interface Located {
  sites: Int32Array;
  solution: AssignmentSolution;
}

function candidatesOf(inst: SolverInstance, g: number): readonly number[] {
  return inst.groups[g].candidates ?? Array.from({ length: s(inst) }, (_, j) => j);
}

function openSites(inst: SolverInstance, random: () => number): Int32Array {
  const N = n(inst);
  const S = s(inst);
  const sites = new Int32Array(k(inst)).fill(-1);
  const used = new Set<number>();
  inst.groups.forEach((group, g) => {
    if (group.site !== null) {
      sites[g] = group.site;
      used.add(group.site);
    }
  });
  const nearest = new Float64Array(N).fill(Infinity);
  const update = (site: number) => {
    for (let i = 0; i < N; i++) nearest[i] = Math.min(nearest[i], inst.costs[i * S + site]);
  };
  for (const site of used) update(site);
  for (let g = 0; g < k(inst); g++) {
    if (sites[g] >= 0) continue;
    // A point far from every open site, drawn with probability ∝ distance², anchors the next site.
    let total = 0;
    const weight = new Float64Array(N);
    for (let i = 0; i < N; i++) {
      weight[i] = Number.isFinite(nearest[i]) ? nearest[i] * nearest[i] : 1;
      total += weight[i];
    }
    const anchor = weightedIndex(random, weight, total);
    let best = -1;
    for (const site of candidatesOf(inst, g)) {
      if (used.has(site)) continue;
      if (best < 0 || inst.costs[anchor * S + site] < inst.costs[anchor * S + best]) best = site;
    }
    if (best < 0) throw new Error(`Aucun site libre pour ${inst.groups[g].id}.`);
    sites[g] = best;
    used.add(best);
    update(best);
  }
  return sites;
}

/** Moves each free group's site to its members' best candidate; returns whether any site moved. */
function recentre(inst: SolverInstance, sites: Int32Array, assignment: Int32Array, siteFromMembers: boolean, order: readonly number[]): boolean {
  const S = s(inst);
  const members: number[][] = Array.from({ length: k(inst) }, () => []);
  for (let i = 0; i < assignment.length; i++) members[assignment[i]].push(i);
  const used = new Set(sites);
  let moved = false;
  for (const g of order) {
    if (inst.groups[g].site !== null || members[g].length === 0) continue;
    used.delete(sites[g]);
    const candidates = siteFromMembers ? members[g] : candidatesOf(inst, g);
    let best = sites[g];
    let bestCost = Infinity;
    for (const site of candidates) {
      if (used.has(site)) continue;
      let total = 0;
      for (const i of members[g]) total += inst.costs[i * S + site];
      if (total < bestCost - 1e-9 || (total <= bestCost + 1e-9 && site === sites[g])) {
        bestCost = total;
        best = site;
      }
    }
    if (best !== sites[g]) moved = true;
    sites[g] = best;
    used.add(best);
  }
  return moved;
}

/** Pairs (group, new site) whose uncapacitated estimate is computed per pass: bounds the work on large instances. */
const SWAP_PAIR_BUDGET = 400_000;
/** Best-estimated swaps re-assigned for real per pass. */
const SWAP_TRIALS = 6;
/** Point × group pairs re-assigned over all trials of a search. */
const SWAP_WORK = 600_000;

interface Scored {
  sites: Int32Array;
  solution: AssignmentSolution;
  violation: number;
}

function scored(inst: SolverInstance, sites: Int32Array, solution: AssignmentSolution): Scored {
  return { sites, solution, violation: violationAmount(reduceInstance(inst, sites), solution.violations) };
}

/**
 * Close–open moves (the interchange of Teitz and Bart, with Whitaker's fast evaluation): for every
 * free group g and candidate site c, the cost of serving each point from its nearest open site once
 * g's site is replaced by c, without capacities, in O(n) with the nearest and second-nearest open
 * sites. The best-estimated swaps are then re-assigned under the bands by the heuristic, starting
 * from the current assignment; the first that lowers the real objective is kept, and the pass starts
 * again. This is the move that recentring lacks: it closes a base in one place and opens one far away.
 */
/**
 * For each point, its nearest open site's group and cost and the second-nearest cost: what a swap's
 * uncapacitated gain is estimated from (Whitaker's fast interchange).
 */
export function nearestTwo(inst: SolverInstance, sites: ArrayLike<number>, nearest: Int32Array, d1: Float64Array, d2: Float64Array): void {
  const S = s(inst);
  for (let i = 0; i < n(inst); i++) {
    d1[i] = Infinity;
    d2[i] = Infinity;
    nearest[i] = -1;
    for (let g = 0; g < sites.length; g++) {
      const d = inst.costs[i * S + sites[g]];
      if (d < d1[i]) {
        d2[i] = d1[i];
        d1[i] = d;
        nearest[i] = g;
      } else if (d < d2[i]) d2[i] = d;
    }
  }
}

function swapSearch(inst: SolverInstance, start: Int32Array, startSolution: AssignmentSolution, random: () => number, siteFromMembers: boolean, shouldStop?: () => boolean): { sites: Int32Array; solution: AssignmentSolution } {
  const N = n(inst);
  const S = s(inst);
  const K = k(inst);
  let current = scored(inst, Int32Array.from(start), startSolution);
  const free = inst.groups.map((g, index) => (g.site === null ? index : -1)).filter((g) => g >= 0);
  if (free.length === 0) return current;
  const nearest = new Int32Array(N);
  const d1 = new Float64Array(N);
  const d2 = new Float64Array(N);
  // Each trial re-assigns every point: the trials allowed shrink with the instance (none past 10⁶ pairs).
  let trialsLeft = Math.floor(SWAP_WORK / (N * K));
  for (let pass = 0; pass < 4 * K + 20 && trialsLeft > 0 && !shouldStop?.(); pass++) {
    const sites = current.sites;
    nearestTwo(inst, sites, nearest, d1, d2);
    const used = new Set(sites);
    const members: number[][] = Array.from({ length: K }, () => []);
    for (let i = 0; i < N; i++) members[current.solution.assignment[i]].push(i);
    const trials: { g: number; site: number; delta: number }[] = [];
    for (const g of free) {
      let pool = siteFromMembers ? members[g] : candidatesOf(inst, g);
      const budget = Math.max(1, Math.floor(SWAP_PAIR_BUDGET / (N * free.length)));
      if (pool.length > budget) pool = shuffled(random, pool).slice(0, budget);
      for (const site of pool) {
        if (used.has(site)) continue;
        let delta = 0;
        for (let i = 0; i < N; i++) {
          const dc = inst.costs[i * S + site];
          delta += Math.min(dc, nearest[i] === g ? d2[i] : d1[i]) - d1[i];
        }
        trials.push({ g, site, delta });
      }
    }
    trials.sort((a, b) => a.delta - b.delta || a.g - b.g || a.site - b.site);
    let moved = false;
    for (const trial of trials.slice(0, Math.min(SWAP_TRIALS, trialsLeft))) {
      trialsLeft--;
      const sitesAfter = Int32Array.from(sites);
      sitesAfter[trial.g] = trial.site;
      const solution = solveHeuristic(reduceInstance(inst, sitesAfter), { seed: Math.floor(random() * 2 ** 31), starts: 0, kicks: 2, initial: current.solution.assignment });
      const next = scored(inst, sitesAfter, solution);
      if (better({ violation: next.violation, cost: next.solution.cost }, { violation: current.violation, cost: current.solution.cost })) {
        current = next;
        moved = true;
        break;
      }
    }
    if (!moved) break;
  }
  return current;
}

const better = (a: { violation: number; cost: number }, b: { violation: number; cost: number } | null): boolean =>
  b === null || a.violation < b.violation - 1e-9 || (Math.abs(a.violation - b.violation) <= 1e-9 && a.cost < b.cost - 1e-9);

export function locate(inst: SolverInstance, options: LocateOptions = {}): Located {
  const random = seededRandom(options.seed ?? 1);
  const starts = Math.max(1, options.starts ?? 4);
  const polishEach = (options.polish ?? 'each') === 'each';
  let best: (Located & { violation: number; cost: number }) | null = null;
  for (let start = 0; start < starts; start++) {
    if (options.shouldStop?.() && best) break;
    const sites = openSites(inst, random);
    let solution: AssignmentSolution | null = null;
    for (let round = 0; round < 30; round++) {
      const problem = reduceInstance(inst, sites);
      // After the first round the sites move little: descending from the previous assignment suffices.
      solution = solveHeuristic(problem, { seed: Math.floor(random() * 2 ** 31), starts: solution ? 0 : 1, kicks: 3, initial: solution?.assignment });
      const order = shuffled(random, Array.from({ length: k(inst) }, (_, g) => g));
      if (!recentre(inst, sites, solution.assignment, options.siteFromMembers ?? false, order)) break;
    }
    const swapped = swapSearch(inst, sites, solution!, random, options.siteFromMembers ?? false, options.shouldStop);
    const candidate = polishEach ? polish(inst, swapped, options) : { ...swapped, violation: violationAmount(reduceInstance(inst, swapped.sites), swapped.solution.violations), cost: swapped.solution.cost };
    if (better(candidate, best)) best = candidate;
    options.onProgress?.((start + 1) / starts);
  }
  const winner = polishEach ? best! : polish(inst, best!, options);
  return { sites: winner.sites, solution: winner.solution };
}

function polish(inst: SolverInstance, located: Located, options: LocateOptions): Located & { violation: number; cost: number } {
  const problem = reduceInstance(inst, located.sites);
  const solution = solveHeuristic(problem, { seed: options.seed ?? 1, starts: 0, kicks: options.kicks ?? 30, initial: located.solution.assignment });
  return { sites: located.sites, solution, violation: violationAmount(problem, solution.violations), cost: solution.cost };
}
