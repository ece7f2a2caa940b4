/** Messages between the page and the store worker (src/worker/store.worker.ts). */
import type { PackedHistory } from '../core/history';
import type { Plan } from '../core/model/plan';
import type { SaveResult } from '../state/db';

export interface StoreSaveRequest {
  id: number;
  databaseName: string;
  plan: Plan;
  basedOn: number;
  history?: PackedHistory;
  /** performance.timeOrigin + performance.now() when the page asked: both sides read the same clock. */
  sentAt: number;
}

export type StoreSaveReply = { id: number; result: SaveResult } | { id: number; error: { name: string; message: string } };
