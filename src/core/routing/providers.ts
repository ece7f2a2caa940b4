/**
 * The two drive-time providers behind one interface (estimate, OSRM with a cache), the cache key,
 * and the adapter that lets the metrics read drive times from a computed matrix.
 */
import { estimateTrip, type LatLon } from './estimate.ts';
import type { DriveTimeSource } from '../metrics/index.ts';
import { OsrmClient, type OsrmSettings } from './osrm.ts';
import { emptyMatrix, pointKey, type DriveTimeProvider, type Matrix, type MatrixOptions, type ProviderInfo, type RoutedPoint } from './types.ts';

export const ESTIMATE_INFO: ProviderInfo = { kind: 'estimate', label: 'estimation (distance à vol d’oiseau × 1,3, vitesse par tranche de distance)' };

export const estimateProvider: DriveTimeProvider = {
  info: ESTIMATE_INFO,
  async matrix(sources, destinations, options = {}) {
    const matrix = emptyMatrix(sources.length, destinations.length, ESTIMATE_INFO);
    for (let i = 0; i < sources.length; i++) {
      if (options.signal?.aborted) throw new DOMException('Calcul annulé.', 'AbortError');
      for (let j = 0; j < destinations.length; j++) {
        const trip = estimateTrip(sources[i], destinations[j]);
        matrix.durations[i * destinations.length + j] = trip.seconds;
        matrix.distances[i * destinations.length + j] = trip.metres;
      }
      options.onProgress?.((i + 1) / sources.length);
    }
    return matrix;
  },
};

/** A cached matrix and when it was computed. */
export interface CachedMatrixEntry {
  key: string;
  savedAt: string;
  matrix: Matrix;
}

export interface MatrixCache {
  get(key: string): Promise<CachedMatrixEntry | undefined>;
  set(key: string, matrix: Matrix): Promise<void>;
  /** Removes every cached matrix; returns how many there were. */
  clear(): Promise<number>;
}

export class MemoryMatrixCache implements MatrixCache {
  private readonly entries = new Map<string, CachedMatrixEntry>();
  async get(key: string): Promise<CachedMatrixEntry | undefined> {
    return this.entries.get(key);
  }
  async set(key: string, matrix: Matrix): Promise<void> {
    this.entries.set(key, { key, savedAt: matrix.computedAt ?? new Date().toISOString(), matrix });
  }
  async clear(): Promise<number> {
    const count = this.entries.size;
    this.entries.clear();
    return count;
  }
}

/** FNV-1a over the coordinates, twice with different seeds: a 64-bit key, collisions negligible here. */
export function hashPoints(points: readonly LatLon[]): string {
  let a = 0x811c9dc5;
  let b = 0x01000193 ^ 0x5bd1e995;
  const text = points.map(pointKey).join(';');
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193) >>> 0;
    b = Math.imul(b ^ c, 0x01000193 + 2) >>> 0;
  }
  return a.toString(16).padStart(8, '0') + b.toString(16).padStart(8, '0');
}

/**
 * The server, its dataset (`data_version`, so a rebuilt extract is never served from an old matrix),
 * the coverage threshold (it decides which cells hold the estimate) and the points.
 */
export function matrixCacheKey(info: ProviderInfo, sources: readonly LatLon[], destinations: readonly LatLon[], snapThresholdMetres = 0): string {
  return `${info.server ?? info.kind}|data:${info.dataVersion ?? '?'}|snap:${snapThresholdMetres}|${sources.length}x${destinations.length}|${hashPoints(sources)}|${hashPoints(destinations)}`;
}

/**
 * OSRM behind a cache: a Région's matrix is fetched once, then read back after a single probe that
 * checks the server still serves the same dataset. Only a complete, accepted matrix is cached: a
 * refused one (coverage, error, cancel) throws before `set`.
 */
export function osrmProvider(settings: OsrmSettings, cache: MatrixCache): DriveTimeProvider & { client: OsrmClient } {
  const client = new OsrmClient(settings);
  const provider = {
    client,
    info: client.info,
    async matrix(sources: readonly RoutedPoint[], destinations: readonly RoutedPoint[], options: MatrixOptions = {}): Promise<Matrix> {
      const first = sources[0] ?? destinations[0];
      if (first) provider.info = await client.probe(first, options.signal);
      const key = matrixCacheKey(client.info, sources, destinations, client.snapThresholdMetres);
      const cached = await cache.get(key);
      if (cached) {
        options.onProgress?.(1);
        return { ...cached.matrix, computedAt: cached.matrix.computedAt ?? cached.savedAt, fromCache: true };
      }
      const matrix = await client.table(sources, destinations, options);
      provider.info = client.info;
      // The dataset may only show in the table's answers (no probe when there are no points).
      await cache.set(matrixCacheKey(client.info, sources, destinations, client.snapThresholdMetres), matrix);
      return matrix;
    },
  };
  return provider;
}

/**
 * Metrics read drive times through this: a lookup in a matrix computed for the given points, and
 * the estimate for any pair the matrix does not hold (a base moved since, say) — labelled as mixed,
 * with the count of points outside the server's coverage that hold the estimate.
 */
export function matrixDriveTimes(matrix: Matrix, sources: readonly LatLon[], destinations: readonly LatLon[]): DriveTimeSource {
  const sourceIndex = new Map(sources.map((p, i) => [pointKey(p), i]));
  const destinationIndex = new Map(destinations.map((p, i) => [pointKey(p), i]));
  const estimated = matrix.provider.kind === 'estimate';
  const outside = new Set((matrix.estimated ?? []).map((e) => pointKey(e.role === 'source' ? sources[e.index] : destinations[e.index]))).size;
  const uncovered = outside > 0 ? ` ; estimation pour ${outside} lycée${outside > 1 ? 's' : ''} hors couverture du serveur` : '';
  return {
    label: estimated ? matrix.provider.label : `${matrix.provider.label}${uncovered} ; estimation pour les points hors matrice`,
    estimated,
    seconds(from, to) {
      const i = sourceIndex.get(pointKey(from));
      const j = destinationIndex.get(pointKey(to));
      if (i !== undefined && j !== undefined) {
        const value = matrix.durations[i * matrix.destinations + j];
        return Number.isNaN(value) ? null : value;
      }
      return estimateTrip(from, to).seconds;
    },
  };
}
