/**
 * The solver's own problem, independent of plans and of the UI: points with attribute weights, groups
 * (teams, or facilities of the p-median literature) with per-attribute bounds, candidate sites and a
 * dense point × site cost matrix. A group either has a fixed site or chooses a distinct one among
 * its candidates. Costs are drive times in seconds (or any additive cost for generic instances).
 */
import type { PointGraph } from './contiguity.ts';

export interface GroupSpec {
  id: string;
  label: string;
  /** Per attribute (same order as `attributes`): -Infinity when there is no lower bound. */
  lower: number[];
  /** Per attribute: Infinity when there is no upper bound. */
  upper: number[];
  /** Index in `sites` of the fixed site, or null when the solver chooses it. */
  site: number | null;
  /** Sites this group may choose from (indices in `sites`); null = every site. Ignored when `site` is fixed. */
  candidates: number[] | null;
}

export interface SolverInstance {
  /** Point ids, n: a lycée's UAI, or the UAIs of the lycées sharing a site joined by « + ». */
  points: string[];
  /** Attribute names, m (e.g. 'establishments', 'pcs', 'students'). */
  attributes: string[];
  /** n × m row-major. */
  weights: Float64Array;
  groups: GroupSpec[];
  /** Site ids, s. */
  sites: string[];
  /** n × s row-major, cost of serving point i from site j (seconds). */
  costs: Float64Array;
  /** n × k row-major, 1 when point i may join group g (département rules); null = all allowed. */
  allowed: Uint8Array | null;
  /** Per point: the group it must stay in (lock), or -1. */
  locked: Int32Array;
  /** Per point: its group in the current proposal, or -1 (stability term). */
  current: Int32Array;
  /** Cost added for each point placed outside its current group (same unit as costs). */
  stabilityCost: number;
  /** Point adjacency (see contiguity.ts): when given, every group must be one connected piece. */
  contiguity?: PointGraph | null;
}

export interface Violation {
  group: string;
  attribute: string;
  /** The load reached and the band it misses. */
  value: number;
  lower: number;
  upper: number;
  /** Signed distance to the band: positive above the upper bound, negative below the lower one. */
  by: number;
}

export interface Assignment {
  /** Per point: group index. */
  group: Int32Array;
  /** Per group: site index. */
  site: Int32Array;
}

export interface Evaluation {
  /** Σ cost(point, site of its group). */
  travel: number;
  /** Number of points outside their current group. */
  moved: number;
  /** travel + stabilityCost × moved: the objective when no band is violated. */
  objective: number;
  violations: Violation[];
  loads: Float64Array;
}

export const n = (inst: SolverInstance): number => inst.points.length;
export const m = (inst: SolverInstance): number => inst.attributes.length;
export const k = (inst: SolverInstance): number => inst.groups.length;
export const s = (inst: SolverInstance): number => inst.sites.length;

/**
 * Cost of missing a band by `units` point equivalents: convex and piecewise linear (slope 1 for the
 * first unit, +0.25 for each further unit, up to 4), so that an unavoidable excess is spread over the
 * teams that must bear it instead of being piled on one of them — a sum of plain distances would
 * be indifferent between the two. The MILP models the same function with segment slack columns.
 */
export const VIOLATION_SEGMENTS = 12;

export function violationSlope(segment: number): number {
  return 1 + 0.25 * Math.min(segment, VIOLATION_SEGMENTS);
}

export function violationCost(units: number): number {
  // Closed form of Σ over segments (this runs in the heuristic's innermost loop).
  const full = Math.min(Math.floor(units), VIOLATION_SEGMENTS);
  const withinFull = full + 0.125 * full * (full - 1);
  return withinFull + (units - full) * violationSlope(full);
}

/**
 * Violations are measured in "point equivalents": a band missed by the mean weight of a point counts 1,
 * whatever the attribute (a lycée, or a mean lycée's PCs), so attributes of different scales add up.
 */
export function attributeUnits(inst: SolverInstance): Float64Array {
  const units = new Float64Array(m(inst));
  for (let a = 0; a < m(inst); a++) {
    let total = 0;
    for (let i = 0; i < n(inst); i++) total += inst.weights[i * m(inst) + a];
    units[a] = total > 0 ? total / n(inst) : 1;
  }
  return units;
}

export function isAllowed(inst: SolverInstance, point: number, group: number): boolean {
  if (inst.locked[point] >= 0) return inst.locked[point] === group;
  return inst.allowed === null || inst.allowed[point * k(inst) + group] === 1;
}

export function bandMiss(value: number, lower: number, upper: number): number {
  // A tolerance absorbs float noise of summed weights (PC counts are integers, students too).
  if (value > upper + 1e-6) return value - upper;
  if (value < lower - 1e-6) return value - lower;
  return 0;
}

export function evaluate(inst: SolverInstance, sol: Assignment): Evaluation {
  const K = k(inst);
  const M = m(inst);
  const S = s(inst);
  const loads = new Float64Array(K * M);
  let travel = 0;
  let moved = 0;
  for (let i = 0; i < n(inst); i++) {
    const g = sol.group[i];
    travel += inst.costs[i * S + sol.site[g]];
    if (inst.current[i] >= 0 && inst.current[i] !== g) moved++;
    for (let a = 0; a < M; a++) loads[g * M + a] += inst.weights[i * M + a];
  }
  const violations: Violation[] = [];
  for (let g = 0; g < K; g++) {
    const spec = inst.groups[g];
    for (let a = 0; a < M; a++) {
      const value = loads[g * M + a];
      const by = bandMiss(value, spec.lower[a], spec.upper[a]);
      if (by !== 0) violations.push({ group: spec.id, attribute: inst.attributes[a], value, lower: spec.lower[a], upper: spec.upper[a], by });
    }
  }
  return { travel, moved, objective: travel + inst.stabilityCost * moved, violations, loads };
}

/** Reasons (French) why an assignment breaks a hard rule: every point once, locks, allowed groups, distinct sites. */
export function checkAssignment(inst: SolverInstance, sol: Assignment): string[] {
  const reasons: string[] = [];
  if (sol.group.length !== n(inst)) reasons.push(`Affectation de ${sol.group.length} points pour ${n(inst)}.`);
  for (let i = 0; i < sol.group.length; i++) {
    const g = sol.group[i];
    if (g < 0 || g >= k(inst)) reasons.push(`${inst.points[i]} : aucune équipe.`);
    else if (!isAllowed(inst, i, g)) reasons.push(`${inst.points[i]} : équipe ${inst.groups[g].id} non autorisée.`);
  }
  const used = new Set<number>();
  for (let g = 0; g < k(inst); g++) {
    const site = sol.site[g];
    const spec = inst.groups[g];
    if (spec.site !== null && site !== spec.site) reasons.push(`${spec.id} : base fixe déplacée.`);
    if (spec.site === null && spec.candidates !== null && !spec.candidates.includes(site)) reasons.push(`${spec.id} : site hors des candidats.`);
    if (used.has(site)) reasons.push(`${spec.id} : site ${inst.sites[site]} déjà pris.`);
    used.add(site);
  }
  return reasons;
}

/** Whether the bases are all fixed (pure assignment problem). */
export function sitesFixed(inst: SolverInstance): boolean {
  return inst.groups.every((g) => g.site !== null);
}

/** Balance bands around each group's share: target = total × share, band = target × (1 ± tolerance). */
export function shareBands(total: number, shares: readonly number[], tolerance: number | null): { lower: number; upper: number }[] {
  const sum = shares.reduce((x, y) => x + y, 0);
  return shares.map((share) => {
    if (tolerance === null || sum <= 0) return { lower: -Infinity, upper: Infinity };
    const target = (total * share) / sum;
    return { lower: target * (1 - tolerance), upper: target * (1 + tolerance) };
  });
}
