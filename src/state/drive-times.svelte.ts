/**
 * Which drive times the metrics use: the labelled estimate (default, no network), an OSRM server
 * (matrix of the Région's public lycées, cached in IndexedDB), or a shared precomputed matrix file.
 * A failed OSRM computation leaves the previous source in place and says why.
 */
import { ESTIMATED_DRIVE_TIMES, type DriveTimeSource } from '../core/metrics';
import { matrixDriveTimes, osrmProvider } from '../core/routing/providers';
import { readMatrixFile } from '../core/routing/matrix-file';
import { OsrmError } from '../core/routing/osrm';
import type { Establishment } from '../core/model/establishment';
import { IndexedDbMatrixCache } from './matrix-cache';

const KEY = 'maillage.routing';

export interface RoutingSettings {
  osrmUrl: string;
  profile: string;
  maxTableSize: number;
  concurrency: number;
}

export class DriveTimesState {
  settings = $state<RoutingSettings>({ osrmUrl: '', profile: 'driving', maxTableSize: 100, concurrency: 4 });
  source = $state.raw<DriveTimeSource>(ESTIMATED_DRIVE_TIMES);
  progress = $state<number | null>(null);
  error = $state<string | null>(null);
  warnings = $state<string[]>([]);
  private controller: AbortController | null = null;
  private readonly cache = new IndexedDbMatrixCache();

  constructor() {
    try {
      Object.assign(this.settings, JSON.parse(localStorage.getItem(KEY) ?? '{}'));
    } catch {
      // Unreadable settings: defaults.
    }
  }

  save(): void {
    localStorage.setItem(KEY, JSON.stringify(this.settings));
  }

  useEstimate(): void {
    this.cancel();
    this.source = ESTIMATED_DRIVE_TIMES;
    this.error = null;
    this.warnings = [];
  }

  cancel(): void {
    this.controller?.abort();
    this.controller = null;
    this.progress = null;
  }

  async computeWithOsrm(establishments: readonly Establishment[]): Promise<void> {
    this.cancel();
    const controller = new AbortController();
    this.controller = controller;
    this.error = null;
    this.progress = 0;
    const points = establishments.filter((e) => e.sector === 'public');
    const provider = osrmProvider({ baseUrl: this.settings.osrmUrl, profile: this.settings.profile, maxTableSize: this.settings.maxTableSize, concurrency: this.settings.concurrency }, this.cache);
    try {
      const matrix = await provider.matrix(points, points, { signal: controller.signal, onProgress: (p) => (this.progress = p) });
      this.source = matrixDriveTimes(matrix, points, points);
      this.warnings = matrix.farSnaps
        .filter((f) => f.role === 'source')
        .map((f) => `${points[f.point.index].uai} (${points[f.point.index].name}) placé à ${Math.round(f.point.distance)} m de la route la plus proche : vérifiez ses coordonnées.`);
      if (matrix.unroutable.length > 0) this.warnings.push(`${matrix.unroutable.length} trajet(s) sans itinéraire routier.`);
    } catch (error) {
      this.error = error instanceof OsrmError ? `${error.message} Les temps de trajet restent : ${this.source.label}.` : String(error);
    } finally {
      if (this.controller === controller) {
        this.controller = null;
        this.progress = null;
      }
    }
  }

  loadMatrixFile(text: string, regionCode: string): void {
    const file = readMatrixFile(text);
    if (!file.ok) {
      this.error = file.reason;
      return;
    }
    if (file.regionCode !== regionCode) {
      this.error = `Cette matrice concerne la Région ${file.regionCode}, pas celle affichée.`;
      return;
    }
    this.source = matrixDriveTimes(file.matrix, file.points, file.points);
    this.error = null;
  }
}
