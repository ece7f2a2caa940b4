/**
 * HiGHS (MILP solver compiled to WebAssembly), loaded once per process or worker. Models are passed
 * as column-wise sparse matrices; a start vector warm-starts the branch and bound; the time limit,
 * not an interruption, bounds a run, so a result always carries HiGHS' proven bound and gap.
 */
import loadHighs, { type Highs } from 'highs';

let highsPromise: Promise<Highs> | null = null;
let wasmLocation: string | null = null;

/** In a browser worker the wasm file is a bundled asset: tell the loader where it is. */
export function setHighsWasmUrl(url: string): void {
  wasmLocation = url;
}

export function getHighs(): Promise<Highs> {
  highsPromise ??= loadHighs(wasmLocation ? { locateFile: () => wasmLocation! } : {});
  return highsPromise;
}

export interface MilpOptions {
  timeLimitSeconds: number;
  /** Stop when the relative gap is at most this. */
  gapLimit: number;
  /** Stop when the absolute gap is at most this (just under 1 proves an integer objective). */
  absoluteGap?: number;
  /** Share of the time limit used so far, reported a few times a second during branch and bound. */
  onProgress?: (fraction: number) => void;
  /** Branch-and-bound nodes: a work limit, so that a run cut short ends the same way on any machine. */
  maxNodes?: number;
}

/** HiGHS' periodic MIP checkpoint (callback channel "mipInterrupt"). */
const MIP_INTERRUPT = 6;

export interface MilpModel {
  numCols: number;
  numRows: number;
  colCost: Float64Array;
  colLower: Float64Array;
  colUpper: Float64Array;
  rowLower: Float64Array;
  rowUpper: Float64Array;
  starts: Int32Array;
  indices: Int32Array;
  values: Float64Array;
  integrality: Int32Array;
}

/** Builds a MilpModel row by row and column by column (columns carry their matrix entries). */
export class MilpBuilder {
  private readonly rowLowerList: number[] = [];
  private readonly rowUpperList: number[] = [];
  private readonly colCostList: number[] = [];
  private readonly colLowerList: number[] = [];
  private readonly colUpperList: number[] = [];
  private readonly integralityList: number[] = [];
  private readonly startList: number[] = [];
  private readonly indexList: number[] = [];
  private readonly valueList: number[] = [];

  addRow(lower: number, upper: number): number {
    this.rowLowerList.push(lower);
    this.rowUpperList.push(upper);
    return this.rowLowerList.length - 1;
  }

  /** `entries` alternates row index and coefficient. */
  addColumn(cost: number, lower: number, upper: number, integer: boolean, entries: readonly number[]): number {
    this.colCostList.push(cost);
    this.colLowerList.push(lower);
    this.colUpperList.push(upper);
    this.integralityList.push(integer ? 1 : 0);
    this.startList.push(this.indexList.length);
    for (let e = 0; e < entries.length; e += 2) {
      this.indexList.push(entries[e]);
      this.valueList.push(entries[e + 1]);
    }
    return this.colCostList.length - 1;
  }

  build(): MilpModel {
    return {
      numCols: this.colCostList.length,
      numRows: this.rowLowerList.length,
      colCost: Float64Array.from(this.colCostList),
      colLower: Float64Array.from(this.colLowerList),
      colUpper: Float64Array.from(this.colUpperList),
      rowLower: Float64Array.from(this.rowLowerList),
      rowUpper: Float64Array.from(this.rowUpperList),
      starts: Int32Array.from([...this.startList, this.indexList.length]),
      indices: Int32Array.from(this.indexList),
      values: Float64Array.from(this.valueList),
      integrality: Int32Array.from(this.integralityList),
    };
  }
}

export interface RunResult {
  status: number;
  colValue: Float64Array | null;
  objective: number;
  bound: number | null;
  gap: number | null;
}

export async function runMilp(model: MilpModel, options: MilpOptions, start: Float64Array | null): Promise<RunResult> {
  const highs = await getHighs();
  const m = highs.createModel({
    numCols: model.numCols,
    numRows: model.numRows,
    colCost: model.colCost,
    colLower: model.colLower,
    colUpper: model.colUpper.map((v) => (v === Infinity ? highs.infinity : v)),
    rowLower: model.rowLower.map((v) => (v === -Infinity ? -highs.infinity : v)),
    rowUpper: model.rowUpper.map((v) => (v === Infinity ? highs.infinity : v)),
    matrix: { format: 'csc', numRows: model.numRows, numCols: model.numCols, starts: model.starts, indices: model.indices, values: model.values },
    integrality: model.integrality as unknown as Int32Array,
  });
  try {
    m.options.set({
      output_flag: false,
      time_limit: options.timeLimitSeconds,
      mip_rel_gap: options.gapLimit,
      random_seed: 1,
      ...(options.maxNodes !== undefined ? { mip_max_nodes: options.maxNodes } : {}),
      ...(options.absoluteGap !== undefined ? { mip_abs_gap: options.absoluteGap } : {}),
    });
    if (start) m.setSolution({ colValue: start });
    let reported = -1;
    m.run({
      [MIP_INTERRUPT]: (event) => {
        const elapsed = Number(event.data.running_time ?? 0);
        if (options.onProgress && elapsed - reported >= 0.2) {
          reported = elapsed;
          options.onProgress(Math.min(1, elapsed / options.timeLimitSeconds));
        }
        return undefined;
      },
    });
    const status = m.getModelStatus();
    const hasSolution = Number(m.info.get('primal_solution_status')) >= 2;
    const info = (name: string): number | null => {
      try {
        const v = Number(m.info.get(name));
        return Number.isFinite(v) ? v : null;
      } catch {
        return null;
      }
    };
    return { status, colValue: hasSolution ? m.getSolution().colValue : null, objective: info('objective_function_value') ?? NaN, bound: info('mip_dual_bound'), gap: info('mip_gap') };
  } finally {
    m.dispose();
  }
}

export const HIGHS_INFEASIBLE = 8;

const STATUS_LABELS: Record<number, string> = { 7: 'optimal', [HIGHS_INFEASIBLE]: 'infaisable', 13: 'limite de temps atteinte', 17: 'interrompu' };

export function statusLabel(status: number): string {
  return STATUS_LABELS[status] ?? `statut HiGHS ${status}`;
}
