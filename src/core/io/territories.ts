/**
 * Team territories for the GeoJSON export, built from administrative boundaries:
 * - each commune goes to the team of its lycées; a commune holding lycées of several teams is cut
 *   along the Voronoi cells of those lycées; a commune without a lycée goes to the team of the
 *   nearest assigned lycée; the pieces are dissolved per team (turf union);
 * - where the Région has no commune layer, Voronoi cells of the assigned lycées clipped to the Région.
 * Communes partition the Région, so the territories do not overlap and each covers its lycées.
 * Rings are rewound to the RFC 7946 right-hand rule (exterior counter-clockwise).
 */
import { area as turfArea, bbox, booleanIntersects, booleanPointInPolygon, booleanValid, centroid, featureCollection, intersect, point, polygon, rewind, union, voronoi } from '@turf/turf';
import type { Feature, FeatureCollection, MultiPolygon, Polygon } from 'geojson';

export type Area = Feature<Polygon | MultiPolygon>;

export interface AreaPoint {
  uai: string;
  lat: number;
  lon: number;
  teamId: string;
}

export interface TeamAreas {
  areas: Map<string, Area>;
  method: 'communes' | 'voronoi';
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

/** `onProgress` receives the share of the communes (or teams) done: the export reports it. */
export function teamAreas(points: readonly AreaPoint[], region: FeatureCollection<Polygon | MultiPolygon>, communes: FeatureCollection<Polygon | MultiPolygon> | null, onProgress?: (fraction: number) => void): TeamAreas {
  const warnings: string[] = [];
  const pieces = new Map<string, Area[]>();
  const add = (teamId: string, piece: Area | null) => {
    if (!piece) return;
    const list = pieces.get(teamId) ?? [];
    list.push(piece);
    pieces.set(teamId, list);
  };
  if (points.length === 0) return { areas: new Map(), method: communes ? 'communes' : 'voronoi', warnings };

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
    return { areas, method: 'voronoi', warnings };
  }

  const communeBoxes = communes.features.map((c) => bbox(c));
  const inCommune = new Map<number, AreaPoint[]>();
  for (const p of points) {
    const index = communes.features.findIndex((c, i) => {
      const b = communeBoxes[i];
      return p.lon >= b[0] && p.lon <= b[2] && p.lat >= b[1] && p.lat <= b[3] && booleanPointInPolygon([p.lon, p.lat], c);
    });
    // A lycée geocoded just outside every commune (on the shore) is served by the nearest commune's rule.
    if (index < 0) continue;
    const list = inCommune.get(index) ?? [];
    list.push(p);
    inCommune.set(index, list);
  }
  communes.features.forEach((commune, index) => {
    if (onProgress && index % 50 === 0) onProgress((0.5 * index) / communes.features.length);
    const here = inCommune.get(index);
    if (!here) {
      const c = centroid(commune).geometry.coordinates as [number, number];
      let nearest = points[0];
      for (const p of points) if (squaredDistance(c, p) < squaredDistance(c, nearest)) nearest = p;
      add(nearest.teamId, commune);
      return;
    }
    const teams = new Set(here.map((p) => p.teamId));
    if (teams.size === 1) add(here[0].teamId, commune);
    else for (const { owner, cell } of cells(here, padded(communeBoxes[index]), warnings)) add(owner.teamId, clip(commune, cell));
  });
  onProgress?.(0.5);
  const areas = dissolve(pieces, onProgress);
  repairTouchingParts(areas, points);
  return { areas, method: 'communes', warnings };
}
