/**
 * Matheuristic for interchangeable groups choosing their sites (the capacitated p-median): the
 * location–allocation of location.ts, then close–open moves whose assignment is solved **exactly**
 * (HiGHS, a small generalised assignment problem: n × p binaries, solved in a fraction of a second
 * for n = 100, p = 10). The heuristic assignment of a site set is typically 0.2–1.5 % above the best
 * one on tight capacities, enough to hide the better site set; the exact one does not. Each pass
 * estimates every move (group g closes its site, candidate c opens) with the fast assignment
 * heuristic, then solves exactly the few best; the first that lowers the cost is kept. Node limits,
 * not the clock, bound each HiGHS run: same seed, same result.
 */
import { assignmentCost, facilityCount, reduceInstance, type AssignmentProblem, type AssignmentSolution } from './assignment.ts';
import { solveExact } from './exact.ts';
import { solveHeuristic } from './heuristic.ts';
import { k, n, s, type SolverInstance } from './instance.ts';
import { nearestTwo } from './location.ts';

export interface RefineOptions {
  seed?: number;
  /** Exact assignments solved in all (each a HiGHS run). */
  exactSolves?: number;
  shouldStop?: () => boolean;
  /** Seconds left of the caller's time limit (exact path): no HiGHS run goes past it. */
  remaining?: () => number;
}

/** Moves estimated per pass with the assignment heuristic, and solved exactly among those. */
const ESTIMATED = 16;
const SOLVED = 3;
/** Per HiGHS run: enough for the assignment problems of this size to close, the same on any machine. */
const NODES = 2000;
/** Groups each point may join in the exact assignments (the nearest ones). */
const NEAREST_GROUPS = 10;

export async function refineLocation(inst: SolverInstance, start: { sites: Int32Array; solution: AssignmentSolution }, options: RefineOptions = {}): Promise<{ sites: Int32Array; solution: AssignmentSolution }> {
  const N = n(inst);
  const S = s(inst);
  const K = k(inst);
  let budget = options.exactSolves ?? 4;
  const left = () => options.remaining?.() ?? Infinity;
  const exact = async (sites: Int32Array, initial: Int32Array | undefined): Promise<AssignmentSolution | null> => {
    budget--;
    if (left() < 0.1) return null;
    const solved = await solveExact(nearestOnly(reduceInstance(inst, sites), initial), { timeLimitSeconds: Math.min(30, left()), gapLimit: 1e-9, initial, maxNodes: NODES });
    return solved && solved.violations.length === 0 ? { ...solved, cost: assignmentCost(reduceInstance(inst, sites), solved.assignment) } : null;
  };
  let sites: Int32Array = Int32Array.from(start.sites);
  let best = start.solution;
  const first = await exact(sites, best.assignment);
  if (first && first.cost < best.cost - 1e-9) best = first;
  const candidates = inst.groups[0].candidates ?? Array.from({ length: S }, (_, j) => j);
  const tried = new Set<string>([key(sites)]);
  while (budget > 0 && left() >= 0.1 && !options.shouldStop?.()) {
    // Uncapacitated estimate of every move from the nearest and second-nearest open sites (Whitaker).
    const d1 = new Float64Array(N);
    const d2 = new Float64Array(N);
    const nearest = new Int32Array(N);
    nearestTwo(inst, sites, nearest, d1, d2);
    const open = new Set(sites);
    const moves: { g: number; site: number; estimate: number }[] = [];
    for (let g = 0; g < K; g++) {
      for (const site of candidates) {
        if (open.has(site)) continue;
        let delta = 0;
        for (let i = 0; i < N; i++) delta += Math.min(inst.costs[i * S + site], nearest[i] === g ? d2[i] : d1[i]) - d1[i];
        moves.push({ g, site, estimate: delta });
      }
    }
    moves.sort((a, b) => a.estimate - b.estimate || a.g - b.g || a.site - b.site);
    // The capacitated estimate: the assignment heuristic from the current assignment.
    const estimated: { sites: Int32Array; solution: AssignmentSolution }[] = [];
    for (const move of moves) {
      if (estimated.length >= ESTIMATED) break;
      const after = Int32Array.from(sites);
      after[move.g] = move.site;
      if (tried.has(key(after))) continue;
      const solution = solveHeuristic(reduceInstance(inst, after), { seed: options.seed ?? 1, starts: 0, kicks: 2, initial: best.assignment });
      if (solution.violations.length === 0) estimated.push({ sites: after, solution });
    }
    estimated.sort((a, b) => a.solution.cost - b.solution.cost);
    let moved = false;
    for (const candidate of estimated.slice(0, SOLVED)) {
      if (budget <= 0) break;
      tried.add(key(candidate.sites));
      const solved = await exact(candidate.sites, candidate.solution.assignment);
      if (solved && solved.cost < best.cost - 1e-9) {
        sites = candidate.sites;
        best = solved;
        moved = true;
        break;
      }
    }
    if (!moved) break;
  }
  return { sites, solution: { ...best, method: 'heuristic', bound: null, gap: null, status: 'heuristique' } };
}

const key = (sites: Int32Array): string => Array.from(sites).sort((a, b) => a - b).join(',');

/**
 * Each point may only go to its NEAREST_GROUPS cheapest groups (and its group in `initial`): a far
 * smaller model when p is large, whose optimum is almost always the full one's.
 */
function nearestOnly(problem: AssignmentProblem, initial: Int32Array | undefined): AssignmentProblem {
  const F = facilityCount(problem);
  const keep = NEAREST_GROUPS;
  if (F <= keep) return problem;
  const cost = Float64Array.from(problem.cost);
  const N = problem.pointIds.length;
  const order = Array.from({ length: F }, (_, g) => g);
  for (let i = 0; i < N; i++) {
    order.sort((a, b) => problem.cost[i * F + a] - problem.cost[i * F + b] || a - b);
    for (let r = keep; r < F; r++) if (order[r] !== initial?.[i]) cost[i * F + order[r]] = Infinity;
  }
  return { ...problem, cost };
}
