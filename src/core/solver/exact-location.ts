/**
 * Proven optima for the capacitated p-median problem of the literature: p interchangeable groups
 * (same bounds, same candidate sites) choosing their sites. Binary y(c) "site c is open", x(i, c)
 * "point i is served from c"; Σ_c x(i, c) = 1, x(i, c) ≤ y(c), Σ_c y(c) = p, and per attribute
 * L·y(c) ≤ Σ_i w(i)·x(i, c) ≤ U·y(c). Teams with their own shares of technicians are not
 * interchangeable: for them the location stays heuristic (see location.ts).
 */
import { HIGHS_INFEASIBLE, MilpBuilder, runMilp, statusLabel } from './highs.ts';
import { k, m, n, s, type SolverInstance } from './instance.ts';

/** Whether the instance is a p-median one this model covers exactly. */
export function interchangeableGroups(inst: SolverInstance): boolean {
  const first = inst.groups[0];
  if (!first || inst.allowed !== null || inst.locked.some((g) => g >= 0)) return false;
  if (inst.stabilityCost > 0 && inst.current.some((g) => g >= 0)) return false;
  const same = (a: readonly number[] | null, b: readonly number[] | null) => a === b || (a !== null && b !== null && a.length === b.length && a.every((v, i) => v === b[i]));
  return inst.groups.every((g) => g.site === null && same(g.lower, first.lower) && same(g.upper, first.upper) && same(g.candidates, first.candidates));
}

export function locationColumns(inst: SolverInstance): number {
  return n(inst) * (inst.groups[0]?.candidates?.length ?? s(inst));
}

export interface LocationResult {
  /** Null when HiGHS ended without a solution (infeasible: no solution passes the fixing; or out of time). */
  group: Int32Array | null;
  site: Int32Array | null;
  /** Infinity when the model (with its fixing) has no solution at all. */
  bound: number | null;
  status: string;
}

/** Sites and point–site pairs left out by the Lagrangian fixing (see lagrangian.ts): null keeps all. */
export interface LocationFixing {
  siteKept: Uint8Array | null;
  pairKept: Uint8Array | null;
}

/** Memory HiGHS needs for an exact model of that many variables: about 8 kB each (measured: 10,000 variables, 80 MB). */
export const exactModelMegabytes = (columns: number): number => Math.ceil((columns * 8000) / 1e6);

/** Variables of the location model and the memory they need. */
export function locationModelSize(inst: SolverInstance): { columns: number; megabytes: number } {
  const columns = locationColumns(inst);
  return { columns, megabytes: exactModelMegabytes(columns) };
}

export async function solveLocationExact(
  inst: SolverInstance,
  start: { group: Int32Array; site: Int32Array },
  options: { timeLimitSeconds: number; gapLimit: number; absoluteGap?: number; onProgress?: (fraction: number) => void; fixing?: LocationFixing },
): Promise<LocationResult | null> {
  const N = n(inst);
  const M = m(inst);
  const S = s(inst);
  const spec = inst.groups[0];
  const candidates = spec.candidates ?? Array.from({ length: S }, (_, j) => j);
  const C = candidates.length;
  const builder = new MilpBuilder();
  const assignRow = Array.from({ length: N }, () => builder.addRow(1, 1));
  const siteKept = options.fixing?.siteKept ?? new Uint8Array(C).fill(1);
  const pairKept = options.fixing?.pairKept ?? new Uint8Array(N * C).fill(1);
  const linkRow = new Int32Array(N * C).fill(-1);
  for (let i = 0; i < N * C; i++) if (pairKept[i] && siteKept[i % C]) linkRow[i] = builder.addRow(-Infinity, 0);
  const countRow = builder.addRow(k(inst), k(inst));
  const upperRow: number[][] = candidates.map(() => []);
  const lowerRow: number[][] = candidates.map(() => []);
  for (let c = 0; c < C; c++) {
    for (let a = 0; a < M; a++) {
      upperRow[c][a] = Number.isFinite(spec.upper[a]) ? builder.addRow(-Infinity, 0) : -1;
      lowerRow[c][a] = Number.isFinite(spec.lower[a]) && spec.lower[a] > 0 ? builder.addRow(0, Infinity) : -1;
    }
  }
  // Columns: the y(c) first, then x(i, c) point by point. A site the fixing left out keeps its
  // column, bounded to 0, so that the column numbering stays simple.
  for (let c = 0; c < C; c++) {
    const entries = [countRow, 1];
    for (let i = 0; i < N; i++) if (linkRow[i * C + c] >= 0) entries.push(linkRow[i * C + c], -1);
    for (let a = 0; a < M; a++) {
      if (upperRow[c][a] >= 0) entries.push(upperRow[c][a], -spec.upper[a]);
      if (lowerRow[c][a] >= 0) entries.push(lowerRow[c][a], -spec.lower[a]);
    }
    builder.addColumn(0, 0, siteKept[c] ? 1 : 0, true, entries);
  }
  const pairColumn = new Int32Array(N * C).fill(-1);
  for (let i = 0; i < N; i++) {
    for (let c = 0; c < C; c++) {
      if (linkRow[i * C + c] < 0) continue;
      const entries = [assignRow[i], 1, linkRow[i * C + c], 1];
      for (let a = 0; a < M; a++) {
        const w = inst.weights[i * M + a];
        if (w === 0) continue;
        if (upperRow[c][a] >= 0) entries.push(upperRow[c][a], w);
        if (lowerRow[c][a] >= 0) entries.push(lowerRow[c][a], w);
      }
      pairColumn[i * C + c] = builder.addColumn(inst.costs[i * S + candidates[c]], 0, 1, true, entries);
    }
  }
  const column = new Map(candidates.map((site, c) => [site, c]));
  const model = builder.build();
  let x: Float64Array | null = new Float64Array(model.numCols);
  for (const site of start.site) x[column.get(site)!] = 1;
  for (let i = 0; i < N; i++) {
    const col = pairColumn[i * C + column.get(start.site[start.group[i]])!];
    if (col < 0) x = null;
    else if (x) x[col] = 1;
    if (!x) break;
  }
  const result = await runMilp(model, { timeLimitSeconds: options.timeLimitSeconds, gapLimit: options.gapLimit, absoluteGap: options.absoluteGap, onProgress: options.onProgress }, x);
  if (!result.colValue) return { group: null, site: null, bound: result.status === HIGHS_INFEASIBLE ? Infinity : result.bound, status: statusLabel(result.status) };
  const open: number[] = [];
  for (let c = 0; c < C; c++) if (result.colValue[c] > 0.5) open.push(c);
  if (open.length !== k(inst)) return null;
  const groupOfColumn = new Map(open.map((c, g) => [c, g]));
  const group = new Int32Array(N).fill(-1);
  for (let i = 0; i < N; i++) for (const c of open) if (pairColumn[i * C + c] >= 0 && result.colValue[pairColumn[i * C + c]] > 0.5) group[i] = groupOfColumn.get(c)!;
  if (group.some((g) => g < 0)) return null;
  return { group, site: Int32Array.from(open, (c) => candidates[c]), bound: result.bound, status: statusLabel(result.status) };
}
