/**
 * Drive-time matrices and the providers that compute them. Durations and distances are row-major
 * typed arrays (sources × destinations): a 2,500 × 2,500 matrix is 25 MB in Float32 instead of
 * hundreds in nested JS arrays. NaN marks an unroutable pair; `unroutable` says why.
 */
import type { LatLon } from './estimate.ts';

export type { LatLon };

export interface ProviderInfo {
  kind: 'osrm' | 'estimate';
  /** French label shown next to every figure computed with this provider. */
  label: string;
  server?: string;
  profile?: string;
}

export interface SnappedPoint {
  index: number;
  /** Where the routing engine placed the point on its road network. */
  location: LatLon;
  /** Distance (m) between the given point and its snapped location. */
  distance: number;
}

export interface Matrix {
  sources: number;
  destinations: number;
  /** Seconds, row-major; NaN when unroutable. */
  durations: Float32Array;
  /** Metres, row-major; NaN when unroutable. */
  distances: Float32Array;
  provider: ProviderInfo;
  unroutable: { source: number; destination: number; reason: string }[];
  /** Points snapped further than the threshold from where they were given (OSRM only). */
  farSnaps: { role: 'source' | 'destination'; point: SnappedPoint }[];
}

export interface MatrixOptions {
  signal?: AbortSignal;
  /** Fraction done in [0, 1]. */
  onProgress?: (done: number) => void;
}

export interface DriveTimeProvider {
  info: ProviderInfo;
  matrix(sources: readonly LatLon[], destinations: readonly LatLon[], options?: MatrixOptions): Promise<Matrix>;
}

export function emptyMatrix(sources: number, destinations: number, provider: ProviderInfo): Matrix {
  return {
    sources,
    destinations,
    durations: new Float32Array(sources * destinations).fill(NaN),
    distances: new Float32Array(sources * destinations).fill(NaN),
    provider,
    unroutable: [],
    farSnaps: [],
  };
}

export function cell(matrix: Matrix, source: number, destination: number): { seconds: number; metres: number } | null {
  const i = source * matrix.destinations + destination;
  const seconds = matrix.durations[i];
  return Number.isNaN(seconds) ? null : { seconds, metres: matrix.distances[i] };
}

/** Key of a point for lookups: 5 decimals ≈ 1 m. */
export function pointKey(p: LatLon): string {
  return `${p.lat.toFixed(5)},${p.lon.toFixed(5)}`;
}
