/**
 * COG 2026 communes, EPCI, arrondissements, labels and adjacency from older commune polygons (IGN
 * Admin Express COG 2018 as republished by france-geojson, or Etalab's current contours with
 * --download) and the COG 2026 of @etalab/decoupage-administratif: each polygon goes to the 2026
 * commune with the same code or listing it in `anciensCodes`, and the parts are dissolved (shared
 * segments cancel, see src/core/territory/topology.ts). EPCI and arrondissements are dissolved from
 * the 2026 communes, so their outlines are exactly the communes' (same vertices, nested layers).
 */
import { createRequire } from 'node:module';
import type { Feature, FeatureCollection, LineString, MultiLineString, Point } from 'geojson';
import { computeAdjacency } from '../../src/core/territory/adjacency.ts';
import { communeMeasures } from '../../src/core/territory/graph.ts';
import { simplifyTiling } from '../../src/core/territory/simplify.ts';
import { labelPoint, PolygonIndex } from '../../src/core/territory/locate.ts';
import { dissolve, type Areal } from '../../src/core/territory/topology.ts';
import type { CommuneAdjacency, Establishment } from '../../src/core/model/establishment.ts';

export interface CogCommune {
  code: string;
  nom: string;
  type: string;
  zone: string;
  departement: string;
  region: string;
  arrondissement?: string;
  population?: number;
  anciensCodes?: string[];
}
export interface CogEpci {
  code: string;
  nom: string;
  type: string;
  membres: { code: string }[];
}
export interface CogArrondissement {
  code: string;
  nom: string;
  departement: string;
  region: string;
  chefLieu: string;
}
export interface CogDepartement {
  code: string;
  nom: string;
  region: string;
  chefLieu: string;
}
export interface Cog {
  communes: CogCommune[];
  epci: CogEpci[];
  arrondissements: CogArrondissement[];
  departements: CogDepartement[];
}

export function loadCog(): Cog {
  const require = createRequire(import.meta.url);
  const data = (name: string) => require(`@etalab/decoupage-administratif/data/${name}.json`) as unknown;
  return {
    communes: data('communes') as CogCommune[],
    epci: data('epci') as CogEpci[],
    arrondissements: data('arrondissements') as CogArrondissement[],
    departements: data('departements') as CogDepartement[],
  };
}

export interface CommuneProperties {
  code: string;
  nom: string;
  departement: string;
  region: string;
  arrondissement: string | null;
  epci: string | null;
  epci_nom: string | null;
  population: number | null;
}

export type CommuneFeature = Feature<Areal, CommuneProperties>;

export interface DerivedCommunes {
  /** Metropolitan COG 2026 communes with a polygon, sorted by code. */
  features: CommuneFeature[];
  /** COG 2026 communes no source polygon maps to (re-created since the polygons' date). */
  withoutPolygon: { code: string; nom: string; departement: string; region: string }[];
  /** Source polygons whose code is no 2026 commune nor a former code of one. */
  unmapped: string[];
  /** 2026 communes made of several source polygons. */
  dissolvedCount: number;
}

export function deriveCommunes(polygons: FeatureCollection, cog: Cog): DerivedCommunes {
  const current = cog.communes.filter((c) => c.type === 'commune-actuelle' && c.zone === 'metro');
  const byCode = new Map(current.map((c) => [c.code, c]));
  const formerOf = new Map<string, string>();
  for (const c of current) for (const old of c.anciensCodes ?? []) if (!byCode.has(old)) formerOf.set(old, c.code);
  const epciOf = new Map<string, CogEpci>();
  for (const e of cog.epci) for (const m of e.membres) epciOf.set(m.code, e);
  const parts = new Map<string, Areal[]>();
  const unmapped: string[] = [];
  for (const f of polygons.features) {
    const code = String(f.properties?.code ?? '');
    if (!f.geometry || (f.geometry.type !== 'Polygon' && f.geometry.type !== 'MultiPolygon')) continue;
    const target = byCode.has(code) ? code : formerOf.get(code);
    if (!target) {
      // Overseas polygons are out of scope (the metropolitan COG list does not hold them).
      if (!/^97/.test(code)) unmapped.push(code);
      continue;
    }
    const list = parts.get(target);
    if (list) list.push(f.geometry);
    else parts.set(target, [f.geometry]);
  }
  const features: CommuneFeature[] = [];
  const withoutPolygon: DerivedCommunes['withoutPolygon'] = [];
  let dissolvedCount = 0;
  for (const c of [...current].sort((a, b) => a.code.localeCompare(b.code))) {
    const list = parts.get(c.code);
    const geometry = list ? dissolve(list) : null;
    if (!geometry) {
      withoutPolygon.push({ code: c.code, nom: c.nom, departement: c.departement, region: c.region });
      continue;
    }
    if ((list as Areal[]).length > 1) dissolvedCount++;
    const epci = epciOf.get(c.code) ?? null;
    features.push({
      type: 'Feature',
      geometry,
      properties: {
        code: c.code,
        nom: c.nom,
        departement: c.departement,
        region: c.region,
        arrondissement: c.arrondissement ?? null,
        epci: epci?.code ?? null,
        epci_nom: epci?.nom ?? null,
        population: c.population ?? null,
      },
    });
  }
  return { features, withoutPolygon, unmapped: unmapped.sort(), dissolvedCount };
}

function groupDissolve<P>(communes: CommuneFeature[], keyOf: (c: CommuneFeature) => string | null, properties: (key: string) => P): Feature<Areal, P>[] {
  const groups = new Map<string, Areal[]>();
  for (const c of communes) {
    const key = keyOf(c);
    if (key === null) continue;
    const list = groups.get(key);
    if (list) list.push(c.geometry);
    else groups.set(key, [c.geometry]);
  }
  const out: Feature<Areal, P>[] = [];
  for (const key of [...groups.keys()].sort()) {
    const geometry = dissolve(groups.get(key) as Areal[]);
    if (geometry) out.push({ type: 'Feature', geometry, properties: properties(key) });
  }
  return out;
}

export interface TerritoryLayers {
  communes: FeatureCollection<Areal, CommuneProperties>;
  epci: FeatureCollection;
  arrondissements: FeatureCollection;
  places: FeatureCollection<Point>;
  adjacency: Required<CommuneAdjacency>;
  borders: FeatureCollection<LineString | MultiLineString>;
  /** The communes (code only) and their borders simplified together for low zoom; borders in the same order. */
  communesLow: FeatureCollection<Areal>;
  bordersLow: FeatureCollection<LineString | MultiLineString>;
}

/** Simplification of the light layers, in km: about 2 pixels at the zoom where the map switches. */
export const LOW_RES_TOLERANCE_KM = 0.3;

/** Places: préfectures (rank 0), sous-préfectures (1), other communes ≥ 10,000 (2) and ≥ 2,000 inhabitants (3). */
export const PLACE_POPULATION = { large: 10_000, small: 2_000 };

/** The layers of one Région (or of all metropolitan communes), EPCI cut to the communes given. */
export function territoryLayers(communes: CommuneFeature[], cog: Cog, labels: Map<string, [number, number]>): TerritoryLayers {
  const epciByCode = new Map(cog.epci.map((e) => [e.code, e]));
  const arrondissementByCode = new Map(cog.arrondissements.map((a) => [a.code, a]));
  const epci = groupDissolve(
    communes,
    (c) => c.properties.epci,
    (code) => ({ code, nom: epciByCode.get(code)?.nom ?? code, type: epciByCode.get(code)?.type ?? null }),
  );
  const arrondissements = groupDissolve(
    communes,
    (c) => c.properties.arrondissement,
    (code) => ({ code, nom: arrondissementByCode.get(code)?.nom ?? code, departement: arrondissementByCode.get(code)?.departement ?? null }),
  );
  const inside = new Set(communes.map((c) => c.properties.code));
  const rank = new Map<string, number>();
  for (const d of cog.departements) if (inside.has(d.chefLieu)) rank.set(d.chefLieu, 0);
  for (const a of cog.arrondissements) if (inside.has(a.chefLieu) && !rank.has(a.chefLieu)) rank.set(a.chefLieu, 1);
  const places: Feature<Point>[] = [];
  for (const c of communes) {
    const population = c.properties.population ?? 0;
    const r = rank.get(c.properties.code) ?? (population >= PLACE_POPULATION.large ? 2 : population >= PLACE_POPULATION.small ? 3 : null);
    if (r === null) continue;
    const point = labels.get(c.properties.code) ?? labelPoint(c.geometry);
    places.push({ type: 'Feature', geometry: { type: 'Point', coordinates: point }, properties: { code: c.properties.code, nom: c.properties.nom, population: c.properties.population, rank: r } });
  }
  places.sort((a, b) => (a.properties?.rank as number) - (b.properties?.rank as number) || ((b.properties?.population as number) ?? 0) - ((a.properties?.population as number) ?? 0));
  const adjacency = computeAdjacency(communes.map((c) => c.geometry));
  const codes = communes.map((c) => c.properties.code);
  const simplified = simplifyTiling(communes.map((c) => c.geometry), LOW_RES_TOLERANCE_KM);
  // Every border keeps its two end junctions, so the pairs are the same; matched by pair all the same.
  const lowBorders = new Map(computeAdjacency(simplified).borders.map((b) => [`${b.a} ${b.b}`, b.geometry]));
  return {
    communes: { type: 'FeatureCollection', features: communes },
    epci: { type: 'FeatureCollection', features: epci },
    arrondissements: { type: 'FeatureCollection', features: arrondissements },
    places: { type: 'FeatureCollection', features: places },
    adjacency: { codes, neighbours: adjacency.neighbours, links: adjacency.links, ...communeMeasures(communes) },
    borders: {
      type: 'FeatureCollection',
      features: adjacency.borders.map((b, id) => ({ type: 'Feature', id, geometry: b.geometry, properties: { a: codes[b.a], b: codes[b.b] } })),
    },
    communesLow: { type: 'FeatureCollection', features: simplified.map((geometry, i) => ({ type: 'Feature', geometry: geometry ?? communes[i].geometry, properties: { code: codes[i] } })) },
    bordersLow: {
      type: 'FeatureCollection',
      features: adjacency.borders.map((b, id) => ({ type: 'Feature', id, geometry: lowBorders.get(`${b.a} ${b.b}`) ?? b.geometry, properties: { a: codes[b.a], b: codes[b.b] } })),
    },
  };
}

/** Label points of the communes that may become places, computed once for all Régions. */
export function placeLabelPoints(communes: CommuneFeature[], cog: Cog): Map<string, [number, number]> {
  const chefsLieux = new Set([...cog.departements.map((d) => d.chefLieu), ...cog.arrondissements.map((a) => a.chefLieu)]);
  const points = new Map<string, [number, number]>();
  for (const c of communes)
    if (chefsLieux.has(c.properties.code) || (c.properties.population ?? 0) >= PLACE_POPULATION.small) points.set(c.properties.code, labelPoint(c.geometry) as [number, number]);
  return points;
}

export interface Placement {
  uai: string;
  name: string;
  departement: string;
  commune: string | null;
  km: number;
}

/**
 * Commune, EPCI and arrondissement of each lycée by point in polygon; a lycée outside every polygon
 * (coast, simplified outline) takes the nearest commune of its département. Returns those placed
 * by nearest commune, and those with no commune of their département at all.
 */
export function placeEstablishments(establishments: Establishment[], communes: CommuneFeature[], cog: Cog): { nearest: Placement[]; unplaced: Placement[] } {
  const index = new PolygonIndex(communes.map((c) => c.geometry));
  const byDepartement = new Map<string, number[]>();
  communes.forEach((c, i) => {
    const list = byDepartement.get(c.properties.departement);
    if (list) list.push(i);
    else byDepartement.set(c.properties.departement, [i]);
  });
  const arrondissementName = new Map(cog.arrondissements.map((a) => [a.code, a.nom]));
  const nearest: Placement[] = [];
  const unplaced: Placement[] = [];
  for (const e of establishments) {
    // The polygon wins even across a département border: Lycée Ella Fitzgerald (0380081G, académie
    // de Grenoble) stands in Saint-Romain-en-Gal, Rhône.
    let i = index.find(e.lon, e.lat);
    let placement: Establishment['communePlacement'] = 'polygon';
    if (i < 0) {
      const hit = index.nearest(e.lon, e.lat, byDepartement.get(e.departement) ?? []);
      if (!hit) {
        e.communePlacement = null;
        e.arrondissement = null;
        e.arrondissementName = null;
        unplaced.push({ uai: e.uai, name: e.name, departement: e.departement, commune: null, km: NaN });
        continue;
      }
      i = hit.index;
      placement = 'nearest';
      nearest.push({ uai: e.uai, name: e.name, departement: e.departement, commune: communes[i].properties.code, km: Math.round(hit.km * 100) / 100 });
    }
    const p = communes[i].properties;
    e.communeCode = p.code;
    e.communePlacement = placement;
    e.epci = p.epci;
    e.epciName = p.epci_nom;
    e.arrondissement = p.arrondissement;
    e.arrondissementName = p.arrondissement ? (arrondissementName.get(p.arrondissement) ?? null) : null;
  }
  return { nearest, unplaced };
}
