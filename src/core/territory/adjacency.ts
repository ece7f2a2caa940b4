/**
 * Commune adjacency from polygons that share exact vertices (see topology.ts): two communes are
 * neighbours when they own the same boundary segment. Islands and other groups with no land border
 * to the rest are joined to their nearest commune by `links`, kept apart from real borders so a tool
 * can tell a border from a sea crossing. The shared border lines are returned too (the map draws
 * team borders with them).
 */
import type { LineString, MultiLineString, Position } from 'geojson';
import { boxOfAreal, orientedRings, polygonsOf, segmentKey, VertexIndex, type Areal } from './topology.ts';

export interface SharedBorder {
  /** Indices of the two polygons, a < b. */
  a: number;
  b: number;
  geometry: LineString | MultiLineString;
}

export interface Adjacency {
  /** neighbours[i]: indices sharing a boundary segment with i, sorted (symmetric). */
  neighbours: number[][];
  /** Extra pairs joining each otherwise disconnected group to its nearest polygon. */
  links: [number, number][];
  borders: SharedBorder[];
}

export function computeAdjacency(geometries: (Areal | null)[]): Adjacency {
  const n = geometries.length;
  const vertices = new VertexIndex();
  const owner = new Map<number, number>();
  const shared = new Map<number, number[]>();
  geometries.forEach((geometry, i) => {
    if (!geometry) return;
    for (const ring of orientedRings(geometry, vertices)) {
      for (let k = 0; k < ring.length; k++) {
        const a = ring[k];
        const b = ring[(k + 1) % ring.length];
        const key = segmentKey(a, b);
        const first = owner.get(key);
        if (first === undefined) {
          owner.set(key, i);
          continue;
        }
        if (first === i) continue;
        const pair = first < i ? first * n + i : i * n + first;
        const list = shared.get(pair);
        if (list) list.push(a, b);
        else shared.set(pair, [a, b]);
      }
    }
  });
  const neighbourSets = Array.from({ length: n }, () => new Set<number>());
  const borders: SharedBorder[] = [];
  for (const [pair, segments] of [...shared].sort(([p], [q]) => p - q)) {
    const a = Math.floor(pair / n);
    const b = pair % n;
    neighbourSets[a].add(b);
    neighbourSets[b].add(a);
    const lines = chainSegments(segments).map((ids) => ids.map((id) => vertices.positions[id]));
    borders.push({ a, b, geometry: lines.length === 1 ? { type: 'LineString', coordinates: lines[0] } : { type: 'MultiLineString', coordinates: lines } });
  }
  const neighbours = neighbourSets.map((s) => [...s].sort((x, y) => x - y));
  return { neighbours, links: connectingLinks(geometries, neighbours), borders };
}

/** Undirected segments (flat pairs of vertex ids) → polylines, open chains first, then loops. */
export function chainSegments(segments: number[]): number[][] {
  const next = new Map<number, number[]>();
  const link = (a: number, b: number) => {
    const list = next.get(a);
    if (list) list.push(b);
    else next.set(a, [b]);
  };
  for (let i = 0; i < segments.length; i += 2) {
    link(segments[i], segments[i + 1]);
    link(segments[i + 1], segments[i]);
  }
  const used = new Set<number>();
  const take = (a: number, b: number) => used.add(segmentKey(a, b));
  const isUsed = (a: number, b: number) => used.has(segmentKey(a, b));
  const walk = (start: number): number[] => {
    const line = [start];
    let at = start;
    for (;;) {
      const to = (next.get(at) ?? []).find((v) => !isUsed(at, v));
      if (to === undefined) return line;
      take(at, to);
      line.push(to);
      at = to;
    }
  };
  const lines: number[][] = [];
  const starts = [...next.keys()].sort((x, y) => x - y);
  for (const v of starts) if ((next.get(v) as number[]).length % 2 === 1) while ((next.get(v) as number[]).some((w) => !isUsed(v, w))) lines.push(walk(v));
  for (const v of starts) while ((next.get(v) as number[]).some((w) => !isUsed(v, w))) lines.push(walk(v));
  return lines.filter((l) => l.length > 1);
}

function squaredDistance(p: Position, q: Position, cosLat: number): number {
  const dx = (p[0] - q[0]) * cosLat;
  const dy = p[1] - q[1];
  return dx * dx + dy * dy;
}

function verticesOf(geometry: Areal): Position[] {
  return polygonsOf(geometry).flatMap((polygon) => polygon[0]);
}

/**
 * Joins the connected components one at a time: the smallest is linked to the closest polygon
 * outside it (vertex to vertex), until one component remains. Polygons without geometry stay apart.
 */
function connectingLinks(geometries: (Areal | null)[], neighbours: number[][]): [number, number][] {
  const n = geometries.length;
  const parent = Array.from({ length: n }, (_, i) => i);
  const find = (i: number): number => {
    while (parent[i] !== i) i = parent[i] = parent[parent[i]];
    return i;
  };
  neighbours.forEach((list, i) => list.forEach((j) => (parent[find(i)] = find(j))));
  const present = geometries.map((g, i) => (g ? i : -1)).filter((i) => i >= 0);
  const boxes = geometries.map((g) => (g ? boxOfAreal(g) : null));
  const points = geometries.map((g) => (g ? verticesOf(g) : []));
  const links: [number, number][] = [];
  for (;;) {
    const groups = new Map<number, number[]>();
    for (const i of present) {
      const root = find(i);
      const list = groups.get(root);
      if (list) list.push(i);
      else groups.set(root, [i]);
    }
    if (groups.size <= 1) return links;
    const smallest = [...groups.values()].sort((x, y) => x.length - y.length || x[0] - y[0])[0];
    const root = find(smallest[0]);
    const box = [Infinity, Infinity, -Infinity, -Infinity];
    for (const i of smallest) {
      const b = boxes[i] as number[];
      box[0] = Math.min(box[0], b[0]);
      box[1] = Math.min(box[1], b[1]);
      box[2] = Math.max(box[2], b[2]);
      box[3] = Math.max(box[3], b[3]);
    }
    const cosLat = Math.cos((((box[1] + box[3]) / 2) * Math.PI) / 180);
    // The gap between boxes bounds the distance from below: candidates are visited nearest box first.
    const candidates = present
      .filter((j) => find(j) !== root)
      .map((j) => ({ j, d: boxGap(box, boxes[j] as number[], cosLat) }))
      .sort((x, y) => x.d - y.d || x.j - y.j);
    let best: { d: number; from: number; to: number } | null = null;
    for (const { j, d } of candidates) {
      if (best && d > best.d) break;
      for (const i of smallest) {
        if (best && boxGap(boxes[i] as number[], boxes[j] as number[], cosLat) > best.d) continue;
        for (const p of points[i]) {
          for (const q of points[j]) {
            const dd = squaredDistance(p, q, cosLat);
            if (!best || dd < best.d) best = { d: dd, from: i, to: j };
          }
        }
      }
    }
    if (!best) return links;
    links.push(best.from < best.to ? [best.from, best.to] : [best.to, best.from]);
    parent[find(best.from)] = find(best.to);
  }
}

/** Squared lower bound of the distance between two boxes. */
function boxGap(a: number[], b: number[], cosLat: number): number {
  const dx = Math.max(0, a[0] - b[2], b[0] - a[2]) * cosLat;
  const dy = Math.max(0, a[1] - b[3], b[1] - a[3]);
  return dx * dx + dy * dy;
}
