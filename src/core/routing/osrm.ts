/**
 * A small typed client of the OSRM v5 HTTP API (`osrm-routed`), `/table/v1` only: a matrix split into
 * source × destination blocks that respect the server's `--max-table-size` (learnt from its first
 * TooBig when the setting is too large), bounded concurrency, retries with exponential backoff on
 * network errors, timeouts and 5xx, a timeout per request, cancellation through an AbortSignal.
 *
 * A server whose extract does not cover the points must never pass for road times: every point
 * snapped further than a threshold from its coordinates, or for which the server finds no road
 * (NoSegment, retried without it), is "not covered". Above a small share the matrix is refused with
 * one message; below it, those points get the estimate, listed in `matrix.estimated`. Errors are
 * `OsrmError`s with a French message; the matrix is returned only when complete.
 */
import { estimateTrip } from './estimate.ts';
import { departementOfUai } from '../uai.ts';
import { describePoint, emptyMatrix, pointKey, type EstimatedPoint, type LatLon, type Matrix, type MatrixOptions, type ProviderInfo, type RoutedPoint } from './types.ts';

export type OsrmErrorKind = 'unreachable' | 'timeout' | 'http' | 'osrm' | 'malformed' | 'missing' | 'cancelled' | 'coverage';

/** A point outside the server's coverage. */
export interface UncoveredPoint {
  role: 'source' | 'destination';
  index: number;
  label: string;
  departement: string | null;
  reason: 'far' | 'noSegment';
  /** Snap distance (m) for 'far'. */
  distance?: number;
}

export class OsrmError extends Error {
  constructor(
    readonly kind: OsrmErrorKind,
    message: string,
    readonly osrmCode?: string,
    /** For 'coverage': the points the server does not cover. */
    readonly uncovered: UncoveredPoint[] = [],
  ) {
    super(message);
    this.name = 'OsrmError';
  }
}

/** Above this share of points outside the server's coverage, the matrix is refused. */
export const MAX_UNCOVERED_SHARE = 0.05;
export const DEFAULT_SNAP_THRESHOLD_METRES = 1000;

export interface OsrmSettings {
  /** e.g. http://localhost:5000 */
  baseUrl: string;
  /** The server's --max-table-size: at most this many sources × this many destinations per request. */
  maxTableSize?: number;
  concurrency?: number;
  retries?: number;
  timeoutMs?: number;
  backoffMs?: number;
  /** A point snapped further than this (m) from where it was given is outside the server's coverage. */
  snapThresholdMetres?: number;
  /** Share of uncovered points above which the matrix is refused. */
  maxUncoveredShare?: number;
  fetch?: typeof fetch;
}

/** Indices into the caller's sources and destinations. */
interface Block {
  sources: number[];
  destinations: number[];
}

interface Waypoint {
  location: [number, number];
  distance: number;
}

interface TableResponse {
  code: string;
  message?: string;
  data_version?: string;
  durations?: (number | null)[][];
  distances?: (number | null)[][];
  sources?: Waypoint[];
  destinations?: Waypoint[];
}

const OSRM_CODES: Record<string, string> = {
  InvalidUrl: 'adresse de requête invalide',
  InvalidService: 'service inconnu du serveur',
  InvalidVersion: 'version d’API non prise en charge',
  InvalidOptions: 'options invalides',
  InvalidQuery: 'requête invalide (coordonnées mal formées ?)',
  InvalidValue: 'valeur de paramètre invalide',
  NoSegment: 'un point est trop loin de toute route connue du serveur',
  TooBig: 'requête trop grande pour le serveur (--max-table-size)',
  NoRoute: 'aucun itinéraire trouvé',
  NoTable: 'aucune matrice calculable',
  NotImplemented: 'fonction non disponible sur ce serveur',
};

export function describeOsrmCode(code: string, message?: string): string {
  return `Le serveur OSRM a répondu « ${code} » : ${OSRM_CODES[code] ?? 'erreur inconnue'}${message ? ` (${message})` : ''}.`;
}

/** The label of OSRM drive times: the server and its dataset, the only things that decide them. */
export function osrmInfo(baseUrl: string, dataVersion?: string): ProviderInfo {
  const data = dataVersion ? `données ${dataVersion}` : 'version des données non indiquée';
  return { kind: 'osrm', label: `OSRM (${baseUrl}, ${data})`, server: baseUrl, ...(dataVersion ? { dataVersion } : {}) };
}

/** Département of a point: given, or read from its UAI. */
export function departementOf(point: RoutedPoint): string | null {
  if (point.departement) return point.departement;
  return point.uai && /^\d{3}/.test(point.uai) ? departementOfUai(point.uai) : null;
}

const kilometres = (metres: number) => `${(metres / 1000).toLocaleString('fr-FR', { maximumFractionDigits: metres < 10_000 ? 1 : 0 })} km`;

/** « Le serveur ne couvre pas N lycées de la Région (départements …) : vérifiez l’extrait OSM. » */
export function coverageMessage(uncovered: readonly UncoveredPoint[], thresholdMetres: number, atLeast = false): string {
  const departements = [...new Set(uncovered.map((u) => u.departement).filter((d): d is string => d !== null))].sort();
  const where = departements.length > 0 ? ` (${departements.length > 1 ? 'départements' : 'département'} ${departements.join(', ')})` : '';
  const farthest = Math.max(0, ...uncovered.map((u) => u.distance ?? 0));
  const why =
    farthest > 0
      ? ` Ils sont placés à plus de ${kilometres(thresholdMetres)} de la route la plus proche (jusqu’à ${kilometres(farthest)})${uncovered.some((u) => u.reason === 'noSegment') ? ' ou sans route trouvée' : ''}.`
      : ' Le serveur ne trouve aucune route près d’eux.';
  const n = uncovered.length;
  return `Le serveur ne couvre pas ${atLeast ? 'au moins ' : ''}${n} lycée${n > 1 ? 's' : ''} de la Région${where} : vérifiez l’extrait OSM.${n > 1 ? why : why.replace('Ils sont placés', 'Il est placé').replace('d’eux', 'de lui')}`;
}

const coords = (points: readonly LatLon[]) => points.map((p) => `${p.lon.toFixed(6)},${p.lat.toFixed(6)}`).join(';');
const range = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => i + from);

/** --max-table-size values servers are commonly run with, tried first when learning the limit. */
const ROUND_LIMITS = [100, 500, 1000, 5000, 10_000];

/** Splits a block into tiles of at most limit × limit cells, as wide as the limit allows. */
function tile(block: Block, limit: number): Block[] {
  const rows = Math.max(1, Math.min(block.sources.length, limit));
  const cols = Math.max(1, Math.min(block.destinations.length, Math.floor((limit * limit) / rows)));
  const tiles: Block[] = [];
  for (let s = 0; s < block.sources.length; s += rows) {
    for (let d = 0; d < block.destinations.length; d += cols) tiles.push({ sources: block.sources.slice(s, s + rows), destinations: block.destinations.slice(d, d + cols) });
  }
  return tiles;
}

/** The coordinate index OSRM names in « Could not find a matching segment for coordinate N ». */
export function noSegmentIndex(message: string | undefined): number | null {
  const match = /coordinate (\d+)/.exec(message ?? '');
  return match ? Number(match[1]) : null;
}

/** What the client learnt about each distinct point (by coordinates), across blocks. */
interface PointState {
  role: 'source' | 'destination';
  index: number;
  point: RoutedPoint;
  /** Largest snap distance reported (m), and where. */
  snap: { distance: number; location: LatLon } | null;
  noSegment: boolean;
}

export class OsrmClient {
  info: ProviderInfo;
  private readonly settings: Required<Omit<OsrmSettings, 'fetch'>> & { fetch: typeof fetch };
  /** Requests sent, for the benchmark and the tests. */
  requestCount = 0;
  /** The server's table limit, learnt from its first TooBig and reused for every later block. */
  learnedTableSize: number | null = null;
  private learning: Promise<number> | null = null;

  constructor(settings: OsrmSettings) {
    this.settings = {
      maxTableSize: 100,
      concurrency: 4,
      retries: 3,
      timeoutMs: 30_000,
      backoffMs: 300,
      snapThresholdMetres: DEFAULT_SNAP_THRESHOLD_METRES,
      maxUncoveredShare: MAX_UNCOVERED_SHARE,
      ...settings,
      baseUrl: settings.baseUrl.replace(/\/+$/, ''),
      fetch: settings.fetch ?? ((...args) => fetch(...args)),
    };
    this.info = osrmInfo(this.settings.baseUrl);
  }

  get snapThresholdMetres(): number {
    return this.settings.snapThresholdMetres;
  }

  private noteDataVersion(value: unknown): void {
    if (typeof value === 'string' && value !== '' && value !== this.info.dataVersion) this.info = osrmInfo(this.settings.baseUrl, value);
  }

  private async getJson(url: string, signal?: AbortSignal): Promise<unknown> {
    const { retries, backoffMs, timeoutMs } = this.settings;
    for (let attempt = 0; ; attempt++) {
      if (signal?.aborted) throw new OsrmError('cancelled', 'Calcul annulé.');
      const timeout = AbortSignal.timeout(timeoutMs);
      const combined = signal ? AbortSignal.any([signal, timeout]) : timeout;
      let failure: OsrmError;
      try {
        this.requestCount++;
        const response = await this.settings.fetch(url, { signal: combined });
        const text = await response.text();
        if (response.status >= 500) failure = new OsrmError('http', `Le serveur OSRM a répondu HTTP ${response.status}.`);
        else {
          try {
            return JSON.parse(text);
          } catch {
            if (response.status !== 200) throw new OsrmError('http', `Le serveur OSRM a répondu HTTP ${response.status}.`);
            throw new OsrmError('malformed', 'Réponse du serveur OSRM illisible (JSON invalide).');
          }
        }
      } catch (error) {
        if (error instanceof OsrmError) throw error;
        if (signal?.aborted) throw new OsrmError('cancelled', 'Calcul annulé.');
        failure = timeout.aborted
          ? new OsrmError('timeout', `Le serveur OSRM n’a pas répondu en ${Math.round(timeoutMs / 1000)} s.`)
          : new OsrmError('unreachable', `Serveur OSRM injoignable à ${this.settings.baseUrl} (vérifiez l’adresse et qu’il est démarré).`);
      }
      if (attempt >= retries) throw failure;
      await sleep(backoffMs * 2 ** attempt, signal);
    }
  }

  private async request(url: string, signal?: AbortSignal): Promise<TableResponse> {
    const body = await this.getJson(url, signal);
    if (typeof body !== 'object' || body === null || typeof (body as TableResponse).code !== 'string') throw new OsrmError('malformed', 'Réponse du serveur OSRM sans champ « code ».');
    const answer = body as TableResponse;
    this.noteDataVersion(answer.data_version);
    return answer;
  }

  /**
   * One 1 × 1 table: checks the server answers and reads its `data_version` (the cache key), before
   * any cached matrix is trusted.
   */
  async probe(point: LatLon, signal?: AbortSignal): Promise<ProviderInfo> {
    const answer = await this.request(`${this.settings.baseUrl}/table/v1/driving/${coords([point])}?annotations=duration`, signal);
    if (answer.code !== 'Ok' && answer.code !== 'NoSegment') throw new OsrmError('osrm', describeOsrmCode(answer.code, answer.message), answer.code);
    return this.info;
  }

  /** Sends a block; each distinct coordinate once, so a square matrix's diagonal blocks stay small. */
  private async tableBlock(sources: readonly LatLon[], destinations: readonly LatLon[], block: Block, signal?: AbortSignal): Promise<{ answer: TableResponse; keys: string[] }> {
    const at = new Map<string, number>();
    const list: LatLon[] = [];
    const indexOf = (p: LatLon) => {
      const key = pointKey(p);
      let i = at.get(key);
      if (i === undefined) {
        i = list.length;
        at.set(key, i);
        list.push(p);
      }
      return i;
    };
    const s = block.sources.map((i) => indexOf(sources[i]));
    const d = block.destinations.map((j) => indexOf(destinations[j]));
    const url = `${this.settings.baseUrl}/table/v1/driving/${coords(list)}?sources=${s.join(';')}&destinations=${d.join(';')}&annotations=duration,distance`;
    return { answer: await this.request(url, signal), keys: list.map(pointKey) };
  }

  /**
   * The largest square the server accepts, by bisection with k × k probes below the refused block
   * (OSRM checks TooBig before snapping, so any other answer means the size is accepted).
   * Shared by concurrent workers, kept for later calls.
   */
  private learnLimit(pool: readonly LatLon[], refusedCells: number, signal?: AbortSignal): Promise<number> {
    this.learning ??= (async () => {
      let low = 0;
      let high = Math.min(pool.length, Math.floor(Math.sqrt(refusedCells - 1)));
      const accepts = async (k: number) => (await this.request(`${this.settings.baseUrl}/table/v1/driving/${coords(pool.slice(0, k))}?annotations=duration`, signal)).code !== 'TooBig';
      // Servers run with a round limit (OSRM's default is 100): try those below the bound, largest first, then one more.
      for (const guess of ROUND_LIMITS.filter((k) => k < high).reverse()) {
        if (await accepts(guess)) {
          low = guess;
          if (!(await accepts(guess + 1))) high = guess;
          break;
        }
        high = guess - 1;
      }
      while (low < high) {
        const k = Math.ceil((low + high) / 2);
        if (await accepts(k)) low = k;
        else high = k - 1;
      }
      if (low === 0) throw new OsrmError('osrm', describeOsrmCode('TooBig', 'même une requête 1 × 1 est refusée'), 'TooBig');
      this.learnedTableSize = low;
      return low;
    })();
    const learning = this.learning;
    // A failed bisection (cancelled, unreachable) is retried by the next call.
    learning.catch(() => {
      if (this.learning === learning) this.learning = null;
    });
    return learning;
  }

  async table(sources: readonly RoutedPoint[], destinations: readonly RoutedPoint[], options: MatrixOptions = {}): Promise<Matrix> {
    const matrix = emptyMatrix(sources.length, destinations.length, this.info);
    if (sources.length * destinations.length === 0) return matrix;
    const { snapThresholdMetres: threshold, maxUncoveredShare } = this.settings;
    const states = new Map<string, PointState>();
    const register = (role: 'source' | 'destination') => (point: RoutedPoint, index: number) => {
      const key = pointKey(point);
      if (!states.has(key)) states.set(key, { role, index, point, snap: null, noSegment: false });
    };
    sources.forEach(register('source'));
    destinations.forEach(register('destination'));
    const uncovered = (): UncoveredPoint[] =>
      [...states.values()]
        .filter((s) => s.noSegment || (s.snap !== null && s.snap.distance > threshold))
        .map((s) => ({
          role: s.role,
          index: s.index,
          label: describePoint(s.point, s.index),
          departement: departementOf(s.point),
          reason: s.noSegment ? ('noSegment' as const) : ('far' as const),
          ...(s.noSegment ? {} : { distance: s.snap!.distance }),
        }));
    const allowed = Math.floor(maxUncoveredShare * states.size);
    // Once more points are known to be uncovered than allowed, the answer is certain: stop asking.
    const refuseIfCertain = (atLeast: boolean) => {
      const known = uncovered();
      if (known.length > allowed) throw new OsrmError('coverage', coverageMessage(known, threshold, atLeast), undefined, known);
    };

    let total = sources.length * destinations.length;
    let done = 0;
    const keep = (block: Block): Block => {
      const covered = (p: LatLon) => !states.get(pointKey(p))!.noSegment;
      const kept = { sources: block.sources.filter((i) => covered(sources[i])), destinations: block.destinations.filter((j) => covered(destinations[j])) };
      total -= block.sources.length * block.destinations.length - kept.sources.length * kept.destinations.length;
      return kept;
    };
    const pool = [...states.keys()].map((key) => states.get(key)!.point);
    const whole: Block = { sources: range(0, sources.length), destinations: range(0, destinations.length) };
    let queue = tile(whole, this.learnedTableSize ?? Math.max(1, this.settings.maxTableSize));
    const controller = new AbortController();
    const signal = options.signal ? AbortSignal.any([options.signal, controller.signal]) : controller.signal;

    /** `alone`: one block, nothing else in flight and nothing stored yet. */
    const worker = async (alone = false): Promise<void> => {
      while (queue.length > 0) {
        const block = keep(queue.shift()!);
        const cells = block.sources.length * block.destinations.length;
        if (cells === 0) continue;
        const { answer, keys } = await this.tableBlock(sources, destinations, block, signal);
        if (answer.code === 'TooBig') {
          if (cells === 1) throw new OsrmError('osrm', describeOsrmCode('TooBig', answer.message), 'TooBig');
          const known = this.learnedTableSize;
          if (known !== null && cells <= known * known) {
            // The server refuses what it accepted before (restarted with a smaller limit?): halve.
            queue.push(...tile(block, Math.max(1, Math.floor(Math.sqrt(cells / 2)))));
          } else {
            const limit = await this.learnLimit(pool, cells, signal);
            if (alone) queue = tile(whole, limit);
            else {
              queue = queue.flatMap((b) => tile(b, limit));
              queue.push(...tile(block, limit));
            }
          }
          if (alone) return;
          continue;
        }
        if (answer.code === 'NoSegment') {
          const k = noSegmentIndex(answer.message);
          const state = k !== null && k < keys.length ? states.get(keys[k]) : undefined;
          if (!state) throw new OsrmError('osrm', describeOsrmCode(answer.code, answer.message), answer.code);
          state.noSegment = true;
          refuseIfCertain(true);
          queue.push(block);
          if (alone) return;
          continue;
        }
        if (answer.code !== 'Ok') throw new OsrmError('osrm', describeOsrmCode(answer.code, answer.message), answer.code);
        this.store(matrix, block, answer, sources, destinations, states);
        done += cells;
        options.onProgress?.(Math.min(1, done / total));
        if (alone) return;
      }
    };
    try {
      // Until the server's limit is known, the first block goes alone: if it is refused, the whole
      // matrix is re-tiled to the learnt limit before anything else is sent (fewest blocks).
      while (this.learnedTableSize === null && done === 0 && queue.length > 0) await worker(true);
      // A block split by TooBig or retried after NoSegment is re-queued while other workers may have stopped: loop until empty.
      while (queue.length > 0) await Promise.all(Array.from({ length: Math.min(queue.length, Math.max(1, this.settings.concurrency)) }, () => worker()));
    } catch (error) {
      controller.abort();
      throw error;
    }
    refuseIfCertain(false);
    this.fillUncovered(matrix, sources, destinations, states);
    matrix.provider = this.info;
    matrix.computedAt = new Date().toISOString();
    options.onProgress?.(1);
    return matrix;
  }

  /** Rows and columns of points outside the coverage get the estimate, listed in `matrix.estimated`. */
  private fillUncovered(matrix: Matrix, sources: readonly RoutedPoint[], destinations: readonly RoutedPoint[], states: Map<string, PointState>): void {
    const threshold = this.settings.snapThresholdMetres;
    const estimated: EstimatedPoint[] = [];
    const outside = (role: 'source' | 'destination') => (point: RoutedPoint, index: number) => {
      const state = states.get(pointKey(point))!;
      if (state.snap && state.snap.distance > threshold) matrix.farSnaps.push({ role, point: { index, location: state.snap.location, distance: state.snap.distance } });
      if (state.noSegment) estimated.push({ role, index, reason: 'noSegment' });
      else if (state.snap && state.snap.distance > threshold) estimated.push({ role, index, reason: 'far', distance: state.snap.distance });
    };
    sources.forEach(outside('source'));
    destinations.forEach(outside('destination'));
    if (estimated.length === 0) return;
    const rows = new Set(estimated.filter((e) => e.role === 'source').map((e) => e.index));
    const cols = new Set(estimated.filter((e) => e.role === 'destination').map((e) => e.index));
    for (let i = 0; i < sources.length; i++) {
      for (let j = 0; j < destinations.length; j++) {
        if (!rows.has(i) && !cols.has(j)) continue;
        const trip = pointKey(sources[i]) === pointKey(destinations[j]) ? { seconds: 0, metres: 0 } : estimateTrip(sources[i], destinations[j]);
        matrix.durations[i * destinations.length + j] = trip.seconds;
        matrix.distances[i * destinations.length + j] = trip.metres;
      }
    }
    matrix.unroutable = matrix.unroutable.filter((u) => !rows.has(u.source) && !cols.has(u.destination));
    matrix.estimated = estimated;
  }

  private store(matrix: Matrix, block: Block, answer: TableResponse, sources: readonly RoutedPoint[], destinations: readonly RoutedPoint[], states: Map<string, PointState>): void {
    const ns = block.sources.length;
    const nd = block.destinations.length;
    const { durations, distances } = answer;
    if (!Array.isArray(durations) || !Array.isArray(distances)) throw new OsrmError('missing', 'Réponse OSRM incomplète : durées ou distances absentes (le serveur accepte-t-il annotations=duration,distance ?).');
    if (durations.length !== ns || distances.length !== ns) throw new OsrmError('missing', `Réponse OSRM incomplète : ${durations.length} lignes reçues au lieu de ${ns}.`);
    // Validate the whole block before writing any cell of it.
    for (let i = 0; i < ns; i++) {
      if (!Array.isArray(durations[i]) || durations[i].length !== nd || !Array.isArray(distances[i]) || distances[i].length !== nd) {
        throw new OsrmError('missing', `Réponse OSRM incomplète : cellules manquantes à la ligne ${block.sources[i] + 1}.`);
      }
    }
    for (let i = 0; i < ns; i++) {
      for (let j = 0; j < nd; j++) {
        const duration = durations[i][j];
        const distance = distances[i][j];
        const source = block.sources[i];
        const destination = block.destinations[j];
        const index = source * matrix.destinations + destination;
        if (typeof duration === 'number' && Number.isFinite(duration)) {
          matrix.durations[index] = duration;
          matrix.distances[index] = typeof distance === 'number' ? distance : NaN;
        } else matrix.unroutable.push({ source, destination, reason: 'aucun itinéraire routier entre ces deux points' });
      }
    }
    const note = (waypoints: Waypoint[] | undefined, indices: number[], points: readonly RoutedPoint[]) => {
      waypoints?.forEach((w, k) => {
        if (!w || typeof w.distance !== 'number' || k >= indices.length) return;
        const state = states.get(pointKey(points[indices[k]]))!;
        if (state.snap === null || w.distance > state.snap.distance) state.snap = { distance: w.distance, location: { lon: w.location?.[0] ?? NaN, lat: w.location?.[1] ?? NaN } };
      });
    };
    note(answer.sources, block.sources, sources);
    note(answer.destinations, block.destinations, destinations);
  }
}

/** Waits, or rejects as soon as the signal aborts; the abort listener goes away with the timer. */
function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(new OsrmError('cancelled', 'Calcul annulé.'));
    const onAbort = () => {
      clearTimeout(timer);
      reject(new OsrmError('cancelled', 'Calcul annulé.'));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
