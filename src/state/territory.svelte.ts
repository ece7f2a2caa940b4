/**
 * The open proposal's territory (src/core/territory), kept up to date on every edit. The commune
 * graph of the Région is built once from adjacency.json (codes, neighbours, centroids, areas): the
 * page never parses the commune polygons, which only the map's worker reads to draw them. Each edit
 * is then an incremental update. Régions without communes have no live territory (their export
 * falls back on Voronoi cells).
 */
import { untrack } from 'svelte';
import type { FeatureCollection, MultiPolygon, Polygon } from 'geojson';
import { communeGraph, graphFromAdjacencyAlone, placePoints } from '../core/territory/graph';
import { computeTerritory, territoryContext, updateTerritory, type TeamTerritory, type Territory, type TerritoryContext } from '../core/territory/model';
import type { Plan } from '../core/model/plan';
import { DATA_PATHS, type CommuneAdjacency, type RegionInfo } from '../core/model/establishment';
import { fetchJson, type AppState } from './app.svelte';
import type { PlanningState } from './planning.svelte';

type Communes = FeatureCollection<Polygon | MultiPolygon>;

const STORAGE_KEY = 'maillage.territories';

export class TerritoryState {
  /** Territories drawn on the map (toggle, remembered). */
  visible = $state(localStorage.getItem(STORAGE_KEY) !== 'off');
  territory = $state.raw<Territory | null>(null);
  /** INSEE codes of the communes, in the order of `territory.owner`. */
  codes = $state.raw<readonly string[]>([]);
  /** Region code of the loaded graph, null while loading or without communes. */
  loadedFor = $state<string | null>(null);
  error = $state<string | null>(null);

  teams = $derived<ReadonlyMap<string, TeamTerritory>>(this.territory?.teams ?? new Map());

  private context: TerritoryContext | null = null;
  private loading: string | null = null;
  private adjacency: { regionCode: string; data: Promise<CommuneAdjacency | null> } | null = null;

  /** The Région's adjacency.json, fetched once (null when the data build has none or it fails). */
  private adjacencyOf(region: RegionInfo): Promise<CommuneAdjacency | null> {
    if (this.adjacency?.regionCode !== region.code) {
      const data = region.layers.adjacency ? fetchJson<CommuneAdjacency>(DATA_PATHS.adjacency(region.code)).catch(() => null) : Promise.resolve(null);
      this.adjacency = { regionCode: region.code, data };
    }
    return this.adjacency.data;
  }

  constructor(
    private readonly app: AppState,
    private readonly planning: PlanningState,
  ) {
    $effect.root(() => {
      $effect(() => {
        // The commune graph's file is fetched before the dataset has arrived: placing the lycées is
        // all that has to wait for it.
        const region = this.app.region;
        const wanted = !!this.planning.plan || this.planning.summaries.length > 0;
        if (region?.layers.communes && wanted) untrack(() => void this.adjacencyOf(region));
      });
      $effect(() => {
        const region = this.app.region;
        const dataset = this.app.dataset;
        // Built as soon as the Région is known to hold a proposal, while the proposal is read from the store.
        const wanted = !!this.planning.plan || this.planning.summaries.length > 0;
        if (region && dataset && dataset.region.code === region.code && wanted) untrack(() => void this.load(region));
      });
      $effect(() => {
        const plan = this.planning.plan;
        if (this.loadedFor !== this.app.region?.code) return;
        untrack(() => this.context && this.refresh(plan));
      });
    });
  }

  setVisible(value: boolean): void {
    this.visible = value;
    localStorage.setItem(STORAGE_KEY, value ? 'on' : 'off');
  }

  /** Territory figures of any proposal of the Région (compare view); null without communes. */
  figuresOf(plan: Plan | null): ReadonlyMap<string, TeamTerritory> | null {
    if (!plan || !this.context || this.loadedFor !== plan.regionCode) return null;
    if (plan.assignment === this.territory?.assignment) return this.territory.teams;
    return computeTerritory(this.context, plan.assignment).teams;
  }

  private refresh(plan: Plan | null): void {
    const context = this.context!;
    if (!plan) {
      this.territory = null;
      return;
    }
    const previous = this.territory;
    this.territory = previous ? updateTerritory(previous, context, plan.assignment).territory : computeTerritory(context, plan.assignment);
  }

  private async load(region: RegionInfo): Promise<void> {
    if (this.loadedFor === region.code || this.loading === region.code) return;
    this.loading = region.code;
    this.loadedFor = null;
    this.context = null;
    this.territory = null;
    this.error = null;
    if (!region.layers.communes) {
      this.loading = null;
      return;
    }
    try {
      const adjacency = await this.adjacencyOf(region);
      // A data build older than the measures in adjacency.json: the polygons are needed after all.
      const communes = graphFromAdjacencyAlone(adjacency) ? null : await fetchJson<Communes>(DATA_PATHS.boundary(region.code, 'communes'));
      if (this.loading !== region.code) return;
      const graph = communeGraph(communes, adjacency);
      const establishments = this.app.establishments;
      const context = territoryContext(graph, placePoints(graph, communes, establishments), establishments);
      this.context = context;
      this.codes = graph.codes;
      this.territory = null;
      this.loadedFor = region.code;
      this.refresh(this.planning.plan);
    } catch (error) {
      if (this.loading === region.code) this.error = `Territoires indisponibles : ${error instanceof Error ? error.message : String(error)}`;
    } finally {
      if (this.loading === region.code) this.loading = null;
    }
  }
}
