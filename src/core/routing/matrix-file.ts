/**
 * Precomputed matrix files (`npm run matrix`), shared by someone with an OSRM server and loaded by
 * colleagues without one. JSON with the points and base64 little-endian Float32 arrays; versioned
 * and validated on load (reasons, never an exception for a bad file).
 */
import type { LatLon, Matrix, ProviderInfo } from './types.ts';

export const MATRIX_FORMAT = 'maillage-matrix';
export const MATRIX_VERSION = 1;

export interface MatrixPoint extends LatLon {
  /** UAI of a lycée, or a base label. */
  id: string;
}

export interface MatrixFile {
  format: typeof MATRIX_FORMAT;
  version: number;
  regionCode: string;
  createdAt: string;
  provider: ProviderInfo;
  points: MatrixPoint[];
  durations: string;
  distances: string;
  unroutable: { source: number; destination: number; reason: string }[];
  farSnaps: Matrix['farSnaps'];
}

function toBase64(array: Float32Array): string {
  const bytes = new Uint8Array(array.buffer, array.byteOffset, array.byteLength);
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

function fromBase64(text: string): Float32Array | null {
  try {
    const binary = atob(text);
    if (binary.length % 4 !== 0) return null;
    const bytes = new Uint8Array(binary.length);
    for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
    return new Float32Array(bytes.buffer);
  } catch {
    return null;
  }
}

/** A square matrix over `points` (lycées and bases), as the CLI computes it. */
export function writeMatrixFile(regionCode: string, points: MatrixPoint[], matrix: Matrix, createdAt: string): string {
  const file: MatrixFile = {
    format: MATRIX_FORMAT,
    version: MATRIX_VERSION,
    regionCode,
    createdAt,
    provider: matrix.provider,
    points,
    durations: toBase64(matrix.durations),
    distances: toBase64(matrix.distances),
    unroutable: matrix.unroutable,
    farSnaps: matrix.farSnaps,
  };
  return JSON.stringify(file);
}

export function readMatrixFile(text: string): { ok: true; regionCode: string; points: MatrixPoint[]; matrix: Matrix } | { ok: false; reason: string } {
  let json: Partial<MatrixFile>;
  try {
    json = JSON.parse(text) as Partial<MatrixFile>;
  } catch {
    return { ok: false, reason: 'Fichier de matrice illisible (JSON invalide).' };
  }
  if (json.format !== MATRIX_FORMAT) return { ok: false, reason: 'Ce fichier n’est pas une matrice de temps de trajet Maillage.' };
  if (json.version !== MATRIX_VERSION) return { ok: false, reason: `Version de matrice non prise en charge : ${String(json.version)}.` };
  const points = json.points;
  if (!Array.isArray(points) || points.some((p) => typeof p?.lat !== 'number' || typeof p?.lon !== 'number' || typeof p?.id !== 'string')) {
    return { ok: false, reason: 'Liste de points absente ou mal formée.' };
  }
  const durations = typeof json.durations === 'string' ? fromBase64(json.durations) : null;
  const distances = typeof json.distances === 'string' ? fromBase64(json.distances) : null;
  const n = points.length;
  if (!durations || !distances || durations.length !== n * n || distances.length !== n * n) return { ok: false, reason: `Matrice incomplète : ${n} × ${n} valeurs attendues.` };
  if (!json.provider || typeof json.provider.label !== 'string') return { ok: false, reason: 'Source des temps de trajet absente.' };
  return {
    ok: true,
    regionCode: String(json.regionCode ?? ''),
    points,
    matrix: { sources: n, destinations: n, durations, distances, provider: json.provider, unroutable: json.unroutable ?? [], farSnaps: json.farSnaps ?? [] },
  };
}
