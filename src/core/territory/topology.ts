/**
 * Exact-vertex topology for polygons cut from one source (IGN Admin Express as simplified by
 * mapshaper): neighbouring polygons share the same vertices along their common border, so a shared
 * border is a set of identical segments. Dissolving cancels the segments found twice; adjacency pairs
 * the polygons owning the same segment. No floating-point geometry, no repeated unions.
 */
import type { MultiPolygon, Polygon, Position } from 'geojson';

export type Areal = Polygon | MultiPolygon;

/** Coordinates are compared after rounding to 1e-5 degree (≈ 1 m), the precision of the sources. */
export const SCALE = 1e5;
const OFFSET = 2 ** 25;
const SPAN = 2 ** 26;

/** A number identifying a rounded position (exact in a double: < 2^52). */
export function pointKey(p: Position): number {
  return (Math.round(p[0] * SCALE) + OFFSET) * SPAN + (Math.round(p[1] * SCALE) + OFFSET);
}

/** Undirected segment key from two vertex ids (< 2^26 vertices). */
export function segmentKey(a: number, b: number): number {
  return a < b ? a * SPAN + b : b * SPAN + a;
}

/** Numbers vertices by rounded position, so identical vertices of different polygons get one id. */
export class VertexIndex {
  private readonly ids = new Map<number, number>();
  readonly positions: Position[] = [];

  id(p: Position): number {
    const key = pointKey(p);
    let id = this.ids.get(key);
    if (id === undefined) {
      id = this.positions.length;
      this.ids.set(key, id);
      this.positions.push([Math.round(p[0] * SCALE) / SCALE, Math.round(p[1] * SCALE) / SCALE]);
    }
    return id;
  }
}

export function polygonsOf(geometry: Areal): Position[][][] {
  return geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates;
}

/** Twice the signed area (positive = counter-clockwise, in lon/lat degrees). */
export function signedArea(ring: Position[]): number {
  let sum = 0;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) sum += (ring[j][0] - ring[i][0]) * (ring[j][1] + ring[i][1]);
  return sum;
}

export function pointInRing(x: number, y: number, ring: Position[]): boolean {
  let inside = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi, yi] = ring[i];
    const [xj, yj] = ring[j];
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

export function pointInAreal(x: number, y: number, geometry: Areal): boolean {
  for (const polygon of polygonsOf(geometry)) {
    if (!pointInRing(x, y, polygon[0])) continue;
    let inHole = false;
    for (let h = 1; h < polygon.length && !inHole; h++) inHole = pointInRing(x, y, polygon[h]);
    if (!inHole) return true;
  }
  return false;
}

/**
 * Vertex-id rings of a geometry, exteriors counter-clockwise and holes clockwise (the sources do not
 * all follow RFC 7946), consecutive duplicates removed, closing vertex dropped.
 */
export function orientedRings(geometry: Areal, vertices: VertexIndex): number[][] {
  const rings: number[][] = [];
  for (const polygon of polygonsOf(geometry)) {
    polygon.forEach((ring, r) => {
      const ids: number[] = [];
      for (const p of ring) {
        const id = vertices.id(p);
        if (ids[ids.length - 1] !== id) ids.push(id);
      }
      if (ids.length > 1 && ids[0] === ids[ids.length - 1]) ids.pop();
      if (ids.length < 3) return;
      const ccw = signedArea(ids.map((i) => vertices.positions[i])) > 0;
      if (ccw !== (r === 0)) ids.reverse();
      rings.push(ids);
    });
  }
  return rings;
}

function closed(ids: number[], vertices: VertexIndex): Position[] {
  const ring = ids.map((i) => vertices.positions[i]);
  ring.push(ring[0]);
  return ring;
}

/**
 * Union of polygons that meet along shared segments (communes of one EPCI, 2018 communes merged into
 * one 2026 commune). Segments found in both directions are interior and cancel; the rest are chained
 * into rings, counter-clockwise ones being exteriors and clockwise ones holes of the smallest exterior
 * around them. Zero-area leftovers (a vertex missing on one side of a border) are dropped.
 */
export function dissolve(geometries: Areal[]): Areal | null {
  if (geometries.length === 0) return null;
  if (geometries.length === 1) return geometries[0];
  const vertices = new VertexIndex();
  const directed = new Map<number, [number, number]>();
  for (const geometry of geometries) {
    for (const ring of orientedRings(geometry, vertices)) {
      for (let i = 0; i < ring.length; i++) {
        const a = ring[i];
        const b = ring[(i + 1) % ring.length];
        const key = segmentKey(a, b);
        const seen = directed.get(key);
        // Opposite directions: an interior border. Same direction (overlap) keeps one copy.
        if (seen && seen[0] === b) directed.delete(key);
        else if (!seen) directed.set(key, [a, b]);
      }
    }
  }
  const outgoing = new Map<number, number[]>();
  for (const [a, b] of directed.values()) {
    const list = outgoing.get(a);
    if (list) list.push(b);
    else outgoing.set(a, [b]);
  }
  const exteriors: { ring: Position[]; area: number; box: number[]; holes: Position[][] }[] = [];
  const holes: Position[][] = [];
  for (const [start, list] of outgoing) {
    while (list.length > 0) {
      const ids = [start];
      let at = list.pop() as number;
      while (at !== start) {
        ids.push(at);
        const next = outgoing.get(at);
        if (!next || next.length === 0) break;
        at = next.pop() as number;
      }
      if (at !== start || ids.length < 3) continue;
      const ring = closed(ids, vertices);
      const area = signedArea(ring);
      if (Math.abs(area) < 1e-12) continue;
      if (area > 0) exteriors.push({ ring, area, box: boxOf(ring), holes: [] });
      else holes.push(ring);
    }
  }
  if (exteriors.length === 0) return null;
  exteriors.sort((a, b) => a.area - b.area);
  for (const hole of holes) {
    const probe = interiorProbe(hole);
    const owner = exteriors.find((e) => probe[0] >= e.box[0] && probe[0] <= e.box[2] && probe[1] >= e.box[1] && probe[1] <= e.box[3] && pointInRing(probe[0], probe[1], e.ring));
    owner?.holes.push(hole);
  }
  exteriors.sort((a, b) => b.area - a.area);
  const polygons = exteriors.map((e) => [e.ring, ...e.holes]);
  return polygons.length === 1 ? { type: 'Polygon', coordinates: polygons[0] } : { type: 'MultiPolygon', coordinates: polygons };
}

export function boxOf(ring: Position[]): number[] {
  const box = [Infinity, Infinity, -Infinity, -Infinity];
  for (const [x, y] of ring) {
    if (x < box[0]) box[0] = x;
    if (y < box[1]) box[1] = y;
    if (x > box[2]) box[2] = x;
    if (y > box[3]) box[3] = y;
  }
  return box;
}

/** A point just inside a ring next to its first edge (a hole's vertex may touch its exterior). */
function interiorProbe(ring: Position[]): Position {
  const [ax, ay] = ring[0];
  const [bx, by] = ring[1];
  const mx = (ax + bx) / 2;
  const my = (ay + by) / 2;
  const len = Math.hypot(bx - ax, by - ay) || 1;
  // Clockwise hole: its inside is on the right of each edge.
  const step = 1e-7;
  return [mx + ((by - ay) / len) * step, my - ((bx - ax) / len) * step];
}

export function boxOfAreal(geometry: Areal): number[] {
  const box = [Infinity, Infinity, -Infinity, -Infinity];
  for (const polygon of polygonsOf(geometry)) {
    const b = boxOf(polygon[0]);
    box[0] = Math.min(box[0], b[0]);
    box[1] = Math.min(box[1], b[1]);
    box[2] = Math.max(box[2], b[2]);
    box[3] = Math.max(box[3], b[3]);
  }
  return box;
}
