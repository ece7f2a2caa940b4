/**
 * Runs solves in a Web Worker: the map and the UI stay responsive. `run` replaces any running solve
 * (latest wins); `cancel` terminates the worker — HiGHS runs synchronously inside it, so this is the
 * only way to stop it at once — and the next run starts a fresh one.
 */
import type { SolveOutcome, SolveProgress } from '../core/solver/solve';
import type { FromWorker, SolveRequest } from './protocol';

export class SolverCancelled extends Error {
  constructor() {
    super('Calcul annulé.');
  }
}

export class SolverClient {
  private worker: Worker | null = null;
  private runId = 0;
  private reject: ((error: Error) => void) | null = null;

  run(request: SolveRequest, onProgress: (progress: SolveProgress) => void): Promise<SolveOutcome> {
    this.cancel();
    const runId = ++this.runId;
    const worker = new Worker(new URL('./solver.worker.ts', import.meta.url), { type: 'module' });
    this.worker = worker;
    return new Promise<SolveOutcome>((resolve, reject) => {
      this.reject = reject;
      const finish = () => {
        if (this.worker === worker) {
          worker.terminate();
          this.worker = null;
          this.reject = null;
        }
      };
      worker.onmessage = (event: MessageEvent<FromWorker>) => {
        const message = event.data;
        if (message.runId !== this.runId) return;
        if (message.type === 'progress') onProgress(message.progress);
        else if (message.type === 'result') {
          finish();
          resolve(message.outcome);
        } else {
          finish();
          reject(new Error(message.message));
        }
      };
      worker.onerror = (event) => {
        finish();
        reject(new Error(`Le solveur s’est arrêté : ${event.message || 'erreur inconnue'}.`));
      };
      // The lycée × lycée matrix of the zones is the large one and is not needed here afterwards:
      // transferred. The lycée × site costs stay (copied): the run report reads them.
      worker.postMessage({ type: 'solve', runId, request }, request.zones ? [request.zones.pointCosts.buffer] : []);
    });
  }

  cancel(): void {
    if (!this.worker) return;
    this.worker.terminate();
    this.worker = null;
    this.runId++;
    this.reject?.(new SolverCancelled());
    this.reject = null;
  }
}
