/** The page's side of the store worker: a ProposalWriter whose writes run there. */
import type { PackedHistory } from '../core/history';
import type { Plan } from '../core/model/plan';
import type { ProposalWriter, SaveResult } from '../state/db';
import type { StoreSaveReply, StoreSaveRequest } from './store-protocol';

export class WorkerProposalWriter implements ProposalWriter {
  private readonly worker: Worker;
  private next = 0;
  private readonly waiting = new Map<number, { resolve: (result: SaveResult) => void; reject: (error: Error) => void }>();

  constructor(private readonly databaseName: string) {
    this.worker = new Worker(new URL('./store.worker.ts', import.meta.url), { type: 'module' });
    this.worker.onmessage = (event: MessageEvent<StoreSaveReply>) => {
      const reply = event.data;
      const waiter = this.waiting.get(reply.id);
      this.waiting.delete(reply.id);
      if (!waiter) return;
      if ('error' in reply) waiter.reject(Object.assign(new Error(reply.error.message), { name: reply.error.name }));
      else waiter.resolve(reply.result);
    };
    // A worker that cannot start fails every waiting write: the autosave reports it and keeps the edits.
    this.worker.onerror = (event) => {
      event.preventDefault();
      for (const { reject } of this.waiting.values()) reject(new Error(`Enregistrement impossible : ${event.message || 'le processus d’enregistrement s’est arrêté'}`));
      this.waiting.clear();
    };
  }

  save(plan: Plan, basedOn: number, history?: PackedHistory): Promise<SaveResult> {
    const id = ++this.next;
    const request: StoreSaveRequest = { id, databaseName: this.databaseName, plan, basedOn, history, sentAt: performance.timeOrigin + performance.now() };
    return new Promise((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      this.worker.postMessage(request);
    });
  }
}
