/**
 * Exports of any proposal (GeoJSON, XLSX, CSV, map picture) and the import of a plan from GeoJSON,
 * CSV or XLSX as a new proposal. The files are produced by src/core/io; this class fetches what they
 * need (Région outline and communes), names the files and reports through the planning notice.
 */
import type { FeatureCollection, MultiPolygon, Polygon } from 'geojson';
import type { Map as MapLibreMap } from 'maplibre-gl';
import { computeMetrics, metricsContext, type DriveTimeSource, type MetricsState } from '../core/metrics';
import { DATA_PATHS } from '../core/model/establishment';
import type { Plan } from '../core/model/plan';
import type { PlanDiff } from '../core/compare/plan-diff';
import { exportFileName } from '../core/io/file-names';
import { planToGeoJson } from '../core/io/geojson-export';
import { importPlanFile } from '../core/io/plan-import';
import { establishmentsCsv, workbook } from '../core/io/table-export';
import { renderMapPicture } from '../map/print';
import { fetchJson, type AppState } from './app.svelte';
import { newId, type PlanningState } from './planning.svelte';
import type { TerritoryState } from './territory.svelte';
import { describeReport } from '../core/io/import-report';

type Boundary = FeatureCollection<Polygon | MultiPolygon>;

export interface ExportedFile {
  name: string;
  blob: Blob;
}

export class ExportState {
  busy = $state<string | null>(null);
  private boundaryCache = new Map<string, { boundary: Boundary; communes: Boundary | null }>();

  constructor(
    private readonly app: AppState,
    private readonly planning: PlanningState,
    private readonly territory?: TerritoryState,
  ) {}

  metricsOf(plan: Plan, drive: DriveTimeSource): MetricsState {
    return computeMetrics(plan, metricsContext(this.app.establishments, drive));
  }

  private async boundaries(withCommunes = true): Promise<{ boundary: Boundary; communes: Boundary | null }> {
    const region = this.app.region!;
    const cached = this.boundaryCache.get(region.code);
    if (cached) return cached;
    const boundary = await fetchJson<Boundary>(DATA_PATHS.boundary(region.code, 'region'));
    if (!withCommunes) return { boundary, communes: null };
    const communes = region.layers.communes ? await fetchJson<Boundary>(DATA_PATHS.boundary(region.code, 'communes')) : null;
    const loaded = { boundary, communes };
    this.boundaryCache.set(region.code, loaded);
    return loaded;
  }

  private async run<T>(label: string, work: () => Promise<T>): Promise<T | null> {
    this.busy = label;
    try {
      // Let the "busy" label paint before a long synchronous computation starts.
      await new Promise((resolve) => setTimeout(resolve, 0));
      return await work();
    } catch (error) {
      this.planning.notice = { kind: 'error', title: `${label} impossible`, lines: [error instanceof Error ? error.message : String(error)] };
      return null;
    } finally {
      this.busy = null;
    }
  }

  geojson(plan: Plan, drive: DriveTimeSource): Promise<ExportedFile | null> {
    return this.run('Export GeoJSON', async () => {
      // The live territory's layers when loaded: the export's territories match the map's.
      const live = this.territory?.exportLayers() ?? null;
      const { boundary, communes } = live ? { boundary: (await this.boundaries(false)).boundary, communes: live.communes } : await this.boundaries();
      const now = new Date().toISOString();
      const collection = planToGeoJson({ plan, metrics: this.metricsOf(plan, drive), establishments: this.app.establishments, region: { code: this.app.region!.code, name: this.app.region!.name, boundary, communes, adjacency: live?.adjacency ?? null }, driveTimes: drive, now });
      return { name: exportFileName(plan.name, now, 'geojson'), blob: new Blob([JSON.stringify(collection)], { type: 'application/geo+json' }) };
    });
  }

  xlsx(plan: Plan, drive: DriveTimeSource, comparison: { name: string; diff: PlanDiff } | null = null): Promise<ExportedFile | null> {
    return this.run('Export Excel', async () => {
      const now = new Date().toISOString();
      const bytes = await workbook({ plan, metrics: this.metricsOf(plan, drive), establishments: this.app.establishments, regionName: this.app.region!.name, driveTimes: drive, now, comparison, territory: this.territory?.figuresOf(plan) ?? null });
      return { name: exportFileName(plan.name, now, 'xlsx'), blob: new Blob([bytes as BlobPart], { type: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' }) };
    });
  }

  csv(plan: Plan, drive: DriveTimeSource): Promise<ExportedFile | null> {
    return this.run('Export CSV', async () => {
      const now = new Date().toISOString();
      const text = establishmentsCsv({ plan, metrics: this.metricsOf(plan, drive), establishments: this.app.establishments, regionName: this.app.region!.name, driveTimes: drive, now, comparison: null });
      return { name: exportFileName(plan.name, now, 'csv'), blob: new Blob([text], { type: 'text/csv;charset=utf-8' }) };
    });
  }

  picture(plan: Plan, map: MapLibreMap, drive: DriveTimeSource): Promise<ExportedFile | null> {
    return this.run('Image de la carte', async () => {
      const now = new Date().toISOString();
      const metrics = this.metricsOf(plan, drive).metrics;
      const blob = await renderMapPicture(map, {
        title: plan.name,
        subtitle: `${this.app.region!.name} · ${metrics.global.assigned} lycées, ${plan.teams.length} équipes, ${plan.zones.length} zones · ${new Date(now).toLocaleDateString('fr-FR', { day: 'numeric', month: 'long', year: 'numeric' })}`,
        legend: metrics.teams.map((t) => ({ colour: t.color, label: `${t.name} (${t.lycees} lycées, ${t.technicians} tech.)` })),
        sources: `Maillage · Établissements : annuaire de l’éducation, IPS, effectifs (MENJ-DEPP) · Limites : IGN Admin Express, INSEE COG · Licence Ouverte / Etalab 2.0 · Temps de trajet : ${drive.label}`,
      });
      return { name: exportFileName(plan.name, now, 'png'), blob };
    });
  }

  async importPlan(bytes: Uint8Array, fileName: string): Promise<void> {
    const result = await importPlanFile(bytes, { newId: newId(), now: new Date().toISOString(), fileName, regionCode: this.app.regionCode, known: new Set(this.app.establishments.map((e) => e.uai)) });
    if (!result.ok) {
      this.planning.notice = { kind: 'error', title: `Import refusé : ${fileName}`, lines: result.reasons };
      return;
    }
    const { plan } = result.report;
    await this.planning.persistNew(plan, { kind: 'info', title: `Plan importé : ${plan.name} (${Object.keys(plan.assignment).length} lycées, ${plan.teams.length} équipes)`, lines: describeReport(result.report) });
  }
}
