/**
 * The solver's entry point, shared by the worker, the CLI, the benchmark and the tests:
 * 1. sites: fixed, or chosen by location–allocation for the groups without one;
 * 2. assignment: heuristic (multi-start local search), then, when the model is small enough and the
 *    method allows it, the HiGHS MILP warm-started with it (proven bound and gap);
 * 3. continuity zones inside each group, when asked, around the fixed zones.
 * With a contiguity graph in the instance (one-piece sectors), the assignment keeps every group in
 * one piece (after the location, for chosen sites), and the outcome says what that costs.
 */
import { assignmentCost, reduceInstance, violationAmount, violationsOf, type AssignmentSolution } from './assignment.ts';
import { interchangeableGroups, locationColumns, solveLocationExact } from './exact-location.ts';
import { lagrangianBound } from './lagrangian.ts';
import { lagrangianTree } from './lagrangian-bb.ts';
import { solveExact } from './exact.ts';
import { solveHeuristic } from './heuristic.ts';
import { evaluate, k, n, sitesFixed, type Evaluation, type SolverInstance } from './instance.ts';
import { locate } from './location.ts';
import { refineLocation } from './matheuristic.ts';
import { improveClusters } from './cluster.ts';
import { solveZones } from './zones.ts';
import { piecesPerGroup } from './contiguity.ts';

export type SolveMethod = 'auto' | 'heuristic';

export interface ZoneRequest {
  /**
   * Zones are made of lycées, which may differ from the assignment's points: lycées sharing a site
   * are one point there. `pointOf[lycée]` is its instance point; absent, lycée i is point i.
   */
  pointOf?: Int32Array;
  /** L × L row-major, L lycées: drive time between them. */
  pointCosts: Float64Array | Float32Array;
  min: number;
  max: number;
  /** Fixed zones (lycée indices), kept as they are; their lycées are left out of the new zones. */
  fixed: number[][];
  /** Longest acceptable drive inside a zone (seconds): longer zones are avoided and flagged. */
  maxDriveSeconds?: number;
  exactLimit?: number;
}

export interface SolveOptions {
  seed?: number;
  method?: SolveMethod;
  /** Time limit of the whole solve (seconds), shared by every phase; the heuristic phases are bounded by their work, the exact ones get what remains. */
  timeLimitSeconds?: number;
  gapLimit?: number;
  /** Above this many assignment variables (n × candidate sites for the location model) the MILP is not attempted: a Lagrangian bound is given instead. */
  exactMaxColumns?: number;
  starts?: number;
  kicks?: number;
  zones?: ZoneRequest | null;
  onProgress?: (progress: SolveProgress) => void;
  shouldStop?: () => boolean;
}

export interface SolveProgress {
  phase: 'bases' | 'heuristique' | 'exact' | 'zones';
  /** 0–1 within the phase. */
  fraction: number;
}

export interface ZoneOutcome {
  group: number;
  /** Lycée indices (see ZoneRequest.pointOf), centre first. */
  members: number[];
  fixed: boolean;
  /** Longest drive between two members (either direction), and whether it exceeds the request's maxDriveSeconds. */
  longestSeconds: number;
  long: boolean;
}

export interface ZonesSummary {
  zones: ZoneOutcome[];
  /** Σ member → centre drive time over the new zones. */
  travel: number;
  exactGroups: number;
  heuristicGroups: number;
  /** Zones whose size is out of [min, max] (too few lycées left in a group). */
  outOfRange: number;
  /** New zones whose longest internal drive exceeds maxDriveSeconds. */
  longZones: number;
  seconds: number;
}

/** What each exact phase was allowed and used (seconds): a phase's start plus its limit never exceeds the time limit. */
export interface PhaseBudget {
  phase: 'affectation (MILP)' | 'borne lagrangienne' | 'localisation (MILP)' | 'localisation (arbre lagrangien)';
  /** Seconds since the solve started. */
  startedAt: number;
  limitSeconds: number;
  seconds: number;
}

export interface SolveOutcome {
  group: Int32Array;
  site: Int32Array;
  evaluation: Evaluation;
  method: 'heuristique' | 'exact' | 'bases choisies + heuristique' | 'bases choisies + exact' | 'localisation exacte';
  status: string;
  /** Proven lower bound of the objective (fixed sites: assignment MILP; chosen sites: location MILP or Lagrangian relaxation). */
  bound: number | null;
  phases: PhaseBudget[];
  gap: number | null;
  heuristicObjective: number;
  seconds: { sites: number; heuristic: number; exact: number; zones: number; total: number };
  zones: ZonesSummary | null;
  /** One-piece sectors: pieces per group in the result, and the objective of the heuristic without the rule. */
  contiguity: { pieces: number[]; unconstrainedObjective: number } | null;
}

const now = (): number => performance.now() / 1000;

/** Whether every objective value is an integer (integer costs and stability cost). */
function integralObjective(inst: SolverInstance): boolean {
  if (!Number.isInteger(inst.stabilityCost)) return false;
  for (const c of inst.costs) if (Number.isFinite(c) && !Number.isInteger(c)) return false;
  return true;
}

/** Starts of the location–allocation for the p-median (see locate's `polish: 'best'`), and the largest assignment model (n × p) the matheuristic solves exactly. */
const P_MEDIAN_STARTS = 16;
const MATHEURISTIC_MAX_PAIRS = 5000;
/** Capacity above the total demand (share), below which the matheuristic's exact assignments are skipped. */
const MATHEURISTIC_MIN_SLACK = 0.1;

/** Least, over the attributes with upper bands, of Σ upper bands / total weight − 1. */
function capacitySlack(inst: SolverInstance): number {
  let slack = Infinity;
  inst.attributes.forEach((_, a) => {
    let capacity = 0;
    for (const g of inst.groups) capacity += g.upper[a];
    let total = 0;
    for (let i = 0; i < n(inst); i++) total += inst.weights[i * inst.attributes.length + a];
    if (Number.isFinite(capacity) && total > 0) slack = Math.min(slack, capacity / total - 1);
  });
  return slack;
}

/** Branch-and-bound nodes for the assignment of one leaf of the Lagrangian tree (see lagrangian-bb.ts). */
const LEAF_NODES = 5000;

/** Default size limit of the exact models (variables). */
export const DEFAULT_EXACT_MAX_COLUMNS = 20_000;

export async function solve(inst: SolverInstance, options: SolveOptions = {}): Promise<SolveOutcome> {
  const started = now();
  const seed = options.seed ?? 1;
  const progress = options.onProgress ?? (() => undefined);
  const fixed = sitesFixed(inst);
  const auto = (options.method ?? 'auto') === 'auto';
  const limit = options.timeLimitSeconds ?? 10;
  const remaining = () => Math.max(0, started + limit - now());
  let sites: Int32Array;
  let heuristic: AssignmentSolution;
  const sitesStarted = now();
  if (fixed) {
    sites = Int32Array.from(inst.groups, (g) => g.site!);
    progress({ phase: 'heuristique', fraction: 0 });
    heuristic = solveHeuristic(reduceInstance(inst, sites), {
      seed,
      starts: options.starts,
      kicks: options.kicks,
      initial: inst.current.every((g) => g >= 0) ? inst.current : undefined,
      shouldStop: options.shouldStop,
      onProgress: (fraction) => progress({ phase: 'heuristique', fraction }),
    });
  } else {
    progress({ phase: 'bases', fraction: 0 });
    // The p-median of the literature (interchangeable groups, one-piece rule off, small assignment
    // model): many cheap starts, then the matheuristic that solves the assignments exactly.
    const pMedian = !inst.contiguity && interchangeableGroups(inst) && n(inst) * k(inst) <= MATHEURISTIC_MAX_PAIRS;
    let located = locate(inst, {
      seed,
      starts: options.starts ?? (pMedian ? P_MEDIAN_STARTS : undefined),
      kicks: options.kicks,
      polish: pMedian ? 'best' : 'each',
      shouldStop: options.shouldStop,
      onProgress: (fraction) => progress({ phase: 'bases', fraction }),
    });
    // HiGHS solves the assignments in a fraction of a second when the capacities leave some room;
    // with a few per cent only, each solve takes seconds: the heuristic alone (no clock may cut it)
    // skips them, the exact path runs them within its time limit.
    if (pMedian && capacitySlack(inst) >= MATHEURISTIC_MIN_SLACK) located = await refineLocation(inst, located, { seed, shouldStop: options.shouldStop });
    else if (pMedian) {
      // Tight capacities: small clusters of facilities re-solved exactly, location and assignment
      // together. Alone, bounded by its work (same seed, same result); in the exact path, also by half
      // the time left, so that a short limit still leaves time to the exact phases.
      const clustersEnd = now() + remaining() * 0.5;
      located = improveClusters(inst, located, { seed, shouldStop: () => (options.shouldStop?.() ?? false) || (auto && now() > clustersEnd) });
      if (auto) {
        const refineEnd = now() + remaining() * 0.3;
        located = await refineLocation(inst, located, { seed, shouldStop: options.shouldStop, remaining: () => Math.max(0, refineEnd - now()) });
      }
    }
    sites = located.sites;
    heuristic = located.solution;
  }
  const graph = inst.contiguity ?? null;
  const unconstrainedObjective = heuristic.cost;
  if (graph) {
    // The search above ignored contiguity for fixed sites only to measure what the rule costs.
    heuristic = solveHeuristic(reduceInstance(inst, sites), {
      seed,
      starts: options.starts,
      kicks: options.kicks,
      initial: heuristic.assignment,
      contiguity: graph,
      shouldStop: options.shouldStop,
      onProgress: (fraction) => progress({ phase: 'heuristique', fraction }),
    });
  }
  const heuristicSeconds = now() - sitesStarted;
  // HiGHS overruns its time limit by the model set-up and the last node: keep a margin for it.
  const milpBudget = () => Math.max(0.05, remaining() * 0.9 - 0.5);
  const phases: PhaseBudget[] = [];
  const maxColumns = options.exactMaxColumns ?? DEFAULT_EXACT_MAX_COLUMNS;
  let best = heuristic;
  const problem = reduceInstance(inst, sites);
  let columns = 0;
  for (const c of problem.cost) if (Number.isFinite(c)) columns++;
  const exactStarted = now();
  // Interchangeable groups choosing their sites (the p-median of the literature): the location
  // itself can be proven optimal, which subsumes the assignment MILP on the heuristic's sites.
  const locationExact = !fixed && !graph && auto && interchangeableGroups(inst) && heuristic.violations.length === 0;
  if (auto && !locationExact && columns <= maxColumns && !options.shouldStop?.() && remaining() > 0.05) {
    progress({ phase: 'exact', fraction: 0 });
    const limitSeconds = milpBudget();
    const phaseStarted = now();
    const exact = await solveExact(problem, { timeLimitSeconds: limitSeconds, gapLimit: options.gapLimit, initial: heuristic.assignment, contiguity: graph, onProgress: (fraction) => progress({ phase: 'exact', fraction }) });
    phases.push({ phase: 'affectation (MILP)', startedAt: phaseStarted - started, limitSeconds, seconds: now() - phaseStarted });
    if (exact) {
      const exactViolation = violationAmount(problem, exact.violations);
      const heuristicViolation = violationAmount(problem, heuristic.violations);
      if (exactViolation < heuristicViolation - 1e-9 || (exactViolation <= heuristicViolation + 1e-9 && exact.cost <= heuristic.cost + 1e-6)) best = exact;
    }
  }
  let locationBound: number | null = null;
  let locationStatus: string | null = null;
  // Chosen sites and a solution within the bands: a Lagrangian bound (of the whole problem, not of
  // the chosen sites only; contiguity relaxed, so it stays a bound), then for interchangeable groups
  // the location MILP on what the bound could not rule out.
  if (!fixed && auto && best.violations.length === 0 && !options.shouldStop?.() && remaining() > 0.05) {
    progress({ phase: 'exact', fraction: 0 });
    const gapLimit = options.gapLimit ?? 1e-4;
    // Integer costs (e.g. the OR-Library's truncated distances): only a solution cheaper by 1 or
    // more improves on the incumbent, so the fixing and the proof both aim just below it.
    const integral = integralObjective(inst);
    const target = integral ? best.cost - 1 + 1e-6 : best.cost;
    const closes = (bound: number) => (integral ? bound >= target - 1e-9 : bound >= best.cost * (1 - gapLimit));
    const limitSeconds = locationExact && locationColumns(inst) <= maxColumns ? remaining() * 0.4 : remaining();
    const phaseStarted = now();
    const startU = new Float64Array(n(inst));
    for (let i = 0; i < n(inst); i++) startU[i] = problem.cost[i * k(inst) + best.assignment[i]];
    const relaxed = lagrangianBound(inst, locationExact, { upperBound: target, start: startU, deadline: performance.now() + limitSeconds * 1000 });
    phases.push({ phase: 'borne lagrangienne', startedAt: phaseStarted - started, limitSeconds, seconds: now() - phaseStarted });
    if (Number.isFinite(relaxed.bound)) locationBound = relaxed.bound;
    if (locationBound !== null && closes(locationBound)) locationStatus = 'optimal (borne lagrangienne)';
    else if (locationExact && locationColumns(inst) <= maxColumns && relaxed.integerKnapsack && !options.shouldStop?.() && remaining() > 0.05) {
      // One integer attribute: branch and bound on the Lagrangian bound, far stronger than the LP.
      // A better solution met on the way only tightens the pruning: one tree, to the end (restarting
      // it with a tighter fixing re-explored the same nodes: 20 to 30 % more CPU, measured).
      const treeStarted = now();
      const tree = lagrangianTree(inst, {
        cost: best.cost,
        sites,
        group: best.assignment,
        multipliers: relaxed.multipliers!,
        siteKept: relaxed.siteKept!,
        pairKept: relaxed.pairKept!,
        integral,
        gapLimit,
        deadline: performance.now() + Math.max(0, remaining() - 0.15) * 1000,
      });
      if (tree.improved) {
        // The tree's assignment is heuristic: solved exactly on its sites, it often drops further.
        const found: AssignmentSolution = { assignment: tree.group, cost: tree.cost, violations: [], method: 'heuristic', bound: null, gap: null, status: 'heuristique', seconds: 0 };
        const refined = await refineLocation(inst, { sites: tree.sites, solution: found }, { seed, exactSolves: 2, shouldStop: options.shouldStop, remaining });
        sites = refined.sites;
        best = { ...refined.solution, method: 'exact', status: 'optimal' };
      }
      // Leaves: sites all decided, assignment open; settled by the exact assignment of those sites.
      let settled = true;
      for (const leaf of tree.leaves) {
        if (leaf.bound >= best.cost * (1 - 1e-12)) continue;
        if (remaining() < 0.1) {
          settled = false;
          break;
        }
        const solved = await solveExact(reduceInstance(inst, leaf.sites), { timeLimitSeconds: remaining(), gapLimit: 1e-9, maxNodes: LEAF_NODES });
        if (!solved || solved.gap === null || solved.gap > 1e-9) settled = false;
        if (solved && solved.violations.length === 0 && solved.cost < best.cost - 1e-9) {
          sites = leaf.sites;
          best = { ...solved, method: 'exact', status: 'optimal' };
        }
      }
      locationBound = Math.max(locationBound ?? -Infinity, Math.min(tree.bound, best.cost));
      // A better incumbent only prunes more: an exhausted tree with settled leaves proves it too.
      if (tree.proven && settled) locationStatus = 'optimal';
      locationStatus ??= tree.proven && remaining() >= 0.2 ? 'non prouvé (affectation d’une feuille non résolue)' : 'limite de temps atteinte';
      phases.push({ phase: 'localisation (arbre lagrangien)', startedAt: treeStarted - started, limitSeconds: limit - (treeStarted - started), seconds: now() - treeStarted });
    } else if (locationExact && locationColumns(inst) <= maxColumns && !options.shouldStop?.() && remaining() > 0.05) {
      const milpLimit = milpBudget();
      const milpStarted = now();
      const located = await solveLocationExact(
        inst,
        { group: best.assignment, site: sites },
        { timeLimitSeconds: milpLimit, gapLimit, absoluteGap: integral ? 1 - 1e-6 : undefined, fixing: relaxed, onProgress: (fraction) => progress({ phase: 'exact', fraction }) },
      );
      phases.push({ phase: 'localisation (MILP)', startedAt: milpStarted - started, limitSeconds: milpLimit, seconds: now() - milpStarted });
      if (located?.group && located.site) {
        const locatedProblem = reduceInstance(inst, located.site);
        const cost = assignmentCost(locatedProblem, located.group);
        if (cost <= best.cost + 1e-6 && violationsOf(locatedProblem, located.group).length === 0) {
          sites = located.site;
          best = { assignment: located.group, cost, violations: [], method: 'exact', bound: null, gap: null, status: located.status, seconds: 0 };
        }
      }
      if (located) {
        // The fixing may leave out the incumbent itself: a model without any solution then proves it.
        locationStatus = located.bound === Infinity ? 'optimal' : located.status;
        if (located.bound !== null) locationBound = Math.max(locationBound ?? -Infinity, located.bound);
      }
    }
    if (locationStatus?.startsWith('optimal')) locationBound = best.cost;
    if (locationBound !== null) locationBound = Math.min(integral ? Math.ceil(locationBound - 1e-7) : locationBound, best.cost);
  }
  const exactSeconds = now() - exactStarted;
  const evaluation = evaluate(inst, { group: best.assignment, site: sites });
  const zonesStarted = now();
  const zones = options.zones ? await solveAllZones(inst, best.assignment, options.zones, seed, progress) : null;
  const zonesSeconds = now() - zonesStarted;
  const exactUsed = best.method === 'exact';
  // With chosen sites, an assignment MILP bound holds for those sites only: not a bound of the
  // whole problem. Only the location MILP bounds it.
  const bound = fixed ? best.bound : locationBound;
  const proven = locationStatus !== null && locationStatus.startsWith('optimal');
  return {
    group: best.assignment,
    site: sites,
    evaluation,
    method: fixed ? (exactUsed ? 'exact' : 'heuristique') : proven || (locationExact && exactUsed) ? 'localisation exacte' : exactUsed ? 'bases choisies + exact' : 'bases choisies + heuristique',
    status: locationStatus ?? best.status,
    bound,
    gap: fixed ? best.gap : bound === null ? null : best.cost > 0 ? Math.max(0, (best.cost - bound) / best.cost) : 0,
    heuristicObjective: heuristic.cost,
    phases,
    seconds: { sites: fixed ? 0 : heuristicSeconds, heuristic: fixed ? heuristicSeconds : 0, exact: exactSeconds, zones: zonesSeconds, total: now() - started },
    zones,
    contiguity: graph ? { pieces: piecesPerGroup(graph, best.assignment, k(inst)), unconstrainedObjective } : null,
  };
}

async function solveAllZones(inst: SolverInstance, group: Int32Array, request: ZoneRequest, seed: number, progress: (p: SolveProgress) => void): Promise<ZonesSummary> {
  const started = now();
  const N = request.pointOf?.length ?? n(inst);
  const groupOf = (lycee: number) => group[request.pointOf?.[lycee] ?? lycee];
  const inFixedZone = new Uint8Array(N);
  const zones: ZoneOutcome[] = [];
  const longest = (members: readonly number[]) => {
    let max = 0;
    for (const a of members) for (const b of members) if (a !== b) max = Math.max(max, request.pointCosts[a * N + b]);
    return { longestSeconds: max, long: request.maxDriveSeconds !== undefined && max > request.maxDriveSeconds };
  };
  for (const members of request.fixed) {
    for (const i of members) inFixedZone[i] = 1;
    if (members.length > 0) zones.push({ group: groupOf(members[0]), members: [...members], fixed: true, ...longest(members) });
  }
  let travel = 0;
  let exactGroups = 0;
  let heuristicGroups = 0;
  for (let g = 0; g < k(inst); g++) {
    progress({ phase: 'zones', fraction: g / k(inst) });
    const pool: number[] = [];
    for (let i = 0; i < N; i++) if (groupOf(i) === g && !inFixedZone[i]) pool.push(i);
    const p = pool.length;
    const costs = new Float64Array(p * p);
    for (let a = 0; a < p; a++) for (let b = 0; b < p; b++) costs[a * p + b] = request.pointCosts[pool[a] * N + pool[b]];
    const solution = await solveZones({ size: p, costs, min: request.min, max: request.max, maxDrive: request.maxDriveSeconds }, { seed, exactLimit: request.exactLimit });
    if (p > 0) {
      if (solution.method === 'exact') exactGroups++;
      else heuristicGroups++;
    }
    travel += solution.cost;
    for (const zone of solution.zones) {
      const members = zone.map((local) => pool[local]);
      zones.push({ group: g, members, fixed: false, ...longest(members) });
    }
  }
  progress({ phase: 'zones', fraction: 1 });
  const outOfRange = zones.filter((z) => !z.fixed && (z.members.length < request.min || z.members.length > request.max)).length;
  const longZones = zones.filter((z) => !z.fixed && z.long).length;
  return { zones, travel, exactGroups, heuristicGroups, outOfRange, longZones, seconds: now() - started };
}
