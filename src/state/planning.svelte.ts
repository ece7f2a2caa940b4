/**
 * The planner's work on the current Région: the list of saved proposals, the open one with its
 * undo/redo history and live metrics, the active team and the multi-selection. Every edit goes
 * through `apply` (a plan-ops result): refused edits show their reasons and change nothing;
 * accepted ones are recorded for undo, measured incrementally and saved to IndexedDB at once.
 */
import type { Plan } from '../core/model/plan';
import type { OpResult } from '../core/model/plan-ops';
import { createPlan } from '../core/model/plan-ops';
import { canRedo, canUndo, record, redo, startHistory, undo, type History } from '../core/history';
import { computeMetrics, metricsContext, updateMetrics, type DriveTimeSource, type MetricsContext, type MetricsState } from '../core/metrics';
import { exportProposal, importProposal, type Rejection } from '../core/io/proposal-file';
import { exportFileName } from '../core/io/file-names';
import { loadScenario, validateScenario, type Scenario } from '../core/scenarios';
import { ProposalStore, MaillageDatabase, type ProposalSummary } from './db';
import type { AppState } from './app.svelte';
import hdf2024 from '../../geo/hdf-2024.json';
import hdf2023 from '../../geo/hdf-2023.json';
import pdl2025 from '../../geo/pdl-2025.json';

export const SCENARIOS = [hdf2024, hdf2023, pdl2025] as unknown as Scenario[];

export interface Notice {
  kind: 'error' | 'info';
  title: string;
  lines: string[];
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

  plan = $derived(this.history?.present ?? null);
  metrics = $derived(this.metricsState?.metrics ?? null);
  canUndo = $derived(this.history ? canUndo(this.history) : false);
  canRedo = $derived(this.history ? canRedo(this.history) : false);

  private context: MetricsContext | null = null;
  private saving: Promise<void> = Promise.resolve();
  private readonly store: ProposalStore;

  constructor(
    private readonly app: AppState,
    store?: ProposalStore,
    private drive?: DriveTimeSource,
  ) {
    this.store = store ?? new ProposalStore(new MaillageDatabase());
  }

  /** Called when the Région's dataset changes: lists its proposals and reopens the latest. */
  async openRegion(): Promise<void> {
    const dataset = this.app.dataset;
    this.history = null;
    this.metricsState = null;
    this.selection = new Set();
    this.activeTeamId = null;
    if (!dataset) return;
    this.context = metricsContext(dataset.establishments, this.drive);
    await this.refreshList();
    if (this.summaries.length > 0) await this.open(this.summaries[0].id);
  }

  setDriveSource(drive: DriveTimeSource): void {
    this.drive = drive;
    if (this.app.dataset) this.context = metricsContext(this.app.dataset.establishments, drive);
    if (this.plan && this.context) this.metricsState = computeMetrics(this.plan, this.context);
  }

  private async refreshList(): Promise<void> {
    this.summaries = await this.store.list(this.app.regionCode);
  }

  /** A proposal of the Région without opening it (the open one with its latest edits). */
  async load(id: string): Promise<Plan | null> {
    if (this.plan?.id === id) return $state.snapshot(this.plan) as Plan;
    return this.store.get(id);
  }

  async open(id: string): Promise<void> {
    const plan = await this.store.get(id);
    if (!plan) {
      this.notice = { kind: 'error', title: 'Proposition introuvable', lines: [id] };
      return;
    }
    this.start(plan);
  }

  private start(plan: Plan): void {
    this.history = startHistory(plan);
    this.metricsState = this.context ? computeMetrics(plan, this.context) : null;
    this.activeTeamId = plan.teams[0]?.id ?? null;
    this.selection = new Set();
  }

  async persistNew(plan: Plan, notice?: Notice): Promise<void> {
    await this.store.save(plan);
    this.start(plan);
    await this.refreshList();
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
    const { plan, notes, unassigned } = result.load;
    await this.persistNew(plan, {
      kind: 'info',
      title: `Scénario chargé : ${plan.name}`,
      lines: [...notes, `${unassigned.length} lycée(s) public(s) sans équipe : voir « Lycées non affectés ».`],
    });
  }

  async duplicate(): Promise<void> {
    if (!this.plan) return;
    const now = new Date().toISOString();
    const copy: Plan = { ...structuredClone($state.snapshot(this.plan)), id: newId(), name: `${this.plan.name} (copie)`, createdAt: now, updatedAt: now, origin: { kind: 'duplicate', fromPlanId: this.plan.id } };
    await this.persistNew(copy);
  }

  async remove(id: string): Promise<void> {
    await this.saving;
    await this.store.delete(id);
    if (this.plan?.id === id) {
      this.history = null;
      this.metricsState = null;
    }
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
    if (this.activeTeamId && !plan.teams.some((t) => t.id === this.activeTeamId)) this.activeTeamId = plan.teams[0]?.id ?? null;
    const saved: Plan = { ...plan, updatedAt: new Date().toISOString() };
    // Saves are chained so an older state can never overwrite a newer one.
    this.saving = this.saving.then(() => this.store.save(saved)).then(() => this.refreshList());
  }

  /** Waits for pending saves (tests, before leaving). */
  flush(): Promise<void> {
    return this.saving;
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

  async importFile(text: string, fileName: string): Promise<void> {
    const known = new Set(this.app.establishments.map((e) => e.uai));
    const result = importProposal(text, known, { newId: newId(), now: new Date().toISOString(), fileName });
    if (!result.ok) {
      this.notice = { kind: 'error', title: `Import refusé : ${fileName}`, lines: result.reasons };
      return;
    }
    if (result.plan.regionCode !== this.app.regionCode) {
      this.notice = { kind: 'error', title: `Import refusé : ${fileName}`, lines: [`Cette proposition concerne la Région ${result.plan.regionCode}, pas celle affichée.`] };
      return;
    }
    await this.persistNew(result.plan, { kind: 'info', title: `Proposition importée : ${result.plan.name}`, lines: describeRejections(result.rejected) });
  }
}

export function describeRejections(rejected: readonly Rejection[]): string[] {
  if (rejected.length === 0) return ['Aucune ligne rejetée.'];
  return [`${rejected.length} entrée(s) rejetée(s) :`, ...rejected.map((r) => `${r.where} ${r.value} : ${r.reason}`)];
}
