/**
 * IndexedDB persistence (Dexie). One database for the user's proposals; the drive-time matrix cache
 * keeps its own. Plans are stored whole, each with a revision number: a write names the revision it
 * was based on and is refused when another tab has stored a newer one, so two tabs never overwrite
 * each other in silence. The proposal list reads small summaries, never the plans. Every tab of the
 * profile hears of the others' writes through a BroadcastChannel. In the browser the autosave's
 * writes, and the read that opens a Région, run in a worker (StoreWorker): there, IndexedDB's
 * callbacks do not wait behind the map's frames, so an edit reaches the store, and the last
 * proposal the page, within milliseconds whatever the page is drawing.
 */
import Dexie, { type EntityTable } from 'dexie';
import type { Plan } from '../core/model/plan';
import type { PackedHistory } from '../core/history';

export interface StoredProposal {
  id: string;
  regionCode: string;
  name: string;
  updatedAt: string;
  /** 1 on creation, +1 on every accepted write. */
  revision: number;
  plan: Plan;
}

export interface ProposalSummary {
  id: string;
  regionCode: string;
  name: string;
  updatedAt: string;
  revision: number;
  teams: number;
  assigned: number;
  /** The proposal this one was made from (solver run, copy), if any; absent in older summaries. */
  fromPlanId?: string | null;
  createdAt?: string;
}

/** The undo history of a proposal, valid only for the revision it was written with. */
export interface StoredHistory {
  id: string;
  revision: number;
  history: PackedHistory;
}

export type SaveResult =
  /**
   * `writeMs`: from the request to the commit of the transaction; `committedAt`: the commit, as
   * performance.timeOrigin + performance.now() (the same clock in the page and its workers).
   */
  | { status: 'saved'; summary: ProposalSummary; writeMs: number; committedAt: number }
  /** Another tab stored a newer revision: nothing was written. */
  | { status: 'conflict'; storedRevision: number }
  /** The proposal was deleted meanwhile: nothing was written. */
  | { status: 'missing' };

export type StoreEvent =
  | { kind: 'saved'; id: string; regionCode: string; revision: number }
  | { kind: 'deleted'; id: string; regionCode: string }
  /** The whole database was deleted (another tab, the browser's site-data settings). */
  | { kind: 'database-deleted' };

export class MaillageDatabase extends Dexie {
  proposals!: EntityTable<StoredProposal, 'id'>;
  summaries!: EntityTable<ProposalSummary, 'id'>;
  histories!: EntityTable<StoredHistory, 'id'>;

  constructor(name = 'maillage', options?: ConstructorParameters<typeof Dexie>[1]) {
    super(name, options);
    this.version(1).stores({ proposals: 'id, regionCode, updatedAt' });
    this.version(2)
      .stores({ proposals: 'id, regionCode, updatedAt', summaries: 'id, regionCode', histories: 'id' })
      .upgrade(async (tx) => {
        await tx
          .table<StoredProposal, string>('proposals')
          .toCollection()
          .modify((row) => {
            row.revision ??= 1;
          });
        const rows = await tx.table<StoredProposal, string>('proposals').toArray();
        await tx.table<ProposalSummary, string>('summaries').bulkPut(rows.map(summaryOf));
      });
  }
}

function derivedFrom(plan: Plan): string | null {
  return plan.origin.kind === 'solver' || plan.origin.kind === 'duplicate' ? plan.origin.fromPlanId : null;
}

export function summaryOf(row: StoredProposal): ProposalSummary {
  return {
    id: row.id,
    regionCode: row.regionCode,
    name: row.name,
    updatedAt: row.updatedAt,
    revision: row.revision,
    teams: row.plan.teams.length,
    assigned: Object.keys(row.plan.assignment).length,
    fromPlanId: derivedFrom(row.plan),
    createdAt: row.plan.createdAt,
  };
}

function rowOf(plan: Plan, revision: number): StoredProposal {
  return { id: plan.id, regionCode: plan.regionCode, name: plan.name, updatedAt: plan.updatedAt, revision, plan };
}

/** What opening a Région reads: its proposals, the latest one and that one's undo history. */
export interface LatestProposal {
  summaries: ProposalSummary[];
  stored: StoredProposal | null;
  packed: PackedHistory | null;
}

/** Runs `ProposalStore.save` and `latest` elsewhere (a worker: see src/worker/store-client.ts). */
export interface StoreWorker {
  save(plan: Plan, basedOn: number, history?: PackedHistory): Promise<SaveResult>;
  latest(regionCode: string, onList?: (summaries: ProposalSummary[]) => void): Promise<LatestProposal>;
}

export interface ProposalStoreOptions {
  /** Tell the other tabs about writes (off in the store worker: its page tells them). */
  broadcast?: boolean;
  worker?: StoreWorker | null;
}

export class ProposalStore {
  private readonly channel: BroadcastChannel | null;
  private readonly listeners = new Set<(event: StoreEvent) => void>();
  private readonly worker: StoreWorker | null;

  constructor(
    private readonly db: MaillageDatabase,
    options: ProposalStoreOptions = {},
  ) {
    this.worker = options.worker ?? null;
    this.channel = typeof BroadcastChannel === 'undefined' || options.broadcast === false ? null : new BroadcastChannel(`maillage-proposals:${db.name}`);
    this.channel?.addEventListener('message', (event: MessageEvent<StoreEvent>) => this.emit(event.data));
    // Dexie then closes this connection and reopens (recreates) the database on the next write.
    db.on('versionchange', (event) => {
      if (!event.newVersion) this.emit({ kind: 'database-deleted' });
    });
  }

  /** Hears the other tabs' writes and deletions (never this store's own). */
  subscribe(listener: (event: StoreEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private emit(event: StoreEvent): void {
    for (const listener of this.listeners) listener(event);
  }

  private tell(event: StoreEvent): void {
    this.channel?.postMessage(event);
  }

  async list(regionCode: string): Promise<ProposalSummary[]> {
    const rows = await this.db.summaries.where('regionCode').equals(regionCode).toArray();
    return rows.sort((a, b) => b.updatedAt.localeCompare(a.updatedAt));
  }

  async get(id: string): Promise<StoredProposal | null> {
    return (await this.db.proposals.get(id)) ?? null;
  }

  /**
   * The Région's proposals, newest first, the newest in full and its undo history, in one read;
   * `onList` hears the list as soon as it is read (the page starts loading what a proposal needs).
   */
  async latest(regionCode: string, onList?: (summaries: ProposalSummary[]) => void): Promise<LatestProposal> {
    if (this.worker) return this.worker.latest(regionCode, onList);
    return this.db.transaction('r', this.db.summaries, this.db.proposals, this.db.histories, async () => {
      const summaries = await this.list(regionCode);
      onList?.(summaries);
      const stored = summaries.length > 0 ? await this.get(summaries[0].id) : null;
      const packed = stored ? await this.history(stored.plan.id, stored.revision) : null;
      return { summaries, stored, packed };
    });
  }

  /** The stored undo history of a proposal, if it belongs to `revision`. */
  async history(id: string, revision: number): Promise<PackedHistory | null> {
    const row = await this.db.histories.get(id);
    return row && row.revision === revision ? row.history : null;
  }

  /** Stores a new proposal as revision 1 (an existing id is refused, never overwritten). */
  async create(plan: Plan): Promise<ProposalSummary> {
    const row = rowOf(plan, 1);
    const summary = summaryOf(row);
    await this.db.transaction('rw', this.db.proposals, this.db.summaries, this.db.histories, async () => {
      await this.db.proposals.add(row);
      await this.db.summaries.put(summary);
      await this.db.histories.delete(plan.id);
    });
    this.tell({ kind: 'saved', id: plan.id, regionCode: plan.regionCode, revision: 1 });
    return summary;
  }

  /** Writes `plan` over `basedOn`, the revision it was edited from, with its undo history. */
  async save(plan: Plan, basedOn: number, history?: PackedHistory): Promise<SaveResult> {
    const result = await (this.worker ? this.worker.save(plan, basedOn, history) : this.write(plan, basedOn, history));
    if (result.status === 'saved') this.tell({ kind: 'saved', id: plan.id, regionCode: plan.regionCode, revision: result.summary.revision });
    return result;
  }

  private async write(plan: Plan, basedOn: number, history?: PackedHistory): Promise<SaveResult> {
    const started = performance.now();
    const result = await this.db.transaction('rw', this.db.proposals, this.db.summaries, this.db.histories, async () => {
      const stored = await this.db.proposals.get(plan.id);
      if (!stored) return { status: 'missing' } as const;
      if (stored.revision !== basedOn) return { status: 'conflict', storedRevision: stored.revision } as const;
      const row = rowOf(plan, basedOn + 1);
      const summary = summaryOf(row);
      // Requested together: each awaited request would cost one more turn of the event loop.
      await Promise.all([
        this.db.proposals.put(row),
        this.db.summaries.put(summary),
        history ? this.db.histories.put({ id: plan.id, revision: row.revision, history }) : this.db.histories.delete(plan.id),
      ]);
      return { status: 'saved', summary } as const;
    });
    if (result.status !== 'saved') return result;
    const committed = performance.now();
    return { ...result, writeMs: committed - started, committedAt: performance.timeOrigin + committed };
  }

  async delete(id: string): Promise<void> {
    const stored = await this.db.summaries.get(id);
    await this.db.transaction('rw', this.db.proposals, this.db.summaries, this.db.histories, async () => {
      await this.db.proposals.delete(id);
      await this.db.summaries.delete(id);
      await this.db.histories.delete(id);
    });
    if (stored) this.tell({ kind: 'deleted', id, regionCode: stored.regionCode });
  }

  close(): void {
    this.channel?.close();
    this.listeners.clear();
    this.db.close();
  }
}
