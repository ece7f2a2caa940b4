/**
 * Autosave of the open proposal. Edits are numbered; one write runs at a time and, while it runs,
 * only the newest state waits (each state holds all earlier edits, so quick edits cost one write,
 * not thirty). A failed write keeps the state waiting and reports it; the next edit or `retry()`
 * writes again. A write refused because another tab stored a newer revision, or because the proposal
 * was deleted, stops saving until the user chooses what to do: nothing is overwritten in silence.
 */
import type { Plan } from '../core/model/plan';
import type { PackedHistory } from '../core/history';
import type { ProposalStore, ProposalSummary } from './db';

export type SaveState =
  | { kind: 'saved'; revision: number; at: string }
  | { kind: 'saving' }
  | { kind: 'error'; message: string }
  | { kind: 'conflict'; storedRevision: number }
  | { kind: 'missing' };

interface Job {
  plan: Plan;
  history: () => PackedHistory | undefined;
  edit: number;
}

export function describeError(error: unknown): string {
  if (error instanceof Error) {
    if (error.name === 'QuotaExceededError' || /quota/i.test(error.message)) return 'Espace de stockage du navigateur plein.';
    return error.message ? `${error.name} : ${error.message}`.slice(0, 300) : error.name;
  }
  return 'Erreur inconnue du stockage du navigateur.';
}

export class AutoSaver {
  private pending: Job | null = null;
  private running: Promise<void> | null = null;
  /** Set by a failure, a conflict or a deletion: no write until `retry()` or `rebase()`. */
  private halted = false;
  private edits = 0;
  /** The newest edit known to be in the store. */
  acknowledged = 0;
  /** Duration of the last accepted write, from the request to IndexedDB's commit (ms). */
  lastWriteMs: number | null = null;
  /** When the last accepted write was committed (performance.timeOrigin + performance.now()). */
  lastCommittedAt: number | null = null;
  state: SaveState;

  constructor(
    private readonly store: ProposalStore,
    readonly id: string,
    /** The stored revision the open plan was read from or last written as. */
    public revision: number,
    private readonly onState: (state: SaveState) => void,
    private readonly onSaved: (summary: ProposalSummary) => void = () => {},
  ) {
    this.state = { kind: 'saved', revision, at: new Date().toISOString() };
  }

  /** Edits made but not yet in the store (waiting, being written, or refused). */
  get unsaved(): boolean {
    return this.acknowledged < this.edits;
  }

  get editCount(): number {
    return this.edits;
  }

  /** Queues the newest state; returns its edit number. */
  queue(plan: Plan, history: () => PackedHistory | undefined): number {
    this.edits++;
    this.pending = { plan, history, edit: this.edits };
    this.kick();
    return this.edits;
  }

  /** Writes again after a failure. */
  retry(): void {
    if (this.state.kind === 'conflict' || this.state.kind === 'missing') return;
    this.halted = false;
    this.kick();
  }

  /** Resolves when nothing is being written (saved, or halted with the state reported). */
  async flush(): Promise<void> {
    while (this.running) await this.running;
  }

  /**
   * The page is going away: start the waiting write now, even behind the running one (IndexedDB runs
   * read-write transactions of one store in order, so it is based on the revision that one writes).
   */
  urgent(): void {
    const job = this.pending;
    if (!job || this.halted || !this.running) return;
    this.pending = null;
    void this.store.save(job.plan, this.revision + 1, job.history()).catch(() => undefined);
  }

  private set(state: SaveState): void {
    this.state = state;
    this.onState(state);
  }

  private kick(): void {
    if (this.running || this.halted) return;
    this.running = this.run().finally(() => {
      this.running = null;
    });
  }

  private async run(): Promise<void> {
    while (this.pending && !this.halted) {
      const job = this.pending;
      this.pending = null;
      this.set({ kind: 'saving' });
      try {
        const result = await this.store.save(job.plan, this.revision, job.history());
        if (result.status === 'saved') {
          this.lastWriteMs = result.writeMs;
          this.lastCommittedAt = result.committedAt;
          this.revision = result.summary.revision;
          this.acknowledged = Math.max(this.acknowledged, job.edit);
          this.onSaved(result.summary);
          continue;
        }
        this.pending ??= job;
        this.halted = true;
        this.set(result.status === 'conflict' ? { kind: 'conflict', storedRevision: result.storedRevision } : { kind: 'missing' });
        return;
      } catch (error) {
        // A newer waiting state includes this one's edits; otherwise keep this one for the retry.
        this.pending ??= job;
        this.halted = true;
        this.set({ kind: 'error', message: describeError(error) });
        return;
      }
    }
    if (!this.halted) this.set({ kind: 'saved', revision: this.revision, at: new Date().toISOString() });
  }

  /** Another tab's newer revision was seen while this tab had unsaved edits. */
  markConflict(storedRevision: number): void {
    // A running write is checked against the stored revision anyway.
    if (!this.unsaved || this.running) return;
    this.halted = true;
    this.set({ kind: 'conflict', storedRevision });
  }

  /** Stops writing for good (the proposal was closed or replaced). */
  stop(): void {
    this.halted = true;
    this.pending = null;
  }
}
