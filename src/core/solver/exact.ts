/**
 * Exact balanced assignment with HiGHS: binary x(i, g) for every allowed pair, "exactly one group"
 * rows, one band row per (group, attribute) with a finite bound. Warm-started with the heuristic's
 * solution and solved under a time limit; the proven bound and gap are reported.
 * When the bands cannot all be met, a first solve minimises the total violation cost (convex in
 * point equivalents, see violationCost in instance.ts) with segment slack columns, and a second minimises the cost among the
 * solutions that violate no more than that: "least-violating, then cheapest".
 * One-piece sectors: connectivity cuts are added lazily. After each solve, every group in several
 * pieces yields, for points i of a smaller piece C and j of the main one, x(i,g) + x(j,g) − Σ x(s,g)
 * ≤ 1 over the points s bordering C (they separate i from j); the model is solved again until no group
 * is split or the time is spent. Each solve's bound stays a valid bound of the one-piece problem.
 */
import { assignmentCost, facilityCount, violationAmount, violationsOf, type AssignmentProblem, type AssignmentSolution } from './assignment.ts';
import { VIOLATION_SEGMENTS, violationSlope } from './instance.ts';
import { MilpBuilder, runMilp, statusLabel, type MilpModel, type RunResult } from './highs.ts';
import { groupComponents, neighboursOf, type PointGraph } from './contiguity.ts';

export interface ExactOptions {
  timeLimitSeconds?: number;
  gapLimit?: number;
  /** A complete assignment (typically the heuristic's) to start from. */
  initial?: Int32Array;
  onProgress?: (fraction: number) => void;
  /** Point adjacency: when given, every group must be one connected piece. */
  contiguity?: PointGraph | null;
  /** Branch-and-bound nodes per solve: a work limit that ends the same way on any machine. */
  maxNodes?: number;
}

/** x(a, g) + x(b, g) − Σ x(s, g) over `separator` ≤ 1. */
interface Cut {
  group: number;
  a: number;
  b: number;
  separator: number[];
}

/** Cuts for the groups that `assignment` leaves in several pieces (none: every group is whole). */
function separate(graph: PointGraph, assignment: Int32Array, groups: number): Cut[] {
  const cuts: Cut[] = [];
  for (let g = 0; g < groups; g++) {
    const [main, ...others] = groupComponents(graph, assignment, g);
    for (const piece of others) {
      const inPiece = new Set(piece);
      const border = new Set<number>();
      for (const v of piece) for (const w of neighboursOf(graph, v)) if (!inPiece.has(w)) border.add(w);
      const separator = [...border];
      // A few representatives each way: enough to cut this solution off and its near variants.
      for (const a of piece.slice(0, 8)) for (const b of main.slice(0, 2)) cuts.push({ group: g, a, b, separator });
    }
  }
  return cuts;
}

interface Built {
  model: MilpModel;
  /** x column → point, group. */
  pairs: Int32Array;
  /** (point × F + group) → x column, -1 when forbidden. */
  columnOf: Int32Array;
}

type Mode = { objective: 'cost' } | { objective: 'violation' } | { objective: 'cost'; violationCap: number };

function build(problem: AssignmentProblem, mode: Mode, cuts: readonly Cut[] = []): Built {
  const N = problem.pointIds.length;
  const F = facilityCount(problem);
  const A = problem.attributes.length;
  const soft = mode.objective === 'violation' || 'violationCap' in mode;
  const builder = new MilpBuilder();
  for (let i = 0; i < N; i++) builder.addRow(1, 1);
  const cutEntries = new Map<number, number[]>();
  for (const cut of cuts) {
    const row = builder.addRow(-Infinity, 1);
    const add = (point: number, coefficient: number) => {
      const key = point * F + cut.group;
      const list = cutEntries.get(key);
      if (list) list.push(row, coefficient);
      else cutEntries.set(key, [row, coefficient]);
    };
    add(cut.a, 1);
    add(cut.b, 1);
    for (const v of cut.separator) add(v, -1);
  }
  const bandRow = new Int32Array(F * A).fill(-1);
  for (let g = 0; g < F; g++) {
    for (let a = 0; a < A; a++) {
      const lower = problem.lower[g * A + a];
      const upper = problem.upper[g * A + a];
      if (Number.isFinite(lower) || Number.isFinite(upper)) bandRow[g * A + a] = builder.addRow(lower, upper);
    }
  }
  const capRow = 'violationCap' in mode ? builder.addRow(-Infinity, mode.violationCap) : -1;
  const pairs: number[] = [];
  const columnOf = new Int32Array(N * F).fill(-1);
  for (let i = 0; i < N; i++) {
    for (let g = 0; g < F; g++) {
      const cost = problem.cost[i * F + g];
      if (!Number.isFinite(cost)) continue;
      const entries = [i, 1];
      for (let a = 0; a < A; a++) {
        const value = problem.values[i * A + a];
        if (value !== 0 && bandRow[g * A + a] >= 0) entries.push(bandRow[g * A + a], value);
      }
      const inCuts = cutEntries.get(i * F + g);
      if (inCuts) entries.push(...inCuts);
      columnOf[i * F + g] = builder.addColumn(mode.objective === 'cost' ? cost : 0, 0, 1, true, entries);
      pairs.push(i, g);
    }
  }
  if (soft) {
    for (let g = 0; g < F; g++) {
      for (let a = 0; a < A; a++) {
        const row = bandRow[g * A + a];
        if (row < 0) continue;
        // Segments of one point equivalent with rising costs: the convex violationCost.
        for (const sign of [1, -1]) {
          for (let segment = 0; segment <= VIOLATION_SEGMENTS; segment++) {
            const weight = violationSlope(segment) / problem.units[a];
            const entries = [row, sign];
            if (capRow >= 0) entries.push(capRow, weight);
            builder.addColumn(mode.objective === 'violation' ? weight : 0, 0, segment < VIOLATION_SEGMENTS ? problem.units[a] : Infinity, false, entries);
          }
        }
      }
    }
  }
  return { model: builder.build(), pairs: Int32Array.from(pairs), columnOf };
}

function startVector(built: Built, problem: AssignmentProblem, assignment: Int32Array | undefined): Float64Array | null {
  if (!assignment) return null;
  const F = facilityCount(problem);
  const x = new Float64Array(built.model.numCols);
  for (let i = 0; i < assignment.length; i++) {
    const column = built.columnOf[i * F + assignment[i]];
    if (column < 0) return null;
    x[column] = 1;
  }
  return x;
}

function decode(built: Built, N: number, colValue: Float64Array): Int32Array | null {
  const assignment = new Int32Array(N).fill(-1);
  for (let c = 0; c < built.pairs.length / 2; c++) if (colValue[c] > 0.5) assignment[built.pairs[2 * c]] = built.pairs[2 * c + 1];
  return assignment.some((g) => g < 0) ? null : assignment;
}

interface CutRun {
  result: RunResult;
  built: Built;
  /** The last solution decoded, possibly split (when the time ran out first). */
  assignment: Int32Array | null;
  /** True when no group of `assignment` is split (always, without contiguity). */
  whole: boolean;
  rounds: number;
}

/** Solves, adds the cuts the solution violates, solves again, within `seconds` (shared by every round). */
async function solveWithCuts(problem: AssignmentProblem, mode: Mode, cuts: Cut[], seconds: number, gapLimit: number, graph: PointGraph | null, start: (built: Built) => Float64Array | null, onProgress: (fraction: number) => void, maxNodes?: number): Promise<CutRun> {
  const N = problem.pointIds.length;
  const F = facilityCount(problem);
  const started = Date.now();
  for (let round = 1; ; round++) {
    const left = seconds - (Date.now() - started) / 1000;
    const built = build(problem, mode, cuts);
    const spent = 1 - left / seconds;
    const result = await runMilp(built.model, { timeLimitSeconds: Math.max(0.2, left), gapLimit, onProgress: (f) => onProgress(spent + (1 - spent) * f), maxNodes }, start(built));
    const assignment = result.colValue ? decode(built, N, result.colValue) : null;
    const fresh = graph && assignment ? separate(graph, assignment, F) : [];
    if (fresh.length === 0 || seconds - (Date.now() - started) / 1000 < 0.2) return { result, built, assignment, whole: fresh.length === 0, rounds: round };
    cuts.push(...fresh);
  }
}

/** Null when HiGHS found no solution at all within the time limit (the caller keeps the heuristic's). */
export async function solveExact(problem: AssignmentProblem, options: ExactOptions = {}): Promise<AssignmentSolution | null> {
  const started = Date.now();
  const timeLimit = options.timeLimitSeconds ?? 10;
  const gapLimit = options.gapLimit ?? 1e-4;
  const graph = options.contiguity ?? null;
  const cuts: Cut[] = [];
  const initialViolation = options.initial ? violationAmount(problem, violationsOf(problem, options.initial)) : Infinity;
  let mode: Mode = { objective: 'cost' };
  let costTimeLimit = timeLimit;
  if (initialViolation > 0) {
    const first = await solveWithCuts(problem, { objective: 'violation' }, cuts, timeLimit / 2, 0, graph, () => null, (f) => options.onProgress?.(f / 2), options.maxNodes);
    costTimeLimit = Math.max(0.5, timeLimit - (Date.now() - started) / 1000);
    if (first.result.colValue && first.whole && first.result.objective > 1e-7) mode = { objective: 'cost', violationCap: first.result.objective + 1e-6 };
  }
  const spent = 1 - costTimeLimit / timeLimit;
  const run = await solveWithCuts(
    problem,
    mode,
    cuts,
    costTimeLimit,
    gapLimit,
    graph,
    (built) => ('violationCap' in mode ? null : startVector(built, problem, options.initial)),
    (f) => options.onProgress?.(spent + (1 - spent) * f),
    options.maxNodes,
  );
  const { assignment, result } = run;
  // A split solution is no answer to a one-piece problem: the caller keeps its whole one, with this bound.
  if (!assignment || !run.whole) {
    if (!graph || result.bound === null || !options.initial) return null;
    const cost = assignmentCost(problem, options.initial);
    const bound = Math.min(result.bound, cost);
    return {
      assignment: options.initial,
      cost,
      violations: violationsOf(problem, options.initial),
      method: 'exact',
      bound,
      gap: cost > 0 ? Math.max(0, (cost - bound) / cost) : 0,
      status: `contiguïté non prouvée (${run.rounds} résolutions, ${cuts.length} coupes)`,
      seconds: (Date.now() - started) / 1000,
    };
  }
  const cost = assignmentCost(problem, assignment);
  const bound = result.bound !== null ? Math.min(result.bound, cost) : null;
  return {
    assignment,
    cost,
    violations: violationsOf(problem, assignment),
    method: 'exact',
    bound,
    gap: bound !== null ? (cost > 0 ? Math.max(0, (cost - bound) / cost) : 0) : result.gap,
    status: graph ? `${statusLabel(result.status)}, d’un seul tenant (${run.rounds} résolution${run.rounds > 1 ? 's' : ''}, ${cuts.length} coupes)` : statusLabel(result.status),
    seconds: (Date.now() - started) / 1000,
  };
}
