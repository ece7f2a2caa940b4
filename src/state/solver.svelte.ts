/**
 * The solver panel's state: parameters (kept per browser), the running solve in its worker, its
 * progress, and the new proposal it produces. Preparation (drive times to every site) happens here,
 * on the main thread, because the drive-time source lives here; the optimisation runs in the worker.
 */
import type { DriveTimeSource } from '../core/metrics';
import type { Plan } from '../core/model/plan';
import { DATA_PATHS, type CommuneAdjacency } from '../core/model/establishment';
import { defaultSolveParams, parseCandidateSites, planFromOutcome, prepareSolve, solverReport, type PlanSolveParams } from '../core/solver/from-plan';
import type { SolveProgress } from '../core/solver/solve';
import { SolverCancelled, SolverClient } from '../worker/solver-client';
import { fetchJson, type AppState } from './app.svelte';
import { formatCount } from '../core/french';
import { solverProposalName } from '../core/model/names';
import { newId, type PlanningState } from './planning.svelte';

const KEY = 'maillage.solver';

export const PHASE_LABELS: Record<SolveProgress['phase'], string> = {
  bases: 'Choix des bases',
  heuristique: 'Recherche locale',
  exact: 'Optimisation exacte (HiGHS)',
  zones: 'Zones de continuité',
};

export class SolverState {
  params = $state<PlanSolveParams | null>(null);
  running = $state(false);
  progress = $state<SolveProgress | null>(null);
  error = $state<string[] | null>(null);
  /** Set when the user cancelled the last run: says so, and that nothing was created. */
  cancelled = $state<string | null>(null);
  private startedAt = 0;
  /** Extra candidate sites for chosen bases, one "lat ; lon ; libellé" per line. */
  candidateText = $state('');
  private readonly client = new SolverClient();

  constructor(
    private readonly app: AppState,
    private readonly planning: PlanningState,
  ) {}

  private paramsPlanId: string | null = null;

  /** Parameters for the open plan: the saved ones, with the plan's own tolerances. */
  useProposal(plan: Plan): void {
    if (this.params && this.paramsPlanId === plan.id) return;
    const defaults = defaultSolveParams(plan);
    let saved: Partial<PlanSolveParams> = {};
    try {
      saved = this.params ?? (JSON.parse(localStorage.getItem(KEY) ?? '{}') as Partial<PlanSolveParams>);
    } catch {
      // Unreadable saved parameters: defaults.
    }
    this.params = { ...defaults, ...saved, zones: { ...defaults.zones, ...saved.zones }, tolerances: defaults.tolerances, extraSites: [] };
    this.paramsPlanId = plan.id;
  }

  async run(drive: DriveTimeSource): Promise<void> {
    const plan = this.planning.plan ? ($state.snapshot(this.planning.plan) as typeof this.planning.plan) : null;
    const params = this.params ? ($state.snapshot(this.params) as PlanSolveParams) : null;
    if (!plan || !params) return;
    localStorage.setItem(KEY, JSON.stringify({ ...params, tolerances: undefined, extraSites: undefined }));
    this.error = null;
    this.cancelled = null;
    const candidates = parseCandidateSites(this.candidateText);
    if (candidates.reasons.length > 0) {
      this.error = ['Sites candidats :', ...candidates.reasons];
      return;
    }
    params.extraSites = candidates.sites;
    const communes = params.contiguous ? await this.communeAdjacency() : null;
    const prepared = prepareSolve(plan, this.app.establishments, drive, params, communes);
    if (!prepared.ok) {
      this.error = prepared.reasons;
      return;
    }
    this.running = true;
    this.startedAt = performance.now();
    this.progress = { phase: params.baseMode === 'fixed' && plan.teams.every((t) => t.base) ? 'heuristique' : 'bases', fraction: 0 };
    try {
      const outcome = await this.client.run(
        { instance: prepared.prepared.instance, zones: prepared.prepared.zones, options: { seed: params.seed, method: params.method, timeLimitSeconds: params.timeLimitSeconds, exactMaxColumns: params.exactMaxColumns } },
        (progress) => (this.progress = progress),
      );
      const report = solverReport(plan, prepared.prepared, outcome, params, drive);
      const now = new Date().toISOString();
      const next = planFromOutcome(plan, prepared.prepared, outcome, report, { newId: newId(), now, name: solverProposalName(plan.name, this.planning.summaries.map((s) => s.name)) });
      await this.planning.persistNew(next, {
        kind: 'info',
        title: `Proposition du solveur : ${next.name}`,
        lines: [`${report.method}, ${report.status}.`, report.violations.length > 0 ? `${formatCount(report.violations.length, 'écart', 'écarts')} aux tolérances : voir le rapport dans l’onglet Solveur.` : 'Toutes les tolérances sont respectées.'],
      });
    } catch (error) {
      if (!(error instanceof SolverCancelled)) this.error = [error instanceof Error ? error.message : String(error)];
    } finally {
      this.running = false;
      this.progress = null;
    }
  }

  private adjacency: { regionCode: string; graph: CommuneAdjacency | null } | null = null;

  /** The Région's commune borders (built by the data build), loaded once; null where there are none. */
  private async communeAdjacency(): Promise<CommuneAdjacency | null> {
    const regionCode = this.app.regionCode;
    if (this.adjacency?.regionCode !== regionCode) {
      let graph: CommuneAdjacency | null = null;
      try {
        graph = await fetchJson<CommuneAdjacency>(DATA_PATHS.adjacency(regionCode));
      } catch {
        graph = null;
      }
      this.adjacency = { regionCode, graph };
    }
    return this.adjacency.graph;
  }

  cancel(): void {
    if (!this.running) return;
    const phase = this.progress ? PHASE_LABELS[this.progress.phase].toLowerCase() : null;
    const seconds = Math.round((performance.now() - this.startedAt) / 1000);
    this.cancelled = `Calcul annulé après ${formatCount(seconds, 'seconde')}${phase ? ` (étape : ${phase})` : ''}. Aucune proposition n’a été créée ; « ${this.planning.plan?.name ?? ''} » est inchangée.`;
    this.client.cancel();
  }

  /** Adds a candidate site line (from a click on the map). */
  addCandidate(place: { lat: number; lon: number; label: string }): void {
    const line = `${place.lat.toFixed(5)} ; ${place.lon.toFixed(5)} ; ${place.label || `Site ${place.lat.toFixed(4)}, ${place.lon.toFixed(4)}`}`;
    this.candidateText = this.candidateText.trim() === '' ? line : `${this.candidateText.replace(/\s+$/, '')}\n${line}`;
  }
}
