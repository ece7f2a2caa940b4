/**
 * Precomputed matrix files (`npm run matrix`), shared by someone with an OSRM server and loaded by
 * colleagues without one. JSON with the points and base64 little-endian Float32 arrays; versioned
 * and validated on load (reasons, never an exception for a bad file).
 */
import { isFiniteNumber, isObject, isString, jsonKind, parseJsonStrict, showValue } from '../io/import-report.ts';
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

const isInteger = (v: unknown, below: number): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 0 && v < below;

/** Durations and distances must be finite and non-negative; NaN only on pairs the file lists as unroutable. */
function badValue(values: Float32Array, unroutable: ReadonlySet<number>): { index: number; value: number; count: number } | null {
  let first = -1;
  let count = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v >= 0 && v !== Infinity) continue;
    if (Number.isNaN(v) && unroutable.has(i)) continue;
    if (first < 0) first = i;
    count++;
  }
  return first < 0 ? null : { index: first, value: values[first], count };
}

export function readMatrixFile(text: string): { ok: true; regionCode: string; points: MatrixPoint[]; matrix: Matrix } | { ok: false; reason: string } {
  const parsed = parseJsonStrict(text, 'Fichier de matrice illisible');
  if (!parsed.ok) return { ok: false, reason: parsed.reasons[0] };
  const json = parsed.value;
  if (!isObject(json)) return { ok: false, reason: `Ce fichier n’est pas une matrice de temps de trajet Maillage (un objet JSON est attendu, trouvé ${jsonKind(json)}).` };
  if (json.format !== MATRIX_FORMAT) return { ok: false, reason: 'Ce fichier n’est pas une matrice de temps de trajet Maillage (champ « format » absent ou différent).' };
  if (json.version !== MATRIX_VERSION) return { ok: false, reason: `Version de matrice non prise en charge : ${jsonKind(json.version)} (version ${MATRIX_VERSION} attendue).` };
  if (!isString(json.regionCode) || json.regionCode === '') return { ok: false, reason: `Région de la matrice absente (regionCode : ${jsonKind(json.regionCode)}).` };
  const rawPoints = json.points;
  if (!Array.isArray(rawPoints) || rawPoints.length === 0) return { ok: false, reason: `Liste de points absente ou vide (points : ${jsonKind(rawPoints)}).` };
  const ids = new Set<string>();
  for (const [i, p] of rawPoints.entries()) {
    const problem = !isObject(p)
      ? `un objet est attendu, trouvé ${jsonKind(p)}`
      : !isString(p.id) || p.id === ''
        ? `identifiant attendu, trouvé ${jsonKind(p.id)}`
        : ids.has(p.id)
          ? `identifiant « ${showValue(p.id, 20)} » en double`
          : !isFiniteNumber(p.lat) || Math.abs(p.lat) > 90 || !isFiniteNumber(p.lon) || Math.abs(p.lon) > 180
            ? 'latitude et longitude en degrés attendues'
            : null;
    if (problem) return { ok: false, reason: `Point n° ${i + 1} de la matrice mal formé : ${problem}.` };
    ids.add((p as MatrixPoint).id);
  }
  const points = rawPoints.map((p: MatrixPoint) => ({ id: p.id, lat: p.lat, lon: p.lon }));
  const durations = typeof json.durations === 'string' ? fromBase64(json.durations) : null;
  const distances = typeof json.distances === 'string' ? fromBase64(json.distances) : null;
  const n = points.length;
  if (!durations || !distances || durations.length !== n * n || distances.length !== n * n) return { ok: false, reason: `Matrice incomplète : ${n} × ${n} valeurs attendues.` };
  const provider = json.provider;
  if (!isObject(provider) || !isString(provider.label) || provider.label.trim() === '' || (provider.kind !== 'osrm' && provider.kind !== 'estimate')) return { ok: false, reason: 'Source des temps de trajet absente ou mal formée (provider.kind et provider.label attendus).' };
  const rawUnroutable = json.unroutable ?? [];
  if (!Array.isArray(rawUnroutable) || rawUnroutable.some((u) => !isObject(u) || !isInteger(u.source, n) || !isInteger(u.destination, n) || !isString(u.reason))) {
    return { ok: false, reason: 'Liste des trajets sans itinéraire (unroutable) mal formée : source et destination (indices de points) et reason attendus.' };
  }
  const unroutable = (rawUnroutable as Matrix['unroutable']).map((u) => ({ source: u.source, destination: u.destination, reason: u.reason.slice(0, 200) }));
  const unroutableCells = new Set(unroutable.map((u) => u.source * n + u.destination));
  for (const [label, values] of [['durée', durations], ['distance', distances]] as const) {
    const bad = badValue(values, unroutableCells);
    if (bad) {
      const row = Math.floor(bad.index / n);
      const column = bad.index % n;
      return { ok: false, reason: `Matrice invalide : ${bad.count.toLocaleString('fr-FR')} ${label}(s) négative(s), infinie(s) ou non numérique(s) hors des trajets sans itinéraire ; la première de ${showValue(points[row].id, 20)} vers ${showValue(points[column].id, 20)} vaut ${String(bad.value)}.` };
    }
  }
  const rawSnaps = Array.isArray(json.farSnaps) ? json.farSnaps : [];
  const farSnaps = rawSnaps.filter((f): f is Matrix['farSnaps'][number] => isObject(f) && (f.role === 'source' || f.role === 'destination') && isObject(f.point) && isInteger(f.point.index, n) && isFiniteNumber(f.point.distance));
  return {
    ok: true,
    regionCode: json.regionCode,
    points,
    matrix: { sources: n, destinations: n, durations, distances, provider: { kind: provider.kind, label: provider.label.slice(0, 200), ...(isString(provider.server) ? { server: provider.server.slice(0, 200) } : {}), ...(isString(provider.profile) ? { profile: provider.profile.slice(0, 40) } : {}) }, unroutable, farSnaps },
  };
}
