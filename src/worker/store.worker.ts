/**
 * Writes the autosave's proposals to IndexedDB away from the page: the page's main thread draws
 * the map after every edit (hundreds of milliseconds per frame in a software renderer), and each
 * IndexedDB callback of a transaction there waits for that; here nothing does.
 */
import { MaillageDatabase, ProposalStore } from '../state/db';
import type { StoreSaveReply, StoreSaveRequest } from './store-protocol';

const stores = new Map<string, ProposalStore>();

self.onmessage = async (event: MessageEvent<StoreSaveRequest>) => {
  const { id, databaseName, plan, basedOn, history, sentAt } = event.data;
  let store = stores.get(databaseName);
  if (!store) stores.set(databaseName, (store = new ProposalStore(new MaillageDatabase(databaseName), { broadcast: false })));
  let reply: StoreSaveReply;
  try {
    const result = await store.save(plan, basedOn, history);
    reply = { id, result: result.status === 'saved' ? { ...result, writeMs: result.committedAt - sentAt } : result };
  } catch (error) {
    const e = error instanceof Error ? error : new Error(String(error));
    reply = { id, error: { name: e.name, message: e.message } };
  }
  self.postMessage(reply);
};
