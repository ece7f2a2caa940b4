/**
 * Continuity zones of one team: partition its lycées (those not in a fixed zone) into zones of
 * `min`–`max` lycées, the number of zones free, minimising Σ drive time from each member to its
 * zone's central lycée (the member that minimises that sum: a p-median with free p and size bounds).
 * Why this objective: a technician covering for a colleague drives from the lycée he knows best, so
 * the cost is the drive from a centre, not all pairs; it is linear, which keeps the MILP tight.
 * It favours many small zones over few large ones when both fit the bounds — which is also what a
 * backup group wants (fewer lycées to learn).
 *
 * Exact: binary x(i, j) "i in the zone centred on j", x(j, j) "j is a centre"; Σ_j x(i, j) = 1,
 * x(i, j) ≤ x(j, j), min·x(j, j) ≤ Σ_i x(i, j) ≤ max·x(j, j). Heuristic beyond `exactLimit` lycées
 * or when HiGHS finds nothing in time: location–allocation for every feasible number of zones.
 */
import { MilpBuilder, runMilp, statusLabel } from './highs.ts';
import type { SolverInstance } from './instance.ts';
import { locate } from './location.ts';

export interface ZoneProblem {
  /** p points. */
  size: number;
  /** p × p row-major: drive time from i to j. */
  costs: Float64Array;
  min: number;
  max: number;
  /**
   * Longest acceptable drive between a member and its zone's central lycée: longer links are
   * avoided when the sizes allow it (they cost more than any solution without them).
   */
  maxDrive?: number;
}

export interface ZoneSolution {
  /** Each zone: member indices, its centre first. */
  zones: number[][];
  cost: number;
  method: 'exact' | 'heuristic';
  status: string;
  bound: number | null;
}

export interface ZoneOptions {
  exactLimit?: number;
  timeLimitSeconds?: number;
  seed?: number;
}

/** Regroups a point → centre labelling into zones (centre first) with the cost to each zone's best centre. */
function zonesFrom(problem: ZoneProblem, label: Int32Array): { zones: number[][]; cost: number } {
  const groups = new Map<number, number[]>();
  for (let i = 0; i < problem.size; i++) {
    const list = groups.get(label[i]) ?? [];
    list.push(i);
    groups.set(label[i], list);
  }
  const zones: number[][] = [];
  let cost = 0;
  for (const members of groups.values()) {
    let centre = members[0];
    let best = Infinity;
    for (const c of members) {
      let total = 0;
      for (const i of members) total += problem.costs[i * problem.size + c];
      if (total < best) {
        best = total;
        centre = c;
      }
    }
    cost += best;
    zones.push([centre, ...members.filter((i) => i !== centre)]);
  }
  zones.sort((a, b) => a[0] - b[0]);
  return { zones, cost };
}

function heuristicZones(problem: ZoneProblem, seed: number): { label: Int32Array; cost: number; violation: number } {
  const p = problem.size;
  const fewest = Math.max(1, Math.ceil(p / problem.max));
  const most = Math.max(fewest, Math.floor(p / problem.min));
  let best: { label: Int32Array; cost: number; violation: number } | null = null;
  for (let count = fewest; count <= most; count++) {
    const inst: SolverInstance = {
      points: Array.from({ length: p }, (_, i) => String(i)),
      attributes: ['lycées'],
      weights: new Float64Array(p).fill(1),
      groups: Array.from({ length: count }, (_, z) => ({ id: String(z), label: String(z), lower: [problem.min], upper: [problem.max], site: null, candidates: null })),
      sites: Array.from({ length: p }, (_, i) => String(i)),
      costs: problem.costs,
      allowed: null,
      locked: new Int32Array(p).fill(-1),
      current: new Int32Array(p).fill(-1),
      stabilityCost: 0,
    };
    const located = locate(inst, { seed: seed + count, starts: 3, siteFromMembers: true, kicks: 10 });
    const { cost } = zonesFrom(problem, located.solution.assignment);
    const violation = located.solution.violations.reduce((sum, v) => sum + Math.abs(v.by), 0);
    if (!best || violation < best.violation || (violation === best.violation && cost < best.cost - 1e-9)) best = { label: located.solution.assignment, cost, violation };
  }
  return best!;
}

async function exactZones(problem: ZoneProblem, start: Int32Array, timeLimitSeconds: number): Promise<{ label: Int32Array; status: string; bound: number | null } | null> {
  const p = problem.size;
  const builder = new MilpBuilder();
  const assignRow = Array.from({ length: p }, () => builder.addRow(1, 1));
  const linkRow = new Int32Array(p * p).fill(-1);
  for (let i = 0; i < p; i++) for (let j = 0; j < p; j++) if (i !== j) linkRow[i * p + j] = builder.addRow(-Infinity, 0);
  const maxRow = Array.from({ length: p }, () => builder.addRow(-Infinity, 0));
  const minRow = Array.from({ length: p }, () => builder.addRow(0, Infinity));
  for (let i = 0; i < p; i++) {
    for (let j = 0; j < p; j++) {
      const entries = [assignRow[i], 1];
      if (i === j) {
        for (let other = 0; other < p; other++) if (other !== j) entries.push(linkRow[other * p + j], -1);
        entries.push(maxRow[j], 1 - problem.max, minRow[j], 1 - problem.min);
      } else {
        entries.push(linkRow[i * p + j], 1, maxRow[j], 1, minRow[j], 1);
      }
      builder.addColumn(problem.costs[i * p + j], 0, 1, true, entries);
    }
  }
  // Warm start: the heuristic's zones, each labelled by its best centre.
  const x = new Float64Array(p * p);
  for (const zone of zonesFrom(problem, start).zones) for (const i of zone) x[i * p + zone[0]] = 1;
  const result = await runMilp(builder.build(), { timeLimitSeconds, gapLimit: 1e-6 }, x);
  if (!result.colValue) return null;
  const label = new Int32Array(p).fill(-1);
  for (let i = 0; i < p; i++) for (let j = 0; j < p; j++) if (result.colValue[i * p + j] > 0.5) label[i] = j;
  if (label.some((j) => j < 0)) return null;
  return { label, status: statusLabel(result.status), bound: result.bound };
}

export async function solveZones(problem: ZoneProblem, options: ZoneOptions = {}): Promise<ZoneSolution> {
  const limit = problem.maxDrive;
  if (limit === undefined || !Number.isFinite(limit) || problem.size === 0) return solvePlain(problem, options);
  const p = problem.size;
  let longest = 0;
  for (const c of problem.costs) longest = Math.max(longest, c);
  // One link over the limit costs more than every link of any zoning: avoided whenever possible.
  const penalty = p * longest + 1;
  const costs = problem.costs.map((c) => (c > limit ? c + penalty : c));
  const solution = await solvePlain({ ...problem, costs, maxDrive: undefined }, options);
  let cost = 0;
  for (const zone of solution.zones) for (const i of zone) cost += problem.costs[i * p + zone[0]];
  const penalised = cost < solution.cost - 1e-6;
  return { ...solution, cost, bound: penalised ? null : solution.bound };
}

async function solvePlain(problem: ZoneProblem, options: ZoneOptions): Promise<ZoneSolution> {
  const p = problem.size;
  if (p === 0) return { zones: [], cost: 0, method: 'exact', status: 'optimal', bound: 0 };
  if (p <= problem.min) {
    const { zones, cost } = zonesFrom(problem, new Int32Array(p));
    return { zones, cost, method: 'exact', status: p === problem.min ? 'optimal' : 'trop peu de lycées', bound: p === problem.min ? cost : null };
  }
  const heuristic = heuristicZones(problem, options.seed ?? 1);
  const feasible = heuristic.violation === 0;
  if (feasible && p <= (options.exactLimit ?? 40)) {
    // Small models, solved in milliseconds; the limit only matters on a loaded machine.
    const exact = await exactZones(problem, heuristic.label, options.timeLimitSeconds ?? 3);
    if (exact) {
      const { zones, cost } = zonesFrom(problem, exact.label);
      if (cost <= heuristic.cost + 1e-6) return { zones, cost, method: 'exact', status: exact.status, bound: exact.bound };
    }
  }
  const { zones, cost } = zonesFrom(problem, heuristic.label);
  return { zones, cost, method: 'heuristic', status: feasible ? 'heuristique' : 'bornes de taille impossibles à respecter', bound: null };
}
