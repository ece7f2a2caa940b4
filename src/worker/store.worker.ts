/**
 * Writes the autosave's proposals to IndexedDB, and reads the proposal that opens a Région, away
 * from the page: the page's main thread draws the map after every change (hundreds of milliseconds
 * per frame in a software renderer), and each IndexedDB callback of a transaction there waits for
 * that; here nothing does.
 */
import { MaillageDatabase, ProposalStore } from '../state/db';
import type { StoreReply, StoreRequest } from './store-protocol';

const stores = new Map<string, ProposalStore>();

self.onmessage = async (event: MessageEvent<StoreRequest>) => {
  const request = event.data;
  let store = stores.get(request.databaseName);
  if (!store) stores.set(request.databaseName, (store = new ProposalStore(new MaillageDatabase(request.databaseName), { broadcast: false })));
  let reply: StoreReply;
  try {
    if (request.kind === 'latest') reply = { id: request.id, latest: await store.latest(request.regionCode, (list) => self.postMessage({ id: request.id, list } satisfies StoreReply)) };
    else {
      const result = await store.save(request.plan, request.basedOn, request.history);
      reply = { id: request.id, result: result.status === 'saved' ? { ...result, writeMs: result.committedAt - request.sentAt } : result };
    }
  } catch (error) {
    const e = error instanceof Error ? error : new Error(String(error));
    reply = { id: request.id, error: { name: e.name, message: e.message } };
  }
  self.postMessage(reply);
};
