/**
 * Messages between the app and the solver worker. One worker runs one solve at a time; the client
 * terminates it to cancel, and a newer run replaces an older one (latest wins), so results carry
 * the run id they answer and stale ones are dropped.
 */
import type { SolverInstance } from '../core/solver/instance';
import type { SolveMethod, SolveOutcome, SolveProgress, ZoneRequest } from '../core/solver/solve';

export interface SolveRequest {
  instance: SolverInstance;
  zones: ZoneRequest | null;
  options: { seed: number; method: SolveMethod; timeLimitSeconds: number; exactMaxColumns: number };
}

export type ToWorker = { type: 'solve'; runId: number; request: SolveRequest };

export type FromWorker =
  | { type: 'progress'; runId: number; progress: SolveProgress }
  | { type: 'result'; runId: number; outcome: SolveOutcome }
  | { type: 'error'; runId: number; message: string };
