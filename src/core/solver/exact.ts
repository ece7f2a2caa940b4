/**
 * Exact balanced assignment with HiGHS: binary x(i, g) for every allowed pair, "exactly one group"
 * rows, one band row per (group, attribute) with a finite bound. Warm-started with the heuristic's
 * solution and solved under a time limit; the proven bound and gap are reported.
 * When the bands cannot all be met, a first solve minimises the total violation cost (convex in
 * point equivalents, see violationCost in instance.ts) with segment slack columns, and a second minimises the cost among the
 * solutions that violate no more than that: "least-violating, then cheapest".
 */
import { assignmentCost, facilityCount, violationAmount, violationsOf, type AssignmentProblem, type AssignmentSolution } from './assignment.ts';
import { VIOLATION_SEGMENTS, violationSlope } from './instance.ts';
import { MilpBuilder, runMilp, statusLabel, type MilpModel } from './highs.ts';

export interface ExactOptions {
  timeLimitSeconds?: number;
  gapLimit?: number;
  /** A complete assignment (typically the heuristic's) to start from. */
  initial?: Int32Array;
  onProgress?: (fraction: number) => void;
}

interface Built {
  model: MilpModel;
  /** x column → point, group. */
  pairs: Int32Array;
  /** (point × F + group) → x column, -1 when forbidden. */
  columnOf: Int32Array;
}

type Mode = { objective: 'cost' } | { objective: 'violation' } | { objective: 'cost'; violationCap: number };

function build(problem: AssignmentProblem, mode: Mode): Built {
  const N = problem.pointIds.length;
  const F = facilityCount(problem);
  const A = problem.attributes.length;
  const soft = mode.objective === 'violation' || 'violationCap' in mode;
  const builder = new MilpBuilder();
  for (let i = 0; i < N; i++) builder.addRow(1, 1);
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

/** Null when HiGHS found no solution at all within the time limit (the caller keeps the heuristic's). */
export async function solveExact(problem: AssignmentProblem, options: ExactOptions = {}): Promise<AssignmentSolution | null> {
  const started = Date.now();
  const timeLimit = options.timeLimitSeconds ?? 10;
  const gapLimit = options.gapLimit ?? 1e-4;
  const N = problem.pointIds.length;
  const initialViolation = options.initial ? violationAmount(problem, violationsOf(problem, options.initial)) : Infinity;
  let mode: Mode = { objective: 'cost' };
  let costTimeLimit = timeLimit;
  if (initialViolation > 0) {
    const phase1 = build(problem, { objective: 'violation' });
    const first = await runMilp(phase1.model, { timeLimitSeconds: timeLimit / 2, gapLimit: 0, onProgress: (f) => options.onProgress?.(f / 2) }, null);
    costTimeLimit = Math.max(0.5, timeLimit - (Date.now() - started) / 1000);
    if (first.colValue && first.objective > 1e-7) mode = { objective: 'cost', violationCap: first.objective + 1e-6 };
  }
  const built = build(problem, mode);
  const start = 'violationCap' in mode ? null : startVector(built, problem, options.initial);
  const spent = 1 - costTimeLimit / timeLimit;
  const result = await runMilp(built.model, { timeLimitSeconds: costTimeLimit, gapLimit, onProgress: (f) => options.onProgress?.(spent + (1 - spent) * f) }, start);
  const assignment = result.colValue ? decode(built, N, result.colValue) : null;
  if (!assignment) return null;
  const cost = assignmentCost(problem, assignment);
  const bound = result.bound !== null ? Math.min(result.bound, cost) : null;
  return {
    assignment,
    cost,
    violations: violationsOf(problem, assignment),
    method: 'exact',
    bound,
    gap: bound !== null ? (cost > 0 ? Math.max(0, (cost - bound) / cost) : 0) : result.gap,
    status: statusLabel(result.status),
    seconds: (Date.now() - started) / 1000,
  };
}
