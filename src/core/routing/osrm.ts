/**
 * A small typed client of the OSRM v5 HTTP API (`osrm-routed`): `/table/v1` for matrices, split into
 * source × destination blocks that respect the server's `--max-table-size`, and `/route/v1` for one
 * path. Bounded concurrency, retries with exponential backoff on network errors, timeouts and 5xx,
 * a timeout per request, cancellation through an AbortSignal. Errors are `OsrmError`s with a French
 * message for the user. The assembled matrix is returned only when complete: a failure never hands
 * back (or caches) half a matrix.
 */
import { emptyMatrix, type LatLon, type Matrix, type MatrixOptions, type ProviderInfo, type SnappedPoint } from './types.ts';

export type OsrmErrorKind = 'unreachable' | 'timeout' | 'http' | 'osrm' | 'malformed' | 'missing' | 'cancelled';

export class OsrmError extends Error {
  constructor(
    readonly kind: OsrmErrorKind,
    message: string,
    readonly osrmCode?: string,
  ) {
    super(message);
    this.name = 'OsrmError';
  }
}

export interface OsrmSettings {
  /** e.g. http://localhost:5000 */
  baseUrl: string;
  profile?: string;
  /** The server's --max-table-size: at most this many sources × this many destinations per request. */
  maxTableSize?: number;
  concurrency?: number;
  retries?: number;
  timeoutMs?: number;
  backoffMs?: number;
  /** A point snapped further than this (m) from where it was given is reported. */
  snapWarningMetres?: number;
  fetch?: typeof fetch;
}

interface Block {
  s0: number;
  s1: number;
  d0: number;
  d1: number;
}

interface TableResponse {
  code: string;
  message?: string;
  durations?: (number | null)[][];
  distances?: (number | null)[][];
  sources?: { location: [number, number]; distance: number }[];
  destinations?: { location: [number, number]; distance: number }[];
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

const coords = (points: readonly LatLon[]) => points.map((p) => `${p.lon.toFixed(6)},${p.lat.toFixed(6)}`).join(';');
const range = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => i + from);

export class OsrmClient {
  readonly info: ProviderInfo;
  private readonly settings: Required<Omit<OsrmSettings, 'fetch'>> & { fetch: typeof fetch };
  /** Requests sent, for the benchmark and the tests. */
  requestCount = 0;

  constructor(settings: OsrmSettings) {
    this.settings = {
      profile: 'driving',
      maxTableSize: 100,
      concurrency: 4,
      retries: 3,
      timeoutMs: 30_000,
      backoffMs: 300,
      snapWarningMetres: 300,
      ...settings,
      baseUrl: settings.baseUrl.replace(/\/+$/, ''),
      fetch: settings.fetch ?? ((...args) => fetch(...args)),
    };
    this.info = { kind: 'osrm', label: `OSRM (${this.settings.baseUrl}, profil ${this.settings.profile})`, server: this.settings.baseUrl, profile: this.settings.profile };
  }

  private async getJson(url: string, signal?: AbortSignal): Promise<{ status: number; body: unknown }> {
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
            return { status: response.status, body: JSON.parse(text) };
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

  private async tableBlock(sources: readonly LatLon[], destinations: readonly LatLon[], block: Block, signal?: AbortSignal): Promise<TableResponse> {
    const points = [...sources.slice(block.s0, block.s1), ...destinations.slice(block.d0, block.d1)];
    const ns = block.s1 - block.s0;
    const nd = block.d1 - block.d0;
    const url =
      `${this.settings.baseUrl}/table/v1/${this.settings.profile}/${coords(points)}` +
      `?sources=${range(0, ns).join(';')}&destinations=${range(ns, ns + nd).join(';')}&annotations=duration,distance`;
    const { body } = await this.getJson(url, signal);
    if (typeof body !== 'object' || body === null || typeof (body as TableResponse).code !== 'string') throw new OsrmError('malformed', 'Réponse du serveur OSRM sans champ « code ».');
    return body as TableResponse;
  }

  async table(sources: readonly LatLon[], destinations: readonly LatLon[], options: MatrixOptions = {}): Promise<Matrix> {
    const matrix = emptyMatrix(sources.length, destinations.length, this.info);
    const total = sources.length * destinations.length;
    if (total === 0) return matrix;
    const side = Math.max(1, this.settings.maxTableSize);
    const queue: Block[] = [];
    for (let s0 = 0; s0 < sources.length; s0 += side) {
      for (let d0 = 0; d0 < destinations.length; d0 += side) queue.push({ s0, s1: Math.min(s0 + side, sources.length), d0, d1: Math.min(d0 + side, destinations.length) });
    }
    const farSources = new Map<number, SnappedPoint>();
    const farDestinations = new Map<number, SnappedPoint>();
    let done = 0;
    const controller = new AbortController();
    const signal = options.signal ? AbortSignal.any([options.signal, controller.signal]) : controller.signal;

    const worker = async (): Promise<void> => {
      while (queue.length > 0) {
        const block = queue.shift()!;
        const answer = await this.tableBlock(sources, destinations, block, signal);
        if (answer.code === 'TooBig') {
          const ns = block.s1 - block.s0;
          const nd = block.d1 - block.d0;
          if (ns === 1 && nd === 1) throw new OsrmError('osrm', describeOsrmCode('TooBig', answer.message), 'TooBig');
          // Halve the longer side and try both halves again.
          if (ns >= nd) {
            const mid = block.s0 + Math.ceil(ns / 2);
            queue.push({ ...block, s1: mid }, { ...block, s0: mid });
          } else {
            const mid = block.d0 + Math.ceil(nd / 2);
            queue.push({ ...block, d1: mid }, { ...block, d0: mid });
          }
          continue;
        }
        if (answer.code !== 'Ok') throw new OsrmError('osrm', describeOsrmCode(answer.code, answer.message), answer.code);
        this.store(matrix, block, answer, farSources, farDestinations);
        done += (block.s1 - block.s0) * (block.d1 - block.d0);
        options.onProgress?.(done / total);
      }
    };
    const workers = Array.from({ length: Math.max(1, this.settings.concurrency) }, () => worker());
    try {
      // A block split by TooBig is re-queued while other workers may have stopped: loop until empty.
      while (true) {
        await Promise.all(workers.splice(0));
        if (queue.length === 0) break;
        workers.push(...Array.from({ length: Math.min(queue.length, this.settings.concurrency) }, () => worker()));
      }
    } catch (error) {
      controller.abort();
      throw error;
    }
    matrix.farSnaps = [
      ...[...farSources.values()].map((point) => ({ role: 'source' as const, point })),
      ...[...farDestinations.values()].map((point) => ({ role: 'destination' as const, point })),
    ];
    return matrix;
  }

  private store(
    matrix: Matrix,
    block: Block,
    answer: TableResponse,
    farSources: Map<number, SnappedPoint>,
    farDestinations: Map<number, SnappedPoint>,
  ): void {
    const ns = block.s1 - block.s0;
    const nd = block.d1 - block.d0;
    const { durations, distances } = answer;
    if (!Array.isArray(durations) || !Array.isArray(distances)) throw new OsrmError('missing', 'Réponse OSRM incomplète : durées ou distances absentes (le serveur accepte-t-il annotations=duration,distance ?).');
    if (durations.length !== ns || distances.length !== ns) throw new OsrmError('missing', `Réponse OSRM incomplète : ${durations.length} lignes reçues au lieu de ${ns}.`);
    // Validate the whole block before writing any cell of it.
    for (let i = 0; i < ns; i++) {
      if (!Array.isArray(durations[i]) || durations[i].length !== nd || !Array.isArray(distances[i]) || distances[i].length !== nd) {
        throw new OsrmError('missing', `Réponse OSRM incomplète : cellules manquantes à la ligne ${block.s0 + i + 1}.`);
      }
    }
    for (let i = 0; i < ns; i++) {
      for (let j = 0; j < nd; j++) {
        const duration = durations[i][j];
        const distance = distances[i][j];
        const index = (block.s0 + i) * matrix.destinations + block.d0 + j;
        if (typeof duration === 'number' && Number.isFinite(duration)) {
          matrix.durations[index] = duration;
          matrix.distances[index] = typeof distance === 'number' ? distance : NaN;
        } else matrix.unroutable.push({ source: block.s0 + i, destination: block.d0 + j, reason: 'aucun itinéraire routier entre ces deux points' });
      }
    }
    const threshold = this.settings.snapWarningMetres;
    const collect = (waypoints: TableResponse['sources'], offset: number, far: Map<number, SnappedPoint>) => {
      waypoints?.forEach((w, k) => {
        if (w && typeof w.distance === 'number' && w.distance > threshold) {
          const index = offset + k;
          far.set(index, { index, location: { lon: w.location[0], lat: w.location[1] }, distance: w.distance });
        }
      });
    };
    collect(answer.sources, block.s0, farSources);
    collect(answer.destinations, block.d0, farDestinations);
  }

  /** Road path between two points, as GeoJSON coordinates, for drawing a base → lycée route. */
  async route(from: LatLon, to: LatLon, signal?: AbortSignal): Promise<{ seconds: number; metres: number; coordinates: [number, number][] }> {
    const url = `${this.settings.baseUrl}/route/v1/${this.settings.profile}/${coords([from, to])}?overview=full&geometries=geojson`;
    const { body } = await this.getJson(url, signal);
    const answer = body as { code?: string; message?: string; routes?: { duration: number; distance: number; geometry?: { coordinates?: [number, number][] } }[] };
    if (answer?.code !== 'Ok') throw new OsrmError('osrm', describeOsrmCode(String(answer?.code), answer?.message), answer?.code);
    const route = answer.routes?.[0];
    if (!route?.geometry?.coordinates) throw new OsrmError('missing', 'Réponse OSRM sans itinéraire.');
    return { seconds: route.duration, metres: route.distance, coordinates: route.geometry.coordinates };
  }
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        reject(new OsrmError('cancelled', 'Calcul annulé.'));
      },
      { once: true },
    );
  });
}
