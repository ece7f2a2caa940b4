/** The page's side of the store worker: a StoreWorker whose writes and opening reads run there. */
import type { PackedHistory } from '../core/history';
import type { Plan } from '../core/model/plan';
import type { LatestProposal, ProposalSummary, SaveResult, StoreWorker } from '../state/db';
import type { StoreReply, StoreRequest } from './store-protocol';

type Waiter = { resolve: (value: SaveResult | LatestProposal) => void; reject: (error: Error) => void; onList?: (summaries: ProposalSummary[]) => void };

export class StoreWorkerClient implements StoreWorker {
  private readonly worker: Worker;
  private next = 0;
  private readonly waiting = new Map<number, Waiter>();

  constructor(private readonly databaseName: string) {
    this.worker = new Worker(new URL('./store.worker.ts', import.meta.url), { type: 'module' });
    this.worker.onmessage = (event: MessageEvent<StoreReply>) => {
      const reply = event.data;
      const waiter = this.waiting.get(reply.id);
      if ('list' in reply) {
        waiter?.onList?.(reply.list);
        return;
      }
      this.waiting.delete(reply.id);
      if (!waiter) return;
      if ('error' in reply) waiter.reject(Object.assign(new Error(reply.error.message), { name: reply.error.name }));
      else waiter.resolve('latest' in reply ? reply.latest : reply.result);
    };
    // A worker that cannot start fails every waiting request: the autosave reports it and keeps the edits.
    this.worker.onerror = (event) => {
      event.preventDefault();
      for (const { reject } of this.waiting.values()) reject(new Error(`Enregistrement impossible : ${event.message || 'le processus d’enregistrement s’est arrêté'}`));
      this.waiting.clear();
    };
  }

  save(plan: Plan, basedOn: number, history?: PackedHistory): Promise<SaveResult> {
    return this.ask({ kind: 'save', id: ++this.next, databaseName: this.databaseName, plan, basedOn, history, sentAt: performance.timeOrigin + performance.now() }) as Promise<SaveResult>;
  }

  latest(regionCode: string, onList?: (summaries: ProposalSummary[]) => void): Promise<LatestProposal> {
    return this.ask({ kind: 'latest', id: ++this.next, databaseName: this.databaseName, regionCode }, onList) as Promise<LatestProposal>;
  }

  private ask(request: StoreRequest, onList?: (summaries: ProposalSummary[]) => void): Promise<SaveResult | LatestProposal> {
    return new Promise((resolve, reject) => {
      this.waiting.set(request.id, { resolve, reject, onList });
      this.worker.postMessage(request);
    });
  }
}
