/**
 * The documented JSON instance format of `npm run solve` (README, « Instances génériques »): our
 * problem and the single-source capacitated p-median problem of the literature. Validation lists
 * every problem with its path in the file; nothing is solved unless the whole instance is valid.
 */
import { haversineMetres } from '../routing/estimate.ts';
import type { GroupSpec, SolverInstance } from './instance.ts';
import type { SolveOutcome } from './solve.ts';

export const INSTANCE_FORMAT = 'maillage-instance';

interface Located {
  id: string;
  x?: number;
  y?: number;
  lat?: number;
  lon?: number;
}

interface Bound {
  min?: number;
  max?: number;
}

export interface GenericOptions {
  seed?: number;
  timeLimitSeconds?: number;
  method?: 'auto' | 'heuristic';
}

export interface GenericInstance {
  instance: SolverInstance;
  options: GenericOptions;
  name: string;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

export function parseGenericInstance(json: unknown): { ok: true; value: GenericInstance } | { ok: false; reasons: string[] } {
  const reasons: string[] = [];
  if (!isObject(json)) return { ok: false, reasons: ['L’instance doit être un objet JSON.'] };
  if (json.format !== INSTANCE_FORMAT) reasons.push(`format : « ${INSTANCE_FORMAT} » attendu.`);
  if (json.version !== 1) reasons.push('version : 1 attendu.');
  const coordinates = json.coordinates ?? 'planar';
  if (coordinates !== 'planar' && coordinates !== 'latlon') reasons.push('coordinates : « planar » ou « latlon ».');
  const attributes = Array.isArray(json.attributes) && json.attributes.every((a) => typeof a === 'string' && a !== '') ? (json.attributes as string[]) : null;
  if (!attributes) reasons.push('attributes : liste de noms attendue (ex. ["demand"]).');
  if (attributes && new Set(attributes).size !== attributes.length) reasons.push('attributes : noms en double.');

  const readLocated = (raw: unknown, where: string): Located | null => {
    if (!isObject(raw)) {
      reasons.push(`${where} : objet attendu.`);
      return null;
    }
    const id = typeof raw.id === 'string' || typeof raw.id === 'number' ? String(raw.id) : null;
    if (id === null) reasons.push(`${where}.id : identifiant manquant.`);
    const needs = coordinates === 'latlon' ? (['lat', 'lon'] as const) : (['x', 'y'] as const);
    const needed = json.cost !== undefined && isObject(json.cost) && json.cost.type === 'matrix' ? [] : needs;
    for (const key of needed) if (!isNumber(raw[key])) reasons.push(`${where}.${key} : nombre attendu.`);
    if (coordinates === 'latlon' && isNumber(raw.lat) && Math.abs(raw.lat) > 90) reasons.push(`${where}.lat : hors de [-90, 90].`);
    if (coordinates === 'latlon' && isNumber(raw.lon) && Math.abs(raw.lon) > 180) reasons.push(`${where}.lon : hors de [-180, 180].`);
    return id === null ? null : { id, x: raw.x as number, y: raw.y as number, lat: raw.lat as number, lon: raw.lon as number };
  };

  const pointsRaw = Array.isArray(json.points) ? json.points : null;
  if (!pointsRaw || pointsRaw.length === 0) reasons.push('points : liste non vide attendue.');
  const points: Located[] = [];
  const values: number[][] = [];
  (pointsRaw ?? []).forEach((raw, i) => {
    const p = readLocated(raw, `points[${i}]`);
    if (!p) return;
    points.push(p);
    const vals = isObject(raw) && isObject(raw.values) ? raw.values : {};
    values.push(
      (attributes ?? []).map((a) => {
        const v = vals[a] ?? 0;
        if (!isNumber(v) || v < 0) reasons.push(`points[${i}].values.${a} : nombre positif ou nul attendu.`);
        return isNumber(v) ? v : 0;
      }),
    );
  });
  const ids = new Set<string>();
  for (const p of points) {
    if (ids.has(p.id)) reasons.push(`points : identifiant en double « ${p.id} ».`);
    ids.add(p.id);
  }

  const sites: Located[] = [];
  if (json.sites === undefined) sites.push(...points);
  else if (!Array.isArray(json.sites) || json.sites.length === 0) reasons.push('sites : liste non vide attendue (ou absente : les points sont les sites).');
  else json.sites.forEach((raw, j) => {
    const site = readLocated(raw, `sites[${j}]`);
    if (site) sites.push(site);
  });
  const siteIndex = new Map(sites.map((site, j) => [site.id, j]));
  if (siteIndex.size !== sites.length) reasons.push('sites : identifiants en double.');

  const readBounds = (raw: unknown, where: string): { lower: number[]; upper: number[] } => {
    const lower = (attributes ?? []).map(() => -Infinity);
    const upper = (attributes ?? []).map(() => Infinity);
    if (raw === undefined) return { lower, upper };
    if (!isObject(raw)) {
      reasons.push(`${where} : objet { attribut: { min, max } } attendu.`);
      return { lower, upper };
    }
    for (const [name, bound] of Object.entries(raw)) {
      const a = attributes?.indexOf(name) ?? -1;
      if (a < 0) {
        reasons.push(`${where}.${name} : attribut inconnu.`);
        continue;
      }
      const b = (isObject(bound) ? bound : {}) as Bound;
      if (b.min !== undefined && !isNumber(b.min)) reasons.push(`${where}.${name}.min : nombre attendu.`);
      if (b.max !== undefined && !isNumber(b.max)) reasons.push(`${where}.${name}.max : nombre attendu.`);
      if (isNumber(b.min)) lower[a] = b.min;
      if (isNumber(b.max)) upper[a] = b.max;
      if (lower[a] > upper[a]) reasons.push(`${where}.${name} : min > max.`);
    }
    return { lower, upper };
  };

  const groups: GroupSpec[] = [];
  const readCandidates = (raw: unknown, where: string): number[] | null => {
    if (raw === undefined) return null;
    if (!Array.isArray(raw)) {
      reasons.push(`${where} : liste d’identifiants de sites attendue.`);
      return null;
    }
    return raw.flatMap((id) => {
      const j = siteIndex.get(String(id));
      if (j === undefined) reasons.push(`${where} : site inconnu « ${String(id)} ».`);
      return j === undefined ? [] : [j];
    });
  };
  if (Array.isArray(json.facilities)) {
    json.facilities.forEach((raw, f) => {
      const where = `facilities[${f}]`;
      if (!isObject(raw) || (typeof raw.id !== 'string' && typeof raw.id !== 'number')) {
        reasons.push(`${where}.id : identifiant manquant.`);
        return;
      }
      let site: number | null = null;
      if (raw.site !== undefined) {
        const j = siteIndex.get(String(raw.site));
        if (j === undefined) reasons.push(`${where}.site : site inconnu « ${String(raw.site)} ».`);
        else site = j;
      }
      groups.push({ id: String(raw.id), label: String(raw.id), ...readBounds(raw.bounds, `${where}.bounds`), site, candidates: readCandidates(raw.candidates, `${where}.candidates`) });
    });
  } else if (json.p !== undefined) {
    if (!Number.isInteger(json.p) || (json.p as number) < 1) reasons.push('p : entier ≥ 1 attendu.');
    else {
      const bounds = readBounds(json.bounds, 'bounds');
      const candidates = readCandidates(json.candidates, 'candidates');
      for (let f = 0; f < (json.p as number); f++) groups.push({ id: `F${f + 1}`, label: `F${f + 1}`, lower: [...bounds.lower], upper: [...bounds.upper], site: null, candidates });
    }
  } else reasons.push('facilities (liste) ou p (nombre de sites à choisir) attendu.');
  const fixedSites = groups.filter((g) => g.site !== null).map((g) => g.site);
  if (new Set(fixedSites).size !== fixedSites.length) reasons.push('facilities : deux installations sur le même site.');
  if (groups.length > sites.length) reasons.push(`${groups.length} installations pour ${sites.length} sites.`);

  const N = points.length;
  const S = sites.length;
  const costs = new Float64Array(N * S);
  const cost = isObject(json.cost) ? json.cost : null;
  if (!cost) reasons.push('cost : { "type": "euclidean" | "haversine" | "matrix" } attendu.');
  else if (cost.type === 'matrix') {
    const rows = cost.values;
    if (!Array.isArray(rows) || rows.length !== N) reasons.push(`cost.values : ${N} lignes (une par point) attendues.`);
    else rows.forEach((row, i) => {
      if (!Array.isArray(row) || row.length !== S) reasons.push(`cost.values[${i}] : ${S} colonnes (une par site) attendues.`);
      else row.forEach((v, j) => {
        if (!isNumber(v) || v < 0) reasons.push(`cost.values[${i}][${j}] : nombre positif ou nul attendu.`);
        else costs[i * S + j] = v;
      });
    });
  } else if (cost.type === 'euclidean' || cost.type === 'haversine') {
    if (cost.type === 'haversine' && coordinates !== 'latlon') reasons.push('cost.type haversine : coordonnées « latlon » nécessaires.');
    if (cost.type === 'euclidean' && coordinates !== 'planar') reasons.push('cost.type euclidean : coordonnées « planar » nécessaires.');
  } else reasons.push(`cost.type : « ${String(cost.type)} » inconnu.`);
  const weightedBy = cost?.weightedBy;
  const weightIndex = typeof weightedBy === 'string' ? (attributes?.indexOf(weightedBy) ?? -1) : -1;
  if (weightedBy !== undefined && weightIndex < 0) reasons.push('cost.weightedBy : nom d’attribut attendu.');

  const options: GenericOptions = {};
  if (isObject(json.options)) {
    const { seed, timeLimitSeconds, method } = json.options;
    if (seed !== undefined) {
      if (isNumber(seed)) options.seed = seed;
      else reasons.push('options.seed : nombre attendu.');
    }
    if (timeLimitSeconds !== undefined) {
      if (isNumber(timeLimitSeconds) && timeLimitSeconds > 0) options.timeLimitSeconds = timeLimitSeconds;
      else reasons.push('options.timeLimitSeconds : nombre > 0 attendu.');
    }
    if (method !== undefined) {
      if (method === 'auto' || method === 'heuristic') options.method = method;
      else reasons.push('options.method : « auto » ou « heuristic ».');
    }
  }
  if (reasons.length > 0) return { ok: false, reasons };

  if (cost!.type !== 'matrix') {
    for (let i = 0; i < N; i++) {
      for (let j = 0; j < S; j++) {
        const a = points[i];
        const b = sites[j];
        costs[i * S + j] = cost!.type === 'haversine' ? haversineMetres({ lat: a.lat!, lon: a.lon! }, { lat: b.lat!, lon: b.lon! }) / 1000 : Math.hypot(a.x! - b.x!, a.y! - b.y!);
      }
    }
  }
  if (weightIndex >= 0) for (let i = 0; i < N; i++) for (let j = 0; j < S; j++) costs[i * S + j] *= values[i][weightIndex];

  const M = attributes!.length;
  const weights = new Float64Array(N * M);
  values.forEach((row, i) => row.forEach((v, a) => (weights[i * M + a] = v)));
  return {
    ok: true,
    value: {
      name: typeof json.name === 'string' ? json.name : 'instance',
      options,
      instance: {
        points: points.map((p) => p.id),
        attributes: attributes!,
        weights,
        groups,
        sites: sites.map((site) => site.id),
        costs,
        allowed: null,
        locked: new Int32Array(N).fill(-1),
        current: new Int32Array(N).fill(-1),
        stabilityCost: 0,
      },
    },
  };
}

export interface GenericSolution {
  name: string;
  method: string;
  status: string;
  objective: number;
  bound: number | null;
  gap: number | null;
  seconds: number;
  facilities: { id: string; site: string; points: number; load: Record<string, number> }[];
  assignment: Record<string, string>;
  violations: { facility: string; attribute: string; value: number; min: number | null; max: number | null; by: number }[];
}

export function genericSolution(parsed: GenericInstance, outcome: SolveOutcome): GenericSolution {
  const { instance } = parsed;
  const M = instance.attributes.length;
  const finite = (v: number) => (Number.isFinite(v) ? v : null);
  return {
    name: parsed.name,
    method: outcome.method,
    status: outcome.status,
    objective: outcome.evaluation.objective,
    bound: outcome.bound,
    gap: outcome.gap,
    seconds: outcome.seconds.total,
    facilities: instance.groups.map((g, f) => ({
      id: g.id,
      site: instance.sites[outcome.site[f]],
      points: outcome.group.reduce((count, group) => count + (group === f ? 1 : 0), 0),
      load: Object.fromEntries(instance.attributes.map((a, index) => [a, outcome.evaluation.loads[f * M + index]])),
    })),
    assignment: Object.fromEntries(instance.points.map((id, i) => [id, instance.groups[outcome.group[i]].id])),
    violations: outcome.evaluation.violations.map((v) => ({ facility: v.group, attribute: v.attribute, value: v.value, min: finite(v.lower), max: finite(v.upper), by: v.by })),
  };
}
