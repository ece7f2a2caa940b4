/**
 * Drive-time matrices and the providers that compute them. Durations and distances are row-major
 * typed arrays (sources × destinations): a 2,500 × 2,500 matrix is 25 MB in Float32 instead of
 * hundreds in nested JS arrays. NaN marks an unroutable pair; `unroutable` says why.
 */
import type { LatLon } from './estimate.ts';

export type { LatLon };

/** A point with what the user knows it by, so that a problem can be reported as « UAI (name) ». */
export interface RoutedPoint extends LatLon {
  uai?: string;
  /** Label of a point that is not a lycée (a base), as in matrix files. */
  id?: string;
  name?: string;
  departement?: string;
}

export interface ProviderInfo {
  kind: 'osrm' | 'estimate';
  /** French label shown next to every figure computed with this provider. */
  label: string;
  server?: string;
  /** The server's `data_version` (set by `osrm-extract --data_version`), when it gives one. */
  dataVersion?: string;
}

export interface SnappedPoint {
  index: number;
  /** Where the routing engine placed the point on its road network. */
  location: LatLon;
  /** Distance (m) between the given point and its snapped location. */
  distance: number;
}

/** A point whose row and column hold the estimate instead of road times, and why. */
export interface EstimatedPoint {
  role: 'source' | 'destination';
  index: number;
  /** 'far': snapped further than the coverage threshold; 'noSegment': the server found no road for it. */
  reason: 'far' | 'noSegment';
  /** Snap distance (m) for 'far'. */
  distance?: number;
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
  /** Points snapped further than the coverage threshold from where they were given (OSRM only). */
  farSnaps: { role: 'source' | 'destination'; point: SnappedPoint }[];
  /** Points outside the server's coverage, given the labelled estimate (OSRM only). */
  estimated?: EstimatedPoint[];
  /** When the matrix was computed (ISO date). */
  computedAt?: string;
  /** Set when the matrix was read back from a cache rather than computed now. */
  fromCache?: boolean;
}

export interface MatrixOptions {
  signal?: AbortSignal;
  /** Fraction done in [0, 1]. */
  onProgress?: (done: number) => void;
}

export interface DriveTimeProvider {
  info: ProviderInfo;
  matrix(sources: readonly RoutedPoint[], destinations: readonly RoutedPoint[], options?: MatrixOptions): Promise<Matrix>;
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

/** « 0590001A (Lycée X) », or the base's label, or its position in the list. */
export function describePoint(point: RoutedPoint, index: number): string {
  const id = point.uai ?? point.id;
  if (!id) return `point n° ${index + 1}`;
  return point.name && point.name !== id ? `${id} (${point.name})` : id;
}
