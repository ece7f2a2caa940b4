/**
 * The two drive-time providers behind one interface (estimate, OSRM with a cache), the cache key,
 * and the adapter that lets the metrics read drive times from a computed matrix.
 */
import { estimateTrip, type LatLon } from './estimate.ts';
import type { DriveTimeSource } from '../metrics/index.ts';
import { OsrmClient, type OsrmSettings } from './osrm.ts';
import { emptyMatrix, pointKey, type DriveTimeProvider, type Matrix, type MatrixOptions, type ProviderInfo } from './types.ts';

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

export interface MatrixCache {
  get(key: string): Promise<Matrix | undefined>;
  set(key: string, matrix: Matrix): Promise<void>;
}

export class MemoryMatrixCache implements MatrixCache {
  private readonly entries = new Map<string, Matrix>();
  async get(key: string): Promise<Matrix | undefined> {
    return this.entries.get(key);
  }
  async set(key: string, matrix: Matrix): Promise<void> {
    this.entries.set(key, matrix);
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

export function matrixCacheKey(info: ProviderInfo, sources: readonly LatLon[], destinations: readonly LatLon[]): string {
  return `${info.server ?? info.kind}|${info.profile ?? ''}|${sources.length}x${destinations.length}|${hashPoints(sources)}|${hashPoints(destinations)}`;
}

/** OSRM behind a cache: a Région's matrix is fetched once, then read back with zero requests. */
export function osrmProvider(settings: OsrmSettings, cache: MatrixCache): DriveTimeProvider & { client: OsrmClient } {
  const client = new OsrmClient(settings);
  return {
    client,
    info: client.info,
    async matrix(sources, destinations, options: MatrixOptions = {}) {
      const key = matrixCacheKey(client.info, sources, destinations);
      const cached = await cache.get(key);
      if (cached) {
        options.onProgress?.(1);
        return cached;
      }
      const matrix = await client.table(sources, destinations, options);
      await cache.set(key, matrix);
      return matrix;
    },
  };
}

/**
 * Metrics read drive times through this: a lookup in a matrix computed for the given points, and
 * the estimate for any pair the matrix does not hold (a base moved since, say) — labelled as mixed.
 */
export function matrixDriveTimes(matrix: Matrix, sources: readonly LatLon[], destinations: readonly LatLon[]): DriveTimeSource {
  const sourceIndex = new Map(sources.map((p, i) => [pointKey(p), i]));
  const destinationIndex = new Map(destinations.map((p, i) => [pointKey(p), i]));
  const estimated = matrix.provider.kind === 'estimate';
  return {
    label: estimated ? matrix.provider.label : `${matrix.provider.label} ; estimation pour les points hors matrice`,
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
