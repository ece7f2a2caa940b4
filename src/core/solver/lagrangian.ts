/**
 * Lower bound of the location problem by Lagrangian relaxation of the "every point in exactly one
 * group" rows (multipliers u, subgradient optimisation). Relaxed, the problem splits by group: for
 * group g on candidate site c, pick the points of negative reduced cost cost(i, c) − u(i) under g's
 * upper bands (a knapsack), and each group takes its best site. What is dropped only widens the
 * feasible set, so every value is a valid bound: lower bands, distinct sites (except for
 * interchangeable groups, which take the p best distinct sites), and, with several attributes or
 * non-integer weights, the integrality of the knapsack (then solved fractionally, per attribute).
 * With one integer attribute the knapsack is solved exactly by dynamic programming: the classical
 * strong bound of the capacitated p-median. Its by-products fix variables for the MILP: a site, or a
 * point–site pair, whose forced use lifts the bound above a known solution cannot be in a better one.
 */
import { isAllowed, k, m, n, s, type SolverInstance } from './instance.ts';

export interface LagrangianOptions {
  /** Objective of a known feasible solution: drives the step size, and the fixing. */
  upperBound: number;
  /** Starting multipliers (per point), e.g. each point's cost in the known solution. */
  start?: Float64Array;
  iterations?: number;
  /** Clock limit (performance.now() milliseconds): a safety net, the iteration count bounds the work. */
  deadline?: number;
  /** Largest capacity solved by dynamic programming. */
  dpCapacityLimit?: number;
}

export interface LagrangianResult {
  bound: number;
  iterations: number;
  /** Whether the knapsacks were solved exactly (one integer attribute). */
  integerKnapsack: boolean;
  /**
   * Interchangeable groups only: per candidate (index in the common candidate list), whether the
   * site may be open in a solution at most as costly as upperBound, and per point × candidate
   * whether the pair may be used.
   */
  siteKept: Uint8Array | null;
  pairKept: Uint8Array | null;
  /** The multipliers of the best bound (per point); null when no iteration ran. */
  multipliers: Float64Array | null;
}

/** The instance's data that the relaxation needs, shared between iterations. */
interface Relaxation {
  N: number;
  K: number;
  /** Per group: candidate sites (its fixed site alone when it has one). */
  candidates: number[][];
  interchangeable: boolean;
  /** Per group: the attributes with a finite upper band and their capacity. */
  capacity: { attribute: number; upper: number }[][];
  integer: boolean;
}

function relaxation(inst: SolverInstance, interchangeable: boolean, dpLimit: number): Relaxation {
  const N = n(inst);
  const M = m(inst);
  const K = k(inst);
  const candidates = inst.groups.map((g) => (g.site !== null ? [g.site] : (g.candidates ?? Array.from({ length: s(inst) }, (_, j) => j))));
  const capacity = inst.groups.map((g) => g.upper.flatMap((upper, attribute) => (Number.isFinite(upper) ? [{ attribute, upper }] : [])));
  let integer = M === 1 && capacity.every((c) => c.length === 1 && c[0].upper <= dpLimit);
  for (let i = 0; i < N && integer; i++) integer = Number.isInteger(inst.weights[i]) && inst.weights[i] >= 0;
  return { N, K, candidates, interchangeable, capacity, integer };
}

interface Knapsack {
  value: number;
  /** Points taken. */
  taken: number[];
  /** DP only: best value at each capacity 0..U (items of negative reduced cost). */
  table: Float64Array | null;
}

/** min Σ r(i)·x(i) under the capacities, x ∈ {0,1} (DP) or [0,1] (fractional, best attribute). */
function knapsack(inst: SolverInstance, rel: Relaxation, g: number, reduced: Float64Array, items: number[], keepTable: boolean): Knapsack {
  const M = m(inst);
  const caps = rel.capacity[g];
  if (caps.length === 0) {
    let value = 0;
    for (const i of items) value += reduced[i];
    return { value, taken: items, table: null };
  }
  if (rel.integer) {
    const U = Math.floor(caps[0].upper + 1e-9);
    const table = new Float64Array(U + 1);
    const take: Uint8Array[] = [];
    for (const i of items) {
      const w = inst.weights[i];
      const row = new Uint8Array(U + 1);
      for (let c = U; c >= w; c--) {
        const v = table[c - w] + reduced[i];
        if (v < table[c]) {
          table[c] = v;
          row[c] = 1;
        }
      }
      take.push(row);
    }
    const taken: number[] = [];
    let c = U;
    for (let t = items.length - 1; t >= 0; t--) {
      if (take[t][c]) {
        taken.push(items[t]);
        c -= inst.weights[items[t]];
      }
    }
    return { value: table[U], taken, table: keepTable ? table : null };
  }
  // Fractional knapsack per attribute: each is a relaxation, the largest value is the best bound.
  let best: Knapsack | null = null;
  for (const { attribute, upper } of caps) {
    const sorted = [...items].sort((a, b) => ratio(inst, reduced, a, attribute, M) - ratio(inst, reduced, b, attribute, M) || a - b);
    let room = upper;
    let value = 0;
    const taken: number[] = [];
    for (const i of sorted) {
      const w = inst.weights[i * M + attribute];
      if (w <= room) {
        room -= w;
        value += reduced[i];
        taken.push(i);
      } else {
        if (room > 0) value += (reduced[i] * room) / w;
        break;
      }
    }
    if (best === null || value > best.value) best = { value, taken, table: null };
  }
  return best!;
}

function ratio(inst: SolverInstance, reduced: Float64Array, i: number, attribute: number, M: number): number {
  const w = inst.weights[i * M + attribute];
  return w > 0 ? reduced[i] / w : -Infinity;
}

interface Evaluated {
  value: number;
  /** Per point: how many groups take it. */
  cover: Int32Array;
  /** Per group × candidate position: knapsack value (interchangeable: the same for every group). */
  rho: Float64Array[];
}

function evaluateMultipliers(inst: SolverInstance, rel: Relaxation, u: Float64Array, keepTables: Map<number, Knapsack> | null): Evaluated {
  const { N, K } = rel;
  const S = s(inst);
  let value = 0;
  for (let i = 0; i < N; i++) value += u[i];
  const cover = new Int32Array(N);
  const reduced = new Float64Array(N);
  const solveFor = (g: number, site: number): Knapsack => {
    const items: number[] = [];
    for (let i = 0; i < N; i++) {
      if (!isAllowed(inst, i, g)) continue;
      const moved = inst.current[i] >= 0 && inst.current[i] !== g ? inst.stabilityCost : 0;
      reduced[i] = inst.costs[i * S + site] + moved - u[i];
      if (reduced[i] < 0) items.push(i);
    }
    return knapsack(inst, rel, g, reduced, items, keepTables !== null);
  };
  const rho: Float64Array[] = [];
  if (rel.interchangeable) {
    const candidates = rel.candidates[0];
    const results = candidates.map((site) => solveFor(0, site));
    const values = Float64Array.from(results, (r) => r.value);
    const order = Array.from(candidates.keys()).sort((a, b) => values[a] - values[b] || a - b);
    for (let g = 0; g < K; g++) {
      const c = order[g];
      value += values[c];
      for (const i of results[c].taken) cover[i]++;
    }
    if (keepTables) results.forEach((r, c) => keepTables.set(c, r));
    for (let g = 0; g < K; g++) rho.push(values);
  } else {
    for (let g = 0; g < K; g++) {
      let best: Knapsack | null = null;
      const values = new Float64Array(rel.candidates[g].length);
      rel.candidates[g].forEach((site, c) => {
        const r = solveFor(g, site);
        values[c] = r.value;
        if (best === null || r.value < best.value) {
          best = r;
        }
      });
      value += best!.value;
      for (const i of best!.taken) cover[i]++;
      rho.push(values);
    }
  }
  return { value, cover, rho };
}

export function lagrangianBound(inst: SolverInstance, interchangeable: boolean, options: LagrangianOptions): LagrangianResult {
  const rel = relaxation(inst, interchangeable, options.dpCapacityLimit ?? 5000);
  const { N } = rel;
  const UB = options.upperBound;
  const u = options.start ? Float64Array.from(options.start) : new Float64Array(N);
  let best = -Infinity;
  let bestU = Float64Array.from(u);
  let theta = 2;
  let stall = 0;
  const iterations = options.iterations ?? 300;
  let done = 0;
  for (; done < iterations; done++) {
    if (options.deadline !== undefined && performance.now() > options.deadline) break;
    const e = evaluateMultipliers(inst, rel, u, null);
    if (e.value > best + 1e-9) {
      best = e.value;
      bestU = Float64Array.from(u);
      stall = 0;
    } else if (++stall >= 15) {
      theta /= 2;
      stall = 0;
    }
    let norm = 0;
    for (let i = 0; i < N; i++) norm += (1 - e.cover[i]) ** 2;
    if (norm === 0 || best >= UB - 1e-9 * Math.max(1, Math.abs(UB)) || theta < 1e-4) break;
    const step = (theta * Math.max(UB - e.value, 1e-6 * Math.max(1, Math.abs(UB)))) / norm;
    for (let i = 0; i < N; i++) u[i] += step * (1 - e.cover[i]);
  }
  if (best === -Infinity) return { bound: -Infinity, iterations: done, integerKnapsack: rel.integer, siteKept: null, pairKept: null, multipliers: null };
  const bound = Math.min(best, UB);
  if (!interchangeable) return { bound, iterations: done, integerKnapsack: rel.integer, siteKept: null, pairKept: null, multipliers: bestU };
  return { bound, iterations: done, integerKnapsack: rel.integer, ...fixing(inst, rel, bestU, UB), multipliers: bestU };
}

/** Reduced-cost fixing of sites and pairs from the best multipliers (interchangeable groups). */
function fixing(inst: SolverInstance, rel: Relaxation, u: Float64Array, UB: number): { siteKept: Uint8Array; pairKept: Uint8Array } {
  const { N, K } = rel;
  const S = s(inst);
  const candidates = rel.candidates[0];
  const C = candidates.length;
  const tables = new Map<number, Knapsack>();
  const e = evaluateMultipliers(inst, rel, u, tables);
  const L = e.value;
  const values = e.rho[0];
  const order = Array.from(values.keys()).sort((a, b) => values[a] - values[b] || a - b);
  const inChosen = new Uint8Array(C);
  for (let g = 0; g < K; g++) inChosen[order[g]] = 1;
  const lastChosen = values[order[K - 1]];
  const margin = 1e-7 * Math.max(1, Math.abs(UB));
  const siteKept = new Uint8Array(C).fill(1);
  const pairKept = new Uint8Array(N * C).fill(1);
  for (let c = 0; c < C; c++) {
    // Bound with c forced open: c replaces the worst of the chosen sites.
    const open = inChosen[c] ? L : L - lastChosen + values[c];
    if (open > UB + margin) {
      siteKept[c] = 0;
      for (let i = 0; i < N; i++) pairKept[i * C + c] = 0;
      continue;
    }
    const table = tables.get(c)!.table;
    if (!table) continue;
    const taken = new Set(tables.get(c)!.taken);
    const U = table.length - 1;
    for (let i = 0; i < N; i++) {
      if (taken.has(i)) continue;
      const w = inst.weights[i];
      if (w > U) {
        pairKept[i * C + c] = 0;
        continue;
      }
      // Point i forced into c: its reduced cost plus the best knapsack of the remaining room.
      const forced = inst.costs[i * S + candidates[c]] - u[i] + table[U - w];
      if (open - values[c] + forced > UB + margin) pairKept[i * C + c] = 0;
    }
  }
  return { siteKept, pairKept };
}
