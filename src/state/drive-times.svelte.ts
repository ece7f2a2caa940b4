/**
 * Which drive times the metrics use: the labelled estimate (default, no network), an OSRM server
 * (matrix of the Région's public lycées, cached in IndexedDB by server and dataset), or a shared
 * precomputed matrix file. A failed or refused OSRM computation leaves the previous source in place
 * and says why; lycées outside the server's coverage are listed with the estimate they get.
 */
import { ESTIMATED_DRIVE_TIMES, type DriveTimeSource } from '../core/metrics';
import { matrixDriveTimes, osrmProvider } from '../core/routing/providers';
import { importMatrixFile } from '../core/io/matrix-import';
import { OsrmError } from '../core/routing/osrm';
import { DEFAULT_ROUTING_SETTINGS, describeSettingsErrors, validateRoutingSettings, type RoutingField, type RoutingSettings } from '../core/routing/settings';
import { describePoint, type Matrix, type RoutedPoint } from '../core/routing/types';
import type { Establishment } from '../core/model/establishment';
import { IndexedDbMatrixCache } from './matrix-cache';

const KEY = 'maillage.routing';

export type { RoutingSettings };

/** The settings form: what the user typed, validated only on « Enregistrer ». */
export type RoutingDraft = Record<RoutingField, string>;

const kilometres = (metres: number) => `${(metres / 1000).toLocaleString('fr-FR', { maximumFractionDigits: 1 })} km`;

/** One line per lycée outside the server's coverage, for the panel and the CLI. */
export function uncoveredLines(matrix: Matrix, points: readonly RoutedPoint[]): string[] {
  return (matrix.estimated ?? [])
    .filter((e) => e.role === 'source')
    .map((e) => {
      const what = describePoint(points[e.index], e.index);
      return e.reason === 'noSegment'
        ? `${what} : le serveur ne trouve aucune route près de ce lycée — estimation utilisée.`
        : `${what} : placé à ${kilometres(e.distance ?? 0)} de la route la plus proche (hors couverture du serveur) — estimation utilisée.`;
    });
}

export class DriveTimesState {
  settings = $state<RoutingSettings>({ ...DEFAULT_ROUTING_SETTINGS });
  source = $state.raw<DriveTimeSource>(ESTIMATED_DRIVE_TIMES);
  progress = $state<number | null>(null);
  error = $state<string | null>(null);
  warnings = $state<string[]>([]);
  /** The lycées of a matrix refused for coverage, one line each. */
  uncovered = $state<string[]>([]);
  /** Field → reason, from the last « Enregistrer ». */
  fieldErrors = $state<Partial<Record<RoutingField, string>>>({});
  /** The OSRM matrix in use: when it was computed, whether it came from the cache. */
  matrixInfo = $state<{ computedAt: string | null; fromCache: boolean } | null>(null);
  notice = $state<string | null>(null);
  private controller: AbortController | null = null;
  private readonly cache = new IndexedDbMatrixCache();

  constructor() {
    try {
      const stored = JSON.parse(localStorage.getItem(KEY) ?? '{}') as Partial<Record<RoutingField, unknown>>;
      const checked = validateRoutingSettings({ ...DEFAULT_ROUTING_SETTINGS, ...stored });
      if (checked.ok) this.settings = checked.settings;
    } catch {
      // Unreadable settings: defaults.
    }
  }

  draft(): RoutingDraft {
    const s = this.settings;
    return { osrmUrl: s.osrmUrl, maxTableSize: String(s.maxTableSize), concurrency: String(s.concurrency), snapThresholdMetres: String(s.snapThresholdMetres) };
  }

  /** Validates the form; saves and returns true only when every field is valid. */
  save(draft: RoutingDraft): boolean {
    const checked = validateRoutingSettings(draft);
    if (!checked.ok) {
      this.fieldErrors = checked.errors;
      return false;
    }
    this.fieldErrors = {};
    this.settings = checked.settings;
    localStorage.setItem(KEY, JSON.stringify(this.settings));
    return true;
  }

  useEstimate(): void {
    this.cancel();
    this.source = ESTIMATED_DRIVE_TIMES;
    this.error = null;
    this.warnings = [];
    this.uncovered = [];
    this.matrixInfo = null;
  }

  cancel(): void {
    this.controller?.abort();
    this.controller = null;
    this.progress = null;
  }

  async clearCache(): Promise<void> {
    const count = await this.cache.clear();
    this.notice = count > 0 ? `Cache vidé : ${count} matrice${count > 1 ? 's' : ''} supprimée${count > 1 ? 's' : ''}. « Calculer avec OSRM » les redemandera au serveur.` : 'Le cache était déjà vide.';
  }

  async computeWithOsrm(establishments: readonly Establishment[]): Promise<void> {
    this.cancel();
    this.notice = null;
    const checked = validateRoutingSettings(this.settings, { requireUrl: true });
    if (!checked.ok) {
      this.error = `Réglages du serveur invalides : ${describeSettingsErrors(checked.errors).join(' ; ')}`;
      return;
    }
    const settings = checked.settings;
    const controller = new AbortController();
    this.controller = controller;
    this.error = null;
    this.warnings = [];
    this.uncovered = [];
    this.progress = 0;
    const points = establishments.filter((e) => e.sector === 'public');
    const provider = osrmProvider(
      { baseUrl: settings.osrmUrl, maxTableSize: settings.maxTableSize, concurrency: settings.concurrency, snapThresholdMetres: settings.snapThresholdMetres },
      this.cache,
    );
    try {
      const matrix = await provider.matrix(points, points, { signal: controller.signal, onProgress: (p) => (this.progress = p) });
      this.source = matrixDriveTimes(matrix, points, points);
      this.matrixInfo = { computedAt: matrix.computedAt ?? null, fromCache: matrix.fromCache === true };
      this.warnings = uncoveredLines(matrix, points);
      if (matrix.unroutable.length > 0) this.warnings.push(`${matrix.unroutable.length} trajet(s) sans itinéraire routier.`);
      const learned = provider.client.learnedTableSize;
      if (learned !== null && learned < settings.maxTableSize) {
        this.settings.maxTableSize = learned;
        localStorage.setItem(KEY, JSON.stringify(this.settings));
        this.warnings.push(`Le serveur n’accepte que ${learned} × ${learned} trajets par requête (--max-table-size) : réglage ramené à ${learned}.`);
      }
    } catch (error) {
      this.error = error instanceof OsrmError ? `${error.message} Les temps de trajet restent : ${this.source.label}.` : String(error);
      if (error instanceof OsrmError && error.kind === 'coverage') {
        this.uncovered = error.uncovered.map((u) => (u.distance !== undefined ? `${u.label} : à ${kilometres(u.distance)} de la route la plus proche.` : `${u.label} : aucune route trouvée.`));
      }
    } finally {
      if (this.controller === controller) {
        this.controller = null;
        this.progress = null;
      }
    }
  }

  loadMatrixFile(bytes: Uint8Array, fileName: string, regionCode: string): void {
    const file = importMatrixFile(bytes, fileName, regionCode);
    if (!file.ok) {
      this.error = `${fileName} : ${file.reasons.join(' ')}`;
      return;
    }
    this.source = matrixDriveTimes(file.report.matrix, file.report.accepted, file.report.accepted);
    this.matrixInfo = null;
    this.error = null;
    this.warnings = file.report.notes;
  }
}
