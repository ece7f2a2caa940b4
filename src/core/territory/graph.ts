/**
 * The commune graph of a Région, built once per Région and shared by every plan: communes in file
 * order, their centroid and area, which communes share a border, and the extra `links` that join
 * islands to the mainland (adjacency.json, see the data build). Territories are computed on it.
 */
import { area as turfArea, bbox, booleanPointInPolygon, centroid } from '@turf/turf';
import type { Feature, FeatureCollection, MultiPolygon, Polygon } from 'geojson';
import type { CommuneAdjacency } from '../model/establishment.ts';
import { computeAdjacency } from './adjacency.ts';

export interface CommuneGraph {
  codes: string[];
  names: string[];
  /** [lon, lat] of each commune's centroid. */
  centroids: [number, number][];
  areaKm2: number[];
  /** Communes sharing a border (symmetric). */
  neighbours: number[][];
  /** Island links, kept apart from real borders. */
  links: [number, number][];
  /** neighbours plus links: what a team can reach from a commune. */
  reach: number[][];
}

export type CommuneFeature = Feature<Polygon | MultiPolygon, { code?: string; nom?: string } | null>;

/** Centroid, area and name of each commune, as the graph needs them (rounded as adjacency.json stores them). */
export function communeMeasures(features: readonly CommuneFeature[]): Required<Pick<CommuneAdjacency, 'names' | 'centroids' | 'areaKm2'>> {
  const round = (v: number, digits: number) => Math.round(v * 10 ** digits) / 10 ** digits;
  return {
    names: features.map((f) => String(f.properties?.nom ?? '')),
    centroids: features.map((f) => centroid(f).geometry.coordinates.map((v) => round(v, 5)) as [number, number]),
    areaKm2: features.map((f) => round(turfArea(f) / 1e6, 4)),
  };
}

/**
 * Builds the graph from the commune layer and its adjacency file (adjacency.json of the data build).
 * Without one, or with one that does not describe these communes (other codes or order), the
 * adjacency is computed from the polygons, as the data build does. `communes` may be null when the
 * adjacency file carries the measures: the page then never reads the polygons.
 */
export function communeGraph(communes: FeatureCollection<Polygon | MultiPolygon> | null, adjacency: CommuneAdjacency | null = null): CommuneGraph {
  const features = (communes?.features ?? []) as CommuneFeature[];
  const codes = communes ? features.map((f, i) => String(f.properties?.code ?? i)) : (adjacency?.codes ?? []);
  const matches = adjacency !== null && adjacency.codes.length === codes.length && adjacency.codes.every((c, i) => c === codes[i]) && adjacency.neighbours.length === codes.length;
  const computed = matches ? null : computeAdjacency(features.map((f) => f.geometry));
  const neighbours = computed ? computed.neighbours : adjacency!.neighbours.map((list) => [...list]);
  const links: [number, number][] = (computed ? computed.links : adjacency!.links).map(([a, b]) => [a, b]);
  const reach = neighbours.map((list) => [...list]);
  for (const [a, b] of links) {
    reach[a].push(b);
    reach[b].push(a);
  }
  const stored = matches && adjacency.names?.length === codes.length && adjacency.centroids?.length === codes.length && adjacency.areaKm2?.length === codes.length;
  const measures = stored ? { names: adjacency.names!, centroids: adjacency.centroids!, areaKm2: adjacency.areaKm2! } : communeMeasures(features);
  return { codes, names: [...measures.names], centroids: measures.centroids.map(([x, y]) => [x, y]), areaKm2: [...measures.areaKm2], neighbours, links, reach };
}

/** Whether `communeGraph(null, adjacency)` has what it needs (a file of the current data build). */
export function graphFromAdjacencyAlone(adjacency: CommuneAdjacency | null): adjacency is CommuneAdjacency {
  const size = adjacency?.codes.length ?? -1;
  return !!adjacency && adjacency.neighbours.length === size && adjacency.names?.length === size && adjacency.centroids?.length === size && adjacency.areaKm2?.length === size;
}

export interface PlacedPoint {
  uai: string;
  lat: number;
  lon: number;
  /** INSEE code from the dataset, tried first. */
  communeCode?: string | null;
}

/**
 * Beyond this distance from every commune centre a point is not on the graph's land at all (an
 * overseas lycée in France entière, whose communes are the metropolitan ones): it stays unplaced
 * rather than give its team a commune thousands of kilometres away. The largest metropolitan
 * communes reach about 20 km from their centre.
 */
export const MAX_PLACEMENT_KM = 50;

/**
 * Commune index of each point: its commune code when the graph has it (checked against the polygon
 * when the polygons are given), otherwise point in polygon. A point outside every polygon (a lycée on
 * the shore), or without a known code when no polygons are given, takes the commune with the nearest
 * centroid, so every lycée counts for its territory, unless that centre is farther than
 * MAX_PLACEMENT_KM.
 */
export function placePoints(graph: CommuneGraph, communes: FeatureCollection<Polygon | MultiPolygon> | null, points: readonly PlacedPoint[]): Map<string, number> {
  const byCode = new Map(graph.codes.map((c, i) => [c, i]));
  let boxes: number[][] | null = null;
  const placed = new Map<string, number>();
  for (const p of points) {
    const known = p.communeCode ? byCode.get(p.communeCode) : undefined;
    if (known !== undefined && (!communes || booleanPointInPolygon([p.lon, p.lat], communes.features[known]))) {
      placed.set(p.uai, known);
      continue;
    }
    let index = -1;
    if (communes) {
      boxes ??= communes.features.map((c) => bbox(c));
      index = communes.features.findIndex((c, i) => {
        const b = boxes![i];
        return p.lon >= b[0] && p.lon <= b[2] && p.lat >= b[1] && p.lat <= b[3] && booleanPointInPolygon([p.lon, p.lat], c);
      });
    }
    if (index < 0 && known !== undefined) index = known;
    if (index < 0) {
      const nearest = nearestCentroid(graph, p.lon, p.lat);
      if (nearest >= 0 && km(p.lon, p.lat, ...graph.centroids[nearest]) <= MAX_PLACEMENT_KM) index = nearest;
    }
    if (index >= 0) placed.set(p.uai, index);
  }
  return placed;
}

function nearestCentroid(graph: CommuneGraph, lon: number, lat: number): number {
  let best = -1;
  let bestDistance = Infinity;
  graph.centroids.forEach(([x, y], i) => {
    const d = km(lon, lat, x, y);
    if (d < bestDistance) [best, bestDistance] = [i, d];
  });
  return best;
}

/** Equirectangular distance in km: plenty for weighting neighbouring communes. */
export function km(lon1: number, lat1: number, lon2: number, lat2: number): number {
  const dx = (lon2 - lon1) * Math.cos((((lat1 + lat2) / 2) * Math.PI) / 180) * 111.32;
  const dy = (lat2 - lat1) * 110.57;
  return Math.sqrt(dx * dx + dy * dy);
}
