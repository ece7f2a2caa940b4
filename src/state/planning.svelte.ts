/**
 * The planner's work on the current Région: the list of saved proposals, the open one with its
 * undo/redo history and live metrics, the active team and the multi-selection. Every edit goes
 * through `apply` (a plan-ops result): refused edits show their reasons and change nothing;
 * accepted ones are recorded for undo, measured incrementally and saved to IndexedDB at once with
 * their undo history (./autosave.ts). Other tabs' writes and deletions are heard and shown.
 */
import type { Plan } from '../core/model/plan';
import type { OpResult } from '../core/model/plan-ops';
import { createPlan } from '../core/model/plan-ops';
import { canRedo, canUndo, packHistory, record, redo, startHistory, undo, unpackHistory, type History } from '../core/history';
import { computeMetrics, metricsContext, updateMetrics, type DriveTimeSource, type MetricsContext, type MetricsState } from '../core/metrics';
import { exportProposal, importProposalBytes } from '../core/io/proposal-file';
import { describeReport, showValue } from '../core/io/import-report';
import { exportFileName } from '../core/io/file-names';
import { formatCount } from '../core/french';
import { copyName } from '../core/model/names';
import { loadScenario, validateScenario, type Scenario } from '../core/scenarios';
import { ProposalStore, MaillageDatabase, type LatestProposal, type ProposalSummary, type StoreEvent } from './db';
import { AutoSaver, describeError, type SaveState } from './autosave';
import { StoreWorkerClient } from '../worker/store-client';
import type { AppState } from './app.svelte';
import hdf2024 from '../../geo/hdf-2024.json';
import hdf2023 from '../../geo/hdf-2023.json';
import pdl2025 from '../../geo/pdl-2025.json';

export const SCENARIOS = [hdf2024, hdf2023, pdl2025] as unknown as Scenario[];

export interface NoticeAction {
  label: string;
  run: () => void | Promise<void>;
}

export interface Notice {
  kind: 'error' | 'info';
  title: string;
  lines: string[];
  actions?: NoticeAction[];
}

/** A question put to the user before an action that would drop unsaved edits. */
export interface Confirmation {
  message: string;
  confirmLabel: string;
  confirm: () => void | Promise<void>;
}

export function newId(): string {
  return `p-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
}

export class PlanningState {
  summaries = $state<ProposalSummary[]>([]);
  history = $state.raw<History<Plan> | null>(null);
  metricsState = $state.raw<MetricsState | null>(null);
  activeTeamId = $state<string | null>(null);
  /** Lycées picked with the lasso or shift-click, for group actions. */
  selection = $state.raw<ReadonlySet<string>>(new Set());
  notice = $state<Notice | null>(null);
  /** When set, the next map click sets this team's base. */
  placingBaseFor = $state<string | null>(null);
  /** When true, clicking a lycée assigns it to the active team. */
  clickAssigns = $state(false);
  /** Where the open proposal's edits stand in IndexedDB. */
  saveState = $state.raw<SaveState | null>(null);
  confirmation = $state.raw<Confirmation | null>(null);
  /** When set, the next map click picks a place (a lycée or a point) for this callback. */
  mapPick = $state.raw<{ label: string; pick: (place: { lat: number; lon: number; label: string }) => void } | null>(null);

  plan = $derived(this.history?.present ?? null);
  metrics = $derived(this.metricsState?.metrics ?? null);
  canUndo = $derived(this.history ? canUndo(this.history) : false);
  canRedo = $derived(this.history ? canRedo(this.history) : false);

  private context: MetricsContext | null = null;
  private saver: AutoSaver | null = null;
  private readonly store: ProposalStore;

  constructor(
    private readonly app: AppState,
    store?: ProposalStore,
    private drive?: DriveTimeSource,
  ) {
    if (store) this.store = store;
    else {
      const db = new MaillageDatabase();
      this.store = new ProposalStore(db, { worker: typeof Worker === 'undefined' ? null : new StoreWorkerClient(db.name) });
    }
    this.store.subscribe((event) => void this.onStoreEvent(event));
  }

  /** Edits of the open proposal not yet in IndexedDB. */
  get unsaved(): boolean {
    return this.saver?.unsaved ?? false;
  }

  /** Number of edits of the open proposal so far, and how many are known to be stored. */
  get saveProgress(): { edits: number; stored: number; lastWriteMs: number | null; lastCommittedAt: number | null } {
    return { edits: this.saver?.editCount ?? 0, stored: this.saver?.acknowledged ?? 0, lastWriteMs: this.saver?.lastWriteMs ?? null, lastCommittedAt: this.saver?.lastCommittedAt ?? null };
  }

  private prefetched: { regionCode: string; latest: Promise<LatestProposal> } | null = null;

  /**
   * Starts reading the Région's latest proposal while its dataset downloads (the database opens in
   * the meantime too); openRegion takes the result instead of reading again.
   */
  prefetch(regionCode: string): void {
    // The list shows as soon as it is read: the map starts loading territories for a Région that has proposals.
    const latest = this.store.latest(regionCode, (summaries) => {
      if (this.app.regionCode === regionCode && !this.plan) this.summaries = summaries;
    });
    // openRegion reports a failure; an unused prefetch must not raise an unhandled rejection.
    latest.catch(() => undefined);
    this.prefetched = { regionCode, latest };
  }

  /** Called when the Région's dataset changes: lists its proposals and reopens the latest. */
  async openRegion(): Promise<void> {
    const dataset = this.app.dataset;
    this.close();
    this.selection = new Set();
    const regionCode = this.app.regionCode;
    if (this.summaries.some((summary) => summary.regionCode !== regionCode)) this.summaries = [];
    if (!dataset) return;
    this.context = metricsContext(dataset.establishments, this.drive);
    const prefetched = this.prefetched?.regionCode === regionCode ? this.prefetched.latest : null;
    this.prefetched = null;
    const { summaries, stored, packed } = await (prefetched ?? this.store.latest(regionCode));
    // The user moved to another Région, or opened a proposal, while this was read.
    if (this.app.regionCode !== regionCode || this.plan) return;
    this.summaries = summaries;
    if (stored) this.start(stored.plan, stored.revision, packed ? unpackHistory(stored.plan, packed) : undefined);
  }

  setDriveSource(drive: DriveTimeSource): void {
    this.drive = drive;
    if (this.app.dataset) this.context = metricsContext(this.app.dataset.establishments, drive);
    if (this.plan && this.context) this.metricsState = computeMetrics(this.plan, this.context);
  }

  private async refreshList(): Promise<void> {
    this.summaries = await this.store.list(this.app.regionCode);
  }

  /** Keeps the list in step with a write of this tab without reading the store again. */
  private updateSummary(summary: ProposalSummary): void {
    if (summary.regionCode !== this.app.regionCode) return;
    this.summaries = [summary, ...this.summaries.filter((s) => s.id !== summary.id)].sort((a, b) => b.updatedAt.localeCompare(a.updatedAt));
  }

  /** A proposal of the Région without opening it (the open one with its latest edits). */
  async load(id: string): Promise<Plan | null> {
    if (this.plan?.id === id) return $state.snapshot(this.plan) as Plan;
    return (await this.store.get(id))?.plan ?? null;
  }

  /** Opens a proposal; with unsaved edits in the open one, asks first. */
  async open(id: string): Promise<void> {
    if (this.plan?.id === id && !this.unsaved) return;
    if (this.unsaved) {
      const name = this.summaries.find((s) => s.id === id)?.name ?? id;
      this.confirmation = {
        message: `Des modifications de « ${this.plan?.name ?? ''} » ne sont pas enregistrées. Les abandonner et ouvrir « ${name} » ?`,
        confirmLabel: 'Abandonner et ouvrir',
        confirm: () => this.openStored(id),
      };
      return;
    }
    await this.openStored(id);
  }

  private async openStored(id: string): Promise<void> {
    this.confirmation = null;
    const stored = await this.store.get(id);
    if (!stored) {
      this.notice = { kind: 'error', title: 'Proposition introuvable', lines: [id] };
      await this.refreshList();
      return;
    }
    const packed = await this.store.history(id, stored.revision);
    this.start(stored.plan, stored.revision, packed ? unpackHistory(stored.plan, packed) : undefined);
  }

  private start(plan: Plan, revision: number, history?: History<Plan>): void {
    this.saver?.stop();
    this.saver = new AutoSaver(
      this.store,
      plan.id,
      revision,
      (state) => this.onSaveState(state),
      (summary) => this.updateSummary(summary),
    );
    this.saveState = this.saver.state;
    this.history = history ?? startHistory(plan);
    this.metricsState = this.context ? computeMetrics(this.history.present, this.context) : null;
    this.activeTeamId = this.history.present.teams[0]?.id ?? null;
    this.selection = new Set();
  }

  private close(): void {
    this.saver?.stop();
    this.saver = null;
    this.saveState = null;
    this.confirmation = null;
    this.history = null;
    this.metricsState = null;
    this.activeTeamId = null;
  }

  async persistNew(plan: Plan, notice?: Notice): Promise<void> {
    try {
      const summary = await this.store.create(plan);
      this.start(plan, summary.revision);
      this.updateSummary(summary);
    } catch (error) {
      this.notice = { kind: 'error', title: 'La proposition n’a pas pu être enregistrée', lines: [describeError(error)] };
      return;
    }
    if (notice) this.notice = notice;
  }

  async create(name: string): Promise<void> {
    const now = new Date().toISOString();
    await this.persistNew(createPlan({ id: newId(), name: name.trim() || 'Nouvelle proposition', regionCode: this.app.regionCode, now }));
  }

  async createFromScenario(scenarioId: string): Promise<void> {
    const raw = SCENARIOS.find((s) => s.id === scenarioId);
    const valid = validateScenario(raw);
    if (!valid.ok) {
      this.notice = { kind: 'error', title: 'Scénario invalide', lines: valid.reasons };
      return;
    }
    const result = loadScenario(valid.scenario, this.app.establishments, { planId: newId(), now: new Date().toISOString() });
    if (!result.ok) {
      this.notice = { kind: 'error', title: 'Le scénario ne peut pas être chargé', lines: result.reasons };
      return;
    }
    const { plan, notes, unassigned, unmatchedRules } = result.load;
    await this.persistNew(plan, {
      kind: 'info',
      title: `Scénario chargé : ${plan.name}`,
      lines: [
        ...notes,
        `${formatCount(unassigned.length, 'lycée public', 'lycées publics')} sans équipe${unassigned.length > 0 ? ' : voir « Lycées non affectés »' : ''}.`,
        ...(unmatchedRules.length > 0 ? [`Règles de territoire sans aucun lycée (${unmatchedRules.length}) :`, ...unmatchedRules] : []),
      ],
    });
  }

  async duplicate(): Promise<void> {
    if (!this.plan) return;
    const now = new Date().toISOString();
    const copy: Plan = { ...structuredClone($state.snapshot(this.plan)), id: newId(), name: copyName(this.plan.name, this.summaries.map((s) => s.name)), createdAt: now, updatedAt: now, origin: { kind: 'duplicate', fromPlanId: this.plan.id } };
    await this.persistNew(copy);
  }

  async remove(id: string): Promise<void> {
    if (this.plan?.id === id) this.close();
    await this.store.delete(id);
    await this.refreshList();
  }

  /** Applies an edit; returns whether it was accepted. */
  apply(result: OpResult, doneMessage?: string): boolean {
    if (!result.ok) {
      this.notice = { kind: 'error', title: 'Modification impossible', lines: result.reasons };
      return false;
    }
    if (!this.history || result.plan === this.history.present) return true;
    this.history = record(this.history, result.plan);
    this.afterChange();
    this.notice = doneMessage ? { kind: 'info', title: doneMessage, lines: [] } : null;
    return true;
  }

  undo(): void {
    if (!this.history || !canUndo(this.history)) return;
    this.history = undo(this.history);
    this.afterChange();
  }

  redo(): void {
    if (!this.history || !canRedo(this.history)) return;
    this.history = redo(this.history);
    this.afterChange();
  }

  private afterChange(): void {
    const plan = this.history!.present;
    if (this.context) this.metricsState = this.metricsState ? updateMetrics(this.metricsState, plan, this.context) : computeMetrics(plan, this.context);
    // No active team (deleted, or the proposal had none yet): the first team becomes active.
    if (!plan.teams.some((t) => t.id === this.activeTeamId)) this.activeTeamId = plan.teams[0]?.id ?? null;
    const saved: Plan = { ...plan, updatedAt: new Date().toISOString() };
    const history = this.history!;
    this.saver?.queue(saved, () => packHistory(history));
  }

  /** Waits for pending saves (tests, before leaving). */
  async flush(): Promise<void> {
    await this.saver?.flush();
  }

  /** The page is being hidden or closed: start every waiting write now. */
  flushUrgently(): void {
    this.saver?.urgent();
  }

  retrySave(): void {
    this.saver?.retry();
  }

  private onSaveState(state: SaveState): void {
    this.saveState = state;
  }

  /** Drops this tab's unsaved edits and shows what is stored. */
  async reloadStored(): Promise<void> {
    if (this.plan) await this.openStored(this.plan.id);
  }

  /** Keeps this tab's version as a new proposal, leaving the stored one as it is. */
  async saveAsCopy(): Promise<void> {
    if (!this.plan) return;
    const now = new Date().toISOString();
    const mine = structuredClone($state.snapshot(this.plan)) as Plan;
    await this.persistNew(
      { ...mine, id: newId(), name: `${mine.name} (copie de cet onglet)`, createdAt: now, updatedAt: now, origin: { kind: 'duplicate', fromPlanId: mine.id } },
      { kind: 'info', title: 'Votre version est enregistrée comme une nouvelle proposition', lines: [] },
    );
  }

  private async onStoreEvent(event: StoreEvent): Promise<void> {
    if (event.kind === 'database-deleted') {
      this.summaries = [];
      if (!this.plan) return;
      const plan = this.plan;
      this.notice = {
        kind: 'error',
        title: 'Les propositions enregistrées ont été supprimées dans un autre onglet',
        lines: [`« ${plan.name} » reste affichée ici mais n’est plus enregistrée.`],
        actions: [{ label: 'Enregistrer à nouveau', run: () => this.saveAgain() }],
      };
      this.saver?.stop();
      this.saveState = { kind: 'missing' };
      return;
    }
    if (event.regionCode !== this.app.regionCode) return;
    await this.refreshList();
    const open = this.plan;
    if (!open || !this.saver || event.id !== open.id) return;
    if (event.kind === 'deleted') {
      const unsaved = this.unsaved;
      const mine = structuredClone($state.snapshot(open)) as Plan;
      this.close();
      this.notice = {
        kind: 'info',
        title: `« ${open.name} » a été supprimée dans un autre onglet`,
        lines: unsaved ? ['Elle avait ici des modifications non enregistrées.'] : [],
        actions: [{ label: 'En garder une copie', run: () => this.persistNew({ ...mine, id: newId(), name: `${mine.name} (copie)` }) }],
      };
      return;
    }
    if (event.revision <= this.saver.revision) return;
    if (this.unsaved) this.saver.markConflict(event.revision);
    else {
      await this.openStored(open.id);
      this.notice = { kind: 'info', title: `« ${open.name} » a été modifiée dans un autre onglet : version à jour affichée`, lines: [] };
    }
  }

  /** After the database was deleted elsewhere: store the open proposal again as a new entry. */
  private async saveAgain(): Promise<void> {
    if (!this.plan) return;
    const plan = structuredClone($state.snapshot(this.plan)) as Plan;
    const history = this.history;
    await this.persistNew(plan, { kind: 'info', title: `« ${plan.name} » est de nouveau enregistrée`, lines: [] });
    if (history && this.history) this.history = { ...history, present: this.history.present };
  }

  setSelection(uais: Iterable<string>): void {
    this.selection = new Set(uais);
  }

  toggleInSelection(uai: string): void {
    const next = new Set(this.selection);
    if (next.has(uai)) next.delete(uai);
    else next.add(uai);
    this.selection = next;
  }

  exportFile(): { name: string; text: string } | null {
    if (!this.plan) return null;
    const now = new Date().toISOString();
    return { name: exportFileName(this.plan.name, now, 'maillage.json'), text: exportProposal($state.snapshot(this.plan) as Plan, now) };
  }

  /** A proposal file becomes a new proposal; a refused file changes nothing and says why. */
  async importFile(bytes: Uint8Array, fileName: string): Promise<void> {
    const known = new Set(this.app.establishments.map((e) => e.uai));
    const result = importProposalBytes(bytes, known, { newId: newId(), now: new Date().toISOString(), fileName });
    if (!result.ok) {
      this.notice = { kind: 'error', title: `Import refusé : ${fileName}`, lines: result.reasons };
      return;
    }
    const { plan } = result.report;
    if (plan.regionCode !== this.app.regionCode) {
      this.notice = { kind: 'error', title: `Import refusé : ${fileName}`, lines: [`Cette proposition concerne la Région de code ${showValue(plan.regionCode, 8)}, pas celle affichée (code ${this.app.regionCode}).`] };
      return;
    }
    await this.persistNew(plan, { kind: 'info', title: `Proposition importée : ${plan.name}`, lines: describeReport(result.report) });
  }
}
