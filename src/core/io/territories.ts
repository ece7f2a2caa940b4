/**
 * Team territories for the GeoJSON export: the geometry step on top of the territory model
 * (src/core/territory), which decides the team of every commune:
 * - each commune goes to its team whole; a commune holding lycées of several teams is cut along
 *   the Voronoi cells of those lycées; the pieces are dissolved per team (turf union);
 * - where the Région has no commune layer, Voronoi cells of the assigned lycées clipped to the Région.
 * Communes partition the Région, so the territories do not overlap and each covers its lycées.
 * Rings are rewound to the RFC 7946 right-hand rule (exterior counter-clockwise).
 */
import { area as turfArea, bbox, booleanIntersects, booleanPointInPolygon, booleanValid, centroid, featureCollection, intersect, point, polygon, rewind, union, voronoi } from '@turf/turf';
import type { Feature, FeatureCollection, MultiPolygon, Polygon } from 'geojson';
import { communeGraph, placePoints } from '../territory/graph.ts';
import type { CommuneAdjacency } from '../model/establishment.ts';
import { computeTerritory, territoryContext } from '../territory/model.ts';

export type Area = Feature<Polygon | MultiPolygon>;

export interface AreaPoint {
  uai: string;
  lat: number;
  lon: number;
  teamId: string;
  communeCode?: string | null;
}

/** Per team: area, separate pieces and enclaves (null where the method cannot tell). */
export interface TeamShapeFigures {
  areaKm2: number;
  pieces: number;
  enclaves: number | null;
}

export interface TeamAreas {
  areas: Map<string, Area>;
  method: 'communes' | 'voronoi';
  figures: Map<string, TeamShapeFigures>;
  /** Lycées whose team could not be given their spot (several teams at the same coordinates). */
  warnings: string[];
}

type BBox = [number, number, number, number];

function squaredDistance(a: [number, number], b: AreaPoint): number {
  const dx = (a[0] - b.lon) * Math.cos((b.lat * Math.PI) / 180);
  const dy = a[1] - b.lat;
  return dx * dx + dy * dy;
}

/** Voronoi cells of points (deduplicated by coordinates) inside `box`; the first point of a spot owns it. */
function cells(points: readonly AreaPoint[], box: BBox, warnings: string[]): { owner: AreaPoint; cell: Feature<Polygon> }[] {
  const spots = new Map<string, AreaPoint>();
  for (const p of points) {
    const key = `${p.lon},${p.lat}`;
    const first = spots.get(key);
    if (!first) spots.set(key, p);
    else if (first.teamId !== p.teamId) warnings.push(`${p.uai} a les mêmes coordonnées que ${first.uai}, d’une autre équipe : son point est dans le territoire de cette équipe.`);
  }
  const owners = [...spots.values()];
  if (owners.length === 1) return [{ owner: owners[0], cell: { type: 'Feature', properties: {}, geometry: { type: 'Polygon', coordinates: [[[box[0], box[1]], [box[2], box[1]], [box[2], box[3]], [box[0], box[3]], [box[0], box[1]]]] } } }];
  const diagram = voronoi(featureCollection(owners.map((p) => point([p.lon, p.lat]))), { bbox: box });
  return owners.flatMap((owner, i) => (diagram.features[i] ? [{ owner, cell: diagram.features[i] }] : []));
}

function clip(shape: Area, cell: Feature<Polygon>): Area | null {
  return intersect(featureCollection([shape, cell])) as Area | null;
}

function partsOf(area: Area): Polygon['coordinates'][] {
  return area.geometry.type === 'Polygon' ? [area.geometry.coordinates] : area.geometry.coordinates;
}

/**
 * Below a square metre a ring is an artefact of the boundary data (two communes that do not quite
 * meet): its orientation is numerically meaningless and it holds nothing, so it is dropped.
 */
const SLIVER_M2 = 1;

function withoutSlivers(area: Area): Area {
  const parts = partsOf(area)
    .map((rings) => [rings[0], ...rings.slice(1).filter((hole) => turfArea(polygon([hole])) >= SLIVER_M2)])
    .filter((rings, _, all) => all.length === 1 || turfArea(polygon([rings[0]])) >= SLIVER_M2);
  return rewind(fromParts(parts)) as Area;
}

function dissolve(pieces: Map<string, Area[]>, onProgress?: (fraction: number) => void): Map<string, Area> {
  const areas = new Map<string, Area>();
  let done = 0;
  for (const [teamId, list] of pieces) {
    onProgress?.(0.5 + (0.5 * done++) / pieces.size);
    const merged = list.length === 1 ? list[0] : (union(featureCollection(list)) as Area | null);
    if (merged) areas.set(teamId, withoutSlivers(merged));
  }
  return areas;
}


function fromParts(parts: Polygon['coordinates'][]): Area {
  return { type: 'Feature', properties: {}, geometry: parts.length === 1 ? { type: 'Polygon', coordinates: parts[0] } : { type: 'MultiPolygon', coordinates: parts } };
}

/**
 * A team whose pieces touch each other at a single point is a valid multipolygon for GEOS and QGIS
 * but not for @turf/boolean-valid. Such a piece without any of the team's lycées (a sliver of a
 * split commune) goes to the neighbouring team with the nearest lycée; the partition is unchanged.
 */
function repairTouchingParts(areas: Map<string, Area>, points: readonly AreaPoint[]): void {
  for (let round = 0; round < 20; round++) {
    let moved = false;
    for (const [teamId, area] of areas) {
      if (booleanValid(area)) continue;
      const parts = partsOf(area);
      const own = points.filter((p) => p.teamId === teamId);
      const index = parts.findIndex((part) => parts.length > 1 && !own.some((p) => booleanPointInPolygon([p.lon, p.lat], polygon(part))));
      if (index < 0) continue;
      const piece = polygon(parts[index]);
      const c = centroid(piece).geometry.coordinates as [number, number];
      let target: string | null = null;
      let best = Infinity;
      for (const [otherId, other] of areas) {
        if (otherId === teamId || !booleanIntersects(piece, other)) continue;
        for (const p of points) if (p.teamId === otherId && squaredDistance(c, p) < best) [best, target] = [squaredDistance(c, p), otherId];
      }
      if (!target) continue;
      areas.set(teamId, rewind(fromParts(parts.filter((_, i) => i !== index))) as Area);
      areas.set(target, withoutSlivers(union(featureCollection([areas.get(target)!, piece])) as Area));
      moved = true;
    }
    if (!moved) return;
  }
}

const padded = (box: number[]): BBox => [box[0] - 0.5, box[1] - 0.5, box[2] + 0.5, box[3] + 0.5];

function partCount(area: Area): number {
  return area.geometry.type === 'Polygon' ? 1 : area.geometry.coordinates.length;
}

/** `onProgress` receives the share of the communes (or teams) done: the export reports it. */
export function teamAreas(
  points: readonly AreaPoint[],
  region: FeatureCollection<Polygon | MultiPolygon>,
  communes: FeatureCollection<Polygon | MultiPolygon> | null,
  adjacency: CommuneAdjacency | null = null,
  onProgress?: (fraction: number) => void,
): TeamAreas {
  const warnings: string[] = [];
  const pieces = new Map<string, Area[]>();
  const add = (teamId: string, piece: Area | null) => {
    if (!piece) return;
    const list = pieces.get(teamId) ?? [];
    list.push(piece);
    pieces.set(teamId, list);
  };
  if (points.length === 0) return { areas: new Map(), method: communes ? 'communes' : 'voronoi', figures: new Map(), warnings };

  if (!communes || communes.features.length === 0) {
    // Dissolve the cells first: eleven clips of a detailed coastline instead of hundreds.
    const outline = region.features.length === 1 ? region.features[0] : (union(region) as Area);
    for (const { owner, cell } of cells(points, padded(bbox(region)), warnings)) add(owner.teamId, cell);
    const areas = new Map<string, Area>();
    for (const [teamId, territory] of dissolve(pieces)) {
      const clipped = intersect(featureCollection([outline, territory])) as Area | null;
      if (clipped) areas.set(teamId, withoutSlivers(clipped));
    }
    repairTouchingParts(areas, points);
    const figures = new Map([...areas].map(([teamId, area]) => [teamId, { areaKm2: turfArea(area) / 1e6, pieces: partCount(area), enclaves: null }]));
    return { areas, method: 'voronoi', figures, warnings };
  }

  const graph = communeGraph(communes, adjacency);
  const context = territoryContext(graph, placePoints(graph, communes, points), points);
  const byUai = new Map(points.map((p) => [p.uai, p]));
  const territory = computeTerritory(context, Object.fromEntries(points.map((p) => [p.uai, p.teamId])));
  communes.features.forEach((commune, index) => {
    if (onProgress && index % 50 === 0) onProgress((0.5 * index) / communes.features.length);
    const teamId = territory.owner[index];
    if (teamId === null) return;
    if (!territory.split.has(index)) {
      add(teamId, commune);
      return;
    }
    const here = [...territory.lycees.get(index)!.values()].flat().map((uai) => byUai.get(uai)!);
    for (const { owner, cell } of cells(here, padded(bbox(commune)), warnings)) add(owner.teamId, clip(commune, cell));
  });
  onProgress?.(0.5);
  const areas = dissolve(pieces, onProgress);
  repairTouchingParts(areas, points);
  const figures = new Map([...territory.teams].map(([teamId, t]) => [teamId, { areaKm2: t.areaKm2, pieces: t.pieces, enclaves: t.enclaves }]));
  return { areas, method: 'communes', figures, warnings };
}
