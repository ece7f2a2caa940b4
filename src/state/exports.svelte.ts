/**
 * Exports of any proposal (GeoJSON, XLSX, CSV, map picture, PDF dossier) and the import of a plan
 * from GeoJSON, CSV or XLSX as a new proposal. The files are produced by src/core/io and, for the
 * long ones (territories, map, PDF), by the document worker with a progress bar and a cancel
 * button; this class gathers what they need, names the files and reports through the notice.
 */
import notoRegularUrl from '@expo-google-fonts/noto-sans/400Regular/NotoSans_400Regular.ttf?url';
import notoBoldUrl from '@expo-google-fonts/noto-sans/700Bold/NotoSans_700Bold.ttf?url';
import { computeMetrics, metricsContext, type DriveTimeSource, type MetricsState } from '../core/metrics';
import { DATA_PATHS } from '../core/model/establishment';
import type { Plan } from '../core/model/plan';
import type { PlanDiff } from '../core/compare/plan-diff';
import { exportFileName } from '../core/io/file-names';
import { importPlanFile } from '../core/io/plan-import';
import { adoptTeams, applyImport } from '../core/io/import-merge';
import { formatCount } from '../core/french';
import { establishmentsCsv, workbook } from '../core/io/table-export';
import { dossierContent, mapInput, SOURCES } from '../core/document/dossier';
import { frenchDate, plural } from '../core/document/french';
import { DocumentCancelled, DocumentClient } from '../worker/document-client';
import type { DocumentJob, Georeference, LayerUrls } from '../worker/document-protocol';
import type { AppState } from './app.svelte';
import { newId, type PlanningState } from './planning.svelte';
import type { TerritoryState } from './territory.svelte';
import { describeReport } from '../core/io/import-report';

export interface ExportedFile {
  name: string;
  blob: Blob;
}

export interface PendingImport {
  fileName: string;
  plan: Plan;
  openId: string;
  openName: string;
  matched: string[];
  lines: string[];
}

/** Which part of the organisation the map picture shows. */
export type PictureVariant = { kind: 'region' } | { kind: 'service'; service: string } | { kind: 'team'; teamId: string };

export interface DocumentTexts {
  title: string;
  subtitle: string;
}

/** A4 landscape at 300 dpi. */
export const PRINT_SIZE = { width: 3508, height: 2480 };

const absolute = (path: string) => new URL(path, document.baseURI).href;

export class ExportState {
  busy = $state<string | null>(null);
  /** An imported plan whose teams match the open proposal's: new proposal or applied to the open one. */
  pendingImport = $state.raw<PendingImport | null>(null);
  /** Share done (0–1) and current step of a worker export, or null. */
  progress = $state<{ fraction: number; label: string } | null>(null);
  /** Where the map sits in the last picture exported: the browser tests find communes in it. */
  lastPicture: { width: number; height: number; georef: Georeference } | null = null;
  private readonly client = new DocumentClient();

  constructor(
    private readonly app: AppState,
    private readonly planning: PlanningState,
    private readonly territory?: TerritoryState,
  ) {}

  metricsOf(plan: Plan, drive: DriveTimeSource): MetricsState {
    return computeMetrics(plan, metricsContext(this.app.establishments, drive));
  }

  private layerUrls(): LayerUrls {
    const region = this.app.region!;
    return {
      regionCode: region.code,
      region: absolute(DATA_PATHS.boundary(region.code, 'region')),
      departements: region.layers.departements ? absolute(DATA_PATHS.boundary(region.code, 'departements')) : null,
      communes: region.layers.communes ? absolute(DATA_PATHS.boundary(region.code, 'communes')) : null,
      adjacency: region.layers.adjacency ? absolute(DATA_PATHS.adjacency(region.code)) : null,
      places: region.layers.places ? absolute(DATA_PATHS.boundary(region.code, 'places')) : null,
    };
  }

  /** The default title and subtitle of the picture and the dossier, which the user can edit. */
  defaultTexts(plan: Plan, drive: DriveTimeSource, variant: PictureVariant = { kind: 'region' }): DocumentTexts {
    const metrics = this.metricsOf(plan, drive).metrics;
    const teams = variant.kind === 'region' ? metrics.teams : variant.kind === 'service' ? metrics.teams.filter((t) => plan.teams.find((x) => x.id === t.teamId)?.service === variant.service) : metrics.teams.filter((t) => t.teamId === variant.teamId);
    const lycees = teams.reduce((s, t) => s + t.lycees, 0);
    const technicians = teams.reduce((s, t) => s + t.technicians, 0);
    const zones = plan.zones.filter((z) => teams.some((t) => t.teamId === z.teamId)).length;
    const where = variant.kind === 'region' ? this.app.region!.name : variant.kind === 'service' ? `Service ${variant.service}` : teams[0]?.name ?? '';
    return {
      title: `Organisation territoriale — ${plan.name}`,
      subtitle: `${where} · ${plural(teams.length, 'équipe')}, ${plural(technicians, 'technicien')}, ${plural(lycees, 'lycée')}, ${plural(zones, 'zone')} de continuité · ${frenchDate(new Date().toISOString())}`,
    };
  }

  /** Runs a worker job with progress; null when cancelled or failed (the notice says which). */
  private async work(label: string, job: DocumentJob): Promise<{ bytes: ArrayBuffer; notes: string[]; georef: Georeference | null } | null> {
    this.busy = label;
    this.progress = { fraction: 0, label };
    try {
      return await this.client.run(job, (fraction, step) => (this.progress = { fraction, label: step }));
    } catch (error) {
      this.planning.notice =
        error instanceof DocumentCancelled ? { kind: 'info', title: `${label} annulé`, lines: [] } : { kind: 'error', title: `${label} impossible`, lines: [error instanceof Error ? error.message : String(error)] };
      return null;
    } finally {
      this.busy = null;
      this.progress = null;
    }
  }

  cancel(): void {
    this.client.cancel();
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

  async geojson(plan: Plan, drive: DriveTimeSource): Promise<ExportedFile | null> {
    const now = new Date().toISOString();
    const region = this.app.region!;
    const input = { plan, metrics: this.metricsOf(plan, drive), establishments: this.app.establishments, region: { code: region.code, name: region.name }, driveTimes: { label: drive.label, estimated: drive.estimated }, now };
    const done = await this.work('Export GeoJSON', { kind: 'geojson', layers: this.layerUrls(), input });
    if (!done) return null;
    if (done.notes.length > 0) this.planning.notice = { kind: 'info', title: 'Export GeoJSON : remarques sur les territoires', lines: done.notes };
    return { name: exportFileName(plan.name, now, 'geojson'), blob: new Blob([done.bytes], { type: 'application/geo+json' }) };
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

  async picture(plan: Plan, drive: DriveTimeSource, texts: DocumentTexts, variant: PictureVariant = { kind: 'region' }, size = PRINT_SIZE): Promise<ExportedFile | null> {
    const now = new Date().toISOString();
    const focus = variant.kind === 'region' ? null : variant.kind === 'team' ? [variant.teamId] : plan.teams.filter((t) => t.service === variant.service).map((t) => t.id);
    const map = mapInput(plan, this.app.establishments, this.metricsOf(plan, drive));
    const spec = { ...size, chrome: true, title: texts.title, subtitle: texts.subtitle, date: frenchDate(now), sources: `${SOURCES} · Temps de trajet : ${drive.label}`, focus };
    const done = await this.work('Image de la carte', { kind: 'picture', layers: this.layerUrls(), map, spec });
    if (done?.georef) this.lastPicture = { width: size.width, height: size.height, georef: done.georef };
    return done ? { name: exportFileName(plan.name, now, 'png'), blob: new Blob([done.bytes], { type: 'image/png' }) } : null;
  }

  /** The PDF dossier; with `comparison`, a comparison page against the other proposal. */
  async dossier(plan: Plan, drive: DriveTimeSource, texts: DocumentTexts, comparison: { other: Plan; diff: PlanDiff; aIsOther: boolean } | null = null): Promise<ExportedFile | null> {
    const now = new Date().toISOString();
    const metrics = this.metricsOf(plan, drive);
    const content = dossierContent({
      plan,
      metrics,
      establishments: this.app.establishments,
      regionName: this.app.region!.name,
      title: texts.title,
      subtitle: texts.subtitle,
      driveTimes: { label: drive.label, estimated: drive.estimated },
      now,
      territories: this.app.region!.layers.communes ? 'communes' : 'voronoi',
      comparison: comparison ? { ...comparison, otherMetrics: this.metricsOf(comparison.other, drive) } : null,
    });
    const job: DocumentJob = { kind: 'dossier', layers: this.layerUrls(), map: mapInput(plan, this.app.establishments, metrics), content, fonts: { regular: absolute(notoRegularUrl), bold: absolute(notoBoldUrl) } };
    const done = await this.work('Dossier PDF', job);
    return done ? { name: exportFileName(plan.name, now, 'pdf'), blob: new Blob([done.bytes], { type: 'application/pdf' }) } : null;
  }

  async importPlan(bytes: Uint8Array, fileName: string): Promise<void> {
    this.pendingImport = null;
    const result = await importPlanFile(bytes, { newId: newId(), now: new Date().toISOString(), fileName, regionCode: this.app.regionCode, known: new Set(this.app.establishments.map((e) => e.uai)) });
    if (!result.ok) {
      this.planning.notice = { kind: 'error', title: `Import refusé : ${fileName}`, lines: result.reasons };
      return;
    }
    let { plan } = result.report;
    const { notes, complete } = result.report;
    const open = this.planning.plan ? ($state.snapshot(this.planning.plan) as Plan) : null;
    const matched = open ? adoptTeams(plan, open) : null;
    if (open && matched && matched.matched.length > 0) {
      // Teams known to the open proposal keep what a table cannot carry; the user picks where it goes.
      if (!complete) {
        plan = matched.plan;
        notes.push(`${formatCount(matched.matched.length, 'équipe reconnue', 'équipes reconnues')} dans « ${open.name} » : techniciens, bases, couleurs et sections repris.`);
      }
      this.pendingImport = { fileName, plan, openId: open.id, openName: open.name, matched: matched.matched, lines: describeReport(result.report) };
      return;
    }
    await this.planning.persistNew(plan, { kind: 'info', title: `Plan importé : ${plan.name} (${formatCount(Object.keys(plan.assignment).length, 'lycée')}, ${formatCount(plan.teams.length, 'équipe')})`, lines: describeReport(result.report) });
  }

  /** The pending import as a new proposal. */
  async importAsNew(): Promise<void> {
    const pending = this.pendingImport;
    if (!pending) return;
    this.pendingImport = null;
    const { plan } = pending;
    await this.planning.persistNew(plan, { kind: 'info', title: `Plan importé : ${plan.name} (${formatCount(Object.keys(plan.assignment).length, 'lycée')}, ${formatCount(plan.teams.length, 'équipe')})`, lines: pending.lines });
  }

  /** The pending import applied to the open proposal: one undoable edit. */
  applyToOpen(): void {
    const pending = this.pendingImport;
    const open = this.planning.plan;
    if (!pending || !open || open.id !== pending.openId) return;
    this.pendingImport = null;
    if (this.planning.apply(applyImport($state.snapshot(open) as Plan, pending.plan))) {
      this.planning.notice = { kind: 'info', title: `« ${pending.fileName} » appliqué à « ${open.name} » (Ctrl+Z pour annuler)`, lines: pending.lines };
    }
  }
}
