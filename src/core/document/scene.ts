/**
 * What the printed map shows, computed from the plan and the commune layer: each commune's team
 * (the territory), the boundaries between teams, and the number of separate pieces of each team's
 * territory. Communes are adjacent when they share a boundary segment; the built commune layer keeps
 * shared vertices identical on both sides (topology-preserving simplification), so shared segments
 * are found by their end points.
 */
import type { Feature, FeatureCollection, MultiPolygon, Polygon, Position } from 'geojson';

export type CommuneLayer = FeatureCollection<Polygon | MultiPolygon>;

export interface CommuneGraph {
  /** Neighbour indices of each commune (sharing at least one boundary segment). */
  neighbours: number[][];
  /**
   * Shared boundary segments: [x1, y1, x2, y2] (lon/lat) in `segments`, the two communes in
   * `owners` (a, b) at the same index / 4 and / 2.
   */
  segments: Float64Array;
  owners: Int32Array;
  /** Per commune [west, south, east, north]. */
  boxes: Float64Array;
  /** Per commune an interior-ish label point (centroid of its largest ring) [lon, lat]. */
  centres: Float64Array;
}

export function polygonsOf(feature: Feature<Polygon | MultiPolygon>): Position[][][] {
  return feature.geometry.type === 'Polygon' ? [feature.geometry.coordinates] : feature.geometry.coordinates;
}

function ringArea(ring: Position[]): number {
  let sum = 0;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) sum += ring[j][0] * ring[i][1] - ring[i][0] * ring[j][1];
  return sum / 2;
}

function ringCentroid(ring: Position[]): [number, number] {
  let x = 0;
  let y = 0;
  let a = 0;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const f = ring[j][0] * ring[i][1] - ring[i][0] * ring[j][1];
    x += (ring[j][0] + ring[i][0]) * f;
    y += (ring[j][1] + ring[i][1]) * f;
    a += f;
  }
  if (Math.abs(a) < 1e-18) return [ring[0][0], ring[0][1]];
  return [x / (3 * a), y / (3 * a)];
}

export function communeGraph(communes: CommuneLayer): CommuneGraph {
  const n = communes.features.length;
  const boxes = new Float64Array(n * 4);
  const centres = new Float64Array(n * 2);
  const firstOwner = new Map<string, number>();
  const segments: number[] = [];
  const owners: number[] = [];
  const neighbourSets: Set<number>[] = Array.from({ length: n }, () => new Set());
  communes.features.forEach((feature, index) => {
    let [w, s, e, no] = [Infinity, Infinity, -Infinity, -Infinity];
    let largest: Position[] | null = null;
    let largestArea = -1;
    for (const polygon of polygonsOf(feature)) {
      const outer = polygon[0];
      const area = Math.abs(ringArea(outer));
      if (area > largestArea) [largest, largestArea] = [outer, area];
      for (const ring of polygon)
        for (let k = 0; k < ring.length; k++) {
          const [x, y] = ring[k];
          if (x < w) w = x;
          if (x > e) e = x;
          if (y < s) s = y;
          if (y > no) no = y;
          if (k + 1 === ring.length) continue;
          const a = `${x},${y}`;
          const b = `${ring[k + 1][0]},${ring[k + 1][1]}`;
          const key = a < b ? `${a};${b}` : `${b};${a}`;
          const other = firstOwner.get(key);
          if (other === undefined) firstOwner.set(key, index);
          else if (other !== index) {
            segments.push(x, y, ring[k + 1][0], ring[k + 1][1]);
            owners.push(other, index);
            neighbourSets[index].add(other);
            neighbourSets[other].add(index);
          }
        }
    }
    boxes.set([w, s, e, no], index * 4);
    centres.set(largest ? ringCentroid(largest) : [(w + e) / 2, (s + no) / 2], index * 2);
  });
  return { neighbours: neighbourSets.map((set) => [...set].sort((a, b) => a - b)), segments: Float64Array.from(segments), owners: Int32Array.from(owners), boxes, centres };
}

function pointInRing(x: number, y: number, ring: Position[]): boolean {
  let inside = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi, yi] = ring[i];
    const [xj, yj] = ring[j];
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

export function pointInFeature(x: number, y: number, feature: Feature<Polygon | MultiPolygon>): boolean {
  return polygonsOf(feature).some((polygon) => pointInRing(x, y, polygon[0]) && !polygon.slice(1).some((hole) => pointInRing(x, y, hole)));
}

export interface ScenePoint {
  uai: string;
  lat: number;
  lon: number;
  teamId: string | null;
  /** INSEE code when known: a faster and exact match than point in polygon. */
  communeCode: string | null;
}

/** Index of the commune holding each point (by code, else by polygon), or -1. */
export function locatePoints(points: readonly ScenePoint[], communes: CommuneLayer, graph: CommuneGraph): Int32Array {
  const byCode = new Map<string, number>();
  communes.features.forEach((f, i) => {
    const code = f.properties?.code;
    if (typeof code === 'string') byCode.set(code, i);
  });
  const result = new Int32Array(points.length).fill(-1);
  points.forEach((p, index) => {
    const known = p.communeCode ? byCode.get(p.communeCode) : undefined;
    if (known !== undefined) {
      result[index] = known;
      return;
    }
    const b = graph.boxes;
    for (let i = 0; i < communes.features.length; i++) {
      if (p.lon < b[i * 4] || p.lon > b[i * 4 + 2] || p.lat < b[i * 4 + 1] || p.lat > b[i * 4 + 3]) continue;
      if (pointInFeature(p.lon, p.lat, communes.features[i])) {
        result[index] = i;
        return;
      }
    }
  });
  return result;
}

/**
 * The team of each commune: the team with most of its assigned lycées (ties: the first team met);
 * a commune without a lycée joins its neighbours outward from the communes with lycées (breadth
 * first, so territories grow contiguously); communes the graph does not reach (islands) take the
 * team of the nearest commune that has one. Null everywhere when nothing is assigned.
 */
export function communeTeams(points: readonly ScenePoint[], located: Int32Array, graph: CommuneGraph): (string | null)[] {
  const n = graph.neighbours.length;
  const teams: (string | null)[] = new Array(n).fill(null);
  const counts = new Map<number, Map<string, number>>();
  points.forEach((p, i) => {
    const commune = located[i];
    if (commune < 0 || !p.teamId) return;
    const tally = counts.get(commune) ?? new Map<string, number>();
    tally.set(p.teamId, (tally.get(p.teamId) ?? 0) + 1);
    counts.set(commune, tally);
  });
  const queue: number[] = [];
  for (const [commune, tally] of counts) {
    let best: string | null = null;
    let bestCount = 0;
    for (const [team, count] of tally) if (count > bestCount) [best, bestCount] = [team, count];
    teams[commune] = best;
    queue.push(commune);
  }
  if (queue.length === 0) return teams;
  // Seeds in commune order so that the result does not depend on the order of the lycées.
  queue.sort((a, b) => a - b);
  for (let head = 0; head < queue.length; head++) {
    const from = queue[head];
    for (const next of graph.neighbours[from])
      if (teams[next] === null) {
        teams[next] = teams[from];
        queue.push(next);
      }
  }
  const reached = queue.slice();
  for (let i = 0; i < n; i++) {
    if (teams[i] !== null) continue;
    let best = -1;
    let bestDistance = Infinity;
    for (const j of reached) {
      const dx = graph.centres[i * 2] - graph.centres[j * 2];
      const dy = graph.centres[i * 2 + 1] - graph.centres[j * 2 + 1];
      const d = dx * dx + dy * dy;
      if (d < bestDistance) [best, bestDistance] = [j, d];
    }
    teams[i] = teams[best];
  }
  return teams;
}

/**
 * Number of separate pieces (connected groups of communes) of each team's territory that hold at
 * least one of its lycées (`withLycees`: commune indices): an empty island or a commune cut off by
 * the coast does not make a team « en plusieurs morceaux ».
 */
export function territoryPieces(teams: readonly (string | null)[], graph: CommuneGraph, withLycees: ReadonlySet<number>): Map<string, number> {
  const seen = new Uint8Array(teams.length);
  const pieces = new Map<string, number>();
  for (let start = 0; start < teams.length; start++) {
    const team = teams[start];
    if (seen[start] || team === null) continue;
    let holdsLycee = false;
    const stack = [start];
    seen[start] = 1;
    while (stack.length > 0) {
      const at = stack.pop()!;
      if (withLycees.has(at)) holdsLycee = true;
      for (const next of graph.neighbours[at])
        if (!seen[next] && teams[next] === team) {
          seen[next] = 1;
          stack.push(next);
        }
    }
    if (holdsLycee) pieces.set(team, (pieces.get(team) ?? 0) + 1);
  }
  return pieces;
}
