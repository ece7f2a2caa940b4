/**
 * Simplification that keeps a tiling a tiling: neighbouring polygons share their border vertices
 * (see topology.ts), so each border section between two junctions is simplified once
 * (Douglas–Peucker) and both polygons receive the same result. Simplifying each polygon on its own,
 * as a map renderer does, opens slivers between neighbours; here there are none. The map draws the
 * team colours of a whole Région at low zoom from this lighter layer.
 */
import type { Position } from 'geojson';
import { orientedRings, polygonsOf, signedArea, VertexIndex, type Areal } from './topology.ts';

/**
 * `tolerance` in km: the largest distance between a dropped vertex and the simplified line. A ring
 * that would lose its area keeps its original vertices.
 */
export function simplifyTiling(geometries: (Areal | null)[], tolerance: number): (Areal | null)[] {
  const vertices = new VertexIndex();
  const rings = geometries.map((g) => (g ? polygonsOf(g).map((polygon) => orientedRings({ type: 'Polygon', coordinates: polygon }, vertices)) : null));
  const junction = junctions(rings, vertices.positions.length);
  const project = projection(vertices.positions);
  const done = new Map<string, number[]>();
  const simplifyRing = (ring: number[]): Position[] => {
    let start = ring.findIndex((id) => junction[id]);
    // A ring touching no other (an island, or the shared loop of an enclave): start at its smallest
    // vertex id, which the enclosing polygon's hole chooses too.
    if (start < 0) start = ring.indexOf(Math.min(...ring));
    const rotated = [...ring.slice(start), ...ring.slice(0, start), ring[start]];
    const out: number[] = [rotated[0]];
    let from = 0;
    for (let k = 1; k < rotated.length; k++) {
      if (!junction[rotated[k]] && k < rotated.length - 1) continue;
      out.push(...section(rotated.slice(from, k + 1), tolerance, project, done).slice(1));
      from = k;
    }
    const kept = new Set(out).size >= 3 ? out : [...rotated];
    const positions = kept.map((id) => vertices.positions[id]);
    return Math.abs(signedArea(positions)) > 0 ? positions : rotated.map((id) => vertices.positions[id]);
  };
  return rings.map((polygons) => {
    if (!polygons) return null;
    const coordinates = polygons.filter((p) => p.length > 0).map((polygon) => polygon.map(simplifyRing));
    return coordinates.length === 1 ? { type: 'Polygon', coordinates: coordinates[0] } : { type: 'MultiPolygon', coordinates };
  });
}

/** Vertices where a border section must end: three or more distinct neighbours along the rings. */
function junctions(rings: (number[][][] | null)[], count: number): Uint8Array {
  const first = new Int32Array(count).fill(-1);
  const second = new Int32Array(count).fill(-1);
  const junction = new Uint8Array(count);
  const meet = (v: number, w: number) => {
    if (junction[v] || first[v] === w || second[v] === w) return;
    if (first[v] < 0) first[v] = w;
    else if (second[v] < 0) second[v] = w;
    else junction[v] = 1;
  };
  for (const polygons of rings)
    for (const polygon of polygons ?? [])
      for (const ring of polygon)
        for (let k = 0; k < ring.length; k++) {
          const v = ring[k];
          meet(v, ring[(k + 1) % ring.length]);
          meet(v, ring[(k + ring.length - 1) % ring.length]);
        }
  return junction;
}

/** Local equirectangular projection in km, good enough for a Région. */
function projection(positions: Position[]): (id: number) => [number, number] {
  const meanLat = positions.reduce((sum, p) => sum + p[1], 0) / Math.max(1, positions.length);
  const kx = 111.32 * Math.cos((meanLat * Math.PI) / 180);
  return (id) => [positions[id][0] * kx, positions[id][1] * 110.57];
}

/**
 * One border section (vertex ids, ends kept), simplified the same way whichever polygon asks: the
 * section is read in a canonical direction and cached.
 */
function section(ids: number[], tolerance: number, project: (id: number) => [number, number], done: Map<string, number[]>): number[] {
  if (ids.length <= 2) return ids;
  const reversed = ids[0] > ids[ids.length - 1] || (ids[0] === ids[ids.length - 1] && ids[1] > ids[ids.length - 2]);
  const canonical = reversed ? [...ids].reverse() : ids;
  const key = canonical.join(',');
  let simplified = done.get(key);
  if (!simplified) {
    simplified = canonical[0] === canonical[canonical.length - 1] ? loop(canonical, tolerance, project) : douglasPeucker(canonical, tolerance, project);
    done.set(key, simplified);
  }
  return reversed ? [...simplified].reverse() : simplified;
}

/** A closed section: split at the vertex farthest from its end so that it keeps an area. */
function loop(ids: number[], tolerance: number, project: (id: number) => [number, number]): number[] {
  const [x0, y0] = project(ids[0]);
  let far = 1;
  let best = -1;
  for (let k = 1; k < ids.length - 1; k++) {
    const [x, y] = project(ids[k]);
    const d = (x - x0) ** 2 + (y - y0) ** 2;
    if (d > best) [far, best] = [k, d];
  }
  return [...douglasPeucker(ids.slice(0, far + 1), tolerance, project), ...douglasPeucker(ids.slice(far), tolerance, project).slice(1)];
}

function douglasPeucker(ids: number[], tolerance: number, project: (id: number) => [number, number]): number[] {
  const keep = new Uint8Array(ids.length);
  keep[0] = keep[ids.length - 1] = 1;
  const stack: [number, number][] = [[0, ids.length - 1]];
  while (stack.length > 0) {
    const [a, b] = stack.pop()!;
    const [ax, ay] = project(ids[a]);
    const [bx, by] = project(ids[b]);
    const dx = bx - ax;
    const dy = by - ay;
    const length2 = dx * dx + dy * dy;
    let worst = -1;
    let worstDistance = tolerance;
    for (let k = a + 1; k < b; k++) {
      const [x, y] = project(ids[k]);
      const t = length2 > 0 ? Math.max(0, Math.min(1, ((x - ax) * dx + (y - ay) * dy) / length2)) : 0;
      const distance = Math.hypot(x - ax - t * dx, y - ay - t * dy);
      if (distance > worstDistance) [worst, worstDistance] = [k, distance];
    }
    if (worst < 0) continue;
    keep[worst] = 1;
    stack.push([a, worst], [worst, b]);
  }
  return ids.filter((_, k) => keep[k]);
}
