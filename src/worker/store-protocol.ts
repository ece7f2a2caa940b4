/** Messages between the page and the store worker (src/worker/store.worker.ts). */
import type { PackedHistory } from '../core/history';
import type { Plan } from '../core/model/plan';
import type { LatestProposal, ProposalSummary, SaveResult } from '../state/db';

export interface StoreSaveRequest {
  kind: 'save';
  id: number;
  databaseName: string;
  plan: Plan;
  basedOn: number;
  history?: PackedHistory;
  /** performance.timeOrigin + performance.now() when the page asked: both sides read the same clock. */
  sentAt: number;
}

export interface StoreLatestRequest {
  kind: 'latest';
  id: number;
  databaseName: string;
  regionCode: string;
}

export type StoreRequest = StoreSaveRequest | StoreLatestRequest;

/** A `latest` request is answered twice: the list as soon as it is read, then everything. */
export type StoreReply =
  | { id: number; result: SaveResult }
  | { id: number; list: ProposalSummary[] }
  | { id: number; latest: LatestProposal }
  | { id: number; error: { name: string; message: string } };
