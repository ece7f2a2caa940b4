/// <reference lib="webworker" />
import highsWasmUrl from 'highs/runtime?url';
import { setHighsWasmUrl } from '../core/solver/highs';
import { solve } from '../core/solver/solve';
import type { FromWorker, ToWorker } from './protocol';

setHighsWasmUrl(highsWasmUrl);

const post = (message: FromWorker) => (self as unknown as DedicatedWorkerGlobalScope).postMessage(message);

self.onmessage = async (event: MessageEvent<ToWorker>) => {
  const { runId, request } = event.data;
  try {
    const outcome = await solve(request.instance, {
      ...request.options,
      zones: request.zones,
      onProgress: (progress) => post({ type: 'progress', runId, progress }),
    });
    post({ type: 'result', runId, outcome });
  } catch (error) {
    post({ type: 'error', runId, message: error instanceof Error ? error.message : String(error) });
  }
};
